/* datetime.c — civil dates, timestamps, the program's zone.
 *
 * Day numbers follow Howard Hinnant's days_from_civil.  The zone comes from
 * the C library (TZ, tzset, localtime_r); local_to_utc() does not use
 * mktime(), whose handling of skipped and repeated wall times varies, but
 * derives the answer from the offsets before and after a change, so that a
 * skipped wall time moves forward by the gap and a repeated one is the first.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "datetime.h"

#define DAY 86400

static const char *date_format;		/* --date-format, or NULL */
static bool format_has_time;		/* FMT converts a time of day itself */

bool
date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= days_in_month(y, m);
}

int
days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dim[m - 1];
}

day_t
days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int)doe - 719468;
}

void
civil_from_days(day_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)yoe + era * 400 + (*m <= 2);
}

int
weekday(day_t d)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int w = (int)((d + 3) % 7);
	return w < 0 ? w + 7 : w;
}

day_t
date_add_months(day_t day, int months)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	int idx = y * 12 + (m - 1) + months;
	y = idx >= 0 ? idx / 12 : (idx - 11) / 12;	/* floor: before year 1 too */
	m = idx - y * 12 + 1;
	if (d > days_in_month(y, m))
		d = days_in_month(y, m);
	return days_from_civil(y, m, d);
}

/* The zone. */

static int
offset_at(tstamp t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return (int)tm.tm_gmtoff;
}

struct day_cache {
	day_t day;
	int off;
	bool constant, valid;
};

#define CACHE 4096
static struct day_cache utc_cache[CACHE], local_cache[CACHE];

static void
reset_caches(void)
{
	memset(utc_cache, 0, sizeof utc_cache);
	memset(local_cache, 0, sizeof local_cache);
}

/* A POSIX TZ rule such as "EET-2EEST,M3.5.0/3,M10.5.0/4" or "UTC0": a
 * name of three or more letters (or <...>), an offset, then optionally a
 * daylight-saving name, offset and rules.  Loose in the rules, strict
 * enough that a misspelt zone name ("Europe/Vilnus") is not one. */
static bool
posix_tz(const char *s)
{
	for (int part = 0; part < 2; part++) {
		size_t n = 0;
		if (*s == '<') {
			const char *e = strchr(s, '>');
			if (e == NULL || e - s < 4)
				return false;
			s = e + 1;
		} else {
			while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
				s++, n++;
			if (n < 3)
				return part == 1 && n == 0 && *s == '\0';
		}
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9') {
			if (part == 0)
				return false;	/* the standard offset is required */
		} else
			while ((*s >= '0' && *s <= '9') || *s == ':')
				s++;
		if (*s == '\0')
			return true;
		if (*s == ',')
			return part == 1 && strspn(s, ",.0123456789/:+-MJ") == strlen(s);
	}
	return false;
}

bool
zone_known(const char *zone)
{
	const char *name = zone[0] == ':' ? zone + 1 : zone;
	const char *dir = getenv("TZDIR");
	char path[4096], magic[4];
	struct stat st;

	if (name[0] == '\0')
		return false;
	if (strcmp(name, "UTC") == 0)
		return true;
	if (name[0] == '/')
		snprintf(path, sizeof path, "%s", name);
	else if (strstr(name, "..") != NULL)
		return false;
	else
		snprintf(path, sizeof path, "%s/%s", dir ? dir : "/usr/share/zoneinfo",
		    name);
	/* A zone is a regular file of the tz database ("TZif").  Opened
	 * without blocking: a FIFO must not hang the run. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0) {
		bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    read(fd, magic, 4) == 4 && memcmp(magic, "TZif", 4) == 0;
		close(fd);
		if (ok)
			return true;
	}
	return name == zone && name[0] != '/' && posix_tz(name);
}

int
dt_init(const char *zone, const char *fmt)
{
	if (zone != NULL) {
		/* glibc falls back to UTC for an unknown name: check it. */
		if (!zone_known(zone))
			return -1;
		if (setenv("TZ", zone, 1) != 0)
			return -1;
	}
	tzset();
	reset_caches();
	date_format = fmt;
	format_has_time = false;
	if (fmt != NULL)
		for (const char *p = fmt; (p = strchr(p, '%')) != NULL; p += 2) {
			char c = p[1] == 'E' || p[1] == 'O' ? p[2] : p[1];
			if (strchr("HIMSRTrpkl", c) != NULL && c != '\0')
				format_has_time = true;
			if (p[1] == '\0')
				break;
		}
	return 0;
}

