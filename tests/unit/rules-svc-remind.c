/* Unit tests of svc-remind's rules: the rollback rule (readings in date
 * order whatever the input order), the rate, est_km, an item's due point,
 * its status, whether the ledger hides a reminder, and the ledger's prune
 * rule.  Table-driven; prints each failure, exits 1. */
#define main svc_remind_main
#include "svc-remind.c"
#undef main

#include "check.h"

/* ---- the rollback rule ------------------------------------------------ */

struct found_log {
	char text[512];
	size_t n;
};

static void
log_found(void *ctx, const struct reading *hi, const struct reading *lo)
{
	struct found_log *l = ctx;
	char a[DATE_LEN + 1], b[DATE_LEN + 1];

	fmt_date(a, hi->d);
	fmt_date(b, lo->d);
	l->n += (size_t)snprintf(l->text + l->n, sizeof l->text - l->n,
	    "%s%lld(%s)>%lld(%s)", l->n ? " " : "", hi->km, a, lo->km, b);
}

/* Place the readings "DATE KM, DATE KM, ..." in that order; the readings
 * kept ("KM KM ...") and the rollbacks found ("HI(DATE)>LO(DATE) ..."). */
static void
place_all(const char *arrivals, char *kept, size_t cap, struct found_log *log)
{
	struct reading rd[32];
	uint32_t n = 0;
	char date[11];
	long long km;
	int used;
	const char *p = arrivals;

	log->n = 0;
	log->text[0] = '\0';
	while (sscanf(p, " %10s %lld%n", date, &km, &used) == 2) {
		odometer_place(rd, &n, (struct reading){ D(date), km },
		    log_found, log);
		p += used;
		if (*p == ',')
			p++;
	}
	size_t k = 0;
	kept[0] = '\0';
	for (uint32_t i = 0; i < n; i++)
		k += (size_t)snprintf(kept + k, cap - k, "%s%lld", i ? " " : "",
		    rd[i].km);
}

static void
test_odometer_place(void)
{
	static const struct {
		const char *arrivals, *kept, *rollbacks;
	} t[] = {
		{ "2025-01-01 1000, 2025-02-01 2000, 2025-03-01 3000",
		  "1000 2000 3000", "" },
		/* lower than the one before, in date order */
		{ "2025-01-01 1000, 2025-03-01 5000, 2025-04-01 4000",
		  "1000 5000", "5000(2025-03-01)>4000(2025-04-01)" },
		/* on one day, the later in the input is the later */
		{ "2025-03-01 5000, 2025-03-01 4000", "5000",
		  "5000(2025-03-01)>4000(2025-03-01)" },
		{ "2025-03-01 4000, 2025-03-01 5000", "4000 5000", "" },
		/* an equal reading is no rollback */
		{ "2025-03-01 5000, 2025-04-01 5000", "5000 5000", "" },
		/* read out of date order: placed by date */
		{ "2025-07-09 8240, 2025-01-10 1000, 2025-03-01 900",
		  "1000 8240", "1000(2025-01-10)>900(2025-03-01)" },
		/* a reading read late, dated between, higher than a later one:
		 * the later one is the rollback now */
		{ "2025-01-01 1000, 2025-03-01 3000, 2025-02-01 50000",
		  "1000 50000", "50000(2025-02-01)>3000(2025-03-01)" },
		/* earlier and higher than every reading: they all are rollbacks */
		{ "2025-02-01 1000, 2025-03-01 2000, 2025-01-01 9000",
		  "9000", "9000(2025-01-01)>1000(2025-02-01) "
		  "9000(2025-01-01)>2000(2025-03-01)" },
		/* a rollback stays one: a later, higher reading before it */
		{ "2025-01-01 1000, 2025-03-01 500, 2025-02-01 2000",
		  "1000 2000", "1000(2025-01-01)>500(2025-03-01)" },
		{ "", "", "" },
	};
	char kept[256];
	struct found_log log;

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		place_all(t[i].arrivals, kept, sizeof kept, &log);
		CHECK(strcmp(kept, t[i].kept) == 0, "place %s: kept '%s', "
		    "expected '%s'", t[i].arrivals, kept, t[i].kept);
		CHECK(strcmp(log.text, t[i].rollbacks) == 0, "place %s: "
		    "rollbacks '%s', expected '%s'", t[i].arrivals, log.text,
		    t[i].rollbacks);
	}
}

/* Every order of the same readings (no two on one day) keeps the same
 * readings as the date order. */
