/* fuzz_template.c — notify's message templates (template.h).
 *
 * Input: byte 0: bit 0 a mail template (Subject line) or an SMS one, bits
 * 1-2 the number of rows to expand (1-4), bits 3-5 the size of the error
 * buffer; the rest is the template file.
 * Checks:
 *  - parsing never crashes or hangs; it succeeds, or fails with a message
 *    "PATH:LINE: why" (or "PATH: not UTF-8 ...") that fits the buffer;
 *  - the parts of a parsed template point into its text; a placeholder's
 *    name is not empty, trimmed, without a brace or a line feed; blocks
 *    open and close in turn, never in the subject; lines never decrease;
 *  - written back in template syntax (braces doubled, {name}, block lines)
 *    the template parses again into the same text, names and blocks;
 *  - expanded over 1-4 rows of a fixed header (names matched ignoring case,
 *    as notify binds them; a name that matches none is left out), the
 *    text is exactly what an independent expansion gives, and no longer
 *    than (template + every placeholder at its longest value) per row.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "template.h"
#include "util.h"

static const char *const header[] = { "id", "Name", "vin", "due_date",
	"  Plate  ", "vardas", "Ž" };
#define NF (sizeof header / sizeof header[0])
#define MAXROWS 4

/* Values per row: empty, UTF-8, braces (never read as placeholders), long. */
static const char *const values[MAXROWS][NF] = {
	{ "R1", "Jonas Jonaitis", "WVWZZZ1JZXW000001", "2026-11-20", "ABC 123",
	  "Ona", "" },
	{ "R2", "", "{vin}", "2026-12-01", "}}{{", "Žydrūnė", "x" },
	{ "R3", "Ąžuolas", "W0L", "", "-", "{{#rows}}", "yyyyyyyyyyyyyyyyyy" },
	{ "R4", "a\nb", "\xff", "2027-01-31", "", "", "" },
};

static struct str cells[MAXROWS * NF];

static bool
has(struct str s, const char *w)
{
	size_t k = strlen(w);

	for (size_t i = 0; i + k <= s.n; i++)
		if (memcmp(s.p + i, w, k) == 0)
			return true;
	return false;
}

static int
bind(struct str name)
{
	for (size_t i = 0; i < NF; i++)
		if (str_eq_ci(str_trim(str_of(header[i])), name))
			return (int)i;
	return -1;
}

static void
check_parts(const struct template *t, const struct tpl_text *x, size_t len,
    bool subject)
{
	bool open = false;
	long line = 0;

	for (size_t i = 0; i < x->n; i++) {
		const struct tpl_part *p = &x->part[i];
		FUZZ_CHECK(p->line >= line, "line %ld after %ld", p->line, line);
		line = p->line;
		FUZZ_CHECK(p->text.p >= t->src && p->text.p + p->text.n <= t->src + len,
		    "part %zu outside the text", i);
		switch (p->kind) {
		case TP_TEXT:
			FUZZ_CHECK(p->text.n > 0, "empty text part");
			break;
		case TP_FIELD:
			FUZZ_CHECK(p->text.n > 0 && str_trim(p->text).n == p->text.n,
			    "name not trimmed or empty");
			FUZZ_CHECK(memchr(p->text.p, '{', p->text.n) == NULL &&
			    memchr(p->text.p, '}', p->text.n) == NULL &&
			    memchr(p->text.p, '\n', p->text.n) == NULL,
			    "brace or line feed in a name");
			break;
		case TP_ROWS:
			FUZZ_CHECK(!subject && !open, "block opened twice or in the subject");
			open = true;
			break;
		case TP_END:
			FUZZ_CHECK(!subject && open, "block closed unopened");
			open = false;
			break;
		}
	}
	FUZZ_CHECK(!open, "block left open");
}

/* X in template syntax. */
static void
unparse(struct buf *b, const struct tpl_text *x)
{
	for (size_t i = 0; i < x->n; i++) {
		const struct tpl_part *p = &x->part[i];
		switch (p->kind) {
		case TP_TEXT:
			for (size_t k = 0; k < p->text.n; k++) {
				char c = p->text.p[k];
				buf_putc(b, c);
				if (c == '{' || c == '}')
					buf_putc(b, c);
			}
			break;
		case TP_FIELD:
			buf_putc(b, '{');
			buf_str(b, p->text);
			buf_putc(b, '}');
			break;
		case TP_ROWS:
			buf_cat(b, "{{#rows}}\n");
			break;
		case TP_END:
			buf_cat(b, "{{/rows}}\n");
			break;
		}
	}
}

/* X as a canonical sequence: text runs joined, "\1NAME\1" for a field,
 * "\2" and "\3" for the block lines (TP_TEXT never holds \1-\3 here: the
 * caller skips templates that contain them). */
static void
canon(struct buf *b, const struct tpl_text *x)
{
	for (size_t i = 0; i < x->n; i++) {
		const struct tpl_part *p = &x->part[i];
		switch (p->kind) {
		case TP_TEXT:
			buf_str(b, p->text);
			break;
		case TP_FIELD:
			buf_putc(b, '\1');
			buf_str(b, p->text);
			buf_putc(b, '\1');
			break;
		case TP_ROWS:
			buf_putc(b, '\2');
			break;
		case TP_END:
			buf_putc(b, '\3');
			break;
		}
	}
}

