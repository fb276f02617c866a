/* Unit tests of complaint-sla's rules, table-driven: the effective
 * priority, the policy row chosen (client classes), the kind of time of a
 * deadline, a point moved by pauses, the warning point, a target's status,
 * the ticket's status, the overshoot, the escalation level, the nearest
 * rank.  The program's source is included, its main renamed. */
#define main complaint_sla_main
#include "complaint-sla.c"
#undef main

#include "check.h"

static tstamp
ts(const char *s)
{
	tstamp t = 0;

	if (parse_iso_timestamp(str_of(s), &t, NULL) != 0) {
		printf("bad timestamp in a test: %s\n", s);
		failures++;
	}
	return t;
}

/* A str of S, or the absent column's (p NULL) when S is NULL. */
static struct str
opt_str(const char *s)
{
	return s ? str_of(s) : (struct str){ NULL, 0 };
}

static void
test_effective_priority(void)
{
	static const struct {
		enum priority given;
		const char *category, *subject, *text;
		enum priority want;
		unsigned looked, not_utf8;
	} t[] = {
		/* the given priority wins, whatever the rest says */
		{ PRIO_NORMAL, "safety", "brakes", "", PRIO_NORMAL, 0, 0 },
		{ PRIO_URGENT, "billing", "invoice", "", PRIO_URGENT, 0, 0 },
		/* an urgent category, in any ASCII case */
		{ PRIO_NONE, "safety", "invoice", "", PRIO_URGENT, 0, 0 },
		{ PRIO_NONE, "Warranty", "invoice", "", PRIO_URGENT, 0, 0 },
		/* the pattern: subject first, then text */
		{ PRIO_NONE, "service", "Brakes squeal", "x", PRIO_URGENT, 1, 0 },
		{ PRIO_NONE, "service", "Question", "The steering pulls", PRIO_URGENT, 3, 0 },
		{ PRIO_NONE, "", "Проблема с тормозами", "", PRIO_URGENT, 1, 0 },
		{ PRIO_NONE, "", "Neveikia stabdžiai", "", PRIO_URGENT, 1, 0 },
		{ PRIO_NONE, "", "Dūmai iš po kapoto", "", PRIO_URGENT, 1, 0 },
		{ PRIO_NONE, "", "Oil change", "Kiek kainuotų?", PRIO_NORMAL, 3, 0 },
		/* words, not parts of words */
		{ PRIO_NONE, "", "Firewall", "smokescreen", PRIO_NORMAL, 3, 0 },
		/* an absent column is not matched */
		{ PRIO_NONE, "", NULL, "fire", PRIO_URGENT, 2, 0 },
		{ PRIO_NONE, "", NULL, NULL, PRIO_NORMAL, 0, 0 },
		/* texts that are not UTF-8 are matched all the same, and told */
		{ PRIO_NONE, "", "\xff\xfe brakes \xff", "", PRIO_URGENT, 1, 1 },
		{ PRIO_NONE, "", "ok", "\xc3", PRIO_NORMAL, 3, 2 },
		{ PRIO_NONE, "", "\xc3", "\xc3 fire", PRIO_URGENT, 3, 3 },
		/* long texts are not kept in the memo, and still answered */
		{ PRIO_NONE, "", "", "A long text, longer than what the memo keeps: "
		    "the smell of burning plastic, then a small fire under the "
		    "bonnet on the motorway", PRIO_URGENT, 3, 0 },
	};
	struct urgency u = { 0 };

	parse_urgent_categories(&u, "safety,warranty");
	set_urgent_pattern(&u, DEFAULT_PATTERN);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		const struct str texts[2] = { opt_str(t[i].subject), opt_str(t[i].text) };
		unsigned looked = 99, not_utf8 = 99;
		for (int twice = 0; twice < 2; twice++) {	/* the memo's answer too */
			enum priority p = effective_priority(&u, t[i].given,
			    str_of(t[i].category), texts, &looked, &not_utf8);
			CHECK(p == t[i].want && looked == t[i].looked &&
			    not_utf8 == t[i].not_utf8,
			    "case %zu: priority %d looked %u not UTF-8 %u, expected "
			    "%d, %u and %u", i, p, looked, not_utf8, t[i].want,
			    t[i].looked, t[i].not_utf8);
		}
	}

	/* Without categories and pattern: normal unless given. */
	struct urgency none = { 0 };
	const struct str brakes[2] = { STR_C("brakes"), STR_C("fire") };
	unsigned looked, not_utf8;
	parse_urgent_categories(&none, "");
	CHECK(effective_priority(&none, PRIO_NONE, STR_C("safety"), brakes,
	    &looked, &not_utf8) == PRIO_NORMAL && looked == 0, "no urgency rules");

	/* A match limit: no priority, and the text that hit it is the last
	 * one looked at. */
	struct urgency bad = { 0 };
	const struct str slow[2] = { STR_C("x"),
		STR_C("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab") };
	set_urgent_pattern(&bad, "(a|aa)+$");
	CHECK(effective_priority(&bad, PRIO_NONE, STR_C(""), slow, &looked,
	    &not_utf8) == PRIO_NONE && looked == 3, "match limit: looked %u",
	    looked);
	CHECK(strstr(bad.limit_why, "(a|aa)+$") != NULL, "limit names the pattern");

	free(u.categories);
	pattern_free(u.pattern);
	memo_free(u.memo);
	free(none.categories);
	pattern_free(bad.pattern);
	memo_free(bad.memo);
}

