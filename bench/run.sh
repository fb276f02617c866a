#!/bin/sh
# bench/run.sh — `make bench`: speed and peak memory of every program on
# large generated inputs, against two references: bench/parse-only (libcsv,
# counts fields: the floor of any CSV-reading program) on the same file, and
# the same computation as a Miller script (bench/mlr/*.mlr) where one can be
# written.  For scale, also the passthrough floor: tests/tools/csvecho reads
# and writes the file back through common/ as every program does.
# Not part of `make check`; see docs/PERFORMANCE.md.
#
# Variables (environment, or `make bench VAR=...`):
#   BENCH_RUNS=3          runs of each measurement; the median is reported
#   BENCH_MLR_RUNS=1      runs of each Miller measurement
#   BENCH_MLR_ROWS=50000  Miller runs on the first N rows of the same file
#                         (it is 50-500x slower; its throughput is linear in
#                         the rows) and is compared by throughput, MB/s;
#                         0 = the whole file
#   BENCH_CLOCK=cpu       the clock of the ratios and targets: cpu (user +
#                         system seconds: stable when other jobs share the
#                         machine) or wall
#   BENCH_ONLY=WORD       only the measurements whose name contains WORD
#   BENCH_DATA=bench/data where the inputs are generated (once; again when
#                         bench/gen.c changes)
# A program whose source or binary is missing (or does not build) is skipped
# with a note, and its targets say SKIP.  Exit status: 0, or 1 if a target
# FAILs.
set -u
cd "$(dirname "$0")/.." || exit 2

RUNS=${BENCH_RUNS:-3}
MLR_RUNS=${BENCH_MLR_RUNS:-1}
MLR_ROWS=${BENCH_MLR_ROWS:-50000}
ONLY=${BENCH_ONLY:-}
CLOCK=${BENCH_CLOCK:-cpu}
case $CLOCK in cpu|wall) ;; *) echo "bench: BENCH_CLOCK is cpu or wall" >&2; exit 2 ;; esac
D=${BENCH_DATA:-bench/data}
CC=${CC:-cc}
ZONE=Europe/Vilnius
B=build/bench
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
RES=$TMP/results
: > "$RES"
NOTES=$TMP/notes
: > "$NOTES"
: > "$TMP/failed"

note() {
	echo "bench: $*" >&2
	echo "$*" >> "$NOTES"
}

# ---- tools -------------------------------------------------------------
need_pkg() {	# COMMAND PACKAGE
	command -v "$1" > /dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null 2>&1; then
		echo "bench: installing $2" >&2
		{ apt-get install -y -q "$2" || { apt-get update -q && apt-get install -y -q "$2"; }; } \
		    > "$TMP/apt.log" 2>&1
	fi
	command -v "$1" > /dev/null 2>&1
}
HAVE_MLR=1
need_pkg mlr miller || { HAVE_MLR=0; note "mlr (package miller) missing: Miller references skipped"; }

# ---- build -------------------------------------------------------------
mkdir -p "$B" "$D" || exit 2
build_tool() {	# NAME LIBS
	if [ ! -x "$B/$1" ] || [ "bench/$1.c" -nt "$B/$1" ]; then
		$CC -std=c11 -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -o "$B/$1" "bench/$1.c" $2 ||
		    { echo "bench: cannot build bench/$1.c" >&2; exit 2; }
	fi
}
build_tool gen ""
build_tool timeit ""		# getrusage of the child: what /usr/bin/time -f gives, in microseconds
build_tool parse-only "${CSV_LIBS:--lcsv}"

for p in complaint-sla svc-remind warranty-check duty-roster contract-remind survey-invite notify assist-check; do
	if [ ! -f "cmd/$p.c" ] && [ ! -d "cmd/$p" ]; then	# one file, or a folder of commands
		[ -x "bin/$p" ] || note "$p: cmd/$p.c not written yet: skipped"
		[ -x "bin/$p" ] && note "$p: cmd/$p.c missing, measuring the existing bin/$p"
		continue
	fi
	if ! make -s "bin/$p" > "$TMP/make-$p.log" 2>&1; then
		if [ -x "bin/$p" ]; then
			note "$p: does not build now (see make bin/$p): measuring the previous bin/$p"
		else
			note "$p: does not build (see make bin/$p): skipped"
		fi
	fi
