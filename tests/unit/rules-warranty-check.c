/* Unit tests of warranty-check's rules (warranty-check(1), "Verdict"):
 * last_day, end_km, what one contract says of a claim, the ranking of
 * those, the verdict of a claim over a vehicle's contracts, the months of
 * a term and the classification of a claim.  Table-driven; prints each
 * failure, exits 1. */
#define main warranty_check_main
#include "warranty-check.c"
#undef main

#include <unistd.h>

#include "check.h"

static char dir[256];

static const char *
put_file(const char *name, const char *text)
{
	static char path[8][512];
	static int k;

	k = (k + 1) % 8;
	snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
	FILE *f = fopen(path[k], "w");
	if (f == NULL || fputs(text, f) == EOF || fclose(f) != 0) {
		perror(path[k]);
		exit(1);
	}
	return path[k];
}

static const char *
date_s(day_t d)
{
	static char buf[4][DATE_LEN + 1];
	static int k;

	k = (k + 1) % 4;
	if (d == NO_LAST_DAY)
		return "none";
	fmt_date(buf[k], d);
	return buf[k];
}

/* ---- last_day, end_km ---- */

static void
test_last_day(void)
{
	static const struct { const char *start; int months; const char *want; } t[] = {
		{ "2026-01-15", 6, "2026-07-14" },	/* the spec's example */
		{ "2026-01-31", 1, "2026-02-27" },	/* clamped to February's end */
		{ "2024-01-31", 1, "2024-02-28" },	/* a leap year's February */
		{ "2024-02-29", 12, "2025-02-27" },
		{ "2026-03-31", 1, "2026-04-29" },
		{ "2025-12-31", 2, "2026-02-27" },	/* across a year */
		{ "2026-01-01", 12, "2026-12-31" },
		{ "2026-01-01", 1200, "2125-12-31" },	/* the longest term */
		{ "2026-01-15", 0, NULL },		/* no months limit */
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct term tm = { .months = t[i].months, .km = NO_END_KM };
		day_t got = last_day(D(t[i].start), &tm);
		day_t want = t[i].want ? D(t[i].want) : NO_LAST_DAY;
		CHECK(got == want, "last_day(%s + %d months) = %s, want %s",
		    t[i].start, t[i].months, date_s(got), date_s(want));
	}
}

static void
test_end_km(void)
{
	static const struct { long long start_km, km, want; } t[] = {
		{ 12000, 10000, 22000 },	/* the spec's example */
		{ 0, 40000, 40000 },		/* start_km empty: 0 */
		{ 63006, 1, 63007 },
		{ 12000, NO_END_KM, NO_END_KM },	/* no km limit */
		{ 0, NO_END_KM, NO_END_KM },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct term tm = { .months = 6, .km = t[i].km };
		long long got = end_km(t[i].start_km, &tm);
		CHECK(got == t[i].want, "end_km(%lld, %lld) = %lld, want %lld",
		    t[i].start_km, t[i].km, got, t[i].want);
	}
}

/* ---- what one contract says ---- */

static void
test_contract_verdict(void)
{
	/* Contract WVW1, basic-6m from 2026-01-15 at 12000 km (the spec's
	 * example): last_day 2026-07-14, end_km 22000, unless the row says
	 * otherwise. */
	static const struct {
		int months; long long km;	/* the term; -1 months: none listed */
		const char *date; long long claim_km;
		enum verdict want;
	} t[] = {
		{ 6, 10000, "2026-07-14", 21900, COVERED },
		{ 6, 10000, "2026-07-14", 22000, COVERED },	/* at end_km */
		{ 6, 10000, "2026-07-14", 22001, EXPIRED_KM },
		{ 6, 10000, "2026-07-15", 21900, EXPIRED_TIME },
		{ 6, 10000, "2026-07-15", 22001, EXPIRED_TIME },	/* both: time first */
		{ 6, 10000, "2026-02-01", 500, COVERED },	/* below start_km */
		{ 0, 10000, "2099-01-01", 21999, COVERED },	/* no months limit */
		{ 0, 10000, "2099-01-01", 22001, EXPIRED_KM },
		{ 6, NO_END_KM, "2026-07-14", 999999, COVERED },	/* no km limit */
		{ 6, NO_END_KM, "2026-07-15", 0, EXPIRED_TIME },
		{ -1, 0, "2026-02-01", 13000, NOT_COVERED },	/* tier lacks it */
	};
	struct contract c = { .tier = 0, .start = D("2026-01-15"),
		.start_km = 12000 };

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct term tm = { .months = t[i].months, .km = t[i].km };
		day_t last;
		enum verdict v = contract_verdict(&c, t[i].months < 0 ? NULL : &tm,
		    D(t[i].date), t[i].claim_km, &last);
		CHECK(v == t[i].want, "row %zu: %s at %lld km: %s, want %s", i,
		    t[i].date, t[i].claim_km, verdict_name[v],
		    verdict_name[t[i].want]);
		if (t[i].months > 0)
			CHECK(last == D("2026-07-14"), "row %zu: last %s", i,
			    date_s(last));
		if (t[i].months == 0)
			CHECK(last == NO_LAST_DAY, "row %zu: last %s", i,
			    date_s(last));
	}
}

