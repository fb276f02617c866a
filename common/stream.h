/* stream.h — the input stream (several files, one header) and tables.
 *
 * A stream is the files named as operands read in order, or standard input;
 * each file starts with its own header and all headers must name the same
 * columns.  Column names match ignoring case and surrounding white space;
 * --map NAME=COLUMN renames the stream's columns (never a table's).
 */
#ifndef AS_STREAM_H
#define AS_STREAM_H

#include <stdbool.h>

#include "csvin.h"

struct colmap {
	const char *name;	/* the program's column name */
	const char *column;	/* the input's column */
};

struct stream {
	struct record header;	/* header of the first file, fields owned */
	struct dialect dialect;
	const struct colmap *map;
	size_t nmap;
	char **files;
	int nfiles, cur;
	struct csvin *in;
	const char *what;	/* "schedule", ... for tables; NULL for the stream */
	bool own;		/* the program's own file (a ledger): comma CSV,
				 * UTF-8, never converted */
};

/* Open the stream over FILES (none = stdin). Fatal if the first has no header. */
void stream_open(struct stream *s, char **files, int nfiles, struct dialect d,
    const struct colmap *map, size_t nmap);
/* Open a table: one file, dialect from its header line, no --map. */
void table_open(struct stream *s, const char *path, const char *what);
/* Open the program's own file (a ledger): comma CSV, UTF-8 as it is. */
void own_open(struct stream *s, const char *path, const char *what);
/* Next data record; checks the header of each further file. 1 or 0 at end. */
int stream_next(struct stream *s, struct record *rec);
/* csvin_peek_field() of the file being read. */
struct str stream_peek_field(const struct stream *s, size_t k, int col);
/* The columns a program reads from a stream or table.  A spec is an array
 * ended by { NULL }. */
struct column {
	const char *name;	/* the program's name for it */
	bool required;
	int *col;		/* set to its index, or -1 when absent */
};

/* Find the columns of SPEC in the header (after --map, for the stream):
 * - a required column that is missing is fatal, naming every missing one
 *   and listing the columns found;
 * - a --map NAME that is not in SPEC is a usage error (exit 2) listing
 *   the names the program reads;
 * - a header name that SPEC does not read, close to a name of SPEC that
 *   was not found (common.md: at most one edit for names of five
 *   characters or fewer, two for longer), gets a warning: "FILE: column
 *   'acknowleged_at' is not read; did you mean 'acknowledged_at'?".
 * An empty stream (stream_empty) has no header: every *col is -1 and
 * nothing is fatal.  Call it once per stream (a program with several
 * modes: once, with the mode's spec). */
void stream_columns(struct stream *s, const struct column *spec);
/* No header: the stream's files (or the table) hold no record at all
 * (empty, or only a byte-order mark and blank lines). */
bool stream_empty(const struct stream *s);

/* Index of column NAME (after --map), or -1. */
int stream_col(const struct stream *s, const char *name);
/* As stream_col, but fatal when missing, listing the columns found. */
int stream_need(const struct stream *s, const char *name);
/* Name as it should appear in messages for column index i (header text). */
const char *stream_colname(const struct stream *s, int i);
void stream_close(struct stream *s);
/* Field COL of a record; empty when COL is -1 (an optional column that is
 * absent) or beyond the record. */
static inline struct str
rec_field(const struct record *r, int col)
{
	if (col < 0 || (size_t)col >= r->nf)
		return (struct str){ "", 0 };
	return r->f[col];
}

#endif
