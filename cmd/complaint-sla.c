/* complaint-sla — response deadlines of inquiries and complaints: which are
 * met, at risk or breached, how far a breach is escalated, and summaries of
 * how well the promise is kept.  See complaint-sla(1).
 *
 * The rules, one function each: effective_priority, choose_policy,
 * warn_point, moved_point (pauses), target_status, ticket_status, overdue,
 * escalation_level, nearest_rank.  The rest reads the tables and the
 * stream and writes. */
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "datetime.h"
#include "duration.h"
#include "field.h"
#include "holidays.h"
#include "hours.h"
#include "map.h"
#include "memo.h"
#include "num.h"
#include "opts.h"
#include "outcols.h"
#include "pattern.h"
#include "str.h"
#include "stream.h"
#include "util.h"

#define SYNOPSIS \
	"[-p POLICY] [--hours SPEC] [--holidays FILE] [--pauses FILE]\n" \
	"       [--urgent-categories LIST] [--urgent-pattern REGEX]\n" \
	"       [--escalate H1,H2] [--only LIST] [--summary COLUMNS] [--alert]\n" \
	"       " COMMON_USAGE "\n" \
	"       [TICKETS...]"

#define DEFAULT_PATTERN \
	"\\b(brakes?|braking|airbags?|air ?bags?|steering|fire|smoke|smoking|" \
	"burning smell|fuel leak|petrol leak|тормоз\\w*|подушк\\w* безопасности|" \
	"руль|рулев\\w*|пожар\\w*|возгоран\\w*|дым\\w*|запах гари|" \
	"утечк\\w* топлива|течь топлива|stabd\\w*|oro pagalv\\w*|vairas|vairo|" \
	"gaisr\\w*|dūm\\w*|degėsių kvap\\w*|kuro nuotėk\\w*)\\b"

static const struct opt_help opts_help[] = {
	{ "-p, --policy FILE", "targets per class, category and priority (default: built in)" },
	{ "--hours SPEC", "open hours: 'Mon-Fri 09:00-18:00; Sat 09:00-14:00' (default: all)" },
	{ "--holidays FILE", "days closed all day (column date: YYYY-MM-DD or MM-DD)" },
	{ "--pauses FILE", "when the clock of a ticket stopped (columns id, from, to)" },
	{ "--urgent-categories LIST", "categories that make a ticket urgent (default: safety,warranty)" },
	{ "--urgent-pattern REGEX", "text that makes a ticket urgent (PCRE2; '' for none)" },
	{ "--escalate H1,H2", "hours over a deadline for escalation levels 2 and 3 (default: 24,72)" },
	{ "--only LIST", "only tickets of these statuses: met, pending, at_risk, breached" },
	{ "--summary COLUMNS", "one row per group of COLUMNS instead of the tickets" },
	{ "--alert", "exit 3 when a written ticket has a breach not yet remedied" },
	{ NULL, NULL }
};

static const struct prog_info info = {
	"complaint-sla", NULL, SYNOPSIS,
	"Response deadlines of inquiries and complaints: met, at risk or breached.",
	opts_help
};

enum {
	OPT_HOURS = OPT_PROGRAM, OPT_HOLIDAYS, OPT_PAUSES, OPT_URGENT_CATEGORIES,
	OPT_URGENT_PATTERN, OPT_ESCALATE, OPT_ONLY, OPT_SUMMARY, OPT_ALERT
};

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ "policy",            required_argument, NULL, 'p' },
	{ "hours",             required_argument, NULL, OPT_HOURS },
	{ "holidays",          required_argument, NULL, OPT_HOLIDAYS },
	{ "pauses",            required_argument, NULL, OPT_PAUSES },
	{ "urgent-categories", required_argument, NULL, OPT_URGENT_CATEGORIES },
	{ "urgent-pattern",    required_argument, NULL, OPT_URGENT_PATTERN },
	{ "escalate",          required_argument, NULL, OPT_ESCALATE },
	{ "only",              required_argument, NULL, OPT_ONLY },
	{ "summary",           required_argument, NULL, OPT_SUMMARY },
	{ "alert",             no_argument,       NULL, OPT_ALERT },
	{ NULL, 0, NULL, 0 }
};

/* ---- names ---- */

/* The three targets of a ticket, in the order they are done. */
enum step { ACK, RESPONSE, RESOLVE, NSTEP };
static const struct {
	const char *name;	/* the policy's column, the output's prefix */
	const char *done;	/* the ticket's column: when it was done */
} step[NSTEP] = {
	{ "ack", "acknowledged_at" },
	{ "response", "responded_at" },
	{ "resolve", "resolved_at" },
};

/* A target's status, best first: a ticket's status is the worst of its
 * targets' (ticket_status), so this order is the ranking. */
enum status { ST_NONE = -1, ST_MET, ST_PENDING, ST_AT_RISK, ST_BREACHED, NSTATUS };
static const char *const status_name[NSTATUS + 1] = {
	"met", "pending", "at_risk", "breached", NULL
};

/* A ticket's priority; PRIO_ANY is a policy's `*`. */
enum priority { PRIO_NONE = -1, PRIO_NORMAL, PRIO_URGENT, PRIO_ANY };
static const char *const priority_name[] = { "normal", "urgent", NULL };

/* The names as written into the output, made once (names_init). */
static struct str status_str[NSTATUS], priority_str[PRIO_ANY];

static void
names_init(void)
{
	for (int k = 0; k < NSTATUS; k++)
		status_str[k] = str_of(status_name[k]);
	for (int k = 0; k < PRIO_ANY; k++)
		priority_str[k] = str_of(priority_name[k]);
}

/* The computed columns, in output order; paused_hours only with
 * --pauses. */
enum {
	C_PRIORITY, C_ACK_DUE, C_ACK_STATUS, C_RESPONSE_DUE, C_RESPONSE_STATUS,
	C_RESOLVE_DUE, C_RESOLVE_STATUS, C_STATUS, C_OVERDUE, C_ESCALATION,
	C_PAUSED, NCOMP
};
static const char *const compname[NCOMP] = {
	"priority", "ack_due", "ack_status", "response_due", "response_status",
	"resolve_due", "resolve_status", "status", "overdue_hours", "escalation",
	"paused_hours"
};

/* ---- state ---- */

struct policy_row {
	struct str class;	/* owned; p NULL: `*` (or no class column) */
	struct str category;	/* owned; p NULL: `*`, any category */
	enum priority priority;	/* PRIO_ANY: `*` */
	struct duration target[NSTEP], warn[NSTEP];	/* DUR_NONE: none */
};

struct policy {
	struct policy_row *row;
	size_t n;
	bool has_class;		/* the table has a class column */
};

/* A time the clock of a ticket stood still: [from, to). */
struct pause {
	tstamp from, to;
};

/* A ticket of the pauses table: its id and its pauses, p[first] ..
 * p[first + n - 1]. */
struct paused_ticket {
	uint64_t hash;		/* str_hash(id) | 1; 0: an empty slot */
	struct str id;		/* in keys */
	uint32_t first, n;
};

