/* csvecho — test tool of the common base: reads the stream as every program
 * does and writes it back, optionally with parsed values appended:
 *   csvecho [common options] [--ts COL] [--date COL] [--km COL] [FILE...]
 * --ts appends "ts" (RFC 3339 in the zone), --date appends "iso_date",
 * --km appends "count"; an unreadable value makes a rejected row. */
#include <stdio.h>
#include <string.h>

#include "num.h"
#include "opts.h"
#include "outcols.h"
#include "util.h"

#define SYNOPSIS "[--ts COL] [--date COL] [--km COL] " COMMON_USAGE " [FILE...]"

enum { OPT_TS = OPT_PROGRAM, OPT_DATE, OPT_KM };

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "ts", required_argument, NULL, OPT_TS },
		{ "date", required_argument, NULL, OPT_DATE },
		{ "km", required_argument, NULL, OPT_KM },
		{ NULL, 0, NULL, 0 }
	};
	const char *names[3];
	const char *cols[3] = { NULL, NULL, NULL };
	int idx[3], which[3], nc = 0, ch;
	struct app app = { 0 };
	struct stream in;
	struct record rec;
	struct outcols oc;

	progname = "csvecho";
	argv[0] = (char *)progname;	/* getopt names the program so, too */
	common_init(&app.opt);
	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		switch (common_option(&app.opt, ch, optarg)) {
		case 1: continue;
		case -1: usage_error(SYNOPSIS);
		}
		switch (ch) {
		case 'h': printf("usage: %s %s\n", progname, SYNOPSIS); return 0;
		case OPT_TS: cols[0] = optarg; break;
		case OPT_DATE: cols[1] = optarg; break;
		case OPT_KM: cols[2] = optarg; break;
		default: usage_error(SYNOPSIS);
		}
	}
	if (common_finish(&app.opt) == -1)
		usage_error(SYNOPSIS);
	stream_open(&in, argv + optind, argc - optind, app.opt.dialect,
	    app.opt.map, app.opt.nmap);
	static const char *const all[3] = { "ts", "iso_date", "count" };
	for (int k = 0; k < 3; k++)
		if (cols[k]) {
			idx[nc] = stream_need(&in, cols[k]);
			which[nc] = k;
			names[nc++] = all[k];
		}
	app.rej_header = in.header;
	app.opt.dialect = in.dialect;
	app_open_output(&app);
	outcols_init(&oc, &in, names, (size_t)nc);
	outcols_header(&oc, app.out, &in);
	while (stream_next(&in, &rec)) {
		char buf[3][64];
		struct str val[3];
		bool bad = false;

		if (rec.nf != in.header.nf) {
			char why[64];
			snprintf(why, sizeof why, "%zu fields where the header has %zu",
			    rec.nf, in.header.nf);
			app_reject(&app, &in, &rec, NULL, why, NULL);
			continue;
		}
		for (int k = 0; k < nc && !bad; k++) {
			struct str v = rec.f[idx[k]];
			tstamp t;
			day_t d;
			long long n;
			size_t len = 0;
			switch (which[k]) {
			case 0:
				if ((bad = parse_timestamp(v, &t, NULL) == -1))
					app_reject(&app, &in, &rec, cols[0], "invalid time", &v);
				else
					len = fmt_rfc3339(buf[k], t);
				break;
			case 1:
				if ((bad = parse_date(v, &d) == -1))
					app_reject(&app, &in, &rec, cols[1], "invalid date", &v);
				else
					len = fmt_date(buf[k], d);
				break;
			case 2:
				if ((bad = parse_count(v, &n) == -1))
					app_reject(&app, &in, &rec, cols[2], "bad number", &v);
				else
					len = (size_t)snprintf(buf[k], 64, "%lld", n);
				break;
			}
			val[k] = (struct str){ buf[k], len };
		}
		if (!bad)
			outcols_row(&oc, app.out, &rec, val);
	}
	stream_close(&in);
	outcols_free(&oc);
	int status = app_finish(&app, 0);
	common_free(&app.opt);
	return status;
}
