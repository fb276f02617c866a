/* csvin.c — CSV records through libcsv, TSV records by hand.
 *
 * libcsv is fed large chunks; its callbacks append finished fields to an
 * arena and finished records to a queue, which csvin_next() drains before
 * parsing the next chunk.  Physical lines are counted so that every record
 * knows the line it starts on: CSV_REPALL_NL makes libcsv report every line
 * end (blank lines too), and line feeds inside quoted fields are counted
 * from the field bytes.
 *
 * libcsv runs in strict mode, so that malformed quoting is found, not
 * guessed at; the one thing strict mode refuses that common.md accepts, a
 * quote inside an unquoted field, is handed to libcsv again in non-strict
 * mode, one byte (see csv_chunk).
 *
 * Chunks come through input(): read(2) straight into the chunk buffer for
 * UTF-8, or through iconv(3) from a second buffer of raw bytes when the
 * file is in another encoding.  An error found in a chunk (malformed
 * quoting, a byte that does not convert, too many fields) is kept in
 * r->error and becomes fatal once the records before it were returned.
 */
#include <csv.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bytes.h"
#include "csvin.h"
#include "util.h"

/* Bytes read (and converted) at a time.  The fuzz targets build the
 * reader with small chunks, so that short inputs cross chunk edges. */
#ifndef CSVIN_CHUNK
#define CSVIN_CHUNK (256 * 1024)
#endif
#define CHUNK CSVIN_CHUNK
#define STOP_SLACK 16		/* bytes after a chunk, for plain_records() */

struct qrec {
	size_t first, nf;	/* fields [first, first+nf) of r->fs */
	long line;
	bool inbuf;		/* the fields' offsets are in r->buf, not the
				 * arena (plain_records) */
};

/* A field: its offset in the arena (or in r->buf) and its length. */
struct fspan {
	size_t off, len;
};

/* The options of libcsv: strict, except for one byte at a time. */
#define CSV_OPTS (CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)

struct csvin {
	int fd;
	const char *name;
	struct dialect d;
	enum csvin_kind kind;
	struct csv_parser p;
	bool finished, started;
	char *buf;		/* the chunk; CHUNK + STOP_SLACK bytes */
	unsigned char stop[256];	/* plain_records: the bytes that end a
					 * field or stop the split */
	/* Field bytes, NUL-terminated, and their offsets and lengths.  The
	 * fields of plain records stay where they were read, in buf. */
	char *arena;
	size_t alen, acap;
	struct fspan *fs;
	size_t nfields, fcap;
	/* Finished records not yet returned. */
	struct qrec *q;
	size_t qlen, qcap, qpos;
	/* The record being built. */
	size_t cur_first, cur_nf;
	long cur_line;
	long lines;		/* line feeds seen so far */
	/* TSV state. */
	bool tsv_escape;
	bool tsv_cr;		/* the last byte of the field is a raw CR */
	size_t tsv_fstart;	/* arena offset of the field being built */
	bool tsv_in_record;
	struct str *out;
	size_t outcap;
	/* The names of the file's first record (its header), for messages:
	 * the bytes, and the offset of each name in them. */
	char *hdr;
	size_t *hdr_off, nhdr;
	bool hdr_done;
	/* More than RECORD_FIELDS_MAX fields in the record being built: the
	 * rest of it and everything after it are ignored. */
	bool too_many;
	/* Conversion to UTF-8 (cd is (iconv_t)-1 when there is none).  raw
	 * holds bytes read and not yet converted (or, for a table read whole,
	 * not yet handed to the parser): [rpos, rlen) of rcap. */
	iconv_t cd;
	const char *from;	/* the encoding, for messages */
	bool from_bom;		/* UTF-16 told by the byte-order mark */
	char *raw;
	size_t rpos, rlen, rcap;
	bool raw_eof;
	long conv_lines;	/* line feeds in the converted text so far */
	char *conv_error;	/* a conversion error after the text returned */
	long conv_error_line;
	/* An error found after some records of the chunk: they are
	 * returned first, then the error is fatal. */
	char *error;
};

/* --encoding, or NULL. */
static const char *encoding;

int
csvin_set_encoding(const char *name)
{
	iconv_t cd;

	if (name == NULL) {
		encoding = NULL;
		return 0;
	}
	if ((cd = iconv_open("UTF-8", name)) == (iconv_t)-1)
		return -1;
	iconv_close(cd);
	encoding = name;
	return 0;
}

const char *
csvin_encoding(void)
{
	return encoding;
}

