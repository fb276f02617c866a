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

static enum csvin_kind
kind(const struct stream *s)
{
	return s->own ? CSVIN_OWN : s->what ? CSVIN_TABLE : CSVIN_STREAM;
}

/* A name for a message: control bytes escaped, a long one cut. */
static const char *
shown(char *buf, size_t cap, struct str name)
{
	return str_msg(buf, cap, name);
}

/* Every file of the stream names the columns of the first in the same
 * order: else fatal, naming the first column that differs. */
static void
check_header(const struct stream *s, const struct record *h)
{
	const struct record *first = &s->header;
	char a[128], b[128];
	size_t i = 0;

	while (i < h->nf && i < first->nf &&
	    str_eq_ci(str_trim(h->f[i]), str_trim(first->f[i])))
		i++;
	if (i == h->nf && i == first->nf)
		return;
#define SAME "(the files of a stream have the same columns in the same order)"
	if (i < h->nf && i < first->nf)
		fatal("%s:%ld: header differs from that of %s: column %zu is "
		    "'%s', not '%s' " SAME, h->file, h->line, first->file, i + 1,
		    shown(a, sizeof a, h->f[i]), shown(b, sizeof b, first->f[i]));
	if (i < h->nf)
		fatal("%s:%ld: header differs from that of %s: column %zu '%s' "
		    "is extra " SAME, h->file, h->line, first->file, i + 1,
		    shown(a, sizeof a, h->f[i]));
	fatal("%s:%ld: header differs from that of %s: column %zu '%s' is "
	    "missing " SAME, h->file, h->line, first->file, i + 1,
	    shown(b, sizeof b, first->f[i]));
#undef SAME
}

/* Open file CUR; true when it has a header (read and, for a further file,
 * checked), false when it is empty (closed again). */
static bool
open_file(struct stream *s)
{
	struct record h;

	s->in = csvin_open_kind(s->files[s->cur], s->dialect, kind(s));
	if (!csvin_next(s->in, &h)) {
		csvin_close(s->in);
		s->in = NULL;
		return false;
	}
	if (s->header.f == NULL) {
		/* The first header: the stream's, in the dialect it is
		 * written in, which every further file is then read in. */
		s->dialect = csvin_dialect(s->in);
		s->dialect.sniff = false;
		own_header(s, &h);
	} else
		check_header(s, &h);
	return true;
}

