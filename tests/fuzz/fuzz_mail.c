/* fuzz_mail.c — addresses, header fields, quoted-printable and the mbox
 * form (mail.h), each checked against an independent reading.
 *
 * Input: byte 0 chooses what is done with the rest (mod 7):
 *  0 mail_addr_ok: agrees with a reading of the rule written here; an
 *    accepted address has no byte that could end or start a header field
 *    or a command-line word (CR, LF, white space, controls, <>()[]:;,"\@
 *    but its one @), and at most 254 bytes;
 *  1 mail_parse_mailbox: an address it gives is one mail_addr_ok takes, a
 *    display name has no control byte, quote or backslash;
 *  2 mail_header_text ("Subject", value the rest): lines of at most 78
 *    bytes (76 with encoded-words), continuation lines start with a space,
 *    only printable ASCII; unfolded and its encoded-words decoded
 *    (RFC 2047, a decoder written here) it gives the value back, with
 *    control bytes as spaces and surrounding white space trimmed;
 *  3 mail_header_mailbox ("To", display the rest up to a NUL, address
 *    after it when mail_addr_ok takes it, else a fixed one): the same, the
 *    display as atoms, a quoted string or encoded-words, then <address>;
 *    only a line holding just " <address>" may pass 78 (an address is not
 *    folded);
 *  4 mail_qp: lines of at most 76 bytes, printable ASCII, none ending in
 *    white space, none starting with "From " or being "." alone; decoded
 *    (a decoder written here) it gives the body back, byte for byte;
 *  5 mbox_entry: the first line is the From_ line; no other line starts
 *    with "From "; the lines read back (one ">" taken from each ">*From "
 *    line) give the message, with its final line feed, and a blank line;
 *  6 mail_date and mail_ctime of an instant in 1900..9999 (8 bytes): the
 *    length returned is the text's, and the text read back is the instant
 *    (the Date in the zone with its offset, the From_ line's in UTC).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "mail.h"

/* ---- independent readings ------------------------------------------ */

static bool
ref_atext(unsigned char c)
{
	static const char extra[] = "!#$%&'*+/=?^_`{|}~-";

	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		return true;
	if (c >= '0' && c <= '9')
		return true;
	for (size_t i = 0; i < sizeof extra - 1; i++)
		if (c == (unsigned char)extra[i])
			return true;
	return false;
}

