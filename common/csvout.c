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
#include <poll.h>
#include <sys/ioctl.h>
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
	char *name;		/* for messages: the name given, escaped, or
				 * "standard output" */
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
	bool confirm;		/* a pipe's reader must take every byte */
};

static bool stdout_was_closed;
/* The run is being cut off (cut_off()): the hooks write nothing more. */
static bool cutting_off;

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

/* The reader went away: the run is cut off (util.h), nothing more is
 * written. */
static noreturn void
reader_gone(struct csvout *w)
{
	w->dead = true;
	cutting_off = true;
	cut_off();
}

static noreturn void
write_failed(struct csvout *w)
{
	w->dead = true;
	fatal_errno("write error: %s", w->name);
}

bool
csvout_stdout_closed(void)
{
	return stdout_was_closed;
}

static void
write_all(struct csvout *w, const char *p, size_t n)
{
	if (w->fd == STDOUT_FILENO && stdout_was_closed && n > 0) {
		errno = EBADF;
		write_failed(w);
	}
	while (n > 0) {
		ssize_t k = write(w->fd, p, n);
		if (k == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)
				reader_gone(w);
			write_failed(w);
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
		if (!fatal_in_handler())
			csvout_abort(w);
		else if (w->tmp != NULL)
			unlink(w->tmp);	/* no free() in a handler */
		return;
	}
	/* Killed, or cut off: write nothing more (in a handler, a write to
	 * a full pipe could block for ever).  Nothing opened yet: nothing. */
	if (fatal_in_handler() || cutting_off || w->fd == -1)
		return;
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

/* The name of PATH for messages, control bytes escaped (str_msg), in BUF
 * of MSG_NAME bytes.  (On the stack: a fatal error leaks nothing.) */
#define MSG_NAME 1024
static char *
msg_name(char *buf, const char *path)
{
	return str_msg(buf, MSG_NAME, str_of(path));
}

/* The directory part of PATH ("." when it has none). */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash == NULL ? xstrdup(".") : slash == path ? xstrdup("/") :
	    xmemdup(path, (size_t)(slash - path));
}

/* The link LINK (lstat'ed into LST) is one the kernel's
 * fs.protected_symlinks would not follow: it lies in a sticky
 * world-writable directory (/tmp), and neither the user running nor the
 * directory's owner owns it.  Another user could have planted it there to
 * make this run replace a file of theirs choosing. */
static void
refuse_planted(const char *link, const struct stat *lst)
{
	char *dir = dir_of(link), m[MSG_NAME];
	struct stat d;
	bool planted = stat(dir, &d) == 0 && (d.st_mode & S_ISVTX) &&
	    (d.st_mode & S_IWOTH) && lst->st_uid != geteuid() &&
	    lst->st_uid != d.st_uid;

	free(dir);
	if (planted)
		fatal("%s: not following a symbolic link that another user owns "
		    "in a sticky world-writable directory (as "
		    "fs.protected_symlinks does)", msg_name(m, link));
}

