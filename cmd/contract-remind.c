/* contract-remind — contracts of a vehicle that end soon (insurance, lease,
 * loan, registration, inspection, roadside subscription, service package):
 * staged reminders before the end, each stage once, never for a contract
 * already renewed.  See contract-remind(1).
 *
 * A contract's state depends on the other contracts of its vehicle (a
 * renewal), so the stream is read whole before anything is decided: the
 * rows are kept packed (common/rowstore.h) with the few values the rules
 * need, and the contracts of one (vin, kind) are chained in input order,
 * which is where a renewal is looked for.
 */
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "field.h"
#include "ledger.h"
#include "map.h"
#include "num.h"
#include "opts.h"
#include "outcols.h"
#include "rowstore.h"
#include "str.h"
#include "stream.h"
#include "util.h"

enum {
	OPT_LEAD = OPT_PROGRAM, OPT_OVERDUE, OPT_KINDS, OPT_KIND, OPT_ALL,
	OPT_LEDGER, OPT_DRY_RUN, OPT_COMMIT, OPT_ALERT
};

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ "lead",    required_argument, NULL, OPT_LEAD },
	{ "overdue", required_argument, NULL, OPT_OVERDUE },
	{ "kinds",   required_argument, NULL, OPT_KINDS },
	{ "kind",    required_argument, NULL, OPT_KIND },
	{ "all",     no_argument,       NULL, OPT_ALL },
	{ "ledger",  required_argument, NULL, OPT_LEDGER },
	{ "dry-run", no_argument,       NULL, OPT_DRY_RUN },
	{ "commit",  required_argument, NULL, OPT_COMMIT },
	{ "alert",   no_argument,       NULL, OPT_ALERT },
	{ NULL, 0, NULL, 0 }
};

static const struct opt_help opts_help[] = {
	{ "--lead LIST", "days before the end at which to remind (default 60,30,7)" },
	{ "--overdue N", "remind of a contract ended up to N days ago (default 0)" },
	{ "--kinds LIST", "write only these kinds (the others still renew)" },
	{ "--kind K", "the kind of every contract (a stream without kind)" },
	{ "--all", "write every contract, due or not" },
	{ "--ledger FILE", "the reminders already sent: each stage once" },
	{ "--dry-run", "read the ledger, change nothing" },
	{ "--commit FILE", "add the reminders of FILE (delivered) to the ledger" },
	{ "--alert", "exit 3 when a contract is at the last stage or expired" },
	{ NULL, NULL }
};

static const struct prog_info info = {
	"contract-remind", NULL,
	"[--lead LIST] [--overdue N] [--kinds LIST] [--kind K] [--all]\n"
	"       [--ledger FILE [--dry-run]] [--alert]\n"
	"       " COMMON_USAGE "\n"
	"       [CONTRACTS...]\n"
	"       contract-remind --ledger FILE --commit FILE [OPTIONS]",
	"Contracts that end soon: staged reminders, each stage once, never one "
	"renewed.",
	opts_help
};

/* ---- the rules ------------------------------------------------------- */

/* A contract's state as of the as-of date, the first that applies. */
enum state { ST_CLOSED, ST_OPEN_ENDED, ST_FUTURE, ST_RENEWED, ST_EXPIRED,
	ST_ACTIVE, NSTATE };
static const char *const state_name[NSTATE] = {
	"closed", "open_ended", "future", "renewed", "expired", "active"
};

#define NONE UINT32_MAX

struct contract {
	day_t start, end;	/* DAY_NONE: empty */
	uint32_t row;		/* its row in the store, or NONE: never written */
	uint32_t group;		/* its (vin, kind) */
	uint32_t next;		/* the next contract of the group, or NONE */
	bool closed;		/* status void or closed */
	bool shown;		/* its kind is one of --kinds (or no --kinds) */
};

/* Does D renew C?  D is another contract of the same vin and kind, not
 * void or closed, that starts after C's start (or C has none) and no later
 * than the day after C's end.  A contract without a start renews nothing. */