/* The expansion, written independently of template_expand. */
static void
reference(struct buf *b, const struct tpl_text *x, size_t nrows)
{
	size_t i = 0;

	while (i < x->n) {
		const struct tpl_part *p = &x->part[i];
		if (p->kind == TP_ROWS) {
			size_t end = i + 1;
			while (x->part[end].kind != TP_END)
				end++;
			for (size_t r = 0; r < nrows; r++)
				for (size_t k = i + 1; k < end; k++) {
					const struct tpl_part *q = &x->part[k];
					if (q->kind == TP_TEXT)
						buf_str(b, q->text);
					else if (q->col >= 0)
						buf_str(b, cells[r * NF + (size_t)q->col]);
				}
			i = end + 1;
			continue;
		}
		if (p->kind == TP_TEXT)
			buf_str(b, p->text);
		else if (p->kind == TP_FIELD && p->col >= 0)
			buf_str(b, cells[(size_t)p->col]);
		i++;
	}
}

static void
expand_and_check(struct tpl_text *x, size_t srclen, size_t nrows)
{
	struct buf got = { 0 }, want = { 0 };
	size_t longest = 0, nfield = 0;

	for (size_t i = 0; i < x->n; i++)
		if (x->part[i].kind == TP_FIELD) {
			x->part[i].col = bind(x->part[i].text);
			nfield++;
		}
	for (size_t i = 0; i < MAXROWS * NF; i++)
		if (cells[i].n > longest)
			longest = cells[i].n;
	buf_cat(&got, "pre");	/* expand appends */
	template_expand(x, cells, NF, nrows, &got);
	reference(&want, x, nrows);
	FUZZ_CHECK(got.n == want.n + 3 && memcmp(got.p, "pre", 3) == 0 &&
	    fuzz_same(got.p + 3, want.n, want.p, want.n),
	    "expansion differs (%zu bytes, expected %zu)", got.n - 3, want.n);
	FUZZ_CHECK(want.n <= (srclen + nfield * longest) * nrows,
	    "expansion of %zu bytes from a template of %zu", want.n, srclen);
	buf_free(&got);
	buf_free(&want);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t errsizes[8] = { 1, 2, 8, 16, 40, 64, 200, 1024 };
	struct template t, t2;
	char err[1024 + 16];

	if (size < 1 || size > 16384)
		return 0;
	if (cells[0].p == NULL)
		for (size_t r = 0; r < MAXROWS; r++)
			for (size_t i = 0; i < NF; i++)
				cells[r * NF + i] = str_of(values[r][i]);
	bool mail = data[0] & 1;
	size_t nrows = 1 + (data[0] >> 1 & 3);
	size_t errlen = errsizes[data[0] >> 3 & 7];
	const char *text = (const char *)data + 1;
	size_t n = size - 1;

	memset(err, 0x55, sizeof err);
	int rc = template_parse(&t, "t.txt", text, n, mail, err, errlen);
	FUZZ_CHECK(memchr(err, '\0', errlen) != NULL || rc == 0,
	    "message not terminated within %zu bytes", errlen);
	FUZZ_CHECK(err[errlen] == 0x55, "message past its buffer");
	if (rc != 0) {
		FUZZ_CHECK(rc == -1, "returned %d", rc);
		if (errlen >= 7)
			FUZZ_CHECK(strncmp(err, "t.txt:", 6) == 0, "message '%s'", err);
		template_free(&t);
		return 0;
	}
	FUZZ_CHECK(!mail || t.subject.n > 0, "a mail template without a subject");
	FUZZ_CHECK(mail || t.subject.n == 0, "an SMS template with a subject");
	/* The text is the file without its byte-order mark and CRs of CRLF. */
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		if (!(i < 3 && n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) &&
		    !(text[i] == '\r' && i + 1 < n && text[i + 1] == '\n'))
			len++;
	check_parts(&t, &t.subject, len, true);
	check_parts(&t, &t.body, len, false);

	/* Written back, parsed again: the same template.  A CR before a LF
	 * is dropped by parsing, \1-\3 are the canonical form's marks. */
	bool plain = true;
	for (size_t i = 0; i < n && plain; i++)
		plain = data[1 + i] != '\r' && data[1 + i] > 3;
	if (plain) {
		struct buf src = { 0 }, c1 = { 0 }, c2 = { 0 };
		buf_cat(&src, "\xEF\xBB\xBF");	/* a mark of the text is kept */
		if (mail) {
			buf_cat(&src, "Subject: ");
			unparse(&src, &t.subject);
			buf_cat(&src, "\n\n");
		}
		unparse(&src, &t.body);
		canon(&c1, &t.subject);
		buf_putc(&c1, '\4');
		canon(&c1, &t.body);
		/* A line of the literal text {#rows} (from "{{#rows}}" inside a
		 * longer line, then cut) has no spelling of its own: written
		 * back with "{{" and "}}" on its own line, it is a block line. */
		bool marker = has(buf_view(&c1), "{#rows}") ||
		    has(buf_view(&c1), "{/rows}");
		rc = template_parse(&t2, "t2.txt", src.p, src.n, mail, err,
		    sizeof err);
		FUZZ_CHECK(rc == 0 || marker, "written back, it does not parse: %s", err);
		if (rc == 0) {
			canon(&c2, &t2.subject);
			buf_putc(&c2, '\4');
			canon(&c2, &t2.body);
		}
		FUZZ_CHECK(marker || fuzz_same(c1.p, c1.n, c2.p, c2.n),
		    "written back, it parses differently");
		template_free(&t2);
		buf_free(&src);
		buf_free(&c1);
		buf_free(&c2);
	}

	expand_and_check(&t.subject, n, 1);
	expand_and_check(&t.body, n, nrows);
	template_free(&t);
	return 0;
}
