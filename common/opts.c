/* opts.c — the common options, rejected rows, output and exit status. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "field.h"
#include "opts.h"
#include "util.h"

#define STR_(x) #x
#define STR(x) STR_(x)

static const struct prog_info *prog;

/* Further outputs of the run (a ledger), for the same-file check. */
struct output { const char *option, *path; };
static struct output outputs[8];
static int noutputs;

void
prog_start(const struct prog_info *info, struct common *c)
{
	prog = info;
	progname = info->name;
	common_init(c);
}

void
common_init(struct common *c)
{
	memset(c, 0, sizeof *c);
	c->dialect.delim = ',';
	c->dialect.sniff = true;	/* the stream's header tells, unless -d/-t */
	noutputs = 0;
	guard_std_fds();
	fatal_signals_init();
}

/* S (an option's value, a file name) for a message: control bytes
 * escaped. */
static const char *
esc(char *buf, size_t cap, const char *s)
{
	return str_msg(buf, cap, str_of(s));
}

void
common_output(struct common *c, const char *option, const char *path)
{
	(void)c;
	if (noutputs < (int)(sizeof outputs / sizeof outputs[0]))
		outputs[noutputs++] = (struct output){ option, path };
}

/* An output of the run, as check_outputs() compares them. */
struct out_file {
	const char *opt;	/* "-o", "--rejects", "--ledger"... */
	const char *path;
	bool is_stdout;		/* no -o, or "-" */
	char *target;		/* a link's target (csvout_target) */
	bool exists;
	struct stat st;
};

/* Do outputs A and B name one file?  The same name (unless it is a device
 * or a FIFO: written into, never replaced); one existing file under both
 * (a hard link, ./F and F, a symbolic link to F, standard output
 * redirected to the file); or, for files still to be created, the same
 * name in one directory (through links too). */
static bool
same_file(const struct out_file *a, const struct out_file *b)
{
	if (a->is_stdout && b->is_stdout)
		return true;
	if (a->exists && b->exists)
		return S_ISREG(a->st.st_mode) && S_ISREG(b->st.st_mode) &&
		    a->st.st_dev == b->st.st_dev && a->st.st_ino == b->st.st_ino;
	if (a->is_stdout || b->is_stdout || a->exists || b->exists)
		return false;
	if (strcmp(a->target, b->target) == 0)
		return true;
	const char *sa = strrchr(a->target, '/'), *sb = strrchr(b->target, '/');
	const char *na = sa ? sa + 1 : a->target, *nb = sb ? sb + 1 : b->target;
	if (strcmp(na, nb) != 0)
		return false;
	char *da = sa ? xmemdup(a->target, (size_t)(sa - a->target) + 1) :
	    xstrdup(".");
	char *db = sb ? xmemdup(b->target, (size_t)(sb - b->target) + 1) :
	    xstrdup(".");
	struct stat ta, tb;
	bool same = stat(da, &ta) == 0 && stat(db, &tb) == 0 &&
	    ta.st_dev == tb.st_dev && ta.st_ino == tb.st_ino;
	free(da);
	free(db);
	return same;
}

/* -o, --rejects and the program's further outputs name different files,
 * and none is empty. */
static int
check_outputs(struct common *c)
{
	struct out_file o[10];
	int n = 0, bad = 0;
	char v[1024];

	o[n++] = (struct out_file){ .opt = c->output ? "-o" : "standard output",
	    .path = c->output };
	if (c->rejects_path != NULL)
		o[n++] = (struct out_file){ .opt = "--rejects",
		    .path = c->rejects_path };
	for (int i = 0; i < noutputs; i++)
		o[n++] = (struct out_file){ .opt = outputs[i].option,
		    .path = outputs[i].path };
	for (int i = 0; i < n; i++)
		if (o[i].path != NULL && o[i].path[0] == '\0') {
			warnmsg("%s: an empty file name", o[i].opt);
			return -1;
		}
	for (int i = 0; i < n; i++) {
		o[i].is_stdout = o[i].path == NULL || strcmp(o[i].path, "-") == 0;
		if (o[i].is_stdout)
			o[i].exists = fstat(STDOUT_FILENO, &o[i].st) == 0;
		else {
			o[i].target = csvout_target(o[i].path);
			o[i].exists = stat(o[i].target, &o[i].st) == 0;
		}
	}
	for (int i = 1; i < n && !bad; i++)
		for (int j = 0; j < i && !bad; j++) {
			if (!same_file(&o[i], &o[j]))
				continue;
			bad = 1;
			if (o[i].is_stdout && o[j].is_stdout)
				warnmsg("%s and %s both write standard output: their "
				    "rows would mix", o[j].opt, o[i].opt);
			else
				warnmsg("%s and %s name one file, '%s': one would "
				    "replace the other", o[j].opt, o[i].opt,
				    esc(v, sizeof v, o[i].is_stdout ? o[j].path :
				    o[i].path));
		}
	for (int i = 0; i < n; i++)
		free(o[i].target);
	return bad ? -1 : 0;
}