static void
test_odometer_any_order(void)
{
	static const struct { const char *d; long long km; } r[6] = {
		{ "2025-01-01", 1000 }, { "2025-02-01", 30000 },
		{ "2025-03-01", 3000 }, { "2025-04-01", 40000 },
		{ "2025-05-01", 35000 }, { "2025-06-01", 41000 },
	};
	int perm[6] = { 0, 1, 2, 3, 4, 5 };
	char want[256] = "", got[256], arrivals[256];
	struct found_log log;
	int orders = 0;

	for (;;) {
		size_t k = 0;
		for (int i = 0; i < 6; i++)
			k += (size_t)snprintf(arrivals + k, sizeof arrivals - k,
			    "%s%s %lld", i ? ", " : "", r[perm[i]].d, r[perm[i]].km);
		place_all(arrivals, got, sizeof got, &log);
		if (orders++ == 0) {
			strcpy(want, got);
			CHECK(strcmp(want, "1000 30000 40000 41000") == 0,
			    "date order keeps '%s'", want);
		} else
			CHECK(strcmp(got, want) == 0, "order %s keeps '%s', "
			    "expected '%s'", arrivals, got, want);
		/* next permutation */
		int i = 4;
		while (i >= 0 && perm[i] > perm[i + 1])
			i--;
		if (i < 0)
			break;
		int j = 5;
		while (perm[j] < perm[i])
			j--;
		int x = perm[i]; perm[i] = perm[j]; perm[j] = x;
		for (int a = i + 1, b = 5; a < b; a++, b--) {
			x = perm[a]; perm[a] = perm[b]; perm[b] = x;
		}
	}
	CHECK(orders == 720, "%d orders tried", orders);
}

/* ---- the rate and est_km ---------------------------------------------- */

