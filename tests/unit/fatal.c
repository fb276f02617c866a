/* Unit tests of the fatal path (util.h): the hooks run on fatal(), on a
 * fatal signal (inside the handler, fatal_in_handler() true) and on
 * cut_off(), last registered first, once; off_fatal() keeps the order of
 * the others; the process ends as it should (exit 2, the signal, SIGPIPE);
 * a signal ignored at start stays ignored.  Each case runs in a child.
 * Prints each failure, exits 1. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

#include "check.h"

/* What the hooks did, in order, through a pipe to the parent: one letter
 * per hook, upper case when it ran inside a signal handler. */
static int trail = -1;

static void
hook(void *arg)
{
	char c = *(const char *)arg;

	if (fatal_in_handler())
		c = (char)(c - 'a' + 'A');
	(void)!write(trail, &c, 1);	/* async-signal-safe */
}

enum how { BY_FATAL, BY_SIGTERM, BY_SIGINT, BY_SIGHUP, BY_CUT_OFF,
	BY_EXIT };

/* Run a child that registers hooks a, b, c, d, removes b, and ends HOW;
 * return the hooks' trail and set *status. */
static const char *
child(enum how how, int *status)
{
	static char got[16];
	int p[2];

	memset(got, 0, sizeof got);
	if (pipe(p) == -1)
		return "pipe";
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		trail = p[1];
		/* stderr: fatal()'s message is not part of the test. */
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 2);
		fatal_signals_init();
		on_fatal(hook, "a");
		on_fatal(hook, "b");
		on_fatal(hook, "c");
		on_fatal(hook, "d");
		off_fatal(hook, "b");
		switch (how) {
		case BY_FATAL: fatal("test");
		case BY_SIGTERM: raise(SIGTERM); break;
		case BY_SIGINT: raise(SIGINT); break;
		case BY_SIGHUP: raise(SIGHUP); break;
		case BY_CUT_OFF: cut_off();
		case BY_EXIT: break;
		}
		_exit(0);
	}
	close(p[1]);
	ssize_t n, k = 0;
	while ((n = read(p[0], got + k, sizeof got - 1 - (size_t)k)) > 0)
		k += n;
	close(p[0]);
	waitpid(pid, status, 0);
	return got;
}

int
main(void)
{
	int st;
	const char *t;

	progname = "fatal";
	t = child(BY_FATAL, &st);
	CHECK(strcmp(t, "dca") == 0, "fatal(): hooks ran '%s'", t);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == EXIT_FATAL, "fatal(): %#x", st);
	static const struct { enum how how; int sig; } sigs[] = {
		{ BY_SIGTERM, SIGTERM }, { BY_SIGINT, SIGINT }, { BY_SIGHUP, SIGHUP },
	};
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		t = child(sigs[i].how, &st);
		CHECK(strcmp(t, "DCA") == 0, "signal %d: hooks ran '%s'",
		    sigs[i].sig, t);
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == sigs[i].sig,
		    "signal %d: %#x", sigs[i].sig, st);
	}
	t = child(BY_CUT_OFF, &st);
	CHECK(strcmp(t, "dca") == 0, "cut_off(): hooks ran '%s'", t);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE, "cut_off(): %#x", st);
	t = child(BY_EXIT, &st);
	CHECK(strcmp(t, "") == 0, "a normal end: hooks ran '%s'", t);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a normal end: %#x", st);
	/* Ignored at start (nohup): stays ignored, the run goes on. */
	signal(SIGHUP, SIG_IGN);
	t = child(BY_SIGHUP, &st);
	CHECK(strcmp(t, "") == 0, "SIGHUP ignored: hooks ran '%s'", t);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "SIGHUP ignored: %#x", st);
	signal(SIGHUP, SIG_DFL);
	/* A signal that arrives while held waits for the release. */
	int p[2];
	if (pipe(p) == 0) {
		pid_t pid = fork();
		if (pid == 0) {
			close(p[0]);
			trail = p[1];
			fatal_signals_init();
			on_fatal(hook, "h");
			signals_hold();
			signals_hold();
			raise(SIGTERM);
			(void)!write(trail, "1", 1);
			signals_release();
			(void)!write(trail, "2", 1);
			signals_release();
			(void)!write(trail, "3", 1);
			_exit(0);
		}
		close(p[1]);
		char got[16] = "";
		ssize_t k = 0, n;
		while ((n = read(p[0], got + k, sizeof got - 1 - (size_t)k)) > 0)
			k += n;
		close(p[0]);
		waitpid(pid, &st, 0);
		CHECK(strcmp(got, "12H") == 0, "held: '%s'", got);
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "held: %#x", st);
	}
	printf("%d checks, %d failed\n", checks, failures);
	return failures != 0;
}