static bool
renews(const struct contract *d, const struct contract *c)
{
	return !d->closed && d->start != DAY_NONE && c->end != DAY_NONE &&
	    (c->start == DAY_NONE || d->start > c->start) &&
	    (int64_t)d->start <= (int64_t)c->end + 1;
}

static enum state
contract_state(const struct contract *c, bool renewed, day_t as_of)
{
	if (c->closed)
		return ST_CLOSED;
	if (c->end == DAY_NONE)
		return ST_OPEN_ENDED;
	if (c->start != DAY_NONE && c->start > as_of)
		return ST_FUTURE;
	if (renewed)
		return ST_RENEWED;
	if (c->end < as_of)
		return ST_EXPIRED;
	return ST_ACTIVE;
}

/* The stage a contract is due at: the smallest lead not below days_left
 * for an active contract within the largest lead; STAGE_EXPIRED for one
 * that ended at most OVERDUE days ago; STAGE_NONE otherwise.  LEADS are
 * ascending. */
#define STAGE_NONE (-1)
#define STAGE_EXPIRED (-2)

static int
stage_of(enum state st, long long days_left, const long long *leads,
    int nleads, long long overdue)
{
	if (st == ST_ACTIVE) {
		for (int i = 0; i < nleads; i++)
			if (days_left <= leads[i])
				return i;
		return STAGE_NONE;
	}
	if (st == ST_EXPIRED && -days_left <= overdue)
		return STAGE_EXPIRED;
	return STAGE_NONE;
}

/* The alert: a written contract at the last stage before its end (the
 * smallest lead), or expired. */
static bool
stage_alerts(int stage)
{
	return stage == STAGE_EXPIRED || stage == 0;
}

/* A ledger entry can no longer hide anything once its contract's end lies
 * further back than any run reminds of an expired contract: more than
 * max(--overdue, 365) days before the as-of date. */
static bool
entry_spent(day_t end, day_t as_of, long long overdue)
{
	long long keep = overdue > 365 ? overdue : 365;
	return (long long)as_of - end > keep;
}

/* ---- the program ----------------------------------------------------- */

static const char *const ledger_cols[] = {
	"contract", "stage", "end_date", "sent", NULL
};

enum { C_STATE, C_DAYS_LEFT, C_STAGE, C_RENEWED_BY, NCOMP };
static const char *const comp_names[NCOMP] = {
	"state", "days_left", "stage", "renewed_by"
};
static const unsigned char comp_known[NCOMP] = { 1, 1, 1, 0 };

struct prog {
	struct app app;
	long long leads[32];	/* ascending, distinct */
	int nleads;
	long long overdue;
	struct map kinds;	/* --kinds, ignoring case; empty: every kind */
	const char *kind;	/* --kind K */
	bool all, dry_run, alert;
	const char *ledger_path, *commit_path;

	struct stream in;
	int c_contract, c_vin, c_kind, c_end, c_start, c_status;
	struct rowstore rows;	/* every good row, in input order */
	struct contract *con;	/* per row */
	size_t ncon, capcon;
	struct map groups;	/* vin \0 kind -> group index */
	uint32_t *head, *tail;	/* per group: its first and last contract */
	size_t capgroups;

	struct ledger *ledger;
	struct map held;	/* contract \0 stage \0 end_date of the ledger */
};

static struct prog P;

