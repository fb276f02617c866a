/* complaint-sla — response deadlines of inquiries and complaints: which are
 * met, at risk or breached, how far a breach is escalated, and summaries of
 * how well the promise is kept.  See complaint-sla(1). */
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "csvout.h"
#include "datetime.h"
#include "duration.h"
#include "hours.h"
#include "num.h"
#include "opts.h"
#include "outcols.h"
#include "pattern.h"
#include "str.h"
#include "stream.h"
#include "util.h"

#define SYNOPSIS \
	"[-p POLICY] [--hours SPEC] [--holidays FILE] [--urgent-categories LIST]\n" \
	"       [--urgent-pattern REGEX] [--escalate H1,H2] [--only LIST]\n" \
	"       [--summary COLUMNS] [--alert]\n" \
	"       " COMMON_USAGE "\n" \
	"       [TICKETS...]"

#define DEFAULT_PATTERN \
	"\\b(brakes?|braking|airbags?|air ?bags?|steering|fire|smoke|smoking|" \
	"burning smell|fuel leak|petrol leak|тормоз\\w*|подушк\\w* безопасности|" \
	"руль|рулев\\w*|пожар\\w*|возгоран\\w*|дым\\w*|запах гари|" \
	"утечк\\w* топлива|течь топлива|stabd\\w*|oro pagalv\\w*|vairas|vairo|" \
	"gaisr\\w*|dūm\\w*|degėsių kvap\\w*|kuro nuotėk\\w*)\\b"

enum {
	OPT_HOURS = OPT_PROGRAM, OPT_HOLIDAYS, OPT_URGENT_CATEGORIES,
	OPT_URGENT_PATTERN, OPT_ESCALATE, OPT_ONLY, OPT_SUMMARY, OPT_ALERT
};

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ "policy",            required_argument, NULL, 'p' },
	{ "hours",             required_argument, NULL, OPT_HOURS },
	{ "holidays",          required_argument, NULL, OPT_HOLIDAYS },
	{ "urgent-categories", required_argument, NULL, OPT_URGENT_CATEGORIES },
	{ "urgent-pattern",    required_argument, NULL, OPT_URGENT_PATTERN },
	{ "escalate",          required_argument, NULL, OPT_ESCALATE },
	{ "only",              required_argument, NULL, OPT_ONLY },
	{ "summary",           required_argument, NULL, OPT_SUMMARY },
	{ "alert",             no_argument,       NULL, OPT_ALERT },
	{ NULL, 0, NULL, 0 }
};

/* Targets, statuses and output columns. */
enum { ACK, RESP, RESOLVE, NSTEP };
enum { ST_NONE = -1, ST_MET, ST_PENDING, ST_AT_RISK, ST_BREACHED, NST };
static const char *const stname[NST] = { "met", "pending", "at_risk", "breached" };
static const struct str ststr[NST] = {
	{ "met", 3 }, { "pending", 7 }, { "at_risk", 7 }, { "breached", 8 }
};
static const char *const stepname[NSTEP] = { "ack", "response", "resolve" };
static const char *const stepcol[NSTEP] = {
	"acknowledged_at", "responded_at", "resolved_at"
};

enum {
	C_PRIORITY, C_ACK_DUE, C_ACK_STATUS, C_RESP_DUE, C_RESP_STATUS,
	C_RESOLVE_DUE, C_RESOLVE_STATUS, C_STATUS, C_OVERDUE, C_ESCALATION, NCOMP
};
static const char *const compname[NCOMP] = {
	"priority", "ack_due", "ack_status", "response_due", "response_status",
	"resolve_due", "resolve_status", "status", "overdue_hours", "escalation"
};

enum { PRIO_NORMAL, PRIO_URGENT, PRIO_ANY };
static const char *const prioname[2] = { "normal", "urgent" };
static const struct str priostr[2] = { { "normal", 6 }, { "urgent", 6 } };

struct policy_row {
	char *category;		/* NULL = '*' */
	size_t catlen;
	int priority;		/* PRIO_* */
	struct duration target[NSTEP], warn[NSTEP];
};

/* --summary: one group per distinct tuple of values. */
enum { SRC_INPUT, SRC_MONTH, SRC_COMPUTED };
struct gcol {
	int src, idx;		/* input column, or computed column index */
	const char *name;
};

