#!/bin/sh
# nightly.sh — the back office's nightly job of the dealer union.
#
#   nightly.sh [-a AS_OF] [-d DATADIR] [-o OUTDIR] [-s STATEDIR]
#
# Without -a the night is today's, in Europe/Vilnius (what cron runs);
# -a 'YYYY-MM-DD' or -a 'YYYY-MM-DD HH:MM' replays a given night.
# Writes every result into OUTDIR/YYYY-MM-DD/ (the as-of date):
#   reminders.csv         maintenance and recall reminders for the mail merge
#                         (svc-remind with the ledger: each reminder once)
#   reminders-excel.csv   the same for the branch that works in Excel
#                         (its own export; written Excel-safe, CRLF)
#   worklist.csv          the morning worklist of inquiries (breached, at
#                         risk), deadlines in the union's opening hours
#   offers.csv            warranties ending within 30 days: extended-warranty offers
#   claims.csv            warranty verdicts of the day's claims
#   claims-sla.csv        those claims as urgent inquiries, with deadlines
#   renewals.csv          insurance, inspections, loans... ending soon, each
#                         stage (60, 30, 7 days) once
#   invitations.csv       satisfaction surveys to send after yesterday's visits
#   on-duty.csv           the duty dealer of each region tomorrow at noon
#   audit.csv             yesterday's dispatch calls checked against the roster
#   uncovered.csv         yesterday's calls served without roadside-assistance cover
#   rejected-*.csv        rows a program could not read
#   errors.log            what the programs said on standard error
# A second run for the same night (a rerun after a failure, or by hand)
# writes into OUTDIR/YYYY-MM-DD.2/ (then .3, ...): the night's earlier
# results, which the ledgers now hide, are never overwritten.
#
# Exit status, for cron's `|| mail`: 0 nothing needs a person; 3 something
# does (overdue reminders, breached inquiries, unclassified claims, a
# contract at its last stage, a region without a duty dealer, a wrong
# referral, a call served without cover); 1 some rows were rejected; 2 a step failed, or the previous
# run still holds the lock (named, with its start, on standard error).
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

# Maintenance and recalls, reminded once per due date (the ledger).
step reminders svc-remind --as-of "$as_of" --tz "$tz" --alert \
	-s "$data/svc-schedule.csv" --campaigns "$data/svc-campaigns.csv" \
	--ledger "$state/ledger.csv" --rejects "$dir/rejected-history.csv" \
	-o "$dir/reminders.csv" "$data/svc-history.csv"
# The Klaipėda branch exports from Excel (';', BOM, DD.MM.YYYY, its own
# column names) and opens the result in Excel again.
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
step renewals contract-remind --as-of "$as_of" --tz "$tz" --alert \
	--overdue 7 --ledger "$state/renewals-ledger.csv" \
	-o "$dir/renewals.csv" "$data/contracts.csv"

# Satisfaction surveys after the visits of the last two weeks, each
# customer at most once a quarter.
step surveys survey-invite --as-of "$as_of" --tz "$tz" \
	--ledger "$state/surveys-ledger.csv" \
	--url 'https://survey.example.lt/s?ro={id}&lang={language}' \
	-o "$dir/invitations.csv" "$data/repair-orders.csv"

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