static void
bad_option(const char *opt, const char *arg, const char *expected)
{
	warnmsg("%s: bad value '%s' (expected %s)", opt, arg, expected);
	usage();
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

/* --lead 60,30,7: distinct days, kept ascending. */
static void
parse_leads(const char *arg)
{
	struct str rest = str_of(arg), tok;
	long long v;
	char buf[32];

	P.nleads = 0;
	while (str_next_token(&rest, ',', &tok)) {
		tok = str_trim(tok);
		if (tok.n == 0 || tok.n >= sizeof buf ||
		    parse_uint(str_cpy(buf, sizeof buf, tok), &v) == -1 ||
		    v > 36500 || P.nleads == 32)
			bad_option("--lead", arg, "days separated by commas, "
			    "such as 60,30,7");
		bool seen = false;
		for (int i = 0; i < P.nleads; i++)
			seen |= P.leads[i] == v;
		if (!seen)
			P.leads[P.nleads++] = v;
	}
	if (P.nleads == 0)
		bad_option("--lead", arg, "days separated by commas, such as 60,30,7");
	qsort(P.leads, (size_t)P.nleads, sizeof *P.leads, cmp_ll);
}

static void
parse_kinds(const char *arg)
{
	struct str rest = str_of(arg), tok;

	while (str_next_token(&rest, ',', &tok))
		if ((tok = str_trim(tok)).n > 0)
			map_put(&P.kinds, tok, 0, NULL);
	if (map_count(&P.kinds) == 0)
		bad_option("--kinds", arg, "kinds separated by commas, such as "
		    "insurance,lease");
}

/* What the options need of each other (NOPERANDS: the CONTRACTS named). */
static void
check_options(int noperands)
{
	if ((P.dry_run || P.commit_path) && P.ledger_path == NULL) {
		warnmsg("%s needs --ledger", P.dry_run ? "--dry-run" : "--commit");
		usage();
	}
	if (P.commit_path && (noperands > 0 || P.app.opt.output || P.dry_run)) {
		warnmsg("--commit reads only its FILE and writes only the ledger "
		    "(no CONTRACTS, -o or --dry-run)");
		usage();
	}
}

static void
options(int argc, char **argv)
{
	int ch;
	long long v;

	P.leads[0] = 7, P.leads[1] = 30, P.leads[2] = 60;
	P.nleads = 3;
	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (common_option(&P.app.opt, ch, optarg)) {
		case 1:
			continue;
		case -1:
			usage();
		}
		switch (ch) {
		case OPT_LEAD:
			parse_leads(optarg);
			break;
		case OPT_OVERDUE:
			if (parse_uint(optarg, &v) == -1 || v > 36500)
				bad_option("--overdue", optarg, "a number of days");
			P.overdue = v;
			break;
		case OPT_KINDS:
			parse_kinds(optarg);
			break;
		case OPT_KIND:
			if (str_trim(str_of(optarg)).n == 0)
				bad_option("--kind", optarg, "a kind such as roadside");
			P.kind = optarg;
			break;
		case OPT_ALL:
			P.all = true;
			break;
		case OPT_LEDGER:
			P.ledger_path = optarg;
			common_output(&P.app.opt, "--ledger", optarg);
			break;
		case OPT_DRY_RUN:
			P.dry_run = true;
			break;
		case OPT_COMMIT:
			P.commit_path = optarg;
			break;
		case OPT_ALERT:
			P.alert = true;
			break;
		default:
			usage();
		}
	}
	if (common_finish(&P.app.opt) == -1)
		usage();
	check_options(argc - optind);
}

/* The ledger's key of a reminder. */
static struct str
reminder_key(char *buf, size_t cap, struct str contract, struct str stage,
    struct str end)
{
	size_t n = contract.n + stage.n + end.n + 2;

	if (n > cap)
		n = 0;		/* too long to have been written: no key */
	else {
		memcpy(buf, contract.p, contract.n);
		buf[contract.n] = '\0';
		memcpy(buf + contract.n + 1, stage.p, stage.n);
		buf[contract.n + 1 + stage.n] = '\0';
		memcpy(buf + contract.n + 2 + stage.n, end.p, end.n);
	}
	return (struct str){ buf, n };
}

