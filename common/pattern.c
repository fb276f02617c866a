/* pattern.c — PCRE2 patterns, compiled once, matched with limits. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "pattern.h"
#include "prefilter.h"
#include "util.h"

struct pattern {
	pcre2_code *code;
	pcre2_match_data *md;		/* created once, reused */
	pcre2_match_context *mc;
	struct prefilter *pf;	/* NULL: the pattern alone decides */
	char *source;
};

struct pattern *
pattern_try_compile(const char *src, size_t len, bool caseless, char *msg,
    size_t cap)
{
	uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
	int err;
	PCRE2_SIZE off;
	pcre2_code *code;
	struct pattern *p;

	if (caseless)
		opts |= PCRE2_CASELESS;
	code = pcre2_compile((PCRE2_SPTR)src, len, opts, &err, &off, NULL);
	if (code == NULL) {
		/* The pointer, not the offset, tells whether it failed. */
		PCRE2_UCHAR text[256];
		pcre2_get_error_message(err, text, sizeof text);
		snprintf(msg, cap, "bad pattern at offset %zu: %s", (size_t)off,
		    (char *)text);
		return NULL;
	}
	/* JIT when the platform has it; the interpreter otherwise.  Both
	 * honour the match limit. */
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	p = xcalloc(1, sizeof *p);
	p->code = code;
	p->md = pcre2_match_data_create_from_pattern(code, NULL);
	p->mc = pcre2_match_context_create(NULL);
	if (p->md == NULL || p->mc == NULL)
		fatal("out of memory");
	pcre2_set_match_limit(p->mc, PATTERN_MATCH_LIMIT);
	pcre2_set_depth_limit(p->mc, PATTERN_DEPTH_LIMIT);
	p->pf = prefilter_new(src, len, caseless);
	p->source = xmemdup(src, len);
	return p;
}

struct pattern *
pattern_compile(const char *src, size_t len, bool caseless, const char *what)
{
	char msg[320];
	struct pattern *p = pattern_try_compile(src, len, caseless, msg, sizeof msg);

	if (p == NULL)
		fatal("%s: %s", what, msg);
	return p;
}

/* PCRE2 alone: 1, 0 or -1 as pattern_match(). */
static int
match_pcre2(struct pattern *p, const char *s, size_t n)
{
	int rc = pcre2_match(p->code, (PCRE2_SPTR)s, n, 0, 0, p->md, p->mc);

	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return -1;	/* match, depth or heap limit, or another error */
}

int
pattern_match(struct pattern *p, const char *s, size_t n)
{
	/* Most texts contain none of the pattern's literals: no need to run
	 * the pattern at each of their letters. */
	if (p->pf != NULL && !prefilter_may_match(p->pf, s, n))
		return 0;
	return match_pcre2(p, s, n);
}

struct pattern_list {
	struct pattern **p;
	size_t n;
	struct prefilter *merged;	/* NULL: each pattern's own */
	int *owner;		/* p[i]'s bit in the merged scan, -1 none */
};

struct pattern_list *
pattern_list_new(struct pattern *const *p, size_t n)
{
	struct pattern_list *l = xcalloc(1, sizeof *l);
	const struct prefilter **pfs = xcalloc(n + 1, sizeof *pfs);
	size_t k = 0;

	l->p = xcalloc(n + 1, sizeof *l->p);
	l->owner = xcalloc(n + 1, sizeof *l->owner);
	l->n = n;
	for (size_t i = 0; i < n; i++) {
		l->p[i] = p[i];
		l->owner[i] = -1;
		if (p[i]->pf != NULL && k < 64) {
			l->owner[i] = (int)k;
			pfs[k++] = p[i]->pf;
		}
	}
	if (k > 1)
		l->merged = prefilter_merge(pfs, k);
	if (l->merged == NULL)
		for (size_t i = 0; i < n; i++)
			l->owner[i] = -1;
	free(pfs);
	return l;
}

int
pattern_list_first(struct pattern_list *l, const char *s, size_t n,
    size_t *failed)
{
	uint64_t may = l->merged ? prefilter_owners(l->merged, s, n) : 0;

	for (size_t i = 0; i < l->n; i++) {
		int m;

		if (l->owner[i] >= 0) {
			if (!(may >> l->owner[i] & 1))
				continue;
			m = match_pcre2(l->p[i], s, n);
		} else
			m = pattern_match(l->p[i], s, n);
		if (m == 1)
			return (int)i;
		if (m == -1) {
			*failed = i;
			return -2;
		}
	}
	return -1;
}

void
pattern_list_free(struct pattern_list *l)
{
	if (l == NULL)
		return;
	prefilter_free(l->merged);
	free(l->p);
	free(l->owner);
	free(l);
}

const char *
pattern_source(const struct pattern *p)
{
	return p->source;
}

void
pattern_free(struct pattern *p)
{
	if (p == NULL)
		return;
	pcre2_match_data_free(p->md);
	pcre2_match_context_free(p->mc);
	pcre2_code_free(p->code);
	prefilter_free(p->pf);
	free(p->source);
	free(p);
}
