/* svc-remind — maintenance reminders from service history.
 *
 * main() reads as svc-remind(1) does: the options; the tables (schedule,
 * campaigns, the ledger's header); the history, streamed once into
 * per-vehicle state (a table keyed by VIN, in an arena: no allocation per
 * row); every vehicle's items evaluated; the ledger's entries matched
 * against tonight's rows and pruned; the rows sorted and written; the
 * ledger rewritten.  The rules are the functions of "Rules" below, each
 * tested by tests/unit/rules-svc-remind.c.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "csvout.h"
#include "datetime.h"
#include "field.h"
#include "ledger.h"
#include "map.h"
#include "memo.h"
#include "num.h"
#include "opts.h"
#include "pattern.h"
#include "str.h"
#include "stream.h"
#include "util.h"

/* ---- options -------------------------------------------------------- */

enum {
	OPT_PLAN = OPT_PROGRAM, OPT_LEAD_DAYS, OPT_LEAD_KM, OPT_DAILY_KM,
	OPT_MAX_OVERDUE, OPT_ALL, OPT_CAMPAIGNS, OPT_LEDGER, OPT_REPEAT_DAYS,
	OPT_DRY_RUN, OPT_COMMIT, OPT_ALERT
};

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ "schedule",    required_argument, NULL, 's' },
	{ "plan",        required_argument, NULL, OPT_PLAN },
	{ "lead-days",   required_argument, NULL, OPT_LEAD_DAYS },
	{ "lead-km",     required_argument, NULL, OPT_LEAD_KM },
	{ "daily-km",    required_argument, NULL, OPT_DAILY_KM },
	{ "max-overdue", required_argument, NULL, OPT_MAX_OVERDUE },
	{ "all",         no_argument,       NULL, OPT_ALL },
	{ "campaigns",   required_argument, NULL, OPT_CAMPAIGNS },
	{ "ledger",      required_argument, NULL, OPT_LEDGER },
	{ "repeat-days", required_argument, NULL, OPT_REPEAT_DAYS },
	{ "dry-run",     no_argument,       NULL, OPT_DRY_RUN },
	{ "commit",      required_argument, NULL, OPT_COMMIT },
	{ "alert",       no_argument,       NULL, OPT_ALERT },
	{ NULL, 0, NULL, 0 }
};

static const struct opt_help opts_help[] = {
	{ "-s, --schedule FILE", "the maintenance schedule (required, except with --commit)" },
	{ "--plan NAME", "the plan of vehicles without one (default: standard)" },
	{ "--lead-days N", "days before the due date that make it due_soon (default: 30)" },
	{ "--lead-km N", "km before due_km that make it due_soon (default: 1000)" },
	{ "--daily-km N", "km a day without two readings 30 days apart (default: 40)" },
	{ "--max-overdue DAYS", "overdue by more than DAYS: lapsed, written with --all" },
	{ "--all", "also write the ok and lapsed rows" },
	{ "--campaigns FILE", "the recall campaigns" },
	{ "--ledger FILE", "remind once per due date: what was sent" },
	{ "--repeat-days N", "remind again when the last reminder is N days old" },
	{ "--dry-run", "read the ledger, change nothing" },
	{ "--commit FILE", "add FILE's reminders to the ledger as sent; compute nothing" },
	{ "--alert", "exit 3 when a written row is overdue or a recall" },
	{ NULL, NULL }
};

static const struct prog_info info = {
	"svc-remind", NULL,
	"-s SCHEDULE [--plan NAME] [--lead-days N] [--lead-km N] [--daily-km N]\n"
	"       [--max-overdue DAYS] [--all] [--campaigns FILE] [--ledger FILE\n"
	"       [--repeat-days N] [--dry-run]] [--alert] " COMMON_USAGE "\n"
	"       [HISTORY ...]\n"
	"       svc-remind --ledger FILE --commit SENT [-t | -d C] [-q] [--map NAME=COLUMN]\n"
	"       [--na LIST] [--rejects FILE] [--strict] [--as-of WHEN] [--date-format FMT]",
	"Maintenance reminders and open recalls from the service history.",
	opts_help
};

/* Limits that keep every date between 0001 and 9999. */
#define MONTHS_MAX 1200			/* 100 years */

/* ---- the schedule and the campaigns ---------------------------------- */

struct slot {			/* a way to recognise an item in services */
	char *name;
	size_t namelen;
	char *pat_src;		/* NULL: the name only */
	struct pattern *pat;
};

struct item {
	int plan, slot;
	struct str name;	/* as the schedule spells it (NUL-terminated) */
	long long months;	/* 0: none */
	long long km;		/* 0: none */
	long long lead_days, lead_km;
};

struct plan {
	struct str name;	/* NUL-terminated */
	int *items, nitems;
	struct map item_names;	/* ignoring case: index into items[] */
};

struct campaign {
	struct str code, title;	/* NUL-terminated */
	struct pattern *pat;
};

/* ---- per-vehicle state ----------------------------------------------- */

/* An odometer reading that is not a rollback.  12 bytes: a vehicle keeps
 * every one. */
struct reading {
	day_t d;
	long long km;
} __attribute__((packed));

/* The latest row that did an item: a vehicle has one per item. */
struct done {
	day_t d;		/* DAY_NONE: never */
	long long km;		/* -1: no reading, or a rollback */
} __attribute__((packed));

struct vehicle {		/* then its VIN, done[], closed[] */
	uint32_t vinlen;
	uint32_t id;		/* index in vlist */
	uint32_t nrd;		/* readings kept (P.odo.rd[id] too, when all) */
	day_t ed;		/* earliest row (its km: ek) */
	day_t latest;		/* latest row: its passthrough fields */
	day_t plan_d;
	int plan;		/* -1: none given */
	uint32_t rank;		/* place in VIN order, for sorting */
	uint32_t passcap;
	bool rollback;
	struct reading first, last;	/* of the readings kept */
	long long ek;
	long long est;		/* est_km, -1: none */
	uint32_t *pass;		/* npass+1 offsets, then the bytes */
	const char *lfile;	/* latest row, for messages */
	long lline;
};
#define VIN(v) ((const char *)((v) + 1))
#define VINSTR(v) ((struct str){ VIN(v), (v)->vinlen })
#define VINSIZE(n) (((n) + 1 + 7) & ~(size_t)7)
/* The latest row that did each item (slot), after the VIN. */
#define DONE(v) ((struct done *)((char *)((v) + 1) + VINSIZE((v)->vinlen)))
#define CLOSED(v) ((unsigned char *)(DONE(v) + P.nslots))

/* ---- output rows ----------------------------------------------------- */

enum status { ST_RECALL, ST_OVERDUE, ST_DUE_SOON, ST_OK, ST_UNKNOWN,
	ST_LAPSED };
static const char *const status_name[] = {
	"recall", "overdue", "due_soon", "ok", "unknown", "lapsed", NULL
};

enum { BY_NONE, BY_TIME, BY_KM, BY_CAMPAIGN };
static const char *const by_name[] = { "", "time", "km", "campaign" };

/* The note's flags, in the order svc-remind(1) writes them. */
enum { F_DEFAULT_RATE = 1, F_ROLLBACK = 2, F_NO_KM = 4, F_ZERO_RATE = 8 };
static const struct { unsigned flag; struct str name; } note_flags[] = {
	{ F_DEFAULT_RATE, STR_C("default_rate") },
	{ F_ROLLBACK, STR_C("odometer_rollback") },
	{ F_NO_KM, STR_C("no_km") },
	{ F_ZERO_RATE, STR_C("zero_rate") },
};

/* A row to write: small, since there may be millions to sort; the other
 * columns are computed again from the vehicle when it is written. */
struct orow {
	struct vehicle *v;
	day_t due;		/* DAY_NONE: empty */
	int32_t idx;		/* item or campaign */
	uint8_t kind;		/* 0 recall, 1 dated, 2 unknown: the order */
	uint8_t st;		/* enum status */
	uint8_t by;
	uint8_t flags;		/* F_* */
};

/* A ledger entry that matches one of tonight's reminders: the newest. */
struct entry {
	day_t sent;
	size_t lrow;		/* its row, for ledger_drop() */
};

/* The readings between a vehicle's first and last, while they come in date
 * order (see odometer_add): chunks of a log, in the order read, 12 bytes a
 * reading. */
struct logchunk {
	struct logchunk *next;
	uint32_t n;
	struct logged {
		uint32_t id;		/* the vehicle's index in vlist */
		day_t d;
		uint32_t km;		/* above the vehicle's first reading */
	} e[(HUGE_PAGE - 16) / 12];
};

/* ---- the program ----------------------------------------------------- */

struct prog {
	struct app app;
	const char *schedule_path, *campaigns_path, *ledger_path, *commit_path;
	char *plan_arg;
	bool plan_given, all, dry_run, alert;
	long long lead_days, lead_km, daily_km;
	long long repeat_days;	/* -1: no --repeat-days */
	long long max_overdue;	/* -1: no --max-overdue */

