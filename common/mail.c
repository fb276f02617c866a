/* mail.c — RFC 5322 messages of UTF-8 text, and the mbox form. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mail.h"

#define LINE_MAX_FOLDED 78	/* RFC 5322 2.1.1: SHOULD */
#define LINE_MAX_WORDS 76	/* RFC 2047 2: lines with encoded-words */
#define WORD_BYTES 39		/* text per encoded-word: 52 base64 chars */
#define BODY_LINE_MAX 998	/* RFC 5322 2.1.1: MUST */

/* ---- addresses ------------------------------------------------------ */

static bool
atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c));
}

static bool
ldh(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

bool
mail_addr_ok(struct str a)
{
	const char *at = a.n ? memchr(a.p, '@', a.n) : NULL;

	if (at == NULL || a.n > 254)
		return false;
	size_t local = (size_t)(at - a.p), dn = a.n - local - 1;
	const char *d = at + 1;
	if (local == 0 || local > 64 || dn == 0)
		return false;
	/* dot-atom: atext runs joined by single dots */
	for (size_t i = 0; i < local; i++) {
		unsigned char c = (unsigned char)a.p[i];
		if (c == '.') {
			if (i == 0 || i == local - 1 || a.p[i - 1] == '.')
				return false;
		} else if (!atext(c))
			return false;
	}
	/* labels of letters, digits and inner hyphens, joined by dots */
	size_t label = 0;
	for (size_t i = 0; i <= dn; i++) {
		if (i == dn || d[i] == '.') {
			if (label == 0 || label > 63 || d[i - 1] == '-' ||
			    d[i - label] == '-')
				return false;
			label = 0;
		} else if (!ldh((unsigned char)d[i]))
			return false;
		else
			label++;
	}
	return true;
}

int
mail_parse_mailbox(struct str s, struct str *name, struct str *addr)
{
	s = str_trim(s);
	*name = (struct str){ "", 0 };
	if (s.n > 0 && s.p[s.n - 1] == '>') {
		size_t lt = s.n - 1;
		while (lt > 0 && s.p[lt] != '<')
			lt--;
		if (s.p[lt] != '<')
			return -1;
		*addr = str_trim((struct str){ s.p + lt + 1, s.n - lt - 2 });
		*name = str_trim((struct str){ s.p, lt });
		if (name->n >= 2 && name->p[0] == '"' &&
		    name->p[name->n - 1] == '"')
			*name = (struct str){ name->p + 1, name->n - 2 };
	} else
		*addr = s;
	for (size_t i = 0; i < name->n; i++)
		if ((unsigned char)name->p[i] < 0x20 || name->p[i] == '"' ||
		    name->p[i] == '\\')
			return -1;
	return mail_addr_ok(*addr) ? 0 : -1;
}

/* ---- header fields -------------------------------------------------- */

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void
base64(struct buf *b, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		buf_putc(b, b64[v >> 18 & 63]);
		buf_putc(b, b64[v >> 12 & 63]);
		buf_putc(b, i + 1 < n ? b64[v >> 6 & 63] : '=');
		buf_putc(b, i + 2 < n ? b64[v & 63] : '=');
	}
}

