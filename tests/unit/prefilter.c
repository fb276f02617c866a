/* Unit tests of common/prefilter: the case table against PCRE2 itself for
 * all of Unicode, the literals read from patterns, and the prefilter
 * never saying "no" where PCRE2 says "match". */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "prefilter.h"

#include "check.h"

static const uint32_t OPTS = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;

static size_t
enc(uint32_t c, char *o)
{
	if (c < 0x80) { o[0] = (char)c; return 1; }
	if (c < 0x800) { o[0] = (char)(0xC0 | c >> 6); o[1] = (char)(0x80 | (c & 0x3F)); return 2; }
	if (c < 0x10000) { o[0] = (char)(0xE0 | c >> 12); o[1] = (char)(0x80 | (c >> 6 & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F)); return 3; }
	o[0] = (char)(0xF0 | c >> 18); o[1] = (char)(0x80 | (c >> 12 & 0x3F));
	o[2] = (char)(0x80 | (c >> 6 & 0x3F)); o[3] = (char)(0x80 | (c & 0x3F)); return 4;
}

static uint32_t
dec(const unsigned char *s, size_t *len)
{
	if (s[0] < 0x80) { *len = 1; return s[0]; }
	if (s[0] < 0xE0) { *len = 2; return (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F); }
	if (s[0] < 0xF0) { *len = 3; return (uint32_t)(s[0] & 0x0F) << 12 |
		(uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F); }
	*len = 4;
	return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
	    (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
}

/* For every character C of the table's domain, every character of Unicode
 * that PCRE2 matches caselessly with C must fold as C does: otherwise the
 * prefilter could miss a match. */
static void
test_fold_table(void)
{
	size_t cap = 0x110000 * 4, n = 0;
	char *all = malloc(cap);
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int bad = 0;

	for (uint32_t c = 1; c < 0x110000; c++)
		if (c < 0xD800 || c > 0xDFFF)
			n += enc(c, all + n);
	for (uint32_t c = 0; c < 0x500; c++) {
		char pat[32];
		int err;
		PCRE2_SIZE off, start = 0;
		pcre2_code *code;

		if (!fold_case_known(c) || c == 0)
			continue;
		snprintf(pat, sizeof pat, "\\x{%x}", (unsigned)c);
		code = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
		    OPTS | PCRE2_CASELESS, &err, &off, NULL);
		if (code == NULL) {
			CHECK(0, "compile %s", pat);
			continue;
		}
		(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
		while (pcre2_match(code, (PCRE2_SPTR)all, n, start, 0, md, NULL) > 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			size_t len;
			uint32_t x = dec((const unsigned char *)all + ov[0], &len);

			if (fold_case(x) != fold_case(c) && bad++ < 20)
				CHECK(0, "PCRE2 matches U+%04X caselessly with U+%04X, "
				    "but they fold to U+%04X and U+%04X", (unsigned)x,
				    (unsigned)c, (unsigned)fold_case(x),
				    (unsigned)fold_case(c));
			start = ov[0] + len;
		}
		checks++;
		pcre2_code_free(code);
	}
	pcre2_match_data_free(md);
	free(all);
}

/* The n strings of v, sorted, joined by | into out. */
static void
sorted_join(const char **v, size_t n, char *out)
{
	for (size_t a = 0; a < n; a++)
		for (size_t b = a + 1; b < n; b++)
			if (strcmp(v[a], v[b]) > 0) {
				const char *tmp = v[a];
				v[a] = v[b];
				v[b] = tmp;
			}
	out[0] = '\0';
	for (size_t k = 0; k < n; k++) {
		if (k)
			strcat(out, "|");
		strcat(out, v[k]);
	}
}

static void
test_literals(void)
{
	static const struct { const char *pattern, *literals; } t[] = {
		{ "\\b(brakes?|тормоз\\w*|stabd\\w*)\\b", "brake|тормоз|stabd" },
		{ "\\b(air ?bags?|Airbag)\\b", "air|airbag" },
		{ "\\boil\\b|\\bМасл|\\balyv", "oil|масл|alyv" },
		{ "brake\\s*fluid|тормозн\\w*\\s+жидкост", "brake|тормозн" },
		{ "high[- ]voltage battery", "voltage battery" },
		{ "(?:ab|cd)xyz(ef|gh)", "xyz" },
		{ "(?:abcd|cdef)xy", "abcd|cdef" },
		{ "a/c|ac compressor", "a/c|ac compressor" },
		{ "colou?r", "colo" },
		{ "ab+c", "ab" },
		{ "x{2}yz", "yz" },
		{ "ab{0}cd", "cd" },
		{ "\\.com|\\$\\d+usd", "usd|.com" },
		{ "\\bГРМ\\b", "грм" },
		{ "(ab|cd)?ef", "ef" },
		{ "(ab|cd)+ef", "ef" },		/* fewer literals */
		{ "(abc|cde)+ef", "abc|cde" },	/* longer */
		{ "DŪMAI|Šildytuv", "dūmai|šildytuv" },
		/* No prefilter: */
		{ "a|bc", NULL },		/* a one-character literal */
		{ "ab|\\w+", NULL },		/* a branch without a literal */
		{ "(?i)abc", NULL },		/* inline options */
		{ "(abc)\\1", NULL },		/* back reference */
		{ "\\Qa|b\\E", NULL },
		{ "abc{,2}", NULL },		/* a brace not read */
		{ "(*UTF)abc", NULL },
		{ "(?=abc)", NULL },
		{ "ab*", NULL },		/* "a" */
		{ "", NULL },
		{ "[abc]+", NULL },
		{ "αβγ", NULL },		/* Greek: outside the case table */
		{ "\\x{41}bc", NULL },
		{ "[[:]xy|ab:]c]ef", NULL },	/* fuzz: [: in a class is not read */
		{ "[[:alpha:]]abc", NULL },
		{ "[a[]bc", "bc" },		/* a [ alone in a class is a member */
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct prefilter *pf = prefilter_new(t[i].pattern,
		    strlen(t[i].pattern), true);
		static char store[64][128];
		const char *lits[64];
		char got[512] = "", want[512], sorted[512] = "";
		size_t n = 0;

		if (pf != NULL) {
			for (; n < prefilter_count(pf) && n < 64; n++)
				lits[n] = prefilter_literal(pf, n, store[n],
				    sizeof store[n]);
			sorted_join(lits, n, got);
		}
		if (t[i].literals == NULL) {
			CHECK(pf == NULL, "%s: want no prefilter, got %s", t[i].pattern, got);
		} else {
			/* The expected list, sorted the same way. */
			n = 0;
			strcpy(want, t[i].literals);
			for (char *tok = strtok(want, "|"); tok; tok = strtok(NULL, "|"))
				lits[n++] = tok;
			sorted_join(lits, n, sorted);
			CHECK(pf != NULL && strcmp(got, sorted) == 0,
			    "%s: want %s, got %s", t[i].pattern, sorted,
			    pf ? got : "no prefilter");
		}
		prefilter_free(pf);
	}
	/* Case-sensitive patterns keep the case. */
	struct prefilter *pf = prefilter_new("Brake", 5, false);
	char buf[64];
	CHECK(pf && strcmp(prefilter_literal(pf, 0, buf, sizeof buf), "Brake") == 0,
	    "case kept");
	CHECK(pf && prefilter_may_match(pf, "a Brake", 7) &&
	    !prefilter_may_match(pf, "a brake", 7), "case-sensitive scan");
	prefilter_free(pf);
}

/* A random spelling of code point c: any character that folds as c. */
static uint64_t rng = 88172645463325252ULL;
static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static size_t
respell(const char *s, char *out)
{
	static const uint32_t extra[] = { 0x1C80, 0x1C81, 0x1C82, 0x1C83,
		0x1C84, 0x1C85, 0x1C86, 0x1C87, 0x1C88, 0xA64A, 0x1E9E, 0x212A,
		0x212B };
	/* Every spelling of the folds below U+0500, computed once. */
	static uint32_t var[0x500][8];
	static uint8_t nvar[0x500];
	static int ready;
	size_t n = 0;

	if (!ready) {
		for (uint32_t x = 0; x < 0x500; x++)
			if (fold_case(x) < 0x500 && nvar[fold_case(x)] < 8)
				var[fold_case(x)][nvar[fold_case(x)]++] = x;
		for (size_t i = 0; i < sizeof extra / 4; i++) {
			uint32_t f = fold_case(extra[i]);
			if (f < 0x500 && nvar[f] < 8)
				var[f][nvar[f]++] = extra[i];
		}
		ready = 1;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; ) {
		size_t len = *p < 0x80 ? 1 : *p >= 0xC2 && *p < 0xE0 ? 2
		    : *p >= 0xE0 && *p < 0xF0 ? 3 : *p >= 0xF0 && *p < 0xF5 ? 4 : 0;

		/* Invalid UTF-8 in the words (a lone lead byte before the
		 * end): copied as it is. */
		for (size_t k = 1; k < len; k++)
			if ((p[k] & 0xC0) != 0x80)
				len = 0;
		if (len == 0) {
			out[n++] = (char)*p++;
			continue;
		}
		uint32_t c = dec(p, &len), f = fold_case(c);

		p += len;
		n += enc(f < 0x500 && nvar[f] ? var[f][rnd(nvar[f])] : c, out + n);
	}
	return n;
}

/* On random texts made of the patterns' words, their near misses, and
 * their spellings in any case, the prefilter never rules out a match. */
static void
test_never_misses(void)
{
	static const char *patterns[] = {
		"\\b(brakes?|braking|airbags?|air ?bags?|steering|fire|smoke|smoking|"
		"burning smell|fuel leak|petrol leak|тормоз\\w*|подушк\\w* безопасности|"
		"руль|рулев\\w*|пожар\\w*|возгоран\\w*|дым\\w*|запах гари|"
		"утечк\\w* топлива|течь топлива|stabd\\w*|oro pagalv\\w*|vairas|vairo|"
		"gaisr\\w*|dūm\\w*|degėsių kvap\\w*|kuro nuotėk\\w*)\\b",
		"\\b(hv battery|traction battery|high[- ]voltage battery|aukštos įtampos baterija|"
		"traukos baterija|тягов\\w* батаре\\w*|высоковольтн\\w* батаре\\w*)\\b",
		"\\b(air ?con\\w*|a/c|ac compressor|heater|kondicionier\\w*|šildytuv\\w*|"
		"кондиционер\\w*|отопител\\w*|печк\\w*)\\b",
		"\\boil\\b|\\bмасл|\\balyv|\\btepal",
		"brake\\s*fluid|тормозн\\w*\\s+жидкост|stabdžių\\s+skyst",
		"\\btour\\b|\\bобход|\\bapžiūra",
	};
	static const char *words[] = {
		"brake", "brakes", "braking", "airbag", "air bag", "air", "bag",
		"steering", "fire", "smoke", "smoking", "burning smell", "fuel leak",
		"тормоз", "тормоза", "тормозная жидкость", "подушка безопасности",
		"руль", "рулевой", "пожар", "возгорание", "дым", "запах гари",
		"утечка топлива", "течь топлива", "stabdžiai", "oro pagalvė",
		"vairas", "vairo", "gaisras", "dūmai", "degėsių kvapas",
		"kuro nuotėkis", "hv battery", "high-voltage battery",
		"aukštos įtampos baterija", "тяговая батарея", "a/c", "ac compressor",
		"heater", "šildytuvas", "кондиционер", "печка", "oil", "масло",
		"alyva", "tepalas", "brake fluid", "stabdžių skystis", "tour",
		"обход", "apžiūra", "bra", "ke", "тор", "моз", "дв", "oi", "l",
		"the", "car", "машина", "automobilis", ",", ".", " ", " ", "\n",
		"\xff", "\xc3", "K", "ſ", "İ",
	};
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);

	for (size_t k = 0; k < sizeof patterns / sizeof patterns[0]; k++) {
		int err;
		PCRE2_SIZE off;
		pcre2_code *code = pcre2_compile((PCRE2_SPTR)patterns[k],
		    PCRE2_ZERO_TERMINATED, OPTS | PCRE2_CASELESS, &err, &off, NULL);
		struct prefilter *pf = prefilter_new(patterns[k],
		    strlen(patterns[k]), true);
		long matched = 0, filtered = 0;

		CHECK(code != NULL && pf != NULL, "pattern %zu", k);
		if (code == NULL || pf == NULL)
			continue;
		for (int i = 0; i < 20000; i++) {
			char text[2048];
			size_t n = 0;
			int nw = 1 + (int)rnd(8);

			for (int w = 0; w < nw; w++) {
				const char *word = words[rnd(sizeof words / sizeof words[0])];
				if (n + 4 * strlen(word) + 1 >= sizeof text)
					break;
				if (rnd(2))
					n += respell(word, text + n);
				else {
					memcpy(text + n, word, strlen(word));
					n += strlen(word);
				}
				if (rnd(3))
					text[n++] = ' ';
			}
			int m = pcre2_match(code, (PCRE2_SPTR)text, n, 0, 0, md, NULL) >= 0;
			bool may = prefilter_may_match(pf, text, n);
			matched += m;
			filtered += !may;
			if (m && !may)
				CHECK(0, "pattern %zu matches \"%.*s\", the prefilter says no",
				    k, (int)n, text);
		}
		/* The test is only worth something if both answers occur. */
		CHECK(matched > 1000 && filtered > 1000,
		    "pattern %zu: %ld matches, %ld ruled out", k, matched, filtered);
		prefilter_free(pf);
		pcre2_code_free(code);
	}
	pcre2_match_data_free(md);
}