/* Keep the first error of the file; it is fatal after the records read
 * before it.  Nothing more is read. */
static void __attribute__((format(printf, 2, 3)))
failed(struct csvin *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (r->error != NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->error = xstrdup(msg);
	r->finished = true;
}

static void *
capped_realloc(void *p, size_t n)
{
	/* One stray quote must not swallow the input: libcsv grows its field
	 * buffer through here, and a refusal ends the parse (CSV_ENOMEM). */
	if (n > FIELD_MAX + 1)
		return NULL;
	return realloc(p, n);
}

static int
no_space(unsigned char c)
{
	(void)c;
	return 0;	/* keep spaces around unquoted fields */
}

int
dialect_delim(const char *arg)
{
	if (strcmp(arg, "\\t") == 0 || strcmp(arg, "\t") == 0)
		return '\t';
	if (strlen(arg) != 1 || arg[0] == '"' || arg[0] == '\n' ||
	    arg[0] == '\r')
		return -1;
	return (unsigned char)arg[0];
}

static void
arena_reserve(struct csvin *r, size_t n)
{
	if (r->alen + n <= r->acap)
		return;
	while (r->alen + n > r->acap)
		r->acap = r->acap ? r->acap * 2 : CHUNK;
	r->arena = xrealloc(r->arena, r->acap);
}

static void
grow_fields(struct csvin *r)
{
	r->fcap = r->fcap ? r->fcap * 2 : 1024;
	r->fs = xrealloc(r->fs, r->fcap * sizeof *r->fs);
}

static void
push_field(struct csvin *r, size_t off, size_t len)
{
	if (r->nfields == r->fcap)
		grow_fields(r);
	if (r->cur_nf == 0)
		r->cur_first = r->nfields;
	r->fs[r->nfields++] = (struct fspan){ off, len };
	r->cur_nf++;
}

/* The first record of the file is its header: its names, for messages. */
static void
keep_header(struct csvin *r)
{
	size_t from = r->fs[r->cur_first].off;

	r->hdr_done = true;
	r->nhdr = r->cur_nf;
	r->hdr = xmemdup(r->arena + from, r->alen - from);
	r->hdr_off = xmalloc(r->nhdr * sizeof *r->hdr_off);
	for (size_t i = 0; i < r->nhdr; i++)
		r->hdr_off[i] = r->fs[r->cur_first + i].off - from;
}

static void
grow_queue(struct csvin *r)
{
	r->qcap = r->qcap ? r->qcap * 2 : 256;
	r->q = xrealloc(r->q, r->qcap * sizeof *r->q);
}

static void
push_record(struct csvin *r)
{
	if (!r->hdr_done)
		keep_header(r);
	if (r->qlen == r->qcap)
		grow_queue(r);
	r->q[r->qlen++] = (struct qrec){ r->cur_first, r->cur_nf, r->cur_line,
		false };
	r->cur_nf = 0;
}

static void
count_lf(struct csvin *r, const char *p, size_t n)
{
	const char *e = p + n;

	while (p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		r->lines++;
		p++;
	}
}

static void
on_field(void *s, size_t len, void *data)
{
	struct csvin *r = data;
	const char *p = s;
	char *d;

	/* One test per field: cur_nf stays at the cap once reached. */
	if (r->cur_nf >= RECORD_FIELDS_MAX) {
		r->too_many = true;
		return;
	}
	if (r->cur_nf == 0)
		r->cur_line = r->lines + 1;
	if (r->alen + len + 1 > r->acap)
		arena_reserve(r, len + 1);
	d = r->arena + r->alen;
	/* Most fields are short and hold no line feed: no call for them. */
	bytes_copy(d, p, len);
	d[len] = '\0';
	if (bytes_may_have(p, len, '\n'))
		count_lf(r, p, len);
	push_field(r, r->alen, len);
	r->alen += len + 1;
}

static void
on_row(int c, void *data)
{
	struct csvin *r = data;

	if (r->too_many)
		return;
	if (c == '\n')
		r->lines++;
	if (r->cur_nf > 0)
		push_record(r);	/* a row without fields is a blank line */
}

struct csvin *
csvin_open(const char *path, struct dialect d)
{
	return csvin_open_kind(path, d, CSVIN_STREAM);
}

struct csvin *
csvin_open_kind(const char *path, struct dialect d, enum csvin_kind kind)
{
	struct csvin *r = xcalloc(1, sizeof *r);

	r->kind = kind;
	r->cd = (iconv_t)-1;
	if (strcmp(path, "-") == 0) {
		r->fd = STDIN_FILENO;
		r->name = "-";
	} else {
		r->fd = open(path, O_RDONLY);
		if (r->fd == -1)
			fatal_errno("%s", path);
		r->name = path;
	}
	r->d = d;
	/* plain_records() reads a block of 16 from its sentinel after the
	 * chunk on: every byte of it initialized. */
	r->buf = xcalloc(1, CHUNK + STOP_SLACK);
	return r;
}

struct dialect
csvin_dialect(const struct csvin *r)
{
	return r->d;
}

static size_t
read_some(struct csvin *r, char *p, size_t cap)
{
	ssize_t n;

	do
		n = read(r->fd, p, cap);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		fatal_errno("%s: read error", r->name);
	return (size_t)n;
}

/* ---- encodings ------------------------------------------------------ */

static size_t
count_lf_in(const char *p, size_t n)
{
	const char *e = p + n;
	size_t k = 0;

	while (p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		k++;
		p++;
	}
	return k;
}

/* Bytes of the input that do not convert: kept for when the text before
 * them was parsed (input() returns 0 from then on).  AT_END: a character
 * cut by the end of the file. */
static void
conv_failed(struct csvin *r, const char *bad, size_t n, bool at_end)
{
	char shown[32], msg[512], hint[128];
	size_t unit = r->from_bom ? 2 : 1, k = 0;

	if (r->conv_error != NULL)
		return;
	/* The bytes where it fails: one, or a UTF-16 unit. */
	for (size_t i = 0; i < n && i < unit; i++)
		k += (size_t)snprintf(shown + k, sizeof shown - k, "\\x%02X",
		    (unsigned char)bad[i]);
	if (r->from_bom)
		snprintf(hint, sizeof hint, "the file starts with a %s "
		    "byte-order mark", r->from);
	else
		snprintf(hint, sizeof hint, "see --encoding");
	/* Its line is known when the text before it is counted (convert). */
	if (at_end)
		snprintf(msg, sizeof msg, "the file ends inside a %s character, "
		    "at '%s' (%s)", r->from, shown, hint);
	else
		snprintf(msg, sizeof msg, "cannot read '%s' as %s (%s)", shown,
		    r->from, hint);
	r->conv_error = xstrdup(msg);
}

/* Up to CAP (>= 4) bytes of UTF-8 converted from the raw bytes into DST;
 * 0 at the end of the input or after an error (r->conv_error). */
static size_t
convert(struct csvin *r, char *dst, size_t cap)
{
	char *out = dst;
	size_t left = cap;

	while (r->conv_error == NULL) {
		if (r->rpos < r->rlen) {
			char *in = r->raw + r->rpos;
			size_t inleft = r->rlen - r->rpos;
			size_t rc = iconv(r->cd, &in, &inleft, &out, &left);
			int e = errno;
			r->rpos = (size_t)(in - r->raw);
			if (rc == (size_t)-1 && e == EILSEQ)
				conv_failed(r, in, inleft, false);
			if (rc == (size_t)-1 && (e == EILSEQ || e == E2BIG))
				break;
			/* Else all was converted, or a character is cut by
			 * the end of what was read (EINVAL): read on. */
		}
		if (out > dst)
			break;
		if (r->raw_eof) {
			if (r->rpos < r->rlen)
				conv_failed(r, r->raw + r->rpos, r->rlen - r->rpos,
				    true);
			break;
		}
		memmove(r->raw, r->raw + r->rpos, r->rlen - r->rpos);
		r->rlen -= r->rpos;
		r->rpos = 0;
		size_t got = read_some(r, r->raw + r->rlen, r->rcap - r->rlen);
		r->rlen += got;
		r->raw_eof = got == 0;
	}
	r->conv_lines += (long)count_lf_in(dst, (size_t)(out - dst));
	if (r->conv_error != NULL && r->conv_error_line == 0)
		r->conv_error_line = r->conv_lines + 1;
	return (size_t)(out - dst);
}

/* Up to CAP bytes of text (UTF-8) into DST; 0 at the end of the input.
 * Without a conversion, a read(2) into DST: nothing more. */
static size_t
input(struct csvin *r, char *dst, size_t cap)
{
	if (r->cd != (iconv_t)-1)
		return convert(r, dst, cap);
	if (r->rpos < r->rlen) {
		/* A table read whole to see whether it is UTF-8: it is. */
		size_t k = r->rlen - r->rpos < cap ? r->rlen - r->rpos : cap;
		memcpy(dst, r->raw + r->rpos, k);
		r->rpos += k;
		return k;
	}
	return read_some(r, dst, cap);
}

static void
convert_from(struct csvin *r, const char *from, bool bom)
{
	r->cd = iconv_open("UTF-8", from);
	if (r->cd == (iconv_t)-1)
		fatal_errno("%s: cannot convert from %s", r->name, from);
	r->from = from;
	r->from_bom = bom;
}

/* The encoding of the file, told by its first N bytes in r->buf (all of
 * them when fewer than 3): a byte-order mark, else --encoding.  When the
 * file is to be converted, the bytes move to r->raw and *N becomes 0;
 * a table is read whole to tell whether it is UTF-8 as it is. */
static void
choose_encoding(struct csvin *r, size_t *n)
{
	const unsigned char *b = (const unsigned char *)r->buf;
	size_t skip = 0;

	if (r->kind == CSVIN_OWN)
		return;
	if (*n >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
		convert_from(r, "UTF-16LE", true);
		skip = 2;
	} else if (*n >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
		convert_from(r, "UTF-16BE", true);
		skip = 2;
	} else if (encoding == NULL ||
	    (*n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0))
		return;		/* UTF-8 (the mark says so even with --encoding) */
	r->rcap = CHUNK;
	r->raw = xmalloc(r->rcap);
	memcpy(r->raw, r->buf + skip, *n - skip);
	r->rlen = *n - skip;
	*n = 0;
	if (r->cd != (iconv_t)-1)
		return;
	if (r->kind == CSVIN_TABLE) {
		/* A table written by hand beside a cp1251 export may be
		 * UTF-8: then it is read as it is.  Tables are small. */
		size_t got;
		do {
			if (r->rlen == r->rcap) {
				r->rcap *= 2;
				r->raw = xrealloc(r->raw, r->rcap);
			}
			got = read_some(r, r->raw + r->rlen, r->rcap - r->rlen);
			r->rlen += got;
		} while (got > 0);
		r->raw_eof = true;
		if (str_utf8_valid((struct str){ r->raw, r->rlen }))
			return;
	}
	convert_from(r, encoding, false);
}

/* ---- the header line ------------------------------------------------ */

/* The first comma, semicolon or tab outside quotes on the header line.
 * Returns false when P ends before either one or the line end is seen.
 * A quote opens a quoted name only at the start of one (`Size 17";Qty`
 * is two names, as the reader reads them). */
static bool
sniff(struct csvin *r, const char *p, size_t n)
{
	bool quoted = false;

	r->d.delim = ',';
	r->d.tsv = false;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (quoted) {
			if (c != '"')
				continue;
			if (i + 1 == n)
				return false;	/* "" or the end: tell by the next */
			if (p[i + 1] == '"')
				i++;
			else
				quoted = false;
		} else if (c == '"') {
			quoted = i == 0 || p[i - 1] == ',' || p[i - 1] == ';' ||
			    p[i - 1] == '\t';
		} else if (c == '\n' || c == '\r')
			return true;
		else if (c == ',' || c == ';') {
			r->d.delim = c;
			return true;
		} else if (c == '\t') {
			r->d.delim = '\t';
			r->d.tsv = true;
			return true;
		}
	}
	return false;
}

