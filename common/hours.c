/* hours.c — business hours and business-time arithmetic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hours.h"
#include "str.h"
#include "util.h"

static const char *const dayname[7] = {
	"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
};

void
hours_init(struct hours *h)
{
	memset(h, 0, sizeof *h);
	for (int i = 0; i < 7; i++) {
		h->nwin[i] = 1;
		h->win[i][0].open = 0;
		h->win[i][0].close = 86400;
	}
}

void
hours_free(struct hours *h)
{
	free(h->once);
	h->once = NULL;
	h->nonce = h->capon = 0;
}

/* The forms accepted, for the messages (a refused value says them). */
static const char SPEC_FORM[] =
    "days, then windows: 'Mon-Fri 09:00-13:00,14:00-18:00; Sat 09:00-14:00'";
static const char DAY_FORM[] =
    "Mon .. Sun, a range such as Mon-Fri, or a list such as Mon,Wed";
static const char WINDOW_FORM[] = "HH:MM-HH:MM, 24:00 allowed as an end";

/* "WHAT 'S' (expected EXPECTED)" into err; returns -1. */
static int
seterr(char *err, size_t cap, const char *what, struct str s,
    const char *expected)
{
	char v[64];
	snprintf(err, cap, "%s '%s' (expected %s)", what,
	    str_msg(v, sizeof v, s), expected);
	return -1;
}

/* A day name, any case: 0..6, or -1. */
static int
parse_day(struct str s)
{
	s = str_trim(s);
	for (int i = 0; i < 7; i++)
		if (str_eq_cstr_ci(s, dayname[i]))
			return i;
	return -1;
}

static int
cmpwin(const void *a, const void *b)
{
	const struct hours_window *x = a, *y = b;
	return (x->open > y->open) - (x->open < y->open);
}

int
hours_parse(struct hours *h, const char *spec, char *err, size_t cap)
{
	struct str rest = str_of(spec), group;
	bool named[7] = { false };
	int ngroups = 0;

	for (int i = 0; i < 7; i++)
		h->nwin[i] = 0;
	h->set = true;
	while (str_next_token(&rest, ';', &group)) {
		group = str_trim(group);
		if (group.n == 0)
			continue;
		/* The days end where the first window (a digit) starts. */
		size_t k = 0;
		while (k < group.n && !(group.p[k] >= '0' && group.p[k] <= '9'))
			k++;
		struct str days = str_trim((struct str){ group.p, k });
		struct str wins = { group.p + k, group.n - k };
		if (days.n == 0)
			return seterr(err, cap, "no days in", group, SPEC_FORM);
		if (wins.n == 0)
			return seterr(err, cap, "no windows in", group, SPEC_FORM);

		bool these[7] = { false };
		struct str dl = days, item;
		while (str_next_token(&dl, ',', &item)) {
			item = str_trim(item);
			const char *dash = memchr(item.p, '-', item.n);
			int a, b;
			if (dash) {
				a = parse_day((struct str){ item.p, (size_t)(dash - item.p) });
				b = parse_day((struct str){ dash + 1,
				    item.n - (size_t)(dash + 1 - item.p) });
			} else
				a = b = parse_day(item);
			if (a < 0 || b < 0)
				return seterr(err, cap, "bad day", item, DAY_FORM);
			for (int d = a;; d = (d + 1) % 7) {	/* Sat-Mon wraps */
				if (named[d] || these[d]) {
					char m[32];
					snprintf(m, sizeof m, "%s named twice in", dayname[d]);
					return seterr(err, cap, m, str_of(spec),
					    "each day in one group only");
				}
				these[d] = true;
				if (d == b)
					break;
			}
		}

		struct hours_window w[HOURS_MAXWIN];
		int nw = 0;
		struct str wl = wins;
		while (str_next_token(&wl, ',', &item)) {
			item = str_trim(item);
			const char *dash = memchr(item.p, '-', item.n);
			int o, c;
			if (!dash ||
			    parse_hhmm(str_trim((struct str){ item.p, (size_t)(dash - item.p) }), &o, false) ||
			    parse_hhmm(str_trim((struct str){ dash + 1, item.n - (size_t)(dash + 1 - item.p) }), &c, true))
				return seterr(err, cap, "bad window", item,
				    WINDOW_FORM);
			if (o >= c)
				return seterr(err, cap, "window ends before it starts",
				    item, WINDOW_FORM);
			if (nw == HOURS_MAXWIN)
				return seterr(err, cap, "too many windows in", group,
				    "at most 16 windows a day");
			w[nw].open = o;
			w[nw].close = c;
			nw++;
		}
		if (nw == 0)
			return seterr(err, cap, "no windows in", group, SPEC_FORM);
		qsort(w, (size_t)nw, sizeof w[0], cmpwin);
		for (int i = 1; i < nw; i++)
			if (w[i].open < w[i - 1].close)
				return seterr(err, cap, "overlapping windows in",
				    group, "windows that touch at most");
		for (int d = 0; d < 7; d++) {
			if (!these[d])
				continue;
			named[d] = true;
			h->nwin[d] = nw;
			memcpy(h->win[d], w, sizeof w[0] * (size_t)nw);
		}
		ngroups++;
	}
	if (ngroups == 0)
		return seterr(err, cap, "no open hours in", str_of(spec),
		    SPEC_FORM);
	return 0;
}

void
hours_add_holiday(struct hours *h, day_t d)
{
	if (h->nonce == h->capon) {
		h->capon = h->capon ? 2 * h->capon : 64;
		h->once = xrealloc(h->once, h->capon * sizeof *h->once);
	}
	h->once[h->nonce++] = d;
	h->any_holiday = true;
}

