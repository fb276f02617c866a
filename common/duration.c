/* duration.c — policy durations. */
#include <stdbool.h>

#include "duration.h"

static bool
unit_is(struct str u, const char *name)
{
	return str_eq_cstr_ci(u, name);
}

int
duration_parse(struct str s, struct duration *d)
{
	s = str_trim(s);
	d->kind = DUR_NONE;
	d->n = 0;
	if (s.n == 0)
		return 0;
	if (unit_is(s, "eod")) {
		d->kind = DUR_EOD;
		return 0;
	}
	size_t i = 0;
	int64_t n = 0;
	while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9') {
		n = n * 10 + (s.p[i] - '0');
		if (n > DURATION_MAX_N)
			return -1;
		i++;
	}
	if (i == 0)
		return -1;
	struct str u = { s.p + i, s.n - i };
	if (unit_is(u, "m")) {
		d->kind = DUR_REAL;
		d->n = n * 60;
	} else if (unit_is(u, "h")) {
		d->kind = DUR_REAL;
		d->n = n * 3600;
	} else if (unit_is(u, "d")) {
		d->kind = DUR_REAL;
		d->n = n * 86400;
	} else if (unit_is(u, "bh")) {
		d->kind = DUR_BH;
		d->n = n * 3600;
	} else if (unit_is(u, "bd")) {
		d->kind = n == 0 ? DUR_EOD : DUR_BD;
		d->n = n;
	} else
		return -1;
	return 0;
}

int
duration_apply(const struct duration *d, const struct hours *h, tstamp t,
    tstamp *out)
{
	switch (d->kind) {
	case DUR_REAL:
		*out = t + d->n;
		return 0;
	case DUR_BH:
		return hours_add(h, t, d->n, out);
	case DUR_BD:
		return hours_add_days(h, t, d->n, out);
	case DUR_EOD:
		return hours_eod(h, t, out);
	default:
		*out = t;
		return -1;
	}
}