done
have() { [ -x "bin/$1" ]; }
# The passthrough floor: tests/tools/csvecho reads the stream as every program
# does (common/csvin, stream) and writes it back (csvout), computing nothing.
ECHO=build/tools/csvecho
if [ -f tests/tools/csvecho.c ]; then
	make -s "$ECHO" > "$TMP/make-csvecho.log" 2>&1 || note "csvecho does not build: passthrough floor skipped"
fi
echo_floor() {	# KEY ROWS FILE
	[ -x "$ECHO" ] && measure "$1" "$2" "$3" "$RUNS" $ECHO "$3"
}

# ---- data --------------------------------------------------------------
# gen KIND N FILE [ROSTER]: generated once, again when bench/gen.c changes.
gen() {
	if [ ! -s "$3" ] || [ bench/gen.c -nt "$3" ] || { [ $# -gt 3 ] && [ "$4" -nt "$3" ]; }; then
		echo "bench: generating $3" >&2
		"$B/gen" "$@" && return 0
		rm -f "$3"
		echo "bench: cannot generate $3" >&2
		exit 2
	fi
}
gen tickets 1000000 "$D/tickets-1000000.csv"
gen tickets 4000000 "$D/tickets-4000000.csv"
gen pauses 200000 "$D/pauses-200000.csv" "$D/tickets-1000000.csv"
gen policy 0 "$D/policy.csv"
gen history 1000000 "$D/history-1000000.csv"
gen schedule 0 "$D/schedule.csv"
gen contracts 300000 "$D/contracts-300000.csv"
gen terms 0 "$D/terms.csv"
gen components 0 "$D/components.csv"
gen claims 1000000 "$D/claims-1000000.csv"
gen members 1000 "$D/members-1000.csv"
gen renewals 1000000 "$D/renewals-1000000.csv"
gen events 1000000 "$D/events-1000000.csv"
gen reminders 1000000 "$D/reminders-1000000.csv"
gen assist-plans 0 "$D/assist-plans.csv"
gen subscriptions 200000 "$D/subscriptions-200000.csv"
gen assist-calls 1000000 "$D/assist-calls-1000000.csv" "$D/subscriptions-200000.csv"
gen assist-calls 250000 "$D/assist-calls-250000.csv" "$D/subscriptions-200000.csv"
# Miller runs on a prefix: the generator writes the same first rows for any N.
if [ "$MLR_ROWS" -gt 0 ] && [ "$MLR_ROWS" -lt 1000000 ]; then
	MT=$D/tickets-$MLR_ROWS.csv MC=$D/claims-$MLR_ROWS.csv
	gen tickets "$MLR_ROWS" "$MT"
	gen claims "$MLR_ROWS" "$MC"
	MROWS=$MLR_ROWS
else
	MT=$D/tickets-1000000.csv MC=$D/claims-1000000.csv MROWS=1000000
fi
# The audit's call log is made against a roster written by `duty-roster plan`.
PLAN="plan --from 2026-01-01 --to 2026-12-31 --shifts 2 --tz $ZONE"
if have duty-roster; then
	# (replaced only when plan writes another roster: the calls follow it)
	bin/duty-roster $PLAN "$D/members-1000.csv" > "$TMP/roster.csv" 2> "$TMP/roster.err"
	case $? in
	0|1|3)
		if ! cmp -s "$TMP/roster.csv" "$D/roster.csv"; then
			echo "bench: generating $D/roster.csv (duty-roster plan)" >&2
			mv "$TMP/roster.csv" "$D/roster.csv"
		fi ;;
	*) note "duty-roster plan failed: $(head -c 300 "$TMP/roster.err")" ;;
	esac
	[ -s "$D/roster.csv" ] && gen calls 1000000 "$D/calls-1000000.csv" "$D/roster.csv"
