/* prefilter.c — the literals every match of a pattern contains, and a scan
 * for them.  See prefilter.h. */
#include <stdlib.h>
#include <string.h>

#include "prefilter.h"
#include "util.h"

#define MAX_LITERALS 64
#define MAX_LITERAL_CHARS 24	/* a longer run keeps its first 24 */
#define MAX_DEPTH 16

struct literal {
	uint32_t cp[MAX_LITERAL_CHARS];	/* folded code points */
	size_t n;
	unsigned owner;		/* the pattern, in a merged prefilter */
};

struct litset {
	struct literal lit[MAX_LITERALS];
	size_t n;
};

/* Two bytes that can start an occurrence of a literal (in some case),
 * and which literal. */
struct start {
	uint16_t pair;
	uint16_t lit;
};

struct prefilter {
	bool caseless;
	struct literal *lit;
	size_t nlit;
	struct start *start;	/* sorted by pair, then literal */
	size_t nstart, startcap;
	/* A position is a candidate when its first two bytes start some
	 * spelling of a literal, and then either that spelling is shorter than
	 * four bytes (short_pairs) or the hash of its first four bytes is in
	 * quads.  Most Cyrillic letters start a literal of some pattern in
	 * their first two bytes; few four-byte prefixes do. */
	uint64_t pairs[65536 / 64];
	uint64_t short_pairs[65536 / 64];
	uint64_t quads[65536 / 64];
	uint64_t owners;	/* every owner's bit */
};

#define BIT_SET(set, i) ((set)[(i) >> 6] |= (uint64_t)1 << ((i) & 63))
#define BIT_TEST(set, i) ((set)[(i) >> 6] >> ((i) & 63) & 1)

static unsigned
quad_hash(uint32_t q)
{
	return (q * 0x9E3779B1u) >> 16;
}

uint32_t
fold_case(uint32_t c)
{
	if (c < 0x80)
		return c - 'A' < 26 ? c + 32 : c;
	if (c < 0x100)
		return c >= 0xC0 && c <= 0xDE && c != 0xD7 ? c + 32 : c;
	if (c < 0x180) {
		if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149)
			return c;	/* PCRE2: İ and ı match only themselves */
		if (c == 0x178)
			return 0xFF;
		if (c == 0x17F)
			return 's';	/* long s */
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
			return c & 1 ? c + 1 : c;
		return c | 1;
	}
	if (c >= 0x400 && c < 0x500) {
		if (c < 0x410)
			return c + 0x50;
		if (c < 0x430)
			return c + 0x20;
		if (c < 0x460 || (c >= 0x482 && c < 0x48A) || c == 0x4CF)
			return c;
		if (c == 0x4C0)
			return 0x4CF;
		if (c >= 0x4C1 && c <= 0x4CE)
			return c & 1 ? c + 1 : c;
		return c | 1;
	}
	switch (c) {
	case 0x1C80: return 0x432;	/* old forms of Cyrillic letters */
	case 0x1C81: return 0x434;
	case 0x1C82: return 0x43E;
	case 0x1C83: return 0x441;
	case 0x1C84: case 0x1C85: return 0x442;
	case 0x1C86: return 0x44A;
	case 0x1C87: return 0x463;
	case 0x1C88: case 0xA64A: return 0xA64B;
	case 0x1E9E: return 0xDF;	/* capital sharp s */
	case 0x212A: return 'k';	/* Kelvin sign */
	case 0x212B: return 0xE5;	/* Angstrom sign */
	}
	return c;
}

bool
fold_case_known(uint32_t c)
{
	return c < 0x80 || (c >= 0xC0 && c < 0x180) || (c >= 0x400 && c < 0x500);
}

/* One code point of valid UTF-8 at s (n > 0 bytes); its length, or 0 for
 * an invalid sequence (then *cp is not set). */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c = s[0];
	size_t len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, c &= 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, c &= 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, c &= 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
	    (len == 4 && (c < 0x10000 || c > 0x10FFFF)))
		return 0;
	*cp = c;
	return len;
}

