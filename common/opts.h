/* opts.h — the options every program has (common.md), parsed with
 * getopt_long.  A program's long-options table starts with COMMON_LONGOPTS
 * and its short-option string with COMMON_SHORTOPTS; its own long-only
 * options are numbered from OPT_PROGRAM on. */
#ifndef AS_OPTS_H
#define AS_OPTS_H

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdnoreturn.h>

#include "csvin.h"
#include "csvout.h"
#include "datetime.h"
#include "stream.h"

enum {
	OPT_MAP = CHAR_MAX + 1,
	OPT_NA,
	OPT_ENCODING,
	OPT_REJECTS,
	OPT_STRICT,
	OPT_AS_OF,
	OPT_TZ,
	OPT_DATE_FORMAT,
	OPT_EXCEL_SAFE,
	OPT_CRLF,
	OPT_PROGRAM		/* first long-only option of a program */
};

#define COMMON_SHORTOPTS "hVo:d:tq"
#define COMMON_LONGOPTS \
	{ "help",        no_argument,       NULL, 'h' }, \
	{ "version",     no_argument,       NULL, 'V' }, \
	{ "output",      required_argument, NULL, 'o' }, \
	{ "delimiter",   required_argument, NULL, 'd' }, \
	{ "tsv",         no_argument,       NULL, 't' }, \
	{ "quiet",       no_argument,       NULL, 'q' }, \
	{ "map",         required_argument, NULL, OPT_MAP }, \
	{ "na",          required_argument, NULL, OPT_NA }, \
	{ "encoding",    required_argument, NULL, OPT_ENCODING }, \
	{ "rejects",     required_argument, NULL, OPT_REJECTS }, \
	{ "strict",      no_argument,       NULL, OPT_STRICT }, \
	{ "as-of",       required_argument, NULL, OPT_AS_OF }, \
	{ "tz",          required_argument, NULL, OPT_TZ }, \
	{ "date-format", required_argument, NULL, OPT_DATE_FORMAT }, \
	{ "excel-safe",  no_argument,       NULL, OPT_EXCEL_SAFE }, \
	{ "crlf",        no_argument,       NULL, OPT_CRLF }

#define COMMON_USAGE \
	"[-t | -d C] [-o FILE] [-q] [--map NAME=COLUMN] [--na LIST]\n" \
	"       [--encoding NAME] [--rejects FILE] [--strict] [--as-of WHEN]\n" \
	"       [--tz ZONE] [--date-format FMT] [--excel-safe] [--crlf]"

/* What -h prints, and what usage() and messages name: one per program
 * (per subcommand of duty-roster). */
struct opt_help {
	const char *opt;	/* "-s, --schedule FILE" */
	const char *help;	/* "the maintenance schedule (required)" */
};

struct prog_info {
	const char *name;	/* "svc-remind": messages, the manual page */
	const char *cmd;	/* a subcommand ("plan"), or NULL */
	const char *synopsis;	/* after "usage: NAME [CMD] ", lines joined
				 * by "\n       " as in the manual */
	const char *summary;	/* one line: what it does */
	const struct opt_help *opts;	/* its own options, {NULL} ends */
};

#define VERSION "0.1.0"

struct common {
	const char *output;		/* -o, NULL = stdout */
	struct dialect dialect;		/* of the stream and the output */
	bool dialect_given;		/* -d or -t: else the header's */
	bool delim_given, tsv_given;
	bool crlf, excel_safe, strict, quiet;
	const char *na;			/* --na LIST, or NULL */
	const char *encoding;		/* --encoding NAME, or NULL */
	const char *rejects_path;
	struct colmap *map;
	size_t nmap;
	const char *as_of_arg, *tz, *date_format;
	tstamp as_of;			/* "now" of every decision */
	day_t as_of_date;		/* its local date */
	bool as_of_has_time;
};

