/* roster.c — what every command of duty-roster reads: decimal figures,
 * regions, the members file, roster rows; and the who rule, which audit
 * follows too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duty-roster.h"
#include "util.h"

/* ---- decimal figures -------------------------------------------------- */

#define MILLI_MAX 1000000000000000LL	/* 10^12 with three decimals */

const char DECIMAL_EXPECTED[] =
    "a number with up to three decimals, such as 0, 1 or 1.25";
const char POSITIVE_EXPECTED[] =
    "a number above 0 with up to three decimals, such as 1 or 1.25";

int
parse_milli(struct str s, long long *out)
{
	size_t i = 0, nd = 0, nf = 0;
	long long v = 0;

	s = str_trim(s);
	for (; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++, nd++) {
		v = v * 10 + (s.p[i] - '0');
		if (v > MILLI_MAX / MILLI)
			return -1;
	}
	if (nd == 0)
		return -1;
	v *= MILLI;
	if (i < s.n && (s.p[i] == '.' || s.p[i] == ',')) {
		long long scale = MILLI / 10;
		for (i++; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++, nf++) {
			if (nf >= 3)
				return -1;
			v += (s.p[i] - '0') * scale;
			scale /= 10;
		}
		if (nf == 0)
			return -1;
	}
	if (i != s.n)
		return -1;
	*out = v;
	return 0;
}

size_t
fmt_milli(char *buf, long long v)
{
	bool neg = v < 0;
	unsigned long long u = neg ? -(unsigned long long)v : (unsigned long long)v;
	unsigned frac = (unsigned)(u % MILLI);
	int n = sprintf(buf, "%s%llu", neg ? "-" : "", u / MILLI);

	if (frac) {
		char f[4];
		int k = 3;
		snprintf(f, sizeof f, "%03u", frac);
		while (k > 0 && f[k - 1] == '0')
			k--;
		n += sprintf(buf + n, ".%.*s", k, f);
	}
	return (size_t)n;
}

int
get_milli(struct row *w, int col, enum need need, bool positive,
    long long *out)
{
	struct str v;
	long long x;
	int rc = get_str(w, col, need, &v);

	if (rc != 1)
		return rc;
	if (parse_milli(v, &x) != 0 || (positive && x == 0))
		return row_bad(w, col, "invalid number", "expected %s",
		    positive ? POSITIVE_EXPECTED : DECIMAL_EXPECTED);
	*out = x;
	return 1;
}

void
bad_option(const char *opt, const char *what, const char *arg,
    const char *expected)
{
	char val[256];

	warnmsg("%s: invalid %s '%s' (expected %s)", opt, what,
	    str_msg(val, sizeof val, str_of(arg)), expected);
	usage();
}

/* ---- regions ---------------------------------------------------------- */

static struct str
region_key(struct str name)
{
	name = str_trim(name);
	return name.n > 0 && !field_unknown(name) ? name : STR_C("all");
}

void
regions_init(struct map *rg)
{
	map_init(rg, true);
}

size_t
region_add(struct map *rg, struct str name)
{
	return *map_put(rg, region_key(name), map_count(rg), NULL);
}

long
region_find(const struct map *rg, struct str name)
{
	return map_index(rg, region_key(name));
}

const char *
region_name(const struct map *rg, size_t i)
{
	return rg->e[i].key.p;
}

bool
region_is_all(struct str name)
{
	return str_eq_cstr_ci(region_key(name), "all");
}

void
regions_list(const struct map *rg, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < map_count(rg) && len + 1 < cap; i++) {
		int k = snprintf(buf + len, cap - len, "%s%s", i ? ", " : "",
		    region_name(rg, i));
		if (k < 0 || (size_t)k >= cap - len) {
			snprintf(buf + (cap > 4 ? cap - 4 : 0), cap > 4 ? 4 : cap,
			    "...");
			break;
		}
		len += (size_t)k;
	}
}

/* ---- members ---------------------------------------------------------- */

static int
cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	return x->from < y->from ? -1 : x->from > y->from;
}

/* Sorted ranges, those that touch or overlap merged: the unavailability
 * is then a binary search. */
