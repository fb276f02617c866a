/* mailout.h — delivering messages (built with mail.h: LF line ends).
 *
 * - An mbox file (RFC 4155, mboxrd quoting) holds the run's messages: it
 *   is written as -o is (csvout.h: a temporary file renamed over FILE at
 *   mailout_close(), so a failed run leaves the old file as it was; "-"
 *   or NULL is standard output).  A write error is fatal.  A message is
 *   delivered when mailout_close() returns.
 * - A Maildir (the qmail layout that Dovecot, Courier, mutt and Python's
 *   mailbox read): DIR and its tmp/, new/ and cur/ are made (mode 0700)
 *   when missing.  Each message is written to tmp/NAME, synced, and
 *   renamed into new/NAME: a reader never sees half a message.  NAME is
 *   "SECONDS.MusecPpidQn.HOST", unique on the host.  A message that cannot
 *   be written fails alone (its file is removed); new/ is synced at
 *   mailout_close().
 * - A command: each message is piped to /bin/sh -c CMD (such as
 *   "/usr/sbin/sendmail -t -oi"), with the given variables added to its
 *   environment.  The command's standard output goes to standard error
 *   (it is a diagnostic: it must not mix with the program's output).  The
 *   message is delivered when the command read all of it and exited 0; a
 *   non-zero exit, a signal, or a command that stops reading fails that
 *   message alone.  SIGPIPE is held off while a message is written.
 */
#ifndef AS_MAILOUT_H
#define AS_MAILOUT_H

#include <stddef.h>

#include "datetime.h"
#include "str.h"

struct mailout;

struct mailout *mailout_mbox(const char *path);
/* Fatal when DIR cannot be made, or is not a Maildir that can be written. */
struct mailout *mailout_maildir(const char *dir);
struct mailout *mailout_command(const char *cmd);

/* Deliver MSG.  SENDER and T make an mbox's From_ line; ENV (NULL, or
 * NAME, VALUE, ..., NULL) is added to a command's environment.  0, or -1
 * with the reason in WHY (CAP bytes): that message was not delivered. */
int mailout_put(struct mailout *o, struct str sender, tstamp t,
    const char *const *env, struct str msg, char *why, size_t cap);
/* Finish and free: the mbox renamed into place, new/ synced.  Fatal on a
 * write error. */
void mailout_close(struct mailout *o);

#endif
