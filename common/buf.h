/* buf.h — a growing byte buffer, reused from one message to the next so
 * that building a text costs no allocation once it has reached its size.
 * The bytes are not NUL-terminated (buf_cstr() adds one). */
#ifndef AS_BUF_H
#define AS_BUF_H

#include <stddef.h>
#include <string.h>

#include "str.h"

struct buf {
	char *p;
	size_t n, cap;
};

/* Room for NEED more bytes (fatal when memory runs out). */
void buf_grow(struct buf *b, size_t need);
void buf_free(struct buf *b);

static inline void
buf_put(struct buf *b, const char *p, size_t n)
{
	if (b->cap - b->n < n)
		buf_grow(b, n);
	if (n > 0)
		memcpy(b->p + b->n, p, n);
	b->n += n;
}

static inline void
buf_putc(struct buf *b, char c)
{
	if (b->n == b->cap)
		buf_grow(b, 1);
	b->p[b->n++] = c;
}

static inline void
buf_str(struct buf *b, struct str s)
{
	buf_put(b, s.p, s.n);
}

static inline void
buf_cat(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

static inline struct str
buf_view(const struct buf *b)
{
	return (struct str){ b->n ? b->p : "", b->n };
}

/* The text so far, NUL-terminated (the NUL is not counted in n). */
const char *buf_cstr(struct buf *b);

#endif
