/* Regression tests of hostile input and faults (docs/RELIABILITY.md): each
 * case is something the fuzz targets (tests/fuzz/) or the fault tests found.
 * Prints each failure, exits 1. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "csvin.h"
#include "csvout.h"
#include "datetime.h"
#include "field.h"
#include "num.h"
#include "opts.h"
#include "pattern.h"
#include "stream.h"
#include "util.h"

#include "check.h"

/* All records of PATH as text: fields joined by '|', records by '/'. */
static char *
records(const char *path, struct dialect d, struct dialect *used)
{
	static char out[65536];
	struct csvin *r = csvin_open(path, d);
	struct record rec;
	size_t n = 0;

	out[0] = '\0';
	while (csvin_next(r, &rec)) {
		for (size_t i = 0; i < rec.nf; i++)
			n += (size_t)snprintf(out + n, sizeof out - n, "%s%.*s",
			    i ? "|" : "", (int)rec.f[i].n, rec.f[i].p);
		n += (size_t)snprintf(out + n, sizeof out - n, "/");
	}
	if (used)
		*used = csvin_dialect(r);
	csvin_close(r);
	return out;
}

/* Records of the bytes CHUNKS (NULL-terminated) written into a pipe one
 * after another, 100 ms apart, as a slow writer would. */
static char *
records_from_pipe(const char *const *chunks, struct dialect d,
    struct dialect *used)
{
	int fd[2];
	char path[64];
	pid_t pid;

	if (pipe(fd) == -1)
		return "pipe failed";
	if ((pid = fork()) == 0) {
		close(fd[0]);
		for (int i = 0; chunks[i]; i++) {
			if (i)
				usleep(100000);
			if (write(fd[1], chunks[i], strlen(chunks[i])) < 0)
				_exit(1);
		}
		_exit(0);
	}
	close(fd[1]);
	snprintf(path, sizeof path, "/dev/fd/%d", fd[0]);
	char *s = records(path, d, used);
	close(fd[0]);
	waitpid(pid, NULL, 0);
	return s;
}

/* fuzz csv: the dialect of a table was sniffed from the first read() only;
 * a header line arriving in several reads (a pipe) was read as CSV. */
static void
test_sniff_pipe(void)
{
	static const char *const tsv[] = { "abc", "\tdef\n1\t2\n", NULL };
	static const char *const semi[] = { "ab", "c;d\n1;2\n", NULL };
	static const char *const quoted[] = { "\"a,", "b\";c\n1;2\n", NULL };
	struct dialect sn = { ',', false, true }, used;
	char *s;

	s = records_from_pipe(tsv, sn, &used);
	CHECK(used.tsv && strcmp(s, "abc|def/1|2/") == 0,
	    "header in two reads, TSV: %s", s);
	s = records_from_pipe(semi, sn, &used);
	CHECK(used.delim == ';' && strcmp(s, "abc|d/1|2/") == 0,
	    "header in two reads, ';': %s", s);
	s = records_from_pipe(quoted, sn, &used);
	CHECK(used.delim == ';' && strcmp(s, "a,b|c/1|2/") == 0,
	    "header in two reads, quoted ',': %s", s);
}

/* fuzz csv: a byte-order mark that came alone in the first read() (a pipe:
 * `{ printf '\357\273\277'; cat x.csv; } | prog`) was taken for the end
 * of the input: "no header line". */
static void
test_bom_alone(void)
{
	static const char *const chunks[] = { "\xEF\xBB\xBF", "a,b\n1,2\n", NULL };
	static const char *const tsv[] = { "\xEF\xBB\xBF", "a\tb\n1\t2\n", NULL };
	struct dialect csv = { ',', false, false }, sn = { ',', false, true };
	char *s;

	s = records_from_pipe(chunks, csv, NULL);
	CHECK(strcmp(s, "a|b/1|2/") == 0, "BOM alone in the first read: %s", s);
	s = records_from_pipe(tsv, sn, NULL);
	CHECK(strcmp(s, "a|b/1|2/") == 0, "BOM alone, sniffed: %s", s);
}

/* fuzz num: a dropped fraction of more than 15 digits made the count
 * invalid; many thousands groups overflowed a signed integer (UBSan). */
static void
test_count_edges(void)
{
	static const struct { const char *in; long long want; } c[] = {
		{ "555555,55555555555555555", 555555 },
		{ "12.0000000000000000001", 12 },
		{ "999999999999999 999 999 999 999 999 999 999", -1 },
		{ "1,000,000,000,000,000,000,000,000,000,000,000", -1 },
		{ "999,999,999,999,999", 999999999999999LL },
		{ "1,000,000,000,000,000", -1 },
		{ "9999999999999999999999999999", -1 },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		long long v = -1;
		int rc = parse_count(str_of(c[i].in), &v);
		CHECK(rc == (c[i].want < 0 ? -1 : 0) && (rc != 0 || v == c[i].want),
		    "parse_count(%s) = %d, %lld; want %lld", c[i].in, rc, v,
		    c[i].want);
	}
}