	struct slot *slots;
	int nslots, npat;	/* npat: slots with a pattern */
	struct item *items;
	int nitems;
	struct plan *plans;
	int nplans;
	struct map plan_names;	/* ignoring case */
	const char **plan_list;	/* the names, NULL-terminated: get_choice */
	int default_plan;	/* -1: not in the schedule */
	struct campaign *camps;
	int ncamps;
	struct map camp_codes;	/* ignoring case */

	struct stream in;
	int c_vin, c_date, c_km, c_services, c_plan;
	int *pass_cols;
	int npass;

	struct arena arena;
	struct odolog {		/* see odometer_add */
		struct logchunk *head, *tail;
		struct arena mem;	/* the chunks: huge pages, no copy */
		bool all;	/* every vehicle keeps its readings in rd[] */
		struct reading **rd;	/* per vehicle (id): room for
					 * rd_room(nrd); vcap of them */
	} odo;
	/* The VIN table, specialised: each slot keeps the whole hash, so
	 * that a look-up touches one slot and one vehicle, and both are
	 * fetched rows ahead (prefetch_ahead).  Through map.h (an entry, its
	 * key, then the vehicle; nothing fetched ahead) the bench took 36%
	 * longer: 5.44x parse-only against 4.00x. */
	struct vslot { uint64_t tag; struct vehicle *v; } *vtab;
	size_t vtcap;
	struct vehicle **vlist;
	size_t nv, vcap;

	unsigned char *hit;	/* per slot, scratch of one row */
	unsigned char *chit;	/* per campaign */
	unsigned char *pmask;	/* per slot: what the patterns found */
	struct memo *memo;	/* services text -> pmask */
	const char *memo_file;	/* of the file read when it was made */

	struct orow *rows;	/* in the order made */
	size_t nrows, rcap;
	uint32_t *order;	/* rows[order[i]]: the order written */

	struct ledger *ledger;
	struct map entry_keys;	/* (vehicle, item or campaign, due) -> entries[] */
	struct entry *entries;
	size_t nentries, ecap;
};

static struct prog P;
static day_t day_min, day_max;

static const char *const ledger_cols[] = {
	"vin", "service", "due_date", "sent", NULL
};
enum { L_VIN, L_SERVICE, L_DUE, L_SENT };

/* ---- exact arithmetic ------------------------------------------------ */

/* a*b/den rounded half up, or ceil; exact, with a 128-bit fallback. */
static long long
mul_div_round(long long a, long long b, long long den)
{
	long long p;
	if (!__builtin_mul_overflow(a, b, &p))
		return div_round_half_up(p, den);
	__int128 x = (__int128)a * b, q = x / den, rem = x % den;
	if (rem < 0)
		rem = -rem;
	if (2 * rem >= den)
		q += x < 0 ? -1 : 1;
	return q > LLONG_MAX ? LLONG_MAX : q < LLONG_MIN ? LLONG_MIN : (long long)q;
}

static long long
mul_div_ceil(long long a, long long b, long long den)
{
	long long p;
	if (!__builtin_mul_overflow(a, b, &p))
		return div_ceil(p, den);
	__int128 x = (__int128)a * b, q = x / den;
	if (x % den != 0 && x > 0)
		q++;
	return q > LLONG_MAX ? LLONG_MAX : q < LLONG_MIN ? LLONG_MIN : (long long)q;
}

static day_t
clamp_day(long long d)
{
	return d < day_min ? day_min : d > day_max ? day_max : (day_t)d;
}

/* ---- Rules ------------------------------------------------------------ */

/* The rollback rule (svc-remind(1), "Distance per day").  RD[0..*N) are a
 * vehicle's readings that are not rollbacks, in date order and input order
 * within a day, so their km never decrease.  NW, read after all of them,
 * goes after every reading of its date or earlier.  It is a rollback when
 * it is lower than the reading before that place: FOUND(CTX, that one, NW),
 * and false.  Otherwise it goes in, and the readings after it that are
 * lower than it are rollbacks now (a reading lower than an earlier one,
 * whatever the order they were read in): FOUND(CTX, NW, each), removed.
 * A rollback stays one, since later readings only add earlier ones.  RD
 * has room for one more. */
static bool
odometer_place(struct reading *rd, uint32_t *n, struct reading nw,
    void (*found)(void *ctx, const struct reading *hi, const struct reading *lo),
    void *ctx)
{
	uint32_t at = *n, end;

	while (at > 0 && rd[at - 1].d > nw.d)	/* in date order: no step */
		at--;
	if (at > 0 && nw.km < rd[at - 1].km) {
		found(ctx, &rd[at - 1], &nw);
		return false;
	}
	for (end = at; end < *n && rd[end].km < nw.km; end++)
		found(ctx, &nw, &rd[end]);
	memmove(&rd[at + 1], &rd[end], (*n - end) * sizeof *rd);
	rd[at] = nw;
	*n = *n - (end - at) + 1;
	return true;
}

/* The rate, km a day, as an exact fraction: from the first and the last
 * reading when they are at least 30 days apart; otherwise --daily-km,
 * and the note default_rate. */
struct rate {
	long long num, den;
	bool fallback;
};

static struct rate
rate_of(const struct reading *first, const struct reading *last,
    long long daily_km)
{
	if (first != NULL && (long long)last->d - first->d >= 30)
		return (struct rate){ last->km - first->km,
		    (long long)last->d - first->d, false };
	return (struct rate){ daily_km, 1, true };
}

/* est_km: the last reading plus the rate times the days from it to AS_OF,
 * rounded to the nearest integer, halves up; never less than the last
 * reading.  -1 without a reading. */
static long long
est_km(const struct reading *last, struct rate r, day_t asof)
{
	if (last == NULL)
		return -1;
	long long days = (long long)asof - last->d;
	if (days <= 0)
		return last->km;
	long long add = mul_div_round(r.num, days, r.den);
	return add > COUNT_MAX * 10 ? COUNT_MAX * 10 : last->km + add;
}

/* An item's due point (svc-remind(1), "When an item is due"). */
struct due {
	day_t date;		/* DAY_NONE: neither point exists */
	long long km;		/* due_km, -1: none */
	uint8_t by;		/* BY_TIME, BY_KM, or BY_NONE */
	uint8_t unknown;	/* why no date: F_NO_KM or F_ZERO_RATE */
};

/* By time, every_months after the last-done date; by distance, due_km =
 * the last-done km + every_km, reached at the rate after the last reading
 * LAST (the days rounded up, towards +infinity).  The earlier of the two
 * counts, time on a tie.  Neither: no_km (the last-done row has no km) or
 * zero_rate (the vehicle has not moved). */
static struct due
due_point(const struct item *it, struct done last_done,
    const struct reading *last, struct rate r)
{
	struct due du = { DAY_NONE, -1, BY_NONE, 0 };
	day_t by_time = DAY_NONE, by_km = DAY_NONE;

	if (it->months > 0)
		by_time = clamp_day(date_add_months(last_done.d, (int)it->months));
	if (it->km > 0 && last_done.km >= 0) {
		du.km = last_done.km + it->km;
		if (r.num > 0)
			by_km = clamp_day((long long)last->d +
			    mul_div_ceil(du.km - last->km, r.den, r.num));
	}
	if (by_time != DAY_NONE && (by_km == DAY_NONE || by_time <= by_km)) {
		du.date = by_time;
		du.by = BY_TIME;
	} else if (by_km != DAY_NONE) {
		du.date = by_km;
		du.by = BY_KM;
	} else
		du.unknown = last_done.km < 0 ? F_NO_KM : F_ZERO_RATE;
	return du;
}

/* An item's status on AS_OF: overdue once its due date has passed
 * (lapsed when by more than MAX_OVERDUE days, if not -1); due_soon within
 * lead_days of it, or when est_km is within lead_km of due_km; ok
 * otherwise; unknown without a due date. */
static enum status
item_status(const struct item *it, struct due du, long long est, day_t asof,
    long long max_overdue)
{
	if (du.date == DAY_NONE)
		return ST_UNKNOWN;
	long long left = (long long)du.date - asof;
	if (left < 0)
		return max_overdue >= 0 && left < -max_overdue ? ST_LAPSED :
		    ST_OVERDUE;
	if (left <= it->lead_days || (du.km >= 0 && est >= du.km - it->lead_km))
		return ST_DUE_SOON;
	return ST_OK;
}

/* Is the status a reminder: written for a customer, recorded in the
 * ledger, hidden by it? */
static bool
reminds(enum status st)
{
	return st == ST_RECALL || st == ST_OVERDUE || st == ST_DUE_SOON;
}

/* Does a ledger entry of the reminder, newest sent SENT, hide it on AS_OF?
 * Yes, unless --repeat-days N (not -1) and SENT is N days old or more. */
static bool
ledger_hides(day_t sent, day_t asof, long long repeat_days)
{
	return repeat_days < 0 || (long long)sent > (long long)asof - repeat_days;
}

