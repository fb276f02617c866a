/* stream.c — the stream of operand files, and tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"
#include "util.h"

static void
own_header(struct stream *s, const struct record *r)
{
	s->header.nf = r->nf;
	s->header.f = xcalloc(r->nf, sizeof *s->header.f);
	for (size_t i = 0; i < r->nf; i++) {
		s->header.f[i].p = xmemdup(r->f[i].p, r->f[i].n);
		s->header.f[i].n = r->f[i].n;
	}
	s->header.line = r->line;
	s->header.file = r->file;
}

static void
open_file(struct stream *s, const char *path, bool first)
{
	struct record h;

	s->in = csvin_open(path, s->dialect);
	if (!csvin_next(s->in, &h))
		fatal("%s: no header line", strcmp(path, "-") ? path : "-");
	if (first) {
		s->dialect = csvin_dialect(s->in);
		own_header(s, &h);
		return;
	}
	/* Every file of the stream names the same columns in the same order. */
	bool same = h.nf == s->header.nf;
	for (size_t i = 0; same && i < h.nf; i++)
		same = str_eq_ci(str_trim(h.f[i]), str_trim(s->header.f[i]));
	if (!same)
		fatal("%s:%ld: header differs from that of %s", h.file, h.line,
		    s->header.file);
}

void
stream_open(struct stream *s, char **files, int nfiles, struct dialect d,
    const struct colmap *map, size_t nmap)
{
	static char *dash[] = { "-" };

	memset(s, 0, sizeof *s);
	if (nfiles == 0) {
		files = dash;
		nfiles = 1;
	}
	s->files = files;
	s->nfiles = nfiles;
	s->dialect = d;
	s->map = map;
	s->nmap = nmap;
	open_file(s, files[0], true);
	/* Check the --map columns now: a typo must not pass silently. */
	for (size_t i = 0; i < nmap; i++) {
		bool found = false;
		for (size_t j = 0; j < s->header.nf && !found; j++)
			found = str_eq_ci(str_trim(s->header.f[j]),
			    str_trim(str_of(map[i].column)));
		if (!found) {
			s->nmap = 0;	/* list the columns as they are */
			fatal("--map %s=%s: no column '%s' in %s", map[i].name,
			    map[i].column, map[i].column, s->header.file);
		}
	}
}

void
table_open(struct stream *s, const char *path, const char *what)
{
	static char *one[1];

	memset(s, 0, sizeof *s);
	one[0] = (char *)path;
	s->files = one;
	s->nfiles = 1;
	s->dialect = (struct dialect){ .delim = ',', .sniff = true };
	s->what = what;
	open_file(s, path, true);
}

void
own_open(struct stream *s, const char *path, const char *what)
{
	static char *one[1];

	memset(s, 0, sizeof *s);
	one[0] = (char *)path;
	s->files = one;
	s->nfiles = 1;
	s->dialect = (struct dialect){ .delim = ',' };
	s->what = what;
	s->own = true;
	open_file(s, path, true);
}

int
stream_next(struct stream *s, struct record *rec)
{
	while (s->in != NULL) {
		if (csvin_next(s->in, rec))
			return 1;
		csvin_close(s->in);
		s->in = NULL;
		if (++s->cur < s->nfiles)
			open_file(s, s->files[s->cur], false);
	}
	return 0;
}

struct str
stream_peek_field(const struct stream *s, size_t k, int col)
{
	if (s->in == NULL)
		return (struct str){ NULL, 0 };
	return csvin_peek_field(s->in, k, col);
}

static int
find(const struct stream *s, struct str name)
{
	for (size_t j = 0; j < s->header.nf; j++)
		if (str_eq_ci(str_trim(s->header.f[j]), name))
			return (int)j;
	return -1;
}

int
stream_col(const struct stream *s, const char *name)
{
	struct str want = str_trim(str_of(name));

	for (size_t i = 0; i < s->nmap; i++)
		if (str_eq_ci(str_trim(str_of(s->map[i].name)), want))
			return find(s, str_trim(str_of(s->map[i].column)));
	return find(s, want);
}

int
stream_need(const struct stream *s, const char *name)
{
	int i = stream_col(s, name);
	char list[1024];
	size_t len = 0;

	if (i >= 0)
		return i;
	list[0] = '\0';
	for (size_t j = 0; j < s->header.nf && len < sizeof list - 8; j++) {
		int n = snprintf(list + len, sizeof list - len, "%s%.*s",
		    j ? ", " : "", (int)s->header.f[j].n, s->header.f[j].p);
		if (n < 0 || (size_t)n >= sizeof list - len) {
			snprintf(list + sizeof list - 5, 5, "...");
			break;
		}
		len += (size_t)n;
	}
	fatal("%s: missing %scolumn '%s' (columns found: %s)", s->header.file,
	    s->what ? "" : "required ", name, list);
}

const char *
stream_colname(const struct stream *s, int i)
{
	return s->header.f[i].p;
}

void
stream_close(struct stream *s)
{
	csvin_close(s->in);
	s->in = NULL;
	for (size_t i = 0; i < s->header.nf; i++)
		free((char *)s->header.f[i].p);
	free(s->header.f);
	s->header.f = NULL;
	s->header.nf = 0;
}

bool
stream_empty(const struct stream *s)
{
	return s->header.f == NULL;
}

void
stream_columns(struct stream *s, const struct column *spec)
{
	for (const struct column *c = spec; c->name != NULL; c++)
		*c->col = stream_empty(s) ? -1 : c->required ?
		    stream_need(s, c->name) : stream_col(s, c->name);
}
