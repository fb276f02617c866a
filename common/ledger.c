/* ledger.c — lock, read, keep, rewrite atomically. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csvout.h"
#include "ledger.h"
#include "rowstore.h"
#include "stream.h"
#include "util.h"

struct ledger {
	struct app *app;
	char *path;		/* the file itself (a link's target) */
	const char *const *cols;
	size_t ncol;
	bool dry_run;
	bool created;		/* by this run, and not yet committed */
	bool changed;		/* rows added or dropped */
	int fd;			/* locked; -1: none (a dry run, no ledger) */
	struct stream t;
	bool reading;
	struct rowstore rows;	/* every row, as read or added (not in a
				 * dry run: keep()) */
	size_t nrows;		/* rows read or added */
	unsigned char *dropped;
	size_t capdropped;
};

/* The file behind PATH: a symbolic link's target, followed even when it
 * does not exist (it is created there), as for every output
 * (csvout_target(): a planted link is refused there too). */
static char *
resolve(const char *path)
{
	/* "-" is the file of that name, read and rewritten there: not
	 * standard output, which csvout_open() would take it for. */
	return csvout_target(strcmp(path, "-") == 0 ? "./-" : path);
}

/* The directory of PATH must be writable: the ledger is replaced there. */
static void
check_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash == NULL ? xstrdup(".") :
	    slash == path ? xstrdup("/") : xmemdup(path, (size_t)(slash - path));

	if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) != 0)
		fatal_errno("%s: the ledger's directory '%s' is not writable "
		    "(the ledger is replaced there)", path, dir);
	free(dir);
}

static double
lock_wait(void)
{
	const char *e = getenv("AFTERSALES_LOCK_WAIT");
	char *end;

	if (e != NULL && *e != '\0') {
		double v = strtod(e, &end);
		if (*end == '\0' && v >= 0)
			return v;
	}
	return LEDGER_LOCK_WAIT;
}

/* Take the lock, waiting up to lock_wait() seconds. */
static void
take_lock(struct ledger *l, int fd)
{
	int how = l->dry_run ? LOCK_SH : LOCK_EX;
	long wait = (long)(lock_wait() * 10 + 0.5), waited = 0;	/* tenths */
	const struct timespec step = { 0, 100 * 1000 * 1000 };

	while (flock(fd, how | LOCK_NB) == -1) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK)
			fatal_errno("%s: lock", l->path);
		if (waited >= wait)
			fatal("%s: locked by another run; waited %ld.%ld s, not "
			    "waiting longer", l->path, waited / 10, waited % 10);
		nanosleep(&step, NULL);
		waited++;
	}
}

