/* stream.h — the input stream (several files, one header) and tables.
 *
 * A stream is the files named as operands read in order, or standard input;
 * each file starts with its own header and all headers must name the same
 * columns in the same order (else fatal, naming the first column that
 * differs).  Column names match ignoring case and surrounding white space;
 * --map NAME=COLUMN renames the stream's columns (never a table's).
 *
 * An empty file (no bytes, or only a byte-order mark and blank lines) is a
 * file of no rows: it contributes nothing and its header is not checked.
 * The stream's header is that of its first file that is not empty; a
 * stream whose files are all empty has none (stream_empty).
 *
 * Dialect: with d.sniff (no -d or -t) the stream is read in the dialect of
 * its first non-empty file's header line, as a table is, and every further
 * file in that same dialect; s->dialect is then the dialect read, which a
 * program copies to its output's (common.md: the output delimiter is the
 * input's).  Encodings: csvin.h (a stream's files are CSVIN_STREAM, a
 * table CSVIN_TABLE, the program's own file CSVIN_OWN).
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

/* Open the stream over FILES (none = stdin), up to the header of the first
 * file that is not empty.  A --map COLUMN the header does not have is
 * fatal. */
void stream_open(struct stream *s, char **files, int nfiles, struct dialect d,
    const struct colmap *map, size_t nmap);
/* Open a table: one file, dialect from its header line, no --map.  An
 * empty one is a table of no rows (stream_empty). */
void table_open(struct stream *s, const char *path, const char *what);
/* Open the program's own file (a ledger): comma CSV, UTF-8 as it is. */
void own_open(struct stream *s, const char *path, const char *what);
/* Next data record; checks the header of each further file that is not
 * empty. 1 or 0 at end.  A record that repeats the header's names is
 * returned as it is (row_start rejects it: field.h). */
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
 * The messages:
 *   PROG: FILE: missing required column 'vin' (columns found: VIN;Data)
 *   PROG: FILE: missing required columns 'vin', 'date' (columns found: ...)
 *   ("missing column(s)" for a table), and
 *   PROG: --map acknowlege_at=Acked: PROG reads no column 'acknowlege_at'
 *   (it reads: id, received_at, acknowledged_at)
 * An empty stream (stream_empty) has no header: every *col is -1 and no
 * column is missing; the --map names are checked all the same (a typo in
 * a crontab must show on a quiet day too).  Call it once per stream (a
 * program with several modes: once, with the mode's spec), after
 * stream_open or table_open. */
void stream_columns(struct stream *s, const struct column *spec);
/* No header: the stream's files (or the table) hold no record at all
 * (empty, or only a byte-order mark and blank lines). */
bool stream_empty(const struct stream *s);
/* Is header name HEADER close to the program's column NAME (common.md:
 * ignoring case and surrounding white space, at most one edit for names
 * of five characters or fewer, two for longer; an edit is a letter added,
 * dropped or changed, or two adjacent letters swapped), and not NAME
 * itself?  The test of stream_columns' warning. */
bool column_near_miss(const char *name, struct str header);

/* Kept while the programs move to stream_columns, which checks --map
 * names, warns of near misses and names every missing column at once:
 * Index of column NAME (after --map), or -1 (also on an empty stream). */
int stream_col(const struct stream *s, const char *name);
/* "a, b, c": the header's names for a message, escaped (str_msg) and cut
 * with "..." to fit LIST of CAP bytes (at least 16).  Returns LIST. */
char *stream_columns_found(const struct stream *s, char *list, size_t cap);
/* As stream_col, but fatal when missing, listing the columns found; on an
 * empty stream, fatal "FILE: no header line" as before empty inputs were
 * allowed (a program that does not test stream_empty stops, rather than
 * run on a header it does not have). */
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