/* Records of the bytes S, read from a temporary file at PATH. */
static char *
records_of(const char *path, const char *s, size_t n, struct dialect d)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(s, 1, n, f) != n || fclose(f) != 0)
		return "cannot write";
	return records(path, d, NULL);
}

/* fuzz csv: in TSV, an escaped \r ending the last field of a line was
 * taken for the CR of a CRLF line end and dropped: a field ending in CR
 * written by csvout did not read back. */
static void
test_tsv_escaped_cr(const char *tmp)
{
	struct dialect t = { '\t', true, false };
	static const char in[] = "a\tb\nx\ty\\r\nu\tv\\r\r\nw\tz\r\n";
	char *s = records_of(tmp, in, sizeof in - 1, t);

	CHECK(strcmp(s, "a|b/x|y\r/u|v\r/w|z/") == 0, "TSV escaped CR at line end: %s",
	    s);
}

/* fuzz datetime: date_add_months before year 1 indexed the month table
 * with a negative month. */
static void
test_months_before_year_one(void)
{
	day_t d;
	int y, m, dd;
	char buf[32];

	d = days_from_civil(26, 1, 31);	/* no input date is so early */
	civil_from_days(date_add_months(d, -1280), &y, &m, &dd);
	CHECK(m >= 1 && m <= 12 && dd >= 1 && dd <= 31 && y * 12 + m == 26 * 12 + 1 - 1280,
	    "0026-01-31 - 1280 months = %d-%d-%d", y, m, dd);
	d = days_from_civil(1, 3, 31);
	civil_from_days(date_add_months(d, -3), &y, &m, &dd);
	CHECK(y == 0 && m == 12 && dd == 31, "0001-03-31 - 3 months = %d-%d-%d", y, m, dd);
	parse_iso_date(str_of("2026-03-31"), &d);
	fmt_date(buf, date_add_months(d, -25));
	CHECK(strcmp(buf, "2024-02-29") == 0, "2026-03-31 - 25 months = %s", buf);
}

/* warranty-check on a contract of 9999-06-01 + 24 months: fmt_date of a
 * year past 9999 returned 11 (snprintf's count) after writing 10 bytes, and
 * the output got "10001-05-3" and a NUL byte.  Dates outside 0001..9999
 * print as the nearest end of the range, always YYYY-MM-DD. */
static void
test_fmt_date_range(void)
{
	char buf[64];
	size_t n;

	memset(buf, 'x', sizeof buf);
	n = fmt_date(buf, days_from_civil(10001, 5, 31));
	CHECK(n == DATE_LEN && strlen(buf) == DATE_LEN && strcmp(buf, "9999-12-31") == 0,
	    "fmt_date of 10001-05-31: %zu '%s'", n, buf);
	n = fmt_date(buf, days_from_civil(-5, 1, 1));
	CHECK(n == DATE_LEN && strcmp(buf, "0001-01-01") == 0,
	    "fmt_date of year -5: %zu '%s'", n, buf);
	n = fmt_date(buf, days_from_civil(9999, 12, 31));
	CHECK(n == DATE_LEN && strcmp(buf, "9999-12-31") == 0, "9999-12-31: '%s'", buf);
	n = fmt_rfc3339(buf, (tstamp)days_from_civil(12000, 1, 1) * 86400);
	CHECK(n == RFC3339_LEN && strlen(buf) == RFC3339_LEN, "fmt_rfc3339 far: %zu '%s'",
	    n, buf);
}