/* Read the ledger: what it holds, and which entries can go. */
static void
read_ledger(void)
{
	int c_contract = 0, c_stage = 1, c_end = 2, c_sent = 3;
	struct row w;
	size_t i;
	char key[4096];

	P.ledger = ledger_open(&P.app, P.ledger_path, ledger_cols, P.dry_run);
	while (ledger_next(P.ledger, &w, &i)) {
		struct str contract, stage, end;
		day_t end_day, sent;
		if (get_str(&w, c_contract, REQUIRED, &contract) < 0 ||
		    get_str(&w, c_stage, REQUIRED, &stage) < 0 ||
		    get_date(&w, c_end, REQUIRED, &end_day) < 0 ||
		    get_date(&w, c_sent, REQUIRED, &sent) < 0)
			continue;	/* reported, and kept as it is */
		if (entry_spent(end_day, P.app.opt.as_of_date, P.overdue)) {
			ledger_drop(P.ledger, i);
			continue;
		}
		end = row_value(&w, c_end);
		struct str k = reminder_key(key, sizeof key, contract, stage, end);
		if (k.n > 0)
			map_put(&P.held, k, i, NULL);
	}
}

static size_t
stage_text(char *buf, int stage)
{
	if (stage == STAGE_EXPIRED)
		return (size_t)snprintf(buf, 16, "expired");
	return fmt_int(buf, P.leads[stage]);
}

/* The contract of row R, kept, and chained into its (vin, kind) group. */
static void
read_contract(const struct record *r)
{
	struct row w;
	struct str id, vin, kind = str_of(P.kind ? P.kind : ""), status;
	struct contract c = { DAY_NONE, DAY_NONE, NONE, 0, NONE, false, true };
	char key[2048];

	if (!row_start(&w, &P.app, &P.in, r, ROW_STREAM) ||
	    get_str(&w, P.c_contract, REQUIRED, &id) < 0 ||
	    get_str(&w, P.c_vin, REQUIRED, &vin) < 0 ||
	    (P.kind == NULL && get_str(&w, P.c_kind, REQUIRED, &kind) < 0) ||
	    get_date(&w, P.c_end, OPTIONAL, &c.end) < 0 ||
	    get_date(&w, P.c_start, OPTIONAL, &c.start) < 0)
		return;
	status = row_value(&w, P.c_status);
	c.closed = str_eq_cstr_ci(status, "void") || str_eq_cstr_ci(status, "closed");
	c.shown = map_count(&P.kinds) == 0 || map_get(&P.kinds, kind) != NULL;
	kind = str_trim(kind);
	if (vin.n + kind.n + 1 > sizeof key) {
		row_bad(&w, P.c_vin, "too long", "a VIN of at most %zu bytes",
		    sizeof key - kind.n - 1);
		return;
	}
	/* The group's key: the vin exactly, the kind in lower case. */
	memcpy(key, vin.p, vin.n);
	key[vin.n] = '\0';
	for (size_t i = 0; i < kind.n; i++) {
		char ch = kind.p[i];
		key[vin.n + 1 + i] = ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;
	}
	/* The row is kept only when it may be written: a renewal can only
	 * take a contract off the list, so one that is not due without it
	 * never will be (the nightly list keeps a few rows, not all). */
	if (P.all || (c.shown && stage_of(contract_state(&c, false,
	    P.app.opt.as_of_date), c.end != DAY_NONE ? (long long)c.end -
	    P.app.opt.as_of_date : 0, P.leads, P.nleads, P.overdue) != STAGE_NONE))
		c.row = (uint32_t)rowstore_add(&P.rows, r->f, r->nf);
	if (P.ncon == NONE - 1)
		fatal("too many contracts");
	if (P.ncon == P.capcon) {
		P.capcon = P.capcon ? P.capcon * 2 : 1024;
		P.con = xrealloc(P.con, P.capcon * sizeof *P.con);
	}
	bool isnew;
	size_t g = *map_put(&P.groups, (struct str){ key, vin.n + 1 + kind.n },
	    map_count(&P.groups), &isnew);
	if (isnew) {
		if (g == P.capgroups) {
			P.capgroups = P.capgroups ? P.capgroups * 2 : 1024;
			P.head = xrealloc(P.head, P.capgroups * sizeof *P.head);
			P.tail = xrealloc(P.tail, P.capgroups * sizeof *P.tail);
		}
		P.head[g] = (uint32_t)P.ncon;
	} else
		P.con[P.tail[g]].next = (uint32_t)P.ncon;
	P.tail[g] = (uint32_t)P.ncon;
	c.group = (uint32_t)g;
	P.con[P.ncon++] = c;
}

