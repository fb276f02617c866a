/* fuzz_pattern.c — the PCRE2 wrapper on arbitrary patterns and subjects.
 *
 * Input: byte 0 bit 0 = caseless; byte 1 = pattern length; then the
 * pattern, then the subject (any bytes: invalid UTF-8, NUL).  Checks: a
 * pattern compiles or gives a message with an offset; matching returns 1,
 * 0 or -1 (limit), twice the same (match data reused), and ends (the
 * run's -timeout catches a hang); the literal prefilter never turns a
 * match of PCRE2 into "no match" (the same pattern, matched by PCRE2
 * directly, decides).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pattern.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char msg[320];

	if (size < 2)
		return 0;
	bool caseless = data[0] & 1;
	size_t plen = data[1];
	if (plen > size - 2)
		plen = size - 2;
	const char *pat = (const char *)data + 2;
	const char *subj = pat + plen;
	size_t slen = size - 2 - plen;

	msg[0] = '\0';
	struct pattern *p = pattern_try_compile(pat, plen, caseless, msg, sizeof msg);
	if (p == NULL) {
		FUZZ_CHECK(strncmp(msg, "bad pattern at offset ", 22) == 0,
		    "message '%s'", msg);
		return 0;
	}
	FUZZ_CHECK(strlen(pattern_source(p)) <= plen &&
	    memcmp(pattern_source(p), pat, strlen(pattern_source(p))) == 0,
	    "pattern_source");
	int r1 = pattern_match(p, subj, slen);
	FUZZ_CHECK(r1 >= -1 && r1 <= 1, "pattern_match %d", r1);
	int r2 = pattern_match(p, subj, slen);
	FUZZ_CHECK(r1 == r2, "pattern_match %d then %d", r1, r2);
	if (r1 == 0) {
		int err;
		PCRE2_SIZE off;
		pcre2_code *raw = pcre2_compile((PCRE2_SPTR)pat, plen, PCRE2_UTF |
		    PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | (caseless ?
		    PCRE2_CASELESS : 0), &err, &off, NULL);
		FUZZ_CHECK(raw != NULL, "compiles once, not twice");
		/* The same engine as pattern_match(): PCRE2 10.42's interpreter
		 * and JIT disagree on some subjects (\Z before invalid UTF-8:
		 * "\0*+!!!!\Z" on "!!!!!\xfd\x04" matches in the interpreter
		 * only), and the question here is the prefilter's. */
		(void)pcre2_jit_compile(raw, PCRE2_JIT_COMPLETE);
		pcre2_match_data *md = pcre2_match_data_create(1, NULL);
		pcre2_match_context *mc = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(mc, PATTERN_MATCH_LIMIT);
		pcre2_set_depth_limit(mc, PATTERN_DEPTH_LIMIT);
		int rc = pcre2_match(raw, (PCRE2_SPTR)subj, slen, 0, 0, md, mc);
		FUZZ_CHECK(rc < 0, "PCRE2 matches, pattern_match says no: "
		    "the prefilter missed");
		pcre2_match_context_free(mc);
		pcre2_match_data_free(md);
		pcre2_code_free(raw);
	}
	pattern_free(p);
	return 0;
}
