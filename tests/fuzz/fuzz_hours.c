/* fuzz_hours.c — business hours (hours.h) and policy durations
 * (duration.h), in Europe/Vilnius.
 *
 * Input: lines: 1 the open-hours spec (empty: 24x7), 2 a duration,
 * 3 a timestamp, then holidays (YYYY-MM-DD or MM-DD), at most 64.
 * Checks: a spec parses into sorted, disjoint windows within the day, or
 * gives a message; a duration parses or not; applied to the timestamp, a
 * deadline is never before it, real time adds exactly, 24x7 business hours
 * add exactly, more business time never ends earlier; the end of the day
 * is on or after the timestamp.
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
	for (int k = 0; k < 64 && next_line(&rest, &hol); k++) {
		day_t hd;
		int m, dd;
		hol = str_trim(hol);
		if (parse_iso_date(hol, &hd) == 0)
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
	hours_free(&h);
	return 0;
}