/* Bytes of the UTF-8 character at P (1 for a byte that starts none). */
static size_t
char_len(const unsigned char *p, size_t n)
{
	size_t k = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 :
	    *p >= 0xC0 ? 2 : 1;

	if (k > n)
		return 1;
	for (size_t i = 1; i < k; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 1;
	return k;
}

/* V with every control character a space, and without surrounding white
 * space: a header value is one line. */
static struct str
one_line(struct buf *tmp, struct str v)
{
	tmp->n = 0;
	for (size_t i = 0; i < v.n; i++) {
		unsigned char c = (unsigned char)v.p[i];
		buf_putc(tmp, c < 0x20 || c == 0x7F ? ' ' : (char)c);
	}
	return str_trim(buf_view(tmp));
}

/* Must V be written as encoded-words, after a header name of COL
 * characters?  Folding puts a run of spaces and the word after it at the
 * start of a line: that too must fit in a line. */
static bool
needs_words(struct str v, size_t col)
{
	size_t word = 0, unit = 0;

	for (size_t i = 0; i < v.n; i++) {
		unsigned char c = (unsigned char)v.p[i];
		if (c >= 0x80 || c < 0x20 || c == 0x7F)
			return true;
		if (c == '=' && i + 1 < v.n && v.p[i + 1] == '?')
			return true;
		if (c == ' ' && i > 0 && v.p[i - 1] != ' ')
			unit = 0;	/* a run of spaces starts a unit */
		word = c == ' ' ? 0 : word + 1;
		unit++;
		if (word + col > LINE_MAX_FOLDED || unit > LINE_MAX_FOLDED)
			return true;
	}
	return false;
}

/* V as encoded-words from column *COL on, one a line after the first. */
static void
put_words(struct buf *b, struct str v, size_t *col)
{
	const unsigned char *p = (const unsigned char *)v.p;
	size_t i = 0;

	while (i < v.n) {
		size_t j = i;
		while (j < v.n) {
			size_t k = char_len(p + j, v.n - j);
			if (j + k - i > WORD_BYTES)
				break;
			j += k;
		}
		size_t len = 12 + (j - i + 2) / 3 * 4;
		if (i > 0 || *col + len > LINE_MAX_WORDS) {
			if (*col > 0 && *col + 1 + len <= LINE_MAX_WORDS) {
				buf_putc(b, ' ');
				(*col)++;
			} else if (*col > 0) {
				buf_put(b, "\n ", 2);
				*col = 1;
			}
		}
		buf_put(b, "=?UTF-8?B?", 10);
		base64(b, p + i, j - i);
		buf_put(b, "?=", 2);
		*col += len;
		i = j;
	}
}

/* V as it is, folded before a run of spaces where a line would pass 78
 * characters. */
static void
put_folded(struct buf *b, struct str v, size_t *col)
{
	size_t i = 0;

	while (i < v.n) {
		size_t j = i, k;
		while (j < v.n && v.p[j] == ' ')
			j++;
		k = j;
		while (k < v.n && v.p[k] != ' ')
			k++;
		if (i > 0 && *col + (k - i) > LINE_MAX_FOLDED) {
			buf_putc(b, '\n');
			*col = 0;
		}
		buf_put(b, v.p + i, k - i);
		*col += k - i;
		i = k;
	}
}

void
mail_header_text(struct buf *b, const char *name, struct str value)
{
	struct buf tmp = { 0 };
	struct str v = one_line(&tmp, value);
	size_t col = strlen(name) + 1;

	buf_cat(b, name);
	buf_putc(b, ':');
	if (v.n > 0) {
		buf_putc(b, ' ');
		col++;
		if (needs_words(v, col))
			put_words(b, v, &col);
		else
			put_folded(b, v, &col);
	}
	buf_putc(b, '\n');
	buf_free(&tmp);
}

/* May TEXT be a phrase of atoms as it is? */
static bool
atoms(struct str s)
{
	for (size_t i = 0; i < s.n; i++)
		if (s.p[i] != ' ' && !atext((unsigned char)s.p[i]))
			return false;
	return true;
}

void
mail_header_mailbox(struct buf *b, const char *name, struct str display,
    struct str addr)
{
	struct buf tmp = { 0 };
	struct str d = one_line(&tmp, display);
	size_t col = strlen(name) + 2;

	buf_cat(b, name);
	buf_put(b, ": ", 2);
	if (d.n > 0) {
		size_t quoted = d.n + 2, max = LINE_MAX_FOLDED;
		for (size_t i = 0; i < d.n; i++)
			quoted += d.p[i] == '"' || d.p[i] == '\\';
		if (needs_words(d, col) || col + quoted > LINE_MAX_FOLDED) {
			put_words(b, d, &col);
			max = LINE_MAX_WORDS;	/* the address after the last word */
		} else if (atoms(d)) {
			buf_str(b, d);
			col += d.n;
		} else {
			buf_putc(b, '"');
			for (size_t i = 0; i < d.n; i++) {
				if (d.p[i] == '"' || d.p[i] == '\\')
					buf_putc(b, '\\');
				buf_putc(b, d.p[i]);
			}
			buf_putc(b, '"');
			col += quoted;
		}
		if (col + 1 + addr.n + 2 > max)
			buf_put(b, "\n <", 3);
		else
			buf_put(b, " <", 2);
		buf_str(b, addr);
		buf_putc(b, '>');
	} else
		buf_str(b, addr);
	buf_putc(b, '\n');
	buf_free(&tmp);
}

/* ---- dates ---------------------------------------------------------- */

static const char *const wday[] = { "Mon", "Tue", "Wed", "Thu", "Fri",
	"Sat", "Sun" };
static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

size_t
mail_date(char *buf, tstamp t)
{
	day_t d;
	int secs, off, y, m, dd;

	utc_to_local(t, &d, &secs, &off);
	civil_from_days(d, &y, &m, &dd);
	int a = off < 0 ? -off : off;
	return (size_t)snprintf(buf, 32, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d",
	    wday[weekday(d)], dd, mon[m - 1], y, secs / 3600, secs / 60 % 60,
	    secs % 60, off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

size_t
mail_ctime(char *buf, tstamp t)
{
	tstamp days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int secs = (int)(t - days * 86400), y, m, d;

	civil_from_days((day_t)days, &y, &m, &d);
	return (size_t)snprintf(buf, 32, "%s %s %2d %02d:%02d:%02d %04d",
	    wday[weekday((day_t)days)], mon[m - 1], d, secs / 3600,
	    secs / 60 % 60, secs % 60, y);
}

/* ---- the Message-ID ------------------------------------------------- */

/* MurmurHash3_x64_128 (Austin Appleby, public domain), streaming. */
#define C1 0x87c37b91114253d5ULL
#define C2 0x4cf5ad432745937fULL

static inline uint64_t
rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64_t
fmix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

static inline uint64_t
load64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)	/* little-endian on every machine */
		v = v << 8 | p[i];
	return v;
}

static inline void
block(struct mail_hasher *m, const unsigned char *p)
{
	uint64_t k1 = load64(p), k2 = load64(p + 8);

	k1 *= C1; k1 = rotl(k1, 31); k1 *= C2; m->h1 ^= k1;
	m->h1 = rotl(m->h1, 27); m->h1 += m->h2; m->h1 = m->h1 * 5 + 0x52dce729;
	k2 *= C2; k2 = rotl(k2, 33); k2 *= C1; m->h2 ^= k2;
	m->h2 = rotl(m->h2, 31); m->h2 += m->h1; m->h2 = m->h2 * 5 + 0x38495ab5;
}

void
mail_hash_init(struct mail_hasher *m)
{
	memset(m, 0, sizeof *m);
}

void
mail_hash_add(struct mail_hasher *m, const void *data, size_t n)
{
	const unsigned char *p = data;

	m->total += n;
	if (m->ntail > 0) {
		size_t k = 16 - m->ntail < n ? 16 - m->ntail : n;
		memcpy(m->tail + m->ntail, p, k);
		m->ntail += k;
		p += k;
		n -= k;
		if (m->ntail < 16)
			return;
		block(m, m->tail);
		m->ntail = 0;
	}
	for (; n >= 16; p += 16, n -= 16)
		block(m, p);
	memcpy(m->tail, p, n);
	m->ntail = n;
}

struct mail_hash
mail_hash_end(struct mail_hasher *m)
{
	uint64_t k1 = 0, k2 = 0;
	const unsigned char *t = m->tail;

	switch (m->ntail) {
	case 15: k2 ^= (uint64_t)t[14] << 48; /* FALLTHROUGH */
	case 14: k2 ^= (uint64_t)t[13] << 40; /* FALLTHROUGH */
	case 13: k2 ^= (uint64_t)t[12] << 32; /* FALLTHROUGH */
	case 12: k2 ^= (uint64_t)t[11] << 24; /* FALLTHROUGH */
	case 11: k2 ^= (uint64_t)t[10] << 16; /* FALLTHROUGH */
	case 10: k2 ^= (uint64_t)t[9] << 8; /* FALLTHROUGH */
	case 9:
		k2 ^= (uint64_t)t[8];
		k2 *= C2; k2 = rotl(k2, 33); k2 *= C1; m->h2 ^= k2;
		/* FALLTHROUGH */
	case 8: k1 ^= (uint64_t)t[7] << 56; /* FALLTHROUGH */
	case 7: k1 ^= (uint64_t)t[6] << 48; /* FALLTHROUGH */
	case 6: k1 ^= (uint64_t)t[5] << 40; /* FALLTHROUGH */
	case 5: k1 ^= (uint64_t)t[4] << 32; /* FALLTHROUGH */
	case 4: k1 ^= (uint64_t)t[3] << 24; /* FALLTHROUGH */
	case 3: k1 ^= (uint64_t)t[2] << 16; /* FALLTHROUGH */
	case 2: k1 ^= (uint64_t)t[1] << 8; /* FALLTHROUGH */
	case 1:
		k1 ^= (uint64_t)t[0];
		k1 *= C1; k1 = rotl(k1, 31); k1 *= C2; m->h1 ^= k1;
	}
	m->h1 ^= m->total;
	m->h2 ^= m->total;
	m->h1 += m->h2;
	m->h2 += m->h1;
	m->h1 = fmix(m->h1);
	m->h2 = fmix(m->h2);
	m->h1 += m->h2;
	m->h2 += m->h1;
	return (struct mail_hash){ m->h1, m->h2 };
}

struct mail_hash
mail_hash(const struct str *parts, size_t n)
{
	struct mail_hasher m;

	mail_hash_init(&m);
	for (size_t k = 0; k < n; k++) {
		unsigned char len[8];
		for (int i = 0; i < 8; i++)
			len[i] = (unsigned char)((uint64_t)parts[k].n >> (8 * i));
		mail_hash_add(&m, len, 8);
		mail_hash_add(&m, parts[k].p, parts[k].n);
	}
	return mail_hash_end(&m);
}

size_t
mail_id_format(char *buf, size_t cap, struct mail_hash h, struct str domain)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	if (cap < 36 + domain.n) {
		buf[0] = '\0';
		return 0;
	}
	buf[n++] = '<';
	for (int i = 60; i >= 0; i -= 4)
		buf[n++] = hex[h.hi >> i & 15];
	for (int i = 60; i >= 0; i -= 4)
		buf[n++] = hex[h.lo >> i & 15];
	buf[n++] = '@';
	memcpy(buf + n, domain.p, domain.n);
	n += domain.n;
	buf[n++] = '>';
	buf[n] = '\0';
	return n;
}