int
common_option(struct common *c, int ch, const char *arg)
{
	int d;
	const char *eq;
	char v[512];

	switch (ch) {
	case 'o':
		c->output = arg;
		return 1;
	case 'h':
		help();
	case 'd':
		if ((d = dialect_delim(arg)) == -1) {
			warnmsg("-d: a single byte other than a quote or a line "
			    "break is expected (or '\\t'), not '%s'",
			    esc(v, sizeof v, arg));
			return -1;
		}
		c->dialect.delim = (char)d;
		c->dialect.tsv = false;
		c->dialect.sniff = false;
		c->delim_given = true;
		return 1;
	case 't':
		c->dialect.tsv = true;
		c->dialect.delim = '\t';
		c->dialect.sniff = false;
		c->tsv_given = true;
		return 1;
	case 'q':
		c->quiet = true;
		return 1;
	case OPT_NA:
		c->na = arg;
		return 1;
	case OPT_ENCODING:
		if (arg[0] == '\0') {
			warnmsg("--encoding: an encoding name such as cp1251, "
			    "cp1257 or latin1 is expected");
			return -1;
		}
		c->encoding = arg;
		return 1;
	case OPT_MAP:
		if ((eq = strchr(arg, '=')) == NULL || eq == arg || eq[1] == '\0') {
			warnmsg("--map: NAME=COLUMN expected, not '%s'",
			    esc(v, sizeof v, arg));
			return -1;
		}
		c->map = xrealloc(c->map, (c->nmap + 1) * sizeof *c->map);
		c->map[c->nmap].name = xmemdup(arg, (size_t)(eq - arg));
		c->map[c->nmap].column = eq + 1;
		c->nmap++;
		return 1;
	case OPT_REJECTS:
		c->rejects_path = arg;
		return 1;
	case OPT_STRICT:
		c->strict = true;
		return 1;
	case OPT_AS_OF:
		c->as_of_arg = arg;
		return 1;
	case OPT_TZ:
		c->tz = arg;
		return 1;
	case OPT_DATE_FORMAT:
		if (strchr(arg, '%') == NULL) {
			warnmsg("--date-format: no conversion in '%s'",
			    esc(v, sizeof v, arg));
			return -1;
		}
		c->date_format = arg;
		return 1;
	case OPT_EXCEL_SAFE:
		c->excel_safe = true;
		return 1;
	case OPT_CRLF:
		c->crlf = true;
		return 1;
	case 'V':
		print_version();
	}
	return 0;
}

int
common_finish(struct common *c)
{
	const char *env = getenv("TZ");
	char v[512];

	if (c->delim_given && c->tsv_given) {
		warnmsg("-d and -t: one or the other (-t is tab-separated values "
		    "with escapes; -d '\\t' is CSV with tabs)");
		return -1;
	}
	c->dialect_given = c->delim_given || c->tsv_given;
	/* A typo in a crontab's TZ must not silently mean UTC. */
	if (c->tz == NULL && env != NULL && env[0] != '\0' && !zone_known(env)) {
		warnmsg("TZ: unknown time zone '%s' (expected a name such as "
		    "Europe/Vilnius; see /usr/share/zoneinfo)",
		    esc(v, sizeof v, env));
		return -1;
	}
	if (dt_init(c->tz, c->date_format) == -1) {
		warnmsg("--tz: unknown time zone '%s' (expected a name such as "
		    "Europe/Vilnius; see /usr/share/zoneinfo)",
		    esc(v, sizeof v, c->tz));
		return -1;
	}
	if (csvin_set_encoding(c->encoding) == -1) {
		warnmsg("--encoding: unknown encoding '%s' (expected a name "
		    "iconv(3) knows, such as cp1251, cp1257, latin1 or UTF-16; "
		    "see iconv -l)", c->encoding);
		return -1;
	}
	quiet = c->quiet;
	field_set_na(c->na);
	field_set_encoding_given(c->encoding != NULL);
	if (check_outputs(c) == -1)
		return -1;
	if (c->as_of_arg != NULL) {
		if (parse_iso_timestamp(str_of(c->as_of_arg), &c->as_of,
		    &c->as_of_has_time) != 0) {
			warnmsg("--as-of: YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS] "
			    "expected, not '%s'", esc(v, sizeof v, c->as_of_arg));
			return -1;
		}
	} else {
		c->as_of = (tstamp)time(NULL);
		c->as_of_has_time = true;
	}
	c->as_of_date = local_date(c->as_of);
	return 0;
}

