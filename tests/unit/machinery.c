/* Unit tests of the machinery every program shares: the string map, the
 * memo, the field getters, the ledger, str_msg and str_utf8_valid.
 * Table-driven where the rule is a table; prints each failure, exits 1. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "field.h"
#include "holidays.h"
#include "ledger.h"
#include "map.h"
#include "memo.h"
#include "rowstore.h"
#include "opts.h"
#include "str.h"
#include "util.h"

#include "check.h"

static char dir[256];

static void
put_file(const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static char *
get_file(const char *name)
{
	static char buf[4096];
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static const char *
P(const char *name)
{
	static char path[4][512];
	static int k;
	k = (k + 1) % 4;
	snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
	return path[k];
}

static void
test_map(void)
{
	struct map m;
	char key[64];

	map_init(&m, false);
	CHECK(map_get(&m, STR_C("a")) == NULL, "empty map has a");
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "key-%d", i);
		bool isnew;
		size_t *v = map_put(&m, str_of(key), (size_t)i * 3, &isnew);
		CHECK(isnew && *v == (size_t)i * 3, "put %s", key);
	}
	bool isnew = true;
	CHECK(*map_put(&m, STR_C("key-17"), 99, &isnew) == 51 && !isnew,
	    "put of a present key changed it");
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "key-%d", i);
		size_t *v = map_get(&m, str_of(key));
		CHECK(v != NULL && *v == (size_t)i * 3, "get %s", key);
		CHECK(map_index(&m, str_of(key)) == i, "index %s", key);
	}
	CHECK(map_get(&m, STR_C("KEY-1")) == NULL, "exact map ignores case");
	CHECK(map_count(&m) == 5000, "count %zu", map_count(&m));
	/* Prefetching: stages 0 and 1 tell nothing; stage 2 the value of
	 * a present key, NULL for most absent ones; the map unchanged. */
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "key-%d", i);
		uint64_t h = map_hash(&m, str_of(key));
		const size_t *v0 = map_prefetch(&m, h, 0);
		const size_t *v1 = map_prefetch(&m, h, 1);
		const size_t *v2 = map_prefetch(&m, h, 2);
		CHECK(v0 == NULL && v1 == NULL && v2 != NULL &&
		    *v2 == (i == 17 ? 51 : (size_t)i * 3), "prefetch %s", key);
		CHECK(map_get_hashed(&m, str_of(key), h) == v2, "get_hashed %s", key);
		snprintf(key, sizeof key, "absent-%d", i);
		h = map_hash(&m, str_of(key));
		CHECK(map_prefetch(&m, h, 2) == NULL,
		    "prefetch of %s found a value", key);
		CHECK(map_get_hashed(&m, str_of(key), h) == NULL,
		    "get_hashed of %s found a value", key);
	}
	CHECK(map_count(&m) == 5000, "prefetch changed the map");
	map_free(&m);
	CHECK(map_prefetch(&m, 1, 2) == NULL, "empty map prefetch");
	map_init(&m, false);
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "key-%d", i);
		map_put(&m, str_of(key), (size_t)i * 3, NULL);
	}
	/* Insertion order, and the keys are the map's own copies. */
	CHECK(str_eq(m.e[4999].key, STR_C("key-4999")), "order");
	map_free(&m);

	map_init(&m, true);
	static const struct { const char *put, *get; bool found; } ci[] = {
		{ "Standard", "standard", true }, { "TAXI", "taxi", true },
		{ "Vilnius", "VILNIUS", true }, { "Šiauliai", "ŠIAULIAI", true },
		{ "Šiauliai", "šiauliai", false },	/* ASCII case only */
		{ "a", "a ", false }, { "", "", true },
	};
	for (size_t i = 0; i < sizeof ci / sizeof ci[0]; i++) {
		map_put(&m, str_of(ci[i].put), i, NULL);
		CHECK((map_get(&m, str_of(ci[i].get)) != NULL) == ci[i].found,
		    "ci map: %s / %s", ci[i].put, ci[i].get);
		CHECK((map_hash(&m, str_of(ci[i].put)) ==
		    map_hash(&m, str_of(ci[i].get))) == ci[i].found,
		    "ci map_hash: %s / %s", ci[i].put, ci[i].get);
	}
	/* A long key (a VIN of 2,000 bytes must not be cut). */
	char longk[2001];
	memset(longk, 'V', 2000);
	longk[2000] = '\0';
	map_put(&m, str_of(longk), 7, NULL);
	longk[1999] = 'W';
	CHECK(map_get(&m, str_of(longk)) == NULL, "long keys cut");
	map_free(&m);
}

