/* fuzz_url.c — survey-invite's --url TEMPLATE (url_parse, url_bind,
 * url_fill: static in cmd/survey-invite.c, included here as the rules
 * test includes it; on template.h's template_parse_line,
 * template_expand_encoded and percent_encode).
 *
 * Input: the template up to the first NUL byte, then the values of one
 * row separated by NUL bytes (missing ones empty), against a fixed header.
 * Checks:
 *  - parsing never crashes; it succeeds, or is fatal (trapped) with one
 *    line "survey-invite: --url: ..." without control bytes;
 *  - it agrees with a reading of survey-invite(1) and template.h written
 *    here: "{{" and "}}" are braces, "{NAME}" the column NAME (trimmed,
 *    ignoring case, the first such), a lone "}", a "{" without its "}"
 *    (before the next "{" or line feed), an empty NAME or an unknown NAME
 *    is fatal;
 *  - filled for the row (thrice, into a buffer reused and grown), the URL
 *    is the literal parts as they are and each column's trimmed value
 *    percent-encoded: unreserved bytes as they are, every other one as %XX
 *    in upper-case hex; it decodes back to the value.
 */
#define main survey_invite_main
#include "../../cmd/survey-invite.c"
#undef main

#include <sanitizer/lsan_interface.h>

#include "fuzz.h"

static const char *const header[] = { "id", "closed_at", "contact",
	" Dealer ", "kind", "ŽMOGUS", "id" };
#define NF (sizeof header / sizeof header[0])

struct ref_part {
	bool col;
	int c;
	size_t from, n;	/* literal: bytes of lit */
};

/* The template read as survey-invite(1) says; -1 when it is refused. */
static int
ref_parse(const char *t, struct ref_part *part, size_t *np, char *lit)
{
	size_t nl = 0, n = 0, start = 0;

	for (size_t i = 0; t[i] != '\0'; i++) {
		/* {{NAME}} of a column: refused (the text {NAME}, meant as
		 * the value) */
		if (t[i] == '{' && t[i + 1] == '{') {
			size_t j = i + 2;
			while (t[j] != '\0' && t[j] != '{' && t[j] != '}' &&
			    t[j] != '\n')
				j++;
			struct str name = str_trim((struct str){ t + i + 2,
			    j - i - 2 });
			for (size_t k = 0; k < NF && t[j] == '}' &&
			    t[j + 1] == '}' && name.n > 0; k++)
				if (str_eq_ci(str_trim(str_of(header[k])), name))
					return -1;
		}
		if ((t[i] == '{' || t[i] == '}') && t[i + 1] == t[i]) {
			lit[nl++] = t[i++];
			continue;
		}
		if (t[i] == '}')
			return -1;
		if (t[i] != '{') {
			lit[nl++] = t[i];
			continue;
		}
		size_t j = i + 1;
		while (t[j] != '\0' && t[j] != '}' && t[j] != '{' && t[j] != '\n')
			j++;
		if (t[j] != '}')
			return -1;
		struct str name = str_trim((struct str){ t + i + 1, j - i - 1 });
		if (name.n == 0)
			return -1;
		int c = -1;
		for (size_t k = 0; k < NF && c < 0; k++)
			if (str_eq_ci(str_trim(str_of(header[k])), name))
				c = (int)k;
		if (c < 0)
			return -1;
		if (nl > start)
			part[n++] = (struct ref_part){ false, -1, start, nl - start };
		part[n++] = (struct ref_part){ true, c, 0, 0 };
		start = nl;
		i = j;
	}
	if (nl > start)
		part[n++] = (struct ref_part){ false, -1, start, nl - start };
	*np = n;
	return 0;
}

static bool
unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

