/* fuzz_csv.c — the CSV/TSV reader and writer.
 *
 * Input: byte 0 chooses the dialect (bits 0-2), --crlf (bit 3),
 * --excel-safe (bit 4) and how the second read is cut (bits 5-7, with
 * byte 1); byte 1 is also the delimiter of dialect 7.  The rest is the file.
 * Quotes inside unquoted fields and UTF-16 by its byte-order mark are read
 * here too (fuzz_enc.c checks the conversion against iconv).
 * Checks:
 *  - reading never crashes; a malformed file is fatal (trapped), never
 *    anything else; every field is NUL-terminated at its length; records
 *    start on non-decreasing lines (a bare CR ends a record, only LF
 *    counts lines), no later than the last line;
 *  - the same records (fields, lines) and the same outcome (the fatal
 *    message with its line included), however the input is cut into reads,
 *    and with the reader's fast path off (libcsv reads every record);
 *  - the records written with csvout and read again are the same records
 *    (with --excel-safe: each field the same or with a leading ').
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "csvout.h"
#include "fuzz.h"
#include "util.h"

struct buf {
	char *p;
	size_t n, cap;
};

static void
put(struct buf *b, const void *p, size_t n)
{
	if (b->p == NULL || b->n + n > b->cap) {
		while (b->n + n > b->cap)
			b->cap = b->cap ? b->cap * 2 : 4096;
		b->p = realloc(b->p, b->cap);
		if (b->p == NULL)
			abort();
	}
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void
put_size(struct buf *b, size_t v)
{
	put(b, &v, sizeof v);
}

static size_t
get_size(const char **p)
{
	size_t v;

	memcpy(&v, *p, sizeof v);
	*p += sizeof v;
	return v;
}

/* The reader being used when fatal() struck, closed after the longjmp. */
static struct csvin *volatile cur;

/* Read everything: records serialized into OUT (with line numbers when
 * LINES), count in *NREC.  Returns true if the read ended in fatal(). */
static bool
read_all(const uint8_t *data, size_t n, struct dialect d, unsigned seed,
    struct buf *out, bool lines, size_t *nrec, struct dialect *used)
{
	struct record rec;
	long last = 0, maxline = 1;
	size_t total = 0;

	for (size_t i = 0; i < n; i++)
		maxline += data[i] == '\n';
	out->n = 0;
	put(out, "", 0);
	*nrec = 0;
	fuzz_input(data, n, seed);
	fuzz_msg_reset();
	if (setjmp(fuzz_jb)) {
		csvin_close(cur);
		cur = NULL;
		/* The message, with its FILE:LINE, is part of the outcome. */
		const char *m = fuzz_msg();
		put_size(out, strlen(m));
		put(out, m, strlen(m));
		return true;
	}
	fuzz_trap();
	cur = csvin_open("-", d);
	while (csvin_next(cur, &rec)) {
		FUZZ_CHECK(rec.nf >= 1, "record without fields");
		/* A bare CR ends a record too, but only LF counts lines. */
		FUZZ_CHECK(rec.line >= last && rec.line >= 1 && rec.line <= maxline,
		    "record %zu starts on line %ld after line %ld (max %ld)",
		    *nrec, rec.line, last, maxline);
		last = rec.line;
		if (lines)
			put_size(out, (size_t)rec.line);
		put_size(out, rec.nf);
		for (size_t i = 0; i < rec.nf; i++) {
			FUZZ_CHECK(rec.f[i].p[rec.f[i].n] == '\0',
			    "field not NUL-terminated");
			put_size(out, rec.f[i].n);
			put(out, rec.f[i].p, rec.f[i].n);
			total += rec.f[i].n;
		}
		(*nrec)++;
	}
	/* UTF-16 (told by its mark) takes up to 3 bytes in UTF-8 for 2. */
	bool utf16 = n >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) ||
	    (data[0] == 0xFE && data[1] == 0xFF));
	FUZZ_CHECK(total <= (utf16 ? n / 2 * 3 : n),
	    "%zu field bytes from %zu input bytes", total, n);
	*used = csvin_dialect(cur);
	csvin_close(cur);
	cur = NULL;
	fuzz_untrap();
	return false;
}

static struct buf whole, cut, slow, plain, again;