/* ---- the ranking ---- */

static void
test_better(void)
{
	/* A candidate against the best of the contracts before it (B;
	 * "none": no contract yet). */
	static const struct contract ca, cb;
	static const struct {
		enum verdict av; const char *alast;
		enum verdict bv; const char *blast;	/* NULL bv: none */
		bool none, want;
	} t[] = {
		{ NOT_COVERED, NULL, 0, NULL, true, true },
		{ COVERED, "2026-07-14", EXPIRED_KM, "2027-01-01", false, true },
		{ EXPIRED_KM, "2026-07-14", EXPIRED_TIME, "2027-01-01", false, true },
		{ EXPIRED_TIME, "2026-07-14", NOT_COVERED, NULL, false, true },
		{ EXPIRED_KM, "2026-07-14", COVERED, "2026-01-01", false, false },
		{ NOT_COVERED, NULL, EXPIRED_TIME, "2020-01-01", false, false },
		/* ties: the later last_day, none latest, then the earlier */
		{ COVERED, "2027-01-14", COVERED, "2026-07-14", false, true },
		{ COVERED, "2026-07-14", COVERED, "2027-01-14", false, false },
		{ COVERED, "2026-07-14", COVERED, "2026-07-14", false, false },
		{ COVERED, NULL, COVERED, "2125-12-31", false, true },
		{ COVERED, "2125-12-31", COVERED, NULL, false, false },
		{ EXPIRED_TIME, "2026-08-01", EXPIRED_TIME, "2026-07-14", false, true },
		{ EXPIRED_KM, "2026-07-14", EXPIRED_KM, "2026-08-01", false, false },
		{ NOT_COVERED, NULL, NOT_COVERED, NULL, false, false },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct choice a = { t[i].av, &ca, NULL,
			t[i].av == NOT_COVERED ? 0 :
			t[i].alast ? D(t[i].alast) : NO_LAST_DAY };
		struct choice b = { t[i].bv, t[i].none ? NULL : &cb, NULL,
			t[i].none || t[i].bv == NOT_COVERED ? 0 :
			t[i].blast ? D(t[i].blast) : NO_LAST_DAY };
		CHECK(better(&a, &b) == t[i].want, "row %zu: %s (%s) over %s (%s)",
		    i, verdict_name[t[i].av], t[i].alast ? t[i].alast : "-",
		    t[i].none ? "none" : verdict_name[t[i].bv],
		    t[i].blast ? t[i].blast : "-");
	}
	/* The ranking is a total order of the four verdicts of a contract. */
	CHECK(verdict_rank[COVERED] < verdict_rank[EXPIRED_KM] &&
	    verdict_rank[EXPIRED_KM] < verdict_rank[EXPIRED_TIME] &&
	    verdict_rank[EXPIRED_TIME] < verdict_rank[NOT_COVERED],
	    "covered > expired_km > expired_time > not_covered");
}

/* ---- the verdict of a claim ---- */

static struct wc w;

static const char TERMS[] =
    "tier,component,months,km,deductible\n"
    "basic-6m,powertrain,6,10000,0\n"
    "basic-6m,electrical,6,10000,0\n"
    "extended-24m,powertrain,24,40000,100.00\n"
    "extended-24m,climate,12,20000,100.00\n"
    "hv-8y,hv-battery,,160000,0\n"
    "hv-long,hv-battery,120,,0\n";

static const char CONTRACTS[] =
    "vin,tier,start_date,start_km,status\n"
    "TWO,basic-6m,2026-01-15,12000,\n"		/* 0 */
    "TWO,extended-24m,2026-01-15,12000,\n"	/* 1 */
    "SAME,basic-6m,2026-01-15,0,\n"		/* 2 */
    "SAME,BASIC-6M,2026-01-15,0,\n"		/* 3 */
    "LATER,basic-6m,2026-09-01,0,\n"		/* 4 */
    "VOID,basic-6m,2026-01-15,0,void\n"	/* (not held) */
    "MIX,basic-6m,2025-01-01,0,\n"		/* 5 */
    "MIX,extended-24m,2026-01-01,0,\n"		/* 6 */
    "HV,hv-long,2020-01-01,0,\n"		/* 7 */
    "HV,hv-8y,2020-01-01,0,\n";		/* 8 */

