/* rowstore.h — records kept for later, compactly: a program that must see
 * every row before it decides (contract-remind: renewals; notify: groups
 * of a recipient; a ledger: rows written back) keeps their fields packed
 * in one growing buffer (a field's length, then its bytes), not one
 * allocation per field.  About 4 bytes per field and 12 per record beyond
 * the bytes themselves. */
#ifndef AS_ROWSTORE_H
#define AS_ROWSTORE_H

#include <stddef.h>

#include "csvin.h"
#include "str.h"

struct rowstore {
	char **blocks;		/* never moved: kept fields stay where they are */
	size_t nblocks;
	char *p;		/* free space of the current block */
	size_t left;
	char **rec;		/* where record i starts */
	size_t n, cap;
	struct str *f;		/* the fields of the last record got */
	size_t fcap;
};

/* Keep NF fields; returns the record's index (0, 1, ...). */
size_t rowstore_add(struct rowstore *s, const struct str *f, size_t nf);
/* Record I as a struct record (file NULL, line 0).  The bytes of its
 * fields stay valid until rowstore_free(); the array of fields (r->f)
 * until the next rowstore_get(). */
void rowstore_get(struct rowstore *s, size_t i, struct record *r);
void rowstore_free(struct rowstore *s);

#endif