static void
check_fill(const struct ref_part *part, size_t np, const char *lit,
    const struct str *vals, struct buf *b)
{
	struct record r = { NF, (struct str *)vals, 2, "in.csv" };
	struct row w = { &P.app, &P.in, &r, ROW_STREAM, false };
	struct str u = url_fill(&P.url, &w, b);
	const char *got = u.p;
	size_t n = u.n, at = 0;

	FUZZ_CHECK(n <= b->cap || n == 0, "%zu bytes in a buffer of %zu", n,
	    b->cap);
	for (size_t i = 0; i < np; i++) {
		if (!part[i].col) {
			FUZZ_CHECK(at + part[i].n <= n &&
			    memcmp(got + at, lit + part[i].from, part[i].n) == 0,
			    "literal part %zu differs", i);
			at += part[i].n;
			continue;
		}
		struct str v = str_trim(vals[part[i].c]);
		for (size_t k = 0; k < v.n; k++) {
			unsigned char c = (unsigned char)v.p[k];
			char want[4];
			size_t wn = 1;
			want[0] = (char)c;
			if (!unreserved(c))
				wn = (size_t)snprintf(want, sizeof want, "%%%02X", c);
			FUZZ_CHECK(at + wn <= n && memcmp(got + at, want, wn) == 0,
			    "byte %zu of column %d encoded wrong", k, part[i].c);
			at += wn;
		}
	}
	FUZZ_CHECK(at == n, "%zu bytes, expected %zu", n, at);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;
	static struct str hdr[NF];

	if (size > 4096)
		return 0;
	if (!init) {
		progname = "survey-invite";
		for (size_t i = 0; i < NF; i++)
			hdr[i] = str_of(header[i]);
		init = true;
	}
	const char *end = memchr(data, '\0', size);
	size_t tn = end ? (size_t)(end - (const char *)data) : size;
	char *tmpl = xmemdup((const char *)data, tn);
	struct str vals[NF];
	struct str rest = { end ? end + 1 : "", end ? size - tn - 1 : 0 };
	for (size_t i = 0; i < NF; i++)
		if (!str_next_token(&rest, '\0', &vals[i]))
			vals[i] = (struct str){ "", 0 };

	struct ref_part *part = xmalloc((tn + 1) * sizeof *part);
	char *lit = xmalloc(tn + 1);
	size_t np = 0;
	int want = ref_parse(tmpl, part, &np, lit);

	memset(&P.url, 0, sizeof P.url);
	memset(&P.in, 0, sizeof P.in);
	P.in.header = (struct record){ NF, hdr, 1, "in.csv" };
	fuzz_msg_reset();
	if (setjmp(fuzz_jb)) {
		__lsan_enable();
		const char *m = fuzz_msg();
		size_t mn = strlen(m);
		FUZZ_CHECK(want == -1, "refused, but survey-invite(1) takes it: %s", m);
		FUZZ_CHECK(strncmp(m, "survey-invite: --url: ", 22) == 0,
		    "message '%s'", m);
		FUZZ_CHECK(memchr(m, '\n', mn) == m + mn - 1,
		    "a message of more than one line: %s", m);
		for (size_t i = 0; i + 1 < mn; i++)
			FUZZ_CHECK((unsigned char)m[i] >= 0x20 && m[i] != 0x7F,
			    "byte %#x in the message: %s", (unsigned char)m[i], m);
		template_line_free(&P.url);
		goto out;
	}
	fuzz_trap();
	/* A fatal error leaves the parts parsed behind (the program
	 * exits): not a leak to report. */
	__lsan_disable();
	url_parse(&P.url, tmpl);
	url_bind(&P.url, tmpl, &P.in);
	__lsan_enable();
	fuzz_untrap();
	FUZZ_CHECK(want == 0, "taken, but survey-invite(1) refuses it");
	/* The parts: the reference's, with the template's text parts (split
	 * at each escape) joined. */
	struct buf joined = { 0 };
	size_t k = 0;
	for (size_t i = 0; i < P.url.n; i++) {
		const struct tpl_part *u = &P.url.part[i];
		if (u->kind == TP_TEXT) {
			buf_str(&joined, u->text);
			if (i + 1 < P.url.n && P.url.part[i + 1].kind == TP_TEXT)
				continue;
			FUZZ_CHECK(k < np && !part[k].col && fuzz_same(joined.p,
			    joined.n, lit + part[k].from, part[k].n),
			    "part %zu: literal", k);
			joined.n = 0;
		} else
			FUZZ_CHECK(u->kind == TP_FIELD && k < np && part[k].col &&
			    u->col == part[k].c, "part %zu: column %d, not %d",
			    k, u->col, k < np ? part[k].c : -1);
		k++;
	}
	FUZZ_CHECK(k == np, "%zu parts, expected %zu", k, np);
	buf_free(&joined);
	struct buf b = { 0 };
	struct str empty[NF];
	for (size_t i = 0; i < NF; i++)
		empty[i] = (struct str){ "", 0 };
	check_fill(part, np, lit, empty, &b);
	check_fill(part, np, lit, vals, &b);
	check_fill(part, np, lit, empty, &b);
	buf_free(&b);
	template_line_free(&P.url);
out:
	free(part);
	free(lit);
	free(tmpl);
	return 0;
}