static size_t
ranges_merge(struct range *v, size_t n)
{
	size_t k = 0;

	if (n < 2)
		return n;
	qsort(v, n, sizeof *v, cmp_range);
	for (size_t i = 1; i < n; i++) {
		if (v[i].from <= v[k].to + 1) {
			if (v[i].to > v[k].to)
				v[k].to = v[i].to;
		} else
			v[++k] = v[i];
	}
	return k + 1;
}

/* One item of `unavailable`: a date, or DATE..DATE (both included). */
static int
unavailable_item(struct row *w, int col, struct str item, struct range *r)
{
	struct str t = str_trim(item);

	for (size_t i = 0; i + 1 < t.n; i++)
		if (t.p[i] == '.' && t.p[i + 1] == '.') {
			struct str a = str_trim((struct str){ t.p, i });
			struct str b = str_trim((struct str){ t.p + i + 2,
			    t.n - i - 2 });
			if (a.n == 0 || b.n == 0)
				return row_bad_item(w, col, t, "invalid range",
				    "expected DATE..DATE, such as "
				    "2027-01-02..2027-01-06");
			if (get_date_item(w, col, a, &r->from) < 0 ||
			    get_date_item(w, col, b, &r->to) < 0)
				return -1;
			if (r->to < r->from)
				return row_bad_item(w, col, t, "invalid range",
				    "expected an end on or after the start");
			return 1;
		}
	if (get_date_item(w, col, t, &r->from) < 0)
		return -1;
	r->to = r->from;
	return 1;
}

/* `unavailable`: dates and ranges separated by ';' (empty items
 * skipped), into M's sorted, merged ranges. */
static int
unavailable_read(struct row *w, int col, struct member *m)
{
	struct str rest = row_value(w, col), tok;
	size_t cap = 0;

	while (str_next_token(&rest, ';', &tok)) {
		struct range r;
		if (str_trim(tok).n == 0)
			continue;
		if (unavailable_item(w, col, tok, &r) < 0) {
			free(m->unav);
			m->unav = NULL;
			m->nunav = 0;
			return -1;
		}
		if (m->nunav == cap) {
			cap = cap ? 2 * cap : 4;
			m->unav = xrealloc(m->unav, cap * sizeof *m->unav);
		}
		m->unav[m->nunav++] = r;
	}
	m->nunav = ranges_merge(m->unav, m->nunav);
	return 1;
}

