/* util.c — memory, messages, the fatal path. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

const char *progname = "aftersales";

struct hook {
	void (*fn)(void *);
	void *arg;
};
static struct hook hooks[8];
static volatile sig_atomic_t nhooks;
static volatile sig_atomic_t dying;	/* the hooks have begun to run */
static volatile sig_atomic_t in_handler;	/* ... in a signal handler */

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		fatal("out of memory");
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		fatal("out of memory");
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		fatal("out of memory");
	return p;
}

char *
xmemdup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xmemdup(s, strlen(s));
}

static void
vmsg(const char *fmt, va_list ap, int errnum)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	if (errnum)
		fprintf(stderr, ": %s", strerror(errnum));
	fputc('\n', stderr);
}

void
warnmsg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, 0);
	va_end(ap);
}

bool quiet;

void
warning(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vmsg(fmt, ap, 0);
	va_end(ap);
}

/*
 * The fatal signals: a run ended by SIGTERM, SIGINT or SIGHUP (cron's
 * timeout, a systemd stop, Ctrl-C) must leave no temporary file and no
 * ledger it created, as a failed run does (common.md, "Writing CSV").
 *
 * The handler runs the hooks itself, then ends the process by the same
 * signal with its default action (the parent sees "killed by SIGTERM", as
 * without the handler).  It does not set a flag for the main code to poll:
 * a run may wait for a long time where no code could look at a flag (a
 * read from a FIFO or a slow pipe, a write into a full one, the ledger's
 * lock), and must still end at once.  Running hooks inside a handler is
 * safe because:
 *  - the hook list is changed only with the fatal signals blocked
 *    (on_fatal, off_fatal), so the handler never sees half an entry;
 *  - what a hook undoes is made with them blocked as well, from before it
 *    exists to the hook's registration (signals_hold() around mkstemp() and
 *    on_fatal() in csvout.c), so a temporary file never exists unhooked;
 *  - in the handler, hooks do only async-signal-safe work: close, unlink,
 *    stat (fatal_in_handler() tells them; no free, no stdio, and no write
 *    of buffered output, which could block on a full pipe for ever);
 *  - die() and cut_off() block them before they run the hooks, and the
 *    hooks run once (dying): never twice, never one inside another;
 *  - between an action and its off_fatal() (after the rename of -o, after
 *    a ledger's commit) a hook must be harmless: unlinking a temporary
 *    that was renamed fails with ENOENT; a created ledger is removed only
 *    while it is the file the run created (same inode).
 * A signal ignored when the program starts (nohup's SIGHUP) stays ignored.
 */
static const int fatal_signals[] = { SIGHUP, SIGINT, SIGTERM };
#define NFATAL_SIGNALS (sizeof fatal_signals / sizeof fatal_signals[0])
static int held;		/* depth of signals_hold() */
static sigset_t held_mask;	/* the mask before the outermost hold */

static void
fatal_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < NFATAL_SIGNALS; i++)
		sigaddset(set, fatal_signals[i]);
}

void
signals_hold(void)
{
	if (held++ == 0) {
		sigset_t set;
		fatal_set(&set);
		sigprocmask(SIG_BLOCK, &set, &held_mask);
	}
}

void
signals_release(void)
{
	if (held > 0 && --held == 0)
		sigprocmask(SIG_SETMASK, &held_mask, NULL);
}

bool
fatal_in_handler(void)
{
	return in_handler != 0;
}

/* Hooks run last-registered first, and only once. */
static void
run_hooks(void)
{
	dying = 1;
	while (nhooks > 0) {
		struct hook h = hooks[nhooks - 1];
		nhooks--;
		h.fn(h.arg);
	}
}

/* End the process by SIG with its default action. */
static noreturn void
reraise(int sig)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	raise(sig);		/* pending while blocked: delivered below */
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	_exit(EXIT_FATAL);	/* not reached */
}

static void
on_signal(int sig)
{
	if (!dying) {
		in_handler = 1;
		run_hooks();
	}
	reraise(sig);
}

void
fatal_signals_init(void)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	fatal_set(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < NFATAL_SIGNALS; i++)
		if (sigaction(fatal_signals[i], NULL, &old) == 0 &&
		    old.sa_handler != SIG_IGN)
			sigaction(fatal_signals[i], &sa, NULL);
	/* A reader that went away makes a write fail with EPIPE, where the
	 * writer ends the run as cut_off() says, instead of SIGPIPE ending
	 * it before the hooks could run. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
}

void
on_fatal(void (*fn)(void *), void *arg)
{
	signals_hold();
	if (nhooks < (int)(sizeof hooks / sizeof hooks[0])) {
		hooks[nhooks] = (struct hook){ fn, arg };
		nhooks++;
	}
	signals_release();
}

void
off_fatal(void (*fn)(void *), void *arg)
{
	signals_hold();
	for (int i = 0; i < nhooks; i++)
		if (hooks[i].fn == fn && hooks[i].arg == arg) {
			/* The others keep their order (the last registered
			 * runs first). */
			memmove(hooks + i, hooks + i + 1,
			    (size_t)(nhooks - i - 1) * sizeof hooks[0]);
			nhooks--;
			break;
		}
	signals_release();
}

static noreturn void
die(void)
{
	signals_hold();		/* for good: the process ends */
	run_hooks();
	exit(EXIT_FATAL);
}

void
cut_off(void)
{
	signals_hold();
	run_hooks();
	reraise(SIGPIPE);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, 0);
	va_end(ap);
	die();
}

void
fatal_errno(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	vmsg(fmt, ap, e);
	va_end(ap);
	die();
}

int
exit_status(long rejected, int alert)
{
	if (alert)
		return EXIT_ALERT;
	return rejected > 0 ? EXIT_REJECTED : EXIT_OK;
}
