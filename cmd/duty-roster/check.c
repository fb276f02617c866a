/* check.c — duty-roster check: the problems of rosters (one edited by
 * hand, say) against the members file: gaps, overlaps, members on duty
 * when unavailable, not on duty by role, unknown or outside their region,
 * and shifts too close together. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duty-roster.h"
#include "num.h"
#include "util.h"

enum { O_CHECK_MIN_GAP = OPT_PROGRAM };

const struct opt_help check_opts[] = {
	{ "-m, --members FILE", "the members file (required)" },
	{ "--min-gap D", "least days between a member's shifts (default 2; 0: none)" },
	{ NULL, NULL }
};

/* In the order the output lists the problems of one start and region. */
enum problem_kind {
	P_GAP, P_OVERLAP, P_UNAVAILABLE, P_NOT_DUTY, P_UNKNOWN, P_WRONG_REGION,
	P_SHORT_REST
};
static const char *const problem_name[] = { "gap", "overlap", "unavailable",
	"not_duty", "unknown_member", "wrong_region", "short_rest" };

struct problem {
	tstamp start, end;
	size_t region;
	enum problem_kind kind;
	long seq;
	const char *member;
	char *detail;
};

struct check {
	const char *members;
	long long min_gap;
	struct problem *p;
	size_t n, cap;
};

