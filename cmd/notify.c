/* notify — the messages of a stream of reminders, offers, renewals or
 * invitations: one per recipient, in the recipient's language, by e-mail
 * (into an mbox or a Maildir, or through a sendmail command) or by SMS (a
 * file for a gateway); --sent lists the rows delivered, so that a ledger
 * program's --commit records only what went out.
 *
 * The whole stream is read first: a recipient's rows may be far apart,
 * and the languages must be known before anything is sent.  Each row's
 * fields (those the messages show; all of them for --sent) are packed in
 * a rowstore, no allocation per field, and the row is linked into its
 * group; the groups are then sent in the order of their first rows.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "csvout.h"
#include "field.h"
#include "mail.h"
#include "mailout.h"
#include "map.h"
#include "num.h"
#include "opts.h"
#include "outcols.h"
#include "rowstore.h"
#include "stream.h"
#include "template.h"
#include "util.h"

#define SYNOPSIS \
	"--templates DIR [--to COLUMN --from ADDR]\n" \
	"       [--mbox FILE | --maildir DIR | --sendmail CMD]\n" \
	"       [--sms COLUMN --sms-out FILE] [--sms-max N] [--name COLUMN]\n" \
	"       [--group COLUMNS] [--lang-column COLUMN] [--lang CODE]\n" \
	"       [--sent FILE] [--dry-run]\n" \
	"       " COMMON_USAGE " [FILE...]"

enum {
	OPT_TO = OPT_PROGRAM, OPT_SMS, OPT_NAME, OPT_GROUP, OPT_TEMPLATES,
	OPT_LANG_COLUMN, OPT_LANG, OPT_MBOX, OPT_MAILDIR, OPT_SENDMAIL,
	OPT_SMS_OUT, OPT_SMS_MAX, OPT_FROM, OPT_DRY_RUN, OPT_SENT
};

static const struct opt_help opts_help[] = {
	{ "--templates DIR", "DIR/LANG.txt per language, LANG.sms.txt for SMS (required)" },
	{ "--to COLUMN", "the recipient's e-mail address" },
	{ "--sms COLUMN", "the phone number, for rows without an e-mail address" },
	{ "--from ADDR", "the sender, 'Name <addr>' (required for e-mail)" },
	{ "--mbox FILE", "write the e-mails into the mbox FILE (replaced)" },
	{ "--maildir DIR", "deliver the e-mails into the Maildir DIR" },
	{ "--sendmail CMD", "pipe each e-mail to CMD, e.g. '/usr/sbin/sendmail -t -oi'" },
	{ "--sms-out FILE", "write the SMS as to,text into FILE" },
	{ "--sms-max N", "at most N characters an SMS (default 480)" },
	{ "--name COLUMN", "the recipient's name, for the To: header" },
	{ "--group COLUMNS", "one message per value of COLUMNS (default: per address)" },
	{ "--lang-column COLUMN", "the language of a row (default language)" },
	{ "--lang CODE", "the language of rows without one (default en)" },
	{ "--sent FILE", "write the rows delivered, with message_id, into FILE" },
	{ "--dry-run", "send nothing: the messages on standard output, as an mbox" },
	{ NULL, NULL }
};

static const struct prog_info info = {
	"notify", NULL, SYNOPSIS,
	"Send one message per recipient, in their language, by e-mail or SMS.",
	opts_help
};

#define SMS_MAX_DEFAULT 480
#define SMS_MAX_LIMIT 100000
#define LANG_MAX 35		/* a language tag such as sr-latn-rs */
#define PHONE_DIGITS_MIN 3
#define PHONE_DIGITS_MAX 15	/* E.164 */
#define NO_DOMAIN "notify.invalid"	/* message ids without --from */
#define ID_MAX 320

/* The report: one row per message. */
static const char *const report_cols[] = { "message_id", "channel", "to",
	"language", "rows", "status" };

/* ---- rules ---------------------------------------------------------- */

/* The language code of a value: letters, digits, - and _ (read as -), a
 * letter first, at most LANG_MAX, in lower case: "LT", "lt_LT" and "lt-lt"
 * are lt and lt-lt.  Into OUT (LANG_MAX + 1 bytes); its length, or -1 for
 * a value that is no code (which could name no template file). */
static int
lang_code(struct str v, char *out)
{
	if (v.n == 0 || v.n > LANG_MAX)
		return -1;
	for (size_t i = 0; i < v.n; i++) {
		char c = v.p[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (c == '_')
			c = '-';
		if (!((c >= 'a' && c <= 'z') || (i > 0 && ((c >= '0' &&
		    c <= '9') || c == '-'))))
			return -1;
		out[i] = c;
	}
	out[v.n] = '\0';
	return (int)v.n;
}

/* The language whose template serves CODE when CODE has none: lt for
 * lt-lt; 0 when there is none (no "-"). */
static size_t
lang_fallback(const char *code)
{
	const char *dash = strchr(code, '-');

	return dash ? (size_t)(dash - code) : 0;
}

/* A phone number for an SMS gateway: digits, with an optional + first,
 * and spaces, no-break spaces, - . ( ) / between them, which are dropped:
 * "+370 612 34567" is +37061234567.  From 3 to 15 digits.  Into OUT (at
 * least PHONE_DIGITS_MAX + 2 bytes); the length, or -1. */
static int
phone_normal(struct str s, char *out)
{
	size_t k = 0, digits = 0;

	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c >= '0' && c <= '9') {
			if (++digits > PHONE_DIGITS_MAX)
				return -1;
			out[k++] = (char)c;
		} else if (c == '+' && k == 0 && digits == 0)
			out[k++] = '+';
		else if (c == 0xC2 && i + 1 < s.n && (unsigned char)s.p[i + 1] == 0xA0)
			i++;
		else if (!strchr(" -.()/", c) || c == '\0')
			return -1;
	}
	if (digits < PHONE_DIGITS_MIN)
		return -1;
	out[k] = '\0';
	return (int)k;
}

