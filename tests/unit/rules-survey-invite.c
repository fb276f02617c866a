/* The rules of survey-invite, each a table: the decision, the sample, the
 * URL of an invitation, the ledger's prune rule, a score. */
#define main survey_invite_main
#include "survey-invite.c"
#undef main

#include "check.h"

static tstamp
T(const char *s)
{
	tstamp t;
	if (parse_iso_timestamp(str_of(s), &t, NULL) != 0) {
		printf("bad test time %s\n", s);
		exit(1);
	}
	return t;
}

struct decide_case {
	const char *closed;	/* NULL: not closed */
	bool excl, opt, noc, sent, sample, run;
	int last_days_ago;	/* -1: never surveyed */
	enum status want;
};

/* The event of case C, judged on the day TODAY. */
static struct event
event_of(const struct decide_case *c, day_t today)
{
	return (struct event){
		.closed = c->closed != NULL,
		.closed_at = c->closed ? T(c->closed) : 0,
		.excluded = c->excl, .opted_out = c->opt,
		.no_contact = c->noc, .sent_before = c->sent,
		.in_sample = c->sample, .invited_in_run = c->run,
		.last_sent = c->last_days_ago < 0 ? DAY_NONE :
		    today - c->last_days_ago,
	};
}

static void
test_decide(void)
{
	const struct policy p = { 86400, 14 * 86400, 90 };
	const tstamp as_of = T("2026-11-20 09:00");
	const day_t today = local_date(as_of);
	/* An event that passes every rule; each row changes one thing. */
	static const struct decide_case t[] = {
		{ "2026-11-18 10:00", 0, 0, 0, 0, 1, 0, -1, ST_INVITE },
		{ NULL, 1, 1, 1, 1, 0, 1, 1, ST_OPEN },
		{ "2026-11-18 10:00", 1, 1, 1, 1, 0, 1, 1, ST_EXCLUDED },
		{ "2026-11-18 10:00", 0, 1, 1, 1, 0, 1, 1, ST_OPTED_OUT },
		{ "2026-11-18 10:00", 0, 0, 1, 1, 0, 1, 1, ST_NO_CONTACT },
		{ "2026-11-18 10:00", 0, 0, 0, 1, 0, 1, 1, ST_ALREADY_SENT },
		{ "2026-11-19 09:00:01", 0, 0, 0, 0, 0, 1, 1, ST_WAIT },
		{ "2026-11-19 09:00", 0, 0, 0, 0, 1, 0, -1, ST_INVITE },
		{ "2026-11-06 09:00", 0, 0, 0, 0, 1, 0, -1, ST_INVITE },
		{ "2026-11-06 08:59:59", 0, 0, 0, 0, 0, 1, 1, ST_TOO_LATE },
		{ "2026-11-18 10:00", 0, 0, 0, 0, 0, 1, 1, ST_SAMPLED_OUT },
		{ "2026-11-18 10:00", 0, 0, 0, 0, 1, 1, -1, ST_THROTTLED },
		{ "2026-11-18 10:00", 0, 0, 0, 0, 1, 0, 89, ST_THROTTLED },
		{ "2026-11-18 10:00", 0, 0, 0, 0, 1, 0, 90, ST_INVITE },
		{ "2026-11-18 10:00", 0, 0, 0, 0, 1, 0, 0, ST_THROTTLED },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct event e = event_of(&t[i], today);
		enum status st = decide(&e, &p, as_of, today);
		CHECK(st == t[i].want, "decide case %zu: %s, not %s", i,
		    status_name[st], status_name[t[i].want]);
	}
	/* Without --all an event is looked up only when may_invite(): never
	 * when decide() would not invite it whatever the look-ups say. */
	static const struct {
		const char *closed;
		bool excl, opt, noc, sample;
		bool want;
	} m[] = {
		{ "2026-11-18 10:00", 0, 0, 0, 1, true },
		{ NULL, 0, 0, 0, 1, false },
		{ "2026-11-18 10:00", 1, 0, 0, 1, false },
		{ "2026-11-18 10:00", 0, 1, 0, 1, false },
		{ "2026-11-18 10:00", 0, 0, 1, 1, false },
		{ "2026-11-19 09:00:01", 0, 0, 0, 1, false },
		{ "2026-11-19 09:00", 0, 0, 0, 1, true },
		{ "2026-11-06 09:00", 0, 0, 0, 1, true },
		{ "2026-11-06 08:59:59", 0, 0, 0, 1, false },
		{ "2026-11-18 10:00", 0, 0, 0, 0, false },
	};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
		struct event e = {
			.closed = m[i].closed != NULL,
			.closed_at = m[i].closed ? T(m[i].closed) : 0,
			.excluded = m[i].excl, .opted_out = m[i].opt,
			.no_contact = m[i].noc, .in_sample = m[i].sample,
			.last_sent = DAY_NONE,
		};
		CHECK(may_invite(&e, &p, as_of) == m[i].want, "may_invite case %zu",
		    i);
		/* Whatever the look-ups would say. */
		for (int k = 0; k < 8; k++) {
			e.sent_before = k & 1;
			e.invited_in_run = k & 2;
			e.last_sent = k & 4 ? today - 10 : DAY_NONE;
			if (decide(&e, &p, as_of, today) == ST_INVITE)
				CHECK(may_invite(&e, &p, as_of), "may_invite case %zu "
				    "(look-ups %d): decide() invites", i, k);
		}
	}
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct event e = event_of(&t[i], today);
		if (!may_invite(&e, &p, as_of))
			CHECK(decide(&e, &p, as_of, today) != ST_INVITE,
			    "decide case %zu invites, may_invite() says no", i);
	}
	/* --gap 0: the ledger never throttles. */
	const struct policy p0 = { 86400, 14 * 86400, 0 };
	struct event e = { .closed = true, .closed_at = T("2026-11-18 10:00"),
	    .in_sample = true, .last_sent = today };
	CHECK(decide(&e, &p0, as_of, today) == ST_INVITE, "gap 0");
}

