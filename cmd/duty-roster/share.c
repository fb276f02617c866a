/* share.c — duty-roster share: the cost of the service split among all
 * members by their share, and, with rosters, a credit for the duty each
 * served.  The rules: split_cost(), served() and credit_cents(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duty-roster.h"
#include "num.h"
#include "util.h"

enum { O_COST = OPT_PROGRAM, O_CREDIT };

const struct opt_help share_opts[] = {
	{ "--cost AMOUNT", "the cost to split, such as 24000.00 (required)" },
	{ "-r, --roster FILE", "a roster: the shifts served (repeatable)" },
	{ "--credit AMOUNT", "the credit per unit of load served (needs -r)" },
	{ NULL, NULL }
};

struct share {
	long long cost, credit;		/* cents */
	bool have_cost, have_credit;
	char **rosters;
	int nrosters;
};

/* ---- the rules -------------------------------------------------------- */

/* OUT[i] = COST x SHARE[i] / sum of shares, in cents, rounded so that
 * they add up to COST exactly: each gets the whole cents of its part,
 * and the cents left go one each to the largest remainders (a tie to the
 * earlier member).  The shares must not add up to 0 unless COST is 0. */
static void
split_cost(long long cost, const long long *share, size_t n, long long *out)
{
	long long sum = 0, given = 0;
	long long *rem = xcalloc(n + 1, sizeof *rem);

	for (size_t i = 0; i < n; i++)
		sum += share[i];
	for (size_t i = 0; i < n; i++) {
		out[i] = 0;
		if (sum == 0)
			continue;	/* nothing to split by: nobody pays */
		__int128 x = (__int128)cost * share[i];
		out[i] = (long long)(x / sum);
		rem[i] = (long long)(x % sum);
		given += out[i];
	}
	for (; sum > 0 && given < cost; given++) {
		size_t best = 0;
		for (size_t i = 1; i < n; i++)
			if (rem[i] > rem[best])
				best = i;
		out[best]++;
		rem[best] = 0;
	}
	free(rem);
}

/* Is a roster row a shift served?  An override row is (a stand-in takes
 * the whole shift); an assigned row unless an override row of its region
 * overlaps it in time; an uncovered row never. */
static bool
served(enum status st, bool overridden)
{
	return st == ST_OVERRIDE || (st == ST_ASSIGNED && !overridden);
}

/* The credit for LOAD (thousandths) served at AMOUNT cents a unit, in
 * cents, rounded half up. */
static long long
credit_cents(long long load, long long amount)
{
	return div_round_half_up(load * amount, MILLI);
}

/* ---- the overrides of a region ---------------------------------------- */

/* The override rows of one region sorted by start, with the latest end
 * of each prefix: does an override overlap [start, end)? is then a binary
 * search. */
struct overrides {
	struct shift **r;
	tstamp *max_end;
	size_t n;
};

static struct overrides *
overrides_index(struct roster *ro)
{
	size_t nrg = map_count(&ro->rg);
	struct overrides *ov = xcalloc(nrg + 1, sizeof *ov);

	for (size_t i = 0; i < ro->n; i++)
		if (ro->r[i].status == ST_OVERRIDE)
			ov[ro->r[i].region].n++;
	for (size_t r = 0; r < nrg; r++) {
		ov[r].r = xcalloc(ov[r].n + 1, sizeof *ov[r].r);
		ov[r].max_end = xcalloc(ov[r].n + 1, sizeof *ov[r].max_end);
		ov[r].n = 0;
	}
	for (size_t i = 0; i < ro->n; i++)
		if (ro->r[i].status == ST_OVERRIDE) {
			struct overrides *o = &ov[ro->r[i].region];
			o->r[o->n++] = &ro->r[i];
		}
	for (size_t r = 0; r < nrg; r++) {
		qsort(ov[r].r, ov[r].n, sizeof *ov[r].r, cmp_shift_start);
		for (size_t k = 0; k < ov[r].n; k++)
			ov[r].max_end[k] = k > 0 && ov[r].max_end[k - 1] >
			    ov[r].r[k]->end ? ov[r].max_end[k - 1] :
			    ov[r].r[k]->end;
	}
	return ov;
}

