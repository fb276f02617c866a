/* svc-remind — maintenance reminders from service history.
 *
 * Reads a maintenance schedule, optional recall campaigns and a ledger of
 * reminders already sent, then streams the service history once, keeping
 * per-vehicle state in a hash table keyed by VIN (an arena holds it: no
 * allocation per row).  At the end every vehicle's items are evaluated,
 * the rows are sorted, written, and the ledger is replaced atomically.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvin.h"
#include "csvout.h"
#include "datetime.h"
#include "num.h"
#include "opts.h"
#include "pattern.h"
#include "str.h"
#include "stream.h"
#include "arena.h"
#include "util.h"

#define SYNOPSIS \
	"-s SCHEDULE [--plan NAME] [--lead-days N] [--lead-km N] [--daily-km N]\n" \
	"       [--all] [--campaigns FILE] [--ledger FILE] [--repeat-days N] [--dry-run]\n" \
	"       [--alert] " COMMON_USAGE "\n" \
	"       [HISTORY ...]"

enum {
	OPT_PLAN = OPT_PROGRAM, OPT_LEAD_DAYS, OPT_LEAD_KM, OPT_DAILY_KM,
	OPT_ALL, OPT_CAMPAIGNS, OPT_LEDGER, OPT_REPEAT_DAYS, OPT_DRY_RUN,
	OPT_ALERT
};

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ "schedule",    required_argument, NULL, 's' },
	{ "plan",        required_argument, NULL, OPT_PLAN },
	{ "lead-days",   required_argument, NULL, OPT_LEAD_DAYS },
	{ "lead-km",     required_argument, NULL, OPT_LEAD_KM },
	{ "daily-km",    required_argument, NULL, OPT_DAILY_KM },
	{ "all",         no_argument,       NULL, OPT_ALL },
	{ "campaigns",   required_argument, NULL, OPT_CAMPAIGNS },
	{ "ledger",      required_argument, NULL, OPT_LEDGER },
	{ "repeat-days", required_argument, NULL, OPT_REPEAT_DAYS },
	{ "dry-run",     no_argument,       NULL, OPT_DRY_RUN },
	{ "alert",       no_argument,       NULL, OPT_ALERT },
	{ NULL, 0, NULL, 0 }
};

/* Limits that keep every date between 0001 and 9999. */
#define MONTHS_MAX 1200			/* 100 years */
#define DAY_NONE INT32_MIN

/* ---- hash of byte strings ------------------------------------------ */

/* Generic open-addressing table: entries hold a key (arena) and a value. */
struct hent {
	const char *key;
	size_t klen;
	uint64_t hash;
	void *val;
};

struct htab {
	struct hent *e;
	size_t cap, n;
};

static struct hent *
ht_slot(struct htab *t, const char *k, size_t n, uint64_t h)
{
	size_t i = h & (t->cap - 1);
	for (;;) {
		struct hent *e = &t->e[i];
		if (e->key == NULL || (e->hash == h && e->klen == n &&
		    memcmp(e->key, k, n) == 0))
			return e;
		i = (i + 1) & (t->cap - 1);
	}
}

static void
ht_grow(struct htab *t)
{
	size_t oc = t->cap;
	struct hent *oe = t->e;
	t->cap = oc ? oc * 2 : 1024;
	if (t->cap * sizeof *t->e >= HUGE_PAGE) {
		t->e = huge_alloc(t->cap * sizeof *t->e);
		memset(t->e, 0, t->cap * sizeof *t->e);
	} else
		t->e = xcalloc(t->cap, sizeof *t->e);
	for (size_t i = 0; i < oc; i++)
		if (oe[i].key != NULL)
			*ht_slot(t, oe[i].key, oe[i].klen, oe[i].hash) = oe[i];
	free(oe);
}

static void *
ht_get(struct htab *t, const char *k, size_t n)
{
	if (t->cap == 0)
		return NULL;
	struct hent *e = ht_slot(t, k, n, str_hash((struct str){ k, n }));
	return e->key ? e->val : NULL;
}

/* The entry for K, inserted (val NULL, key copied to the arena) if new. */
static struct hent *
ht_put(struct htab *t, struct arena *a, const char *k, size_t n)
{
	if ((t->n + 1) * 4 > t->cap * 3)
		ht_grow(t);
	uint64_t h = str_hash((struct str){ k, n });
	struct hent *e = ht_slot(t, k, n, h);
	if (e->key == NULL) {
		char *c = arena_alloc(a, n + 1);
		memcpy(c, k, n);
		c[n] = '\0';
		e->key = c;
		e->klen = n;
		e->hash = h;
		e->val = NULL;
		t->n++;
	}
	return e;
}

/* ---- schedule and campaigns ----------------------------------------- */

struct slot {			/* a way to recognise an item in services */
	char *name;
	size_t namelen;
	char *pat_src;		/* NULL: the name only */
	struct pattern *pat;
};

struct item {
	int plan, slot, order;
	char *name;		/* as the schedule spells it */
	long long months;	/* 0: none */
	long long km;		/* 0: none */
	long long lead_days, lead_km;
};

struct plan {
	char *name;
	int *items, nitems;
};

struct campaign {
	char *code, *title;
	size_t codelen;
	struct pattern *pat;
};

/* ---- per-vehicle state ---------------------------------------------- */

struct done {			/* last row that did an item */
	day_t d;		/* DAY_NONE: never */
	long long km;		/* -1: no usable reading */
} __attribute__((packed));	/* 12 bytes: a vehicle has one per item */

struct vehicle {			/* then its VIN, done[] and closed[] */
	uint32_t vinlen;
	uint32_t passcap;
	day_t fd, ld;		/* first and last reading (DAY_NONE: none) */
	day_t ed;		/* earliest row */
	day_t latest;		/* latest row: its passthrough fields */
	day_t plan_d;
	int plan;		/* -1: none given */
	uint32_t rank;		/* place in VIN order, for sorting */
	bool rollback;
	long long fk, lk;
	long long ek;
	long long est;		/* est_km, -1: none */
	struct done *done;	/* per slot */
	uint32_t *pass;		/* npass+1 offsets, then the bytes */
	const char *lfile;	/* latest row, for messages */
	long lline;
};
/* The hot fields and the VIN share the first 128 bytes of a vehicle. */
#define VIN(v) ((const char *)((v) + 1))
#define CLOSED(v) ((unsigned char *)((v)->done + P.nslots))

/* ---- output rows ---------------------------------------------------- */

enum status { ST_RECALL, ST_OVERDUE, ST_DUE_SOON, ST_OK, ST_UNKNOWN };
static const char *const status_name[] = {
	"recall", "overdue", "due_soon", "ok", "unknown"
};

enum { BY_NONE, BY_TIME, BY_KM, BY_CAMPAIGN };
static const char *const by_name[] = { "", "time", "km", "campaign" };

/* A row to write: small, since there may be millions to sort; the other
 * columns are computed again from the vehicle when it is written. */
struct orow {
	struct vehicle *v;
	day_t due;		/* DAY_NONE: empty */
	int32_t idx;		/* item or campaign */
	uint8_t kind;		/* 0 recall, 1 dated, 2 unknown */
	uint8_t st;		/* enum status */
	uint8_t by;
	uint8_t flags;		/* F_* */
};

enum { F_DEFAULT_RATE = 1, F_ROLLBACK = 2, F_NO_KM = 4, F_ZERO_RATE = 8 };

/* ---- the program ---------------------------------------------------- */

struct prog {
	struct app app;
	const char *schedule_path, *campaigns_path, *ledger_path;
	const char *plan_arg;
	bool plan_given, all, dry_run, alert;
	long long lead_days, lead_km, daily_km, repeat_days;
	bool repeat;

	struct slot *slots;
	int nslots;
	struct item *items;
	int nitems;
	struct plan *plans;
	int nplans;
	int default_plan;	/* -1: not in the schedule */
	struct campaign *camps;
	int ncamps;

