#!/bin/sh
# bench/profile.sh — where each program's time goes, on the inputs of
# `make bench` (run that first: it builds and generates them).
#
#   sh bench/profile.sh [PROGRAM...]    default: every program built
#
# With perf (software clock `cpu-clock`, which works in VMs without hardware
# counters): a flat profile, the top symbols of each run.  Without a usable
# perf: valgrind --tool=callgrind on the first BENCH_PROFILE_ROWS rows
# (default 100000), instruction counts by function; BENCH_PROFILER=callgrind
# chooses it.  Output in
# bench/data/profile-PROGRAM.txt and on stdout.
set -u
cd "$(dirname "$0")/.." || exit 2
D=${BENCH_DATA:-bench/data}
ROWS=${BENCH_PROFILE_ROWS:-100000}
TOP=${BENCH_PROFILE_TOP:-25}
ZONE=Europe/Vilnius
TMP=$(mktemp -d "${TMPDIR:-/tmp}/profile.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT

[ -s "$D/tickets-1000000.csv" ] || { echo "profile: run make bench first (no data in $D)" >&2; exit 2; }

USE_PERF=0
if [ "${BENCH_PROFILER:-}" = callgrind ]; then
	:
elif command -v perf > /dev/null 2>&1 &&
    perf record -q -e cpu-clock -o "$TMP/probe.data" true > /dev/null 2>&1; then
	USE_PERF=1
elif ! command -v valgrind > /dev/null 2>&1; then
	echo "profile: neither a working perf nor valgrind" >&2
	exit 2
fi

# the first N records of FILE (the generator writes the same first rows for any N)
head_of() {	# KIND FILE -> path
	case $2 in
	*-1000000.csv) f=${2%-1000000.csv}-$ROWS.csv ;;
	*) echo "$2"; return ;;
	esac
	[ -s "$f" ] || build/bench/gen "$1" "$ROWS" "$f" || exit 2
	echo "$f"
}

prof() {	# NAME KIND INPUT COMMAND... (INPUT is appended)
	name=$1 kind=$2 in=$3
	shift 3
	out=$D/profile-$name.txt
	if [ "$USE_PERF" = 1 ]; then
		perf record -q -e cpu-clock -F 2000 -o "$TMP/$name.data" "$@" "$in" \
		    > /dev/null 2> "$TMP/$name.err"
		{
			echo "# $name: perf record -e cpu-clock, $(basename "$in")"
			echo "## by object (JIT: PCRE2's compiled patterns)"
			perf report -i "$TMP/$name.data" --no-children --stdio --sort dso \
			    2> /dev/null | grep -v '^#' | grep '%' | sed 's/\[JIT\] tid [0-9]*/[JIT]/' |
			    awk '{ s[$2] += $1 } END { for (k in s) printf "%8.2f%%  %s\n", s[k], k }' |
			    sort -rn | head -n 8
			echo "## by symbol"
			perf report -i "$TMP/$name.data" --no-children --stdio \
			    --sort dso,symbol 2> /dev/null | grep -v '^#' | grep '%' |
			    grep -v '\[JIT\]' | sed 's/[[:space:]-]*$//' | head -n "$TOP"
		} > "$out"
	else
		in=$(head_of "$kind" "$in")
		valgrind --tool=callgrind --callgrind-out-file="$TMP/$name.cg" "$@" "$in" \
		    > /dev/null 2> "$TMP/$name.err"
		{
			echo "# $name: callgrind, $(basename "$in") (instructions)"
			callgrind_annotate --inclusive=no "$TMP/$name.cg" 2> /dev/null |
			    grep -E '^ *[0-9,]+ ' | head -n "$TOP"
		} > "$out"
	fi
	cat "$out"
	echo
}

want() {
	[ "$1" = parse-only ] && return 0
	[ -x "bin/$1" ] || { echo "profile: bin/$1 missing: skipped" >&2; return 1; }
}
sel=${*:-complaint-sla svc-remind warranty-check duty-roster}
for p in $sel; do
	want "$p" || continue
	case $p in
	complaint-sla)
		prof complaint-sla tickets "$D/tickets-1000000.csv" bin/complaint-sla \
		    -p "$D/policy.csv" --tz $ZONE --as-of 2026-12-01 ;;
	svc-remind)
		prof svc-remind history "$D/history-1000000.csv" bin/svc-remind \
		    -s "$D/schedule.csv" --tz $ZONE --as-of 2026-11-20 ;;
	warranty-check)
		prof warranty-check claims "$D/claims-1000000.csv" bin/warranty-check \
		    -w "$D/contracts-300000.csv" -T "$D/terms.csv" -c "$D/components.csv" \
		    --tz $ZONE --as-of 2026-11-20 ;;
	duty-roster)
		[ -s "$D/calls-1000000.csv" ] &&
		    prof duty-roster-audit calls "$D/calls-1000000.csv" bin/duty-roster audit \
			-r "$D/roster.csv" --tz $ZONE
		prof duty-roster-plan members "$D/members-1000.csv" bin/duty-roster plan \
		    --from 2026-01-01 --to 2026-12-31 --shifts 2 --tz $ZONE ;;
	parse-only)
		prof parse-only tickets "$D/tickets-1000000.csv" build/bench/parse-only ;;
	esac
done
