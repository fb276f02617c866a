/* csvout.c — buffered, checked CSV/TSV writer with atomic -o. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bytes.h"
#include "csvout.h"
#include "util.h"

#define OUTBUF (256 * 1024)
/* What csvout_known() fields are made of. */
#define KNOWN_BYTES \
	"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_.:+-"

struct csvout {
	int fd;
	char *path;		/* final name with -o, else NULL */
	char *tmp;		/* temporary name with -o */
	struct dialect d;
	bool crlf, excel_safe;
	bool plain;		/* CSV without --excel-safe: the fast path */
	bool known_safe;	/* plain, and the delimiter is not a byte of a
				 * csvout_known() field */
	uint8_t special[256];	/* 1: the byte makes a CSV field quoted */
	char *buf;
	size_t len;
	size_t nf;		/* fields written in this row */
	bool first_empty;	/* the row's first field was empty */
	bool dead;		/* a write failed: write nothing more */
	bool direct;		/* -o names no regular file: written into */
};

static bool stdout_was_closed;

void
guard_std_fds(void)
{
	/* A closed standard descriptor would be reused by the next open(),
	 * and output meant for stdout would land in that file: occupy it
	 * with /dev/null and remember that stdout was closed. */
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFL) == -1 && errno == EBADF) {
			int nfd = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
			if (nfd != fd && nfd != -1)
				close(nfd);
			if (fd == 1)
				stdout_was_closed = true;
		}
}

static void
write_all(struct csvout *w, const char *p, size_t n)
{
	if (w->fd == STDOUT_FILENO && stdout_was_closed && n > 0) {
		errno = EBADF;
		fatal_errno("write error");
	}
	while (n > 0) {
		ssize_t k = write(w->fd, p, n);
		if (k == -1) {
			if (errno == EINTR)
				continue;
			w->dead = true;
			fatal_errno("write error");
		}
		p += k;
		n -= (size_t)k;
	}
}

static void
flush(struct csvout *w)
{
	write_all(w, w->buf, w->len);
	w->len = 0;
}

