/* str.c — field views. */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "str.h"

struct str
str_of(const char *s)
{
	return (struct str){ s, strlen(s) };
}

bool
str_eq(struct str a, struct str b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

/* Eight bytes at p, any alignment. */
static inline uint64_t
load64(const char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* The last n < 8 bytes, zero-extended. */
static inline uint64_t
load_short(const char *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)(unsigned char)p[i] << (8 * i);
	return v;
}

/* ASCII A-Z to a-z in all eight bytes at once: a byte is upper case when
 * its low seven bits are >= 'A' and <= 'Z' and its high bit is clear. */
static inline uint64_t
lower64(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t low7 = x & (0x7F * ones);
	uint64_t ge_a = low7 + (0x80 - 'A') * ones;
	uint64_t gt_z = low7 + (0x80 - 'Z' - 1) * ones;
	uint64_t upper = ge_a & ~gt_z & ~x & (0x80 * ones);

	return x | upper >> 2;
}

bool
str_eq_ci(struct str a, struct str b)
{
	size_t i = 0;

	if (a.n != b.n)
		return false;
	if (a.n < 8) {
		/* Short codes mostly differ in the first byte. */
		for (; i < a.n; i++) {
			unsigned char x = (unsigned char)a.p[i];
			unsigned char y = (unsigned char)b.p[i];

			if (x != y && ((x | 32) != (y | 32) ||
			    (unsigned char)((x | 32) - 'a') > 'z' - 'a'))
				return false;
		}
		return true;
	}
	/* Eight bytes at a time, then the last eight (overlapping). */
	for (; i + 8 <= a.n; i += 8)
		if (lower64(load64(a.p + i)) != lower64(load64(b.p + i)))
			return false;
	if (i == a.n)
		return true;
	return lower64(load64(a.p + a.n - 8)) == lower64(load64(b.p + b.n - 8));
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

static inline size_t utf8_char(const unsigned char *p, const unsigned char *e);

char *
str_msg(char *buf, size_t cap, struct str s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s.p;
	size_t j = 0, used;

	for (size_t i = 0; i < s.n; i += used) {
		unsigned char c = p[i];
		char e[4];
		size_t k = 0;

		used = 1;
		if (c == '\n' || c == '\r' || c == '\t' || c == '\\') {
			e[k++] = '\\';
			e[k++] = c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : '\\';
		} else if (c < 0x20 || c == 0x7f) {
			e[k++] = '\\';
			e[k++] = 'x';
			e[k++] = hex[c >> 4];
			e[k++] = hex[c & 15];
		} else if (c >= 0x80 && (used = utf8_char(p + i, p + s.n)) > 1) {
			/* A character is kept or cut whole: a message of UTF-8
			 * text stays UTF-8. */
			memcpy(e, p + i, used);
			k = used;
		} else {
			used = 1;	/* a byte that starts no character */
			e[k++] = (char)c;
		}
		if (j + k + 4 > cap) {		/* room for "..." and the NUL */
			memcpy(buf + j, "...", 3);
			j += 3;
			break;
		}
		memcpy(buf + j, e, k);
		j += k;
	}
	buf[j] = '\0';
	return buf;
}

/* The character at p (p < e): its length, or 0 when it is not valid
 * UTF-8 (an overlong form, a surrogate, past U+10FFFF, cut short). */
static inline size_t
utf8_char(const unsigned char *p, const unsigned char *e)
{
	unsigned c = *p;

	if (c < 0x80)
		return 1;
	size_t n;
	unsigned lo = 0x80, hi = 0xBF;	/* range of the second byte */
	if (c >= 0xC2 && c <= 0xDF)
		n = 1;
	else if (c >= 0xE0 && c <= 0xEF) {
		n = 2;
		if (c == 0xE0)
			lo = 0xA0;		/* no overlong forms */
		else if (c == 0xED)
			hi = 0x9F;		/* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 3;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;		/* up to U+10FFFF */
	} else
		return 0;
	if ((size_t)(e - p) <= n || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i <= n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return n + 1;
}

bool
str_utf8_valid(struct str s)
{
	const unsigned char *p = (const unsigned char *)s.p, *e = p + s.n;

#ifdef __SSE2__
	/* Sixteen bytes a step while they are ASCII and two-byte sequences
	 * (Latin, Lithuanian and Cyrillic letters: the texts of a program's
	 * patterns are checked, and this is 2-3x faster than a character at
	 * a time).  Every block starts at a character. */
	while (e - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)p);
		unsigned high = (unsigned)_mm_movemask_epi8(v);
		if (high == 0) {
			p += 16;
			continue;
		}
		/* As signed bytes, 0x80..0xBF (continuations) are below -64
		 * and 0xC2..0xDF (leads of two bytes) from -62 to -33. */
		unsigned cont = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v,
		    _mm_set1_epi8(-64)));
		unsigned lead = (unsigned)_mm_movemask_epi8(_mm_and_si128(
		    _mm_cmpgt_epi8(v, _mm_set1_epi8(-63)),
		    _mm_cmplt_epi8(v, _mm_set1_epi8(-32))));
		if ((cont | lead) == high) {
			/* Each lead followed by a continuation, each
			 * continuation after a lead; a lead in the last byte
			 * starts the next block. */
			if (cont != ((lead << 1) & 0xFFFF))
				return false;
			p += 16 - (lead >> 15);
			continue;
		}
		/* Longer sequences, or bytes that are never UTF-8: through
		 * this block a character at a time. */
		const unsigned char *end = p + 16;
		while (p < end) {
			size_t n = utf8_char(p, e);
			if (n == 0)
				return false;
			p += n;
		}
	}
#endif
	while (p < e) {
		size_t n = utf8_char(p, e);
		if (n == 0)
			return false;
		p += n;
	}
	return true;
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

/* Eight bytes a step (the tail is the last eight, overlapping, or the
 * short rest), mixed by multiplication; hash_finish() spreads the bits.
 * The length is in the seed, so the overlap cannot make two strings
 * alike. */
static inline uint64_t
hash_words(struct str s, bool ci)
{
	const uint64_t k = 0x9E3779B97F4A7C15ULL;
	uint64_t h = 1469598103934665603ULL ^ (s.n * k);
	size_t i = 0;

	for (; i + 8 <= s.n; i += 8) {
		uint64_t w = load64(s.p + i);
		h = (h ^ (ci ? lower64(w) : w)) * k;
		h ^= h >> 29;
	}
	if (i < s.n) {
		uint64_t w = s.n >= 8 ? load64(s.p + s.n - 8)
		    : load_short(s.p, s.n);
		h = (h ^ (ci ? lower64(w) : w)) * k;
		h ^= h >> 29;
	}
	return hash_finish(h);
}

uint64_t
str_hash(struct str s)
{
	return hash_words(s, false);
}

uint64_t
str_hash_ci(struct str s)
{
	return hash_words(s, true);
}
