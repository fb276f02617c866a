#!/bin/sh
# nightly.sh — the back office's nightly job of the dealer union.
#
#   nightly.sh [-a AS_OF] [-d DATADIR] [-o OUTDIR] [-s STATEDIR]
#
# Without -a the night is today's, in Europe/Vilnius (what cron runs);
# -a 'YYYY-MM-DD' or -a 'YYYY-MM-DD HH:MM' replays a given night.
# Writes every result into OUTDIR/YYYY-MM-DD/ (the as-of date):
#   reminders.csv         tonight's maintenance and recall reminders
#                         (svc-remind: each reminder once, see the ledger)
#   reminders-to-send.csv those for the customers (not the unknown ones)
#   reminders-messages.csv  notify's report: one row per message sent to a
#                         customer (e-mail, else SMS), in their language
#   reminders-sms.csv     the SMS, for the gateway
#   reminders-sent.csv    the reminders delivered, recorded in the ledger
#   reminders-excel.csv   the same for the branch that works in Excel
#                         (its own export; written Excel-safe, CRLF)
#   worklist.csv          the morning worklist of inquiries (breached, at
#                         risk), deadlines in the union's opening hours
#   offers.csv            warranties ending within 30 days: extended-warranty offers
#   claims.csv            warranty verdicts of the day's claims
#   claims-sla.csv        those claims as urgent inquiries, with deadlines
#   renewals.csv          insurance, inspections, loans... ending soon, each
#                         stage (60, 30, 7 days) once; renewals-messages.csv,
#                         renewals-sms.csv, renewals-sent.csv as for reminders
#   invitations.csv       satisfaction surveys to send after yesterday's
#                         visits; invitations-messages.csv, -sms.csv, -sent.csv
#   on-duty.csv           the duty dealer of each region tomorrow at noon
#   audit.csv             yesterday's dispatch calls checked against the roster
#   uncovered.csv         yesterday's calls served without roadside-assistance cover
#   rejected-*.csv        rows a program could not read
#   errors.log            what the programs said on standard error
# A second run for the same night (a rerun after a failure, or by hand)
# writes into OUTDIR/YYYY-MM-DD.2/ (then .3, ...): the night's earlier
# results, which the ledgers now hide, are never overwritten.
#
# The customers' messages: e-mails are piped to the shell command
# $SENDMAIL (default /usr/sbin/sendmail) with `-t -oi`; SMS go to the
# *-sms.csv files for the SMS gateway.  A ledger records a reminder, a
# renewal stage or an invitation only when its message was delivered: one
# that failed (a mail system that refused it, see errors.log) is sent again
# the next night.  samples/sendmail is a stand-in that delivers into an
# mbox instead (the demo's).
#
# Exit status, for cron's `|| mail`: 0 nothing needs a person; 3 something
# does (overdue reminders, breached inquiries, unclassified claims, a
# contract at its last stage, a region without a duty dealer, a wrong
# referral, a call served without cover); 1 some rows were rejected, or
# some messages were not delivered (they are sent again the next night);
# 2 a step failed, or the previous run still holds the lock (named, with
# its start, on standard error).
#
# crontab(5) line, as the back-office user (cron's PATH is enough: the
# script finds the programs itself):
#   30 5 * * * /srv/aftersales/samples/nightly.sh -o /srv/aftersales/out || mail -s "aftersales: look" office@example.lt </dev/null
set -u

here=$(cd "$(dirname "$0")" && pwd)
# cron runs with PATH=/usr/bin:/bin: the programs of this checkout, or of
# `make install` (/usr/local/bin), come first.
PATH=$here/../bin:/usr/local/bin:/usr/bin:/bin:$PATH
export PATH
data=$here
out=./nightly-out
state=
as_of=
tz=Europe/Vilnius
# The sender of the customers' e-mails, and how they are sent: each message
# piped to the shell command, bounded so that a hung mail system fails that
# message (sent again the next night) instead of holding the night's lock.
from='Baltic Auto Service Union <service@example.lt>'
sendmail="timeout 120 ${SENDMAIL:-/usr/sbin/sendmail} -t -oi"
while getopts a:d:o:s: opt; do
	case $opt in
	a) as_of=$OPTARG ;;
	d) data=$OPTARG ;;
	o) out=$OPTARG ;;
	s) state=$OPTARG ;;
	*) echo "usage: nightly.sh [-a AS_OF] [-d DATADIR] [-o OUTDIR] [-s STATEDIR]" >&2; exit 2 ;;
	esac
done
[ -n "$as_of" ] || as_of=$(TZ=$tz date +%Y-%m-%d)
[ -n "$state" ] || state=$out/state
day=$(date -d "$as_of" +%Y-%m-%d) || { echo "nightly.sh: -a: not a date: $as_of" >&2; exit 2; }
tomorrow=$(date -d "$day + 1 day" +%Y-%m-%d)
yesterday=$(date -d "$day - 1 day" +%Y-%m-%d)
mkdir -p "$out" "$state" || exit 2

