/* template.h — message templates: a text with {column} placeholders and
 * a block repeated once per row, filled from a group of input rows; and
 * the same placeholders in one line of text, such as an option's value
 * (survey-invite's --url).
 *
 * The grammar (a template is a configuration file: any error is fatal,
 * "FILE:LINE: why"):
 *
 *   mail template   Subject: TEXT          the first line
 *                   (one blank line, optional, skipped)
 *                   BODY                   every further line
 *   SMS template    BODY
 *
 *   {NAME}          the value of the column NAME (matched as headers are:
 *                   ignoring case and surrounding white space)
 *   {{   }}         a literal { and a literal }
 *   {{#rows}}       a line of its own (white space around it allowed):
 *   ...             the lines up to the line {{/rows}} are repeated for
 *   {{/rows}}       each row of the group, in order; blocks do not nest,
 *                   a template may have several
 *
 * Outside a block (and in the subject) a placeholder takes the value of
 * the group's first row.  The file is UTF-8 (a byte-order mark is
 * skipped), with LF or CRLF line ends; the text keeps LF.  A { without
 * its } (on its line, before the next {), a lone } (mostly a typo such
 * as {id}}, which would reach the customer as "Jonas}"), an empty {}, a
 * block not closed or closed without being opened, a missing or empty
 * Subject, and text that is not UTF-8 are errors.
 *
 * A line (template_parse_line) is TEXT alone: its bytes as they are, {NAME}
 * and the {{ }} escapes, no blocks ({{#rows}} is the text {#rows}).  The
 * same errors, in the same words, without FILE:LINE (the caller says
 * whose text it is).
 *
 * {{NAME}}, though the literal text {NAME}, is what a writer used to
 * other template languages (and to {{#rows}}) types for a value: the
 * parser notes NAME (tpl_part.braced), and template_braced() lets the
 * program refuse it where NAME is a column, rather than send customers
 * "Dear {customer}".  The text {NAME} of a column NAME cannot be written.
 */
#ifndef AS_TEMPLATE_H
#define AS_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "str.h"

enum tpl_kind { TP_TEXT, TP_FIELD, TP_ROWS, TP_END };

struct tpl_part {
	enum tpl_kind kind;
	struct str text;	/* TP_TEXT: the bytes; TP_FIELD: the name */
	long line;		/* where it is, for messages */
	int col;		/* TP_FIELD: the column, set by the caller */
	struct str braced;	/* TP_TEXT of a {{ that opens {{NAME}}: NAME */
};

struct tpl_text {
	struct tpl_part *part;
	size_t n;
};

struct template {
	char *path;
	char *src;		/* the file's text: the parts point into it */
	struct tpl_text subject;	/* a mail template's; else empty */
	struct tpl_text body;
};

/* Read and parse PATH, a mail template (WANT_SUBJECT) or an SMS one.
 * Fatal on any error. */
void template_load(struct template *t, const char *path, bool want_subject);
/* The same from TEXT (N bytes), named PATH in messages.  Returns 0, or
 * -1 with the message ("PATH:LINE: why") in ERR: for tests and callers
 * that report on their own. */
int template_parse(struct template *t, const char *path, const char *text,
    size_t n, bool want_subject, char *err, size_t errlen);
/* Parse the line TEXT (N bytes) into X, whose parts point into TEXT (the
 * caller keeps it).  Returns 0, or -1 with the reason in ERR and X empty
 * (nothing to free). */
int template_parse_line(struct tpl_text *x, const char *text, size_t n,
    char *err, size_t errlen);
/* Append X filled from NROWS rows (at least one) of CELLS, a row-major
 * table of NF values per row: a placeholder is cells[row * nf + col]
 * (col -1: nothing).  The values are copied as they are (the caller trims
 * them). */
void template_expand(const struct tpl_text *x, const struct str *cells,
    size_t nf, size_t nrows, struct buf *out);
/* An encoder: appends the value V to OUT, encoded. */
typedef void tpl_encoder(struct buf *out, struct str v);
/* template_expand, each placeholder's value appended by ENC (NULL: as it
 * is); the text of the template is never encoded. */
void template_expand_encoded(const struct tpl_text *x, const struct str *cells,
    size_t nf, size_t nrows, tpl_encoder *enc, struct buf *out);
/* An encoder for a URL: every byte of V but A-Z a-z 0-9 - . _ ~ (RFC
 * 3986's unreserved) as %XX, in upper-case hex. */
void percent_encode(struct buf *out, struct str v);
/* The first part of X written {{NAME}} whose NAME is one of the N NAMES
 * (compared as headers are: ignoring case and surrounding white space),
 * or NULL.  The caller refuses it (see {{NAME}} above). */
const struct tpl_part *template_braced(const struct tpl_text *x,
    const struct str *names, size_t n);
void template_free(struct template *t);
/* Free the parts of X (from template_parse_line). */
void template_line_free(struct tpl_text *x);

#endif
