/* num.h — counts and kilometres with digit grouping, money in cents,
 * exact decimal figures. */
#ifndef AS_NUM_H
#define AS_NUM_H

#include <stddef.h>

#include "str.h"

#define COUNT_MAX 999999999999999LL	/* larger counts are rejected */

/* A non-negative integer with optional separators (space, no-break space,
 * ',', '.', '\'', '_'): three digits after the last separator group
 * thousands, otherwise the last separator starts a fraction (dropped).
 * Trims.  0 or -1. */
int parse_count(struct str s, long long *out);
/* A plain non-negative integer, digits only (option values).  0 or -1. */
int parse_uint(const char *s, long long *out);
/* Money: digits, optionally '.' or ',' and one or two fraction digits.
 * Trims.  0 or -1. */
int parse_money(struct str s, long long *cents);
/* Cents as a decimal with two fraction digits ("-12.50"); returns length. */
/* V in decimal into buf (room for 21 bytes: "-9223372036854775808" and
 * a NUL); returns the length. */
size_t fmt_int(char *buf, long long v);
size_t fmt_money(char *buf, long long cents);
/* value/den rounded half up (away from zero for halves), den > 0. */
long long div_round_half_up(long long value, long long den);
/* Floor and ceiling of a/b, b > 0. */
long long div_floor(long long a, long long b);
long long div_ceil(long long a, long long b);
/* value/den with one decimal, rounded half up ("12.5"); returns length. */
size_t fmt_tenths(char *buf, long long value, long long den);

#endif
