/* survey-invite — whom to ask for feedback after a visit, and when; and the
 * sums of the answers (CSAT, NPS).  See survey-invite(1).
 *
 * Invitations: one pass over the closed events, each decided by the rules
 * in order (decide()), against the ledger of invitations already sent and
 * the contacts invited earlier in the run; memory follows the contacts
 * invited and the ledger, not the events.  Scores: one pass, sums per
 * group, the groups sorted at the end.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "datetime.h"
#include "duration.h"
#include "field.h"
#include "ledger.h"
#include "map.h"
#include "num.h"
#include "opts.h"
#include "outcols.h"
#include "rowstore.h"
#include "str.h"
#include "stream.h"
#include "template.h"
#include "util.h"

enum {
	OPT_DELAY = OPT_PROGRAM, OPT_WINDOW, OPT_GAP, OPT_RATE, OPT_SEED,
	OPT_EXCLUDE_KINDS, OPT_URL, OPT_LEDGER, OPT_DRY_RUN, OPT_COMMIT,
	OPT_ALL, OPT_SCORE, OPT_SCALE
};

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ "delay",         required_argument, NULL, OPT_DELAY },
	{ "window",        required_argument, NULL, OPT_WINDOW },
	{ "gap",           required_argument, NULL, OPT_GAP },
	{ "rate",          required_argument, NULL, OPT_RATE },
	{ "seed",          required_argument, NULL, OPT_SEED },
	{ "exclude-kinds", required_argument, NULL, OPT_EXCLUDE_KINDS },
	{ "url",           required_argument, NULL, OPT_URL },
	{ "ledger",        required_argument, NULL, OPT_LEDGER },
	{ "dry-run",       no_argument,       NULL, OPT_DRY_RUN },
	{ "commit",        required_argument, NULL, OPT_COMMIT },
	{ "all",           no_argument,       NULL, OPT_ALL },
	{ "score",         required_argument, NULL, OPT_SCORE },
	{ "scale",         required_argument, NULL, OPT_SCALE },
	{ NULL, 0, NULL, 0 }
};

static const struct opt_help opts_help[] = {
	{ "--delay D", "wait D after closing before inviting (Nd, Nh, Nm; default 1d)" },
	{ "--window D", "too late D after closing (default 14d)" },
	{ "--gap DAYS", "at most one survey per contact in DAYS days (default 90)" },
	{ "--rate P", "invite a sample of P percent of the events (default 100)" },
	{ "--seed S", "the sample's seed: the same night gives the same sample" },
	{ "--exclude-kinds LIST", "kinds never surveyed (default internal)" },
	{ "--url TEMPLATE", "survey_url: {COLUMN} replaced, percent-encoded" },
	{ "--ledger FILE", "the invitations sent: once per event, the gap per contact" },
	{ "--dry-run", "read the ledger, change nothing" },
	{ "--commit FILE", "add the invitations of FILE (delivered) to the ledger" },
	{ "--all", "write every event with its status, not only invitations" },
	{ "--score COLUMNS", "sum up the answers per group of COLUMNS instead" },
	{ "--scale 5|10", "scores 1-5 (CSAT, default) or 0-10 (NPS)" },
	{ NULL, NULL }
};

static const struct prog_info info = {
	"survey-invite", NULL,
	"[--delay D] [--window D] [--gap DAYS] [--rate P] [--seed S]\n"
	"       [--exclude-kinds LIST] [--url TEMPLATE] [--ledger FILE [--dry-run]]\n"
	"       [--all] " COMMON_USAGE "\n"
	"       [EVENTS...]\n"
	"       survey-invite --score COLUMNS [--scale 5|10] [OPTIONS] [ANSWERS...]\n"
	"       survey-invite --ledger FILE --commit FILE [OPTIONS]",
	"Whom to ask for feedback after a visit, and when; CSAT and NPS of the "
	"answers.",
	opts_help
};

/* ---- the rules ------------------------------------------------------- */

/* The statuses, in the order of the rules: the first that applies. */
enum status {
	ST_OPEN, ST_EXCLUDED, ST_OPTED_OUT, ST_NO_CONTACT, ST_ALREADY_SENT,
	ST_WAIT, ST_TOO_LATE, ST_SAMPLED_OUT, ST_THROTTLED, ST_INVITE, NSTATUS
};
static const char *const status_name[NSTATUS] = {
	"open", "excluded", "opted_out", "no_contact", "already_sent", "wait",
	"too_late", "sampled_out", "throttled", "invite"
};

/* What the rules know of an event.  The facts that cost a look-up in a
 * large table are fetched by recall() only when a rule needs them (most
 * events are decided before: too late, not yet, excluded). */
