/* csvin.c — CSV records through libcsv, TSV records by hand.
 *
 * libcsv is fed large chunks; its callbacks append finished fields to an
 * arena and finished records to a queue, which csvin_next() drains before
 * parsing the next chunk.  Physical lines are counted so that every record
 * knows the line it starts on: CSV_REPALL_NL makes libcsv report every line
 * end (blank lines too), and line feeds inside quoted fields are counted
 * from the field bytes.
 */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "bytes.h"
#include "csvin.h"
#include "util.h"

#define CHUNK (256 * 1024)

struct qrec {
	size_t first, nf;	/* fields [first, first+nf) of the arena */
	long line;
};

struct csvin {
	int fd;
	const char *name;
	struct dialect d;
	struct csv_parser p;
	bool eof, finished, started;
	char *buf;
	/* Field bytes, NUL-terminated, and their offsets and lengths. */
	char *arena;
	size_t alen, acap;
	size_t *foff, *flen;
	size_t nfields, fcap;
	/* Finished records not yet returned. */
	struct qrec *q;
	size_t qlen, qcap, qpos;
	/* The record being built. */
	size_t cur_first, cur_nf;
	long cur_line;
	long lines;		/* line feeds seen so far */
	/* TSV state. */
	bool tsv_escape;
	bool tsv_cr;		/* the last byte of the field is a raw CR */
	size_t tsv_fstart;	/* arena offset of the field being built */
	bool tsv_in_record;
	struct str *out;
	size_t outcap;
	/* A parse error found after some records of the chunk: they are
	 * returned first, then the error is fatal. */
	char *error;
};

static void *
capped_realloc(void *p, size_t n)
{
	/* One stray quote must not swallow the input: libcsv grows its field
	 * buffer through here, and a refusal ends the parse (CSV_ENOMEM). */
	if (n > FIELD_MAX + 1)
		return NULL;
	return realloc(p, n);
}

static int
no_space(unsigned char c)
{
	(void)c;
	return 0;	/* keep spaces around unquoted fields */
}

int
dialect_delim(const char *arg)
{
	if (strcmp(arg, "\\t") == 0 || strcmp(arg, "\t") == 0)
		return '\t';
	if (strlen(arg) != 1 || arg[0] == '"' || arg[0] == '\n' ||
	    arg[0] == '\r')
		return -1;
	return (unsigned char)arg[0];
}

static void
arena_reserve(struct csvin *r, size_t n)
{
	if (r->alen + n <= r->acap)
		return;
	while (r->alen + n > r->acap)
		r->acap = r->acap ? r->acap * 2 : CHUNK;
	r->arena = xrealloc(r->arena, r->acap);
}

static void
push_field(struct csvin *r, size_t off, size_t len)
{
	if (r->nfields == r->fcap) {
		r->fcap = r->fcap ? r->fcap * 2 : 1024;
		r->foff = xrealloc(r->foff, r->fcap * sizeof *r->foff);
		r->flen = xrealloc(r->flen, r->fcap * sizeof *r->flen);
	}
	if (r->cur_nf == 0)
		r->cur_first = r->nfields;
	r->foff[r->nfields] = off;
	r->flen[r->nfields] = len;
	r->nfields++;
	r->cur_nf++;
}

static void
push_record(struct csvin *r)
{
	if (r->qlen == r->qcap) {
		r->qcap = r->qcap ? r->qcap * 2 : 256;
		r->q = xrealloc(r->q, r->qcap * sizeof *r->q);
	}
	r->q[r->qlen++] = (struct qrec){ r->cur_first, r->cur_nf, r->cur_line };
	r->cur_nf = 0;
}

static void
count_lf(struct csvin *r, const char *p, size_t n)
{
	const char *e = p + n;

	while (p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		r->lines++;
		p++;
	}
}

static void
on_field(void *s, size_t len, void *data)
{
	struct csvin *r = data;
	const char *p = s;
	char *d;

	if (r->cur_nf == 0)
		r->cur_line = r->lines + 1;
	if (r->alen + len + 1 > r->acap)
		arena_reserve(r, len + 1);
	d = r->arena + r->alen;
	/* Most fields are short and hold no line feed: no call for them. */
	bytes_copy(d, p, len);
	d[len] = '\0';
	if (bytes_may_have(p, len, '\n'))
		count_lf(r, p, len);
	push_field(r, r->alen, len);
	r->alen += len + 1;
}

static void
on_row(int c, void *data)
{
	struct csvin *r = data;

	if (c == '\n')
		r->lines++;
	if (r->cur_nf > 0)
		push_record(r);	/* a row without fields is a blank line */
}