/* The first contract, in input order, that renews contract I; or NONE. */
static uint32_t
renewal_of(uint32_t i)
{
	for (uint32_t j = P.head[P.con[i].group]; j != NONE; j = P.con[j].next)
		if (j != i && renews(&P.con[j], &P.con[i]))
			return j;
	return NONE;
}

/* Decide and write every contract; the reminders written go to the
 * ledger afterwards.  Returns whether the alert holds. */
static bool
write_contracts(struct outcols *oc, struct rowstore *sent)
{
	bool alert = false;
	char days[24], stage[24], key[4096], end[DATE_LEN + 1];
	day_t as_of = P.app.opt.as_of_date;

	for (uint32_t i = 0; i < P.ncon; i++) {
		const struct contract *c = &P.con[i];
		uint32_t by = c->end != DAY_NONE && !c->closed ? renewal_of(i) : NONE;
		enum state st = contract_state(c, by != NONE, as_of);
		long long left = c->end != DAY_NONE ? (long long)c->end - as_of : 0;
		int sg = stage_of(st, left, P.leads, P.nleads, P.overdue);
		struct record r;
		struct str comp[NCOMP];
		bool held = false;

		if (c->row == NONE || !c->shown)
			continue;	/* never written (see read_contract) */
		rowstore_get(&P.rows, c->row, &r);
		comp[C_STATE] = str_of(state_name[st]);
		comp[C_DAYS_LEFT] = c->end != DAY_NONE ?
		    (struct str){ days, fmt_int(days, left) } : (struct str){ "", 0 };
		comp[C_STAGE] = sg != STAGE_NONE ?
		    (struct str){ stage, stage_text(stage, sg) } : (struct str){ "", 0 };
		if (sg != STAGE_NONE && P.ledger != NULL) {
			fmt_date(end, c->end);
			held = map_get(&P.held, reminder_key(key, sizeof key,
			    str_trim(r.f[P.c_contract]), comp[C_STAGE],
			    str_of(end))) != NULL;
		}
		if (!P.all && (sg == STAGE_NONE || held))
			continue;
		comp[C_RENEWED_BY] = (struct str){ "", 0 };
		if (st == ST_RENEWED) {
			/* The renewal explains the state.  Renewed contracts are
			 * written only with --all, which keeps every row.  (A
			 * field's bytes stay valid; the array of fields is reused
			 * by the next rowstore_get.) */
			struct record rb;
			rowstore_get(&P.rows, P.con[by].row, &rb);
			comp[C_RENEWED_BY] = str_trim(rb.f[P.c_contract]);
			rowstore_get(&P.rows, c->row, &r);
		}
		outcols_row(oc, P.app.out, &r, comp);
		if (sg != STAGE_NONE && stage_alerts(sg))
			alert = true;
		if (sg != STAGE_NONE && !held) {
			struct str e[3] = { str_trim(r.f[P.c_contract]), comp[C_STAGE],
			    { "", 0 } };
			fmt_date(end, c->end);
			e[2] = str_of(end);
			rowstore_add(sent, e, 3);
		}
	}
	return alert;
}

/* After the output is complete: each reminder written, once, in the
 * ledger. */
static void
record_sent(struct rowstore *sent)
{
	char as_of[DATE_LEN + 1];
	struct record r;

	fmt_date(as_of, P.app.opt.as_of_date);
	for (size_t i = 0; i < sent->n; i++) {
		rowstore_get(sent, i, &r);
		struct str f[4] = { r.f[0], r.f[1], r.f[2], str_of(as_of) };
		ledger_add(P.ledger, f);
	}
	ledger_commit(P.ledger);
}