/* A policy row: CLASS and CATEGORY NULL for `*`. */
static struct policy_row
prow(const char *class, const char *category, enum priority priority)
{
	return (struct policy_row){ .class = opt_str(class),
	    .category = opt_str(category), .priority = priority };
}

static void
test_choose_policy(void)
{
	/* The sample policy's shape, without classes: first match wins. */
	struct policy_row plain[] = {
		prow(NULL, "safety", PRIO_ANY), prow(NULL, "warranty", PRIO_ANY),
		prow(NULL, NULL, PRIO_URGENT), prow(NULL, "billing", PRIO_ANY),
		prow(NULL, NULL, PRIO_NORMAL),
	};
	/* The spec's policy with client classes. */
	struct policy_row classes[] = {
		prow("emergency", NULL, PRIO_ANY), prow("gov", NULL, PRIO_URGENT),
		prow(NULL, NULL, PRIO_URGENT), prow(NULL, NULL, PRIO_NORMAL),
	};
	struct policy_row only[] = {
		prow("gov", "billing", PRIO_NORMAL),
	};
	const struct policy pp = { plain, 5, false }, pc = { classes, 4, true },
	    po = { only, 1, true };
	static const struct {
		int policy;		/* 0 plain, 1 classes, 2 only */
		const char *class, *category;
		enum priority priority;
		int want;		/* row index, -1 none */
	} t[] = {
		{ 0, "", "safety", PRIO_NORMAL, 0 },
		{ 0, "", "SAFETY", PRIO_URGENT, 0 },
		{ 0, "", "warranty", PRIO_NORMAL, 1 },
		{ 0, "", "billing", PRIO_URGENT, 2 },	/* *,urgent comes first */
		{ 0, "", "billing", PRIO_NORMAL, 3 },
		{ 0, "", "service", PRIO_NORMAL, 4 },
		{ 0, "", "", PRIO_NORMAL, 4 },		/* * matches no category */
		{ 0, "gov", "", PRIO_URGENT, 2 },	/* no class column: any */
		{ 1, "emergency", "service", PRIO_NORMAL, 0 },
		{ 1, "Emergency", "billing", PRIO_URGENT, 0 },
		{ 1, "gov", "service", PRIO_URGENT, 1 },
		{ 1, "GOV", "service", PRIO_NORMAL, 3 },
		{ 1, "fleet", "service", PRIO_URGENT, 2 },
		{ 1, "private", "", PRIO_NORMAL, 3 },
		{ 1, "", "service", PRIO_URGENT, 2 },	/* * matches no class */
		{ 1, "", "", PRIO_NORMAL, 3 },
		{ 2, "Gov", "Billing", PRIO_NORMAL, 0 },
		{ 2, "", "billing", PRIO_NORMAL, -1 },	/* gov is not empty */
		{ 2, "gov", "billing", PRIO_URGENT, -1 },
		{ 2, "gov", "parts", PRIO_NORMAL, -1 },
		{ 2, "government", "billing", PRIO_NORMAL, -1 },
	};
	const struct policy *pols[] = { &pp, &pc, &po };
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		const struct policy *pol = pols[t[i].policy];
		const struct policy_row *p = choose_policy(pol, str_of(t[i].class),
		    str_of(t[i].category), t[i].priority);
		int got = p ? (int)(p - pol->row) : -1;
		CHECK(got == t[i].want, "case %zu: row %d, expected %d", i, got,
		    t[i].want);
	}
}

