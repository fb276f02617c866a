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
/* Register a hook that fatal() runs before exiting (at most 8): it
 * removes what a failed run must not leave (a temporary file, a ledger
 * the run created).  The hooks also run when the run is killed by SIGTERM,
 * SIGINT or SIGHUP (fatal_signals_init) and when it is cut off (cut_off),
 * last registered first, once.  A hook must be harmless when it runs after
 * the action it guards succeeded but before off_fatal(). */
void on_fatal(void (*hook)(void *), void *arg);
void off_fatal(void (*hook)(void *), void *arg);
/* True while the hooks run inside a signal handler: a hook may then do
 * only async-signal-safe work (close, unlink, stat; no free, no stdio,
 * no write that could block). */
bool fatal_in_handler(void);
/* At start-up (common_init): SIGTERM, SIGINT and SIGHUP run the hooks,
 * then end the process by the signal with its default action (a signal
 * ignored at start stays ignored); SIGPIPE is ignored, so that a write to
 * a reader that went away fails with EPIPE and the writer calls cut_off().
 * The comment in util.c says why this is safe. */
void fatal_signals_init(void);
/* Block the fatal signals while a file that a hook removes is created and
 * its hook registered, so that none exists without its hook.  Nested
 * holds are counted. */
void signals_hold(void);
void signals_release(void);
/* The reader of the output went away (EPIPE, or a pipe left unread: see
 * csvout_confirm): not an error to report, but the output was not
 * completely written.  Run the hooks (a temporary file and a ledger the
 * run created are removed), then end by SIGPIPE with its default action,
 * as a Unix filter does. */
noreturn void cut_off(void);

/* First of 2, 3, 1 wins (common.md, exit status). */
int exit_status(long rejected, int alert);

#endif
