/* Unit tests of common/: dates, zones, numbers, money, patterns, the CSV
 * reader on csv-spectrum.  Table-driven; prints each failure, exits 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "datetime.h"
#include "num.h"
#include "pattern.h"
#include "util.h"

#include "check.h"

/* str_eq_ci() as the spec of it: byte by byte, ASCII letters folded. */
static bool
ref_eq_ci(struct str a, struct str b)
{
	if (a.n != b.n)
		return false;
	for (size_t i = 0; i < a.n; i++) {
		unsigned char x = (unsigned char)a.p[i], y = (unsigned char)b.p[i];
		if (x >= 'A' && x <= 'Z')
			x += 32;
		if (y >= 'A' && y <= 'Z')
			y += 32;
		if (x != y)
			return false;
	}
	return true;
}

/* common.md, "Dates and times": years 1900-2199 only; a timestamp in a
 * date column is its date part, as written. */
static void
test_date_columns(void)
{
	static const struct { const char *fmt, *in, *out; int rc; } t[] = {
		{ NULL, "2026-01-05 10:00", "2026-01-05", 0 },
		{ NULL, "2026-01-05T10:00:00Z", "2026-01-05", 0 },
		{ NULL, "2026-01-05T23:30:00-05:00", "2026-01-05", 0 },
		{ NULL, "2026-01-05 24:61", NULL, -1 },
		{ NULL, "2026-01-05 10", NULL, -1 },
		{ NULL, "2026-01-05x", NULL, -1 },
		{ NULL, "1900-01-01", "1900-01-01", 0 },
		{ NULL, "2199-12-31", "2199-12-31", 0 },
		{ NULL, "1899-12-31", NULL, DATE_BAD_YEAR },
		{ NULL, "2200-01-01", NULL, DATE_BAD_YEAR },
		{ NULL, "0026-01-05", NULL, DATE_BAD_YEAR },
		{ NULL, "0026-02-30", NULL, -1 },
		{ "%m/%d/%Y", "1/5/26", NULL, DATE_BAD_YEAR },
		{ "%m/%d/%Y", "1/5/2026", "2026-01-05", 0 },
		{ "%m/%d/%Y", "1/5/2026 10:00", "2026-01-05", 0 },
		{ "%m/%d/%Y", "1/5/2026 25:00", NULL, -1 },
		{ "%m/%d/%Y", "2026-01-05", "2026-01-05", 0 },
		{ "%m/%d/%y", "1/5/26", "2026-01-05", 0 },
		{ "%d.%m.%Y", "20.11.2026 10:00", "2026-11-20", 0 },
		{ "%d.%m.%Y", "0026-01-05", NULL, DATE_BAD_YEAR },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		day_t d;
		char buf[16] = "";
		dt_init(NULL, t[i].fmt);
		int rc = parse_date(str_of(t[i].in), &d);
		if (rc == 0)
			fmt_date(buf, d);
		CHECK(rc == t[i].rc && (rc != 0 || strcmp(buf, t[i].out) == 0),
		    "parse_date(%s, %s) = %d %s", t[i].fmt ? t[i].fmt : "ISO",
		    t[i].in, rc, buf);
	}
	tstamp ts;
	dt_init(NULL, NULL);
	CHECK(parse_timestamp(str_of("2300-01-01 10:00"), &ts, NULL) == DATE_BAD_YEAR,
	    "timestamp in 2300 accepted");
	CHECK(parse_iso_date(str_of("1899-01-01"), &(day_t){ 0 }) == DATE_BAD_YEAR,
	    "option date in 1899 accepted");
	/* Zones: a file of the tz database, or a POSIX rule; nothing else. */
	static const struct { const char *zone; bool ok; } z[] = {
		{ "Europe/Vilnius", true }, { ":Europe/Vilnius", true },
		{ "UTC", true }, { "/usr/share/zoneinfo/Europe/Vilnius", true },
		{ "UTC0", true }, { "EET-2EEST,M3.5.0/3,M10.5.0/4", true },
		{ "<+03>-3", true },
		{ "Europe/Vilnus", false }, { "Europe", false }, { "", false },
		{ "/etc/passwd", false }, { "/dev/null", false },
		{ "../../etc/passwd", false }, { "Vilnius", false },
		{ "Mars/Olympus", false }, { "abc", false },
	};
	for (size_t i = 0; i < sizeof z / sizeof z[0]; i++)
		CHECK(zone_known(z[i].zone) == z[i].ok, "zone_known(%s) != %d",
		    z[i].zone, z[i].ok);
}