static void
start(struct csvin *r, char **p, size_t *n)
{
	/* The first chunk: the encoding, a byte-order mark, the dialect.
	 * The first bytes may come one read at a time (a pipe). */
	while (*n < 3) {
		size_t got = read_some(r, r->buf + *n, CHUNK - *n);
		if (got == 0)
			break;
		*n += got;
	}
	choose_encoding(r, n);
	if (r->cd != (iconv_t)-1 || r->rlen > 0)
		*n = input(r, r->buf, CHUNK);
	if (*n >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
		*p += 3;
		*n -= 3;
		/* Nothing after the mark yet is not the end of the input. */
		if (*n == 0)
			*n = input(r, *p, CHUNK - 3);
	}
	/* The header line may come in several reads (a pipe): read on
	 * until it can be sniffed, the input ends or the buffer is full. */
	while (r->d.sniff && !sniff(r, *p, *n)) {
		size_t used = (size_t)(*p - r->buf) + *n;
		size_t got = used + 4 <= CHUNK ? input(r, *p + *n, CHUNK - used) : 0;
		if (got == 0)
			break;
		*n += got;
	}
	if (r->d.tsv)
		r->d.delim = '\t';
	else {
		if (csv_init(&r->p, CSV_OPTS))
			fatal("out of memory");
		csv_set_delim(&r->p, (unsigned char)r->d.delim);
		csv_set_space_func(&r->p, no_space);
		csv_set_realloc_func(&r->p, capped_realloc);
		csv_set_blk_size(&r->p, 64 * 1024);
		/* plain_records() stops at these (the rest is zero). */
		r->stop[(unsigned char)r->d.delim] = 1;
		r->stop[r->p.quote_char] = 1;
		r->stop['\r'] = 1;
		r->stop['\n'] = 1;
	}
	r->started = true;
}

