/* rowstore.h — records kept for later, compactly: a program that must see
 * every row before it decides (contract-remind: renewals; notify: groups
 * of a recipient; a ledger: rows written back) keeps their fields packed
 * in one growing buffer (a field's length, then its bytes), not one
 * allocation per field.  About 4 bytes per field and 8 per record beyond
 * the bytes themselves. */
#ifndef AS_ROWSTORE_H
#define AS_ROWSTORE_H

#include <stddef.h>

#include "csvin.h"
#include "str.h"

struct rowstore {
	char *bytes;
	size_t nbytes, capbytes;
	size_t *off;		/* where record i starts */
	size_t n, cap;
	struct str *f;		/* the fields of the last record got */
	size_t fcap;
};

/* Keep NF fields; returns the record's index (0, 1, ...). */
size_t rowstore_add(struct rowstore *s, const struct str *f, size_t nf);
/* Record I as a struct record (file NULL, line 0): its fields stay valid
 * until the next rowstore_get() or rowstore_add(). */
void rowstore_get(struct rowstore *s, size_t i, struct record *r);
void rowstore_free(struct rowstore *s);

#endif
