/* fuzz_hours.c — business hours (hours.h) and policy durations
 * (duration.h), in Europe/Vilnius.
 *
 * Input: lines: 1 the open-hours spec (empty: 24x7), 2 a duration,
 * 3 a timestamp, then holidays (YYYY-MM-DD or MM-DD), at most 64, and
 * lines "+N" or "-N": instants N minutes from the timestamp (at most 4,
 * within 400 days).
 * Checks: a spec parses into sorted, disjoint windows within the day, or
 * gives a message; a duration parses or not; applied to the timestamp, a
 * deadline is never before it, real time adds exactly, 24x7 business hours
 * add exactly, more business time never ends earlier; the end of the day
 * is on or after the timestamp.
 * hours_between (complaint-sla's pauses), over the timestamp, the instants
 * given, half the duration and the deadline: never negative, 0 when the
 * end is not after the start, never more than the real time between
 * (b - a), exactly b - a in 24x7 without holidays; additive (a..b plus
 * b..c is a..c: so monotone); the open time from the timestamp to a
 * business-hours deadline is the duration; and hours_add of the open time
 * between a and b ends at or before b, with that open time before it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "duration.h"
#include "fuzz.h"
#include "hours.h"

static bool
next_line(struct str *rest, struct str *line)
{
	return str_next_token(rest, '\n', line);
}

#define SPAN_MAX (400LL * 86400)	/* instants within 400 days */