/* ---- errors --------------------------------------------------------- */

/* "field 3 (notes)": the field being read, and its header name when the
 * header was read already. */
static const char *
field_named(const struct csvin *r, char *buf, size_t cap)
{
	size_t i = r->cur_nf;
	int k = snprintf(buf, cap, "field %zu", i + 1);

	if (r->hdr_done && i < r->nhdr && k > 0 && (size_t)k + 8 < cap) {
		char name[80];
		const char *h = r->hdr + r->hdr_off[i];
		str_msg(name, sizeof name, (struct str){ h, strlen(h) });
		snprintf(buf + k, cap - (size_t)k, " (%s)", name);
	}
	return buf;
}

static void
csv_failed(struct csvin *r, bool at_end)
{
	long line = r->cur_nf ? r->cur_line : r->lines + 1;
	int e = csv_error(&r->p);
	char field[128], delim[16];

	if (e == CSV_ENOMEM || e == CSV_ETOOBIG) {
		failed(r, "%s:%ld: field longer than %d bytes (a stray quote?)",
		    r->name, line, FIELD_MAX);
		return;
	}
	field_named(r, field, sizeof field);
	str_msg(delim, sizeof delim, (struct str){ &r->d.delim, 1 });
	/* What is accepted, in the words of a spreadsheet user. */
	failed(r, "%s:%ld: %s: malformed quoting: %s (a quoted field ends "
	    "with a quote followed by '%s' or the line end; a quote inside it "
	    "is written twice, \"\")", r->name, line, field, at_end ?
	    "a quoted field is still open at the end of the input" :
	    "text after the closing quote", delim);
}

