/* util.c — memory, messages, the fatal path. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *progname = "aftersales";

struct hook {
	void (*fn)(void *);
	void *arg;
};
static struct hook hooks[8];
static int nhooks;

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

void
on_fatal(void (*fn)(void *), void *arg)
{
	if (nhooks < (int)(sizeof hooks / sizeof hooks[0]))
		hooks[nhooks++] = (struct hook){ fn, arg };
}

void
off_fatal(void (*fn)(void *), void *arg)
{
	for (int i = 0; i < nhooks; i++)
		if (hooks[i].fn == fn && hooks[i].arg == arg) {
			hooks[i] = hooks[--nhooks];
			return;
		}
}

static noreturn void
die(void)
{
	/* Hooks run last-registered first, and only once. */
	while (nhooks > 0) {
		struct hook h = hooks[--nhooks];
		h.fn(h.arg);
	}
	exit(EXIT_FATAL);
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
