/* warranty-check — warranty coverage of claims, and coverage ending soon.
 *
 * The rules, each one function (warranty-check(1), "Verdict"):
 *   last_day()        the last day of a term's coverage
 *   end_km()          the odometer at which it ends
 *   contract_verdict() what one contract says of a claim
 *   better()          the ranking of those (covered > expired_km >
 *                     expired_time > not_covered; ties)
 *   claim_verdict()   the verdict of a claim over the vehicle's contracts
 *   classify()        the component of a claim (given, else the patterns
 *                     on the part, then on the description)
 *
 * Tables: the terms (-T), the component patterns (-c, compiled once) and,
 * when claims are checked, the contracts (-w), held in memory.  The stream
 * (claims, or the contracts with --expiring) is read in one pass without
 * allocation per row; --expiring keeps only the rows it lists, to sort them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "csvin.h"
#include "csvout.h"
#include "datetime.h"
#include "field.h"
#include "map.h"
#include "memo.h"
#include "num.h"
#include "opts.h"
#include "outcols.h"
#include "pattern.h"
#include "str.h"
#include "stream.h"
#include "util.h"

enum { OPT_EXPIRING = OPT_PROGRAM, OPT_ALERT };

static const struct opt_help opts_help[] = {
	{ "-w, --contracts FILE", "the warranty contracts (required, unless --expiring)" },
	{ "-T, --terms FILE", "the terms of the tiers (required)" },
	{ "-c, --components FILE", "the component patterns" },
	{ "--expiring DAYS", "list coverage ending within DAYS of the as-of date; the input is the contracts" },
	{ "--alert", "exit 3 when a claim is unclassified" },
	{ NULL, NULL }
};

static const struct prog_info info = {
	"warranty-check", NULL,
	"[OPTIONS] -w CONTRACTS -T TERMS [-c COMPONENTS] [--alert] [CLAIMS...]\n"
	"       warranty-check [OPTIONS] -T TERMS --expiring DAYS [CONTRACTS...]",
	"Decide whether a warranty contract covers each claim, or list the "
	"coverage that ends soon.",
	opts_help
};

#define NO_LAST_DAY INT32_MAX	/* a component without a months limit */
#define NO_END_KM (-1LL)	/* a component without a km limit */
#define MONTHS_MAX 1200		/* 100 years */
#define EXPIRING_MAX 3650000	/* --expiring DAYS is clamped to this */

/* Tables and kept rows, no per-row malloc. */
static struct arena arena;

/* ---- the tables ---- */

/* One row of the terms: how long a tier covers a component. */
struct term {
	int tier, comp;		/* indices into tiers, comps */
	int months;		/* 0: no months limit */
	long long km;		/* NO_END_KM: no km limit */
	long long deductible;	/* cents */
	char ded[32];		/* formatted once: "100.00" */
	size_t dedlen;
};

struct tier {
	int *terms;		/* indices into terms[], in terms-file order */
	size_t n;
};

/* One row of the components: a pattern that names a component. */
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
 * contract but the one it finds.  Not common/map.h: a claim's look-up is
 * one slot and one contract, both fetched rows ahead (prefetch_ahead), where
 * the map would add its entry and its key's bytes.
 */
struct vslot {
	uint32_t tag;
	int32_t first;		/* index in w->con, -1: empty slot */
};

/* Columns of the claims. */
struct claim_cols {
	int vin, date, km, part, desc, comp;
};

struct wc {
	struct app app;
	struct map tiers, comps;	/* codes, ignoring case; value = index */
	char *tier_list;	/* "basic-6m, extended-24m": for messages */
	struct term *terms;
	size_t nterms;
	struct tier *tier;	/* per tier */
	struct component *pats;
	size_t npats;
	struct pattern_list *plist;	/* the patterns, tried in one scan */
	struct memo *parts;	/* pattern results of the parts */
	struct vslot *tab;	/* VIN table */
	size_t nslot, nvin;
	struct contract *con;	/* every contract, in file order */
	size_t ncon, concap;
	struct claim_cols cc;
	long long expiring;	/* -1: claims mode */
	bool alert;
};

/* A code (tier, component) as the terms first spell it. */
static struct str
code_name(const struct map *m, int i)
{
	return m->e[i].key;
}

/* The index of code S, a new one when it is not there yet. */
static int
code_add(struct map *m, struct str s)
{
	return (int)*map_put(m, s, map_count(m), NULL);
}

/* The codes of M, as the terms spell them: "a, b, c". */
static char *
code_list(const struct map *m)
{
	size_t len = 1;

	for (size_t i = 0; i < map_count(m); i++)
		len += m->e[i].key.n + 2;
	char *list = xmalloc(len), *p = list;
	for (size_t i = 0; i < map_count(m); i++) {
		if (i > 0)
			memcpy(p, ", ", 2), p += 2;
		memcpy(p, m->e[i].key.p, m->e[i].key.n);
		p += m->e[i].key.n;
	}
	*p = '\0';
	return list;
}

/* ---- the rules ---- */

