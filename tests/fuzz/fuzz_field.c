/* fuzz_field.c — the typed getters of field.h over any value, and the
 * escaping of values in messages (str_msg), in Europe/Vilnius.
 *
 * Input: byte 0: bits 0-2 the --date-format (none, seven fixed, or one
 * from the input), bits 3-4 the kind of input (stream, data table,
 * configuration table, the program's own file), bit 5 REQUIRED, bits 6-7
 * the --na list (none, "n/a,NULL", " , ,x,-", or one from the input);
 * byte 1: the length of the column's header name (0: "due_date"), then
 * that name; then, when taken from the input, a length byte and the
 * format, a length byte and the --na list; the rest is the value.
 * Checks, for get_str, get_date, get_date_item, get_time, get_count,
 * get_money and get_choice, each on a fresh row:
 *  - never a crash; 1, 0 or -1; 0 only for an optional column without a
 *    value; -1 always with one message (fatal for a configuration table),
 *    and a getter after it says nothing more;
 *  - a message is one line: "PROG: FILE:LINE: " then no control byte, and
 *    valid UTF-8 when the column name, the value and the format are;
 *  - a date read is in 1900..2199; a timestamp's local date within a day
 *    of that; a count in 0..COUNT_MAX; money not negative; a choice is the
 *    name given, ignoring case; a value with a NUL byte is no date;
 *  - str_msg of the value into buffers of 8 to 300 bytes: NUL-terminated
 *    inside, no control byte, and read back (\n \r \t \\ \xHH) it is the
 *    value or, cut with "...", a prefix of it that ends on a whole
 *    UTF-8 character when the value is UTF-8.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "field.h"
#include "fuzz.h"
#include "num.h"
#include "opts.h"
#include "util.h"

static const char *const formats[7] = {
	"%d.%m.%Y", "%m/%d/%Y", "%Y-%m-%d", "%d.%m.%Y %H:%M", "%Y%m%d",
	"%d/%m/%y", "%e %b %Y",
};
static const char *const nas[3] = { NULL, "n/a,NULL", " , ,x,-" };
static const char *const prio[] = { "urgent", "normal", "Žemas", "", NULL };

static struct app app;

/* Take a length byte and that many bytes; false when the input ends. */
static bool
take(const uint8_t **p, size_t *n, char *out, size_t cap)
{
	if (*n < 1)
		return false;
	size_t k = **p;
	(*p)++, (*n)--;
	if (k > *n || k >= cap)
		return false;
	memcpy(out, *p, k);
	out[k] = '\0';
	*p += k, *n -= k;
	return true;
}

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Read str_msg's escapes back; false when the text is not of its form. */
static bool
unescape(const char *m, size_t n, char *out, size_t *on)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (m[i] != '\\') {
			out[k++] = m[i];
			continue;
		}
		if (++i == n)
			return false;
		switch (m[i]) {
		case 'n': out[k++] = '\n'; break;
		case 'r': out[k++] = '\r'; break;
		case 't': out[k++] = '\t'; break;
		case '\\': out[k++] = '\\'; break;
		case 'x':
			if (i + 2 >= n)
				return false;
			if (hexval(m[i + 1]) < 0 || hexval(m[i + 2]) < 0)
				return false;
			out[k++] = (char)(hexval(m[i + 1]) << 4 | hexval(m[i + 2]));
			i += 2;
			break;
		default:
			return false;
		}
	}
	*on = k;
	return true;
}