/* --pauses: the pauses of each ticket, merged, clipped to as-of, in time
 * order.  A table of its own rather than common/map.h, as warranty-check's
 * VIN table: 200,000 pauses of 1,000,000 tickets (make bench) cost 0.3 s
 * through the map (a look-up touches its slots, entries and keys, each a
 * cache miss, and the growing map faults in page after page); here one
 * slot array at most half full, in huge pages, holding the hash, whose
 * slot for a ticket is fetched ahead (pauses_prefetch) while the rest of
 * its row is read. */
struct pauses {
	bool given;
	struct paused_ticket *slot;	/* open addressing, linear probing */
	size_t mask;			/* slots - 1 */
	struct pause *p;
	struct arena keys;
};

/* The clock of one ticket: its pauses (none: n 0) from its receipt on,
 * and the business hours. */
struct clock {
	const struct hours *hours;
	tstamp received;
	const struct pause *p;
	size_t n;
};

/* What makes a ticket urgent when its priority is not given. */
struct urgency {
	struct str *categories;	/* --urgent-categories, into argv */
	size_t ncategories;
	struct pattern *pattern;	/* NULL: no urgency by text */
	struct memo *memo;	/* pattern results of recent texts */
	char limit_why[300];	/* the message when a match hits a limit */
};

/* What the memo keeps of a text. */
struct urgent_memo {
	int match;
	bool utf8;		/* valid UTF-8 */
};

/* Texts as long as this or shorter are kept in the memo: subjects and
 * template sentences repeat, longer free texts (with order numbers,
 * names) hardly ever do, and would only cost a hash and a copy (make
 * bench: 128 bytes cost 2% more than 64). */
#define MEMO_TEXT_USEFUL 64

/* --summary: a group column is an input column, the month of receipt or a
 * computed column. */
enum { SRC_INPUT, SRC_MONTH, SRC_COMPUTED };
struct gcol {
	int src, idx;		/* input column, or computed column index */
	const char *name;
	char *own;		/* the name, when the run allocated it */
};

struct i64vec {
	int64_t *v;
	size_t n, cap;
};

/* One group's counts.  Its values are its key in the summary's map. */
struct group {
	long tickets, met[NSTEP], breached[NSTEP], open_breached, at_risk;
	struct i64vec ack, response;	/* seconds from receipt to the step */
};

struct summary {
	struct gcol *col;
	size_t ncol;
	struct map groups;	/* the values, joined (group_key), to an index */
	struct group *g;
	size_t cap;
	char *key;		/* group_key's buffer */
	size_t keycap;
};

struct sla {
	struct app app;
	struct policy policy;
	struct hours hours;
	struct pauses pauses;
	struct urgency urgency;
	long long esc1, esc2;	/* --escalate, in seconds */
	bool only[NSTATUS];
	bool only_set, alert_opt, alert;
	const char *summary_arg;
	struct summary sum;
};

/* The stream's columns (-1: absent). */
struct cols {
	int id, received, class, category, priority, subject, text, done[NSTEP];
};

/* A ticket as read. */
struct ticket {
	struct str id;
	uint64_t id_hash;	/* with --pauses: pauses_prefetch() */
	tstamp received;
	struct str class, category;
	enum priority priority;	/* PRIO_NONE: not given */
	bool done[NSTEP];	/* done by as-of (after the cascade) */
	tstamp done_at[NSTEP];
};

/* A ticket evaluated. */
struct verdict {
	enum priority priority;
	enum status st[NSTEP];	/* ST_NONE: no target */
	tstamp due[NSTEP];
	enum status status;
	int64_t over;		/* largest overshoot of a breached target; -1 */
	int64_t open_over;	/* ... of one not yet done; -1 none */
	int64_t paused;		/* seconds the clock stood still */
};

/* ---- options ---- */

static noreturn void
bad_value(const char *opt, const char *why, const char *val,
    const char *expected)
{
	warnmsg("%s: %s '%s' (expected %s)", opt, why, val, expected);
	usage();
}

static void
parse_escalate(struct sla *s, const char *arg)
{
	static const char expected[] = "H1,H2: whole hours, H1 not above H2";
	const char *comma = strchr(arg, ',');
	long long a, b;
	char first[32];

	if (!comma || (size_t)(comma - arg) >= sizeof first)
		bad_value("--escalate", "bad value", arg, expected);
	memcpy(first, arg, (size_t)(comma - arg));
	first[comma - arg] = '\0';
	if (parse_uint(first, &a) || parse_uint(comma + 1, &b) ||
	    a > 1000000 || b > 1000000)
		bad_value("--escalate", "bad value", arg, expected);
	if (a > b)
		bad_value("--escalate", "H1 is greater than H2", arg, expected);
	s->esc1 = a * 3600;
	s->esc2 = b * 3600;
}

static void
parse_only(struct sla *s, const char *arg)
{
	struct str rest = str_of(arg), tok;

	s->only_set = true;
	while (str_next_token(&rest, ',', &tok)) {
		tok = str_trim(tok);
		int k = 0;
		while (k < NSTATUS && !str_eq_cstr_ci(tok, status_name[k]))
			k++;
		if (k == NSTATUS) {
			char v[64];
			bad_value("--only", "unknown status", str_msg(v, sizeof v, tok),
			    "met, pending, at_risk or breached");
		}
		s->only[k] = true;
	}
}

static void
parse_urgent_categories(struct urgency *u, const char *arg)
{
	struct str rest = str_of(arg), tok;

	free(u->categories);
	u->categories = NULL;
	u->ncategories = 0;
	while (str_next_token(&rest, ',', &tok)) {
		tok = str_trim(tok);
		if (tok.n == 0)
			continue;
		u->categories = xrealloc(u->categories,
		    (u->ncategories + 1) * sizeof *u->categories);
		u->categories[u->ncategories++] = tok;	/* points into argv */
	}
}

static void
set_urgent_pattern(struct urgency *u, const char *src)
{
	if (*src == '\0')
		return;		/* urgency by text off */
	u->pattern = pattern_compile(src, strlen(src), true, "--urgent-pattern");
	u->memo = memo_new(sizeof(struct urgent_memo));
	if (strcmp(src, DEFAULT_PATTERN) == 0)
		snprintf(u->limit_why, sizeof u->limit_why,
		    "the default --urgent-pattern hit a match limit");
	else
		snprintf(u->limit_why, sizeof u->limit_why,
		    "--urgent-pattern '%.200s' hit a match limit", src);
}

/* ---- tables ---- */

static const char DURATION_EXPECTED[] =
    "Nm, Nh, Nd, Nbh, Nbd or eod, N a whole number, or empty";

/* Policy duration of COL into *d (empty or unknown: no target). */
static int
get_duration(struct row *w, int col, struct duration *d)
{
	d->kind = DUR_NONE;
	if (col < 0)
		return 0;
	if (duration_parse(row_value(w, col), d) == 0)
		return 1;
	return row_bad(w, col, "bad duration", "expected %s", DURATION_EXPECTED);
}