static int
comp_of(const char *name)
{
	if (name == NULL)
		return COMP_NONE;
	long i = map_index(&w.comps, str_of(name));
	return i >= 0 ? (int)i : COMP_UNKNOWN;
}

static const struct contract *
first_of(const char *vin)
{
	struct str v = str_of(vin);
	int32_t fi = w.tab[vin_slot(&w, v, str_hash(v))].first;

	return fi >= 0 ? &w.con[fi] : NULL;
}

static void
test_claim_verdict(void)
{
	static const struct {
		const char *vin, *date; long long km; const char *comp;
		enum verdict want; int contract;	/* index in file order */
		const char *last;
	} t[] = {
		/* both cover: the later last_day */
		{ "TWO", "2026-03-01", 13000, "powertrain", COVERED, 1, "2028-01-14" },
		/* the basic one expired by time, the extended covers */
		{ "TWO", "2026-08-01", 20000, "powertrain", COVERED, 1, "2028-01-14" },
		/* only the basic one lists electrical */
		{ "TWO", "2026-03-01", 13000, "electrical", COVERED, 0, "2026-07-14" },
		{ "TWO", "2026-08-01", 13000, "electrical", EXPIRED_TIME, 0, "2026-07-14" },
		{ "TWO", "2026-03-01", 23000, "electrical", EXPIRED_KM, 0, "2026-07-14" },
		/* only the extended one lists climate */
		{ "TWO", "2026-03-01", 13000, "climate", COVERED, 1, "2027-01-14" },
		/* neither lists it: not_covered, the earlier contract */
		{ "TWO", "2026-03-01", 13000, "hv-battery", NOT_COVERED, 0, NULL },
		{ "TWO", "2026-03-01", 13000, "brakes", NOT_COVERED, 0, NULL },
		/* the same term twice: the earlier contract */
		{ "SAME", "2026-03-01", 100, "powertrain", COVERED, 2, "2026-07-14" },
		{ "SAME", "2026-08-01", 100, "powertrain", EXPIRED_TIME, 2, "2026-07-14" },
		/* started after the claim: no warranty in force */
		{ "LATER", "2026-08-31", 100, "powertrain", NO_WARRANTY, -1, NULL },
		{ "LATER", "2026-09-01", 100, "powertrain", COVERED, 4, "2027-02-28" },
		/* a void contract covers nothing; an unknown VIN has nothing */
		{ "VOID", "2026-03-01", 100, "powertrain", NO_WARRANTY, -1, NULL },
		{ "NONE", "2026-03-01", 100, "powertrain", NO_WARRANTY, -1, NULL },
		/* expired_km (extended) beats expired_time (basic) */
		{ "MIX", "2026-03-01", 50000, "powertrain", EXPIRED_KM, 6, "2027-12-31" },
		/* no component: unclassified, but no_warranty comes first */
		{ "MIX", "2026-03-01", 100, NULL, UNCLASSIFIED, 5, NULL },
		{ "LATER", "2026-03-01", 100, NULL, NO_WARRANTY, -1, NULL },
		/* a component without a months limit is latest on a tie */
		{ "HV", "2026-03-01", 100000, "hv-battery", COVERED, 8, NULL },
		/* ... and never expires by time; past its km, the other wins */
		{ "HV", "2026-03-01", 170000, "hv-battery", COVERED, 7, "2029-12-31" },
		{ "HV", "2031-01-01", 170000, "hv-battery", EXPIRED_KM, 8, NULL },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct choice ch = claim_verdict(&w, first_of(t[i].vin),
		    comp_of(t[i].comp), D(t[i].date), t[i].km);
		int got = ch.c == NULL ? -1 : (int)(ch.c - w.con);
		CHECK(ch.v == t[i].want && got == t[i].contract,
		    "row %zu: %s %s %lld %s: %s of contract %d, want %s of %d",
		    i, t[i].vin, t[i].date, t[i].km,
		    t[i].comp ? t[i].comp : "(none)", verdict_name[ch.v], got,
		    verdict_name[t[i].want], t[i].contract);
		if (names_term(t[i].want))
			CHECK(ch.last == (t[i].last ? D(t[i].last) : NO_LAST_DAY),
			    "row %zu: last_day %s", i, date_s(ch.last));
	}
}

/* ---- the months of a term ---- */