static void
test_memo(void)
{
	struct memo *m = memo_new(sizeof(int));
	uint64_t h;
	int v = 42;

	CHECK(memo_get(m, STR_C("oil change"), &h) == NULL, "empty memo");
	memo_put(m, STR_C("oil change"), h, &v);
	const int *r = memo_get(m, STR_C("oil change"), &h);
	CHECK(r != NULL && *r == 42, "memo kept");
	CHECK(memo_get(m, STR_C("oil changE"), &h) == NULL, "memo is exact");
	/* Too long to keep. */
	char big[MEMO_TEXT_MAX + 2];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memo_put(m, str_of(big), 0, &v);
	CHECK(memo_get(m, str_of(big), &h) == NULL, "long text kept");
	/* Many texts: each answer is the one put for it, or none. */
	char t[32];
	for (int i = 0; i < 20000; i++) {
		snprintf(t, sizeof t, "text %d", i);
		if (memo_get(m, str_of(t), &h) == NULL)
			memo_put(m, str_of(t), h, &i);
	}
	int wrong = 0;
	for (int i = 0; i < 20000; i++) {
		snprintf(t, sizeof t, "text %d", i);
		r = memo_get(m, str_of(t), &h);
		wrong += r != NULL && *r != i;
	}
	CHECK(wrong == 0, "%d wrong answers", wrong);
	memo_free(m);
}

static void
test_rowstore(void)
{
	struct rowstore rs = { 0 };
	struct record r;
	char buf[64];

	for (int i = 0; i < 3000; i++) {
		snprintf(buf, sizeof buf, "row %d", i);
		struct str f[3] = { str_of(buf), { "", 0 }, { "a\0b", 3 } };
		CHECK(rowstore_add(&rs, f, (size_t)(i % 3) + 1) == (size_t)i, "index");
	}
	for (int i = 2999; i >= 0; i--) {
		rowstore_get(&rs, (size_t)i, &r);
		snprintf(buf, sizeof buf, "row %d", i);
		CHECK(r.nf == (size_t)(i % 3) + 1 && str_eq(r.f[0], str_of(buf)),
		    "row %d back", i);
		if (r.nf == 3)
			CHECK(r.f[1].n == 0 && r.f[2].n == 3 && r.f[2].p[1] == '\0',
			    "fields of row %d", i);
	}
	rowstore_free(&rs);
}

static void
test_str(void)
{
	static const struct { const char *in, *out; } msg[] = {
		{ "plain", "plain" },
		{ "a\nb\rc\td", "a\\nb\\rc\\td" },
		{ "\x1b[31mred", "\\x1b[31mred" },
		{ "back\\slash", "back\\\\slash" },
		{ "Šiauliai", "Šiauliai" },
		{ "\x7f", "\\x7f" },
	};
	char buf[64];
	for (size_t i = 0; i < sizeof msg / sizeof msg[0]; i++)
		CHECK(strcmp(str_msg(buf, sizeof buf, str_of(msg[i].in)),
		    msg[i].out) == 0, "str_msg(%s) = %s", msg[i].out, buf);
	char small[12];
	str_msg(small, sizeof small, STR_C("0123456789abcdef"));
	CHECK(strcmp(small, "01234567...") == 0, "cut: %s", small);

	static const struct { const char *s; bool ok; } u[] = {
		{ "", true }, { "ascii only, long enough for words", true },
		{ "Šiauliai ЗАМЕНА МАСЛА", true }, { "\xf0\x9f\x9a\x97", true },
		{ "\xc0\xaf", false },		/* overlong */
		{ "\xe0\x80\xaf", false },	/* overlong */
		{ "\xed\xa0\x80", false },	/* surrogate */
		{ "\xf4\x90\x80\x80", false },	/* past U+10FFFF */
		{ "\xc7\xc0\xcc\xc5\xcd\xc0", false },	/* cp1251 ЗАМЕНА */
		{ "abc\xd0", false },		/* cut short */
		{ "abcdefgh\xd0\x97", true },
		{ "abcdefgh\x97", false },
	};
	for (size_t i = 0; i < sizeof u / sizeof u[0]; i++)
		CHECK(str_utf8_valid(str_of(u[i].s)) == u[i].ok, "utf8 case %zu", i);
}

