/* str.c — field views. */
#include <string.h>

#include "str.h"

static int
is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

struct str
str_of(const char *s)
{
	return (struct str){ s, strlen(s) };
}

struct str
str_trim(struct str s)
{
	while (s.n > 0 && is_ws((unsigned char)s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && is_ws((unsigned char)s.p[s.n - 1]))
		s.n--;
	return s;
}

bool
str_eq(struct str a, struct str b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

static unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

bool
str_eq_ci(struct str a, struct str b)
{
	if (a.n != b.n)
		return false;
	for (size_t i = 0; i < a.n; i++)
		if (lower(a.p[i]) != lower(b.p[i]))
			return false;
	return true;
}

bool
str_eq_cstr_ci(struct str a, const char *b)
{
	return str_eq_ci(a, str_of(b));
}

int
str_cmp(struct str a, struct str b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	int c = n ? memcmp(a.p, b.p, n) : 0;

	if (c != 0)
		return c;
	return a.n < b.n ? -1 : a.n > b.n;
}

bool
str_next_token(struct str *rest, char sep, struct str *tok)
{
	const char *e;

	if (rest->p == NULL)
		return false;
	e = rest->n ? memchr(rest->p, sep, rest->n) : NULL;
	if (e == NULL) {
		*tok = *rest;
		rest->p = NULL;
		rest->n = 0;
		return true;
	}
	tok->p = rest->p;
	tok->n = (size_t)(e - rest->p);
	rest->n -= tok->n + 1;
	rest->p = e + 1;
	return true;
}

char *
str_cpy(char *buf, size_t cap, struct str s)
{
	size_t n = s.n < cap - 1 ? s.n : cap - 1;

	memcpy(buf, s.p, n);
	buf[n] = '\0';
	return buf;
}

static uint64_t
hash_finish(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

uint64_t
str_hash(struct str s)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < s.n; i++)
		h = (h ^ (unsigned char)s.p[i]) * 1099511628211ULL;
	return hash_finish(h);
}

uint64_t
str_hash_ci(struct str s)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < s.n; i++)
		h = (h ^ lower((unsigned char)s.p[i])) * 1099511628211ULL;
	return hash_finish(h);
}
