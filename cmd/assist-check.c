/* assist-check — roadside-assistance subscriptions of callers: is the caller
 * covered, how far a tow is paid, how many calls are left this year, whom to
 * tell after an accident; for every call of a dispatch log, or for one call
 * now (--number).  See assist-check(1). */
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "csvout.h"
#include "datetime.h"
#include "field.h"
#include "map.h"
#include "num.h"
#include "opts.h"
#include "outcols.h"
#include "str.h"
#include "stream.h"
#include "util.h"

#define SYNOPSIS \
	"-S SUBSCRIPTIONS -P PLANS [--only LIST] [--since WHEN] [--until WHEN]\n" \
	"       [--alert] " COMMON_USAGE "\n" \
	"       [CALLS...]\n" \
	"       -S SUBSCRIPTIONS -P PLANS --number N [--vin V] [--service S]\n" \
	"       [--tow-km KM] [--cause C] [--field COLUMN] [--alert] [OPTIONS]\n" \
	"       [CALLS...]"

enum {
	OPT_ONLY = OPT_PROGRAM, OPT_SINCE, OPT_UNTIL, OPT_NUMBER, OPT_VIN,
	OPT_SERVICE, OPT_TOW_KM, OPT_CAUSE, OPT_FIELD, OPT_ALERT
};

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ "subscriptions", required_argument, NULL, 'S' },
	{ "plans",         required_argument, NULL, 'P' },
	{ "only",          required_argument, NULL, OPT_ONLY },
	{ "since",         required_argument, NULL, OPT_SINCE },
	{ "until",         required_argument, NULL, OPT_UNTIL },
	{ "number",        required_argument, NULL, OPT_NUMBER },
	{ "vin",           required_argument, NULL, OPT_VIN },
	{ "service",       required_argument, NULL, OPT_SERVICE },
	{ "tow-km",        required_argument, NULL, OPT_TOW_KM },
	{ "cause",         required_argument, NULL, OPT_CAUSE },
	{ "field",         required_argument, NULL, OPT_FIELD },
	{ "alert",         no_argument,       NULL, OPT_ALERT },
	{ NULL, 0, NULL, 0 }
};

static const struct opt_help opts_help[] = {
	{ "-S, --subscriptions FILE", "the subscriptions (required)" },
	{ "-P, --plans FILE", "the plans (required)" },
	{ "--only LIST", "write only calls of these coverages (comma-separated)" },
	{ "--since WHEN", "write only calls at or after WHEN (earlier ones still count)" },
	{ "--until WHEN", "write only calls before WHEN" },
	{ "--number N", "check one call now, with subscription N (CALLS: the log)" },
	{ "--vin V", "with --number: the vehicle of the caller" },
	{ "--service S", "with --number: the service needed" },
	{ "--tow-km KM", "with --number: the km to tow" },
	{ "--cause C", "with --number: the cause (accident: tell the insurer)" },
	{ "--field COLUMN", "with --number: write only that column's value" },
	{ "--alert", "exit 3 when a written call is not covered" },
	{ NULL, NULL }
};

static const struct prog_info info = {
	"assist-check", NULL, SYNOPSIS,
	"Check calls for roadside assistance against the callers' subscriptions.",
	opts_help
};

/* The coverage of a call: the first of this list that applies (the order
 * is the rule, see coverage_of()). */
enum coverage {
	NO_SUBSCRIPTION, UNKNOWN, VOID, NOT_STARTED, EXPIRED, WAITING,
	WRONG_VEHICLE, NOT_COVERED, OVER_LIMIT, GRACE, COVERED, NCOVERAGE
};
static const char *const coverage_name[NCOVERAGE + 1] = {
	"no_subscription", "unknown", "void", "not_started", "expired",
	"waiting", "wrong_vehicle", "not_covered", "over_limit", "grace",
	"covered", NULL
};

/* The computed columns. */
enum {
	C_COVERAGE, C_PLAN, C_HOLDER, C_VALID_UNTIL, C_CALLS_USED, C_CALLS_LEFT,
	C_TOW_COVERED, C_TOW_EXCESS, C_NOTIFY, NCOMP
};
static const char *const compname[NCOMP] = {
	"coverage", "plan", "holder", "valid_until", "calls_used", "calls_left",
	"tow_km_covered", "tow_km_excess", "notify_insurer"
};
/* Made only of the bytes of csvout_known(): codes, dates, numbers. */
static const unsigned char comp_known[NCOMP] = { 1, 0, 0, 1, 1, 1, 1, 1, 0 };

/* --number: the call's own columns come first. */
enum { N_TIME, N_SUBSCRIPTION, N_VIN, N_SERVICE, N_TOW_KM, N_CAUSE, NCALLCOL };
static const char *const callcol[NCALLCOL] = {
	"time", "subscription", "vin", "service", "tow_km", "cause"
};

#define UNLIMITED (-1LL)
/* waiting_days and grace_days: a century is more than any plan means, and
 * keeps every date sum far inside day_t. */
#define MAX_PLAN_DAYS 36525
#define NO_ROW UINT32_MAX

