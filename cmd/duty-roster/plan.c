/* plan.c — duty-roster plan: the roster of every region for the days
 * --from to --to, filled shift by shift with the fairest member who may
 * take each.  The rules: shift_weight(), eligibility(), fairer() and
 * choose_member(). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duty-roster.h"
#include "holidays.h"
#include "num.h"
#include "util.h"

enum {
	O_FROM = OPT_PROGRAM, O_TO, O_SHIFTS, O_HANDOVER, O_DAY_WEIGHTS,
	O_HOLIDAYS, O_MIN_GAP, O_HISTORY, O_FORMAT
};

const struct opt_help plan_opts[] = {
	{ "--from DATE", "the first day planned (required)" },
	{ "--to DATE", "the last day planned (required)" },
	{ "--shifts N", "shifts a day, a divisor of 24 (default 1)" },
	{ "--handover HH:MM", "the start of a day's first shift (default 08:00)" },
	{ "--day-weights LIST", "loads of weekday,Saturday,Sunday,holiday shifts (default 1,1.2,1.5,2)" },
	{ "--holidays FILE", "holidays: date (YYYY-MM-DD or MM-DD), region" },
	{ "--min-gap D", "least days between a member's shifts (default 2; 0: none)" },
	{ "--history FILE", "an earlier roster: its loads and rest count (repeatable)" },
	{ "--format csv|ics", "the output: CSV (default) or iCalendar" },
	{ NULL, NULL }
};

enum day_kind { WEEKDAY, SATURDAY, SUNDAY, HOLIDAY };

struct plan {
	day_t from, to;
	bool have_from, have_to;
	long long shifts;		/* a day */
	int handover;			/* seconds of the day */
	long long dw[4];		/* thousandths, by enum day_kind */
	const char *holidays;
	long long min_gap;		/* days */
	const char **history;
	int nhistory;
	bool ics;
};

/* ---- the rules -------------------------------------------------------- */

/* The load of a shift: the weight of the day it starts on (its local
 * date); a holiday weighs as a holiday, on a weekend too. */
static long long
shift_weight(const long long dw[4], day_t day, bool holiday)
{
	int wd = weekday(day);

	return dw[holiday ? HOLIDAY : wd == 6 ? SUNDAY : wd == 5 ? SATURDAY :
	    WEEKDAY];
}

/* Does M take duty in REGION at all: a duty member of that region
 * (members of region `all` form the roster of `all`)? */
static bool
on_roster_of(const struct member *m, const char *region)
{
	return !m->finance && str_eq_ci(str_of(m->region), str_of(region));
}

enum eligibility { MAY_TAKE, UNAVAILABLE, TOO_SOON };

/* May M take a shift starting on DAY: not unavailable that day, and the
 * previous shift started at least MIN_GAP calendar days earlier (0: no
 * limit)? */
static enum eligibility
eligibility(const struct member *m, day_t day, long long min_gap)
{
	if (m->nunav > 0 && member_unavailable(m, day))
		return UNAVAILABLE;
	if (min_gap > 0 && m->has_last && day - m->last_day < min_gap)
		return TOO_SOON;
	return MAY_TAKE;
}

/* Is A fairer than B to take a shift of load W: (load_a + w) / weight_a <
 * (load_b + w) / weight_b, compared exactly (so that ties are real ties);
 * on a tie, the one whose last shift is longest ago (never is longest).
 * A full tie is not fairer: the first in the members file stays. */
static bool
fairer(const struct member *a, const struct member *b, long long w)
{
	__int128 x = (__int128)(a->load + w) * b->weight;
	__int128 y = (__int128)(b->load + w) * a->weight;

	if (x != y)
		return x < y;
	if (a->has_last != b->has_last)
		return !a->has_last;
	return a->has_last && a->last < b->last;
}

/* Who takes a shift of load W starting on DAY, among CAND (the duty
 * members of its region, in members-file order): the fairest of those who
 * may take it; when only the gap rule leaves nobody, the rule is dropped
 * for this shift (*short_rest).  NULL: nobody may take it (uncovered). */
