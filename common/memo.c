/* memo.c — a direct-mapped memo of results of short texts. */
#include <stdlib.h>
#include <string.h>

#include "memo.h"
#include "util.h"

struct memo_entry {
	uint64_t hash;
	uint32_t len;		/* UINT32_MAX: empty */
	char *text;		/* MEMO_TEXT_MAX bytes, allocated on first use */
	unsigned char *result;
};

struct memo {
	size_t result_size;
	struct memo_entry e[MEMO_ENTRIES];
};

struct memo *
memo_new(size_t result_size)
{
	struct memo *m = xcalloc(1, sizeof *m);

	m->result_size = result_size;
	for (size_t i = 0; i < MEMO_ENTRIES; i++)
		m->e[i].len = UINT32_MAX;
	return m;
}

const void *
memo_get(struct memo *m, struct str text, uint64_t *hash)
{
	if (text.n > MEMO_TEXT_MAX)
		return NULL;
	uint64_t h = str_hash(text);
	struct memo_entry *e = &m->e[h & (MEMO_ENTRIES - 1)];

	*hash = h;
	if (e->len == text.n && e->hash == h &&
	    memcmp(e->text, text.p, text.n) == 0)
		return e->result;
	return NULL;
}

void
memo_put(struct memo *m, struct str text, uint64_t hash, const void *result)
{
	if (text.n > MEMO_TEXT_MAX)
		return;
	struct memo_entry *e = &m->e[hash & (MEMO_ENTRIES - 1)];

	if (e->text == NULL) {
		e->text = xmalloc(MEMO_TEXT_MAX);
		e->result = xmalloc(m->result_size ? m->result_size : 1);
	}
	memcpy(e->text, text.p, text.n);
	memcpy(e->result, result, m->result_size);
	e->len = (uint32_t)text.n;
	e->hash = hash;
}

void
memo_free(struct memo *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < MEMO_ENTRIES; i++) {
		free(m->e[i].text);
		free(m->e[i].result);
	}
	free(m);
}