	struct stream in;
	int c_vin, c_date, c_km, c_services, c_plan;
	int *pass_cols;
	int npass;

	struct arena arena;
	struct vslot { uint64_t tag; struct vehicle *v; } *vtab;
	size_t vtcap;
	struct vehicle **vlist;
	size_t nv, vcap;

	unsigned char *hit;	/* per slot, scratch of one row */
	int npat;		/* slots with a pattern */
	struct pcache {		/* services text -> slots its patterns match */
		uint64_t hash;
		uint32_t len;	/* UINT32_MAX: empty */
		char *text;	/* PCACHE_TEXT bytes, allocated on first use */
		unsigned char *mask;
	} *pcache;
	unsigned char *pmask;	/* scratch mask for uncached texts */
	unsigned char *chit;	/* per campaign */

	struct orow *rows;	/* in the order made */
	size_t nrows, rcap;
	uint32_t *order;	/* rows[order[i]]: the order written */

	/* ledger */
	int lfd;
	bool lcreated;
	struct htab ledger_exact;	/* vin \0 service \0 due -> sent */
	struct htab ledger_recall;	/* vin \0 service -> sent */
	struct lrec { size_t nf; struct str *f; } *lrecs;
	size_t nlrecs, lreccap;
	struct str *lheader;
	size_t nlheader;
	int l_vin, l_service, l_due, l_sent;
};

static struct prog P;

static void
opt_number(const char *opt, const char *arg, long long *out, long long min)
{
	if (parse_uint(arg, out) == -1 || *out < min || *out > COUNT_MAX) {
		warnmsg("%s: %s '%s'", opt,
		    min > 0 ? "not a positive integer" : "not a number", arg);
		usage_error(SYNOPSIS);
	}
}

static noreturn void
table_fatal(const struct record *r, const char *col, const char *why,
    const struct str *val)
{
	char buf[256];
	if (val) {
		str_cpy(buf, sizeof buf, *val);
		fatal("%s:%ld: %s: %s '%s'", r->file, r->line, col, why, buf);
	}
	if (col)
		fatal("%s:%ld: %s: %s", r->file, r->line, col, why);
	fatal("%s:%ld: %s", r->file, r->line, why);
}


static int
find_plan(struct str name)
{
	for (int i = 0; i < P.nplans; i++)
		if (str_eq_cstr_ci(name, P.plans[i].name))
			return i;
	return -1;
}

/* A count of a table cell: -1 if empty; fatal if invalid or < min. */
static long long
table_count(const struct stream *t, const struct record *r, int col,
    long long min, long long max)
{
	long long v;
	if (col < 0)
		return -1;
	struct str s = str_trim(r->f[col]);
	if (s.n == 0)
		return -1;
	if (parse_count(s, &v) == -1)
		table_fatal(r, stream_colname(t, col), "bad number", &r->f[col]);
	if (v < min)
		table_fatal(r, stream_colname(t, col), "must be positive", &r->f[col]);
	if (v > max)
		table_fatal(r, stream_colname(t, col), "too large", &r->f[col]);
	return v;
}

static void
read_schedule(void)
{
	struct stream t;
	struct record r;
	table_open(&t, P.schedule_path, "schedule");
	int c_plan = stream_need(&t, "plan"), c_svc = stream_need(&t, "service");
	int c_mon = stream_col(&t, "every_months"), c_km = stream_col(&t, "every_km");
	int c_ld = stream_col(&t, "lead_days"), c_lk = stream_col(&t, "lead_km");
	int c_pat = stream_col(&t, "pattern");
	if (c_mon < 0 && c_km < 0)
		stream_need(&t, "every_months");
	int icap = 0;
	while (stream_next(&t, &r)) {
		table_fields_ok(&t, &r);
		struct str pl = str_trim(r.f[c_plan]), sv = str_trim(r.f[c_svc]);
		if (pl.n == 0)
			table_fatal(&r, stream_colname(&t, c_plan), "missing value", NULL);
		if (sv.n == 0)
			table_fatal(&r, stream_colname(&t, c_svc), "missing value", NULL);
		if (str_eq(sv, STR_C("*")))
			table_fatal(&r, stream_colname(&t, c_svc), "reserved name", &r.f[c_svc]);
		struct item it = { 0 };
		it.months = table_count(&t, &r, c_mon, 1, MONTHS_MAX);
		it.km = table_count(&t, &r, c_km, 1, COUNT_MAX);
		if (it.months < 0 && it.km < 0)
			table_fatal(&r, "every_months/every_km", "both empty", NULL);
		if (it.months < 0)
			it.months = 0;
		if (it.km < 0)
			it.km = 0;
		it.lead_days = table_count(&t, &r, c_ld, 0, COUNT_MAX);
		it.lead_km = table_count(&t, &r, c_lk, 0, COUNT_MAX);
		if (it.lead_days < 0)
			it.lead_days = P.lead_days;
		if (it.lead_km < 0)
			it.lead_km = P.lead_km;
		int p = find_plan(pl);
		if (p < 0) {
			P.plans = xrealloc(P.plans, (P.nplans + 1) * sizeof *P.plans);
			p = P.nplans++;
			P.plans[p].name = xmemdup(pl.p, pl.n);
			P.plans[p].items = NULL;
			P.plans[p].nitems = 0;
		}
		struct plan *pp = &P.plans[p];
		for (int i = 0; i < pp->nitems; i++)
			if (str_eq_cstr_ci(sv, P.items[pp->items[i]].name)) {
				char buf[256];
				fatal("%s:%ld: %s: '%s' is already an item of plan '%s'",
				    r.file, r.line, stream_colname(&t, c_svc),
				    str_cpy(buf, sizeof buf, r.f[c_svc]), pp->name);
			}
		/* The slot: name and pattern. */
		struct str ps = { "", 0 };
		if (c_pat >= 0)
			ps = str_trim(r.f[c_pat]);
		int s;
		for (s = 0; s < P.nslots; s++)
			if (str_eq_cstr_ci(sv, P.slots[s].name) &&
			    (P.slots[s].pat_src ? ps.n > 0 &&
			    str_eq(ps, str_of(P.slots[s].pat_src)) : ps.n == 0))
				break;
		if (s == P.nslots) {
			P.slots = xrealloc(P.slots, (P.nslots + 1) * sizeof *P.slots);
			P.nslots++;
			P.slots[s].name = xmemdup(sv.p, sv.n);
			P.slots[s].namelen = sv.n;
			P.slots[s].pat_src = NULL;
			P.slots[s].pat = NULL;
			if (ps.n > 0) {
				char what[512];
				snprintf(what, sizeof what, "%s:%ld: %s", r.file, r.line,
				    stream_colname(&t, c_pat));
				P.slots[s].pat_src = xmemdup(ps.p, ps.n);
				P.slots[s].pat = pattern_compile(ps.p, ps.n, true, what);
			}
		}
		it.plan = p;
		it.slot = s;
		it.order = P.nitems;
		it.name = xmemdup(sv.p, sv.n);
		if (P.nitems == icap) {
			icap = icap ? icap * 2 : 16;
			P.items = xrealloc(P.items, icap * sizeof *P.items);
		}
		P.items[P.nitems] = it;
		pp->items = xrealloc(pp->items, (pp->nitems + 1) * sizeof(int));
		pp->items[pp->nitems++] = P.nitems++;
	}
	stream_close(&t);
	P.default_plan = find_plan(str_of(P.plan_arg));
	if (P.plan_given && P.default_plan < 0) {
		warnmsg("--plan: unknown plan '%s'", P.plan_arg);
		usage_error(SYNOPSIS);
	}
}

