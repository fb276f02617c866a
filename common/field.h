/* field.h — reading the values of a row, one way for every program.
 *
 * A program reads a record through a struct row, which knows what kind of
 * input the record comes from, and so how a bad value is reported
 * (common.md, "Tables" and "Rejected rows"):
 *
 *   ROW_STREAM  the stream: a rejected row (a stderr line, --rejects,
 *               --strict), exit status 1;
 *   ROW_DATA    a data table (contracts, members, rosters, pauses): a
 *               stderr line, exit status 1 (--strict: fatal), not written
 *               to --rejects, whose columns are the stream's;
 *   ROW_CONFIG  a table that configures the run (schedule, terms, policy,
 *               holidays): fatal, FILE:LINE;
 *   ROW_OWN     the program's own file (a ledger): reported as ROW_DATA,
 *               but read as the program wrote it: dates ISO only, no --na.
 *
 * Every getter trims the value (passthrough values are never trimmed: they
 * are not read through here), takes `-` and the --na markers for "no
 * value", parses it, and reports a bad one with the one wording of its
 * kind: "COLUMN: invalid date '14.03.2021' (expected YYYY-MM-DD; see
 * --date-format)".  A row is reported once: after the first bad value the
 * row is done (w->bad), and further getters return -1 without a word.
 *
 * The getters return
 *    1  a value: *out is set;
 *    0  no value (empty, unknown, or the column is absent: col -1) in an
 *       optional column: *out is left as it was (set the default first);
 *   -1  the row was reported: a required value missing, or a bad value.
 * so that a program reads a row as
 *
 *	long long km = -1;
 *	if (get_date(&w, c_date, REQUIRED, &d) < 0 ||
 *	    get_count(&w, c_km, OPTIONAL, &km) < 0)
 *		return;
 */
#ifndef AS_FIELD_H
#define AS_FIELD_H

#include <stdbool.h>
#include <stddef.h>

#include "datetime.h"
#include "opts.h"
#include "str.h"
#include "stream.h"

enum row_kind { ROW_STREAM, ROW_DATA, ROW_CONFIG, ROW_OWN };
enum need { OPTIONAL, REQUIRED };

struct row {
	struct app *app;
	const struct stream *s;
	const struct record *r;
	enum row_kind kind;
	bool bad;		/* reported: the row is done */
};

/* Start reading R.  False (and reported) when the record cannot be a row:
 * a field count other than the header's, or the header's names again (a
 * "repeated header line", exports joined with cat). */
bool row_start(struct row *w, struct app *a, const struct stream *s,
    const struct record *r, enum row_kind kind);

/* The value of COL trimmed, or an empty str when it is empty, unknown
 * (`-`, --na) or the column is absent.  Never reports. */
struct str row_value(const struct row *w, int col);
/* The raw field of COL (untrimmed; empty when absent), for text that a
 * pattern reads or that is written into a computed column: when it is not
 * valid UTF-8 and no --encoding was given, the first such field of each
 * file gets one warning "FILE:LINE: not UTF-8 (try --encoding cp1251)". */
struct str row_text(const struct row *w, int col);

/* A trimmed value that is not empty (a code or an identifier). */
int get_str(struct row *w, int col, enum need need, struct str *out);
/* A date (--date-format first, then ISO; a timestamp's date part). */
int get_date(struct row *w, int col, enum need need, day_t *out);
/* A date that is one item of COL's value (a list such as
 * "2026-12-24;2027-01-02"): read as get_date reads a value, and reported
 * with ITEM as the value ("unavailable: invalid date '2026-02-30' (...)").
 * 1, or -1 (reported).  An empty ITEM is an invalid date. */
int get_date_item(struct row *w, int col, struct str item, day_t *out);
/* A timestamp; a date alone is 00:00 in the program's zone.  *has_time,
 * when not NULL, tells whether a time of day was given. */
int get_time(struct row *w, int col, enum need need, tstamp *out,
    bool *has_time);
/* A count or kilometres: digits with optional grouping (num.h). */
int get_count(struct row *w, int col, enum need need, long long *out);
/* Money, in cents. */
int get_money(struct row *w, int col, enum need need, long long *cents);
/* One of NAMES (NULL-terminated), ignoring ASCII case: *out its index.
 * WHAT names the kind in the message: "unknown WHAT 'x' (expected one
 * of: a, b, c)". */
int get_choice(struct row *w, int col, enum need need, const char *what,
    const char *const *names, int *out);

/* Report the value of COL as bad: "COLUMN: WHY 'VALUE' (EXPECTED)", the
 * parenthesis only when EXPECTED is not NULL (printf format).  Returns -1. */
int row_bad(struct row *w, int col, const char *why, const char *expected,
    ...) __attribute__((format(printf, 4, 5)));
/* The same for ITEM, a part of COL's value (an item of a list): it is
 * quoted in place of the whole value. */
int row_bad_item(struct row *w, int col, struct str item, const char *why,
    const char *expected, ...) __attribute__((format(printf, 5, 6)));
/* Report a problem of the row that is not one value's ("to: before
 * from"): "WHAT" as given (printf format).  Returns -1. */
int row_fail(struct row *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Is S (trimmed) an unknown value: `-` alone, or one of --na? */
bool field_unknown(struct str s);
/* Set the --na markers (comma-separated; NULL: `-` only). */
void field_set_na(const char *list);
/* Warn about text that is not UTF-8 (no --encoding was given). */
void field_set_encoding_given(bool given);

/* The accepted forms, as the messages say them (also for option values
 * and other callers that report on their own). */
const char *date_expected(bool own);	/* "YYYY-MM-DD; see --date-format" */
extern const char TIME_EXPECTED[];
extern const char COUNT_EXPECTED[];
extern const char MONEY_EXPECTED[];

#endif