static void
test_parse_months(void)
{
	static const struct { const char *s; int rc, want; } t[] = {
		{ "6", 0, 6 }, { "1", 0, 1 }, { "1200", 0, 1200 },
		{ "006", 0, 6 }, { "0", -1, 0 }, { "1201", -1, 0 },
		{ "six", -1, 0 }, { "6.5", -1, 0 }, { "-6", -1, 0 },
		{ "1 200", -1, 0 }, { "1234567", -1, 0 }, { "", -1, 0 },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int m = 0;
		int rc = parse_months(str_of(t[i].s), &m);
		CHECK(rc == t[i].rc && (rc != 0 || m == t[i].want),
		    "parse_months('%s') = %d (%d)", t[i].s, rc, m);
	}
}

/* ---- the component of a claim ---- */

static const char COMPONENTS[] =
    "component,pattern\n"
    "powertrain,\\b(engine|gearbox|variklis|двигатель)\\b\n"
    "electrical,\\b(alternator|starter|стартер)\\b\n"
    "climate,\\bcompressor\\b\n";

static void
test_classify(void)
{
	/* Each claim's expected component (NULL: none), or code. */
	static const struct { const char *row; int code; const char *want; } t[] = {
		{ "Powertrain,alternator,", 0, "powertrain" },	/* given wins */
		{ " electrical ,,", 0, "electrical" },
		{ "brakes,gearbox,", COMP_UNKNOWN, NULL },	/* named nowhere */
		{ "-,gearbox,", 0, "powertrain" },		/* unknown: patterns */
		{ ",Gearbox noise,alternator dead", 0, "powertrain" },	/* part first */
		{ ",noise,Starter dead", 0, "electrical" },	/* then the description */
		{ ",-,starter", 0, "electrical" },		/* part unknown */
		{ ",n/a,compressor", 0, "climate" },		/* --na */
		{ ",   ,engine", 0, "powertrain" },		/* part blank */
		{ ",alternator and gearbox,", 0, "powertrain" },	/* file order */
		{ ",ДВИГАТЕЛЬ стучит,", 0, "powertrain" },	/* caseless Cyrillic */
		{ ",Variklis,", 0, "powertrain" },
		{ ",noise,rattle", COMP_NONE, NULL },
		{ ",,", COMP_NONE, NULL },
		{ ",gearboxes,", COMP_NONE, NULL },		/* \b */
		{ ",Alternator,", 0, "electrical" },		/* from the memo */
		{ ",ALTERNATOR,", 0, "electrical" },
	};
	char text[4096] = "component,part,description\n";

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		strcat(text, t[i].row);
		strcat(text, "\n");
	}
	char *files[1] = { (char *)put_file("claims.csv", text) };
	struct stream in;
	struct record r;
	struct row row;
	const struct column spec[] = {
		{ "part", false, &w.cc.part }, { "description", false, &w.cc.desc },
		{ "component", false, &w.cc.comp }, { NULL, false, NULL }
	};

	field_set_na("n/a");
	stream_open(&in, files, 1, w.app.opt.dialect, NULL, 0);
	stream_columns(&in, spec);
	for (size_t i = 0; stream_next(&in, &r); i++) {
		struct str given;
		CHECK(row_start(&row, &w.app, &in, &r, ROW_STREAM), "row %zu", i);
		int got = classify(&w, &row, &given);
		int want = t[i].want ? comp_of(t[i].want) : t[i].code;
		CHECK(got == want, "row %zu '%s': %d (%s), want %d", i, t[i].row,
		    got, got >= 0 ? code_name(&w.comps, got).p : "-", want);
		if (i == 1)
			CHECK(str_eq(given, str_of("electrical")), "given trimmed");
		if (i == 2)
			CHECK(str_eq(given, str_of("brakes")), "given unknown");
	}
	stream_close(&in);
	field_set_na(NULL);
}

int
main(void)
{
	snprintf(dir, sizeof dir, "%s/rules-wc.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		return 1;
	}
	wc_init(&w);
	w.app.opt.as_of_arg = "2026-11-20";
	w.app.opt.tz = "UTC";
	if (common_finish(&w.app.opt) != 0)
		return 1;
	load_terms(&w, put_file("terms.csv", TERMS));
	load_components(&w, put_file("components.csv", COMPONENTS));
	load_contracts(&w, put_file("contracts.csv", CONTRACTS));

	test_last_day();
	test_end_km();
	test_contract_verdict();
	test_better();
	test_claim_verdict();
	test_parse_months();
	test_classify();

	wc_free(&w);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("could not remove %s\n", dir);
	printf("%d checks, %d failed\n", checks, failures);
	return failures != 0;
}
