/* The rules of contract-remind, each a table: renewal, state, stage, the
 * ledger's prune rule, the alert. */
#define main contract_remind_main
#include "contract-remind.c"
#undef main

#include "check.h"

static void
test_renews(void)
{
	/* C: 2025-12-01 .. 2026-11-30.  Does D renew it? */
	static const struct {
		const char *c_start, *c_end, *d_start;
		bool d_closed, renews;
	} t[] = {
		{ "2025-12-01", "2026-11-30", "2026-12-01", false, true },
		{ "2025-12-01", "2026-11-30", "2026-11-30", false, true },
		{ "2025-12-01", "2026-11-30", "2026-12-02", false, false },
		{ "2025-12-01", "2026-11-30", "2026-06-01", false, true },
		{ "2025-12-01", "2026-11-30", "2025-12-01", false, false },
		{ "2025-12-01", "2026-11-30", "2025-11-01", false, false },
		{ "2025-12-01", "2026-11-30", "2026-12-01", true, false },
		{ "2025-12-01", "2026-11-30", NULL, false, false },
		{ NULL, "2026-11-30", "2020-01-01", false, true },
		{ NULL, "2026-11-30", "2026-12-01", false, true },
		{ NULL, "2026-11-30", "2026-12-02", false, false },
		{ "2025-12-01", NULL, "2026-12-01", false, false },
		{ "2024-02-29", "2025-02-28", "2025-03-01", false, true },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct contract c = { .start = D(t[i].c_start), .end = D(t[i].c_end), .next = NONE, .shown = true };
		struct contract d = { .start = D(t[i].d_start), .end = D("2027-11-30"), .next = NONE, .closed =
		    t[i].d_closed, .shown = true };
		CHECK(renews(&d, &c) == t[i].renews, "renews case %zu", i);
	}
}

static void
test_state(void)
{
	static const struct {
		const char *start, *end;
		bool closed, renewed;
		enum state want;
	} t[] = {
		{ "2025-12-01", "2026-11-30", true, true, ST_CLOSED },
		{ "2025-12-01", NULL, false, false, ST_OPEN_ENDED },
		{ "2026-12-01", "2027-11-30", false, false, ST_FUTURE },
		{ "2026-11-20", "2027-11-19", false, false, ST_ACTIVE },
		{ "2026-11-21", "2027-11-20", false, true, ST_FUTURE },
		{ "2025-12-01", "2026-11-30", false, true, ST_RENEWED },
		{ "2025-11-15", "2026-11-14", false, true, ST_RENEWED },
		{ "2025-11-15", "2026-11-14", false, false, ST_EXPIRED },
		{ "2025-11-20", "2026-11-19", false, false, ST_EXPIRED },
		{ "2025-11-21", "2026-11-20", false, false, ST_ACTIVE },
		{ NULL, "2026-11-30", false, false, ST_ACTIVE },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct contract c = { .start = D(t[i].start), .end = D(t[i].end), .next = NONE, .closed =
		    t[i].closed, .shown = true };
		enum state st = contract_state(&c, t[i].renewed, D("2026-11-20"));
		CHECK(st == t[i].want, "state case %zu: %s, not %s", i,
		    state_name[st], state_name[t[i].want]);
	}
}

static void
test_stage(void)
{
	static const long long leads[] = { 7, 30, 60 };
	static const struct {
		enum state st;
		long long days_left, overdue;
		int want;		/* index into leads, or STAGE_* */
	} t[] = {
		{ ST_ACTIVE, 61, 0, STAGE_NONE }, { ST_ACTIVE, 60, 0, 2 },
		{ ST_ACTIVE, 31, 0, 2 }, { ST_ACTIVE, 30, 0, 1 },
		{ ST_ACTIVE, 8, 0, 1 }, { ST_ACTIVE, 7, 0, 0 },
		{ ST_ACTIVE, 0, 0, 0 }, { ST_EXPIRED, -1, 0, STAGE_NONE },
		{ ST_EXPIRED, -5, 5, STAGE_EXPIRED }, { ST_EXPIRED, -6, 5, STAGE_NONE },
		{ ST_RENEWED, 5, 30, STAGE_NONE }, { ST_FUTURE, 5, 30, STAGE_NONE },
		{ ST_CLOSED, 5, 30, STAGE_NONE }, { ST_OPEN_ENDED, 0, 30, STAGE_NONE },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		CHECK(stage_of(t[i].st, t[i].days_left, leads, 3, t[i].overdue) ==
		    t[i].want, "stage case %zu", i);
	CHECK(stage_alerts(0) && stage_alerts(STAGE_EXPIRED) && !stage_alerts(1) &&
	    !stage_alerts(2), "alert stages");
}

static void
test_prune(void)
{
	static const struct {
		const char *end;
		long long overdue;
		bool spent;
	} t[] = {
		{ "2025-11-20", 0, false }, { "2025-11-19", 0, true },
		{ "2026-12-31", 0, false }, { "2025-11-19", 400, false },
		{ "2025-10-15", 400, true },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		CHECK(entry_spent(D(t[i].end), D("2026-11-20"), t[i].overdue) ==
		    t[i].spent, "prune case %zu", i);
}

int
main(void)
{
	test_renews();
	test_state();
	test_stage();
	test_prune();
	printf("%d checks, %d failed\n", checks, failures);
	return failures != 0;
}
