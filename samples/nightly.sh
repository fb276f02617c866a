#!/bin/sh
# nightly.sh — the back office's nightly job of the dealer union.
#
#   nightly.sh [-a AS_OF] [-d DATADIR] [-o OUTDIR] [-s STATEDIR]
#
# Writes every result into OUTDIR/YYYY-MM-DD/ (the as-of date):
#   reminders.csv         maintenance and recall reminders for the mail merge
#                         (svc-remind with the ledger: each reminder once)
#   reminders-excel.csv   the same for the branch that exports from Excel
#   worklist.csv          the morning worklist of inquiries (breached, at risk)
#   offers.csv            warranties ending within 30 days: extended-warranty offers
#   claims.csv            warranty verdicts of the day's claims
#   claims-sla.csv        those claims as urgent inquiries, with deadlines
#   on-duty.csv           the duty dealer of each region tomorrow at noon
#   audit.csv             yesterday's dispatch calls checked against the roster
#   rejected-*.csv        rows a program could not read
#
# Exit status: 0 nothing needs a person; 3 something does (overdue
# reminders, breached inquiries, unclassified claims, a region without a
# duty dealer, a wrong referral); 1 some rows were rejected; 2 a step failed.
# A second run while one is going on exits 0 at once (flock).
#
# crontab(5) line, as the back-office user:
#   30 5 * * * /srv/aftersales/samples/nightly.sh -o /srv/aftersales/out || mail -s "aftersales: look" office@example.lt </dev/null
set -u

here=$(cd "$(dirname "$0")" && pwd)
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
day=$(date -d "$as_of" +%Y-%m-%d) || exit 2
tomorrow=$(date -d "$day + 1 day" +%Y-%m-%d)
yesterday=$(date -d "$day - 1 day" +%Y-%m-%d)
dir=$out/$day
mkdir -p "$dir" "$state" || exit 2

# Never twice at once: the second run leaves the first alone.
exec 9>"$state/nightly.lock"
if ! flock -n 9; then
	echo "nightly.sh: already running" >&2
	exit 0
fi

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
common="--as-of $as_of --tz $tz"

# Maintenance and recalls, reminded once per due date (the ledger).
# shellcheck disable=SC2086
step reminders svc-remind $common --alert -s "$data/svc-schedule.csv" \
	--campaigns "$data/svc-campaigns.csv" --ledger "$state/ledger.csv" \
	--rejects "$dir/rejected-history.csv" -o "$dir/reminders.csv" \
	"$data/svc-history.csv"
# The Klaipėda branch exports from Excel: ';', BOM, DD.MM.YYYY, own names.
# shellcheck disable=SC2086
step reminders-excel svc-remind $common --alert -d ';' --date-format '%d.%m.%Y' \
	--map vin=VIN --map date=Data --map km=Rida --map services=Darbai \
	--map plan=Planas -s "$data/svc-schedule.csv" \
	--ledger "$state/ledger.csv" -o "$dir/reminders-excel.csv" \
	"$data/svc-history-excel.csv"

# The morning worklist of inquiries.
# shellcheck disable=SC2086
step worklist complaint-sla $common --alert -p "$data/sla-policy.csv" \
	--holidays "$data/holidays.csv" --only breached,at_risk \
	-o "$dir/worklist.csv" "$data/tickets.csv"

# Extended-warranty offers: coverage that ends within 30 days.
# shellcheck disable=SC2086
step offers warranty-check $common -T "$data/warranty-terms.csv" \
	--expiring 30 -o "$dir/offers.csv" "$data/warranty-contracts.csv"

# The day's warranty claims, and the same claims as urgent inquiries.
# shellcheck disable=SC2086
step claims warranty-check $common --alert -w "$data/warranty-contracts.csv" \
	-T "$data/warranty-terms.csv" -c "$data/warranty-components.csv" \
	-o "$dir/claims.csv" "$data/warranty-claims.csv"
# shellcheck disable=SC2086
step claims-sla complaint-sla $common --map id=claim_id \
	-o "$dir/claims-sla.csv" "$dir/claims.csv"

# Who is on duty in each region tomorrow at noon.
# shellcheck disable=SC2086
step on-duty duty-roster who --as-of "$tomorrow 12:00" --tz $tz \
	-o "$dir/on-duty.csv" "$data/roster.csv"

# Yesterday's calls of the dispatch line against the roster.
awk -F, -v d="$yesterday" '
	NR == 1 { for (i = 1; i <= NF; i++) if ($i == "time") t = i; print; next }
	t && index($t, d) == 1' "$data/calls.csv" >"$dir/calls-yesterday.csv"
# shellcheck disable=SC2086
step audit duty-roster audit $common -r "$data/roster.csv" \
	-o "$dir/audit.csv" "$dir/calls-yesterday.csv"

[ -s "$dir/errors.log" ] || rm -f "$dir/errors.log"
exit "$worst"