static void
read_campaigns(void)
{
	struct stream t;
	struct record r;
	table_open(&t, P.campaigns_path, "campaigns");
	int c_code = stream_need(&t, "campaign");
	int c_pat = stream_need(&t, "vin_pattern");
	int c_title = stream_col(&t, "title");
	while (stream_next(&t, &r)) {
		table_fields_ok(&t, &r);
		struct str code = str_trim(r.f[c_code]), pat = str_trim(r.f[c_pat]);
		if (code.n == 0)
			table_fatal(&r, stream_colname(&t, c_code), "missing value", NULL);
		if (pat.n == 0)
			table_fatal(&r, stream_colname(&t, c_pat), "missing value", NULL);
		if (str_eq(code, STR_C("*")))
			table_fatal(&r, stream_colname(&t, c_code), "reserved name", &r.f[c_code]);
		for (int i = 0; i < P.ncamps; i++)
			if (str_eq_cstr_ci(code, P.camps[i].code))
				table_fatal(&r, stream_colname(&t, c_code),
				    "duplicate campaign", &r.f[c_code]);
		P.camps = xrealloc(P.camps, (P.ncamps + 1) * sizeof *P.camps);
		struct campaign *c = &P.camps[P.ncamps++];
		c->code = xmemdup(code.p, code.n);
		c->codelen = code.n;
		/* The title is written as it is, like a passthrough value. */
		c->title = c_title >= 0 ? xmemdup(r.f[c_title].p, r.f[c_title].n) :
		    xstrdup("");
		char what[512];
		snprintf(what, sizeof what, "%s:%ld: %s", r.file, r.line,
		    stream_colname(&t, c_pat));
		c->pat = pattern_compile(pat.p, pat.n, true, what);
	}
	stream_close(&t);
}

/* ---- the ledger ----------------------------------------------------- */

static char *ledger_real;	/* the ledger's path behind a symbolic link */

/* Lock the ledger (exclusive; shared with --dry-run), re-opening it when a
 * run that held the lock before has replaced it.  A missing ledger is
 * created empty, except with --dry-run. */
static void
ledger_lock(void)
{
	for (;;) {
		bool created = false;
		int fd = open(P.ledger_path, (P.dry_run ? O_RDONLY : O_RDWR) | O_CLOEXEC);
		if (fd == -1 && errno == ENOENT) {
			if (P.dry_run) {
				P.lfd = -1;
				return;
			}
			fd = open(P.ledger_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
			if (fd == -1 && errno == EEXIST)
				continue;
			created = true;
		}
		if (fd == -1)
			fatal_errno("%s", P.ledger_path);
		while (flock(fd, P.dry_run ? LOCK_SH : LOCK_EX) == -1)
			if (errno != EINTR)
				fatal_errno("%s: lock", P.ledger_path);
		struct stat a, b;
		if (fstat(fd, &a) == -1)
			fatal_errno("%s", P.ledger_path);
		if (stat(P.ledger_path, &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino) {
			P.lfd = fd;
			P.lcreated = created;
			return;
		}
		close(fd);	/* replaced meanwhile: lock the new one */
	}
}

/* fatal() after we created an empty ledger: remove it again. */
static void
ledger_uncreate(void *arg)
{
	(void)arg;
	struct stat a, b;
	if (P.lfd >= 0 && fstat(P.lfd, &a) == 0 && stat(P.ledger_path, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino && b.st_size == 0)
		unlink(P.ledger_path);
}

static size_t
ledger_key(char *buf, size_t cap, struct str vin, struct str svc, day_t due,
    bool with_due)
{
	size_t n = 0;
	if (vin.n + svc.n + 8 > cap)
		return 0;
	memcpy(buf, vin.p, vin.n);
	n = vin.n;
	buf[n++] = '\0';
	for (size_t i = 0; i < svc.n; i++) {
		char c = svc.p[i];
		buf[n++] = c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
	}
	if (with_due) {
		buf[n++] = '\0';
		memcpy(buf + n, &due, sizeof due);
		n += sizeof due;
	}
	return n;
}

static void
ledger_note(struct htab *t, const char *k, size_t n, day_t sent)
{
	struct hent *e = ht_put(t, &P.arena, k, n);
	if (e->val == NULL) {
		day_t *d = arena_alloc(&P.arena, sizeof *d);
		*d = sent;
		e->val = d;
	} else if (*(day_t *)e->val < sent)
		*(day_t *)e->val = sent;
}

static void
ledger_read(void)
{
	struct stat st;
	if (P.lfd < 0)
		return;
	if (fstat(P.lfd, &st) == -1)
		fatal_errno("%s", P.ledger_path);
	if (st.st_size == 0)
		return;
	struct stream t;
	struct record r;
	table_open(&t, P.ledger_path, "ledger");
	P.l_vin = stream_need(&t, "vin");
	P.l_service = stream_need(&t, "service");
	P.l_due = stream_need(&t, "due_date");
	P.l_sent = stream_need(&t, "sent");
	P.nlheader = t.header.nf;
	P.lheader = xcalloc(t.header.nf, sizeof *P.lheader);
	for (size_t i = 0; i < t.header.nf; i++)
		P.lheader[i] = arena_str(&P.arena, t.header.f[i]);
	while (stream_next(&t, &r)) {
		if (P.nlrecs == P.lreccap) {
			P.lreccap = P.lreccap ? P.lreccap * 2 : 256;
			P.lrecs = xrealloc(P.lrecs, P.lreccap * sizeof *P.lrecs);
		}
		struct lrec *l = &P.lrecs[P.nlrecs++];
		l->nf = r.nf;
		l->f = arena_alloc(&P.arena, r.nf * sizeof *l->f);
		for (size_t i = 0; i < r.nf; i++)
			l->f[i] = arena_str(&P.arena, r.f[i]);
		if (!app_table_fields_ok(&P.app, &t, &r))
			continue;
		struct str vin = str_trim(r.f[P.l_vin]), svc = str_trim(r.f[P.l_service]);
		day_t due, sent;
		char buf[256];
		if (vin.n == 0) {
			app_table_reject(&P.app, r.file, r.line, "%s: missing value",
			    stream_colname(&t, P.l_vin));
			continue;
		}
		if (svc.n == 0) {
			app_table_reject(&P.app, r.file, r.line, "%s: missing value",
			    stream_colname(&t, P.l_service));
			continue;
		}
		if (parse_date(r.f[P.l_due], &due) != 0) {
			app_table_reject(&P.app, r.file, r.line, "%s: invalid date '%s'",
			    stream_colname(&t, P.l_due),
			    str_cpy(buf, sizeof buf, r.f[P.l_due]));
			continue;
		}
		if (parse_date(r.f[P.l_sent], &sent) != 0) {
			app_table_reject(&P.app, r.file, r.line, "%s: invalid date '%s'",
			    stream_colname(&t, P.l_sent),
			    str_cpy(buf, sizeof buf, r.f[P.l_sent]));
			continue;
		}
		char key[1024];
		size_t n = ledger_key(key, sizeof key, vin, svc, due, true);
		if (n == 0)
			continue;
		ledger_note(&P.ledger_exact, key, n, sent);
		n = ledger_key(key, sizeof key, vin, svc, 0, false);
		ledger_note(&P.ledger_recall, key, n, sent);
	}
	stream_close(&t);
}

/* Hidden by the ledger? */
static bool
ledger_hides(const struct orow *o, const char *svc)
{
	char key[1024];
	struct str vin = { VIN(o->v), o->v->vinlen };
	bool recall = o->st == ST_RECALL;
	size_t n = ledger_key(key, sizeof key, vin, str_of(svc), o->due, !recall);
	if (n == 0)
		return false;
	day_t *sent = ht_get(recall ? &P.ledger_recall : &P.ledger_exact, key, n);
	if (sent == NULL)
		return false;
	if (P.repeat && *sent <= P.app.opt.as_of_date - P.repeat_days)
		return false;
	return true;
}

/* A CSV field for the ledger (comma, minimal quoting). */
static void
lput(FILE *f, struct str s, bool only)
{
	bool q = only && s.n == 0;
	for (size_t i = 0; i < s.n && !q; i++)
		if (s.p[i] == ',' || s.p[i] == '"' || s.p[i] == '\r' || s.p[i] == '\n')
			q = true;
	if (!q) {
		fwrite(s.p, 1, s.n, f);
		return;
	}
	putc('"', f);
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] == '"')
			putc('"', f);
		putc(s.p[i], f);
	}
	putc('"', f);
}

