/* rowstore.c — records packed in large blocks.
 *
 * A record is its number of fields, their lengths, then their bytes, in
 * one piece of a block: getting it back reads one place.  Blocks are never
 * moved (a growing buffer would copy everything kept so far each time it
 * doubles): a new one, twice the size of the last up to 8 MiB, is started
 * when the current one is full; they come from huge_alloc(), so that a
 * million rows cost few page faults. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "rowstore.h"
#include "util.h"

#define FIRST_BLOCK ((size_t)64 << 10)	/* a few rows cost little */
#define BLOCK_MAX ((size_t)8 << 20)

size_t
rowstore_add(struct rowstore *s, const struct str *f, size_t nf)
{
	size_t need = sizeof(uint32_t) * (nf + 1);
	uint32_t k = (uint32_t)nf;

	for (size_t i = 0; i < nf; i++)
		need += f[i].n;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->rec = xrealloc(s->rec, s->cap * sizeof *s->rec);
	}
	if (need > s->left) {
		size_t next = s->nblocks == 0 ? FIRST_BLOCK :
		    FIRST_BLOCK << (s->nblocks < 7 ? s->nblocks : 7);
		size_t sz = need > next ? need : next;
		s->blocks = xrealloc(s->blocks, (s->nblocks + 1) * sizeof *s->blocks);
		s->p = s->blocks[s->nblocks++] = huge_alloc(sz);
		s->left = sz;
	}
	char *p = s->p;
	s->rec[s->n] = p;
	memcpy(p, &k, sizeof k);
	p += sizeof k;
	for (size_t i = 0; i < nf; i++) {
		uint32_t len = (uint32_t)f[i].n;	/* fields are at most 1 MiB */
		memcpy(p, &len, sizeof len);
		p += sizeof len;
	}
	for (size_t i = 0; i < nf; i++) {
		memcpy(p, f[i].p, f[i].n);
		p += f[i].n;
	}
	/* The next record 4-byte aligned: its lengths are read as words. */
	size_t used = ((size_t)(p - s->p) + 3) & ~(size_t)3;
	s->p += used < s->left ? used : s->left;
	s->left -= used < s->left ? used : s->left;
	return s->n++;
}

void
rowstore_get(struct rowstore *s, size_t i, struct record *r)
{
	const char *p = s->rec[i];
	uint32_t nf;

	memcpy(&nf, p, sizeof nf);
	if (nf > s->fcap) {
		s->fcap = nf * 2;
		s->f = xrealloc(s->f, s->fcap * sizeof *s->f);
	}
	const uint32_t *len = (const uint32_t *)(const void *)(p + sizeof nf);
	const char *b = p + sizeof nf + nf * sizeof *len;
	for (uint32_t j = 0; j < nf; j++) {
		s->f[j] = (struct str){ b, len[j] };
		b += len[j];
	}
	*r = (struct record){ nf, s->f, 0, NULL };
}

void
rowstore_free(struct rowstore *s)
{
	for (size_t i = 0; i < s->nblocks; i++)
		free(s->blocks[i]);
	free(s->blocks);
	free(s->rec);
	free(s->f);
	memset(s, 0, sizeof *s);
}