/* The last day a term covers from START: START + months (the day of the
 * month kept, clamped to the month's end) - 1 day; NO_LAST_DAY without a
 * months limit.  6 months from 2026-01-15: 2026-07-14. */
static day_t
last_day(day_t start, const struct term *t)
{
	if (t->months == 0)
		return NO_LAST_DAY;
	return date_add_months(start, t->months) - 1;
}

/* The odometer at which a term's coverage ends: start_km + km;
 * NO_END_KM without a km limit. */
static long long
end_km(long long start_km, const struct term *t)
{
	return t->km == NO_END_KM ? NO_END_KM : start_km + t->km;
}

enum verdict { COVERED, EXPIRED_KM, EXPIRED_TIME, NOT_COVERED, NO_WARRANTY,
	UNCLASSIFIED };
static const char *const verdict_name[] = {
	[COVERED] = "covered", [EXPIRED_KM] = "expired_km",
	[EXPIRED_TIME] = "expired_time", [NOT_COVERED] = "not_covered",
	[NO_WARRANTY] = "no_warranty", [UNCLASSIFIED] = "unclassified"
};

/* The term of a tier for a component, or NULL (not listed; comp < 0: a
 * component no table names). */
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

/* What one contract says of a claim on DATE at KM, given the contract's
 * term for the claim's component (T, NULL when its tier does not list it),
 * in this order: not_covered; expired_time past last_day (*last); then
 * expired_km above end_km; else covered. */
static enum verdict
contract_verdict(const struct contract *c, const struct term *t, day_t date,
    long long km, day_t *last)
{
	*last = 0;
	if (t == NULL)
		return NOT_COVERED;
	*last = last_day(c->start, t);
	if (*last != NO_LAST_DAY && date > *last)
		return EXPIRED_TIME;
	long long end = end_km(c->start_km, t);
	if (end != NO_END_KM && km > end)
		return EXPIRED_KM;
	return COVERED;
}

/* The verdicts that name a contract (its tier and start date are shown),
 * and those that name its term for the component (its limits, what is left
 * of them, the deductible). */
static bool
names_contract(enum verdict v)
{
	return v == COVERED || v == EXPIRED_KM || v == EXPIRED_TIME ||
	    v == NOT_COVERED;
}

static bool
names_term(enum verdict v)
{
	return v == COVERED || v == EXPIRED_KM || v == EXPIRED_TIME;
}

/* What a claim gets: the chosen contract, its term and last day. */
struct choice {
	enum verdict v;
	const struct contract *c;	/* NULL: no_warranty */
	const struct term *t;		/* NULL: not_covered, no_warranty */
	day_t last;			/* last_day of t */
};

/*
 * The verdicts of one contract, best first.  A claim takes the best that
 * any contract of the vehicle gives it:
 *
 *	rank  verdict       between contracts of the same rank
 *	0     covered       the later last_day (none is latest), then the
 *	1     expired_km      earlier contract in the contracts file
 *	2     expired_time
 *	3     not_covered   the earlier contract
 */
static const int verdict_rank[] = {
	[COVERED] = 0, [EXPIRED_KM] = 1, [EXPIRED_TIME] = 2, [NOT_COVERED] = 3,
};

/* Does A beat B, the best of the contracts before A in the file? */
static bool
better(const struct choice *a, const struct choice *b)
{
	if (b->c == NULL)
		return true;
	if (verdict_rank[a->v] != verdict_rank[b->v])
		return verdict_rank[a->v] < verdict_rank[b->v];
	return a->v != NOT_COVERED && a->last > b->last;
}

/* Component codes that are not an index into comps. */
enum {
	COMP_UNKNOWN = -1,	/* given, but no table names it */
	COMP_NONE = -2,		/* none given, no pattern matched */
	COMP_LIMIT = -3		/* a pattern hit a match limit (reported) */
};

/* The verdict of a claim on DATE at KM for component COMP, over the
 * vehicle's contracts from FIRST on (in file order): no_warranty when none
 * of them is in force (started on or before DATE; void ones are not held),
 * else unclassified when the claim has no component (COMP_NONE), else the
 * best of what each contract says. */
static struct choice
claim_verdict(const struct wc *w, const struct contract *first, int comp,
    day_t date, long long km)
{
	struct choice best = { NO_WARRANTY, NULL, NULL, 0 };

	for (const struct contract *c = first; c != NULL;
	    c = c->next >= 0 ? &w->con[c->next] : NULL) {
		if (c->start > date)
			continue;
		struct choice it = { 0, c, term_of(w, c->tier, comp), 0 };
		it.v = contract_verdict(c, it.t, date, km, &it.last);
		if (better(&it, &best))
			best = it;
	}
	if (best.c != NULL && comp == COMP_NONE)
		best.v = UNCLASSIFIED;
	return best;
}

/* Part names repeat a lot (a workshop writes "Alternator" a thousand
 * times): the patterns' result on a part is remembered.  Descriptions are
 * free text (an order number, the customer's words) that rarely repeats:
 * remembered, they would only push the parts out (measured: 3% slower on
 * make bench), so they are matched each time.  A failed match is not
 * remembered. */
