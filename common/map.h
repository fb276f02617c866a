/* map.h — one string map for every program: byte-string keys (copied, so
 * the map owns them) to a size_t value, exact or ignoring ASCII case;
 * entries kept in insertion order, so that a loop over them is
 * deterministic.  Open addressing (linear probing) over 8-byte slots that
 * hold an entry's index and part of its hash.
 *
 * Values are usually indices into the program's own arrays (a member, a
 * plan, a group).  A pointer returned by map_get() or map_put() stays
 * valid until the next map_put(). */
#ifndef AS_MAP_H
#define AS_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "str.h"

struct map_entry {
	struct str key;		/* owned, NUL-terminated */
	uint64_t hash;
	size_t val;
};

struct map {
	struct map_entry *e;	/* in insertion order */
	size_t n, cap;
	struct map_slot {	/* 0 = empty */
		uint32_t idx;	/* entry index + 1 */
		uint32_t tag;	/* the high half of the key's hash: a probe
				 * passes other keys without reading them */
	} *slot;
	size_t nslot;		/* a power of two */
	bool ci;		/* keys compared ignoring ASCII case */
	struct arena keys;
};

/* An empty map; IGNORE_CASE for codes (plans, regions, statuses). */
void map_init(struct map *m, bool ignore_case);
/* The value of KEY, or NULL. */
size_t *map_get(const struct map *m, struct str key);
/* The value of KEY; a new entry with VAL when KEY is not there (then
 * *isnew, when not NULL, is true). */
size_t *map_put(struct map *m, struct str key, size_t val, bool *isnew);
/* The index (insertion order) of KEY's entry, or -1. */
long map_index(const struct map *m, struct str key);
/* The hash of KEY as M computes it (exactly, or ignoring case), for
 * map_get_hashed() and map_prefetch(): a key looked up in stages is
 * hashed once. */
uint64_t map_hash(const struct map *m, struct str key);
/* map_get() of KEY whose map_hash() is HASH. */
size_t *map_get_hashed(const struct map *m, struct str key, uint64_t hash);
/* For a look-up of a row to come (its key read ahead, stream_peek_field):
 * a look-up of a large map waits for memory three times, for the slot,
 * the entry and the key's bytes.  map_prefetch(m, hash, 0) starts loading
 * the slot of the key whose map_hash() is HASH; some rows later (the slot
 * has arrived) stage 1 its entry; later again stage 2 the key's bytes,
 * and returns the value of the entry of that hash (probably the key's:
 * the key is not compared), or NULL, so that the program can start
 * loading its own data of it.  A stage reads only what the earlier
 * stages loaded (or a further slot or entry of a collision); nothing is
 * changed. */
const size_t *map_prefetch(const struct map *m, uint64_t hash, int stage);
static inline size_t
map_count(const struct map *m)
{
	return m->n;
}
void map_free(struct map *m);

#endif
