#!/bin/sh
# Property of the spec: with one shift a day, equal weights, nobody
# unavailable and at least min-gap + 2 duty members in a region, the loads of
# any two members of a region differ by at most the largest day weight at
# the end of the roster.  Random unions from fixed seeds: 1 to 3 regions,
# min-gap 0 to 3, 1 to 120 days, day weights W = 1 <= SAT <= SUN <= HOL
# (with a weekday weight above the others the property can fail: see the
# man page), Lithuanian holidays or none, a finance member.
runs=${1:-200}
i=0 bad=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	eval "$(awk -v seed="$i" 'BEGIN {
		srand(seed)
		gap = int(rand() * 4)
		nreg = 1 + int(rand() * 3)
		print "member,name,region" > "m.csv"
		k = 0
		for (r = 1; r <= nreg; r++) {
			n = gap + 2 + int(rand() * 6)
			for (j = 0; j < n; j++) { k++; printf "M%03d,Member %d,r%d\n", k, k, r > "m.csv" }
		}
		# finance members do not count
		print "F1,Finance,,finance" > "m.csv"
		w[0] = 1; w[1] = w[0] + int(rand() * 8) / 8
		w[2] = w[1] + int(rand() * 10) / 10; w[3] = w[2] + int(rand() * 20) / 10
		max = 0; for (j = 0; j < 4; j++) if (w[j] > max) max = w[j]
		from = 1 + int(rand() * 300); days = 1 + int(rand() * 120)
		printf "gap=%d dw=%s,%s,%s,%s max=%d from=%d days=%d hol=%d\n", gap, w[0], w[1], w[2], w[3], max * 1000 + 0.5, from, days, rand() < 0.5
	}')"
	# the members file has no role column for F1's extra field: add one
	awk -F, 'NR == 1 { print $0 ",role"; next } NF == 4 { print; next } { print $0 ",duty" }' m.csv >members.csv
	from_date=$(awk -v d="$from" 'BEGIN { m = split("31 28 31 30 31 30 31 31 30 31 30 31", ml, " "); mo = 1; while (d > ml[mo]) { d -= ml[mo]; mo++ } printf "2026-%02d-%02d", mo, d }')
	to_date=$(awk -v d="$((from + days - 1))" 'BEGIN { split("31 28 31 30 31 30 31 31 30 31 30 31 31 28 31 30 31 30 31 31 30 31 30 31", ml, " "); mo = 1; while (d > ml[mo]) { d -= ml[mo]; mo++ } y = 2026 + int((mo - 1) / 12); printf "%d-%02d-%02d", y, (mo - 1) % 12 + 1, d }')
	hopt=
	[ "$hol" = 1 ] && hopt="--holidays $DATA/holidays/lt.csv"
	duty-roster plan --tz Europe/Vilnius --from "$from_date" --to "$to_date" --min-gap "$gap" --day-weights "$dw" $hopt members.csv >roster.csv
	st=$?
	[ "$st" = 0 ] || { echo "run $i: exit $st"; bad=$((bad + 1)); continue; }
	awk -F, -v max="$max" -v run="$i" '
		FNR == 1 { next }
		FILENAME == "members.csv" { if ($4 != "finance") { reg[$1] = $3; load[$1] = 0 }; next }
		$6 == "F1" { print "run " run ": finance member on duty"; bad = 1 }
		$10 != "assigned" || $11 != "" { print "run " run ": " $0; bad = 1 }
		{ load[$6] += int($9 * 1000 + 0.5) }
		END {
			for (m in load) {
				r = reg[m]
				if (!(r in lo) || load[m] < lo[r]) lo[r] = load[m]
				if (!(r in hi) || load[m] > hi[r]) hi[r] = load[m]
			}
			for (r in lo) if (hi[r] - lo[r] > max) { print "run " run ": region " r " loads differ by " (hi[r] - lo[r]) / 1000 ", largest day weight " max / 1000; bad = 1 }
			exit bad
		}' members.csv roster.csv || bad=$((bad + 1))
done
echo "$runs random unions, $bad violations"