static void
test_dates(void)
{
	static const struct { const char *in; int ok; } valid[] = {
		{ "2026-02-28", 1 }, { "2026-02-29", 0 }, { "2024-02-29", 1 },
		{ "2026-02-30", 0 }, { "2026-13-01", 0 }, { "2026-00-10", 0 },
		{ "2026-04-31", 0 }, { "2026-12-31", 1 }, { "1900-02-29", 0 },
		{ "2000-02-29", 1 }, { "2026-1-01", 0 }, { " 2026-01-01 ", 1 },
		{ "2026-01-01x", 0 }, { "", 0 },
	};
	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
		day_t d;
		int ok = parse_date(str_of(valid[i].in), &d) == 0;
		CHECK(ok == valid[i].ok, "parse_date(%s) = %d", valid[i].in, ok);
	}
	/* The reader of dates keeps the last one read (datetime.c): the
	 * same date again, then others, bad ones and timestamps between. */
	static const struct { const char *in; int y, m, d; } runs[] = {
		{ "2026-11-13", 2026, 11, 13 }, { "2026-11-13", 2026, 11, 13 },
		{ "2026-11-14", 2026, 11, 14 }, { "2026-11-13 10:00", 2026, 11, 13 },
		{ "2026-11-1x", 0, 0, 0 }, { "2026-11-13", 2026, 11, 13 },
		{ "2026-02-30", 0, 0, 0 }, { "2026-02-30", 0, 0, 0 },
		{ "2026-11-13x", 0, 0, 0 }, { "2026-11-13 25:00", 0, 0, 0 },
		{ "2024-02-29", 2024, 2, 29 }, { "2024-02-29", 2024, 2, 29 },
		{ "2024-02-2", 0, 0, 0 }, { "2024-02-29", 2024, 2, 29 },
	};
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		day_t d = -1;
		int rc = parse_date(str_of(runs[i].in), &d);
		CHECK(runs[i].y ? rc == 0 && d == days_from_civil(runs[i].y,
		    runs[i].m, runs[i].d) : rc != 0, "run %zu: parse_date(%s) = "
		    "%d, day %ld", i, runs[i].in, rc, (long)d);
	}
	static const struct { const char *from; int months; const char *to; } add[] = {
		{ "2026-01-31", 1, "2026-02-28" }, { "2024-02-29", 12, "2025-02-28" },
		{ "2024-01-31", 1, "2024-02-29" }, { "2026-01-15", 6, "2026-07-15" },
		{ "2026-03-31", -1, "2026-02-28" }, { "2025-11-30", 3, "2026-02-28" },
		{ "2026-12-15", 1, "2027-01-15" }, { "2026-05-31", 72, "2032-05-31" },
	};
	for (size_t i = 0; i < sizeof add / sizeof add[0]; i++) {
		char buf[16];
		fmt_date(buf, date_add_months(D(add[i].from), add[i].months));
		CHECK(strcmp(buf, add[i].to) == 0, "%s + %d months = %s, want %s",
		    add[i].from, add[i].months, buf, add[i].to);
	}
	CHECK(D("2026-03-01") - D("2026-02-27") == 2, "day difference");
	CHECK(D("1970-01-01") == 0, "epoch");
	CHECK(weekday(D("2026-03-29")) == 6, "2026-03-29 is a Sunday");
	CHECK(weekday(D("2026-11-20")) == 4, "2026-11-20 is a Friday");
	for (day_t d = D("1900-01-01"); d < D("2100-12-31"); d += 13) {
		int y, m, dd;
		civil_from_days(d, &y, &m, &dd);
		CHECK(days_from_civil(y, m, dd) == d, "round trip %d", (int)d);
	}
}