static void
lrow(FILE *f, const struct str *fs, size_t nf)
{
	for (size_t i = 0; i < nf; i++) {
		if (i)
			putc(',', f);
		lput(f, fs[i], nf == 1);
	}
	putc('\n', f);
}

static char *ledger_tmp;

static void
ledger_tmp_remove(void *arg)
{
	(void)arg;
	if (ledger_tmp)
		unlink(ledger_tmp);
}

/* Write the ledger with the new rows to a temporary file beside it, fsync,
 * rename over it, fsync the directory. */
static void
ledger_write(const struct orow **sent, size_t nsent)
{
	if (P.lheader == NULL) {
		static const char *const names[] = { "vin", "service", "due_date", "sent" };
		P.nlheader = 4;
		P.lheader = xcalloc(4, sizeof *P.lheader);
		for (int i = 0; i < 4; i++)
			P.lheader[i] = str_of(names[i]);
		P.l_vin = 0, P.l_service = 1, P.l_due = 2, P.l_sent = 3;
	}
	if (nsent == 0 && !P.lcreated)
		return;		/* nothing changes */
	const char *path = P.ledger_path;
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
	ledger_tmp = xmalloc(strlen(path) + 16);
	snprintf(ledger_tmp, strlen(path) + 16, "%.*s.%s.XXXXXX", (int)dlen, path,
	    path + dlen);
	int fd = mkstemp(ledger_tmp);
	if (fd == -1)
		fatal_errno("%s", ledger_tmp);
	on_fatal(ledger_tmp_remove, NULL);
	struct stat st;
	mode_t mode;
	if (!P.lcreated && fstat(P.lfd, &st) == 0)
		mode = st.st_mode & 07777;
	else {
		mode_t um = umask(0);
		umask(um);
		mode = 0666 & ~um;
	}
	if (fchmod(fd, mode) == -1)
		fatal_errno("%s", ledger_tmp);
	FILE *f = fdopen(fd, "w");
	if (f == NULL)
		fatal_errno("%s", ledger_tmp);
	lrow(f, P.lheader, P.nlheader);
	for (size_t i = 0; i < P.nlrecs; i++)
		lrow(f, P.lrecs[i].f, P.lrecs[i].nf);
	struct str *fs = xcalloc(P.nlheader, sizeof *fs);
	char due[DATE_LEN + 1], asof[DATE_LEN + 1];
	fmt_date(asof, P.app.opt.as_of_date);
	for (size_t i = 0; i < nsent; i++) {
		const struct orow *o = sent[i];
		for (size_t j = 0; j < P.nlheader; j++)
			fs[j] = (struct str){ "", 0 };
		fmt_date(due, o->due);
		fs[P.l_vin] = (struct str){ VIN(o->v), o->v->vinlen };
		fs[P.l_service] = str_of(o->st == ST_RECALL ? P.camps[o->idx].code :
		    P.items[o->idx].name);
		fs[P.l_due] = str_of(due);
		fs[P.l_sent] = str_of(asof);
		lrow(f, fs, P.nlheader);
	}
	free(fs);
	if (fflush(f) == EOF || ferror(f))
		fatal_errno("%s: write error", ledger_tmp);
	if (fsync(fd) == -1)
		fatal_errno("%s: fsync", ledger_tmp);
	if (fclose(f) == EOF)
		fatal_errno("%s: write error", ledger_tmp);
	if (rename(ledger_tmp, path) == -1)
		fatal_errno("%s", path);
	off_fatal(ledger_tmp_remove, NULL);
	free(ledger_tmp);
	ledger_tmp = NULL;
	char *dir = dlen ? xmemdup(path, dlen) : xstrdup(".");
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(dir);
}

/* ---- the stream ----------------------------------------------------- */

static const char *const out_names[] = {
	"vin", "plan", "service", "status", "due_date", "days_left", "due_km",
	"km_left", "est_km", "due_by", "last_done_date", "last_done_km", "note"
};
#define NOUT (sizeof out_names / sizeof out_names[0])

static bool
is_out_name(struct str h)
{
	h = str_trim(h);
	for (size_t i = 0; i < NOUT; i++)
		if (str_eq_cstr_ci(h, out_names[i]))
			return true;
	return false;
}

static void
vtab_grow(void)
{
	size_t cap = P.vtcap ? P.vtcap * 2 : 1024;
	struct vslot *t;
	if (cap * sizeof *t >= HUGE_PAGE) {
		t = huge_alloc(cap * sizeof *t);
		memset(t, 0, cap * sizeof *t);
	} else
		t = xcalloc(cap, sizeof *t);
	/* The slots keep the whole hash: the vehicles themselves (scattered
	 * over the arena) are not touched. */
	for (size_t i = 0; i < P.vtcap; i++) {
		if (P.vtab[i].v == NULL)
			continue;
		size_t j = P.vtab[i].tag & (cap - 1);
		while (t[j].v != NULL)
			j = (j + 1) & (cap - 1);
		t[j] = P.vtab[i];
	}
	free(P.vtab);
	P.vtab = t;
	P.vtcap = cap;
}

/* Rows of one vehicle are far apart in a history sorted by date, so each
 * look-up misses the cache twice (the table slot, then the vehicle).
 * Start both memory accesses a few rows early: the slot of the row six
 * ahead, the vehicle of the row three ahead (whose slot is cached by now). */
static void
prefetch_ahead(void)
{
	struct str vin = stream_peek_field(&P.in, 10, P.c_vin);
	if (vin.p != NULL && P.vtcap > 0) {
		vin = str_trim(vin);
		__builtin_prefetch(&P.vtab[str_hash(vin) & (P.vtcap - 1)]);
	}
	vin = stream_peek_field(&P.in, 3, P.c_vin);
	if (vin.p != NULL && P.vtcap > 0) {
		vin = str_trim(vin);
		uint64_t h = str_hash(vin);
		const struct vslot *sl = &P.vtab[h & (P.vtcap - 1)];
		if (sl->v != NULL && sl->tag == h) {
			/* A row touches most of the vehicle: the hot fields, the
			 * VIN, done[], the passthrough fields. */
			const char *p = (const char *)sl->v;
			__builtin_prefetch(p);
			__builtin_prefetch(p + 64);
			__builtin_prefetch(p + 128);
			__builtin_prefetch(p + 192);
			__builtin_prefetch(p + 256);
		}
	}
}

/* The vehicle of VIN, created (in one block of the arena: the struct, the
 * VIN, the per-item state, the campaign bits and room for the passthrough
 * fields of R) when new.  A look-up touches the table and the vehicle
 * only. */
