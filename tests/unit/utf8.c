/* Unit test of str_utf8_valid (common/str.c) against a plain decoder, a
 * character at a time: every string of up to three bytes, and random
 * strings made mostly of valid sequences (the fast path's blocks of
 * sixteen bytes, leads on a block's last byte), with errors sprinkled in. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "str.h"

static int failures;

/* The reference: RFC 3629 by code points. */
static bool
reference(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i];
		size_t len = c < 0x80 ? 1 : c >= 0xC0 && c < 0xE0 ? 2 :
		    c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xF0 && c < 0xF8 ? 4 : 0;
		if (len == 0 || i + len > n)
			return false;
		uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (p[i + k] & 0x3F);
		}
		static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
		if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += len;
	}
	return true;
}

static void
check(const unsigned char *p, size_t n)
{
	bool want = reference(p, n);

	if (str_utf8_valid((struct str){ (const char *)p, n }) != want) {
		failures++;
		if (failures <= 10) {
			printf("str_utf8_valid wrong (expected %d) on", want);
			for (size_t i = 0; i < n; i++)
				printf(" %02x", p[i]);
			printf("\n");
		}
	}
}

static uint64_t state = 20261205;

static unsigned
rnd(unsigned n)
{
	state = state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(state >> 33) % n;
}

/* Append one piece: mostly valid characters of every length. */
static size_t
piece(unsigned char *b)
{
	unsigned r = rnd(100);

	if (r < 35) {
		b[0] = (unsigned char)rnd(0x80);
		return 1;
	}
	if (r < 75) {			/* Latin and Cyrillic letters */
		b[0] = (unsigned char)(0xC2 + rnd(30));
		b[1] = (unsigned char)(0x80 + rnd(64));
		return 2;
	}
	if (r < 88) {			/* three bytes, the edges included */
		b[0] = (unsigned char)(0xE0 + rnd(16));
		b[1] = (unsigned char)(0x80 + rnd(64));
		b[2] = (unsigned char)(0x80 + rnd(64));
		return 3;
	}
	if (r < 92) {
		b[0] = (unsigned char)(0xF0 + rnd(5));
		b[1] = (unsigned char)(0x80 + rnd(64));
		b[2] = (unsigned char)(0x80 + rnd(64));
		b[3] = (unsigned char)(0x80 + rnd(64));
		return 4;
	}
	b[0] = (unsigned char)rnd(256);	/* anything, a stray byte */
	return 1;
}

int
main(void)
{
	unsigned char b[256];
	/* Under valgrind (tests/run.sh), the short strings up to two bytes
	 * and fewer random ones. */
	bool slow = getenv("AS_VALGRIND") != NULL;
	unsigned all = slow ? 1u << 16 : 1u << 24;
	int nrandom = slow ? 20000 : 2000000;

	for (unsigned x = 0; x < all; x++) {	/* every string of 1..3 bytes */
		b[0] = (unsigned char)x;
		b[1] = (unsigned char)(x >> 8);
		b[2] = (unsigned char)(x >> 16);
		check(b, x < 256 ? 1 : x < 65536 ? 2 : 3);
	}
	for (int k = 0; k < nrandom; k++) {
		size_t n = 0, want = rnd(80);
		while (n < want && n + 4 < sizeof b)
			n += piece(b + n);
		check(b, n);
		/* the same cut anywhere: a sequence cut short at the end */
		if (n > 0)
			check(b, rnd((unsigned)n));
	}
	if (failures)
		printf("%d failures\n", failures);
	return failures != 0;
}