static bool
overlapped(const struct overrides *o, tstamp start, tstamp end)
{
	size_t lo = 0, hi = o->n;

	while (lo < hi) {		/* the overrides that start before end */
		size_t mid = (lo + hi) / 2;
		if (o->r[mid]->start < end)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && o->max_end[lo - 1] > start;
}

/* ---- rosters and output ----------------------------------------------- */

/* Read the rosters; a row of a member not in the members file is
 * reported and credits nobody (an override row of it still stands in). */
static void
rosters_read(const struct share *sh, struct app *a, struct members *ms,
    struct roster *ro)
{
	struct roster_cols c = { -1, -1, -1, -1, -1, -1,
		1u << ST_ASSIGNED | 1u << ST_OVERRIDE };
	const struct column spec[] = {
		{ "region", true, &c.region }, { "start", true, &c.start },
		{ "end", true, &c.end }, { "member", true, &c.member },
		{ "load", true, &c.load }, { "status", false, &c.status },
		{ NULL, false, NULL }
	};

	roster_init(ro);
	for (int i = 0; i < sh->nrosters; i++) {
		struct stream s;
		struct record rec;
		table_open(&s, sh->rosters[i], "roster");
		stream_columns(&s, spec);
		while (stream_next(&s, &rec)) {
			struct row w;
			struct shift x;
			if (!row_start(&w, a, &s, &rec, ROW_DATA) ||
			    shift_read(&w, &c, &ro->rg, &x) < 0)
				continue;
			if (x.member.n > 0 && member_find(ms, x.member) == NULL) {
				row_bad(&w, c.member, "not in the members file",
				    NULL);
				x.member = STR_C("");
			}
			roster_push(ro, &x);
		}
		stream_close(&s);
	}
}

/* Each member's shifts and load served. */
static void
count_served(struct members *ms, struct roster *ro)
{
	struct overrides *ov = overrides_index(ro);

	for (size_t i = 0; i < ro->n; i++) {
		const struct shift *x = &ro->r[i];
		struct member *m;
		if (!served(x->status, x->status == ST_ASSIGNED &&
		    overlapped(&ov[x->region], x->start, x->end)) ||
		    (m = member_find(ms, x->member)) == NULL)
			continue;
		m->shifts++;
		m->load += x->load;
	}
	for (size_t r = 0; r < map_count(&ro->rg); r++) {
		free(ov[r].r);
		free(ov[r].max_end);
	}
	free(ov);
}

static void
share_write(const struct share *sh, struct app *a, const struct members *ms,
    const long long *contribution)
{
	static const char *const cols[] = { "member", "name", "role", "share",
		"shifts", "load", "contribution", "credit", "net" };
	char buf[64];

	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		csvout_cstr(a->out, cols[i]);
	csvout_endrow(a->out);
	for (size_t i = 0; i < ms->n; i++) {
		const struct member *m = &ms->m[i];
		long long credit = sh->have_credit ? credit_cents(m->load,
		    sh->credit) : 0;
		csvout_cstr(a->out, m->id);
		csvout_str(a->out, m->name);
		csvout_cstr(a->out, m->finance ? "finance" : "duty");
		fmt_milli(buf, m->share);
		csvout_cstr(a->out, buf);
		csvout_int(a->out, m->shifts);
		fmt_milli(buf, m->load);
		csvout_cstr(a->out, buf);
		fmt_money(buf, contribution[i]);
		csvout_cstr(a->out, buf);
		fmt_money(buf, credit);
		csvout_cstr(a->out, buf);
		fmt_money(buf, contribution[i] - credit);
		csvout_cstr(a->out, buf);
		csvout_endrow(a->out);
	}
}

static void
share_options(struct share *sh, struct app *a, int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "cost",   required_argument, NULL, O_COST },
		{ "roster", required_argument, NULL, 'r' },
		{ "credit", required_argument, NULL, O_CREDIT },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS "r:", longopts,
	    NULL)) != -1) {
		switch (common_option(&a->opt, ch, optarg)) {
		case 1: continue;
		case -1: usage();
		}
		switch (ch) {
		case O_COST:
		case O_CREDIT:
			if (parse_money(str_of(optarg), ch == O_COST ? &sh->cost :
			    &sh->credit) != 0)
				bad_option(ch == O_COST ? "--cost" : "--credit",
				    "amount", optarg, MONEY_EXPECTED);
			*(ch == O_COST ? &sh->have_cost : &sh->have_credit) = true;
			break;
		case 'r':
			sh->rosters = xrealloc(sh->rosters, (size_t)(sh->nrosters +
			    1) * sizeof *sh->rosters);
			sh->rosters[sh->nrosters++] = optarg;
			break;
		default:
			usage();
		}
	}
	if (common_finish(&a->opt) == -1)
		usage();
	if (!sh->have_cost) {
		warnmsg("share needs --cost");
		usage();
	}
	if (sh->have_credit && sh->nrosters == 0) {
		warnmsg("--credit needs -r ROSTER");
		usage();
	}
}

int
share_main(const struct prog_info *info, int argc, char **argv)
{
	struct share sh = { 0 };
	struct app app = { 0 };
	struct stream in;
	struct members ms;
	struct roster ro;

	prog_start(info, &app.opt);
	share_options(&sh, &app, argc, argv);
	stream_open(&in, argv + optind, argc - optind, app.opt.dialect,
	    app.opt.map, app.opt.nmap);
	app.rej_header = in.header;
	app.opt.dialect = in.dialect;
	app_open_output(&app);	/* before rejected rows: it starts --rejects */
	members_read(&app, &in, ROW_STREAM, &ms);
	bool empty = stream_empty(&in);
	stream_close(&in);
	rosters_read(&sh, &app, &ms, &ro);
	count_served(&ms, &ro);

	long long sum = 0;
	for (size_t i = 0; i < ms.n; i++)
		sum += ms.m[i].share;
	/* An empty members file is a stream of no rows (nothing to split). */
	if (sum == 0 && sh.cost > 0 && !empty) {
		char c[32];
		fmt_money(c, sh.cost);
		fatal("cannot split %s: the shares add up to 0", c);
	}
	long long *shares = xcalloc(ms.n + 1, sizeof *shares);
	long long *contribution = xcalloc(ms.n + 1, sizeof *contribution);
	for (size_t i = 0; i < ms.n; i++)
		shares[i] = ms.m[i].share;
	split_cost(sh.cost, shares, ms.n, contribution);
	share_write(&sh, &app, &ms, contribution);
	int status = app_finish(&app, 0);

	free(shares);
	free(contribution);
	roster_free(&ro);
	members_free(&ms);
	free(sh.rosters);
	common_free(&app.opt);
	return status;
}