void
hours_add_yearly(struct hours *h, int month, int day)
{
	if (month >= 1 && month <= 12 && day >= 1 && day <= 31) {
		h->yearly[month][day] = 1;
		h->any_holiday = true;
	}
}

static int
cmpday(const void *a, const void *b)
{
	day_t x = *(const day_t *)a, y = *(const day_t *)b;
	return (x > y) - (x < y);
}

void
hours_done(struct hours *h)
{
	if (h->nonce > 1)
		qsort(h->once, h->nonce, sizeof *h->once, cmpday);
}

static bool
is_holiday(const struct hours *h, day_t d)
{
	if (!h->any_holiday)
		return false;
	size_t lo = 0, hi = h->nonce;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->once[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < h->nonce && h->once[lo] == d)
		return true;
	int y, m, dd;
	civil_from_days(d, &y, &m, &dd);
	return h->yearly[m][dd] != 0;
}

bool
hours_open_day(const struct hours *h, day_t d)
{
	return h->nwin[weekday(d)] > 0 && !is_holiday(h, d);
}

/* Real start and end of window W of day D. */
static void
window_real(day_t d, const struct hours_window *w, tstamp *s, tstamp *e)
{
	*s = w->open == 86400 ? local_to_utc(d + 1, 0) : local_to_utc(d, w->open);
	*e = w->close == 86400 ? local_to_utc(d + 1, 0) : local_to_utc(d, w->close);
}

/* The last close of open day D. */
static tstamp
day_close(const struct hours *h, day_t d)
{
	int wd = weekday(d);
	tstamp s, e;
	window_real(d, &h->win[wd][h->nwin[wd] - 1], &s, &e);
	return e;
}

/* The real time of open day D's windows from FROM on: sorted, disjoint
 * intervals [s[i], e[i]); their number.  A wall time in a daylight-saving
 * gap moves forward by the gap (datetime.h), so a window in the gap can
 * land on real time of a later window, or end before it starts: each real
 * second is counted once, in the union of the windows. */
static int
day_real(const struct hours *h, day_t d, tstamp from, tstamp *s, tstamp *e)
{
	int wd = weekday(d), n = 0, m = 0;

	for (int i = 0; i < h->nwin[wd]; i++) {
		tstamp ws, we;
		window_real(d, &h->win[wd][i], &ws, &we);
		if (ws < from)
			ws = from;
		if (we <= ws)
			continue;
		int k = n++;	/* by start: out of order only in a gap */
		for (; k > 0 && s[k - 1] > ws; k--) {
			s[k] = s[k - 1];
			e[k] = e[k - 1];
		}
		s[k] = ws;
		e[k] = we;
	}
	for (int i = 0; i < n; i++)
		if (m > 0 && s[i] <= e[m - 1]) {
			if (e[i] > e[m - 1])
				e[m - 1] = e[i];
		} else {
			s[m] = s[i];
			e[m] = e[i];
			m++;
		}
	return m;
}

int
hours_add(const struct hours *h, tstamp t, int64_t secs, tstamp *out)
{
	if (!h->set && !h->any_holiday) {
		*out = t + secs;
		return 0;
	}
	int64_t rem = secs;
	int closed = 0;
	tstamp from = t, s[HOURS_MAXWIN], e[HOURS_MAXWIN];
	for (day_t d = local_date(t); closed < HOURS_SCAN_DAYS; d++) {
		if (!hours_open_day(h, d)) {
			closed++;
			continue;
		}
		closed = 0;
		/* From the end of the day before: its windows may reach into
		 * this day only through a gap at midnight. */
		int n = day_real(h, d, from, s, e);
		for (int i = 0; i < n; i++) {
			if (e[i] - s[i] >= rem) {
				*out = s[i] + rem;
				return 0;
			}
			rem -= e[i] - s[i];
		}
		if (n > 0)
			from = e[n - 1];
	}
	return -1;
}

int64_t
hours_between(const struct hours *h, tstamp a, tstamp b)
{
	int64_t sum = 0;
	tstamp from = a, s[HOURS_MAXWIN], e[HOURS_MAXWIN];

	if (b <= a)
		return 0;
	if (!h->set && !h->any_holiday)
		return b - a;
	for (day_t d = local_date(a), last = local_date(b); d <= last; d++) {
		if (!hours_open_day(h, d))
			continue;
		int n = day_real(h, d, from, s, e);
		for (int i = 0; i < n && s[i] < b; i++)
			sum += (e[i] < b ? e[i] : b) - s[i];
		if (n > 0)
			from = e[n - 1];
	}
	return sum;
}

int
hours_add_days(const struct hours *h, tstamp t, int64_t n, tstamp *out)
{
	int closed = 0;
	int64_t count = 0;
	for (day_t d = local_date(t) + 1; closed < HOURS_SCAN_DAYS; d++) {
		if (!hours_open_day(h, d)) {
			closed++;
			continue;
		}
		closed = 0;
		if (++count >= n) {
			*out = day_close(h, d);
			return 0;
		}
	}
	return -1;
}

int
hours_eod(const struct hours *h, tstamp t, tstamp *out)
{
	day_t d = local_date(t);
	if (!h->set) {
		*out = local_to_utc(d + 1, 0);
		return 0;
	}
	if (hours_open_day(h, d)) {
		tstamp c = day_close(h, d);
		if (t <= c) {
			*out = c;
			return 0;
		}
	}
	return hours_add_days(h, t, 1, out);
}
