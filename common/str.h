/* str.h — byte strings that are not NUL-terminated (fields). */
#ifndef AS_STR_H
#define AS_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct str {
	const char *p;
	size_t n;
};

#define STR_C(s) ((struct str){ (s), sizeof(s) - 1 })

struct str str_of(const char *s);
/* Without surrounding ASCII white space (space, tab, CR, LF, VT, FF).
 * Inline: called for nearly every field. */
static inline bool
str_is_ws(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static inline struct str
str_trim(struct str s)
{
	while (s.n > 0 && str_is_ws((unsigned char)s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && str_is_ws((unsigned char)s.p[s.n - 1]))
		s.n--;
	return s;
}
bool str_eq(struct str a, struct str b);
/* Equal ignoring ASCII case. */
bool str_eq_ci(struct str a, struct str b);
bool str_eq_cstr_ci(struct str a, const char *b);
int str_cmp(struct str a, struct str b);	/* bytewise, shorter first */
/* Split at the next sep byte: the token before it; *rest advances past it.
 * Returns false when *rest is exhausted (no token). */
bool str_next_token(struct str *rest, char sep, struct str *tok);
/* Eight bytes at a time, then the murmur3 finaliser so that every bit of
 * the result is usable (hash tables index by the low bits). */
uint64_t str_hash(struct str s);
/* The same, with ASCII letters folded to lower case. */
uint64_t str_hash_ci(struct str s);
/* NUL-terminated copy into buf of size cap (truncated); returns buf. */
char *str_cpy(char *buf, size_t cap, struct str s);
/* S for a one-line message, into buf of size cap (>= 8), NUL-terminated:
 * control bytes written as \n, \r, \t or \xHH (a value must not move the
 * terminal's cursor or break the line of a message), a backslash as \\,
 * and a value too long for buf cut with "...".  Returns buf. */
char *str_msg(char *buf, size_t cap, struct str s);
/* Is S valid UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF)?  With SSE2, ASCII and two-byte sequences sixteen bytes at a
 * time. */
bool str_utf8_valid(struct str s);

#endif