enum channel { TO_NONE, TO_EMAIL, TO_SMS, TO_BAD_EMAIL, TO_BAD_PHONE };

/* Where a row's message goes: to its e-mail address, or, when that is
 * empty, by SMS to its phone (normalised into PHONE).  An address that is
 * not empty but not valid is bad: the row needs a person, not a message
 * to some other address of it. */
static enum channel
channel_of(struct str email, struct str phone, char *norm)
{
	if (email.n > 0)
		return mail_addr_ok(email) ? TO_EMAIL : TO_BAD_EMAIL;
	if (phone.n > 0)
		return phone_normal(phone, norm) >= 0 ? TO_SMS : TO_BAD_PHONE;
	return TO_NONE;
}

/* TEXT cut to at most MAX characters (UTF-8 characters, not bytes) into
 * OUT: when it is longer, at the last white space that leaves room for
 * "…" (U+2026), which then ends it; at a character when no white space
 * does.  Returns the characters of TEXT. */
static size_t
sms_cut(struct str text, size_t max, struct buf *out)
{
	size_t chars = 0, keep = 0, space = 0;
	bool seen_space = false;

	for (size_t i = 0; i < text.n; i++) {
		if (((unsigned char)text.p[i] & 0xC0) == 0x80)
			continue;
		if (chars == max - 1)
			keep = i;	/* the bytes of the first MAX - 1 */
		chars++;
		if (chars <= max && str_is_ws((unsigned char)text.p[i])) {
			space = i;
			seen_space = true;
		}
	}
	out->n = 0;
	if (chars <= max) {
		buf_str(out, text);
		return chars;
	}
	struct str cut = { text.p, seen_space ? space : keep };
	cut = str_trim(cut);
	if (cut.n == 0)		/* only white space before it */
		cut = (struct str){ text.p, keep };
	buf_str(out, cut);
	buf_cat(out, "\xE2\x80\xA6");
	return chars;
}

/* ---- the run -------------------------------------------------------- */

struct lang {
	struct template mail, sms;
	bool has_mail, has_sms;
};

/* A language of the data: the groups that use it, and its templates. */
struct used {
	long groups;
	const char *file;	/* its first row, for messages */
	long line;
	bool mail, sms;		/* needed for e-mail, for SMS */
	int tpl;		/* index of its templates */
};

enum state { PENDING, DELIVERED, FAILED };

struct group {
	uint32_t first, last, nrows;
	uint32_t lang;		/* index in used[] */
	struct str addr;	/* the e-mail address, or the phone normalised */
	bool sms;
	unsigned char state;
	struct mail_hash id;
};

struct kept {		/* row i of the rowstore */
	uint32_t group;
	uint32_t next;		/* the group's next row, or UINT32_MAX */
};

struct placeholder {
	const char *name;	/* NUL-terminated copy */
	const char *file;	/* the first template naming it */
	long line;
	int col;
};

static struct {
	/* options */
	const char *to, *sms, *name, *group, *templates, *lang_column;
	const char *lang, *mbox, *maildir, *sendmail, *sms_out, *from, *sent;
	size_t sms_max;
	bool dry_run, lang_column_given;
	struct str from_name, from_addr, domain;
	/* columns */
	int c_to, c_sms, c_name, c_lang;
	int *c_group;
	size_t ngroup;
	char **group_names;
	/* templates */
	struct lang *langs;
	size_t nlangs;
	struct map lang_index;	/* code -> langs[] */
	struct placeholder *ph;
	size_t nph;
	/* the data */
	struct map used_index;	/* code -> used[] */
	struct used *used;
	struct map groups_index;	/* key -> groups[] */
	struct group *groups;
	size_t ngroups, capgroups;
	struct kept *rows;
	size_t nrows, caprows;
	struct arena arena;
	struct rowstore store;	/* the rows' kept fields */
	size_t *kept, nkept;	/* the columns kept */
	struct str *tmp;	/* a row's kept fields, to store them */
	size_t *shown, nshown;	/* the columns a message shows */
	size_t nf;
	/* output */
	long delivered, failed, mails, smses;
} N;

static struct app app;

static char *
xstr(struct str s)
{
	return xmemdup(s.p, s.n);
}

/* ---- templates ------------------------------------------------------ */

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Every DIR/LANG.txt (a mail template) and DIR/LANG.sms.txt (an SMS
 * one), read and checked now: a broken template is found on the night it
 * was written, not on the night its first customer comes. */