/* ---- the body ------------------------------------------------------- */

bool
mail_body_needs_qp(struct str body)
{
	size_t line = 0;

	for (size_t i = 0; i < body.n; i++) {
		if (body.p[i] == '\n')
			line = 0;
		else if (body.p[i] == '\0' || ++line > BODY_LINE_MAX)
			return true;
	}
	return false;
}

static bool
qp_literal(unsigned char c)
{
	return (c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t';
}

void
mail_qp(struct buf *b, struct str body)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)body.p;
	size_t col = 0;

	for (size_t i = 0; i < body.n; i++) {
		unsigned char c = p[i];
		if (c == '\n') {
			buf_putc(b, '\n');
			col = 0;
			continue;
		}
		bool at_end = i + 1 == body.n || p[i + 1] == '\n';
		bool lit = qp_literal(c) &&
		    !((c == ' ' || c == '\t') && at_end);
		size_t w = lit ? 1 : 3;
		/* a soft break keeps each line within 76 with its "=" */
		if (col + w > 75 && !(at_end && col + w <= 76)) {
			buf_put(b, "=\n", 2);
			col = 0;
		}
		/* A line, hard or soft, that would start with "From " or be
		 * "." alone: its first byte encoded. */
		if (lit && col == 0 && ((c == 'F' && body.n - i >= 5 &&
		    memcmp(p + i, "From ", 5) == 0) || (c == '.' && at_end))) {
			lit = false;
			w = 3;
		}
		if (lit)
			buf_putc(b, (char)c);
		else {
			buf_putc(b, '=');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
		col += w;
	}
}

