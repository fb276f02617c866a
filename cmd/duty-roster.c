/* duty-roster — roadside-assistance duty in a dealer union: plan a fair
 * rotation, tell who is on duty, check a roster, audit the dispatch call
 * log, share the cost.  See duty-roster(1) and spec/duty-roster.md. */
#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "csvout.h"
#include "datetime.h"
#include "num.h"
#include "opts.h"
#include "outcols.h"
#include "str.h"
#include "stream.h"
#include "util.h"

#define SYN_PLAN  "plan [OPTIONS] --from DATE --to DATE [MEMBERS...]"
#define SYN_WHO   "who [OPTIONS] [--region R] [--field COLUMN] [ROSTER...]"
#define SYN_CHECK "check [OPTIONS] -m MEMBERS [ROSTER...]"
#define SYN_AUDIT "audit [OPTIONS] -r ROSTER [CALLS...]"
#define SYN_SHARE "share [OPTIONS] --cost AMOUNT [-r ROSTER --credit AMOUNT] [MEMBERS...]"
#define SYN_ALL SYN_PLAN "\n       duty-roster " SYN_WHO "\n       duty-roster " SYN_CHECK \
	"\n       duty-roster " SYN_AUDIT "\n       duty-roster " SYN_SHARE
#define HELP_OPTS \
	"plan:  [--shifts N] [--handover HH:MM] [--day-weights W,SAT,SUN,HOL]\n" \
	"       [--holidays FILE] [--min-gap D] [--history FILE] [--format csv|ics]\n" \
	"check: [--min-gap D]   audit, share: -r ROSTER repeatable\n" \
	"OPTIONS: " COMMON_USAGE "\n"

enum cmd { C_PLAN, C_WHO, C_CHECK, C_AUDIT, C_SHARE, NCMD };
static const char *const cmdname[NCMD] = { "plan", "who", "check", "audit", "share" };
static const char *const cmdsyn[NCMD] = { SYN_PLAN, SYN_WHO, SYN_CHECK, SYN_AUDIT, SYN_SHARE };

enum { ST_ASSIGNED, ST_OVERRIDE, ST_UNCOVERED, ST_BAD };

#define MILLI 1000LL
#define MILLI_MAX 1000000000000000LL	/* 10^12 with three decimals */

/* ------------------------------------------------------------------ */
/* Small helpers */

/* A non-negative decimal with up to three fraction digits ('.' or ','),
 * in thousandths.  Trims.  0 or -1. */
static int
parse_milli(struct str s, long long *out)
{
	size_t i = 0, nd = 0, nf = 0;
	long long v = 0;

	s = str_trim(s);
	if (s.n == 0)
		return -1;
	for (; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++, nd++) {
		v = v * 10 + (s.p[i] - '0');
		if (v > MILLI_MAX / MILLI)
			return -1;
	}
	if (nd == 0)
		return -1;
	v *= MILLI;
	if (i < s.n && (s.p[i] == '.' || s.p[i] == ',')) {
		long long scale = MILLI / 10;
		for (i++; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++, nf++) {
			if (nf >= 3)
				return -1;
			v += (s.p[i] - '0') * scale;
			scale /= 10;
		}
		if (nf == 0)
			return -1;
	}
	if (i != s.n)
		return -1;
	*out = v;
	return 0;
}

/* Thousandths in shortest exact decimal form: 1, 1.2, 0.125. */
static size_t
fmt_milli(char *buf, long long v)
{
	bool neg = v < 0;
	unsigned long long u = neg ? -(unsigned long long)v : (unsigned long long)v;
	unsigned frac = (unsigned)(u % MILLI);
	int n = sprintf(buf, "%s%llu", neg ? "-" : "", u / MILLI);

	if (frac) {
		char f[4];
		int k = 3;
		snprintf(f, sizeof f, "%03u", frac);
		while (k > 0 && f[k - 1] == '0')
			k--;
		n += sprintf(buf + n, ".%.*s", k, f);
	}
	return (size_t)n;
}

static char *
str_dup(struct str s)
{
	return xmemdup(s.p, s.n);
}


/* Hash of a string, optionally folding ASCII case. */
static uint64_t
hash_str(struct str s, bool ci)
{
	return ci ? str_hash_ci(s) : str_hash(s);
}

/* A map from strings (exact, or ignoring ASCII case) to ints. */
struct strmap {
	char **key;
	size_t *klen;
	int *val;
	size_t cap, n;
	bool ci;
};

static int
strmap_get(const struct strmap *m, struct str k)
{
	if (m->cap == 0)
		return -1;
	for (size_t i = hash_str(k, m->ci) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->key[i])
			return -1;
		struct str s = { m->key[i], m->klen[i] };
		if (m->ci ? str_eq_ci(s, k) : str_eq(s, k))
			return m->val[i];
	}
}

static void
strmap_put(struct strmap *m, struct str k, int v)
{
	if (2 * (m->n + 1) > m->cap) {
		struct strmap o = *m;
		m->cap = o.cap ? 2 * o.cap : 64;
		m->key = xcalloc(m->cap, sizeof *m->key);
		m->klen = xcalloc(m->cap, sizeof *m->klen);
		m->val = xcalloc(m->cap, sizeof *m->val);
		m->n = 0;
		for (size_t i = 0; i < o.cap; i++)
			if (o.key[i]) {
				size_t j = hash_str((struct str){ o.key[i], o.klen[i] }, m->ci) & (m->cap - 1);
				while (m->key[j])
					j = (j + 1) & (m->cap - 1);
				m->key[j] = o.key[i];
				m->klen[j] = o.klen[i];
				m->val[j] = o.val[i];
				m->n++;
			}
		free(o.key);
		free(o.klen);
		free(o.val);
	}
	size_t j = hash_str(k, m->ci) & (m->cap - 1);
	while (m->key[j])
		j = (j + 1) & (m->cap - 1);
	m->key[j] = str_dup(k);
	m->klen[j] = k.n;
	m->val[j] = v;
	m->n++;
}

static void
strmap_free(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->key[i]);
	free(m->key);
	free(m->klen);
	free(m->val);
	m->key = NULL;
	m->klen = NULL;
	m->val = NULL;
	m->cap = m->n = 0;
}

/* ------------------------------------------------------------------ */
/* Regions: names in order of first appearance, matched ignoring case;
 * an empty region is "all". */

struct regions {
	char **name;
	size_t n, cap;
	struct strmap idx;
	int all;		/* index of "all", or -1 */
};

static struct str
region_key(struct str s)
{
	s = str_trim(s);
	return s.n ? s : STR_C("all");
}

static int
region_find(const struct regions *r, struct str s)
{
	return strmap_get(&r->idx, region_key(s));
}

static int
region_add(struct regions *r, struct str s)
{
	int i;

	s = region_key(s);
	if ((i = strmap_get(&r->idx, s)) >= 0)
		return i;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->name = xrealloc(r->name, r->cap * sizeof *r->name);
	}
	r->name[r->n] = str_dup(s);
	strmap_put(&r->idx, s, (int)r->n);
	if (str_eq_cstr_ci(s, "all"))
		r->all = (int)r->n;
	return (int)r->n++;
}

static void
regions_init(struct regions *r)
{
	memset(r, 0, sizeof *r);
	r->idx.ci = true;
	r->all = -1;
}

static void
regions_free(struct regions *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->name[i]);
	free(r->name);
	strmap_free(&r->idx);
	regions_init(r);
}

/* ------------------------------------------------------------------ */
/* Program state */

struct range {
	day_t from, to;
};