static void
test_zone(void)
{
	static const struct { const char *in; const char *out; } ts[] = {
		/* Vilnius: EET +02:00, EEST +03:00 from the last Sunday of
		 * March 03:00 to the last Sunday of October 04:00. */
		{ "2026-03-29 02:59:59", "2026-03-29T02:59:59+02:00" },
		{ "2026-03-29 03:00", "2026-03-29T04:00:00+03:00" },	/* gap */
		{ "2026-03-29 03:30", "2026-03-29T04:30:00+03:00" },	/* gap */
		{ "2026-03-29 04:00", "2026-03-29T04:00:00+03:00" },
		{ "2026-10-25 03:30", "2026-10-25T03:30:00+03:00" },	/* twice: first */
		{ "2026-10-25 04:00", "2026-10-25T04:00:00+02:00" },
		{ "2026-10-25 02:59", "2026-10-25T02:59:00+03:00" },
		{ "2026-03-29T10:00", "2026-03-29T10:00:00+03:00" },
		{ "2026-01-15 12:00Z", "2026-01-15T14:00:00+02:00" },
		{ "2026-07-15 12:00+02:00", "2026-07-15T13:00:00+03:00" },
		{ "2026-07-15 12:00-05:30", "2026-07-15T20:30:00+03:00" },
		{ "2026-07-15", "2026-07-15T00:00:00+03:00" },
		{ "2026-12-31 23:59:59", "2026-12-31T23:59:59+02:00" },
	};
	static const char *bad[] = { "2026-02-30 10:00", "2026-01-01 24:00",
		"2026-01-01 23:61", "2026-01-01 10:00:60", "2026-01-01 10", "2026-01-01 10:00 x",
		"2026-01-01T10:00+25:00", "now" };

	if (dt_init("Europe/Vilnius", NULL) != 0) {
		CHECK(0, "zone Europe/Vilnius unknown");
		return;
	}
	for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
		tstamp t;
		char buf[32] = "";
		int rc = parse_timestamp(str_of(ts[i].in), &t, NULL);
		if (rc == 0)
			fmt_rfc3339(buf, t);
		CHECK(rc == 0 && strcmp(buf, ts[i].out) == 0, "%s -> %s, want %s",
		    ts[i].in, buf, ts[i].out);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tstamp t;
		CHECK(parse_timestamp(str_of(bad[i]), &t, NULL) == -1, "accepted %s", bad[i]);
	}
	/* 24 hours are 86,400 seconds across the change: 23 h of wall time. */
	tstamp a, b;
	parse_timestamp(str_of("2026-03-28 08:00"), &a, NULL);
	parse_timestamp(str_of("2026-03-29 08:00"), &b, NULL);
	CHECK(b - a == 23 * 3600, "spring day lasts %lld s", (long long)(b - a));
	parse_timestamp(str_of("2026-10-24 08:00"), &a, NULL);
	parse_timestamp(str_of("2026-10-25 08:00"), &b, NULL);
	CHECK(b - a == 25 * 3600, "autumn day lasts %lld s", (long long)(b - a));
	CHECK(dt_init("Mars/Olympus", NULL) == -1, "unknown zone accepted");
	/* --date-format, with the ISO fallback. */
	dt_init("UTC", "%d.%m.%Y");
	static const struct { const char *in; const char *out; } df[] = {
		{ "20.11.2026", "2026-11-20T00:00:00+00:00" },
		{ "2026-11-20", "2026-11-20T00:00:00+00:00" },
		{ "20.11.2026 14:05", "2026-11-20T14:05:00+00:00" },
		{ "20.11.2026T14:05:09", "2026-11-20T14:05:09+00:00" },
		{ "1.2.2026", "2026-02-01T00:00:00+00:00" },
	};
	for (size_t i = 0; i < sizeof df / sizeof df[0]; i++) {
		tstamp t;
		char buf[32] = "";
		int rc = parse_timestamp(str_of(df[i].in), &t, NULL);
		if (rc == 0)
			fmt_rfc3339(buf, t);
		CHECK(rc == 0 && strcmp(buf, df[i].out) == 0, "fmt %s -> %s", df[i].in, buf);
	}
	day_t d;
	CHECK(parse_date(str_of("30.02.2026"), &d) == -1, "30.02.2026 accepted");
	dt_init("UTC", NULL);
	test_date_columns();
	int s;
	CHECK(parse_hhmm(str_of("08:00"), &s, false) == 0 && s == 8 * 3600, "08:00");
	CHECK(parse_hhmm(str_of("24:00"), &s, false) == -1, "24:00 w/o allow");
	CHECK(parse_hhmm(str_of("24:00"), &s, true) == 0 && s == 86400, "24:00");
	CHECK(parse_hhmm(str_of("12:60"), &s, true) == -1, "12:60");
	char ics[20];
	fmt_utc_ics(ics, 1798761600);
	CHECK(strcmp(ics, "20270101T000000Z") == 0, "ics %s", ics);
}

