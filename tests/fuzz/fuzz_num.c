/* fuzz_num.c — counts, money, exact rounding.
 *
 * Checks parse_count against a plain reading of common.md (groups of
 * digits split by single separators; three digits after the last one:
 * thousands; otherwise the last group is a fraction, dropped; at most
 * COUNT_MAX); parse_money within range and through fmt_money and back;
 * parse_uint agrees with parse_count on digits; div_round_half_up,
 * div_floor, div_ceil against 128-bit arithmetic on bounded operands.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "num.h"

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

static size_t
sep_len(const char *p, size_t n)
{
	if (strchr(" ,.'_", p[0]) != NULL && p[0] != '\0')
		return 1;
	if (n >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
		return 2;
	if (n >= 3 && memcmp(p, "\xE2\x80\xAF", 3) == 0)
		return 3;
	return 0;
}

/* The rule of common.md, slowly: -1 or the value. */
static long long
ref_count(const char *p, size_t n)
{
	char digits[8192];
	size_t nd = 0, last = 0, ngroups = 0, i = 0;

	while (n > 0 && is_ws(p[0]))
		p++, n--;
	while (n > 0 && is_ws(p[n - 1]))
		n--;
	if (n == 0)
		return -1;
	for (;;) {
		size_t g = 0;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			digits[nd++] = p[i++], g++;
		if (g == 0)
			return -1;
		ngroups++;
		last = g;
		if (i == n)
			break;
		size_t k = sep_len(p + i, n - i);
		if (k == 0 || i + k == n)
			return -1;
		i += k;
	}
	if (ngroups > 1 && last != 3)
		nd -= last;		/* a fraction */
	unsigned __int128 v = 0;
	for (size_t j = 0; j < nd; j++) {
		v = v * 10 + (unsigned)(digits[j] - '0');
		if (v > COUNT_MAX)
			return -1;
	}
	return (long long)v;
}

static int64_t
get64(const uint8_t *p)
{
	int64_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct str s = { (const char *)data, size };
	long long v, c, c2;
	char buf[64];

	if (size > 4096)
		return 0;
	long long want = ref_count(s.p, s.n);
	int rc = parse_count(s, &v);
	FUZZ_CHECK((rc == 0) == (want >= 0), "parse_count %d, expected %lld", rc,
	    want);
	FUZZ_CHECK(rc != 0 || v == want, "parse_count %lld, expected %lld", v, want);

	if (parse_money(s, &c) == 0) {
		FUZZ_CHECK(c >= 0 && c <= COUNT_MAX, "money %lld", c);
		size_t n = fmt_money(buf, c);
		FUZZ_CHECK(n == strlen(buf), "fmt_money length");
		FUZZ_CHECK(parse_money(str_of(buf), &c2) == 0 && c2 == c,
		    "money %lld -> '%s' -> %lld", c, buf, c2);
	}

	if (size < sizeof buf) {
		memcpy(buf, data, size);
		buf[size] = '\0';
		if (strlen(buf) == size && parse_uint(buf, &v) == 0)
			FUZZ_CHECK(v >= 0 && v <= COUNT_MAX && ref_count(buf, size) == v,
			    "parse_uint %lld", v);
	}

	if (size >= 16) {
		/* Operands within what programs use: |value| <= 10^15, den <= 10^9. */
		long long a = get64(data) % 1000000000000000LL;
		long long b = get64(data + 8) % 1000000000LL;
		if (b < 0)
			b = -b;
		if (b == 0)
			b = 1;
		__int128 q = (__int128)a / b, r = (__int128)a % b;
		long long fl = (long long)(r != 0 && a < 0 ? q - 1 : q);
		long long ce = (long long)(r != 0 && a > 0 ? q + 1 : q);
		FUZZ_CHECK(div_floor(a, b) == fl, "div_floor(%lld, %lld)", a, b);
		FUZZ_CHECK(div_ceil(a, b) == ce, "div_ceil(%lld, %lld)", a, b);
		/* Half up, away from zero: |a|/b + 1/2, truncated, with a's sign. */
		__int128 m = (a < 0 ? -(__int128)a : a);
		long long hu = (long long)((2 * m + b) / (2 * (__int128)b));
		if (a < 0)
			hu = -hu;
		FUZZ_CHECK(div_round_half_up(a, b) == hu,
		    "div_round_half_up(%lld, %lld) = %lld, expected %lld", a, b,
		    div_round_half_up(a, b), hu);
		size_t n = fmt_tenths(buf, a / 1000, b);
		FUZZ_CHECK(n == strlen(buf) && n > 2 && buf[n - 2] == '.',
		    "fmt_tenths '%s'", buf);
	}
	return 0;
}