struct member {
	char *id;
	struct str name, phone;		/* passthrough, owned */
	char *region;			/* trimmed; "all" when empty */
	bool finance;
	long long weight, share;	/* thousandths */
	struct range *unav;
	size_t nunav;
	/* plan and share */
	long long load;			/* thousandths */
	tstamp last;
	day_t last_day;
	bool has_last;
	long shifts;
};

struct holiday {
	day_t day;
	char *region;			/* NULL: every region */
};

struct rrow {				/* a roster row held in memory */
	int region;
	int status;
	tstamp start, end;
	day_t sday;
	char *member;
	long order;
};

struct prog {
	struct app app;
	enum cmd cmd;
	/* plan */
	day_t from, to;
	bool have_from, have_to;
	long long shifts;
	int handover;
	long long dw[4];		/* weekday, Saturday, Sunday, holiday */
	const char *holidays;
	long long min_gap;
	char **history;
	int nhistory;
	bool ics;
	/* who */
	const char *region, *field;
	/* check */
	const char *members;
	/* audit, share */
	char **rosters;
	int nrosters;
	long long cost, credit;
	bool have_cost, have_credit;

	struct member *m;
	size_t nm, capm;
	struct strmap midx;		/* member id -> index */
	struct holiday *hol;
	size_t nhol;
};

static struct prog P;

/* Report a bad value of a member or roster row: a rejected row of the
 * stream, or an invalid row of a table. */
static void
bad_row(struct stream *s, const struct record *r, bool table, const char *col,
    const char *why, struct str val)
{
	if (table) {
		char buf[512];
		size_t j = 0;
		for (size_t i = 0; i < val.n && j + 3 < sizeof buf; i++) {
			char c = val.p[i];
			if (c == '\n' || c == '\r') {
				buf[j++] = '\\';
				buf[j++] = c == '\n' ? 'n' : 'r';
			} else
				buf[j++] = c ? c : '?';
		}
		buf[j] = '\0';
		app_table_reject(&P.app, r->file, r->line, "%s: %s '%s'", col, why, buf);
	} else
		app_reject(&P.app, s, r, col, why, &val);
}

/* A record with the header's number of fields; else reject it. */
static bool
fields_ok(struct stream *s, const struct record *r, bool table)
{
	return table ? app_table_fields_ok(&P.app, s, r) : app_fields_ok(&P.app, s, r);
}

static int
parse_status(struct str s)
{
	s = str_trim(s);
	if (s.n == 0 || str_eq_cstr_ci(s, "assigned"))
		return ST_ASSIGNED;
	if (str_eq_cstr_ci(s, "override"))
		return ST_OVERRIDE;
	if (str_eq_cstr_ci(s, "uncovered"))
		return ST_UNCOVERED;
	return ST_BAD;
}

static int
cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	return x->from < y->from ? -1 : x->from > y->from;
}

/* "2026-12-24;2027-01-02..2027-01-06": sorted, merged ranges.  On error
 * *bad is the offending item. */
static int
parse_unavailable(struct str s, struct range **out, size_t *nout, struct str *bad,
    const char **why)
{
	struct str rest = s, tok;
	struct range *v = NULL;
	size_t n = 0, cap = 0;

	while (str_next_token(&rest, ';', &tok)) {
		struct str t = str_trim(tok), a = t, b = t;
		struct range r;
		for (size_t i = 0; i + 1 < t.n; i++)
			if (t.p[i] == '.' && t.p[i + 1] == '.') {
				a = (struct str){ t.p, i };
				b = (struct str){ t.p + i + 2, t.n - i - 2 };
				break;
			}
		if (t.n == 0)
			continue;
		if (parse_date(a, &r.from) != 0 || parse_date(b, &r.to) != 0) {
			*bad = t;
			*why = a.p == b.p ? "bad date" : "bad range";
			free(v);
			return -1;
		}
		if (r.to < r.from) {
			*bad = t;
			*why = "range ends before it starts";
			free(v);
			return -1;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 4;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n++] = r;
	}
	if (n > 1) {
		size_t k = 0;
		qsort(v, n, sizeof *v, cmp_range);
		for (size_t i = 1; i < n; i++) {
			if (v[i].from <= v[k].to + 1) {
				if (v[i].to > v[k].to)
					v[k].to = v[i].to;
			} else
				v[++k] = v[i];
		}
		n = k + 1;
	}
	*out = v;
	*nout = n;
	return 0;
}

