/* who.c — duty-roster who: the roster rows on duty at --as-of, unchanged
 * and in input order (what a phone system asks).  The rule is
 * counts_on_duty() of roster.c, which audit follows too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duty-roster.h"
#include "util.h"

enum { O_REGION = OPT_PROGRAM, O_FIELD };

const struct opt_help who_opts[] = {
	{ "--region R", "only who serves region R (rows of R and of all)" },
	{ "--field COLUMN", "write only COLUMN's values, one a line, no header" },
	{ NULL, NULL }
};

/* A row that covers as-of, held until the overrides of the whole stream
 * are known. */
struct held {
	struct record rec;		/* owned copy */
	enum status status;
	size_t region;
};

struct who {
	const char *region, *field;
	int field_col;
	struct held *h;
	size_t nh, cap;
	struct map rg;			/* every region a row names */
	bool *overridden;		/* per region: an override covers as-of */
	size_t nov;
};

static void
hold(struct who *wh, const struct record *r, const struct shift *x)
{
	struct record *c;

	if (wh->nh == wh->cap) {
		wh->cap = wh->cap ? 2 * wh->cap : 16;
		wh->h = xrealloc(wh->h, wh->cap * sizeof *wh->h);
	}
	c = &wh->h[wh->nh].rec;
	c->nf = r->nf;
	c->f = xcalloc(r->nf ? r->nf : 1, sizeof *c->f);
	for (size_t i = 0; i < r->nf; i++)
		c->f[i] = (struct str){ xmemdup(r->f[i].p, r->f[i].n), r->f[i].n };
	c->line = r->line;
	c->file = r->file;
	wh->h[wh->nh].status = x->status;
	wh->h[wh->nh].region = x->region;
	wh->nh++;
	if (x->status != ST_OVERRIDE)
		return;
	if (x->region >= wh->nov) {
		size_t n = map_count(&wh->rg) + 8;
		wh->overridden = xrealloc(wh->overridden, n * sizeof *wh->overridden);
		memset(wh->overridden + wh->nov, 0, (n - wh->nov) *
		    sizeof *wh->overridden);
		wh->nov = n;
	}
	wh->overridden[x->region] = true;
}

/* Does an override row cover as-of in region R? */
static bool
override_covers(const struct who *wh, long r)
{
	return r >= 0 && (size_t)r < wh->nov && wh->overridden[r];
}

/* Read the roster stream: hold the rows on duty at NOW. */
static void
who_read(struct who *wh, struct app *a, struct stream *in, tstamp now)
{
	struct roster_cols c = { -1, -1, -1, -1, -1, -1, 0 };
	struct record rec;
	struct column spec[] = {
		{ "region", true, &c.region }, { "start", true, &c.start },
		{ "end", true, &c.end }, { "member", true, &c.member },
		{ "status", false, &c.status },
		{ wh->field, true, &wh->field_col },	/* --field, if given */
		{ NULL, false, NULL }
	};

	wh->field_col = -1;
	stream_columns(in, spec);
	while (stream_next(in, &rec)) {
		struct row w;
		struct shift x;

		if (!row_start(&w, a, in, &rec, ROW_STREAM))
			continue;
		if (shift_read(&w, &c, &wh->rg, &x) < 0) {
			/* a bad row names its region all the same */
			region_add(&wh->rg, row_value(&w, c.region));
			continue;
		}
		if (x.status != ST_UNCOVERED && x.start <= now && now < x.end)
			hold(wh, &rec, &x);
	}
}

/* Write the held rows that count: with --region, those of the region and
 * of `all`; an assigned row only when no override covers as-of where it
 * serves (counts_on_duty).  Returns how many were written. */
static size_t
who_write(const struct who *wh, struct app *a, const struct stream *in)
{
	long want = -1, all = region_find(&wh->rg, STR_C("all"));
	size_t kept = 0;

	if (wh->region != NULL) {
		want = region_find(&wh->rg, str_of(wh->region));
		if (want < 0) {
			char list[1024], val[256];
			regions_list(&wh->rg, list, sizeof list);
			fatal("--region: no roster row names region '%s' "
			    "(regions found: %s)", str_msg(val, sizeof val,
			    str_of(wh->region)), list);
		}
	}
	if (wh->field == NULL)
		csvout_record(a->out, &in->header, true);
	for (size_t i = 0; i < wh->nh; i++) {
		const struct held *h = &wh->h[i];
		long serves = want >= 0 ? want : (long)h->region;
		if (want >= 0 && (long)h->region != want && (long)h->region != all)
			continue;
		if (!counts_on_duty(h->status, override_covers(wh, serves) ||
		    override_covers(wh, all)))
			continue;
		kept++;
		if (wh->field != NULL) {
			struct str v = rec_field(&h->rec, wh->field_col);
			csvout_raw(a->out, v.p, v.n);
			csvout_raw(a->out, a->opt.crlf ? "\r\n" : "\n",
			    a->opt.crlf ? 2 : 1);
		} else
			csvout_record(a->out, &h->rec, true);
	}
	return kept;
}

static void
who_options(struct who *wh, struct app *a, int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "region", required_argument, NULL, O_REGION },
		{ "field",  required_argument, NULL, O_FIELD },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (common_option(&a->opt, ch, optarg)) {
		case 1: continue;
		case -1: usage();
		}
		switch (ch) {
		case O_REGION: wh->region = optarg; break;
		case O_FIELD: wh->field = optarg; break;
		default: usage();
		}
	}
	if (common_finish(&a->opt) == -1)
		usage();
}

int
who_main(const struct prog_info *info, int argc, char **argv)
{
	struct who wh = { 0 };
	struct app app = { 0 };
	struct stream in;
	size_t kept = 0;

	prog_start(info, &app.opt);
	who_options(&wh, &app, argc, argv);
	regions_init(&wh.rg);
	stream_open(&in, argv + optind, argc - optind, app.opt.dialect,
	    app.opt.map, app.opt.nmap);
	app.rej_header = in.header;
	app.opt.dialect = in.dialect;
	app_open_output(&app);	/* before rejected rows: it starts --rejects */
	who_read(&wh, &app, &in, app.opt.as_of);
	/* An empty roster names no region: nobody is on duty (exit 3), and
	 * nothing is written. */
	if (!stream_empty(&in))
		kept = who_write(&wh, &app, &in);
	stream_close(&in);
	int status = app_finish(&app, kept == 0);

	for (size_t i = 0; i < wh.nh; i++) {
		for (size_t j = 0; j < wh.h[i].rec.nf; j++)
			free((char *)wh.h[i].rec.f[j].p);
		free(wh.h[i].rec.f);
	}
	free(wh.h);
	free(wh.overridden);
	map_free(&wh.rg);
	common_free(&app.opt);
	return status;
}
