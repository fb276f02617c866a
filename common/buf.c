/* buf.c — a growing byte buffer. */
#include <stdlib.h>

#include "buf.h"
#include "util.h"

void
buf_grow(struct buf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 256;

	while (cap - b->n < need) {
		if (cap > ((size_t)-1) / 2)
			fatal("out of memory");
		cap *= 2;
	}
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

void
buf_free(struct buf *b)
{
	free(b->p);
	*b = (struct buf){ NULL, 0, 0 };
}

const char *
buf_cstr(struct buf *b)
{
	buf_putc(b, '\0');
	b->n--;
	return b->p;
}