/* --commit FILE: the reminders a later step delivered, into the ledger. */
static int
commit(void)
{
	char *files[1] = { (char *)P.commit_path };
	struct record r;
	char key[4096], as_of[DATE_LEN + 1];
	int c_contract, c_stage, c_end;
	const struct column spec[] = {
		{ "contract", true, &c_contract }, { "stage", true, &c_stage },
		{ "end_date", true, &c_end }, { NULL, 0, NULL }
	};

	read_ledger();
	stream_open(&P.in, files, 1, P.app.opt.dialect, P.app.opt.map,
	    P.app.opt.nmap);
	stream_columns(&P.in, spec);
	P.app.rej_header = P.in.header;
	fmt_date(as_of, P.app.opt.as_of_date);
	while (stream_next(&P.in, &r)) {
		struct row w;
		struct str contract, stage;
		day_t end;
		char endbuf[DATE_LEN + 1];
		if (!row_start(&w, &P.app, &P.in, &r, ROW_STREAM) ||
		    get_str(&w, c_contract, REQUIRED, &contract) < 0 ||
		    get_date(&w, c_end, REQUIRED, &end) < 0)
			continue;
		stage = row_value(&w, c_stage);
		if (stage.n == 0)
			continue;	/* not a reminder (a row of --all) */
		fmt_date(endbuf, end);
		struct str k = reminder_key(key, sizeof key, contract, stage,
		    str_of(endbuf));
		bool isnew = true;
		if (k.n > 0)
			map_put(&P.held, k, 0, &isnew);
		if (!isnew)
			continue;	/* already in the ledger */
		struct str f[4] = { contract, stage, str_of(endbuf), str_of(as_of) };
		ledger_add(P.ledger, f);
	}
	stream_close(&P.in);
	int status = app_finish(&P.app, 0);
	ledger_commit(P.ledger);
	return status;
}

static void
prog_free(void)
{
	rowstore_free(&P.rows);
	free(P.con);
	free(P.head);
	free(P.tail);
	map_free(&P.groups);
	map_free(&P.kinds);
	map_free(&P.held);
	ledger_close(P.ledger);
	common_free(&P.app.opt);
}

int
main(int argc, char **argv)
{
	struct record r;
	struct outcols oc;
	struct rowstore sent = { 0 };
	/* With --kind the stream's kind column, if any, is not read: the
	 * kind entry comes last, so that it can be left out. */
	struct column spec[] = {
		{ "contract", true, &P.c_contract }, { "vin", true, &P.c_vin },
		{ "end_date", true, &P.c_end }, { "start_date", false, &P.c_start },
		{ "status", false, &P.c_status }, { "kind", true, &P.c_kind },
		{ NULL, 0, NULL }
	};

	argv[0] = (char *)info.name;	/* getopt names the program so, too */
	prog_start(&info, &P.app.opt);
	map_init(&P.kinds, true);
	map_init(&P.groups, false);
	map_init(&P.held, false);
	P.c_kind = -1;
	options(argc, argv);
	if (P.commit_path) {
		int status = commit();
		prog_free();
		return status;
	}

	stream_open(&P.in, argv + optind, argc - optind, P.app.opt.dialect,
	    P.app.opt.map, P.app.opt.nmap);
	if (P.kind != NULL)
		spec[5] = (struct column){ NULL, 0, NULL };
	stream_columns(&P.in, spec);
	if (!stream_empty(&P.in))
		P.app.opt.dialect = P.in.dialect;	/* output in the input's */
	P.app.rej_header = P.in.header;
	if (P.ledger_path)
		read_ledger();
	while (stream_next(&P.in, &r)) {
		read_contract(&r);
	}

	app_open_output(&P.app);
	bool alert = false;
	if (!stream_empty(&P.in)) {
		outcols_init(&oc, &P.in, comp_names, NCOMP);
		outcols_known(&oc, comp_known);
		outcols_header(&oc, P.app.out, &P.in);
		alert = write_contracts(&oc, &sent);
		outcols_free(&oc);
	}
	stream_close(&P.in);
	int status = app_finish(&P.app, P.alert && alert);
	if (P.ledger != NULL)
		record_sent(&sent);
	rowstore_free(&sent);
	prog_free();
	return status;
}
