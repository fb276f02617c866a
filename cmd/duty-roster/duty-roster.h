/* duty-roster.h — what the commands of duty-roster share: the command
 * table's row, decimal figures, regions, the members and the roster rows.
 * main.c holds the table; each command is one file (plan.c, who.c,
 * check.c, audit.c, share.c) and parses its own options; roster.c reads
 * members and roster rows for all of them.  See duty-roster(1). */
#ifndef DUTY_ROSTER_H
#define DUTY_ROSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdnoreturn.h>

#include "arena.h"
#include "datetime.h"
#include "field.h"
#include "map.h"
#include "opts.h"
#include "str.h"

/* A row of the command table: adding a command is one row, one file and
 * its two declarations below. */
struct command {
	const char *name;
	int (*run)(const struct prog_info *info, int argc, char **argv);
	const char *synopsis;		/* after "duty-roster NAME " */
	const char *summary;		/* one line, for -h */
	const struct opt_help *opts;	/* the command's own options */
};

int plan_main(const struct prog_info *info, int argc, char **argv);
int who_main(const struct prog_info *info, int argc, char **argv);
int check_main(const struct prog_info *info, int argc, char **argv);
int audit_main(const struct prog_info *info, int argc, char **argv);
int share_main(const struct prog_info *info, int argc, char **argv);
extern const struct opt_help plan_opts[], who_opts[], check_opts[],
    audit_opts[], share_opts[];

/* ---- decimal figures ------------------------------------------------
 * Weights, shares, day weights and loads: non-negative decimals with at
 * most three fraction digits ('.' or ','), held exactly in thousandths. */
#define MILLI 1000LL
extern const char DECIMAL_EXPECTED[], POSITIVE_EXPECTED[];

/* S (trimmed) in thousandths: 0, or -1 when it is not such a figure. */
int parse_milli(struct str s, long long *out);
/* Thousandths in shortest exact form: 1, 1.2, 0.125.  Returns the length. */
size_t fmt_milli(char *buf, long long v);
/* A figure of COL, as the getters of field.h read values (a bad one is
 * "invalid number", saying what is expected); POSITIVE refuses 0. */
int get_milli(struct row *w, int col, enum need need, bool positive,
    long long *out);

/* A bad option value: "OPT: invalid WHAT 'ARG' (expected EXPECTED)" and
 * the command's short usage, exit 2. */
noreturn void bad_option(const char *opt, const char *what, const char *arg,
    const char *expected);

/* ---- regions ----------------------------------------------------------
 * Names in order of first appearance, spelled as they first appear,
 * matched ignoring ASCII case and surrounding space; an empty region (or
 * `-`, or a --na marker) is `all`, the region that serves every region. */
void regions_init(struct map *rg);
size_t region_add(struct map *rg, struct str name);
long region_find(const struct map *rg, struct str name);	/* or -1 */
const char *region_name(const struct map *rg, size_t i);
/* "north, south, all": for messages. */
void regions_list(const struct map *rg, char *buf, size_t cap);
bool region_is_all(struct str name);

/* ---- members ---------------------------------------------------------- */
struct range {
	day_t from, to;		/* both included */
};

struct member {
	char *id;
	struct str name, phone;		/* as read (passthrough), owned */
	char *region;			/* trimmed; "all" when empty */
	bool finance;			/* role finance: never on duty */
	long long weight, share;	/* thousandths */
	struct range *unav;		/* sorted, merged */
	size_t nunav;
	/* what a run adds up: plan's load and last shift, share's shifts */
	long long load;			/* thousandths */
	tstamp last;
	day_t last_day;
	bool has_last;
	long shifts;
};

struct members {
	struct member *m;
	size_t n, cap;
	struct map ids;			/* member -> index, exact */
};

/* Read the members file S (the stream of plan and share: KIND ROW_STREAM;
 * check's -m table: ROW_DATA) into MS.  A member whose row is bad is
 * reported and takes no part. */
void members_read(struct app *a, struct stream *s, enum row_kind kind,
    struct members *ms);
struct member *member_find(const struct members *ms, struct str id);
void members_free(struct members *ms);
/* Is M unavailable on day D? */
bool member_unavailable(const struct member *m, day_t d);

/* ---- roster rows ------------------------------------------------------ */
enum status { ST_ASSIGNED, ST_OVERRIDE, ST_UNCOVERED };
extern const char *const status_names[];

/* A roster row as the commands use it. */
struct shift {
	size_t region;		/* index in the command's regions */
	enum status status;
	tstamp start, end;
	day_t sday;		/* the local date on which it starts */
	struct str member;	/* trimmed; empty if uncovered */
	long long load;		/* thousandths; 0 when not read */
	long order;		/* input order */
};

/* The roster columns a command reads (-1: not read; each command finds
 * them with stream_columns).  LOAD_NEED: the statuses (1 << ST_...)
 * whose rows must have a load. */
struct roster_cols {
	int region, start, end, member, status, load;
	unsigned load_need;
};

/* Read the row W into X: the status (empty: assigned; ignoring case), the
 * region (empty: all; added to RG), start and end (end after start), the
 * member (required unless uncovered; X->member points into the record:
 * copy it to keep it) and the load.  1, or -1 (reported). */
int shift_read(struct row *w, const struct roster_cols *c, struct map *rg,
    struct shift *x);

/* Roster rows held in memory (check, audit, share), members copied. */
struct roster {
	struct shift *r;
	size_t n, cap;
	struct map rg;			/* the regions of the rows */
	struct arena text;		/* the members' identifiers */
};

void roster_init(struct roster *ro);
/* Keep X, a copy of its member with it. */
void roster_push(struct roster *ro, const struct shift *x);
/* Read every row of S (the stream, or a table: KIND) with the columns C
 * into RO; bad rows are reported. */
void roster_read(struct roster *ro, struct app *a, struct stream *s,
    enum row_kind kind, const struct roster_cols *c);
void roster_free(struct roster *ro);
/* Order of start, then input order. */
int cmp_shift_start(const void *a, const void *b);	/* struct shift ** */

/* The who rule, which audit follows too: does a roster row that covers
 * the time count as on duty?  OVERRIDDEN: an override row covers that
 * time in the region asked about or in `all`. */
bool counts_on_duty(enum status st, bool overridden);

#endif
