/* fuzz_datetime.c — dates, timestamps, HH:MM, in Europe/Vilnius.
 *
 * Input: byte 0 chooses --date-format (bits 0-2) and a month count for
 * date_add_months (the whole byte); the rest is the value.  Checks:
 *  - parse_date: a valid date, which fmt_date and parse_iso_date give back;
 *    without a format it agrees with parse_iso_date;
 *  - parse_timestamp / parse_iso_timestamp: fmt_rfc3339 of the result
 *    reads back as the same instant (with and without the format), and
 *    the local wall time of it converts back to the same or an earlier
 *    instant (the first of a repeated hour) with the same wall time;
 *  - date_add_months keeps the day or clamps it to the month's end;
 *  - parse_hhmm stays within the day.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "fuzz.h"

static const char *const formats[8] = {
	NULL, "%d.%m.%Y", "%m/%d/%Y", "%Y-%m-%d", "%d.%m.%Y %H:%M",
	"%Y%m%d", "%d/%m/%y", "%e %b %Y",
};

static void
check_date(day_t d, const char *what)
{
	char buf[64];
	int y, m, dd;
	day_t back;

	civil_from_days(d, &y, &m, &dd);
	FUZZ_CHECK(date_valid(y, m, dd), "%s: %d-%d-%d", what, y, m, dd);
	FUZZ_CHECK(days_from_civil(y, m, dd) == d, "%s: civil round trip", what);
	FUZZ_CHECK(fmt_date(buf, d) == DATE_LEN && strlen(buf) == DATE_LEN,
	    "%s: fmt_date '%s'", what, buf);
	FUZZ_CHECK(parse_iso_date(str_of(buf), &back) == 0 && back == d,
	    "%s: '%s' does not read back", what, buf);
	FUZZ_CHECK(weekday(d) >= 0 && weekday(d) <= 6, "weekday");
}

static void
check_timestamp(tstamp t, bool has_time, const char *what)
{
	char buf[64];
	tstamp back;
	bool ht;
	day_t d;
	int secs, off, y, m, dd;

	utc_to_local(t, &d, &secs, &off);
	FUZZ_CHECK(secs >= 0 && secs < 86400 && off > -86400 && off < 86400,
	    "%s: local %d s, offset %d", what, secs, off);
	FUZZ_CHECK(local_date(t) == d, "%s: local_date", what);
	civil_from_days(d, &y, &m, &dd);
	if (y < 1 || y > 9999)
		return;		/* not representable in YYYY-MM-DD */
	if (off % 60 != 0)
		return;		/* local mean time (before 1920): RFC 3339 has
				 * no seconds in offsets (docs/RELIABILITY.md) */
	FUZZ_CHECK(fmt_rfc3339(buf, t) == RFC3339_LEN && strlen(buf) == RFC3339_LEN,
	    "%s: fmt_rfc3339 '%s'", what, buf);
	FUZZ_CHECK(parse_iso_timestamp(str_of(buf), &back, &ht) == 0 &&
	    back == t && ht, "%s: '%s' reads back as %lld, not %lld", what, buf,
	    (long long)back, (long long)t);
	FUZZ_CHECK(parse_timestamp(str_of(buf), &back, &ht) == 0 && back == t,
	    "%s: '%s' with --date-format reads back as %lld, not %lld", what,
	    buf, (long long)back, (long long)t);
	/* Wall time back to an instant: the same, or the first of two. */
	tstamp w = local_to_utc(d, secs);
	day_t d2;
	int secs2, off2;
	utc_to_local(w, &d2, &secs2, &off2);
	FUZZ_CHECK(w <= t && t - w <= 7200 && d2 == d && secs2 == secs,
	    "%s: %s: local_to_utc(%d, %d) = %lld, t = %lld", what, buf, (int)d,
	    secs, (long long)w, (long long)t);
	(void)has_time;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int cur = -1;
	struct str s;
	day_t d, d2;
	tstamp t;
	bool ht;
	int secs;

	if (size < 1)
		return 0;
	int f = data[0] & 7;
	if (f != cur) {
		if (dt_init("Europe/Vilnius", formats[f]) != 0)
			abort();
		cur = f;
	}
	int months = (int)(int8_t)data[0] * 10;
	s = (struct str){ (const char *)data + 1, size - 1 };

	if (parse_date(s, &d) == 0) {
		check_date(d, "parse_date");
		day_t e = date_add_months(d, months);
		int y, m, dd, y2, m2, dd2;
		civil_from_days(d, &y, &m, &dd);
		civil_from_days(e, &y2, &m2, &dd2);
		if (y2 >= 1 && y2 <= 9999) {
			/* Computed dates may lie outside the years of input
			 * (datetime.h): read back only those inside. */
			if (y2 >= YEAR_MIN && y2 <= YEAR_MAX)
				check_date(e, "date_add_months");
			FUZZ_CHECK(dd2 == dd || (dd2 < dd && dd2 == days_in_month(y2, m2)),
			    "%d-%d-%d + %d months = %d-%d-%d", y, m, dd, months,
			    y2, m2, dd2);
			FUZZ_CHECK((y2 * 12 + m2) - (y * 12 + m) == months,
			    "month count");
		}
	}
	if (parse_iso_date(s, &d) == 0) {
		check_date(d, "parse_iso_date");
		FUZZ_CHECK(formats[f] != NULL || (parse_date(s, &d2) == 0 && d2 == d),
		    "parse_date and parse_iso_date disagree");
	}
	if (parse_timestamp(s, &t, &ht) == 0)
		check_timestamp(t, ht, "parse_timestamp");
	if (parse_iso_timestamp(s, &t, &ht) == 0) {
		check_timestamp(t, ht, "parse_iso_timestamp");
		tstamp t2;
		FUZZ_CHECK(formats[f] != NULL || (parse_timestamp(s, &t2, NULL) == 0 &&
		    t2 == t), "parse_timestamp and parse_iso_timestamp disagree");
	}
	if (parse_hhmm(s, &secs, data[0] & 8) == 0)
		FUZZ_CHECK(secs >= 0 && secs <= 86400 &&
		    (secs < 86400 || (data[0] & 8)), "parse_hhmm %d", secs);
	return 0;
}