fi

# ---- measuring ---------------------------------------------------------
# measure KEY ROWS FILE RUNS COMMAND...: runs COMMAND (output to /dev/null)
# RUNS times under bench/timeit; records the medians of wall seconds, CPU
# seconds (user + system) and peak RSS.  Exit statuses 0, 1 and 3 are normal
# (1: rejected rows, 3: the alert); 2 or a signal is a failed measurement.
# With $base set to a key (parse:FILE), every run of COMMAND follows a run
# of parse-only on FILE recorded under that key: a program and its
# baseline see the same state of a shared machine, whose speed drifts by
# several percent over minutes; the baseline's median is over all the
# runs made beside its programs.
base=
measure() {
	key=$1 rows=$2 file=$3 runs=$4
	shift 4
	case $key in *"$ONLY"*) ;; *) return 0 ;; esac
	bytes=$(wc -c < "$file")
	cat "$file" > /dev/null		# the page cache: every run reads from memory
	[ -n "$base" ] && first "$base" "$rows" "$bytes"
	first "$key" "$rows" "$bytes"
	i=0
	printf 'bench: %-24s' "$key" >&2
	while [ "$i" -lt "$runs" ]; do
		if [ -n "$base" ]; then
			one "$base" "$P" "$file" || return 0
			printf ' (%s)' "$(awk '{ printf "%.2f", $2 + $3 }' "$TMP/one")" >&2
		fi
		one "$key" "$@" || return 0
		awk '{ printf " %.2f/%.2f", $1, $2 + $3 }' "$TMP/one" >&2	# wall/cpu
		i=$((i + 1))
	done
	echo >&2
	[ -f "$TMP/$key.err" ] && [ "$(wc -l < "$TMP/$key.err")" -gt 0 ] &&
	    note "$key: exit $st, $(wc -l < "$TMP/$key.err") lines on stderr, e.g. $(head -n 1 "$TMP/$key.err" | cut -c1-160)"
	return 0
}

# first KEY ROWS BYTES: a key's place in the table, once.
first() {
	[ -f "$TMP/$1.t" ] && return 0
	: > "$TMP/$1.t"
	echo "$1 $2 $3" >> "$TMP/order"
}

# one KEY COMMAND...: one timed run, appended to KEY's runs.
one() {
	k=$1
	shift
	"$B/timeit" "$TMP/one" "$@" 2> "$TMP/$k.err"
	st=$?
	case $st in
	0|1|3) tail -n 1 "$TMP/one" >> "$TMP/$k.t"; return 0 ;;
	esac
	echo " failed (exit $st)" >&2
	note "$k: exit status $st: $(head -c 300 "$TMP/$k.err" | tr '\n' ' ')"
	echo "$k $st" >> "$TMP/failed"
	return 1
}

# summarize: the medians of every key's runs, in the order first measured.
summarize() {
	[ -f "$TMP/order" ] || return 0
	while read -r key rows bytes; do
		[ -s "$TMP/$key.t" ] || continue
		awk -v key="$key" -v rows="$rows" -v bytes="$bytes" '
		    { w[NR] = $1; c[NR] = $2 + $3; m[NR] = $4 }
		    function med(a,   i, j, t) {
			for (i = 2; i <= NR; i++)
				for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
					t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
				}
			return a[int((NR + 1) / 2)]
		    }
		    END { printf "%s %s %s %s %s %s %s\n", key, rows, bytes, med(w), med(c), med(m), NR }' \
		    "$TMP/$key.t" >> "$RES"
	done < "$TMP/order"
}

