/* rowstore.c — records packed in one buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rowstore.h"
#include "util.h"

static void
room(struct rowstore *s, size_t n)
{
	if (s->nbytes + n <= s->capbytes)
		return;
	while (s->nbytes + n > s->capbytes)
		s->capbytes = s->capbytes ? s->capbytes * 2 : 65536;
	s->bytes = xrealloc(s->bytes, s->capbytes);
}

size_t
rowstore_add(struct rowstore *s, const struct str *f, size_t nf)
{
	size_t need = sizeof(uint32_t) * (nf + 1);
	uint32_t k = (uint32_t)nf;

	for (size_t i = 0; i < nf; i++)
		need += f[i].n;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->off = xrealloc(s->off, s->cap * sizeof *s->off);
	}
	room(s, need);
	char *p = s->bytes + s->nbytes;
	s->off[s->n] = s->nbytes;
	memcpy(p, &k, sizeof k);
	p += sizeof k;
	for (size_t i = 0; i < nf; i++) {
		uint32_t len = (uint32_t)f[i].n;	/* fields are at most 1 MiB */
		memcpy(p, &len, sizeof len);
		if (len > 0)
			memcpy(p + sizeof len, f[i].p, len);
		p += sizeof len + len;
	}
	s->nbytes += need;
	return s->n++;
}

void
rowstore_get(struct rowstore *s, size_t i, struct record *r)
{
	const char *p = s->bytes + s->off[i];
	uint32_t nf;

	memcpy(&nf, p, sizeof nf);
	p += sizeof nf;
	if (nf > s->fcap) {
		s->fcap = nf * 2;
		s->f = xrealloc(s->f, s->fcap * sizeof *s->f);
	}
	for (uint32_t j = 0; j < nf; j++) {
		uint32_t len;
		memcpy(&len, p, sizeof len);
		s->f[j] = (struct str){ p + sizeof len, len };
		p += sizeof len + len;
	}
	*r = (struct record){ nf, s->f, 0, NULL };
}

void
rowstore_free(struct rowstore *s)
{
	free(s->bytes);
	free(s->off);
	free(s->f);
	memset(s, 0, sizeof *s);
}