static void
load_templates(void)
{
	struct dirent **ent;
	int n = scandir(N.templates, &ent, NULL, by_name);

	if (n < 0)
		fatal_errno("--templates %s", N.templates);
	map_init(&N.lang_index, true);
	for (int i = 0; i < n; i++) {
		const char *nm = ent[i]->d_name;
		size_t len = strlen(nm);
		bool sms = len > 8 && strcmp(nm + len - 8, ".sms.txt") == 0;
		size_t stem = sms ? len - 8 : len - 4;
		char code[LANG_MAX + 1], path[4096];

		if (len <= 4 || strcmp(nm + len - 4, ".txt") != 0 || nm[0] == '.') {
			free(ent[i]);
			continue;
		}
		snprintf(path, sizeof path, "%s/%s", N.templates, nm);
		if (lang_code((struct str){ nm, stem }, code) < 0)
			fatal("%s: not a language code such as lt, ru or en "
			    "(templates are LANG.txt and LANG.sms.txt)", path);
		bool isnew;
		size_t *k = map_put(&N.lang_index, str_of(code), N.nlangs, &isnew);
		if (isnew) {
			N.langs = xrealloc(N.langs, (N.nlangs + 1) * sizeof *N.langs);
			memset(&N.langs[N.nlangs++], 0, sizeof *N.langs);
		}
		struct lang *l = &N.langs[*k];
		if (sms ? l->has_sms : l->has_mail)
			fatal("%s: a second template of language '%s' (names "
			    "match ignoring case)", path, code);
		template_load(sms ? &l->sms : &l->mail, path, !sms);
		*(sms ? &l->has_sms : &l->has_mail) = true;
		free(ent[i]);
	}
	free(ent);
}

static void
collect(struct tpl_text *x, const char *file, struct map *names)
{
	for (size_t i = 0; i < x->n; i++) {
		if (x->part[i].kind != TP_FIELD)
			continue;
		bool isnew;
		map_put(names, x->part[i].text, N.nph, &isnew);
		if (!isnew)
			continue;
		N.ph = xrealloc(N.ph, (N.nph + 1) * sizeof *N.ph);
		N.ph[N.nph++] = (struct placeholder){ xstr(x->part[i].text),
		    file, x->part[i].line, -1 };
	}
}

static void
bind(struct tpl_text *x, const struct map *names)
{
	for (size_t i = 0; i < x->n; i++)
		if (x->part[i].kind == TP_FIELD)
			x->part[i].col = N.ph[*map_get(names, x->part[i].text)].col;
}

/* The columns of the options, and those the placeholders name (so that
 * --map may rename them), found in the stream's header. */
static void
ask_columns(struct stream *in)
{
	struct column *spec = xcalloc(N.nph + N.ngroup + 5, sizeof *spec);
	size_t k = 0;

	N.c_to = N.c_sms = N.c_name = N.c_lang = -1;
	if (N.to)
		spec[k++] = (struct column){ N.to, true, &N.c_to };
	if (N.sms)
		spec[k++] = (struct column){ N.sms, true, &N.c_sms };
	if (N.name)
		spec[k++] = (struct column){ N.name, true, &N.c_name };
	spec[k++] = (struct column){ N.lang_column, N.lang_column_given, &N.c_lang };
	for (size_t i = 0; i < N.ngroup; i++)
		spec[k++] = (struct column){ N.group_names[i], true, &N.c_group[i] };
	for (size_t i = 0; i < N.nph; i++)
		spec[k++] = (struct column){ N.ph[i].name, false, &N.ph[i].col };
	spec[k] = (struct column){ NULL, false, NULL };
	stream_columns(in, spec);
	free(spec);
}

/* Each placeholder of the templates bound to its column (NAMES: the
 * placeholders' indexes in N.ph); one that names no column is fatal, with
 * the template's line. */
/* {{NAME}} of a column NAME is the text {NAME}: meant as the value (as
 * in other template languages), it would reach every customer as it is. */
static void
refuse_braced(const struct tpl_text *x, const char *path,
    const struct stream *in)
{
	const struct tpl_part *p = template_braced(x, in->header.f,
	    in->header.nf);
	char b[128];

	if (p == NULL)
		return;
	str_msg(b, sizeof b, p->braced);
	fatal("%s:%ld: {{%s}} is the text {%s}, not the value of column '%s' "
	    "(write {%s})", path, p->line, b, b, b, b);
}

static void
bind_placeholders(const struct stream *in, const struct map *names)
{
	for (size_t i = 0; i < N.nph; i++)
		if (N.ph[i].col < 0) {
			char list[1024];
			stream_columns_found(in, list, sizeof list);
			fatal("%s:%ld: {%s}: no such column in %s (columns "
			    "found: %s)", N.ph[i].file, N.ph[i].line,
			    N.ph[i].name, in->header.file, list);
		}
	for (size_t i = 0; i < N.nlangs; i++) {
		struct lang *l = &N.langs[i];
		refuse_braced(&l->mail.subject, l->mail.path, in);
		refuse_braced(&l->mail.body, l->mail.path, in);
		refuse_braced(&l->sms.body, l->sms.path, in);
	}
	for (size_t i = 0; i < N.nlangs; i++) {
		bind(&N.langs[i].mail.subject, names);
		bind(&N.langs[i].mail.body, names);
		bind(&N.langs[i].sms.body, names);
	}
}

