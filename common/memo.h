/* memo.h — results of an expensive function of short texts, remembered:
 * workshops and call centres repeat their free text ("Oil change",
 * "замена масла"), so a pattern needs to run once per distinct text, not
 * once per row.  Direct-mapped with a fixed number of entries (a text
 * replaces the one in its slot); texts longer than MEMO_TEXT_MAX bytes are
 * never kept.  Results are RESULT_SIZE bytes, copied in and out.
 *
 *	const void *r = memo_get(m, text, &h);
 *	if (r == NULL) {
 *		compute(text, buf);
 *		memo_put(m, text, h, buf);	(only when compute succeeded)
 *	}
 */
#ifndef AS_MEMO_H
#define AS_MEMO_H

#include <stddef.h>
#include <stdint.h>

#include "str.h"

#define MEMO_ENTRIES 4096
#define MEMO_TEXT_MAX 256

struct memo;

struct memo *memo_new(size_t result_size);
/* The result kept for TEXT, or NULL.  *hash is set for memo_put(). */
const void *memo_get(struct memo *m, struct str text, uint64_t *hash);
/* Keep RESULT for TEXT (nothing when TEXT is too long). */
void memo_put(struct memo *m, struct str text, uint64_t hash,
    const void *result);
void memo_free(struct memo *m);

#endif
