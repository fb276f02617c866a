/* bytes.h — word-at-a-time helpers for short byte strings (fields): copying
 * without a call, and finding a byte eight at a time.  Header only: they
 * are meant to be inlined in the reader's and the writer's inner loops. */
#ifndef AS_BYTES_H
#define AS_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define BYTES_ONES 0x0101010101010101ULL

/* The high bit of each byte of v that is zero (exact: no false bytes are
 * reported as zero when v has none; which bytes, not used). */
static inline uint64_t
bytes_zero(uint64_t v)
{
	return (v - BYTES_ONES) & ~v & (BYTES_ONES << 7);
}

/* Whether byte c is among the eight bytes of v. */
static inline bool
bytes_has(uint64_t v, unsigned char c)
{
	return bytes_zero(v ^ (BYTES_ONES * c)) != 0;
}

/* Whether byte c may be in the n bytes at p: exact up to 16 bytes (two
 * overlapping words, or one by one), always true beyond (the caller looks). */
static inline bool
bytes_may_have(const char *p, size_t n, unsigned char c)
{
	uint64_t a, b;

	if (n > 16)
		return true;
	if (n < 8) {
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)p[i] == c)
				return true;
		return false;
	}
	memcpy(&a, p, 8);
	memcpy(&b, p + n - 8, 8);
	return bytes_has(a, c) || bytes_has(b, c);
}

/* Copy n bytes from p to d (not overlapping): up to 16 without a call, in
 * two overlapping words; more through memcpy. */
static inline void
bytes_copy(char *d, const char *p, size_t n)
{
	uint64_t a, b;
	uint32_t x, y;

	if (n > 16)
		memcpy(d, p, n);
	else if (n >= 8) {
		memcpy(&a, p, 8);
		memcpy(&b, p + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4) {
		memcpy(&x, p, 4);
		memcpy(&y, p + n - 4, 4);
		memcpy(d, &x, 4);
		memcpy(d + n - 4, &y, 4);
	} else
		for (size_t i = 0; i < n; i++)
			d[i] = p[i];
}

#endif