/* From file CUR on, the next one that is not empty (s->in), or none. */
static void
next_file(struct stream *s)
{
	for (; s->cur < s->nfiles; s->cur++)
		if (open_file(s))
			return;
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
	next_file(s);
	if (stream_empty(s))
		return;
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

static void
open_one(struct stream *s, const char *path, const char *what, bool own,
    struct dialect d)
{
	static char *one[1];

	memset(s, 0, sizeof *s);
	one[0] = (char *)path;
	s->files = one;
	s->nfiles = 1;
	s->dialect = d;
	s->what = what;
	s->own = own;
	next_file(s);
}

void
table_open(struct stream *s, const char *path, const char *what)
{
	open_one(s, path, what, false,
	    (struct dialect){ .delim = ',', .sniff = true });
}

void
own_open(struct stream *s, const char *path, const char *what)
{
	open_one(s, path, what, true, (struct dialect){ .delim = ',' });
}

int
stream_next(struct stream *s, struct record *rec)
{
	while (s->in != NULL) {
		if (csvin_next(s->in, rec))
			return 1;
		csvin_close(s->in);
		s->in = NULL;
		s->cur++;
		next_file(s);
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

char *
stream_columns_found(const struct stream *s, char *list, size_t cap)
{
	size_t len = 0;

	list[0] = '\0';
	for (size_t j = 0; j < s->header.nf && len < cap - 8; j++) {
		char name[256];
		int n = snprintf(list + len, cap - len, "%s%s", j ? ", " : "",
		    shown(name, sizeof name, s->header.f[j]));
		if (n < 0 || (size_t)n >= cap - len) {
			snprintf(list + cap - 5, 5, "...");
			break;
		}
		len += (size_t)n;
	}
	return list;
}

static const char *
stream_name(const struct stream *s)
{
	if (s->header.file != NULL)
		return s->header.file;
	return s->nfiles > 0 ? s->files[0] : "-";
}

int
stream_need(const struct stream *s, const char *name)
{
	int i = stream_col(s, name);
	char list[1024];

	if (i >= 0)
		return i;
	if (stream_empty(s))
		fatal("%s: no header line", stream_name(s));
	fatal("%s: missing %scolumn '%s' (columns found: %s)", s->header.file,
	    s->what ? "" : "required ", name,
	    stream_columns_found(s, list, sizeof list));
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

static unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* The optimal string alignment distance of A and B ignoring ASCII case
 * (edits: a letter added, dropped or changed, two adjacent ones swapped),
 * or MAX + 1 when it is more than MAX. */
static size_t
distance(struct str a, struct str b, size_t max)
{
	enum { LONGEST = 64 };
	size_t row[3][LONGEST + 1], *pp = row[0], *prev = row[1], *cur = row[2];

	if ((a.n > b.n ? a.n - b.n : b.n - a.n) > max || b.n > LONGEST)
		return max + 1;
	for (size_t j = 0; j <= b.n; j++)
		prev[j] = j;
	for (size_t i = 1; i <= a.n; i++) {
		size_t best = cur[0] = i;
		for (size_t j = 1; j <= b.n; j++) {
			unsigned char x = lower((unsigned char)a.p[i - 1]);
			unsigned char y = lower((unsigned char)b.p[j - 1]);
			size_t d = prev[j - 1] + (x != y);
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && x == lower((unsigned char)b.p[j - 2]) &&
			    lower((unsigned char)a.p[i - 2]) == y && pp[j - 2] + 1 < d)
				d = pp[j - 2] + 1;
			cur[j] = d;
			if (d < best)
				best = d;
		}
		if (best > max)
			return max + 1;
		size_t *t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[b.n] <= max ? prev[b.n] : max + 1;
}

/* How many edits make a near miss of NAME (common.md). */
static size_t
near_edits(struct str name)
{
	return name.n <= 5 ? 1 : 2;
}

bool
column_near_miss(const char *name, struct str header)
{
	struct str want = str_trim(str_of(name)), h = str_trim(header);
	size_t d = distance(h, want, near_edits(want));

	return d >= 1 && d <= near_edits(want);
}

/* --map NAME=... with a NAME that SPEC does not read: a usage error that
 * lists the names read. */
static void
check_map_names(const struct stream *s, const struct column *spec)
{
	for (size_t i = 0; i < s->nmap; i++) {
		struct str name = str_trim(str_of(s->map[i].name));
		const struct column *c;
		char list[1024];
		size_t len = 0;

		for (c = spec; c->name != NULL; c++)
			if (str_eq_ci(name, str_trim(str_of(c->name))))
				break;
		if (c->name != NULL)
			continue;
		list[0] = '\0';
		for (c = spec; c->name != NULL && len + 8 < sizeof list; c++) {
			int n = snprintf(list + len, sizeof list - len, "%s%s",
			    c == spec ? "" : ", ", c->name);
			if (n < 0 || (size_t)n >= sizeof list - len)
				break;
			len += (size_t)n;
		}
		fatal("--map %s=%s: %s reads no column '%s' (it reads: %s)",
		    s->map[i].name, s->map[i].column, progname, s->map[i].name,
		    list);
	}
}

/* A header name that nothing reads, close to a column of SPEC that was not
 * found: one warning each, with the closest name. */
static void
warn_near_misses(const struct stream *s, const struct column *spec)
{
	for (size_t j = 0; j < s->header.nf; j++) {
		const struct column *best = NULL;
		size_t best_d = 0;
		bool read = false;
		struct str h = str_trim(s->header.f[j]);

		for (const struct column *c = spec; c->name != NULL; c++)
			read = read || *c->col == (int)j;
		for (size_t i = 0; i < s->nmap && !read; i++)
			read = str_eq_ci(h, str_trim(str_of(s->map[i].column)));
		if (read)
			continue;
		for (const struct column *c = spec; c->name != NULL; c++) {
			struct str want = str_trim(str_of(c->name));
			size_t d;
			if (*c->col >= 0)
				continue;
			d = distance(h, want, near_edits(want));
			if (d >= 1 && d <= near_edits(want) &&
			    (best == NULL || d < best_d)) {
				best = c;
				best_d = d;
			}
		}
		if (best != NULL) {
			char name[256];
			warning("%s: column '%s' is not read; did you mean '%s'?",
			    s->header.file, shown(name, sizeof name,
			    s->header.f[j]), best->name);
		}
	}
}

void
stream_columns(struct stream *s, const struct column *spec)
{
	char missing[1024], list[1024];
	size_t len = 0, nmissing = 0;

	check_map_names(s, spec);
	for (const struct column *c = spec; c->name != NULL; c++)
		*c->col = stream_empty(s) ? -1 : stream_col(s, c->name);
	if (stream_empty(s))
		return;
	warn_near_misses(s, spec);
	missing[0] = '\0';
	for (const struct column *c = spec; c->name != NULL; c++) {
		if (!c->required || *c->col >= 0)
			continue;
		nmissing++;
		if (len + 8 >= sizeof missing)
			continue;
		int n = snprintf(missing + len, sizeof missing - len, "%s'%s'",
		    len ? ", " : "", c->name);
		if (n > 0)
			len += (size_t)n < sizeof missing - len ? (size_t)n :
			    sizeof missing - len - 1;
	}
	if (nmissing > 0)
		fatal("%s: missing %scolumn%s %s (columns found: %s)",
		    s->header.file, s->what ? "" : "required ",
		    nmissing > 1 ? "s" : "", missing,
		    stream_columns_found(s, list, sizeof list));
}