static struct vehicle *
vehicle_get(struct str vin, const struct record *r)
{
	if ((P.nv + 1) * 4 > P.vtcap * 3)
		vtab_grow();
	uint64_t h = str_hash(vin);
	size_t j = h & (P.vtcap - 1);
	for (;;) {
		struct vslot *sl = &P.vtab[j];
		if (sl->v == NULL)
			break;
		if (sl->tag == h) {
			struct vehicle *v = sl->v;
			if (v->vinlen == vin.n && memcmp(VIN(v), vin.p, vin.n) == 0)
				return v;
		}
		j = (j + 1) & (P.vtcap - 1);
	}
	size_t vinsz = (vin.n + 1 + 7) & ~(size_t)7;
	size_t donesz = P.nslots * sizeof(struct done);
	size_t closedsz = ((size_t)P.ncamps + 7) / 8;
	closedsz = (closedsz + 7) & ~(size_t)7;
	size_t pass = (P.npass + 1) * sizeof(uint32_t);
	for (int i = 0; i < P.npass; i++)
		pass += r->f[P.pass_cols[i]].n;
	pass += 8;		/* room for a slightly longer row (and the
				 * arena rounds up to 16) */
	size_t sz = sizeof(struct vehicle) + vinsz + donesz + closedsz;
	struct vehicle *v = arena_alloc(&P.arena, sz + pass);
	memset(v, 0, sz);
	char *vb = (char *)(v + 1);
	memcpy(vb, vin.p, vin.n);
	vb[vin.n] = '\0';
	v->vinlen = (uint32_t)vin.n;
	v->fd = v->ld = v->ed = v->latest = v->plan_d = DAY_NONE;
	v->fk = v->lk = v->ek = v->est = -1;
	v->plan = -1;
	v->done = (struct done *)(vb + vinsz);
	for (int i = 0; i < P.nslots; i++) {
		v->done[i].d = DAY_NONE;
		v->done[i].km = -1;
	}
	v->pass = (uint32_t *)((char *)v + sz);
	v->passcap = (uint32_t)pass;
	if (P.nv == P.vcap) {
		P.vcap = P.vcap ? P.vcap * 2 : 1024;
		P.vlist = xrealloc(P.vlist, P.vcap * sizeof *P.vlist);
	}
	P.vlist[P.nv++] = v;
	P.vtab[j].tag = h;
	P.vtab[j].v = v;
	return v;
}

static void
rollback_warn(const struct record *r, struct vehicle *v, day_t d1, long long k1,
    day_t d2, long long k2)
{
	char a[DATE_LEN + 1], b[DATE_LEN + 1];
	fmt_date(a, d1);
	fmt_date(b, d2);
	warnmsg("%s:%ld: %s: odometer rollback from %lld (%s) to %lld (%s); "
	    "reading ignored", r->file, r->line, VIN(v), k1, a, k2, b);
	v->rollback = true;
}

/* A reading: the first and the last in date order (input order in a day).
 * Returns the km, or -1 if it is a rollback. */
static long long
reading(const struct record *r, struct vehicle *v, day_t d, long long k)
{
	if (v->fd == DAY_NONE) {
		v->fd = v->ld = d;
		v->fk = v->lk = k;
		return k;
	}
	if (d >= v->ld) {			/* the usual case: in date order */
		if (k < v->lk) {
			rollback_warn(r, v, v->ld, v->lk, d, k);
			return -1;
		}
		v->ld = d;
		v->lk = k;
		return k;
	}
	if (d < v->fd) {			/* before every reading known */
		if (k > v->fk) {
			rollback_warn(r, v, d, k, v->fd, v->fk);
			return -1;
		}
		v->fd = d;
		v->fk = k;
		return k;
	}
	/* Between the first and the last reading. */
	if (k < v->fk) {
		rollback_warn(r, v, v->fd, v->fk, d, k);
		return -1;
	}
	if (k > v->lk) {
		rollback_warn(r, v, d, k, v->ld, v->lk);
		return -1;
	}
	return k;
}

static void
keep_passthrough(struct vehicle *v, const struct record *r)
{
	size_t need = (P.npass + 1) * sizeof(uint32_t);
	for (int i = 0; i < P.npass; i++)
		need += r->f[P.pass_cols[i]].n;
	if (need > v->passcap) {
		size_t cap = (size_t)v->passcap * 2 > need ? (size_t)v->passcap * 2 : need;
		v->pass = arena_alloc(&P.arena, cap);
		v->passcap = (uint32_t)cap;
	}
	char *bytes = (char *)(v->pass + P.npass + 1);
	uint32_t off = 0;
	for (int i = 0; i < P.npass; i++) {
		struct str s = r->f[P.pass_cols[i]];
		v->pass[i] = off;
		memcpy(bytes + off, s.p, s.n);
		off += s.n;
	}
	v->pass[P.npass] = off;
}

/* Which slots' patterns match TEXT: a mask of nslots bytes, or NULL when
 * a pattern hit PCRE2's limits (*bad: the slot).  Free-text services come
 * from a small vocabulary, so results are kept in a direct-mapped cache of
 * fixed size: a text is matched once, not once per row. */
#define PCACHE_SIZE 4096
#define PCACHE_TEXT 256

static const unsigned char *
pattern_hits(struct str text, int *bad)
{
	struct pcache *e = NULL;
	uint64_t h = 0;
	unsigned char *mask = P.pmask;
	if (text.n <= PCACHE_TEXT) {
		h = str_hash(text);
		e = &P.pcache[h & (PCACHE_SIZE - 1)];
		if (e->len == text.n && e->hash == h &&
		    memcmp(e->text, text.p, text.n) == 0)
			return e->mask;
		if (e->text == NULL) {
			e->text = xmalloc(PCACHE_TEXT);
			e->mask = xmalloc(P.nslots);
		}
		mask = e->mask;
		e->len = UINT32_MAX;	/* filled below, if no error */
	}
	for (int s = 0; s < P.nslots; s++) {
		mask[s] = 0;
		if (P.slots[s].pat == NULL)
			continue;
		int m = pattern_match(P.slots[s].pat, text.p, text.n);
		if (m == -1) {
			*bad = s;
			return NULL;
		}
		mask[s] = m == 1;
	}
	if (e != NULL) {
		memcpy(e->text, text.p, text.n);
		e->len = (uint32_t)text.n;
		e->hash = h;
	}
	return mask;
}

static void
row(const struct record *r)
{
	struct app *a = &P.app;
	if (!app_fields_ok(a, &P.in, r))
		return;
	struct str vin = str_trim(r->f[P.c_vin]);
	if (vin.n == 0) {
		app_reject(a, &P.in, r, stream_colname(&P.in, P.c_vin), "missing value", NULL);
		return;
	}
	day_t d;
	if (str_trim(r->f[P.c_date]).n == 0) {
		app_reject(a, &P.in, r, stream_colname(&P.in, P.c_date), "missing value", NULL);
		return;
	}
	if (parse_date(r->f[P.c_date], &d) != 0) {
		app_reject(a, &P.in, r, stream_colname(&P.in, P.c_date), "invalid date",
		    &r->f[P.c_date]);
		return;
	}
	long long km = -1;
	if (P.c_km >= 0 && str_trim(r->f[P.c_km]).n > 0 &&
	    parse_count(r->f[P.c_km], &km) == -1) {
		app_reject(a, &P.in, r, stream_colname(&P.in, P.c_km), "bad number",
		    &r->f[P.c_km]);
		return;
	}
	int plan = -1;
	if (P.c_plan >= 0) {
		struct str pl = str_trim(r->f[P.c_plan]);
		if (pl.n > 0 && (plan = find_plan(pl)) < 0) {
			app_reject(a, &P.in, r, stream_colname(&P.in, P.c_plan),
			    "unknown plan", &r->f[P.c_plan]);
			return;
		}
	}
	/* What the visit did. */
	bool star = false, any = false;
	if (P.c_services >= 0) {
		struct str text = r->f[P.c_services], rest = text, tok;
		if (str_trim(text).n > 0) {
			memset(P.hit, 0, P.nslots);
			memset(P.chit, 0, P.ncamps);
			while (str_next_token(&rest, ';', &tok)) {
				tok = str_trim(tok);
				if (tok.n == 0)
					continue;
				if (str_eq(tok, STR_C("*"))) {
					star = any = true;
					continue;
				}
				for (int s = 0; s < P.nslots; s++)
					if (tok.n == P.slots[s].namelen && str_eq_ci(tok,
					    (struct str){ P.slots[s].name, tok.n }))
						P.hit[s] = any = true;
				for (int c = 0; c < P.ncamps; c++)
					if (tok.n == P.camps[c].codelen && str_eq_ci(tok,
					    (struct str){ P.camps[c].code, tok.n }))
						P.chit[c] = any = true;
			}
			int bad = 0;
			const unsigned char *m = star || !P.npat ? NULL :
			    pattern_hits(text, &bad);
			if (!star && P.npat && m == NULL) {
				app_reject(a, &P.in, r,
				    stream_colname(&P.in, P.c_services),
				    "match limit hit by pattern",
				    &(struct str){ P.slots[bad].pat_src,
				    strlen(P.slots[bad].pat_src) });
				return;
			}
			for (int s = 0; m && s < P.nslots; s++)
				if (m[s])
					P.hit[s] = any = true;
		}
	}

	struct vehicle *v = vehicle_get(vin, r);
	if (km >= 0)
		km = reading(r, v, d, km);
	if (d < v->ed || v->ed == DAY_NONE) {
		v->ed = d;
		v->ek = km;
	}
	if (d >= v->latest) {
		v->latest = d;
		v->lfile = r->file;
		v->lline = r->line;
		keep_passthrough(v, r);
	}
	if (plan >= 0 && d >= v->plan_d) {
		v->plan = plan;
		v->plan_d = d;
	}
	if (any) {
		for (int s = 0; s < P.nslots; s++)
			if ((star || P.hit[s]) && d >= v->done[s].d) {
				v->done[s].d = d;
				v->done[s].km = km;
			}
		for (int c = 0; c < P.ncamps; c++)
			if (P.chit[c])
				CLOSED(v)[c / 8] |= 1u << (c % 8);
	}
}