/* The ledger's prune rule for an entry (DUE, SENT) of an item of a
 * vehicle of tonight's history: it can hide nothing any more when it does
 * not hide tonight's reminder (the item's due date is now NOW_DUE) and a
 * row did the item on or after the day it was sent (DONE, DAY_NONE:
 * never): the reminder was about a service done since, and the next one
 * counts from that visit.  (A due date that moved without a visit, with
 * the readings, keeps its entry: it may move back.) */
static bool
entry_spent(day_t due, day_t sent, day_t now_due, day_t done)
{
	return now_due != due && done != DAY_NONE && done >= sent;
}

/* Of two entries of one reminder, does the one read later (sent LATER)
 * replace the earlier one (sent EARLIER)?  The newest sent counts; a later
 * row wins a tie. */
static bool
entry_replaces(day_t earlier, day_t later)
{
	return later >= earlier;
}

/* ---- reading the schedule and the campaigns -------------------------- */

static int
plan_add(struct str name)
{
	bool isnew;
	size_t *k = map_put(&P.plan_names, name, (size_t)P.nplans, &isnew);

	if (!isnew)
		return (int)*k;
	P.plans = xrealloc(P.plans, (P.nplans + 1) * sizeof *P.plans);
	P.plan_list = xrealloc(P.plan_list, (P.nplans + 2) * sizeof *P.plan_list);
	struct plan *p = &P.plans[P.nplans];
	memset(p, 0, sizeof *p);
	p->name = (struct str){ xmemdup(name.p, name.n), name.n };
	map_init(&p->item_names, true);
	P.plan_list[P.nplans] = p->name.p;
	P.plan_list[P.nplans + 1] = NULL;
	return P.nplans++;
}

/* The slot of an item: one per name and pattern, shared by plans. */
static int
slot_of(struct str name, struct str pat, const struct record *r,
    const char *patcol)
{
	for (int s = 0; s < P.nslots; s++)
		if (str_eq_cstr_ci(name, P.slots[s].name) &&
		    (P.slots[s].pat_src ? pat.n > 0 &&
		    str_eq(pat, str_of(P.slots[s].pat_src)) : pat.n == 0))
			return s;
	P.slots = xrealloc(P.slots, (P.nslots + 1) * sizeof *P.slots);
	struct slot *sl = &P.slots[P.nslots];
	sl->name = xmemdup(name.p, name.n);
	sl->namelen = name.n;
	sl->pat_src = NULL;
	sl->pat = NULL;
	if (pat.n > 0) {
		char what[512];
		snprintf(what, sizeof what, "%s:%ld: %s", r->file, r->line, patcol);
		sl->pat_src = xmemdup(pat.p, pat.n);
		sl->pat = pattern_compile(pat.p, pat.n, true, what);
		P.npat++;
	}
	return P.nslots++;
}

/* An interval of the schedule: empty (DFLT), or a whole number from MIN
 * to MAX. */
static long long
interval(struct row *w, int col, long long dflt, long long min, long long max,
    const char *unit)
{
	long long v = dflt;

	if (get_count(w, col, OPTIONAL, &v) != 1 || (v >= min && v <= max))
		return v;
	if (max < COUNT_MAX)
		row_bad(w, col, "out of range", "expected a whole number of %s "
		    "from %lld to %lld", unit, min, max);
	row_bad(w, col, "out of range", "expected a whole number of %s, %lld "
	    "or more", unit, min);
	return v;
}

struct sched_cols { int plan, service, months, km, lead_days, lead_km, pattern; };

static void
schedule_row(struct row *w, const struct sched_cols *c)
{
	struct str plan, name, pat = { "", 0 };
	struct item it = { 0 };

	get_str(w, c->plan, REQUIRED, &plan);
	get_str(w, c->service, REQUIRED, &name);
	if (str_eq(name, STR_C("*")))
		row_bad(w, c->service, "reserved name", "'*' means every item");
	it.months = interval(w, c->months, 0, 1, MONTHS_MAX, "months");
	it.km = interval(w, c->km, 0, 1, COUNT_MAX, "km");
	if (it.months == 0 && it.km == 0)
		row_fail(w, "every_months, every_km: both empty (one of them "
		    "is needed)");
	it.lead_days = interval(w, c->lead_days, P.lead_days, 0, COUNT_MAX, "days");
	it.lead_km = interval(w, c->lead_km, P.lead_km, 0, COUNT_MAX, "km");
	get_str(w, c->pattern, OPTIONAL, &pat);
	it.plan = plan_add(plan);
	struct plan *pp = &P.plans[it.plan];
	bool isnew;
	map_put(&pp->item_names, name, (size_t)pp->nitems, &isnew);
	if (!isnew) {
		char buf[256];
		row_fail(w, "%s: '%s' is already an item of plan '%s'",
		    stream_colname(w->s, c->service),
		    str_msg(buf, sizeof buf, name), pp->name.p);
	}
	it.slot = slot_of(name, pat, w->r, c->pattern >= 0 ?
	    stream_colname(w->s, c->pattern) : "pattern");
	it.name = (struct str){ xmemdup(name.p, name.n), name.n };
	P.items = xrealloc(P.items, (P.nitems + 1) * sizeof *P.items);
	P.items[P.nitems] = it;
	pp->items = xrealloc(pp->items, (pp->nitems + 1) * sizeof *pp->items);
	pp->items[pp->nitems++] = P.nitems++;
}

static void
read_schedule(void)
{
	struct stream t;
	struct record r;
	struct row w;
	struct sched_cols c;
	const struct column spec[] = {
		{ "plan", true, &c.plan }, { "service", true, &c.service },
		{ "every_months", false, &c.months }, { "every_km", false, &c.km },
		{ "lead_days", false, &c.lead_days }, { "lead_km", false, &c.lead_km },
		{ "pattern", false, &c.pattern }, { NULL, false, NULL }
	};

	table_open(&t, P.schedule_path, "schedule");
	if (stream_empty(&t))
		fatal("%s: an empty schedule (no plan has an item)", P.schedule_path);
	stream_columns(&t, spec);
	if (c.months < 0 && c.km < 0)
		stream_need(&t, "every_months");
	while (stream_next(&t, &r))
		if (row_start(&w, &P.app, &t, &r, ROW_CONFIG))
			schedule_row(&w, &c);
	stream_close(&t);
	long k = map_index(&P.plan_names, str_of(P.plan_arg));
	P.default_plan = (int)k;
	if (P.plan_given && k < 0) {
		char list[512];
		size_t n = 0;
		list[0] = '\0';
		for (int i = 0; i < P.nplans && n + 4 < sizeof list; i++)
			n += (size_t)snprintf(list + n, sizeof list - n, "%s%s",
			    i ? ", " : "", P.plans[i].name.p);
		warnmsg("--plan: unknown plan '%s' (expected one of: %s)",
		    P.plan_arg, list);
		usage();
	}
}

static void
read_campaigns(void)
{
	struct stream t;
	struct record r;
	struct row w;
	int c_code, c_pat, c_title;
	const struct column spec[] = {
		{ "campaign", true, &c_code }, { "vin_pattern", true, &c_pat },
		{ "title", false, &c_title }, { NULL, false, NULL }
	};

	table_open(&t, P.campaigns_path, "campaigns");
	stream_columns(&t, spec);
	while (stream_next(&t, &r)) {
		struct str code, pat;
		bool isnew;
		if (!row_start(&w, &P.app, &t, &r, ROW_CONFIG))
			continue;
		get_str(&w, c_code, REQUIRED, &code);
		get_str(&w, c_pat, REQUIRED, &pat);
		if (str_eq(code, STR_C("*")))
			row_bad(&w, c_code, "reserved name", "'*' means every item");
		map_put(&P.camp_codes, code, (size_t)P.ncamps, &isnew);
		if (!isnew)
			row_bad(&w, c_code, "duplicate campaign", NULL);
		P.camps = xrealloc(P.camps, (P.ncamps + 1) * sizeof *P.camps);
		struct campaign *c = &P.camps[P.ncamps++];
		struct str title = row_text(&w, c_title);  /* written as it is */
		char what[512];
		c->code = (struct str){ xmemdup(code.p, code.n), code.n };
		c->title = (struct str){ xmemdup(title.p, title.n), title.n };
		snprintf(what, sizeof what, "%s:%ld: %s", r.file, r.line,
		    stream_colname(&t, c_pat));
		c->pat = pattern_compile(pat.p, pat.n, true, what);
	}
	stream_close(&t);
}

/* ---- vehicles --------------------------------------------------------- */

static void
vtab_grow(void)
{
	size_t cap = P.vtcap ? P.vtcap * 2 : 1024;
	struct vslot *t;
	if (cap * sizeof *t >= HUGE_PAGE) {
		t = huge_alloc(cap * sizeof *t);
		memset(t, 0, cap * sizeof *t);
	} else
		t = xcalloc(cap, sizeof *t);
	/* The slots keep the whole hash: the vehicles themselves (scattered
	 * over the arena) are not touched. */
	for (size_t i = 0; i < P.vtcap; i++) {
		if (P.vtab[i].v == NULL)
			continue;
		size_t j = P.vtab[i].tag & (cap - 1);
		while (t[j].v != NULL)
			j = (j + 1) & (cap - 1);
		t[j] = P.vtab[i];
	}
	free(P.vtab);
	P.vtab = t;
	P.vtcap = cap;
}

