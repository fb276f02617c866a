/* outcols.h — the output columns of a filter: the input columns, unchanged
 * and in order, then the computed ones; a computed column whose name the
 * input already has (an earlier run's output) is filled in place, so that no
 * name appears twice and a program can run again on its own output. */
#ifndef AS_OUTCOLS_H
#define AS_OUTCOLS_H

#include <stddef.h>

#include "csvout.h"
#include "stream.h"

struct outcols {
	size_t nin, ncomp;
	int *in_place;		/* per input column: computed index, or -1 */
	int *appended;		/* computed columns after the input ones */
	size_t nappended;
	const char *const *names;
	struct str *row;	/* the fields of a row, written in one call */
	unsigned char *known;	/* per output column: csvout_known(), or NULL */
};

/* NAMES: the ncomp computed column names. Matched ignoring case/space. */
void outcols_init(struct outcols *oc, const struct stream *s,
    const char *const *names, size_t ncomp);
/* KNOWN[ncomp]: which computed columns the program makes only of the bytes
 * of csvout_known() (dates, numbers, statuses). */
void outcols_known(struct outcols *oc, const unsigned char *known);
/* The header line. */
void outcols_header(const struct outcols *oc, struct csvout *w,
    const struct stream *s);
/* One row: the record's fields with COMPUTED[ncomp] placed; ends the row. */
void outcols_row(const struct outcols *oc, struct csvout *w,
    const struct record *r, const struct str *computed);
void outcols_free(struct outcols *oc);

#endif
