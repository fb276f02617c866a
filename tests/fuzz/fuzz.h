/* fuzz.h — shared pieces of the libFuzzer targets (tests/fuzz/run.sh).
 *
 * fatal() ends a program with exit(2); a fuzz target must survive it.  The
 * targets register FUZZ_TRY's hook with on_fatal(): die() runs it, and it
 * longjmps back into the target, which then frees what the aborted call
 * held.  The reader and writer are compiled for fuzzing with read and write
 * renamed (-Dread=fuzz_read in csvin.c, -Dwrite=fuzz_write in csvout.c), so
 * that standard input is served from memory in chunks of chosen sizes and
 * standard output is captured in memory: no system call per input, and the
 * same bytes can be cut in every possible way.
 */
#ifndef AS_FUZZ_H
#define AS_FUZZ_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

extern jmp_buf fuzz_jb;
extern FILE *fuzz_err;		/* the real stderr (stderr is silenced) */

/* Arm the fatal() trap; call right after setjmp(fuzz_jb) returned 0. */
void fuzz_trap(void);
/* Disarm it (the guarded code returned normally). */
void fuzz_untrap(void);

/* Serve standard input from P, N bytes; each read() returns at most the
 * next chunk size: seed 0 gives everything at once, otherwise a pseudo-
 * random sequence of sizes up to 2^(seed%12), derived from the seed. */
void fuzz_input(const uint8_t *p, size_t n, unsigned seed);
/* Capture standard output in memory from now on. */
void fuzz_capture_start(void);
const char *fuzz_captured(size_t *n);
void fuzz_capture_stop(void);

/* The messages of fatal() and warnmsg() since the last reset. */
void fuzz_msg_reset(void);
const char *fuzz_msg(void);

ssize_t fuzz_read(int fd, void *buf, size_t cap);
ssize_t fuzz_write(int fd, const void *buf, size_t n);

/* Abort with a message: libFuzzer saves the input that did it. */
#define FUZZ_CHECK(cond, ...) do { if (!(cond)) { \
	fprintf(fuzz_err, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
	fprintf(fuzz_err, __VA_ARGS__); fputc('\n', fuzz_err); abort(); } } while (0)

/* The same bytes (either side may be empty with a null pointer). */
static inline bool
fuzz_same(const void *a, size_t an, const void *b, size_t bn)
{
	return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

#endif