struct plan {
	struct str code;		/* as the plans file spells it */
	long line;			/* for "duplicate plan" */
	long long calls_per_year;	/* UNLIMITED */
	long long tow_km;		/* UNLIMITED; 0: no towing */
	struct str *services;		/* NULL: every service */
	size_t nservices;
	int waiting_days, grace_days;
};

/* A row of the subscriptions file: 64 bytes in an array aligned to them
 * (grow_subs), so that a row a call looks at is one wait for memory. */
struct sub {
	day_t start, end;
	day_t until;		/* end + grace_days: the last day covered */
	uint32_t plan;
	uint32_t prev;		/* the number's previous row in the file */
	uint32_t nyears;	/* subscription years from start to until */
	/* Counted calls (covered or grace) per subscription year: years 0
	 * and 1 here (a one-year subscription and its grace), later years
	 * of longer ones in ac->later, taken at the first call counted
	 * there.  So the counts take memory in proportion to the
	 * subscriptions, never the calls. */
	uint32_t used[2];
	uint32_t later;		/* years 2.. in ac->later from here; 0: none yet */
	uint32_t spelling;	/* the plan as written: ac->spellings */
	uint32_t vin_n, holder_n, insurer_n;
	bool is_void;
	bool starts_last;	/* no earlier row of the number starts later */
	const char *text;	/* vin, holder and insurer, one after the other */
};
_Static_assert(sizeof(struct sub) == 64, "a subscription row in a cache line");

/* A call, read from the log or made of --number's options. */
struct call {
	tstamp time;
	day_t date;			/* its local date */
	struct str number, vin, service, cause;
	long long tow_km;		/* -1: no tow */
	bool hashed;			/* hash is map_hash() of number */
	uint64_t hash;
};

/* What a call gets. */
struct answer {
	enum coverage coverage;
	const struct sub *sub;		/* NULL: no_subscription, unknown */
	long long used, left;		/* -1: empty */
	long long tow_covered, tow_excess;	/* -1: empty */
	bool notify;
};

struct assist {
	struct app app;
	struct plan *plans;
	size_t nplans;
	const char **plan_names;	/* for the message of an unknown plan */
	struct map plan_index;		/* code (ignoring case) -> plan */
	struct sub *subs;
	size_t nsubs;
	struct map numbers;		/* subscription -> its last row */
	struct str *spellings;		/* the plans' codes, then other
					 * spellings of them in the file */
	size_t nspellings;
	struct arena text;		/* vin, holder, insurer of the rows */
	uint32_t *later;		/* counts of years 2.. (later[0] unused) */
	size_t nlater, later_cap;
	struct arena plan_text;		/* codes and services of the plans */
	bool only[NCOVERAGE], only_set;
	bool since_set, until_set;
	tstamp since, until;
	bool alert_opt, alert;
	/* The options as given (NULL: not given); read by parse_options(). */
	const char *subs_path, *plans_path, *since_arg, *until_arg;
	const char *number, *vin, *service, *tow_km, *cause, *field;
	struct call one;		/* --number's call, of the options */
};

/* ---- the rules ---- */

/* The subscription year of DAY: k such that start + 12k months <= DAY <
 * start + 12(k+1) months (month arithmetic: 2024-02-29 + 12 months is
 * 2025-02-28).  DAY is not before START. */
static uint32_t
sub_year(day_t start, day_t day)
{
	int ys, ms, ds, yd, md, dd;

	/* Twelve months are at least 365 days: most calls are in year 0. */
	if (day - start < 365)
		return 0;
	civil_from_days(start, &ys, &ms, &ds);
	civil_from_days(day, &yd, &md, &dd);
	int k = ((yd - ys) * 12 + (md - ms)) / 12;
	/* The same month of the year k, but before the day of the month. */
	if (k > 0 && date_add_months(start, 12 * k) > day)
		k--;
	return (uint32_t)k;
}

/* The row of the number's rows (NEWEST, linked to the earlier ones by
 * prev) that is "the subscription" of a call on DAY:
 * 1. the rows whose span start .. end + grace contains DAY: the latest
 *    start (a tie: the later row in the file);
 * 2. else the rows that ended before DAY: the latest end (a tie: the later);
 * 3. else the earliest start (a tie: the earlier row).
 * The rows are visited from the last in the file to the first, so that a
 * later row wins a tie by coming first.  Renewals mostly come in the order
 * of their start: when the last row contains DAY and starts last, it is
 * the one, without a look at the others. */
static uint32_t
choose_row(const struct sub *subs, uint32_t newest, day_t day)
{
	uint32_t within = NO_ROW, ended = NO_ROW, first = NO_ROW;
	const struct sub *last = &subs[newest];

	if (last->starts_last && last->start <= day && day <= last->until)
		return newest;
	for (uint32_t i = newest; i != NO_ROW; i = subs[i].prev) {
		const struct sub *s = &subs[i];
		if (s->start <= day && day <= s->until) {
			if (within == NO_ROW || s->start > subs[within].start)
				within = i;
		} else if (s->end < day) {
			if (ended == NO_ROW || s->end > subs[ended].end)
				ended = i;
		} else if (first == NO_ROW || s->start <= subs[first].start)
			first = i;
	}
	return within != NO_ROW ? within : ended != NO_ROW ? ended : first;
}