static void
too_many_fields(struct csvin *r)
{
	failed(r, "%s:%ld: more than %d fields in a record", r->name,
	    r->cur_line, RECORD_FIELDS_MAX);
}

/* ---- CSV ------------------------------------------------------------ */

static void
csv_bytes(struct csvin *r, const char *p, size_t n)
{
	while (n > 0) {
		size_t done = csv_parse(&r->p, p, n, on_field, on_row, r);
		if (r->too_many) {
			too_many_fields(r);
			return;
		}
		if (done == n)
			return;
		if (csv_error(&r->p) != CSV_EPARSE || r->p.quoted ||
		    (unsigned char)p[done] != r->p.quote_char) {
			csv_failed(r, false);
			return;
		}
		/* A quote inside an unquoted field (17" rims): strict mode
		 * stopped on it; non-strict libcsv takes it as a character
		 * of the field.  Then strict again, for the rest. */
		csv_set_opts(&r->p, CSV_REPALL_NL);
		r->p.status = 0;
		size_t one = csv_parse(&r->p, p + done, 1, on_field, on_row, r);
		csv_set_opts(&r->p, CSV_OPTS);
		if (one != 1) {
			csv_failed(r, false);	/* the field is too long */
			return;
		}
		p += done + 1;
		n -= done + 1;
	}
}

/* libcsv takes each byte through its state machine, with a call per
 * field and per byte of no_space(): it costs more than all the rest of
 * the reader.  The records of an export are split here instead, where
 * they were read, when they are well formed: their fields stay in r->buf
 * (valid until the next fill(), as the arena's are), each NUL-terminated
 * in place of the byte after it (its delimiter, line end or closing
 * quote); a quoted field's doubled quotes are undoubled in place.
 *
 * The contract: the records taken here are exactly those libcsv (strict,
 * no_space, CSV_REPALL_NL, the quote '"') would have reported through
 * on_field() and on_row(), with the same fields and lines; any other
 * record goes to libcsv from its first byte, and nothing of it was
 * changed.  Taken are, only at a record's start in libcsv's state (nothing
 * of a record handed to it: ROW_NOT_BEGUN) and after the header:
 * - blank line ends: a LF is counted, a CR is nothing (on_row() with no
 *   field);
 * - a record whose end (CR or LF) is in this chunk, of at most
 *   RECORD_FIELDS_MAX fields, each either unquoted (no quote in it) or
 *   quoted (a quote first, then anything with quotes doubled, then a
 *   quote followed by the delimiter, CR or LF).  libcsv splits such a
 *   record at every delimiter outside quotes, keeps every byte (no_space:
 *   nothing is trimmed; a quoted field's content without its quotes and
 *   with "" as "), and ends it at the CR or LF, which on_row() counts when
 *   it is a LF, as on_field() counts the LFs inside quoted fields; after
 *   a CR, what follows starts the next record (the LF of a CR LF is then a
 *   blank line end).
 * Not taken: a quote inside an unquoted field (strict libcsv stops on it:
 * csv_bytes), text after a closing quote, a record cut by the chunk's end,
 * too many fields.  A field taken is shorter than a chunk, so under
 * FIELD_MAX (libcsv's cap, capped_realloc). */
