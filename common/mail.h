/* mail.h — RFC 5322 messages of UTF-8 text, and the mbox form (RFC 4155).
 *
 * Messages are built with LF line ends: the local form that an mbox, a
 * Maildir and sendmail(8) take (the mail system writes CRLF on the wire).
 * - Header fields are folded at white space to at most 78 characters a
 *   line (RFC 5322 2.1.1).  A value with a byte outside printable ASCII,
 *   or with "=?" (which a reader would take for an encoded-word), or a word
 *   too long to fold, is written as RFC 2047 encoded-words
 *   "=?UTF-8?B?...?=", each of whole characters and at most 39 bytes of
 *   text, one a line, so that no line passes 76 characters (RFC 2047 2).
 *   Control characters in a value (a line break in a field) become spaces:
 *   a value can never start a header field of its own.
 * - The body is sent 8bit: readable as it is in an mbox and in a dry run,
 *   and every mail system in use takes it (8BITMIME, RFC 6152: a relay
 *   converts it for a hop that does not).  A body with a line longer than
 *   998 bytes, or a NUL byte, which 8bit does not allow (RFC 2045 2.8), is
 *   sent quoted-printable instead.
 * - The Message-ID is "<HASH@DOMAIN>", HASH 32 hexadecimal digits of
 *   MurmurHash3 (x64, 128 bits, seed 0; h1 then h2, each as 16 digits) of
 *   its parts, each preceded by its length as eight bytes, little-endian:
 *   the same parts give the same id, in every run and every version.
 *   (MurmurHash3 takes 16 bytes a step: hashing every message's text costs
 *   a few percent of a run, where FNV-1a, a byte a step, cost seven.)
 */
#ifndef AS_MAIL_H
#define AS_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "datetime.h"
#include "str.h"

/* Is A an address a message may be sent to: a dot-atom local part
 * (letters, digits and !#$%&'*+/=?^_`{|}~- , dots between them) of at
 * most 64 bytes, "@", and a domain of labels of letters, digits and
 * hyphens (not at a label's ends) joined by dots; at most 254 bytes.  A
 * quoted local part, an address literal and non-ASCII addresses are not
 * taken: none is needed to reach a customer, and each can smuggle in
 * characters that a mail command line or header would misread. */
bool mail_addr_ok(struct str a);

/* "Name <addr>", "\"Name\" <addr>" or "addr" (an option value): 0 with
 * *name (empty when none) and *addr set, or -1. */
int mail_parse_mailbox(struct str s, struct str *name, struct str *addr);

/* "NAME: VALUE" and its line feed: VALUE (unstructured text, such as a
 * subject) as it is, or as encoded-words; folded. */
void mail_header_text(struct buf *b, const char *name, struct str value);
/* "NAME: DISPLAY <ADDR>", or "NAME: ADDR" when DISPLAY is empty: DISPLAY
 * as atoms, a quoted string, or encoded-words. */
void mail_header_mailbox(struct buf *b, const char *name, struct str display,
    struct str addr);

/* RFC 5322 date of T in the program's zone: "Fri, 20 Nov 2026 00:00:00
 * +0200".  BUF: at least 32 bytes; returns the length. */
size_t mail_date(char *buf, tstamp t);
/* The mbox From_ line's time: T in UTC as ctime(3) writes it, without the
 * line feed: "Thu Nov 19 22:00:00 2026".  BUF: at least 32 bytes. */
size_t mail_ctime(char *buf, tstamp t);

struct mail_hash {
	uint64_t hi, lo;	/* h1, h2 */
};
/* MurmurHash3_x64_128 with seed 0, fed in pieces of any size. */
struct mail_hasher {
	uint64_t h1, h2;
	uint64_t total;
	unsigned char tail[16];
	size_t ntail;
};
void mail_hash_init(struct mail_hasher *m);
void mail_hash_add(struct mail_hasher *m, const void *p, size_t n);
struct mail_hash mail_hash_end(struct mail_hasher *m);
/* The hash of N parts (each with its length first). */
struct mail_hash mail_hash(const struct str *parts, size_t n);
/* "<HASH@DOMAIN>" into BUF of CAP bytes (NUL-terminated); the length. */
size_t mail_id_format(char *buf, size_t cap, struct mail_hash h,
    struct str domain);

/* Does BODY (LF line ends) need quoted-printable (a line over 998 bytes,
 * a NUL byte)? */
bool mail_body_needs_qp(struct str body);
/* BODY quoted-printable (RFC 2045 6.7): lines of at most 76 characters
 * with soft breaks, "=" and bytes outside printable ASCII as =XX, white
 * space before a line end as =XX; also a line's leading "F" of "From "
 * (so that no mbox needs to quote it) and a line that is "." alone. */
void mail_qp(struct buf *b, struct str body);

struct mail {
	struct str from_name, from_addr;
	struct str to_name, to_addr;
	struct str subject;
	struct str body;	/* UTF-8; CRLF and CR are read as LF */
	struct str language;	/* Content-Language, or empty */
	struct str message_id;	/* "<...>" */
	tstamp date;
};

/* The message M: From, To, Subject, Date, Message-ID, MIME-Version,
 * Content-Type (text/plain; charset=UTF-8), Content-Transfer-Encoding,
 * Content-Language (when given), Auto-Submitted: auto-generated (RFC
 * 3834: no out-of-office replies to a reminder), a blank line and the
 * body, ending with a line feed.  Appended to OUT. */
void mail_format(struct buf *out, const struct mail *m);

/* The message MSG as an mbox entry (RFC 4155, mboxrd quoting): the line
 * "From SENDER CTIME", MSG with each line that starts with ">*From "
 * given one more ">", a line feed if MSG lacks one, and a blank line. */
void mbox_entry(struct buf *out, struct str sender, tstamp t, struct str msg);

#endif
