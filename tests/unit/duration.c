/* Unit test of common/duration.c: parsing policy durations and applying
 * them (real time, business hours, business days, eod). */
#include <stdio.h>
#include <string.h>

#include "datetime.h"
#include "duration.h"
#include "hours.h"
#include "str.h"

static int failures;

static void
parse_ok(int line, const char *s, enum dur_kind kind, int64_t n)
{
	struct duration d;
	if (duration_parse(str_of(s), &d) != 0) {
		printf("line %d: '%s' rejected\n", line, s);
		failures++;
	} else if (d.kind != kind || d.n != n) {
		printf("line %d: '%s' parsed as kind %d n %lld\n", line, s,
		    (int)d.kind, (long long)d.n);
		failures++;
	}
}

static void
parse_bad(int line, const char *s)
{
	struct duration d;
	if (duration_parse(str_of(s), &d) == 0) {
		printf("line %d: '%s' accepted\n", line, s);
		failures++;
	}
}

static void
apply(int line, const struct hours *h, const char *dur, const char *from,
    const char *want)
{
	struct duration d;
	tstamp t, o;
	char buf[40];
	if (duration_parse(str_of(dur), &d) || parse_timestamp(str_of(from), &t, NULL) ||
	    duration_apply(&d, h, t, &o)) {
		printf("line %d: %s from %s failed\n", line, dur, from);
		failures++;
		return;
	}
	fmt_rfc3339(buf, o);
	if (strcmp(buf, want) != 0) {
		printf("line %d: %s from %s: got %s, expected %s\n", line, dur,
		    from, buf, want);
		failures++;
	}
}

int
main(void)
{
	struct hours h24, wk;
	char err[100];

	parse_ok(__LINE__, "", DUR_NONE, 0);
	parse_ok(__LINE__, "  ", DUR_NONE, 0);
	parse_ok(__LINE__, "30m", DUR_REAL, 1800);
	parse_ok(__LINE__, " 24h ", DUR_REAL, 86400);
	parse_ok(__LINE__, "2d", DUR_REAL, 172800);
	parse_ok(__LINE__, "0m", DUR_REAL, 0);
	parse_ok(__LINE__, "4bh", DUR_BH, 14400);
	parse_ok(__LINE__, "4BH", DUR_BH, 14400);
	parse_ok(__LINE__, "3bd", DUR_BD, 3);
	parse_ok(__LINE__, "0bd", DUR_EOD, 0);
	parse_ok(__LINE__, "eod", DUR_EOD, 0);
	parse_ok(__LINE__, "EOD", DUR_EOD, 0);
	parse_ok(__LINE__, "100000h", DUR_REAL, 360000000);
	parse_bad(__LINE__, "100001h");
	parse_bad(__LINE__, "99999999999999999999999h");
	parse_bad(__LINE__, "h");
	parse_bad(__LINE__, "24");
	parse_bad(__LINE__, "24 h");
	parse_bad(__LINE__, "1.5h");
	parse_bad(__LINE__, "-1h");
	parse_bad(__LINE__, "24hours");
	parse_bad(__LINE__, "3w");
	parse_bad(__LINE__, "1eod");

	if (dt_init("Europe/Vilnius", NULL)) {
		printf("no zone Europe/Vilnius\n");
		return 1;
	}
	hours_init(&h24);
	hours_init(&wk);
	if (hours_parse(&wk, "Mon-Fri 09:00-18:00", err, sizeof err)) {
		printf("spec rejected: %s\n", err);
		return 1;
	}
	apply(__LINE__, &h24, "24h", "2026-03-28 12:00", "2026-03-29T13:00:00+03:00");
	apply(__LINE__, &h24, "1d", "2026-10-24 12:00", "2026-10-25T11:00:00+02:00");
	apply(__LINE__, &h24, "90m", "2026-03-29 02:00", "2026-03-29T04:30:00+03:00");
	apply(__LINE__, &h24, "eod", "2026-03-29 02:00", "2026-03-30T00:00:00+03:00");
	apply(__LINE__, &h24, "4bh", "2026-03-29 02:00", "2026-03-29T07:00:00+03:00");
	apply(__LINE__, &wk, "4bh", "2026-11-20 17:00", "2026-11-23T12:00:00+02:00");
	apply(__LINE__, &wk, "1bd", "2026-11-20 17:00", "2026-11-23T18:00:00+02:00");
	apply(__LINE__, &wk, "0bd", "2026-11-20 17:00", "2026-11-20T18:00:00+02:00");
	apply(__LINE__, &wk, "eod", "2026-11-21 17:00", "2026-11-23T18:00:00+02:00");
	apply(__LINE__, &wk, "72h", "2026-11-20 17:00", "2026-11-23T17:00:00+02:00");
	hours_free(&h24);
	hours_free(&wk);
	if (failures)
		printf("%d failures\n", failures);
	return failures != 0;
}
