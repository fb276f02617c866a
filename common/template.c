/* template.c — message templates (the grammar is in template.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "template.h"
#include "util.h"

#define ROWS_BEGIN "{{#rows}}"
#define ROWS_END "{{/rows}}"

struct parser {
	const char *path;	/* NULL: a line, whose messages have no place */
	char *err;
	size_t errlen;
	bool failed;
};

static int
fail(struct parser *ps, long line, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	if (ps->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	if (ps->path == NULL)
		snprintf(ps->err, ps->errlen, "%s", why);
	else
		snprintf(ps->err, ps->errlen, "%s:%ld: %s", ps->path, line, why);
	ps->failed = true;
	return -1;
}

static void
push(struct tpl_text *x, enum tpl_kind kind, const char *p, size_t n,
    long line)
{
	if (kind == TP_TEXT && n == 0)
		return;
	x->part = xrealloc(x->part, (x->n + 1) * sizeof *x->part);
	x->part[x->n++] = (struct tpl_part){ kind, { p, n }, line, -1,
	    { NULL, 0 } };
}

/* After the {{ at S (N bytes from it), the NAME of {{NAME}}: a name on
 * its line, no brace in it; else empty. */
static struct str
braced_name(const char *s, size_t n)
{
	size_t j = 2;

	while (j < n && s[j] != '{' && s[j] != '}' && s[j] != '\n')
		j++;
	if (j + 1 >= n || s[j] != '}' || s[j + 1] != '}')
		return (struct str){ NULL, 0 };
	return str_trim((struct str){ s + 2, j - 2 });
}

/* One line of text (with its line feed, if any): literal bytes,
 * placeholders and the {{ }} escapes. */
static int
parse_text(struct parser *ps, struct tpl_text *x, const char *s, size_t n,
    long line)
{
	size_t start = 0, i = 0;

	while (i < n) {
		if (s[i] == '}' && i + 1 < n && s[i + 1] == '}') {
			push(x, TP_TEXT, s + start, i + 1 - start, line);
			i += 2;
			start = i;
			continue;
		}
		if (s[i] == '}')
			return fail(ps, line, "a lone '}' (write }} for a literal })");
		if (s[i] != '{') {
			i++;
			continue;
		}
		push(x, TP_TEXT, s + start, i - start, line);
		if (i + 1 < n && s[i + 1] == '{') {
			push(x, TP_TEXT, s + i, 1, line);	/* {{ is { */
			x->part[x->n - 1].braced = braced_name(s + i, n - i);
			i += 2;
			start = i;
			continue;
		}
		size_t j = i + 1;
		while (j < n && s[j] != '}' && s[j] != '{' && s[j] != '\n')
			j++;
		if (j == n || s[j] != '}')
			return fail(ps, line, "'{' without its '}' (write {{ "
			    "for a literal {)");
		struct str name = str_trim((struct str){ s + i + 1, j - i - 1 });
		if (name.n == 0)
			return fail(ps, line, "an empty placeholder {}");
		push(x, TP_FIELD, name.p, name.n, line);
		i = j + 1;
		start = i;
	}
	push(x, TP_TEXT, s + start, n - start, line);
	return 0;
}

static bool
is_line(struct str line, const char *word)
{
	struct str t = str_trim(line);

	return t.n == strlen(word) && memcmp(t.p, word, t.n) == 0;
}

static bool
contains(struct str s, const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0; i + n <= s.n; i++)
		if (memcmp(s.p + i, word, n) == 0)
			return true;
	return false;
}

static int
parse_body(struct parser *ps, struct tpl_text *x, const char *s, size_t n,
    long line)
{
	long open_line = 0;
	size_t i = 0;

	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - s) + 1 : n;
		struct str l = { s + i, end - i };

		if (is_line(l, ROWS_BEGIN)) {
			if (open_line)
				return fail(ps, line, ROWS_BEGIN " inside the "
				    "block of line %ld (blocks do not nest)",
				    open_line);
			open_line = line;
			push(x, TP_ROWS, l.p, 0, line);
		} else if (is_line(l, ROWS_END)) {
			if (!open_line)
				return fail(ps, line, ROWS_END " without "
				    ROWS_BEGIN);
			open_line = 0;
			push(x, TP_END, l.p, 0, line);
		} else if (contains(l, ROWS_BEGIN) || contains(l, ROWS_END))
			return fail(ps, line, ROWS_BEGIN " and " ROWS_END
			    " stand on lines of their own");
		else if (parse_text(ps, x, l.p, l.n, line) == -1)
			return -1;
		i = end;
		line++;
	}
	if (open_line)
		return fail(ps, open_line, ROWS_BEGIN " without " ROWS_END);
	return 0;
}

int
template_parse_line(struct tpl_text *x, const char *text, size_t n,
    char *err, size_t errlen)
{
	struct parser ps = { NULL, err, errlen, false };

	memset(x, 0, sizeof *x);
	if (parse_text(&ps, x, text, n, 1) == 0)
		return 0;
	template_line_free(x);	/* nothing is left to the caller */
	return -1;
}