/* FNV-1a, 64 bits, as the spec words it: the reference values computed
 * by hand with the offset basis and prime. */
static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 14695981039346656037ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void
test_sample(void)
{
	/* Known values of FNV-1a 64 (the published test vectors). */
	CHECK(fnv1a("") == 0xcbf29ce484222325ULL, "fnv1a('')");
	CHECK(fnv1a("a") == 0xaf63dc4c8601ec8cULL, "fnv1a('a')");
	CHECK(fnv1a("foobar") == 0x85944171f73967e8ULL, "fnv1a('foobar')");
	static const char *const ids[] = { "RO-1", "RO-2", "T-1001", "x", "Šiauliai" };
	static const char *const seeds[] = { "", "nov", "2026-11" };
	for (size_t s = 0; s < 3; s++)
		for (size_t i = 0; i < 5; i++)
			for (int rate = 0; rate <= 100; rate += 25) {
				char buf[64];
				snprintf(buf, sizeof buf, "%s%s", seeds[s], ids[i]);
				bool want = fnv1a(buf) % 100 < (uint64_t)rate;
				CHECK(in_sample(str_of(seeds[s]), str_of(ids[i]), rate) ==
				    want, "sample %s %s %d", seeds[s], ids[i], rate);
			}
	CHECK(!in_sample(STR_C(""), STR_C("RO-1"), 0), "rate 0 samples");
	CHECK(in_sample(STR_C(""), STR_C("RO-1"), 100), "rate 100 leaves out");
}

/* survey_url: the template's placeholders bound to the header's columns
 * (ignoring case and white space, the first that matches), each value
 * trimmed and percent-encoded (template.h's percent_encode). */
static void
test_url(void)
{
	static const struct str hdr[] = { { "id", 2 }, { " Dealer ", 8 },
		{ "name", 4 }, { "id", 2 } };
	static const struct {
		const char *tmpl;
		const char *id, *dealer, *name;
		const char *want;
	} t[] = {
		{ "https://x.lt/s?ro={id}&d={dealer}&n={ NAME }&t={{x}}",
		  "RO 1", " D01 ", "Šarūnas", "https://x.lt/s?ro=RO%201&d=D01&"
		  "n=%C5%A0ar%C5%ABnas&t={x}" },
		{ "{id}{id}", "a/b", "", "", "a%2Fba%2Fb" },
		{ "https://x.lt/{name}", "", "", "", "https://x.lt/" },
		{ "plain", "1", "2", "3", "plain" },
	};
	struct buf out = { 0 };

	P.in.header = (struct record){ 4, (struct str *)hdr, 1, "e.csv" };
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct tpl_text x;
		struct str f[4] = { str_of(t[i].id), str_of(t[i].dealer),
			str_of(t[i].name), STR_C("second id") };
		struct record r = { 4, f, 2, "e.csv" };
		struct row w = { .r = &r };

		url_parse(&x, t[i].tmpl);
		url_bind(&x, t[i].tmpl, &P.in);
		struct str u = url_fill(&x, &w, &out);
		CHECK(str_eq(u, str_of(t[i].want)), "url %zu: %.*s", i,
		    (int)u.n, u.p);
		template_line_free(&x);
	}
	buf_free(&out);
}

static void
test_prune(void)
{
	const day_t today = local_date(T("2026-11-20 00:00"));
	static const struct { int days_ago; long long gap; int window_days; bool spent; } t[] = {
		{ 400, 90, 14, false }, { 401, 90, 14, true },
		{ 401, 500, 14, false }, { 501, 500, 14, true },
		{ 401, 90, 600, false }, { 601, 90, 600, true },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		const struct policy p = { 0, (int64_t)t[i].window_days * 86400, t[i].gap };
		CHECK(entry_spent(today - t[i].days_ago, today, &p) == t[i].spent,
		    "prune case %zu", i);
	}
}

static void
test_score(void)
{
	static const struct { const char *v; int scale; long long want; } t[] = {
		{ "", 5, -1 }, { "", 10, -1 },
		{ "1", 5, 1 }, { "5", 5, 5 }, { "0", 5, -2 }, { "6", 5, -2 },
		{ "0", 10, 0 }, { "10", 10, 10 }, { "11", 10, -2 },
		{ "05", 5, 5 }, { "4.5", 5, -2 }, { "4,", 5, -2 }, { "x", 10, -2 },
		{ "-1", 10, -2 }, { "+3", 10, -2 }, { "100", 10, -2 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		long long lo = t[i].scale == 5 ? 1 : 0;
		long long got = score_of(str_of(t[i].v), lo, t[i].scale);
		CHECK(got == t[i].want, "score '%s' of 1..%d: %lld, not %lld",
		    t[i].v, t[i].scale, got, t[i].want);
	}
}

int
main(void)
{
	dt_init("UTC", NULL);
	test_decide();
	test_sample();
	test_url();
	test_prune();
	test_score();
	printf("%d checks, %d failed\n", checks, failures);
	return failures != 0;
}