struct csvin *
csvin_open(const char *path, struct dialect d)
{
	struct csvin *r = xcalloc(1, sizeof *r);

	if (strcmp(path, "-") == 0) {
		r->fd = STDIN_FILENO;
		r->name = "-";
	} else {
		r->fd = open(path, O_RDONLY);
		if (r->fd == -1)
			fatal_errno("%s", path);
		r->name = path;
	}
	r->d = d;
	r->buf = xmalloc(CHUNK);
	return r;
}

struct dialect
csvin_dialect(const struct csvin *r)
{
	return r->d;
}

static size_t
read_some(struct csvin *r, char *p, size_t cap)
{
	ssize_t n;

	do
		n = read(r->fd, p, cap);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		fatal_errno("%s: read error", r->name);
	return (size_t)n;
}

/* The first comma, semicolon or tab outside quotes on the header line.
 * Returns false when P ends before either one or the line end is seen. */
static bool
sniff(struct csvin *r, const char *p, size_t n)
{
	bool quoted = false;

	r->d.delim = ',';
	r->d.tsv = false;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == '\n' || c == '\r')
			return true;
		else if (c == ',' || c == ';') {
			r->d.delim = c;
			return true;
		} else if (c == '\t') {
			r->d.delim = '\t';
			r->d.tsv = true;
			return true;
		}
	}
	return false;
}

static void
start(struct csvin *r, char **p, size_t *n)
{
	/* The first chunk: skip a byte-order mark, settle the dialect. */
	while (*n < 3) {
		size_t got = read_some(r, r->buf + *n, CHUNK - *n);
		if (got == 0)
			break;
		*n += got;
	}
	if (*n >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
		*p += 3;
		*n -= 3;
		/* Nothing after the mark yet is not the end of the input. */
		if (*n == 0)
			*n = read_some(r, *p, CHUNK - 3);
	}
	/* The header line may come in several reads (a pipe): read on
	 * until it can be sniffed, the input ends or the buffer is full. */
	while (r->d.sniff && !sniff(r, *p, *n)) {
		size_t used = (size_t)(*p - r->buf) + *n;
		size_t got = used < CHUNK ? read_some(r, *p + *n, CHUNK - used) : 0;
		if (got == 0)
			break;
		*n += got;
	}
	if (r->d.tsv)
		r->d.delim = '\t';
	else {
		if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL))
			fatal("out of memory");
		csv_set_delim(&r->p, (unsigned char)r->d.delim);
		csv_set_space_func(&r->p, no_space);
		csv_set_realloc_func(&r->p, capped_realloc);
		csv_set_blk_size(&r->p, 64 * 1024);
	}
	r->started = true;
}

static void
csv_failed(struct csvin *r)
{
	long line = r->cur_nf ? r->cur_line : r->lines + 1;
	int e = csv_error(&r->p);
	char msg[512];

	if (e == CSV_ENOMEM || e == CSV_ETOOBIG)
		snprintf(msg, sizeof msg, "%s:%ld: field longer than %d bytes "
		    "(a stray quote?)", r->name, line, FIELD_MAX);
	else
		snprintf(msg, sizeof msg, "%s:%ld: malformed quoting", r->name,
		    line);
	r->error = xstrdup(msg);
	r->finished = true;
}

static void
tsv_end_field(struct csvin *r)
{
	size_t len = r->alen - r->tsv_fstart;

	arena_reserve(r, 1);
	r->arena[r->alen++] = '\0';
	push_field(r, r->tsv_fstart, len);
	r->tsv_fstart = r->alen;
}

static void
tsv_end_line(struct csvin *r)
{
	/* A CR before the LF belongs to the line end (an escaped one, \r,
	 * to the field). */
	if (r->tsv_cr && r->alen > r->tsv_fstart && r->arena[r->alen - 1] == '\r')
		r->alen--;
	r->tsv_cr = false;
	if (r->cur_nf == 0 && r->alen == r->tsv_fstart) {
		r->tsv_in_record = false;	/* blank line */
		return;
	}
	tsv_end_field(r);
	push_record(r);
	r->tsv_in_record = false;
}

static void
tsv_parse(struct csvin *r, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];

		if (!r->tsv_in_record) {
			r->tsv_in_record = true;
			r->cur_line = r->lines + 1;
			r->tsv_fstart = r->alen;
		}
		if (r->tsv_escape) {
			char o;
			switch (c) {
			case 't': o = '\t'; break;
			case 'n': o = '\n'; break;
			case 'r': o = '\r'; break;
			case '\\': o = '\\'; break;
			default:
				/* Not an escape: keep both bytes. */
				arena_reserve(r, 1);
				r->arena[r->alen++] = '\\';
				o = (char)c;
				if (c == '\n' || c == '\t') {
					r->tsv_escape = false;
					goto plain;
				}
			}
			r->tsv_escape = false;
			r->tsv_cr = o == '\r' && c != 'r';
			arena_reserve(r, 1);
			r->arena[r->alen++] = o;
			continue;
		}