/* ---- the message ---------------------------------------------------- */

void
mail_format(struct buf *out, const struct mail *m)
{
	char date[32];
	struct buf body = { 0 };
	struct str text = m->body;

	/* One line end: LF (a value may bring CRLF or CR). */
	if (memchr(text.p, '\r', text.n) != NULL) {
		for (size_t i = 0; i < text.n; i++) {
			char c = text.p[i];
			if (c == '\r') {
				if (i + 1 < text.n && text.p[i + 1] == '\n')
					continue;
				c = '\n';
			}
			buf_putc(&body, c);
		}
		text = buf_view(&body);
	}
	bool lf = text.n > 0 && text.p[text.n - 1] == '\n';
	bool qp = mail_body_needs_qp(text);

	mail_header_mailbox(out, "From", m->from_name, m->from_addr);
	mail_header_mailbox(out, "To", m->to_name, m->to_addr);
	mail_header_text(out, "Subject", m->subject);
	buf_cat(out, "Date: ");
	buf_put(out, date, mail_date(date, m->date));
	buf_cat(out, "\nMessage-ID: ");
	buf_str(out, m->message_id);
	buf_cat(out, "\nMIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: ");
	buf_cat(out, qp ? "quoted-printable\n" : "8bit\n");
	if (m->language.n > 0) {
		buf_cat(out, "Content-Language: ");
		buf_str(out, m->language);
		buf_putc(out, '\n');
	}
	buf_cat(out, "Auto-Submitted: auto-generated\n\n");
	if (qp)
		mail_qp(out, text);
	else
		buf_str(out, text);
	if (!lf)
		buf_putc(out, '\n');
	buf_free(&body);
}

/* Does the line at P (N bytes to the end) match ">*From "? */
static bool
from_line(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && p[i] == '>')
		i++;
	return n - i >= 5 && memcmp(p + i, "From ", 5) == 0;
}

void
mbox_entry(struct buf *out, struct str sender, tstamp t, struct str msg)
{
	char when[32];
	size_t i = 0;

	buf_put(out, "From ", 5);
	buf_str(out, sender.n ? sender : STR_C("MAILER-DAEMON"));
	buf_putc(out, ' ');
	buf_put(out, when, mail_ctime(when, t));
	buf_putc(out, '\n');
	while (i < msg.n) {
		const char *nl = memchr(msg.p + i, '\n', msg.n - i);
		size_t end = nl ? (size_t)(nl - msg.p) + 1 : msg.n;
		if (from_line(msg.p + i, end - i))
			buf_putc(out, '>');
		buf_put(out, msg.p + i, end - i);
		i = end;
	}
	if (msg.n == 0 || msg.p[msg.n - 1] != '\n')
		buf_putc(out, '\n');
	buf_putc(out, '\n');
}
