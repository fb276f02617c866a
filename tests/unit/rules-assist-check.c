/* Unit tests of assist-check's rules, one table each: the subscription
 * year, the row chosen for a call, the coverage, the tow split, the
 * insurer, and the calls counted per subscription row and year.  Prints
 * each failure, exits 1. */
#define main assist_check_main
#include "assist-check.c"
#undef main

#include "check.h"

static void
test_sub_year(void)
{
	static const struct { const char *start, *day; uint32_t year; } t[] = {
		{ "2026-01-10", "2026-01-10", 0 },
		{ "2026-01-10", "2027-01-09", 0 },
		{ "2026-01-10", "2027-01-10", 1 },
		{ "2026-01-10", "2028-01-09", 1 },
		{ "2026-01-10", "2028-01-10", 2 },
		{ "2026-01-10", "2026-12-31", 0 },
		/* month arithmetic: 2024-02-29 + 12 months = 2025-02-28 */
		{ "2024-02-29", "2025-02-27", 0 },
		{ "2024-02-29", "2025-02-28", 1 },
		{ "2024-02-29", "2026-02-28", 2 },
		{ "2024-02-29", "2028-02-28", 3 },
		{ "2024-02-29", "2028-02-29", 4 },
		/* the 31st: clamped in short months only */
		{ "2026-01-31", "2027-01-30", 0 },
		{ "2026-01-31", "2027-01-31", 1 },
		{ "2025-12-31", "2026-12-31", 1 },
		{ "2025-12-31", "2026-12-30", 0 },
		{ "1900-01-01", "2199-12-31", 299 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		uint32_t k = sub_year(D(t[i].start), D(t[i].day));
		CHECK(k == t[i].year, "sub_year(%s, %s) = %u, expected %u",
		    t[i].start, t[i].day, k, t[i].year);
	}
}

/* Rows of one number, in file order, as read_subscriptions links them. */
struct span { const char *start, *end; int grace; };

static uint32_t
link_rows(struct sub *subs, const struct span *sp, int n)
{
	for (int i = 0; i < n; i++) {
		subs[i] = (struct sub){ .start = D(sp[i].start), .end = D(sp[i].end) };
		subs[i].until = subs[i].end + sp[i].grace;
		link_row(subs, &subs[i], i ? (uint32_t)i - 1 : NO_ROW);
	}
	return (uint32_t)n - 1;
}

static void
test_choose_row(void)
{
	static const struct {
		const char *what;
		struct span rows[4];
		int n;
		const char *day;
		uint32_t want;		/* index in the file */
	} t[] = {
		{ "one row, within", { { "2026-01-10", "2027-01-09", 0 } }, 1,
		    "2026-06-01", 0 },
		{ "one row, before it", { { "2026-01-10", "2027-01-09", 0 } }, 1,
		    "2025-06-01", 0 },
		{ "one row, after it", { { "2026-01-10", "2027-01-09", 0 } }, 1,
		    "2028-06-01", 0 },
		{ "renewal: the later start of those containing the day",
		    { { "2025-01-10", "2026-01-09", 30 },
		      { "2026-01-10", "2027-01-09", 30 } }, 2, "2026-01-20", 1 },
		{ "renewal in the file first: still the later start",
		    { { "2026-01-10", "2027-01-09", 30 },
		      { "2025-01-10", "2026-01-09", 30 } }, 2, "2026-01-20", 0 },
		{ "grace of the old row, the renewal not yet started",
		    { { "2025-01-10", "2026-01-09", 30 },
		      { "2026-02-01", "2027-01-31", 30 } }, 2, "2026-01-20", 0 },
		{ "a tie of starts: the later row in the file",
		    { { "2026-01-10", "2027-01-09", 0 },
		      { "2026-01-10", "2026-06-30", 0 } }, 2, "2026-03-01", 1 },
		{ "none contains: the latest end of those ended",
		    { { "2023-01-10", "2024-01-09", 0 },
		      { "2024-01-10", "2025-01-09", 0 },
		      { "2027-01-10", "2028-01-09", 0 } }, 3, "2026-01-20", 1 },
		{ "a tie of ends: the later row",
		    { { "2024-01-10", "2025-01-09", 0 },
		      { "2024-06-01", "2025-01-09", 0 } }, 2, "2026-01-20", 1 },
		{ "only future rows: the earliest start",
		    { { "2027-01-10", "2028-01-09", 0 },
		      { "2026-03-01", "2027-01-09", 0 } }, 2, "2026-01-20", 1 },
		{ "a tie of future starts: the earlier row",
		    { { "2026-03-01", "2027-01-09", 0 },
		      { "2026-03-01", "2026-12-31", 0 } }, 2, "2026-01-20", 0 },
		{ "the last row contains it, an earlier one starts later",
		    { { "2026-03-01", "2026-12-31", 0 },
		      { "2026-01-01", "2026-12-31", 0 } }, 2, "2026-06-01", 0 },
		{ "in start order, the last contains it",
		    { { "2025-01-01", "2025-12-31", 30 },
		      { "2026-01-01", "2026-12-31", 0 },
		      { "2026-01-01", "2026-12-31", 0 } }, 3, "2026-01-10", 2 },
		{ "ended within its grace counts as containing",
		    { { "2025-01-10", "2026-01-09", 30 },
		      { "2024-01-10", "2026-01-15", 0 } }, 2, "2026-01-20", 0 },
	};
	struct sub subs[4];

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		uint32_t newest = link_rows(subs, t[i].rows, t[i].n);
		uint32_t got = choose_row(subs, newest, D(t[i].day));
		CHECK(got == t[i].want, "choose_row: %s: row %u, expected %u",
		    t[i].what, got, t[i].want);
	}
}

