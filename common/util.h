/* util.h — memory, messages and the fatal path shared by every program. */
#ifndef AS_UTIL_H
#define AS_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdnoreturn.h>

/* Exit statuses of common.md. */
enum { EXIT_OK = 0, EXIT_REJECTED = 1, EXIT_FATAL = 2, EXIT_ALERT = 3 };

extern const char *progname;

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xmemdup(const char *p, size_t n);	/* NUL-terminated copy */

/* "PROG: message" on stderr. */
void warnmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A warning (a near-miss header, text not UTF-8, an odometer rollback):
 * as warnmsg(), unless -q. */
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern bool quiet;
/* "PROG: message", run the fatal hooks (remove temporary files), exit 2. */
noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As fatal(), with ": strerror(errno)" appended. */
noreturn void fatal_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Register a hook that fatal() runs before exiting (at most 8). */
void on_fatal(void (*hook)(void *), void *arg);
void off_fatal(void (*hook)(void *), void *arg);

/* First of 2, 3, 1 wins (common.md, exit status). */
int exit_status(long rejected, int alert);

#endif