static void
check_str_msg(struct str v)
{
	static const size_t caps[] = { 8, 9, 10, 11, 12, 16, 33, 64, 256, 300 };
	char buf[300 + 16], back[300];

	for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
		size_t cap = caps[c];
		memset(buf, 0x55, sizeof buf);
		str_msg(buf, cap, v);
		const char *nul = memchr(buf, '\0', cap);
		FUZZ_CHECK(nul != NULL, "str_msg: no NUL within %zu bytes", cap);
		FUZZ_CHECK(buf[cap] == 0x55, "str_msg wrote past %zu bytes", cap);
		size_t n = (size_t)(nul - buf), bn;
		for (size_t i = 0; i < n; i++)
			FUZZ_CHECK((unsigned char)buf[i] >= 0x20 &&
			    (unsigned char)buf[i] != 0x7F, "str_msg: byte %#x",
			    (unsigned char)buf[i]);
		bool cut = false;
		if (!unescape(buf, n, back, &bn) || bn > v.n ||
		    memcmp(back, v.p, bn) != 0 || bn < v.n) {
			/* Cut: "..." after a prefix. */
			FUZZ_CHECK(n >= 3 && memcmp(buf + n - 3, "...", 3) == 0,
			    "str_msg: not the value and not cut (cap %zu)", cap);
			FUZZ_CHECK(unescape(buf, n - 3, back, &bn) && bn < v.n &&
			    memcmp(back, v.p, bn) == 0,
			    "str_msg: not a prefix of the value (cap %zu)", cap);
			cut = true;
		}
		if (str_utf8_valid(v))
			FUZZ_CHECK(str_utf8_valid((struct str){ buf, n }),
			    "str_msg cuts a UTF-8 character (cap %zu%s)", cap,
			    cut ? ", cut" : "");
	}
}

/* The messages since the reset: one line of the right form, or none. */
static void
check_message(int rc, bool trapped, struct str name, struct str v,
    const char *getter)
{
	const char *m = fuzz_msg();
	size_t n = strlen(m);
	static const char head[] = "aftersales: in.csv:7: ";

	if (rc != -1 && !trapped) {
		FUZZ_CHECK(n == 0, "%s: %d with a message: %s", getter, rc, m);
		return;
	}
	FUZZ_CHECK(n > sizeof head && memcmp(m, head, sizeof head - 1) == 0,
	    "%s: message '%s'", getter, m);
	FUZZ_CHECK(m[n - 1] == '\n' && memchr(m, '\n', n - 1) == NULL,
	    "%s: a message of more than one line (%zu bytes, last %#x): %s", getter, n, (unsigned char)m[n - 1], m);
	for (size_t i = 0; i + 1 < n; i++)
		FUZZ_CHECK((unsigned char)m[i] >= 0x20 && (unsigned char)m[i] != 0x7F,
		    "%s: byte %#x in the message", getter, (unsigned char)m[i]);
	const char *fmt = dt_date_format();
	if (str_utf8_valid(name) && str_utf8_valid(v) &&
	    (fmt == NULL || str_utf8_valid(str_of(fmt))))
		FUZZ_CHECK(str_utf8_valid((struct str){ m, n }),
		    "%s: the message is not UTF-8", getter);
}