/* ---- evaluation ----------------------------------------------------- */

/* a*b/den rounded half up, or ceil; exact, with a 128-bit fallback. */
static long long
mul_div_round(long long a, long long b, long long den)
{
	long long p;
	if (!__builtin_mul_overflow(a, b, &p))
		return div_round_half_up(p, den);
	__int128 x = (__int128)a * b, q = x / den, rem = x % den;
	if (rem < 0)
		rem = -rem;
	if (2 * rem >= den)
		q += x < 0 ? -1 : 1;
	return q > LLONG_MAX ? LLONG_MAX : q < LLONG_MIN ? LLONG_MIN : (long long)q;
}

static long long
mul_div_ceil(long long a, long long b, long long den)
{
	long long p;
	if (!__builtin_mul_overflow(a, b, &p))
		return div_ceil(p, den);
	__int128 x = (__int128)a * b, q = x / den;
	if (x % den != 0 && x > 0)
		q++;
	return q > LLONG_MAX ? LLONG_MAX : q < LLONG_MIN ? LLONG_MIN : (long long)q;
}

static day_t day_min, day_max;

/* When IT was last done (or the earliest row), and its due_km (-1: none). */
static struct done
last_done(const struct vehicle *v, const struct item *it, long long *due_km)
{
	struct done dn = v->done[it->slot];
	if (dn.d == DAY_NONE) {
		dn.d = v->ed;
		dn.km = v->ek;
	}
	*due_km = it->km && dn.km >= 0 ? dn.km + it->km : -1;
	return dn;
}

static void
add_row(const struct orow *o)
{
	if (P.nrows == P.rcap) {
		P.rcap = P.rcap ? P.rcap * 2 : 1024;
		P.rows = xrealloc(P.rows, P.rcap * sizeof *P.rows);
	}
	P.rows[P.nrows++] = *o;
}

static void
evaluate(struct vehicle *v)
{
	day_t asof = P.app.opt.as_of_date;
	int plan = v->plan >= 0 ? v->plan : P.default_plan;
	unsigned vflags = 0;
	/* The rate, a fraction num/den km per day. */
	long long num, den;
	if (v->fd != DAY_NONE && (long long)v->ld - v->fd >= 30) {
		num = v->lk - v->fk;
		den = (long long)v->ld - v->fd;
	} else {
		num = P.daily_km;
		den = 1;
		vflags |= F_DEFAULT_RATE;
	}
	if (v->rollback)
		vflags |= F_ROLLBACK;
	long long est = -1;
	if (v->ld != DAY_NONE) {
		long long days = (long long)asof - v->ld;
		est = v->lk;
		if (days > 0) {
			long long add = mul_div_round(num, days, den);
			est = add > COUNT_MAX * 10 ? COUNT_MAX * 10 : v->lk + add;
		}
	}
	v->est = est;

	/* Recall campaigns. */
	for (int c = 0; c < P.ncamps; c++) {
		if (CLOSED(v)[c / 8] & (1u << (c % 8)))
			continue;
		int m = pattern_match(P.camps[c].pat, VIN(v), v->vinlen);
		if (m == -1) {
			app_table_reject(&P.app, v->lfile, v->lline,
			    "vin: match limit hit by pattern '%s' of campaign '%s'",
			    pattern_source(P.camps[c].pat), P.camps[c].code);
			continue;
		}
		if (m == 0)
			continue;
		struct orow o = { .v = v, .kind = 0, .idx = c, .st = ST_RECALL,
		    .by = BY_CAMPAIGN, .due = asof, .flags = 0 };
		add_row(&o);
	}
	if (plan < 0) {
		char buf[256];
		app_table_reject(&P.app, v->lfile, v->lline,
		    "%s: no plan, and the default plan '%s' is not in the schedule",
		    VIN(v), str_cpy(buf, sizeof buf, str_of(P.plan_arg)));
		return;
	}
	const struct plan *pp = &P.plans[plan];
	for (int i = 0; i < pp->nitems; i++) {
		const struct item *it = &P.items[pp->items[i]];
		long long due_km;
		struct done dn = last_done(v, it, &due_km);
		struct orow o = { .v = v, .kind = 1, .idx = pp->items[i],
		    .by = BY_NONE, .due = DAY_NONE, .flags = vflags };
		day_t due_t = DAY_NONE, due_k = DAY_NONE;
		if (it->months) {
			due_t = date_add_months(dn.d, (int)it->months);
			if (due_t > day_max)
				due_t = day_max;
		}
		if (due_km >= 0) {
			if (num > 0) {
				long long days = mul_div_ceil(due_km - v->lk, den, num);
				long long dd = (long long)v->ld + days;
				due_k = dd < day_min ? day_min : dd > day_max ? day_max :
				    (day_t)dd;
			}
		}
		if (due_t != DAY_NONE && (due_k == DAY_NONE || due_t <= due_k)) {
			o.due = due_t;
			o.by = BY_TIME;
		} else if (due_k != DAY_NONE) {
			o.due = due_k;
			o.by = BY_KM;
		}
		if (o.due == DAY_NONE) {
			o.kind = 2;
			o.st = ST_UNKNOWN;
			o.flags |= dn.km < 0 ? F_NO_KM : F_ZERO_RATE;
		} else {
			long long left = (long long)o.due - asof;
			if (left < 0)
				o.st = ST_OVERDUE;
			else if (left <= it->lead_days ||
			    (due_km >= 0 && est >= due_km - it->lead_km))
				o.st = ST_DUE_SOON;
			else
				o.st = ST_OK;
			if (o.st == ST_OK && !P.all)
				continue;
		}
		add_row(&o);
	}
}

static int
vin_cmp(const struct vehicle *a, const struct vehicle *b)
{
	return str_cmp((struct str){ VIN(a), a->vinlen },
	    (struct str){ VIN(b), b->vinlen });
}

/* For sorting the vehicles by VIN: the first 16 bytes as big-endian
 * integers, so that most comparisons touch no vehicle. */
struct vkey {
	uint64_t a, b;
	struct vehicle *v;
};