/* The state every program shares: options, output, rejected rows. */
struct app {
	struct common opt;
	struct csvout *out;
	struct csvout *rejects;		/* --rejects writer, or NULL */
	struct record rej_header;	/* header for --rejects */
	long rejected;			/* rejected rows so far */
	bool rej_header_done;
	/* Set by a program that records what it wrote (a ledger), before
	 * app_finish: the output counts as written only when a pipe's reader
	 * has taken every byte (csvout_confirm). */
	bool confirm_output;
};

/* Rows reported get a stderr line up to this many; the total comes at
 * the end ("PROG: 6031 rows rejected (the first 100 shown)"). */
#define REJECTS_SHOWN 100

/* Start a program: its name and help (kept for usage() and help()), the
 * common options at their defaults, descriptors 0-2 guarded. */
void prog_start(const struct prog_info *info, struct common *c);
void common_init(struct common *c);
/* Handle a common option: 1 handled, 0 not a common option, -1 bad value
 * (a message was printed; the caller prints usage and exits 2).  -h and
 * -V are handled here: help() and version() exit. */
int common_option(struct common *c, int ch, const char *arg);
/* Another file the run writes (a ledger): OPTION names it in messages.
 * Call before common_finish, which refuses two outputs naming one file. */
void common_output(struct common *c, const char *option, const char *path);
/* After getopt: zone, date format, --as-of (default: now), --na, the
 * outputs.  -1 on error (a message was printed). */
int common_finish(struct common *c);
/* Free what the options allocated (the --map list), at the end of a run. */
void common_free(struct common *c);

/* "usage: PROG SYNOPSIS" of prog_start's info on stderr, exit 2. */
noreturn void usage(void);
/* The same with another synopsis (kept while programs move to usage()). */
noreturn void usage_error(const char *synopsis);
/* -h: the usage, the summary, one line per option (the program's, then
 * the common ones) and "See PROG(1).", on stdout; exit 0, or 2 when it
 * cannot be written. */
noreturn void help(void);
/* -V output on stdout and exit 0 (2 when it cannot be written). */
noreturn void print_version(void);

/* Open the output writer (with -o: temporary file until app_finish). */
void app_open_output(struct app *a);
/* A rejected row of the stream: "PROG: FILE:LINE: MSG" on stderr (the
 * first REJECTS_SHOWN), the row in --rejects, fatal with --strict.  The
 * programs report through field.h; these are its back end. */
void app_reject_msg(struct app *a, const struct record *r, const char *msg);
/* An invalid row of a data table: the stderr line only. */
void app_table_msg(struct app *a, const char *file, long line,
    const char *msg);
/* Rejected row: stderr "PROG: FILE:LINE: COLUMN: WHY 'VALUE'" (COLUMN may be
 * NULL; VALUE NULL omits the quoted value), --rejects row, --strict. */
void app_reject(struct app *a, const struct stream *s, const struct record *r,
    const char *column, const char *why, const struct str *value);
/* Invalid row of a data table: stderr only, counted, fatal with --strict. */
void app_table_reject(struct app *a, const char *file, long line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A record with the header's number of fields: true.  Otherwise false, and
 * it is handled as the kind of input says: a rejected row of the stream
 * (app_fields_ok), an invalid row of a data table (app_table_fields_ok),
 * or a fatal error in a table that configures the run (table_fields_ok). */
bool app_fields_ok(struct app *a, const struct stream *s, const struct record *r);
bool app_table_fields_ok(struct app *a, const struct stream *s,
    const struct record *r);
void table_fields_ok(const struct stream *s, const struct record *r);

/* Close output and rejects, give the total of reported rows; return the
 * exit status for ALERT.  When it returns, the output was completely
 * written: a write error is fatal; a reader that went away (EPIPE) cuts
 * the run off (the fatal hooks run, the process ends by SIGPIPE:
 * csvout.h); and with confirm_output, output to a pipe or a FIFO was
 * taken by its reader (one that exits without reading it, as `head -1`
 * may, cuts the run off too).  So a program may record the output (a
 * ledger) once app_finish has returned. */
int app_finish(struct app *a, int alert);

#endif