/* Remove a ledger this run created and did not commit (fatal hook). */
static void
uncreate(void *arg)
{
	struct ledger *l = arg;
	struct stat a, b;

	if (l->created && l->fd >= 0 && fstat(l->fd, &a) == 0 &&
	    stat(l->path, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino)
		unlink(l->path);
	l->created = false;
}

/* Open and lock the ledger; create it when missing (not in a dry run).
 * When a run that held the lock replaced the file meanwhile, lock the
 * new one. */
static void
lock_ledger(struct ledger *l)
{
	for (int tries = 0; tries < 100; tries++) {
		bool created = false;
		int fd = open(l->path, (l->dry_run ? O_RDONLY : O_RDWR) |
		    O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (fd == -1 && errno == ENOENT) {
			if (l->dry_run)
				return;		/* nothing to read */
			fd = open(l->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
			    0666);
			if (fd == -1 && errno == EEXIST)
				continue;	/* another run created it */
			created = fd != -1;
		}
		if (fd == -1)
			fatal_errno("%s", l->path);
		if (created) {
			/* From now on a failure or a signal removes it, also
			 * while the lock is awaited. */
			l->fd = fd;
			l->created = true;
			on_fatal(uncreate, l);
		}
		struct stat a, b;
		if (fstat(fd, &a) == -1)
			fatal_errno("%s", l->path);
		if (!S_ISREG(a.st_mode))
			fatal("%s: not a regular file (a ledger is a CSV file)",
			    l->path);
		take_lock(l, fd);
		if (stat(l->path, &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino) {
			l->fd = fd;
			return;
		}
		/* Replaced meanwhile (by a run that held the lock): lock the
		 * new one; the file we created is that run's now. */
		if (created) {
			off_fatal(uncreate, l);
			l->created = false;
		}
		l->fd = -1;
		close(fd);
	}
	fatal("%s: replaced again and again while waiting for its lock",
	    l->path);
}

/* The header must be the program's: fail closed. */
static void
check_header(struct ledger *l)
{
	const struct record *h = &l->t.header;
	bool same = h->nf == l->ncol;

	for (size_t i = 0; same && i < h->nf; i++)
		same = str_eq_ci(str_trim(h->f[i]), str_of(l->cols[i]));
	if (same)
		return;
	char got[512], want[256];
	size_t n = 0, m = 0;
	got[0] = want[0] = '\0';
	for (size_t i = 0; i < h->nf && n + 4 < sizeof got; i++) {
		char v[128];
		str_msg(v, sizeof v, h->f[i]);
		n += (size_t)snprintf(got + n, sizeof got - n, "%s%s", i ? "," : "", v);
	}
	for (size_t i = 0; i < l->ncol && m + 4 < sizeof want; i++)
		m += (size_t)snprintf(want + m, sizeof want - m, "%s%s", i ? "," : "",
		    l->cols[i]);
	fatal("%s:1: not a ledger of %s: the header is '%s', expected '%s' "
	    "(nothing was sent; move the file away or name another --ledger)",
	    l->path, progname, got, want);
}

struct ledger *
ledger_open(struct app *a, const char *path, const char *const *cols,
    bool dry_run)
{
	struct ledger *l = xcalloc(1, sizeof *l);
	struct stat st;

	l->app = a;
	l->cols = cols;
	while (cols[l->ncol] != NULL)
		l->ncol++;
	l->dry_run = dry_run;
	/* Nothing is recorded as sent unless it was: the output must be
	 * taken whole by its reader (a pipe's too: opts.h, confirm_output). */
	a->confirm_output = !dry_run;
	l->fd = -1;
	l->path = resolve(path);
	if (!dry_run)
		check_dir(l->path);
	lock_ledger(l);
	if (l->fd < 0 || fstat(l->fd, &st) == -1 || st.st_size == 0)
		return l;	/* new or empty: no rows */
	own_open(&l->t, l->path, "ledger");
	if (stream_empty(&l->t)) {
		stream_close(&l->t);
		return l;
	}
	check_header(l);
	l->reading = true;
	return l;
}

/* Keep a row, readable or not.  A dry run never rewrites the ledger:
 * its rows are only counted (a nightly ledger is large, and a copy of
 * every row costs a dry run more than reading it). */
static void
keep(struct ledger *l, const struct str *f, size_t nf)
{
	l->nrows++;
	if (l->dry_run)
		return;
	size_t i = rowstore_add(&l->rows, f, nf);

	if (i >= l->capdropped) {
		l->capdropped = l->capdropped ? l->capdropped * 2 : 256;
		l->dropped = xrealloc(l->dropped, l->capdropped);
	}
	l->dropped[i] = 0;
}

int
ledger_next(struct ledger *l, struct row *w, size_t *index)
{
	static struct record r;

	while (l->reading && stream_next(&l->t, &r)) {
		keep(l, r.f, r.nf);
		if (row_start(w, l->app, &l->t, &r, ROW_OWN)) {
			*index = l->nrows - 1;
			return 1;
		}
	}
	if (l->reading) {
		stream_close(&l->t);
		l->reading = false;
	}
	return 0;
}

/* The rows the program did not read yet, kept as they are: a ledger never
 * loses a row because a program stopped reading early (svc-remind's
 * --commit once rewrote a ledger with only the night's deliveries). */
static void
read_rest(struct ledger *l)
{
	struct record r;

	while (l->reading && stream_next(&l->t, &r))
		keep(l, r.f, r.nf);
	if (l->reading) {
		stream_close(&l->t);
		l->reading = false;
	}
}

void
ledger_drop(struct ledger *l, size_t index)
{
	if (index < l->rows.n && !l->dropped[index]) {
		l->dropped[index] = 1;
		l->changed = true;
	}
}

void
ledger_add(struct ledger *l, const struct str *fields)
{
	read_rest(l);		/* the new rows come after every old one */
	keep(l, fields, l->ncol);
	l->changed = true;
}

size_t
ledger_rows(const struct ledger *l)
{
	return l->nrows;
}

void
ledger_commit(struct ledger *l)
{
	if (l->dry_run || (!l->changed && !l->created))
		return;
	read_rest(l);
	struct csvout *w = csvout_open(l->path, (struct dialect){ .delim = ',' },
	    false, false);
	for (size_t i = 0; i < l->ncol; i++)
		csvout_cstr(w, l->cols[i]);
	csvout_endrow(w);
	for (size_t i = 0; i < l->rows.n; i++) {
		struct record r;
		if (l->dropped[i])
			continue;
		rowstore_get(&l->rows, i, &r);
		csvout_record(w, &r, true);
	}
	csvout_close(w);
	if (l->created)
		off_fatal(uncreate, l);
	l->created = false;
	l->changed = false;
}

void
ledger_close(struct ledger *l)
{
	if (l == NULL)
		return;
	if (l->reading)
		stream_close(&l->t);
	if (l->created) {
		uncreate(l);
		off_fatal(uncreate, l);
	}
	if (l->fd >= 0)
		close(l->fd);
	free(l->path);
	rowstore_free(&l->rows);
	free(l->dropped);
	free(l);
}