enum { TEXT_PART, TEXT_DESC };

/* What the memo keeps of a part: the first pattern that matches it, and
 * whether it is valid UTF-8, so that a part seen before is not checked
 * again (an invalid one goes through row_text(), which warns once per
 * file). */
struct text_result {
	int pattern;		/* index in pats, -1 none */
	bool utf8;
};

/* The first pattern (index in pats) that matches TEXT, -1 none, -2 a
 * limit hit (*failed: the pattern's index). */
static int
first_pattern(const struct wc *w, struct str text, size_t *failed)
{
	if (w->plist == NULL)
		return -1;
	return pattern_list_first(w->plist, text.p, text.n, failed);
}

/* first_pattern() of the text of COL in ROW (WHICH: TEXT_PART or
 * TEXT_DESC), the parts through the memo. */
static int
match_text(const struct wc *w, struct row *row, int which, int col,
    size_t *failed)
{
	if (which == TEXT_DESC)
		return first_pattern(w, row_text(row, col), failed);

	struct str text = rec_field(row->r, col);
	uint64_t h = 0;
	const struct text_result *kept = memo_get(w->parts, text, &h);
	struct text_result res;

	if (kept != NULL) {
		if (!kept->utf8)
			row_text(row, col);	/* the warning, once per file */
		return kept->pattern;
	}
	res.utf8 = str_utf8_valid(text);
	if (!res.utf8)
		row_text(row, col);
	res.pattern = first_pattern(w, text, failed);
	if (res.pattern != -2)
		memo_put(w->parts, text, h, &res);
	return res.pattern;
}

/*
 * The component of a claim: its own component value when it has one (a
 * comps index, or COMP_UNKNOWN for one that no table names; *given is set
 * to it); else the first pattern, in file order, that matches the part;
 * only if none does, the first that matches the description; else
 * COMP_NONE.  An empty or unknown (`-`, --na) text is not tried.  A match
 * that hits a limit rejects the row: COMP_LIMIT.
 */
static int
classify(const struct wc *w, struct row *row, struct str *given)
{
	const int col[2] = { [TEXT_PART] = w->cc.part, [TEXT_DESC] = w->cc.desc };

	*given = (struct str){ "", 0 };
	if (get_str(row, w->cc.comp, OPTIONAL, given) == 1) {
		long i = map_index(&w->comps, *given);
		return i >= 0 ? (int)i : COMP_UNKNOWN;
	}
	for (int k = TEXT_PART; k <= TEXT_DESC; k++) {
		if (row_value(row, col[k]).n == 0)
			continue;
		size_t bad = 0;
		int p = match_text(w, row, k, col[k], &bad);
		if (p >= 0)
			return w->pats[p].comp;
		if (p == -2) {
			const struct component *c = &w->pats[bad];
			row_fail(row, "%s: pattern of component %s (%s) hit the "
			    "match limit: '%.200s'", stream_colname(row->s, col[k]),
			    code_name(&w->comps, c->comp).p, c->where,
			    pattern_source(c->re));
			return COMP_LIMIT;
		}
	}
	return COMP_NONE;
}

/* ---- terms ---- */