struct event {
	bool closed;		/* closed_at given */
	tstamp closed_at;
	bool excluded;		/* its kind is one of --exclude-kinds */
	bool opted_out;
	bool no_contact;
	bool in_sample;
	/* Filled by recall(E, ID): */
	bool sent_before;	/* the ledger has its id */
	/* Filled by recall(E, CONTACT): */
	day_t last_sent;	/* the contact's latest in the ledger, or DAY_NONE */
	bool invited_in_run;	/* an earlier row of this run invites the contact */
	void (*recall)(struct event *e, int what, void *arg);
	void *arg;
};
enum { RECALL_ID, RECALL_CONTACT };

struct policy {
	int64_t delay, window;	/* seconds */
	long long gap;		/* days */
};

static enum status
decide(struct event *e, const struct policy *p, tstamp as_of, day_t as_of_date)
{
	if (!e->closed)
		return ST_OPEN;
	if (e->excluded)
		return ST_EXCLUDED;
	if (e->opted_out)
		return ST_OPTED_OUT;
	if (e->no_contact)
		return ST_NO_CONTACT;
	if (e->recall != NULL)
		e->recall(e, RECALL_ID, e->arg);
	if (e->sent_before)
		return ST_ALREADY_SENT;
	if (as_of < e->closed_at + p->delay)
		return ST_WAIT;
	if (as_of > e->closed_at + p->window)
		return ST_TOO_LATE;
	if (!e->in_sample)
		return ST_SAMPLED_OUT;
	if (e->recall != NULL)
		e->recall(e, RECALL_CONTACT, e->arg);
	if ((e->last_sent != DAY_NONE &&
	    (long long)as_of_date - e->last_sent < p->gap) || e->invited_in_run)
		return ST_THROTTLED;
	return ST_INVITE;
}

/* Without --all only invitations are written, and decide() gives
 * ST_INVITE only when no rule applies: an event that a rule needing no
 * look-up already keeps from an invitation (open, excluded, opted out, no
 * contact, wait, too late, sampled out) is then not looked up at all.
 * Most events of a night are such (the look-ups are what costs). */
static bool
may_invite(const struct event *e, const struct policy *p, tstamp as_of)
{
	return e->closed && !e->excluded && !e->opted_out && !e->no_contact &&
	    as_of >= e->closed_at + p->delay &&
	    as_of <= e->closed_at + p->window && e->in_sample;
}

/* The sample: the 64-bit FNV-1a hash of the seed's bytes then the id's;
 * in it when h mod 100 < rate.  The same night replayed, the same sample. */
static bool
in_sample(struct str seed, struct str id, int rate)
{
	/* h mod 100 is below 100 for every h, and never below 0: no hash
	 * needed (--rate 100 is the default). */
	if (rate >= 100 || rate <= 0)
		return rate >= 100;
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; i < seed.n; i++)
		h = (h ^ (unsigned char)seed.p[i]) * 1099511628211ULL;
	for (size_t i = 0; i < id.n; i++)
		h = (h ^ (unsigned char)id.p[i]) * 1099511628211ULL;
	return h % 100 < (uint64_t)rate;
}

/* opt_out: yes, y, true, 1 (any case) opt out; no, n, false, 0 or empty
 * do not.  Anything else is not understood: the row is rejected rather
 * than a customer surveyed who asked not to be ("taip", "ja"). */
static const char *const opt_out_words[] = {
	"yes", "y", "true", "1", "no", "n", "false", "0", NULL
};
#define OPT_OUT_YES 4		/* words before this index opt out */

/* A ledger entry can hide nothing once it is older than any rule looks
 * back: the gap, the window, and, since a later run may use longer ones,
 * at least 400 days. */
static bool
entry_spent(day_t sent, day_t as_of_date, const struct policy *p)
{
	long long keep = 400, window_days = (p->window + 86399) / 86400;

	if (p->gap > keep)
		keep = p->gap;
	if (window_days > keep)
		keep = window_days;
	return (long long)as_of_date - sent > keep;
}

/* ---- the URL template ------------------------------------------------- */

/* "https://x.lt/s?ro={id}&d={dealer}": template.h's grammar of a line,
 * checked at start, before any input is read: a broken --url must fail
 * on the quiet night (no events, so no header) it was written, not on
 * the first busy one. */
static void
url_parse(struct tpl_text *x, const char *tmpl)
{
	char why[256], shown[512];	/* escaped for messages */

	if (template_parse_line(x, tmpl, strlen(tmpl), why, sizeof why) != 0)
		fatal("--url: '%s': %s",
		    str_msg(shown, sizeof shown, str_of(tmpl)), why);
}

/* Each placeholder bound to the input column it names, first of the
 * header's names that matches (ignoring case and surrounding white
 * space): fatal when it names none. */
