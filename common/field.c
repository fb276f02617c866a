/* field.c — reading the values of a row; one wording for every bad value. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "num.h"
#include "util.h"

const char TIME_EXPECTED[] =
    "YYYY-MM-DD HH:MM[:SS], optionally with Z or +HH:MM";
const char COUNT_EXPECTED[] =
    "a whole number such as 15000, 15 000 or 15,000";
const char MONEY_EXPECTED[] =
    "an amount with up to two decimals, such as 100 or 100.00";

/* ---- unknown values ------------------------------------------------- */

static struct str *na;		/* --na markers, trimmed */
static size_t nna;
static char *na_copy;
static bool encoding_given;

void
field_set_na(const char *list)
{
	free(na);
	free(na_copy);
	na = NULL;
	na_copy = NULL;
	nna = 0;
	if (list == NULL)
		return;
	na_copy = xstrdup(list);
	struct str rest = str_of(na_copy), tok;
	while (str_next_token(&rest, ',', &tok)) {
		tok = str_trim(tok);
		if (tok.n == 0)
			continue;
		na = xrealloc(na, (nna + 1) * sizeof *na);
		na[nna++] = tok;
	}
}

void
field_set_encoding_given(bool given)
{
	encoding_given = given;
}

bool
field_unknown(struct str s)
{
	if (s.n == 1 && s.p[0] == '-')
		return true;
	for (size_t i = 0; i < nna; i++)
		if (str_eq_ci(s, na[i]))	/* N/A, n/a, NULL, null alike */
			return true;
	return false;
}

/* ---- reporting ------------------------------------------------------ */

/* The column's name for a message, escaped as values are (a quoted header
 * name may hold a line break); BUF of CAP bytes. */
static const char *
colname(const struct row *w, int col, char *buf, size_t cap)
{
	if (col < 0 || (size_t)col >= w->s->header.nf)
		return "?";
	return str_msg(buf, cap, w->s->header.f[col]);
}

/* The message of a row ready: hand it to the kind of input. */
static int
report(struct row *w, const char *msg)
{
	if (w->bad)
		return -1;
	w->bad = true;
	switch (w->kind) {
	case ROW_STREAM:
		app_reject_msg(w->app, w->r, msg);
		break;
	case ROW_DATA:
	case ROW_OWN:
		app_table_msg(w->app, w->r->file, w->r->line, msg);
		break;
	case ROW_CONFIG:
		fatal("%s:%ld: %s", w->r->file, w->r->line, msg);
	}
	return -1;
}

/* "COLUMN: WHY 'SHOWN' (EXPECTED)": the one form of a bad value. */
static int
bad_value(struct row *w, int col, struct str shown, const char *why,
    const char *expected, va_list ap)
{
	char val[256], name[256], exp[768], msg[1200];

	if (w->bad)
		return -1;
	str_msg(val, sizeof val, shown);
	exp[0] = '\0';
	if (expected != NULL)
		vsnprintf(exp, sizeof exp, expected, ap);
	snprintf(msg, sizeof msg, "%s: %s '%s'%s%s%s",
	    colname(w, col, name, sizeof name), why, val,
	    expected ? " (" : "", exp, expected ? ")" : "");
	return report(w, msg);
}

int
row_bad(struct row *w, int col, const char *why, const char *expected, ...)
{
	va_list ap;

	va_start(ap, expected);
	int rc = bad_value(w, col, col >= 0 && (size_t)col < w->r->nf ?
	    w->r->f[col] : (struct str){ "", 0 }, why, expected, ap);
	va_end(ap);
	return rc;
}

int
row_bad_item(struct row *w, int col, struct str item, const char *why,
    const char *expected, ...)
{
	va_list ap;

	va_start(ap, expected);
	int rc = bad_value(w, col, item, why, expected, ap);
	va_end(ap);
	return rc;
}

int
row_fail(struct row *w, const char *fmt, ...)
{
	char msg[1200];
	va_list ap;

	if (w->bad)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return report(w, msg);
}

static int
missing(struct row *w, int col)
{
	char msg[600], name[256];

	snprintf(msg, sizeof msg, "%s: missing value",
	    colname(w, col, name, sizeof name));
	return report(w, msg);
}

/* ---- the row -------------------------------------------------------- */

/* The record holds the header's names again (files joined with cat). */
static bool
repeated_header(const struct stream *s, const struct record *r)
{
	if (r->nf != s->header.nf || r->nf == 0 ||
	    !str_eq(r->f[0], s->header.f[0]))
		return false;
	for (size_t i = 1; i < r->nf; i++)
		if (!str_eq(r->f[i], s->header.f[i]))
			return false;
	return true;
}

bool
row_start(struct row *w, struct app *a, const struct stream *s,
    const struct record *r, enum row_kind kind)
{
	*w = (struct row){ a, s, r, kind, false };
	if (r->nf != s->header.nf) {
		row_fail(w, "%zu fields where the header has %zu", r->nf,
		    s->header.nf);
		return false;
	}
	if (repeated_header(s, r)) {
		row_fail(w, "repeated header line");
		return false;
	}
	return true;
}

struct str
row_value(const struct row *w, int col)
{
	if (col < 0 || (size_t)col >= w->r->nf)
		return (struct str){ "", 0 };
	struct str v = str_trim(w->r->f[col]);
	/* Most values are neither `-` nor, without --na, unknown at all. */
	if (w->kind != ROW_OWN && (v.n == 1 || (nna > 0 && v.n > 0)) &&
	    field_unknown(v))
		return (struct str){ "", 0 };
	return v;
}

