/* map.c — string keys to size_t values, in insertion order. */
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "util.h"

void
map_init(struct map *m, bool ignore_case)
{
	memset(m, 0, sizeof *m);
	m->ci = ignore_case;
	m->keys.next = 4096;	/* most maps hold a few names */
}

static uint64_t
hash(const struct map *m, struct str k)
{
	return m->ci ? str_hash_ci(k) : str_hash(k);
}

/* The slot of KEY: its entry's, or the empty one where it would go. */
static struct map_slot *
find(const struct map *m, struct str k, uint64_t h)
{
	size_t mask = m->nslot - 1;
	uint32_t tag = (uint32_t)(h >> 32);

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct map_slot *s = &m->slot[i];
		if (s->idx == 0)
			return s;
		if (s->tag != tag)
			continue;
		const struct map_entry *e = &m->e[s->idx - 1];
		/* Codes are mostly spelled as the table first had them:
		 * the exact comparison first, cheaper than the caseless. */
		if (e->hash == h && e->key.n == k.n && (str_eq(e->key, k) ||
		    (m->ci && str_eq_ci(e->key, k))))
			return s;
	}
}

#define GROW_AHEAD 16

static void
grow(struct map *m)
{
	size_t n = m->nslot ? m->nslot * 2 : 64;

	free(m->slot);
	/* A large table is looked up at random: huge pages (fewer TLB misses
	 * and page faults). */
	m->slot = huge_alloc(n * sizeof *m->slot);
	memset(m->slot, 0, n * sizeof *m->slot);
	m->nslot = n;
	/* The keys are distinct: each goes to the first empty slot of its
	 * probe, where find() would put it, without a key compared.  The
	 * slots of a large map are written at random: the slot of the entry
	 * GROW_AHEAD on is loaded meanwhile. */
	size_t mask = n - 1;
	for (size_t i = 0; i < m->n; i++) {
		if (i + GROW_AHEAD < m->n)
			__builtin_prefetch(&m->slot[m->e[i + GROW_AHEAD].hash & mask], 1);
		size_t j = m->e[i].hash & mask;
		while (m->slot[j].idx != 0)
			j = (j + 1) & mask;
		m->slot[j] = (struct map_slot){ (uint32_t)(i + 1),
			(uint32_t)(m->e[i].hash >> 32) };
	}
}

size_t *
map_get(const struct map *m, struct str key)
{
	return map_get_hashed(m, key, hash(m, key));
}

long
map_index(const struct map *m, struct str key)
{
	if (m->n == 0)
		return -1;
	struct map_slot *s = find(m, key, hash(m, key));
	return s->idx ? (long)s->idx - 1 : -1;
}

uint64_t
map_hash(const struct map *m, struct str key)
{
	return hash(m, key);
}

size_t *
map_get_hashed(const struct map *m, struct str key, uint64_t h)
{
	if (m->n == 0)
		return NULL;
	struct map_slot *s = find(m, key, h);
	return s->idx ? &m->e[s->idx - 1].val : NULL;
}

const size_t *
map_prefetch(const struct map *m, uint64_t h, int stage)
{
	if (m->n == 0)
		return NULL;
	size_t mask = m->nslot - 1;
	uint32_t tag = (uint32_t)(h >> 32);

	if (stage == 0) {
		__builtin_prefetch(&m->slot[h & mask]);
		return NULL;
	}
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		const struct map_slot *s = &m->slot[i];
		if (s->idx == 0)
			return NULL;
		if (s->tag != tag)
			continue;
		const struct map_entry *e = &m->e[s->idx - 1];
		if (stage == 1) {
			__builtin_prefetch(e);
			return NULL;
		}
		if (e->hash == h) {
			__builtin_prefetch(e->key.p);
			return &e->val;
		}
	}
}

/* The entries of a large map are read at random too: huge pages, as its
 * slots (a copy when they grow, where realloc would fault in every page
 * of the new part one by one). */
static void
grow_entries(struct map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 16;
	struct map_entry *e = huge_alloc(cap * sizeof *e);

	if (m->n > 0)
		memcpy(e, m->e, m->n * sizeof *e);
	free(m->e);
	m->e = e;
	m->cap = cap;
}

size_t *
map_put(struct map *m, struct str key, size_t val, bool *isnew)
{
	uint64_t h = hash(m, key);

	if (isnew != NULL)
		*isnew = false;
	if ((m->n + 1) * 4 > m->nslot * 3)	/* at most 3/4 full */
		grow(m);
	struct map_slot *s = find(m, key, h);
	if (s->idx != 0)
		return &m->e[s->idx - 1].val;
	if (m->n == UINT32_MAX - 1)
		fatal("too many keys");
	if (m->n == m->cap)
		grow_entries(m);
	m->e[m->n] = (struct map_entry){ arena_str(&m->keys, key), h, val };
	*s = (struct map_slot){ (uint32_t)++m->n, (uint32_t)(h >> 32) };
	if (isnew != NULL)
		*isnew = true;
	return &m->e[m->n - 1].val;
}

void
map_free(struct map *m)
{
	free(m->e);
	free(m->slot);
	arena_free(&m->keys);
	bool ci = m->ci;
	map_init(m, ci);
}