static void
add_problem(struct check *ck, enum problem_kind kind, size_t region, tstamp s,
    tstamp e, const char *member, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static void
add_problem(struct check *ck, enum problem_kind kind, size_t region, tstamp s,
    tstamp e, const char *member, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (ck->n == ck->cap) {
		ck->cap = ck->cap ? 2 * ck->cap : 64;
		ck->p = xrealloc(ck->p, ck->cap * sizeof *ck->p);
	}
	ck->p[ck->n] = (struct problem){ s, e, region, kind, (long)ck->n,
		member, xstrdup(buf) };
	ck->n++;
}

/* By start, then region (first appearance), then kind, then as found. */
static int
cmp_problem(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->region != y->region)
		return x->region < y->region ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Hours with one decimal, without a ".0". */
static void
fmt_hours(char *buf, tstamp secs)
{
	size_t n = fmt_tenths(buf, secs, 3600);

	if (n >= 2 && buf[n - 2] == '.' && buf[n - 1] == '0')
		buf[n - 2] = 0;
}

/* The rows of one region, sorted by start. */
struct rows {
	struct shift **r;
	size_t n;
};

static void
gap(struct check *ck, size_t region, tstamp from, tstamp to)
{
	char h[32];

	fmt_hours(h, to - from);
	add_problem(ck, P_GAP, region, from, to, "", "nobody on duty for %s h", h);
}

/* gap: the stretches between the first start and the last end of REGION's
 * rows A that no assigned or override row of A or of ALL covers (ALL:
 * the rows of `all`, or none when REGION is `all` itself, which is then a
 * region of its own); adjacent stretches merged, uncovered rows are gaps. */
static void
region_gaps(struct check *ck, size_t region, struct rows a, struct rows all)
{
	tstamp hi = a.r[0]->end, cur = a.r[0]->start;
	size_t i = 0, j = 0;

	for (size_t k = 1; k < a.n; k++)
		if (a.r[k]->end > hi)
			hi = a.r[k]->end;
	while (i < a.n || j < all.n) {
		struct shift *x;
		if (j >= all.n || (i < a.n && a.r[i]->start <= all.r[j]->start))
			x = a.r[i++];
		else
			x = all.r[j++];
		if (x->status == ST_UNCOVERED || x->end <= cur)
			continue;
		if (x->start >= hi)
			break;
		if (x->start > cur)
			gap(ck, region, cur, x->start);
		cur = x->end;
	}
	if (cur < hi)
		gap(ck, region, cur, hi);
}

/* overlap: two assigned rows of one region, pairwise (override rows are
 * meant to overlap): the common stretch, and the later row's member. */
static void
region_overlaps(struct check *ck, size_t region, struct rows a)
{
	for (size_t i = 0; i < a.n; i++) {
		if (a.r[i]->status != ST_ASSIGNED)
			continue;
		for (size_t j = i + 1; j < a.n && a.r[j]->start < a.r[i]->end; j++)
			if (a.r[j]->status == ST_ASSIGNED)
				add_problem(ck, P_OVERLAP, region, a.r[j]->start,
				    a.r[j]->end < a.r[i]->end ? a.r[j]->end :
				    a.r[i]->end, a.r[j]->member.p,
				    "overlaps the shift of %s", a.r[i]->member.p);
	}
}

/* The problems of one on-duty row: unknown_member (then nothing else),
 * unavailable, not_duty, wrong_region (a member of `all` serves every
 * region; a regional member on the roster of `all` is outside theirs). */
static void
row_problems(struct check *ck, const struct members *ms,
    const struct roster *ro, const struct shift *x)
{
	const struct member *m = member_find(ms, x->member);
	const char *who = x->member.p;
	char d[DATE_LEN + 1];

	if (m == NULL) {
		add_problem(ck, P_UNKNOWN, x->region, x->start, x->end, who,
		    "not in the members file");
		return;
	}
	if (m->nunav > 0 && member_unavailable(m, x->sday)) {
		fmt_date(d, x->sday);
		add_problem(ck, P_UNAVAILABLE, x->region, x->start, x->end, who,
		    "unavailable on %s", d);
	}
	if (m->finance)
		add_problem(ck, P_NOT_DUTY, x->region, x->start, x->end, who,
		    "role finance");
	if (!region_is_all(str_of(m->region)) && !str_eq_ci(str_of(m->region),
	    str_of(region_name(&ro->rg, x->region))))
		add_problem(ck, P_WRONG_REGION, x->region, x->start, x->end, who,
		    "member of region %s", m->region);
}

static int
cmp_member_start(const void *a, const void *b)
{
	const struct shift *x = *(struct shift *const *)a;
	const struct shift *y = *(struct shift *const *)b;
	int c = strcmp(x->member.p, y->member.p);

	return c ? c : cmp_shift_start(a, b);
}

/* short_rest: consecutive on-duty rows of a member (V: the on-duty rows,
 * re-sorted here) that start fewer than --min-gap days apart; the row is
 * the later shift. */
static void
rest_problems(struct check *ck, struct shift **v, size_t n)
{
	char b[RFC3339_LEN + 1];

	qsort(v, n, sizeof *v, cmp_member_start);
	for (size_t i = 1; i < n; i++) {
		day_t days = v[i]->sday - v[i - 1]->sday;
		if (strcmp(v[i]->member.p, v[i - 1]->member.p) != 0 ||
		    days >= ck->min_gap)
			continue;
		fmt_rfc3339(b, v[i - 1]->start);
		add_problem(ck, P_SHORT_REST, v[i]->region, v[i]->start,
		    v[i]->end, v[i]->member.p, "%ld day%s after the shift "
		    "starting %s (min-gap %lld)", (long)days, days == 1 ? "" :
		    "s", b, ck->min_gap);
	}
}

/* Every problem of RO, in no order yet. */
static void
check_roster(struct check *ck, const struct members *ms, struct roster *ro)
{
	size_t nrg = map_count(&ro->rg), nv = 0;
	struct shift **v = xcalloc(ro->n + 1, sizeof *v);
	struct shift **byreg = xcalloc(ro->n + 1, sizeof *byreg);
	struct rows *rows = xcalloc(nrg + 1, sizeof *rows);
	long all = region_find(&ro->rg, STR_C("all"));

	for (size_t i = 0; i < ro->n; i++)
		v[i] = &ro->r[i];
	qsort(v, ro->n, sizeof *v, cmp_shift_start);
	/* The rows grouped by region, each group sorted by start. */
	for (size_t i = 0; i < ro->n; i++)
		rows[v[i]->region].n++;
	for (size_t r = 0, at = 0; r < nrg; r++) {
		rows[r].r = byreg + at;
		at += rows[r].n;
		rows[r].n = 0;
	}
	for (size_t i = 0; i < ro->n; i++)
		rows[v[i]->region].r[rows[v[i]->region].n++] = v[i];

	for (size_t r = 0; r < nrg; r++) {
		struct rows none = { NULL, 0 };
		region_gaps(ck, r, rows[r], all >= 0 && (long)r != all ?
		    rows[all] : none);
		region_overlaps(ck, r, rows[r]);
	}
	for (size_t i = 0; i < ro->n; i++)
		if (v[i]->status != ST_UNCOVERED)
			row_problems(ck, ms, ro, v[i]);
	if (ck->min_gap > 0) {
		for (size_t i = 0; i < ro->n; i++)
			if (v[i]->status != ST_UNCOVERED)
				v[nv++] = v[i];
		rest_problems(ck, v, nv);
	}
	free(v);
	free(byreg);
	free(rows);
}

static void
check_write(struct check *ck, struct app *a, const struct roster *ro)
{
	static const char *const cols[] = { "problem", "region", "start", "end",
		"member", "detail" };
	char b[RFC3339_LEN + 1];

	if (ck->n > 0)
		qsort(ck->p, ck->n, sizeof *ck->p, cmp_problem);
	for (size_t i = 0; i < 6; i++)
		csvout_cstr(a->out, cols[i]);
	csvout_endrow(a->out);
	for (size_t i = 0; i < ck->n; i++) {
		struct problem *p = &ck->p[i];
		csvout_cstr(a->out, problem_name[p->kind]);
		csvout_cstr(a->out, region_name(&ro->rg, p->region));
		fmt_rfc3339(b, p->start);
		csvout_cstr(a->out, b);
		fmt_rfc3339(b, p->end);
		csvout_cstr(a->out, b);
		csvout_cstr(a->out, p->member);
		csvout_cstr(a->out, p->detail);
		csvout_endrow(a->out);
	}
}

static void
check_options(struct check *ck, struct app *a, int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "members", required_argument, NULL, 'm' },
		{ "min-gap", required_argument, NULL, O_CHECK_MIN_GAP },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS "m:", longopts,
	    NULL)) != -1) {
		switch (common_option(&a->opt, ch, optarg)) {
		case 1: continue;
		case -1: usage();
		}
		switch (ch) {
		case 'm':
			ck->members = optarg;
			break;
		case O_CHECK_MIN_GAP:
			if (parse_uint(optarg, &ck->min_gap) != 0 ||
			    ck->min_gap > 100000)
				bad_option("--min-gap", "number of days", optarg,
				    "a whole number of days, 0 or more");
			break;
		default:
			usage();
		}
	}
	if (common_finish(&a->opt) == -1)
		usage();
	if (ck->members == NULL) {
		warnmsg("check needs -m MEMBERS");
		usage();
	}
}