_Static_assert(CHUNK <= FIELD_MAX, "a plain record's field is under the cap");

#define ROW_NOT_BEGUN 0		/* libcsv.c's state between records */

/* The stop bytes of a block of 16 (the bytes at P on): bit k for P[k].
 * Sixteen at a time where the processor has SSE2 (every x86-64). */
static inline unsigned
stop_mask(const struct csvin *r, const char *p)
{
#ifdef __SSE2__
	const __m128i b = _mm_loadu_si128((const __m128i *)(const void *)p);
	const __m128i m = _mm_or_si128(
	    _mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8(r->d.delim)),
	    _mm_cmpeq_epi8(b, _mm_set1_epi8((char)r->p.quote_char))),
	    _mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8('\n')),
	    _mm_cmpeq_epi8(b, _mm_set1_epi8('\r'))));
	return (unsigned)_mm_movemask_epi8(m);
#else
	unsigned m = 0;
	for (int k = 0; k < 16; k++)
		m |= (unsigned)r->stop[(unsigned char)p[k]] << k;
	return m;
#endif
}

/* The record of fields [FIRST, r->nfields) is taken: each field
 * NUL-terminated, and with DOUBLED (a quoted field with "" in it), the
 * doubled quotes undoubled (only a quoted field has quotes). */
static void
plain_taken(struct csvin *r, size_t first, bool doubled)
{
	const char quote = (char)r->p.quote_char;

	for (size_t k = first; k < r->nfields; k++) {
		char *f = r->buf + r->fs[k].off;
		size_t len = r->fs[k].len;
		char *q;
		if (doubled && (q = memchr(f, quote, len)) != NULL) {
			char *d = q, *e = f + len;
			while (q < e) {
				if (*q == quote)
					q++;	/* the pair's second quote is kept */
				*d++ = *q++;
			}
			len = (size_t)(d - f);
			r->fs[k].len = len;
		}
		f[len] = '\0';
	}
}

/* The plain records and blank line ends at the start of P (N bytes, in
 * r->buf): the bytes taken.  The stop bytes (delimiter, quote, CR, LF)
 * are found a block of 16 at a time and taken in order; the block after
 * the last byte of the chunk is read too (buf has STOP_SLACK bytes more),
 * and the scan ends at a sentinel LF after the chunk.  Nothing of a record
 * is changed until it is whole (plain_taken): one not taken is libcsv's
 * as it was read. */