static struct member *
choose_member(struct member *const *cand, size_t n, long long w, day_t day,
    long long min_gap, bool *short_rest)
{
	struct member *best = NULL, *rested = NULL;

	for (size_t i = 0; i < n; i++) {
		struct member *m = cand[i];
		enum eligibility e = eligibility(m, day, min_gap);
		if (e == UNAVAILABLE)
			continue;
		if (best == NULL || fairer(m, best, w))
			best = m;
		if (e == MAY_TAKE && (rested == NULL || fairer(m, rested, w)))
			rested = m;
	}
	*short_rest = rested == NULL && best != NULL;
	return rested != NULL ? rested : best;
}

/* M took a shift of load W that starts at START, on DAY. */
static void
take_shift(struct member *m, long long w, tstamp start, day_t day)
{
	m->load += w;
	m->last = start;
	m->last_day = day;
	m->has_last = true;
}

/* ---- history ---------------------------------------------------------- */

/* An earlier roster: the load and last shift of each member carry over.
 * Only assigned rows that start before FIRST (the first shift planned)
 * and name a member of the file count. */
static void
history_read(struct app *a, const char *path, struct members *ms,
    tstamp first)
{
	struct stream s;
	struct record rec;
	struct roster_cols c = { -1, -1, -1, -1, -1, -1, 1u << ST_ASSIGNED };
	const struct column spec[] = {
		{ "member", true, &c.member }, { "start", true, &c.start },
		{ "load", true, &c.load }, { "status", false, &c.status },
		{ NULL, false, NULL }
	};

	table_open(&s, path, "history");
	stream_columns(&s, spec);
	while (stream_next(&s, &rec)) {
		struct row w;
		struct shift x;
		struct member *m;

		if (!row_start(&w, a, &s, &rec, ROW_DATA) ||
		    shift_read(&w, &c, NULL, &x) < 0)
			continue;
		if (x.status != ST_ASSIGNED || x.start >= first ||
		    (m = member_find(ms, x.member)) == NULL)
			continue;
		m->load += x.load;
		if (!m->has_last || x.start > m->last)
			take_shift(m, 0, x.start, x.sday);
	}
	stream_close(&s);
}

/* ---- iCalendar -------------------------------------------------------- */

/* A content line being built: TEXT values escaped, then folded. */
struct icsline {
	char *buf;
	size_t n, cap;
};

static void
ics_add(struct icsline *l, const char *p, size_t n, bool text)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		char e[2];
		size_t k = 1;
		if (l->n + 2 > l->cap) {
			l->cap = l->cap ? 2 * l->cap : 256;
			l->buf = xrealloc(l->buf, l->cap);
		}
		e[0] = (char)c;
		if (text) {
			if (c == '\\' || c == ';' || c == ',')
				e[0] = '\\', e[1] = (char)c, k = 2;
			else if (c == '\n')
				e[0] = '\\', e[1] = 'n', k = 2;
			else if ((c < 0x20 && c != '\t') || c == 0x7f)
				continue;
		}
		memcpy(l->buf + l->n, e, k);
		l->n += k;
	}
}

static void
ics_addc(struct icsline *l, const char *s, bool text)
{
	ics_add(l, s, strlen(s), text);
}

/* Write the content line, folded: no physical line over 75 octets, never
 * splitting a UTF-8 sequence. */
static void
ics_flush(struct icsline *l, struct csvout *w)
{
	size_t len = 0, i = 0;

	while (i < l->n) {
		unsigned char c = (unsigned char)l->buf[i];
		size_t k = 1;
		if (c >= 0xc0)
			while (i + k < l->n && k < 4 &&
			    ((unsigned char)l->buf[i + k] & 0xc0) == 0x80)
				k++;
		if (len + k > 75) {
			csvout_raw(w, "\r\n ", 3);
			len = 1;
		}
		csvout_raw(w, l->buf + i, k);
		len += k;
		i += k;
	}
	csvout_raw(w, "\r\n", 2);
	l->n = 0;
}

static void
ics_simple(struct csvout *w, const char *line)
{
	csvout_raw(w, line, strlen(line));
	csvout_raw(w, "\r\n", 2);
}