struct i64vec {
	int64_t *v;
	size_t n, cap;
};

struct group {
	struct str *val;	/* owned copies */
	uint64_t hash;
	struct group *next;
	long tickets, met[NSTEP], breached[NSTEP], open_breached, at_risk;
	struct i64vec ack, resp;
};

struct sla {
	struct app app;
	struct policy_row *policy;
	size_t npolicy;
	struct hours hours;
	struct str *urgent_cats;
	size_t nurgent_cats;
	struct pattern *pat;	/* NULL: no urgency by pattern */
	char pat_why[300];	/* message when a match hits a limit */
	struct memo *memo;	/* MEMO_SLOTS entries */
	long long esc1, esc2;	/* seconds */
	bool only[NST];
	bool only_set, alert_opt, alert;
	const char *summary_arg;
	struct gcol *gcols;
	size_t ngcols;
	struct group **buckets;
	size_t nbuckets, ngroups;
};

/* Results of the urgency pattern for recent short field values: subjects
 * (and template texts) repeat, and a hash costs less than a match. */
#define MEMO_SLOTS 1024
#define MEMO_KEY 128
struct memo {
	uint32_t len;		/* key length + 1; 0 = empty slot */
	int result;
	char key[MEMO_KEY];
};

/* One ticket, evaluated. */
struct eval {
	int prio;
	tstamp recv;
	bool has_target[NSTEP], done[NSTEP];
	tstamp at[NSTEP], due[NSTEP];
	int st[NSTEP];
	int status;
	bool breach, open_breach;
	int64_t over, open_over;
};

static noreturn void
usage_cs(void)
{
	usage_error(SYNOPSIS);
}

static noreturn void
bad_value(const char *opt, const char *why, const char *val)
{
	warnmsg("%s: %s '%s'", opt, why, val);
	usage_cs();
}

/* ---- options ---- */

static void
parse_escalate(struct sla *s, const char *arg)
{
	const char *comma = strchr(arg, ',');
	long long a, b;
	char first[32];
	if (!comma || (size_t)(comma - arg) >= sizeof first)
		bad_value("--escalate", "expected H1,H2", arg);
	memcpy(first, arg, (size_t)(comma - arg));
	first[comma - arg] = '\0';
	if (parse_uint(first, &a) || parse_uint(comma + 1, &b) ||
	    a > 1000000 || b > 1000000)
		bad_value("--escalate", "expected H1,H2 in whole hours", arg);
	if (a > b)
		bad_value("--escalate", "H1 is greater than H2", arg);
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
		int k;
		for (k = 0; k < NST; k++)
			if (str_eq_cstr_ci(tok, stname[k]))
				break;
		if (k == NST) {
			char v[64];
			bad_value("--only", "unknown status", str_cpy(v, sizeof v, tok));
		}
		s->only[k] = true;
	}
}

static void
parse_urgent_categories(struct sla *s, const char *arg)
{
	struct str rest = str_of(arg), tok;
	free(s->urgent_cats);
	s->urgent_cats = NULL;
	s->nurgent_cats = 0;
	while (str_next_token(&rest, ',', &tok)) {
		tok = str_trim(tok);
		if (tok.n == 0)
			continue;
		s->urgent_cats = xrealloc(s->urgent_cats,
		    (s->nurgent_cats + 1) * sizeof *s->urgent_cats);
		s->urgent_cats[s->nurgent_cats++] = tok;	/* points into argv */
	}
}

/* ---- tables ---- */