/* A code of a policy row: `*` (any: *out.p NULL), or the code. */
static int
get_code_or_any(struct row *w, int col, struct str *out)
{
	struct str v;
	int rc = get_str(w, col, REQUIRED, &v);

	if (rc < 0)
		return rc;
	if (v.n == 1 && v.p[0] == '*')
		*out = (struct str){ NULL, 0 };
	else
		*out = (struct str){ xmemdup(v.p, v.n), v.n };
	return 1;
}

static int
get_policy_priority(struct row *w, int col, enum priority *out)
{
	struct str v = row_value(w, col);
	int k;

	if (v.n == 1 && v.p[0] == '*') {
		*out = PRIO_ANY;
		return 1;
	}
	if (v.n == 0)
		return get_str(w, col, REQUIRED, &v);	/* missing value */
	for (k = 0; priority_name[k] != NULL; k++)
		if (str_eq_cstr_ci(v, priority_name[k])) {
			*out = (enum priority)k;
			return 1;
		}
	return row_bad(w, col, "unknown priority", "expected normal, urgent or *");
}

static void
read_policy(struct policy *pol, const char *path)
{
	struct stream t;
	struct record r;
	int cclass, ccat, cprio, ctarget[NSTEP], cwarn[NSTEP];
	char warnname[NSTEP][32];
	struct column spec[3 + 2 * NSTEP + 1] = {
		{ "class", false, &cclass }, { "category", true, &ccat },
		{ "priority", true, &cprio },
	};
	size_t k = 3, cap = 0;

	for (int i = 0; i < NSTEP; i++) {
		snprintf(warnname[i], sizeof warnname[i], "%s_warn", step[i].name);
		spec[k++] = (struct column){ step[i].name, true, &ctarget[i] };
		spec[k++] = (struct column){ warnname[i], false, &cwarn[i] };
	}
	spec[k] = (struct column){ NULL, false, NULL };
	table_open(&t, path, "policy");
	stream_columns(&t, spec);
	pol->has_class = cclass >= 0;
	while (stream_next(&t, &r)) {
		struct row w;
		struct policy_row p = { 0 };

		/* A bad row of the policy is fatal: these never return -1. */
		row_start(&w, NULL, &t, &r, ROW_CONFIG);
		if (pol->has_class)
			get_code_or_any(&w, cclass, &p.class);
		get_code_or_any(&w, ccat, &p.category);
		get_policy_priority(&w, cprio, &p.priority);
		for (int i = 0; i < NSTEP; i++) {
			get_duration(&w, ctarget[i], &p.target[i]);
			get_duration(&w, cwarn[i], &p.warn[i]);
			if (p.warn[i].kind != DUR_NONE &&
			    p.target[i].kind == DUR_NONE) {
				char why[64];
				snprintf(why, sizeof why, "warning without a %s target",
				    step[i].name);
				row_bad(&w, cwarn[i], why, NULL);
			}
		}
		if (pol->n == cap) {
			cap = cap ? 2 * cap : 16;
			pol->row = xrealloc(pol->row, cap * sizeof *pol->row);
		}
		pol->row[pol->n++] = p;
	}
	stream_close(&t);
}

/* Without -p: urgent 1h, eod; normal 24h, 72h, warned at 48h. */
static void
builtin_policy(struct policy *pol)
{
	static const char *const rows[2][2 * NSTEP] = {
		{ "1h", "eod", "", "", "", "" },
		{ "24h", "72h", "", "", "48h", "" },
	};

	pol->row = xcalloc(2, sizeof *pol->row);
	pol->n = 2;
	for (int k = 0; k < 2; k++) {
		struct policy_row *p = &pol->row[k];
		p->priority = k == 0 ? PRIO_URGENT : PRIO_NORMAL;
		for (int i = 0; i < NSTEP; i++) {
			duration_parse(str_of(rows[k][i]), &p->target[i]);
			duration_parse(str_of(rows[k][NSTEP + i]), &p->warn[i]);
		}
	}
}

/* The holidays table (common/holidays.h) closes whole days of business
 * time; complaint-sla has no regions, so every row counts. */
static void
read_holidays(struct hours *h, const char *path)
{
	struct holidays hs = { 0 };

	holidays_read(&hs, path);
	for (size_t i = 0; i < hs.n; i++)
		if (hs.h[i].day == DAY_NONE)
			hours_add_yearly(h, hs.h[i].month, hs.h[i].mday);
		else
			hours_add_holiday(h, hs.h[i].day);
	holidays_free(&hs);
	hours_done(h);
}

static int
cmp_pause(const void *a, const void *b)
{
	const struct pause *x = a, *y = b;

	return (x->from > y->from) - (x->from < y->from);
}

/* The pauses P[0..N-1] of one ticket in time order, merged where they
 * overlap or touch; returns how many are left. */
static size_t
merge_pauses(struct pause *p, size_t n)
{
	size_t m = 0;

	if (n > 16)
		qsort(p, n, sizeof *p, cmp_pause);
	else
		for (size_t i = 1; i < n; i++)	/* one or two, mostly */
			for (size_t k = i; k > 0 && p[k].from < p[k - 1].from; k--) {
				struct pause x = p[k];
				p[k] = p[k - 1];
				p[k - 1] = x;
			}
	for (size_t i = 0; i < n; i++) {
		if (m > 0 && p[i].from <= p[m - 1].to) {
			if (p[i].to > p[m - 1].to)
				p[m - 1].to = p[i].to;
			continue;
		}
		p[m++] = p[i];
	}
	return m;
}

/* A pause as read, and its ticket. */
struct pause_row {
	struct str id;		/* in the arena of keys */
	uint64_t hash;
	struct pause p;
};

/* The slot of ID (hash H) in PS: its own, or the empty one it would take. */
static struct paused_ticket *
pause_slot(const struct pauses *ps, struct str id, uint64_t h)
{
	for (size_t i = h & ps->mask;; i = (i + 1) & ps->mask) {
		struct paused_ticket *t = &ps->slot[i];
		if (t->hash == 0 || (t->hash == h && str_eq(t->id, id)))
			return t;
	}
}

/* Slots and pauses of PS for the N pauses ROWS: the tickets' ranges of p,
 * then each ticket's pauses merged in time order. */
