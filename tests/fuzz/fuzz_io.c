/* fuzz_io.c — fatal() trap, in-memory standard input and output (fuzz.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "util.h"

jmp_buf fuzz_jb;
FILE *fuzz_err;
static char *msg_p;		/* what fatal() and warnmsg() wrote */
static size_t msg_n;

/* fatal() and warnmsg() write to stderr: catch that in memory (a fuzz run
 * reads millions of malformed files, and the messages are compared), keep
 * the real stderr for FUZZ_CHECK.
 * Sanitizer reports write to descriptor 2 directly and are not affected. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	int fd = dup(STDERR_FILENO);
	fuzz_err = fd == -1 ? NULL : fdopen(fd, "w");
	if (fuzz_err == NULL)
		fuzz_err = stderr;
	else
		setvbuf(fuzz_err, NULL, _IONBF, 0);
	FILE *msgs = open_memstream(&msg_p, &msg_n);
	if (msgs != NULL && getenv("FUZZ_VERBOSE") == NULL)
		stderr = msgs;
	return 0;
}

void
fuzz_msg_reset(void)
{
	if (msg_p != NULL) {
		fflush(stderr);
		rewind(stderr);
		msg_p[0] = '\0';
		fflush(stderr);
	}
}

/* After the reset, a message shorter than one before it leaves the end
 * of that one in the buffer: glibc keeps its NUL at the end of all that
 * was written, not at the position.  fflush sets msg_n to the position. */
const char *
fuzz_msg(void)
{
	fflush(stderr);
	if (msg_p == NULL)
		return "";
	msg_p[msg_n] = '\0';
	return msg_p;
}

static void
trap_hook(void *arg)
{
	(void)arg;
	longjmp(fuzz_jb, 1);
}

void
fuzz_trap(void)
{
	on_fatal(trap_hook, NULL);
}

void
fuzz_untrap(void)
{
	off_fatal(trap_hook, NULL);
}

/* Standard input. */
static const uint8_t *in_p;
static size_t in_n, in_pos;
static uint32_t in_rng;
static unsigned in_bits;
static int in_active, in_chunked;

void
fuzz_input(const uint8_t *p, size_t n, unsigned seed)
{
	in_p = p;
	in_n = n;
	in_pos = 0;
	in_rng = seed * 2654435761u | 1;
	in_bits = seed % 12;
	in_chunked = seed != 0;
	in_active = 1;
}

ssize_t
fuzz_read(int fd, void *buf, size_t cap)
{
	if (fd != STDIN_FILENO || !in_active)
		return read(fd, buf, cap);
	size_t n = in_n - in_pos;
	if (in_chunked) {
		/* xorshift32: chunk sizes 1 .. 2^bits */
		in_rng ^= in_rng << 13;
		in_rng ^= in_rng >> 17;
		in_rng ^= in_rng << 5;
		size_t lim = 1 + (in_rng & ((1u << in_bits) - 1));
		if (n > lim)
			n = lim;
	}
	if (n > cap)
		n = cap;
	memcpy(buf, in_p + in_pos, n);
	in_pos += n;
	return (ssize_t)n;
}

/* Standard output. */
static char *out_p;
static size_t out_n, out_cap;
static int out_active;

void
fuzz_capture_start(void)
{
	out_n = 0;
	out_active = 1;
}

void
fuzz_capture_stop(void)
{
	out_active = 0;
}

const char *
fuzz_captured(size_t *n)
{
	*n = out_n;
	return out_p ? out_p : "";
}

ssize_t
fuzz_write(int fd, const void *buf, size_t n)
{
	if (fd != STDOUT_FILENO || !out_active)
		return write(fd, buf, n);
	if (out_n + n > out_cap) {
		while (out_n + n > out_cap)
			out_cap = out_cap ? out_cap * 2 : 65536;
		out_p = realloc(out_p, out_cap);
		if (out_p == NULL)
			abort();
	}
	memcpy(out_p + out_n, buf, n);
	out_n += n;
	return (ssize_t)n;
}