/* What a row keeps: what the messages show, and all of it for --sent,
 * which writes the rows back. */
static void
kept_columns(const struct stream *in)
{
	N.nf = in->header.nf;
	N.kept = xcalloc(N.nf, sizeof *N.kept);
	N.shown = xcalloc(N.nf, sizeof *N.shown);
	N.tmp = xcalloc(N.nf, sizeof *N.tmp);
	bool *shown = xcalloc(N.nf, sizeof *shown);
	for (size_t i = 0; i < N.nph; i++)
		shown[N.ph[i].col] = true;
	if (N.c_name >= 0)
		shown[N.c_name] = true;
	for (size_t i = 0; i < N.nf; i++) {
		if (shown[i] || N.sent != NULL)
			N.kept[N.nkept++] = i;
		if (shown[i])
			N.shown[N.nshown++] = i;
	}
	free(shown);
}

/* The columns: those of the options, and every placeholder of every
 * template. */
static void
find_columns(struct stream *in)
{
	struct map names;

	map_init(&names, true);
	for (size_t i = 0; i < N.nlangs; i++) {
		collect(&N.langs[i].mail.subject, N.langs[i].mail.path, &names);
		collect(&N.langs[i].mail.body, N.langs[i].mail.path, &names);
		collect(&N.langs[i].sms.body, N.langs[i].sms.path, &names);
	}
	ask_columns(in);
	if (!stream_empty(in)) {
		bind_placeholders(in, &names);
		kept_columns(in);
	}
	map_free(&names);
}

/* The templates of each language of the data, or fatal: nothing is sent
 * when a message could not be.  A language without its own takes that of
 * its primary language (lt-lt: lt). */
static void
resolve_languages(void)
{
	for (size_t i = 0; i < map_count(&N.used_index); i++) {
		struct used *u = &N.used[i];
		const char *code = N.used_index.e[i].key.p;
		long t = map_index(&N.lang_index, str_of(code));
		size_t fb = lang_fallback(code);

		if (fb > 0 && (t < 0 || (u->mail && !N.langs[t].has_mail) ||
		    (u->sms && !N.langs[t].has_mail && !N.langs[t].has_sms)))
			t = map_index(&N.lang_index, (struct str){ code, fb });
		bool ok = t >= 0 && (!u->mail || N.langs[t].has_mail) &&
		    (!u->sms || N.langs[t].has_mail || N.langs[t].has_sms);
		if (!ok)
			fatal("no template for language '%s' (%s/%s.txt%s%s%s%s%s), "
			    "needed by %ld message%s, the first for %s:%ld",
			    code, N.templates, code, u->mail ? "" : " or ",
			    u->mail ? "" : N.templates, u->mail ? "" : "/",
			    u->mail ? "" : code, u->mail ? "" : ".sms.txt",
			    u->groups, u->groups == 1 ? "" : "s", u->file,
			    u->line);
		u->tpl = (int)t;
	}
}

/* ---- reading -------------------------------------------------------- */

/* The kept fields of R, into the rowstore (row N.nrows). */
static void
keep_row(const struct record *r)
{
	for (size_t j = 0; j < N.nkept; j++)
		N.tmp[j] = r->f[N.kept[j]];
	rowstore_add(&N.store, N.tmp, N.nkept);
}

/* The fields of kept row I into F (N.nf, whose other fields stay as they
 * are: empty). */
static void
unkeep_row(size_t i, struct str *f)
{
	struct record r;

	rowstore_get(&N.store, i, &r);
	for (size_t j = 0; j < N.nkept; j++)
		f[N.kept[j]] = r.f[j];
}

/* The row's recipient (the e-mail address, else the phone), or -1 when it
 * was reported. */
static int
row_recipient(struct row *w, struct str *addr, bool *sms, char *phone)
{
	struct str email = { "", 0 }, tel = { "", 0 };

	if (get_str(w, N.c_to, OPTIONAL, &email) < 0 ||
	    get_str(w, N.c_sms, OPTIONAL, &tel) < 0)
		return -1;
	/* One column of both (survey-invite's contact): an e-mail address
	 * has an @, a phone number has none. */
	if (N.c_to >= 0 && N.c_to == N.c_sms)
		*(memchr(email.p, '@', email.n) ? &tel : &email) =
		    (struct str){ "", 0 };
	switch (channel_of(email, tel, phone)) {
	case TO_EMAIL:
		*addr = email;
		*sms = false;
		return 0;
	case TO_SMS:
		*addr = str_of(phone);
		*sms = true;
		return 0;
	case TO_BAD_EMAIL:
		return row_bad(w, N.c_to, "invalid e-mail address",
		    "expected NAME@DOMAIN");
	case TO_BAD_PHONE:
		return row_bad(w, N.c_sms, "invalid phone number",
		    "expected digits, optionally with + first and spaces, "
		    "such as +370 612 34567");
	case TO_NONE:
		break;
	}
	if (N.c_to >= 0 && N.c_sms >= 0 && N.c_to != N.c_sms)
		return row_fail(w, "%s, %s: missing value (no e-mail address "
		    "and no phone)", stream_colname(w->s, N.c_to),
		    stream_colname(w->s, N.c_sms));
	get_str(w, N.c_to >= 0 ? N.c_to : N.c_sms, REQUIRED, addr);
	return -1;	/* "missing value": it is empty */
}