static void
index_pauses(struct pauses *ps, const struct pause_row *rows, size_t n)
{
	size_t nslot = 64;
	uint32_t *at = xmalloc((n ? n : 1) * sizeof *at);

	while (nslot < 2 * n)
		nslot *= 2;
	ps->slot = huge_alloc(nslot * sizeof *ps->slot);
	memset(ps->slot, 0, nslot * sizeof *ps->slot);
	ps->mask = nslot - 1;
	for (size_t i = 0; i < n; i++) {	/* count each ticket's */
		if (i + 16 < n)		/* the slots are met at random */
			__builtin_prefetch(&ps->slot[rows[i + 16].hash & ps->mask]);
		struct paused_ticket *t = pause_slot(ps, rows[i].id, rows[i].hash);
		if (t->hash == 0)
			*t = (struct paused_ticket){ rows[i].hash, rows[i].id, 0, 0 };
		at[i] = (uint32_t)(t - ps->slot);
		t->n++;
	}
	uint32_t start = 0;
	for (size_t k = 0; k < nslot; k++) {	/* ranges in slot order */
		ps->slot[k].first = start;
		start += ps->slot[k].n;
		ps->slot[k].n = 0;
	}
	ps->p = huge_alloc((n ? n : 1) * sizeof *ps->p);
	for (size_t i = 0; i < n; i++) {
		struct paused_ticket *t = &ps->slot[at[i]];
		ps->p[t->first + t->n++] = rows[i].p;
	}
	free(at);
	for (size_t k = 0; k < nslot; k++)
		if (ps->slot[k].n > 1)
			ps->slot[k].n = (uint32_t)merge_pauses(ps->p +
			    ps->slot[k].first, ps->slot[k].n);
}

/* The pauses table (a data table: a bad row is reported and skipped):
 * columns id, from, to (empty: still paused).  Each pause is clipped to
 * ASOF (one that starts later has not happened yet), and the pauses of a
 * ticket are merged where they overlap or touch. */
static void
read_pauses(struct pauses *ps, struct app *a, const char *path, tstamp asof)
{
	struct stream t;
	struct record r;
	int cid, cfrom, cto;
	const struct column spec[] = {
		{ "id", true, &cid }, { "from", true, &cfrom }, { "to", true, &cto },
		{ NULL, false, NULL }
	};
	struct pause_row *rows = NULL, last = { { NULL, 0 }, 0, { 0, 0 } };
	size_t n = 0, cap = 0;

	ps->given = true;
	table_open(&t, path, "pauses");
	stream_columns(&t, spec);
	while (stream_next(&t, &r)) {
		struct row w;
		struct str id;
		tstamp from, to = INT64_MAX;	/* no end: still paused */

		if (!row_start(&w, a, &t, &r, ROW_DATA) ||
		    get_str(&w, cid, REQUIRED, &id) < 0 ||
		    get_time(&w, cfrom, REQUIRED, &from, NULL) < 0 ||
		    get_time(&w, cto, OPTIONAL, &to, NULL) < 0)
			continue;
		if (to < from) {
			row_bad(&w, cto, "before from", NULL);
			continue;
		}
		if (to > asof)
			to = asof;
		if (to <= from)
			continue;	/* after as-of, or no time at all */
		if (n == cap) {		/* in huge pages: fewer faults */
			struct pause_row *more;
			cap = cap ? 2 * cap : 4096;
			more = huge_alloc(cap * sizeof *rows);
			if (n > 0)
				memcpy(more, rows, n * sizeof *rows);
			free(rows);
			rows = more;
		}
		/* Exports list a ticket's pauses together: the same id again
		 * is kept once. */
		if (last.id.p == NULL || !str_eq(id, last.id)) {
			last.id = arena_str(&ps->keys, id);
			last.hash = str_hash(id) | 1;	/* never 0 */
		}
		rows[n] = last;
		rows[n++].p = (struct pause){ from, to };
	}
	stream_close(&t);
	index_pauses(ps, rows, n);
	free(rows);
}

/* The hash of ticket ID in PS, whose slot is fetched into the cache
 * meanwhile (most tickets have no pause: the look-up would wait for
 * memory): for the ticket PAUSES_AHEAD rows ahead (the reader holds them
 * parsed), so that it has arrived when that row comes. */
#define PAUSES_AHEAD 4
static uint64_t
pauses_prefetch(const struct pauses *ps, struct str id)
{
	uint64_t hash = str_hash(id) | 1;

	__builtin_prefetch(&ps->slot[hash & ps->mask]);
	return hash;
}

/* The clock of the ticket ID (HASH from pauses_prefetch) received at
 * RECEIVED. */
static struct clock
ticket_clock(const struct pauses *ps, const struct hours *h, struct str id,
    uint64_t hash, tstamp received)
{
	struct clock c = { h, received, NULL, 0 };

	if (!ps->given)
		return c;
	const struct paused_ticket *t = pause_slot(ps, id, hash);
	if (t->hash != 0) {
		c.p = ps->p + t->first;
		c.n = t->n;
	}
	return c;
}


/* ---- the rules ---- */

/* Does TEXT match the urgency pattern?  1, 0, or -1 (a match limit; never
 * remembered).  *UTF8: is TEXT valid UTF-8 (for the warning)? */
static int
urgent_text(struct urgency *u, struct str text, bool *utf8)
{
	uint64_t h = 0;
	struct urgent_memo r;

	if (text.n <= MEMO_TEXT_USEFUL) {
		const struct urgent_memo *kept = memo_get(u->memo, text, &h);
		if (kept != NULL) {
			*utf8 = kept->utf8;
			return kept->match;
		}
	}
	r.utf8 = *utf8 = str_utf8_valid(text);
	r.match = pattern_match(u->pattern, text.p, text.n);
	if (r.match >= 0 && text.n <= MEMO_TEXT_USEFUL)
		memo_put(u->memo, text, h, &r);
	return r.match;
}

/* A ticket's effective priority: the priority GIVEN, if any; else urgent
 * if its CATEGORY is one of --urgent-categories or one of its TEXTS
 * (subject, text; p NULL: no such column) matches --urgent-pattern; else
 * normal.  *LOOKED gets bit k for each text matched, *NOT_UTF8 for each of
 * them that is not valid UTF-8; PRIO_NONE when the pattern hit a limit on
 * the last text looked at. */
static enum priority
effective_priority(struct urgency *u, enum priority given, struct str category,
    const struct str texts[2], unsigned *looked, unsigned *not_utf8)
{
	*looked = *not_utf8 = 0;
	if (given != PRIO_NONE)
		return given;
	for (size_t i = 0; i < u->ncategories; i++)
		if (str_eq_ci(category, u->categories[i]))
			return PRIO_URGENT;
	if (u->pattern == NULL)
		return PRIO_NORMAL;
	for (int k = 0; k < 2; k++) {
		if (texts[k].p == NULL)
			continue;
		bool utf8;
		int m = urgent_text(u, texts[k], &utf8);
		*looked |= 1u << k;
		if (!utf8)
			*not_utf8 |= 1u << k;
		if (m < 0)
			return PRIO_NONE;
		if (m > 0)
			return PRIO_URGENT;
	}
	return PRIO_NORMAL;
}

/* The policy row for a ticket: the first, in file order, whose class,
 * category (codes, ignoring ASCII case) and priority match the ticket's;
 * `*` matches any value, the empty one too, and a policy without a class
 * column matches every class.  NULL when no row matches. */
static const struct policy_row *
choose_policy(const struct policy *pol, struct str class, struct str category,
    enum priority priority)
{
	for (size_t i = 0; i < pol->n; i++) {
		const struct policy_row *p = &pol->row[i];
		if (p->priority != PRIO_ANY && p->priority != priority)
			continue;
		if (p->category.p != NULL && !str_eq_ci(category, p->category))
			continue;
		if (p->class.p != NULL && !str_eq_ci(class, p->class))
			continue;
		return p;
	}
	return NULL;
}

