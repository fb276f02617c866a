/* Unit test of common/hours.c: the --hours grammar, holidays, business-time
 * arithmetic (Nbh, Nbd, eod) across the daylight-saving changes of
 * Europe/Vilnius (2026-03-29 03:00 -> 04:00, 2026-10-25 04:00 -> 03:00). */
#include <stdio.h>
#include <string.h>

#include "datetime.h"
#include "hours.h"
#include "str.h"

static int failures;

static tstamp
ts(const char *s)
{
	tstamp t;
	if (parse_timestamp(str_of(s), &t, NULL)) {
		printf("bad timestamp in test: %s\n", s);
		failures++;
		return 0;
	}
	return t;
}

static void
expect_t(int line, int rc, tstamp got, const char *want)
{
	char buf[40];
	if (rc != 0) {
		printf("line %d: returned %d, expected %s\n", line, rc, want);
		failures++;
		return;
	}
	fmt_rfc3339(buf, got);
	if (strcmp(buf, want) != 0) {
		printf("line %d: got %s, expected %s\n", line, buf, want);
		failures++;
	}
}

static void
setup(struct hours *h, const char *spec)
{
	char err[200];
	hours_free(h);
	hours_init(h);
	if (spec && hours_parse(h, spec, err, sizeof err)) {
		printf("spec '%s' rejected: %s\n", spec, err);
		failures++;
	}
}

#define ADD(spec, from, hrs, want) do { tstamp o = 0; setup(&h, spec); \
	int rc = hours_add(&h, ts(from), (int64_t)(hrs) * 3600, &o); expect_t(__LINE__, rc, o, want); } while (0)
#define BD(spec, from, n, want) do { tstamp o = 0; setup(&h, spec); \
	int rc = hours_add_days(&h, ts(from), n, &o); expect_t(__LINE__, rc, o, want); } while (0)
#define BETWEEN(spec, from, to, want) do { setup(&h, spec); \
	int64_t got = hours_between(&h, ts(from), ts(to)); if (got != (want)) { \
	printf("line %d: %lld s between, expected %lld\n", __LINE__, \
	(long long)got, (long long)(want)); failures++; } } while (0)
#define EOD(spec, from, want) do { tstamp o = 0; setup(&h, spec); \
	int rc = hours_eod(&h, ts(from), &o); expect_t(__LINE__, rc, o, want); } while (0)

/* What the messages say is accepted (hours.c). */
#define SPEC_FORM \
	" (expected days, then windows: 'Mon-Fri 09:00-13:00,14:00-18:00; Sat 09:00-14:00')"
#define DAY_FORM \
	" (expected Mon .. Sun, a range such as Mon-Fri, or a list such as Mon,Wed)"
#define WINDOW_FORM " (expected HH:MM-HH:MM, 24:00 allowed as an end)"

static void
bad_spec(int line, const char *spec, const char *want)
{
	struct hours h;
	char err[200] = "";
	hours_init(&h);
	if (hours_parse(&h, spec, err, sizeof err) == 0) {
		printf("line %d: spec '%s' accepted\n", line, spec);
		failures++;
	} else if (strcmp(err, want) != 0) {
		printf("line %d: spec '%s': got \"%s\", expected \"%s\"\n", line,
		    spec, err, want);
		failures++;
	}
	hours_free(&h);
}