static void
test_hash(void)
{
	CHECK(str_hash(str_of("VIN1")) != str_hash(str_of("VIN2")), "hash differs");
	CHECK(str_hash_ci(str_of("Kaunas")) == str_hash(str_of("kaunas")), "ci hash folds");
	CHECK(str_hash_ci(str_of("Kaunas")) == str_hash_ci(str_of("KAUNAS")), "ci hash");
	CHECK(str_hash(str_of("Kaunas")) != str_hash(str_of("kaunas")), "exact hash");
	/* Eight bytes at a time: every byte value in every position of every
	 * length up to 24 folds exactly as str_eq_ci() compares. */
	{
		char a[24], b[24];
		int bad = 0;
		for (size_t n = 1; n <= sizeof a; n++)
			for (int c = 0; c < 256; c++) {
				size_t at = (size_t)c % n;
				memset(a, 'q', n);
				a[at] = (char)c;
				memcpy(b, a, n);
				if (c >= 'a' && c <= 'z')
					b[at] = (char)(c - 32);
				struct str sa = { a, n }, sb = { b, n };
				bool eq = str_eq_ci(sa, sb);
				if (eq != ref_eq_ci(sa, sb))
					bad++;
				b[at] = (char)(c ^ 32);
				if (str_eq_ci(sa, sb) != ref_eq_ci(sa, sb))
					bad++;
				b[at] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
				if (eq != (str_hash_ci(sa) == str_hash_ci(sb)) ||
				    (str_hash(sa) == str_hash(sb)) != str_eq(sa, sb))
					bad++;
				/* A byte that is not an ASCII letter is not folded. */
				if (!((c | 32) >= 'a' && (c | 32) <= 'z')) {
					b[at] = (char)(c ^ 32);
					if (str_hash_ci(sa) == str_hash_ci(sb))
						bad++;
				}
			}
		CHECK(bad == 0, "word-at-a-time hash and str_eq_ci: %d disagreements", bad);
		CHECK(str_hash(str_of("")) != str_hash((struct str){ "\0", 1 }),
		    "length is hashed");
	}
}