/* Months of a term: digits only, 1..MONTHS_MAX. */
static int
parse_months(struct str s, int *out)
{
	long long v = 0;

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

struct term_cols {
	int tier, comp, months, km, ded;
};

/* A row of the terms (a configuration table: a bad row is fatal). */
static void
term_read(struct wc *w, struct row *row, const struct term_cols *tc)
{
	struct term tm = { .months = 0, .km = NO_END_KM, .deductible = 0 };
	struct str tier = { "", 0 }, comp = { "", 0 }, months;

	get_str(row, tc->tier, REQUIRED, &tier);
	get_str(row, tc->comp, REQUIRED, &comp);
	tm.tier = code_add(&w->tiers, tier);
	tm.comp = code_add(&w->comps, comp);
	if (get_str(row, tc->months, OPTIONAL, &months) == 1 &&
	    parse_months(months, &tm.months) == -1)
		row_bad(row, tc->months, "invalid number of months",
		    "expected a whole number from 1 to %d, or empty", MONTHS_MAX);
	if (get_count(row, tc->km, OPTIONAL, &tm.km) == 1 && tm.km == 0)
		row_bad(row, tc->km, "invalid number",
		    "expected a positive number of kilometres, or empty");
	if (tm.months == 0 && tm.km == NO_END_KM)
		row_fail(row, "months and km both empty: coverage must end "
		    "somehow (expected months, km or both)");
	get_money(row, tc->ded, OPTIONAL, &tm.deductible);
	tm.dedlen = fmt_money(tm.ded, tm.deductible);
	for (size_t i = 0; i < w->nterms; i++)
		if (w->terms[i].tier == tm.tier && w->terms[i].comp == tm.comp)
			row_fail(row, "tier %s lists component %s twice",
			    code_name(&w->tiers, tm.tier).p,
			    code_name(&w->comps, tm.comp).p);
	w->terms = xrealloc(w->terms, (w->nterms + 1) * sizeof(*w->terms));
	w->terms[w->nterms++] = tm;
}

static void
load_terms(struct wc *w, const char *path)
{
	struct stream t;
	struct record r;
	struct row row;
	struct term_cols tc;
	const struct column spec[] = {
		{ "tier", true, &tc.tier }, { "component", true, &tc.comp },
		{ "months", false, &tc.months }, { "km", false, &tc.km },
		{ "deductible", false, &tc.ded }, { NULL, false, NULL }
	};

	table_open(&t, path, "terms");
	stream_columns(&t, spec);
	while (stream_next(&t, &r))
		if (row_start(&row, &w->app, &t, &r, ROW_CONFIG))
			term_read(w, &row, &tc);
	if (w->nterms == 0)
		fatal("%s: no terms", path);
	w->tier = xcalloc(map_count(&w->tiers), sizeof(*w->tier));
	for (size_t i = 0; i < w->nterms; i++) {
		struct tier *tt = &w->tier[w->terms[i].tier];

		tt->terms = xrealloc(tt->terms, (tt->n + 1) * sizeof(int));
		tt->terms[tt->n++] = (int)i;
	}
	w->tier_list = code_list(&w->tiers);
	stream_close(&t);
}

/* ---- component patterns ---- */

static void
load_components(struct wc *w, const char *path)
{
	struct stream t;
	struct record r;
	struct row row;
	int ccomp, cpat;
	const struct column spec[] = {
		{ "component", true, &ccomp }, { "pattern", true, &cpat },
		{ NULL, false, NULL }
	};
	char where[512];

	table_open(&t, path, "components");
	stream_columns(&t, spec);
	while (stream_next(&t, &r)) {
		struct component c;
		struct str comp = { "", 0 }, pat = { "", 0 };

		if (!row_start(&row, &w->app, &t, &r, ROW_CONFIG))
			continue;
		get_str(&row, ccomp, REQUIRED, &comp);
		get_str(&row, cpat, REQUIRED, &pat);
		c.comp = code_add(&w->comps, comp);
		snprintf(where, sizeof(where), "%s:%ld: pattern", r.file, r.line);
		c.re = pattern_compile(pat.p, pat.n, true, where);
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

struct contract_cols {
	int vin, tier, start, start_km, status;
};

#define CONTRACT_SPEC(cc) { \
	{ "vin", true, &(cc).vin }, { "tier", true, &(cc).tier }, \
	{ "start_date", true, &(cc).start }, \
	{ "start_km", false, &(cc).start_km }, \
	{ "status", false, &(cc).status }, { NULL, false, NULL } }

/* A contract row: 1 read into *c, 0 void (covers nothing), -1 reported
 * (as its kind of input says: a data table with -w, the stream with
 * --expiring). */
static int
contract_read(const struct wc *w, struct row *row,
    const struct contract_cols *cc, struct crow *c)
{
	struct str tier;

	c->start_km = 0;
	if (get_str(row, cc->vin, REQUIRED, &c->vin) < 0 ||
	    get_str(row, cc->tier, REQUIRED, &tier) < 0)
		return -1;
	long i = map_index(&w->tiers, tier);
	if (i < 0)	/* the wording of get_choice() */
		return row_bad(row, cc->tier, "unknown tier", "expected one of: %s",
		    w->tier_list);
	c->tier = (int)i;
	if (get_date(row, cc->start, REQUIRED, &c->start) < 0 ||
	    get_count(row, cc->start_km, OPTIONAL, &c->start_km) < 0)
		return -1;
	return str_eq_cstr_ci(row_value(row, cc->status), "void") ? 0 : 1;
}

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

/*
 * The contracts are looked up at random, once per claim: back them with
 * huge pages where the system has them, so that a look-up costs a cache
 * miss and not also a TLB miss.
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

/* Size the tables for a contracts file of SIZE bytes at once (a contract
 * row takes at least 35 bytes, so this rarely overshoots), rather than
 * growing them through every power of two: each new table is memory the
 * kernel must clear. */
static void
contracts_size(struct wc *w, size_t size)
{
	size_t n = 1024;
	size_t est = size / 64;

	while (4 * est > 3 * n && n < ((size_t)1 << 40))
		n *= 2;
	w->concap = 1024;
	if (size / 32 < INT32_MAX / 2)
		w->concap += size / 32;	/* pages not written cost nothing */
	vin_rehash(w, n);
	w->con = huge_alloc(w->concap * sizeof(*w->con));
}

/* Add contract C; TAIL[k] is the last contract of the VIN whose first is
 * k, so that a VIN's contracts are chained in file order. */
static void
contract_add(struct wc *w, const struct crow *c, const char *file,
    int32_t **tail)
{
	if (4 * (w->nvin + 1) > 3 * w->nslot)
		vin_rehash(w, 2 * w->nslot);	/* at most 3/4 full */
	if (w->ncon == w->concap) {
		if (w->concap >= INT32_MAX / 2)
			fatal("%s: too many contracts", file);
		w->con = huge_grow(w->con, w->concap * sizeof(*w->con),
		    2 * w->concap * sizeof(*w->con));
		w->concap *= 2;
		*tail = xrealloc(*tail, w->concap * sizeof(**tail));
	}
	int32_t k = (int32_t)w->ncon++;
	struct contract *cp = &w->con[k];
	cp->vinlen = (uint32_t)c->vin.n;
	if (c->vin.n <= VIN_INLINE)
		memcpy(cp->vin.in, c->vin.p, c->vin.n);
	else
		cp->vin.arena = arena_str(&arena, c->vin).p;
	cp->tier = c->tier;
	cp->start = c->start;
	cp->start_km = c->start_km;
	cp->next = -1;
	uint64_t h = str_hash(c->vin);
	struct vslot *sl = &w->tab[vin_slot(w, c->vin, h)];
	if (sl->first < 0) {
		*sl = (struct vslot){ (uint32_t)(h >> 32), k };
		(*tail)[k] = k;
		w->nvin++;
	} else {
		w->con[(*tail)[sl->first]].next = k;
		(*tail)[sl->first] = k;
	}
}

/*
 * Claims and contracts come in no order of VIN, and the contracts are too
 * many for the cache: each look-up would wait for memory.  The reader has
 * parsed the rows that follow (stream_peek_field), so the VIN slot of a row
 * some rows ahead is fetched while this row is handled.
 *
 * Inserting a contract: the slot of the row CONTRACT_AHEAD rows ahead.
 * Checking a claim: the slot of the row AHEAD_SLOT rows ahead; its hash is
 * kept in a ring, and AHEAD_SLOT - AHEAD_CONTRACT rows later, when that
 * slot has arrived, the row's first contract is fetched (a matching tag is
 * enough to guess it).  A row's own VIN is hashed again when its row comes:
 * as cheap as making sure that the VIN read ahead is the same.
 */
#define CONTRACT_AHEAD 4
#define AHEAD_SLOT 6
#define AHEAD_CONTRACT 3
#define AHEAD_RING 8		/* a power of two, > AHEAD_SLOT */

struct ahead {
	uint64_t h;
	bool set;		/* the row was parsed: h is its VIN's hash */
};

/* The hash of the VIN (column COL) of the row K rows ahead, or false when
 * the reader has not parsed that row yet. */
static bool
hash_ahead(const struct stream *in, int col, size_t k, uint64_t *h)
{
	struct str vin = stream_peek_field(in, k, col);

	if (vin.p == NULL)
		return false;
	*h = str_hash(str_trim(vin));
	return true;
}

static void
prefetch_ahead(const struct wc *w, const struct stream *in,
    struct ahead *ring, unsigned long seq)
{
	struct ahead *a = &ring[(seq + AHEAD_SLOT) & (AHEAD_RING - 1)];

	a->set = hash_ahead(in, w->cc.vin, AHEAD_SLOT, &a->h);
	if (a->set)
		__builtin_prefetch(&w->tab[(size_t)a->h & (w->nslot - 1)]);
	a = &ring[(seq + AHEAD_CONTRACT) & (AHEAD_RING - 1)];
	if (a->set) {
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

/* The contracts of -w: a data table (a bad row is reported, exit 1). */
static void
load_contracts(struct wc *w, const char *path)
{
	struct stream t;
	struct record r;
	struct row row;
	struct contract_cols cc;
	const struct column spec[] = CONTRACT_SPEC(cc);
	struct stat fst;

	table_open(&t, path, "contracts");
	stream_columns(&t, spec);
	contracts_size(w, strcmp(path, "-") != 0 && stat(path, &fst) == 0 &&
	    fst.st_size > 0 ? (size_t)fst.st_size : 0);
	int32_t *tail = xmalloc(w->concap * sizeof(*tail));
	while (stream_next(&t, &r)) {
		struct crow c;
		uint64_t h;

		if (hash_ahead(&t, cc.vin, CONTRACT_AHEAD, &h))
			__builtin_prefetch(&w->tab[(size_t)h & (w->nslot - 1)], 1);
		if (row_start(&row, &w->app, &t, &r, ROW_DATA) &&
		    contract_read(w, &row, &cc, &c) == 1)
			contract_add(w, &c, r.file, &tail);
	}
	free(tail);
	stream_close(&t);
}

/* ---- claims ---- */

/* A claim as read. */
struct claim {
	const struct contract *first;	/* the vehicle's first contract */
	day_t date;
	long long km;
};

/* Read the claim of ROW: false when it was rejected. */
static bool
claim_read(const struct wc *w, struct row *row, struct claim *cl)
{
	struct str vin;

	if (get_str(row, w->cc.vin, REQUIRED, &vin) < 0)
		return false;
	/* The VIN's first contract (prefetched rows ago), and its next. */
	int32_t fi = w->tab[vin_slot(w, vin, str_hash(vin))].first;
	cl->first = fi >= 0 ? &w->con[fi] : NULL;
	if (cl->first != NULL && cl->first->next >= 0)
		__builtin_prefetch(&w->con[cl->first->next]);
	return get_date(row, w->cc.date, REQUIRED, &cl->date) == 1 &&
	    get_count(row, w->cc.km, REQUIRED, &cl->km) == 1;
}

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

/* The computed fields of a claim, and the bytes they point to. */
struct claim_fields {
	struct str f[NCLAIM_OUT];
	char start[DATE_LEN + 1], last[DATE_LEN + 1], claim[32];
	char endkm[24], days[24], kmleft[24];
	char reason[FIELD_MAX + 256];	/* a given component is a field */
	size_t nreason;
};

/* Bounded building of the reason, without printf. */
static void
reason_put(struct claim_fields *o, const char *s, size_t n)
{
	if (n > sizeof(o->reason) - o->nreason)
		n = sizeof(o->reason) - o->nreason;
	memcpy(o->reason + o->nreason, s, n);
	o->nreason += n;
}

static void
reason_cstr(struct claim_fields *o, const char *s)
{
	reason_put(o, s, strlen(s));
}

/* The reason, one plain sentence: COMP (the component as the terms spell
 * it, or as given) and the fields of the choice already set. */
static void
claim_reason(const struct wc *w, struct claim_fields *o,
    const struct choice *ch, struct str comp, const struct claim *cl)
{
	o->nreason = 0;
	if (names_contract(ch->v))
		reason_put(o, comp.p, comp.n);
	switch (ch->v) {
	case COVERED:
		reason_cstr(o, " covered by ");
		reason_put(o, o->f[O_TIER].p, o->f[O_TIER].n);
		reason_cstr(o, " until ");
		reason_put(o, o->f[O_LAST].p, o->f[O_LAST].n);
		if (o->f[O_LAST].n && o->f[O_ENDKM].n)
			reason_cstr(o, " or ");
		if (o->f[O_ENDKM].n) {
			reason_put(o, o->f[O_ENDKM].p, o->f[O_ENDKM].n);
			reason_cstr(o, " km");
		}
		break;
	case EXPIRED_TIME:
		reason_cstr(o, " expired on ");
		reason_put(o, o->f[O_LAST].p, o->f[O_LAST].n);
		reason_cstr(o, " (claim ");
		reason_put(o, o->claim, fmt_date(o->claim, cl->date));
		reason_cstr(o, ")");
		break;
	case EXPIRED_KM:
		reason_cstr(o, " expired at ");
		reason_put(o, o->f[O_ENDKM].p, o->f[O_ENDKM].n);
		reason_cstr(o, " km (claim ");
		reason_put(o, o->claim, fmt_int(o->claim, cl->km));
		reason_cstr(o, " km)");
		break;
	case NOT_COVERED:
		reason_cstr(o, " not covered by ");
		reason_put(o, o->f[O_TIER].p, o->f[O_TIER].n);
		break;
	case NO_WARRANTY:
		reason_cstr(o, "no warranty contract in force on ");
		reason_put(o, o->claim, fmt_date(o->claim, cl->date));
		break;
	case UNCLASSIFIED:
		reason_cstr(o, w->npats ? "no component given or recognised "
		    "in the part or the description"
		    : "no component given and no patterns (-c) to find one");
		break;
	}
	o->f[O_REASON] = (struct str){ o->reason, o->nreason };
}

/* The computed fields after the component: the chosen contract's tier and
 * start (for a contract's verdicts), its term's limits, what is left of
 * them and the deductible (covered and expired), the reason. */
static void
claim_fill(const struct wc *w, struct claim_fields *o, const struct choice *ch,
    struct str comp, const struct claim *cl)
{
	for (int i = O_VERDICT; i < NCLAIM_OUT; i++)
		o->f[i] = (struct str){ "", 0 };
	o->f[O_VERDICT] = str_of(verdict_name[ch->v]);
	if (names_contract(ch->v)) {
		o->f[O_TIER] = code_name(&w->tiers, ch->c->tier);
		o->f[O_START] = (struct str){ o->start,
		    fmt_date(o->start, ch->c->start) };
	}
	if (names_term(ch->v)) {
		long long end = end_km(ch->c->start_km, ch->t);

		if (ch->last != NO_LAST_DAY) {
			o->f[O_LAST] = (struct str){ o->last,
			    fmt_date(o->last, ch->last) };
			o->f[O_DAYS] = (struct str){ o->days,
			    fmt_int(o->days, (long long)ch->last - cl->date) };
		}
		if (end != NO_END_KM) {
			o->f[O_ENDKM] = (struct str){ o->endkm,
			    fmt_int(o->endkm, end) };
			o->f[O_KMLEFT] = (struct str){ o->kmleft,
			    fmt_int(o->kmleft, end - cl->km) };
		}
		o->f[O_DED] = (struct str){ ch->t->ded, ch->t->dedlen };
	}
	claim_reason(w, o, ch, comp, cl);
}

/* Check the claim of ROW and write it with its verdict (nothing when the
 * row was rejected); *unclassified is set when it needs a person. */
static void
check_claim(const struct wc *w, struct row *row, const struct outcols *oc,
    bool *unclassified)
{
	static struct claim_fields o;
	struct claim cl;
	struct str given;

	if (!claim_read(w, row, &cl))
		return;
	int comp = classify(w, row, &given);
	if (comp == COMP_LIMIT)
		return;
	/* The component column: the value given, written back as it is; or
	 * the one found, as the terms spell it.  The reason names a known
	 * component as the terms spell it. */
	struct str name = comp >= 0 ? code_name(&w->comps, comp) : given;
	o.f[O_COMP] = given.n ? rec_field(row->r, w->cc.comp) : name;
	struct choice ch = claim_verdict(w, cl.first, comp, cl.date, cl.km);
	claim_fill(w, &o, &ch, name, &cl);
	if (ch.v == UNCLASSIFIED)
		*unclassified = true;
	outcols_row(oc, w->app.out, row->r, o.f);
}

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

/* Open the stream of FILES, its output in its dialect, and its rejects. */
static void
open_stream(struct wc *w, struct stream *in, char **files, int nfiles,
    const struct column *spec)
{
	stream_open(in, files, nfiles, w->app.opt.dialect, w->app.opt.map,
	    w->app.opt.nmap);
	stream_columns(in, spec);
	w->app.opt.dialect = in->dialect;
	w->app.rej_header = in->header;
	app_open_output(&w->app);
}

/* Check the claims of FILES; true when one was unclassified. */
static bool
check_claims(struct wc *w, char **files, int nfiles)
{
	struct stream in;
	struct record r;
	struct row row;
	struct outcols oc;
	struct claim_cols *cc = &w->cc;
	const struct column spec[] = {
		{ "vin", true, &cc->vin }, { "date", true, &cc->date },
		{ "km", true, &cc->km }, { "part", false, &cc->part },
		{ "description", false, &cc->desc },
		{ "component", false, &cc->comp }, { NULL, false, NULL }
	};
	struct ahead ring[AHEAD_RING];
	bool unclassified = false;

	open_stream(w, &in, files, nfiles, spec);
	if (stream_empty(&in)) {
		stream_close(&in);
		return false;
	}
	outcols_init(&oc, &in, claim_out, NCLAIM_OUT);
	component_in_place(&oc, cc->comp, O_COMP);
	outcols_known(&oc, claim_known);
	outcols_header(&oc, w->app.out, &in);
	memset(ring, 0, sizeof(ring));
	for (unsigned long seq = 0; stream_next(&in, &r); seq++) {
		prefetch_ahead(w, &in, ring, seq);
		if (row_start(&row, &w->app, &in, &r, ROW_STREAM))
			check_claim(w, &row, &oc, &unclassified);
	}
	outcols_free(&oc);
	stream_close(&in);
	return unclassified;
}

/* ---- expiring coverage ---- */

/* A (contract, component) whose coverage ends in the window. */
struct kept {
	const struct record *rec;	/* copy in the arena */
	long seq;		/* input order */
	int term;		/* terms-file order */
	day_t last;
	long long end_km;	/* NO_END_KM: no limit */
};

/* Ordered by last_day, then input order, then terms-file order. */
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

struct kept_list {
	struct kept *v;
	size_t n, cap;
};

/* Keep the components of contract C (row R, input order SEQ) whose
 * last_day is within FROM..TO, both included; no last_day never is. */
static void
keep_expiring(const struct wc *w, struct kept_list *k, const struct crow *c,
    const struct record *r, long seq, day_t from, day_t to)
{
	const struct tier *t = &w->tier[c->tier];
	const struct record *rec = NULL;	/* kept once per row */

	for (size_t i = 0; i < t->n; i++) {
		const struct term *tm = &w->terms[t->terms[i]];
		day_t ld = last_day(c->start, tm);

		if (ld == NO_LAST_DAY || ld < from || ld > to)
			continue;
		if (k->n == k->cap) {
			k->cap = k->cap ? 2 * k->cap : 1024;
			k->v = xrealloc(k->v, k->cap * sizeof(*k->v));
		}
		if (rec == NULL)
			rec = keep_record(r);
		k->v[k->n++] = (struct kept){ rec, seq, t->terms[i], ld,
		    end_km(c->start_km, tm) };
	}
}

static const char *const exp_out[] = { "component", "last_day", "end_km",
	"days_left" };

static void
write_expiring(const struct wc *w, const struct outcols *oc,
    const struct kept *k, day_t from)
{
	struct str out[4];
	char last_b[DATE_LEN + 1], endkm_b[24], days_b[24];

	out[0] = code_name(&w->comps, w->terms[k->term].comp);
	out[1] = (struct str){ last_b, fmt_date(last_b, k->last) };
	out[2] = (struct str){ "", 0 };
	if (k->end_km != NO_END_KM)
		out[2] = (struct str){ endkm_b, fmt_int(endkm_b, k->end_km) };
	out[3] = (struct str){ days_b, fmt_int(days_b, (long long)k->last - from) };
	outcols_row(oc, w->app.out, k->rec, out);
}

/* List the coverage of the contracts of FILES that ends within
 * --expiring DAYS of the as-of date; void contracts are left out. */
static void
list_expiring(struct wc *w, char **files, int nfiles)
{
	struct stream in;
	struct record r;
	struct row row;
	struct outcols oc;
	struct contract_cols cc;
	const struct column spec[] = CONTRACT_SPEC(cc);
	struct kept_list kept = { NULL, 0, 0 };
	day_t from = w->app.opt.as_of_date;
	day_t to = from + (day_t)w->expiring;

	open_stream(w, &in, files, nfiles, spec);
	if (stream_empty(&in)) {
		stream_close(&in);
		return;
	}
	for (long seq = 1; stream_next(&in, &r); seq++) {
		struct crow c;

		if (row_start(&row, &w->app, &in, &r, ROW_STREAM) &&
		    contract_read(w, &row, &cc, &c) == 1)
			keep_expiring(w, &kept, &c, &r, seq, from, to);
	}
	if (kept.n > 1)	/* qsort(NULL, 0) is undefined */
		qsort(kept.v, kept.n, sizeof(*kept.v), kept_cmp);
	outcols_init(&oc, &in, exp_out, 4);
	outcols_header(&oc, w->app.out, &in);
	for (size_t i = 0; i < kept.n; i++)
		write_expiring(w, &oc, &kept.v[i], from);
	free(kept.v);
	outcols_free(&oc);
	stream_close(&in);
}

/* ---- main ---- */

struct args {
	const char *contracts, *terms, *components;
};

/* The options; usage() on an error. */
static void
parse_args(struct wc *w, struct args *a, int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "contracts",  required_argument, NULL, 'w' },
		{ "terms",      required_argument, NULL, 'T' },
		{ "components", required_argument, NULL, 'c' },
		{ "expiring",   required_argument, NULL, OPT_EXPIRING },
		{ "alert",      no_argument,       NULL, OPT_ALERT },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS "w:T:c:",
	    longopts, NULL)) != -1) {
		switch (common_option(&w->app.opt, ch, optarg)) {
		case 1:
			continue;
		case -1:
			usage();
		}
		switch (ch) {
		case 'w':
			a->contracts = optarg;
			break;
		case 'T':
			a->terms = optarg;
			break;
		case 'c':
			a->components = optarg;
			break;
		case OPT_EXPIRING:
			if (parse_uint(optarg, &w->expiring) == -1) {
				warnmsg("--expiring: a whole number of days "
				    "(0 or more) is expected, not '%s'", optarg);
				usage();
			}
			if (w->expiring > EXPIRING_MAX)
				w->expiring = EXPIRING_MAX;
			break;
		case OPT_ALERT:
			w->alert = true;
			break;
		default:
			usage();
		}
	}
	if (common_finish(&w->app.opt) == -1)
		usage();
}