/* Link row S of a number after its row PREV (NO_ROW: its first). */
static void
link_row(const struct sub *subs, struct sub *s, uint32_t prev)
{
	s->prev = prev;
	s->starts_last = prev == NO_ROW ||
	    (subs[prev].starts_last && subs[prev].start <= s->start);
}

/* Is SERVICE among the plan's services (codes: ignoring ASCII case)? */
static bool
service_covered(const struct plan *p, struct str service)
{
	if (p->services == NULL)
		return true;
	for (size_t i = 0; i < p->nservices; i++)
		if (str_eq_ci(service, p->services[i]))
			return true;
	return false;
}

/* The coverage of call C by subscription row S of plan P for vehicle
 * VIN (S NULL: no row has the number), USED calls of its year counted
 * before it: the first that applies, in the order of the enum. */
static enum coverage
coverage_of(const struct call *c, const struct sub *s, const struct plan *p,
    struct str vin, uint32_t used)
{
	if (c->number.n == 0)
		return NO_SUBSCRIPTION;
	if (s == NULL)
		return UNKNOWN;
	if (s->is_void)
		return VOID;
	if (c->date < s->start)
		return NOT_STARTED;
	if (c->date > s->until)
		return EXPIRED;
	if (c->date < s->start + p->waiting_days)
		return WAITING;
	if (c->vin.n > 0 && vin.n > 0 && !str_eq(c->vin, vin))
		return WRONG_VEHICLE;
	if (c->service.n > 0 && !service_covered(p, c->service))
		return NOT_COVERED;
	if (p->calls_per_year != UNLIMITED && used >= p->calls_per_year)
		return OVER_LIMIT;
	if (c->date > s->end)
		return GRACE;
	return COVERED;
}

static bool
is_covered(enum coverage c)
{
	return c == COVERED || c == GRACE;
}

/* The km of a tow (KM, -1: none) that the plan pays (PLAN_KM, UNLIMITED)
 * and the rest: a covered call is paid up to the plan's km, any other
 * call nothing; both -1 without a tow. */
static void
tow_split(enum coverage c, long long km, long long plan_km,
    long long *covered, long long *excess)
{
	if (km < 0) {
		*covered = *excess = -1;
		return;
	}
	*covered = !is_covered(c) ? 0 : plan_km == UNLIMITED || km < plan_km ?
	    km : plan_km;
	*excess = km - *covered;
}

/* Is the insurer told: an accident (ignoring ASCII case) of a caller with
 * a subscription? */
static bool
notify_insurer(enum coverage c, struct str cause)
{
	return c != NO_SUBSCRIPTION && c != UNKNOWN &&
	    str_eq_cstr_ci(cause, "accident");
}

/* The count of the subscription year K of S. */
static uint32_t *
year_count(struct assist *ac, struct sub *s, uint32_t k)
{
	if (k < 2)
		return &s->used[k];
	if (s->later == 0) {
		size_t n = s->nyears - 2;
		if (ac->nlater == 0)
			ac->nlater = 1;		/* 0 means none */
		if (ac->nlater + n > UINT32_MAX)
			fatal("too many subscription years counted");
		if (ac->nlater + n > ac->later_cap) {
			ac->later_cap = 2 * (ac->nlater + n);
			ac->later = xrealloc(ac->later,
			    ac->later_cap * sizeof *ac->later);
		}
		memset(ac->later + ac->nlater, 0, n * sizeof *ac->later);
		s->later = (uint32_t)ac->nlater;
		ac->nlater += n;
	}
	return &ac->later[s->later + k - 2];
}

/* The texts of row S. */
static struct str
sub_vin(const struct sub *s)
{
	return (struct str){ s->text, s->vin_n };
}

static struct str
sub_holder(const struct sub *s)
{
	return (struct str){ s->text + s->vin_n, s->holder_n };
}

static struct str
sub_insurer(const struct sub *s)
{
	return (struct str){ s->text + s->vin_n + s->holder_n, s->insurer_n };
}

/* Check call C: its subscription row, coverage, counts, tow and insurer;
 * a covered or grace call is counted. */
static void
check_call(struct assist *ac, const struct call *c, struct answer *a)
{
	struct sub *s = NULL;
	const struct plan *p = NULL;
	uint32_t *count = NULL;
	struct str vin = { "", 0 };

	if (c->number.n > 0) {
		size_t *newest = map_get_hashed(&ac->numbers, c->number,
		    c->hashed ? c->hash : map_hash(&ac->numbers, c->number));
		if (newest != NULL) {
			s = &ac->subs[choose_row(ac->subs, (uint32_t)*newest,
			    c->date)];
			p = &ac->plans[s->plan];
			vin = sub_vin(s);
			/* Only a call within the span can be counted, or be
			 * over the limit. */
			if (s->start <= c->date && c->date <= s->until)
				count = year_count(ac, s,
				    sub_year(s->start, c->date));
		}
	}
	a->coverage = coverage_of(c, s, p, vin, count ? *count : 0);
	a->sub = s;
	a->used = a->left = -1;
	if (is_covered(a->coverage) && *count < UINT32_MAX)
		++*count;
	if (is_covered(a->coverage) || a->coverage == OVER_LIMIT) {
		a->used = *count;
		if (p->calls_per_year != UNLIMITED)
			a->left = p->calls_per_year - a->used;
	}
	tow_split(a->coverage, c->tow_km, p ? p->tow_km : 0, &a->tow_covered,
	    &a->tow_excess);
	a->notify = notify_insurer(a->coverage, c->cause);
}

