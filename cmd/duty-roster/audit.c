/* audit.c — duty-roster audit: each call of the dispatch line's log gets
 * the members on duty in its region at its time (by the who rule) and a
 * verdict on the member the operator named.  The rosters are held in
 * memory, indexed by region and start; the calls are streamed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duty-roster.h"
#include "outcols.h"
#include "util.h"

enum { O_SINCE = OPT_PROGRAM, O_UNTIL };

const struct opt_help audit_opts[] = {
	{ "-r, --roster FILE", "a roster (required; repeatable)" },
	{ "--since WHEN", "only calls at or after WHEN (YYYY-MM-DD [HH:MM[:SS]])" },
	{ "--until WHEN", "only calls before WHEN (YYYY-MM-DD [HH:MM[:SS]])" },
	{ NULL, NULL }
};

enum verdict { V_OK, V_WRONG, V_NO_REFERRAL, V_NOBODY };
static const char *const verdict_name[] = { "ok", "wrong", "no_referral",
	"nobody_on_duty" };

/* The verdict on a call: nobody_on_duty when nobody was (whoever was
 * named), no_referral when nobody was named, ok when the member named
 * was on duty, wrong when someone else was. */
static enum verdict
audit_verdict(size_t on_duty, bool referred, bool referred_on_duty)
{
	if (on_duty == 0)
		return V_NOBODY;
	if (!referred)
		return V_NO_REFERRAL;
	return referred_on_duty ? V_OK : V_WRONG;
}

struct audit {
	char **rosters;
	int nrosters;
	tstamp since, until;
	bool have_since, have_until;
};

/* One region's rows, sorted by start; MAXDUR bounds the search back. */
struct rindex {
	struct shift **r;
	size_t n;
	tstamp maxdur;
};

/* The rows of the regions, indexed. */
static struct rindex *
index_roster(struct roster *ro)
{
	size_t nrg = map_count(&ro->rg);
	struct rindex *ix = xcalloc(nrg + 1, sizeof *ix);

	for (size_t i = 0; i < ro->n; i++)
		ix[ro->r[i].region].n++;
	for (size_t r = 0; r < nrg; r++) {
		ix[r].r = xcalloc(ix[r].n + 1, sizeof *ix[r].r);
		ix[r].n = 0;
	}
	for (size_t i = 0; i < ro->n; i++) {
		struct rindex *x = &ix[ro->r[i].region];
		x->r[x->n++] = &ro->r[i];
		if (ro->r[i].end - ro->r[i].start > x->maxdur)
			x->maxdur = ro->r[i].end - ro->r[i].start;
	}
	for (size_t r = 0; r < nrg; r++)
		qsort(ix[r].r, ix[r].n, sizeof *ix[r].r, cmp_shift_start);
	return ix;
}

/* A growing list of rows. */
struct hits {
	struct shift **r;
	size_t n, cap;
};

/* Add to H the rows of IX that cover T and are not uncovered. */
static void
covering(const struct rindex *ix, tstamp t, struct hits *h)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {		/* the first row with start > t */
		size_t mid = (lo + hi) / 2;
		if (ix->r[mid]->start <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo > 0) {
		struct shift *x = ix->r[--lo];
		if (x->start < t - ix->maxdur)
			break;
		if (x->status == ST_UNCOVERED || !(t < x->end))
			continue;
		if (h->n == h->cap) {
			h->cap = h->cap ? 2 * h->cap : 16;
			h->r = xrealloc(h->r, h->cap * sizeof *h->r);
		}
		h->r[h->n++] = x;
	}
}

static int
cmp_order(const void *a, const void *b)
{
	const struct shift *x = *(struct shift *const *)a;
	const struct shift *y = *(struct shift *const *)b;

	return x->order < y->order ? -1 : x->order > y->order;
}

/* on_duty: the members of H (the rows covering the call, of its region
 * and of `all`) who count by the who rule, in roster order, without
 * repeats, joined by ';' into *BUF.  Returns the number of members;
 * *named tells whether REF is one of them. */
static size_t
on_duty(struct hits *h, struct str ref, char **buf, size_t *cap, size_t *len,
    bool *named)
{
	bool overridden = false;
	size_t n = 0;

	if (h->n > 1)
		qsort(h->r, h->n, sizeof *h->r, cmp_order);
	for (size_t i = 0; i < h->n; i++)
		overridden |= h->r[i]->status == ST_OVERRIDE;
	*len = 0;
	*named = false;
	for (size_t i = 0; i < h->n; i++) {
		struct str m = h->r[i]->member;
		bool dup = false;
		if (!counts_on_duty(h->r[i]->status, overridden))
			continue;
		for (size_t j = 0; j < i && !dup; j++)
			dup = counts_on_duty(h->r[j]->status, overridden) &&
			    str_eq(h->r[j]->member, m);
		if (dup)
			continue;
		if (*len + m.n + 2 > *cap) {
			*cap = 2 * (*len + m.n + 2);
			*buf = xrealloc(*buf, *cap);
		}
		if (*len > 0)
			(*buf)[(*len)++] = ';';
		memcpy(*buf + *len, m.p, m.n);
		*len += m.n;
		*named |= str_eq(ref, m);
		n++;
	}
	return n;
}

/* Read the calls of IN, writing each call in the window with its
 * on_duty and verdict.  Returns 1 when a call written is not ok. */