static void
read_policy(struct sla *s, const char *path)
{
	struct stream t;
	struct record r;
	table_open(&t, path, "policy");
	int ccat = stream_need(&t, "category");
	int cprio = stream_need(&t, "priority");
	int ctarget[NSTEP], cwarn[NSTEP];
	for (int i = 0; i < NSTEP; i++) {
		char name[32];
		ctarget[i] = stream_need(&t, stepname[i]);
		snprintf(name, sizeof name, "%s_warn", stepname[i]);
		cwarn[i] = stream_col(&t, name);
	}
	size_t cap = 0;
	while (stream_next(&t, &r)) {
		table_fields_ok(&t, &r);
		struct policy_row p = { 0 };
		struct str cat = str_trim(r.f[ccat]);
		struct str pr = str_trim(r.f[cprio]);
		char v[128];
		if (cat.n == 0)
			fatal("%s:%ld: %s: empty (write * for any category)",
			    r.file, r.line, stream_colname(&t, ccat));
		if (!(cat.n == 1 && cat.p[0] == '*')) {
			p.category = xmemdup(cat.p, cat.n);
			p.catlen = cat.n;
		}
		if (pr.n == 1 && pr.p[0] == '*')
			p.priority = PRIO_ANY;
		else if (str_eq_cstr_ci(pr, "urgent"))
			p.priority = PRIO_URGENT;
		else if (str_eq_cstr_ci(pr, "normal"))
			p.priority = PRIO_NORMAL;
		else
			fatal("%s:%ld: %s: unknown priority '%s'", r.file, r.line,
			    stream_colname(&t, cprio), str_cpy(v, sizeof v, pr));
		for (int i = 0; i < NSTEP; i++) {
			if (duration_parse(r.f[ctarget[i]], &p.target[i]))
				fatal("%s:%ld: %s: bad duration '%s'", r.file,
				    r.line, stream_colname(&t, ctarget[i]),
				    str_cpy(v, sizeof v, r.f[ctarget[i]]));
			if (cwarn[i] < 0)
				continue;
			if (duration_parse(r.f[cwarn[i]], &p.warn[i]))
				fatal("%s:%ld: %s: bad duration '%s'", r.file,
				    r.line, stream_colname(&t, cwarn[i]),
				    str_cpy(v, sizeof v, r.f[cwarn[i]]));
			if (p.warn[i].kind != DUR_NONE &&
			    p.target[i].kind == DUR_NONE)
				fatal("%s:%ld: %s: warning without a %s target '%s'",
				    r.file, r.line, stream_colname(&t, cwarn[i]),
				    stepname[i], str_cpy(v, sizeof v, r.f[cwarn[i]]));
		}
		if (s->npolicy == cap) {
			cap = cap ? 2 * cap : 16;
			s->policy = xrealloc(s->policy, cap * sizeof *s->policy);
		}
		s->policy[s->npolicy++] = p;
	}
	stream_close(&t);
}

static void
builtin_policy(struct sla *s)
{
	static const char *const rows[2][6] = {
		{ "1h", "eod", "", "", "", "" },
		{ "24h", "72h", "", "", "48h", "" },
	};
	s->policy = xcalloc(2, sizeof *s->policy);
	s->npolicy = 2;
	for (int k = 0; k < 2; k++) {
		struct policy_row *p = &s->policy[k];
		p->priority = k == 0 ? PRIO_URGENT : PRIO_NORMAL;
		for (int i = 0; i < NSTEP; i++) {
			duration_parse(str_of(rows[k][i]), &p->target[i]);
			duration_parse(str_of(rows[k][3 + i]), &p->warn[i]);
		}
	}
}

static void
read_holidays(struct sla *s, const char *path)
{
	struct stream t;
	struct record r;
	table_open(&t, path, "holidays");
	int cdate = stream_need(&t, "date");
	while (stream_next(&t, &r)) {
		table_fields_ok(&t, &r);
		struct str v = str_trim(r.f[cdate]);
		day_t d;
		if (v.n == 5 && v.p[2] == '-' && v.p[0] >= '0' && v.p[0] <= '9' &&
		    v.p[1] >= '0' && v.p[1] <= '9' && v.p[3] >= '0' &&
		    v.p[3] <= '9' && v.p[4] >= '0' && v.p[4] <= '9') {
			int m = (v.p[0] - '0') * 10 + (v.p[1] - '0');
			int dd = (v.p[3] - '0') * 10 + (v.p[4] - '0');
			if (date_valid(2024, m, dd)) {	/* a leap year: 02-29 */
				hours_add_yearly(&s->hours, m, dd);
				continue;
			}
		} else if (parse_date(v, &d) == 0) {
			hours_add_holiday(&s->hours, d);
			continue;
		}
		char b[128];
		fatal("%s:%ld: %s: invalid date '%s'", r.file, r.line,
		    stream_colname(&t, cdate), str_cpy(b, sizeof b, r.f[cdate]));
	}
	stream_close(&t);
	hours_done(&s->hours);
}

/* ---- summary groups ---- */