static void
url_bind(struct tpl_text *x, const char *tmpl, const struct stream *in)
{
	char shown[512], b[128], f[512];	/* escaped for messages */

	const struct tpl_part *br = template_braced(x, in->header.f,
	    in->header.nf);
	if (br != NULL) {
		str_msg(b, sizeof b, br->braced);
		fatal("--url: '%s': {{%s}} is the text {%s}, not the value of "
		    "column '%s' (write {%s})",
		    str_msg(shown, sizeof shown, str_of(tmpl)), b, b, b, b);
	}
	for (size_t k = 0; k < x->n; k++) {
		struct tpl_part *p = &x->part[k];
		if (p->kind != TP_FIELD)
			continue;
		for (size_t i = 0; i < in->header.nf && p->col < 0; i++)
			if (str_eq_ci(str_trim(in->header.f[i]), p->text))
				p->col = (int)i;
		if (p->col < 0)
			fatal("--url: no column '%s' in %s (a {COLUMN} names an input "
			    "column)", str_msg(b, sizeof b, p->text),
			    str_msg(f, sizeof f, str_of(in->header.file)));
	}
}

/* A value in the URL: trimmed, percent-encoded. */
static void
url_value(struct buf *out, struct str v)
{
	percent_encode(out, str_trim(v));
}

/* The URL of row W into OUT (emptied first). */
static struct str
url_fill(const struct tpl_text *x, const struct row *w, struct buf *out)
{
	out->n = 0;
	template_expand_encoded(x, w->r->f, w->r->nf, 1, url_value, out);
	return buf_view(out);
}

/* ---- the program ------------------------------------------------------ */

static const char *const ledger_cols[] = { "id", "contact", "sent", NULL };

enum { C_STATUS, C_SEND_AFTER, C_EXPIRES_AT, C_LAST_SURVEYED, C_URL, NCOMP };
static const char *const comp_names[NCOMP] = {
	"survey_status", "send_after", "expires_at", "last_surveyed", "survey_url"
};
static const unsigned char comp_known[NCOMP] = { 1, 1, 1, 1, 0 };

struct prog {
	struct app app;
	struct policy pol;
	int rate;
	const char *seed;
	struct map exclude;		/* --exclude-kinds, ignoring case */
	const char *url_tmpl;
	const char *ledger_path, *commit_path;
	bool dry_run, all;
	const char *score_cols;
	int scale;

	struct stream in;
	int c_id, c_closed, c_contact, c_kind, c_opt_out;
	struct tpl_text url;		/* --url, parsed against the header */
	struct ledger *ledger;
	struct map sent_ids;		/* ids in the ledger */
	struct map last_sent;		/* contact (any case) -> latest sent day */
	struct map invited;		/* contacts invited in this run */
	struct rowstore invites;	/* id, contact of each invitation written */
};

static struct prog P;

static void
bad_option(const char *opt, const char *arg, const char *expected)
{
	warnmsg("%s: bad value '%s' (expected %s)", opt, arg, expected);
	usage();
}

static int64_t
real_duration(const char *opt, const char *arg)
{
	struct duration d;

	if (duration_parse(str_of(arg), &d) != 0 || d.kind != DUR_REAL)
		bad_option(opt, arg, "a duration such as 1d, 36h or 90m");
	return d.n;
}

/* A whole number of OPT's ARG, at most MAX. */
static long long
whole_number(const char *opt, const char *arg, long long max,
    const char *expected)
{
	long long v;

	if (parse_uint(arg, &v) == -1 || v > max)
		bad_option(opt, arg, expected);
	return v;
}

/* --exclude-kinds LIST: in place of the default's. */
static void
parse_exclude_kinds(const char *arg)
{
	struct str rest = str_of(arg), tok;

	map_free(&P.exclude);
	while (str_next_token(&rest, ',', &tok))
		if ((tok = str_trim(tok)).n > 0)
			map_put(&P.exclude, tok, 0, NULL);
}

static int
parse_scale(const char *arg)
{
	if (strcmp(arg, "5") != 0 && strcmp(arg, "10") != 0)
		bad_option("--scale", arg, "5 (CSAT) or 10 (NPS)");
	return atoi(arg);
}