/* The slot of VIN (hash H): its vehicle's, or the empty one where it
 * would go. */
static inline struct vslot *
vslot_of(struct str vin, uint64_t h)
{
	for (size_t j = h & (P.vtcap - 1);; j = (j + 1) & (P.vtcap - 1)) {
		struct vslot *sl = &P.vtab[j];
		if (sl->v == NULL || (sl->tag == h && sl->v->vinlen == vin.n &&
		    memcmp(VIN(sl->v), vin.p, vin.n) == 0))
			return sl;
	}
}

/* The vehicle of VIN, or NULL when it has no row tonight. */
static struct vehicle *
vehicle_find(struct str vin)
{
	return P.vtcap == 0 ? NULL : vslot_of(vin, str_hash(vin))->v;
}

/* Rows of one vehicle are far apart in a history sorted by date, so each
 * look-up misses the cache twice (the table slot, then the vehicle).
 * Start both memory accesses a few rows early: the slot of the row ten
 * ahead, the vehicle of the row three ahead (whose slot is cached by now). */
static void
prefetch_ahead(void)
{
	struct str vin = stream_peek_field(&P.in, 10, P.c_vin);
	if (vin.p != NULL && P.vtcap > 0) {
		vin = str_trim(vin);
		__builtin_prefetch(&P.vtab[str_hash(vin) & (P.vtcap - 1)]);
	}
	vin = stream_peek_field(&P.in, 3, P.c_vin);
	if (vin.p != NULL && P.vtcap > 0) {
		vin = str_trim(vin);
		uint64_t h = str_hash(vin);
		const struct vslot *sl = &P.vtab[h & (P.vtcap - 1)];
		if (sl->v != NULL && sl->tag == h) {
			/* A row touches most of the vehicle: the hot fields, the
			 * VIN, done[], the readings, the passthrough fields. */
			const char *p = (const char *)sl->v;
			for (int k = 0; k < 6; k++)
				__builtin_prefetch(p + 64 * k);
		}
	}
}

static size_t
pass_size(const struct record *r)
{
	size_t n = (P.npass + 1) * sizeof(uint32_t);
	for (int i = 0; i < P.npass; i++)
		n += r->f[P.pass_cols[i]].n;
	return n;
}

/* A new vehicle, in one block of the arena: the struct, the VIN, the
 * per-item state, the campaign bits, the first readings and room for the
 * passthrough fields of R. */
static struct vehicle *
vehicle_new(struct str vin, const struct record *r)
{
	size_t vinsz = VINSIZE(vin.n);
	size_t donesz = P.nslots * sizeof(struct done);
	size_t closedsz = (((size_t)P.ncamps + 7) / 8 + 7) & ~(size_t)7;
	size_t pass = pass_size(r) + 8;	/* room for a slightly longer row
					 * (and the arena rounds up to 16) */
	size_t sz = sizeof(struct vehicle) + vinsz + donesz + closedsz;
	struct vehicle *v = arena_alloc(&P.arena, sz + pass);
	char *vb = (char *)(v + 1);

	memset(v, 0, sz);
	memcpy(vb, vin.p, vin.n);
	vb[vin.n] = '\0';
	v->vinlen = (uint32_t)vin.n;
	v->id = (uint32_t)P.nv;
	v->ed = v->latest = v->plan_d = DAY_NONE;
	v->ek = v->est = -1;
	v->plan = -1;
	for (int i = 0; i < P.nslots; i++)
		DONE(v)[i] = (struct done){ DAY_NONE, -1 };
	v->pass = (uint32_t *)((char *)v + sz);
	v->passcap = (uint32_t)pass;
	if (P.nv == P.vcap) {
		P.vcap = P.vcap ? P.vcap * 2 : 1024;
		P.vlist = xrealloc(P.vlist, P.vcap * sizeof *P.vlist);
		if (P.odo.all) {
			P.odo.rd = xrealloc(P.odo.rd, P.vcap * sizeof *P.odo.rd);
			memset(P.odo.rd + P.nv, 0,
			    (P.vcap - P.nv) * sizeof *P.odo.rd);
		}
	}
	P.vlist[P.nv++] = v;
	return v;
}

/* The vehicle of VIN, created when new. */
static struct vehicle *
vehicle_get(struct str vin, const struct record *r)
{
	if ((P.nv + 1) * 4 > P.vtcap * 3)
		vtab_grow();
	uint64_t h = str_hash(vin);
	struct vslot *sl = vslot_of(vin, h);
	if (sl->v == NULL) {
		sl->v = vehicle_new(vin, r);
		sl->tag = h;
	}
	return sl->v;
}

/* A rollback found: warn (once per reading ignored), mark the vehicle, and
 * forget the km of a row that did an item at that reading.  Its date and
 * km name it: the readings kept that are equal to it are next to it, and
 * lower than the reading that removes it, so all go together (a row whose
 * reading was a rollback when read has no km in done[] already). */
struct rollback_ctx {
	struct vehicle *v;
	const struct record *r;
};

static void
rollback_found(void *arg, const struct reading *hi, const struct reading *lo)
{
	struct rollback_ctx *c = arg;
	struct vehicle *v = c->v;
	char a[DATE_LEN + 1], b[DATE_LEN + 1], vin[256];

	fmt_date(a, hi->d);
	fmt_date(b, lo->d);
	warning("%s:%ld: %s: odometer rollback from %lld (%s) to %lld (%s); "
	    "reading ignored", c->r->file, c->r->line,
	    str_msg(vin, sizeof vin, VINSTR(v)), hi->km, a, lo->km, b);
	v->rollback = true;
	for (int s = 0; s < P.nslots; s++)
		if (DONE(v)[s].d == lo->d && DONE(v)[s].km == lo->km)
			DONE(v)[s].km = -1;
}

/* The room of a vehicle's array of readings holding N: 4, or the power of
 * two from N up. */
static uint32_t
rd_room(uint32_t n)
{
	uint32_t cap = 4;
	while (cap < n)
		cap *= 2;
	return cap;
}

/* Room in a vehicle's array of readings for one more. */
static struct reading *
readings_room(struct vehicle *v)
{
	struct reading **rd = &P.odo.rd[v->id];

	if (*rd != NULL && v->nrd < rd_room(v->nrd))
		return *rd;
	if (v->nrd > UINT32_MAX / 4)
		fatal("too many readings of one vehicle");
	struct reading *n = arena_alloc(&P.arena,
	    rd_room(v->nrd + 1) * sizeof *n);
	if (v->nrd > 0)
		memcpy(n, *rd, v->nrd * sizeof *n);
	return *rd = n;
}

static void
log_reading(struct odolog *lg, const struct vehicle *v)
{
	const size_t room = sizeof lg->tail->e / sizeof lg->tail->e[0];

	if (lg->tail == NULL || lg->tail->n == room) {
		struct logchunk *c = arena_alloc(&lg->mem, sizeof *c);
		c->next = NULL;
		c->n = 0;
		if (lg->tail != NULL)
			lg->tail->next = c;
		else
			lg->head = c;
		lg->tail = c;
	}
	lg->tail->e[lg->tail->n++] = (struct logged){ v->id, v->last.d,
	    (uint32_t)(v->last.km - v->first.km) };
}

/* The first reading out of date order: from now on every vehicle keeps
 * its readings in an array of its own: the first, those of the log, the
 * last. */
static void
odometer_all(void)
{
	struct odolog *lg = &P.odo;
	uint32_t *fill = xcalloc(P.nv + 1, sizeof *fill);

	lg->rd = xcalloc(P.vcap + 1, sizeof *lg->rd);
	for (size_t i = 0; i < P.nv; i++) {
		struct vehicle *v = P.vlist[i];
		uint32_t n = v->nrd;
		struct reading *rd = arena_alloc(&P.arena,
		    rd_room(n + 1) * sizeof *rd);
		if (n > 0)
			rd[0] = v->first;
		if (n > 1)
			rd[n - 1] = v->last;
		lg->rd[i] = rd;
		fill[i] = 1;		/* the log fills rd[1 .. n-2] */
	}
	for (const struct logchunk *c = lg->head; c != NULL; c = c->next)
		for (uint32_t i = 0; i < c->n; i++) {
			uint32_t id = c->e[i].id;
			lg->rd[id][fill[id]++] = (struct reading){ c->e[i].d,
			    P.vlist[id]->first.km + c->e[i].km };
		}
	free(fill);
	arena_free(&lg->mem);
	lg->head = lg->tail = NULL;
	lg->all = true;
}

