/* csvin.h — reading CSV (RFC 4180, through libcsv) and TSV records.
 *
 * libcsv is the reference: the well-formed records of a file (most of an
 * export) are split by the reader itself, in place, many times faster,
 * and every other record (a stray quote, text after a closing quote, one
 * cut by a read) goes to libcsv; both give the same records, lines and
 * errors (csvin_fast_path(); tests/fuzz/fuzz_csv.c checks it).
 *
 * A reader yields records: arrays of fields with the physical line on which
 * each record starts.  Field bytes are kept exactly as read (no trimming);
 * every field is also NUL-terminated, but its length is authoritative (a
 * field may hold NUL bytes).  The memory of a record stays valid until the
 * next call of csvin_next().
 *
 * A quote inside an unquoted field is an ordinary character (`17" rims`).
 * Fatal (exit 2), with FILE:LINE of the record's first line: malformed
 * quoting (text after a closing quote, a quoted field still open at the end
 * of the input; the message names the field and what is accepted), a field
 * over FIELD_MAX bytes, a record of more than RECORD_FIELDS_MAX fields, a
 * byte sequence the input's encoding cannot convert, read errors.  The
 * records before the fatal one are returned first, so that what a program
 * does before it stops does not depend on how the input came in reads.
 *
 * Encodings: a UTF-8 byte-order mark is skipped; a file that starts with
 * a UTF-16 byte-order mark (LE or BE) is read as UTF-16; otherwise, after
 * csvin_set_encoding(NAME), a file is converted from NAME to UTF-8 as it
 * is read (in chunks: memory does not grow with the file), except a table
 * that is valid UTF-8 as it is.  A program's own files are never converted.
 * Line numbers are physical lines of the file either way.
 */
#ifndef AS_CSVIN_H
#define AS_CSVIN_H

#include <stdbool.h>
#include <stddef.h>

#include "str.h"

#define FIELD_MAX (1024 * 1024)	/* longest field, bytes */
/* Most fields in one record: one line of 50 million commas must not take
 * gigabytes.  Real exports have tens, a spreadsheet at most 16,384; the
 * fault tests read a header of 100,000 columns (tests/cli/faults). */
#define RECORD_FIELDS_MAX 200000

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

/* What a file is to the program (common.md, "Encodings"): the stream's
 * files are converted by --encoding; a table too, unless it is valid UTF-8
 * as it is (read whole to tell: tables are small); the program's own files
 * (ledgers) are UTF-8, never converted, not even from UTF-16. */
enum csvin_kind { CSVIN_STREAM, CSVIN_TABLE, CSVIN_OWN };

/* Open PATH ("-" = standard input) as a file of the stream.  Fatal when it
 * cannot be opened. */
struct csvin *csvin_open(const char *path, struct dialect d);
/* The same for a file of kind KIND. */
struct csvin *csvin_open_kind(const char *path, struct dialect d,
    enum csvin_kind kind);
/* --encoding NAME: the encoding of every input file from now on (NULL:
 * UTF-8, none to convert).  -1 when iconv(3) knows no NAME (nothing
 * changed); common_finish() calls it. */
int csvin_set_encoding(const char *name);
/* The name set, or NULL. */
const char *csvin_encoding(void);
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

/* For the tests: with ON false, every CSV record goes through libcsv,
 * none is split by the reader's fast path (plain_records() in csvin.c),
 * so that the fuzz target can check that both read the same records. */
void csvin_fast_path(bool on);

/* Parse a -d value: a single byte, or "\t". Returns -1 if invalid. */
int dialect_delim(const char *arg);

#endif
