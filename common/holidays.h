/* holidays.h — the one holidays table of a union (common.md, "Holidays"):
 * column `date`, either a date (that day; --date-format applies) or MM-DD
 * (that day every year; 02-29 in leap years), and an optional `region`
 * (empty or `all`: every region), which programs with regions honour and
 * others ignore.  A table that configures the run: an invalid row is
 * fatal, FILE:LINE. */
#ifndef AS_HOLIDAYS_H
#define AS_HOLIDAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "datetime.h"
#include "str.h"

struct holiday {
	day_t day;		/* a one-off holiday, or DAY_NONE */
	int month, mday;	/* a yearly one (when day is DAY_NONE) */
	struct str region;	/* owned; empty: every region */
};

struct holidays {
	struct holiday *h;
	size_t n;
};

/* Read PATH into HS (appending). */
void holidays_read(struct holidays *hs, const char *path);
/* Is day D a holiday in REGION (compared ignoring ASCII case; an empty
 * REGION: holidays of every region only)? */
bool holiday_on(const struct holidays *hs, day_t d, struct str region);
void holidays_free(struct holidays *hs);

#endif