/* A pattern list answers as trying each pattern in order with PCRE2 would:
 * the first that matches (patterns with and without literals mixed). */
static void
test_list(void)
{
	static const char *src[] = {
		"\\b(hv battery|traction battery|тягов\\w* батаре\\w*)\\b",
		"\\b(engine|motor|gearbox|variklis|двигател\\w*)\\b",
		"\\w+ tyre",				/* no literal of two: no prefilter */
		"\\b(alternator|starter|стартер|генератор)\\b",
		"\\b(air ?con\\w*|a/c|heater|šildytuv\\w*|печк\\w*)\\b",
		"\\b(brakes?|stabd\\w*|тормоз\\w*)\\b",
	};
	static const char *words[] = {
		"HV Battery", "traction", "battery", "ТЯГОВАЯ батарея", "Engine",
		"gearbox", "VARIKLIS", "двигатель", "winter tyre", "tyre", "Starter",
		"стартер", "A/C", "aircon", "air conditioning", "Šildytuvas",
		"печка", "brake", "Brakes", "stabdžiai", "тормоза", "door",
		"handle", "12345-AB", "left", ",", " ", "ſtarter", "K",
	};
	enum { N = sizeof src / sizeof src[0] };
	struct pattern *p[N];
	pcre2_code *raw[N];
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int err, bad = 0;
	PCRE2_SIZE off;
	long matched = 0, none = 0;

	for (int i = 0; i < N; i++) {
		p[i] = pattern_compile(src[i], strlen(src[i]), true, "test");
		raw[i] = pcre2_compile((PCRE2_SPTR)src[i], PCRE2_ZERO_TERMINATED,
		    OPTS | PCRE2_CASELESS, &err, &off, NULL);
	}
	struct pattern_list *l = pattern_list_new(p, N);
	for (int t = 0; t < 20000; t++) {
		char text[1024];
		size_t n = 0, failed = 0;
		int nw = 1 + (int)rnd(5), want = -1;

		for (int w = 0; w < nw; w++) {
			const char *word = words[rnd(sizeof words / sizeof words[0])];
			n += respell(word, text + n);
			text[n++] = ' ';
		}
		for (int i = 0; i < N && want < 0; i++)
			if (pcre2_match(raw[i], (PCRE2_SPTR)text, n, 0, 0, md, NULL) >= 0)
				want = i;
		int got = pattern_list_first(l, text, n, &failed);
		matched += want >= 0;
		none += want < 0;
		if (got != want && bad++ < 10)
			CHECK(0, "\"%.*s\": first pattern %d, the list says %d",
			    (int)n, text, want, got);
	}
	CHECK(matched > 1000 && none > 1000, "%ld matched, %ld none", matched, none);
	pattern_list_free(l);
	for (int i = 0; i < N; i++) {
		pattern_free(p[i]);
		pcre2_code_free(raw[i]);
	}
	pcre2_match_data_free(md);
}

int
main(void)
{
	test_literals();
	test_never_misses();
	test_list();
	/* All of Unicode for each of 600 characters: seconds natively, an
	 * hour under valgrind, which has nothing to find in it that the
	 * tests above don't exercise. */
	if (getenv("AS_VALGRIND") == NULL)
		test_fold_table();
	printf("%d checks, %d failures\n", checks, failures);
	return failures != 0;
}