/* Add a reading of row R; false when it is a rollback.  While each
 * vehicle's readings come in date order (a history sorted by date, the
 * usual export), a reading goes after the last one (odometer_place with no
 * step back and nothing after it), and the vehicle needs no more than its
 * first and last reading: the ones between go to a log, sequential memory,
 * in case a reading comes out of date order later; then they all move to
 * arrays of their vehicles (odometer_all), and the rule runs on those. */
static bool
odometer_add(struct vehicle *v, const struct record *r, day_t d, long long km)
{
	struct reading nw = { d, km };
	struct rollback_ctx ctx = { v, r };
	struct odolog *lg = &P.odo;

	if (!lg->all && v->nrd > 0 && (d < v->last.d ||
	    (km > v->first.km && km - v->first.km > UINT32_MAX)))
		odometer_all();		/* (or a reading the log cannot hold) */
	if (!lg->all) {
		if (v->nrd > 0 && km < v->last.km) {
			rollback_found(&ctx, &v->last, &nw);
			return false;
		}
		if (v->nrd >= 2)	/* the last one is one between now */
			log_reading(lg, v);
		if (v->nrd++ == 0)
			v->first = nw;
		v->last = nw;
		return true;
	}
	struct reading *rd = readings_room(v);
	bool ok = odometer_place(rd, &v->nrd, nw, rollback_found, &ctx);
	v->first = rd[0];
	v->last = rd[v->nrd - 1];
	return ok;
}

static void
keep_passthrough(struct vehicle *v, const struct record *r)
{
	size_t need = pass_size(r);
	if (need > v->passcap) {
		size_t cap = (size_t)v->passcap * 2 > need ? (size_t)v->passcap * 2 : need;
		v->pass = arena_alloc(&P.arena, cap);
		v->passcap = (uint32_t)cap;
	}
	char *bytes = (char *)(v->pass + P.npass + 1);
	uint32_t off = 0;
	for (int i = 0; i < P.npass; i++) {
		struct str s = r->f[P.pass_cols[i]];
		v->pass[i] = off;
		memcpy(bytes + off, s.p, s.n);
		off += s.n;
	}
	v->pass[P.npass] = off;
}

/* ---- the history ------------------------------------------------------ */

/* What a visit did. */
struct visit {
	bool any;		/* some item or campaign */
	bool star;		/* '*': every item */
};

/* Which slots' patterns match the services text of W: a mask of nslots
 * bytes, or NULL when a pattern hit PCRE2's limits (*bad: the slot).
 * Free-text services come from a small vocabulary: a text is matched once
 * per file (memo.h), not once per row.  Once per file, so that a text is
 * checked for UTF-8 once per file too: its first such text warns. */
static const unsigned char *
pattern_hits(struct row *w, int *bad)
{
	struct str text = w->r->f[P.c_services];
	uint64_t h;
	const unsigned char *m;

	if (w->r->file != P.memo_file) {
		memo_free(P.memo);
		P.memo = memo_new((size_t)P.nslots);
		P.memo_file = w->r->file;
	}
	if ((m = memo_get(P.memo, text, &h)) != NULL)
		return m;
	text = row_text(w, P.c_services);
	for (int s = 0; s < P.nslots; s++) {
		P.pmask[s] = 0;
		if (P.slots[s].pat == NULL)
			continue;
		int k = pattern_match(P.slots[s].pat, text.p, text.n);
		if (k == -1) {
			*bad = s;
			return NULL;
		}
		P.pmask[s] = k == 1;
	}
	memo_put(P.memo, text, h, P.pmask);
	return P.pmask;
}

/* A visit did an item when one of its ';'-separated codes is the item's
 * name or '*', or when the item's pattern matches the services text; it
 * closed a campaign when a code is the campaign's.  Sets P.hit, P.chit;
 * false when the row was rejected (a pattern hit its limits). */
static bool
visit_services(struct row *w, struct visit *vis)
{
	*vis = (struct visit){ false, false };
	if (row_value(w, P.c_services).n == 0)
		return true;
	struct str rest = w->r->f[P.c_services], tok;
	memset(P.hit, 0, P.nslots);
	memset(P.chit, 0, P.ncamps);
	while (str_next_token(&rest, ';', &tok)) {
		tok = str_trim(tok);
		if (tok.n == 0)
			continue;
		if (str_eq(tok, STR_C("*"))) {
			vis->star = vis->any = true;
			continue;
		}
		for (int s = 0; s < P.nslots; s++)
			if (tok.n == P.slots[s].namelen &&
			    str_eq_ci(tok, (struct str){ P.slots[s].name, tok.n }))
				P.hit[s] = vis->any = true;
		long c = P.ncamps ? map_index(&P.camp_codes, tok) : -1;
		if (c >= 0)
			P.chit[c] = vis->any = true;
	}
	if (vis->star || P.npat == 0)
		return true;
	int bad = 0;
	const unsigned char *m = pattern_hits(w, &bad);
	if (m == NULL) {
		row_fail(w, "%s: match limit hit by pattern '%s'",
		    stream_colname(w->s, P.c_services), P.slots[bad].pat_src);
		return false;
	}
	for (int s = 0; s < P.nslots; s++)
		if (m[s])
			P.hit[s] = vis->any = true;
	return true;
}

/* A row of a vehicle: its reading, earliest and latest row, plan, and what
 * it did.  Rows count in date order, input order within a day. */
static void
vehicle_row(struct vehicle *v, const struct record *r, day_t d, long long km,
    int plan, const struct visit *vis)
{
	if (km >= 0 && !odometer_add(v, r, d, km))
		km = -1;		/* a rollback is ignored everywhere */
	if (v->ed == DAY_NONE || d < v->ed) {
		v->ed = d;
		v->ek = km;
	}
	if (d >= v->latest) {
		v->latest = d;
		v->lfile = r->file;
		v->lline = r->line;
		keep_passthrough(v, r);
	}
	if (plan >= 0 && d >= v->plan_d) {
		v->plan = plan;
		v->plan_d = d;
	}
	if (!vis->any)
		return;
	for (int s = 0; s < P.nslots; s++)
		if ((vis->star || P.hit[s]) && d >= DONE(v)[s].d)
			DONE(v)[s] = (struct done){ d, km };
	for (int c = 0; c < P.ncamps; c++)
		if (P.chit[c])
			CLOSED(v)[c / 8] |= 1u << (c % 8);
}

static void
history_row(const struct record *r)
{
	struct row w;
	struct str vin;
	struct visit vis;
	day_t d;
	long long km = -1;
	int plan = -1;

	if (!row_start(&w, &P.app, &P.in, r, ROW_STREAM) ||
	    get_str(&w, P.c_vin, REQUIRED, &vin) < 0 ||
	    get_date(&w, P.c_date, REQUIRED, &d) < 0 ||
	    get_count(&w, P.c_km, OPTIONAL, &km) < 0 ||
	    get_choice(&w, P.c_plan, OPTIONAL, "plan", P.plan_list, &plan) < 0 ||
	    !visit_services(&w, &vis))
		return;
	vehicle_row(vehicle_get(vin, r), r, d, km, plan, &vis);
}

static const char *const out_names[] = {
	"vin", "plan", "service", "status", "due_date", "days_left", "due_km",
	"km_left", "est_km", "due_by", "last_done_date", "last_done_km", "note"
};
#define NOUT (sizeof out_names / sizeof out_names[0])

static bool
is_out_name(struct str h)
{
	h = str_trim(h);
	for (size_t i = 0; i < NOUT; i++)
		if (str_eq_cstr_ci(h, out_names[i]))
			return true;
	return false;
}

static void
open_history(char **files, int nfiles)
{
	struct app *a = &P.app;
	const struct column spec[] = {
		{ "vin", true, &P.c_vin }, { "date", true, &P.c_date },
		{ "km", false, &P.c_km }, { "services", false, &P.c_services },
		{ "plan", false, &P.c_plan }, { NULL, false, NULL }
	};

	stream_open(&P.in, files, nfiles, a->opt.dialect, a->opt.map,
	    a->opt.nmap);
	stream_columns(&P.in, spec);
	P.pass_cols = xcalloc(P.in.header.nf + 1, sizeof *P.pass_cols);
	for (size_t i = 0; i < P.in.header.nf; i++) {
		int c = (int)i;
		if (c == P.c_vin || c == P.c_date || c == P.c_km ||
		    c == P.c_services || c == P.c_plan ||
		    is_out_name(P.in.header.f[i]))
			continue;
		P.pass_cols[P.npass++] = c;
	}
	a->rej_header = P.in.header;
	a->opt.dialect = P.in.dialect;
}

static void
stream_history(void)
{
	struct record rec;

	P.hit = xcalloc(P.nslots + 1, 1);
	P.pmask = xcalloc(P.nslots + 1, 1);
	P.chit = xcalloc(P.ncamps + 1, 1);
	while (stream_next(&P.in, &rec)) {
		prefetch_ahead();
		history_row(&rec);
	}
}

/* ---- evaluation --------------------------------------------------------- */