/* mail.h's rule, read again: dot-atom@labels. */
static bool
ref_addr_ok(const unsigned char *p, size_t n)
{
	size_t at = n, nat = 0;

	for (size_t i = 0; i < n; i++)
		if (p[i] == '@') {
			nat++;
			at = i;
		}
	if (nat != 1 || n > 254 || at == 0 || at > 64 || at + 1 == n)
		return false;
	/* local part: atoms split by single dots */
	size_t run = 0;
	for (size_t i = 0; i <= at; i++) {
		if (i == at || p[i] == '.') {
			if (run == 0)
				return false;
			run = 0;
		} else if (!ref_atext(p[i]))
			return false;
		else
			run++;
	}
	/* domain: labels of 1-63 letters, digits, inner hyphens */
	size_t start = at + 1;
	for (size_t i = at + 1; i <= n; i++) {
		if (i == n || p[i] == '.') {
			size_t len = i - start;
			if (len == 0 || len > 63 || p[start] == '-' || p[i - 1] == '-')
				return false;
			start = i + 1;
		} else if (!(((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'z') ||
		    (p[i] >= '0' && p[i] <= '9') || p[i] == '-'))
			return false;
	}
	return true;
}

static int
b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Base64 (with padding, a multiple of 4) into OUT; false if malformed. */
static bool
unbase64(struct buf *out, const char *p, size_t n)
{
	if (n % 4 != 0)
		return false;
	for (size_t i = 0; i < n; i += 4) {
		int v[4], pad = 0;
		for (int k = 0; k < 4; k++) {
			if (p[i + k] == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
			} else if (pad || (v[k] = b64val(p[i + k])) < 0)
				return false;
		}
		unsigned x = (unsigned)v[0] << 18 | (unsigned)v[1] << 12 |
		    (unsigned)v[2] << 6 | (unsigned)v[3];
		buf_putc(out, (char)(x >> 16));
		if (pad < 2)
			buf_putc(out, (char)(x >> 8 & 255));
		if (pad < 1)
			buf_putc(out, (char)(x & 255));
	}
	return true;
}

/* A value of encoded-words only (white space between them, which RFC 2047
 * 6.2 says to drop): decoded into OUT, or false. */
static bool
decode_words(struct buf *out, struct str v)
{
	size_t i = 0;
	bool any = false;

	while (i < v.n) {
		while (i < v.n && v.p[i] == ' ')
			i++;
		if (i == v.n)
			break;
		if (v.n - i < 12 || memcmp(v.p + i, "=?UTF-8?B?", 10) != 0)
			return false;
		size_t j = i + 10, k = j;
		while (k + 1 < v.n && !(v.p[k] == '?' && v.p[k + 1] == '='))
			k++;
		if (k + 1 >= v.n || !unbase64(out, v.p + j, k - j))
			return false;
		FUZZ_CHECK(k + 2 - i <= 75, "an encoded-word of %zu bytes", k + 2 - i);
		i = k + 2;
		FUZZ_CHECK(i == v.n || v.p[i] == ' ', "encoded-words not apart");
		any = true;
	}
	return any;
}

/* The value the header should carry: controls as spaces, trimmed. */
static struct str
expected_value(struct buf *tmp, struct str v)
{
	tmp->n = 0;
	for (size_t i = 0; i < v.n; i++) {
		unsigned char c = (unsigned char)v.p[i];
		buf_putc(tmp, c < 0x20 || c == 0x7F ? ' ' : (char)c);
	}
	struct str s = buf_view(tmp);
	while (s.n > 0 && s.p[0] == ' ')
		s.p++, s.n--;
	while (s.n > 0 && s.p[s.n - 1] == ' ')
		s.n--;
	return s;
}

/* Check the lines of header field H (ending in LF) and unfold it into
 * OUT: the value after "NAME: " (or "NAME:" alone). */
static void
header_lines(struct str h, const char *name, struct buf *out, struct str addr)
{
	size_t nl = strlen(name);

	FUZZ_CHECK(h.n > nl && memcmp(h.p, name, nl) == 0 && h.p[nl] == ':',
	    "header starts wrong");
	FUZZ_CHECK(h.p[h.n - 1] == '\n', "header does not end with a line feed");
	/* Where encoded-words may be: not in the address, which ends the
	 * field (an address may hold "=?UTF-8?B?": all of it is atext). */
	size_t text_end = addr.n > 0 ? h.n - addr.n - 2 : h.n;
	size_t i = 0, line = 0;
	while (i < h.n) {
		const char *e = memchr(h.p + i, '\n', h.n - i);
		size_t len = (size_t)(e - (h.p + i));
		struct str l = { h.p + i, len };
		bool words = false;
		for (size_t k = i; k + 10 <= text_end && k < i + len; k++)
			if (memcmp(h.p + k, "=?UTF-8?B?", 10) == 0)
				words = true;
		if (line > 0)
			FUZZ_CHECK(len > 0 && l.p[0] == ' ',
			    "line %zu of the header does not start with a space", line);
		for (size_t k = 0; k < len; k++)
			FUZZ_CHECK((unsigned char)l.p[k] >= 0x20 &&
			    (unsigned char)l.p[k] < 0x7F, "byte %#x in a header",
			    (unsigned char)l.p[k]);
		bool addr_line = addr.n > 0 && len == addr.n + 3 &&
		    memcmp(l.p, " <", 2) == 0 && memcmp(l.p + 2, addr.p, addr.n) == 0;
		bool addr_only = addr.n > 0 && line == 0 && len == nl + 2 + addr.n;
		FUZZ_CHECK(len <= (words ? 76u : 78u) || addr_line || addr_only,
		    "line %zu of %zu bytes", line, len);
		/* Unfold: the line feed goes, the white space stays. */
		buf_put(out, l.p, len);
		i += len + 1;
		line++;
	}
}

static void
check_text(struct str v)
{
	struct buf h = { 0 }, u = { 0 }, tmp = { 0 }, dec = { 0 };

	mail_header_text(&h, "Subject", v);
	header_lines(buf_view(&h), "Subject", &u, (struct str){ "", 0 });
	struct str want = expected_value(&tmp, v);
	struct str got = buf_view(&u);
	got.p += 8, got.n -= 8;		/* "Subject:" */
	if (want.n == 0)
		FUZZ_CHECK(got.n == 0, "a value for an empty subject");
	else {
		FUZZ_CHECK(got.n > 1 && got.p[0] == ' ', "no space after the colon");
		got.p++, got.n--;
		if (decode_words(&dec, got))
			got = buf_view(&dec);
		FUZZ_CHECK(fuzz_same(got.p, got.n, want.p, want.n),
		    "the subject reads back differently");
	}
	buf_free(&h);
	buf_free(&u);
	buf_free(&tmp);
	buf_free(&dec);
}

static void
check_mailbox(struct str display, struct str addr)
{
	struct buf h = { 0 }, u = { 0 }, tmp = { 0 }, dec = { 0 };

	mail_header_mailbox(&h, "To", display, addr);
	header_lines(buf_view(&h), "To", &u, addr);
	struct str want = expected_value(&tmp, display);
	struct str got = buf_view(&u);
	got.p += 4, got.n -= 4;		/* "To: " */
	if (want.n == 0) {
		FUZZ_CHECK(fuzz_same(got.p, got.n, addr.p, addr.n),
		    "the address alone reads back differently");
		goto out;
	}
	FUZZ_CHECK(got.n >= addr.n + 3 && got.p[got.n - 1] == '>' &&
	    got.p[got.n - addr.n - 2] == '<' && got.p[got.n - addr.n - 3] == ' ' &&
	    memcmp(got.p + got.n - addr.n - 1, addr.p, addr.n) == 0,
	    "no ' <address>' at the end");
	got.n -= addr.n + 3;
	if (got.n >= 2 && got.p[0] == '"' && got.p[got.n - 1] == '"') {
		for (size_t i = 1; i + 1 < got.n; i++) {
			if (got.p[i] == '\\')
				i++;
			else
				FUZZ_CHECK(got.p[i] != '"', "a bare quote in a quoted string");
			buf_putc(&dec, got.p[i]);
		}
		got = buf_view(&dec);
	} else if (decode_words(&dec, got))
		got = buf_view(&dec);
	else
		for (size_t i = 0; i < got.n; i++)
			FUZZ_CHECK(got.p[i] == ' ' || strchr("!#$%&'*+/=?^_`{|}~-",
			    got.p[i]) != NULL || ((got.p[i] | 0x20) >= 'a' &&
			    (got.p[i] | 0x20) <= 'z') || (got.p[i] >= '0' &&
			    got.p[i] <= '9'), "a display name of atoms holds %#x",
			    (unsigned char)got.p[i]);
	FUZZ_CHECK(fuzz_same(got.p, got.n, want.p, want.n),
	    "the display name reads back differently");
out:
	buf_free(&h);
	buf_free(&u);
	buf_free(&tmp);
	buf_free(&dec);
}

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void
check_qp(struct str body)
{
	struct buf q = { 0 }, d = { 0 };

	mail_qp(&q, body);
	size_t i = 0;
	while (i < q.n) {
		const char *e = memchr(q.p + i, '\n', q.n - i);
		size_t len = e ? (size_t)(e - (q.p + i)) : q.n - i;
		const char *l = q.p + i;
		FUZZ_CHECK(len <= 76, "a quoted-printable line of %zu bytes", len);
		FUZZ_CHECK(len == 0 || (l[len - 1] != ' ' && l[len - 1] != '\t'),
		    "white space at a line's end");
		FUZZ_CHECK(!(len >= 5 && memcmp(l, "From ", 5) == 0),
		    "a line starts with From");
		FUZZ_CHECK(!(len == 1 && l[0] == '.'), "a line of a dot alone");
		bool soft = false;
		for (size_t k = 0; k < len; k++) {
			unsigned char c = (unsigned char)l[k];
			FUZZ_CHECK((c >= 0x20 && c < 0x7F) || c == '\t',
			    "byte %#x in quoted-printable", c);
			if (c != '=') {
				buf_putc(&d, (char)c);
				continue;
			}
			if (k + 1 == len) {
				soft = true;
				break;
			}
			FUZZ_CHECK(k + 2 < len, "'=' cut short");
			int hi = hexval(l[k + 1]), lo = hexval(l[k + 2]);
			FUZZ_CHECK(hi >= 0 && lo >= 0, "'=%c%c' is no byte", l[k + 1],
			    l[k + 2]);
			buf_putc(&d, (char)(hi << 4 | lo));
			k += 2;
		}
		FUZZ_CHECK(!(soft && e == NULL), "a soft break at the end");
		if (e != NULL && !soft)
			buf_putc(&d, '\n');
		i += len + (e != NULL);
	}
	FUZZ_CHECK(fuzz_same(d.p, d.n, body.p, body.n),
	    "quoted-printable decodes to another body (%zu bytes, not %zu)",
	    d.n, body.n);
	buf_free(&q);
	buf_free(&d);
}

static void
check_mbox(struct str msg, struct str sender)
{
	struct buf b = { 0 }, back = { 0 };

	mbox_entry(&b, sender, 1795471200, msg);
	const char *e = memchr(b.p, '\n', b.n);
	FUZZ_CHECK(e != NULL, "no From_ line");
	size_t first = (size_t)(e - b.p);
	FUZZ_CHECK(first > 5 && memcmp(b.p, "From ", 5) == 0, "From_ line");
	FUZZ_CHECK(b.n >= first + 2 && b.p[b.n - 1] == '\n' && b.p[b.n - 2] == '\n',
	    "no blank line at the end");
	size_t i = first + 1, end = b.n - 1;	/* the blank line's LF */
	while (i < end) {
		const char *nl = memchr(b.p + i, '\n', end - i);
		size_t len = nl ? (size_t)(nl - (b.p + i)) + 1 : end - i;
		const char *l = b.p + i;
		FUZZ_CHECK(!(len >= 5 && memcmp(l, "From ", 5) == 0),
		    "a line of the message starts with From");
		size_t k = 0;
		while (k < len && l[k] == '>')
			k++;
		if (k > 0 && len - k >= 5 && memcmp(l + k, "From ", 5) == 0)
			l++, len--;
		buf_put(&back, l, len);
		i += nl ? (size_t)(nl - (b.p + i)) + 1 : end - i;
	}
	bool lf = msg.n > 0 && msg.p[msg.n - 1] == '\n';
	FUZZ_CHECK(back.n == msg.n + !lf && fuzz_same(back.p, msg.n, msg.p, msg.n) &&
	    (lf || back.p[back.n - 1] == '\n'), "the entry reads back differently");
	buf_free(&b);
	buf_free(&back);
}

static int
month_of(const char *m)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	for (int i = 0; i < 12; i++)
		if (memcmp(names + 3 * i, m, 3) == 0)
			return i + 1;
	return -1;
}