/* What the options need of each other (NOPERANDS: the files named). */
static void
check_options(int noperands)
{
	if ((P.dry_run || P.commit_path) && P.ledger_path == NULL) {
		warnmsg("%s needs --ledger", P.dry_run ? "--dry-run" : "--commit");
		usage();
	}
	if (P.commit_path && (noperands > 0 || P.app.opt.output || P.dry_run ||
	    P.score_cols)) {
		warnmsg("--commit reads only its FILE and writes only the ledger "
		    "(no EVENTS, -o, --dry-run or --score)");
		usage();
	}
	if (P.score_cols && (P.ledger_path || P.url_tmpl || P.all)) {
		warnmsg("--score sums up answers: --ledger, --url and --all are "
		    "for invitations");
		usage();
	}
	if (P.url_tmpl != NULL)
		url_parse(&P.url, P.url_tmpl);
	if (P.pol.window < P.pol.delay) {
		warnmsg("--window (%lld s) is shorter than --delay (%lld s): no "
		    "event could be invited", (long long)P.pol.window,
		    (long long)P.pol.delay);
		usage();
	}
}

static void
options(int argc, char **argv)
{
	int ch;

	P.pol = (struct policy){ 86400, 14 * 86400, 90 };
	P.rate = 100;
	P.seed = "";
	P.scale = 5;
	map_put(&P.exclude, STR_C("internal"), 0, NULL);
	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (common_option(&P.app.opt, ch, optarg)) {
		case 1:
			continue;
		case -1:
			usage();
		}
		switch (ch) {
		case OPT_DELAY:
			P.pol.delay = real_duration("--delay", optarg);
			break;
		case OPT_WINDOW:
			P.pol.window = real_duration("--window", optarg);
			break;
		case OPT_GAP:
			P.pol.gap = whole_number("--gap", optarg, 36500,
			    "a number of days");
			break;
		case OPT_RATE:
			P.rate = (int)whole_number("--rate", optarg, 100,
			    "a whole percentage, 0 to 100");
			break;
		case OPT_SEED: P.seed = optarg; break;
		case OPT_EXCLUDE_KINDS: parse_exclude_kinds(optarg); break;
		case OPT_URL: P.url_tmpl = optarg; break;
		case OPT_LEDGER:
			P.ledger_path = optarg;
			common_output(&P.app.opt, "--ledger", optarg);
			break;
		case OPT_DRY_RUN: P.dry_run = true; break;
		case OPT_COMMIT: P.commit_path = optarg; break;
		case OPT_ALL: P.all = true; break;
		case OPT_SCORE: P.score_cols = optarg; break;
		case OPT_SCALE: P.scale = parse_scale(optarg); break;
		default:
			usage();
		}
	}
	if (common_finish(&P.app.opt) == -1)
		usage();
	check_options(argc - optind);
}

/* ---- the ledger ------------------------------------------------------- */

static void
note_sent(struct str id, struct str contact, day_t sent)
{
	bool isnew;
	size_t *d;

	map_put(&P.sent_ids, id, 0, NULL);
	if (contact.n == 0)
		return;
	d = map_put(&P.last_sent, contact, (size_t)(uint32_t)sent, &isnew);
	if (!isnew && (day_t)(uint32_t)*d < sent)
		*d = (size_t)(uint32_t)sent;
}

static void
read_ledger(void)
{
	struct row w;
	size_t i;

	P.ledger = ledger_open(&P.app, P.ledger_path, ledger_cols, P.dry_run);
	while (ledger_next(P.ledger, &w, &i)) {
		struct str id, contact = { "", 0 };
		day_t sent;
		if (get_str(&w, 0, REQUIRED, &id) < 0 ||
		    get_str(&w, 1, OPTIONAL, &contact) < 0 ||
		    get_date(&w, 2, REQUIRED, &sent) < 0)
			continue;	/* reported, and kept as it is */
		if (entry_spent(sent, P.app.opt.as_of_date, &P.pol)) {
			ledger_drop(P.ledger, i);
			continue;
		}
		note_sent(id, contact, sent);
	}
}

/* An invitation written: kept for the ledger, which learns of it only
 * after the output is complete. */
static void
keep_invite(struct str id, struct str contact)
{
	struct str f[2] = { id, contact };

	rowstore_add(&P.invites, f, 2);
}

static void
record_invites(void)
{
	char as_of[DATE_LEN + 1];
	struct record r;

	fmt_date(as_of, P.app.opt.as_of_date);
	for (size_t i = 0; i < P.invites.n; i++) {
		rowstore_get(&P.invites, i, &r);
		struct str f[3] = { r.f[0], r.f[1], str_of(as_of) };
		ledger_add(P.ledger, f);
	}
	ledger_commit(P.ledger);
}

/* ---- invitations ------------------------------------------------------ */

/* The ledger's maps are too large for the cache, and the events name
 * their ids and contacts in no order: a look-up waits for memory up to
 * three times (a map's slot, entry and key: map_prefetch()).  The reader
 * has parsed the rows that follow: the id and contact of the row AHEAD
 * ahead are hashed and their slots loaded, the entries of the row
 * AHEAD / 2 ahead and the keys of the row AHEAD / 4 ahead, so that this
 * row's look-ups find all in the cache.  The hashes wait in a ring, by
 * the row's place in the stream; a look-up takes its key's hash from
 * there only when the key is the very bytes hashed (the same field of
 * the same record: the record is read, peeked or not, from one place
 * until the reader reads on), else it hashes the key. */