int
template_parse(struct template *t, const char *path, const char *text,
    size_t n, bool want_subject, char *err, size_t errlen)
{
	struct parser ps = { path, err, errlen, false };
	char *s;
	size_t len = 0;
	long line = 1;

	memset(t, 0, sizeof *t);
	t->path = xstrdup(path);
	if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		text += 3, n -= 3;
	/* CRLF (a template saved on Windows) is LF. */
	s = t->src = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		if (!(text[i] == '\r' && i + 1 < n && text[i + 1] == '\n'))
			s[len++] = text[i];
	s[len] = '\0';
	if (!str_utf8_valid((struct str){ s, len })) {
		snprintf(err, errlen, "%s: not UTF-8 (a template is UTF-8 text)",
		    path);
		return -1;
	}
	const char *nl = memchr(s, '\n', len);
	struct str first = { s, nl ? (size_t)(nl - s) : len };
	bool has_subject = first.n >= 8 && strncasecmp(s, "Subject:", 8) == 0;
	size_t body = 0;

	if (want_subject) {
		if (!has_subject)
			return fail(&ps, 1, "the first line must be "
			    "'Subject: ...'");
		struct str subj = str_trim((struct str){ s + 8, first.n - 8 });
		if (subj.n == 0)
			return fail(&ps, 1, "an empty Subject");
		if (parse_text(&ps, &t->subject, subj.p, subj.n, 1) == -1)
			return -1;
		body = nl ? first.n + 1 : len;
		line = 2;
		/* The blank line after the subject, as in a mail. */
		const char *nl2 = memchr(s + body, '\n', len - body);
		struct str second = { s + body, nl2 ? (size_t)(nl2 - s) - body :
		    len - body };
		if (body < len && str_trim(second).n == 0) {
			body += second.n + (nl2 ? 1 : 0);
			line = 3;
		}
	} else if (has_subject)
		return fail(&ps, 1, "an SMS template has no Subject line");
	return parse_body(&ps, &t->body, s + body, len - body, line);
}

void
template_load(struct template *t, const char *path, bool want_subject)
{
	char err[1024];
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t n = 0, cap = 0;

	if (f == NULL)
		fatal_errno("%s", path);
	for (;;) {
		if (cap - n < 4096)
			text = xrealloc(text, cap = cap ? 2 * cap : 8192);
		size_t k = fread(text + n, 1, cap - n, f);
		n += k;
		if (k == 0)
			break;
	}
	if (ferror(f))
		fatal_errno("%s", path);
	fclose(f);
	if (template_parse(t, path, text, n, want_subject, err, sizeof err) == -1) {
		free(text);
		fatal("%s", err);
	}
	free(text);
}

/* Parts FROM..TO of X for the row ROW. */
static void
expand_range(const struct tpl_text *x, size_t from, size_t to,
    const struct str *cells, size_t nf, size_t row, size_t nrows,
    tpl_encoder *enc, struct buf *out)
{
	for (size_t i = from; i < to; i++) {
		const struct tpl_part *p = &x->part[i];
		switch (p->kind) {
		case TP_TEXT:
			buf_str(out, p->text);
			break;
		case TP_FIELD:
			if (p->col < 0)
				break;
			if (enc != NULL)
				enc(out, cells[row * nf + (size_t)p->col]);
			else
				buf_str(out, cells[row * nf + (size_t)p->col]);
			break;
		case TP_ROWS: {
			size_t end = i + 1;
			while (end < to && x->part[end].kind != TP_END)
				end++;
			for (size_t r = 0; r < nrows; r++)
				expand_range(x, i + 1, end, cells, nf, r, nrows,
				    enc, out);
			i = end;
			break;
		}
		case TP_END:
			break;
		}
	}
}

void
template_expand(const struct tpl_text *x, const struct str *cells, size_t nf,
    size_t nrows, struct buf *out)
{
	expand_range(x, 0, x->n, cells, nf, 0, nrows, NULL, out);
}

void
template_expand_encoded(const struct tpl_text *x, const struct str *cells,
    size_t nf, size_t nrows, tpl_encoder *enc, struct buf *out)
{
	expand_range(x, 0, x->n, cells, nf, 0, nrows, enc, out);
}

const struct tpl_part *
template_braced(const struct tpl_text *x, const struct str *names, size_t n)
{
	for (size_t i = 0; i < x->n; i++) {
		if (x->part[i].kind != TP_TEXT || x->part[i].braced.n == 0)
			continue;
		for (size_t k = 0; k < n; k++)
			if (str_eq_ci(str_trim(names[k]), x->part[i].braced))
				return &x->part[i];
	}
	return NULL;
}

void
percent_encode(struct buf *out, struct str v)
{
	static const char hex[] = "0123456789ABCDEF";

	if (v.n == 0)
		return;
	/* At most three bytes each: one check of room for the value. */
	if (out->cap - out->n < 3 * v.n)
		buf_grow(out, 3 * v.n);
	char *o = out->p + out->n;
	for (size_t i = 0; i < v.n; i++) {
		unsigned char c = (unsigned char)v.p[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		    c == '~')
			*o++ = (char)c;
		else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	out->n = (size_t)(o - out->p);
}

void
template_free(struct template *t)
{
	free(t->path);
	free(t->src);
	free(t->subject.part);
	free(t->body.part);
	memset(t, 0, sizeof *t);
}

void
template_line_free(struct tpl_text *x)
{
	free(x->part);
	memset(x, 0, sizeof *x);
}