static const char *const basic_services[] = { "tow", "battery", "tire",
    "fuel", "lockout" };

static void
make_plans(struct plan *basic, struct plan *plus, struct str *svc)
{
	for (int i = 0; i < 5; i++)
		svc[i] = str_of(basic_services[i]);
	*basic = (struct plan){ .code = STR_C("basic"), .calls_per_year = 3,
	    .tow_km = 25, .services = svc, .nservices = 5 };
	*plus = (struct plan){ .code = STR_C("plus"), .calls_per_year = 5,
	    .tow_km = 100, .services = NULL, .waiting_days = 7, .grace_days = 30 };
}

static void
test_coverage(void)
{
	struct plan basic, plus, unlimited;
	struct str svc[5];
	make_plans(&basic, &plus, svc);
	unlimited = plus;
	unlimited.calls_per_year = UNLIMITED;
	/* plus: 2026-01-10 .. 2027-01-09, waiting to 2026-01-16, grace to
	 * 2027-02-08; vin WVWZZZ1KZ8W000001, or none (any vehicle) */
	struct sub s = { .start = D("2026-01-10"), .end = D("2027-01-09") };
	s.until = s.end + 30;
	struct sub v = s;
	v.is_void = true;
	struct sub anycar = s;
	static const struct {
		const char *what, *number, *day, *vin, *service;
		int sub;		/* 0 none, 1 s, 2 void, 3 any vehicle */
		int plan;		/* 0 plus, 1 basic, 2 unlimited */
		uint32_t used;
		enum coverage want;
	} t[] = {
		{ "no number", "", "2026-06-01", "", "", 1, 0, 0, NO_SUBSCRIPTION },
		{ "no row", "RA-9", "2026-06-01", "", "", 0, 0, 0, UNKNOWN },
		{ "void before all else", "RA-1", "2025-06-01", "x", "taxi", 2, 1, 9, VOID },
		{ "before start", "RA-1", "2026-01-09", "", "", 1, 0, 0, NOT_STARTED },
		{ "before start, wrong car", "RA-1", "2026-01-09", "x", "", 1, 0, 0, NOT_STARTED },
		{ "after grace", "RA-1", "2027-02-09", "", "", 1, 0, 0, EXPIRED },
		{ "last day of grace", "RA-1", "2027-02-08", "", "", 1, 0, 0, GRACE },
		{ "waiting, first day", "RA-1", "2026-01-10", "", "", 1, 0, 0, WAITING },
		{ "waiting, last day", "RA-1", "2026-01-16", "", "", 1, 0, 0, WAITING },
		{ "waiting ends", "RA-1", "2026-01-17", "", "", 1, 0, 0, COVERED },
		{ "waiting before wrong car", "RA-1", "2026-01-12", "x", "", 1, 0, 0, WAITING },
		{ "another car", "RA-1", "2026-06-01", "WVWZZZ1KZ8W000002", "", 1, 0, 0, WRONG_VEHICLE },
		{ "vin: an identifier, case counts", "RA-1", "2026-06-01", "wvwzzz1kz8w000001", "", 1, 0, 0, WRONG_VEHICLE },
		{ "the same car", "RA-1", "2026-06-01", "WVWZZZ1KZ8W000001", "", 1, 0, 0, COVERED },
		{ "a subscription for any car", "RA-1", "2026-06-01", "WVWZZZ1KZ8W000002", "", 3, 0, 0, COVERED },
		{ "no vin given", "RA-1", "2026-06-01", "", "", 1, 0, 0, COVERED },
		{ "wrong car before service", "RA-1", "2026-06-01", "x", "taxi", 1, 1, 0, WRONG_VEHICLE },
		{ "service not in the plan", "RA-1", "2026-06-01", "", "taxi", 1, 1, 0, NOT_COVERED },
		{ "service: a code, case ignored", "RA-1", "2026-06-01", "", "BATTERY", 1, 1, 0, COVERED },
		{ "no service given", "RA-1", "2026-06-01", "", "", 1, 1, 0, COVERED },
		{ "every service", "RA-1", "2026-06-01", "", "taxi", 1, 0, 0, COVERED },
		{ "service before limit", "RA-1", "2026-06-01", "", "taxi", 1, 1, 3, NOT_COVERED },
		{ "below the limit", "RA-1", "2026-06-01", "", "", 1, 1, 2, COVERED },
		{ "at the limit", "RA-1", "2026-06-01", "", "", 1, 1, 3, OVER_LIMIT },
		{ "limit before grace", "RA-1", "2027-01-20", "", "", 1, 0, 5, OVER_LIMIT },
		{ "unlimited", "RA-1", "2026-06-01", "", "", 1, 2, 1000000, COVERED },
		{ "grace", "RA-1", "2027-01-10", "", "", 1, 0, 4, GRACE },
		{ "last day", "RA-1", "2027-01-09", "", "", 1, 0, 4, COVERED },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct call c = { .date = D(t[i].day), .number = str_of(t[i].number),
		    .vin = str_of(t[i].vin), .service = str_of(t[i].service),
		    .tow_km = -1 };
		const struct sub *sp = t[i].sub == 0 ? NULL : t[i].sub == 1 ? &s :
		    t[i].sub == 2 ? &v : &anycar;
		const struct plan *p = t[i].plan == 0 ? &plus : t[i].plan == 1 ?
		    &basic : &unlimited;
		enum coverage got = coverage_of(&c, sp, p, t[i].sub == 3 ?
		    STR_C("") : STR_C("WVWZZZ1KZ8W000001"), t[i].used);
		CHECK(got == t[i].want, "coverage_of: %s: %s, expected %s",
		    t[i].what, coverage_name[got], coverage_name[t[i].want]);
	}
}

