/* Unit tests of duty-roster's rules, each a table: the weight of a shift,
 * who may take it, who is fairer, the member chosen, the who rule, the
 * audit verdict, the shifts served, the cost split and the credit; and
 * the decimal figures they use.  The program's sources are included, so
 * that the static rules can be called.  Prints each failure, exits 1. */
#define main duty_roster_main
#include "duty-roster/main.c"
#include "duty-roster/roster.c"
#include "duty-roster/plan.c"
#include "duty-roster/who.c"
#include "duty-roster/check.c"
#include "duty-roster/audit.c"
#include "duty-roster/share.c"
#undef main

#include "check.h"

static const long long DW[4] = { 1000, 1200, 1500, 2000 };

static void
test_shift_weight(void)
{
	static const struct {
		const char *day;
		bool holiday;
		long long want;
	} t[] = {
		{ "2026-11-09", false, 1000 },	/* Monday */
		{ "2026-11-13", false, 1000 },	/* Friday */
		{ "2026-11-07", false, 1200 },	/* Saturday */
		{ "2026-11-08", false, 1500 },	/* Sunday */
		{ "2026-11-10", true, 2000 },	/* a holiday on a Tuesday */
		{ "2026-11-07", true, 2000 },	/* a holiday weighs as one on a Saturday */
		{ "2026-11-08", true, 2000 },	/* and on a Sunday */
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		CHECK(shift_weight(DW, D(t[i].day), t[i].holiday) == t[i].want,
		    "shift_weight(%s, %d)", t[i].day, t[i].holiday);
}

static struct member
M(const char *id, const char *region, bool finance, long long weight,
    long long load, const char *last)
{
	struct member m = { 0 };

	m.id = (char *)id;
	m.region = (char *)region;
	m.finance = finance;
	m.weight = weight;
	m.load = load;
	if (last != NULL) {
		m.has_last = true;
		m.last_day = D(last);
		m.last = local_to_utc(m.last_day, 8 * 3600);
	}
	return m;
}

static void
test_on_roster_of(void)
{
	struct member n = M("N", "north", false, 1000, 0, NULL);
	struct member f = M("F", "north", true, 1000, 0, NULL);
	struct member a = M("A", "all", false, 1000, 0, NULL);

	CHECK(on_roster_of(&n, "north"), "a duty member of north");
	CHECK(on_roster_of(&n, "NORTH"), "regions ignore case");
	CHECK(!on_roster_of(&n, "south"), "north is not south");
	CHECK(!on_roster_of(&n, "all"), "a regional member is not on all's roster");
	CHECK(!on_roster_of(&f, "north"), "finance members never take duty");
	CHECK(on_roster_of(&a, "all"), "members of all form the roster of all");
	CHECK(!on_roster_of(&a, "north"), "all's members are on all's roster only");
}

static void
test_eligibility(void)
{
	struct range unav[] = { { 0, 0 } };
	struct member m;
	static const struct {
		const char *last, *day, *unavailable;
		long long min_gap;
		enum eligibility want;
	} t[] = {
		{ NULL, "2026-11-10", NULL, 2, MAY_TAKE },	/* never on duty */
		{ "2026-11-09", "2026-11-10", NULL, 2, TOO_SOON },
		{ "2026-11-08", "2026-11-10", NULL, 2, MAY_TAKE },	/* two days: enough */
		{ "2026-11-09", "2026-11-10", NULL, 0, MAY_TAKE },	/* 0: no limit */
		{ "2026-11-10", "2026-11-10", NULL, 1, TOO_SOON },	/* twice a day */
		{ "2026-11-10", "2026-11-10", NULL, 0, MAY_TAKE },
		{ "2026-11-08", "2026-11-10", "2026-11-10", 2, UNAVAILABLE },
		{ "2026-11-09", "2026-11-10", "2026-11-10", 2, UNAVAILABLE },
		{ NULL, "2026-11-11", "2026-11-10", 2, MAY_TAKE },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		m = M("A", "north", false, 1000, 0, t[i].last);
		if (t[i].unavailable != NULL) {
			unav[0].from = unav[0].to = D(t[i].unavailable);
			m.unav = unav;
			m.nunav = 1;
		}
		CHECK(eligibility(&m, D(t[i].day), t[i].min_gap) == t[i].want,
		    "eligibility #%zu", i);
	}
}

static void
test_fairer(void)
{
	static const struct {
		long long la, wa;
		const char *lasta;
		long long lb, wb;
		const char *lastb;
		long long w;
		bool want;
	} t[] = {
		/* the lower (load + w) / weight */
		{ 0, 1000, "2026-11-01", 1000, 1000, NULL, 1000, true },
		{ 1000, 1000, NULL, 0, 1000, "2026-11-01", 1000, false },
		/* weight 2 takes twice the load */
		{ 2000, 2000, "2026-11-01", 1000, 1000, "2026-11-02", 1000, true },
		/* exact: (0.2 + 0.1) / 0.3 = (0.9 + 0.1) / 1, a tie (not in
		 * floating point); then the last shift longest ago */
		{ 200, 300, "2026-11-01", 900, 1000, "2026-11-02", 100, true },
		{ 200, 300, "2026-11-02", 900, 1000, "2026-11-01", 100, false },
		/* never is longest ago */
		{ 100, 2000, "2026-11-01", 0, 1000, NULL, 100, false },
		{ 0, 1000, NULL, 100, 2000, "2026-11-01", 100, true },
		/* a full tie is not fairer: the first in the file stays */
		{ 0, 1000, NULL, 0, 1000, NULL, 1000, false },
		{ 500, 1000, "2026-11-01", 500, 1000, "2026-11-01", 1000, false },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct member a = M("A", "x", false, t[i].wa, t[i].la, t[i].lasta);
		struct member b = M("B", "x", false, t[i].wb, t[i].lb, t[i].lastb);
		CHECK(fairer(&a, &b, t[i].w) == t[i].want, "fairer #%zu", i);
	}
}

static void
test_choose_member(void)
{
	struct range sat = { 0, 0 };
	struct member m[3];
	struct member *cand[3] = { &m[0], &m[1], &m[2] };
	day_t mon = D("2026-11-09");
	bool short_rest;

	/* the fairest of those who may take it */
	m[0] = M("A", "x", false, 1000, 2000, "2026-11-01");
	m[1] = M("B", "x", false, 1000, 1000, "2026-11-02");
	m[2] = M("C", "x", false, 1000, 3000, "2026-11-03");
	CHECK(choose_member(cand, 3, 1000, mon, 2, &short_rest) == &m[1] &&
	    !short_rest, "the least loaded");
	/* B had yesterday's shift: A, though C is fairer than A by nothing */
	m[1] = M("B", "x", false, 1000, 1000, "2026-11-08");
	CHECK(choose_member(cand, 3, 1000, mon, 2, &short_rest) == &m[0] &&
	    !short_rest, "the gap rule");
	/* only the gap rule leaves nobody: it is dropped, short_rest */
	m[0] = M("A", "x", false, 1000, 2000, "2026-11-08");
	m[2] = M("C", "x", false, 1000, 3000, "2026-11-09");
	CHECK(choose_member(cand, 3, 1000, mon, 2, &short_rest) == &m[1] &&
	    short_rest, "short_rest: the fairest who is available");
	/* an unavailable member is never chosen, short rest or not */
	sat.from = sat.to = mon;
	m[1].unav = &sat;
	m[1].nunav = 1;
	CHECK(choose_member(cand, 3, 1000, mon, 2, &short_rest) == &m[0] &&
	    short_rest, "unavailable is never chosen");
	/* nobody available: uncovered */
	m[0].unav = m[2].unav = &sat;
	m[0].nunav = m[2].nunav = 1;
	CHECK(choose_member(cand, 3, 1000, mon, 2, &short_rest) == NULL &&
	    !short_rest, "uncovered");
	CHECK(choose_member(cand, 0, 1000, mon, 2, &short_rest) == NULL &&
	    !short_rest, "no members");
	/* a full tie: the first in the file */
	for (int i = 0; i < 3; i++)
		m[i] = M("X", "x", false, 1000, 0, NULL);
	CHECK(choose_member(cand, 3, 1000, mon, 2, &short_rest) == &m[0],
	    "a full tie goes to the first");
}

static void
test_counts_on_duty(void)
{
	static const struct {
		enum status st;
		bool overridden, want;
	} t[] = {
		{ ST_ASSIGNED, false, true },
		{ ST_ASSIGNED, true, false },	/* a stand-in or a swap */
		{ ST_OVERRIDE, false, true },
		{ ST_OVERRIDE, true, true },
		{ ST_UNCOVERED, false, false },
		{ ST_UNCOVERED, true, false },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		CHECK(counts_on_duty(t[i].st, t[i].overridden) == t[i].want,
		    "counts_on_duty #%zu", i);
}

static void
test_audit_verdict(void)
{
	static const struct {
		size_t on_duty;
		bool referred, named;
		enum verdict want;
	} t[] = {
		{ 1, true, true, V_OK },
		{ 2, true, true, V_OK },
		{ 1, true, false, V_WRONG },
		{ 1, false, false, V_NO_REFERRAL },
		{ 0, false, false, V_NOBODY },
		{ 0, true, false, V_NOBODY },	/* whoever was named */
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		CHECK(audit_verdict(t[i].on_duty, t[i].referred, t[i].named) ==
		    t[i].want, "audit_verdict #%zu", i);
}

static void
test_served(void)
{
	static const struct {
		enum status st;
		bool overridden, want;
	} t[] = {
		{ ST_ASSIGNED, false, true },
		{ ST_ASSIGNED, true, false },	/* the stand-in is credited */
		{ ST_OVERRIDE, false, true },
		{ ST_OVERRIDE, true, true },
		{ ST_UNCOVERED, false, false },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		CHECK(served(t[i].st, t[i].overridden) == t[i].want,
		    "served #%zu", i);
}

static void
test_overlapped(void)
{
	/* overrides of one region, by start: [10, 20), [12, 14), [30, 40) */
	struct shift s[3] = { { .start = 10, .end = 20 }, { .start = 12, .end = 14 },
		{ .start = 30, .end = 40 } };
	struct shift *r[3] = { &s[0], &s[1], &s[2] };
	tstamp max_end[3] = { 20, 20, 40 };
	struct overrides o = { r, max_end, 3 };
	struct overrides none = { NULL, NULL, 0 };
	static const struct {
		tstamp start, end;
		bool want;
	} t[] = {
		{ 0, 10, false },	/* ends as the first starts */
		{ 0, 11, true },
		{ 19, 25, true },
		{ 20, 30, false },	/* between them */
		{ 21, 29, false },
		{ 25, 31, true },
		{ 40, 50, false },	/* starts as the last ends */
		{ 0, 100, true },
		{ 13, 14, true },	/* inside */
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		CHECK(overlapped(&o, t[i].start, t[i].end) == t[i].want,
		    "overlapped [%lld, %lld)", (long long)t[i].start,
		    (long long)t[i].end);
	CHECK(!overlapped(&none, 0, 100), "no overrides");
}

static void
test_split_cost(void)
{
	static const struct {
		long long cost;
		size_t n;
		long long share[5], want[5];
	} t[] = {
		/* the spec's example: 1000.00 among three */
		{ 100000, 3, { 1000, 1000, 1000 }, { 33334, 33333, 33333 } },
		/* five cents among three: the earlier members get the extra */
		{ 5, 3, { 1000, 1000, 1000 }, { 2, 2, 1 } },
		/* 10.00 by 1, 2, 0, 3: 1.666.. has the largest remainder */
		{ 1000, 4, { 1000, 2000, 0, 3000 }, { 167, 333, 0, 500 } },
		/* decimal shares: 0.5 and 0.25 of 3.00 */
		{ 300, 2, { 500, 250 }, { 200, 100 } },
		/* remainders 2/3 and 1/3 of a cent: the larger first */
		{ 1, 2, { 1000, 2000 }, { 0, 1 } },
		/* a cost of 0 */
		{ 0, 2, { 1000, 1000 }, { 0, 0 } },
		/* shares adding up to 0: nobody pays (the caller refuses a cost) */
		{ 0, 2, { 0, 0 }, { 0, 0 } },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		long long out[5] = { -1, -1, -1, -1, -1 }, sum = 0;
		bool same = true;
		split_cost(t[i].cost, t[i].share, t[i].n, out);
		for (size_t k = 0; k < t[i].n; k++) {
			same &= out[k] == t[i].want[k];
			sum += out[k];
		}
		CHECK(same && sum == t[i].cost, "split_cost #%zu: %lld %lld %lld %lld",
		    i, out[0], out[1], out[2], out[3]);
	}
}

static void
test_credit_cents(void)
{
	static const struct {
		long long load, amount, want;
	} t[] = {
		{ 1500, 3333, 5000 },	/* 49.995: half up */
		{ 2700, 3333, 8999 },	/* 89.991 */
		{ 4500, 3333, 14999 },	/* 149.985 */
		{ 0, 15000, 0 },
		{ 1000, 15000, 15000 },
		{ 1, 1, 0 },		/* 0.001 cent */
		{ 500, 1, 1 },		/* half a cent: up */
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		CHECK(credit_cents(t[i].load, t[i].amount) == t[i].want,
		    "credit_cents(%lld, %lld) = %lld", t[i].load, t[i].amount,
		    credit_cents(t[i].load, t[i].amount));
}

static void
test_milli(void)
{
	static const struct {
		const char *in;
		int rc;
		long long v;
		const char *out;
	} t[] = {
		{ "1", 0, 1000, "1" },
		{ "1.2", 0, 1200, "1.2" },
		{ "1,25", 0, 1250, "1.25" },
		{ "0.125", 0, 125, "0.125" },
		{ " 2 ", 0, 2000, "2" },
		{ "0", 0, 0, "0" },
		{ "0.0001", -1, 0, NULL },
		{ "1.", -1, 0, NULL },
		{ ".5", -1, 0, NULL },
		{ "-1", -1, 0, NULL },
		{ "1..2", -1, 0, NULL },
		{ "1.5x", -1, 0, NULL },
		{ "", -1, 0, NULL },
		{ "1000000000000", 0, 1000000000000000LL, "1000000000000" },
		{ "1000000000001", -1, 0, NULL },	/* above 10^12 */
	};
	char buf[64];

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		long long v = 0;
		int rc = parse_milli(str_of(t[i].in), &v);
		CHECK(rc == t[i].rc && (rc != 0 || v == t[i].v),
		    "parse_milli('%s')", t[i].in);
		if (rc == 0 && t[i].out != NULL) {
			fmt_milli(buf, v);
			CHECK(strcmp(buf, t[i].out) == 0, "fmt_milli(%lld) = %s",
			    v, buf);
		}
	}
	fmt_milli(buf, -1500);
	CHECK(strcmp(buf, "-1.5") == 0, "fmt_milli(-1500) = %s", buf);
}

static void
test_regions(void)
{
	struct map rg;

	regions_init(&rg);
	CHECK(region_add(&rg, STR_C(" North ")) == 0, "north first");
	CHECK(region_add(&rg, STR_C("south")) == 1, "south second");
	CHECK(region_add(&rg, STR_C("NORTH")) == 0, "regions ignore case");
	CHECK(region_add(&rg, STR_C("")) == 2, "empty is all");
	CHECK(region_add(&rg, STR_C("-")) == 2, "unknown is all");
	CHECK(region_find(&rg, STR_C("All")) == 2, "all");
	CHECK(region_find(&rg, STR_C("west")) == -1, "west is not there");
	CHECK(strcmp(region_name(&rg, 0), "North") == 0,
	    "spelled as first seen, trimmed: %s", region_name(&rg, 0));
	char list[64];
	regions_list(&rg, list, sizeof list);
	CHECK(strcmp(list, "North, south, all") == 0, "list: %s", list);
	regions_list(&rg, list, 12);
	CHECK(strlen(list) < 12, "a short list is cut: %s", list);
	CHECK(region_is_all(STR_C(" ALL ")) && region_is_all(STR_C("")) &&
	    !region_is_all(STR_C("north")), "region_is_all");
	map_free(&rg);
}

int
main(void)
{
	if (dt_init("Europe/Vilnius", NULL) != 0) {
		printf("no zone Europe/Vilnius\n");
		return 2;
	}
	test_shift_weight();
	test_on_roster_of();
	test_eligibility();
	test_fairer();
	test_choose_member();
	test_counts_on_duty();
	test_audit_verdict();
	test_served();
	test_overlapped();
	test_split_cost();
	test_credit_cents();
	test_milli();
	test_regions();
	if (failures) {
		printf("%d of %d checks failed\n", failures, checks);
		return 1;
	}
	return 0;
}