/* Is call C written (--since, --until, --only)? */
static bool
call_written(const struct assist *ac, const struct call *c,
    const struct answer *a)
{
	return (!ac->since_set || c->time >= ac->since) &&
	    (!ac->until_set || c->time < ac->until) &&
	    (!ac->only_set || ac->only[a->coverage]);
}

/* ---- the tables ---- */

/* Keep the texts of row S together (one look-up reads them all). */
static void
keep_texts(struct assist *ac, struct sub *s, struct str vin,
    struct str holder, struct str insurer)
{
	char *t = arena_alloc(&ac->text, vin.n + holder.n + insurer.n + 1);

	memcpy(t, vin.p, vin.n);
	memcpy(t + vin.n, holder.p, holder.n);
	memcpy(t + vin.n + holder.n, insurer.p, insurer.n);
	s->text = t;
	s->vin_n = (uint32_t)vin.n;	/* fields are at most FIELD_MAX */
	s->holder_n = (uint32_t)holder.n;
	s->insurer_n = (uint32_t)insurer.n;
}

/* Text written into a computed column (holder, insurer): trimmed, `-` and
 * --na as nothing, with the warning about text that is not UTF-8. */
static struct str
table_text(struct row *w, int col)
{
	struct str v = row_value(w, col);

	if (v.n > 0)
		(void)row_text(w, col);
	return v;
}

/* The plan as row's value V spells it: an index of ac->spellings. */
static uint32_t
spelling(struct assist *ac, uint32_t plan, struct str v)
{
	if (str_eq(v, ac->plans[plan].code))
		return plan;
	for (size_t i = ac->nplans; i < ac->nspellings; i++)
		if (str_eq(v, ac->spellings[i]))
			return (uint32_t)i;
	/* Other spellings of a code are few: its letters in either case. */
	ac->spellings = xrealloc(ac->spellings, (ac->nspellings + 1) *
	    sizeof *ac->spellings);
	ac->spellings[ac->nspellings] = arena_str(&ac->plan_text, v);
	return (uint32_t)ac->nspellings++;
}

/* A count of days of the plans file, 0 when empty. */
static int
get_days(struct row *w, int col, int *out)
{
	long long n = 0;

	if (get_count(w, col, OPTIONAL, &n) < 0)
		return -1;
	if (n > MAX_PLAN_DAYS)
		return row_bad(w, col, "out of range", "expected at most %d days",
		    MAX_PLAN_DAYS);
	*out = (int)n;
	return 1;
}

/* The services of a plan: codes separated by ';'; empty or '*': every
 * service (services stays NULL). */
static void
parse_services(struct assist *ac, struct plan *p, struct str list)
{
	struct str rest = list, tok;
	size_t n = 0;

	while (str_next_token(&rest, ';', &tok))
		n++;
	p->services = arena_alloc(&ac->plan_text, (n ? n : 1) *
	    sizeof *p->services);
	rest = list;
	while (str_next_token(&rest, ';', &tok)) {
		tok = str_trim(tok);
		if (tok.n == 1 && tok.p[0] == '*') {
			p->services = NULL;
			p->nservices = 0;
			return;
		}
		if (tok.n > 0)
			p->services[p->nservices++] = arena_str(&ac->plan_text, tok);
	}
	if (p->nservices == 0)
		p->services = NULL;
}

/* The plans file: a table that configures the run (a bad row is fatal). */
static void
read_plans(struct assist *ac, const char *path)
{
	struct stream t;
	struct record r;
	int c_plan, c_calls, c_tow, c_services, c_waiting, c_grace;
	const struct column spec[] = {
		{ "plan", true, &c_plan },
		{ "calls_per_year", false, &c_calls },
		{ "tow_km", false, &c_tow },
		{ "services", false, &c_services },
		{ "waiting_days", false, &c_waiting },
		{ "grace_days", false, &c_grace },
		{ NULL, false, NULL }
	};
	size_t cap = 0;

	table_open(&t, path, "plans");
	stream_columns(&t, spec);
	map_init(&ac->plan_index, true);
	while (stream_next(&t, &r)) {
		struct row w;
		struct plan p = { .calls_per_year = UNLIMITED, .tow_km = UNLIMITED };
		struct str code;
		bool isnew;

		row_start(&w, &ac->app, &t, &r, ROW_CONFIG);	/* fatal when bad */
		get_str(&w, c_plan, REQUIRED, &code);
		get_count(&w, c_calls, OPTIONAL, &p.calls_per_year);
		get_count(&w, c_tow, OPTIONAL, &p.tow_km);
		get_days(&w, c_waiting, &p.waiting_days);
		get_days(&w, c_grace, &p.grace_days);
		size_t *k = map_put(&ac->plan_index, code, ac->nplans, &isnew);
		if (!isnew)
			row_bad(&w, c_plan, "duplicate plan", "first on line %ld",
			    ac->plans[*k].line);
		p.code = arena_str(&ac->plan_text, code);
		p.line = r.line;
		parse_services(ac, &p, row_value(&w, c_services));
		if (ac->nplans == cap) {
			cap = cap ? 2 * cap : 8;
			ac->plans = xrealloc(ac->plans, cap * sizeof *ac->plans);
		}
		ac->plans[ac->nplans++] = p;
	}
	stream_close(&t);
	ac->plan_names = xcalloc(ac->nplans + 1, sizeof *ac->plan_names);
	ac->spellings = xcalloc(ac->nplans + 1, sizeof *ac->spellings);
	for (size_t i = 0; i < ac->nplans; i++) {
		ac->plan_names[i] = ac->plans[i].code.p;
		ac->spellings[i] = ac->plans[i].code;
	}
	ac->nspellings = ac->nplans;
}

