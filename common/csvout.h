/* csvout.h — writing CSV/TSV: minimal quoting, --crlf, --excel-safe, TSV
 * escapes, large buffered writes, every write checked, and -o FILE
 * replaced atomically (common.md, "Writing CSV").
 *
 * - A failed write is fatal: "PROG: write error: FILE: REASON" (FILE is
 *   "standard output" for stdout), exit 2; the fatal hooks run (util.h).
 * - A write that fails with EPIPE (the reader went away: `| head`) cuts
 *   the run off: nothing is reported, nothing more is written, the hooks
 *   run, and the process ends by SIGPIPE (cut_off() in util.h; SIGPIPE
 *   itself is ignored from start-up, fatal_signals_init()).
 * - -o FILE: written to .FILE.XXXXXX beside it (the name cut to fit
 *   NAME_MAX), then fsync, rename over FILE, fsync of the directory.  A
 *   failed, killed (SIGTERM, SIGINT, SIGHUP) or cut-off run leaves the old
 *   FILE as it was and no temporary file; only kill -9 leaves the
 *   temporary.  A FILE that is not a regular file (a FIFO, a device,
 *   /dev/stdout on a pipe) is written into, never replaced.  A symbolic
 *   link is kept and its target written (created, when the link dangles),
 *   except a link in a sticky world-writable directory (/tmp) owned by
 *   neither the user running nor the directory's owner: refused, fatal, as
 *   the kernel's fs.protected_symlinks refuses it for the shell's `>`.
 * - File names in messages have their control bytes escaped (str_msg).
 */
#ifndef AS_CSVOUT_H
#define AS_CSVOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "csvin.h"
#include "str.h"

struct csvout;

/* PATH NULL or "-" writes standard output. */
struct csvout *csvout_open(const char *path, struct dialect d, bool crlf,
    bool excel_safe);
void csvout_field(struct csvout *w, const char *p, size_t n);
void csvout_str(struct csvout *w, struct str s);
/* N fields of a row, in one call. */
void csvout_fields(struct csvout *w, const struct str *f, size_t n);
/* A field the program made only of ASCII letters, digits and _.:+- (a
 * date, a number, a status): written as csvout_field() would, without
 * looking for bytes that need quotes unless the delimiter is one of those
 * (or --excel-safe or TSV is on).  The caller guarantees the bytes. */
void csvout_known(struct csvout *w, const char *p, size_t n);
/* csvout_fields() where is_known[i] says field i is such a field. */
void csvout_fields_known(struct csvout *w, const struct str *f,
    const unsigned char *is_known, size_t n);
void csvout_cstr(struct csvout *w, const char *s);
void csvout_int(struct csvout *w, long long v);
void csvout_empty(struct csvout *w);
void csvout_endrow(struct csvout *w);
/* Write all fields of a record, then end the row if end is true. */
void csvout_record(struct csvout *w, const struct record *r, bool end);
/* Raw bytes, no quoting (for --field lists, iCalendar). */
void csvout_raw(struct csvout *w, const char *p, size_t n);
/* Flush, fsync and rename into place (with -o), check stdout. Fatal on
 * error; cut off (util.h) when the reader went away.  With
 * csvout_confirm() on and the output a pipe or a FIFO, it returns only
 * once the reader has taken every byte. */
void csvout_close(struct csvout *w);
/* For a program that records what it wrote (a ledger): output that fits
 * in a pipe's buffer is "written" at once, even when the reader (`head
 * -1`) exits without reading it.  With ON, csvout_close() on a pipe or a
 * FIFO waits until the reader has taken every byte (then the output was
 * delivered), or has gone away with bytes unread (then the run is cut
 * off: the hooks run, a ledger the run created is removed, the process
 * ends by SIGPIPE).  A reader that neither reads nor exits is waited for.
 * No effect on files and devices. */
void csvout_confirm(struct csvout *w, bool on);
/* The file that an output named PATH writes: a symbolic link's target,
 * followed (up to 40 links) even when it dangles; a link that
 * fs.protected_symlinks would refuse (see above) is fatal.  Allocated. */
char *csvout_target(const char *path);
/* Discard: remove the temporary file (run by fatal()). */
void csvout_abort(struct csvout *w);
/* At start-up: occupy closed descriptors 0-2 so no file takes their place. */
void guard_std_fds(void);
/* Standard output was closed at start-up (guard_std_fds): nothing written
 * to it arrives anywhere, a write error ("Bad file descriptor"). */
bool csvout_stdout_closed(void);

#endif
