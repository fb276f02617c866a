/* arena.c — bump allocation from large blocks. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "arena.h"
#include "util.h"

#define BIG_MAX ((size_t)64 << 20)	/* blocks grow up to this size */

void *
huge_alloc(size_t n)
{
	void *p;

	if (n < HUGE_PAGE) {
		if (posix_memalign(&p, 64, n ? n : 64) != 0)
			fatal("out of memory");
		return p;
	}
	n = (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	if (posix_memalign(&p, HUGE_PAGE, n) != 0)
		fatal("out of memory");
#ifdef MADV_HUGEPAGE
	(void)madvise(p, n, MADV_HUGEPAGE);
#endif
	return p;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	void *r;

	n = (n + 15) & ~(size_t)15;
	if (n > a->left) {
		if (a->next == 0)
			a->next = HUGE_PAGE;
		size_t sz = n > a->next ? n : a->next;
		/* Small first blocks (next set below HUGE_PAGE: a map of a
		 * few keys) are plain memory; large ones huge pages. */
		a->p = huge_alloc(sz);
		a->left = sz;
		a->blocks = xrealloc(a->blocks, (a->nblocks + 1) * sizeof *a->blocks);
		a->blocks[a->nblocks++] = a->p;
		if (a->next < BIG_MAX)
			a->next *= 2;
	}
	r = a->p;
	a->p += n;
	a->left -= n;
	return r;
}

struct str
arena_str(struct arena *a, struct str s)
{
	char *p = arena_alloc(a, s.n + 1);

	if (s.n)
		memcpy(p, s.p, s.n);
	p[s.n] = '\0';
	return (struct str){ p, s.n };
}

void
arena_free(struct arena *a)
{
	for (size_t i = 0; i < a->nblocks; i++)
		free(a->blocks[i]);
	free(a->blocks);
	a->blocks = NULL;
	a->nblocks = 0;
	a->p = NULL;
	a->left = 0;
}