static bool
same(const struct buf *a, const struct buf *b)
{
	return a->n == b->n && (a->n == 0 || memcmp(a->p, b->p, a->n) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dialect d = { ',', false, false }, used, used2, used3;
	size_t n1, n2, n3;
	bool crlf, excel;
	unsigned seed;

	if (size < 2)
		return 0;
	switch (data[0] & 7) {
	case 0: d.delim = ','; break;
	case 1: d.delim = ';'; break;
	case 2: d.delim = '\t'; d.tsv = true; break;
	case 3: d.sniff = true; break;
	case 4: d.delim = '\t'; break;
	case 5: d.delim = '|'; break;
	case 6: d.delim = ' '; break;
	case 7:
		d.delim = (char)data[1];
		if (data[1] == '"' || data[1] == '\n' || data[1] == '\r' ||
		    data[1] == '\0')
			d.delim = ',';
		break;
	}
	crlf = data[0] & 8;
	excel = data[0] & 16;
	seed = ((unsigned)(data[0] >> 5) << 8 | data[1]) + 1;
	data += 2;
	size -= 2;

	/* Whole, and cut into chunks: the same records and outcome. */
	bool f1 = read_all(data, size, d, 0, &whole, true, &n1, &used);
	bool f2 = read_all(data, size, d, seed, &cut, true, &n2, &used2);
	FUZZ_CHECK(f1 == f2, "fatal %d whole, %d cut (seed %u)", f1, f2, seed);
	FUZZ_CHECK(n1 == n2, "%zu records whole, %zu cut (seed %u)", n1, n2, seed);
	FUZZ_CHECK(same(&whole, &cut),
	    "records differ when cut (seed %u)", seed);
	/* Without the reader's fast path (libcsv reads every record): the
	 * same records and outcome. */
	csvin_fast_path(false);
	bool f4 = read_all(data, size, d, seed, &slow, true, &n3, &used3);
	csvin_fast_path(true);
	FUZZ_CHECK(f1 == f4 && n1 == n3 && same(&whole, &slow),
	    "the fast path reads otherwise than libcsv (seed %u)", seed);
	if (f1)
		return 0;
	FUZZ_CHECK(!f2 && used.delim == used2.delim && used.tsv == used2.tsv,
	    "dialect '%c'/%d whole, '%c'/%d cut", used.delim, used.tsv,
	    used2.delim, used2.tsv);

	/* Write what was read, read it again: the same records. */
	read_all(data, size, d, 0, &plain, false, &n1, &used);

	fuzz_capture_start();
	struct csvout *w = csvout_open(NULL, used, crlf, excel);
	const char *p = plain.p, *e = plain.p + plain.n;
	while (p < e) {
		size_t nf = get_size(&p);
		for (size_t i = 0; i < nf; i++) {
			size_t len = get_size(&p);
			csvout_field(w, p, len);
			p += len;
		}
		csvout_endrow(w);
	}
	csvout_close(w);
	fuzz_capture_stop();
	size_t olen;
	const char *o = fuzz_captured(&olen);
	/* Output that starts with the bytes of a byte-order mark (a second
	 * mark, one after blank lines, or split by a delimiter 0xBB) loses
	 * them when read again: a known limit (docs/RELIABILITY.md). */
	if (olen >= 3 && memcmp(o, "\xEF\xBB\xBF", 3) == 0)
		return 0;
	/* So does output that starts with the bytes of a UTF-16 mark (a
	 * first field that is not UTF-8): it is read as UTF-16. */
	if (olen >= 2 && ((o[0] == '\xFF' && o[1] == '\xFE') ||
	    (o[0] == '\xFE' && o[1] == '\xFF')))
		return 0;
	static struct buf copy;
	copy.n = 0;
	put(&copy, o, olen);
	used.sniff = false;
	bool f3 = read_all((const uint8_t *)copy.p, copy.n, used, 0, &again,
	    false, &n3, &used2);
	FUZZ_CHECK(!f3, "our own output is not readable");
	FUZZ_CHECK(n3 == n1, "%zu records read, %zu after writing", n1, n3);
	if (!excel) {
		FUZZ_CHECK(same(&again, &plain),
		    "records differ after writing and reading again");
		return 0;
	}
	/* --excel-safe: a field is the same, or ' and the same. */
	const char *a = plain.p, *b = again.p;
	while (a < e) {
		size_t nf = get_size(&a), nf2 = get_size(&b);
		FUZZ_CHECK(nf == nf2, "field count changed by --excel-safe");
		for (size_t i = 0; i < nf; i++) {
			size_t la = get_size(&a), lb = get_size(&b);
			bool same = la == lb && memcmp(a, b, la) == 0;
			bool guarded = lb == la + 1 && b[0] == '\'' &&
			    memcmp(a, b + 1, la) == 0 &&
			    la > 0 && a[0] != '\0' &&
			    strchr("=+-@\t\r", a[0]) != NULL;
			FUZZ_CHECK(same || guarded, "field changed by --excel-safe");
			a += la;
			b += lb;
		}
	}
	return 0;
}
