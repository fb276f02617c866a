/* csvecho — test tool of the common base: reads the stream as every program
 * does and writes it back, optionally with parsed values appended:
 *   csvecho [common options] [--ts COL] [--date COL] [--km COL] [--opt COL]
 *       [FILE...]
 * --ts appends "ts" (RFC 3339 in the zone), --date appends "iso_date",
 * --km appends "count" (each a required column); --opt appends "value", the
 * trimmed value of an optional column; an unreadable value makes a
 * rejected row.
 * --marker FILE (left out of the usage, so that the tests' usage lines
 * stay as they are) stands in for a ledger the run creates, for the fault
 * tests: FILE is created at start and removed by the fatal hooks (a
 * failed, killed or cut-off run), kept when the run ends normally; and the
 * output counts as written only when a pipe's reader took it
 * (app.confirm_output). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "field.h"
#include "num.h"
#include "opts.h"
#include "outcols.h"
#include "util.h"

#define SYNOPSIS "[--ts COL] [--date COL] [--km COL] [--opt COL] " COMMON_USAGE " [FILE...]"

enum { OPT_TS = OPT_PROGRAM, OPT_DATE, OPT_KM, OPT_OPT, OPT_MARKER };

static const struct opt_help opts_help[] = {
	{ "--ts COL", "append ts: the timestamp of COL, RFC 3339" },
	{ "--date COL", "append iso_date: the date of COL" },
	{ "--km COL", "append count: the number of COL" },
	{ "--opt COL", "append value: the value of COL, an optional column" },
	{ NULL, NULL }
};

static const struct prog_info info = {
	"csvecho", NULL, SYNOPSIS,
	"Read the stream as every program does and write it back.", opts_help
};

static const char *marker;

/* A fatal hook: unlink() only, safe in a signal handler. */
static void
remove_marker(void *arg)
{
	(void)arg;
	unlink(marker);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "ts", required_argument, NULL, OPT_TS },
		{ "date", required_argument, NULL, OPT_DATE },
		{ "km", required_argument, NULL, OPT_KM },
		{ "opt", required_argument, NULL, OPT_OPT },
		{ "marker", required_argument, NULL, OPT_MARKER },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const all[4] = { "ts", "iso_date", "count", "value" };
	const char *names[4];
	const char *cols[4] = { NULL, NULL, NULL, NULL };
	int idx[4], which[4], nc = 0, ch;
	struct app app = { 0 };
	struct stream in;
	struct record rec;
	struct outcols oc;

	argv[0] = (char *)info.name;	/* getopt names the program so, too */
	prog_start(&info, &app.opt);
	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		switch (common_option(&app.opt, ch, optarg)) {
		case 1: continue;
		case -1: usage();
		}
		switch (ch) {
		case OPT_TS: cols[0] = optarg; break;
		case OPT_DATE: cols[1] = optarg; break;
		case OPT_KM: cols[2] = optarg; break;
		case OPT_OPT: cols[3] = optarg; break;
		case OPT_MARKER: marker = optarg; break;
		default: usage();
		}
	}
	if (marker != NULL)
		common_output(&app.opt, "--marker", marker);
	if (common_finish(&app.opt) == -1)
		usage();
	if (marker != NULL) {
		int fd;

		signals_hold();
		if ((fd = open(marker, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0666)) == -1)
			fatal_errno("%s", marker);
		close(fd);
		on_fatal(remove_marker, NULL);
		signals_release();
		app.confirm_output = true;
	}
	stream_open(&in, argv + optind, argc - optind, app.opt.dialect,
	    app.opt.map, app.opt.nmap);
	struct column spec[5];
	for (int k = 0; k < 4; k++)
		if (cols[k]) {
			spec[nc] = (struct column){ cols[k], k < 3, &idx[nc] };
			which[nc] = k;
			names[nc++] = all[k];
		}
	spec[nc] = (struct column){ NULL, false, NULL };
	stream_columns(&in, spec);
	app.rej_header = in.header;
	app.opt.dialect = in.dialect;
	app_open_output(&app);
	if (stream_empty(&in)) {
		stream_close(&in);
		int status = app_finish(&app, 0);
		if (marker != NULL)
			off_fatal(remove_marker, NULL);
		common_free(&app.opt);
		return status;
	}
	outcols_init(&oc, &in, names, (size_t)nc);
	outcols_header(&oc, app.out, &in);
	while (stream_next(&in, &rec)) {
		char buf[4][64];
		struct str val[4];
		struct row w;

		if (!row_start(&w, &app, &in, &rec, ROW_STREAM))
			continue;
		for (int k = 0; k < nc; k++) {
			tstamp t;
			day_t d;
			long long n;
			size_t len = 0;
			switch (which[k]) {
			case 0:
				if (get_time(&w, idx[k], REQUIRED, &t, NULL) == 1)
					len = fmt_rfc3339(buf[k], t);
				break;
			case 1:
				if (get_date(&w, idx[k], REQUIRED, &d) == 1)
					len = fmt_date(buf[k], d);
				break;
			case 2:
				if (get_count(&w, idx[k], REQUIRED, &n) == 1)
					len = fmt_int(buf[k], n);
				break;
			case 3:
				val[k] = (struct str){ "", 0 };
				get_str(&w, idx[k], OPTIONAL, &val[k]);
				continue;
			}
			val[k] = (struct str){ buf[k], len };
		}
		if (!w.bad)
			outcols_row(&oc, app.out, &rec, val);
	}
	stream_close(&in);
	outcols_free(&oc);
	int status = app_finish(&app, 0);
	if (marker != NULL)
		off_fatal(remove_marker, NULL);
	common_free(&app.opt);
	return status;
}