static void
test_numbers(void)
{
	static const struct { const char *in; long long v; } ok[] = {
		{ "15000", 15000 }, { "15,000", 15000 }, { "12.000", 12000 },
		{ "1,07,905", 107905 }, { "15 000", 15000 }, { "15\xC2\xA0" "000", 15000 },
		{ "12.5", 12 }, { "15 000,7", 15000 }, { "1,234.56", 1234 },
		{ "1'234", 1234 }, { "1_000_000", 1000000 }, { " 42 ", 42 }, { "0", 0 },
		{ "1.2345", 1 },
	};
	static const char *bad[] = { "-5", "-", "1..2", "12 km", "", " ", ".5", "12.",
		"1,,000", "+3", "1e5", "99999999999999999999" };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		long long v = -1;
		int rc = parse_count(str_of(ok[i].in), &v);
		CHECK(rc == 0 && v == ok[i].v, "count '%s' = %lld (rc %d)", ok[i].in, v, rc);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		long long v;
		CHECK(parse_count(str_of(bad[i]), &v) == -1, "count '%s' accepted", bad[i]);
	}
	static const struct { const char *in; long long c; } money[] = {
		{ "100.00", 10000 }, { "100", 10000 }, { "0.5", 50 }, { "12,34", 1234 },
		{ "1000.05", 100005 },
	};
	for (size_t i = 0; i < sizeof money / sizeof money[0]; i++) {
		long long c = -1;
		CHECK(parse_money(str_of(money[i].in), &c) == 0 && c == money[i].c,
		    "money %s = %lld", money[i].in, c);
	}
	long long c;
	CHECK(parse_money(str_of("1.234"), &c) == -1, "money 1.234");
	CHECK(parse_money(str_of("-1"), &c) == -1, "money -1");
	char buf[32];
	/* fmt_int as printf's %lld: the edges, every length, and a spread. */
	{
		static const long long edge[] = { 0, 1, -1, 9, 10, 99, 100, 101,
			-99, -100, 999, 1000, 123456789, -987654321,
			9223372036854775807LL, -9223372036854775807LL - 1 };
		char want[32];
		int wrong = 0;
		for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
			size_t n = fmt_int(buf, edge[i]);
			snprintf(want, sizeof want, "%lld", edge[i]);
			if (strcmp(buf, want) != 0 || n != strlen(want))
				wrong++;
		}
		unsigned long long x = 88172645463325252ULL;
		for (int i = 0; i < 100000; i++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			long long v = (long long)(x >> (i % 64));
			if (i & 1)
				v = -v;
			size_t n = fmt_int(buf, v);
			snprintf(want, sizeof want, "%lld", v);
			if (strcmp(buf, want) != 0 || n != strlen(want))
				wrong++;
		}
		CHECK(wrong == 0, "fmt_int: %d values differ from %%lld", wrong);
	}
	fmt_money(buf, -1250);
	CHECK(strcmp(buf, "-12.50") == 0, "fmt_money %s", buf);
	fmt_money(buf, 5);
	CHECK(strcmp(buf, "0.05") == 0, "fmt_money %s", buf);
	CHECK(div_ceil(-5, 2) == -2 && div_ceil(5, 2) == 3 && div_floor(-5, 2) == -3,
	    "div_ceil/floor");
	CHECK(div_round_half_up(5, 2) == 3 && div_round_half_up(7, 3) == 2, "half up");
	fmt_tenths(buf, 5, 100);	/* 0.05 -> 0.1 */
	CHECK(strcmp(buf, "0.1") == 0, "tenths %s", buf);
	fmt_tenths(buf, 3 * 3600 + 180, 3600);	/* 3.05 h -> 3.1 */
	CHECK(strcmp(buf, "3.1") == 0, "tenths %s", buf);
}

static void
test_patterns(void)
{
	struct pattern *p = pattern_compile("\\b(двигатель|variklis)\\b", 
	    strlen("\\b(двигатель|variklis)\\b"), true, "test");
	CHECK(pattern_match(p, "Неисправен ДВИГАТЕЛЬ", strlen("Неисправен ДВИГАТЕЛЬ")) == 1,
	    "caseless Cyrillic");
	CHECK(pattern_match(p, "VARIKLIS sugedo", 15) == 1, "Lithuanian");
	CHECK(pattern_match(p, "двигательный", strlen("двигательный")) == 0, "\\b is Unicode");
	CHECK(pattern_match(p, "\xff\xfe variklis \xc3", 14) == 1, "invalid UTF-8");
	pattern_free(p);
	p = pattern_compile("(a+)+$", 6, true, "test");
	char s[4096];
	memset(s, 'a', sizeof s - 2);
	s[sizeof s - 2] = 'b';
	s[sizeof s - 1] = '\0';
	CHECK(pattern_match(p, s, strlen(s)) == -1, "catastrophic pattern is bounded");
	pattern_free(p);
	char msg[200];
	CHECK(pattern_try_compile("(abc", 4, true, msg, sizeof msg) == NULL &&
	    strstr(msg, "offset 4") != NULL, "compile error: %s", msg);
	/* An error at offset 0 is still an error. */
	CHECK(pattern_try_compile("*a", 2, true, msg, sizeof msg) == NULL &&
	    strstr(msg, "offset 0") != NULL, "offset 0: %s", msg);
}