#define AHEAD 8
struct ahead_key {
	const char *p;		/* NULL: not hashed (the row was not read yet) */
	size_t n;
	uint64_t hash;
};
struct ahead {
	struct ahead_key id[AHEAD], contact[AHEAD];
	unsigned long seq;	/* the row being decided */
};

/* KEY's hash in map M: hashed ahead (K), or now. */
static uint64_t
key_hash(const struct ahead_key *k, const struct map *m, struct str key)
{
	if (k->p != NULL && k->p == key.p && k->n == key.n)
		return k->hash;
	return map_hash(m, key);
}

/* Hash the keys of a row to come and load a stage of what the look-ups
 * of the rows before it will read.  The contacts' maps (last_sent,
 * invited) both ignore case: one hash serves both. */
static void
prefetch_ahead(struct ahead *ah)
{
	unsigned long seq = ah->seq;
	struct ahead_key *id = &ah->id[seq % AHEAD];
	struct ahead_key *ct = &ah->contact[seq % AHEAD];
	struct str k;

	/* This row's place is taken by the row AHEAD ahead (its own keys
	 * were taken before). */
	id->p = ct->p = NULL;
	k = stream_peek_field(&P.in, AHEAD, P.c_id);
	if (k.p != NULL && (k = str_trim(k)).n > 0) {
		*id = (struct ahead_key){ k.p, k.n, map_hash(&P.sent_ids, k) };
		map_prefetch(&P.sent_ids, id->hash, 0);
	}
	k = stream_peek_field(&P.in, AHEAD, P.c_contact);
	if (k.p != NULL && (k = str_trim(k)).n > 0) {
		*ct = (struct ahead_key){ k.p, k.n, map_hash(&P.last_sent, k) };
		map_prefetch(&P.last_sent, ct->hash, 0);
		map_prefetch(&P.invited, ct->hash, 0);
	}
	for (int stage = 1; stage <= 2; stage++) {
		size_t j = (seq + (stage == 1 ? AHEAD / 2 : AHEAD / 4)) % AHEAD;
		if (ah->id[j].p != NULL)
			map_prefetch(&P.sent_ids, ah->id[j].hash, stage);
		if (ah->contact[j].p != NULL) {
			map_prefetch(&P.last_sent, ah->contact[j].hash, stage);
			map_prefetch(&P.invited, ah->contact[j].hash, stage);
		}
	}
}

/* The facts of an event from the ledger and the run (decide() asks). */
struct recall_arg {
	struct str id, contact;
	struct ahead_key hid, hcontact;	/* their hashes, when taken ahead */
};

static void
recall(struct event *e, int what, void *arg)
{
	const struct recall_arg *a = arg;

	if (what == RECALL_ID) {
		e->sent_before = map_get_hashed(&P.sent_ids, a->id,
		    key_hash(&a->hid, &P.sent_ids, a->id)) != NULL;
		return;
	}
	uint64_t h = key_hash(&a->hcontact, &P.last_sent, a->contact);
	size_t *ls = map_get_hashed(&P.last_sent, a->contact, h);
	e->last_sent = ls != NULL ? (day_t)(uint32_t)*ls : DAY_NONE;
	e->invited_in_run = map_get_hashed(&P.invited, a->contact, h) != NULL;
}