static void
vec_push(struct i64vec *v, int64_t x)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 16;
		v->v = xrealloc(v->v, v->cap * sizeof *v->v);
	}
	v->v[v->n++] = x;
}

static void
setup_summary(struct sla *s, const struct stream *in)
{
	struct str rest = str_of(s->summary_arg), tok;
	while (str_next_token(&rest, ',', &tok)) {
		tok = str_trim(tok);
		if (tok.n == 0)
			continue;
		struct gcol g = { SRC_INPUT, -1, NULL };
		char name[256];
		str_cpy(name, sizeof name, tok);
		if (str_eq_cstr_ci(tok, "month")) {
			g.src = SRC_MONTH;
			g.name = "month";
		}
		for (int k = 0; k < NCOMP && g.src == SRC_INPUT; k++)
			if (str_eq_cstr_ci(tok, compname[k])) {
				g.src = SRC_COMPUTED;
				g.idx = k;
				g.name = compname[k];
			}
		if (g.src == SRC_INPUT) {
			g.idx = stream_need(in, name);
			g.name = stream_colname(in, g.idx);
		}
		s->gcols = xrealloc(s->gcols, (s->ngcols + 1) * sizeof *s->gcols);
		s->gcols[s->ngcols++] = g;
	}
	s->nbuckets = 1024;
	s->buckets = xcalloc(s->nbuckets, sizeof *s->buckets);
}

static uint64_t
hash_vals(const struct str *v, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	/* Per value, so that "ab","c" and "a","bc" differ. */
	for (size_t i = 0; i < n; i++)
		h = (h ^ str_hash(v[i])) * 1099511628211ULL;
	return h;
}

static struct group *
find_group(struct sla *s, const struct str *v)
{
	uint64_t h = hash_vals(v, s->ngcols);
	size_t b = h & (s->nbuckets - 1);
	for (struct group *g = s->buckets[b]; g; g = g->next) {
		if (g->hash != h)
			continue;
		size_t i;
		for (i = 0; i < s->ngcols; i++)
			if (!str_eq(g->val[i], v[i]))
				break;
		if (i == s->ngcols)
			return g;
	}
	struct group *g = xcalloc(1, sizeof *g);
	g->val = xcalloc(s->ngcols ? s->ngcols : 1, sizeof *g->val);
	for (size_t i = 0; i < s->ngcols; i++) {
		g->val[i].p = xmemdup(v[i].p, v[i].n);
		g->val[i].n = v[i].n;
	}
	g->hash = h;
	if (s->ngroups + 1 > s->nbuckets) {	/* grow: rehash */
		size_t nb = s->nbuckets * 2;
		struct group **nbk = xcalloc(nb, sizeof *nbk);
		for (size_t i = 0; i < s->nbuckets; i++)
			for (struct group *x = s->buckets[i], *nx; x; x = nx) {
				nx = x->next;
				x->next = nbk[x->hash & (nb - 1)];
				nbk[x->hash & (nb - 1)] = x;
			}
		free(s->buckets);
		s->buckets = nbk;
		s->nbuckets = nb;
		b = h & (nb - 1);
	}
	g->next = s->buckets[b];
	s->buckets[b] = g;
	s->ngroups++;
	return g;
}

static size_t sort_ncols;

