/* holidays.c — the holidays table. */
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "holidays.h"
#include "util.h"

/* MM-DD: a day of every year. */
static bool
yearly(struct str v, int *m, int *d)
{
	if (v.n != 5 || v.p[2] != '-')
		return false;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (v.p[i] < '0' || v.p[i] > '9'))
			return false;
	*m = (v.p[0] - '0') * 10 + (v.p[1] - '0');
	*d = (v.p[3] - '0') * 10 + (v.p[4] - '0');
	return date_valid(2024, *m, *d);	/* a leap year: 02-29 is valid */
}

void
holidays_read(struct holidays *hs, const char *path)
{
	struct stream t;
	struct record r;
	int cdate, cregion;
	const struct column spec[] = {
		{ "date", true, &cdate }, { "region", false, &cregion }, { NULL, 0, 0 }
	};

	table_open(&t, path, "holidays");
	stream_columns(&t, spec);
	while (stream_next(&t, &r)) {
		struct row w;
		struct holiday h = { DAY_NONE, 0, 0, { "", 0 } };
		struct str v, region = { "", 0 };

		row_start(&w, NULL, &t, &r, ROW_CONFIG);	/* fatal if bad */
		if (get_str(&w, cdate, REQUIRED, &v) < 0)
			continue;
		if (!yearly(v, &h.month, &h.mday)) {
			if (v.n == 5 && v.p[2] == '-')
				row_bad(&w, cdate, "invalid date",
				    "expected MM-DD for a day of every year");
			get_date(&w, cdate, REQUIRED, &h.day);
		}
		get_str(&w, cregion, OPTIONAL, &region);
		if (str_eq_cstr_ci(region, "all"))
			region.n = 0;
		h.region = (struct str){ xmemdup(region.p, region.n), region.n };
		hs->h = xrealloc(hs->h, (hs->n + 1) * sizeof *hs->h);
		hs->h[hs->n++] = h;
	}
	stream_close(&t);
}

bool
holiday_on(const struct holidays *hs, day_t d, struct str region)
{
	int y, m, dd;

	civil_from_days(d, &y, &m, &dd);
	for (size_t i = 0; i < hs->n; i++) {
		const struct holiday *h = &hs->h[i];
		if (h->day == DAY_NONE ? h->month != m || h->mday != dd :
		    h->day != d)
			continue;
		if (h->region.n == 0 || str_eq_ci(h->region, region))
			return true;
	}
	return false;
}

void
holidays_free(struct holidays *hs)
{
	for (size_t i = 0; i < hs->n; i++)
		free((char *)hs->h[i].region.p);
	free(hs->h);
	hs->h = NULL;
	hs->n = 0;
}