/* The warning point of a target due at DUE: the policy's _warn duration
 * WARN counted from RECEIVED, or without one, 75% of the real time from
 * RECEIVED to DUE (the first second at which at least 3/4 have passed).
 * 0, or -1 when WARN finds no business time. */
static int
warn_point(const struct duration *warn, const struct hours *h,
    tstamp received, tstamp due, tstamp *out)
{
	if (warn->kind != DUR_NONE)
		return duration_apply(warn, h, received, out);
	*out = received + div_ceil(3 * (due - received), 4);
	return 0;
}

/* Does a deadline of KIND count open time (else real time)?  Nbh and Nbd
 * do, and eod with --hours (without, eod is midnight, holiday or not). */
static bool
counts_open_time(enum dur_kind kind, const struct hours *h)
{
	return kind == DUR_BH || kind == DUR_BD || (kind == DUR_EOD && h->set);
}

/* The time from A to B (0 when B <= A): open time, or real time. */
static int64_t
kind_time(const struct hours *h, bool open, tstamp a, tstamp b)
{
	if (b <= a)
		return 0;
	return open ? hours_between(h, a, b) : b - a;
}

/* The time of C's pauses between its receipt and UNTIL. */
static int64_t
paused_until(const struct clock *c, bool open, tstamp until)
{
	int64_t sum = 0;

	for (size_t i = 0; i < c->n && c->p[i].from < until; i++) {
		tstamp a = c->p[i].from > c->received ? c->p[i].from : c->received;
		tstamp b = c->p[i].to < until ? c->p[i].to : until;
		sum += kind_time(c->hours, open, a, b);
	}
	return sum;
}

/* The earliest time after T at which X (> 0) of open or real time has
 * passed outside C's pauses.  0, or -1 when no open time is found. */
static int
advance(const struct clock *c, bool open, tstamp t, int64_t x, tstamp *out)
{
	for (size_t i = 0; i < c->n; i++) {
		if (c->p[i].to <= t)
			continue;
		if (c->p[i].from > t) {		/* the clock runs until it */
			int64_t k = kind_time(c->hours, open, t, c->p[i].from);
			if (k >= x)
				break;
			x -= k;
		}
		t = c->p[i].to;
	}
	if (!open) {
		*out = t + x;
		return 0;
	}
	return hours_add(c->hours, t, x, out);
}

/* A deadline or warning point POINT, computed as without pauses, moved by
 * C's pauses: the earliest time at which the time from receipt to POINT,
 * counted in open time (OPEN) or in real time, has passed outside the
 * pauses.  A point that no pause before it stopped stays where it is.
 * 0, or -1 when no open time is found. */
static inline int
moved_point(const struct clock *c, bool open, tstamp point, tstamp *out)
{
	*out = point;
	if (c->n == 0)		/* most tickets: inline, no call */
		return 0;
	int64_t x = paused_until(c, open, point);
	return x > 0 ? advance(c, open, point, x, out) : 0;
}

/* A target's status as of ASOF: done, met when done by DUE, else breached;
 * not done, breached after DUE, at risk from WARN on, else pending. */
static enum status
target_status(bool done, tstamp done_at, tstamp due, tstamp warn, tstamp asof)
{
	if (done)
		return done_at <= due ? ST_MET : ST_BREACHED;
	if (asof > due)
		return ST_BREACHED;
	return asof >= warn ? ST_AT_RISK : ST_PENDING;
}

/* A ticket's status: the worst of its targets' (status_name's order);
 * ST_NONE when it has no target. */
static enum status
ticket_status(const enum status st[NSTEP])
{
	enum status worst = ST_NONE;

	for (int i = 0; i < NSTEP; i++)
		if (st[i] > worst)
			worst = st[i];
	return worst;
}

/* How far a breached target overshot: the time it was done, or ASOF if
 * it is not done, minus DUE, in seconds.  -1 when it is not breached. */
static int64_t
overdue(enum status st, bool done, tstamp done_at, tstamp due, tstamp asof)
{
	if (st != ST_BREACHED)
		return -1;
	return (done ? done_at : asof) - due;
}

/* The escalation level of the largest overshoot of a breached target not
 * yet done, OPEN_OVER seconds (-1: none): 0 none, 1 breached, 2 at least
 * ESC1 over, 3 at least ESC2 over. */
static int
escalation_level(int64_t open_over, long long esc1, long long esc2)
{
	if (open_over < 0)
		return 0;
	if (open_over >= esc2)
		return 3;
	if (open_over >= esc1)
		return 2;
	return 1;
}

/* Nearest rank: the value at rank ceil(num/den * n) of the N sorted
 * values V (n > 0). */