static void
ics_begin(struct csvout *w)
{
	ics_simple(w, "BEGIN:VCALENDAR");
	ics_simple(w, "VERSION:2.0");
	ics_simple(w, "PRODID:-//aftersales//duty-roster " VERSION "//EN");
	ics_simple(w, "CALSCALE:GREGORIAN");
	ics_simple(w, "METHOD:PUBLISH");
}

/* A shift as one event.  The UID names the shift (region, date, number),
 * not the member, so that a new plan updates the same events. */
static void
ics_event(struct csvout *w, struct icsline *il, const char *region,
    const char *date, long long k, tstamp start, tstamp end,
    const struct member *m, tstamp stamp)
{
	char t[64], line[96];

	ics_simple(w, "BEGIN:VEVENT");
	ics_addc(il, "UID:duty-roster-", false);
	for (const char *p = region; *p; p++) {
		unsigned char c = (unsigned char)*p;
		char x[4];
		if (isalnum(c) || c == '-' || c == '_' || c == '.')
			x[0] = (char)tolower(c), x[1] = 0;
		else
			snprintf(x, sizeof x, "%%%02X", c);
		ics_addc(il, x, false);
	}
	snprintf(t, sizeof t, "-%.4s%.2s%.2s-%lld@aftersales", date, date + 5,
	    date + 8, k);
	ics_addc(il, t, false);
	ics_flush(il, w);
	fmt_utc_ics(t, stamp);
	snprintf(line, sizeof line, "DTSTAMP:%s", t);
	ics_simple(w, line);
	fmt_utc_ics(t, start);
	snprintf(line, sizeof line, "DTSTART:%s", t);
	ics_simple(w, line);
	fmt_utc_ics(t, end);
	snprintf(line, sizeof line, "DTEND:%s", t);
	ics_simple(w, line);
	ics_addc(il, "SUMMARY:", false);
	ics_addc(il, "Duty ", true);
	ics_addc(il, region, true);
	ics_addc(il, ": ", true);
	if (str_trim(m->name).n)
		ics_add(il, m->name.p, m->name.n, true);
	else
		ics_addc(il, m->id, true);
	ics_flush(il, w);
	ics_addc(il, "DESCRIPTION:", false);
	ics_addc(il, "Member ", true);
	ics_addc(il, m->id, true);
	if (str_trim(m->phone).n) {
		ics_addc(il, ", phone ", true);
		ics_add(il, m->phone.p, m->phone.n, true);
	}
	ics_flush(il, w);
	ics_simple(w, "END:VEVENT");
}

/* ---- the roster ------------------------------------------------------- */

static void
csv_header(struct csvout *w)
{
	static const char *const cols[] = { "region", "date", "shift",
		"start", "end", "member", "name", "phone", "load", "status",
		"note" };

	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		csvout_cstr(w, cols[i]);
	csvout_endrow(w);
}

/* A shift's times, formatted once for the rows of every region. */
struct shift_times {
	const char *date;
	long long k;			/* its number in the day, from 1 */
	tstamp start, end;
	char start_s[RFC3339_LEN + 1], end_s[RFC3339_LEN + 1];
};

static void
csv_row(struct csvout *w, const char *region, const struct shift_times *t,
    const struct member *m, long long load, bool short_rest)
{
	char buf[32];

	csvout_cstr(w, region);
	csvout_cstr(w, t->date);
	csvout_int(w, t->k);
	csvout_cstr(w, t->start_s);
	csvout_cstr(w, t->end_s);
	if (m != NULL) {
		csvout_cstr(w, m->id);
		csvout_str(w, m->name);
		csvout_str(w, m->phone);
	} else {
		csvout_empty(w);
		csvout_empty(w);
		csvout_empty(w);
	}
	fmt_milli(buf, load);
	csvout_cstr(w, buf);
	csvout_cstr(w, m != NULL ? "assigned" : "uncovered");
	csvout_cstr(w, short_rest ? "short_rest" : "");
	csvout_endrow(w);
}

/* The duty members of each region, in members-file order. */
struct region_roster {
	struct member **mem;
	size_t n;
};