static int
row_language(struct row *w, char *code)
{
	struct str v = row_value(w, N.c_lang);

	if (v.n == 0)
		v = str_of(N.lang);
	if (lang_code(v, code) < 0)
		return row_bad(w, N.c_lang, "invalid language code",
		    "expected letters, digits and -, such as lt, ru, en");
	return 0;
}

/* The group of a row: its address, or the values of --group. */
static int
row_key(struct row *w, struct str addr, struct buf *key)
{
	key->n = 0;
	if (N.ngroup == 0) {
		buf_str(key, addr);
		return 0;
	}
	for (size_t i = 0; i < N.ngroup; i++) {
		struct str v;
		if (get_str(w, N.c_group[i], REQUIRED, &v) < 0)
			return -1;
		if (i > 0)
			buf_putc(key, '\x1f');
		buf_str(key, v);
	}
	return 0;
}

static void
add_row(const struct record *r, uint32_t g)
{
	if (N.nrows == UINT32_MAX - 1)
		fatal("more than %u rows", UINT32_MAX - 2);
	if (N.nrows == N.caprows) {
		N.caprows = N.caprows ? 2 * N.caprows : 4096;
		N.rows = xrealloc(N.rows, N.caprows * sizeof *N.rows);
	}
	keep_row(r);
	N.rows[N.nrows] = (struct kept){ g, UINT32_MAX };
	struct group *gr = &N.groups[g];
	if (gr->nrows++ == 0)
		gr->first = (uint32_t)N.nrows;
	else
		N.rows[gr->last].next = (uint32_t)N.nrows;
	gr->last = (uint32_t)N.nrows;
	N.nrows++;
}

static uint32_t
new_group(const struct record *r, struct str addr, bool sms, const char *code)
{
	bool isnew;
	size_t *u = map_put(&N.used_index, str_of(code),
	    map_count(&N.used_index), &isnew);

	if (isnew) {
		N.used = xrealloc(N.used, map_count(&N.used_index) * sizeof *N.used);
		N.used[*u] = (struct used){ 0, r->file, r->line, false, false, -1 };
	}
	N.used[*u].groups++;
	*(sms ? &N.used[*u].sms : &N.used[*u].mail) = true;
	if (N.ngroups == N.capgroups) {
		N.capgroups = N.capgroups ? 2 * N.capgroups : 1024;
		N.groups = xrealloc(N.groups, N.capgroups * sizeof *N.groups);
	}
	N.groups[N.ngroups] = (struct group){ 0, 0, 0, (uint32_t)*u,
	    arena_str(&N.arena, addr), sms, PENDING, { 0, 0 } };
	return (uint32_t)N.ngroups++;
}

static void
read_rows(struct stream *in)
{
	struct record rec;
	struct buf key = { 0 };

	map_init(&N.used_index, true);
	/* Addresses match ignoring case (JONAS@ and jonas@ are one person);
	 * --group values are identifiers, matched exactly. */
	map_init(&N.groups_index, N.ngroup == 0);
	while (stream_next(in, &rec)) {
		struct row w;
		struct str addr;
		char phone[PHONE_DIGITS_MAX + 2], code[LANG_MAX + 1];
		bool sms = false;

		if (!row_start(&w, &app, in, &rec, ROW_STREAM) ||
		    row_recipient(&w, &addr, &sms, phone) < 0 ||
		    row_language(&w, code) < 0 || row_key(&w, addr, &key) < 0)
			continue;
		for (size_t i = 0; i < N.nph; i++)
			(void)row_text(&w, N.ph[i].col);	/* not UTF-8: a warning */
		bool isnew;
		size_t *g = map_put(&N.groups_index, buf_view(&key), N.ngroups,
		    &isnew);
		if (isnew)
			*g = new_group(&rec, addr, sms, code);
		else {
			/* A group is one person's: a row of another address
			 * is not sent to this one. */
			struct group *gr = &N.groups[*g];
			if (gr->sms != sms || !(sms ? str_eq(gr->addr, addr) :
			    str_eq_ci(gr->addr, addr))) {
				char a[256];
				str_msg(a, sizeof a, gr->addr);
				row_bad(&w, sms ? N.c_sms : N.c_to, "not the "
				    "address of its group", "--group %s: %s",
				    N.group, a);
				continue;
			}
		}
		add_row(&rec, (uint32_t)*g);
	}
	buf_free(&key);
}

/* ---- sending -------------------------------------------------------- */

struct out {
	struct mailout *mail;	/* e-mail, or every message with --dry-run */
	struct csvout *sms;
	struct str *cells;	/* the group's values, row after row */
	size_t capcells;
	struct buf subject, body, msg, text;
	char asof[DATE_LEN + 1];
};

/* The values of a group's rows, as placeholders take them: trimmed, and
 * empty when unknown (- or --na). */
