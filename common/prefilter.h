/* prefilter.h — a cheap necessary condition before a PCRE2 match.
 *
 * Most patterns of our users are lists of words: `\b(brakes?|тормоз\w*|
 * stabd\w*)\b`.  Every match of such a pattern contains one of a few
 * literals (`brake`, `тормоз`, `stabd`), and most texts contain none of
 * them: a scan for the literals answers "no match" for those texts at a
 * fraction of the cost of running the pattern at every letter (caseless
 * Cyrillic alternatives make every Cyrillic letter a candidate start for
 * PCRE2).  When the scan finds a literal, the pattern decides.
 *
 * The literals are read from the pattern's source for a safe subset of the
 * syntax (literal characters, classes, escapes like \w \b \s, groups,
 * alternatives, quantifiers); anything else (inline options, back
 * references, \Q...\E, verbs, lookaround) gives no prefilter, and the
 * pattern alone decides, as before.  Caseless literals compare by
 * fold_case(), whose table covers the scripts of our users; a character
 * outside it is not used in a literal.
 */
#ifndef AS_PREFILTER_H
#define AS_PREFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct prefilter;

/* The literals of pattern SRC (already compiled by PCRE2 with PCRE2_UTF),
 * or NULL when the pattern is outside the subset or a literal would be
 * shorter than two characters. */
struct prefilter *prefilter_new(const char *src, size_t len, bool caseless);
/* false: no match of the pattern is possible in S; true: maybe. */
bool prefilter_may_match(const struct prefilter *pf, const char *s, size_t n);
/* One prefilter for N <= 64 prefilters (none NULL, all caseless or none):
 * a single scan tells which of them may match.  NULL when they can't be
 * merged. */
struct prefilter *prefilter_merge(const struct prefilter *const *pfs,
    size_t n);
/* Bit k set: a literal of prefilter k of the merge occurs in S (the
 * pattern may match); clear: pattern k cannot match. */
uint64_t prefilter_owners(const struct prefilter *pf, const char *s,
    size_t n);
/* The number of literals, and literal I as UTF-8 (folded) into buf. */
size_t prefilter_count(const struct prefilter *pf);
const char *prefilter_literal(const struct prefilter *pf, size_t i,
    char *buf, size_t cap);
void prefilter_free(struct prefilter *pf);

/* The representative of C's case class under PCRE2's caseless matching
 * (PCRE2_UTF | PCRE2_UCP), for Latin, Latin-1, Latin Extended-A and
 * Cyrillic; every other code point is its own.  fold_case_known() says
 * whether C is in the domain for which the table is complete: every
 * character that PCRE2 matches caselessly with C folds as C does
 * (checked for all of Unicode by tests/unit/prefilter.c). */
uint32_t fold_case(uint32_t c);
bool fold_case_known(uint32_t c);

#endif