static bool
unavailable(const struct member *m, day_t d)
{
	size_t lo = 0, hi = m->nunav;
	while (lo < hi) {		/* first range with to >= d */
		size_t mid = (lo + hi) / 2;
		if (m->unav[mid].to < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nunav && m->unav[lo].from <= d;
}

/* Read the members: the stream (plan, share) or the -m table (check). */
static void
read_members(struct stream *s, bool table)
{
	struct record rec;
	int cm = stream_need(s, "member");
	int cn = stream_col(s, "name"), cp = stream_col(s, "phone");
	int cr = stream_col(s, "region"), cro = stream_col(s, "role");
	int cw = stream_col(s, "weight"), cs = stream_col(s, "share");
	int cu = stream_col(s, "unavailable");

	P.midx.ci = false;
	while (stream_next(s, &rec)) {
		struct member m = { 0 };
		struct str v, bad;
		const char *why;

		if (!fields_ok(s, &rec, table))
			continue;
		v = str_trim(rec_field(&rec, cm));
		if (v.n == 0) {
			bad_row(s, &rec, table, stream_colname(s, cm), "missing value", rec_field(&rec, cm));
			continue;
		}
		if (strmap_get(&P.midx, v) >= 0) {
			bad_row(s, &rec, table, stream_colname(s, cm), "duplicate member", v);
			continue;
		}
		v = str_trim(rec_field(&rec, cro));
		if (v.n == 0 || str_eq_cstr_ci(v, "duty"))
			m.finance = false;
		else if (str_eq_cstr_ci(v, "finance"))
			m.finance = true;
		else {
			bad_row(s, &rec, table, stream_colname(s, cro), "unknown role", rec_field(&rec, cro));
			continue;
		}
		m.weight = MILLI;
		v = str_trim(rec_field(&rec, cw));
		if (v.n && (parse_milli(v, &m.weight) != 0 || m.weight == 0)) {
			bad_row(s, &rec, table, stream_colname(s, cw), "not a positive number (up to 3 decimals)", rec_field(&rec, cw));
			continue;
		}
		m.share = MILLI;
		v = str_trim(rec_field(&rec, cs));
		if (v.n && parse_milli(v, &m.share) != 0) {
			bad_row(s, &rec, table, stream_colname(s, cs), "not a number (up to 3 decimals)", rec_field(&rec, cs));
			continue;
		}
		if (parse_unavailable(rec_field(&rec, cu), &m.unav, &m.nunav, &bad, &why) != 0) {
			bad_row(s, &rec, table, stream_colname(s, cu), why, bad);
			continue;
		}
		m.id = str_dup(str_trim(rec_field(&rec, cm)));
		v = rec_field(&rec, cn);
		m.name = (struct str){ xmemdup(v.p, v.n), v.n };
		v = rec_field(&rec, cp);
		m.phone = (struct str){ xmemdup(v.p, v.n), v.n };
		m.region = str_dup(region_key(rec_field(&rec, cr)));
		if (P.nm == P.capm) {
			P.capm = P.capm ? 2 * P.capm : 64;
			P.m = xrealloc(P.m, P.capm * sizeof *P.m);
		}
		strmap_put(&P.midx, (struct str){ m.id, strlen(m.id) }, (int)P.nm);
		P.m[P.nm++] = m;
	}
}

/* Parse start and end of a roster row; false (and rejected) when bad. */
static bool
row_times(struct stream *s, const struct record *r, bool table, int cs, int ce,
    tstamp *start, tstamp *end)
{
	if (parse_timestamp(rec_field(r, cs), start, NULL) != 0) {
		bad_row(s, r, table, stream_colname(s, cs), "bad timestamp", rec_field(r, cs));
		return false;
	}
	if (parse_timestamp(rec_field(r, ce), end, NULL) != 0) {
		bad_row(s, r, table, stream_colname(s, ce), "bad timestamp", rec_field(r, ce));
		return false;
	}
	if (*end <= *start) {
		bad_row(s, r, table, stream_colname(s, ce), "not after start", rec_field(r, ce));
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* plan */

struct plan_region {
	int *mem;			/* duty members, file order */
	size_t n, cap;
	unsigned char *hol;		/* per day from..to+1: holiday here */
};

static void
read_holidays(const char *path)
{
	struct stream s;
	struct record rec;
	int cd, cr;

	table_open(&s, path, "holidays");
	cd = stream_need(&s, "date");
	cr = stream_col(&s, "region");
	while (stream_next(&s, &rec)) {
		struct holiday h;
		struct str rg;
		if (rec.nf != s.header.nf)
			fatal("%s:%ld: wrong number of fields", rec.file, rec.line);
		if (parse_date(rec_field(&rec, cd), &h.day) != 0)
			fatal("%s:%ld: %s: bad date '%.*s'", rec.file, rec.line,
			    stream_colname(&s, cd), (int)rec_field(&rec, cd).n, rec_field(&rec, cd).p);
		rg = str_trim(rec_field(&rec, cr));
		h.region = rg.n && !str_eq_cstr_ci(rg, "all") ? str_dup(rg) : NULL;
		P.hol = xrealloc(P.hol, (P.nhol + 1) * sizeof *P.hol);
		P.hol[P.nhol++] = h;
	}
	stream_close(&s);
}

static void
read_history(const char *path, tstamp first)
{
	struct stream s;
	struct record rec;
	int cm, cs, cl, cst;

	table_open(&s, path, "history");
	cm = stream_need(&s, "member");
	cs = stream_need(&s, "start");
	cl = stream_need(&s, "load");
	cst = stream_col(&s, "status");
	while (stream_next(&s, &rec)) {
		struct str id;
		int st, i;
		tstamp t;
		long long load;
		struct member *m;

		if (!fields_ok(&s, &rec, true))
			continue;
		st = parse_status(rec_field(&rec, cst));
		if (st == ST_BAD) {
			bad_row(&s, &rec, true, stream_colname(&s, cst), "unknown status", rec_field(&rec, cst));
			continue;
		}
		id = str_trim(rec_field(&rec, cm));
		if (st != ST_ASSIGNED || id.n == 0 || (i = strmap_get(&P.midx, id)) < 0)
			continue;
		if (parse_timestamp(rec_field(&rec, cs), &t, NULL) != 0) {
			bad_row(&s, &rec, true, stream_colname(&s, cs), "bad timestamp", rec_field(&rec, cs));
			continue;
		}
		if (parse_milli(rec_field(&rec, cl), &load) != 0) {
			bad_row(&s, &rec, true, stream_colname(&s, cl), "not a number", rec_field(&rec, cl));
			continue;
		}
		if (t >= first)		/* overlaps the plan: not history */
			continue;
		m = &P.m[i];
		m->load += load;
		if (!m->has_last || t > m->last) {
			m->last = t;
			m->last_day = local_date(t);
			m->has_last = true;
		}
	}
	stream_close(&s);
}

/* (la + w) / wa < (lb + w) / wb, exactly; then last shift longest ago. */
static bool
better(const struct member *a, const struct member *b, long long w)
{
	__int128 x = (__int128)(a->load + w) * b->weight;
	__int128 y = (__int128)(b->load + w) * a->weight;
	if (x != y)
		return x < y;
	if (a->has_last != b->has_last)
		return !a->has_last;
	return a->has_last && a->last < b->last;
}

/* iCalendar TEXT, escaped and folded at 75 octets, CRLF. */
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
		if (c >= 0xc0) {
			while (i + k < l->n && k < 4 && ((unsigned char)l->buf[i + k] & 0xc0) == 0x80)
				k++;
		}
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

static int
cmd_plan(int nfiles, char **files)
{
	struct stream in;
	struct regions rg;
	struct plan_region *pr;
	struct icsline il = { 0 };
	tstamp first;
	long long len;
	day_t ndays;
	int alert = 0;
	char b1[96], b2[96], b3[96];
	struct csvout *w;

	if (!P.have_from || !P.have_to) {
		warnmsg("plan needs --from and --to");
		usage_error(SYN_PLAN);
	}
	if (P.to < P.from) {
		warnmsg("--to is before --from");
		usage_error(SYN_PLAN);
	}
	len = 86400 / P.shifts;
	first = local_to_utc(P.from, P.handover);

	stream_open(&in, files, nfiles, P.app.opt.dialect, P.app.opt.map, P.app.opt.nmap);
	P.app.rej_header = in.header;
	app_open_output(&P.app);	/* before rejected rows: it starts --rejects */
	read_members(&in, false);

	regions_init(&rg);
	for (size_t i = 0; i < P.nm; i++)
		if (!P.m[i].finance)
			region_add(&rg, str_of(P.m[i].region));
	pr = xcalloc(rg.n ? rg.n : 1, sizeof *pr);
	for (size_t i = 0; i < P.nm; i++) {
		struct plan_region *r;
		if (P.m[i].finance)
			continue;
		r = &pr[region_find(&rg, str_of(P.m[i].region))];
		if (r->n == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 8;
			r->mem = xrealloc(r->mem, r->cap * sizeof *r->mem);
		}
		r->mem[r->n++] = (int)i;
	}

	/* Holidays per region over the days a shift may start on. */
	ndays = P.to - P.from + 2;
	if (P.holidays)
		read_holidays(P.holidays);
	for (size_t r = 0; r < rg.n; r++)
		pr[r].hol = xcalloc((size_t)ndays, 1);
	for (size_t h = 0; h < P.nhol; h++) {
		day_t off = P.hol[h].day - P.from;
		if (off < 0 || off >= ndays)
			continue;
		if (!P.hol[h].region) {
			for (size_t r = 0; r < rg.n; r++)
				pr[r].hol[off] = 1;
		} else {
			int r = region_find(&rg, str_of(P.hol[h].region));
			if (r >= 0)
				pr[r].hol[off] = 1;
		}
	}

	for (int i = 0; i < P.nhistory; i++)
		read_history(P.history[i], first);

	w = P.app.out;
	if (P.ics) {
		char stamp[32];
		ics_simple(w, "BEGIN:VCALENDAR");
		ics_simple(w, "VERSION:2.0");
		ics_simple(w, "PRODID:-//aftersales//duty-roster " VERSION "//EN");
		ics_simple(w, "CALSCALE:GREGORIAN");
		ics_simple(w, "METHOD:PUBLISH");
		fmt_utc_ics(stamp, P.app.opt.as_of);
		snprintf(b3, sizeof b3, "DTSTAMP:%s", stamp);
	} else {
		static const char *const cols[] = { "region", "date", "shift", "start", "end",
			"member", "name", "phone", "load", "status", "note" };
		for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
			csvout_cstr(w, cols[i]);
		csvout_endrow(w);
	}

	tstamp start = first;
	for (day_t d = P.from; d <= P.to; d++) {
		for (long long k = 0; k < P.shifts; k++) {
			long long nx = P.handover + (k + 1) * len;
			tstamp end = local_to_utc(d + (day_t)(nx / 86400), (int)(nx % 86400));
			day_t sday = local_date(start);
			int wd = weekday(sday);
			char date[16], sbuf[RFC3339_LEN + 1], ebuf[RFC3339_LEN + 1];

			fmt_date(date, d);
			if (!P.ics) {
				fmt_rfc3339(sbuf, start);
				fmt_rfc3339(ebuf, end);
			}
			for (size_t r = 0; r < rg.n; r++) {
				struct plan_region *R = &pr[r];
				day_t off = sday - P.from;
				bool hol = off >= 0 && off < ndays && R->hol[off];
				long long w8 = hol ? P.dw[3] : wd == 6 ? P.dw[2] : wd == 5 ? P.dw[1] : P.dw[0];
				struct member *best = NULL, *any = NULL, *m;
				bool short_rest = false;

				for (size_t j = 0; j < R->n; j++) {
					m = &P.m[R->mem[j]];
					if (m->nunav && unavailable(m, sday))
						continue;
					if (!any || better(m, any, w8))
						any = m;
					if (P.min_gap > 0 && m->has_last && sday - m->last_day < P.min_gap)
						continue;
					if (!best || better(m, best, w8))
						best = m;
				}
				if (!best && any) {
					best = any;
					short_rest = true;
				}
				if (best) {
					best->load += w8;
					best->last = start;
					best->last_day = sday;
					best->has_last = true;
				} else
					alert = 1;
				if (P.ics) {
					char t[64];
					if (!best)
						continue;
					ics_simple(w, "BEGIN:VEVENT");
					ics_addc(&il, "UID:duty-roster-", false);
					for (const char *p = rg.name[r]; *p; p++) {
						unsigned char c = (unsigned char)*p;
						char x[4];
						if (isalnum(c) || c == '-' || c == '_' || c == '.')
							x[0] = (char)tolower(c), x[1] = 0;
						else
							snprintf(x, sizeof x, "%%%02X", c);
						ics_addc(&il, x, false);
					}
					snprintf(t, sizeof t, "-%.4s%.2s%.2s-%lld@aftersales", date, date + 5,
					    date + 8, k + 1);
					ics_addc(&il, t, false);
					ics_flush(&il, w);
					ics_simple(w, b3);
					fmt_utc_ics(t, start);
					snprintf(b1, sizeof b1, "DTSTART:%s", t);
					ics_simple(w, b1);
					fmt_utc_ics(t, end);
					snprintf(b2, sizeof b2, "DTEND:%s", t);
					ics_simple(w, b2);
					ics_addc(&il, "SUMMARY:", false);
					ics_addc(&il, "Duty ", true);
					ics_addc(&il, rg.name[r], true);
					ics_addc(&il, ": ", true);
					if (str_trim(best->name).n)
						ics_add(&il, best->name.p, best->name.n, true);
					else
						ics_addc(&il, best->id, true);
					ics_flush(&il, w);
					ics_addc(&il, "DESCRIPTION:", false);
					ics_addc(&il, "Member ", true);
					ics_addc(&il, best->id, true);
					if (str_trim(best->phone).n) {
						ics_addc(&il, ", phone ", true);
						ics_add(&il, best->phone.p, best->phone.n, true);
					}
					ics_flush(&il, w);
					ics_simple(w, "END:VEVENT");
					continue;
				}
				csvout_cstr(w, rg.name[r]);
				csvout_cstr(w, date);
				csvout_int(w, k + 1);
				csvout_cstr(w, sbuf);
				csvout_cstr(w, ebuf);
				if (best) {
					csvout_cstr(w, best->id);
					csvout_str(w, best->name);
					csvout_str(w, best->phone);
				} else {
					csvout_empty(w);
					csvout_empty(w);
					csvout_empty(w);
				}
				fmt_milli(b1, w8);
				csvout_cstr(w, b1);
				csvout_cstr(w, best ? "assigned" : "uncovered");
				csvout_cstr(w, short_rest ? "short_rest" : "");
				csvout_endrow(w);
			}
			start = end;
		}
	}
	if (P.ics)
		ics_simple(w, "END:VCALENDAR");
	stream_close(&in);
	for (size_t r = 0; r < rg.n; r++) {
		free(pr[r].mem);
		free(pr[r].hol);
	}
	free(pr);
	free(il.buf);
	regions_free(&rg);
	return app_finish(&P.app, alert);
}

/* ------------------------------------------------------------------ */
/* who */

struct held {
	struct record rec;
	int status;
	char *region;
};

static void
copy_record(struct record *dst, const struct record *src)
{
	dst->nf = src->nf;
	dst->f = xcalloc(src->nf ? src->nf : 1, sizeof *dst->f);
	for (size_t i = 0; i < src->nf; i++)
		dst->f[i] = (struct str){ xmemdup(src->f[i].p, src->f[i].n), src->f[i].n };
	dst->line = src->line;
	dst->file = src->file;
}

static bool
is_all(struct str region)
{
	return str_eq_cstr_ci(region_key(region), "all");
}

static int
cmd_who(int nfiles, char **files)
{
	struct stream in;
	struct record rec;
	struct held *h = NULL;
	size_t nh = 0, caph = 0, kept = 0;
	int cr, cs, ce, cm, cst, cf = -1;
	tstamp now = P.app.opt.as_of;
	struct str want = P.region ? region_key(str_of(P.region)) : STR_C("");
	bool want_all = P.region && is_all(want);
	struct regions ov;		/* regions with an override at as-of */

	stream_open(&in, files, nfiles, P.app.opt.dialect, P.app.opt.map, P.app.opt.nmap);
	P.app.rej_header = in.header;
	cr = stream_need(&in, "region");
	cs = stream_need(&in, "start");
	ce = stream_need(&in, "end");
	cm = stream_need(&in, "member");
	cst = stream_col(&in, "status");
	if (P.field)
		cf = stream_need(&in, P.field);
	app_open_output(&P.app);

	regions_init(&ov);
	while (stream_next(&in, &rec)) {
		tstamp s, e;
		int st;
		struct str region;

		if (!fields_ok(&in, &rec, false))
			continue;
		st = parse_status(rec_field(&rec, cst));
		if (st == ST_BAD) {
			bad_row(&in, &rec, false, stream_colname(&in, cst), "unknown status",
			    rec_field(&rec, cst));
			continue;
		}
		if (!row_times(&in, &rec, false, cs, ce, &s, &e))
			continue;
		if (st == ST_UNCOVERED || !(s <= now && now < e))
			continue;
		if (str_trim(rec_field(&rec, cm)).n == 0) {
			bad_row(&in, &rec, false, stream_colname(&in, cm), "missing value",
			    rec_field(&rec, cm));
			continue;
		}
		region = region_key(rec_field(&rec, cr));
		if (P.region && !str_eq_ci(region, want) && (want_all || !is_all(region)))
			continue;
		if (nh == caph) {
			caph = caph ? 2 * caph : 16;
			h = xrealloc(h, caph * sizeof *h);
		}
		copy_record(&h[nh].rec, &rec);
		h[nh].status = st;
		h[nh].region = str_dup(region);
		if (st == ST_OVERRIDE)
			region_add(&ov, region);
		nh++;
	}
	if (!P.field)
		csvout_record(P.app.out, &in.header, true);
	for (size_t i = 0; i < nh; i++) {
		if (h[i].status == ST_ASSIGNED) {
			struct str r = str_of(h[i].region);
			if (P.region) {
				if (ov.n)
					continue;
			} else if (region_find(&ov, r) >= 0 || (ov.all >= 0 && !is_all(r)))
				continue;
		}
		kept++;
		if (P.field) {
			struct str v = rec_field(&h[i].rec, cf);
			csvout_raw(P.app.out, v.p, v.n);
			csvout_raw(P.app.out, P.app.opt.crlf ? "\r\n" : "\n", P.app.opt.crlf ? 2 : 1);
		} else
			csvout_record(P.app.out, &h[i].rec, true);
	}
	stream_close(&in);
	for (size_t i = 0; i < nh; i++) {
		for (size_t j = 0; j < h[i].rec.nf; j++)
			free((char *)h[i].rec.f[j].p);
		free(h[i].rec.f);
		free(h[i].region);
	}
	free(h);
	regions_free(&ov);
	return app_finish(&P.app, kept == 0);
}

/* ------------------------------------------------------------------ */
/* Rosters held in memory (check, audit) */

struct roster {
	struct rrow *r;
	size_t n, cap;
	struct regions rg;
};

/* Read roster rows from a stream (check) or tables (audit). */
static void
roster_read(struct roster *ro, struct stream *s, bool table)
{
	struct record rec;
	int cr = stream_need(s, "region"), cs = stream_need(s, "start");
	int ce = stream_need(s, "end"), cm = stream_need(s, "member");
	int cst = stream_col(s, "status");

	while (stream_next(s, &rec)) {
		struct rrow x;
		struct str mem;

		if (!fields_ok(s, &rec, table))
			continue;
		x.status = parse_status(rec_field(&rec, cst));
		if (x.status == ST_BAD) {
			bad_row(s, &rec, table, stream_colname(s, cst), "unknown status", rec_field(&rec, cst));
			continue;
		}
		if (!row_times(s, &rec, table, cs, ce, &x.start, &x.end))
			continue;
		mem = str_trim(rec_field(&rec, cm));
		if (x.status != ST_UNCOVERED && mem.n == 0) {
			bad_row(s, &rec, table, stream_colname(s, cm), "missing value", rec_field(&rec, cm));
			continue;
		}
		x.region = region_add(&ro->rg, rec_field(&rec, cr));
		x.member = x.status == ST_UNCOVERED ? NULL : str_dup(mem);
		x.sday = local_date(x.start);
		x.order = (long)ro->n;
		if (ro->n == ro->cap) {
			ro->cap = ro->cap ? 2 * ro->cap : 256;
			ro->r = xrealloc(ro->r, ro->cap * sizeof *ro->r);
		}
		ro->r[ro->n++] = x;
	}
}

static void
roster_free(struct roster *ro)
{
	for (size_t i = 0; i < ro->n; i++)
		free(ro->r[i].member);
	free(ro->r);
	regions_free(&ro->rg);
}

static int
cmp_rrow_start(const void *a, const void *b)
{
	const struct rrow *x = *(struct rrow *const *)a, *y = *(struct rrow *const *)b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* ------------------------------------------------------------------ */
/* check */

enum { P_GAP, P_OVERLAP, P_UNAVAILABLE, P_NOT_DUTY, P_UNKNOWN, P_WRONG_REGION, P_SHORT_REST };
static const char *const problem_name[] = { "gap", "overlap", "unavailable", "not_duty",
	"unknown_member", "wrong_region", "short_rest" };

struct problem {
	tstamp start, end;
	int region, kind;
	long seq;
	const char *member;
	char *detail;
};

static struct problem *probs;
static size_t nprob, capprob;

static void
add_problem(int kind, int region, tstamp s, tstamp e, const char *member, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
add_problem(int kind, int region, tstamp s, tstamp e, const char *member, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (nprob == capprob) {
		capprob = capprob ? 2 * capprob : 64;
		probs = xrealloc(probs, capprob * sizeof *probs);
	}
	probs[nprob] = (struct problem){ s, e, region, kind, (long)nprob, member, xstrdup(buf) };
	nprob++;
}

static int
cmp_problem(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->region != y->region)
		return x->region < y->region ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
fmt_hours(char *buf, tstamp secs)
{
	size_t n = fmt_tenths(buf, secs, 3600);
	if (n >= 2 && buf[n - 2] == '.' && buf[n - 1] == '0')
		buf[n - 2] = 0;
}

static int
cmp_rrow_member(const void *a, const void *b)
{
	const struct rrow *x = *(struct rrow *const *)a, *y = *(struct rrow *const *)b;
	int c = strcmp(x->member, y->member);
	if (c)
		return c;
	return cmp_rrow_start(a, b);
}

static int
cmd_check(int nfiles, char **files)
{
	struct stream ms, in;
	struct roster ro = { 0 };
	struct rrow **v, **byreg;
	size_t nv = 0, *rstart, *rcount;
	char b1[RFC3339_LEN + 1], b2[RFC3339_LEN + 1], db[16];

	if (!P.members) {
		warnmsg("check needs -m MEMBERS");
		usage_error(SYN_CHECK);
	}
	table_open(&ms, P.members, "members");
	read_members(&ms, true);
	stream_close(&ms);

	regions_init(&ro.rg);
	stream_open(&in, files, nfiles, P.app.opt.dialect, P.app.opt.map, P.app.opt.nmap);
	P.app.rej_header = in.header;
	app_open_output(&P.app);	/* before rejected rows: it starts --rejects */
	roster_read(&ro, &in, false);
	stream_close(&in);

	v = xcalloc(ro.n + 1, sizeof *v);
	for (size_t i = 0; i < ro.n; i++)
		v[i] = &ro.r[i];
	qsort(v, ro.n, sizeof *v, cmp_rrow_start);

	/* Rows grouped per region, each group sorted by start. */
	rstart = xcalloc(ro.rg.n + 1, sizeof *rstart);
	rcount = xcalloc(ro.rg.n + 1, sizeof *rcount);
	byreg = xcalloc(ro.n + 1, sizeof *byreg);
	for (size_t i = 0; i < ro.n; i++)
		rcount[v[i]->region]++;
	for (size_t r = 1; r <= ro.rg.n; r++)
		rstart[r] = rstart[r - 1] + rcount[r - 1];
	memset(rcount, 0, (ro.rg.n + 1) * sizeof *rcount);
	for (size_t i = 0; i < ro.n; i++)
		byreg[rstart[v[i]->region] + rcount[v[i]->region]++] = v[i];

	/* gap: per region (region "all" only when it is the only one), the
	 * stretches between its first start and last end that no on-duty
	 * shift of the region or of "all" covers. */
	for (size_t r = 0; r < ro.rg.n; r++) {
		struct rrow **a = byreg + rstart[r], **b;
		size_t na = rcount[r], nb = 0, i = 0, j = 0;
		tstamp lo, hi, cur;

		if ((int)r == ro.rg.all && ro.rg.n > 1)
			continue;
		lo = a[0]->start;
		hi = a[0]->end;
		for (size_t k = 1; k < na; k++)
			if (a[k]->end > hi)
				hi = a[k]->end;
		b = ro.rg.all >= 0 && (int)r != ro.rg.all ? byreg + rstart[ro.rg.all] : NULL;
		if (b)
			nb = rcount[ro.rg.all];
		cur = lo;
		while (i < na || j < nb) {
			struct rrow *x;
			if (j >= nb || (i < na && a[i]->start <= b[j]->start))
				x = a[i++];
			else
				x = b[j++];
			if (x->status == ST_UNCOVERED || x->end <= cur)
				continue;
			if (x->start >= hi)
				break;
			if (x->start > cur) {
				fmt_hours(db, x->start - cur);
				add_problem(P_GAP, (int)r, cur, x->start, "", "nobody on duty for %s h", db);
			}
			cur = x->end;
		}
		if (cur < hi) {
			fmt_hours(db, hi - cur);
			add_problem(P_GAP, (int)r, cur, hi, "", "nobody on duty for %s h", db);
		}
	}

	/* overlap: assigned shifts of one region, pairwise. */
	for (size_t r = 0; r < ro.rg.n; r++) {
		struct rrow **a = byreg + rstart[r];
		size_t na = rcount[r];
		for (size_t i = 0; i < na; i++) {
			if (a[i]->status != ST_ASSIGNED)
				continue;
			for (size_t j = i + 1; j < na && a[j]->start < a[i]->end; j++) {
				if (a[j]->status != ST_ASSIGNED)
					continue;
				add_problem(P_OVERLAP, (int)r, a[j]->start,
				    a[j]->end < a[i]->end ? a[j]->end : a[i]->end, a[j]->member,
				    "overlaps the shift of %s", a[i]->member);
			}
		}
	}

	/* Problems of single rows. */
	for (size_t i = 0; i < ro.n; i++) {
		struct rrow *x = v[i];
		int mi;
		struct member *m;

		if (x->status == ST_UNCOVERED)
			continue;
		mi = strmap_get(&P.midx, str_of(x->member));
		if (mi < 0) {
			add_problem(P_UNKNOWN, x->region, x->start, x->end, x->member,
			    "not in the members file");
			continue;
		}
		m = &P.m[mi];
		if (m->nunav && unavailable(m, x->sday)) {
			fmt_date(db, x->sday);
			add_problem(P_UNAVAILABLE, x->region, x->start, x->end, x->member,
			    "unavailable on %s", db);
		}
		if (m->finance)
			add_problem(P_NOT_DUTY, x->region, x->start, x->end, x->member,
			    "role finance");
		if (!str_eq_cstr_ci(str_of(m->region), "all") &&
		    !str_eq_cstr_ci(str_of(m->region), ro.rg.name[x->region]))
			add_problem(P_WRONG_REGION, x->region, x->start, x->end, x->member,
			    "member of region %s", m->region);
	}

	/* short_rest: consecutive on-duty shifts of one member. */
	if (P.min_gap > 0) {
		for (size_t i = 0; i < ro.n; i++)
			if (v[i]->status != ST_UNCOVERED)
				v[nv++] = v[i];
		qsort(v, nv, sizeof *v, cmp_rrow_member);
		for (size_t i = 1; i < nv; i++) {
			day_t gap;
			if (strcmp(v[i]->member, v[i - 1]->member) != 0)
				continue;
			gap = v[i]->sday - v[i - 1]->sday;
			if (gap < P.min_gap)
				add_problem(P_SHORT_REST, v[i]->region, v[i]->start, v[i]->end,
				    v[i]->member, "%ld day%s after the shift starting %s (min-gap %lld)",
				    (long)gap, gap == 1 ? "" : "s",
				    (fmt_rfc3339(b1, v[i - 1]->start), b1), P.min_gap);
		}
	}

	if (nprob)
		qsort(probs, nprob, sizeof *probs, cmp_problem);
	{
		static const char *const cols[] = { "problem", "region", "start", "end", "member", "detail" };
		for (size_t i = 0; i < 6; i++)
			csvout_cstr(P.app.out, cols[i]);
		csvout_endrow(P.app.out);
	}
	for (size_t i = 0; i < nprob; i++) {
		struct problem *p = &probs[i];
		fmt_rfc3339(b1, p->start);
		fmt_rfc3339(b2, p->end);
		csvout_cstr(P.app.out, problem_name[p->kind]);
		csvout_cstr(P.app.out, ro.rg.name[p->region]);
		csvout_cstr(P.app.out, b1);
		csvout_cstr(P.app.out, b2);
		csvout_cstr(P.app.out, p->member);
		csvout_cstr(P.app.out, p->detail);
		csvout_endrow(P.app.out);
	}
	free(v);
	free(rstart);
	free(rcount);
	free(byreg);
	roster_free(&ro);
	return app_finish(&P.app, nprob > 0);
}

/* ------------------------------------------------------------------ */
/* audit */

struct rindex {			/* one region's rows, sorted by start */
	struct rrow **r;
	size_t n;
	tstamp maxdur;
};

/* Append to OUT the rows of IX covering t (on-duty statuses only). */
static void
covering(const struct rindex *ix, tstamp t, struct rrow ***out, size_t *n, size_t *cap)
{
	size_t lo = 0, hi = ix->n;
	while (lo < hi) {		/* first row with start > t */
		size_t mid = (lo + hi) / 2;
		if (ix->r[mid]->start <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo > 0) {
		struct rrow *x = ix->r[--lo];
		if (x->start < t - ix->maxdur)
			break;
		if (x->status == ST_UNCOVERED || !(t < x->end))
			continue;
		if (*n == *cap) {
			*cap = *cap ? 2 * *cap : 16;
			*out = xrealloc(*out, *cap * sizeof **out);
		}
		(*out)[(*n)++] = x;
	}
}

static int
cmp_rrow_order(const void *a, const void *b)
{
	const struct rrow *x = *(struct rrow *const *)a, *y = *(struct rrow *const *)b;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int
cmd_audit(int nfiles, char **files)
{
	struct roster ro = { 0 };
	struct rindex *ix;
	struct stream in;
	struct record rec;
	struct outcols oc;
	static const char *const names[] = { "on_duty", "verdict" };
	int ct, cr, cf, alert = 0;
	struct rrow **hit = NULL;
	size_t cap = 0;
	char *buf = NULL;
	size_t bcap = 0;

	if (P.nrosters == 0) {
		warnmsg("audit needs -r ROSTER");
		usage_error(SYN_AUDIT);
	}
	regions_init(&ro.rg);
	for (int i = 0; i < P.nrosters; i++) {
		struct stream ts;
		table_open(&ts, P.rosters[i], "roster");
		roster_read(&ro, &ts, true);
		stream_close(&ts);
	}
	ix = xcalloc(ro.rg.n + 1, sizeof *ix);
	for (size_t i = 0; i < ro.n; i++)
		ix[ro.r[i].region].n++;
	for (size_t r = 0; r < ro.rg.n; r++) {
		ix[r].r = xcalloc(ix[r].n + 1, sizeof *ix[r].r);
		ix[r].n = 0;
	}
	for (size_t i = 0; i < ro.n; i++) {
		struct rindex *x = &ix[ro.r[i].region];
		x->r[x->n++] = &ro.r[i];
		if (ro.r[i].end - ro.r[i].start > x->maxdur)
			x->maxdur = ro.r[i].end - ro.r[i].start;
	}
	for (size_t r = 0; r < ro.rg.n; r++)
		qsort(ix[r].r, ix[r].n, sizeof *ix[r].r, cmp_rrow_start);

	stream_open(&in, files, nfiles, P.app.opt.dialect, P.app.opt.map, P.app.opt.nmap);
	P.app.rej_header = in.header;
	ct = stream_need(&in, "time");
	cr = stream_need(&in, "region");
	cf = stream_need(&in, "referred");
	outcols_init(&oc, &in, names, 2);
	app_open_output(&P.app);
	outcols_header(&oc, P.app.out, &in);
	while (stream_next(&in, &rec)) {
		tstamp t;
		struct str region, ref, comp[2];
		size_t n = 0, bn = 0;
		int r;
		bool override = false, found = false;
		const char *verdict;

		if (!fields_ok(&in, &rec, false))
			continue;
		if (parse_timestamp(rec_field(&rec, ct), &t, NULL) != 0) {
			bad_row(&in, &rec, false, stream_colname(&in, ct), "bad timestamp", rec_field(&rec, ct));
			continue;
		}
		region = str_trim(rec_field(&rec, cr));
		if (region.n == 0) {
			bad_row(&in, &rec, false, stream_colname(&in, cr), "missing value", rec_field(&rec, cr));
			continue;
		}
		ref = str_trim(rec_field(&rec, cf));
		if ((r = region_find(&ro.rg, region)) >= 0)
			covering(&ix[r], t, &hit, &n, &cap);
		if (ro.rg.all >= 0 && r != ro.rg.all)
			covering(&ix[ro.rg.all], t, &hit, &n, &cap);
		if (n > 1)
			qsort(hit, n, sizeof *hit, cmp_rrow_order);
		for (size_t i = 0; i < n; i++)
			if (hit[i]->status == ST_OVERRIDE)
				override = true;
		for (size_t i = 0; i < n; i++) {
			struct rrow *x = hit[i];
			size_t len = strlen(x->member);
			bool dup = false;
			if (override && x->status != ST_OVERRIDE)
				continue;
			for (size_t j = 0; j < i; j++)
				if ((!override || hit[j]->status == ST_OVERRIDE) &&
				    strcmp(hit[j]->member, x->member) == 0)
					dup = true;
			if (dup)
				continue;
			if (bn + len + 2 > bcap) {
				bcap = 2 * (bn + len + 2);
				buf = xrealloc(buf, bcap);
			}
			if (bn)
				buf[bn++] = ';';
			memcpy(buf + bn, x->member, len);
			bn += len;
			if (ref.n == len && memcmp(ref.p, x->member, len) == 0)
				found = true;
		}
		if (bn == 0)
			verdict = "nobody_on_duty";
		else if (ref.n == 0)
			verdict = "no_referral";
		else
			verdict = found ? "ok" : "wrong";
		if (verdict[0] != 'o')
			alert = 1;
		comp[0] = (struct str){ bn ? buf : "", bn };
		comp[1] = str_of(verdict);
		outcols_row(&oc, P.app.out, &rec, comp);
	}
	stream_close(&in);
	outcols_free(&oc);
	for (size_t r = 0; r < ro.rg.n; r++)
		free(ix[r].r);
	free(ix);
	free(hit);
	free(buf);
	roster_free(&ro);
	return app_finish(&P.app, alert);
}

/* ------------------------------------------------------------------ */
/* share */

static int
cmd_share(int nfiles, char **files)
{
	struct stream in;
	long long sum = 0, given = 0;
	long long *q, *rem;
	char buf[64];
	static const char *const cols[] = { "member", "name", "role", "share", "shifts", "load",
		"contribution", "credit", "net" };

	if (!P.have_cost) {
		warnmsg("share needs --cost");
		usage_error(SYN_SHARE);
	}
	if (P.have_credit && P.nrosters == 0) {
		warnmsg("--credit needs -r ROSTER");
		usage_error(SYN_SHARE);
	}
	stream_open(&in, files, nfiles, P.app.opt.dialect, P.app.opt.map, P.app.opt.nmap);
	P.app.rej_header = in.header;
	app_open_output(&P.app);	/* before rejected rows: it starts --rejects */
	read_members(&in, false);
	stream_close(&in);

	for (int i = 0; i < P.nrosters; i++) {
		struct stream s;
		struct record rec;
		int cm, cl, cst;

		table_open(&s, P.rosters[i], "roster");
		cm = stream_need(&s, "member");
		cl = stream_need(&s, "load");
		cst = stream_col(&s, "status");
		while (stream_next(&s, &rec)) {
			struct str id;
			long long load;
			int st, mi;

			if (!fields_ok(&s, &rec, true))
				continue;
			st = parse_status(rec_field(&rec, cst));
			if (st == ST_BAD) {
				bad_row(&s, &rec, true, stream_colname(&s, cst), "unknown status",
				    rec_field(&rec, cst));
				continue;
			}
			if (st != ST_ASSIGNED)
				continue;
			id = str_trim(rec_field(&rec, cm));
			if (id.n == 0) {
				bad_row(&s, &rec, true, stream_colname(&s, cm), "missing value", rec_field(&rec, cm));
				continue;
			}
			if ((mi = strmap_get(&P.midx, id)) < 0) {
				bad_row(&s, &rec, true, stream_colname(&s, cm), "not in the members file", id);
				continue;
			}
			if (parse_milli(rec_field(&rec, cl), &load) != 0) {
				bad_row(&s, &rec, true, stream_colname(&s, cl), "not a number", rec_field(&rec, cl));
				continue;
			}
			P.m[mi].shifts++;
			P.m[mi].load += load;
		}
		stream_close(&s);
	}

	for (size_t i = 0; i < P.nm; i++)
		sum += P.m[i].share;
	if (sum == 0 && P.cost > 0)
		fatal("cannot split %lld.%02lld: the shares add up to 0", P.cost / 100, P.cost % 100);
	q = xcalloc(P.nm + 1, sizeof *q);
	rem = xcalloc(P.nm + 1, sizeof *rem);
	for (size_t i = 0; i < P.nm && sum > 0; i++) {
		__int128 x = (__int128)P.cost * P.m[i].share;
		q[i] = (long long)(x / sum);
		rem[i] = (long long)(x % sum);
		given += q[i];
	}
	/* Largest remainder; ties to the earlier member. */
	for (; given < P.cost; given++) {
		size_t best = 0;
		bool any = false;
		for (size_t i = 0; i < P.nm; i++)
			if (rem[i] > 0 && (!any || rem[i] > rem[best]))
				best = i, any = true;
		q[best]++;
		rem[best] = 0;
	}

	for (size_t i = 0; i < 9; i++)
		csvout_cstr(P.app.out, cols[i]);
	csvout_endrow(P.app.out);
	for (size_t i = 0; i < P.nm; i++) {
		struct member *m = &P.m[i];
		long long credit = P.have_credit ? div_round_half_up(m->load * P.credit, MILLI) : 0;
		csvout_cstr(P.app.out, m->id);
		csvout_str(P.app.out, m->name);
		csvout_cstr(P.app.out, m->finance ? "finance" : "duty");
		fmt_milli(buf, m->share);
		csvout_cstr(P.app.out, buf);
		csvout_int(P.app.out, m->shifts);
		fmt_milli(buf, m->load);
		csvout_cstr(P.app.out, buf);
		fmt_money(buf, q[i]);
		csvout_cstr(P.app.out, buf);
		fmt_money(buf, credit);
		csvout_cstr(P.app.out, buf);
		fmt_money(buf, q[i] - credit);
		csvout_cstr(P.app.out, buf);
		csvout_endrow(P.app.out);
	}
	free(q);
	free(rem);
	return app_finish(&P.app, 0);
}

/* ------------------------------------------------------------------ */
/* Options */

enum {
	O_FROM = OPT_PROGRAM, O_TO, O_SHIFTS, O_HANDOVER, O_DAY_WEIGHTS, O_HOLIDAYS,
	O_MIN_GAP, O_HISTORY, O_FORMAT, O_REGION, O_FIELD, O_COST, O_CREDIT
};

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
	{ "region",      required_argument, NULL, O_REGION },
	{ "field",       required_argument, NULL, O_FIELD },
	{ "members",     required_argument, NULL, 'm' },
	{ "roster",      required_argument, NULL, 'r' },
	{ "cost",        required_argument, NULL, O_COST },
	{ "credit",      required_argument, NULL, O_CREDIT },
	{ NULL, 0, NULL, 0 }
};

static void
usage_stdout(void)
{
	printf("usage: %s %s\n%s", progname, SYN_ALL, HELP_OPTS);
	exit(0);
}

static void
bad_value(const char *opt, const char *arg, const char *why)
{
	warnmsg("%s: %s '%s'", opt, why, arg);
	usage_error(cmdsyn[P.cmd]);
}

/* The subcommands an option belongs to. */
static bool
option_allowed(int ch)
{
	switch (ch) {
	case O_FROM: case O_TO: case O_SHIFTS: case O_HANDOVER: case O_DAY_WEIGHTS:
	case O_HOLIDAYS: case O_HISTORY: case O_FORMAT:
		return P.cmd == C_PLAN;
	case O_MIN_GAP:
		return P.cmd == C_PLAN || P.cmd == C_CHECK;
	case O_REGION: case O_FIELD:
		return P.cmd == C_WHO;
	case 'm':
		return P.cmd == C_CHECK;
	case 'r':
		return P.cmd == C_AUDIT || P.cmd == C_SHARE;
	case O_COST: case O_CREDIT:
		return P.cmd == C_SHARE;
	}
	return true;
}

static const char *
option_name(int ch)
{
	for (const struct option *o = longopts; o->name; o++)
		if (o->val == ch)
			return o->name;
	return "?";
}

/* Free what the run allocated, at its end (a command frees its own). */
static void
prog_free(void)
{
	for (size_t i = 0; i < P.nm; i++) {
		free(P.m[i].id);
		free((char *)P.m[i].name.p);
		free((char *)P.m[i].phone.p);
		free(P.m[i].region);
		free(P.m[i].unav);
	}
	free(P.m);
	strmap_free(&P.midx);
	for (size_t i = 0; i < P.nhol; i++)
		free(P.hol[i].region);
	free(P.hol);
	free(P.history);
	free(P.rosters);
	for (size_t i = 0; i < nprob; i++)
		free(probs[i].detail);
	free(probs);
	common_free(&P.app.opt);
}

int
main(int argc, char **argv)
{
	char **av;
	int ac, ch, status;

	progname = "duty-roster";
	argv[0] = (char *)progname;	/* getopt names the program so, too */
	if (argc < 2) {
		warnmsg("no command: plan, who, check, audit or share");
		usage_error(SYN_ALL);
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		usage_stdout();
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version"))
		print_version();
	for (P.cmd = 0; P.cmd < NCMD && strcmp(argv[1], cmdname[P.cmd]); P.cmd++)
		;
	if (P.cmd == NCMD) {
		if (argv[1][0] == '-')
			warnmsg("the command comes first: plan, who, check, audit or share");
		else
			warnmsg("unknown command '%s': plan, who, check, audit or share", argv[1]);
		usage_error(SYN_ALL);
	}
	/* getopt sees the arguments after the command, with the program name. */
	ac = argc - 1;
	av = xcalloc((size_t)argc, sizeof *av);
	av[0] = argv[0];
	for (int i = 2; i < argc; i++)
		av[i - 1] = argv[i];

	common_init(&P.app.opt);
	P.shifts = 1;
	P.handover = 8 * 3600;
	P.dw[0] = 1000, P.dw[1] = 1200, P.dw[2] = 1500, P.dw[3] = 2000;
	P.min_gap = 2;
	while ((ch = getopt_long(ac, av, COMMON_SHORTOPTS "m:r:", longopts, NULL)) != -1) {
		switch (common_option(&P.app.opt, ch, optarg)) {
		case 1:
			continue;
		case -1:
			usage_error(cmdsyn[P.cmd]);
		}
		if (ch == 'h')
			usage_stdout();
		if (ch == 'V')
			print_version();
		if (ch == '?' || ch == ':')
			usage_error(cmdsyn[P.cmd]);
		if (!option_allowed(ch)) {
			warnmsg("option --%s does not apply to %s", option_name(ch), cmdname[P.cmd]);
			usage_error(cmdsyn[P.cmd]);
		}
		switch (ch) {
		case O_FROM:
		case O_TO:
			if (parse_iso_date(str_of(optarg), ch == O_FROM ? &P.from : &P.to) != 0)
				bad_value(ch == O_FROM ? "--from" : "--to", optarg, "bad date");
			*(ch == O_FROM ? &P.have_from : &P.have_to) = true;
			break;
		case O_SHIFTS:
			if (parse_uint(optarg, &P.shifts) != 0 || P.shifts < 1 || P.shifts > 24 ||
			    24 % P.shifts != 0)
				bad_value("--shifts", optarg, "not a divisor of 24");
			break;
		case O_HANDOVER:
			if (parse_hhmm(str_of(optarg), &P.handover, false) != 0)
				bad_value("--handover", optarg, "bad time");
			break;
		case O_DAY_WEIGHTS: {
			struct str rest = str_of(optarg), tok;
			int n = 0;
			while (str_next_token(&rest, ',', &tok)) {
				if (n == 4 || parse_milli(tok, &P.dw[n]) != 0 || P.dw[n] == 0)
					bad_value("--day-weights", optarg, "not four positive numbers");
				n++;
			}
			if (n != 4)
				bad_value("--day-weights", optarg, "not four positive numbers");
			break;
		}
		case O_HOLIDAYS:
			P.holidays = optarg;
			break;
		case O_MIN_GAP:
			if (parse_uint(optarg, &P.min_gap) != 0 || P.min_gap > 100000)
				bad_value("--min-gap", optarg, "not a number of days");
			break;
		case O_HISTORY:
			P.history = xrealloc(P.history, (size_t)(P.nhistory + 1) * sizeof *P.history);
			P.history[P.nhistory++] = optarg;
			break;
		case O_FORMAT:
			if (!strcmp(optarg, "ics"))
				P.ics = true;
			else if (!strcmp(optarg, "csv"))
				P.ics = false;
			else
				bad_value("--format", optarg, "not csv or ics");
			break;
		case O_REGION:
			P.region = optarg;
			break;
		case O_FIELD:
			P.field = optarg;
			break;
		case 'm':
			P.members = optarg;
			break;
		case 'r':
			P.rosters = xrealloc(P.rosters, (size_t)(P.nrosters + 1) * sizeof *P.rosters);
			P.rosters[P.nrosters++] = optarg;
			break;
		case O_COST:
		case O_CREDIT:
			if (parse_money(str_of(optarg), ch == O_COST ? &P.cost : &P.credit) != 0)
				bad_value(ch == O_COST ? "--cost" : "--credit", optarg, "bad amount");
			*(ch == O_COST ? &P.have_cost : &P.have_credit) = true;
			break;
		default:
			usage_error(cmdsyn[P.cmd]);
		}
	}
	if (common_finish(&P.app.opt) == -1)
		usage_error(cmdsyn[P.cmd]);

	switch (P.cmd) {
	case C_PLAN:
		status = cmd_plan(ac - optind, av + optind);
		break;
	case C_WHO:
		status = cmd_who(ac - optind, av + optind);
		break;
	case C_CHECK:
		status = cmd_check(ac - optind, av + optind);
		break;
	case C_AUDIT:
		status = cmd_audit(ac - optind, av + optind);
		break;
	case C_SHARE:
	default:
		status = cmd_share(ac - optind, av + optind);
		break;
	}
	prog_free();
	free(av);
	return status;
}