static void
group_cells(struct out *o, const struct group *g)
{
	if ((size_t)g->nrows * N.nf > o->capcells) {
		size_t old = o->capcells;
		o->capcells = (size_t)g->nrows * N.nf * 2;
		o->cells = xrealloc(o->cells, o->capcells * sizeof *o->cells);
		for (size_t i = old; i < o->capcells; i++)
			o->cells[i] = (struct str){ "", 0 };	/* not kept */
	}
	size_t r = 0;
	for (uint32_t k = g->first; k != UINT32_MAX; k = N.rows[k].next, r++) {
		struct str *f = o->cells + r * N.nf;
		unkeep_row(k, f);
		for (size_t j = 0; j < N.nshown; j++) {
			struct str *v = &f[N.shown[j]];
			*v = str_trim(*v);
			if (v->n > 0 && field_unknown(*v))
				*v = (struct str){ "", 0 };
		}
	}
}

static struct mail_hash
message_hash(const struct group *g, struct str subject, struct str body,
    const char *asof)
{
	struct str parts[4] = { g->addr, str_of(asof), subject, body };

	return mail_hash(parts, 4);
}

static void
report_row(const struct group *g, const char *id, const char *lang,
    const char *status)
{
	if (app.out == NULL)
		return;
	csvout_cstr(app.out, id);
	csvout_cstr(app.out, g->sms ? "sms" : "email");
	csvout_str(app.out, g->addr);
	csvout_cstr(app.out, lang);
	char n[24];
	csvout_known(app.out, n, fmt_int(n, g->nrows));
	csvout_cstr(app.out, status);
	csvout_endrow(app.out);
}

/* The message of group G in the templates L: its text into O's buffers
 * (an SMS cut to --sms-max), and its id, a hash of what it says. */
static void
compose(struct out *o, struct group *g, const struct lang *l)
{
	group_cells(o, g);
	o->body.n = o->subject.n = o->msg.n = 0;
	if (g->sms) {
		const struct tpl_text *x = l->has_sms ? &l->sms.body : &l->mail.body;
		template_expand(x, o->cells, N.nf, g->nrows, &o->body);
		struct str t = str_trim(buf_view(&o->body));
		size_t chars = sms_cut(t, N.sms_max, &o->text);
		if (chars > N.sms_max) {
			char a[64];
			warning("%s: SMS of %zu characters cut to %zu (--sms-max)",
			    str_msg(a, sizeof a, g->addr), chars, N.sms_max);
		}
		g->id = message_hash(g, (struct str){ "", 0 }, buf_view(&o->text),
		    o->asof);
	} else {
		template_expand(&l->mail.subject, o->cells, N.nf, 1, &o->subject);
		template_expand(&l->mail.body, o->cells, N.nf, g->nrows, &o->body);
		g->id = message_hash(g, buf_view(&o->subject), buf_view(&o->body),
		    o->asof);
	}
}

/* An SMS of group G, message ID in language CODE: a row for the gateway
 * (--sms-out), delivered once written there. */
static void
sms_to_gateway(struct out *o, struct group *g, const char *id,
    const char *code)
{
	csvout_str(o->sms, g->addr);
	csvout_str(o->sms, buf_view(&o->text));
	csvout_endrow(o->sms);
	g->state = DELIVERED;
	N.smses++;
	report_row(g, id, code, "delivered");
}

/* The e-mail of group G into o->msg; with --dry-run an SMS too, as a
 * message of the mbox, to be read. */
static void
format_message(struct out *o, const struct group *g, const char *id,
    const char *code)
{
	if (g->sms) {
		char date[32];
		buf_cat(&o->msg, "To: ");
		buf_str(&o->msg, g->addr);
		buf_cat(&o->msg, "\nDate: ");
		buf_put(&o->msg, date, mail_date(date, app.opt.as_of));
		buf_cat(&o->msg, "\nMessage-ID: ");
		buf_cat(&o->msg, id);
		buf_cat(&o->msg, "\nContent-Type: text/plain; charset=UTF-8\n"
		    "X-Notify-Channel: sms\n\n");
		buf_str(&o->msg, buf_view(&o->text));
		buf_putc(&o->msg, '\n');
	} else {
		const struct str nm = N.c_name >= 0 ? o->cells[N.c_name] :
		    (struct str){ "", 0 };
		struct mail m = { N.from_name, N.from_addr, nm, g->addr,
			buf_view(&o->subject), buf_view(&o->body), str_of(code),
			str_of(id), app.opt.as_of };
		mail_format(&o->msg, &m);
	}
}

/* o->msg, the message of group G, to the mail output (with --dry-run:
 * standard output); a message it refused is reported and not delivered. */
static void
deliver(struct out *o, struct group *g, const char *id, const char *code)
{
	char to[256], why[1024];
	const char *env[5];

	env[0] = "NOTIFY_TO";
	env[1] = str_cpy(to, sizeof to, g->addr);
	env[2] = "NOTIFY_MESSAGE_ID";
	env[3] = id;
	env[4] = NULL;
	if (mailout_put(o->mail, N.from_addr, app.opt.as_of, env,
	    buf_view(&o->msg), why, sizeof why) == 0) {
		g->state = DELIVERED;
		*(g->sms ? &N.smses : &N.mails) += 1;
		report_row(g, id, code, N.dry_run ? "dry_run" : "delivered");
		return;
	}
	g->state = FAILED;
	N.failed++;
	char a[300];
	warnmsg("%s: not delivered: %s", str_msg(a, sizeof a, g->addr), why);
	report_row(g, id, code, "failed");
}

