#!/bin/sh
# Regenerate the seed corpora tests/fuzz/corpus/TARGET/ from the tests and
# samples (small: the first 2 KB of each distinct input file).  Run by hand;
# the seeds are committed.
set -eu
cd "$(dirname "$0")/../.."
c=tests/fuzz/corpus
mkdir -p $c/csv $c/datetime $c/num $c/pattern $c/hours
# enc: the seeds of fuzz_enc.c are files in other encodings, written once
# (tests/fuzz/corpus/enc/); not regenerated here.
# csv: byte 0 picks the dialect (fuzz_csv.c): 0 ',', 1 ';', 2 TSV, 3 sniff.
n=0
for f in samples/*.csv tests/cli/*/*/*.csv tests/cli/*/*/*.tsv; do
	[ -f "$f" ] || continue
	case "$f" in *.tsv) d='\002' ;; *) d='\003' ;; esac
	head -c 2048 "$f" >/tmp/seed.$$
	sum=$(cksum </tmp/seed.$$ | cut -d' ' -f1)
	{ printf "$d\\000"; cat /tmp/seed.$$; } >$c/csv/$sum
	n=$((n + 1))
done
rm -f /tmp/seed.$$
printf '\000\000a,b\n"x,""y""\n\nz",\n' >$c/csv/quoted
printf '\001\000\357\273\277a;b\r\n1;2\r\n' >$c/csv/bom-semicolon
printf '\002\000a\tb\n\\t\\n\\\\\tx\\q\n' >$c/csv/tsv-escapes
printf '\020\000a,b\n=1,+2\n-3,@x\n' >$c/csv/excel
# datetime: byte 0 picks --date-format (fuzz_datetime.c).
i=0
for v in '\000 2026-03-29 03:30 ' '\0002026-10-25T03:30:00+03:00' '\0002024-02-29' \
	'\0012026-03-29T10:00:00Z' '\00129.03.2026' '\00203/29/2026 10:15' \
	'\0032026-03-29 04:00:00' '\00429.03.2026 03:30' '\00520260329' \
	'\00629/03/26' '\007 5 Mar 2026' '\01024:00' '\00023:59' '\200 2026-01-31'; do
	printf -- "$v" >$c/datetime/seed$i; i=$((i + 1))
done
# num
i=0
for v in '15,000' '1,07,905' '15 000,7' '1 234.56' '12.5' '15\302\240000' \
	'12\342\200\257000' "1'000'000" '999999999999999' '1000000000000000' \
	'1..2' '-5' '12 km' ' 42 ' '12,34' '0.5' '12345678901234567890.99'; do
	printf -- "$v" >$c/num/seed$i; i=$((i + 1))
done
# pattern: byte 0 bit 0 caseless, byte 1 the pattern's length.
p() { printf "\\001\\$(printf %03o "$(printf "%s" "$1" | wc -c)")%s%s" "$1" "$2" >"$3"; }
p '\b(двигатель|variklis)\b' 'Неисправен ДВИГАТЕЛЬ' $c/pattern/cyrillic
p '(a+)+$' 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab' $c/pattern/catastrophic
p '^(?:engine|gearbox)$' 'GEARBOX' $c/pattern/anchored
printf '\001\004\\w+\\b\377\376 variklis \303' >$c/pattern/invalid-utf8
printf '\000\004a\000b*a\000bbb' >$c/pattern/nul
# hours: spec, duration, timestamp, holidays (fuzz_hours.c).
printf 'Mon-Fri 09:00-13:00,14:00-18:00; Sat 09:00-14:00\n8bh\n2026-03-27 17:30\n2026-12-24\n01-01\n' >$c/hours/spec1
printf '\n2bd\n2026-10-25 03:30\n' >$c/hours/24x7
printf 'Mon-Sun 00:00-24:00\neod\n2026-03-29T03:30:00+03:00\n' >$c/hours/eod
printf 'Sat-Mon 22:00-24:00\n3BH\n2026-03-28 23:00\n' >$c/hours/wrap
echo "csv seeds: $n"
# Keep only the seeds that add coverage (needs a built build/fuzz/fuzz_csv).
if [ -x build/fuzz/fuzz_csv ]; then
	rm -rf build/fuzz/seedmin && mkdir -p build/fuzz/seedmin
	build/fuzz/fuzz_csv -merge=1 build/fuzz/seedmin $c/csv >/dev/null 2>&1
	for f in $c/csv/*; do
		case "$f" in */[0-9]*) [ -f "build/fuzz/seedmin/$(sha1sum <"$f" | cut -c1-40)" ] || rm -f "$f" ;; esac
	done
fi
echo "csv seeds kept: $(ls $c/csv | wc -l)"