# same KEY MLR-OUTPUT COMMAND...: is the Miller script's output the program's,
# byte for byte?  (Then the comparison is of the same computation.)
same() {
	key=$1 mout=$2
	shift 2
	[ -f "$mout" ] || return 0
	"$@" > "$TMP/prog.csv" 2> /dev/null
	if cmp -s "$mout" "$TMP/prog.csv"; then
		note "$key: output identical to the program's ($(($(wc -l < "$mout") - 1)) lines)"
	else
		note "$key: output DIFFERS from the program's: $(diff "$mout" "$TMP/prog.csv" | grep -c '^<') lines (the ratio compares different work)"
	fi
	rm -f "$mout" "$TMP/prog.csv"
}

echo "bench: $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg), $RUNS runs (Miller: $MLR_RUNS on $MROWS rows); per run: wall/cpu seconds" >&2
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

T1=$D/tickets-1000000.csv T4=$D/tickets-4000000.csv
H=$D/history-1000000.csv C=$D/claims-1000000.csv K=$D/calls-1000000.csv
P=$B/parse-only

base=parse:tickets-1M
echo_floor echo:tickets-1M 1000000 "$T1"
SLA="bin/complaint-sla -p $D/policy.csv --tz $ZONE --as-of 2026-12-01"
if have complaint-sla; then
	measure complaint-sla:1M 1000000 "$T1" "$RUNS" $SLA "$T1"
	# The same tickets, 200,000 pauses held in memory.
	measure complaint-sla:pauses 1000000 "$T1" "$RUNS" $SLA \
	    --pauses "$D/pauses-200000.csv" "$T1"
	base=parse:tickets-4M
	measure complaint-sla:4M 4000000 "$T4" "$RUNS" $SLA "$T4"
fi
base=
if [ "$HAVE_MLR" = 1 ]; then
	export TIMEIT_OUT="$TMP/mlr-sla.csv"	# timeit: the output to this file
	measure mlr:complaint-sla "$MROWS" "$MT" "$MLR_RUNS" \
	    mlr --icsv --ocsv --tz "$ZONE" \
	    put -s asof='2026-12-01 00:00:00' -f bench/mlr/complaint-sla.mlr "$MT"
	unset TIMEIT_OUT
	have complaint-sla && same mlr:complaint-sla "$TMP/mlr-sla.csv" $SLA "$MT"
fi

base=parse:history
echo_floor echo:history 1000000 "$H"
have svc-remind &&
    measure svc-remind 1000000 "$H" "$RUNS" bin/svc-remind -s "$D/schedule.csv" \
	--tz "$ZONE" --as-of 2026-11-20 "$H"

base=parse:claims
echo_floor echo:claims 1000000 "$C"
WC="bin/warranty-check -w $D/contracts-300000.csv -T $D/terms.csv -c $D/components.csv --tz $ZONE --as-of 2026-11-20"
have warranty-check && measure warranty-check 1000000 "$C" "$RUNS" $WC "$C"
base=
if [ "$HAVE_MLR" = 1 ]; then
	export TIMEIT_OUT="$TMP/mlr-wc.csv"
	measure mlr:warranty-check "$MROWS" "$MC" "$MLR_RUNS" \
	    mlr --icsv --ocsv cat -n -N _claim \
	    then join --ur -j vin -f "$D/contracts-300000.csv" \
	    then put -q -f bench/mlr/warranty-check.mlr "$MC"
	unset TIMEIT_OUT
	have warranty-check && same mlr:warranty-check "$TMP/mlr-wc.csv" $WC "$MC"
fi

if have duty-roster; then
	measure duty-roster:plan 1000 "$D/members-1000.csv" "$RUNS" bin/duty-roster $PLAN "$D/members-1000.csv"
	if [ -s "$K" ]; then
		base=parse:calls
		echo_floor echo:calls 1000000 "$K"
		measure duty-roster:audit 1000000 "$K" "$RUNS" bin/duty-roster audit \
		    -r "$D/roster.csv" --tz "$ZONE" "$K"
		base=
	fi
else
	note "duty-roster: no binary: plan and audit skipped"
fi