/* Room for twice CAP rows: memory for a table looked up at random (huge
 * pages, rows in cache lines). */
static size_t
grow_subs(struct assist *ac, size_t cap)
{
	size_t ncap = cap ? 2 * cap : 1024;
	struct sub *n = huge_alloc(ncap * sizeof *n);

	if (ac->nsubs > 0)
		memcpy(n, ac->subs, ac->nsubs * sizeof *n);
	free(ac->subs);
	ac->subs = n;
	return ncap;
}

struct subcols {
	int number, plan, start, end, vin, holder, insurer, status;
};

/* Row S of the subscriptions of NUMBER, read from W: false when the row
 * is bad (reported). */
static bool
read_sub(struct assist *ac, struct row *w, const struct subcols *sc,
    struct str *number, struct sub *s)
{
	struct str plan, vin = { "", 0 };
	int ignored;

	if (get_str(w, sc->number, REQUIRED, number) < 0 ||
	    get_str(w, sc->plan, REQUIRED, &plan) < 0)
		return false;
	size_t *k = map_get(&ac->plan_index, plan);
	if (k == NULL) {	/* reported in the wording of codes */
		get_choice(w, sc->plan, REQUIRED, "plan", ac->plan_names,
		    &ignored);
		return false;
	}
	if (get_date(w, sc->start, REQUIRED, &s->start) < 0 ||
	    get_date(w, sc->end, REQUIRED, &s->end) < 0 ||
	    get_str(w, sc->vin, OPTIONAL, &vin) < 0)
		return false;
	if (s->end < s->start) {
		row_bad(w, sc->end, "before start_date", NULL);
		return false;
	}
	const struct plan *p = &ac->plans[*k];
	s->plan = (uint32_t)*k;
	s->until = s->end + p->grace_days;
	s->nyears = sub_year(s->start, s->until) + 1;
	s->spelling = spelling(ac, s->plan, plan);
	keep_texts(ac, s, vin, table_text(w, sc->holder),
	    table_text(w, sc->insurer));
	s->is_void = str_eq_cstr_ci(row_value(w, sc->status), "void");
	return true;
}

/* The subscriptions file: a data table (a bad row is reported and left
 * out: a call with its number finds the number's other rows, or none). */
static void
read_subscriptions(struct assist *ac, const char *path)
{
	struct stream t;
	struct record r;
	struct subcols sc;
	const struct column spec[] = {
		{ "subscription", true, &sc.number },
		{ "plan", true, &sc.plan },
		{ "start_date", true, &sc.start },
		{ "end_date", true, &sc.end },
		{ "vin", false, &sc.vin },
		{ "holder", false, &sc.holder },
		{ "insurer", false, &sc.insurer },
		{ "status", false, &sc.status },
		{ NULL, false, NULL }
	};
	size_t cap = 0;

	table_open(&t, path, "subscriptions");
	stream_columns(&t, spec);
	map_init(&ac->numbers, false);	/* identifiers: exact */
	while (stream_next(&t, &r)) {
		struct row w;
		struct sub s = { .prev = NO_ROW };
		struct str number;

		if (!row_start(&w, &ac->app, &t, &r, ROW_DATA) ||
		    !read_sub(ac, &w, &sc, &number, &s))
			continue;
		if (ac->nsubs == NO_ROW)
			fatal("%s:%ld: too many subscriptions", r.file, r.line);
		bool isnew;
		size_t *newest = map_put(&ac->numbers, number, ac->nsubs, &isnew);
		link_row(ac->subs, &s, isnew ? NO_ROW : (uint32_t)*newest);
		if (!isnew)
			*newest = ac->nsubs;
		if (ac->nsubs == cap)
			cap = grow_subs(ac, cap);
		ac->subs[ac->nsubs++] = s;
	}
	stream_close(&t);
}

/* ---- the calls ---- */

struct callcols {
	int time, number, vin, service, tow_km, cause;
};

static void
call_columns(struct stream *in, struct callcols *cc)
{
	const struct column spec[] = {
		{ "time", true, &cc->time },
		{ "subscription", true, &cc->number },
		{ "vin", false, &cc->vin },
		{ "service", false, &cc->service },
		{ "tow_km", false, &cc->tow_km },
		{ "cause", false, &cc->cause },
		{ NULL, false, NULL }
	};
	stream_columns(in, spec);
}