# Never twice at once.  A run that finds the previous one still going
# fails loudly (cron mails): a hung run must not silence every later night.
lock=$state/nightly.lock
exec 9>>"$lock"
if ! flock -n 9; then
	echo "nightly.sh: the previous run still holds $lock ($(cat "$lock" 2>/dev/null || echo 'no details')); not starting" >&2
	exit 2
fi
printf 'pid %s, started %s\n' "$$" "$(date '+%Y-%m-%d %H:%M:%S %Z')" >"$lock"

# The night's folder; a rerun writes beside the first run's results.
dir=$out/$day
n=1
while [ -e "$dir" ]; do
	n=$((n + 1))
	dir=$out/$day.$n
done
[ "$n" = 1 ] || echo "nightly.sh: $out/$day exists (an earlier run of this night): writing into $dir" >&2
mkdir -p "$dir" || exit 2

worst=0
# step NAME CMD...: run a step, keep the worst status (2 beats 3 beats 1).
step() {
	name=$1
	shift
	"$@" 2>>"$dir/errors.log"
	st=$?
	case $st in
	0) ;;
	1) [ "$worst" = 0 ] && worst=1 ;;
	3) [ "$worst" != 2 ] && worst=3 ;;
	*) echo "nightly.sh: $name failed (exit $st), see $dir/errors.log" >&2; worst=2 ;;
	esac
}

# send KIND TEMPLATES TO SMS FILE: the step KIND-send: the rows of FILE to
# the customers, one message per customer (the e-mail address of column
# TO, else the phone of column SMS), in the language of the column
# language (lt for a row without one), with the templates of
# DATADIR/templates/TEMPLATES; writes KIND-messages.csv (the report),
# KIND-sms.csv and KIND-sent.csv (the rows delivered).
send() {
	step "$1-send" notify --as-of "$as_of" --tz "$tz" \
		--templates "$data/templates/$2" --to "$3" --sms "$4" \
		--name customer --lang-column language --lang lt \
		--from "$from" --sendmail "$sendmail" --sms-out "$dir/$1-sms.csv" \
		--sent "$dir/$1-sent.csv" --rejects "$dir/rejected-$1.csv" \
		-o "$dir/$1-messages.csv" "$5"
}

# due_rows FILE OUT: svc-remind's reminders of FILE without its unknown rows (a
# vehicle whose odometer says nothing): those need a person of the office,
# not a message to the customer, and since the ledger never hides them the
# customer would get one every night.  Fields may be quoted, with commas
# and line breaks.
due_rows() {
	awk '
	function fields(rec, f,    n, i, c, q, v) {
		n = 0; v = ""; q = 0
		for (i = 1; i <= length(rec); i++) {
			c = substr(rec, i, 1)
			if (q) {
				if (c == "\"" && substr(rec, i + 1, 1) == "\"") { v = v c; i++ }
				else if (c == "\"") q = 0
				else v = v c
			} else if (c == "\"") q = 1
			else if (c == ",") { f[++n] = v; v = "" }
			else v = v c
		}
		f[++n] = v
		return n
	}
	{
		rec = $0
		while (gsub(/"/, "\"", rec) % 2 && (getline line) > 0) rec = rec "\n" line
		n = fields(rec, f)
	}
	NR == 1 { for (i = 1; i <= n; i++) if (f[i] == "status") col = i; print rec; next }
	!col || f[col] != "unknown" { print rec }' "$1" >"$2"
}

# Maintenance and recalls, reminded once per due date: svc-remind writes
# tonight's reminders without recording them (--dry-run), notify sends
# them, and --commit records in the ledger only the reminders delivered.
step reminders svc-remind --as-of "$as_of" --tz "$tz" --alert --dry-run \
	-s "$data/svc-schedule.csv" --campaigns "$data/svc-campaigns.csv" \
	--ledger "$state/ledger.csv" --rejects "$dir/rejected-history.csv" \
	-o "$dir/reminders.csv" "$data/svc-history.csv"
# (-o is written whole or not at all: no file, nothing to send.)
if [ -f "$dir/reminders.csv" ]; then
	due_rows "$dir/reminders.csv" "$dir/reminders-to-send.csv"
	send reminders maintenance email phone "$dir/reminders-to-send.csv"
	# notify writes --sent only when it sent every message it could (exit
	# 0 or 1): after a failed run nothing is recorded, and every reminder
	# comes again the next night (a reminder twice, never none).
	[ -f "$dir/reminders-sent.csv" ] &&
		step reminders-commit svc-remind --as-of "$as_of" --tz "$tz" \
			--ledger "$state/ledger.csv" --commit "$dir/reminders-sent.csv"