char *
csvout_target(const char *path)
{
	char *p = xstrdup(path), m[MSG_NAME];

	/* Only the last component is checked here: the directories on the
	 * way are opened through (mkstemp), where the kernel checks them
	 * itself when fs.protected_symlinks is on. */
	for (int hops = 0; hops < 40; hops++) {
		struct stat st;
		char target[PATH_MAX];

		if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode))
			return p;
		refuse_planted(p, &st);
		ssize_t n = readlink(p, target, sizeof target - 1);
		if (n < 0) {
			int e = errno;
			msg_name(m, p);
			free(p);
			errno = e;
			fatal_errno("%s: cannot create", m);
		}
		target[n] = '\0';
		const char *slash = strrchr(p, '/');
		if (target[0] == '/' || slash == NULL) {
			free(p);
			p = xstrdup(target);
		} else {
			size_t dl = (size_t)(slash - p) + 1;
			char *q = xmalloc(dl + (size_t)n + 1);
			memcpy(q, p, dl);
			memcpy(q + dl, target, (size_t)n + 1);
			free(p);
			p = q;
		}
	}
	free(p);
	errno = ELOOP;
	fatal_errno("%s: cannot create", msg_name(m, path));
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
		w->name = xstrdup("standard output");
		on_fatal(abort_hook, w);
		return w;
	}
	char m[MSG_NAME];
	struct stat st;
	mode_t mode;

	w->name = xstrdup(msg_name(m, path));
	/* Hooked from here on: a fatal error frees nothing, but W stays
	 * reachable; the hook does nothing until there is a temporary file
	 * (fd -1, tmp NULL). */
	w->fd = -1;
	on_fatal(abort_hook, w);

	/* A link planted in /tmp is refused before anything is opened
	 * through it. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		refuse_planted(path, &st);
	/* Not a regular file (a device, a FIFO, /dev/stdout on a pipe):
	 * write into it.  A rename would replace it, /dev/full included. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		w->path = xstrdup(path);
		w->direct = true;
		w->fd = open(path, O_WRONLY | O_CLOEXEC);
		if (w->fd == -1)
			fatal_errno("%s: cannot create", w->name);
		return w;
	}
	/* A symbolic link: replace the file it names (create it, when the
	 * link dangles), keep the link. */
	w->path = csvout_target(path);
	path = w->path;
	/* Write beside the target, rename over it at the end: a failed run
	 * leaves the old file as it was.  The temporary's name is
	 * .NAME.XXXXXX, with NAME cut so that it fits NAME_MAX. */
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	size_t base = strlen(path + dirlen), keep = base;

	if (base > NAME_MAX) {
		errno = ENAMETOOLONG;
		fatal_errno("%s: cannot create", msg_name(m, path));
	}
	if (keep > NAME_MAX - 8)
		keep = NAME_MAX - 8;
	char *tmp = xmalloc(dirlen + keep + 9);
	snprintf(tmp, dirlen + keep + 9, "%.*s.%.*s.XXXXXX", (int)dirlen,
	    path, (int)keep, path + dirlen);
	/* The hook sees the temporary's whole name and its descriptor, or
	 * neither: no fatal signal from the file's creation to here. */
	signals_hold();
	int fd = mkstemp(tmp);
	if (fd == -1) {
		int e = errno;
		free(tmp);
		errno = e;
		fatal_errno("%s: cannot create", msg_name(m, path));
	}
	w->tmp = tmp;
	w->fd = fd;
	signals_release();
	if (stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	else {
		mode_t um = umask(0);
		umask(um);
		mode = 0666 & ~um;
	}
	if (fchmod(w->fd, mode) == -1)
		fatal_errno("%s", msg_name(m, w->tmp));
	return w;
}

void
csvout_confirm(struct csvout *w, bool on)
{
	w->confirm = on;
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

/* csvout_confirm(): W's descriptor is a pipe or a FIFO; wait until its
 * reader has taken every byte (FIONREAD on the pipe reaches 0), or has
 * gone away with bytes unread (poll() reports POLLERR or POLLHUP on the
 * write end): then the run is cut off.  The reader is not woken up by
 * anything of ours, so the pipe is looked at again after 1, 2, 4 ... up
 * to 100 ms; poll() returns at once when the reader closes it. */
static void
wait_for_reader(struct csvout *w)
{
	struct stat st;
	int wait_ms = 1;

	if (fstat(w->fd, &st) == -1 || !S_ISFIFO(st.st_mode))
		return;
	for (;;) {
		int unread = 0;
		struct pollfd p = { .fd = w->fd, .events = 0 };

		if (ioctl(w->fd, FIONREAD, &unread) == -1 || unread == 0)
			return;
		if (poll(&p, 1, wait_ms) > 0 &&
		    (p.revents & (POLLERR | POLLHUP))) {
			/* It may have read the rest before it closed. */
			if (ioctl(w->fd, FIONREAD, &unread) == 0 && unread == 0)
				return;
			reader_gone(w);
		}
		if (wait_ms < 100)
			wait_ms *= 2;
	}
}

/* After the rename: the directory entry is on the disk too. */
static void
sync_dir(struct csvout *w)
{
	char *dir = dir_of(w->path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	free(dir);
	if (fd == -1)
		return;		/* cannot be opened (mode -wx): nothing to do */
	/* EINVAL: a file system that cannot sync a directory. */
	if (fsync(fd) == -1 && errno != EINVAL)
		write_failed(w);
	close(fd);
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
			write_failed(w);
		}
		if (w->confirm)
			wait_for_reader(w);
		off_fatal(abort_hook, w);
	} else if (w->direct) {
		if (w->confirm)
			wait_for_reader(w);
		if (close(w->fd) == -1)
			write_failed(w);
		w->fd = -1;
		off_fatal(abort_hook, w);
	} else {
		if (fsync(w->fd) == -1)
			write_failed(w);
		if (close(w->fd) == -1)
			write_failed(w);
		w->fd = -1;
		if (rename(w->tmp, w->path) == -1) {
			char m[MSG_NAME];
			fatal_errno("%s: cannot rename %s", w->name,
			    msg_name(m, w->tmp));
		}
		sync_dir(w);
		off_fatal(abort_hook, w);
	}
	free(w->buf);
	free(w->path);
	free(w->tmp);
	free(w->name);
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
