/* csvin.h — reading CSV (RFC 4180, through libcsv) and TSV records.
 *
 * A reader yields records: arrays of fields with the physical line on which
 * each record starts.  Field bytes are kept exactly as read (no trimming);
 * every field is also NUL-terminated, but its length is authoritative (a
 * field may hold NUL bytes).  The memory of a record stays valid until the
 * next call of csvin_next().  Malformed quoting, a field over 1 MiB and read
 * errors are fatal (exit 2) with FILE:LINE.
 */
#ifndef AS_CSVIN_H
#define AS_CSVIN_H

#include <stdbool.h>
#include <stddef.h>

#include "str.h"

#define FIELD_MAX (1024 * 1024)	/* longest field, bytes */

struct dialect {
	char delim;	/* ',' ';' ... ; '\t' with tsv */
	bool tsv;	/* tab-separated, backslash escapes, no quoting */
	bool sniff;	/* tables: take the dialect from the header line */
};

struct record {
	size_t nf;
	struct str *f;
	long line;		/* physical line where the record starts */
	const char *file;	/* name for messages ("-" for stdin) */
};

struct csvin;

/* Open PATH ("-" = standard input).  Fatal when it cannot be opened. */
struct csvin *csvin_open(const char *path, struct dialect d);
/* Next record: 1, or 0 at end of input.  Blank lines are skipped. */
int csvin_next(struct csvin *r, struct record *rec);
/* Field COL of the K-th record after the last one returned (K >= 1), when
 * it is already read (in the reader's buffer), without consuming it; else
 * an empty str with p NULL.  For prefetching: a program can start the
 * memory access of a coming row while it handles this one. */
struct str csvin_peek_field(const struct csvin *r, size_t k, int col);
/* The dialect in use (after sniffing). */
struct dialect csvin_dialect(const struct csvin *r);
void csvin_close(struct csvin *r);

/* Parse a -d value: a single byte, or "\t". Returns -1 if invalid. */
int dialect_delim(const char *arg);

#endif
