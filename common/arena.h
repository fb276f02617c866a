/* arena.h — memory for tables and per-vehicle state: many small pieces
 * taken from large blocks and freed all at once, so that no row costs a
 * malloc().  Blocks are aligned to 2 MiB and offered to the kernel for huge
 * pages: such state is looked up at random, and TLB misses count. */
#ifndef AS_ARENA_H
#define AS_ARENA_H

#include <stddef.h>

#include "str.h"

struct arena {
	char *p;
	size_t left;
	size_t next;		/* size of the next block (0: 2 MiB); it
				 * doubles up to 64 MiB */
	void **blocks;		/* every block, for arena_free */
	size_t nblocks;
};

#define HUGE_PAGE ((size_t)2 << 20)

/* Memory for a table looked up at random (free it with free()): from
 * HUGE_PAGE bytes on, aligned to it and offered for huge pages; smaller,
 * aligned to a cache line. */
void *huge_alloc(size_t n);

/* N bytes, aligned to 16. */
void *arena_alloc(struct arena *a, size_t n);
/* A NUL-terminated copy of S. */
struct str arena_str(struct arena *a, struct str s);
/* Free every block; the arena can be used again. */
void arena_free(struct arena *a);

#endif
