/* num.c — counts with digit grouping, money in cents, exact rounding. */
#include <stdio.h>
#include <string.h>

#include "num.h"

/* Length of a separator at p (0 if none): space, no-break space (UTF-8
 * C2 A0, or narrow U+202F E2 80 AF), ',', '.', '\'', '_'. */
static size_t
separator(const char *p, size_t n)
{
	switch (p[0]) {
	case ' ': case ',': case '.': case '\'': case '_':
		return 1;
	}
	if (n >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
		return 2;
	if (n >= 3 && (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
	    (unsigned char)p[2] == 0xAF)
		return 3;
	return 0;
}

int
parse_count(struct str s, long long *out)
{
	long long whole = 0, group = 0;
	size_t i = 0, gdigits = 0, ngroups = 0;
	bool overflow = false;

	s = str_trim(s);
	if (s.n == 0)
		return -1;
	/* Groups of digits separated by single separators. */
	for (;;) {
		gdigits = 0;
		group = 0;
		while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9') {
			if (group <= COUNT_MAX)
				group = group * 10 + (s.p[i] - '0');
			gdigits++;
			i++;
		}
		if (gdigits == 0)
			return -1;
		ngroups++;
		if (i == s.n)
			break;
		size_t k = separator(s.p + i, s.n - i);
		if (k == 0)
			return -1;
		i += k;
		if (i == s.n)
			return -1;	/* "12." */
		/* The previous group joins the whole part. */
		for (size_t d = 0; d < gdigits && !overflow; d++)
			if ((whole = whole * 10) > COUNT_MAX)
				overflow = true;
		if (!overflow)
			whole += group;
	}
	if (ngroups == 1)
		whole = group;
	else if (gdigits == 3) {
		/* Three digits after the last separator: thousands. */
		for (int d = 0; d < 3 && !overflow; d++)
			if ((whole = whole * 10) > COUNT_MAX)
				overflow = true;
		if (!overflow)
			whole += group;
	}
	/* Otherwise the last group is a fraction, dropped, however long. */
	if (overflow || whole > COUNT_MAX)
		return -1;
	*out = whole;
	return 0;
}

int
parse_uint(const char *s, long long *out)
{
	long long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > COUNT_MAX)
			return -1;
	}
	*out = v;
	return 0;
}

int
parse_money(struct str s, long long *cents)
{
	long long v = 0;
	size_t i = 0, frac = 0;

	s = str_trim(s);
	if (s.n == 0)
		return -1;
	while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9') {
		v = v * 10 + (s.p[i] - '0');
		if (v > COUNT_MAX / 100)
			return -1;
		i++;
	}
	if (i == 0)
		return -1;
	v *= 100;
	if (i < s.n && (s.p[i] == '.' || s.p[i] == ',')) {
		i++;
		while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9' && frac < 2) {
			v += (s.p[i] - '0') * (frac == 0 ? 10 : 1);
			frac++;
			i++;
		}
		if (frac == 0)
			return -1;
	}
	if (i != s.n)
		return -1;
	*cents = v;
	return 0;
}

size_t
fmt_int(char *buf, long long v)
{
	/* Two digits a step: half the divisions of one at a time. */
	static const char pairs[201] =
	    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	    "8081828384858687888990919293949596979899";
	char tmp[24], *e = tmp + sizeof tmp, *p = e;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v
	    : (unsigned long long)v;
	size_t n;

	while (u >= 100) {
		unsigned k = (unsigned)(u % 100) * 2;

		u /= 100;
		*--p = pairs[k + 1];
		*--p = pairs[k];
	}
	if (u >= 10) {
		*--p = pairs[u * 2 + 1];
		*--p = pairs[u * 2];
	} else
		*--p = (char)('0' + u);
	if (v < 0)
		*--p = '-';
	n = (size_t)(e - p);
	memcpy(buf, p, n);
	buf[n] = '\0';
	return n;
}

size_t
fmt_money(char *buf, long long cents)
{
	const char *sign = cents < 0 ? "-" : "";
	unsigned long long a = cents < 0 ? 0ULL - (unsigned long long)cents
	    : (unsigned long long)cents;

	return (size_t)snprintf(buf, 32, "%s%llu.%02llu", sign, a / 100, a % 100);
}

long long
div_floor(long long a, long long b)
{
	long long q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

long long
div_ceil(long long a, long long b)
{
	return -div_floor(-a, b);
}

long long
div_round_half_up(long long value, long long den)
{
	/* Halves away from zero: 2.5 -> 3, -2.5 -> -3. */
	if (value >= 0)
		return (value * 2 + den) / (den * 2);
	return -((-value * 2 + den) / (den * 2));
}

size_t
fmt_tenths(char *buf, long long value, long long den)
{
	long long t = div_round_half_up(value * 10, den);
	char tmp[24];
	size_t n = 0, len = 0;
	unsigned long long a = t < 0 ? 0ULL - (unsigned long long)t
	    : (unsigned long long)t;

	/* By hand: this runs once per row in complaint-sla. */
	tmp[n++] = (char)('0' + a % 10);
	tmp[n++] = '.';
	a /= 10;
	do {
		tmp[n++] = (char)('0' + a % 10);
		a /= 10;
	} while (a > 0);
	if (t < 0)
		buf[len++] = '-';
	while (n > 0)
		buf[len++] = tmp[--n];
	buf[len] = '\0';
	return len;
}
