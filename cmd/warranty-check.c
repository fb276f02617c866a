/* warranty-check — warranty coverage of claims, and coverage ending soon.
 *
 * Tables: the terms (-T), the component patterns (-c, compiled once) and,
 * when claims are checked, the contracts (-w), held in memory: each VIN's
 * first contract inline in an open-addressing hash table (one cache miss per
 * claim), further contracts chained in file order, long strings in an arena.
 * The stream (claims, or the contracts with --expiring) is read in one pass
 * without allocation per row; --expiring keeps only the rows it lists, to
 * sort them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "csvin.h"
#include "csvout.h"
#include "datetime.h"
#include "num.h"
#include "opts.h"
#include "outcols.h"
#include "pattern.h"
#include "str.h"
#include "stream.h"
#include "arena.h"
#include "util.h"

#define SYNOPSIS \
	"[OPTIONS] -w CONTRACTS -T TERMS [-c COMPONENTS] [--alert] [CLAIMS...]\n" \
	"       warranty-check [OPTIONS] -T TERMS --expiring DAYS [CONTRACTS...]\n" \
	"OPTIONS: " COMMON_USAGE

enum { OPT_EXPIRING = OPT_PROGRAM, OPT_ALERT };

#define NO_LAST_DAY INT32_MAX	/* a component without a months limit */
#define MONTHS_MAX 1200		/* 100 years */
#define EXPIRING_MAX 3650000	/* --expiring DAYS is clamped to this */

/* Tables and kept rows, no per-row malloc. */
static struct arena arena;

/*
 * The contracts and the VIN table are looked up at random, once per claim:
 * back them with huge pages where the system has them, so that a look-up
 * costs a cache miss and not also a TLB miss.
 */
static void *
huge_grow(void *old, size_t oldn, size_t n)
{
	void *p = huge_alloc(n);

	if (old != NULL)
		memcpy(p, old, oldn);
	free(old);
	return p;
}

/* ---- codes: tiers and components ---- */

struct names {
	struct str *v;
	size_t n, cap;
};

static int
names_find(const struct names *t, struct str s)
{
	/* Codes are mostly spelled as in the terms: the exact comparison
	 * first, cheaper than the caseless one. */
	for (size_t i = 0; i < t->n; i++)
		if (str_eq(t->v[i], s))
			return (int)i;
	for (size_t i = 0; i < t->n; i++)
		if (str_eq_ci(t->v[i], s))
			return (int)i;
	return -1;
}

static int
names_add(struct names *t, struct str s)
{
	int i = names_find(t, s);

	if (i >= 0)
		return i;
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	t->v[t->n] = arena_str(&arena, s);
	return (int)t->n++;
}

struct term {
	int tier, comp;
	int months;		/* 0: no months limit */
	long long km;		/* -1: no km limit */
	long long deductible;	/* cents */
	char ded[32];		/* formatted once: "100.00" */
	size_t dedlen;
};

struct tier {
	int *terms;		/* indices into terms[], in terms-file order */
	size_t n;
};

struct component {
	int comp;		/* index into comps */
	struct pattern *re;
	const char *where;	/* FILE:LINE of the pattern */
};

/* A contract row as read. */
struct crow {
	struct str vin;
	int tier;
	day_t start;
	long long start_km;
};

#define VIN_INLINE 24

/*
 * A contract held in memory, 48 bytes, in file order in w->con.  The
 * contracts of one VIN are chained in file order from the first.
 */
struct contract {
	uint32_t vinlen;
	int32_t next;		/* the VIN's next contract in w->con, -1 */
	union {
		char in[VIN_INLINE];	/* when vinlen <= VIN_INLINE */
		const char *arena;	/* longer: in the arena */
	} vin;
	int tier;
	day_t start;
	long long start_km;
};

/*
 * The VIN table: open addressing, linear probing, at most 3/4 full, 8 bytes
 * a slot (4 MiB for 200,000 VINs: mostly in the cache), each the VIN's
 * first contract and high bits of its hash, so that a probe needs no
 * contract but the one it finds.
 */
struct vslot {
	uint32_t tag;
	int32_t first;		/* index in w->con, -1: empty slot */
};

struct wc {
	struct app app;
	struct names tiers, comps;
	struct term *terms;
	size_t nterms;
	struct tier *tier;	/* per tier */
	struct component *pats;
	size_t npats;
	struct pattern_list *plist;	/* the patterns, tried in one scan */
	struct vslot *tab;	/* VIN table */
	size_t nslot, nvin;
	struct contract *con;	/* every contract, in file order */
	size_t ncon, concap;
	long long expiring;	/* -1: claims mode */
	bool alert;
};

static bool
empty(struct str s)
{
	return str_trim(s).n == 0;
}