static void
test_rate_est(void)
{
	static const struct {
		const char *fd; long long fk; const char *ld; long long lk;
		const char *asof;
		long long num, den; bool fallback; long long est;
	} t[] = {
		/* the worked example: 7240 / 180, 134 days on: 13630 */
		{ "2025-01-10", 1000, "2025-07-09", 8240, "2025-11-20",
		  7240, 180, false, 13630 },
		/* 30 days apart: computed; 29: --daily-km (40) */
		{ "2025-01-01", 0, "2025-01-31", 1500, "2025-03-02",
		  1500, 30, false, 1500 + 1500 * 30 / 30 },
		{ "2025-01-01", 0, "2025-01-30", 1500, "2025-03-01",
		  40, 1, true, 1500 + 40 * 30 },
		/* one reading: --daily-km */
		{ "2025-01-01", 500, "2025-01-01", 500, "2025-01-11",
		  40, 1, true, 900 },
		/* halves up: 1045 + 45/30 = 1046.5 -> 1047; 1044 + 44/30 ->
		 * 1045 (1045.47) */
		{ "2025-01-01", 1000, "2025-01-31", 1045, "2025-02-01",
		  45, 30, false, 1047 },
		{ "2025-01-01", 1000, "2025-01-31", 1044, "2025-02-01",
		  44, 30, false, 1045 },
		/* an as-of before the last reading: the last reading */
		{ "2025-01-01", 1000, "2025-01-31", 1045, "2025-01-15",
		  45, 30, false, 1045 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct reading f = { D(t[i].fd), t[i].fk };
		struct reading l = { D(t[i].ld), t[i].lk };
		struct rate r = rate_of(&f, &l, 40);
		CHECK(r.num == t[i].num && r.den == t[i].den &&
		    r.fallback == t[i].fallback, "rate %zu: %lld/%lld%s", i,
		    r.num, r.den, r.fallback ? " fallback" : "");
		long long e = est_km(&l, r, D(t[i].asof));
		CHECK(e == t[i].est, "est_km %zu: %lld, expected %lld", i, e,
		    t[i].est);
	}
	struct rate r = rate_of(NULL, NULL, 40);
	CHECK(r.fallback && r.num == 40 && r.den == 1, "no reading: --daily-km");
	CHECK(est_km(NULL, r, D("2025-01-01")) == -1, "no reading: no est_km");
}

/* ---- an item's due point and status ------------------------------------ */

static void
test_due_point(void)
{
	static const struct {
		long long months, every_km;
		const char *done; long long done_km;
		const char *last; long long last_km;
		long long num, den;
		const char *due; long long due_km; int by; int unknown;
	} t[] = {
		/* the worked example: by time 2026-01-10, by km 2026-01-18 */
		{ 12, 15000, "2025-01-10", 1000, "2025-07-09", 8240, 7240, 180,
		  "2026-01-10", 16000, BY_TIME, 0 },
		/* every_months 24: 2025-07-09 + ceil(7760 / (7240/180)) */
		{ 24, 15000, "2025-01-10", 1000, "2025-07-09", 8240, 7240, 180,
		  "2026-01-18", 16000, BY_KM, 0 },
		/* 50 km/day: by km 334 days after the reading, before time */
		{ 12, 16700, "2025-01-01", 0, "2025-01-31", 0, 50, 1,
		  "2025-12-31", 16700, BY_KM, 0 },
		/* the same day by both: time */
		{ 12, 16750, "2025-01-01", 0, "2025-01-31", 0, 50, 1,
		  "2026-01-01", 16750, BY_TIME, 0 },
		/* 334.02 days, rounded up to 335: the same day: time */
		{ 12, 16701, "2025-01-01", 0, "2025-01-31", 0, 50, 1,
		  "2026-01-01", 16701, BY_TIME, 0 },
		/* days rounded up towards +infinity: -2.5 -> -2 */
		{ 0, 55, "2025-01-01", 0, "2025-01-31", 60, 2, 1,
		  "2025-01-29", 55, BY_KM, 0 },
		{ 0, 54, "2025-01-01", 0, "2025-01-31", 60, 2, 1,
		  "2025-01-28", 54, BY_KM, 0 },
		{ 0, 65, "2025-01-01", 0, "2025-01-31", 60, 2, 1,
		  "2025-02-03", 65, BY_KM, 0 },
		/* month arithmetic keeps the day, clamped */
		{ 1, 0, "2026-01-31", -1, NULL, 0, 40, 1,
		  "2026-02-28", -1, BY_TIME, 0 },
		{ 12, 0, "2024-02-29", -1, NULL, 0, 40, 1,
		  "2025-02-28", -1, BY_TIME, 0 },
		/* a distance-only item done on a row without km: no_km */
		{ 0, 30000, "2025-01-01", -1, "2025-02-01", 1000, 40, 1,
		  NULL, -1, BY_NONE, F_NO_KM },
		/* a vehicle that has not moved: zero_rate, due_km shown */
		{ 0, 30000, "2025-01-01", 1000, "2025-03-01", 1000, 0, 59,
		  NULL, 31000, BY_NONE, F_ZERO_RATE },
		/* a time item of a vehicle that has not moved: time */
		{ 6, 30000, "2025-01-01", 1000, "2025-03-01", 1000, 0, 59,
		  "2025-07-01", 31000, BY_TIME, 0 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct item it = { .months = t[i].months, .km = t[i].every_km };
		struct done dn = { D(t[i].done), t[i].done_km };
		struct reading last = { t[i].last ? D(t[i].last) : 0, t[i].last_km };
		struct rate r = { t[i].num, t[i].den, false };
		struct due du = due_point(&it, dn, t[i].last ? &last : NULL, r);
		day_t want = t[i].due ? D(t[i].due) : DAY_NONE;
		char a[DATE_LEN + 1] = "none";
		if (du.date != DAY_NONE)
			fmt_date(a, du.date);
		CHECK(du.date == want && du.km == t[i].due_km && du.by == t[i].by &&
		    du.unknown == t[i].unknown, "due_point %zu: %s, km %lld, by %d, "
		    "unknown %d", i, a, du.km, du.by, du.unknown);
	}
}

static void
test_item_status(void)
{
	static const struct {
		const char *due; long long due_km, est, lead_days, lead_km;
		long long max_overdue; enum status want;
	} t[] = {
		/* as of 2026-06-10, lead 5 days: -1 overdue, 0 and 5 due_soon,
		 * 6 ok */
		{ "2026-06-09", -1, -1, 5, 1000, -1, ST_OVERDUE },
		{ "2026-06-10", -1, -1, 5, 1000, -1, ST_DUE_SOON },
		{ "2026-06-15", -1, -1, 5, 1000, -1, ST_DUE_SOON },
		{ "2026-06-16", -1, -1, 5, 1000, -1, ST_OK },
		/* within lead_km of due_km: due_soon; one km short: ok */
		{ "2026-08-01", 10000, 9000, 5, 1000, -1, ST_DUE_SOON },
		{ "2026-08-01", 10000, 8999, 5, 1000, -1, ST_OK },
		/* no due date: unknown */
		{ NULL, 31000, 1000, 5, 1000, -1, ST_UNKNOWN },
		/* --max-overdue 30: 30 days overdue is overdue, 31 lapsed */
		{ "2026-05-11", -1, -1, 5, 1000, 30, ST_OVERDUE },
		{ "2026-05-10", -1, -1, 5, 1000, 30, ST_LAPSED },
		{ "2026-06-09", -1, -1, 5, 1000, 0, ST_LAPSED },
		{ "2026-06-10", -1, -1, 5, 1000, 0, ST_DUE_SOON },
	};
	day_t asof = D("2026-06-10");

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct item it = { .lead_days = t[i].lead_days,
		    .lead_km = t[i].lead_km };
		struct due du = { t[i].due ? D(t[i].due) : DAY_NONE, t[i].due_km,
		    BY_TIME, 0 };
		enum status st = item_status(&it, du, t[i].est, asof,
		    t[i].max_overdue);
		CHECK(st == t[i].want, "item_status %zu: %s, expected %s", i,
		    status_name[st], status_name[t[i].want]);
	}
	CHECK(reminds(ST_RECALL) && reminds(ST_OVERDUE) && reminds(ST_DUE_SOON) &&
	    !reminds(ST_OK) && !reminds(ST_UNKNOWN) && !reminds(ST_LAPSED),
	    "reminds: recall, overdue, due_soon only");
}

/* ---- the ledger ---------------------------------------------------------- */

static void
test_ledger_rules(void)
{
	static const struct {
		const char *sent; long long repeat_days; bool hides;
	} h[] = {
		{ "2026-11-01", -1, true },	/* no --repeat-days: for ever */
		{ "2020-01-01", -1, true },
		{ "2026-11-14", 7, true },	/* 6 days old */
		{ "2026-11-13", 7, false },	/* 7 days old: again */
		{ "2026-11-20", 0, false },	/* --repeat-days 0: every night */
	};
	day_t asof = D("2026-11-20");

	for (size_t i = 0; i < sizeof h / sizeof h[0]; i++)
		CHECK(ledger_hides(D(h[i].sent), asof, h[i].repeat_days) ==
		    h[i].hides, "ledger_hides %zu", i);

	static const struct {
		const char *due, *sent, *now_due, *done; bool spent;
	} p[] = {
		/* done after it was sent: the next due date counts from the
		 * visit; the entry can hide nothing any more */
		{ "2026-12-01", "2026-11-05", "2027-11-20", "2026-11-20", true },
		/* done the day it was sent */
		{ "2026-12-01", "2026-11-05", "2027-11-05", "2026-11-05", true },
		/* tonight's due date: it hides tonight's reminder */
		{ "2026-12-01", "2026-11-05", "2026-12-01", "2026-11-20", false },
		/* the due date moved with the readings, no visit since: kept
		 * (it may move back) */
		{ "2026-12-01", "2026-11-05", "2026-12-04", "2025-12-01", false },
		/* done before it was sent (a late export): kept */
		{ "2026-12-01", "2026-11-05", "2027-11-01", "2026-11-01", false },
		/* never done (counts from the earliest row): kept */
		{ "2026-12-01", "2026-11-05", "2026-12-09", NULL, false },
		/* no due date now (done without km): spent */
		{ "2026-12-01", "2026-11-05", NULL, "2026-11-10", true },
	};
	for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
		CHECK(entry_spent(D(p[i].due), D(p[i].sent),
		    p[i].now_due ? D(p[i].now_due) : DAY_NONE,
		    p[i].done ? D(p[i].done) : DAY_NONE) == p[i].spent,
		    "entry_spent %zu", i);

	CHECK(entry_replaces(D("2026-11-01"), D("2026-11-02")),
	    "a newer entry replaces an older one");
	CHECK(entry_replaces(D("2026-11-01"), D("2026-11-01")),
	    "a later row wins a tie");
	CHECK(!entry_replaces(D("2026-11-02"), D("2026-11-01")),
	    "an older entry read later does not replace a newer one");
}

int
main(void)
{
	day_min = days_from_civil(1, 1, 1);
	day_max = days_from_civil(9999, 12, 31);
	test_odometer_place();
	test_odometer_any_order();
	test_rate_est();
	test_due_point();
	test_item_status();
	test_ledger_rules();
	printf("rules-svc-remind: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
