# progs.sh — sourced by the fault tests (tests/cli/faults/*/cmd): every
# program of the suite, and csvecho, run on the samples.
#   run PROG ARGS...   PROG with the sample tables it needs and a fixed
#                      --as-of; ARGS are more options, then the operands
#   input PROG         the sample stream of PROG
#   big PROG N FILE    the sample stream with its data rows N times over,
#                      each copy with its own ids (vin, id, claim_id, call)
#   PROGS              the programs, csvecho first
#   EXEC=exec run ...  run replaces the (sub)shell: $! is the program
S=$SAMPLES
PROGS="csvecho svc-remind warranty-check complaint-sla duty-roster"
AS="--as-of 2026-11-20 --tz Europe/Vilnius"

run() {
	p=$1
	shift
	case $p in
	csvecho) $EXEC csvecho "$@" ;;
	svc-remind) $EXEC svc-remind $AS -s "$S/svc-schedule.csv" "$@" ;;
	warranty-check) $EXEC warranty-check $AS -w "$S/warranty-contracts.csv" \
		-T "$S/warranty-terms.csv" -c "$S/warranty-components.csv" "$@" ;;
	complaint-sla) $EXEC complaint-sla $AS -p "$S/sla-policy.csv" "$@" ;;
	duty-roster) $EXEC duty-roster audit $AS -r "$S/roster.csv" "$@" ;;
	esac
}

input() {
	case $1 in
	csvecho|svc-remind) echo "$S/svc-history.csv" ;;
	warranty-check) echo "$S/warranty-claims.csv" ;;
	complaint-sla) echo "$S/tickets.csv" ;;
	duty-roster) echo "$S/calls.csv" ;;
	esac
}

big() {
	awk -v n="$2" 'NR == 1 { print; next } { row[++k] = $0 }
	END { for (i = 0; i < n; i++) for (j = 1; j <= k; j++) {
		r = row[j]; if (i > 0) { c = index(r, ","); r = substr(r, 1, c - 1) i substr(r, c) }
		print r } }' "$(input "$1")" >"$3"
}