const char *
dt_date_format(void)
{
	return date_format;
}

void
utc_to_local(tstamp t, day_t *d, int *secs, int *gmtoff)
{
	day_t ud = (day_t)(t >= 0 ? t / DAY : -((-t + DAY - 1) / DAY));
	struct day_cache *c = &utc_cache[(unsigned)ud % CACHE];
	int off;

	if (!c->valid || c->day != ud) {
		int a = offset_at((tstamp)ud * DAY);
		int b = offset_at((tstamp)ud * DAY + DAY - 1);
		*c = (struct day_cache){ ud, a, a == b, true };
	}
	off = c->constant ? c->off : offset_at(t);
	tstamp l = t + off;
	day_t ld = (day_t)(l >= 0 ? l / DAY : -((-l + DAY - 1) / DAY));
	*d = ld;
	*secs = (int)(l - (tstamp)ld * DAY);
	*gmtoff = off;
}

day_t
local_date(tstamp t)
{
	day_t d;
	int s, o;

	utc_to_local(t, &d, &s, &o);
	return d;
}

tstamp
local_to_utc(day_t d, int secs)
{
	tstamp wall = (tstamp)d * DAY + secs;
	struct day_cache *c = &local_cache[(unsigned)d % CACHE];

	if (!c->valid || c->day != d) {
		int a = offset_at((tstamp)(d - 2) * DAY);
		int b = offset_at((tstamp)(d + 3) * DAY);
		*c = (struct day_cache){ d, a, a == b, true };
	}
	if (c->constant)
		return wall - c->off;
	/* A change near this day: the offsets before and after it. */
	int early = offset_at(wall - 2 * DAY), late = offset_at(wall + 2 * DAY);
	tstamp t1 = wall - early, t2 = wall - late;
	bool ok1 = offset_at(t1) == early, ok2 = offset_at(t2) == late;

	if (ok1 && ok2)
		return t1 < t2 ? t1 : t2;	/* repeated: the first */
	if (ok1)
		return t1;
	if (ok2)
		return t2;
	return t1;	/* skipped: forward by the length of the gap */
}

/* Parsing. */