/* The options that go together (the two forms of the synopsis). */
static void
check_args(const struct wc *w, const struct args *a)
{
	if (a->terms == NULL) {
		warnmsg("-T TERMS is required");
		usage();
	}
	if (w->expiring >= 0) {
		if (a->contracts != NULL || a->components != NULL || w->alert) {
			warnmsg("--expiring reads the contracts as its input: "
			    "-w, -c and --alert do not apply");
			usage();
		}
	} else if (a->contracts == NULL) {
		warnmsg("-w CONTRACTS is required (or --expiring DAYS)");
		usage();
	}
}

/* Free what the run allocated, at its end. */
static void
wc_free(struct wc *w)
{
	if (w->tier != NULL)
		for (size_t i = 0; i < map_count(&w->tiers); i++)
			free(w->tier[i].terms);
	free(w->tier);
	free(w->terms);
	free(w->tier_list);
	map_free(&w->tiers);
	map_free(&w->comps);
	pattern_list_free(w->plist);
	for (size_t i = 0; i < w->npats; i++)
		pattern_free(w->pats[i].re);
	free(w->pats);
	memo_free(w->parts);
	free(w->tab);
	free(w->con);
	arena_free(&arena);	/* VINs, kept rows, pattern places */
	common_free(&w->app.opt);
}

static void
wc_init(struct wc *w)
{
	prog_start(&info, &w->app.opt);
	map_init(&w->tiers, true);
	map_init(&w->comps, true);
	w->parts = memo_new(sizeof(struct text_result));
	w->expiring = -1;
}

int
main(int argc, char **argv)
{
	static struct wc w;
	struct args a = { NULL, NULL, NULL };
	int status;

	argv[0] = (char *)info.name;	/* getopt names the program so, too */
	wc_init(&w);
	parse_args(&w, &a, argc, argv);
	check_args(&w, &a);
	load_terms(&w, a.terms);
	if (w.expiring >= 0) {
		list_expiring(&w, argv + optind, argc - optind);
		status = app_finish(&w.app, 0);
	} else {
		if (a.components != NULL)
			load_components(&w, a.components);
		load_contracts(&w, a.contracts);
		bool unclassified = check_claims(&w, argv + optind,
		    argc - optind);
		status = app_finish(&w.app, w.alert && unclassified);
	}
	wc_free(&w);
	return status;
}
