/* csvout.h — writing CSV/TSV: minimal quoting, --crlf, --excel-safe, TSV
 * escapes, large buffered writes, every write checked (a failed write is
 * fatal: "PROG: write error: REASON", exit 2), and -o FILE replaced
 * atomically (temporary file in the same directory, fsync, rename).
 */
#ifndef AS_CSVOUT_H
#define AS_CSVOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "csvin.h"
#include "str.h"

struct csvout;

/* PATH NULL or "-" writes standard output. */
struct csvout *csvout_open(const char *path, struct dialect d, bool crlf,
    bool excel_safe);
void csvout_field(struct csvout *w, const char *p, size_t n);
void csvout_str(struct csvout *w, struct str s);
/* N fields of a row, in one call. */
void csvout_fields(struct csvout *w, const struct str *f, size_t n);
/* A field the program made only of ASCII letters, digits and _.:+- (a
 * date, a number, a status): written as csvout_field() would, without
 * looking for bytes that need quotes unless the delimiter is one of those
 * (or --excel-safe or TSV is on).  The caller guarantees the bytes. */
void csvout_known(struct csvout *w, const char *p, size_t n);
/* csvout_fields() where is_known[i] says field i is such a field. */
void csvout_fields_known(struct csvout *w, const struct str *f,
    const unsigned char *is_known, size_t n);
void csvout_cstr(struct csvout *w, const char *s);
void csvout_int(struct csvout *w, long long v);
void csvout_empty(struct csvout *w);
void csvout_endrow(struct csvout *w);
/* Write all fields of a record, then end the row if end is true. */
void csvout_record(struct csvout *w, const struct record *r, bool end);
/* Raw bytes, no quoting (for --field lists, iCalendar). */
void csvout_raw(struct csvout *w, const char *p, size_t n);
/* Flush, fsync and rename into place (with -o), check stdout. Fatal on error. */
void csvout_close(struct csvout *w);
/* Discard: remove the temporary file (run by fatal()). */
void csvout_abort(struct csvout *w);
/* At start-up: occupy closed descriptors 0-2 so no file takes their place. */
void guard_std_fds(void);

#endif