/* Decide the event of row R; write it if it is an invitation (or --all). */
static void
invite_row(struct outcols *oc, const struct record *r, struct buf *url,
    const struct ahead_key *hid, const struct ahead_key *hcontact)
{
	struct row w;
	struct event e = { .last_sent = DAY_NONE };
	struct str id, contact, kind, comp[NCOMP];
	int oo = -1;
	char send_after[RFC3339_LEN + 1], expires[RFC3339_LEN + 1],
	    last[DATE_LEN + 1];

	if (!row_start(&w, &P.app, &P.in, r, ROW_STREAM) ||
	    get_str(&w, P.c_id, REQUIRED, &id) < 0)
		return;
	int c = get_time(&w, P.c_closed, OPTIONAL, &e.closed_at, NULL);
	if (c < 0 || get_choice(&w, P.c_opt_out, OPTIONAL, "opt_out value",
	    opt_out_words, &oo) < 0)
		return;
	e.closed = c == 1;
	contact = row_value(&w, P.c_contact);
	kind = row_value(&w, P.c_kind);
	e.excluded = kind.n > 0 && map_get(&P.exclude, kind) != NULL;
	e.opted_out = oo >= 0 && oo < OPT_OUT_YES;
	e.no_contact = contact.n == 0;
	e.in_sample = in_sample(str_of(P.seed), id, P.rate);
	if (!P.all && !may_invite(&e, &P.pol, P.app.opt.as_of))
		return;
	struct recall_arg ra = { id, contact, *hid, *hcontact };
	e.recall = recall;
	e.arg = &ra;

	enum status st = decide(&e, &P.pol, P.app.opt.as_of, P.app.opt.as_of_date);
	/* last_surveyed is shown whenever the ledger knows the contact. */
	if (P.all && contact.n > 0 && st < ST_THROTTLED)
		recall(&e, RECALL_CONTACT, &ra);
	if (st != ST_INVITE && !P.all)
		return;
	comp[C_STATUS] = str_of(status_name[st]);
	comp[C_SEND_AFTER] = comp[C_EXPIRES_AT] = (struct str){ "", 0 };
	if (e.closed) {
		comp[C_SEND_AFTER] = (struct str){ send_after,
		    fmt_rfc3339(send_after, e.closed_at + P.pol.delay) };
		comp[C_EXPIRES_AT] = (struct str){ expires,
		    fmt_rfc3339(expires, e.closed_at + P.pol.window) };
	}
	comp[C_LAST_SURVEYED] = e.last_sent != DAY_NONE ?
	    (struct str){ last, fmt_date(last, e.last_sent) } : (struct str){ "", 0 };
	comp[C_URL] = (struct str){ "", 0 };
	if (st == ST_INVITE && P.url.n > 0)
		comp[C_URL] = url_fill(&P.url, &w, url);
	outcols_row(oc, P.app.out, r, comp);
	if (st == ST_INVITE) {
		map_put(&P.invited, contact, 0, NULL);
		if (P.ledger != NULL)
			keep_invite(id, contact);
	}
}

static int
invitations(int nfiles, char **files)
{
	struct record r;
	struct outcols oc;
	struct buf url = { 0 };
	const struct column spec[] = {
		{ "id", true, &P.c_id }, { "closed_at", true, &P.c_closed },
		{ "contact", true, &P.c_contact }, { "kind", false, &P.c_kind },
		{ "opt_out", false, &P.c_opt_out }, { NULL, 0, NULL }
	};

	stream_open(&P.in, files, nfiles, P.app.opt.dialect, P.app.opt.map,
	    P.app.opt.nmap);
	stream_columns(&P.in, spec);
	if (!stream_empty(&P.in)) {
		P.app.opt.dialect = P.in.dialect;	/* output in the input's */
		if (P.url_tmpl != NULL)
			url_bind(&P.url, P.url_tmpl, &P.in);
	}
	P.app.rej_header = P.in.header;
	if (P.ledger_path != NULL)
		read_ledger();
	app_open_output(&P.app);
	if (!stream_empty(&P.in)) {
		outcols_init(&oc, &P.in, comp_names, NCOMP);
		outcols_known(&oc, comp_known);
		outcols_header(&oc, P.app.out, &P.in);
		struct ahead ah = { .seq = 0 };
		for (; stream_next(&P.in, &r); ah.seq++) {
			struct ahead_key hid = ah.id[ah.seq % AHEAD];
			struct ahead_key hcontact = ah.contact[ah.seq % AHEAD];
			prefetch_ahead(&ah);
			invite_row(&oc, &r, &url, &hid, &hcontact);
		}
		outcols_free(&oc);
	}
	stream_close(&P.in);
	buf_free(&url);
	int status = app_finish(&P.app, 0);
	if (P.ledger != NULL)
		record_invites();
	return status;
}

/* --commit FILE: the invitations a later step delivered, into the ledger. */
static int
commit(void)
{
	char *files[1] = { (char *)P.commit_path };
	struct record r;
	int c_status;
	const struct column spec[] = {
		{ "id", true, &P.c_id }, { "contact", true, &P.c_contact },
		{ "survey_status", true, &c_status }, { NULL, 0, NULL }
	};

	read_ledger();
	stream_open(&P.in, files, 1, P.app.opt.dialect, P.app.opt.map,
	    P.app.opt.nmap);
	stream_columns(&P.in, spec);
	P.app.rej_header = P.in.header;
	while (stream_next(&P.in, &r)) {
		struct row w;
		struct str id, contact;
		if (!row_start(&w, &P.app, &P.in, &r, ROW_STREAM) ||
		    get_str(&w, P.c_id, REQUIRED, &id) < 0)
			continue;
		if (!str_eq_cstr_ci(row_value(&w, c_status), "invite"))
			continue;	/* only invitations are recorded */
		contact = row_value(&w, P.c_contact);
		bool isnew;
		map_put(&P.sent_ids, id, 0, &isnew);
		if (isnew)
			keep_invite(id, contact);
	}
	stream_close(&P.in);
	int status = app_finish(&P.app, 0);
	record_invites();
	return status;
}