static struct region_roster *
region_rosters(struct members *ms, struct map *rg)
{
	struct region_roster *rr;

	regions_init(rg);
	for (size_t i = 0; i < ms->n; i++)
		if (!ms->m[i].finance)
			region_add(rg, str_of(ms->m[i].region));
	rr = xcalloc(map_count(rg) + 1, sizeof *rr);
	for (size_t r = 0; r < map_count(rg); r++) {
		rr[r].mem = xcalloc(ms->n + 1, sizeof *rr[r].mem);
		for (size_t i = 0; i < ms->n; i++)
			if (on_roster_of(&ms->m[i], region_name(rg, r)))
				rr[r].mem[rr[r].n++] = &ms->m[i];
	}
	return rr;
}

/* Fill the shift T of every region and write it. */
static int
plan_shift(const struct plan *p, struct app *a, const struct map *rg,
    const struct region_roster *rr, const struct holidays *hs,
    const struct shift_times *t, struct icsline *il)
{
	day_t sday = local_date(t->start);
	int alert = 0;

	for (size_t r = 0; r < map_count(rg); r++) {
		long long w = shift_weight(p->dw, sday, hs->n > 0 &&
		    holiday_on(hs, sday, rg->e[r].key));
		bool short_rest;
		struct member *m = choose_member(rr[r].mem, rr[r].n, w, sday,
		    p->min_gap, &short_rest);
		if (m != NULL)
			take_shift(m, w, t->start, sday);
		else
			alert = 1;
		if (!p->ics)
			csv_row(a->out, region_name(rg, r), t, m, w, short_rest);
		else if (m != NULL)
			ics_event(a->out, il, region_name(rg, r), t->date, t->k,
			    t->start, t->end, m, a->opt.as_of);
	}
	return alert;
}

/* Fill and write the shifts, in order of start, then region.  Returns 1
 * when a shift is uncovered. */
static int
plan_write(const struct plan *p, struct app *a, const struct map *rg,
    const struct region_roster *rr, const struct holidays *hs)
{
	struct icsline il = { 0 };
	long long len = 86400 / p->shifts;
	struct shift_times t;
	char date[DATE_LEN + 1];
	int alert = 0;

	t.date = date;
	t.start = local_to_utc(p->from, p->handover);
	for (day_t d = p->from; d <= p->to; d++) {
		fmt_date(date, d);
		for (t.k = 1; t.k <= p->shifts; t.k++) {
			long long nx = p->handover + t.k * len;
			t.end = local_to_utc(d + (day_t)(nx / 86400),
			    (int)(nx % 86400));
			fmt_rfc3339(t.start_s, t.start);
			fmt_rfc3339(t.end_s, t.end);
			alert |= plan_shift(p, a, rg, rr, hs, &t, &il);
			t.start = t.end;
		}
	}
	free(il.buf);
	return alert;
}

/* ---- options ---------------------------------------------------------- */

/* --day-weights W,SAT,SUN,HOL: four figures above 0.  0 or -1. */
static int
day_weights(const char *arg, long long dw[4])
{
	struct str rest = str_of(arg), tok;
	long long v[4];
	int n = 0;

	while (str_next_token(&rest, ',', &tok)) {
		if (n == 4 || parse_milli(tok, &v[n]) != 0 || v[n] == 0)
			return -1;
		n++;
	}
	if (n != 4)
		return -1;
	memcpy(dw, v, sizeof v);
	return 0;
}