static uint64_t
be64(const char *p, size_t n)
{
	uint64_t x = 0;
	for (size_t i = 0; i < 8; i++)
		x = x << 8 | (i < n ? (unsigned char)p[i] : 0);
	return x;
}

static int
vkey_cmp(const void *pa, const void *pb)
{
	const struct vkey *a = pa, *b = pb;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return vin_cmp(a->v, b->v);
}

static int
orow_cmp(const void *pa, const void *pb)
{
	const struct orow *a = pa, *b = pb;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->kind == 1 && a->due != b->due)
		return a->due < b->due ? -1 : 1;
	if (a->v->rank != b->v->rank)
		return a->v->rank < b->v->rank ? -1 : 1;
	/* An item's index is its order in the schedule. */
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int
order_cmp(const void *pa, const void *pb)
{
	return orow_cmp(&P.rows[*(const uint32_t *)pa],
	    &P.rows[*(const uint32_t *)pb]);
}

/* An integer field, without printf in the hot path of the output. */
static void
put_int(struct csvout *w, long long x)
{
	char buf[24];

	csvout_known(w, buf, fmt_int(buf, x));
}

/* The rows are written in order of due date, their entries and vehicles
 * are in no order: fetch the entry of the row 32 ahead, the vehicle of the
 * row 16 ahead (the fields written come from all of it; its entry has
 * arrived), and the passthrough fields of the row eight ahead. */
static void
prefetch_rows_ahead(size_t i)
{
	if (i + 32 < P.nrows)
		__builtin_prefetch(&P.rows[P.order[i + 32]]);
	if (i + 16 < P.nrows) {
		const char *p = (const char *)P.rows[P.order[i + 16]].v;
		for (int k = 0; k < 5; k++)
			__builtin_prefetch(p + 64 * k);
	}
	if (i + 8 < P.nrows) {
		const char *p = (const char *)P.rows[P.order[i + 8]].v->pass;
		__builtin_prefetch(p);
		__builtin_prefetch(p + 64);
	}
}

static void
write_row(struct csvout *w, const struct orow *o)
{
	char buf[64];
	const struct vehicle *v = o->v;
	int plan = v->plan >= 0 ? v->plan : P.default_plan;
	csvout_field(w, VIN(v), v->vinlen);
	if (plan >= 0)
		csvout_cstr(w, P.plans[plan].name);
	else
		csvout_empty(w);
	csvout_cstr(w, o->kind == 0 ? P.camps[o->idx].code : P.items[o->idx].name);
	csvout_known(w, status_name[o->st], strlen(status_name[o->st]));
	if (o->due != DAY_NONE) {
		csvout_known(w, buf, fmt_date(buf, o->due));
		put_int(w, (long long)o->due - P.app.opt.as_of_date);
	} else {
		csvout_empty(w);
		csvout_empty(w);
	}
	struct done dn = { DAY_NONE, -1 };
	long long due_km = -1;
	if (o->kind != 0)
		dn = last_done(v, &P.items[o->idx], &due_km);
	if (due_km >= 0) {
		put_int(w, due_km);
		put_int(w, due_km - v->est);
	} else {
		csvout_empty(w);
		csvout_empty(w);
	}
	if (v->est >= 0)
		put_int(w, v->est);
	else
		csvout_empty(w);
	csvout_known(w, by_name[o->by], strlen(by_name[o->by]));
	if (dn.d != DAY_NONE) {
		csvout_known(w, buf, fmt_date(buf, dn.d));
	} else
		csvout_empty(w);
	if (dn.km >= 0)
		put_int(w, dn.km);
	else
		csvout_empty(w);
	if (o->kind == 0)
		csvout_cstr(w, P.camps[o->idx].title);
	else {
		/* Every set of the four flags (F_*), spelled once. */
		static const char *const note[16] = {
			"", "default_rate", "odometer_rollback",
			"default_rate;odometer_rollback", "no_km",
			"default_rate;no_km", "odometer_rollback;no_km",
			"default_rate;odometer_rollback;no_km", "zero_rate",
			"default_rate;zero_rate", "odometer_rollback;zero_rate",
			"default_rate;odometer_rollback;zero_rate",
			"no_km;zero_rate", "default_rate;no_km;zero_rate",
			"odometer_rollback;no_km;zero_rate",
			"default_rate;odometer_rollback;no_km;zero_rate",
		};
		csvout_cstr(w, note[o->flags & 15]);
	}
	const char *bytes = (const char *)(v->pass + P.npass + 1);
	for (int i = 0; i < P.npass; i++)
		csvout_field(w, bytes + v->pass[i], v->pass[i + 1] - v->pass[i]);
	csvout_endrow(w);
}

/* Evaluate the vehicles in VIN order, so that the rows come out ordered by
 * VIN and schedule (or campaigns-file) order; then a stable counting sort
 * by due date (qsort when the dates spread too far) gives the output
 * order: recalls, dated rows, unknown rows. */
static void
order_rows(void)
{
	struct vkey *byvin = xcalloc(P.nv + 1, sizeof *byvin);
	for (size_t i = 0; i < P.nv; i++) {
		struct vehicle *v = P.vlist[i];
		byvin[i].a = be64(VIN(v), v->vinlen);
		byvin[i].b = v->vinlen > 8 ? be64(VIN(v) + 8, v->vinlen - 8) : 0;
		byvin[i].v = v;
	}
	if (P.nv > 0)
		qsort(byvin, P.nv, sizeof *byvin, vkey_cmp);
	for (size_t i = 0; i < P.nv; i++) {
		/* In VIN order the vehicles are scattered in memory. */
		if (i + 8 < P.nv) {
			const char *p = (const char *)byvin[i + 8].v;
			for (int k = 0; k < 5; k++)
				__builtin_prefetch(p + 64 * k);
		}
		byvin[i].v->rank = (uint32_t)i;
		evaluate(byvin[i].v);
	}
	free(byvin);

	size_t n[3] = { 0, 0, 0 };
	day_t lo = day_max, hi = day_min;
	for (size_t i = 0; i < P.nrows; i++) {
		const struct orow *o = &P.rows[i];
		n[o->kind]++;
		if (o->kind == 1) {
			if (o->due < lo)
				lo = o->due;
			if (o->due > hi)
				hi = o->due;
		}
	}
	/* The order is a permutation of 4-byte indices: the rows stay where
	 * they are (a sorted copy would be as much fresh memory again). */
	if (P.nrows > UINT32_MAX)
		fatal("too many reminders");
	uint32_t *out = xcalloc(P.nrows + 1, sizeof *out);
	size_t at[3] = { 0, n[0], n[0] + n[1] };
	size_t range = n[1] ? (size_t)((long long)hi - lo + 1) : 0;
	if (n[1] > 0 && range > 4 * n[1] + 4096) {
		for (size_t i = 0; i < P.nrows; i++)
			out[at[P.rows[i].kind]++] = (uint32_t)i;
		qsort(out + n[0], n[1], sizeof *out, order_cmp);
	} else {
		size_t *cnt = xcalloc(range + 1, sizeof *cnt);
		for (size_t i = 0; i < P.nrows; i++)
			if (P.rows[i].kind == 1)
				cnt[P.rows[i].due - lo + 1]++;
		for (size_t d = 1; d <= range; d++)
			cnt[d] += cnt[d - 1];
		for (size_t i = 0; i < P.nrows; i++) {
			const struct orow *o = &P.rows[i];
			if (o->kind == 1)
				out[n[0] + cnt[o->due - lo]++] = (uint32_t)i;
			else
				out[at[o->kind]++] = (uint32_t)i;
		}
		free(cnt);
	}
	P.order = out;
}