/* Write one row of FIELDS with csvout to a file, return the file's text. */
static char *
write_row(const char *path, struct dialect d, bool excel,
    const char *const *fields)
{
	static char buf[4096];
	struct csvout *w = csvout_open(path, d, false, excel);
	FILE *f;
	size_t n;

	for (int i = 0; fields[i]; i++)
		csvout_cstr(w, fields[i]);
	csvout_endrow(w);
	csvout_close(w);
	if ((f = fopen(path, "rb")) == NULL)
		return "";
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* fuzz csv: with -d "'" and --excel-safe, the guard quote is the
 * delimiter, and the field was written unquoted: "@x" came back as two
 * fields. */
static void
test_excel_guard_delim(const char *tmp)
{
	static const char *const row[] = { "@x", "=1", "b", NULL };
	struct dialect d = { '\'', false, false };
	char *text = write_row(tmp, d, true, row);
	char *s = records(tmp, d, NULL);

	CHECK(strcmp(s, "'@x|'=1|b/") == 0, "-d \"'\" --excel-safe: %s read back as %s",
	    text, s);
}

/* The writer's fast path copies a field and looks for special bytes in
 * the copy sixteen at a time: every length up to 40, every special byte
 * (or none) at every position, after fields that fill the buffer to every
 * offset, is written as the plain rule says (RFC 4180 minimal quoting). */
static void
test_quoting_positions(const char *tmp)
{
	static const char specials[] = { ',', '"', '\n', '\r', 'x' };
	struct dialect d = { ',', false, false };
	struct csvout *w = csvout_open(tmp, d, false, false);
	char *want = malloc(1 << 22), field[64];
	size_t wn = 0;
	int rows = 0;

	for (size_t len = 0; len <= 40; len++)
		for (size_t at = 0; at < (len ? len : 1); at++)
			for (size_t k = 0; k < sizeof specials; k++) {
				/* A first field of varying length moves the
				 * second across the sixteen-byte steps. */
				size_t lead = (len * 7 + at * 3 + k) % 23;
				memset(field, 'a', lead);
				csvout_field(w, field, lead);
				memcpy(want + wn, field, lead);
				wn += lead;
				for (size_t i = 0; i < len; i++)
					field[i] = (char)('b' + i % 20);
				if (len)
					field[at] = specials[k];
				csvout_field(w, field, len);
				want[wn++] = ',';
				bool q = memchr(field, ',', len) || memchr(field, '"', len) ||
				    memchr(field, '\n', len) || memchr(field, '\r', len);
				if (q)
					want[wn++] = '"';
				for (size_t i = 0; i < len; i++) {
					want[wn++] = field[i];
					if (field[i] == '"')
						want[wn++] = '"';
				}
				if (q)
					want[wn++] = '"';
				csvout_endrow(w);
				want[wn++] = '\n';
				rows++;
			}
	csvout_close(w);
	FILE *f = fopen(tmp, "rb");
	char *got = malloc(1 << 22);
	size_t gn = f ? fread(got, 1, 1 << 22, f) : 0;
	if (f)
		fclose(f);
	size_t i = 0;
	while (i < gn && i < wn && got[i] == want[i])
		i++;
	CHECK(gn == wn && i == wn, "%d rows: output differs at byte %zu of %zu/%zu",
	    rows, i, gn, wn);
	free(got);
	free(want);
}

/* fuzz csv: a row of one empty field (written ""), then a row of one field
 * quoted on the fast path: the second row kept the first's "empty" mark
 * and got "" appended, "a,b""" read back as a,b". */
static void
test_single_field_rows(const char *tmp)
{
	struct dialect d = { ',', false, false };
	struct csvout *w = csvout_open(tmp, d, false, false);
	char buf[64];
	FILE *f;
	size_t n;

	csvout_field(w, "", 0);
	csvout_endrow(w);
	csvout_field(w, "a,b", 3);
	csvout_endrow(w);
	csvout_field(w, "", 0);
	csvout_endrow(w);
	csvout_field(w, "line\nbreak", 10);
	csvout_endrow(w);
	csvout_field(w, "", 0);
	csvout_endrow(w);
	csvout_known(w, "2026", 4);
	csvout_endrow(w);
	csvout_close(w);
	f = fopen(tmp, "rb");
	n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
	CHECK(strcmp(buf, "\"\"\n\"a,b\"\n\"\"\n\"line\nbreak\"\n\"\"\n2026\n") == 0,
	    "single-field rows after an empty one: [%s]", buf);
}

/* What FN(ARG) writes on stderr, into OUT (CAP bytes). */
static char *
stderr_of(void (*fn)(void *), void *arg, const char *path, char *out,
    size_t cap)
{
	FILE *f;
	size_t n;

	fflush(stderr);
	int saved = dup(2), fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dup2(fd, 2);
	close(fd);
	fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	out[0] = '\0';
	if ((f = fopen(path, "rb")) != NULL) {
		n = fread(out, 1, cap - 1, f);
		out[n] = '\0';
		fclose(f);
	}
	return out;
}

struct bad_rows {
	const char *path;
	struct app app;
};

/* Each getter once on the first row of a table. */
static void
read_bad_rows(void *arg)
{
	struct bad_rows *b = arg;
	struct stream s;
	struct record r;
	struct row w;
	day_t d;
	long long n;

	table_open(&s, b->path, "test");
	while (stream_next(&s, &r)) {
		row_start(&w, &b->app, &s, &r, ROW_DATA);
		get_date(&w, 0, REQUIRED, &d);
		row_start(&w, &b->app, &s, &r, ROW_DATA);
		get_count(&w, 1, REQUIRED, &n);
	}
	stream_close(&s);
}

/* fuzz field: a column name was put into a bad value's message as it is:
 * a header name with a line break (quoted) or a control byte split the
 * message or moved the terminal's cursor.  It is escaped, as the value
 * is and as stream.c's messages show names. */
static void
test_column_name_escaped(const char *tmp)
{
	struct bad_rows b;
	char path[80], err[2048], want[2048];
	FILE *f;

	memset(&b, 0, sizeof b);
	b.path = tmp;
	common_init(&b.app.opt);
	snprintf(path, sizeof path, "%s.err", tmp);
	if ((f = fopen(tmp, "wb")) == NULL)
		return;
	fputs("\"due\ndate\",\"km\033[2J\"\n2026-02-30,\n", f);
	fclose(f);
	stderr_of(read_bad_rows, &b, path, err, sizeof err);
	unlink(path);
	snprintf(want, sizeof want,
	    "robust: %s:3: due\\ndate: invalid date '2026-02-30' "
	    "(expected YYYY-MM-DD; see --date-format)\n"
	    "robust: %s:3: km\\x1b[2J: missing value\n", tmp, tmp);
	CHECK(strcmp(err, want) == 0, "column names in messages:\n%s", err);
}

/* fuzz field: str_msg cut a long value in the middle of a UTF-8
 * character ("aaaa\xc4..."): a message of valid text was not valid UTF-8.
 * It cuts between characters. */
static void
test_msg_cut_utf8(void)
{
	static const struct { const char *value; size_t cap; const char *want; } t[] = {
		{ "aaaa\xc4\x85", 9, "aaaa..." },	/* ą: 2 bytes */
		{ "aaaa\xc4\x85", 10, "aaaa\xc4\x85" },
		{ "aaa\xe2\x82\xac", 9, "aaa..." },	/* €: 3 bytes */
		{ "a\xf0\x9f\x9a\x97" "b", 8, "a..." },	/* 🚗: 4 bytes */
		{ "a\xf0\x9f\x9a\x97" "b", 9, "a\xf0\x9f\x9a\x97..." },
		{ "aaaa\xc4\xff", 9, "aaaa\xc4..." },	/* not UTF-8: bytes */
		{ "a\nb\xc4\x85", 9, "a\\nb..." },
		{ "a\nb\xc4\x85", 10, "a\\nb\xc4\x85" },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		str_msg(buf, t[i].cap, str_of(t[i].value));
		CHECK(strcmp(buf, t[i].want) == 0, "str_msg case %zu: '%s'", i, buf);
	}
}

/* fuzz field: the --date-format went into "expected FMT or YYYY-MM-DD"
 * as it is: a control byte in it reached the message.  Escaped as
 * option values are. */
static void
test_date_format_escaped(void)
{
	dt_init("Europe/Vilnius", "%d.%m.%Y\n\001");
	CHECK(strcmp(date_expected(false), "%d.%m.%Y\\n\\x01 or YYYY-MM-DD") == 0,
	    "date_expected: '%s'", date_expected(false));
	dt_init("Europe/Vilnius", NULL);
}

/* fuzz field: with --date-format the value was copied into a C string
 * for strptime, which stopped at a NUL byte: "05.01.2026", NUL, "junk" was
 * the date 2026-01-05, where ISO reading refuses such a value. */
static void
test_date_format_nul(void)
{
	static const char v[] = "05.01.2026\0junk";
	struct str s = { v, sizeof v - 1 };
	day_t d;
	tstamp t;

	dt_init("Europe/Vilnius", "%d.%m.%Y");
	CHECK(parse_date(s, &d) == -1, "a date with a NUL byte read");
	CHECK(parse_timestamp(s, &t, NULL) == -1, "a timestamp with a NUL byte read");
	CHECK(parse_date(str_of(v), &d) == 0 && d == days_from_civil(2026, 1, 5),
	    "the date before the NUL");
	dt_init("Europe/Vilnius", NULL);
	CHECK(parse_date((struct str){ "2026-01-05\0", 11 }, &d) == -1,
	    "an ISO date with a NUL byte read");
}

int
main(void)
{
	char tmp[] = "/tmp/robust.XXXXXX";
	char path[64];

	progname = "robust";
	signal(SIGPIPE, SIG_IGN);
	if (mkdtemp(tmp) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof path, "%s/out.csv", tmp);
	dt_init("Europe/Vilnius", NULL);
	test_sniff_pipe();
	test_bom_alone();
	test_count_edges();
	test_excel_guard_delim(path);
	test_quoting_positions(path);
	test_single_field_rows(path);
	test_tsv_escaped_cr(path);
	test_months_before_year_one();
	test_fmt_date_range();
	test_column_name_escaped(path);
	test_msg_cut_utf8();
	test_date_format_escaped();
	test_date_format_nul();
	unlink(path);
	rmdir(tmp);
	printf("%d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