/* Read call C of a row: 1, or -1 when the row was rejected. */
static int
read_call(struct row *w, const struct callcols *cc, struct call *c)
{
	*c = (struct call){ .tow_km = -1 };
	if (get_time(w, cc->time, REQUIRED, &c->time, NULL) < 0 ||
	    get_str(w, cc->number, OPTIONAL, &c->number) < 0 ||
	    get_str(w, cc->vin, OPTIONAL, &c->vin) < 0 ||
	    get_str(w, cc->service, OPTIONAL, &c->service) < 0 ||
	    get_count(w, cc->tow_km, OPTIONAL, &c->tow_km) < 0 ||
	    get_str(w, cc->cause, OPTIONAL, &c->cause) < 0)
		return -1;
	c->date = local_date(c->time);
	return 1;
}

/* The computed columns of answer A into COMP, numbers and dates into BUF. */
static void
answer_fields(const struct assist *ac, const struct answer *a,
    struct str *comp, char buf[][24])
{
	static const struct str none = { "", 0 };
	const struct sub *s = a->sub;
	const long long num[4] = { a->used, a->left, a->tow_covered, a->tow_excess };

	comp[C_COVERAGE] = str_of(coverage_name[a->coverage]);
	comp[C_PLAN] = s ? ac->spellings[s->spelling] : none;
	comp[C_HOLDER] = s ? sub_holder(s) : none;
	comp[C_VALID_UNTIL] = s ? (struct str){ buf[0], fmt_date(buf[0], s->until) }
	    : none;
	for (int i = 0; i < 4; i++)
		comp[C_CALLS_USED + i] = num[i] < 0 ? none :
		    (struct str){ buf[1 + i], fmt_int(buf[1 + i], num[i]) };
	comp[C_NOTIFY] = a->notify ? sub_insurer(s) : none;
}

/* The subscriptions are too many for the cache, and calls name them in
 * no order: a look-up would wait for memory four times (the map's slot,
 * entry and key, then the row and its texts).  The reader has parsed the
 * rows that follow: the number of the row 8 ahead is hashed, and the
 * numbers of rows 8, 6, 4 and 2 ahead are looked up a stage further
 * each, so that this row's look-up finds all in the cache.  The hashes
 * wait in a ring, by the row's place in the stream. */
#define AHEAD 8
struct ahead {
	uint64_t hash[AHEAD];
	bool known[AHEAD];	/* the row was parsed when it was AHEAD ahead */
	unsigned long seq;	/* the row being checked */
};

/* The hash of the row being checked, when it was hashed ahead. */
static bool
this_hash(const struct ahead *ah, uint64_t *hash)
{
	*hash = ah->hash[ah->seq % AHEAD];
	return ah->known[ah->seq % AHEAD];
}

static void
prefetch_ahead(const struct assist *ac, const struct stream *in, int col,
    struct ahead *ah)
{
	const struct map *m = &ac->numbers;
	struct str k = stream_peek_field(in, AHEAD, col);
	unsigned long seq = ah->seq;
	const size_t *v;

	/* This row's place is taken by the row AHEAD ahead (its own hash
	 * was taken: this_hash()). */
	ah->known[seq % AHEAD] = k.p != NULL;
	if (k.p != NULL) {
		ah->hash[seq % AHEAD] = map_hash(m, str_trim(k));
		map_prefetch(m, ah->hash[seq % AHEAD], 0);
	}
	if (ah->known[(seq + 6) % AHEAD])
		map_prefetch(m, ah->hash[(seq + 6) % AHEAD], 1);
	if (ah->known[(seq + 4) % AHEAD] &&
	    (v = map_prefetch(m, ah->hash[(seq + 4) % AHEAD], 2)) != NULL) {
		__builtin_prefetch(&ac->subs[*v]);
	}
	if (ah->known[(seq + 2) % AHEAD] &&
	    (v = map_prefetch(m, ah->hash[(seq + 2) % AHEAD], 2)) != NULL) {
		const struct sub *s = &ac->subs[*v];
		__builtin_prefetch(s->text);
		if (s->prev != NO_ROW)
			__builtin_prefetch(&ac->subs[s->prev]);
	}
}

/* Every call of the stream, each written with its answer. */
static void
check_log(struct assist *ac, struct stream *in)
{
	struct callcols cc;
	struct outcols oc;
	struct record rec;
	struct str comp[NCOMP];
	char buf[5][24];

	call_columns(in, &cc);
	ac->app.rej_header = in->header;
	ac->app.opt.dialect = in->dialect;
	app_open_output(&ac->app);
	if (stream_empty(in))
		return;
	outcols_init(&oc, in, compname, NCOMP);
	outcols_known(&oc, comp_known);
	outcols_header(&oc, ac->app.out, in);
	struct ahead ah = { .seq = 0 };
	for (; stream_next(in, &rec); ah.seq++) {
		struct row w;
		struct call c;
		struct answer a;
		uint64_t hash;
		bool hashed = this_hash(&ah, &hash);

		prefetch_ahead(ac, in, cc.number, &ah);
		if (!row_start(&w, &ac->app, in, &rec, ROW_STREAM) ||
		    read_call(&w, &cc, &c) < 0)
			continue;
		c.hashed = hashed;
		c.hash = hash;
		check_call(ac, &c, &a);
		if (!call_written(ac, &c, &a))
			continue;
		if (!is_covered(a.coverage))
			ac->alert = true;
		answer_fields(ac, &a, comp, buf);
		outcols_row(&oc, ac->app.out, &rec, comp);
	}
	outcols_free(&oc);
}