int
main(void)
{
	struct hours h;
	const char *wk = "Mon-Fri 09:00-18:00";
	const char *split = "Mon-Fri 09:00-13:00,14:00-18:00; Sat 09:00-14:00";

	hours_init(&h);
	if (dt_init("Europe/Vilnius", NULL)) {
		printf("no zone Europe/Vilnius\n");
		return 1;
	}

	/* The spec's example: Friday 17:00 + 4bh = Monday 12:00. */
	ADD(wk, "2026-11-20 17:00", 4, "2026-11-23T12:00:00+02:00");
	/* Arriving while closed: counted from the next opening. */
	ADD(wk, "2026-11-21 10:00", 1, "2026-11-23T10:00:00+02:00");
	ADD(wk, "2026-11-23 07:30", 0, "2026-11-23T09:00:00+02:00");
	/* Ending exactly at a close stays on that day. */
	ADD(wk, "2026-11-23 14:00", 4, "2026-11-23T18:00:00+02:00");
	/* Several windows a day; the lunch break does not count. */
	ADD(split, "2026-11-23 12:00", 2, "2026-11-23T15:00:00+02:00");
	ADD(split, "2026-11-20 17:00", 4, "2026-11-21T12:00:00+02:00");
	ADD(split, "2026-11-21 13:00", 2, "2026-11-23T10:00:00+02:00");
	/* 24x7: real time, also across the change. */
	ADD(NULL, "2026-03-28 12:00", 24, "2026-03-29T13:00:00+03:00");
	ADD(NULL, "2026-10-24 12:00", 24, "2026-10-25T11:00:00+02:00");
	/* A whole-day window holds 23 h on 2026-03-29 and 25 h on 2026-10-25. */
	ADD("Sun 00:00-24:00", "2026-03-29 00:00", 23, "2026-03-30T00:00:00+03:00");
	ADD("Sun 00:00-24:00", "2026-03-29 00:00", 24, "2026-04-05T01:00:00+03:00");
	ADD("Sun 00:00-24:00", "2026-10-25 00:00", 25, "2026-10-26T00:00:00+02:00");
	/* A window across the change counts the real hours it holds. */
	ADD("Sun 02:00-06:00", "2026-03-29 02:00", 3, "2026-03-29T06:00:00+03:00");
	ADD("Sun 02:00-06:00", "2026-10-25 02:00", 4, "2026-10-25T05:00:00+02:00");
	ADD("Sun 02:00-06:00", "2026-10-25 02:00", 5, "2026-10-25T06:00:00+02:00");
	/* 4bh in office hours on the Monday after the change: wall clock. */
	ADD(wk, "2026-03-27 16:00", 4, "2026-03-30T11:00:00+03:00");
	ADD(wk, "2026-10-23 16:00", 4, "2026-10-26T11:00:00+02:00");

	/* Business time between two instants: what hours_add adds. */
	BETWEEN(wk, "2026-11-20 17:00", "2026-11-23 12:00", 4 * 3600);
	BETWEEN(wk, "2026-11-21 10:00", "2026-11-22 23:00", 0);	/* a weekend */
	BETWEEN(wk, "2026-11-23 12:00", "2026-11-23 12:00", 0);
	BETWEEN(wk, "2026-11-23 12:00", "2026-11-23 11:00", 0);	/* backwards */
	BETWEEN(split, "2026-11-23 12:00", "2026-11-23 15:00", 2 * 3600);
	BETWEEN(NULL, "2026-03-28 12:00", "2026-03-29 13:00", 24 * 3600);
	BETWEEN("Sun 00:00-24:00", "2026-03-29 00:00", "2026-03-30 00:00", 23 * 3600);
	BETWEEN("Sun 02:00-06:00", "2026-10-25 00:00", "2026-10-25 12:00", 5 * 3600);
	BETWEEN(wk, "2026-03-27 16:00", "2026-03-30 11:00", 4 * 3600);
	/* fuzz hours: a window whose wall times fall in the gap of
	 * 2026-03-29 (03:00-04:00 does not exist; such a time moves forward
	 * by the gap) lands on real time that the next window holds too: it
	 * was counted twice (23.5 h in a day of 23, 80 min in an hour), and
	 * more business time could end earlier.  Each real second counts
	 * once. */
	BETWEEN("Sun 00:00-03:30,04:00-24:00", "2026-03-29 00:00",
	    "2026-03-30 00:00", 23 * 3600);
	BETWEEN("Sun 03:30-03:50,04:00-05:00", "2026-03-29 00:00",
	    "2026-03-29 06:00", 3600);
	ADD("Sun 03:30-03:50,04:00-05:00", "2026-03-29 00:00", 1,
	    "2026-03-29T05:00:00+03:00");
	ADD("Sun 00:00-03:30,04:00-24:00", "2026-03-29 00:00", 23,
	    "2026-03-30T00:00:00+03:00");
	ADD("Sun 00:00-03:30,04:00-24:00", "2026-03-29 04:00", 1,
	    "2026-03-29T05:00:00+03:00");

	/* Nbd: the close of the N-th business day after the day of receipt. */
	BD(wk, "2026-11-20 10:00", 1, "2026-11-23T18:00:00+02:00");
	BD(wk, "2026-11-21 10:00", 1, "2026-11-23T18:00:00+02:00");
	BD(wk, "2026-11-20 23:00", 3, "2026-11-25T18:00:00+02:00");
	BD(split, "2026-11-20 10:00", 1, "2026-11-21T14:00:00+02:00");
	BD(NULL, "2026-03-28 10:00", 1, "2026-03-30T00:00:00+03:00");

	/* eod. */
	EOD(wk, "2026-11-20 10:00", "2026-11-20T18:00:00+02:00");
	EOD(wk, "2026-11-20 18:00", "2026-11-20T18:00:00+02:00");
	EOD(wk, "2026-11-20 18:00:01", "2026-11-23T18:00:00+02:00");
	EOD(wk, "2026-11-22 10:00", "2026-11-23T18:00:00+02:00");
	EOD(wk, "2026-11-23 06:00", "2026-11-23T18:00:00+02:00");
	EOD(split, "2026-11-21 13:59", "2026-11-21T14:00:00+02:00");
	EOD(NULL, "2026-03-29 01:00", "2026-03-30T00:00:00+03:00");
	EOD(NULL, "2026-10-25 23:59", "2026-10-26T00:00:00+02:00");
	EOD(NULL, "2026-11-20 00:00", "2026-11-21T00:00:00+02:00");
	EOD("Mon-Sun 08:00-20:00", "2026-03-29 03:30", "2026-03-29T20:00:00+03:00");

	/* Holidays close whole days, with and without a spec. */
	{
		tstamp o = 0;
		int rc;
		setup(&h, wk);
		hours_add_holiday(&h, days_from_civil(2026, 11, 23));
		hours_add_yearly(&h, 11, 24);
		hours_done(&h);
		rc = hours_add(&h, ts("2026-11-20 17:00"), 4 * 3600, &o); expect_t(__LINE__, rc, o,
		    "2026-11-25T12:00:00+02:00");
		rc = hours_add_days(&h, ts("2026-11-20 17:00"), 1, &o); expect_t(__LINE__, rc, o,
		    "2026-11-25T18:00:00+02:00");
		rc = hours_eod(&h, ts("2026-11-23 10:00"), &o); expect_t(__LINE__, rc, o,
		    "2026-11-25T18:00:00+02:00");
		if (hours_between(&h, ts("2026-11-20 17:00"), ts("2026-11-25 12:00")) !=
		    4 * 3600) {
			printf("line %d: holidays between\n", __LINE__);
			failures++;
		}
		if (!hours_open_day(&h, days_from_civil(2027, 11, 25)) ||
		    hours_open_day(&h, days_from_civil(2027, 11, 24))) {
			printf("line %d: yearly holiday\n", __LINE__);
			failures++;
		}
		setup(&h, NULL);
		hours_add_holiday(&h, days_from_civil(2026, 12, 25));
		hours_add_holiday(&h, days_from_civil(2026, 12, 24));
		hours_done(&h);
		rc = hours_add(&h, ts("2026-12-23 20:00"), 6 * 3600, &o); expect_t(__LINE__, rc, o,
		    "2026-12-26T02:00:00+02:00");
		rc = hours_add_days(&h, ts("2026-12-23 20:00"), 1, &o); expect_t(__LINE__, rc, o,
		    "2026-12-27T00:00:00+02:00");
		if (hours_between(&h, ts("2026-12-23 20:00"), ts("2026-12-26 02:00")) !=
		    6 * 3600) {
			printf("line %d: holidays between, 24x7\n", __LINE__);
			failures++;
		}
		/* Without a spec, eod is midnight, holiday or not. */
		rc = hours_eod(&h, ts("2026-12-24 10:00"), &o); expect_t(__LINE__, rc, o,
		    "2026-12-25T00:00:00+02:00");
		/* Every day a holiday: no business time, an error. */
		setup(&h, "Mon 09:00-10:00");
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= 31; d++)
				hours_add_yearly(&h, m, d);
		hours_done(&h);
		if (hours_add(&h, ts("2026-11-20 10:00"), 3600, &o) != -1 ||
		    hours_add_days(&h, ts("2026-11-20 10:00"), 1, &o) != -1 ||
		    hours_eod(&h, ts("2026-11-20 10:00"), &o) != -1) {
			printf("line %d: no business time not detected\n", __LINE__);
			failures++;
		}
	}

	/* Grammar. */
	setup(&h, " mon , WED-fri 08:00 - 12:00 , 13:00-17:00 ;sat-sun 10:00-24:00; ");
	if (h.nwin[0] != 2 || h.nwin[1] != 0 || h.nwin[2] != 2 || h.nwin[4] != 2 ||
	    h.nwin[5] != 1 || h.win[6][0].close != 86400 || h.win[0][1].open != 13 * 3600) {
		printf("line %d: spec parsed wrong\n", __LINE__);
		failures++;
	}
	setup(&h, "Sat-Mon 10:00-11:00");	/* wraps */
	if (h.nwin[5] != 1 || h.nwin[6] != 1 || h.nwin[0] != 1 || h.nwin[1] != 0) {
		printf("line %d: Sat-Mon parsed wrong\n", __LINE__);
		failures++;
	}
	setup(&h, "Mon 14:00-18:00,09:00-13:00");	/* any order */
	if (h.win[0][0].open != 9 * 3600 || h.win[0][1].close != 18 * 3600) {
		printf("line %d: windows not sorted\n", __LINE__);
		failures++;
	}
	bad_spec(__LINE__, "", "no open hours in ''" SPEC_FORM);
	bad_spec(__LINE__, "Mon-Fri", "no windows in 'Mon-Fri'" SPEC_FORM);
	bad_spec(__LINE__, "09:00-18:00", "no days in '09:00-18:00'" SPEC_FORM);
	bad_spec(__LINE__, "Mox 09:00-18:00", "bad day 'Mox'" DAY_FORM);
	bad_spec(__LINE__, "Monday 09:00-18:00", "bad day 'Monday'" DAY_FORM);
	bad_spec(__LINE__, "Mon 09:00", "bad window '09:00'" WINDOW_FORM);
	bad_spec(__LINE__, "Mon 09:00-24:01", "bad window '09:00-24:01'" WINDOW_FORM);
	bad_spec(__LINE__, "Mon 24:00-24:00", "bad window '24:00-24:00'" WINDOW_FORM);
	bad_spec(__LINE__, "Mon 9:00-18:00", "bad window '9:00-18:00'" WINDOW_FORM);
	bad_spec(__LINE__, "Mon 18:00-09:00", "window ends before it starts '18:00-09:00'" WINDOW_FORM);
	bad_spec(__LINE__, "Mon 09:00-09:00", "window ends before it starts '09:00-09:00'" WINDOW_FORM);
	bad_spec(__LINE__, "Mon 09:00-13:00,12:00-18:00",
	    "overlapping windows in 'Mon 09:00-13:00,12:00-18:00' (expected windows that touch at most)");
	bad_spec(__LINE__, "Mon-Fri 09:00-18:00; fri 09:00-12:00",
	    "Fri named twice in 'Mon-Fri 09:00-18:00; fri 09:00-12:00' (expected each day in one group only)");
	setup(&h, "Mon 09:00-13:00,13:00-18:00");	/* touching is fine */

	hours_free(&h);
	if (failures)
		printf("%d failures\n", failures);
	return failures != 0;
}
