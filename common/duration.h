/* duration.h — policy durations of complaint-sla: Nm, Nh, Nd (real time),
 * Nbh (business hours), Nbd (close of the N-th business day after the day
 * of receipt), eod (end of the business day). */
#ifndef AS_DURATION_H
#define AS_DURATION_H

#include <stdint.h>

#include "datetime.h"
#include "hours.h"
#include "str.h"

#define DURATION_MAX_N 100000	/* largest N accepted */

enum dur_kind { DUR_NONE, DUR_REAL, DUR_BH, DUR_BD, DUR_EOD };

struct duration {
	enum dur_kind kind;
	int64_t n;		/* seconds (DUR_REAL, DUR_BH) or days (DUR_BD) */
};

/* Trims; empty is DUR_NONE.  Units in any ASCII case.  0 or -1. */
int duration_parse(struct str s, struct duration *d);
/* The deadline of D counted from T.  0, or -1 when no business time was
 * found (hours.h).  D must not be DUR_NONE.  0bd is eod. */
int duration_apply(const struct duration *d, const struct hours *h, tstamp t,
    tstamp *out);

#endif