/* --number: the log (IN, or NULL) counts, then call C is written (only
 * the column FIELD's value, when not NULL). */
static void
check_one(struct assist *ac, struct stream *in, const struct call *c,
    struct str tow_km_arg, const char *field)
{
	struct answer a;
	struct str f[NCALLCOL + NCOMP];
	char buf[5][24], when[RFC3339_LEN + 1];

	if (in != NULL) {
		struct callcols cc;
		struct record rec;

		call_columns(in, &cc);
		ac->app.rej_header = in->header;
		ac->app.opt.dialect = in->dialect;
		while (!stream_empty(in) && stream_next(in, &rec)) {
			struct row w;
			struct call lc;
			struct answer la;

			if (!row_start(&w, &ac->app, in, &rec, ROW_STREAM) ||
			    read_call(&w, &cc, &lc) < 0)
				continue;
			/* A replay with an earlier --as-of sees the log as
			 * it was then. */
			if (lc.time > c->time)
				continue;
			check_call(ac, &lc, &la);
		}
	}
	app_open_output(&ac->app);
	check_call(ac, c, &a);
	ac->alert = !is_covered(a.coverage);

	f[N_TIME] = (struct str){ when, fmt_rfc3339(when, c->time) };
	f[N_SUBSCRIPTION] = c->number;
	f[N_VIN] = c->vin;
	f[N_SERVICE] = c->service;
	f[N_TOW_KM] = tow_km_arg;
	f[N_CAUSE] = c->cause;
	answer_fields(ac, &a, f + NCALLCOL, buf);
	if (field != NULL) {
		for (int i = 0; i < NCALLCOL + NCOMP; i++) {
			const char *name = i < NCALLCOL ? callcol[i] : compname[i - NCALLCOL];
			if (strcmp(name, field) == 0) {
				csvout_raw(ac->app.out, f[i].p, f[i].n);
				break;
			}
		}
		csvout_raw(ac->app.out, ac->app.opt.crlf ? "\r\n" : "\n",
		    ac->app.opt.crlf ? 2 : 1);
		return;
	}
	for (int i = 0; i < NCALLCOL; i++)
		csvout_cstr(ac->app.out, callcol[i]);
	for (int i = 0; i < NCOMP; i++)
		csvout_cstr(ac->app.out, compname[i]);
	csvout_endrow(ac->app.out);
	csvout_fields(ac->app.out, f, NCALLCOL + NCOMP);
	csvout_endrow(ac->app.out);
}

/* ---- options ---- */

static noreturn void
bad_option(const char *opt, const char *why, const char *val,
    const char *expected)
{
	warnmsg("%s: %s '%s' (expected %s)", opt, why, val, expected);
	usage();
}

static void
parse_only(struct assist *ac, const char *arg)
{
	struct str rest = str_of(arg), tok;
	char list[300], v[64];
	size_t len = 0;

	list[0] = '\0';
	for (int k = 0; k < NCOVERAGE; k++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
		    k ? ", " : "", coverage_name[k]);
	ac->only_set = true;
	while (str_next_token(&rest, ',', &tok)) {
		int k;
		tok = str_trim(tok);
		for (k = 0; k < NCOVERAGE; k++)
			if (str_eq_cstr_ci(tok, coverage_name[k]))
				break;
		if (k == NCOVERAGE)
			bad_option("--only", "unknown coverage",
			    str_cpy(v, sizeof v, tok), list);
		ac->only[k] = true;
	}
}

static tstamp
parse_when(const char *opt, const char *arg)
{
	tstamp t;

	if (parse_iso_timestamp(str_of(arg), &t, NULL) != 0)
		bad_option(opt, "invalid time", arg,
		    "YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS]");
	return t;
}

/* The one column --field writes, by its name (ignoring case). */
static const char *
parse_field(const char *arg)
{
	char list[300];
	size_t len = 0;

	for (int i = 0; i < NCALLCOL + NCOMP; i++) {
		const char *name = i < NCALLCOL ? callcol[i] : compname[i - NCALLCOL];
		if (str_eq_cstr_ci(str_trim(str_of(arg)), name))
			return name;
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
		    i ? ", " : "", name);
	}
	bad_option("--field", "unknown column", arg, list);
}

/* A value of --number, --vin, --service or --cause: trimmed, and, as in
 * a column, `-` or a --na marker is no value. */
static struct str
option_value(const char *arg)
{
	struct str v = str_trim(str_of(arg ? arg : ""));

	return field_unknown(v) ? (struct str){ "", 0 } : v;
}

static void
assist_free(struct assist *ac)
{
	free(ac->subs);
	free(ac->plans);
	free(ac->plan_names);
	free(ac->spellings);
	arena_free(&ac->text);
	free(ac->later);
	map_free(&ac->plan_index);
	map_free(&ac->numbers);
	arena_free(&ac->plan_text);
	common_free(&ac->app.opt);
}