static const struct reading *
first_reading(const struct vehicle *v)
{
	return v->nrd ? &v->first : NULL;
}

static const struct reading *
last_reading(const struct vehicle *v)
{
	return v->nrd ? &v->last : NULL;
}

static int
plan_of(const struct vehicle *v)
{
	return v->plan >= 0 ? v->plan : P.default_plan;
}

/* When IT was last done: the latest row that did it, else the vehicle's
 * earliest row (the schedule counts from delivery, or the first visit). */
static struct done
last_done(const struct vehicle *v, const struct item *it)
{
	struct done dn = DONE(v)[it->slot];
	if (dn.d == DAY_NONE)
		dn = (struct done){ v->ed, v->ek };
	return dn;
}

static struct due
item_due(const struct vehicle *v, const struct item *it)
{
	return due_point(it, last_done(v, it), last_reading(v),
	    rate_of(first_reading(v), last_reading(v), P.daily_km));
}

static void
add_row(const struct orow *o)
{
	if (P.nrows == P.rcap) {
		P.rcap = P.rcap ? P.rcap * 2 : 1024;
		P.rows = xrealloc(P.rows, P.rcap * sizeof *P.rows);
	}
	P.rows[P.nrows++] = *o;
}

static bool
campaign_closed(const struct vehicle *v, int c)
{
	return CLOSED(v)[c / 8] & (1u << (c % 8));
}

/* The open recalls of a vehicle whose VIN a campaign's pattern matches. */
static void
evaluate_recalls(struct vehicle *v, day_t asof)
{
	for (int c = 0; c < P.ncamps; c++) {
		if (campaign_closed(v, c))
			continue;
		int m = pattern_match(P.camps[c].pat, VIN(v), v->vinlen);
		if (m == -1)
			app_table_reject(&P.app, v->lfile, v->lline,
			    "vin: match limit hit by pattern '%s' of campaign '%s'",
			    pattern_source(P.camps[c].pat), P.camps[c].code.p);
		if (m == 1)
			add_row(&(struct orow){ .v = v, .kind = 0, .idx = c,
			    .st = ST_RECALL, .by = BY_CAMPAIGN, .due = asof });
	}
}

static void
evaluate(struct vehicle *v)
{
	day_t asof = P.app.opt.as_of_date;
	int plan = plan_of(v);
	struct rate r = rate_of(first_reading(v), last_reading(v), P.daily_km);
	unsigned vflags = (r.fallback ? F_DEFAULT_RATE : 0) |
	    (v->rollback ? F_ROLLBACK : 0);

	v->est = est_km(last_reading(v), r, asof);
	evaluate_recalls(v, asof);
	if (plan < 0) {
		char buf[256], vin[256];
		app_table_reject(&P.app, v->lfile, v->lline,
		    "%s: no plan, and the default plan '%s' is not in the schedule",
		    str_msg(vin, sizeof vin, VINSTR(v)),
		    str_msg(buf, sizeof buf, str_of(P.plan_arg)));
		return;
	}
	const struct plan *pp = &P.plans[plan];
	for (int i = 0; i < pp->nitems; i++) {
		const struct item *it = &P.items[pp->items[i]];
		struct due du = due_point(it, last_done(v, it), last_reading(v), r);
		enum status st = item_status(it, du, v->est, asof, P.max_overdue);
		if ((st == ST_OK || st == ST_LAPSED) && !P.all)
			continue;
		add_row(&(struct orow){ .v = v, .kind = st == ST_UNKNOWN ? 2 : 1,
		    .idx = pp->items[i], .st = st, .by = du.by, .due = du.date,
		    .flags = vflags | du.unknown });
	}
}

/* For sorting the vehicles by VIN: the first 16 bytes as big-endian
 * integers, so that most comparisons touch no vehicle. */
struct vkey {
	uint64_t a, b;
	struct vehicle *v;
};

static uint64_t
be64(const char *p, size_t n)
{
	uint64_t x = 0;
	for (size_t i = 0; i < 8; i++)
		x = x << 8 | (i < n ? (unsigned char)p[i] : 0);
	return x;
}

static int
vkey_cmp(const void *pa, const void *pb)
{
	const struct vkey *a = pa, *b = pb;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return str_cmp(VINSTR(a->v), VINSTR(b->v));
}

/* Evaluate the vehicles in VIN order, so that the rows come out ordered
 * by VIN and schedule (or campaigns-file) order. */
static void
evaluate_vehicles(void)
{
	struct vkey *byvin = xcalloc(P.nv + 1, sizeof *byvin);

	for (size_t i = 0; i < P.nv; i++) {
		struct vehicle *v = P.vlist[i];
		byvin[i].a = be64(VIN(v), v->vinlen);
		byvin[i].b = v->vinlen > 8 ? be64(VIN(v) + 8, v->vinlen - 8) : 0;
		byvin[i].v = v;
	}
	if (P.nv > 0)
		qsort(byvin, P.nv, sizeof *byvin, vkey_cmp);
	for (size_t i = 0; i < P.nv; i++) {
		/* In VIN order the vehicles are scattered in memory. */
		if (i + 8 < P.nv) {
			const char *p = (const char *)byvin[i + 8].v;
			for (int k = 0; k < 6; k++)
				__builtin_prefetch(p + 64 * k);
		}
		byvin[i].v->rank = (uint32_t)i;
		evaluate(byvin[i].v);
	}
	free(byvin);
}

/* ---- the ledger --------------------------------------------------------- */

/* The key of a reminder: its vehicle, item (or campaign: -1 - index) and
 * due date (none for a recall, whose due date moves with as-of). */
struct entry_key {
	const struct vehicle *v;
	int32_t what;
	day_t due;
};

static struct str
entry_key(struct entry_key *k, const struct vehicle *v, int32_t what,
    day_t due)
{
	memset(k, 0, sizeof *k);
	k->v = v;
	k->what = what;
	k->due = what < 0 ? 0 : due;
	return (struct str){ (const char *)k, sizeof *k };
}

/* An entry of a reminder of tonight (ledger row LROW, sent SENT): of
 * several, the newest counts and the others are dropped. */
static void
entry_note(const struct vehicle *v, int32_t what, day_t due, day_t sent,
    size_t lrow)
{
	struct entry_key k;
	bool isnew;
	size_t *e = map_put(&P.entry_keys, entry_key(&k, v, what, due),
	    P.nentries, &isnew);

	if (isnew) {
		if (P.nentries == P.ecap) {
			P.ecap = P.ecap ? P.ecap * 2 : 256;
			P.entries = xrealloc(P.entries, P.ecap * sizeof *P.entries);
		}
		P.entries[P.nentries++] = (struct entry){ sent, lrow };
		return;
	}
	struct entry *old = &P.entries[*e];
	if (entry_replaces(old->sent, sent)) {
		ledger_drop(P.ledger, old->lrow);
		*old = (struct entry){ sent, lrow };
	} else
		ledger_drop(P.ledger, lrow);
}

/* A readable ledger entry of a vehicle of tonight's history. */
static void
entry_match(const struct vehicle *v, struct str service, day_t due,
    day_t sent, size_t lrow)
{
	long c = P.ncamps ? map_index(&P.camp_codes, service) : -1;
	if (c >= 0) {
		if (campaign_closed(v, (int)c))
			ledger_drop(P.ledger, lrow);
		else
			entry_note(v, (int32_t)(-1 - c), due, sent, lrow);
		return;
	}
	int plan = plan_of(v);
	size_t *i = plan >= 0 ? map_get(&P.plans[plan].item_names, service) : NULL;
	if (i == NULL)
		return;		/* not an item of its plan: kept */
	int item = P.plans[plan].items[*i];
	const struct item *it = &P.items[item];
	day_t now_due = item_due(v, it).date;
	if (now_due == due)
		entry_note(v, item, due, sent, lrow);
	else if (entry_spent(due, sent, now_due, DONE(v)[it->slot].d))
		ledger_drop(P.ledger, lrow);
}

/* Read the ledger's entries: those of tonight's reminders are noted, those
 * that can hide nothing any more dropped; entries of vehicles that are not
 * in tonight's history, and rows that cannot be read, are kept. */
static void
ledger_match(void)
{
	struct row w;
	size_t lrow;

	map_init(&P.entry_keys, false);
	while (ledger_next(P.ledger, &w, &lrow)) {
		struct str vin, service;
		day_t due, sent;
		if (get_str(&w, L_VIN, REQUIRED, &vin) < 0 ||
		    get_str(&w, L_SERVICE, REQUIRED, &service) < 0 ||
		    get_date(&w, L_DUE, REQUIRED, &due) < 0 ||
		    get_date(&w, L_SENT, REQUIRED, &sent) < 0)
			continue;
		const struct vehicle *v = vehicle_find(vin);
		if (v != NULL)
			entry_match(v, service, due, sent, lrow);
	}
}