void
common_free(struct common *c)
{
	for (size_t i = 0; i < c->nmap; i++)
		free((char *)c->map[i].name);
	free(c->map);
	c->map = NULL;
	c->nmap = 0;
}

void
usage_error(const char *synopsis)
{
	fprintf(stderr, "usage: %s %s\n", progname, synopsis);
	exit(EXIT_FATAL);
}

void
usage(void)
{
	fprintf(stderr, "usage: %s%s%s %s\n", prog->name, prog->cmd ? " " : "",
	    prog->cmd ? prog->cmd : "", prog->synopsis);
	fprintf(stderr, "Try '%s%s%s --help' for more.\n", prog->name,
	    prog->cmd ? " " : "", prog->cmd ? prog->cmd : "");
	exit(EXIT_FATAL);
}

static const struct opt_help common_help[] = {
	{ "-o, --output FILE", "write to FILE (replaced atomically), not standard output" },
	{ "-d, --delimiter C", "the delimiter of the input and output (default: the header's , ; or tab)" },
	{ "-t, --tsv", "tab-separated values, with \\t \\n \\r \\\\ escapes" },
	{ "-q, --quiet", "no warnings (rejected rows and errors are still reported)" },
	{ "--map NAME=COLUMN", "read the column NAME from the input column COLUMN" },
	{ "--na LIST", "values that mean unknown, besides - (e.g. 'n/a,NULL,?')" },
	{ "--encoding NAME", "convert the input from NAME (cp1251, cp1257, latin1...) to UTF-8" },
	{ "--rejects FILE", "write the rejected rows to FILE, with _file,_line,_error" },
	{ "--strict", "the first rejected row is fatal" },
	{ "--as-of WHEN", "\"now\": YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS] (default: the clock)" },
	{ "--tz ZONE", "the zone of wall times, e.g. Europe/Vilnius (default: TZ)" },
	{ "--date-format FMT", "the form of input dates, strptime(3): %d.%m.%Y, %m/%d/%Y" },
	{ "--excel-safe", "prefix formula-like fields with ' for spreadsheets" },
	{ "--crlf", "CRLF line ends" },
	{ "-h, --help", "this help" },
	{ "-V, --version", "the version" },
	{ NULL, NULL }
};

static void
help_lines(const struct opt_help *o)
{
	for (; o != NULL && o->opt != NULL; o++) {
		bool dash2 = o->opt[0] == '-' && o->opt[1] == '-';
		int w = printf("  %s%s", dash2 ? "    " : "", o->opt);
		printf("%*s%s\n", w < 26 ? 26 - w : 1, "", o->help);
	}
}

/* Standard output could not be written: say why, exit 2; a reader that
 * went away (EPIPE) cuts the run off instead (csvout.h). */
static noreturn void
stdout_failed(void)
{
	if (errno == EPIPE)
		cut_off();
	warnmsg("write error: standard output: %s", strerror(errno ? errno : EIO));
	exit(EXIT_FATAL);
}

/* The end of -h and -V: standard output was written completely. */
static noreturn void
stdout_done(void)
{
	if (csvout_stdout_closed())
		errno = EBADF;
	else if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == 0)
			errno = EIO;
	} else
		exit(EXIT_OK);
	stdout_failed();
}

void
help(void)
{
	if (prog == NULL)		/* a program not yet on prog_start() */
		exit(EXIT_OK);
	const char *cmd = prog->cmd ? prog->cmd : "";
	errno = 0;	/* a failed printf's reason stays */

	printf("usage: %s%s%s %s\n\n", prog->name, *cmd ? " " : "", cmd,
	    prog->synopsis);
	if (prog->summary != NULL)
		printf("%s\n\n", prog->summary);
	printf("Options:\n");
	help_lines(prog->opts);
	printf("Common options:\n");
	help_lines(common_help);
	printf("\nSee %s(1).\n", prog->name);
	stdout_done();
}

void
print_version(void)
{
	errno = 0;
	printf("%s (aftersales) %s\n", progname, VERSION);
	stdout_done();
}