enum getter { G_STR, G_DATE, G_ITEM, G_TIME, G_COUNT, G_MONEY, G_CHOICE, NGET };
static const char *const gname[NGET] = { "get_str", "get_date",
	"get_date_item", "get_time", "get_count", "get_money", "get_choice" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;
	static int cur = -2;
	static char fmtbuf[64], curfmt[64];
	char namebuf[256], nabuf[256];
	const uint8_t *p = data + 1;
	size_t n = size - 1;

	if (size < 2 || size > 4096)
		return 0;
	if (!init) {
		common_init(&app.opt);
		init = true;
	}
	int f = data[0] & 7, kind = data[0] >> 3 & 3, na = data[0] >> 6 & 3;
	enum need need = data[0] & 32 ? REQUIRED : OPTIONAL;

	if (!take(&p, &n, namebuf, sizeof namebuf))
		return 0;
	if (namebuf[0] == '\0')
		strcpy(namebuf, "due_date");
	const char *fmt = f == 0 ? NULL : f < 7 ? formats[f - 1] : NULL;
	if (f == 7) {
		/* As opts.c takes it: a text with a conversion. */
		if (!take(&p, &n, fmtbuf, sizeof fmtbuf) || strchr(fmtbuf, '%') == NULL)
			return 0;
		fmt = fmtbuf;
	}
	if (f != cur || (f == 7 && strcmp(curfmt, fmtbuf) != 0)) {
		if (f == 7)
			strcpy(curfmt, fmtbuf);
		if (dt_init("Europe/Vilnius", f == 7 ? curfmt : fmt) != 0)
			abort();
		cur = f;
	}
	if (na == 3) {
		if (!take(&p, &n, nabuf, sizeof nabuf))
			return 0;
		field_set_na(nabuf);
	} else
		field_set_na(nas[na]);

	struct str v = { (const char *)p, n };
	struct str fields[2] = { STR_C("X1"), v };
	struct str hdr[2] = { STR_C("id"), str_of(namebuf) };
	struct stream s;
	memset(&s, 0, sizeof s);
	s.header = (struct record){ 2, hdr, 1, "in.csv" };
	struct record r = { 2, fields, 7, "in.csv" };

	check_str_msg(v);

	for (int g = 0; g < NGET; g++) {
		volatile int rc = -3;
		volatile bool trapped = false;
		struct row w;
		day_t d = 12345;
		tstamp t = 0;
		long long k = -7;
		int choice = -1;
		struct str out = { NULL, 0 };

		app.rejected = 0;
		fuzz_msg_reset();
		FUZZ_CHECK(row_start(&w, &app, &s, &r, (enum row_kind)kind),
		    "row_start refused the row");
		if (setjmp(fuzz_jb)) {
			trapped = true;
			FUZZ_CHECK(kind == ROW_CONFIG, "fatal for a kind %d row", kind);
		} else {
			fuzz_trap();
			switch (g) {
			case G_STR: rc = get_str(&w, 1, need, &out); break;
			case G_DATE: rc = get_date(&w, 1, need, &d); break;
			case G_ITEM: rc = get_date_item(&w, 1, v, &d); break;
			case G_TIME: rc = get_time(&w, 1, need, &t, NULL); break;
			case G_COUNT: rc = get_count(&w, 1, need, &k); break;
			case G_MONEY: rc = get_money(&w, 1, need, &k); break;
			case G_CHOICE:
				rc = get_choice(&w, 1, need, "priority", prio, &choice);
				break;
			}
			fuzz_untrap();
		}
		check_message(rc, trapped, str_of(namebuf), v, gname[g]);
		if (trapped)
			continue;
		FUZZ_CHECK(rc >= -1 && rc <= 1, "%s returned %d", gname[g], rc);
		struct str val = row_value(&w, 1);
		if (rc == 0)
			FUZZ_CHECK(need == OPTIONAL && val.n == 0 && g != G_ITEM,
			    "%s: 0 for a value", gname[g]);
		if (rc == 1)
			FUZZ_CHECK(val.n > 0 || g == G_ITEM, "%s: 1 for no value",
			    gname[g]);
		if (rc == -1) {
			FUZZ_CHECK(w.bad, "%s: -1 but the row is not done", gname[g]);
			/* A done row: nothing more is said. */
			fuzz_msg_reset();
			FUZZ_CHECK(get_count(&w, 1, REQUIRED, &k) == -1 &&
			    fuzz_msg()[0] == '\0', "a second report of one row");
			continue;
		}
		if (rc != 1)
			continue;
		int y, m, dd;
		switch (g) {
		case G_STR:
			FUZZ_CHECK(out.n == val.n && out.p == val.p, "get_str");
			break;
		case G_DATE:
		case G_ITEM:
			civil_from_days(d, &y, &m, &dd);
			FUZZ_CHECK(y >= YEAR_MIN && y <= YEAR_MAX,
			    "%s: year %d", gname[g], y);
			FUZZ_CHECK(memchr(v.p, '\0', v.n) == NULL,
			    "%s: a value with a NUL byte read as %d-%02d-%02d",
			    gname[g], y, m, dd);
			break;
		case G_TIME:
			civil_from_days(local_date(t), &y, &m, &dd);
			FUZZ_CHECK((y >= YEAR_MIN && y <= YEAR_MAX) ||
			    (y == YEAR_MIN - 1 && m == 12 && dd == 31) ||
			    (y == YEAR_MAX + 1 && m == 1 && dd == 1),
			    "get_time: local date %d-%02d-%02d", y, m, dd);
			FUZZ_CHECK(memchr(v.p, '\0', v.n) == NULL,
			    "get_time: a value with a NUL byte read");
			break;
		case G_COUNT:
			FUZZ_CHECK(k >= 0 && k <= COUNT_MAX, "count %lld", k);
			break;
		case G_MONEY:
			FUZZ_CHECK(k >= 0, "money %lld", k);
			break;
		case G_CHOICE:
			FUZZ_CHECK(choice >= 0 && choice < 4 &&
			    str_eq_cstr_ci(val, prio[choice]), "choice %d", choice);
			break;
		}
	}
	return 0;
}
