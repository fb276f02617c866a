/* Unit tests of complaint-sla's rules, table-driven: the effective
 * priority, the policy row chosen, the warning point, a target's status,
 * the ticket's status, the overshoot, the escalation level, the nearest
 * rank.  The program's source is included, its main renamed. */
#define main complaint_sla_main
#include "complaint-sla.c"
#undef main

static int failures, checks;

#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; \
	printf("%s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); \
	printf("\n"); } } while (0)

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

static void
test_choose_policy(void)
{
	/* The sample policy's shape: the first row that matches applies. */
	static struct policy_row rows[] = {
		{ .category = { "safety", 6 }, .priority = PRIO_ANY },
		{ .category = { "warranty", 8 }, .priority = PRIO_ANY },
		{ .category = { NULL, 0 }, .priority = PRIO_URGENT },
		{ .category = { "billing", 7 }, .priority = PRIO_ANY },
		{ .category = { NULL, 0 }, .priority = PRIO_NORMAL },
	};
	static const struct policy pol = { rows, 5 };
	static const struct policy_row only_billing_row[] = {
		{ .category = { "billing", 7 }, .priority = PRIO_NORMAL },
	};
	static const struct policy only_billing = {
		(struct policy_row *)only_billing_row, 1
	};
	static const struct {
		const struct policy *pol;
		const char *category;
		enum priority priority;
		int want;		/* row index, -1 none */
	} t[] = {
		{ &pol, "safety", PRIO_NORMAL, 0 },
		{ &pol, "SAFETY", PRIO_URGENT, 0 },
		{ &pol, "warranty", PRIO_NORMAL, 1 },
		{ &pol, "billing", PRIO_URGENT, 2 },	/* *,urgent comes first */
		{ &pol, "billing", PRIO_NORMAL, 3 },
		{ &pol, "service", PRIO_NORMAL, 4 },
		{ &pol, "", PRIO_NORMAL, 4 },		/* * matches no category */
		{ &pol, "", PRIO_URGENT, 2 },
		{ &only_billing, "Billing", PRIO_NORMAL, 0 },
		{ &only_billing, "billing", PRIO_URGENT, -1 },
		{ &only_billing, "parts", PRIO_NORMAL, -1 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		const struct policy_row *p = choose_policy(t[i].pol,
		    str_of(t[i].category), t[i].priority);
		int got = p ? (int)(p - t[i].pol->row) : -1;
		CHECK(got == t[i].want, "case %zu: row %d, expected %d", i, got,
		    t[i].want);
	}
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
