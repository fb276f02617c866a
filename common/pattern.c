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

int
pattern_match(struct pattern *p, const char *s, size_t n)
{
	int rc;

	/* Most texts contain none of the pattern's literals: no need to run
	 * the pattern at each of their letters. */
	if (p->pf != NULL && !prefilter_may_match(p->pf, s, n))
		return 0;
	rc = pcre2_match(p->code, (PCRE2_SPTR)s, n, 0, 0, p->md, p->mc);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return -1;	/* match, depth or heap limit, or another error */
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