static void
open_rejects(struct app *a)
{
	static const char *extra[] = { "_file", "_line", "_error" };

	a->rejects = csvout_open(a->opt.rejects_path, a->opt.dialect,
	    a->opt.crlf, a->opt.excel_safe);
	csvout_record(a->rejects, &a->rej_header, false);
	for (int i = 0; i < 3; i++)
		csvout_cstr(a->rejects, extra[i]);
	csvout_endrow(a->rejects);
	a->rej_header_done = true;
}

void
app_open_output(struct app *a)
{
	a->out = csvout_open(a->opt.output, a->opt.dialect, a->opt.crlf,
	    a->opt.excel_safe);
	if (a->opt.rejects_path != NULL && a->rej_header.nf > 0 &&
	    !a->rej_header_done)
		open_rejects(a);
}

void
app_reject(struct app *a, const struct stream *s, const struct record *r,
    const char *column, const char *why, const struct str *value)
{
	char val[512], msg[1024];

	(void)s;
	if (value != NULL) {
		str_msg(val, sizeof val, *value);
		snprintf(msg, sizeof msg, "%s%s%s '%s'", column ? column : "",
		    column ? ": " : "", why, val);
	} else
		snprintf(msg, sizeof msg, "%s%s%s", column ? column : "",
		    column ? ": " : "", why);
	app_reject_msg(a, r, msg);
}

void
app_reject_msg(struct app *a, const struct record *r, const char *msg)
{
	char line[32], f[512];

	a->rejected++;
	/* The file's name escaped in the message (the --rejects row keeps
	 * it as it is). */
	if (a->opt.strict)
		fatal("%s:%ld: %s", esc(f, sizeof f, r->file), r->line, msg);
	if (a->rejected <= REJECTS_SHOWN)
		warnmsg("%s:%ld: %s", esc(f, sizeof f, r->file), r->line, msg);
	if (a->opt.rejects_path == NULL)
		return;
	if (!a->rej_header_done)
		open_rejects(a);
	size_t nf = a->rej_header.nf;
	for (size_t i = 0; i < nf || i < r->nf; i++)
		if (i < r->nf)
			csvout_str(a->rejects, r->f[i]);
		else
			csvout_empty(a->rejects);	/* pad a short row */
	csvout_cstr(a->rejects, r->file);
	snprintf(line, sizeof line, "%ld", r->line);
	csvout_cstr(a->rejects, line);
	csvout_cstr(a->rejects, msg);
	csvout_endrow(a->rejects);
}

void
app_table_reject(struct app *a, const char *file, long line, const char *fmt,
    ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	app_table_msg(a, file, line, msg);
}

void
app_table_msg(struct app *a, const char *file, long line, const char *msg)
{
	char f[512];

	a->rejected++;
	if (a->opt.strict)
		fatal("%s:%ld: %s", esc(f, sizeof f, file), line, msg);
	if (a->rejected <= REJECTS_SHOWN)
		warnmsg("%s:%ld: %s", esc(f, sizeof f, file), line, msg);
}

#define FIELDS_WHY "%zu fields where the header has %zu"

bool
app_fields_ok(struct app *a, const struct stream *s, const struct record *r)
{
	char why[80];

	if (r->nf == s->header.nf)
		return true;
	snprintf(why, sizeof why, FIELDS_WHY, r->nf, s->header.nf);
	app_reject(a, s, r, NULL, why, NULL);
	return false;
}

bool
app_table_fields_ok(struct app *a, const struct stream *s,
    const struct record *r)
{
	if (r->nf == s->header.nf)
		return true;
	app_table_reject(a, r->file, r->line, FIELDS_WHY, r->nf, s->header.nf);
	return false;
}

void
table_fields_ok(const struct stream *s, const struct record *r)
{
	char f[512];

	if (r->nf != s->header.nf)
		fatal("%s:%ld: " FIELDS_WHY, esc(f, sizeof f, r->file), r->line,
		    r->nf, s->header.nf);
}

int
app_finish(struct app *a, int alert)
{
	if (a->out != NULL && a->confirm_output)
		csvout_confirm(a->out, true);
	if (a->out != NULL)
		csvout_close(a->out);
	a->out = NULL;
	if (a->opt.rejects_path != NULL && !a->rej_header_done &&
	    a->rej_header.nf > 0)
		open_rejects(a);
	if (a->rejects != NULL)
		csvout_close(a->rejects);
	a->rejects = NULL;
	if (a->rejected > 0)
		warnmsg("%ld row%s rejected%s", a->rejected,
		    a->rejected == 1 ? "" : "s", a->rejected > REJECTS_SHOWN ?
		    " (the first " STR(REJECTS_SHOWN) " shown)" : "");
	return exit_status(a->rejected, alert);
}