/* Files already warned about text that is not UTF-8. */
static const char **warned;
static size_t nwarned;

struct str
row_text(const struct row *w, int col)
{
	if (col < 0 || (size_t)col >= w->r->nf)
		return (struct str){ "", 0 };
	struct str v = w->r->f[col];
	if (encoding_given || w->kind == ROW_OWN || str_utf8_valid(v))
		return v;
	for (size_t i = 0; i < nwarned; i++)
		if (warned[i] == w->r->file || strcmp(warned[i], w->r->file) == 0)
			return v;
	warned = xrealloc(warned, (nwarned + 1) * sizeof *warned);
	warned[nwarned++] = w->r->file;
	warning("%s:%ld: not UTF-8 (try --encoding cp1251)", w->r->file,
	    w->r->line);
	return v;
}

/* The value, or 0 / -1 as the getters return for an empty one. */
static int
value(struct row *w, int col, enum need need, struct str *v)
{
	if (w->bad)
		return -1;
	*v = row_value(w, col);
	if (v->n > 0)
		return 1;
	return need == REQUIRED ? missing(w, col) : 0;
}

int
get_str(struct row *w, int col, enum need need, struct str *out)
{
	struct str v;
	int rc = value(w, col, need, &v);

	if (rc == 1)
		*out = v;
	return rc;
}

const char *
date_expected(bool own)
{
	static char buf[300];
	char shown[256];
	const char *fmt = dt_date_format();

	if (own || fmt == NULL)
		return own ? "YYYY-MM-DD" : "YYYY-MM-DD; see --date-format";
	/* The option's value escaped, as a value is. */
	snprintf(buf, sizeof buf, "%s or YYYY-MM-DD",
	    str_msg(shown, sizeof shown, str_of(fmt)));
	return buf;
}

/* Why a year is out of range, and what to do about a two-digit one. */
static int
bad_year(struct row *w, int col, struct str shown, const char *what)
{
	const char *fmt = dt_date_format();

	return row_bad_item(w, col, shown, what, "a year from %d to %d%s",
	    YEAR_MIN, YEAR_MAX, w->kind != ROW_OWN && fmt != NULL &&
	    strstr(fmt, "%Y") ? "; %y reads a two-digit year" : "");
}

/* The date V (trimmed, not empty), shown as SHOWN when it is bad. */
static int
date_value(struct row *w, int col, struct str v, struct str shown,
    day_t *out)
{
	int rc = w->kind == ROW_OWN ? parse_iso_date(v, out) :
	    parse_date(v, out);

	if (rc == 0)
		return 1;
	if (rc == DATE_BAD_YEAR)
		return bad_year(w, col, shown, "invalid date");
	return row_bad_item(w, col, shown, "invalid date", "expected %s",
	    date_expected(w->kind == ROW_OWN));
}

int
get_date(struct row *w, int col, enum need need, day_t *out)
{
	struct str v;
	int rc = value(w, col, need, &v);

	if (rc != 1)
		return rc;
	return date_value(w, col, v, w->r->f[col], out);
}

int
get_date_item(struct row *w, int col, struct str item, day_t *out)
{
	if (w->bad)
		return -1;
	return date_value(w, col, str_trim(item), item, out);
}

int
get_time(struct row *w, int col, enum need need, tstamp *out, bool *has_time)
{
	struct str v;
	int rc = value(w, col, need, &v);

	if (rc != 1)
		return rc;
	rc = w->kind == ROW_OWN ? parse_iso_timestamp(v, out, has_time) :
	    parse_timestamp(v, out, has_time);
	if (rc == 0)
		return 1;
	if (rc == DATE_BAD_YEAR)
		return bad_year(w, col, w->r->f[col], "invalid timestamp");
	if (w->kind != ROW_OWN && dt_date_format() != NULL)
		return row_bad(w, col, "invalid timestamp",
		    "expected %s, then optionally HH:MM[:SS]", date_expected(false));
	return row_bad(w, col, "invalid timestamp", "expected %s", TIME_EXPECTED);
}

int
get_count(struct row *w, int col, enum need need, long long *out)
{
	struct str v;
	int rc = value(w, col, need, &v);

	if (rc != 1)
		return rc;
	if (parse_count(v, out) == 0)
		return 1;
	return row_bad(w, col, "invalid number", "expected %s", COUNT_EXPECTED);
}

int
get_money(struct row *w, int col, enum need need, long long *cents)
{
	struct str v;
	int rc = value(w, col, need, &v);

	if (rc != 1)
		return rc;
	if (parse_money(v, cents) == 0)
		return 1;
	return row_bad(w, col, "invalid amount", "expected %s", MONEY_EXPECTED);
}

int
get_choice(struct row *w, int col, enum need need, const char *what,
    const char *const *names, int *out)
{
	struct str v;
	int rc = value(w, col, need, &v);
	char list[600];
	size_t len = 0;

	if (rc != 1)
		return rc;
	for (int i = 0; names[i] != NULL; i++)
		if (str_eq_cstr_ci(v, names[i])) {
			*out = i;
			return 1;
		}
	list[0] = '\0';
	for (int i = 0; names[i] != NULL && len + 1 < sizeof list; i++) {
		int k = snprintf(list + len, sizeof list - len, "%s%s",
		    i ? ", " : "", names[i]);
		if (k < 0)
			break;
		len += (size_t)k;
	}
	char why[128];
	snprintf(why, sizeof why, "unknown %s", what);
	return row_bad(w, col, why, "expected one of: %s%s", list,
	    need == OPTIONAL ? ", or empty" : "");
}