static inline void
put(struct csvout *w, const char *p, size_t n)
{
	if (w->len + n > OUTBUF) {
		flush(w);
		if (n > OUTBUF) {
			write_all(w, p, n);
			return;
		}
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static inline void
putc1(struct csvout *w, char c)
{
	if (w->len == OUTBUF)
		flush(w);
	w->buf[w->len++] = c;
}

static void
abort_hook(void *arg)
{
	struct csvout *w = arg;

	if (w->path != NULL && !w->direct) {
		csvout_abort(w);
		return;
	}
	/* Standard output on a fatal error: what was written stays written. */
	if (!w->dead && !(w->fd == STDOUT_FILENO && stdout_was_closed)) {
		const char *p = w->buf;
		size_t n = w->len;
		while (n > 0) {
			ssize_t k = write(w->fd, p, n);
			if (k <= 0 && errno != EINTR)
				break;
			if (k > 0)
				p += k, n -= (size_t)k;
		}
	}
	w->len = 0;
}

struct csvout *
csvout_open(const char *path, struct dialect d, bool crlf, bool excel_safe)
{
	struct csvout *w = xcalloc(1, sizeof *w);

	w->d = d;
	if (d.tsv)
		w->d.delim = '\t';
	w->crlf = crlf;
	w->excel_safe = excel_safe;
	w->plain = !w->d.tsv && !excel_safe;
	w->known_safe = w->plain && strchr(KNOWN_BYTES, w->d.delim) == NULL;
	w->special[(unsigned char)w->d.delim] = 1;
	w->special['"'] = w->special['\n'] = w->special['\r'] = 1;
	w->buf = xmalloc(OUTBUF);
	if (path == NULL || strcmp(path, "-") == 0) {
		w->fd = STDOUT_FILENO;
		on_fatal(abort_hook, w);
		return w;
	}
	struct stat st;
	mode_t mode;

	/* Not a regular file (a device, a FIFO, /dev/stdout on a pipe):
	 * write into it.  A rename would replace it, /dev/full included. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		w->path = xstrdup(path);
		w->direct = true;
		w->fd = open(path, O_WRONLY | O_CLOEXEC);
		if (w->fd == -1)
			fatal_errno("%s: cannot create", path);
		on_fatal(abort_hook, w);
		return w;
	}
	/* A symbolic link: replace the file it names, keep the link. */
	char *real = NULL;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		real = realpath(path, NULL);
	w->path = real ? real : xstrdup(path);
	path = w->path;
	/* Write beside the target, rename over it at the end: a failed run
	 * leaves the old file as it was. */
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	size_t n = strlen(path) + 16;

	w->tmp = xmalloc(n);
	snprintf(w->tmp, n, "%.*s.%s.XXXXXX", (int)dirlen, path, path + dirlen);
	w->fd = mkstemp(w->tmp);
	if (w->fd == -1)
		fatal_errno("%s: cannot create", path);
	if (stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	else {
		mode_t um = umask(0);
		umask(um);
		mode = 0666 & ~um;
	}
	if (fchmod(w->fd, mode) == -1) {
		int e = errno;
		unlink(w->tmp);
		errno = e;
		fatal_errno("%s", w->tmp);
	}
	on_fatal(abort_hook, w);
	return w;
}

/* A plain number is left alone by --excel-safe: [+-]digits[.digits]. */
static bool
plain_number(const char *p, size_t n)
{
	size_t i = 0, digits = 0;

	if (i < n && (p[i] == '-' || p[i] == '+'))
		i++;
	while (i < n && p[i] >= '0' && p[i] <= '9')
		i++, digits++;
	if (i < n && (p[i] == '.' || p[i] == ',')) {
		i++;
		size_t frac = 0;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++, frac++;
		if (frac == 0)
			return false;
	}
	return digits > 0 && i == n;
}

static bool
needs_guard(struct csvout *w, const char *p, size_t n)
{
	if (!w->excel_safe || n == 0)
		return false;
	switch (p[0]) {
	case '=': case '+': case '-': case '@': case '\t': case '\r':
		return !plain_number(p, n);
	}
	return false;
}

static void
tsv_field(struct csvout *w, const char *p, size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		const char *esc = NULL;
		switch (p[i]) {
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\\': esc = "\\\\"; break;
		}
		if (esc) {
			put(w, p + run, i - run);
			put(w, esc, 2);
			run = i + 1;
		}
	}
	put(w, p + run, n - run);
}

/* Whether a field holds the delimiter, a quote, CR or LF: a table for short
 * fields, then sixteen or eight bytes at a time. */
static bool
has_special(const struct csvout *w, const char *p, size_t n)
{
	uint64_t v;

	if (n < 8) {
		unsigned any = 0;

		for (size_t i = 0; i < n; i++)
			any |= w->special[(unsigned char)p[i]];
		return any != 0;
	}
#ifdef __SSE2__
	/* Sixteen bytes at a time where the processor has SSE2 (every x86-64). */
	if (n >= 16) {
		const __m128i vd = _mm_set1_epi8(w->d.delim), vq = _mm_set1_epi8('"');
		const __m128i vl = _mm_set1_epi8('\n'), vc = _mm_set1_epi8('\r');
		for (size_t i = 0;; i += 16) {
			__m128i b = _mm_loadu_si128((const __m128i *)(const void *)
			    (i + 16 <= n ? p + i : p + n - 16));
			__m128i m = _mm_or_si128(
			    _mm_or_si128(_mm_cmpeq_epi8(b, vd), _mm_cmpeq_epi8(b, vq)),
			    _mm_or_si128(_mm_cmpeq_epi8(b, vl), _mm_cmpeq_epi8(b, vc)));
			if (_mm_movemask_epi8(m) != 0)
				return true;
			if (i + 16 >= n)
				return false;
		}
	}
#endif
	/* Whole words, then the last eight bytes (overlapping). */
	for (size_t i = 0;; i += 8) {
		memcpy(&v, i + 8 <= n ? p + i : p + n - 8, 8);
		if (bytes_has(v, (unsigned char)w->d.delim) || bytes_has(v, '"') ||
		    bytes_has(v, '\n') || bytes_has(v, '\r'))
			return true;
		if (i + 8 >= n)
			return false;
	}
}

static void
csv_field(struct csvout *w, const char *p, size_t n, bool guard)
{
	/* The guard itself may be the delimiter (-d "'"). */
	bool quote = (guard && w->d.delim == '\'') || has_special(w, p, n);

	if (!quote) {
		if (guard)
			putc1(w, '\'');
		put(w, p, n);
		return;
	}
	putc1(w, '"');
	if (guard)
		putc1(w, '\'');
	const char *e = p + n, *q;
	while ((q = memchr(p, '"', (size_t)(e - p))) != NULL) {
		put(w, p, (size_t)(q - p) + 1);
		putc1(w, '"');
		p = q + 1;
	}
	put(w, p, (size_t)(e - p));
	putc1(w, '"');
}

/* One field: what csvout_field() does, inlined into the loops. */
static inline void
field(struct csvout *w, const char *p, size_t n)
{
	/* The usual case: CSV without --excel-safe and room in the buffer.
	 * (The field is scanned where it is, before the copy: reading back
	 * bytes just stored would wait for the stores.) */
	if (w->plain && n <= 4096 && w->len + n + 3 <= OUTBUF) {
		char *o = w->buf + w->len + (w->nf > 0);
		int need = !has_special(w, p, n) ? 0
		    : memchr(p, '"', n) == NULL ? 1 : 2;

		if (need == 0) {
			bytes_copy(o, p, n);
			if (w->nf > 0)
				o[-1] = (char)w->d.delim;
			else
				w->first_empty = n == 0;
			w->nf++;
			w->len = (size_t)(o - w->buf) + n;
			return;
		}
		/* A comma or a line break but no quote (a free text): the
		 * field between quotes. */
		if (need == 1) {
			if (w->nf > 0)
				o[-1] = (char)w->d.delim;
			else
				w->first_empty = false;
			w->nf++;
			o[0] = '"';
			memcpy(o + 1, p, n);
			o[n + 1] = '"';
			w->len = (size_t)(o - w->buf) + n + 2;
			return;
		}
	}
	if (w->nf > 0)
		putc1(w, w->d.delim);
	else
		w->first_empty = n == 0;
	w->nf++;
	if (n == 0)
		return;
	bool guard = needs_guard(w, p, n);
	if (w->d.tsv) {
		if (guard)
			putc1(w, '\'');
		tsv_field(w, p, n);
	} else
		csv_field(w, p, n, guard);
}

void
csvout_field(struct csvout *w, const char *p, size_t n)
{
	field(w, p, n);
}

void
csvout_fields(struct csvout *w, const struct str *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		field(w, f[i].p, f[i].n);
}

/* A field the program made of KNOWN_BYTES: nothing in it needs quotes when
 * the delimiter is none of them, so it is copied without looking. */
static inline void
known(struct csvout *w, const char *p, size_t n)
{
	if (w->known_safe && n <= 64 && w->len + n + 1 <= OUTBUF) {
		char *o = w->buf + w->len;

		if (w->nf > 0)
			*o++ = (char)w->d.delim;
		else
			w->first_empty = n == 0;
		w->nf++;
		bytes_copy(o, p, n);
		w->len = (size_t)(o - w->buf) + n;
		return;
	}
	field(w, p, n);
}

void
csvout_known(struct csvout *w, const char *p, size_t n)
{
	known(w, p, n);
}

void
csvout_fields_known(struct csvout *w, const struct str *f,
    const unsigned char *is_known, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is_known[i])
			known(w, f[i].p, f[i].n);
		else
			field(w, f[i].p, f[i].n);
}

void
csvout_str(struct csvout *w, struct str s)
{
	field(w, s.p, s.n);
}

void
csvout_cstr(struct csvout *w, const char *s)
{
	csvout_field(w, s, strlen(s));
}

void
csvout_int(struct csvout *w, long long v)
{
	char b[24];
	int n = snprintf(b, sizeof b, "%lld", v);

	csvout_field(w, b, (size_t)n);
}

void
csvout_empty(struct csvout *w)
{
	csvout_field(w, "", 0);
}

void
csvout_endrow(struct csvout *w)
{
	/* A row of one empty field would read back as a blank line. */
	if (w->nf == 1 && w->first_empty && !w->d.tsv)
		put(w, "\"\"", 2);
	if (w->crlf)
		putc1(w, '\r');
	putc1(w, '\n');
	w->nf = 0;
}

void
csvout_record(struct csvout *w, const struct record *r, bool end)
{
	csvout_fields(w, r->f, r->nf);
	if (end)
		csvout_endrow(w);
}

void
csvout_raw(struct csvout *w, const char *p, size_t n)
{
	put(w, p, n);
}

void
csvout_close(struct csvout *w)
{
	flush(w);
	if (w->path == NULL) {
		/* Standard output closed at start: an error even when nothing
		 * was written. */
		if (stdout_was_closed) {
			errno = EBADF;
			fatal_errno("write error");
		}
		off_fatal(abort_hook, w);
	} else if (w->direct) {
		if (close(w->fd) == -1)
			fatal_errno("write error");
		w->fd = -1;
		off_fatal(abort_hook, w);
	} else {
		if (fsync(w->fd) == -1)
			fatal_errno("write error");
		if (close(w->fd) == -1)
			fatal_errno("write error");
		w->fd = -1;
		if (rename(w->tmp, w->path) == -1)
			fatal_errno("%s: cannot rename %s", w->path, w->tmp);
		off_fatal(abort_hook, w);
	}
	free(w->buf);
	free(w->path);
	free(w->tmp);
	free(w);
}

void
csvout_abort(struct csvout *w)
{
	if (w->tmp != NULL) {
		if (w->fd != -1)
			close(w->fd);
		unlink(w->tmp);
		w->fd = -1;
		free(w->tmp);
		w->tmp = NULL;
	}
}