/* Free what the run allocated, at its end. */
static void
prog_free(void)
{
	free(ledger_real);
	for (int i = 0; i < P.nslots; i++) {
		free(P.slots[i].name);
		free(P.slots[i].pat_src);
		pattern_free(P.slots[i].pat);
	}
	free(P.slots);
	for (int i = 0; i < P.nitems; i++)
		free(P.items[i].name);
	free(P.items);
	for (int i = 0; i < P.nplans; i++) {
		free(P.plans[i].name);
		free(P.plans[i].items);
	}
	free(P.plans);
	for (int i = 0; i < P.ncamps; i++) {
		free(P.camps[i].code);
		free(P.camps[i].title);
		pattern_free(P.camps[i].pat);
	}
	free(P.camps);
	free(P.pass_cols);
	free(P.vtab);
	free(P.vlist);
	free(P.hit);
	for (int i = 0; P.pcache != NULL && i < PCACHE_SIZE; i++) {
		free(P.pcache[i].text);
		free(P.pcache[i].mask);
	}
	free(P.pcache);
	free(P.pmask);
	free(P.chit);
	free(P.rows);
	free(P.order);
	free(P.ledger_exact.e);
	free(P.ledger_recall.e);
	free(P.lrecs);
	free(P.lheader);
	free((char *)P.plan_arg);
	arena_free(&P.arena);	/* vehicles, keys, ledger fields */
	common_free(&P.app.opt);
}

static void
usage_ok(void)
{
	printf("usage: %s %s\n", progname, SYNOPSIS);
	exit(0);
}

int
main(int argc, char **argv)
{
	int ch;
	struct app *a = &P.app;
	progname = "svc-remind";
	argv[0] = (char *)progname;	/* getopt names the program so, too */
	common_init(&a->opt);
	P.plan_arg = "standard";
	P.lead_days = 30;
	P.lead_km = 1000;
	P.daily_km = 40;
	P.lfd = -1;
	P.arena.next = (size_t)2 << 20;
	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS "s:", longopts,
	    NULL)) != -1) {
		if (ch == 'h')
			usage_ok();
		if (ch == 'V')
			print_version();
		switch (common_option(&a->opt, ch, optarg)) {
		case 1:
			continue;
		case -1:
			usage_error(SYNOPSIS);
		}
		switch (ch) {
		case 's':
			P.schedule_path = optarg;
			break;
		case OPT_PLAN:
			if (str_trim(str_of(optarg)).n == 0) {
				warnmsg("--plan: empty name");
				usage_error(SYNOPSIS);
			}
			P.plan_arg = optarg;
			P.plan_given = true;
			break;
		case OPT_LEAD_DAYS:
			opt_number("--lead-days", optarg, &P.lead_days, 0);
			break;
		case OPT_LEAD_KM:
			opt_number("--lead-km", optarg, &P.lead_km, 0);
			break;
		case OPT_DAILY_KM:
			opt_number("--daily-km", optarg, &P.daily_km, 1);
			break;
		case OPT_ALL:
			P.all = true;
			break;
		case OPT_CAMPAIGNS:
			P.campaigns_path = optarg;
			break;
		case OPT_LEDGER:
			P.ledger_path = optarg;
			break;
		case OPT_REPEAT_DAYS:
			opt_number("--repeat-days", optarg, &P.repeat_days, 0);
			P.repeat = true;
			break;
		case OPT_DRY_RUN:
			P.dry_run = true;
			break;
		case OPT_ALERT:
			P.alert = true;
			break;
		default:
			usage_error(SYNOPSIS);
		}
	}
	if (common_finish(&a->opt) == -1)
		usage_error(SYNOPSIS);
	if (P.schedule_path == NULL) {
		warnmsg("-s SCHEDULE is required");
		usage_error(SYNOPSIS);
	}
	if (P.repeat && P.ledger_path == NULL) {
		warnmsg("--repeat-days needs --ledger");
		usage_error(SYNOPSIS);
	}
	if (P.dry_run && P.ledger_path == NULL) {
		warnmsg("--dry-run needs --ledger");
		usage_error(SYNOPSIS);
	}
	day_min = days_from_civil(1, 1, 1);
	day_max = days_from_civil(9999, 12, 31);

	/* Tables. */
	P.plan_arg = xmemdup(str_trim(str_of(P.plan_arg)).p,
	    str_trim(str_of(P.plan_arg)).n);
	read_schedule();
	if (P.campaigns_path)
		read_campaigns();
	P.hit = xcalloc(P.nslots + 1, 1);
	P.pmask = xcalloc(P.nslots + 1, 1);
	for (int i = 0; i < P.nslots; i++)
		P.npat += P.slots[i].pat != NULL;
	P.pcache = xcalloc(PCACHE_SIZE, sizeof *P.pcache);
	for (int i = 0; i < PCACHE_SIZE; i++)
		P.pcache[i].len = UINT32_MAX;
	P.chit = xcalloc(P.ncamps + 1, 1);

	/* The stream and its columns. */
	stream_open(&P.in, argv + optind, argc - optind, a->opt.dialect,
	    a->opt.map, a->opt.nmap);
	P.c_vin = stream_need(&P.in, "vin");
	P.c_date = stream_need(&P.in, "date");
	P.c_km = stream_col(&P.in, "km");
	P.c_services = stream_col(&P.in, "services");
	P.c_plan = stream_col(&P.in, "plan");
	P.pass_cols = xcalloc(P.in.header.nf + 1, sizeof(int));
	for (size_t i = 0; i < P.in.header.nf; i++) {
		int c = (int)i;
		if (c == P.c_vin || c == P.c_date || c == P.c_km ||
		    c == P.c_services || c == P.c_plan || is_out_name(P.in.header.f[i]))
			continue;
		P.pass_cols[P.npass++] = c;
	}
	a->rej_header = P.in.header;

	/* The ledger, locked for the rest of the run.  Behind a symbolic
	 * link it is the link's target: the file to lock and replace. */
	if (P.ledger_path) {
		struct stat ls;
		if (lstat(P.ledger_path, &ls) == 0 && S_ISLNK(ls.st_mode) &&
		    (ledger_real = realpath(P.ledger_path, NULL)) != NULL)
			P.ledger_path = ledger_real;
		ledger_lock();
		if (P.lcreated)
			on_fatal(ledger_uncreate, NULL);
		ledger_read();
	}

	app_open_output(a);

	struct record rec;
	while (stream_next(&P.in, &rec)) {
		prefetch_ahead();
		row(&rec);
	}

	order_rows();

	/* Header, then the rows the ledger does not hide. */
	for (size_t i = 0; i < NOUT; i++)
		csvout_cstr(a->out, out_names[i]);
	for (int i = 0; i < P.npass; i++)
		csvout_str(a->out, P.in.header.f[P.pass_cols[i]]);
	csvout_endrow(a->out);
	const struct orow **sent = xcalloc(P.nrows + 1, sizeof *sent);
	size_t nsent = 0;
	bool alert = false;
	for (size_t i = 0; i < P.nrows; i++) {
		const struct orow *o = &P.rows[P.order[i]];
		prefetch_rows_ahead(i);
		bool remind = o->st == ST_RECALL || o->st == ST_OVERDUE ||
		    o->st == ST_DUE_SOON;
		if (remind && P.ledger_path && ledger_hides(o, o->st == ST_RECALL ?
		    P.camps[o->idx].code : P.items[o->idx].name))
			continue;
		write_row(a->out, o);
		if (remind && P.ledger_path)
			sent[nsent++] = o;
		if (o->st == ST_OVERDUE || o->st == ST_RECALL)
			alert = true;
	}
	stream_close(&P.in);

	/* The output is complete (app_finish is fatal when it is not); only
	 * then does the ledger learn what was sent. */
	int status = app_finish(a, P.alert && alert);
	if (P.ledger_path && !P.dry_run) {
		ledger_write(sent, nsent);
		off_fatal(ledger_uncreate, NULL);
	}
	if (P.lfd >= 0)
		close(P.lfd);
	free(sent);
	prog_free();
	return status;
}