/* csv-spectrum: a tiny reader of its JSON (an array of string objects). */
static const char *jp;

static void skip(void) { while (*jp == ' ' || *jp == '\n' || *jp == '\r' || *jp == '\t') jp++; }

static size_t
jstring(char *out)
{
	size_t n = 0;
	skip();
	if (*jp != '"') return (size_t)-1;
	for (jp++; *jp && *jp != '"'; jp++) {
		if (*jp == '\\') {
			jp++;
			switch (*jp) {
			case 'n': out[n++] = '\n'; break;
			case 'r': out[n++] = '\r'; break;
			case 't': out[n++] = '\t'; break;
			default: out[n++] = *jp;
			}
		} else
			out[n++] = *jp;
	}
	jp++;
	return n;
}

static void
test_spectrum(const char *dir)
{
	static const char *names[] = { "comma_in_quotes", "empty", "empty_crlf",
		"escaped_quotes", "json", "newlines", "newlines_crlf",
		"quotes_and_newlines", "simple", "simple_crlf", "utf8" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char path[8192], *json;
		FILE *f;
		long len;
		snprintf(path, sizeof path, "%s/%s.json", dir, names[i]);
		if ((f = fopen(path, "rb")) == NULL) {
			CHECK(0, "cannot open %s", path);
			continue;
		}
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		rewind(f);
		json = xmalloc((size_t)len + 1);
		json[fread(json, 1, (size_t)len, f)] = '\0';
		fclose(f);
		snprintf(path, sizeof path, "%s/%s.csv", dir, names[i]);
		struct csvin *r = csvin_open(path, (struct dialect){ .delim = ',' });
		struct record hdr, rec;
		char key[256], val[4096];
		CHECK(csvin_next(r, &hdr), "%s: no header", names[i]);
		char **h = xcalloc(hdr.nf, sizeof *h);
		size_t nh = hdr.nf;
		for (size_t k = 0; k < nh; k++)
			h[k] = xmemdup(hdr.f[k].p, hdr.f[k].n);
		jp = json;
		skip();
		jp++;	/* [ */
		int nrec = 0;
		for (;;) {
			skip();
			if (*jp == ']' || *jp == '\0')
				break;
			if (*jp == ',') { jp++; continue; }
			jp++;	/* { */
			int ok = csvin_next(r, &rec);
			CHECK(ok, "%s: record %d missing", names[i], nrec);
			size_t col = 0;
			for (;;) {
				skip();
				if (*jp == '}') { jp++; break; }
				if (*jp == ',') { jp++; continue; }
				size_t kn = jstring(key);
				skip(); jp++;	/* : */
				size_t vn = jstring(val);
				CHECK(col < nh && kn == strlen(h[col]) && memcmp(key, h[col], kn) == 0,
				    "%s: key %zu", names[i], col);
				CHECK(ok && col < rec.nf && rec.f[col].n == vn &&
				    memcmp(rec.f[col].p, val, vn) == 0,
				    "%s: record %d field %zu", names[i], nrec, col);
				col++;
			}
			CHECK(!ok || rec.nf == col, "%s: record %d has %zu fields", names[i], nrec, rec.nf);
			nrec++;
		}
		CHECK(!csvin_next(r, &rec), "%s: extra records", names[i]);
		csvin_close(r);
		for (size_t k = 0; k < nh; k++)
			free(h[k]);
		free(h);
		free(json);
	}
}

int
main(void)
{
	const char *data = getenv("DATA");

	test_dates();
	test_zone();
	test_numbers();
	test_hash();
	test_patterns();
	if (data != NULL) {
		char dir[4096];
		snprintf(dir, sizeof dir, "%s/csv-spectrum", data);
		test_spectrum(dir);
	} else
		CHECK(0, "DATA not set: csv-spectrum not tested");
	printf("%d checks, %d failed\n", checks, failures);
	return failures != 0;
}
