#!/bin/sh
# Regenerate the seed corpora tests/fuzz/corpus/TARGET/ from the tests and
# samples (small: the first 2 KB of each distinct input file).  Run by hand;
# the seeds are committed.  With arguments, only those targets' seeds:
#   sh tests/fuzz/mkseeds.sh template mail
set -eu
cd "$(dirname "$0")/../.."
c=tests/fuzz/corpus
only=" ${*:-csv datetime num pattern hours template mail field url} "
want() { case "$only" in *" $1 "*) return 0 ;; esac; return 1; }
mkdir -p $c/csv $c/datetime $c/num $c/pattern $c/hours $c/template $c/mail \
	$c/field $c/url
# enc: the seeds of fuzz_enc.c are files in other encodings, written once
# (tests/fuzz/corpus/enc/); not regenerated here.
if want csv; then
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
fi
if want datetime; then
# datetime: byte 0 picks --date-format (fuzz_datetime.c).
i=0
for v in '\000 2026-03-29 03:30 ' '\0002026-10-25T03:30:00+03:00' '\0002024-02-29' \
	'\0012026-03-29T10:00:00Z' '\00129.03.2026' '\00203/29/2026 10:15' \
	'\0032026-03-29 04:00:00' '\00429.03.2026 03:30' '\00520260329' \
	'\00629/03/26' '\007 5 Mar 2026' '\01024:00' '\00023:59' '\200 2026-01-31'; do
	printf -- "$v" >$c/datetime/seed$i; i=$((i + 1))
done
fi
if want num; then
i=0
for v in '15,000' '1,07,905' '15 000,7' '1 234.56' '12.5' '15\302\240000' \
	'12\342\200\257000' "1'000'000" '999999999999999' '1000000000000000' \
	'1..2' '-5' '12 km' ' 42 ' '12,34' '0.5' '12345678901234567890.99'; do
	printf -- "$v" >$c/num/seed$i; i=$((i + 1))