static int64_t
nearest_rank(const int64_t *v, size_t n, long num, long den)
{
	size_t rank = (size_t)div_ceil((long long)n * num, den);

	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

/* ---- one ticket ---- */

/* Read the ticket of row W.  False when the row was rejected; the reasons
 * in the manual's order: fields, id, received_at, priority, the steps. */
static bool
read_ticket(struct row *w, const struct cols *c, tstamp asof, struct ticket *t)
{
	int prio = PRIO_NONE;

	if (get_str(w, c->id, REQUIRED, &t->id) < 0 ||
	    get_time(w, c->received, REQUIRED, &t->received, NULL) < 0 ||
	    get_choice(w, c->priority, OPTIONAL, "priority", priority_name,
	    &prio) < 0)
		return false;
	t->priority = (enum priority)prio;
	t->class = row_value(w, c->class);
	t->category = row_value(w, c->category);
	for (int i = 0; i < NSTEP; i++) {
		tstamp at;
		int rc = get_time(w, c->done[i], OPTIONAL, &at, NULL);
		t->done[i] = false;
		t->done_at[i] = 0;
		if (rc < 0)
			return false;
		if (rc == 0)
			continue;
		if (at < t->received) {
			row_bad(w, c->done[i], "before received_at", NULL);
			return false;
		}
		if (at <= asof) {	/* a later step has not happened yet */
			t->done[i] = true;
			t->done_at[i] = at;
		}
	}
	/* A later step done completes the earlier ones. */
	for (int i = NSTEP - 2; i >= 0; i--)
		if (!t->done[i] && t->done[i + 1]) {
			t->done[i] = true;
			t->done_at[i] = t->done_at[i + 1];
		}
	return true;
}

/* A point of target I that finds no open time: the row is rejected. */
static bool
no_time(struct row *w, int i, const char *point)
{
	row_fail(w, "no business time for the %s %s within %d days",
	    step[i].name, point, HOURS_SCAN_DAYS);
	return false;
}

/* The deadlines and statuses of ticket T under policy row P, on clock C:
 * each deadline and warning point computed as without pauses, then moved
 * by the pauses, in its own kind of time (a default warning in its
 * target's).  False (and the row rejected) when a business-time point
 * finds no open time. */
static bool
evaluate(const struct sla *s, struct row *w, const struct ticket *t,
    const struct policy_row *p, const struct clock *c, struct verdict *v)
{
	const struct hours *h = &s->hours;
	tstamp asof = s->app.opt.as_of;

	v->over = v->open_over = -1;
	v->paused = c->n > 0 ? paused_until(c, false, asof) : 0;
	for (int i = 0; i < NSTEP; i++) {
		const struct duration *target = &p->target[i], *wd = &p->warn[i];
		tstamp plain, due, warn;
		v->st[i] = ST_NONE;
		if (target->kind == DUR_NONE)
			continue;
		if (duration_apply(target, h, t->received, &plain) ||
		    moved_point(c, counts_open_time(target->kind, h), plain, &due))
			return no_time(w, i, "target");
		warn = due;
		/* Only a target not done and not yet due needs its warning. */
		if (!t->done[i] && asof <= due && (warn_point(wd, h, t->received,
		    plain, &warn) || moved_point(c, counts_open_time(wd->kind ==
		    DUR_NONE ? target->kind : wd->kind, h), warn, &warn)))
			return no_time(w, i, "warning");
		v->due[i] = due;
		v->st[i] = target_status(t->done[i], t->done_at[i], due, warn, asof);
		int64_t over = overdue(v->st[i], t->done[i], t->done_at[i], due, asof);
		if (over > v->over)
			v->over = over;
		if (!t->done[i] && over > v->open_over)
			v->open_over = over;
	}
	v->status = ticket_status(v->st);
	return true;
}

/* Read, judge and evaluate the record of W.  False when it was rejected. */
static bool
judge(struct sla *s, struct row *w, const struct cols *c, struct verdict *v,
    struct ticket *t)
{
	const int textcol[2] = { c->subject, c->text };
	struct str texts[2];
	unsigned looked, not_utf8;

	for (int k = 0; k < 2; k++)
		texts[k] = textcol[k] < 0 ? (struct str){ NULL, 0 } :
		    rec_field(w->r, textcol[k]);
	/* The slot of pauses of the ticket some rows ahead comes from
	 * memory meanwhile (this one's, if it was not fetched so); this
	 * ticket's pauses while its texts are matched. */
	if (s->pauses.given) {
		struct str ahead = stream_peek_field(w->s, PAUSES_AHEAD, c->id);
		if (ahead.p != NULL)
			pauses_prefetch(&s->pauses, str_trim(ahead));
		t->id_hash = pauses_prefetch(&s->pauses,
		    str_trim(rec_field(w->r, c->id)));
	}
	if (!read_ticket(w, c, s->app.opt.as_of, t))
		return false;
	struct clock clock = ticket_clock(&s->pauses, &s->hours, t->id,
	    t->id_hash, t->received);
	if (clock.n > 0)
		__builtin_prefetch(clock.p);
	v->priority = effective_priority(&s->urgency, t->priority, t->category,
	    texts, &looked, &not_utf8);
	for (int k = 0; k < 2; k++)
		if (not_utf8 >> k & 1)
			row_text(w, textcol[k]);	/* the warning, once a file */
	if (v->priority == PRIO_NONE) {
		row_fail(w, "%s: %s", stream_colname(w->s,
		    textcol[looked >> 1 & 1]), s->urgency.limit_why);
		return false;
	}
	const struct policy_row *p = choose_policy(&s->policy, t->class,
	    t->category, v->priority);
	if (p == NULL) {
		char cat[200], class[200];
		if (s->policy.has_class)
			row_fail(w, "no policy row for class '%s', category '%s' "
			    "and priority %s", str_msg(class, sizeof class, t->class),
			    str_msg(cat, sizeof cat, t->category),
			    priority_name[v->priority]);
		else
			row_fail(w, "no policy row for category '%s' and priority %s",
			    str_msg(cat, sizeof cat, t->category),
			    priority_name[v->priority]);
		return false;
	}
	return evaluate(s, w, t, p, &clock, v);
}

/* ---- summary ---- */

static void
vec_push(struct i64vec *v, int64_t x)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 16;
		v->v = xrealloc(v->v, v->cap * sizeof *v->v);
	}
	v->v[v->n++] = x;
}

/* The group columns of --summary ARG: NCOMP computed columns are known. */
static void
setup_summary(struct summary *sum, const char *arg, const struct stream *in,
    size_t ncomp)
{
	struct str rest = str_of(arg), tok;

	map_init(&sum->groups, false);
	while (str_next_token(&rest, ',', &tok)) {
		tok = str_trim(tok);
		if (tok.n == 0)
			continue;
		struct gcol g = { SRC_INPUT, -1, NULL, NULL };
		char name[256];
		str_cpy(name, sizeof name, tok);
		if (str_eq_cstr_ci(tok, "month")) {
			g.src = SRC_MONTH;
			g.name = "month";
		}
		for (size_t k = 0; k < ncomp && g.src == SRC_INPUT; k++)
			if (str_eq_cstr_ci(tok, compname[k])) {
				g.src = SRC_COMPUTED;
				g.idx = (int)k;
				g.name = compname[k];
			}
		if (g.src == SRC_INPUT && stream_empty(in))
			g.name = g.own = xstrdup(name);	/* no header to check */
		else if (g.src == SRC_INPUT) {
			g.idx = stream_need(in, name);
			g.name = stream_colname(in, g.idx);
		}
		/* The summary's header names each column once. */
		for (size_t i = 0; i < sum->ncol; i++)
			if (str_eq_ci(str_trim(str_of(sum->col[i].name)),
			    str_trim(str_of(g.name)))) {
				warnmsg("--summary: column '%s' named twice", name);
				usage();
			}
		sum->col = xrealloc(sum->col, (sum->ncol + 1) * sizeof *sum->col);
		sum->col[sum->ncol++] = g;
	}
}

/* The key of a group in the map: each value's length, then its bytes, so
 * that "ab","c" and "a","bc" differ. */
static struct str
group_key(struct summary *sum, const struct str *v)
{
	size_t need = 0, n = 0;

	for (size_t i = 0; i < sum->ncol; i++)
		need += sizeof(uint32_t) + v[i].n;
	if (need > sum->keycap) {
		sum->keycap = need * 2;
		sum->key = xrealloc(sum->key, sum->keycap);
	}
	for (size_t i = 0; i < sum->ncol; i++) {
		uint32_t len = (uint32_t)v[i].n;
		memcpy(sum->key + n, &len, sizeof len);
		n += sizeof len;
		if (v[i].n)
			memcpy(sum->key + n, v[i].p, v[i].n);
		n += v[i].n;
	}
	return (struct str){ sum->key, n };
}

/* Value I of a group's key K. */
static struct str
key_value(struct str k, size_t i)
{
	size_t n = 0;
	uint32_t len;

	for (;;) {
		memcpy(&len, k.p + n, sizeof len);
		n += sizeof len;
		if (i-- == 0)
			return (struct str){ k.p + n, len };
		n += len;
	}
}