/* The entry of tonight's reminder O, or NULL. */
static struct entry *
entry_of(const struct orow *o)
{
	struct entry_key k;
	int32_t what = o->st == ST_RECALL ? -1 - o->idx : o->idx;
	size_t *e = map_get(&P.entry_keys, entry_key(&k, o->v, what, o->due));
	return e == NULL ? NULL : &P.entries[*e];
}

static struct str
service_of(const struct orow *o)
{
	return o->kind == 0 ? P.camps[o->idx].code : P.items[o->idx].name;
}

/* A reminder written: sent tonight, replacing its older entry. */
static void
ledger_record(const struct orow *o, struct entry *old)
{
	char due[DATE_LEN + 1], sent[DATE_LEN + 1];
	struct str f[4];

	f[L_VIN] = VINSTR(o->v);
	f[L_SERVICE] = service_of(o);
	f[L_DUE] = (struct str){ due, fmt_date(due, o->due) };
	f[L_SENT] = (struct str){ sent, fmt_date(sent, P.app.opt.as_of_date) };
	ledger_add(P.ledger, f);
	if (old != NULL)
		ledger_drop(P.ledger, old->lrow);
}

/* ---- output --------------------------------------------------------------- */

static int
orow_cmp(const struct orow *a, const struct orow *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->kind == 1 && a->due != b->due)
		return a->due < b->due ? -1 : 1;
	if (a->v->rank != b->v->rank)
		return a->v->rank < b->v->rank ? -1 : 1;
	/* An item's index is its order in the schedule. */
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int
order_cmp(const void *pa, const void *pb)
{
	return orow_cmp(&P.rows[*(const uint32_t *)pa],
	    &P.rows[*(const uint32_t *)pb]);
}

/* The order written: recall rows, dated rows by due date, unknown rows;
 * the rows were made in VIN and schedule order, so a stable counting sort
 * by due date (qsort when the dates spread too far) finishes it.  The
 * order is a permutation of 4-byte indices: the rows stay where they are
 * (a sorted copy would be as much fresh memory again). */
static void
order_rows(void)
{
	size_t n[3] = { 0, 0, 0 };
	day_t lo = day_max, hi = day_min;

	for (size_t i = 0; i < P.nrows; i++) {
		const struct orow *o = &P.rows[i];
		n[o->kind]++;
		if (o->kind == 1) {
			lo = o->due < lo ? o->due : lo;
			hi = o->due > hi ? o->due : hi;
		}
	}
	if (P.nrows > UINT32_MAX)
		fatal("too many reminders");
	uint32_t *out = xcalloc(P.nrows + 1, sizeof *out);
	size_t at[3] = { 0, n[0], n[0] + n[1] };
	size_t range = n[1] ? (size_t)((long long)hi - lo + 1) : 0;
	if (n[1] > 0 && range > 4 * n[1] + 4096) {
		for (size_t i = 0; i < P.nrows; i++)
			out[at[P.rows[i].kind]++] = (uint32_t)i;
		qsort(out + n[0], n[1], sizeof *out, order_cmp);
	} else {
		size_t *cnt = xcalloc(range + 1, sizeof *cnt);
		for (size_t i = 0; i < P.nrows; i++)
			if (P.rows[i].kind == 1)
				cnt[P.rows[i].due - lo + 1]++;
		for (size_t d = 1; d <= range; d++)
			cnt[d] += cnt[d - 1];
		for (size_t i = 0; i < P.nrows; i++) {
			const struct orow *o = &P.rows[i];
			if (o->kind == 1)
				out[n[0] + cnt[o->due - lo]++] = (uint32_t)i;
			else
				out[at[o->kind]++] = (uint32_t)i;
		}
		free(cnt);
	}
	P.order = out;
}

/* An integer field, without printf in the hot path of the output. */
static void
put_int(struct csvout *w, long long x)
{
	char buf[24];

	csvout_known(w, buf, fmt_int(buf, x));
}

/* A date written.  The rows come in order of due date, and last-done dates
 * span a few years: each day is formatted once, into a direct-mapped
 * table (a civil_from_days per field was a tenth of the output's time). */
#define DATE_MEMO 4096

static void
put_date(struct csvout *w, day_t d)
{
	static struct { day_t d; char s[DATE_LEN + 1]; } memo[DATE_MEMO];
	static bool ready;

	if (d == DAY_NONE) {
		csvout_empty(w);
		return;
	}
	if (!ready) {
		for (size_t i = 0; i < DATE_MEMO; i++)
			memo[i].d = DAY_NONE;
		ready = true;
	}
	size_t k = (uint32_t)d & (DATE_MEMO - 1);
	if (memo[k].d != d) {
		fmt_date(memo[k].s, d);
		memo[k].d = d;
	}
	csvout_known(w, memo[k].s, DATE_LEN);
}

/* The rows are written in order of due date, their entries and vehicles
 * are in no order: fetch the entry of the row 32 ahead, the vehicle of the
 * row 16 ahead (the fields written come from all of it; its entry has
 * arrived), and the passthrough fields of the row eight ahead. */
static void
prefetch_rows_ahead(size_t i)
{
	if (i + 32 < P.nrows)
		__builtin_prefetch(&P.rows[P.order[i + 32]]);
	if (i + 16 < P.nrows) {
		const char *p = (const char *)P.rows[P.order[i + 16]].v;
		for (int k = 0; k < 6; k++)
			__builtin_prefetch(p + 64 * k);
	}
	if (i + 8 < P.nrows) {
		const char *p = (const char *)P.rows[P.order[i + 8]].v->pass;
		__builtin_prefetch(p);
		__builtin_prefetch(p + 64);
	}
}

static void
put_note(struct csvout *w, unsigned flags)
{
	char buf[64];
	size_t n = 0;

	for (size_t i = 0; i < sizeof note_flags / sizeof note_flags[0]; i++)
		if (flags & note_flags[i].flag) {
			if (n > 0)
				buf[n++] = ';';
			memcpy(buf + n, note_flags[i].name.p, note_flags[i].name.n);
			n += note_flags[i].name.n;
		}
	csvout_field(w, buf, n);
}

static void
write_row(struct csvout *w, const struct orow *o)
{
	const struct vehicle *v = o->v;
	int plan = plan_of(v);
	struct done dn = { DAY_NONE, -1 };
	long long due_km = -1;

	csvout_str(w, VINSTR(v));
	if (plan >= 0)
		csvout_str(w, P.plans[plan].name);
	else
		csvout_empty(w);
	csvout_str(w, service_of(o));
	csvout_known(w, status_name[o->st], strlen(status_name[o->st]));
	put_date(w, o->due);
	if (o->due != DAY_NONE)
		put_int(w, (long long)o->due - P.app.opt.as_of_date);
	else
		csvout_empty(w);
	if (o->kind != 0) {
		const struct item *it = &P.items[o->idx];
		dn = last_done(v, it);
		due_km = it->km && dn.km >= 0 ? dn.km + it->km : -1;
	}
	if (due_km >= 0) {
		put_int(w, due_km);
		put_int(w, due_km - v->est);
	} else {
		csvout_empty(w);
		csvout_empty(w);
	}
	if (v->est >= 0)
		put_int(w, v->est);
	else
		csvout_empty(w);
	csvout_known(w, by_name[o->by], strlen(by_name[o->by]));
	put_date(w, dn.d);
	if (dn.km >= 0)
		put_int(w, dn.km);
	else
		csvout_empty(w);
	if (o->kind == 0)
		csvout_str(w, P.camps[o->idx].title);
	else
		put_note(w, o->flags);
	const char *bytes = (const char *)(v->pass + P.npass + 1);
	for (int i = 0; i < P.npass; i++)
		csvout_field(w, bytes + v->pass[i], v->pass[i + 1] - v->pass[i]);
	csvout_endrow(w);
}

/* The header, then the rows the ledger does not hide; each reminder
 * written goes into the ledger.  True when a written row is an alert. */
static bool
write_reminders(void)
{
	struct csvout *w = P.app.out;
	bool alert = false;

	for (size_t i = 0; i < NOUT; i++)
		csvout_cstr(w, out_names[i]);
	for (int i = 0; i < P.npass; i++)
		csvout_str(w, P.in.header.f[P.pass_cols[i]]);
	csvout_endrow(w);
	for (size_t i = 0; i < P.nrows; i++) {
		const struct orow *o = &P.rows[P.order[i]];
		struct entry *e = NULL;
		prefetch_rows_ahead(i);
		if (P.ledger != NULL && reminds(o->st)) {
			e = entry_of(o);
			if (e != NULL && ledger_hides(e->sent, P.app.opt.as_of_date,
			    P.repeat_days))
				continue;
		}
		write_row(w, o);
		if (P.ledger != NULL && reminds(o->st))
			ledger_record(o, e);
		alert |= o->st == ST_OVERDUE || o->st == ST_RECALL;
	}
	return alert;
}

/* ---- --commit ------------------------------------------------------------ */

/* Read every entry of the ledger, so that the rewritten ledger keeps them
 * all (it holds the rows read and those added); a row that cannot be read
 * is reported, as in a computing run, and kept as it is. */