/* hours_between's properties over the instants P[0..N-1]. */
static void
check_between(const struct hours *h, const tstamp *p, int n)
{
	bool plain = !h->set && !h->any_holiday;

	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			tstamp a = p[i], b = p[j];
			int64_t x = hours_between(h, a, b);
			FUZZ_CHECK(x >= 0, "between %lld and %lld: %lld", (long long)a,
			    (long long)b, (long long)x);
			FUZZ_CHECK(b > a || x == 0, "between %lld and the earlier "
			    "%lld: %lld", (long long)a, (long long)b, (long long)x);
			FUZZ_CHECK(x <= (b > a ? b - a : 0), "between %lld and %lld: "
			    "%lld s of open time in %lld s", (long long)a,
			    (long long)b, (long long)x, (long long)(b - a));
			if (plain)
				FUZZ_CHECK(x == (b > a ? b - a : 0), "24x7 between");
			for (int k = 0; k < n; k++) {
				tstamp c = p[k];
				if (!(a <= b && b <= c))
					continue;
				int64_t y = hours_between(h, b, c), z = hours_between(h, a, c);
				FUZZ_CHECK(x + y == z, "between %lld, %lld, %lld: %lld + "
				    "%lld != %lld", (long long)a, (long long)b,
				    (long long)c, (long long)x, (long long)y, (long long)z);
			}
			tstamp e;
			if (x > 0 && hours_add(h, a, x, &e) == 0) {
				FUZZ_CHECK(e <= b, "hours_add(%lld, %lld) = %lld, after "
				    "%lld", (long long)a, (long long)x, (long long)e,
				    (long long)b);
				FUZZ_CHECK(hours_between(h, a, e) == x, "hours_add(%lld, "
				    "%lld) = %lld: %lld s open before it", (long long)a,
				    (long long)x, (long long)e,
				    (long long)hours_between(h, a, e));
			}
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;
	struct str rest = { (const char *)data, size }, spec, dur, when, hol;
	char specbuf[1024], err[256];
	struct hours h;
	struct duration d;
	tstamp t, out, out2;

	if (!init) {
		if (dt_init("Europe/Vilnius", NULL) != 0)
			abort();
		init = true;
	}
	if (size > 2048 || !next_line(&rest, &spec) || !next_line(&rest, &dur) ||
	    !next_line(&rest, &when))
		return 0;
	if (spec.n >= sizeof specbuf || memchr(spec.p, '\0', spec.n) != NULL)
		return 0;
	str_cpy(specbuf, sizeof specbuf, spec);

	hours_init(&h);
	if (spec.n > 0) {
		err[0] = '\0';
		if (hours_parse(&h, specbuf, err, sizeof err) != 0) {
			FUZZ_CHECK(err[0] != '\0', "hours_parse failed without a message");
			hours_free(&h);
			return 0;
		}
		for (int w = 0; w < 7; w++) {
			FUZZ_CHECK(h.nwin[w] >= 0 && h.nwin[w] <= HOURS_MAXWIN, "nwin");
			for (int i = 0; i < h.nwin[w]; i++) {
				const struct hours_window *x = &h.win[w][i];
				FUZZ_CHECK(x->open >= 0 && x->open < x->close &&
				    x->close <= 86400, "window %d-%d", x->open, x->close);
				FUZZ_CHECK(i == 0 || h.win[w][i - 1].close <= x->open,
				    "windows not sorted and disjoint");
			}
		}
	}
	tstamp pts[8];
	long long offs[4];
	int npts = 0, noffs = 0;
	for (int k = 0; k < 64 && next_line(&rest, &hol); k++) {
		day_t hd;
		int m, dd;
		hol = str_trim(hol);
		if (hol.n >= 2 && hol.n < 12 && (hol.p[0] == '+' || hol.p[0] == '-')) {
			char b[12];
			long long v;
			str_cpy(b, sizeof b, hol);
			if (noffs < 4 && sscanf(b + 1, "%lld", &v) == 1 &&
			    v * 60 <= SPAN_MAX)
				offs[noffs++] = b[0] == '-' ? -v : v;
		} else if (parse_iso_date(hol, &hd) == 0)
			hours_add_holiday(&h, hd);
		else if (hol.n == 5 && hol.p[2] == '-') {
			char b[6];
			str_cpy(b, sizeof b, hol);
			if (sscanf(b, "%2d-%2d", &m, &dd) == 2)
				hours_add_yearly(&h, m, dd);
		}
	}
	hours_done(&h);

	if (duration_parse(dur, &d) != 0 || d.kind == DUR_NONE ||
	    parse_timestamp(when, &t, NULL) != 0) {
		hours_free(&h);
		return 0;
	}
	FUZZ_CHECK(d.n >= 0, "negative duration %lld", (long long)d.n);
	int rc = duration_apply(&d, &h, t, &out);
	if (rc == 0) {
		FUZZ_CHECK(out >= t, "deadline %lld before %lld (kind %d, n %lld)",
		    (long long)out, (long long)t, d.kind, (long long)d.n);
		if (d.kind == DUR_REAL)
			FUZZ_CHECK(out == t + d.n, "real time");
		if (d.kind == DUR_BH && !h.set && !h.any_holiday)
			FUZZ_CHECK(out == t + d.n, "24x7 business hours");
	} else
		FUZZ_CHECK(h.set || h.any_holiday, "no business time in 24x7");
	if (d.kind == DUR_BH && rc == 0 && d.n <= 1000 * 3600 &&
	    hours_add(&h, t, d.n + 60, &out2) == 0)
		FUZZ_CHECK(out2 >= out, "one more minute ends earlier");
	if (hours_eod(&h, t, &out2) == 0)
		FUZZ_CHECK(out2 >= t, "eod %lld before %lld",
		    (long long)out2, (long long)t);

	pts[npts++] = t;
	for (int i = 0; i < noffs; i++)
		pts[npts++] = t + offs[i] * 60;
	if (d.kind == DUR_BH && rc == 0 && out - t <= SPAN_MAX) {
		FUZZ_CHECK(hours_between(&h, t, out) == d.n, "%lld s of business "
		    "time end at %lld: %lld s open between", (long long)d.n,
		    (long long)out, (long long)hours_between(&h, t, out));
		pts[npts++] = out;
	}
	if (d.n <= SPAN_MAX)
		pts[npts++] = t + d.n / 2;
	check_between(&h, pts, npts);
	hours_free(&h);
	return 0;
}