done
fi
if want pattern; then
# pattern: byte 0 bit 0 caseless, byte 1 the pattern's length.
p() { printf "\\001\\$(printf %03o "$(printf "%s" "$1" | wc -c)")%s%s" "$1" "$2" >"$3"; }
p '\b(двигатель|variklis)\b' 'Неисправен ДВИГАТЕЛЬ' $c/pattern/cyrillic
p '(a+)+$' 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab' $c/pattern/catastrophic
p '^(?:engine|gearbox)$' 'GEARBOX' $c/pattern/anchored
printf '\001\004\\w+\\b\377\376 variklis \303' >$c/pattern/invalid-utf8
printf '\000\004a\000b*a\000bbb' >$c/pattern/nul
fi
if want hours; then
# hours: spec, duration, timestamp, holidays, +N instants (fuzz_hours.c).
printf 'Mon-Fri 09:00-13:00,14:00-18:00; Sat 09:00-14:00\n8bh\n2026-03-27 17:30\n2026-12-24\n01-01\n' >$c/hours/spec1
printf '\n2bd\n2026-10-25 03:30\n' >$c/hours/24x7
printf 'Mon-Sun 00:00-24:00\neod\n2026-03-29T03:30:00+03:00\n' >$c/hours/eod
printf 'Sat-Mon 22:00-24:00\n3BH\n2026-03-28 23:00\n' >$c/hours/wrap
printf 'Mon-Fri 09:00-18:00\n8bh\n2026-11-20 17:00\n2026-11-23\n+4320\n-60\n+90\n' >$c/hours/between
printf 'Sun 00:00-03:30,04:00-24:00\n2bh\n2026-03-29 00:00\n+1440\n' >$c/hours/between-dst
printf '\n5h\n2026-10-25 02:00\n+300\n01-01\n' >$c/hours/between-24x7
fi
if want template; then
# template: byte 0 bit 0 mail, bits 1-2 rows - 1, bits 3-5 the error
# buffer's size (fuzz_template.c); the sample templates, then edge cases.
for f in samples/templates/*/*.txt; do
	case "$f" in *.sms.txt) b='\076' ;; *) b='\077' ;; esac
	{ printf "$b"; cat "$f"; } >"$c/template/$(basename "$(dirname "$f")")-$(basename "$f")"
done
printf '\077Subject: {{x}} {id}\r\n\r\n{{#rows}}\r\n {Name}: {{ }} }}\r\n{{/rows}}\r\n' >$c/template/crlf
printf '\077\357\273\277Subject: a\n{{#rows}}\n{{#rows}}\n' >$c/template/nested
printf '\076{ vin }{}{\n{{/rows}}' >$c/template/errors
printf '\076{{#rows}}\n{{#rows}\n{{/rows}}\n\303' >$c/template/literal-marker
fi
if want mail; then
# mail: byte 0 mod 6 picks the function (fuzz_mail.c).
printf '\000jonas.jonaitis+servisas@auto-centras.lt' >$c/mail/addr
printf '\000a..b@x.lt' >$c/mail/addr-dots
printf '\001"Jonas Jonaitis" <jonas@example.lt>' >$c/mail/mailbox
printf '\001Ona <ona@x-.lt>' >$c/mail/mailbox-bad
printf '\002Service reminder for your car' >$c/mail/subject
printf '\002Priminimas: techninė apžiūra =?x?= %s' "$(printf 'w%.0s' $(seq 90))" >$c/mail/subject-words
printf '\002a%*sb word\r\nnext' 120 '' >$c/mail/subject-spaces
printf '\003Žydrūnė Ąžuolaitė\000zydrune@example.lt' >$c/mail/to-words
printf '\003Dr. "Who" \\ X\000who@example.lt' >$c/mail/to-quoted
printf '\004From here\n.\nline with trailing space \nx=y\000\t\n%s\n' "$(printf 'ą%.0s' $(seq 60))" >$c/mail/qp
printf '\005sender@example.lt\000From the dealer\n>From x\n>>From y\nlast' >$c/mail/mbox
fi
if want field; then
# field: byte 0 format (bits 0-2), kind (3-4), REQUIRED (5), --na (6-7);
# then the column name, [format], [--na list], the value (fuzz_field.c).
printf '\000\00014.03.2021' >$c/field/iso-bad
printf '\001\00005.01.2026' >$c/field/dotted
printf '\004\00005.01.2026 10:15' >$c/field/dotted-time
printf '\007\000\010%%d %%b %%y15 Mar 26' >$c/field/own-format
printf '\047\000\005%%Y-%%j2026-045' >$c/field/day-of-year
printf '\060\010due\ndate2026-02-30' >$c/field/config
printf '\340\011kilometru\011?,N/A,--  15 000 ' >$c/field/na-count
printf '\030\000 URGENT ' >$c/field/own-choice
printf '\001\0002026-01-05\000x' >$c/field/nul
printf '\000\000%s\303\251\n\033' "$(printf 'ž%.0s' $(seq 150))" >$c/field/long
fi
if want url; then
# url: the template, NUL, the row's values separated by NUL (fuzz_url.c).
printf 'https://survey.example.lt/s?ro={id}&d={dealer}&c={ contact }\000RO-1\0002026-11-18 10:00\000Jonas <j@x.lt>\000 D01 \000service' >$c/url/sample
printf 'x{{y}}z{ŽMOGUS}\000a\000b\000c\000d\000e\000Žydrūnė ~._-' >$c/url/braces
printf '{id}}\000' >$c/url/lone
printf '{nope}\000' >$c/url/unknown
printf '{id\n' >$c/url/open
fi
if want csv; then
echo "csv seeds: $n"
fi
# Keep only the seeds that add coverage (needs a built build/fuzz/fuzz_csv).
if want csv && [ -x build/fuzz/fuzz_csv ]; then
	rm -rf build/fuzz/seedmin && mkdir -p build/fuzz/seedmin
	build/fuzz/fuzz_csv -merge=1 build/fuzz/seedmin $c/csv >/dev/null 2>&1
	for f in $c/csv/*; do
		case "$f" in */[0-9]*) [ -f "build/fuzz/seedmin/$(sha1sum <"$f" | cut -c1-40)" ] || rm -f "$f" ;; esac
	done
fi
if want csv; then
	echo "csv seeds kept: $(ls $c/csv | wc -l)"
fi