fi
# The Klaipėda branch exports from Excel (';', BOM, DD.MM.YYYY, its own
# column names) and opens the result in Excel again: its staff call their
# customers themselves (the export has neither e-mail addresses nor
# languages).  Handing the file to the branch is the delivery, so this step
# records its reminders in the same ledger as it writes them; they are
# not sent.
step reminders-excel svc-remind --as-of "$as_of" --tz "$tz" --alert \
	-d ';' --date-format '%d.%m.%Y' --excel-safe --crlf \
	--map vin=VIN --map date=Data --map km=Rida --map services=Darbai \
	--map plan=Planas -s "$data/svc-schedule.csv" \
	--ledger "$state/ledger.csv" -o "$dir/reminders-excel.csv" \
	"$data/svc-history-excel.csv"

# The morning worklist of inquiries: business-hour deadlines count the
# union's opening hours and holidays; institutional clients (emergency
# services, government) are promised more; the clock stops while the
# dealer waits on the customer or on parts.
hours='Mon-Fri 08:00-18:00; Sat 09:00-14:00'
step worklist complaint-sla --as-of "$as_of" --tz "$tz" --alert \
	-p "$data/sla-policy-classes.csv" --hours "$hours" \
	--holidays "$data/holidays.csv" --pauses "$data/pauses.csv" \
	--only breached,at_risk -o "$dir/worklist.csv" "$data/tickets.csv"

# Extended-warranty offers: coverage that ends within 30 days.
step offers warranty-check --as-of "$as_of" --tz "$tz" \
	-T "$data/warranty-terms.csv" --expiring 30 -o "$dir/offers.csv" \
	"$data/warranty-contracts.csv"

# The day's warranty claims, and the same claims as urgent inquiries.
step claims warranty-check --as-of "$as_of" --tz "$tz" --alert \
	-w "$data/warranty-contracts.csv" -T "$data/warranty-terms.csv" \
	-c "$data/warranty-components.csv" -o "$dir/claims.csv" \
	"$data/warranty-claims.csv"
step claims-sla complaint-sla --as-of "$as_of" --tz "$tz" --map id=claim_id \
	-o "$dir/claims-sla.csv" "$dir/claims.csv"

# Contracts ending soon (insurance, inspections, loans, leases, roadside,
# packages): each stage once, never a renewed one; a week after the end too.
# Sent and recorded as the reminders are.
step renewals contract-remind --as-of "$as_of" --tz "$tz" --alert --dry-run \
	--overdue 7 --ledger "$state/renewals-ledger.csv" \
	-o "$dir/renewals.csv" "$data/contracts.csv"
if [ -f "$dir/renewals.csv" ]; then
	send renewals renewal email phone "$dir/renewals.csv"
	[ -f "$dir/renewals-sent.csv" ] &&
		step renewals-commit contract-remind --as-of "$as_of" --tz "$tz" \
			--ledger "$state/renewals-ledger.csv" --commit "$dir/renewals-sent.csv"
fi

# Satisfaction surveys after the visits of the last two weeks, each
# customer at most once a quarter.  The repair orders have one contact
# column, an e-mail address or a phone number.
step surveys survey-invite --as-of "$as_of" --tz "$tz" --dry-run \
	--ledger "$state/surveys-ledger.csv" \
	--url 'https://survey.example.lt/s?ro={id}&lang={language}' \
	-o "$dir/invitations.csv" "$data/repair-orders.csv"
if [ -f "$dir/invitations.csv" ]; then
	send invitations survey contact contact "$dir/invitations.csv"
	[ -f "$dir/invitations-sent.csv" ] &&
		step surveys-commit survey-invite --as-of "$as_of" --tz "$tz" \
			--ledger "$state/surveys-ledger.csv" --commit "$dir/invitations-sent.csv"
fi

# Who is on duty in each region tomorrow at noon.
step on-duty duty-roster who --as-of "$tomorrow 12:00" --tz "$tz" \
	-o "$dir/on-duty.csv" "$data/roster.csv"

# Yesterday's calls of the dispatch line against the roster.
step audit duty-roster audit --as-of "$as_of" --tz "$tz" \
	-r "$data/roster.csv" --since "$yesterday" --until "$day" \
	-o "$dir/audit.csv" "$data/calls.csv"

# Yesterday's calls served without roadside-assistance cover: the month's
# log in (earlier calls count toward the year's calls), yesterday's out.
step assist assist-check --as-of "$as_of" --tz "$tz" --alert \
	-S "$data/assist-subscriptions.csv" -P "$data/assist-plans.csv" \
	--since "$yesterday" --until "$day" \
	--only no_subscription,unknown,void,not_started,expired,waiting,wrong_vehicle,not_covered,over_limit \
	-o "$dir/uncovered.csv" "$data/calls.csv"

[ -s "$dir/errors.log" ] || rm -f "$dir/errors.log"
exit "$worst"