static void
check_dates(tstamp t)
{
	static const char days[] = "MonTueWedThuFriSatSun";
	char buf[64], wd[4], mon[4], sign;
	int d, y, hh, mm, ss, off, k = -1;

	memset(buf, 'x', sizeof buf);
	size_t n = mail_date(buf, t);
	FUZZ_CHECK(n < 32 && strlen(buf) == n, "mail_date: %zu, '%s'", n, buf);
	FUZZ_CHECK(sscanf(buf, "%3s, %2d %3s %4d %2d:%2d:%2d %c%4d%n", wd, &d, mon,
	    &y, &hh, &mm, &ss, &sign, &off, &k) == 9 && k == (int)n &&
	    month_of(mon) > 0 && (sign == '+' || sign == '-'), "mail_date '%s'", buf);
	int offs = (off / 100 * 3600 + off % 100 * 60) * (sign == '-' ? -1 : 1);
	day_t day = days_from_civil(y, month_of(mon), d);
	day_t ld;
	int lsecs, loff;
	utc_to_local(t, &ld, &lsecs, &loff);
	/* Local mean time (before 1920) has seconds in its offset, which the
	 * Date field cannot say (docs/RELIABILITY.md, known limits). */
	FUZZ_CHECK((tstamp)day * 86400 + hh * 3600 + mm * 60 + ss - offs == t ||
	    loff % 60 != 0, "mail_date '%s' is not %lld", buf, (long long)t);
	FUZZ_CHECK(memcmp(wd, days + 3 * weekday(day), 3) == 0, "weekday '%s'", buf);

	memset(buf, 'x', sizeof buf);
	n = mail_ctime(buf, t);
	FUZZ_CHECK(n < 32 && strlen(buf) == n, "mail_ctime: %zu, '%s'", n, buf);
	k = -1;
	FUZZ_CHECK(sscanf(buf, "%3s %3s %2d %2d:%2d:%2d %4d%n", wd, mon, &d, &hh,
	    &mm, &ss, &y, &k) == 7 && k == (int)n && month_of(mon) > 0,
	    "mail_ctime '%s'", buf);
	day = days_from_civil(y, month_of(mon), d);
	FUZZ_CHECK((tstamp)day * 86400 + hh * 3600 + mm * 60 + ss == t,
	    "mail_ctime '%s' is not %lld", buf, (long long)t);
	FUZZ_CHECK(memcmp(wd, days + 3 * weekday(day), 3) == 0, "weekday '%s'", buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;

	if (!init) {
		if (dt_init("Europe/Vilnius", NULL) != 0)
			abort();
		init = true;
	}
	if (size < 1 || size > 8192)
		return 0;
	struct str v = { (const char *)data + 1, size - 1 };
	bool ok, ref;
	struct str name, addr;

	switch (data[0] % 7) {
	case 0:
		ok = mail_addr_ok(v);
		ref = ref_addr_ok((const unsigned char *)v.p, v.n);
		FUZZ_CHECK(ok == ref, "mail_addr_ok %d, the rule %d", ok, ref);
		if (ok) {
			FUZZ_CHECK(v.n <= 254, "%zu bytes", v.n);
			for (size_t i = 0; i < v.n; i++) {
				unsigned char c = (unsigned char)v.p[i];
				FUZZ_CHECK(c > 0x20 && c < 0x7F && !strchr("<>()[]:;,\"\\", c),
				    "byte %#x in an address", c);
			}
		}
		break;
	case 1:
		if (mail_parse_mailbox(v, &name, &addr) == 0) {
			FUZZ_CHECK(mail_addr_ok(addr), "address not accepted");
			FUZZ_CHECK(name.p != NULL && addr.p != NULL, "NULL");
			for (size_t i = 0; i < name.n; i++) {
				unsigned char c = (unsigned char)name.p[i];
				FUZZ_CHECK(c >= 0x20 && c != '"' && c != '\\',
				    "byte %#x in a display name", c);
			}
			check_mailbox(name, addr);
		}
		break;
	case 2:
		check_text(v);
		break;
	case 3: {
		const char *nul = memchr(v.p, '\0', v.n);
		struct str display = v;
		addr = STR_C("customer@example.lt");
		if (nul != NULL) {
			display.n = (size_t)(nul - v.p);
			struct str a = { nul + 1, v.n - display.n - 1 };
			if (mail_addr_ok(a))
				addr = a;
		}
		check_mailbox(display, addr);
		break;
	}
	case 4:
		check_qp(v);
		break;
	case 5: {
		/* The sender is an address the program took (--from), or none. */
		const char *nul = memchr(v.p, '\0', v.n);
		struct str sender = { "", 0 }, msg = v;
		if (nul != NULL) {
			struct str a = { v.p, (size_t)(nul - v.p) };
			if (mail_addr_ok(a))
				sender = a;
			msg = (struct str){ nul + 1, v.n - a.n - 1 };
		}
		check_mbox(msg, sender);
		break;
	}
	case 6: {
		uint64_t x = 0;
		const tstamp lo = (tstamp)days_from_civil(1900, 1, 1) * 86400;
		const tstamp hi = (tstamp)days_from_civil(10000, 1, 1) * 86400;
		memcpy(&x, v.p, v.n < 8 ? v.n : 8);
		check_dates(lo + (tstamp)(x % (uint64_t)(hi - lo)));
		break;
	}
	}
	return 0;
}