static size_t
plain_records(struct csvin *r, char *p, size_t n)
{
	const unsigned char delim = (unsigned char)r->d.delim;
	const unsigned char quote = r->p.quote_char;
	const size_t base = (size_t)(p - r->buf);
	size_t done = 0, from = 0, first = r->nfields, nf = 0;
	size_t at = 0;			/* the block of the stops in mask */
	size_t skip = 0;		/* stops before this are taken */
	long lfs = 0;			/* LFs inside the record's quoted fields */
	bool quoted = false;		/* in a quoted field (from: its content) */
	bool doubled = false;		/* a "" in the record */
	unsigned mask;

	p[n] = '\n';	/* the sentinel */
	mask = stop_mask(r, p);
	for (;;) {
		while (mask == 0)
			mask = stop_mask(r, p + (at += 16));
		size_t j = at + (size_t)__builtin_ctz(mask);
		mask &= mask - 1;
		if (j < skip)
			continue;
		unsigned char c = (unsigned char)p[j];
		if (j == n)
			break;
		size_t end = j;		/* of the field, when c ends one */
		if (quoted) {
			if (c == '\n')
				lfs++;
			if (c != quote)
				continue;	/* a delimiter, CR or LF inside */
			if (j + 1 == n)
				break;		/* a quote or its end: the next chunk */
			c = (unsigned char)p[j + 1];
			if (c == quote) {
				doubled = true;
				skip = j + 2;
				continue;
			}
			if (c != delim && c != '\r' && c != '\n')
				break;		/* text after the closing quote */
			quoted = false;
			skip = ++j + 1;	/* the delimiter or line end */
		} else if (c == quote) {
			if (j != from)
				break;		/* inside an unquoted field */
			quoted = true;
			from = j + 1;
			continue;
		} else if (c != delim && nf == 0 && j == from) {
			/* A blank line, or the LF of a CR LF. */
			r->lines += c == '\n';
			done = from = j + 1;
			continue;
		}
		/* The field [from, end) ends with c at j. */
		if (nf == RECORD_FIELDS_MAX)
			break;
		if (r->nfields == r->fcap)
			grow_fields(r);
		r->fs[r->nfields++] = (struct fspan){ base + from, end - from };
		nf++;
		from = j + 1;
		if (c == delim)
			continue;
		/* The CR or LF: the record is whole. */
		plain_taken(r, first, doubled);
		if (r->qlen == r->qcap)
			grow_queue(r);
		r->q[r->qlen++] = (struct qrec){ first, nf, r->lines + 1, true };
		r->lines += lfs + (c == '\n');
		done = from;
		first = r->nfields;
		nf = 0;
		lfs = 0;
		doubled = false;
	}
	r->nfields = first;	/* a record not taken is libcsv's */
	return done;
}

static bool fast_path = true;

void
csvin_fast_path(bool on)
{
	fast_path = on;
}

/* A chunk of CSV: plain records here, the others through libcsv, a line
 * at a time, until libcsv is between records again. */
static void
csv_chunk(struct csvin *r, char *p, size_t n)
{
	while (n > 0 && r->error == NULL) {
		if (fast_path && r->p.pstate == ROW_NOT_BEGUN &&
		    r->hdr_done && r->cur_nf == 0) {
			size_t k = plain_records(r, p, n);
			p += k;
			n -= k;
			if (n == 0)
				return;
		}
		const char *lf = memchr(p, '\n', n);
		size_t k = lf != NULL ? (size_t)(lf - p) + 1 : n;
		csv_bytes(r, p, k);
		p += k;
		n -= k;
	}
}

/* ---- TSV ------------------------------------------------------------ */

static void
tsv_end_field(struct csvin *r)
{
	size_t len = r->alen - r->tsv_fstart;

	if (r->cur_nf >= RECORD_FIELDS_MAX) {
		r->too_many = true;
		return;
	}
	arena_reserve(r, 1);
	r->arena[r->alen++] = '\0';
	push_field(r, r->tsv_fstart, len);
	r->tsv_fstart = r->alen;
}

static void
tsv_end_line(struct csvin *r)
{
	/* A CR before the LF belongs to the line end (an escaped one, \r,
	 * to the field). */
	if (r->tsv_cr && r->alen > r->tsv_fstart && r->arena[r->alen - 1] == '\r')
		r->alen--;
	r->tsv_cr = false;
	if (r->cur_nf == 0 && r->alen == r->tsv_fstart) {
		r->tsv_in_record = false;	/* blank line */
		return;
	}
	tsv_end_field(r);
	if (r->too_many)
		return;
	push_record(r);
	r->tsv_in_record = false;
}

static void
tsv_parse(struct csvin *r, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];

		if (!r->tsv_in_record) {
			r->tsv_in_record = true;
			r->cur_line = r->lines + 1;
			r->tsv_fstart = r->alen;
		}
		if (r->tsv_escape) {
			char o;
			switch (c) {
			case 't': o = '\t'; break;
			case 'n': o = '\n'; break;
			case 'r': o = '\r'; break;
			case '\\': o = '\\'; break;
			default:
				/* Not an escape: keep both bytes. */
				arena_reserve(r, 1);
				r->arena[r->alen++] = '\\';
				o = (char)c;
				if (c == '\n' || c == '\t') {
					r->tsv_escape = false;
					goto plain;
				}
			}
			r->tsv_escape = false;
			r->tsv_cr = o == '\r' && c != 'r';
			arena_reserve(r, 1);
			r->arena[r->alen++] = o;
			continue;
		}