plain:
		if (c == '\t') {
			tsv_end_field(r);
		} else if (c == '\n') {
			r->lines++;
			tsv_end_line(r);
		} else if (c == '\\') {
			r->tsv_escape = true;
		} else {
			arena_reserve(r, 1);
			r->arena[r->alen++] = (char)c;
			r->tsv_cr = c == '\r';
		}
		if (r->alen - r->tsv_fstart > FIELD_MAX)
			fatal("%s:%ld: field longer than %d bytes", r->name,
			    r->cur_line, FIELD_MAX);
	}
}

/* Make room: drop the returned records, keep the one being built. */
static void
compact(struct csvin *r)
{
	size_t keep_from = r->cur_nf ? r->foff[r->cur_first] : r->alen;

	if (r->d.tsv && r->tsv_in_record && r->cur_nf == 0)
		keep_from = r->tsv_fstart;
	if (keep_from > 0 && keep_from <= r->alen) {
		memmove(r->arena, r->arena + keep_from, r->alen - keep_from);
		r->alen -= keep_from;
		if (r->d.tsv)
			r->tsv_fstart -= keep_from;
	}
	if (r->cur_nf) {
		for (size_t i = 0; i < r->cur_nf; i++) {
			r->foff[i] = r->foff[r->cur_first + i] - keep_from;
			r->flen[i] = r->flen[r->cur_first + i];
		}
		r->cur_first = 0;
	}
	r->nfields = r->cur_nf;
	r->qlen = r->qpos = 0;
}

static void
fill(struct csvin *r)
{
	if (r->error != NULL)
		fatal("%s", r->error);
	while (r->qpos == r->qlen && !r->finished) {
		char *p = r->buf;
		size_t n;

		compact(r);
		if (!r->started) {
			n = 0;
			start(r, &p, &n);
		} else
			n = read_some(r, r->buf, CHUNK);
		if (n == 0) {
			r->finished = true;
			if (r->d.tsv) {
				if (r->tsv_escape) {
					arena_reserve(r, 1);
					r->arena[r->alen++] = '\\';
					r->tsv_escape = false;
				}
				if (r->tsv_in_record)
					tsv_end_line(r);
			} else if (csv_fini(&r->p, on_field, on_row, r) != 0)
				csv_failed(r);
			break;
		}
		if (r->d.tsv)
			tsv_parse(r, p, n);
		else if (csv_parse(&r->p, p, n, on_field, on_row, r) != n)
			csv_failed(r);
	}
	if (r->error != NULL && r->qpos == r->qlen)
		fatal("%s", r->error);
}

int
csvin_next(struct csvin *r, struct record *rec)
{
	struct qrec *q;

	if (r->qpos == r->qlen)
		fill(r);
	if (r->qpos == r->qlen)
		return 0;
	q = &r->q[r->qpos++];
	if (q->nf > r->outcap) {
		r->outcap = q->nf * 2;
		r->out = xrealloc(r->out, r->outcap * sizeof *r->out);
	}
	for (size_t i = 0; i < q->nf; i++) {
		r->out[i].p = r->arena + r->foff[q->first + i];
		r->out[i].n = r->flen[q->first + i];
	}
	rec->nf = q->nf;
	rec->f = r->out;
	rec->line = q->line;
	rec->file = r->name;
	return 1;
}

struct str
csvin_peek_field(const struct csvin *r, size_t k, int col)
{
	const struct qrec *q;

	if (k == 0 || col < 0 || r->qpos + k - 1 >= r->qlen)
		return (struct str){ NULL, 0 };
	q = &r->q[r->qpos + k - 1];
	if ((size_t)col >= q->nf)
		return (struct str){ NULL, 0 };
	return (struct str){ r->arena + r->foff[q->first + (size_t)col],
		r->flen[q->first + (size_t)col] };
}

void
csvin_close(struct csvin *r)
{
	if (r == NULL)
		return;
	if (r->started && !r->d.tsv)
		csv_free(&r->p);
	if (r->fd != STDIN_FILENO)
		close(r->fd);
	free(r->buf);
	free(r->arena);
	free(r->foff);
	free(r->flen);
	free(r->q);
	free(r->out);
	free(r->error);
	free(r);
}
