/* fuzz_enc.c — the reader's encodings: --encoding (iconv), UTF-16 by its
 * byte-order mark, tables valid as UTF-8, the program's own files; and
 * quotes inside unquoted fields, through the conversion.
 *
 * Input: byte 0 chooses --encoding (bits 0-2: none, cp1251, GB18030,
 * UTF-16LE, UTF-8, latin1, SHIFT_JIS, ISO-2022-JP), the kind of file (bits
 * 3-4: stream, table, own) and a byte-order mark put first (bits 5-6:
 * none, UTF-16LE, UTF-16BE, UTF-8); byte 1 how the second read is cut.
 * The rest is the file.
 * Checks:
 *  - reading never crashes; it ends in records or fatal() (trapped);
 *  - the same records (fields, lines) and the same outcome, whole and cut
 *    into reads of any sizes (characters cut between reads);
 *  - the oracle: the file converted whole by iconv(3), as the rules say
 *    it is to be (common.md, "Encodings"), and read as UTF-8 gives the
 *    same records and outcome; when iconv cannot convert it whole, the
 *    read is fatal with "cannot read" or "ends inside", at a line of the
 *    file;
 *  - a converted file gives fields of valid UTF-8.
 */
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "fuzz.h"
#include "str.h"
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

static struct csvin *volatile cur;

/* All records of DATA read as KIND into OUT (lines, fields), then the
 * fatal message if it ended in fatal() (returns true). */
static bool
read_all(const char *data, size_t n, enum csvin_kind kind, unsigned seed,
    struct buf *out, bool *all_utf8)
{
	struct dialect d = { ',', false, true };
	struct record rec;

	out->n = 0;
	put(out, "", 0);
	*all_utf8 = true;
	fuzz_input((const uint8_t *)data, n, seed);
	fuzz_msg_reset();
	if (setjmp(fuzz_jb)) {
		csvin_close(cur);
		cur = NULL;
		const char *m = fuzz_msg();
		put_size(out, strlen(m));
		put(out, m, strlen(m));
		return true;
	}
	fuzz_trap();
	cur = csvin_open_kind("-", d, kind);
	while (csvin_next(cur, &rec)) {
		put_size(out, (size_t)rec.line);
		put_size(out, rec.nf);
		for (size_t i = 0; i < rec.nf; i++) {
			FUZZ_CHECK(rec.f[i].p[rec.f[i].n] == '\0',
			    "field not NUL-terminated");
			put_size(out, rec.f[i].n);
			put(out, rec.f[i].p, rec.f[i].n);
			*all_utf8 = *all_utf8 && str_utf8_valid(rec.f[i]);
		}
	}
	csvin_close(cur);
	cur = NULL;
	fuzz_untrap();
	return false;
}

/* DATA converted whole from FROM to UTF-8 into OUT: false when iconv
 * cannot (a byte it cannot convert, or a character cut at the end). */
static bool
convert_whole(const char *from, const char *data, size_t n, struct buf *out)
{
	iconv_t cd = iconv_open("UTF-8", from);
	bool ok;

	FUZZ_CHECK(cd != (iconv_t)-1, "iconv knows no %s", from);
	/* UTF-8 takes at most 4 bytes a character, a character at least 1. */
	out->n = 0;
	if (out->cap < 4 * n + 16) {
		out->cap = 4 * n + 16;
		out->p = realloc(out->p, out->cap);
		if (out->p == NULL)
			abort();
	}
	char *in = (char *)data, *o = out->p;
	size_t inleft = n, oleft = out->cap;
	ok = iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1 &&
	    iconv(cd, NULL, NULL, &o, &oleft) != (size_t)-1;
	out->n = (size_t)(o - out->p);
	iconv_close(cd);
	return ok;
}

static struct buf file, whole, cut, ref, text;

static bool
same(const struct buf *a, const struct buf *b)
{
	return a->n == b->n && (a->n == 0 || memcmp(a->p, b->p, a->n) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const encodings[8] = { NULL, "CP1251", "GB18030",
		"UTF-16LE", "UTF-8", "LATIN1", "SHIFT_JIS", "ISO-2022-JP" };
	static const enum csvin_kind kinds[4] = { CSVIN_STREAM, CSVIN_TABLE,
		CSVIN_OWN, CSVIN_STREAM };
	bool u1, u2, u3;

	if (size < 2)
		return 0;
	const char *enc = encodings[data[0] & 7];
	enum csvin_kind kind = kinds[(data[0] >> 3) & 3];
	int bom = (data[0] >> 5) & 3;
	unsigned seed = data[1] + 1u;
	data += 2;
	size -= 2;

	file.n = 0;
	put(&file, "", 0);
	if (bom == 1)
		put(&file, "\xFF\xFE", 2);
	else if (bom == 2)
		put(&file, "\xFE\xFF", 2);
	else if (bom == 3)
		put(&file, "\xEF\xBB\xBF", 3);
	put(&file, data, size);

	if (csvin_set_encoding(enc) != 0)
		FUZZ_CHECK(0, "iconv knows no %s", enc);

	/* Whole, and cut into reads: the same records and outcome. */
	bool f1 = read_all(file.p, file.n, kind, 0, &whole, &u1);
	bool f2 = read_all(file.p, file.n, kind, seed, &cut, &u2);
	FUZZ_CHECK(f1 == f2 && same(&whole, &cut),
	    "whole and cut differ (fatal %d/%d, seed %u, %s, kind %d)", f1, f2,
	    seed, enc ? enc : "-", kind);

	/* The oracle: what the file is to be converted from. */
	const unsigned char *b = (const unsigned char *)file.p;
	const char *from = NULL;
	size_t skip = 0;
	bool bom16 = false;
	if (kind != CSVIN_OWN) {
		if (file.n >= 2 && b[0] == 0xFF && b[1] == 0xFE)
			from = "UTF-16LE", skip = 2, bom16 = true;
		else if (file.n >= 2 && b[0] == 0xFE && b[1] == 0xFF)
			from = "UTF-16BE", skip = 2, bom16 = true;
		else if (enc != NULL && !(file.n >= 3 &&
		    memcmp(b, "\xEF\xBB\xBF", 3) == 0) &&
		    !(kind == CSVIN_TABLE &&
		    str_utf8_valid((struct str){ file.p, file.n })))
			from = enc;
	}
	if (from != NULL && !convert_whole(from, file.p + skip, file.n - skip,
	    &text)) {
		/* It cannot be converted: fatal, naming the problem. */
		const char *m = fuzz_msg();
		FUZZ_CHECK(f1 && (strstr(m, "cannot read") ||
		    strstr(m, "ends inside") || strstr(m, "malformed quoting") ||
		    strstr(m, "longer than") || strstr(m, "fields in a record")),
		    "%s text that does not convert: %s", from, m);
		return 0;
	}
	if (from == NULL) {
		text.n = 0;
		put(&text, file.p, file.n);
	}
	/* A converted text that starts with a UTF-16 mark of its own would
	 * be converted again: not read as the oracle's own file. */
	bool f3 = read_all(text.p, text.n, CSVIN_OWN, 0, &ref, &u3);
	(void)u3;
	FUZZ_CHECK(f1 == f3 && same(&whole, &ref),
	    "differs from the text converted whole (fatal %d/%d, from %s, "
	    "kind %d)", f1, f3, from ? from : "-", kind);
	if (from != NULL && !f1)
		FUZZ_CHECK(u1, "converted from %s%s, a field is not UTF-8", from,
		    bom16 ? " (by its mark)" : "");
	return 0;
}