static void
summarize(struct sla *s, const struct record *r, const struct ticket *t,
    const struct verdict *v, const struct str *comp)
{
	struct summary *sum = &s->sum;
	struct str vals[64], *val = vals;
	char month[16];
	bool isnew;

	if (sum->ncol > 64)
		val = xcalloc(sum->ncol, sizeof *val);	/* only absurd lists */
	for (size_t i = 0; i < sum->ncol; i++) {
		const struct gcol *g = &sum->col[i];
		if (g->src == SRC_INPUT)
			val[i] = r->f[g->idx];
		else if (g->src == SRC_COMPUTED)
			val[i] = comp[g->idx];
		else {
			fmt_date(month, local_date(t->received));
			val[i] = (struct str){ month, 7 };
		}
	}
	size_t gi = *map_put(&sum->groups, group_key(sum, val),
	    map_count(&sum->groups), &isnew);
	if (val != vals)
		free(val);
	if (isnew) {
		if (gi == sum->cap) {
			sum->cap = sum->cap ? 2 * sum->cap : 64;
			sum->g = xrealloc(sum->g, sum->cap * sizeof *sum->g);
		}
		memset(&sum->g[gi], 0, sizeof sum->g[gi]);
	}
	struct group *g = &sum->g[gi];
	g->tickets++;
	for (int i = 0; i < NSTEP; i++) {
		if (v->st[i] == ST_MET)
			g->met[i]++;
		else if (v->st[i] == ST_BREACHED)
			g->breached[i]++;
	}
	if (v->open_over >= 0)
		g->open_breached++;
	if (v->status == ST_AT_RISK)
		g->at_risk++;
	if (t->done[ACK])
		vec_push(&g->ack, t->done_at[ACK] - t->received);
	if (t->done[RESPONSE])
		vec_push(&g->response, t->done_at[RESPONSE] - t->received);
}

static const struct map *sort_groups;	/* for cmp_group */
static size_t sort_ncol;

/* Groups by their values, bytewise. */
static int
cmp_group(const void *a, const void *b)
{
	struct str x = sort_groups->e[*(const size_t *)a].key;
	struct str y = sort_groups->e[*(const size_t *)b].key;

	for (size_t i = 0; i < sort_ncol; i++) {
		int c = str_cmp(key_value(x, i), key_value(y, i));
		if (c)
			return c;
	}
	return 0;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Hours, one decimal, at nearest rank NUM/DEN of V; empty when V is. */
static void
write_rank(struct csvout *w, struct i64vec *v, long num, long den)
{
	char buf[32];

	if (v->n == 0) {
		csvout_empty(w);
		return;
	}
	qsort(v->v, v->n, sizeof *v->v, cmp_i64);
	fmt_tenths(buf, nearest_rank(v->v, v->n, num, den), 3600);
	csvout_cstr(w, buf);
}

static void
write_summary(struct summary *sum, struct csvout *w)
{
	static const char *const cols[] = {
		"tickets", "ack_met", "ack_breached", "response_met",
		"response_breached", "resolve_met", "resolve_breached",
		"open_breached", "at_risk", "response_met_pct",
		"median_ack_hours", "p90_response_hours"
	};
	size_t n = map_count(&sum->groups);
	size_t *order = xmalloc((n ? n : 1) * sizeof *order);

	for (size_t i = 0; i < sum->ncol; i++)
		csvout_cstr(w, sum->col[i].name);
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
		csvout_cstr(w, cols[i]);
	csvout_endrow(w);
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	sort_groups = &sum->groups;
	sort_ncol = sum->ncol;
	qsort(order, n, sizeof *order, cmp_group);
	for (size_t k = 0; k < n; k++) {
		struct group *g = &sum->g[order[k]];
		struct str key = sum->groups.e[order[k]].key;
		char buf[32];
		for (size_t i = 0; i < sum->ncol; i++)
			csvout_str(w, key_value(key, i));
		csvout_int(w, g->tickets);
		for (int i = 0; i < NSTEP; i++) {
			csvout_int(w, g->met[i]);
			csvout_int(w, g->breached[i]);
		}
		csvout_int(w, g->open_breached);
		csvout_int(w, g->at_risk);
		long long den = g->met[RESPONSE] + g->breached[RESPONSE];
		if (den == 0)
			csvout_empty(w);
		else {
			fmt_tenths(buf, (long long)g->met[RESPONSE] * 100, den);
			csvout_cstr(w, buf);
		}
		write_rank(w, &g->ack, 1, 2);
		write_rank(w, &g->response, 9, 10);
		csvout_endrow(w);
	}
	free(order);
}

/* ---- output ---- */

/* fmt_rfc3339 with the date part cached per local day: three deadlines a
 * row fall on few distinct days. */
static size_t
fmt_due(char *buf, tstamp t)
{
	static struct { day_t d; bool valid; char s[DATE_LEN + 1]; } cache[64];
	day_t d;
	int secs, off;

	utc_to_local(t, &d, &secs, &off);
	unsigned k = (unsigned)d % 64;
	if (!cache[k].valid || cache[k].d != d) {
		if (fmt_date(cache[k].s, d) != DATE_LEN)
			return fmt_rfc3339(buf, t);	/* beyond year 9999 */
		cache[k].d = d;
		cache[k].valid = true;
	}
	memcpy(buf, cache[k].s, DATE_LEN);
	buf[10] = 'T';
	buf[11] = (char)('0' + secs / 36000);
	buf[12] = (char)('0' + secs / 3600 % 10);
	buf[13] = ':';
	buf[14] = (char)('0' + secs / 600 % 6);
	buf[15] = (char)('0' + secs / 60 % 10);
	buf[16] = ':';
	buf[17] = (char)('0' + secs % 60 / 10);
	buf[18] = (char)('0' + secs % 10);
	buf[19] = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	buf[20] = (char)('0' + off / 36000);
	buf[21] = (char)('0' + off / 3600 % 10);
	buf[22] = ':';
	buf[23] = (char)('0' + off / 600 % 6);
	buf[24] = (char)('0' + off / 60 % 10);
	buf[25] = '\0';
	return RFC3339_LEN;
}

/* The computed columns of verdict V, into COMP (pointing into BUF). */
struct compbuf {
	char due[NSTEP][RFC3339_LEN + 8], over[32], paused[32];
};

static void
computed_columns(const struct sla *s, const struct verdict *v, struct str *comp,
    struct compbuf *buf)
{
	static const struct str level[4] = {
		{ "0", 1 }, { "1", 1 }, { "2", 1 }, { "3", 1 }
	};
	static const struct str empty = { "", 0 };

	comp[C_PRIORITY] = priority_str[v->priority];
	for (int i = 0; i < NSTEP; i++) {
		struct str *due = &comp[C_ACK_DUE + 2 * i];
		struct str *st = &comp[C_ACK_STATUS + 2 * i];
		if (v->st[i] == ST_NONE) {
			*due = *st = empty;
			continue;
		}
		*due = (struct str){ buf->due[i], fmt_due(buf->due[i], v->due[i]) };
		*st = status_str[v->st[i]];
	}
	comp[C_STATUS] = v->status == ST_NONE ? empty : status_str[v->status];
	comp[C_OVERDUE] = v->over < 0 ? empty :
	    (struct str){ buf->over, fmt_tenths(buf->over, v->over, 3600) };
	comp[C_ESCALATION] = level[escalation_level(v->open_over, s->esc1,
	    s->esc2)];
	if (s->pauses.given)
		comp[C_PAUSED] = v->paused == 0 ? STR_C("0.0") :
		    (struct str){ buf->paused, fmt_tenths(buf->paused, v->paused,
		    3600) };
}

/* ---- the run ---- */

static void
parse_options(struct sla *s, int argc, char **argv, const char **policy,
    const char **holidays, const char **pauses)
{
	const char *hours_spec = NULL, *pattern_src = DEFAULT_PATTERN;
	int ch;

	parse_urgent_categories(&s->urgency, "safety,warranty");
	s->esc1 = 24 * 3600;
	s->esc2 = 72 * 3600;
	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS "p:", longopts,
	    NULL)) != -1) {
		switch (common_option(&s->app.opt, ch, optarg)) {
		case 1:
			continue;
		case -1:
			usage();
		}
		switch (ch) {
		case 'p': *policy = optarg; break;
		case OPT_HOURS: hours_spec = optarg; break;
		case OPT_HOLIDAYS: *holidays = optarg; break;
		case OPT_PAUSES: *pauses = optarg; break;
		case OPT_URGENT_CATEGORIES:
			parse_urgent_categories(&s->urgency, optarg);
			break;
		case OPT_URGENT_PATTERN: pattern_src = optarg; break;
		case OPT_ESCALATE: parse_escalate(s, optarg); break;
		case OPT_ONLY: parse_only(s, optarg); break;
		case OPT_SUMMARY: s->summary_arg = optarg; break;
		case OPT_ALERT: s->alert_opt = true; break;
		default: usage();
		}
	}
	if (common_finish(&s->app.opt) == -1)
		usage();
	hours_init(&s->hours);
	if (hours_spec) {
		char err[300];
		if (hours_parse(&s->hours, hours_spec, err, sizeof err)) {
			warnmsg("--hours: %s", err);
			usage();
		}
	}
	set_urgent_pattern(&s->urgency, pattern_src);
}