static void
test_counts_open_time(void)
{
	static const struct {
		const char *duration;
		bool hours, want;
	} t[] = {
		{ "4h", false, false }, { "4h", true, false },
		{ "30m", true, false }, { "2d", true, false },
		{ "4bh", false, true }, { "4bh", true, true },	/* holidays */
		{ "2bd", false, true }, { "2bd", true, true },
		{ "eod", true, true },
		{ "eod", false, false },	/* midnight, holiday or not */
		{ "0bd", true, true },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct hours h;
		struct duration d;
		hours_init(&h);
		h.set = t[i].hours;
		duration_parse(str_of(t[i].duration), &d);
		CHECK(counts_open_time(d.kind, &h) == t[i].want, "case %zu (%s)",
		    i, t[i].duration);
	}
}

/* moved_point, in Europe/Vilnius (EET, EEST from 2026-03-29 03:00 to
 * 2026-10-25 04:00). */
static void
test_moved_point(void)
{
	static const char wk[] = "Mon-Fri 09:00-18:00";
	static const struct {
		const char *hours, *holiday;	/* --hours, one holiday */
		bool open;		/* the point counts open time */
		const char *received, *point;
		const char *pause[3][2];	/* from, to (merged, clipped) */
		const char *want;
	} t[] = {
		/* no pauses, or none before the point: where it was */
		{ NULL, NULL, false, "2026-11-20 09:00", "2026-11-23 09:00",
		    { { NULL } }, "2026-11-23 09:00" },
		{ NULL, NULL, false, "2026-11-20 09:00", "2026-11-23 09:00",
		    { { "2026-11-23 09:00", "2026-11-24 09:00" } }, "2026-11-23 09:00" },
		/* the spec's example: 24 h paused, the deadline and its
		 * warning move by 24 h */
		{ NULL, NULL, false, "2026-11-20 09:00", "2026-11-23 09:00",
		    { { "2026-11-20 12:00", "2026-11-21 12:00" } }, "2026-11-24 09:00" },
		{ NULL, NULL, false, "2026-11-20 09:00", "2026-11-22 09:00",
		    { { "2026-11-20 12:00", "2026-11-21 12:00" } }, "2026-11-23 09:00" },
		/* two pauses; the second ends after the moved point */
		{ NULL, NULL, false, "2026-11-20 09:00", "2026-11-21 09:00",
		    { { "2026-11-20 10:00", "2026-11-20 12:00" },
		      { "2026-11-21 10:00", "2026-11-21 12:00" } }, "2026-11-21 13:00" },
		/* a pause spanning the deadline: the clock runs again at
		 * its end, for what it had stopped before the deadline */
		{ NULL, NULL, false, "2026-11-20 09:00", "2026-11-23 09:00",
		    { { "2026-11-22 00:00", "2026-11-24 00:00" } }, "2026-11-25 09:00" },
		/* a pause that began before receipt counts from receipt */
		{ NULL, NULL, false, "2026-11-20 09:00", "2026-11-21 09:00",
		    { { "2026-11-20 06:00", "2026-11-20 10:00" } }, "2026-11-21 10:00" },
		/* real time across the changes: 20:00 to 08:00 holds 11 h
		 * in March, 13 h in October */
		{ NULL, NULL, false, "2026-03-28 12:00", "2026-03-31 13:00",
		    { { "2026-03-28 20:00", "2026-03-29 08:00" } }, "2026-04-01 00:00" },
		{ NULL, NULL, false, "2026-10-24 12:00", "2026-10-27 11:00",
		    { { "2026-10-24 20:00", "2026-10-25 08:00" } }, "2026-10-28 00:00" },
		/* open time: a pause while closed moves nothing */
		{ wk, NULL, true, "2026-11-20 17:00", "2026-11-23 12:00",
		    { { "2026-11-21 10:00", "2026-11-22 10:00" } }, "2026-11-23 12:00" },
		/* 1.5 open hours paused on Monday morning */
		{ wk, NULL, true, "2026-11-20 17:00", "2026-11-23 12:00",
		    { { "2026-11-23 09:00", "2026-11-23 10:30" } }, "2026-11-23 13:30" },
		/* Friday 17:30 to Monday 09:30 holds one open hour */
		{ wk, NULL, true, "2026-11-20 17:00", "2026-11-23 12:00",
		    { { "2026-11-20 17:30", "2026-11-23 09:30" } }, "2026-11-23 13:00" },
		/* a holiday is closed: paused then, nothing moves */
		{ wk, "2026-11-23", true, "2026-11-20 17:00", "2026-11-24 12:00",
		    { { "2026-11-23 09:00", "2026-11-23 18:00" } }, "2026-11-24 12:00" },
		{ wk, "2026-11-23", true, "2026-11-20 17:00", "2026-11-24 12:00",
		    { { "2026-11-20 17:00", "2026-11-24 10:00" } }, "2026-11-24 14:00" },
		/* eod and Nbd sit at a close: moved into the next open day */
		{ wk, NULL, true, "2026-11-20 10:00", "2026-11-20 18:00",
		    { { "2026-11-20 11:00", "2026-11-20 12:00" } }, "2026-11-23 10:00" },
		{ wk, NULL, true, "2026-11-20 10:00", "2026-11-23 18:00",
		    { { "2026-11-20 11:00", "2026-11-20 13:00" } }, "2026-11-24 11:00" },
		/* open time across the change: the windows are wall time */
		{ wk, NULL, true, "2026-03-27 16:00", "2026-03-30 11:00",
		    { { "2026-03-27 17:00", "2026-03-30 10:00" } }, "2026-03-30 13:00" },
		{ wk, NULL, true, "2026-10-23 16:00", "2026-10-26 11:00",
		    { { "2026-10-23 17:00", "2026-10-26 10:00" } }, "2026-10-26 13:00" },
	};
	if (dt_init("Europe/Vilnius", NULL) != 0) {
		printf("no zone Europe/Vilnius\n");
		failures++;
		return;
	}
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct hours h;
		struct pause p[3];
		size_t n = 0;
		char err[300], got_s[40];
		tstamp got = 0;

		hours_init(&h);
		if (t[i].hours && hours_parse(&h, t[i].hours, err, sizeof err))
			printf("bad hours in a test: %s\n", err);
		if (t[i].holiday) {
			day_t d;
			parse_iso_date(str_of(t[i].holiday), &d);
			hours_add_holiday(&h, d);
		}
		hours_done(&h);
		for (; n < 3 && t[i].pause[n][0]; n++)
			p[n] = (struct pause){ ts(t[i].pause[n][0]), ts(t[i].pause[n][1]) };
		struct clock c = { &h, ts(t[i].received), p, n };
		int rc = moved_point(&c, t[i].open, ts(t[i].point), &got);
		fmt_rfc3339(got_s, got);
		CHECK(rc == 0 && got == ts(t[i].want), "case %zu: %s, expected %s",
		    i, got_s, t[i].want);
		hours_free(&h);
	}
	dt_init("UTC", NULL);
}

