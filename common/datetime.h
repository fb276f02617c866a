/* datetime.h — civil dates, timestamps and the program's time zone.
 *
 * A date is a day number (days since 1970-01-01); a timestamp is seconds
 * since the epoch (UTC).  Wall time is converted with the zone of --tz or
 * TZ: a wall time in a daylight-saving gap moves forward by the gap, one
 * that occurs twice means the first.  Conversions cache per-day offsets, so
 * they cost a table look-up in the hot path.
 */
#ifndef AS_DATETIME_H
#define AS_DATETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "str.h"

typedef int32_t day_t;
typedef int64_t tstamp;

/* No day (a date not given, never, not yet): below every date a
 * day_t can hold from a file (years 1900-2199 in, 0001-9999 computed). */
#define DAY_NONE INT32_MIN

#define DATE_LEN 10		/* YYYY-MM-DD */
/* Dates read from input lie in these years (common.md): a two-digit year
 * read with %Y (0026) is not a date.  Computed dates may lie outside. */
#define YEAR_MIN 1900
#define YEAR_MAX 2199
#define DATE_BAD_YEAR (-2)	/* a parse_* result: a year out of range */
#define RFC3339_LEN 25		/* YYYY-MM-DDTHH:MM:SS+HH:MM */

bool date_valid(int y, int m, int d);
int days_in_month(int y, int m);
day_t days_from_civil(int y, int m, int d);
void civil_from_days(day_t z, int *y, int *m, int *d);
int weekday(day_t d);			/* 0 = Monday .. 6 = Sunday */
/* Month arithmetic: the day of the month kept, clamped to the month's end. */
day_t date_add_months(day_t d, int months);

/* Set the zone (NULL: TZ or the system zone) and the input date format
 * (NULL: ISO only).  Returns -1 if the zone is not known. */
int dt_init(const char *zone, const char *date_format);
/* Is ZONE a zone: a file of the tz database (an IANA name such as
 * Europe/Vilnius, or a path to such a file; a FIFO or a directory is
 * not), or a POSIX TZ rule ("UTC0", "EET-2EEST,M3.5.0/3,M10.5.0/4")? */
bool zone_known(const char *zone);
/* The --date-format in use, or NULL. */
const char *dt_date_format(void);

/* The parsers trim, and return 0, -1 (not a date or timestamp), or
 * DATE_BAD_YEAR (a date whose year is outside YEAR_MIN..YEAR_MAX). */
/* A date: FMT of --date-format first, then ISO YYYY-MM-DD.  A timestamp
 * (in FMT, or ISO) is its date part, as written; its time must be valid. */
int parse_date(struct str s, day_t *out);
/* An ISO date only (option values). */
int parse_iso_date(struct str s, day_t *out);
/* A timestamp (date alone = 00:00 local; optional Z / +HH:MM).
 * *has_time, when not NULL, tells whether a time of day was given. */
int parse_timestamp(struct str s, tstamp *out, bool *has_time);
/* ISO timestamp or date only (option values: --as-of). */
int parse_iso_timestamp(struct str s, tstamp *out, bool *has_time);
/* HH:MM (00:00..23:59, or 24:00 when allow24) to seconds of day. 0 or -1. */
int parse_hhmm(struct str s, int *secs, bool allow24);

/* Local wall time (day, seconds of the day) to a timestamp. */
tstamp local_to_utc(day_t d, int secs);
/* A timestamp to local wall time; *gmtoff in seconds east. */
void utc_to_local(tstamp t, day_t *d, int *secs, int *gmtoff);
/* The local date of a timestamp. */
day_t local_date(tstamp t);

/* Formatting, NUL-terminated; return the length. */
size_t fmt_date(char *buf, day_t d);		/* YYYY-MM-DD */
size_t fmt_rfc3339(char *buf, tstamp t);	/* local, to the second */
size_t fmt_utc_ics(char *buf, tstamp t);	/* YYYYMMDDTHHMMSSZ */

#endif