/* ---- scores ----------------------------------------------------------- */

struct group {
	size_t first;		/* its values: P.gvals[first .. first + ng) */
	long long answers, unanswered, sum;
	long long count[11];	/* per score */
};

static struct {
	int *cols;		/* the group columns */
	size_t ng;
	int c_score;
	struct map index;	/* the values, length-prefixed -> group */
	struct group *g;
	size_t n, cap;
	struct str *vals;	/* owned copies of each group's values */
	size_t nvals, capvals;
} S;

/* Parse --score COLUMNS against the header: fatal when one is missing. */
static void
score_columns(void)
{
	struct str rest = str_of(P.score_cols), tok;
	int c_score;
	const struct column spec[] = {
		{ "score", true, &c_score }, { NULL, 0, NULL }
	};

	stream_columns(&P.in, spec);
	S.c_score = c_score;
	while (str_next_token(&rest, ',', &tok)) {
		char name[256];
		tok = str_trim(tok);
		if (tok.n == 0)
			continue;
		str_cpy(name, sizeof name, tok);
		S.cols = xrealloc(S.cols, (S.ng + 1) * sizeof *S.cols);
		S.cols[S.ng++] = stream_need(&P.in, name);
	}
}

/* The group of row R, created when new. */
static struct group *
group_of(const struct record *r)
{
	char key[4096];
	size_t n = 0;

	for (size_t i = 0; i < S.ng; i++) {
		struct str v = r->f[S.cols[i]];
		uint32_t len = (uint32_t)v.n;
		if (n + sizeof len + v.n > sizeof key)
			break;		/* an over-long key: its prefix groups */
		memcpy(key + n, &len, sizeof len);
		memcpy(key + n + sizeof len, v.p, v.n);
		n += sizeof len + v.n;
	}
	bool isnew;
	size_t *gi = map_put(&S.index, (struct str){ key, n }, S.n, &isnew);
	if (!isnew)
		return &S.g[*gi];
	if (S.n == S.cap) {
		S.cap = S.cap ? S.cap * 2 : 64;
		S.g = xrealloc(S.g, S.cap * sizeof *S.g);
	}
	struct group *g = &S.g[S.n++];
	memset(g, 0, sizeof *g);
	g->first = S.nvals;
	for (size_t i = 0; i < S.ng; i++) {
		struct str v = r->f[S.cols[i]];
		if (S.nvals == S.capvals) {
			S.capvals = S.capvals ? S.capvals * 2 : 64;
			S.vals = xrealloc(S.vals, S.capvals * sizeof *S.vals);
		}
		S.vals[S.nvals++] = (struct str){ xmemdup(v.p, v.n), v.n };
	}
	return g;
}

static int
cmp_group(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	for (size_t i = 0; i < S.ng; i++) {
		int c = str_cmp(S.vals[x->first + i], S.vals[y->first + i]);
		if (c != 0)
			return c;
	}
	return 0;
}

/* The figures of a group, as the spec words them: mean with two decimals
 * (half up), csat_pct and nps with one (nps's halves away from zero). */
static void
write_group(struct csvout *w, const struct group *g)
{
	char buf[8][32];
	long long sat = g->count[4] + g->count[5];
	long long pro = g->count[9] + g->count[10], pas = g->count[7] + g->count[8];
	long long det = g->answers - pro - pas;

	for (size_t i = 0; i < S.ng; i++)
		csvout_str(w, S.vals[g->first + i]);
	csvout_int(w, g->answers);
	csvout_int(w, g->unanswered);
	if (g->answers == 0) {
		/* mean, then the counts, then an empty percentage */
		csvout_empty(w);
		if (P.scale == 5) {
			csvout_int(w, 0);
			csvout_empty(w);
		} else {
			csvout_int(w, 0);
			csvout_int(w, 0);
			csvout_int(w, 0);
			csvout_empty(w);
		}
		return;
	}
	/* fmt_money formats hundredths with two decimals. */
	csvout_known(w, buf[0], fmt_money(buf[0],
	    div_round_half_up(g->sum * 100, g->answers)));
	if (P.scale == 5) {
		csvout_int(w, sat);
		csvout_known(w, buf[1], fmt_tenths(buf[1], sat * 100, g->answers));
	} else {
		csvout_int(w, pro);
		csvout_int(w, pas);
		csvout_int(w, det);
		csvout_known(w, buf[2], fmt_tenths(buf[2], (pro - det) * 100,
		    g->answers));
	}
}