static void
test_warn_point(void)
{
	static const struct {
		const char *warn, *received, *due, *want;
	} t[] = {
		/* 75% of the real time to the deadline */
		{ "", "2026-11-20 09:00", "2026-11-23 09:00", "2026-11-22 15:00" },
		{ "", "2026-11-20 09:00", "2026-11-20 10:00", "2026-11-20 09:45" },
		/* the first whole second at which 3/4 have passed (3/4 of 2 s: 1.5 s) */
		{ "", "2026-11-20 09:00:00", "2026-11-20 09:00:02", "2026-11-20 09:00:02" },
		{ "", "2026-11-20 09:00:00", "2026-11-20 09:00:04", "2026-11-20 09:00:03" },
		{ "", "2026-11-20 09:00", "2026-11-20 09:00", "2026-11-20 09:00" },
		/* the policy's _warn, counted from receipt */
		{ "48h", "2026-11-20 09:00", "2026-11-23 09:00", "2026-11-22 09:00" },
		{ "30m", "2026-11-20 09:00", "2026-11-20 10:00", "2026-11-20 09:30" },
	};
	struct hours h;

	hours_init(&h);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct duration d;
		tstamp got = 0;
		duration_parse(str_of(t[i].warn), &d);
		int rc = warn_point(&d, &h, ts(t[i].received), ts(t[i].due), &got);
		CHECK(rc == 0 && got == ts(t[i].want), "case %zu: %lld, expected %s",
		    i, (long long)(got - ts(t[i].received)), t[i].want);
	}
}

