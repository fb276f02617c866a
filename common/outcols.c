/* outcols.c — input columns, then computed ones (in place when present). */
#include <stdlib.h>

#include "outcols.h"
#include "util.h"

void
outcols_init(struct outcols *oc, const struct stream *s,
    const char *const *names, size_t ncomp)
{
	oc->nin = s->header.nf;
	oc->ncomp = ncomp;
	oc->names = names;
	oc->in_place = xmalloc((oc->nin ? oc->nin : 1) * sizeof *oc->in_place);
	oc->appended = xmalloc((ncomp ? ncomp : 1) * sizeof *oc->appended);
	oc->row = xmalloc((oc->nin + ncomp + 1) * sizeof *oc->row);
	oc->nappended = 0;
	oc->known = NULL;
	for (size_t i = 0; i < oc->nin; i++)
		oc->in_place[i] = -1;
	for (size_t c = 0; c < ncomp; c++) {
		struct str want = str_of(names[c]);
		size_t i;
		/* By the header's own name: --map does not rename output. */
		for (i = 0; i < oc->nin; i++)
			if (oc->in_place[i] == -1 &&
			    str_eq_ci(str_trim(s->header.f[i]), want))
				break;
		if (i < oc->nin)
			oc->in_place[i] = (int)c;
		else
			oc->appended[oc->nappended++] = (int)c;
	}
}

void
outcols_known(struct outcols *oc, const unsigned char *known)
{
	size_t n = 0;

	free(oc->known);
	oc->known = xcalloc(oc->nin + oc->nappended + 1, 1);
	for (size_t i = 0; i < oc->nin; i++, n++)
		if (oc->in_place[i] >= 0)
			oc->known[n] = known[oc->in_place[i]];
	for (size_t k = 0; k < oc->nappended; k++, n++)
		oc->known[n] = known[oc->appended[k]];
}

void
outcols_header(const struct outcols *oc, struct csvout *w,
    const struct stream *s)
{
	for (size_t i = 0; i < oc->nin; i++)
		csvout_str(w, s->header.f[i]);
	for (size_t k = 0; k < oc->nappended; k++)
		csvout_cstr(w, oc->names[oc->appended[k]]);
	csvout_endrow(w);
}

void
outcols_row(const struct outcols *oc, struct csvout *w,
    const struct record *r, const struct str *computed)
{
	struct str *f = oc->row;
	size_t n = 0;

	for (size_t i = 0; i < oc->nin; i++) {
		int c = oc->in_place[i];
		f[n++] = c >= 0 ? computed[c]
		    : i < r->nf ? r->f[i] : (struct str){ "", 0 };
	}
	for (size_t k = 0; k < oc->nappended; k++)
		f[n++] = computed[oc->appended[k]];
	if (oc->known != NULL)
		csvout_fields_known(w, f, oc->known, n);
	else
		csvout_fields(w, f, n);
	csvout_endrow(w);
}

void
outcols_free(struct outcols *oc)
{
	free(oc->in_place);
	free(oc->appended);
	free(oc->row);
	free(oc->known);
}