static int
digits(const char *p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* A date read from input: 0, -1 not a date, DATE_BAD_YEAR. */
static int
input_date(int y, int m, int d, day_t *out)
{
	if (!date_valid(y, m, d))
		return -1;
	if (y < YEAR_MIN || y > YEAR_MAX)
		return DATE_BAD_YEAR;
	*out = days_from_civil(y, m, d);
	return 0;
}

/* The last date read, and its day.  The dates of a file come in runs
 * (a night's events, a ledger's rows of one day), and reading one takes a
 * hundred instructions: the same ten bytes are the same date.  Only a
 * valid date is kept, and what it reads as depends on nothing else. */
static struct {
	char text[10];
	day_t day;
	bool set;
} last_date;

/* YYYY-MM-DD at p (n bytes available): 10 (the bytes used), -1, or
 * DATE_BAD_YEAR. */
static int
iso_date(const char *p, size_t n, day_t *out)
{
	if (n >= 10 && last_date.set && memcmp(p, last_date.text, 10) == 0) {
		*out = last_date.day;
		return 10;
	}
	if (n < 10 || p[4] != '-' || p[7] != '-')
		return -1;
	int y = digits(p, 4), m = digits(p + 5, 2), d = digits(p + 8, 2);
	if (y < 0 || m < 0 || d < 0)
		return -1;
	int rc = input_date(y, m, d, out);
	if (rc != 0)
		return rc;
	memcpy(last_date.text, p, 10);
	last_date.day = *out;
	last_date.set = true;
	return 10;
}

int
parse_iso_date(struct str s, day_t *out)
{
	s = str_trim(s);
	if (s.n != 10)
		return -1;
	int rc = iso_date(s.p, s.n, out);
	return rc == 10 ? 0 : rc;
}

/* Seconds east of UTC from "Z", "+HH:MM", "+HHMM", "+HH". */
static int
zone_suffix(const char *p, size_t n, int *off)
{
	if (n == 1 && (p[0] == 'Z' || p[0] == 'z')) {
		*off = 0;
		return 0;
	}
	if (n < 3 || (p[0] != '+' && p[0] != '-'))
		return -1;
	int h = digits(p + 1, 2), m = 0;
	if (n == 6 && p[3] == ':')
		m = digits(p + 4, 2);
	else if (n == 5)
		m = digits(p + 3, 2);
	else if (n != 3)
		return -1;
	if (h < 0 || m < 0 || h > 23 || m > 59)
		return -1;
	*off = (h * 3600 + m * 60) * (p[0] == '-' ? -1 : 1);
	return 0;
}

/* "HH:MM[:SS][zone]" — the part after the date. */
static int
time_part(const char *p, size_t n, int *secs, bool *has_zone, int *off)
{
	if (n < 5 || p[2] != ':')
		return -1;
	int h = digits(p, 2), m = digits(p + 3, 2), s = 0;
	size_t i = 5;
	if (h < 0 || m < 0 || h > 23 || m > 59)
		return -1;
	if (i < n && p[i] == ':') {
		if (n < i + 3 || (s = digits(p + i + 1, 2)) < 0 || s > 59)
			return -1;
		i += 3;
	}
	*secs = h * 3600 + m * 60 + s;
	*has_zone = false;
	if (i == n)
		return 0;
	if (zone_suffix(p + i, n - i, off) != 0)
		return -1;
	*has_zone = true;
	return 0;
}

static int
finish(day_t d, int secs, bool has_zone, int off, tstamp *out)
{
	*out = has_zone ? (tstamp)d * DAY + secs - off : local_to_utc(d, secs);
	return 0;
}

static int
iso_timestamp(struct str s, tstamp *out, bool *has_time)
{
	day_t d;
	int secs = 0, off = 0;
	bool zone = false;

	int rc = iso_date(s.p, s.n, &d);
	if (rc != 10)
		return rc;
	if (s.n > 10) {
		if ((s.p[10] != ' ' && s.p[10] != 'T' && s.p[10] != 't') ||
		    time_part(s.p + 11, s.n - 11, &secs, &zone, &off) != 0)
			return -1;
	}
	if (has_time)
		*has_time = s.n > 10;
	return finish(d, secs, zone, off, out);
}

int
parse_iso_timestamp(struct str s, tstamp *out, bool *has_time)
{
	return iso_timestamp(str_trim(s), out, has_time);
}

/* With --date-format: the date in FMT, then an optional time. */
static int
fmt_value(struct str s, day_t *d, int *secs, bool *timed, bool *zone, int *off)
{
	char buf[128];
	struct tm tm;
	const char *end;

	/* strptime reads a C string: a NUL byte would end the value early. */
	if (s.n >= sizeof buf || memchr(s.p, '\0', s.n) != NULL)
		return -1;
	str_cpy(buf, sizeof buf, s);
	memset(&tm, 0, sizeof tm);
	tm.tm_mday = 0;
	end = strptime(buf, date_format, &tm);
	if (end == NULL)
		return -1;
	int y = tm.tm_year + 1900, m = tm.tm_mon + 1;
	int rc = input_date(y, m, tm.tm_mday, d);
	if (rc != 0)
		return rc;
	*secs = 0;
	*zone = false;
	*timed = false;
	if (format_has_time) {
		*secs = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
		*timed = true;
		if (*end == '\0')
			return 0;
		return zone_suffix(end, strlen(end), off) == 0 ? (*zone = true, 0) : -1;
	}
	if (*end == '\0')
		return 0;
	if (*end != ' ' && *end != 'T')
		return -1;
	*timed = true;
	return time_part(end + 1, strlen(end + 1), secs, zone, off);
}

/* The worse of two failures: a bad year says more than "not a date". */
static int
worse(int a, int b)
{
	return a == DATE_BAD_YEAR || b == DATE_BAD_YEAR ? DATE_BAD_YEAR : -1;
}

int
parse_date(struct str s, day_t *out)
{
	int rc = -1;

	s = str_trim(s);
	if (date_format != NULL) {
		int secs, off;
		bool timed, zone;
		/* A timestamp in FMT: its date part, as written. */
		if ((rc = fmt_value(s, out, &secs, &timed, &zone, &off)) == 0)
			return 0;
	}
	if (s.n == 10) {
		int r = iso_date(s.p, s.n, out);
		return r == 10 ? 0 : worse(rc, r);
	}
	/* An ISO timestamp (2026-01-05 10:00, 2026-01-05T10:00:00Z): its
	 * date part, as written; the rest must be a time. */
	tstamp t;
	int r = iso_timestamp(s, &t, NULL);
	if (r == 0 && iso_date(s.p, s.n, out) == 10)
		return 0;
	return worse(rc, r);
}

int
parse_timestamp(struct str s, tstamp *out, bool *has_time)
{
	int rc = -1;

	s = str_trim(s);
	if (date_format != NULL) {
		day_t d;
		int secs, off;
		bool timed, zone;
		if ((rc = fmt_value(s, &d, &secs, &timed, &zone, &off)) == 0) {
			if (has_time)
				*has_time = timed;
			return finish(d, secs, zone, off, out);
		}
	}
	int r = iso_timestamp(s, out, has_time);
	return r == 0 ? 0 : worse(rc, r);
}

int
parse_hhmm(struct str s, int *secs, bool allow24)
{
	s = str_trim(s);
	if (s.n != 5 || s.p[2] != ':')
		return -1;
	int h = digits(s.p, 2), m = digits(s.p + 3, 2);
	if (h < 0 || m < 0 || m > 59)
		return -1;
	if (h > 23 && !(allow24 && h == 24 && m == 0))
		return -1;
	*secs = h * 3600 + m * 60;
	return 0;
}

/* Formatting. */

static void
put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

size_t
fmt_date(char *buf, day_t day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	/* YYYY-MM-DD has no room for other years: the nearest end. */
	if (y < 1)
		y = 1, m = 1, d = 1;
	else if (y > 9999)
		y = 9999, m = 12, d = 31;
	put2(buf, y / 100);
	put2(buf + 2, y % 100);
	buf[4] = '-';
	put2(buf + 5, m);
	buf[7] = '-';
	put2(buf + 8, d);
	buf[10] = '\0';
	return DATE_LEN;
}

size_t
fmt_rfc3339(char *buf, tstamp t)
{
	day_t d;
	int secs, off;

	utc_to_local(t, &d, &secs, &off);
	fmt_date(buf, d);
	buf[10] = 'T';
	put2(buf + 11, secs / 3600);
	buf[13] = ':';
	put2(buf + 14, secs / 60 % 60);
	buf[16] = ':';
	put2(buf + 17, secs % 60);
	buf[19] = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	put2(buf + 20, off / 3600);
	buf[22] = ':';
	put2(buf + 23, off / 60 % 60);
	buf[25] = '\0';
	return RFC3339_LEN;
}

size_t
fmt_utc_ics(char *buf, tstamp t)
{
	day_t d = (day_t)(t >= 0 ? t / DAY : -((-t + DAY - 1) / DAY));
	int secs = (int)(t - (tstamp)d * DAY), y, m, dd;

	civil_from_days(d, &y, &m, &dd);
	char tmp[64];

	snprintf(tmp, sizeof tmp, "%04d%02d%02dT%02d%02d%02dZ", y % 10000, m, dd,
	    secs / 3600, secs / 60 % 60, secs % 60);
	memcpy(buf, tmp, 17);
	buf[16] = '\0';
	return 16;
}