static int
cmp_group(const void *a, const void *b)
{
	const struct group *x = *(struct group *const *)a;
	const struct group *y = *(struct group *const *)b;
	for (size_t i = 0; i < sort_ncols; i++) {
		int c = str_cmp(x->val[i], y->val[i]);
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

/* Nearest rank: the value at rank ceil(num/den * n), in hours. */
static void
out_rank(struct csvout *w, struct i64vec *v, long num, long den)
{
	char buf[32];
	if (v->n == 0) {
		csvout_empty(w);
		return;
	}
	size_t rank = (size_t)div_ceil((long long)v->n * num, den);
	if (rank < 1)
		rank = 1;
	fmt_tenths(buf, v->v[rank - 1], 3600);
	csvout_cstr(w, buf);
}

static void
write_summary(struct sla *s)
{
	struct csvout *w = s->app.out;
	static const char *const cols[] = {
		"tickets", "ack_met", "ack_breached", "response_met",
		"response_breached", "resolve_met", "resolve_breached",
		"open_breached", "at_risk", "response_met_pct",
		"median_ack_hours", "p90_response_hours"
	};
	for (size_t i = 0; i < s->ngcols; i++)
		csvout_cstr(w, s->gcols[i].name);
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
		csvout_cstr(w, cols[i]);
	csvout_endrow(w);

	struct group **all = xcalloc(s->ngroups ? s->ngroups : 1, sizeof *all);
	size_t n = 0;
	for (size_t b = 0; b < s->nbuckets; b++)
		for (struct group *g = s->buckets[b]; g; g = g->next)
			all[n++] = g;
	sort_ncols = s->ngcols;
	if (n > 1)
		qsort(all, n, sizeof *all, cmp_group);
	for (size_t k = 0; k < n; k++) {
		struct group *g = all[k];
		char buf[32];
		for (size_t i = 0; i < s->ngcols; i++)
			csvout_str(w, g->val[i]);
		csvout_int(w, g->tickets);
		for (int i = 0; i < NSTEP; i++) {
			csvout_int(w, g->met[i]);
			csvout_int(w, g->breached[i]);
		}
		csvout_int(w, g->open_breached);
		csvout_int(w, g->at_risk);
		long long den = g->met[RESP] + g->breached[RESP];
		if (den == 0)
			csvout_empty(w);
		else {
			fmt_tenths(buf, (long long)g->met[RESP] * 100, den);
			csvout_cstr(w, buf);
		}
		if (g->ack.n > 1)
			qsort(g->ack.v, g->ack.n, sizeof *g->ack.v, cmp_i64);
		if (g->resp.n > 1)
			qsort(g->resp.v, g->resp.n, sizeof *g->resp.v, cmp_i64);
		out_rank(w, &g->ack, 1, 2);
		out_rank(w, &g->resp, 9, 10);
		csvout_endrow(w);
	}
	free(all);
}

/* ---- output formatting ---- */

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

/* ---- one ticket ---- */

struct cols {
	int id, recv, category, priority, subject, text, step[NSTEP];
};

static bool
is_urgent_category(const struct sla *s, struct str cat)
{
	for (size_t i = 0; i < s->nurgent_cats; i++)
		if (str_eq_ci(cat, s->urgent_cats[i]))
			return true;
	return false;
}

static const struct policy_row *
find_policy(const struct sla *s, struct str cat, int prio)
{
	for (size_t i = 0; i < s->npolicy; i++) {
		const struct policy_row *p = &s->policy[i];
		if (p->priority != PRIO_ANY && p->priority != prio)
			continue;
		if (p->category && !str_eq_ci(cat, (struct str){ p->category, p->catlen }))
			continue;
		return p;
	}
	return NULL;
}

/* pattern_match() through the memo: 1, 0, or -1 (never remembered). */
static int
match_urgent(struct sla *s, const struct str *f)
{
	if (f->n > MEMO_KEY)
		return pattern_match(s->pat, f->p, f->n);
	uint64_t h = f->n, w;
	size_t i = 0;
	for (; i + 8 <= f->n; i += 8) {		/* eight bytes a step */
		memcpy(&w, f->p + i, 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, f->p + i, f->n - i);
	h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
	h ^= h >> 32;
	struct memo *m = &s->memo[h % MEMO_SLOTS];
	if (m->len == f->n + 1 && (f->n == 0 || memcmp(m->key, f->p, f->n) == 0))
		return m->result;
	int r = pattern_match(s->pat, f->p, f->n);
	if (r >= 0) {
		m->len = (uint32_t)f->n + 1;
		m->result = r;
		if (f->n)
			memcpy(m->key, f->p, f->n);
	}
	return r;
}

/* Evaluate REC into E.  Returns false when the row was rejected. */
static bool
evaluate(struct sla *s, const struct stream *in, const struct record *r,
    const struct cols *c, struct eval *e)
{
	struct app *a = &s->app;
	tstamp asof = a->opt.as_of;
	static const struct str empty = { "", 0 };

	if (!app_fields_ok(a, in, r))
		return false;
	if (str_trim(r->f[c->id]).n == 0) {
		app_reject(a, in, r, stream_colname(in, c->id),
		    "required value missing", NULL);
		return false;
	}
	struct str v = str_trim(r->f[c->recv]);
	if (v.n == 0) {
		app_reject(a, in, r, stream_colname(in, c->recv),
		    "required value missing", NULL);
		return false;
	}
	if (parse_timestamp(v, &e->recv, NULL)) {
		app_reject(a, in, r, stream_colname(in, c->recv),
		    "invalid timestamp", &r->f[c->recv]);
		return false;
	}

	struct str cat = c->category >= 0 ? str_trim(r->f[c->category]) : empty;
	e->prio = -1;
	if (c->priority >= 0) {
		struct str p = str_trim(r->f[c->priority]);
		if (str_eq_cstr_ci(p, "urgent"))
			e->prio = PRIO_URGENT;
		else if (str_eq_cstr_ci(p, "normal"))
			e->prio = PRIO_NORMAL;
		else if (p.n) {
			app_reject(a, in, r, stream_colname(in, c->priority),
			    "unknown priority", &r->f[c->priority]);
			return false;
		}
	}

	for (int i = 0; i < NSTEP; i++) {
		e->done[i] = false;
		if (c->step[i] < 0)
			continue;
		v = str_trim(r->f[c->step[i]]);
		if (v.n == 0)
			continue;
		tstamp t;
		if (parse_timestamp(v, &t, NULL)) {
			app_reject(a, in, r, stream_colname(in, c->step[i]),
			    "invalid timestamp", &r->f[c->step[i]]);
			return false;
		}
		if (t < e->recv) {
			app_reject(a, in, r, stream_colname(in, c->step[i]),
			    "before received_at", &r->f[c->step[i]]);
			return false;
		}
		if (t <= asof) {	/* a later step has not happened yet */
			e->done[i] = true;
			e->at[i] = t;
		}
	}
	/* A later step done completes the earlier ones. */
	for (int i = NSTEP - 2; i >= 0; i--)
		if (!e->done[i] && e->done[i + 1]) {
			e->done[i] = true;
			e->at[i] = e->at[i + 1];
		}

	if (e->prio < 0) {
		e->prio = PRIO_NORMAL;
		if (is_urgent_category(s, cat))
			e->prio = PRIO_URGENT;
		else if (s->pat) {
			int cols2[2] = { c->subject, c->text };
			for (int k = 0; k < 2 && e->prio == PRIO_NORMAL; k++) {
				if (cols2[k] < 0)
					continue;
				const struct str *f = &r->f[cols2[k]];
				int m = match_urgent(s, f);
				if (m < 0) {
					app_reject(a, in, r, stream_colname(in, cols2[k]),
					    s->pat_why, NULL);
					return false;
				}
				if (m > 0)
					e->prio = PRIO_URGENT;
			}
		}
	}

	const struct policy_row *p = find_policy(s, cat, e->prio);
	if (!p) {
		char why[200], cb[100];
		snprintf(why, sizeof why,
		    "no policy row for category '%s' and priority %s",
		    str_cpy(cb, sizeof cb, cat), prioname[e->prio]);
		app_reject(a, in, r, NULL, why, NULL);
		return false;
	}

	e->status = ST_NONE;
	e->breach = e->open_breach = false;
	e->over = e->open_over = 0;
	for (int i = 0; i < NSTEP; i++) {
		e->st[i] = ST_NONE;
		e->has_target[i] = p->target[i].kind != DUR_NONE;
		if (!e->has_target[i])
			continue;
		tstamp due;
		if (duration_apply(&p->target[i], &s->hours, e->recv, &due)) {
			char why[120];
			snprintf(why, sizeof why,
			    "no business time for the %s target within %d days",
			    stepname[i], HOURS_SCAN_DAYS);
			app_reject(a, in, r, NULL, why, NULL);
			return false;
		}
		e->due[i] = due;
		int st;
		int64_t over = -1;
		if (e->done[i]) {
			st = e->at[i] <= due ? ST_MET : ST_BREACHED;
			if (st == ST_BREACHED)
				over = e->at[i] - due;
		} else if (asof > due) {
			st = ST_BREACHED;
			over = asof - due;
			e->open_breach = true;
			if (over > e->open_over)
				e->open_over = over;
		} else {
			bool risk;
			if (p->warn[i].kind == DUR_NONE)
				risk = 4 * (asof - e->recv) >= 3 * (due - e->recv);
			else {
				tstamp warn;
				if (duration_apply(&p->warn[i], &s->hours, e->recv, &warn)) {
					char why[120];
					snprintf(why, sizeof why,
					    "no business time for the %s warning within %d days",
					    stepname[i], HOURS_SCAN_DAYS);
					app_reject(a, in, r, NULL, why, NULL);
					return false;
				}
				risk = asof >= warn;
			}
			st = risk ? ST_AT_RISK : ST_PENDING;
		}
		if (st == ST_BREACHED) {
			e->breach = true;
			if (over > e->over)
				e->over = over;
		}
		e->st[i] = st;
		if (st > e->status)
			e->status = st;
	}
	return true;
}

static int
escalation(const struct sla *s, const struct eval *e)
{
	if (!e->open_breach)
		return 0;
	if (e->open_over >= s->esc2)
		return 3;
	if (e->open_over >= s->esc1)
		return 2;
	return 1;
}

static void
summarize(struct sla *s, const struct record *r, const struct eval *e,
    const struct str *comp)
{
	struct str vals[64], *v = vals;
	char month[16];
	if (s->ngcols > 64)
		v = xcalloc(s->ngcols, sizeof *v);	/* only with absurd lists */
	for (size_t i = 0; i < s->ngcols; i++) {
		const struct gcol *g = &s->gcols[i];
		if (g->src == SRC_INPUT)
			v[i] = r->f[g->idx];
		else if (g->src == SRC_COMPUTED)
			v[i] = comp[g->idx];
		else {
			fmt_date(month, local_date(e->recv));
			v[i] = (struct str){ month, 7 };
		}
	}
	struct group *g = find_group(s, v);
	if (v != vals)
		free(v);
	g->tickets++;
	for (int i = 0; i < NSTEP; i++) {
		if (e->st[i] == ST_MET)
			g->met[i]++;
		else if (e->st[i] == ST_BREACHED)
			g->breached[i]++;
	}
	if (e->open_breach)
		g->open_breached++;
	if (e->status == ST_AT_RISK)
		g->at_risk++;
	if (e->done[ACK])
		vec_push(&g->ack, e->at[ACK] - e->recv);
	if (e->done[RESP])
		vec_push(&g->resp, e->at[RESP] - e->recv);
}

/* Free what the run allocated, at its end. */
static void
sla_free(struct sla *s)
{
	for (size_t i = 0; i < s->npolicy; i++)
		free(s->policy[i].category);
	free(s->policy);
	hours_free(&s->hours);
	free(s->urgent_cats);
	pattern_free(s->pat);
	free(s->memo);
	free(s->gcols);
	for (size_t b = 0; b < s->nbuckets; b++)
		for (struct group *g = s->buckets[b], *next; g; g = next) {
			next = g->next;
			for (size_t i = 0; i < s->ngcols; i++)
				free((char *)g->val[i].p);
			free(g->val);
			free(g->ack.v);
			free(g->resp.v);
			free(g);
		}
	free(s->buckets);
	common_free(&s->app.opt);
}

int
main(int argc, char **argv)
{
	static struct sla s;
	const char *policy_path = NULL, *holidays_path = NULL, *hours_spec = NULL;
	static const char default_pattern[] = DEFAULT_PATTERN;
	const char *pattern_src = default_pattern;
	int ch;

	progname = "complaint-sla";
	argv[0] = (char *)progname;	/* getopt names the program so, too */
	common_init(&s.app.opt);
	parse_urgent_categories(&s, "safety,warranty");
	s.esc1 = 24 * 3600;
	s.esc2 = 72 * 3600;
	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS "p:", longopts,
	    NULL)) != -1) {
		switch (common_option(&s.app.opt, ch, optarg)) {
		case 1:
			continue;
		case -1:
			usage_cs();
		}
		switch (ch) {
		case 'h':
			printf("usage: %s %s\n", progname, SYNOPSIS);
			exit(EXIT_OK);
		case 'V':
			print_version();
		case 'p':
			policy_path = optarg;
			break;
		case OPT_HOURS:
			hours_spec = optarg;
			break;
		case OPT_HOLIDAYS:
			holidays_path = optarg;
			break;
		case OPT_URGENT_CATEGORIES:
			parse_urgent_categories(&s, optarg);
			break;
		case OPT_URGENT_PATTERN:
			pattern_src = optarg;
			break;
		case OPT_ESCALATE:
			parse_escalate(&s, optarg);
			break;
		case OPT_ONLY:
			parse_only(&s, optarg);
			break;
		case OPT_SUMMARY:
			s.summary_arg = optarg;
			break;
		case OPT_ALERT:
			s.alert_opt = true;
			break;
		default:
			usage_cs();
		}
	}
	if (common_finish(&s.app.opt) == -1)
		usage_cs();

	hours_init(&s.hours);
	if (hours_spec) {
		char err[200];
		if (hours_parse(&s.hours, hours_spec, err, sizeof err)) {
			warnmsg("--hours: %s", err);
			usage_cs();
		}
	}
	if (*pattern_src) {
		s.pat = pattern_compile(pattern_src, strlen(pattern_src), true,
		    "--urgent-pattern");
		s.memo = xcalloc(MEMO_SLOTS, sizeof *s.memo);
		if (pattern_src == default_pattern)
			snprintf(s.pat_why, sizeof s.pat_why,
			    "the default --urgent-pattern hit a match limit");
		else
			snprintf(s.pat_why, sizeof s.pat_why,
			    "--urgent-pattern '%.200s' hit a match limit", pattern_src);
	}
	if (policy_path)
		read_policy(&s, policy_path);
	else
		builtin_policy(&s);
	if (holidays_path)
		read_holidays(&s, holidays_path);

	struct stream in;
	struct record rec;
	struct cols c;
	stream_open(&in, argv + optind, argc - optind, s.app.opt.dialect,
	    s.app.opt.map, s.app.opt.nmap);
	c.id = stream_need(&in, "id");
	c.recv = stream_need(&in, "received_at");
	c.category = stream_col(&in, "category");
	c.priority = stream_col(&in, "priority");
	c.subject = stream_col(&in, "subject");
	c.text = stream_col(&in, "text");
	for (int i = 0; i < NSTEP; i++)
		c.step[i] = stream_col(&in, stepcol[i]);
	s.app.rej_header = in.header;
	if (s.summary_arg)
		setup_summary(&s, &in);
	app_open_output(&s.app);

	struct outcols oc;
	outcols_init(&oc, &in, compname, NCOMP);
	/* Every computed column is a priority, a timestamp, a status or a
	 * number: made of the bytes of csvout_known(). */
	static const unsigned char all_known[NCOMP] = {
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1
	};
	outcols_known(&oc, all_known);
	if (!s.summary_arg)
		outcols_header(&oc, s.app.out, &in);

	static const struct str esc_s[4] = {
		{ "0", 1 }, { "1", 1 }, { "2", 1 }, { "3", 1 }
	};
	char due_buf[NSTEP][RFC3339_LEN + 8], over_buf[32];
	struct str comp[NCOMP];
	struct eval e;
	while (stream_next(&in, &rec)) {
		if (!evaluate(&s, &in, &rec, &c, &e))
			continue;
		if (s.only_set && (e.status == ST_NONE || !s.only[e.status]))
			continue;
		comp[C_PRIORITY] = priostr[e.prio];
		for (int i = 0; i < NSTEP; i++) {
			struct str *due = &comp[C_ACK_DUE + 2 * i];
			struct str *st = &comp[C_ACK_STATUS + 2 * i];
			if (e.st[i] == ST_NONE) {
				*due = *st = (struct str){ "", 0 };
				continue;
			}
			due->p = due_buf[i];
			due->n = fmt_due(due_buf[i], e.due[i]);
			*st = ststr[e.st[i]];
		}
		comp[C_STATUS] = e.status == ST_NONE ? (struct str){ "", 0 }
		    : ststr[e.status];
		if (e.breach)
			comp[C_OVERDUE] = (struct str){ over_buf,
			    fmt_tenths(over_buf, e.over, 3600) };
		else
			comp[C_OVERDUE] = (struct str){ "", 0 };
		comp[C_ESCALATION] = esc_s[escalation(&s, &e)];
		if (e.open_breach)
			s.alert = true;
		if (s.summary_arg)
			summarize(&s, &rec, &e, comp);
		else
			outcols_row(&oc, s.app.out, &rec, comp);
	}
	if (s.summary_arg)
		write_summary(&s);
	stream_close(&in);
	outcols_free(&oc);
	int status = app_finish(&s.app, s.alert_opt && s.alert);
	sla_free(&s);
	return status;
}