/* A score of the scale LO..HI: a whole number, not a count with
 * separators (4.5 is not 4); -1 when empty (not answered), -2 when
 * invalid. */
static long long
score_of(struct str v, long long lo, long long hi)
{
	long long score = -1;

	if (v.n > 0 && v.n <= 2) {
		score = 0;
		for (size_t i = 0; i < v.n && score >= 0; i++)
			score = v.p[i] >= '0' && v.p[i] <= '9' ?
			    score * 10 + (v.p[i] - '0') : -2;
	} else if (v.n > 2)
		score = -2;
	return score >= 0 && (score < lo || score > hi) ? -2 : score;
}

/* Every answer of the stream, summed up in its group. */
static void
sum_answers(void)
{
	struct record r;
	long long lo = P.scale == 5 ? 1 : 0, hi = P.scale;

	while (stream_next(&P.in, &r)) {
		struct row w;
		if (!row_start(&w, &P.app, &P.in, &r, ROW_STREAM))
			continue;
		long long score = score_of(row_value(&w, S.c_score), lo, hi);
		if (score == -2) {
			row_bad(&w, S.c_score, "invalid score",
			    "expected a whole number from %lld to %lld (--scale %d), "
			    "or empty when not answered", lo, hi, P.scale);
			continue;
		}
		struct group *g = group_of(&r);
		if (score < 0)
			g->unanswered++;
		else {
			g->answers++;
			g->sum += score;
			g->count[score]++;
		}
	}
}

/* The summary, the groups in order.  It is written even for an empty
 * stream (its header names the columns of --score then); one row for all
 * when no group columns were named. */
static void
write_scores(void)
{
	static const char *const csat[] = { "answers", "unanswered", "mean",
		"satisfied", "csat_pct", NULL };
	static const char *const nps[] = { "answers", "unanswered", "mean",
		"promoters", "passives", "detractors", "nps", NULL };

	if (S.n == 0 && S.ng == 0 && !stream_empty(&P.in))
		(void)group_of(&(struct record){ 0, NULL, 0, NULL });
	if (S.n > 0)	/* no groups (an empty stream): S.g is NULL */
		qsort(S.g, S.n, sizeof *S.g, cmp_group);
	if (stream_empty(&P.in)) {
		struct str rest = str_of(P.score_cols), tok;
		while (str_next_token(&rest, ',', &tok))
			if ((tok = str_trim(tok)).n > 0)
				csvout_str(P.app.out, tok);
		if (S.ng == 0 && str_trim(str_of(P.score_cols)).n == 0)
			(void)group_of(&(struct record){ 0, NULL, 0, NULL });
	}
	for (size_t i = 0; i < S.ng; i++)
		csvout_str(P.app.out, P.in.header.f[S.cols[i]]);
	for (const char *const *h = P.scale == 5 ? csat : nps; *h; h++)
		csvout_cstr(P.app.out, *h);
	csvout_endrow(P.app.out);
	for (size_t i = 0; i < S.n; i++) {
		write_group(P.app.out, &S.g[i]);
		csvout_endrow(P.app.out);
	}
}

static void
scores_free(void)
{
	for (size_t i = 0; i < S.nvals; i++)
		free((char *)S.vals[i].p);
	free(S.vals);
	free(S.g);
	free(S.cols);
	map_free(&S.index);
}

/* --score: the answers summed up per group, then written. */
static int
scores(int nfiles, char **files)
{
	map_init(&S.index, false);
	stream_open(&P.in, files, nfiles, P.app.opt.dialect, P.app.opt.map,
	    P.app.opt.nmap);
	if (!stream_empty(&P.in)) {
		score_columns();
		P.app.opt.dialect = P.in.dialect;
	}
	P.app.rej_header = P.in.header;
	sum_answers();
	app_open_output(&P.app);
	write_scores();
	stream_close(&P.in);
	scores_free();
	return app_finish(&P.app, 0);
}

static void
prog_free(void)
{
	template_line_free(&P.url);
	map_free(&P.exclude);
	map_free(&P.sent_ids);
	map_free(&P.last_sent);
	map_free(&P.invited);
	rowstore_free(&P.invites);
	ledger_close(P.ledger);
	common_free(&P.app.opt);
}

int
main(int argc, char **argv)
{
	int status;

	argv[0] = (char *)info.name;	/* getopt names the program so, too */
	prog_start(&info, &P.app.opt);
	map_init(&P.exclude, true);
	map_init(&P.sent_ids, false);
	map_init(&P.last_sent, true);
	map_init(&P.invited, true);
	options(argc, argv);
	if (P.commit_path)
		status = commit();
	else if (P.score_cols)
		status = scores(argc - optind, argv + optind);
	else
		status = invitations(argc - optind, argv + optind);
	prog_free();
	return status;
}