plain:
		if (c == '\t') {
			tsv_end_field(r);
		} else if (c == '\n') {
			r->lines++;
			tsv_end_line(r);
		} else if (c == '\\') {
			r->tsv_escape = true;
		} else {
			arena_reserve(r, 1);
			r->arena[r->alen++] = (char)c;
			r->tsv_cr = c == '\r';
		}
		if (r->too_many) {
			too_many_fields(r);
			return;
		}
		if (r->alen - r->tsv_fstart > FIELD_MAX) {
			failed(r, "%s:%ld: field longer than %d bytes", r->name,
			    r->cur_line, FIELD_MAX);
			return;
		}
	}
}

/* Make room: drop the returned records, keep the one being built. */
static void
compact(struct csvin *r)
{
	size_t keep_from = r->cur_nf ? r->fs[r->cur_first].off : r->alen;

	if (r->d.tsv && r->tsv_in_record && r->cur_nf == 0)
		keep_from = r->tsv_fstart;
	if (keep_from > 0 && keep_from <= r->alen) {
		memmove(r->arena, r->arena + keep_from, r->alen - keep_from);
		r->alen -= keep_from;
		if (r->d.tsv)
			r->tsv_fstart -= keep_from;
	}
	if (r->cur_nf) {
		for (size_t i = 0; i < r->cur_nf; i++)
			r->fs[i] = (struct fspan){
				r->fs[r->cur_first + i].off - keep_from,
				r->fs[r->cur_first + i].len };
		r->cur_first = 0;
	}
	r->nfields = r->cur_nf;
	r->qlen = r->qpos = 0;
}

static void
fill(struct csvin *r)
{
	if (r->error != NULL)
		fatal("%s", r->error);
	while (r->qpos == r->qlen && !r->finished) {
		char *p = r->buf;
		size_t n;

		compact(r);
		if (!r->started) {
			n = 0;
			start(r, &p, &n);
		} else
			n = input(r, r->buf, CHUNK);
		if (n == 0) {
			r->finished = true;
			if (r->conv_error != NULL)
				failed(r, "%s:%ld: %s", r->name,
				    r->conv_error_line, r->conv_error);
			else if (r->d.tsv) {
				if (r->tsv_escape) {
					arena_reserve(r, 1);
					r->arena[r->alen++] = '\\';
					r->tsv_escape = false;
				}
				if (r->tsv_in_record)
					tsv_end_line(r);
				if (r->too_many)
					too_many_fields(r);
			} else if (csv_fini(&r->p, on_field, on_row, r) != 0)
				csv_failed(r, true);
			else if (r->too_many)
				too_many_fields(r);
			break;
		}
		if (r->d.tsv)
			tsv_parse(r, p, n);
		else
			csv_chunk(r, p, n);
	}
	if (r->error != NULL && r->qpos == r->qlen)
		fatal("%s", r->error);
}

int
csvin_next(struct csvin *r, struct record *rec)
{
	struct qrec *q;

	if (r->qpos == r->qlen)
		fill(r);
	if (r->qpos == r->qlen)
		return 0;
	q = &r->q[r->qpos++];
	if (q->nf > r->outcap) {
		r->outcap = q->nf * 2;
		r->out = xrealloc(r->out, r->outcap * sizeof *r->out);
	}
	const char *base = q->inbuf ? r->buf : r->arena;
	const struct fspan *fs = r->fs + q->first;
	for (size_t i = 0; i < q->nf; i++)
		r->out[i] = (struct str){ base + fs[i].off, fs[i].len };
	rec->nf = q->nf;
	rec->f = r->out;
	rec->line = q->line;
	rec->file = r->name;
	return 1;
}

struct str
csvin_peek_field(const struct csvin *r, size_t k, int col)
{
	const struct qrec *q;

	if (k == 0 || col < 0 || r->qpos + k - 1 >= r->qlen)
		return (struct str){ NULL, 0 };
	q = &r->q[r->qpos + k - 1];
	if ((size_t)col >= q->nf)
		return (struct str){ NULL, 0 };
	const struct fspan *f = &r->fs[q->first + (size_t)col];
	return (struct str){ (q->inbuf ? r->buf : r->arena) + f->off, f->len };
}

void
csvin_close(struct csvin *r)
{
	if (r == NULL)
		return;
	if (r->started && !r->d.tsv)
		csv_free(&r->p);
	if (r->fd != STDIN_FILENO)
		close(r->fd);
	free(r->buf);
	free(r->arena);
	free(r->fs);
	free(r->q);
	free(r->out);
	free(r->error);
	free(r->hdr);
	free(r->hdr_off);
	free(r->raw);
	free(r->conv_error);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	free(r);
}