/* Free what the run allocated, at its end. */
static void
sla_free(struct sla *s)
{
	for (size_t i = 0; i < s->policy.n; i++)
		free((char *)s->policy.row[i].category.p);
	for (size_t i = 0; i < s->policy.n; i++)
		free((char *)s->policy.row[i].class.p);
	free(s->policy.row);
	if (s->pauses.given) {
		free(s->pauses.slot);
		free(s->pauses.p);
		arena_free(&s->pauses.keys);
	}
	hours_free(&s->hours);
	free(s->urgency.categories);
	pattern_free(s->urgency.pattern);
	memo_free(s->urgency.memo);
	for (size_t i = 0; i < map_count(&s->sum.groups); i++) {
		free(s->sum.g[i].ack.v);
		free(s->sum.g[i].response.v);
	}
	free(s->sum.g);
	for (size_t i = 0; i < s->sum.ncol; i++)
		free(s->sum.col[i].own);
	free(s->sum.col);
	free(s->sum.key);
	map_free(&s->sum.groups);
	common_free(&s->app.opt);
}

/* The stream and its columns; the output in the input's dialect. */
static void
open_tickets(struct sla *s, struct stream *in, struct cols *c, int nfiles,
    char **files)
{
	const struct column spec[] = {
		{ "id", true, &c->id }, { "received_at", true, &c->received },
		{ "class", false, &c->class }, { "category", false, &c->category },
		{ "priority", false, &c->priority },
		{ "subject", false, &c->subject }, { "text", false, &c->text },
		{ step[ACK].done, false, &c->done[ACK] },
		{ step[RESPONSE].done, false, &c->done[RESPONSE] },
		{ step[RESOLVE].done, false, &c->done[RESOLVE] },
		{ NULL, false, NULL }
	};

	stream_open(in, files, nfiles, s->app.opt.dialect, s->app.opt.map,
	    s->app.opt.nmap);
	stream_columns(in, spec);
	if (!s->policy.has_class)
		c->class = -1;	/* every class alike: not read */
	s->app.rej_header = in->header;
	s->app.opt.dialect = in->dialect;	/* the output's is the input's */
}

/* Every ticket judged, then written (or summed up). */
static void
judge_tickets(struct sla *s, struct stream *in, const struct cols *c,
    size_t ncomp)
{
	/* Every computed column is a priority, a timestamp, a status or a
	 * number: made of the bytes of csvout_known(). */
	static const unsigned char all_known[NCOMP] = {
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
	};
	struct outcols oc;
	struct record rec;
	struct str comp[NCOMP];
	struct compbuf buf;
	struct ticket t;
	struct verdict v;

	outcols_init(&oc, in, compname, ncomp);
	outcols_known(&oc, all_known);
	if (!s->summary_arg)
		outcols_header(&oc, s->app.out, in);
	while (stream_next(in, &rec)) {
		struct row w;
		if (!row_start(&w, &s->app, in, &rec, ROW_STREAM) ||
		    !judge(s, &w, c, &v, &t))
			continue;
		if (s->only_set && (v.status == ST_NONE || !s->only[v.status]))
			continue;
		computed_columns(s, &v, comp, &buf);
		if (v.open_over >= 0)
			s->alert = true;
		if (s->summary_arg)
			summarize(s, &rec, &t, &v, comp);
		else
			outcols_row(&oc, s->app.out, &rec, comp);
	}
	if (s->summary_arg)
		write_summary(&s->sum, s->app.out);
	outcols_free(&oc);
}

int
main(int argc, char **argv)
{
	static struct sla s;
	const char *policy_path = NULL, *holidays_path = NULL, *pauses_path = NULL;
	struct stream in;
	struct cols c;

	argv[0] = (char *)info.name;	/* getopt names the program so, too */
	prog_start(&info, &s.app.opt);
	names_init();
	parse_options(&s, argc, argv, &policy_path, &holidays_path, &pauses_path);
	if (policy_path)
		read_policy(&s.policy, policy_path);
	else
		builtin_policy(&s.policy);
	if (holidays_path)
		read_holidays(&s.hours, holidays_path);
	if (pauses_path)
		read_pauses(&s.pauses, &s.app, pauses_path, s.app.opt.as_of);

	open_tickets(&s, &in, &c, argc - optind, argv + optind);
	size_t ncomp = s.pauses.given ? NCOMP : NCOMP - 1;
	if (s.summary_arg)
		setup_summary(&s.sum, s.summary_arg, &in, ncomp);
	app_open_output(&s.app);
	/* A quiet day writes nothing; a summary writes its header. */
	if (!stream_empty(&in) || s.summary_arg)
		judge_tickets(&s, &in, &c, ncomp);
	stream_close(&in);
	int status = app_finish(&s.app, s.alert_opt && s.alert);
	sla_free(&s);
	return status;
}
