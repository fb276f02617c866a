/* ledger.h — a program's ledger of what it has said, so that a nightly
 * job says each thing once (common.md, "Ledgers"): svc-remind,
 * survey-invite, contract-remind.
 *
 * - It is the program's own file: comma CSV, UTF-8, ISO dates; the
 *   options that read other input (--date-format, --encoding, --na,
 *   --map) do not apply.  Its header must be the program's: any other is
 *   fatal at ledger_open(), before any output is written (it fails
 *   closed: a ledger it cannot read must not re-send everything).
 * - Behind a symbolic link it is the link's target (created there when
 *   missing, even when the link dangles).  "-" is a file of that name,
 *   never standard output.  Created if missing, except by
 *   a dry run; a ledger the run created is removed again when the run
 *   fails, is killed by SIGTERM/SIGINT/SIGHUP, or its output is cut off.
 * - Its directory must be writable (the ledger is replaced there): fatal
 *   at ledger_open() otherwise.
 * - The run holds an exclusive lock on it from ledger_open() to
 *   ledger_close() (a dry run: a shared one); a second run waits up to 60
 *   seconds (AFTERSALES_LOCK_WAIT, in seconds, for the tests), then exits
 *   2 naming the ledger.
 * - Every row is kept as it was read, readable or not (and those the
 *   program never asked for with ledger_next()), unless the program drops it (an entry that can no longer hide anything: each program's
 *   rule); rows the program adds come after them.
 * - ledger_commit() rewrites it atomically (temporary file, fsync, rename,
 *   fsync of the directory), and only when something changed; call it
 *   only after the output was completely written (app_finish returned).
 */
#ifndef AS_LEDGER_H
#define AS_LEDGER_H

#include <stdbool.h>
#include <stddef.h>

#include "field.h"
#include "opts.h"
#include "str.h"

#define LEDGER_LOCK_WAIT 60	/* seconds */

struct ledger;

/* Lock and open PATH, whose columns are COLS (NULL-terminated), and check
 * its header.  With DRY_RUN nothing is created or changed. */
struct ledger *ledger_open(struct app *a, const char *path,
    const char *const *cols, bool dry_run);
/* The next row with the ledger's number of fields: 1, with W set up to
 * read it (ROW_OWN: a bad value is reported, and the row is kept as it
 * is) and *index its index for ledger_drop(); 0 at the end.  A row with
 * another number of fields is reported and kept, and not returned. */
int ledger_next(struct ledger *l, struct row *w, size_t *index);
/* Leave row INDEX out when the ledger is rewritten. */
void ledger_drop(struct ledger *l, size_t index);
/* A new row: one field per column, in the columns' order. */
void ledger_add(struct ledger *l, const struct str *fields);
/* The rows read so far, and those added. */
size_t ledger_rows(const struct ledger *l);
/* Rewrite the ledger when rows were added or dropped, or the run created
 * it.  Nothing with a dry run.  Fatal (exit 2) when it cannot be written:
 * the old ledger stays. */
void ledger_commit(struct ledger *l);
/* Unlock and free.  A ledger the run created and did not commit is
 * removed. */
void ledger_close(struct ledger *l);

#endif