static void
test_tow_split(void)
{
	static const struct {
		enum coverage c;
		long long km, plan_km, covered, excess;
	} t[] = {
		{ COVERED, 40, 25, 25, 15 },
		{ COVERED, 25, 25, 25, 0 },
		{ COVERED, 10, 25, 10, 0 },
		{ COVERED, 0, 25, 0, 0 },
		{ GRACE, 140, 100, 100, 40 },
		{ COVERED, 500, UNLIMITED, 500, 0 },
		{ COVERED, 30, 0, 0, 30 },		/* no towing */
		{ OVER_LIMIT, 10, 25, 0, 10 },
		{ NOT_COVERED, 10, 25, 0, 10 },
		{ UNKNOWN, 10, 0, 0, 10 },
		{ NO_SUBSCRIPTION, 7, 0, 0, 7 },
		{ COVERED, -1, 25, -1, -1 },		/* no tow */
		{ EXPIRED, -1, 25, -1, -1 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		long long cov, exc;
		tow_split(t[i].c, t[i].km, t[i].plan_km, &cov, &exc);
		CHECK(cov == t[i].covered && exc == t[i].excess,
		    "tow_split(%s, %lld, %lld) = %lld, %lld, expected %lld, %lld",
		    coverage_name[t[i].c], t[i].km, t[i].plan_km, cov, exc,
		    t[i].covered, t[i].excess);
	}
}

static void
test_notify(void)
{
	static const struct {
		enum coverage c;
		const char *cause;
		bool want;
	} t[] = {
		{ COVERED, "accident", true },
		{ COVERED, "Accident", true },
		{ EXPIRED, "ACCIDENT", true },
		{ VOID, "accident", true },
		{ OVER_LIMIT, "accident", true },
		{ UNKNOWN, "accident", false },
		{ NO_SUBSCRIPTION, "accident", false },
		{ COVERED, "breakdown", false },
		{ COVERED, "", false },
		{ COVERED, "accidents", false },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		CHECK(notify_insurer(t[i].c, str_of(t[i].cause)) == t[i].want,
		    "notify_insurer(%s, %s) is not %d", coverage_name[t[i].c],
		    t[i].cause, t[i].want);
}

/* Calls counted per subscription row and year, in input order: the
 * worked example of the spec, a renewal with counts of its own, years of
 * a longer subscription, calls out of time order. */
static void
test_counting(void)
{
	static struct assist ac;
	struct plan plans[2];
	struct str svc[5];
	make_plans(&plans[0], &plans[1], svc);
	plans[1].waiting_days = 0;
	static const struct {
		const char *number, *start, *end;
		int plan, grace;
	} rows[] = {
		{ "RA-1001", "2026-01-10", "2027-01-09", 0, 0 },
		{ "RA-2002", "2025-03-01", "2026-02-28", 1, 30 },
		{ "RA-2002", "2026-03-15", "2027-03-14", 1, 30 },	/* renewal */
		{ "RA-3003", "2024-02-29", "2027-02-27", 0, 0 },	/* three years */
	};
	ac.plans = plans;
	ac.nplans = 2;
	ac.subs = xcalloc(4, sizeof *ac.subs);
	map_init(&ac.numbers, false);
	for (uint32_t i = 0; i < 4; i++) {
		struct sub *s = &ac.subs[i];
		*s = (struct sub){ .start = D(rows[i].start), .end = D(rows[i].end),
		    .plan = (uint32_t)rows[i].plan, .text = "" };
		s->until = s->end + rows[i].grace;
		s->nyears = sub_year(s->start, s->until) + 1;
		bool isnew;
		size_t *k = map_put(&ac.numbers, str_of(rows[i].number), i, &isnew);
		link_row(ac.subs, s, isnew ? NO_ROW : (uint32_t)*k);
		if (!isnew)
			*k = i;
	}
	ac.nsubs = 4;
	static const struct {
		const char *number, *day, *service;
		long long tow;
		enum coverage want;
		long long used, left, tow_cov, tow_exc;
		uint32_t row;
	} t[] = {
		/* the worked example */
		{ "RA-1001", "2026-03-02", "battery", -1, COVERED, 1, 2, -1, -1, 0 },
		{ "RA-1001", "2026-05-17", "tow", 40, COVERED, 2, 1, 25, 15, 0 },
		{ "RA-1001", "2026-08-30", "tire", -1, COVERED, 3, 0, -1, -1, 0 },
		{ "RA-1001", "2026-09-01", "tow", 10, OVER_LIMIT, 3, 0, 0, 10, 0 },
		/* not counted: not covered, over the limit */
		{ "RA-1001", "2026-09-02", "taxi", -1, NOT_COVERED, -1, -1, -1, -1, 0 },
		/* the grace of the old row is its year 1; a renewal counts
		 * its calls afresh */
		{ "RA-2002", "2026-02-10", "", -1, COVERED, 1, 4, -1, -1, 1 },
		{ "RA-2002", "2026-03-05", "", -1, GRACE, 1, 4, -1, -1, 1 },
		{ "RA-2002", "2026-03-20", "", -1, COVERED, 1, 4, -1, -1, 2 },
		{ "RA-2002", "2026-03-21", "", 140, COVERED, 2, 3, 100, 40, 2 },
		/* calls out of time order: counted in input order, by year */
		{ "RA-3003", "2026-03-01", "", -1, COVERED, 1, 2, -1, -1, 3 },	/* year 2 */
		{ "RA-3003", "2024-03-01", "", -1, COVERED, 1, 2, -1, -1, 3 },	/* year 0 */
		{ "RA-3003", "2025-02-28", "", -1, COVERED, 1, 2, -1, -1, 3 },	/* year 1 */
		{ "RA-3003", "2025-02-27", "", -1, COVERED, 2, 1, -1, -1, 3 },	/* year 0 */
		{ "RA-3003", "2024-12-31", "", -1, COVERED, 3, 0, -1, -1, 3 },	/* year 0 */
		{ "RA-3003", "2025-01-01", "", -1, OVER_LIMIT, 3, 0, -1, -1, 3 },
		{ "RA-3003", "2026-02-28", "", -1, COVERED, 2, 1, -1, -1, 3 },	/* year 2 */
		{ "RA-3003", "2027-02-27", "", -1, COVERED, 3, 0, -1, -1, 3 },	/* year 2 */
		{ "RA-3003", "2027-02-28", "", -1, EXPIRED, -1, -1, -1, -1, 3 },
		{ "RA-4004", "2026-03-01", "", 5, UNKNOWN, -1, -1, 0, 5, NO_ROW },
		{ "", "2026-03-01", "", -1, NO_SUBSCRIPTION, -1, -1, -1, -1, NO_ROW },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct call c = { .date = D(t[i].day), .number = str_of(t[i].number),
		    .service = str_of(t[i].service), .tow_km = t[i].tow };
		struct answer a;
		check_call(&ac, &c, &a);
		uint32_t row = a.sub ? (uint32_t)(a.sub - ac.subs) : NO_ROW;
		CHECK(a.coverage == t[i].want && a.used == t[i].used &&
		    a.left == t[i].left && a.tow_covered == t[i].tow_cov &&
		    a.tow_excess == t[i].tow_exc && row == t[i].row,
		    "call %zu (%s %s): %s used %lld left %lld tow %lld/%lld row %u",
		    i + 1, t[i].number, t[i].day, coverage_name[a.coverage],
		    a.used, a.left, a.tow_covered, a.tow_excess, row);
	}
	free(ac.later);
	free(ac.subs);
	map_free(&ac.numbers);
}

int
main(void)
{
	dt_init("UTC", NULL);
	test_sub_year();
	test_choose_row();
	test_coverage();
	test_tow_split();
	test_notify();
	test_counting();
	printf("rules-assist-check: %d checks, %d failures\n", checks, failures);
	return failures > 0;
}