/* The getters on a table of rows: what each returns. */
static void
test_getters(void)
{
	static struct app a;
	struct stream s;
	struct record r;

	common_init(&a.opt);
	dt_init("UTC", NULL);
	field_set_na("n/a,NULL");
	put_file("g.csv",
	    "d,n,m,c\n"
	    "2026-01-05,15 000,100.50,Urgent\n"
	    "-,-,-,-\n"
	    "N/A,null,,\n"
	    "2026-02-30,12 km,1.234,sometimes\n"
	    "2026-01-05 10:00,\"1,07,905\",7,normal\n");
	table_open(&s, P("g.csv"), "test");
	static const char *const prio[] = { "urgent", "normal", NULL };
	static const struct { int d, n, m, c; } want[] = {
		{ 1, 1, 1, 1 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { -1, -1, -1, -1 },
		{ 1, 1, 1, 1 },
	};
	int i = 0;
	long before = a.rejected;
	while (stream_next(&s, &r)) {
		/* Each column on its own row reader, so that a bad value of one
		 * does not hide the answer for the next. */
		struct row w;
		day_t d;
		long long n, m;
		int c;
		row_start(&w, &a, &s, &r, ROW_DATA);
		int rd = get_date(&w, 0, OPTIONAL, &d);
		row_start(&w, &a, &s, &r, ROW_DATA);
		int rn = get_count(&w, 1, OPTIONAL, &n);
		row_start(&w, &a, &s, &r, ROW_DATA);
		int rm = get_money(&w, 2, OPTIONAL, &m);
		row_start(&w, &a, &s, &r, ROW_DATA);
		int rc = get_choice(&w, 3, OPTIONAL, "priority", prio, &c);
		CHECK(rd == want[i].d && rn == want[i].n && rm == want[i].m &&
		    rc == want[i].c, "row %d: %d %d %d %d", i + 2, rd, rn, rm, rc);
		if (i == 0)
			CHECK(n == 15000 && m == 10050 && c == 0, "values of row 2");
		if (i == 4)
			CHECK(n == 107905 && c == 1, "values of row 6");
		/* A required empty value is missing; one report per row. */
		row_start(&w, &a, &s, &r, ROW_DATA);
		long k = a.rejected;
		int r1 = get_str(&w, 2, REQUIRED, &(struct str){ 0 });
		int r2 = get_str(&w, 3, REQUIRED, &(struct str){ 0 });
		if (i == 1 || i == 2)
			CHECK(r1 == -1 && r2 == -1 && a.rejected == k + 1 && w.bad,
			    "row %d: one report for two missing values", i + 2);
		i++;
	}
	CHECK(a.rejected - before == 4 + 2, "reported %ld", a.rejected - before);
	stream_close(&s);
	/* The program's own file: ISO dates only, no --na. */
	dt_init("UTC", "%d.%m.%Y");
	put_file("own.csv", "d,x\n05.01.2026,n/a\n2026-01-05,-\n");
	own_open(&s, P("own.csv"), "ledger");
	stream_next(&s, &r);
	struct row w;
	day_t d;
	struct str v;
	row_start(&w, &a, &s, &r, ROW_OWN);
	CHECK(get_date(&w, 0, REQUIRED, &d) == -1, "own file read --date-format");
	stream_next(&s, &r);
	row_start(&w, &a, &s, &r, ROW_OWN);
	CHECK(get_date(&w, 0, REQUIRED, &d) == 1 && get_str(&w, 1, REQUIRED, &v) == 1 &&
	    str_eq(v, STR_C("-")), "own file: - is a value");
	stream_close(&s);
	dt_init("UTC", NULL);
	field_set_na(NULL);
	/* A repeated header line and a short row are not rows. */
	put_file("h.csv", "a,b\n1,2\na,b\n3\n");
	table_open(&s, P("h.csv"), "test");
	bool ok[3];
	for (int k = 0; k < 3 && stream_next(&s, &r); k++)
		ok[k] = row_start(&w, &a, &s, &r, ROW_DATA);
	CHECK(ok[0] && !ok[1] && !ok[2], "row_start: %d %d %d", ok[0], ok[1], ok[2]);
	stream_close(&s);
}

/* get_date_item and row_bad_item: an item of a list value, reported with
 * the item quoted in the one wording of its kind. */
static void
test_items(void)
{
	static struct app a;
	struct stream s;
	struct record r;
	struct row w;
	day_t d = 0;
	char want[1024];

	common_init(&a.opt);
	dt_init("UTC", NULL);
	put_file("items.csv", "u\n2026-12-24;2026-02-30\n");
	table_open(&s, P("items.csv"), "test");
	stream_next(&s, &r);
	row_start(&w, &a, &s, &r, ROW_DATA);
	fflush(stderr);
	int saved = dup(2), f = open(P("items.err"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dup2(f, 2);
	close(f);
	int r1 = get_date_item(&w, 0, STR_C(" 2026-12-24 "), &d);
	day_t d1 = d;
	int r2 = get_date_item(&w, 0, STR_C("2026-02-30"), &d);
	int r3 = row_bad_item(&w, 0, STR_C("x"), "invalid range", NULL);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	CHECK(r1 == 1 && d1 == days_from_civil(2026, 12, 24), "item read");
	CHECK(r2 == -1 && r3 == -1 && w.bad && d == d1, "bad item: %d %d", r2, r3);
	snprintf(want, sizeof want, "%s: %s:2: u: invalid date '2026-02-30' "
	    "(expected YYYY-MM-DD; see --date-format)\n", progname, P("items.csv"));
	CHECK(strcmp(get_file("items.err"), want) == 0, "item message: %s",
	    get_file("items.err"));
	row_start(&w, &a, &s, &r, ROW_DATA);
	fflush(stderr);
	saved = dup(2);
	f = open(P("items.err"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dup2(f, 2);
	close(f);
	row_bad_item(&w, 0, STR_C("2026-11-10.."), "invalid range",
	    "expected %s", "DATE..DATE");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	snprintf(want, sizeof want, "%s: %s:2: u: invalid range '2026-11-10..' "
	    "(expected DATE..DATE)\n", progname, P("items.csv"));
	CHECK(strcmp(get_file("items.err"), want) == 0, "row_bad_item: %s",
	    get_file("items.err"));
	stream_close(&s);
}

static const char *const lcols[] = { "id", "contact", "sent", NULL };

/* Run F in a child; its exit status. */
static int
in_child(void (*f)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 2);
		f();
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static struct app la;

static void
open_bad_header(void)
{
	ledger_open(&la, P("bad.csv"), lcols, false);
}

static void
open_locked(void)
{
	setenv("AFTERSALES_LOCK_WAIT", "0.3", 1);
	ledger_open(&la, P("l.csv"), lcols, false);
}

static void
test_ledger(void)
{
	struct ledger *l;
	struct row w;
	size_t idx;
	struct str f[3];

	common_init(&la.opt);
	dt_init("UTC", NULL);
	/* Missing: created, and removed again when not committed. */
	l = ledger_open(&la, P("l.csv"), lcols, false);
	CHECK(get_file("l.csv") != NULL, "ledger not created");
	CHECK(ledger_next(l, &w, &idx) == 0, "rows in a new ledger");
	ledger_close(l);
	CHECK(get_file("l.csv") == NULL, "created ledger left behind");
	/* A dry run creates nothing. */
	l = ledger_open(&la, P("l.csv"), lcols, true);
	ledger_close(l);
	CHECK(get_file("l.csv") == NULL, "dry run created the ledger");
	/* Added rows, committed. */
	l = ledger_open(&la, P("l.csv"), lcols, false);
	f[0] = STR_C("RO-1"), f[1] = STR_C("a@x.lt"), f[2] = STR_C("2026-11-20");
	ledger_add(l, f);
	f[0] = STR_C("RO-2"), f[1] = STR_C("b,c@x.lt"), f[2] = STR_C("2026-11-20");
	ledger_add(l, f);
	ledger_commit(l);
	ledger_close(l);
	const char *got = get_file("l.csv");
	CHECK(got && strcmp(got, "id,contact,sent\nRO-1,a@x.lt,2026-11-20\n"
	    "RO-2,\"b,c@x.lt\",2026-11-20\n") == 0, "ledger: %s", got);
	/* Unreadable rows kept as they are; a dropped row goes. */
	put_file("l.csv", "id,contact,sent\nRO-1,a@x.lt,2026-11-20\nshort\n"
	    "RO-2,b@x.lt,2026-13-01\nRO-3,c@x.lt,2026-11-21\n");
	long before = la.rejected;
	l = ledger_open(&la, P("l.csv"), lcols, false);
	int n = 0;
	while (ledger_next(l, &w, &idx)) {
		day_t d;
		n++;
		if (get_date(&w, 2, REQUIRED, &d) < 0)
			continue;
		if (idx == 0)
			ledger_drop(l, idx);
	}
	CHECK(n == 3 && la.rejected == before + 2, "rows %d, reported %ld", n,
	    la.rejected - before);
	f[0] = STR_C("RO-4"), f[1] = STR_C("d@x.lt"), f[2] = STR_C("2026-11-22");
	ledger_add(l, f);
	ledger_commit(l);
	ledger_close(l);
	got = get_file("l.csv");
	CHECK(got && strcmp(got, "id,contact,sent\nshort\nRO-2,b@x.lt,2026-13-01\n"
	    "RO-3,c@x.lt,2026-11-21\nRO-4,d@x.lt,2026-11-22\n") == 0, "kept: %s", got);
	/* Nothing changed: the file is not rewritten. */
	struct stat a1, a2;
	stat(P("l.csv"), &a1);
	l = ledger_open(&la, P("l.csv"), lcols, false);
	while (ledger_next(l, &w, &idx))
		;
	ledger_commit(l);
	ledger_close(l);
	stat(P("l.csv"), &a2);
	CHECK(a1.st_ino == a2.st_ino, "unchanged ledger rewritten");
	/* A dry run reads every row (counted, not kept: ledger.c), drops
	 * and adds, and changes nothing. */
	const char *before_dry = xstrdup(get_file("l.csv"));
	l = ledger_open(&la, P("l.csv"), lcols, true);
	n = 0;
	while (ledger_next(l, &w, &idx)) {
		CHECK(idx == (size_t)n + 1, "dry run: row %d has index %zu", n, idx);
		n++;
		ledger_drop(l, idx);
	}
	ledger_add(l, f);
	CHECK(n == 3 && ledger_rows(l) == 5, "dry run: %d rows, %zu counted", n,
	    ledger_rows(l));
	ledger_commit(l);
	ledger_close(l);
	stat(P("l.csv"), &a1);
	CHECK(a1.st_ino == a2.st_ino && strcmp(get_file("l.csv"), before_dry) == 0,
	    "dry run changed the ledger");
	free((char *)before_dry);
	/* Rows the program never read are kept, in their place, before the
	 * rows it adds. */
	put_file("l.csv", "id,contact,sent\nA,a@x.lt,2026-11-20\nB,b@x.lt,2026-11-21\n");
	l = ledger_open(&la, P("l.csv"), lcols, false);
	f[0] = STR_C("C"), f[1] = STR_C("c@x.lt"), f[2] = STR_C("2026-11-22");
	ledger_add(l, f);
	ledger_commit(l);
	ledger_close(l);
	got = get_file("l.csv");
	CHECK(got && strcmp(got, "id,contact,sent\nA,a@x.lt,2026-11-20\n"
	    "B,b@x.lt,2026-11-21\nC,c@x.lt,2026-11-22\n") == 0, "unread rows: %s", got);
	/* Another program's header: fatal before anything is written. */
	put_file("bad.csv", "vin,service,due_date,sent\n");
	CHECK(in_child(open_bad_header) == 2, "foreign header accepted");
	put_file("bad.csv", "id,contact,sent,extra\n");
	CHECK(in_child(open_bad_header) == 2, "extra column accepted");
	/* Locked by another: exit 2 after the wait. */
	int fd = open(P("l.csv"), O_RDWR);
	flock(fd, LOCK_EX);
	CHECK(in_child(open_locked) == 2, "lock not respected");
	close(fd);
	/* A dangling link: its target is created, the link kept. */
	symlink("target.csv", P("link.csv"));
	l = ledger_open(&la, P("link.csv"), lcols, false);
	ledger_add(l, f);
	ledger_commit(l);
	ledger_close(l);
	struct stat ls;
	CHECK(lstat(P("link.csv"), &ls) == 0 && S_ISLNK(ls.st_mode) &&
	    get_file("target.csv") != NULL, "dangling link");
	/* A ledger named "-" is that file, read and rewritten there: not
	 * written to standard output (csvout's "-"). */
	char cwd[512];
	if (getcwd(cwd, sizeof cwd) != NULL && chdir(dir) == 0) {
		fflush(stdout);
		int saved = dup(1), out = open("stdout.txt",
		    O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(out, 1);
		close(out);
		l = ledger_open(&la, "-", lcols, false);
		ledger_add(l, f);
		ledger_commit(l);
		ledger_close(l);
		fflush(stdout);
		dup2(saved, 1);
		close(saved);
		CHECK(chdir(cwd) == 0, "chdir back");
		const char *dash = get_file("-");
		CHECK(dash != NULL && strncmp(dash, "id,contact,sent\n", 16) == 0,
		    "ledger '-': %s", dash ? dash : "(none)");
		CHECK(strcmp(get_file("stdout.txt"), "") == 0,
		    "ledger '-' went to standard output: %s", get_file("stdout.txt"));
	}
}

static void
read_bad_holidays(void)
{
	struct holidays hs = { 0 };
	holidays_read(&hs, P("badhol.csv"));
}

static void
test_holidays(void)
{
	struct holidays hs = { 0 };
	day_t d;

	dt_init("UTC", NULL);
	put_file("hol.csv", "date,region,name\n2026-01-01,,New Year\n12-24,all,"
	    "Christmas Eve\n02-29,,Leap\n2026-05-04,Kaunas,Local\n");
	holidays_read(&hs, P("hol.csv"));
	static const struct { const char *d, *region; bool on; } t[] = {
		{ "2026-01-01", "", true }, { "2027-01-01", "", false },
		{ "2026-12-24", "", true }, { "2031-12-24", "vilnius", true },
		{ "2028-02-29", "", true }, { "2026-02-28", "", false },
		{ "2026-05-04", "kaunas", true }, { "2026-05-04", "KAUNAS", true },
		{ "2026-05-04", "vilnius", false }, { "2026-05-04", "", false },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		parse_iso_date(str_of(t[i].d), &d);
		CHECK(holiday_on(&hs, d, str_of(t[i].region)) == t[i].on,
		    "holiday %s %s", t[i].d, t[i].region);
	}
	holidays_free(&hs);
	static const char *const bad[] = {
		"date\n13-01\n", "date\n2026-02-30\n", "date\n\n2026-01-01,x\n",
		"date\n02-30\n", "day\n2026-01-01\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		put_file("badhol.csv", bad[i]);
		CHECK(in_child(read_bad_holidays) == 2, "bad holidays %zu read", i);
	}
}

int
main(void)
{
	snprintf(dir, sizeof dir, "%s/machinery.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		return 1;
	}
	progname = "machinery";
	test_map();
	test_memo();
	test_rowstore();
	test_str();
	test_getters();
	test_items();
	test_ledger();
	test_holidays();
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("could not remove %s\n", dir);
	printf("%d checks, %d failed\n", checks, failures);
	return failures != 0;
}