/* The message of group G, composed and sent. */
static void
send_group(struct out *o, struct group *g)
{
	const struct used *u = &N.used[g->lang];
	const char *code = N.lang_index.e[u->tpl].key.p;
	char id[ID_MAX];

	compose(o, g, &N.langs[u->tpl]);
	mail_id_format(id, sizeof id, g->id, N.domain);
	if (g->sms && !N.dry_run) {
		sms_to_gateway(o, g, id, code);
		return;
	}
	format_message(o, g, id, code);
	deliver(o, g, id, code);
}

/* The input rows whose message was delivered, in input order, with its
 * message_id. */
static void
write_sent(struct stream *in)
{
	static const char *const names[] = { "message_id" };
	struct csvout *w = csvout_open(N.sent, app.opt.dialect, app.opt.crlf,
	    app.opt.excel_safe);
	struct outcols oc;
	struct str *f = xcalloc(N.nf ? N.nf : 1, sizeof *f);
	char id[ID_MAX];

	if (stream_empty(in)) {
		csvout_close(w);
		free(f);
		return;
	}
	outcols_init(&oc, in, names, 1);
	outcols_header(&oc, w, in);
	for (size_t i = 0; i < N.nrows; i++) {
		const struct group *g = &N.groups[N.rows[i].group];
		if (g->state != DELIVERED)
			continue;
		unkeep_row(i, f);
		struct record r = { N.nf, f, 0, NULL };
		struct str v = { id, mail_id_format(id, sizeof id, g->id, N.domain) };
		outcols_row(&oc, w, &r, &v);
	}
	outcols_free(&oc);
	csvout_close(w);
	free(f);
}

static void
send_all(struct stream *in)
{
	struct out o = { 0 };

	fmt_date(o.asof, app.opt.as_of_date);
	if (!stream_empty(in))
		resolve_languages();
	if (N.dry_run)
		o.mail = mailout_mbox(NULL);
	else {
		if (N.mbox)
			o.mail = mailout_mbox(N.mbox);
		else if (N.maildir)
			o.mail = mailout_maildir(N.maildir);
		else if (N.sendmail)
			o.mail = mailout_command(N.sendmail);
		if (N.sms_out) {
			o.sms = csvout_open(N.sms_out, app.opt.dialect,
			    app.opt.crlf, app.opt.excel_safe);
			csvout_cstr(o.sms, "to");
			csvout_cstr(o.sms, "text");
			csvout_endrow(o.sms);
		}
	}
	if (app.out != NULL) {
		for (size_t i = 0; i < 6; i++)
			csvout_cstr(app.out, report_cols[i]);
		csvout_endrow(app.out);
	}
	for (size_t i = 0; i < N.ngroups; i++)
		send_group(&o, &N.groups[i]);
	/* The files are complete: what they hold is delivered. */
	mailout_close(o.mail);
	if (o.sms != NULL)
		csvout_close(o.sms);
	if (N.sent != NULL && !N.dry_run)
		write_sent(in);
	free(o.cells);
	buf_free(&o.subject);
	buf_free(&o.body);
	buf_free(&o.msg);
	buf_free(&o.text);
}

/* ---- options -------------------------------------------------------- */

static void
bad_option(const char *fmt, const char *arg)
{
	warnmsg(fmt, arg);
	usage();
}

static void
parse_group(const char *arg)
{
	struct str rest = str_of(arg), tok;

	while (str_next_token(&rest, ',', &tok)) {
		tok = str_trim(tok);
		if (tok.n == 0)
			bad_option("--group: column names separated by commas "
			    "expected, not '%s'", arg);
		N.group_names = xrealloc(N.group_names, (N.ngroup + 1) *
		    sizeof *N.group_names);
		N.group_names[N.ngroup++] = xstr(tok);
	}
	if (N.ngroup == 0)
		bad_option("--group: column names separated by commas "
		    "expected, not '%s'", arg);
	N.c_group = xcalloc(N.ngroup, sizeof *N.c_group);
}