/* Months of a term: digits only, 1..MONTHS_MAX. */
static int
parse_months(struct str s, int *out)
{
	long long v = 0;

	s = str_trim(s);
	if (s.n == 0 || s.n > 6)
		return -1;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		v = v * 10 + (s.p[i] - '0');
	}
	if (v < 1 || v > MONTHS_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

static const struct term *
term_of(const struct wc *w, int tier, int comp)
{
	const struct tier *t = &w->tier[tier];

	if (comp < 0)
		return NULL;
	for (size_t i = 0; i < t->n; i++)
		if (w->terms[t->terms[i]].comp == comp)
			return &w->terms[t->terms[i]];
	return NULL;
}

static day_t
last_day(day_t start, const struct term *t)
{
	if (t->months == 0)
		return NO_LAST_DAY;
	return date_add_months(start, t->months) - 1;
}

/* ---- terms ---- */

static void
load_terms(struct wc *w, const char *path)
{
	struct stream t;
	struct record r;
	char buf[64];

	table_open(&t, path, "terms");
	int ctier = stream_need(&t, "tier");
	int ccomp = stream_need(&t, "component");
	int cmonths = stream_col(&t, "months");
	int ckm = stream_col(&t, "km");
	int cded = stream_col(&t, "deductible");

	while (stream_next(&t, &r)) {
		struct term tm;
		struct str v;

		table_fields_ok(&t, &r);
		v = str_trim(rec_field(&r, ctier));
		if (v.n == 0)
			fatal("%s:%ld: tier: missing value", r.file, r.line);
		tm.tier = names_add(&w->tiers, v);
		v = str_trim(rec_field(&r, ccomp));
		if (v.n == 0)
			fatal("%s:%ld: component: missing value", r.file, r.line);
		tm.comp = names_add(&w->comps, v);

		v = rec_field(&r, cmonths);
		tm.months = 0;
		if (!empty(v) && parse_months(v, &tm.months) == -1)
			fatal("%s:%ld: months: not a whole number of months "
			    "from 1 to %d '%s'", r.file, r.line, MONTHS_MAX,
			    str_cpy(buf, sizeof(buf), v));
		v = rec_field(&r, ckm);
		tm.km = -1;
		if (!empty(v) && (parse_count(v, &tm.km) == -1 || tm.km == 0))
			fatal("%s:%ld: km: not a positive number '%s'",
			    r.file, r.line, str_cpy(buf, sizeof(buf), v));
		if (tm.months == 0 && tm.km == -1)
			fatal("%s:%ld: months and km both empty: "
			    "coverage must end somehow", r.file, r.line);
		v = rec_field(&r, cded);
		tm.deductible = 0;
		if (!empty(v) && parse_money(v, &tm.deductible) == -1)
			fatal("%s:%ld: deductible: bad amount '%s'",
			    r.file, r.line, str_cpy(buf, sizeof(buf), v));
		tm.dedlen = fmt_money(tm.ded, tm.deductible);

		for (size_t i = 0; i < w->nterms; i++)
			if (w->terms[i].tier == tm.tier &&
			    w->terms[i].comp == tm.comp)
				fatal("%s:%ld: tier %s lists component %s twice",
				    r.file, r.line, w->tiers.v[tm.tier].p,
				    w->comps.v[tm.comp].p);
		w->terms = xrealloc(w->terms, (w->nterms + 1) * sizeof(*w->terms));
		w->terms[w->nterms++] = tm;
	}
	if (w->nterms == 0)
		fatal("%s: no terms", path);
	w->tier = xcalloc(w->tiers.n, sizeof(*w->tier));
	for (size_t i = 0; i < w->nterms; i++) {
		struct tier *tt = &w->tier[w->terms[i].tier];

		tt->terms = xrealloc(tt->terms, (tt->n + 1) * sizeof(int));
		tt->terms[tt->n++] = (int)i;
	}
	stream_close(&t);
}

/* ---- component patterns ---- */

static void
load_components(struct wc *w, const char *path)
{
	struct stream t;
	struct record r;
	char where[512];

	table_open(&t, path, "components");
	int ccomp = stream_need(&t, "component");
	int cpat = stream_need(&t, "pattern");

	while (stream_next(&t, &r)) {
		struct component c;
		struct str v;

		table_fields_ok(&t, &r);
		v = str_trim(rec_field(&r, ccomp));
		if (v.n == 0)
			fatal("%s:%ld: component: missing value", r.file, r.line);
		c.comp = names_add(&w->comps, v);
		v = str_trim(rec_field(&r, cpat));
		if (v.n == 0)
			fatal("%s:%ld: pattern: missing value", r.file, r.line);
		snprintf(where, sizeof(where), "%s:%ld: pattern", r.file, r.line);
		c.re = pattern_compile(v.p, v.n, true, where);
		snprintf(where, sizeof(where), "%s:%ld", r.file, r.line);
		c.where = arena_str(&arena, str_of(where)).p;
		w->pats = xrealloc(w->pats, (w->npats + 1) * sizeof(*w->pats));
		w->pats[w->npats++] = c;
	}
	stream_close(&t);
	struct pattern **res = xcalloc(w->npats + 1, sizeof(*res));
	for (size_t i = 0; i < w->npats; i++)
		res[i] = w->pats[i].re;
	w->plist = pattern_list_new(res, w->npats);
	free(res);
}

/* ---- contracts ---- */

static struct str
con_vin(const struct contract *c)
{
	return (struct str){ c->vinlen <= VIN_INLINE ? c->vin.in : c->vin.arena,
	    c->vinlen };
}

/* The slot of VIN (hash H): its own, or the empty one to take. */
static size_t
vin_slot(const struct wc *w, struct str vin, uint64_t h)
{
	size_t mask = w->nslot - 1;
	size_t i = (size_t)h & mask;
	uint32_t tag = (uint32_t)(h >> 32);
	const struct vslot *sl;

	for (; (sl = &w->tab[i])->first >= 0; i = (i + 1) & mask)
		if (sl->tag == tag && str_eq(con_vin(&w->con[sl->first]), vin))
			break;
	return i;
}

/* (Re)build the VIN table with N slots, a power of two. */
static void
vin_rehash(struct wc *w, size_t n)
{
	struct vslot *old = w->tab;
	size_t oldn = w->nslot;

	w->tab = huge_alloc(n * sizeof(*w->tab));
	for (size_t i = 0; i < n; i++)
		w->tab[i] = (struct vslot){ 0, -1 };
	w->nslot = n;
	for (size_t i = 0; i < oldn; i++) {
		if (old[i].first < 0)
			continue;
		struct str vin = con_vin(&w->con[old[i].first]);
		w->tab[vin_slot(w, vin, str_hash(vin))] = old[i];
	}
	free(old);
}

struct contract_cols {
	int vin, tier, start, start_km, status;
};

static void
contract_cols(const struct stream *s, struct contract_cols *c)
{
	c->vin = stream_need(s, "vin");
	c->tier = stream_need(s, "tier");
	c->start = stream_need(s, "start_date");
	c->start_km = stream_col(s, "start_km");
	c->status = stream_col(s, "status");
}

/*
 * Interpret a contract row.  0: fine; 1: void (to skip); -1: invalid, with
 * *col, *why and *bad set for the message.
 */
static int
contract_parse(const struct wc *w, const struct contract_cols *cc,
    const struct record *r, struct crow *c, int *col, const char **why,
    struct str *bad)
{
	struct str v;

	v = str_trim(rec_field(r, cc->vin));
	if (v.n == 0) {
		*col = cc->vin, *why = "missing value", *bad = rec_field(r, cc->vin);
		return -1;
	}
	c->vin = v;
	v = str_trim(rec_field(r, cc->tier));
	if (v.n == 0) {
		*col = cc->tier, *why = "missing value", *bad = rec_field(r, cc->tier);
		return -1;
	}
	c->tier = names_find(&w->tiers, v);
	if (c->tier < 0) {
		*col = cc->tier, *why = "unknown tier (not in the terms)", *bad = rec_field(r, cc->tier);
		return -1;
	}
	v = rec_field(r, cc->start);
	if (empty(v)) {
		*col = cc->start, *why = "missing value", *bad = v;
		return -1;
	}
	if (parse_date(v, &c->start) != 0) {
		*col = cc->start, *why = "invalid date", *bad = v;
		return -1;
	}
	v = rec_field(r, cc->start_km);
	c->start_km = 0;
	if (!empty(v) && parse_count(v, &c->start_km) == -1) {
		*col = cc->start_km, *why = "bad number", *bad = v;
		return -1;
	}
	if (str_eq_cstr_ci(str_trim(rec_field(r, cc->status)), "void"))
		return 1;
	return 0;
}

static void
load_contracts(struct wc *w, const char *path)
{
	struct stream t;
	struct record r;
	struct contract_cols cc;
	char buf[256];

	table_open(&t, path, "contracts");
	contract_cols(&t, &cc);
	/* Size the table for the file at once (a contract row takes at least
	 * 35 bytes, so this rarely overshoots), rather than growing it through
	 * every power of two: each new table is memory the kernel must clear. */
	size_t n = 1024;
	struct stat fst;
	w->concap = 1024;
	if (strcmp(path, "-") != 0 && stat(path, &fst) == 0 && fst.st_size > 0) {
		size_t est = (size_t)fst.st_size / 64;

		while (4 * est > 3 * n && n < ((size_t)1 << 40))
			n *= 2;
		/* Room for every row (pages not written cost nothing). */
		if ((size_t)fst.st_size / 32 < INT32_MAX / 2)
			w->concap += (size_t)fst.st_size / 32;
	}
	vin_rehash(w, n);
	w->con = huge_alloc(w->concap * sizeof(*w->con));
	/* The last contract of each VIN so far (indexed by its first). */
	int32_t *tail = xmalloc(w->concap * sizeof(*tail));
	while (stream_next(&t, &r)) {
		struct crow c;
		const char *why;
		struct str bad;
		int col;

		/* Contracts come in no order of VIN either: fetch the slot of
		 * the row four ahead while this one is inserted. */
		struct str ahead = stream_peek_field(&t, 4, cc.vin);
		if (ahead.p != NULL)
			__builtin_prefetch(&w->tab[(size_t)str_hash(
			    str_trim(ahead)) & (w->nslot - 1)], 1);

		if (!app_table_fields_ok(&w->app, &t, &r))
			continue;
		int st = contract_parse(w, &cc, &r, &c, &col, &why, &bad);
		if (st == -1) {
			if (bad.n == 0 || empty(bad))
				app_table_reject(&w->app, r.file, r.line,
				    "%s: %s", stream_colname(&t, col), why);
			else
				app_table_reject(&w->app, r.file, r.line,
				    "%s: %s '%s'", stream_colname(&t, col), why,
				    str_cpy(buf, sizeof(buf), bad));
			continue;
		}
		if (st == 1)
			continue;	/* void: covers nothing */
		if (4 * (w->nvin + 1) > 3 * w->nslot)
			vin_rehash(w, 2 * w->nslot);	/* at most 3/4 full */
		if (w->ncon == w->concap) {
			if (w->concap >= INT32_MAX / 2)
				fatal("%s: too many contracts", path);
			w->con = huge_grow(w->con, w->concap * sizeof(*w->con),
			    2 * w->concap * sizeof(*w->con));
			w->concap *= 2;
			tail = xrealloc(tail, w->concap * sizeof(*tail));
		}
		int32_t k = (int32_t)w->ncon++;
		struct contract *cp = &w->con[k];
		cp->vinlen = (uint32_t)c.vin.n;
		if (c.vin.n <= VIN_INLINE)
			memcpy(cp->vin.in, c.vin.p, c.vin.n);
		else
			cp->vin.arena = arena_str(&arena, c.vin).p;
		cp->tier = c.tier;
		cp->start = c.start;
		cp->start_km = c.start_km;
		cp->next = -1;
		uint64_t h = str_hash(c.vin);
		struct vslot *sl = &w->tab[vin_slot(w, c.vin, h)];
		if (sl->first < 0) {
			*sl = (struct vslot){ (uint32_t)(h >> 32), k };
			tail[k] = k;
			w->nvin++;
		} else {
			w->con[tail[sl->first]].next = k;	/* file order */
			tail[sl->first] = k;
		}
	}
	free(tail);
	stream_close(&t);
}

/* ---- claims ---- */

/*
 * The claims' component column is filled in place even when it is read
 * through --map component=COLUMN (outcols matches the header's own names).
 */
static void
component_in_place(struct outcols *oc, int ccomp, int comp_out)
{
	if (ccomp < 0 || oc->in_place[ccomp] == comp_out)
		return;
	for (size_t i = 0; i < oc->nin; i++)
		if (oc->in_place[i] == comp_out)
			oc->in_place[i] = -1;	/* passes through */
	for (size_t k = 0; k < oc->nappended; k++)
		if (oc->appended[k] == comp_out) {
			memmove(&oc->appended[k], &oc->appended[k + 1],
			    (oc->nappended - k - 1) * sizeof(int));
			oc->nappended--;
			break;
		}
	if (oc->in_place[ccomp] >= 0)	/* it was another computed column */
		oc->appended[oc->nappended++] = oc->in_place[ccomp];
	oc->in_place[ccomp] = comp_out;
}

enum verdict { COVERED, EXPIRED_KM, EXPIRED_TIME, NOT_COVERED, NO_WARRANTY,
	UNCLASSIFIED };
static const char *const verdict_name[] = { "covered", "expired_km",
	"expired_time", "not_covered", "no_warranty", "unclassified" };

static const char *const claim_out[] = { "component", "verdict", "tier",
	"start_date", "last_day", "end_km", "days_left", "km_left",
	"deductible", "reason" };
enum { O_COMP, O_VERDICT, O_TIER, O_START, O_LAST, O_ENDKM, O_DAYS, O_KMLEFT,
	O_DED, O_REASON, NCLAIM_OUT };
/* The columns made only of letters, digits and -.: (csvout_known()): the
 * verdict, dates, numbers, the deductible in cents formatted. */
static const unsigned char claim_known[NCLAIM_OUT] = {
	[O_VERDICT] = 1, [O_START] = 1, [O_LAST] = 1, [O_ENDKM] = 1,
	[O_DAYS] = 1, [O_KMLEFT] = 1, [O_DED] = 1,
};

/*
 * Part names repeat a lot (a workshop writes "Alternator" a thousand times),
 * so the outcome of the patterns on short texts is remembered in a small
 * direct-mapped cache of fixed size.  Failed matches are never cached.
 */
#define CACHE_SLOTS 4096
#define CACHE_KEY 56

struct centry {
	uint32_t len;		/* 0: empty entry */
	int32_t comp;		/* first component whose pattern matches, -1 */
	char key[CACHE_KEY];
};

static struct centry text_cache[CACHE_SLOTS];

/* The first component whose pattern matches TEXT, -1 none, -2 a limit hit
 * (*failed: the pattern). */
static int
match_text(const struct wc *w, struct str text,
    const struct component **failed)
{
	struct centry *e = NULL;

	if (text.n <= CACHE_KEY) {
		e = &text_cache[str_hash(text) & (CACHE_SLOTS - 1)];
		if (e->len == text.n && memcmp(e->key, text.p, text.n) == 0)
			return e->comp;
	}
	size_t bad;
	int k = w->plist == NULL ? -1
	    : pattern_list_first(w->plist, text.p, text.n, &bad);

	if (k == -2) {
		*failed = &w->pats[bad];
		return -2;
	}
	int comp = k >= 0 ? w->pats[k].comp : -1;
	if (e != NULL) {
		e->len = (uint32_t)text.n;
		e->comp = comp;
		memcpy(e->key, text.p, text.n);
	}
	return comp;
}

/*
 * The component of a claim from the patterns: its index in comps, -1 when
 * none matched, -2 when a match failed (a limit), with *failed the pattern
 * and *which the text (0 part, 1 description).
 */
static int
classify(const struct wc *w, struct str part, struct str desc,
    const struct component **failed, int *which)
{
	struct str text[2] = { part, desc };

	for (int k = 0; k < 2; k++) {
		if (text[k].n == 0)
			continue;
		int c = match_text(w, text[k], failed);
		if (c == -2)
			*which = k;
		if (c != -1)
			return c;
	}
	return -1;
}

/* Bounded string building for the computed fields, without printf. */
struct sb {
	char *p;
	size_t n, cap;
};

static void
sb_put(struct sb *b, const char *s, size_t n)
{
	if (n > b->cap - b->n)
		n = b->cap - b->n;
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void
sb_cstr(struct sb *b, const char *s)
{
	sb_put(b, s, strlen(s));
}


/*
 * Claims come in no order of VIN, and the contracts are too many for the
 * cache: each look-up would wait for memory.  The reader has parsed the
 * rows that follow: start fetching the VIN slot of the claim four rows
 * ahead, and the first contract of the claim two ahead (whose slot has
 * arrived by now; a matching tag is enough to guess it).
 */
/* The VIN of a row ahead and its hash, so that it is hashed once: ring
 * entry seq & 7 is written six rows before row seq is read (NULL when the
 * reader had not parsed it yet), and outlives that. */
struct ahead {
	const char *vin;
	size_t n;
	uint64_t h;
};

static void
prefetch_ahead(const struct wc *w, const struct stream *in, int cvin,
    struct ahead *ring, unsigned long seq)
{
	struct str vin = stream_peek_field(in, 6, cvin);
	struct ahead *a = &ring[(seq + 6) & 7];

	a->vin = NULL;
	if (vin.p != NULL) {
		vin = str_trim(vin);
		*a = (struct ahead){ vin.p, vin.n, str_hash(vin) };
		__builtin_prefetch(&w->tab[(size_t)a->h & (w->nslot - 1)]);
	}
	a = &ring[(seq + 3) & 7];
	if (a->vin != NULL) {
		size_t mask = w->nslot - 1;
		const struct vslot *sl;

		for (size_t i = (size_t)a->h & mask; (sl = &w->tab[i])->first >= 0;
		    i = (i + 1) & mask)
			if (sl->tag == (uint32_t)(a->h >> 32)) {
				__builtin_prefetch(&w->con[sl->first]);
				break;
			}
	}
}

/* The hash of row SEQ's VIN: from the ring when it was hashed ahead (the
 * same bytes: the same place and length in the reader's buffer). */
static uint64_t
vin_hash(struct str vin, const struct ahead *ring, unsigned long seq)
{
	const struct ahead *a = &ring[seq & 7];

	if (a->vin == vin.p && a->n == vin.n)
		return a->h;
	return str_hash(vin);
}

static int
check_claims(struct wc *w, char **files, int nfiles)
{
	struct stream in;
	struct record r;
	struct outcols oc;
	struct str out[NCLAIM_OUT];
	char start_b[DATE_LEN + 1], last_b[DATE_LEN + 1];
	char endkm_b[24], days_b[24], kmleft_b[24];
	char date_b[32], why[1024];
	static char reason[FIELD_MAX + 256];	/* a given component is a field */
	bool alert = false;

	stream_open(&in, files, nfiles, w->app.opt.dialect, w->app.opt.map,
	    w->app.opt.nmap);
	int cvin = stream_need(&in, "vin");
	int cdate = stream_need(&in, "date");
	int ckm = stream_need(&in, "km");
	int cpart = stream_col(&in, "part");
	int cdesc = stream_col(&in, "description");
	int ccomp = stream_col(&in, "component");

	w->app.rej_header = in.header;
	app_open_output(&w->app);
	outcols_init(&oc, &in, claim_out, NCLAIM_OUT);
	component_in_place(&oc, ccomp, O_COMP);
	outcols_known(&oc, claim_known);
	outcols_header(&oc, w->app.out, &in);

	struct ahead ring[8];
	memset(ring, 0, sizeof(ring));
	for (unsigned long seq = 0; stream_next(&in, &r); seq++) {
		struct str vin, v;
		day_t date;
		long long km;
		int comp = -1;

		prefetch_ahead(w, &in, cvin, ring, seq);
		if (!app_fields_ok(&w->app, &in, &r))
			continue;
		vin = str_trim(r.f[cvin]);
		if (vin.n == 0) {
			app_reject(&w->app, &in, &r, stream_colname(&in, cvin),
			    "missing value", NULL);
			continue;
		}
		/* The VIN's first contract (prefetched a few rows ago). */
		int32_t fi = w->tab[vin_slot(w, vin, vin_hash(vin, ring, seq))].first;
		const struct contract *first = fi >= 0 ? &w->con[fi] : NULL;
		if (first != NULL && first->next >= 0)
			__builtin_prefetch(&w->con[first->next]);
		v = r.f[cdate];
		if (empty(v)) {
			app_reject(&w->app, &in, &r, stream_colname(&in, cdate),
			    "missing value", NULL);
			continue;
		}
		if (parse_date(v, &date) != 0) {
			app_reject(&w->app, &in, &r, stream_colname(&in, cdate),
			    "invalid date", &r.f[cdate]);
			continue;
		}
		v = r.f[ckm];
		if (empty(v)) {
			app_reject(&w->app, &in, &r, stream_colname(&in, ckm),
			    "missing value", NULL);
			continue;
		}
		if (parse_count(v, &km) == -1) {
			app_reject(&w->app, &in, &r, stream_colname(&in, ckm),
			    "bad number", &r.f[ckm]);
			continue;
		}


		/* The component: given, else the patterns. */
		struct str given = ccomp >= 0 ? r.f[ccomp] : (struct str){ "", 0 };
		if (!empty(given)) {
			comp = names_find(&w->comps, str_trim(given));
			out[O_COMP] = given;
		} else {
			const struct component *failed = NULL;
			int which = 0;

			comp = classify(w, rec_field(&r, cpart), rec_field(&r, cdesc),
			    &failed, &which);
			if (comp == -2) {
				int col = which == 0 ? cpart : cdesc;

				snprintf(why, sizeof(why),
				    "pattern of component %s (%s) hit the "
				    "match limit: '%.200s'",
				    w->comps.v[failed->comp].p, failed->where,
				    pattern_source(failed->re));
				app_reject(&w->app, &in, &r,
				    stream_colname(&in, col), why, NULL);
				continue;
			}
			out[O_COMP] = comp >= 0 ? w->comps.v[comp]
			    : (struct str){ "", 0 };
		}
		bool classified = !empty(given) || comp >= 0;
		/* The reason names a known component as the terms spell it. */
		struct str cn = comp >= 0 ? w->comps.v[comp] : str_trim(given);

		/* The best contract. */
		const struct contract *best = NULL, *c;
		int bestv = NO_WARRANTY;
		day_t bestlast = 0;
		const struct term *bestt = NULL;
		for (c = first; c != NULL; c = c->next >= 0 ? &w->con[c->next] : NULL) {
			const struct term *t;
			int v2;
			day_t ld = 0;

			if (c->start > date)
				continue;
			t = term_of(w, c->tier, comp);
			if (t == NULL)
				v2 = NOT_COVERED;
			else {
				ld = last_day(c->start, t);
				if (ld != NO_LAST_DAY && date > ld)
					v2 = EXPIRED_TIME;
				else if (t->km >= 0 && km > c->start_km + t->km)
					v2 = EXPIRED_KM;
				else
					v2 = COVERED;
			}
			/* Contracts come in file order: keep the earlier on ties. */
			if (v2 < bestv || (v2 == bestv && v2 != NOT_COVERED &&
			    ld > bestlast)) {
				best = c, bestv = v2, bestlast = ld, bestt = t;
			}
		}
		if (best != NULL && !classified)
			bestv = UNCLASSIFIED;

		for (int i = O_VERDICT; i < NCLAIM_OUT; i++)
			out[i] = (struct str){ "", 0 };
		out[O_VERDICT] = str_of(verdict_name[bestv]);
		c = best;
		if (bestv <= NOT_COVERED) {
			out[O_TIER] = w->tiers.v[c->tier];
			out[O_START] = (struct str){ start_b,
			    fmt_date(start_b, c->start) };
		}
		if (bestv <= EXPIRED_TIME) {
			const struct term *t = bestt;

			if (bestlast != NO_LAST_DAY) {
				out[O_LAST] = (struct str){ last_b,
				    fmt_date(last_b, bestlast) };
				out[O_DAYS] = (struct str){ days_b,
				    fmt_int(days_b, (long long)bestlast - date) };
			}
			if (t->km >= 0) {
				out[O_ENDKM] = (struct str){ endkm_b,
				    fmt_int(endkm_b, c->start_km + t->km) };
				out[O_KMLEFT] = (struct str){ kmleft_b,
				    fmt_int(kmleft_b, c->start_km + t->km - km) };
			}
			out[O_DED] = (struct str){ t->ded, t->dedlen };
		}

		struct sb b = { reason, 0, sizeof(reason) };
		if (bestv <= NOT_COVERED)
			sb_put(&b, cn.p, cn.n);
		switch (bestv) {
		case COVERED:
			sb_cstr(&b, " covered by ");
			sb_put(&b, out[O_TIER].p, out[O_TIER].n);
			sb_cstr(&b, " until ");
			if (out[O_LAST].n)
				sb_put(&b, last_b, out[O_LAST].n);
			if (out[O_LAST].n && out[O_ENDKM].n)
				sb_cstr(&b, " or ");
			if (out[O_ENDKM].n) {
				sb_put(&b, endkm_b, out[O_ENDKM].n);
				sb_cstr(&b, " km");
			}
			break;
		case EXPIRED_TIME:
			sb_cstr(&b, " expired on ");
			sb_put(&b, last_b, out[O_LAST].n);
			sb_cstr(&b, " (claim ");
			sb_put(&b, date_b, fmt_date(date_b, date));
			sb_cstr(&b, ")");
			break;
		case EXPIRED_KM:
			sb_cstr(&b, " expired at ");
			sb_put(&b, endkm_b, out[O_ENDKM].n);
			sb_cstr(&b, " km (claim ");
			sb_put(&b, date_b, fmt_int(date_b, km));
			sb_cstr(&b, " km)");
			break;
		case NOT_COVERED:
			sb_cstr(&b, " not covered by ");
			sb_put(&b, out[O_TIER].p, out[O_TIER].n);
			break;
		case NO_WARRANTY:
			sb_cstr(&b, "no warranty contract in force on ");
			sb_put(&b, date_b, fmt_date(date_b, date));
			break;
		case UNCLASSIFIED:
			sb_cstr(&b, w->npats ? "no component given or recognised "
			    "in the part or the description"
			    : "no component given and no patterns (-c) to find one");
			alert = true;
			break;
		}
		out[O_REASON] = (struct str){ reason, b.n };
		outcols_row(&oc, w->app.out, &r, out);
	}
	outcols_free(&oc);
	stream_close(&in);
	return alert;
}

/* ---- expiring coverage ---- */

struct kept {
	const struct record *rec;	/* copy in the arena */
	long seq;		/* input order */
	int term;		/* terms-file order */
	day_t last;
	long long end_km;	/* -1: no limit */
};

static int
kept_cmp(const void *a, const void *b)
{
	const struct kept *x = a, *y = b;

	if (x->last != y->last)
		return x->last < y->last ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return (x->term > y->term) - (x->term < y->term);
}

static const struct record *
keep_record(const struct record *src)
{
	struct record *dst = arena_alloc(&arena, sizeof(*dst));

	dst->nf = src->nf;
	dst->f = arena_alloc(&arena, src->nf * sizeof(*dst->f));
	for (size_t i = 0; i < src->nf; i++)
		dst->f[i] = arena_str(&arena, src->f[i]);
	dst->line = src->line;
	dst->file = src->file;
	return dst;
}

static const char *const exp_out[] = { "component", "last_day", "end_km",
	"days_left" };

static void
list_expiring(struct wc *w, char **files, int nfiles)
{
	struct stream in;
	struct record r;
	struct outcols oc;
	struct contract_cols cc;
	struct kept *kept = NULL;
	size_t nkept = 0, capkept = 0;
	long seq = 0;
	day_t from = w->app.opt.as_of_date;
	day_t to = from + (day_t)w->expiring;

	stream_open(&in, files, nfiles, w->app.opt.dialect, w->app.opt.map,
	    w->app.opt.nmap);
	contract_cols(&in, &cc);
	w->app.rej_header = in.header;
	app_open_output(&w->app);
	outcols_init(&oc, &in, exp_out, 4);

	while (stream_next(&in, &r)) {
		struct crow c;
		const char *msg;
		struct str bad;
		int col;

		seq++;
		if (!app_fields_ok(&w->app, &in, &r))
			continue;
		int st = contract_parse(w, &cc, &r, &c, &col, &msg, &bad);
		if (st == -1) {
			app_reject(&w->app, &in, &r, stream_colname(&in, col),
			    msg, empty(r.f[col]) ? NULL : &r.f[col]);
			continue;
		}
		if (st == 1)
			continue;
		const struct tier *t = &w->tier[c.tier];
		const struct record *rec = NULL;	/* kept once per row */
		for (size_t i = 0; i < t->n; i++) {
			const struct term *tm = &w->terms[t->terms[i]];
			day_t ld = last_day(c.start, tm);

			if (ld == NO_LAST_DAY || ld < from || ld > to)
				continue;
			if (nkept == capkept) {
				capkept = capkept ? 2 * capkept : 1024;
				kept = xrealloc(kept, capkept * sizeof(*kept));
			}
			struct kept *k = &kept[nkept++];
			if (rec == NULL)
				rec = keep_record(&r);
			k->rec = rec;
			k->seq = seq;
			k->term = t->terms[i];
			k->last = ld;
			k->end_km = tm->km >= 0 ? c.start_km + tm->km : -1;
		}
	}
	if (nkept > 1)	/* qsort(NULL, 0) is undefined */
		qsort(kept, nkept, sizeof(*kept), kept_cmp);
	outcols_header(&oc, w->app.out, &in);
	for (size_t i = 0; i < nkept; i++) {
		struct str out[4];
		char last_b[DATE_LEN + 1], endkm_b[24], days_b[24];

		out[0] = w->comps.v[w->terms[kept[i].term].comp];
		fmt_date(last_b, kept[i].last);
		out[1] = str_of(last_b);
		out[2] = (struct str){ "", 0 };
		if (kept[i].end_km >= 0) {
			snprintf(endkm_b, sizeof(endkm_b), "%lld", kept[i].end_km);
			out[2] = str_of(endkm_b);
		}
		snprintf(days_b, sizeof(days_b), "%lld",
		    (long long)kept[i].last - from);
		out[3] = str_of(days_b);
		outcols_row(&oc, w->app.out, kept[i].rec, out);
	}
	free(kept);
	outcols_free(&oc);
	stream_close(&in);
}

/* ---- main ---- */

/* Free what the run allocated, at its end. */
static void
wc_free(struct wc *w)
{
	if (w->tier != NULL)
		for (size_t i = 0; i < w->nterms; i++) {
			struct tier *tt = &w->tier[w->terms[i].tier];
			free(tt->terms);	/* once per tier: then NULL */
			tt->terms = NULL;
		}
	free(w->tier);
	free(w->terms);
	free(w->tiers.v);
	free(w->comps.v);
	pattern_list_free(w->plist);
	for (size_t i = 0; i < w->npats; i++)
		pattern_free(w->pats[i].re);
	free(w->pats);
	free(w->tab);
	free(w->con);
	arena_free(&arena);	/* names, VINs, kept rows */
	common_free(&w->app.opt);
}

static noreturn void
usage_ok(void)
{
	printf("usage: warranty-check " SYNOPSIS "\n");
	exit(0);
}

int
main(int argc, char **argv)
{
	static struct wc w;
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "contracts",  required_argument, NULL, 'w' },
		{ "terms",      required_argument, NULL, 'T' },
		{ "components", required_argument, NULL, 'c' },
		{ "expiring",   required_argument, NULL, OPT_EXPIRING },
		{ "alert",      no_argument,       NULL, OPT_ALERT },
		{ NULL, 0, NULL, 0 }
	};
	const char *contracts = NULL, *terms = NULL, *components = NULL;
	int ch;

	progname = "warranty-check";
	argv[0] = (char *)progname;	/* getopt names the program so, too */
	w.expiring = -1;
	common_init(&w.app.opt);
	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS "w:T:c:",
	    longopts, NULL)) != -1) {
		switch (common_option(&w.app.opt, ch, optarg)) {
		case 1:
			continue;
		case -1:
			usage_error(SYNOPSIS);
		}
		switch (ch) {
		case 'h':
			usage_ok();
		case 'V':
			print_version();
		case 'w':
			contracts = optarg;
			break;
		case 'T':
			terms = optarg;
			break;
		case 'c':
			components = optarg;
			break;
		case OPT_EXPIRING:
			if (parse_uint(optarg, &w.expiring) == -1) {
				warnmsg("--expiring: not a number of days '%s'",
				    optarg);
				usage_error(SYNOPSIS);
			}
			if (w.expiring > EXPIRING_MAX)
				w.expiring = EXPIRING_MAX;
			break;
		case OPT_ALERT:
			w.alert = true;
			break;
		default:
			usage_error(SYNOPSIS);
		}
	}
	if (common_finish(&w.app.opt) == -1)
		usage_error(SYNOPSIS);
	if (terms == NULL) {
		warnmsg("-T TERMS is required");
		usage_error(SYNOPSIS);
	}
	if (w.expiring >= 0) {
		if (contracts != NULL || components != NULL || w.alert) {
			warnmsg("--expiring reads the contracts as its input: "
			    "-w, -c and --alert do not apply");
			usage_error(SYNOPSIS);
		}
	} else if (contracts == NULL) {
		warnmsg("-w CONTRACTS is required (or --expiring DAYS)");
		usage_error(SYNOPSIS);
	}

	load_terms(&w, terms);
	int status;
	if (w.expiring >= 0) {
		list_expiring(&w, argv + optind, argc - optind);
		status = app_finish(&w.app, 0);
	} else {
		if (components != NULL)
			load_components(&w, components);
		load_contracts(&w, contracts);
		int unclassified = check_claims(&w, argv + optind, argc - optind);
		status = app_finish(&w.app, w.alert && unclassified);
	}
	wc_free(&w);
	return status;
}