static void
test_target_status(void)
{
	static const struct {
		bool done;
		int done_at, due, warn, asof;	/* seconds */
		enum status want;
	} t[] = {
		{ true, 100, 100, 75, 500, ST_MET },	/* done at the deadline */
		{ true, 101, 100, 75, 500, ST_BREACHED },
		{ true, 10, 100, 75, 50, ST_MET },
		{ false, 0, 100, 75, 101, ST_BREACHED },
		{ false, 0, 100, 75, 100, ST_AT_RISK },	/* at the deadline: not yet */
		{ false, 0, 100, 75, 75, ST_AT_RISK },	/* from the warning on */
		{ false, 0, 100, 75, 74, ST_PENDING },
		{ false, 0, 100, 100, 99, ST_PENDING },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		enum status got = target_status(t[i].done, t[i].done_at, t[i].due,
		    t[i].warn, t[i].asof);
		CHECK(got == t[i].want, "case %zu: %d, expected %d", i, got, t[i].want);
	}
}

static void
test_ticket_status(void)
{
	static const struct {
		enum status st[NSTEP], want;
	} t[] = {
		{ { ST_NONE, ST_NONE, ST_NONE }, ST_NONE },
		{ { ST_MET, ST_NONE, ST_NONE }, ST_MET },
		{ { ST_MET, ST_PENDING, ST_NONE }, ST_PENDING },
		{ { ST_AT_RISK, ST_PENDING, ST_MET }, ST_AT_RISK },
		{ { ST_BREACHED, ST_AT_RISK, ST_MET }, ST_BREACHED },
		{ { ST_MET, ST_MET, ST_BREACHED }, ST_BREACHED },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		enum status got = ticket_status(t[i].st);
		CHECK(got == t[i].want, "case %zu: %d, expected %d", i, got, t[i].want);
	}
}

static void
test_overdue(void)
{
	static const struct {
		enum status st;
		bool done;
		int done_at, due, asof;
		int want;
	} t[] = {
		{ ST_MET, true, 90, 100, 500, -1 },
		{ ST_PENDING, false, 0, 100, 50, -1 },
		{ ST_AT_RISK, false, 0, 100, 100, -1 },
		{ ST_BREACHED, true, 130, 100, 500, 30 },	/* done late */
		{ ST_BREACHED, false, 0, 100, 500, 400 },	/* still open */
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int64_t got = overdue(t[i].st, t[i].done, t[i].done_at, t[i].due,
		    t[i].asof);
		CHECK(got == t[i].want, "case %zu: %lld, expected %d", i,
		    (long long)got, t[i].want);
	}
}

static void
test_escalation_level(void)
{
	static const struct {
		long long open_over, esc1, esc2;
		int want;
	} t[] = {
		{ -1, 86400, 259200, 0 },	/* nothing open is breached */
		{ 1, 86400, 259200, 1 },
		{ 86399, 86400, 259200, 1 },
		{ 86400, 86400, 259200, 2 },	/* exactly 24 h is level 2 */
		{ 259199, 86400, 259200, 2 },
		{ 259200, 86400, 259200, 3 },
		{ 5, 0, 0, 3 },			/* --escalate 0,0 */
		{ 5, 0, 10, 2 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int got = escalation_level(t[i].open_over, t[i].esc1, t[i].esc2);
		CHECK(got == t[i].want, "case %zu: %d, expected %d", i, got, t[i].want);
	}
}

static void
test_nearest_rank(void)
{
	static const int64_t v[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
	static const struct {
		size_t n;
		long num, den;
		int64_t want;
	} t[] = {
		{ 1, 1, 2, 1 },
		{ 2, 1, 2, 1 },		/* ceil(1) */
		{ 3, 1, 2, 2 },		/* ceil(1.5) */
		{ 4, 1, 2, 2 },
		{ 10, 9, 10, 9 },	/* ceil(9) */
		{ 11, 9, 10, 10 },	/* ceil(9.9) */
		{ 1, 9, 10, 1 },
		{ 2, 9, 10, 2 },	/* ceil(1.8) */
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int64_t got = nearest_rank(v, t[i].n, t[i].num, t[i].den);
		CHECK(got == t[i].want, "case %zu: %lld, expected %lld", i,
		    (long long)got, (long long)t[i].want);
	}
}

int
main(void)
{
	progname = "rules-complaint-sla";
	if (dt_init("UTC", NULL) != 0) {
		printf("no zone UTC\n");
		return 1;
	}
	test_effective_priority();
	test_choose_policy();
	test_counts_open_time();
	test_moved_point();
	test_warn_point();
	test_target_status();
	test_ticket_status();
	test_overdue();
	test_escalation_level();
	test_nearest_rank();
	if (failures)
		printf("%d of %d checks failed\n", failures, checks);
	return failures != 0;
}