static size_t
utf8_encode(uint32_t c, unsigned char *out)
{
	if (c < 0x80) {
		out[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (unsigned char)(0xC0 | c >> 6);
		out[1] = (unsigned char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (unsigned char)(0xE0 | c >> 12);
		out[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
		out[2] = (unsigned char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (unsigned char)(0xF0 | c >> 18);
	out[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
	out[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
	out[3] = (unsigned char)(0x80 | (c & 0x3F));
	return 4;
}

/*
 * Reading the literals.  The analysis of a sequence yields the best set of
 * literals one of which every match of it contains (or none), that of an
 * alternation the union over its branches (none if a branch has none).
 */

struct parse {
	const unsigned char *p, *end;
	bool caseless;
	bool bad;		/* outside the subset: no prefilter */
	int depth;
};

/* {N}, {N,} or {N,M} at ps->p: N, and ps->p after it.  Anything else
 * (a literal brace, or a form another PCRE2 version reads otherwise) is
 * outside the subset. */
static int
counted(struct parse *ps)
{
	const unsigned char *p = ps->p + 1;
	long n = 0;
	bool digits = false;

	while (p < ps->end && *p >= '0' && *p <= '9' && n < 100000) {
		n = n * 10 + (*p++ - '0');
		digits = true;
	}
	if (!digits || p >= ps->end) {
		ps->bad = true;
		return 1;
	}
	if (*p == ',') {
		p++;
		while (p < ps->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p >= ps->end || *p != '}') {
		ps->bad = true;
		return 1;
	}
	ps->p = p + 1;
	return (int)n;
}

/* Quantifier after an atom: its minimum count, and the atom is repeated
 * (or optional) when *quantified.  Possessive and lazy marks are skipped. */
static int
quantifier(struct parse *ps, bool *quantified)
{
	int min = 1;

	*quantified = false;
	if (ps->p >= ps->end)
		return 1;
	switch (*ps->p) {
	case '?': case '*':
		min = 0;
		break;
	case '+':
		min = 1;
		break;
	case '{':
		min = counted(ps);
		if (ps->bad)
			return 1;
		*quantified = true;
		goto lazy;
	default:
		return 1;
	}
	*quantified = true;
	ps->p++;
lazy:
	if (ps->p < ps->end && (*ps->p == '?' || *ps->p == '+'))
		ps->p++;
	if (ps->p < ps->end && (*ps->p == '?' || *ps->p == '*' ||
	    *ps->p == '+' || *ps->p == '{'))
		ps->bad = true;
	return min;
}

/* Skip a character class; ps->p is after its '['. */
static void
skip_class(struct parse *ps)
{
	if (ps->p < ps->end && *ps->p == '^')
		ps->p++;
	if (ps->p < ps->end && *ps->p == ']')
		ps->p++;	/* a leading ] is a member */
	while (ps->p < ps->end) {
		unsigned char c = *ps->p++;

		if (c == ']')
			return;
		if (c == '\\') {
			if (ps->p >= ps->end) {
				ps->bad = true;
				return;
			}
			c = *ps->p++;
			if (c == 'Q' || c == 'E' || (c >= '0' && c <= '9') ||
			    c == 'N' || c == 'c' || c == 'o') {
				ps->bad = true;
				return;
			}
			if ((c == 'p' || c == 'P' || c == 'x') &&
			    ps->p < ps->end && *ps->p == '{') {
				while (ps->p < ps->end && *ps->p != '}')
					ps->p++;
				if (ps->p < ps->end)
					ps->p++;
			}
		} else if (c == '[' && ps->p < ps->end &&
		    (*ps->p == ':' || *ps->p == '.' || *ps->p == '=')) {
			/* A POSIX class, or a literal [ when PCRE2 finds no
			 * terminator before a ] (fuzz: "[[:]xy|ab:]cd" is a class
			 * of [ and :, then two branches): not read. */
			ps->bad = true;
			return;
		}
	}
	ps->bad = true;		/* unterminated */
}

static size_t
min_chars(const struct litset *s)
{
	size_t m = SIZE_MAX;

	for (size_t i = 0; i < s->n; i++)
		if (s->lit[i].n < m)
			m = s->lit[i].n;
	return m;
}

/* Keep the better of *best and cand: longer shortest literal, then fewer
 * literals.  has_best says whether *best holds a set yet. */
static void
consider(struct litset *best, bool *has_best, const struct litset *cand)
{
	if (cand->n == 0)
		return;
	if (*has_best) {
		size_t a = min_chars(best), b = min_chars(cand);

		if (b < a || (b == a && cand->n >= best->n))
			return;
	}
	*best = *cand;
	*has_best = true;
}

static bool alternation(struct parse *ps, struct litset *out);

/* A sequence up to '|', ')' or the end. */
static bool
sequence(struct parse *ps, struct litset *best)
{
	struct litset *run = xcalloc(1, sizeof *run);	/* one literal */
	struct litset *group = xmalloc(sizeof *group);
	bool has_best = false, quantified;
	int min;

	run->n = 1;
	run->lit[0].n = 0;
#define END_RUN() do { if (run->lit[0].n) consider(best, &has_best, run); \
	run->lit[0].n = 0; } while (0)
	while (ps->p < ps->end && !ps->bad) {
		const unsigned char *at = ps->p;
		unsigned char c = *ps->p;
		uint32_t cp;
		size_t len;

		if (c == '|' || c == ')')
			break;
		if (c == '(') {
			ps->p++;
			if (ps->p < ps->end && *ps->p == '?') {
				if (ps->p + 1 < ps->end && ps->p[1] == ':')
					ps->p += 2;
				else {
					ps->bad = true;
					break;
				}
			} else if (ps->p < ps->end && *ps->p == '*') {
				ps->bad = true;	/* a verb */
				break;
			}
			END_RUN();
			bool has = alternation(ps, group);
			if (ps->bad)
				break;
			if (ps->p >= ps->end || *ps->p != ')') {
				ps->bad = true;
				break;
			}
			ps->p++;
			min = quantifier(ps, &quantified);
			if (has && min >= 1)
				consider(best, &has_best, group);
			continue;
		}
		if (c == '[') {
			ps->p++;
			skip_class(ps);
			(void)quantifier(ps, &quantified);
			END_RUN();
			continue;
		}
		if (c == '.' || c == '^' || c == '$') {
			ps->p++;
			if (c == '.')
				(void)quantifier(ps, &quantified);
			END_RUN();
			continue;
		}
		if (c == '*' || c == '+' || c == '?' || c == '{') {
			ps->bad = true;
			break;
		}
		if (c == '\\') {
			if (ps->p + 1 >= ps->end) {
				ps->bad = true;
				break;
			}
			c = ps->p[1];
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9')) {
				ps->p += 2;
				if (strchr("bBAzZG", c)) {
					END_RUN();	/* zero width */
					continue;
				}
				if (strchr("wWdDsShHvVRXtnrfae", c)) {
					(void)quantifier(ps, &quantified);
					END_RUN();
					continue;
				}
				if ((c == 'p' || c == 'P') && ps->p < ps->end) {
					if (*ps->p == '{') {
						while (ps->p < ps->end && *ps->p != '}')
							ps->p++;
						if (ps->p >= ps->end) {
							ps->bad = true;
							break;
						}
					}
					ps->p++;
					(void)quantifier(ps, &quantified);
					END_RUN();
					continue;
				}
				ps->bad = true;	/* \Q, \x, back references, ... */
				break;
			}
			at = ps->p + 1;	/* an escaped character is literal */
		}
		len = utf8_decode(at, (size_t)(ps->end - at), &cp);
		if (len == 0) {
			ps->bad = true;
			break;
		}
		ps->p = at + len;
		min = quantifier(ps, &quantified);
		if (ps->bad)
			break;
		if (min == 0 || (ps->caseless && !fold_case_known(cp))) {
			END_RUN();
			continue;
		}
		if (run->lit[0].n < MAX_LITERAL_CHARS)
			run->lit[0].cp[run->lit[0].n++] =
			    ps->caseless ? fold_case(cp) : cp;
		if (quantified)
			END_RUN();	/* what follows is not adjacent */
	}
	END_RUN();
#undef END_RUN
	free(run);
	free(group);
	if (!has_best)
		best->n = 0;
	return has_best && !ps->bad;
}

static bool
alternation(struct parse *ps, struct litset *out)
{
	struct litset *branch = xmalloc(sizeof *branch);
	bool all = true;

	out->n = 0;
	if (++ps->depth > MAX_DEPTH)
		ps->bad = true;
	for (;;) {
		if (!sequence(ps, branch))
			all = false;
		else if (all) {
			for (size_t i = 0; i < branch->n; i++) {
				if (out->n == MAX_LITERALS) {
					all = false;
					break;
				}
				out->lit[out->n++] = branch->lit[i];
			}
		}
		if (ps->bad || ps->p >= ps->end || *ps->p != '|')
			break;
		ps->p++;
	}
	ps->depth--;
	free(branch);
	if (!all)
		out->n = 0;
	return all && !ps->bad;
}

/* Every code point whose fold is f (f itself included), into out. */
static size_t
case_variants(uint32_t f, bool caseless, uint32_t *out, size_t cap)
{
	static const uint32_t extra[] = {
		0x1C80, 0x1C81, 0x1C82, 0x1C83, 0x1C84, 0x1C85, 0x1C86,
		0x1C87, 0x1C88, 0xA64A, 0x1E9E, 0x212A, 0x212B,
	};
	/* The other spellings of each fold below U+0500, found once (a
	 * program builds its prefilters at start, single-threaded). */
	static uint16_t inv[0x500][4];
	static uint8_t ninv[0x500];
	static bool ready;
	size_t n = 0;

	if (!ready) {
		for (uint32_t c = 0; c < 0x500; c++) {
			uint32_t g = fold_case(c);

			if (g == c || g >= 0x500 || ninv[g] == UINT8_MAX)
				continue;
			if (ninv[g] == 4)
				ninv[g] = UINT8_MAX;	/* more: the slow way */
			else
				inv[g][ninv[g]++] = (uint16_t)c;
		}
		ready = true;
	}
	out[n++] = f;
	if (!caseless)
		return n;
	if (f < 0x500 && ninv[f] != UINT8_MAX)
		for (size_t i = 0; i < ninv[f] && n < cap; i++)
			out[n++] = inv[f][i];
	else
		for (uint32_t c = 0; c < 0x500 && n < cap; c++)
			if (c != f && fold_case(c) == f)
				out[n++] = c;
	for (size_t i = 0; i < sizeof extra / sizeof extra[0] && n < cap; i++)
		if (extra[i] != f && fold_case(extra[i]) == f)
			out[n++] = extra[i];
	return n;
}

static void
add_start(struct prefilter *pf, const unsigned char *b, size_t n, size_t lit)
{
	uint16_t pair = (uint16_t)(b[0] << 8 | b[1]);

	if (n < 4)
		BIT_SET(pf->short_pairs, pair);
	else {
		uint32_t q;

		memcpy(&q, b, 4);
		BIT_SET(pf->quads, quad_hash(q));
	}
	BIT_SET(pf->pairs, pair);
	/* Duplicates (spellings that differ after the second byte) are
	 * dropped after sorting. */
	if (pf->nstart == pf->startcap) {
		pf->startcap = pf->startcap ? 2 * pf->startcap : 256;
		pf->start = xrealloc(pf->start, pf->startcap * sizeof *pf->start);
	}
	pf->start[pf->nstart++] = (struct start){ pair, (uint16_t)lit };
}

/* Every spelling of the first characters of literal LIT, up to four bytes
 * (k characters done, n bytes in b so far). */
static void
add_spellings(struct prefilter *pf, size_t lit, size_t k, unsigned char *b,
    size_t n)
{
	const struct literal *l = &pf->lit[lit];
	uint32_t v[16];
	size_t nv;

	if (n >= 4 || k == l->n) {
		add_start(pf, b, n, lit);
		return;
	}
	nv = case_variants(l->cp[k], pf->caseless, v, 16);
	for (size_t i = 0; i < nv; i++) {
		unsigned char e[8];

		memcpy(e, b, n);
		add_spellings(pf, lit, k + 1, e, n + utf8_encode(v[i], e + n));
	}
}

static int
start_cmp(const void *a, const void *b)
{
	const struct start *x = a, *y = b;

	if (x->pair != y->pair)
		return x->pair < y->pair ? -1 : 1;
	return (x->lit > y->lit) - (x->lit < y->lit);
}

/* Sort the start entries and drop the repeated ones. */
static void
sort_starts(struct prefilter *pf)
{
	size_t k = 0;

	qsort(pf->start, pf->nstart, sizeof *pf->start, start_cmp);
	for (size_t i = 0; i < pf->nstart; i++)
		if (k == 0 || pf->start[i].pair != pf->start[k - 1].pair ||
		    pf->start[i].lit != pf->start[k - 1].lit)
			pf->start[k++] = pf->start[i];
	pf->nstart = k;
}

struct prefilter *
prefilter_new(const char *src, size_t len, bool caseless)
{
	struct parse ps = { (const unsigned char *)src,
	    (const unsigned char *)src + len, caseless, false, 0 };
	struct litset *set = xmalloc(sizeof *set);
	struct prefilter *pf;

	if (!alternation(&ps, set) || ps.p != ps.end || min_chars(set) < 2) {
		free(set);
		return NULL;
	}
	pf = xcalloc(1, sizeof *pf);
	pf->caseless = caseless;
	pf->nlit = set->n;
	pf->lit = xmalloc(set->n * sizeof set->lit[0]);
	memcpy(pf->lit, set->lit, set->n * sizeof set->lit[0]);
	free(set);
	for (size_t i = 0; i < pf->nlit; i++)
		pf->lit[i].owner = 0;
	pf->owners = 1;
	for (size_t i = 0; i < pf->nlit; i++)
		add_spellings(pf, i, 0, (unsigned char[8]){ 0 }, 0);
	sort_starts(pf);
	return pf;
}

/* Does literal L occur at s (n bytes available)? */
static bool
literal_at(const struct prefilter *pf, const struct literal *l,
    const unsigned char *s, size_t n)
{
	size_t at = 0;

	for (size_t k = 0; k < l->n; k++) {
		uint32_t cp;
		size_t len;

		if (at >= n)
			return false;
		len = utf8_decode(s + at, n - at, &cp);
		if (len == 0)
			return false;
		if ((pf->caseless ? fold_case(cp) : cp) != l->cp[k])
			return false;
		at += len;
	}
	return true;
}

/* The owners of the literals found in S (bit k: pattern k of a merged
 * prefilter; bit 0 of a single one).  An owner found is not looked for
 * again; with FIRST, the first literal found ends the scan. */
static uint64_t
scan(const struct prefilter *pf, const char *str, size_t n, bool first)
{
	const unsigned char *s = (const unsigned char *)str;
	uint64_t found = 0;

	if (n < 2)
		return 0;	/* every literal is at least two bytes */
	for (size_t i = 0; i + 1 < n; i++) {
		unsigned pair = (unsigned)s[i] << 8 | s[i + 1];
		size_t lo, hi;

		if (!BIT_TEST(pf->pairs, pair))
			continue;
		if (!BIT_TEST(pf->short_pairs, pair)) {
			uint32_t q;

			if (i + 4 > n)
				continue;	/* no room for the literal */
			memcpy(&q, s + i, 4);
			if (!BIT_TEST(pf->quads, quad_hash(q)))
				continue;
		}
		/* The first start entry with this pair. */
		lo = 0, hi = pf->nstart;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (pf->start[mid].pair < pair)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < pf->nstart && pf->start[lo].pair == pair; lo++) {
			const struct literal *l = &pf->lit[pf->start[lo].lit];
			uint64_t bit = (uint64_t)1 << l->owner;

			if (!(found & bit) && literal_at(pf, l, s + i, n - i)) {
				found |= bit;
				if (first || found == pf->owners)
					return found;
			}
		}
	}
	return found;
}

bool
prefilter_may_match(const struct prefilter *pf, const char *str, size_t n)
{
	return scan(pf, str, n, true) != 0;
}

struct prefilter *
prefilter_merge(const struct prefilter *const *pfs, size_t n)
{
	struct prefilter *pf;
	size_t total = 0;

	if (n == 0 || n > 64)
		return NULL;
	for (size_t k = 0; k < n; k++) {
		if (pfs[k] == NULL || pfs[k]->caseless != pfs[0]->caseless)
			return NULL;
		total += pfs[k]->nlit;
	}
	pf = xcalloc(1, sizeof *pf);
	pf->caseless = pfs[0]->caseless;
	pf->lit = xmalloc(total * sizeof *pf->lit);
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < pfs[k]->nlit; i++) {
			pf->lit[pf->nlit] = pfs[k]->lit[i];
			pf->lit[pf->nlit++].owner = (unsigned)k;
		}
	pf->owners = n == 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
	for (size_t i = 0; i < pf->nlit; i++)
		add_spellings(pf, i, 0, (unsigned char[8]){ 0 }, 0);
	sort_starts(pf);
	return pf;
}

uint64_t
prefilter_owners(const struct prefilter *pf, const char *s, size_t n)
{
	return scan(pf, s, n, false);
}

size_t
prefilter_count(const struct prefilter *pf)
{
	return pf->nlit;
}

const char *
prefilter_literal(const struct prefilter *pf, size_t i, char *buf, size_t cap)
{
	size_t at = 0;

	for (size_t k = 0; k < pf->lit[i].n; k++) {
		unsigned char e[4];
		size_t len = utf8_encode(pf->lit[i].cp[k], e);

		if (at + len >= cap)
			break;
		memcpy(buf + at, e, len);
		at += len;
	}
	buf[at] = '\0';
	return buf;
}

void
prefilter_free(struct prefilter *pf)
{
	if (pf == NULL)
		return;
	free(pf->lit);
	free(pf->start);
	free(pf);
}