/* The value ARG of plan's option CH. */
static void
plan_option(struct plan *p, int ch, const char *arg)
{
	switch (ch) {
	case O_FROM:
	case O_TO:
		if (parse_iso_date(str_of(arg), ch == O_FROM ? &p->from :
		    &p->to) != 0)
			bad_option(ch == O_FROM ? "--from" : "--to", "date",
			    arg, "YYYY-MM-DD");
		*(ch == O_FROM ? &p->have_from : &p->have_to) = true;
		break;
	case O_SHIFTS:
		if (parse_uint(arg, &p->shifts) != 0 || p->shifts < 1 ||
		    p->shifts > 24 || 24 % p->shifts)
			bad_option("--shifts", "number of shifts", arg, "a "
			    "divisor of 24: 1, 2, 3, 4, 6, 8, 12 or 24");
		break;
	case O_HANDOVER:
		if (parse_hhmm(str_of(arg), &p->handover, false) != 0)
			bad_option("--handover", "time", arg,
			    "HH:MM from 00:00 to 23:59");
		break;
	case O_DAY_WEIGHTS:
		if (day_weights(arg, p->dw) != 0)
			bad_option("--day-weights", "weights", arg,
			    "four numbers above 0, for weekdays, Saturdays,"
			    " Sundays and holidays, such as 1,1.2,1.5,2");
		break;
	case O_HOLIDAYS:
		p->holidays = arg;
		break;
	case O_MIN_GAP:
		if (parse_uint(arg, &p->min_gap) != 0 || p->min_gap > 100000)
			bad_option("--min-gap", "number of days", arg,
			    "a whole number of days, 0 or more");
		break;
	case O_HISTORY:
		p->history = xrealloc(p->history,
		    (size_t)(p->nhistory + 1) * sizeof *p->history);
		p->history[p->nhistory++] = arg;
		break;
	case O_FORMAT:
		if (strcmp(arg, "ics") != 0 && strcmp(arg, "csv") != 0)
			bad_option("--format", "format", arg, "csv or ics");
		p->ics = strcmp(arg, "ics") == 0;
		break;
	default:
		usage();
	}
}

/* What the options need of each other. */
static void
plan_check(const struct plan *p)
{
	if (!p->have_from || !p->have_to) {
		warnmsg("plan needs --from and --to");
		usage();
	}
	if (p->to < p->from) {
		warnmsg("--to is before --from");
		usage();
	}
}

static void
plan_options(struct plan *p, struct app *a, int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "from",        required_argument, NULL, O_FROM },
		{ "to",          required_argument, NULL, O_TO },
		{ "shifts",      required_argument, NULL, O_SHIFTS },
		{ "handover",    required_argument, NULL, O_HANDOVER },
		{ "day-weights", required_argument, NULL, O_DAY_WEIGHTS },
		{ "holidays",    required_argument, NULL, O_HOLIDAYS },
		{ "min-gap",     required_argument, NULL, O_MIN_GAP },
		{ "history",     required_argument, NULL, O_HISTORY },
		{ "format",      required_argument, NULL, O_FORMAT },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (common_option(&a->opt, ch, optarg)) {
		case 1: continue;
		case -1: usage();
		}
		plan_option(p, ch, optarg);
	}
	if (common_finish(&a->opt) == -1)
		usage();
	plan_check(p);
}

int
plan_main(const struct prog_info *info, int argc, char **argv)
{
	struct plan p = {
		.shifts = 1, .handover = 8 * 3600,
		.dw = { 1000, 1200, 1500, 2000 }, .min_gap = 2
	};
	struct app app = { 0 };
	struct stream in;
	struct members ms;
	struct holidays hs = { 0 };
	struct map rg;
	struct region_roster *rr;

	prog_start(info, &app.opt);
	plan_options(&p, &app, argc, argv);
	stream_open(&in, argv + optind, argc - optind, app.opt.dialect,
	    app.opt.map, app.opt.nmap);
	app.rej_header = in.header;
	app.opt.dialect = in.dialect;
	app_open_output(&app);	/* before rejected rows: it starts --rejects */
	members_read(&app, &in, ROW_STREAM, &ms);
	stream_close(&in);
	if (p.holidays != NULL)
		holidays_read(&hs, p.holidays);
	for (int i = 0; i < p.nhistory; i++)
		history_read(&app, p.history[i], &ms,
		    local_to_utc(p.from, p.handover));

	rr = region_rosters(&ms, &rg);
	if (p.ics)
		ics_begin(app.out);
	else
		csv_header(app.out);
	int alert = plan_write(&p, &app, &rg, rr, &hs);
	if (p.ics)
		ics_simple(app.out, "END:VCALENDAR");
	int status = app_finish(&app, alert);

	for (size_t r = 0; r < map_count(&rg); r++)
		free(rr[r].mem);
	free(rr);
	map_free(&rg);
	holidays_free(&hs);
	members_free(&ms);
	free(p.history);
	common_free(&app.opt);
	return status;
}
