/* Unit tests of reading (common/csvin.c, common/stream.c): quotes inside
 * unquoted fields, malformed quoting, empty inputs, encodings, the field
 * cap of a record, several files of a stream, stream_columns.  Each case
 * reads in a child process (fatal() exits), whose records and messages
 * come back as text.  Table-driven; prints each failure, exits 1. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "csvin.h"
#include "stream.h"
#include "util.h"

#include "check.h"

static char dir[] = "/tmp/reading-unit.XXXXXX";
/* Large test inputs: a static pointer, so that a child that exits
 * (fatal) leaves no lost block behind for valgrind to report. */
static char *big;

static const char *
P(const char *name)
{
	static char path[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
	return path[k];
}

static void
put_bytes(const char *name, const char *p, size_t n)
{
	FILE *f = fopen(P(name), "wb");

	if (f == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		printf("cannot write %s\n", P(name));
		exit(1);
	}
}

static void
put_file(const char *name, const char *s)
{
	put_bytes(name, s, strlen(s));
}

/* Run F(ARG) in a child with stdout and stderr into one pipe; the text,
 * then "[exit N]" when the status is not 0.  Static, overwritten. */
static const char *
in_child(void (*f)(const void *), const void *arg)
{
	static char out[4 << 20];
	char drop[4096];
	int fd[2];
	size_t n = 0;
	ssize_t k;
	int st;

	fflush(stdout);
	if (pipe(fd) == -1)
		return "pipe failed";
	pid_t pid = fork();
	if (pid == 0) {
		close(fd[0]);
		dup2(fd[1], 1);
		dup2(fd[1], 2);
		setvbuf(stdout, NULL, _IONBF, 0);
		f(arg);
		fflush(stdout);
		_exit(0);
	}
	close(fd[1]);
	/* Read all of it (the child must not block), keep what fits. */
	while ((k = n + 1 < sizeof out ? read(fd[0], out + n, sizeof out - 1 - n) :
	    read(fd[0], drop, sizeof drop)) > 0)
		if (n + 1 < sizeof out)
			n += (size_t)k;
	close(fd[0]);
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		n += (size_t)snprintf(out + n, sizeof out - n, "[exit %d]",
		    WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	out[n] = '\0';
	return out;
}

/* ---- the reader ------------------------------------------------------ */

struct read_case {
	const char *path;
	struct dialect d;
	enum csvin_kind kind;
	bool lines;		/* show the line of each record: "2:" */
};

/* Records as "a|b/c|d/" (fields with '|', records with '/'). */
static void
print_records(const void *arg)
{
	const struct read_case *c = arg;
	struct csvin *r = csvin_open_kind(c->path, c->d, c->kind);
	struct record rec;

	progname = "t";
	while (csvin_next(r, &rec)) {
		if (c->lines)
			printf("%ld:", rec.line);
		for (size_t i = 0; i < rec.nf; i++)
			printf("%s%.*s", i ? "|" : "", (int)rec.f[i].n, rec.f[i].p);
		printf("/");
	}
	csvin_close(r);
}

static const char *
records(const char *name, const char *bytes, size_t n, struct dialect d,
    enum csvin_kind kind, bool lines)
{
	struct read_case c = { P(name), d, kind, lines };

	put_bytes(name, bytes, n);
	return in_child(print_records, &c);
}

static const struct dialect CSV = { ',', false, false };
static const struct dialect SNIFF = { ',', false, true };

#define QUOTING "(a quoted field ends with a quote followed by ',' or the " \
	"line end; a quote inside it is written twice, \"\")\n[exit 2]"

/* common.md, "Reading CSV": a quote inside an unquoted field is a
 * character; malformed quoting is fatal, at the record's first line, with
 * the field; the records before it are read first. */
static void
test_quotes(void)
{
	static const struct { const char *in, *want; } t[] = {
		{ "a,b\n1,x\"y\n", "1:a|b/2:1|x\"y/" },
		{ "a,b\n1,Mounted 17\" winter tyres\n", "1:a|b/2:1|Mounted 17\" winter tyres/" },
		{ "a,b\n1,b\"\n2,3\n", "1:a|b/2:1|b\"/3:2|3/" },
		{ "a,b\n1,a\"\"b\"\n", "1:a|b/2:1|a\"\"b\"/" },
		{ "a,b\n1,\"q \"\"x\"\"\",2\"\"\n", "1:a|b/2:1|q \"x\"|2\"\"/" },
		{ "a,b\n\n1,\"two\nlines\"\n2,x\"\n", "1:a|b/3:1|two\nlines/5:2|x\"/" },
		{ "a, \"b\"\n", "1:a| \"b\"/" },	/* not quoted: a space first */
		{ "a,b\n1,\"x\"y\n", "1:a|b/t: -:2: field 2 (b): malformed quoting: "
		    "text after the closing quote " QUOTING },
		{ "a,b\n1,\"x\" \n", "1:a|b/t: -:2: field 2 (b): malformed quoting: "
		    "text after the closing quote " QUOTING },
		{ "a,b\n1,2\n\"3\nx,\"y\n", "1:a|b/2:1|2/t: -:3: field 1 (a): "
		    "malformed quoting: text after the closing quote " QUOTING },
		{ "a,b\n1,2\n3,\"open\nmore\n", "1:a|b/2:1|2/t: -:3: field 2 (b): "
		    "malformed quoting: a quoted field is still open at the end of "
		    "the input " QUOTING },
		{ "\"a\"x,b\n", "t: -:1: field 1: malformed quoting: text after "
		    "the closing quote " QUOTING },
		{ "a,b,c\n1,2,3,\"x\"y\n", "1:a|b|c/t: -:2: field 4: malformed "
		    "quoting: text after the closing quote " QUOTING },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		const char *s = records("q.csv", t[i].in, strlen(t[i].in), CSV,
		    CSVIN_STREAM, true);
		/* The fatal message names the file: standard input here. */
		char want[1024];
		snprintf(want, sizeof want, "%s", t[i].want);
		char *m = strstr(want, "-:");
		if (m != NULL) {
			char tail[1024];
			snprintf(tail, sizeof tail, "%s%s", P("q.csv"), m + 1);
			snprintf(m, sizeof want - (size_t)(m - want), "%s", tail);
		}
		CHECK(strcmp(s, want) == 0, "case %zu: %s\n    want %s", i, s, want);
	}
	/* The same with ';', where the message names it. */
	struct dialect semi = { ';', false, false };
	const char *s = records("q.csv", "a;b\n1;\"x\"y\n", 11, semi,
	    CSVIN_STREAM, false);
	CHECK(strstr(s, "followed by ';' or") != NULL, "';': %s", s);
	s = records("q.csv", "a;b\n1;17\" x 3\"\n", 15, semi, CSVIN_STREAM, false);
	CHECK(strcmp(s, "a|b/1|17\" x 3\"/") == 0, "';': %s", s);
	/* The header's dialect: a quote opens a quoted name only at its
	 * start, as the reader reads it; a doubled quote stays inside. */
	static const struct { const char *in, *want; } sn[] = {
		{ "Size 17\";Qty\n1;2\n", "Size 17\"|Qty/1|2/" },
		{ "a\"b\tc\n1\t2\n", "a\"b|c/1|2/" },
		{ "\"a\"\",b\";c\n1;2\n", "a\",b|c/1|2/" },
		{ "\"a,b\";c\n1;2\n", "a,b|c/1|2/" },
		{ "x;\"a,\";c\n1;2;3\n", "x|a,|c/1|2|3/" },
		{ "\"a\"", "a/" },
	};
	for (size_t i = 0; i < sizeof sn / sizeof sn[0]; i++) {
		s = records("q.csv", sn[i].in, strlen(sn[i].in), SNIFF,
		    CSVIN_STREAM, false);
		CHECK(strcmp(s, sn[i].want) == 0, "sniffed %zu: %s", i, s);
	}
}

/* The quote that strict libcsv stops on may be the last byte of a chunk
 * (256 KiB read at once from a file) or the first of the next. */
static void
test_quote_at_chunk_edge(void)
{
	enum { CHUNK = 256 * 1024 };
	size_t n = CHUNK + 64;
	char *b = big = xrealloc(big, n);

	for (int at = CHUNK - 2; at <= CHUNK + 1; at++) {
		memset(b, 'x', n);
		memcpy(b, "a,b\n1,", 6);
		b[at] = '"';
		b[n - 1] = '\n';
		const char *s = records("edge.csv", b, n, CSV, CSVIN_STREAM, false);
		bool ok = strncmp(s, "a|b/1|", 6) == 0 && strlen(s) == 6 + n - 7 + 1 &&
		    s[6 + at - 6] == '"';
		CHECK(ok, "quote at %d: %.40s...", at, s);
	}
}

/* Records without a quote are split by the reader itself, not libcsv
 * (csvin.c, plain_records): the same records, fields and lines as
 * libcsv gives, whatever line ends, blank lines and empty fields they
 * have, and beside records that libcsv reads. */
static void
test_plain(void)
{
	static const struct { const char *in, *want; } t[] = {
		{ "a,b\n1,2\n3,4\n", "1:a|b/2:1|2/3:3|4/" },
		{ "a,b\r\n1,2\r\n3,4\r\n", "1:a|b/2:1|2/3:3|4/" },
		{ "a,b\n1,2\r3,4\n5,6\n", "1:a|b/2:1|2/2:3|4/3:5|6/" },
		{ "a,b\n\n\r\n\r1,2\n\n", "1:a|b/4:1|2/" },
		{ "a,b\n,\n,x\ny,\n", "1:a|b/2:|/3:|x/4:y|/" },
		{ "a,b\n1,2\n3,4", "1:a|b/2:1|2/3:3|4/" },
		{ "a,b\n1,2\n3,", "1:a|b/2:1|2/3:3|/" },
		{ "a,b\n1, 2 \n\t3\t,4\n", "1:a|b/2:1| 2 /3:\t3\t|4/" },
		{ "a,b\n1,2\n3,\"x\"\n4,5\n", "1:a|b/2:1|2/3:3|x/4:4|5/" },
		{ "a,b\n1,2\n3,x\"y\n4,5\n", "1:a|b/2:1|2/3:3|x\"y/4:4|5/" },
		{ "a,b\n1,2\r\"3\",4\n5,6\n", "1:a|b/2:1|2/2:3|4/3:5|6/" },
		{ "a,b\n\"1\n2\",3\n4,5\n", "1:a|b/2:1\n2|3/4:4|5/" },
		{ "a,b\n1,2,3\n4\n", "1:a|b/2:1|2|3/3:4/" },
		{ "a;b\n1;2,3\n", "1:a;b/2:1;2|3/" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		const char *s = records("p.csv", t[i].in, strlen(t[i].in), CSV,
		    CSVIN_STREAM, true);
		CHECK(strcmp(s, t[i].want) == 0, "plain %zu: %s\n    want %s", i,
		    s, t[i].want);
	}
	/* Sniffed ';': a comma is then a character. */
	const char *s = records("p.csv", "a;b\n1;2,3\n4;\n", 13, SNIFF,
	    CSVIN_STREAM, true);
	CHECK(strcmp(s, "1:a|b/2:1|2,3/3:4|/") == 0, "plain ';': %s", s);
}

/* Plain records across the edges of chunks (256 KiB): every record whole,
 * every field NUL-terminated, and csvin_peek_field() sees the records to
 * come as csvin_next() then returns them. */
static void
check_plain_chunks(const void *arg)
{
	const char *path = arg;
	struct csvin *r = csvin_open_kind(path, CSV, CSVIN_STREAM);
	struct record rec;
	struct str peek[3] = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 } };
	long n = 0, bad = 0;
	char want[64];

	progname = "t";
	if (!csvin_next(r, &rec))
		bad++;
	while (csvin_next(r, &rec)) {
		n++;
		int k = snprintf(want, sizeof want, "%ld", n);
		if (rec.nf != 3 || rec.line != n + 1 || rec.f[0].n != (size_t)k ||
		    memcmp(rec.f[0].p, want, (size_t)k) != 0 ||
		    rec.f[0].p[rec.f[0].n] != '\0' || rec.f[1].p[rec.f[1].n] != '\0' ||
		    rec.f[2].p[rec.f[2].n] != '\0' ||
		    (peek[0].p != NULL && (peek[0].n != rec.f[0].n ||
		    memcmp(peek[0].p, rec.f[0].p, rec.f[0].n) != 0))) {
			if (bad++ < 3)
				printf("record %ld (line %ld): %.*s\n", n, rec.line,
				    (int)rec.f[0].n, rec.f[0].p);
		}
		peek[0] = peek[1];
		peek[1] = peek[2];
		peek[2] = csvin_peek_field(r, 3, 0);
	}
	csvin_close(r);
	printf("%ld records, %ld bad", n, bad);
}

static void
test_plain_chunks(void)
{
	size_t cap = 600 * 1024, n = 0;
	char *b = big = xrealloc(big, cap);
	long i = 0;

	n += (size_t)snprintf(b, cap, "n,x,y\n");
	/* Rows of several lengths, a CR LF now and then. */
	while (n + 64 < cap) {
		i++;
		n += (size_t)snprintf(b + n, cap - n, "%ld,%.*s,%s", i,
		    (int)(i % 13), "abcdefghijklm", i % 7 == 0 ? "\r\n" : "z\n");
	}
	put_bytes("chunks.csv", b, n);
	char want[64];
	snprintf(want, sizeof want, "%ld records, 0 bad", i);
	const char *s = in_child(check_plain_chunks, P("chunks.csv"));
	CHECK(strcmp(s, want) == 0, "plain records over chunks: %s (want %s)", s,
	    want);
}

/* An empty input: no record, whatever the kind. */
static void
test_empty(void)
{
	static const struct { const char *in; size_t n; } t[] = {
		{ "", 0 },
		{ "\xEF\xBB\xBF", 3 },
		{ "\xEF\xBB\xBF\n\r\n\n", 7 },
		{ "\n\n", 2 },
		{ "\xFF\xFE", 2 },
		{ "\xFF\xFE\n\0\r\0\n\0", 8 },
		{ "\xFE\xFF\0\n", 4 },
	};
	const struct dialect tsv = { '\t', true, false };
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		for (int k = 0; k < 3; k++) {
			const char *s = records("e.csv", t[i].in, t[i].n,
			    k == 1 ? tsv : SNIFF, k == 2 ? CSVIN_TABLE : CSVIN_STREAM,
			    false);
			CHECK(strcmp(s, "") == 0, "empty %zu (%d): %s", i, k, s);
		}
}

/* More than RECORD_FIELDS_MAX fields: fatal, at the record's line, after
 * the records before it; exactly that many are a record. */
static void
test_field_cap(void)
{
	size_t n = RECORD_FIELDS_MAX;
	char *b = big = xrealloc(big, 2 * n + 64);
	char want[256];

	for (int tsv = 0; tsv < 2; tsv++) {
		struct dialect d = tsv ? (struct dialect){ '\t', true, false } : CSV;
		char sep = tsv ? '\t' : ',';
		size_t k = (size_t)sprintf(b, "a\n\n1\n");
		for (size_t i = 0; i < n - 1; i++)
			b[k++] = sep;
		b[k++] = '\n';
		const char *s = records("cap.csv", b, k, d, CSVIN_STREAM, false);
		CHECK(strncmp(s, "a/1/||||", 8) == 0 && strlen(s) == 4 + n,
		    "%s: %zu fields: %.20s... (%zu)", tsv ? "TSV" : "CSV", n, s,
		    strlen(s));
		k--;
		b[k++] = sep;
		k += (size_t)sprintf(b + k, "\nnot read\n");
		s = records("cap.csv", b, k, d, CSVIN_STREAM, false);
		snprintf(want, sizeof want, "a/1/t: %s:4: more than %d fields in a "
		    "record\n[exit 2]", P("cap.csv"), RECORD_FIELDS_MAX);
		CHECK(strcmp(s, want) == 0, "%s: %zu fields: %.200s", tsv ? "TSV" :
		    "CSV", n + 1, s);
	}
}

/* ---- encodings ------------------------------------------------------- */

struct enc_case {
	const char *in;
	size_t n;
	const char *encoding;
	enum csvin_kind kind;
	const char *want;
};

/* Convert ASCII text to UTF-16LE (BE when BE), with a byte-order mark. */
static size_t
utf16(char *out, const char *s, bool be)
{
	size_t k = 0;

	out[k++] = be ? '\xFE' : '\xFF';
	out[k++] = be ? '\xFF' : '\xFE';
	for (; *s; s++) {
		out[k++] = be ? '\0' : *s;
		out[k++] = be ? *s : '\0';
	}
	return k;
}

static void
read_encoded(const void *arg)
{
	const struct enc_case *c = arg;

	if (csvin_set_encoding(c->encoding) != 0) {
		printf("unknown encoding");
		return;
	}
	struct read_case rc = { P("enc.csv"), SNIFF, c->kind, true };
	print_records(&rc);
}

static void
test_encodings(void)
{
	char le[256], be[256];
	size_t nle = utf16(le, "vin\tnote\r\nW1\t17\"\r\n", false);
	size_t nbe = utf16(be, "vin,note\nW1,\"a,b\"\n", true);
	const struct enc_case t[] = {
		/* --encoding converts the stream and a table not UTF-8 */
		{ "a;b\n1;\xC7\xC0\xCC\xC5\xCD\xC0\n", 0, "cp1251", CSVIN_STREAM,
		  "1:a|b/2:1|ЗАМЕНА/" },
		{ "a;b\n1;\xC7\xC0\xCC\xC5\xCD\xC0\n", 0, "cp1251", CSVIN_TABLE,
		  "1:a|b/2:1|ЗАМЕНА/" },
		/* a table valid as UTF-8 is read as it is; the stream is not */
		{ "a,b\n1,Šiauliai\n", 0, "cp1257", CSVIN_TABLE, "1:a|b/2:1|Šiauliai/" },
		{ "a,b\n1,\xD0\x9C\n", 0, "cp1251", CSVIN_STREAM, "1:a|b/2:1|Рњ/" },
		/* the program's own files are never converted */
		{ "a,b\n1,\xC7\n", 0, "cp1251", CSVIN_OWN, "1:a|b/2:1|\xC7/" },
		/* a UTF-8 byte-order mark says UTF-8, even with --encoding */
		{ "\xEF\xBB\xBF" "a,b\n1,\xC3\xA9\n", 0, "latin1", CSVIN_STREAM,
		  "1:a|b/2:1|é/" },
		/* UTF-16 by its byte-order mark, with or without --encoding */
		{ le, nle, NULL, CSVIN_STREAM, "1:vin|note/2:W1|17\"/" },
		{ le, nle, "cp1251", CSVIN_TABLE, "1:vin|note/2:W1|17\"/" },
		{ be, nbe, NULL, CSVIN_STREAM, "1:vin|note/2:W1|a,b/" },
		/* ... but not in the program's own file */
		{ "\xFF\xFE" "a,b\n", 6, NULL, CSVIN_OWN, "1:\xFF\xFE" "a|b/" },
		/* line numbers are physical lines; the records before a byte
		 * that does not convert are read first */
		{ "a,b\n\"1\n2\",x\n\n3,\x98\n", 0, "cp1251", CSVIN_STREAM,
		  "1:a|b/2:1\n2|x/t: FILE:5: cannot read '\\x98' as cp1251 "
		  "(see --encoding)\n[exit 2]" },
		{ "\xFF\xFE" "a\0\n\0\n\0\0\xD8" "b\0", 12, NULL, CSVIN_STREAM,
		  "1:a/t: FILE:3: cannot read '\\x00\\xD8' as UTF-16LE (the file "
		  "starts with a UTF-16LE byte-order mark)\n[exit 2]" },
		{ "\xFF\xFE" "a\0\n\0b", 7, NULL, CSVIN_STREAM,
		  "1:a/t: FILE:2: the file ends inside a UTF-16LE character, at "
		  "'\\x62' (the file starts with a UTF-16LE byte-order mark)\n[exit 2]" },
		{ "a\n", 0, "no-such-encoding", CSVIN_STREAM, "unknown encoding" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		size_t n = t[i].n ? t[i].n : strlen(t[i].in);
		char want[512];
		const char *f = strstr(t[i].want, "FILE");
		if (f != NULL)
			snprintf(want, sizeof want, "%.*s%s%s", (int)(f - t[i].want),
			    t[i].want, P("enc.csv"), f + 4);
		else
			snprintf(want, sizeof want, "%s", t[i].want);
		put_bytes("enc.csv", t[i].in, n);
		const char *s = in_child(read_encoded, &t[i]);
		CHECK(strcmp(s, want) == 0, "case %zu: %s\n    want %s", i, s, want);
	}
	CHECK(csvin_set_encoding("no-such-encoding") == -1 &&
	    csvin_encoding() == NULL, "an unknown encoding is refused");
	CHECK(csvin_set_encoding("CP1257") == 0 &&
	    strcmp(csvin_encoding(), "CP1257") == 0, "CP1257 is known");
	csvin_set_encoding(NULL);
}

/* UTF-16 of more than one chunk: characters cut between reads (a
 * surrogate pair across the edge of the raw buffer), and text that grows
 * in conversion (CJK: 2 bytes, 3 in UTF-8) filling the chunk buffer. */
static void
test_encoding_chunks(void)
{
	enum { CHUNK = 256 * 1024 };
	static const char pair[] = "\x3D\xD8\x97\xDE";	/* U+1F697, LE */
	static const char cjk[] = "\x0A\x8F";		/* U+8F0A, LE */

	for (int shift = 0; shift < 4; shift++) {
		size_t units = (CHUNK + 4096) / 2, n = 0;
		char *b = big = xrealloc(big, units * 2 + 64);
		memcpy(b, "\xFF\xFE" "a\0\n\0", 6);
		n = 6;
		/* the pair starts at CHUNK - 4 + 2*shift - 2 */
		while (n < (size_t)CHUNK - 6 + 2 * (size_t)shift) {
			memcpy(b + n, cjk, 2);
			n += 2;
		}
		memcpy(b + n, pair, 4);
		n += 4;
		for (int i = 0; i < 1000; i++) {
			memcpy(b + n, cjk, 2);
			n += 2;
		}
		memcpy(b + n, "\n\0", 2);
		n += 2;
		put_bytes("big16.csv", b, n);
		struct read_case c = { P("big16.csv"), SNIFF, CSVIN_STREAM, false };
		const char *s = in_child(print_records, &c);
		size_t ncjk_before = (n - 6 - 4 - 2) / 2 - 1000;
		bool ok = strncmp(s, "a/", 2) == 0 &&
		    strlen(s) == 2 + 3 * ncjk_before + 4 + 3 * 1000 + 1;
		for (size_t i = 0; ok && i < ncjk_before; i++)
			ok = memcmp(s + 2 + 3 * i, "\xE8\xBC\x8A", 3) == 0;
		ok = ok && memcmp(s + 2 + 3 * ncjk_before, "\xF0\x9F\x9A\x97", 4) == 0;
		CHECK(ok, "UTF-16 over a chunk edge (%d): %zu bytes, %.20s", shift,
		    strlen(s), s);
	}
}

/* ---- the stream ------------------------------------------------------ */

struct stream_case {
	const char *files[4];
	int nfiles;
	const struct colmap *map;
	size_t nmap;
	const struct column *spec;
	bool need;		/* stream_need of the first spec column */
};

static void
print_stream(const void *arg)
{
	const struct stream_case *c = arg;
	char *files[4];
	struct stream s;
	struct record rec;

	progname = "t";
	for (int i = 0; i < c->nfiles; i++)
		files[i] = (char *)P(c->files[i]);
	stream_open(&s, files, c->nfiles, SNIFF, c->map, c->nmap);
	if (c->spec != NULL) {
		stream_columns(&s, c->spec);
		for (const struct column *k = c->spec; k->name; k++)
			printf("%s=%d ", k->name, *k->col);
	}
	if (c->need)
		printf("need=%d ", stream_need(&s, c->spec[0].name));
	printf("%s%c ", stream_empty(&s) ? "empty" : "header",
	    s.dialect.tsv ? 't' : s.dialect.delim);
	while (stream_next(&s, &rec)) {
		for (size_t i = 0; i < rec.nf; i++)
			printf("%s%.*s", i ? "|" : "", (int)rec.f[i].n, rec.f[i].p);
		printf("/");
	}
	stream_close(&s);
}

/* The file names in a child's text: "DIR/" dropped. */
static const char *
names(const char *s)
{
	static char out[1 << 16];
	size_t n = 0, dl = strlen(dir);

	while (*s && n + 1 < sizeof out) {
		if (strncmp(s, dir, dl) == 0 && s[dl] == '/') {
			s += dl + 1;
			continue;
		}
		out[n++] = *s++;
	}
	out[n] = '\0';
	return out;
}

static void
test_stream(void)
{
	int ca, cb, cn;
	const struct column spec[] = {
		{ "a", true, &ca }, { "acknowledged_at", false, &cb },
		{ "km", false, &cn }, { NULL, false, NULL }
	};
	const struct column need2[] = {
		{ "a", true, &ca }, { "vin", true, &cb }, { "date", true, &cn },
		{ NULL, false, NULL }
	};
	static const struct colmap good = { "acknowledged_at", "Ack" };
	static const struct colmap typo = { "acknowledge_at", "Ack" };

	put_file("e.csv", "");
	put_file("blank.csv", "\xEF\xBB\xBF\n\r\n");
	put_file("x.csv", "a;Acknowleged_At;k\n1;2;3\n");
	put_file("y.csv", "A ; acknowleged_at;K\n4;5;6\n");
	put_file("z.csv", "a;b\n");
	put_file("comma.csv", "a,Acknowleged_At,k\n7,8,9\n");
	put_file("ack.csv", "a,Ack\n1,2\n");
	const struct {
		struct stream_case c;
		const char *want;
	} t[] = {
		/* empty files contribute nothing; the first non-empty file
		 * gives the header and the dialect of the rest */
		{ { { "e.csv", "x.csv", "blank.csv", "y.csv" }, 4, NULL, 0, NULL, false },
		  "header; 1|2|3/4|5|6/" },
		{ { { "e.csv", "blank.csv" }, 2, NULL, 0, spec, false },
		  "a=-1 acknowledged_at=-1 km=-1 empty, " },
		{ { { "x.csv", "comma.csv" }, 2, NULL, 0, NULL, false },
		  "header; 1|2|3/t: comma.csv:1: header differs from that of x.csv: "
		  "column 1 is 'a,Acknowleged_At,k', not 'a' (the files of a stream "
		  "have the same columns in the same order)\n[exit 2]" },
		{ { { "x.csv", "e.csv", "z.csv" }, 3, NULL, 0, NULL, false },
		  "header; 1|2|3/t: z.csv:1: header differs from that of x.csv: "
		  "column 2 is 'b', not 'Acknowleged_At' (the files of a stream "
		  "have the same columns in the same order)\n[exit 2]" },
		/* near misses: warned; k is one edit from km */
		{ { { "x.csv" }, 1, NULL, 0, spec, false },
		  "t: x.csv: column 'Acknowleged_At' is not read; did you mean "
		  "'acknowledged_at'?\nt: x.csv: column 'k' is not read; did you "
		  "mean 'km'?\na=0 acknowledged_at=-1 km=-1 header; 1|2|3/" },
		/* --map: the name read is found; a name not read is refused */
		{ { { "ack.csv" }, 1, &good, 1, spec, false },
		  "a=0 acknowledged_at=1 km=-1 header, 1|2/" },
		{ { { "ack.csv" }, 1, &typo, 1, spec, false },
		  "t: --map acknowledge_at=Ack: t reads no column 'acknowledge_at' "
		  "(it reads: a, acknowledged_at, km)\n[exit 2]" },
		{ { { "e.csv" }, 1, &typo, 1, spec, false },
		  "t: --map acknowledge_at=Ack: t reads no column 'acknowledge_at' "
		  "(it reads: a, acknowledged_at, km)\n[exit 2]" },
		/* every missing required column in one message */
		{ { { "ack.csv" }, 1, NULL, 0, need2, false },
		  "t: ack.csv: missing required columns 'vin', 'date' (columns "
		  "found: a, Ack)\n[exit 2]" },
		/* stream_need (kept for the port): an empty stream stops */
		{ { { "e.csv", "blank.csv" }, 2, NULL, 0, spec, true },
		  "a=-1 acknowledged_at=-1 km=-1 t: e.csv: no header line\n[exit 2]" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		const char *s = names(in_child(print_stream, &t[i].c));
		CHECK(strcmp(s, t[i].want) == 0, "stream %zu: %s\n    want %s", i,
		    s, t[i].want);
	}
}

static void
open_table(const void *arg)
{
	struct stream s;
	struct record rec;
	int c;
	const struct column spec[] = { { "date", true, &c }, { NULL, false, NULL } };

	progname = "t";
	table_open(&s, P(arg), "holidays");
	stream_columns(&s, spec);
	printf("%s date=%d ", stream_empty(&s) ? "empty" : "header", c);
	while (stream_next(&s, &rec))
		printf("%.*s/", (int)rec.f[0].n, rec.f[0].p);
	stream_close(&s);
}

static void
test_tables(void)
{
	put_file("t1.csv", "\xEF\xBB\xBF\n\n");
	put_file("t2.csv", "Date\tregion\n2026-01-01\tLT\n");
	put_file("t3.csv", "dates\n");
	const char *s = in_child(open_table, "t1.csv");
	CHECK(strcmp(s, "empty date=-1 ") == 0, "empty table: %s", s);
	s = in_child(open_table, "t2.csv");
	CHECK(strcmp(s, "header date=0 2026-01-01/") == 0, "table: %s", s);
	s = names(in_child(open_table, "t3.csv"));
	CHECK(strcmp(s, "t: t3.csv: column 'dates' is not read; did you mean "
	    "'date'?\nt: t3.csv: missing column 'date' (columns found: dates)\n"
	    "[exit 2]") == 0, "table without date: %s", s);
}

/* common.md: close = at most one edit for names of five characters or
 * fewer, two for longer; an edit adds, drops or changes a letter or swaps
 * two adjacent ones; case and surrounding white space do not count. */
static void
test_near_miss(void)
{
	static const struct { const char *name, *header; bool near; } t[] = {
		{ "acknowledged_at", "acknowleged_at", true },
		{ "acknowledged_at", " Acknowleged_At ", true },
		{ "received_at", "recieved_at", true },
		{ "received_at", "recived_a", true },
		{ "received_at", "recived_", false },
		{ "acknowledged_at", "acknowledged", false },
		{ "km", "mk", true },
		{ "km", "kms", true },
		{ "km", "k", true },
		{ "km", "KM", false },		/* the name itself */
		{ "km", "", false },
		{ "km", "kmh_", false },
		{ "vin", "vim", true },
		{ "vin", "vni", true },
		{ "vin", "id", false },
		{ "plate", "palte", true },
		{ "plate", "plates", true },
		{ "plate", "plat", true },
		{ "plate", "palt", false },	/* two edits: five letters or fewer */
		{ "status", "stauts", true },
		{ "status", "sttaus", true },
		{ "status", "tsatsu", true },	/* two swaps: six letters */
		{ "status", "statuses", true },
		{ "status", "sta", false },
		{ "ca", "abc", false },		/* OSA: 3 */
		{ "services", "service", true },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		CHECK(column_near_miss(t[i].name, str_of(t[i].header)) == t[i].near,
		    "near miss '%s' '%s': want %d", t[i].name, t[i].header, t[i].near);
	/* a long header name costs nothing */
	char *longname = xmalloc(2000001);
	memset(longname, 'a', 2000000);
	longname[2000000] = '\0';
	CHECK(!column_near_miss("aaa", str_of(longname)), "long name");
	free(longname);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_quotes();
	test_quote_at_chunk_edge();
	test_plain();
	test_plain_chunks();
	test_empty();
	test_field_cap();
	test_encodings();
	test_encoding_chunks();
	test_stream();
	test_tables();
	test_near_miss();
	free(big);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("cannot remove %s\n", dir);
	printf("%d checks, %d failed\n", checks, failures);
	return failures != 0;
}
