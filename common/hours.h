/* hours.h — business hours and business-time arithmetic (complaint-sla).
 *
 * Open hours are windows of local wall time per weekday, parsed from a spec
 * such as "Mon-Fri 09:00-13:00,14:00-18:00; Sat 09:00-14:00".  Without a
 * spec every hour of every day counts (24x7).  Holidays (one-off dates or
 * yearly MM-DD) close whole days, with or without a spec.  Business time is
 * real time inside the windows: each window is converted with the program's
 * zone (datetime.h), so a window across a daylight-saving change counts the
 * real hours it contains.
 */
#ifndef AS_HOURS_H
#define AS_HOURS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "datetime.h"

#define HOURS_MAXWIN 16		/* windows per day */
#define HOURS_SCAN_DAYS 3700	/* closed days in a row before giving up */

struct hours_window {
	int open, close;	/* seconds of the day; close may be 86400 */
};

struct hours {
	bool set;		/* a spec was given (else 24x7) */
	int nwin[7];		/* per weekday, 0 = Monday */
	struct hours_window win[7][HOURS_MAXWIN];
	day_t *once;		/* one-off holidays, sorted after hours_done */
	size_t nonce, capon;
	unsigned char yearly[13][32];	/* [month][day] */
	bool any_holiday;
};

/* 24x7, no holidays. */
void hours_init(struct hours *h);
/* Parse SPEC into H (replacing the 24x7 default).  0, or -1 with a message
 * in err (cap bytes). */
int hours_parse(struct hours *h, const char *spec, char *err, size_t cap);
/* Close a whole day: once, or every year on MONTH-DAY. */
void hours_add_holiday(struct hours *h, day_t d);
void hours_add_yearly(struct hours *h, int month, int day);
/* Call after the last holiday was added. */
void hours_done(struct hours *h);
void hours_free(struct hours *h);

/* Is day D a business day (open at some time, not a holiday)? */
bool hours_open_day(const struct hours *h, day_t d);
/* T plus SECS of business time, counted from T or from the next opening if
 * T is outside the windows.  0, or -1 when no open time is found within
 * HOURS_SCAN_DAYS closed days in a row. */
int hours_add(const struct hours *h, tstamp t, int64_t secs, tstamp *out);
/* The business time between A and B (seconds inside the windows of open
 * days; 0 when B <= A). */
int64_t hours_between(const struct hours *h, tstamp a, tstamp b);
/* The close of the N-th business day after the local day of T (N >= 1). */
int hours_add_days(const struct hours *h, tstamp t, int64_t n, tstamp *out);
/* End of day: the last close of the business day of T if T is on a
 * business day and not after that close, else the close of the next
 * business day.  Without a spec: midnight at the end of T's local day,
 * holiday or not. */
int hours_eod(const struct hours *h, tstamp t, tstamp *out);

#endif