static void
check_options(void)
{
	char code[LANG_MAX + 1];
	int mail_outs = !!N.mbox + !!N.maildir + !!N.sendmail;

	if (N.templates == NULL)
		bad_option("%s", "--templates DIR is required");
	if (N.to == NULL && N.sms == NULL)
		bad_option("%s", "--to COLUMN or --sms COLUMN (or both) is required");
	if (mail_outs > 1)
		bad_option("%s", "--mbox, --maildir and --sendmail: one of them, not two");
	if (mail_outs && N.to == NULL)
		bad_option("%s", "--mbox, --maildir, --sendmail: no e-mail is "
		    "sent without --to COLUMN");
	if (N.sms_out && N.sms == NULL)
		bad_option("%s", "--sms-out: no SMS is sent without --sms COLUMN");
	if (!N.dry_run && N.to && !mail_outs)
		bad_option("%s", "--to: --mbox, --maildir or --sendmail is "
		    "required (or --dry-run)");
	if (!N.dry_run && N.sms && !N.sms_out)
		bad_option("%s", "--sms: --sms-out FILE is required (or --dry-run)");
	if (N.to && N.from == NULL)
		bad_option("%s", "--to: --from ADDR is required");
	if (N.from && mail_parse_mailbox(str_of(N.from), &N.from_name,
	    &N.from_addr) == -1)
		bad_option("--from: an address such as 'Service <service@"
		    "example.lt>' expected, not '%s'", N.from);
	if (lang_code(str_of(N.lang), code) < 0)
		bad_option("--lang: a language code such as lt, ru or en "
		    "expected, not '%s'", N.lang);
	/* Message ids are of the sender's domain. */
	N.domain = STR_C(NO_DOMAIN);
	if (N.from) {
		const char *at = memchr(N.from_addr.p, '@', N.from_addr.n);
		N.domain = (struct str){ at + 1,
		    (size_t)(N.from_addr.p + N.from_addr.n - at - 1) };
	}
	if (N.mbox)
		common_output(&app.opt, "--mbox", N.mbox);
	if (N.sms_out)
		common_output(&app.opt, "--sms-out", N.sms_out);
	if (N.sent)
		common_output(&app.opt, "--sent", N.sent);
}

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ "to", required_argument, NULL, OPT_TO },
	{ "sms", required_argument, NULL, OPT_SMS },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "group", required_argument, NULL, OPT_GROUP },
	{ "templates", required_argument, NULL, OPT_TEMPLATES },
	{ "lang-column", required_argument, NULL, OPT_LANG_COLUMN },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "mbox", required_argument, NULL, OPT_MBOX },
	{ "maildir", required_argument, NULL, OPT_MAILDIR },
	{ "sendmail", required_argument, NULL, OPT_SENDMAIL },
	{ "sms-out", required_argument, NULL, OPT_SMS_OUT },
	{ "sms-max", required_argument, NULL, OPT_SMS_MAX },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "sent", required_argument, NULL, OPT_SENT },
	{ NULL, 0, NULL, 0 }
};

static void
parse_sms_max(const char *arg)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (end == arg || *end != '\0' || arg[0] == '-' ||
	    v < 1 || v > SMS_MAX_LIMIT)
		bad_option("--sms-max: a number of characters "
		    "from 1 to 100000 expected, not '%s'", arg);
	N.sms_max = v;
}

static void
parse_options(int argc, char **argv)
{
	int ch;

	N.lang_column = "language";
	N.lang = "en";
	N.sms_max = SMS_MAX_DEFAULT;
	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (common_option(&app.opt, ch, optarg)) {
		case 1: continue;
		case -1: usage();
		}
		switch (ch) {
		case OPT_TO: N.to = optarg; break;
		case OPT_SMS: N.sms = optarg; break;
		case OPT_NAME: N.name = optarg; break;
		case OPT_GROUP:
			N.group = optarg;
			parse_group(optarg);
			break;
		case OPT_TEMPLATES: N.templates = optarg; break;
		case OPT_LANG_COLUMN:
			N.lang_column = optarg;
			N.lang_column_given = true;
			break;
		case OPT_LANG: N.lang = optarg; break;
		case OPT_MBOX: N.mbox = optarg; break;
		case OPT_MAILDIR: N.maildir = optarg; break;
		case OPT_SENDMAIL: N.sendmail = optarg; break;
		case OPT_SMS_OUT: N.sms_out = optarg; break;
		case OPT_SMS_MAX: parse_sms_max(optarg); break;
		case OPT_FROM: N.from = optarg; break;
		case OPT_DRY_RUN: N.dry_run = true; break;
		case OPT_SENT: N.sent = optarg; break;
		default: usage();
		}
	}
	check_options();
	if (common_finish(&app.opt) == -1)
		usage();
}

/* The stream (FILES) and its columns; the report in the input's dialect. */
static void
open_rows(struct stream *in, int nfiles, char **files)
{
	stream_open(in, files, nfiles, app.opt.dialect, app.opt.map,
	    app.opt.nmap);
	find_columns(in);
	app.rej_header = in->header;
	app.opt.dialect = in->dialect;
	/* The report: standard output, or -o; with --dry-run the messages
	 * take standard output, and the report is written to -o only. */
	if (!N.dry_run || (app.opt.output && strcmp(app.opt.output, "-") != 0))
		app_open_output(&app);
}

/* The exit status: app_finish()'s, and at least 1 when a message was not
 * delivered. */
static int
finish(void)
{
	int status = app_finish(&app, 0);

	if (N.failed > 0) {
		warnmsg("%ld of %zu message%s not delivered", N.failed,
		    N.ngroups, N.ngroups == 1 ? "" : "s");
		if (status == EXIT_OK)
			status = EXIT_REJECTED;
	}
	return status;
}

int
main(int argc, char *argv[])
{
	struct stream in;

	argv[0] = (char *)info.name;
	prog_start(&info, &app.opt);
	parse_options(argc, argv);
	load_templates();
	open_rows(&in, argc - optind, argv + optind);
	if (!stream_empty(&in))
		read_rows(&in);
	send_all(&in);
	stream_close(&in);
	int status = finish();
	common_free(&app.opt);
	return status;
}