/* What the options need of each other: -S and -P always; a call's
 * options only with --number, and the choice of a log's calls only
 * without. */
static void
check_options(const struct assist *ac)
{
	if (ac->subs_path == NULL || ac->plans_path == NULL) {
		warnmsg("%s is required", ac->subs_path == NULL ?
		    "-S SUBSCRIPTIONS" : "-P PLANS");
		usage();
	}
	const char *call_opt = ac->vin ? "--vin" : ac->service ? "--service" :
	    ac->tow_km ? "--tow-km" : ac->cause ? "--cause" :
	    ac->field ? "--field" : NULL;
	const char *log_opt = ac->only_set ? "--only" : ac->since_arg ?
	    "--since" : ac->until_arg ? "--until" : NULL;
	if (ac->number == NULL && call_opt != NULL) {
		warnmsg("%s: only with --number N (the one call now)",
		    call_opt);
		usage();
	}
	if (ac->number != NULL && log_opt != NULL) {
		warnmsg("%s: not with --number (it chooses the calls of a log "
		    "to write)", log_opt);
		usage();
	}
}

/* --since and --until, in the zone of --tz (known once the common
 * options are finished). */
static void
parse_span(struct assist *ac)
{
	if ((ac->since_set = ac->since_arg != NULL))
		ac->since = parse_when("--since", ac->since_arg);
	if ((ac->until_set = ac->until_arg != NULL))
		ac->until = parse_when("--until", ac->until_arg);
	if (ac->since_set && ac->until_set && ac->since >= ac->until) {
		warnmsg("--since: not before --until");
		usage();
	}
}

/* --number's call, made of the options: now (--as-of), and the km of its
 * tow, -1 when none. */
static struct call
call_of_options(const struct assist *ac)
{
	long long tow = -1;

	if (ac->tow_km != NULL && option_value(ac->tow_km).n > 0 &&
	    parse_count(str_of(ac->tow_km), &tow) != 0)
		bad_option("--tow-km", "invalid number", ac->tow_km,
		    COUNT_EXPECTED);
	return (struct call){
		.time = ac->app.opt.as_of, .date = ac->app.opt.as_of_date,
		.number = option_value(ac->number), .vin = option_value(ac->vin),
		.service = option_value(ac->service),
		.cause = option_value(ac->cause), .tow_km = tow,
	};
}

static void
parse_options(struct assist *ac, int argc, char **argv)
{
	int ch;

	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS "S:P:", longopts,
	    NULL)) != -1) {
		switch (common_option(&ac->app.opt, ch, optarg)) {
		case 1: continue;
		case -1: usage();
		}
		switch (ch) {
		case 'S': ac->subs_path = optarg; break;
		case 'P': ac->plans_path = optarg; break;
		case OPT_ONLY: parse_only(ac, optarg); break;
		case OPT_SINCE: ac->since_arg = optarg; break;
		case OPT_UNTIL: ac->until_arg = optarg; break;
		case OPT_NUMBER: ac->number = optarg; break;
		case OPT_VIN: ac->vin = optarg; break;
		case OPT_SERVICE: ac->service = optarg; break;
		case OPT_TOW_KM: ac->tow_km = optarg; break;
		case OPT_CAUSE: ac->cause = optarg; break;
		case OPT_FIELD: ac->field = parse_field(optarg); break;
		case OPT_ALERT: ac->alert_opt = true; break;
		default: usage();
		}
	}
	check_options(ac);
	if (common_finish(&ac->app.opt) == -1)
		usage();
	parse_span(ac);
	if (ac->number != NULL)
		ac->one = call_of_options(ac);
}

/* The calls of the log (CALLS, or standard input), each written with its
 * answer. */
static void
check_calls(struct assist *ac, int nfiles, char **files)
{
	struct stream in;

	stream_open(&in, files, nfiles, ac->app.opt.dialect, ac->app.opt.map,
	    ac->app.opt.nmap);
	check_log(ac, &in);
	stream_close(&in);
}

/* --number: its call now, after the calls of the log when one is named
 * (they count). */
static void
check_number(struct assist *ac, int nfiles, char **files)
{
	struct stream in;

	if (nfiles > 0)
		stream_open(&in, files, nfiles, ac->app.opt.dialect,
		    ac->app.opt.map, ac->app.opt.nmap);
	check_one(ac, nfiles > 0 ? &in : NULL, &ac->one,
	    option_value(ac->tow_km), ac->field);
	if (nfiles > 0)
		stream_close(&in);
}

int
main(int argc, char *argv[])
{
	static struct assist ac;

	argv[0] = (char *)info.name;	/* getopt names the program so, too */
	prog_start(&info, &ac.app.opt);
	parse_options(&ac, argc, argv);
	read_plans(&ac, ac.plans_path);
	read_subscriptions(&ac, ac.subs_path);
	if (ac.number == NULL)
		check_calls(&ac, argc - optind, argv + optind);
	else
		check_number(&ac, argc - optind, argv + optind);
	int status = app_finish(&ac.app, ac.alert_opt && ac.alert);
	assist_free(&ac);
	return status;
}