int
check_main(const struct prog_info *info, int argc, char **argv)
{
	struct check ck = { .min_gap = 2 };
	struct app app = { 0 };
	struct stream ms_in, in;
	struct members ms;
	struct roster ro;
	struct roster_cols c = { -1, -1, -1, -1, -1, -1, 0 };
	const struct column spec[] = {
		{ "region", true, &c.region }, { "start", true, &c.start },
		{ "end", true, &c.end }, { "member", true, &c.member },
		{ "status", false, &c.status }, { NULL, false, NULL }
	};

	prog_start(info, &app.opt);
	check_options(&ck, &app, argc, argv);
	table_open(&ms_in, ck.members, "members");
	members_read(&app, &ms_in, ROW_DATA, &ms);
	stream_close(&ms_in);

	roster_init(&ro);
	stream_open(&in, argv + optind, argc - optind, app.opt.dialect,
	    app.opt.map, app.opt.nmap);
	app.rej_header = in.header;
	app.opt.dialect = in.dialect;
	stream_columns(&in, spec);
	app_open_output(&app);	/* before rejected rows: it starts --rejects */
	roster_read(&ro, &app, &in, ROW_STREAM, &c);
	stream_close(&in);

	check_roster(&ck, &ms, &ro);
	check_write(&ck, &app, &ro);
	int status = app_finish(&app, ck.n > 0);

	for (size_t i = 0; i < ck.n; i++)
		free(ck.p[i].detail);
	free(ck.p);
	roster_free(&ro);
	members_free(&ms);
	common_free(&app.opt);
	return status;
}