# contract-remind reads the stream whole (renewals need every contract of
# a vehicle): its memory grows with the contracts; the report gives it per
# contract.  The target is on the nightly list; --all (every contract
# written, every row kept) is measured beside it.
R=$D/renewals-1000000.csv
base=parse:renewals
echo_floor echo:renewals 1000000 "$R"
if have contract-remind; then
	measure contract-remind 1000000 "$R" "$RUNS" bin/contract-remind \
	    --tz "$ZONE" --as-of 2026-11-20 "$R"
	measure contract-remind:all 1000000 "$R" "$RUNS" bin/contract-remind \
	    --tz "$ZONE" --as-of 2026-11-20 --all "$R"
fi
base=
# assist-check: 1,000,000 calls against 200,000 subscriptions; its peak
# memory follows the subscriptions, not the calls (250,000 calls: the same).
AC="bin/assist-check -S $D/subscriptions-200000.csv -P $D/assist-plans.csv --tz $ZONE --as-of 2026-12-31"
if have assist-check; then
	A1=$D/assist-calls-1000000.csv
	base=parse:assist-calls
	echo_floor echo:assist-calls 1000000 "$A1"
	measure assist-check 1000000 "$A1" "$RUNS" $AC "$A1"
	base=
	measure assist-check:250k 250000 "$D/assist-calls-250000.csv" "$RUNS" $AC "$D/assist-calls-250000.csv"
fi

# survey-invite: the nightly run over three weeks of closed events, with a
# ledger of the invitations sent before (read, not changed: --dry-run).
E=$D/events-1000000.csv
base=parse:events
echo_floor echo:events 1000000 "$E"
if have survey-invite; then
	[ -s "$D/survey-ledger.csv" ] && [ ! "$E" -nt "$D/survey-ledger.csv" ] ||
	    bin/survey-invite --tz "$ZONE" --as-of '2026-11-13 06:00' \
		--ledger "$D/survey-ledger.csv" "$E" > /dev/null
	measure survey-invite 1000000 "$E" "$RUNS" bin/survey-invite --tz "$ZONE" \
	    --as-of '2026-11-20 06:00' --ledger "$D/survey-ledger.csv" --dry-run "$E"
fi
base=

# notify: a night of 1M reminders of 200,000 recipients (seven in ten by
# e-mail, into an mbox; the others by SMS), and the same with --sent, as
# the nightly job runs it (the rows written back: 216 MB more output).
RM=$D/reminders-1000000.csv
base=parse:reminders
echo_floor echo:reminders 1000000 "$RM"
NOTIFY="bin/notify --templates samples/templates/maintenance --to email --sms phone --name customer --from service@example.lt --as-of 2026-11-20 --tz $ZONE --mbox $TMP/notify.mbox --sms-out $TMP/notify-sms.csv"
if have notify; then
	measure notify 1000000 "$RM" "$RUNS" $NOTIFY "$RM"
	measure notify:sent 1000000 "$RM" "$RUNS" $NOTIFY --sent "$TMP/notify-sent.csv" "$RM"
	rm -f "$TMP/notify.mbox" "$TMP/notify-sms.csv" "$TMP/notify-sent.csv"
fi
base=

summarize

# ---- report ------------------------------------------------------------
# measurement -> its parse-only baseline and its Miller script
awk -v notes="$NOTES" -v failures="$TMP/failed" -v clock="$CLOCK" -v nruns="$RUNS" -v mruns="$MLR_RUNS" -v mrows="$MROWS" -v load0="$LOAD0" -v load1="$(cut -d' ' -f1-3 /proc/loadavg)" \
    -v nproc="$(nproc 2>/dev/null || echo '?')" \
    -v cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
    -v mem="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)" '
function mb(k) { return bytes[k] / 1e6 }
function t(k) { return clock == "cpu" ? cpus[k] : wall[k] }
function rate(k) { return t(k) > 0 ? mb(k) / t(k) : 0 }
function have(k) { return k in wall }
{ order[++n] = $1; rows[$1] = $2; bytes[$1] = $3; wall[$1] = $4; cpus[$1] = $5;
  rss[$1] = $6; runs[$1] = $7 }
