/* opts.c — the common options, rejected rows, output and exit status. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opts.h"
#include "util.h"

void
common_init(struct common *c)
{
	memset(c, 0, sizeof *c);
	c->dialect.delim = ',';
	guard_std_fds();
}

int
common_option(struct common *c, int ch, const char *arg)
{
	int d;
	const char *eq;

	switch (ch) {
	case 'o':
		c->output = arg;
		return 1;
	case 'd':
		if ((d = dialect_delim(arg)) == -1) {
			warnmsg("-d: a single byte is expected, not '%s'", arg);
			return -1;
		}
		c->dialect.delim = (char)d;
		c->dialect.tsv = false;
		return 1;
	case 't':
		c->dialect.tsv = true;
		c->dialect.delim = '\t';
		return 1;
	case OPT_MAP:
		if ((eq = strchr(arg, '=')) == NULL || eq == arg || eq[1] == '\0') {
			warnmsg("--map: NAME=COLUMN expected, not '%s'", arg);
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
			warnmsg("--date-format: no conversion in '%s'", arg);
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
	if (dt_init(c->tz, c->date_format) == -1) {
		warnmsg("--tz: unknown time zone '%s'", c->tz);
		return -1;
	}
	if (c->as_of_arg != NULL) {
		if (parse_iso_timestamp(str_of(c->as_of_arg), &c->as_of,
		    &c->as_of_has_time) == -1) {
			warnmsg("--as-of: YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS] "
			    "expected, not '%s'", c->as_of_arg);
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
print_version(void)
{
	printf("%s (aftersales) %s\n", progname, VERSION);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warnmsg("write error");
		exit(EXIT_FATAL);
	}
	exit(EXIT_OK);
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

/* Quote VALUE for a one-line message: line breaks shown as \n, \r. */
static void
put_value(char *buf, size_t cap, const struct str *v)
{
	size_t j = 0;

	for (size_t i = 0; i < v->n && j + 3 < cap; i++) {
		char c = v->p[i];
		if (c == '\n' || c == '\r') {
			buf[j++] = '\\';
			buf[j++] = c == '\n' ? 'n' : 'r';
		} else if (c == '\0')
			buf[j++] = '?';
		else
			buf[j++] = c;
	}
	buf[j] = '\0';
}

void
app_reject(struct app *a, const struct stream *s, const struct record *r,
    const char *column, const char *why, const struct str *value)
{
	char val[512], msg[1024], line[32];

	(void)s;
	if (value != NULL) {
		put_value(val, sizeof val, value);
		snprintf(msg, sizeof msg, "%s%s%s '%s'", column ? column : "",
		    column ? ": " : "", why, val);
	} else
		snprintf(msg, sizeof msg, "%s%s%s", column ? column : "",
		    column ? ": " : "", why);
	a->rejected++;
	if (a->opt.strict)
		fatal("%s:%ld: %s", r->file, r->line, msg);
	warnmsg("%s:%ld: %s", r->file, r->line, msg);
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
	a->rejected++;
	if (a->opt.strict)
		fatal("%s:%ld: %s", file, line, msg);
	warnmsg("%s:%ld: %s", file, line, msg);
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
	if (r->nf != s->header.nf)
		fatal("%s:%ld: " FIELDS_WHY, r->file, r->line, r->nf,
		    s->header.nf);
}

int
app_finish(struct app *a, int alert)
{
	if (a->out != NULL)
		csvout_close(a->out);
	a->out = NULL;
	if (a->opt.rejects_path != NULL && !a->rej_header_done &&
	    a->rej_header.nf > 0)
		open_rejects(a);
	if (a->rejects != NULL)
		csvout_close(a->rejects);
	a->rejects = NULL;
	return exit_status(a->rejected, alert);
}