static void
ledger_keep_all(void)
{
	struct row w;
	size_t lrow;

	while (ledger_next(P.ledger, &w, &lrow)) {
		struct str s;
		day_t d;
		if (get_str(&w, L_VIN, REQUIRED, &s) < 0 ||
		    get_str(&w, L_SERVICE, REQUIRED, &s) < 0 ||
		    get_date(&w, L_DUE, REQUIRED, &d) < 0)
			continue;
		(void)get_date(&w, L_SENT, REQUIRED, &d);
	}
}

/* Add the reminders of FILE (svc-remind's own output, as delivered by a
 * later step) to the ledger, as sent on the as-of date; the entries
 * already there stay, whatever FILE holds. */
static int
commit_sent(const char *path)
{
	struct app *a = &P.app;
	struct stream in;
	struct record r;
	int c_vin, c_service, c_status, c_due;
	char *files[1] = { (char *)path };
	const struct column spec[] = {
		{ "vin", true, &c_vin }, { "service", true, &c_service },
		{ "status", true, &c_status }, { "due_date", true, &c_due },
		{ NULL, false, NULL }
	};
	char due[DATE_LEN + 1], sent[DATE_LEN + 1];

	P.ledger = ledger_open(a, P.ledger_path, ledger_cols, false);
	ledger_keep_all();
	stream_open(&in, files, 1, a->opt.dialect, a->opt.map, a->opt.nmap);
	stream_columns(&in, spec);
	a->rej_header = in.header;
	a->opt.dialect = in.dialect;
	fmt_date(sent, a->opt.as_of_date);
	while (stream_next(&in, &r)) {
		struct row w;
		struct str f[4];
		int st;
		day_t d;
		if (!row_start(&w, a, &in, &r, ROW_STREAM) ||
		    get_str(&w, c_vin, REQUIRED, &f[L_VIN]) < 0 ||
		    get_str(&w, c_service, REQUIRED, &f[L_SERVICE]) < 0 ||
		    get_choice(&w, c_status, REQUIRED, "status", status_name,
		    &st) < 0 || !reminds((enum status)st) ||
		    get_date(&w, c_due, REQUIRED, &d) < 0)
			continue;
		f[L_DUE] = (struct str){ due, fmt_date(due, d) };
		f[L_SENT] = (struct str){ sent, DATE_LEN };
		ledger_add(P.ledger, f);
	}
	stream_close(&in);
	int status = app_finish(a, 0);
	ledger_commit(P.ledger);
	ledger_close(P.ledger);
	common_free(&a->opt);
	return status;
}

/* ---- options ---------------------------------------------------------------- */

static void
opt_number(const char *opt, const char *arg, long long *out, long long min)
{
	if (parse_uint(arg, out) == -1 || *out < min || *out > COUNT_MAX) {
		warnmsg("%s: invalid number '%s' (expected a whole number, %lld "
		    "or more)", opt, arg, min);
		usage();
	}
}

static void
program_option(int ch, const char *arg)
{
	switch (ch) {
	case 's': P.schedule_path = arg; break;
	case OPT_PLAN:
		if (str_trim(str_of(arg)).n == 0) {
			warnmsg("--plan: an empty name (expected a plan of the "
			    "schedule)");
			usage();
		}
		P.plan_arg = xmemdup(str_trim(str_of(arg)).p,
		    str_trim(str_of(arg)).n);
		P.plan_given = true;
		break;
	case OPT_LEAD_DAYS: opt_number("--lead-days", arg, &P.lead_days, 0); break;
	case OPT_LEAD_KM: opt_number("--lead-km", arg, &P.lead_km, 0); break;
	case OPT_DAILY_KM: opt_number("--daily-km", arg, &P.daily_km, 1); break;
	case OPT_MAX_OVERDUE:
		opt_number("--max-overdue", arg, &P.max_overdue, 0);
		break;
	case OPT_ALL: P.all = true; break;
	case OPT_CAMPAIGNS: P.campaigns_path = arg; break;
	case OPT_LEDGER:
		P.ledger_path = arg;
		common_output(&P.app.opt, "--ledger", arg);
		break;
	case OPT_REPEAT_DAYS:
		opt_number("--repeat-days", arg, &P.repeat_days, 0);
		break;
	case OPT_DRY_RUN: P.dry_run = true; break;
	case OPT_COMMIT: P.commit_path = arg; break;
	case OPT_ALERT: P.alert = true; break;
	default: usage();
	}
}

/* What the options need of each other. */
static const char *
options_conflict(int noperands)
{
	if (P.ledger_path == NULL && P.repeat_days >= 0)
		return "--repeat-days needs --ledger";
	if (P.ledger_path == NULL && P.dry_run)
		return "--dry-run needs --ledger";
	if (P.ledger_path == NULL && P.commit_path != NULL)
		return "--commit needs --ledger";
	if (P.commit_path == NULL)
		return P.schedule_path == NULL ? "-s SCHEDULE is required" : NULL;
	if (P.dry_run)
		return "--commit and --dry-run: one or the other (--dry-run "
		    "changes nothing)";
	if (P.app.opt.output != NULL)
		return "--commit writes no output: no -o";
	if (noperands > 0)
		return "--commit reads FILE only: no HISTORY";
	return NULL;
}

static void
parse_options(int argc, char **argv)
{
	int ch;

	P.lead_days = 30;
	P.lead_km = 1000;
	P.daily_km = 40;
	P.repeat_days = P.max_overdue = -1;
	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS "s:", longopts,
	    NULL)) != -1)
		switch (common_option(&P.app.opt, ch, optarg)) {
		case 1: continue;
		case -1: usage();
		default: program_option(ch, optarg);
		}
	if (common_finish(&P.app.opt) == -1)
		usage();
	const char *why = options_conflict(argc - optind);
	if (why != NULL) {
		warnmsg("%s", why);
		usage();
	}
	if (P.plan_arg == NULL)
		P.plan_arg = xstrdup("standard");
}

/* Free what the run allocated, at its end. */
static void
prog_free(void)
{
	for (int i = 0; i < P.nslots; i++) {
		free(P.slots[i].name);
		free(P.slots[i].pat_src);
		pattern_free(P.slots[i].pat);
	}
	free(P.slots);
	for (int i = 0; i < P.nitems; i++)
		free((char *)P.items[i].name.p);
	free(P.items);
	for (int i = 0; i < P.nplans; i++) {
		free((char *)P.plans[i].name.p);
		free(P.plans[i].items);
		map_free(&P.plans[i].item_names);
	}
	free(P.plans);
	free(P.plan_list);
	map_free(&P.plan_names);
	for (int i = 0; i < P.ncamps; i++) {
		free((char *)P.camps[i].code.p);
		free((char *)P.camps[i].title.p);
		pattern_free(P.camps[i].pat);
	}
	free(P.camps);
	map_free(&P.camp_codes);
	free(P.pass_cols);
	free(P.vtab);
	free(P.vlist);
	arena_free(&P.odo.mem);
	free(P.odo.rd);
	free(P.hit);
	free(P.pmask);
	free(P.chit);
	memo_free(P.memo);
	free(P.rows);
	free(P.order);
	map_free(&P.entry_keys);
	free(P.entries);
	free(P.plan_arg);
	arena_free(&P.arena);	/* vehicles, readings, passthrough */
	common_free(&P.app.opt);
}

int
main(int argc, char **argv)
{
	struct app *a = &P.app;
	int status;

	argv[0] = (char *)info.name;	/* getopt names the program so, too */
	prog_start(&info, &a->opt);
	parse_options(argc, argv);
	day_min = days_from_civil(1, 1, 1);
	day_max = days_from_civil(9999, 12, 31);
	if (P.commit_path != NULL)
		return commit_sent(P.commit_path);

	map_init(&P.plan_names, true);
	map_init(&P.camp_codes, true);
	read_schedule();
	if (P.campaigns_path != NULL)
		read_campaigns();
	open_history(argv + optind, argc - optind);
	/* Locked for the rest of the run; its header, and its directory,
	 * checked before any output is written. */
	if (P.ledger_path != NULL)
		P.ledger = ledger_open(a, P.ledger_path, ledger_cols, P.dry_run);
	/* What the ledger records must have been read: output to a pipe
	 * counts once its reader took all of it (| head cuts the run off). */
	a->confirm_output = P.ledger != NULL && !P.dry_run;
	app_open_output(a);
	P.arena.next = HUGE_PAGE;
	stream_history();
	evaluate_vehicles();
	if (P.ledger != NULL)
		ledger_match();
	order_rows();
	bool alert = !stream_empty(&P.in) && write_reminders();
	stream_close(&P.in);
	/* The output is complete when app_finish returns (it is fatal when
	 * it is not): only then is the ledger rewritten with what was sent. */
	status = app_finish(a, P.alert && alert);
	if (P.ledger != NULL) {
		ledger_commit(P.ledger);
		ledger_close(P.ledger);
	}
	prog_free();
	return status;
}