bool
member_unavailable(const struct member *m, day_t d)
{
	size_t lo = 0, hi = m->nunav;

	while (lo < hi) {		/* the first range with to >= d */
		size_t mid = (lo + hi) / 2;
		if (m->unav[mid].to < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nunav && m->unav[lo].from <= d;
}

static struct str
str_own(struct str s)
{
	return (struct str){ xmemdup(s.p, s.n), s.n };
}

void
members_read(struct app *a, struct stream *s, enum row_kind kind,
    struct members *ms)
{
	static const char *const roles[] = { "duty", "finance", NULL };
	struct record rec;
	int cm, cn, cp, cr, cro, cw, cs, cu;
	const struct column spec[] = {
		{ "member", true, &cm }, { "name", false, &cn },
		{ "phone", false, &cp }, { "region", false, &cr },
		{ "role", false, &cro }, { "weight", false, &cw },
		{ "share", false, &cs }, { "unavailable", false, &cu },
		{ NULL, false, NULL }
	};

	memset(ms, 0, sizeof *ms);
	map_init(&ms->ids, false);		/* identifiers match exactly */
	stream_columns(s, spec);
	while (stream_next(s, &rec)) {
		struct member m = { 0 };
		struct str id, region = STR_C("all");
		struct row w;
		int role = 0;

		if (!row_start(&w, a, s, &rec, kind))
			continue;
		m.weight = MILLI;
		m.share = MILLI;
		if (get_str(&w, cm, REQUIRED, &id) < 0)
			continue;
		if (map_get(&ms->ids, id) != NULL) {
			row_bad(&w, cm, "duplicate member", NULL);
			continue;
		}
		if (get_choice(&w, cro, OPTIONAL, "role", roles, &role) < 0 ||
		    get_milli(&w, cw, OPTIONAL, true, &m.weight) < 0 ||
		    get_milli(&w, cs, OPTIONAL, false, &m.share) < 0 ||
		    unavailable_read(&w, cu, &m) < 0 ||
		    get_str(&w, cr, OPTIONAL, &region) < 0)
			continue;
		m.finance = role == 1;
		m.id = xmemdup(id.p, id.n);
		m.name = str_own(row_text(&w, cn));
		m.phone = str_own(row_text(&w, cp));
		m.region = xmemdup(region.p, region.n);
		if (ms->n == ms->cap) {
			ms->cap = ms->cap ? 2 * ms->cap : 64;
			ms->m = xrealloc(ms->m, ms->cap * sizeof *ms->m);
		}
		map_put(&ms->ids, id, ms->n, NULL);
		ms->m[ms->n++] = m;
	}
}

struct member *
member_find(const struct members *ms, struct str id)
{
	size_t *i = map_get(&ms->ids, id);

	return i != NULL ? &ms->m[*i] : NULL;
}

void
members_free(struct members *ms)
{
	for (size_t i = 0; i < ms->n; i++) {
		free(ms->m[i].id);
		free((char *)ms->m[i].name.p);
		free((char *)ms->m[i].phone.p);
		free(ms->m[i].region);
		free(ms->m[i].unav);
	}
	free(ms->m);
	map_free(&ms->ids);
	memset(ms, 0, sizeof *ms);
}

/* ---- roster rows ------------------------------------------------------ */

const char *const status_names[] = { "assigned", "override", "uncovered",
	NULL };

int
shift_read(struct row *w, const struct roster_cols *c, struct map *rg,
    struct shift *x)
{
	int st = ST_ASSIGNED;
	struct str region = STR_C("all");

	*x = (struct shift){ 0 };
	if (get_choice(w, c->status, OPTIONAL, "status", status_names, &st) < 0 ||
	    get_time(w, c->start, REQUIRED, &x->start, NULL) < 0 ||
	    (c->end >= 0 && get_time(w, c->end, REQUIRED, &x->end, NULL) < 0))
		return -1;
	if (c->end >= 0 && x->end <= x->start)
		return row_bad(w, c->end, "not after start", NULL);
	x->status = (enum status)st;
	if (get_str(w, c->member, st == ST_UNCOVERED ? OPTIONAL : REQUIRED,
	    &x->member) < 0)
		return -1;
	if (st == ST_UNCOVERED)
		x->member = STR_C("");
	if (c->load >= 0 && get_milli(w, c->load, c->load_need >> st & 1 ?
	    REQUIRED : OPTIONAL, false, &x->load) < 0)
		return -1;
	get_str(w, c->region, OPTIONAL, &region);
	if (rg != NULL)
		x->region = region_add(rg, region);
	x->sday = local_date(x->start);
	return 1;
}

void
roster_init(struct roster *ro)
{
	memset(ro, 0, sizeof *ro);
	regions_init(&ro->rg);
	ro->text.next = 64 << 10;	/* most rosters are small */
}

void
roster_push(struct roster *ro, const struct shift *x)
{
	if (ro->n == ro->cap) {
		ro->cap = ro->cap ? 2 * ro->cap : 256;
		ro->r = xrealloc(ro->r, ro->cap * sizeof *ro->r);
	}
	ro->r[ro->n] = *x;
	ro->r[ro->n].member = arena_str(&ro->text, x->member);
	ro->r[ro->n].order = (long)ro->n;
	ro->n++;
}

void
roster_read(struct roster *ro, struct app *a, struct stream *s,
    enum row_kind kind, const struct roster_cols *c)
{
	struct record rec;

	while (stream_next(s, &rec)) {
		struct row w;
		struct shift x;
		if (row_start(&w, a, s, &rec, kind) &&
		    shift_read(&w, c, &ro->rg, &x) == 1)
			roster_push(ro, &x);
	}
}

void
roster_free(struct roster *ro)
{
	free(ro->r);
	map_free(&ro->rg);
	arena_free(&ro->text);
	memset(ro, 0, sizeof *ro);
}

int
cmp_shift_start(const void *a, const void *b)
{
	const struct shift *x = *(struct shift *const *)a;
	const struct shift *y = *(struct shift *const *)b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* An override row always counts; an uncovered one never; an assigned one
 * unless an override covers the time where it serves (the region asked
 * about, or its own when every region is asked about) or in `all`: that
 * is how a swap or a stand-in is entered. */
bool
counts_on_duty(enum status st, bool overridden)
{
	return st == ST_OVERRIDE || (st == ST_ASSIGNED && !overridden);
}