static int
audit_calls(const struct audit *au, struct app *a, struct stream *in,
    struct roster *ro, const struct rindex *ix)
{
	static const char *const names[] = { "on_duty", "verdict" };
	int ct, cr, cf, alert = 0;
	const struct column spec[] = {
		{ "time", true, &ct }, { "region", true, &cr },
		{ "referred", true, &cf }, { NULL, false, NULL }
	};
	long all = region_find(&ro->rg, STR_C("all"));
	struct hits h = { 0 };
	struct outcols oc;
	struct record rec;
	char *buf = NULL;
	size_t cap = 0;

	stream_columns(in, spec);
	app_open_output(a);	/* before rejected rows: it starts --rejects */
	if (stream_empty(in))
		return 0;
	outcols_init(&oc, in, names, 2);
	outcols_header(&oc, a->out, in);
	while (stream_next(in, &rec)) {
		struct row w;
		struct str region, ref, comp[2];
		tstamp t;
		size_t len, n;
		bool named;
		long r;

		if (!row_start(&w, a, in, &rec, ROW_STREAM) ||
		    get_time(&w, ct, REQUIRED, &t, NULL) < 0)
			continue;
		if ((au->have_since && t < au->since) ||
		    (au->have_until && t >= au->until))
			continue;
		if (get_str(&w, cr, REQUIRED, &region) < 0)
			continue;
		h.n = 0;
		if ((r = region_find(&ro->rg, region)) >= 0)
			covering(&ix[r], t, &h);
		if (all >= 0 && r != all)
			covering(&ix[all], t, &h);
		ref = row_value(&w, cf);
		n = on_duty(&h, ref, &buf, &cap, &len, &named);
		enum verdict v = audit_verdict(n, ref.n > 0, named);
		alert |= v != V_OK;
		comp[0] = (struct str){ len ? buf : "", len };
		comp[1] = str_of(verdict_name[v]);
		outcols_row(&oc, a->out, &rec, comp);
	}
	outcols_free(&oc);
	free(h.r);
	free(buf);
	return alert;
}

/* --since, --until: a date (00:00 in the zone) or a timestamp, ISO. */
static void
when_option(const char *opt, const char *arg, tstamp *t, bool *have)
{
	if (parse_iso_timestamp(str_of(arg), t, NULL) != 0)
		bad_option(opt, "time", arg,
		    "YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS]");
	*have = true;
}

static void
audit_options(struct audit *au, struct app *a, int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "roster", required_argument, NULL, 'r' },
		{ "since",  required_argument, NULL, O_SINCE },
		{ "until",  required_argument, NULL, O_UNTIL },
		{ NULL, 0, NULL, 0 }
	};
	const char *since = NULL, *until = NULL;
	int ch;

	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS "r:", longopts,
	    NULL)) != -1) {
		switch (common_option(&a->opt, ch, optarg)) {
		case 1: continue;
		case -1: usage();
		}
		switch (ch) {
		case 'r':
			au->rosters = xrealloc(au->rosters, (size_t)(au->nrosters +
			    1) * sizeof *au->rosters);
			au->rosters[au->nrosters++] = optarg;
			break;
		case O_SINCE: since = optarg; break;
		case O_UNTIL: until = optarg; break;
		default: usage();
		}
	}
	if (common_finish(&a->opt) == -1)
		usage();
	/* Wall times, read in the zone that common_finish set. */
	if (since != NULL)
		when_option("--since", since, &au->since, &au->have_since);
	if (until != NULL)
		when_option("--until", until, &au->until, &au->have_until);
	if (au->have_since && au->have_until && au->until <= au->since) {
		warnmsg("--until is not after --since: no call can be in between");
		usage();
	}
	if (au->nrosters == 0) {
		warnmsg("audit needs -r ROSTER");
		usage();
	}
}

int
audit_main(const struct prog_info *info, int argc, char **argv)
{
	struct audit au = { 0 };
	struct app app = { 0 };
	struct roster ro;
	struct stream in;
	struct roster_cols c = { -1, -1, -1, -1, -1, -1, 0 };

	prog_start(info, &app.opt);
	audit_options(&au, &app, argc, argv);
	roster_init(&ro);
	for (int i = 0; i < au.nrosters; i++) {
		struct stream ts;
		const struct column spec[] = {
			{ "region", true, &c.region }, { "start", true, &c.start },
			{ "end", true, &c.end }, { "member", true, &c.member },
			{ "status", false, &c.status }, { NULL, false, NULL }
		};
		table_open(&ts, au.rosters[i], "roster");
		stream_columns(&ts, spec);
		roster_read(&ro, &app, &ts, ROW_DATA, &c);
		stream_close(&ts);
	}
	struct rindex *ix = index_roster(&ro);

	stream_open(&in, argv + optind, argc - optind, app.opt.dialect,
	    app.opt.map, app.opt.nmap);
	app.rej_header = in.header;
	app.opt.dialect = in.dialect;
	int alert = audit_calls(&au, &app, &in, &ro, ix);
	int status = app_finish(&app, alert);
	stream_close(&in);

	for (size_t r = 0; r < map_count(&ro.rg); r++)
		free(ix[r].r);
	free(ix);
	roster_free(&ro);
	free(au.rosters);
	common_free(&app.opt);
	return status;
}
