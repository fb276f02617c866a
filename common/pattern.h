/* pattern.h — PCRE2 patterns: compiled once (UTF, Unicode properties,
 * caseless unless asked otherwise), match data created once, bounded
 * matching, safe on invalid UTF-8 subjects. */
#ifndef AS_PATTERN_H
#define AS_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

#define PATTERN_MATCH_LIMIT 1000000
#define PATTERN_DEPTH_LIMIT 10000

struct pattern;

/* Compile SRC.  On error: fatal "WHAT: bad pattern at offset N: MESSAGE". */
struct pattern *pattern_compile(const char *src, size_t len, bool caseless,
    const char *what);
/* Like pattern_compile, but returns NULL and fills msg (cap bytes) on error. */
struct pattern *pattern_try_compile(const char *src, size_t len, bool caseless,
    char *msg, size_t cap);
/* 1 match, 0 no match, -1 a match or depth limit was hit (or another error). */
int pattern_match(struct pattern *p, const char *s, size_t n);
const char *pattern_source(const struct pattern *p);

/* Patterns tried in order, the first that matches wins (component
 * patterns): the literals of all of them are looked for in one scan of
 * the text, and only the patterns whose literals occur are run. */
struct pattern_list;
struct pattern_list *pattern_list_new(struct pattern *const *p, size_t n);
/* The index of the first pattern that matches S, -1 none, -2 when
 * pattern *failed hit a limit before any earlier one matched. */
int pattern_list_first(struct pattern_list *l, const char *s, size_t n,
    size_t *failed);
/* Frees the list, not its patterns. */
void pattern_list_free(struct pattern_list *l);
void pattern_free(struct pattern *p);

#endif