END {
	while ((getline line < failures) > 0) {
		split(line, f, " ")
		failedk[f[1]] = f[2]
	}
	base["complaint-sla:1M"] = "parse:tickets-1M"; base["complaint-sla:4M"] = "parse:tickets-4M"
	base["complaint-sla:pauses"] = "parse:tickets-1M"
	base["svc-remind"] = "parse:history"; base["warranty-check"] = "parse:claims"
	base["duty-roster:audit"] = "parse:calls"; base["contract-remind"] = "parse:renewals"
	base["contract-remind:all"] = "parse:renewals"
	base["survey-invite"] = "parse:events"; base["echo:events"] = "parse:events"
	base["echo:renewals"] = "parse:renewals"; base["echo:reminders"] = "parse:reminders"
	base["notify"] = "parse:reminders"; base["notify:sent"] = "parse:reminders"
	base["assist-check"] = "parse:assist-calls"; base["echo:assist-calls"] = "parse:assist-calls"
	base["echo:tickets-1M"] = "parse:tickets-1M"; base["echo:history"] = "parse:history"
	base["echo:claims"] = "parse:claims"; base["echo:calls"] = "parse:calls"
	peer["complaint-sla:1M"] = "mlr:complaint-sla"; peer["complaint-sla:4M"] = "mlr:complaint-sla"
	peer["warranty-check"] = "mlr:warranty-check"

	printf "machine: %s CPUs, %s, %s; load average %s before, %s after\n\n", nproc, cpu, mem, load0, load1
	printf "%-20s %9s %7s %8s %8s %8s %9s %8s %12s\n", "program", "rows", "MB", "seconds",
	    "cpu s", "MB/s", "peak MiB", "x parse", "vs mlr"
	for (i = 1; i <= n; i++) {
		k = order[i]
		xp = "-"; xm = "-"
		if ((k in base) && have(base[k]))
			xp = sprintf("%.2f", t(k) / t(base[k]))
		if ((k in peer) && have(peer[k]) && rate(peer[k]) > 0)
			xm = sprintf("%.0fx faster", rate(k) / rate(peer[k]))
		printf "%-20s %9d %7.1f %8.3f %8.3f %8.1f %9.1f %8s %12s\n", k, rows[k], mb(k),
		    wall[k], cpus[k], rate(k), rss[k] / 1024, xp, xm
	}
	printf "\nseconds (wall), cpu s (user + system) and peak MiB (max RSS): medians of %d runs;\n", nruns
	printf "MB/s, x parse (program / parse-only on the same file) and vs mlr use the %s clock;\n", clock == "cpu" ? "cpu s" : "seconds"
	printf "echo:FILE is tests/tools/csvecho: the common reader and writer, passing the file through.\n"
	printf "Miller: %d run(s) on the first %d rows of the same file, compared by MB/s.\n\n",
	    mruns, mrows

	ratio("complaint-sla:1M", "parse:tickets-1M", 2.5, "complaint-sla <= 2.5x parse-only")
	ratio("complaint-sla:pauses", "parse:tickets-1M", 2.5, "complaint-sla --pauses (200,000) <= 2.5x parse-only")
	ratio("svc-remind", "parse:history", 3, "svc-remind <= 3x parse-only")
	ratio("warranty-check", "parse:claims", 3, "warranty-check <= 3x parse-only")
	ratio("contract-remind", "parse:renewals", 3, "contract-remind <= 3x parse-only")
	ratio("survey-invite", "parse:events", 2.5, "survey-invite <= 2.5x parse-only")
	ratio("notify", "parse:reminders", 5, "notify, 1M rows of 200,000 recipients to an mbox <= 5x parse-only")
	for (i = 1; i <= n; i++)
		if (order[i] ~ /^contract-remind/)
			printf "note: %s holds every contract: %.0f bytes of peak memory per contract (%.1f MiB for %d, the file %.1f MB)\n",
			    order[i], rss[order[i]] * 1024 / rows[order[i]], rss[order[i]] / 1024,
			    rows[order[i]], mb(order[i])
	ratio("assist-check", "parse:assist-calls", 2.5, "assist-check <= 2.5x parse-only")
	faster("complaint-sla:1M", "mlr:complaint-sla", "complaint-sla >= 10x faster than mlr")
	faster("warranty-check", "mlr:warranty-check", "warranty-check >= 10x faster than mlr")
	if (broke("complaint-sla:1M", "complaint-sla peak memory") || broke("complaint-sla:4M", "complaint-sla peak memory"))
		;
	else if (have("complaint-sla:1M") && have("complaint-sla:4M"))
		verdict(rss["complaint-sla:4M"] <= 1.10 * rss["complaint-sla:1M"],
		    sprintf("complaint-sla peak memory, 4M rows within 10%% of 1M: %.1f vs %.1f MiB (%+.1f%%)",
		    rss["complaint-sla:4M"] / 1024, rss["complaint-sla:1M"] / 1024,
		    100 * (rss["complaint-sla:4M"] / rss["complaint-sla:1M"] - 1)))
	else
		skip("complaint-sla peak memory, 4M rows within 10% of 1M")
	if (broke("assist-check", "assist-check peak memory") || broke("assist-check:250k", "assist-check peak memory"))
		;
	else if (have("assist-check") && have("assist-check:250k"))
		verdict(rss["assist-check"] <= 1.10 * rss["assist-check:250k"],
		    sprintf("assist-check peak memory, 1M calls within 10%% of 250k (200,000 subscriptions): %.1f vs %.1f MiB (%+.1f%%)",
		    rss["assist-check"] / 1024, rss["assist-check:250k"] / 1024,
		    100 * (rss["assist-check"] / rss["assist-check:250k"] - 1)))
	else
		skip("assist-check peak memory, 1M calls within 10% of 250k")
	if (broke("duty-roster:plan", "duty-roster plan < 1 s"))
		;
	else if (have("duty-roster:plan"))
		verdict(wall["duty-roster:plan"] < 1, sprintf("duty-roster plan, 1000 members, 50 regions, 365 days, 2 shifts < 1 s: %.3f s wall", wall["duty-roster:plan"]))
	else
		skip("duty-roster plan < 1 s")
	while ((getline line < notes) > 0)
		printf "note: %s\n", line
	exit failed
}
function broke(k, what) {
	if (!(k in failedk)) return 0
	verdict(0, sprintf("%s: %s failed (exit status %s)", what, k, failedk[k]))
	return 1
}
function ratio(k, b, max, what) {
	if (broke(k, what) || broke(b, what)) return
	if (!have(k) || !have(b)) { skip(what); return }
	verdict(t(k) <= max * t(b), sprintf("%s: %.3f s / %.3f s %s = %.2fx (%s: %.2fx)", what, t(k), t(b), clock,
	    t(k) / t(b), clock == "cpu" ? "wall" : "cpu", clock == "cpu" ? wall[k] / wall[b] : cpus[k] / cpus[b]))
}
function faster(k, m, what) {
	if (broke(k, what) || broke(m, what)) return
	if (!have(k) || !have(m)) { skip(what); return }
	verdict(rate(k) >= 10 * rate(m), sprintf("%s: %.1f MB/s vs %.2f MB/s %s = %.0fx (%s: %.0fx)", what, rate(k), rate(m), clock,
	    rate(k) / rate(m), clock == "cpu" ? "wall" : "cpu",
	    clock == "cpu" ? (mb(k) / wall[k]) / (mb(m) / wall[m]) : (mb(k) / cpus[k]) / (mb(m) / cpus[m])))
}
function verdict(ok, what) {
	printf "%s  %s\n", ok ? "PASS" : "FAIL", what
	if (!ok) failed = 1
}
function skip(what) { printf "SKIP  %s (not measured)\n", what }
' "$RES" | tee "$D/results.txt"
grep -q '^FAIL' "$D/results.txt" && exit 1
exit 0
