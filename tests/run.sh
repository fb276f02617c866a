#!/bin/sh
# The test driver of `make check`: unit tests of common/, golden CLI tests,
# man-page examples, mandoc lint.  Ends with "N passed, N failed".
#
# A CLI test is a folder tests/cli/PROG/CASE/ holding:
#   cmd     shell commands, run with sh in a scratch copy of the folder, with
#           bin/ first in PATH, TZ=UTC, LC_ALL=C.UTF-8; $DATA is
#           tests/data, $SAMPLES is samples/ and $TOP the checkout
#           (absolute paths)
#   out     the exact expected standard output
#   err     the exact expected standard error (absent: it must be empty)
#   status  the expected exit status (absent: 0)
# and any input files.  Output is compared with cmp.  A cmd that cannot
# run here (it needs root) exits 77: the test is counted as skipped.
#
# VALGRIND=1 (`make check-valgrind`): every program of bin/ and build/tools/
# runs under valgrind (memcheck: memory errors, and definite or indirect
# leaks at exit), through wrapper scripts of the same names first in PATH;
# the unit tests run under it too.  A report fails the test: it is on
# stderr, and the exit status is 99.  tests/valgrind.supp holds the
# suppressions (false reports of libraries only, each with its reason).  A
# test that cannot work under valgrind (it measures time or memory, or
# kills a program at a moment it waits for) holds a file `novalgrind` giving
# the reason (not copied into the scratch folder), and is skipped in that
# mode only (counted as skipped).
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
DATA=$top/tests/data
SAMPLES=$top/samples
PATH=$top/bin:$top/build/tools:$PATH
TZ=UTC
LC_ALL=C.UTF-8
TOP=$top
export DATA SAMPLES PATH TZ LC_ALL TOP
# No test sends real mail: samples/nightly.sh (the demo tests, aftersales(7)'s
# example) pipes its e-mails to $SENDMAIL, here the stand-in, which appends
# them to sent.mbox in the test's folder.
SENDMAIL=$top/samples/sendmail
export SENDMAIL
unset SENDMAIL_MBOX SENDMAIL_FAIL
# Under `make check SANITIZE=1` a sanitizer report fails the test (stderr
# differs, and the exit status is 99).  LeakSanitizer runs in the unit tests
# only; the programs' leaks at exit are checked by `make check-valgrind`, and
# growth per row by tests/cli/faults/streamed-memory.
ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=99:detect_leaks=0}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=99}
export ASAN_OPTIONS UBSAN_OPTIONS
work=$(mktemp -d "${TMPDIR:-/tmp}/aftersales-check.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
pass=0 fail=0 skip=0
failed=
only=${TESTS:-}
vg=
if [ "${VALGRIND:-0}" = 1 ]; then
	command -v valgrind >/dev/null || { echo "run.sh: VALGRIND=1: valgrind not found" >&2; exit 2; }
	vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
	vg="$vg --suppressions=$top/tests/valgrind.supp"
	# Unit tests skip their exhaustive loops (tests/unit/prefilter.c).
	AS_VALGRIND=1 && export AS_VALGRIND
	mkdir "$work/vgbin" || exit 2
	# valgrind finds the program in PATH, so that it sees the name as
	# argv[0] as it would without valgrind (getopt's messages show it).
	for p in bin/* build/tools/*; do
		[ -f "$p" ] && [ -x "$p" ] || continue
		printf '#!/bin/sh\nPATH="%s:$PATH"\nexec %s %s "$@"\n' "$top/${p%/*}" \
		    "$vg" "${p##*/}" >"$work/vgbin/${p##*/}" && chmod +x "$work/vgbin/${p##*/}" || exit 2
	done
	PATH=$work/vgbin:$PATH
fi

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); failed="$failed $1"; echo "FAIL: $1${2:+: $2}"; }

# Unit tests: each program prints its own failures and exits non-zero.
for u in build/unit/*; do
	[ -x "$u" ] || continue
	name=unit/$(basename "$u")
	case "$name" in *"$only"*) ;; *) continue ;; esac
	if ASAN_OPTIONS=exitcode=99:detect_leaks=1 $vg "$u" >"$work/$(basename "$u").log" 2>&1; then ok; else
		bad "$name"; sed 's/^/    /' "$work/$(basename "$u").log" | head -40
	fi
done

# Golden CLI tests.
for dir in tests/cli/*/*/; do
	dir=${dir%/}
	[ -f "$dir/cmd" ] || continue
	name=${dir#tests/cli/}
	case "$name" in *"$only"*) ;; *) continue ;; esac
	if [ -n "$vg" ] && [ -f "$dir/novalgrind" ]; then skip=$((skip + 1)); continue; fi
	scratch=$work/cli/$name
	mkdir -p "$scratch" && cp -R "$dir/." "$scratch/" && rm -f "$scratch/novalgrind"
	(cd "$scratch" && sh ./cmd >"$work/stdout" 2>"$work/stderr" </dev/null)
	st=$?
	want=0
	[ -f "$dir/status" ] && want=$(cat "$dir/status")
	if [ "$st" = 77 ] && [ "$want" != 77 ]; then
		skip=$((skip + 1)); echo "SKIP: $name: $(head -n 1 "$work/stdout")"; continue
	fi
	why=
	if [ "$st" != "$want" ]; then why="exit $st, expected $want"
	elif ! cmp -s "$work/stdout" "$dir/out"; then why="stdout differs"
	elif [ -f "$dir/err" ] && ! cmp -s "$work/stderr" "$dir/err"; then why="stderr differs"
	elif [ ! -f "$dir/err" ] && [ -s "$work/stderr" ]; then why="unexpected stderr"
	fi
	if [ -z "$why" ]; then ok; else
		bad "$name" "$why"
		if [ "$why" = "stdout differs" ]; then diff "$dir/out" "$work/stdout" | head -20 | sed 's/^/    /'
		else sed 's/^/    stderr: /' "$work/stderr" | head -10; fi
	fi
done

# Man-page examples: every literal block of EXAMPLES runs in a copy of
# samples/, and must print tests/man/PAGE.N.out and exit tests/man/PAGE.N.status.
for page in man/*.[17]; do
	[ -f "$page" ] || continue
	base=$(basename "$page")
	case "man/$base" in *"$only"*) ;; *) continue ;; esac
	mkdir -p "$work/man"
	awk -v dir="$work/man" -v base="$base" -f tests/examples.awk "$page"
	for script in "$work/man/$base".*.sh; do
		[ -f "$script" ] || continue
		n=${script%.sh}; n=${n##*.}
		name=man/$base.$n
		exp=tests/man/$base.$n
		if [ ! -f "$exp.out" ]; then bad "$name" "no $exp.out"; continue; fi
		# A crontab line runs without its five schedule fields.
		sed -E 's/^([0-9*\/,-]+ ){5}//' "$script" >"$script.run"
		rm -rf "$work/ex" && cp -R samples "$work/ex"
		(cd "$work/ex" && sh "$script.run" >"$work/stdout" 2>"$work/stderr" </dev/null)
		st=$?
		want=0
		[ -f "$exp.status" ] && want=$(cat "$exp.status")
		if [ "$st" != "$want" ]; then bad "$name" "exit $st, expected $want"; sed 's/^/    stderr: /' "$work/stderr" | head -5
		elif ! cmp -s "$work/stdout" "$exp.out"; then bad "$name" "stdout differs"; diff "$exp.out" "$work/stdout" | head -20 | sed 's/^/    /'
		else ok; fi
	done
done

# Manual pages are lint-clean.
if [ -z "$only" ] || [ "$only" = man ]; then
	for page in man/*.[17]; do
		[ -f "$page" ] || continue
		if out=$(mandoc -Tlint -Wwarning "$page" 2>&1) && [ -z "$out" ]; then ok; else
			bad "lint/$(basename "$page")" "$(printf '%s' "$out" | head -1)"; fi
	done
fi

[ "$fail" -gt 0 ] && echo "failed:$failed"
if [ -n "$vg" ]; then echo "$pass passed, $fail failed, $skip skipped (novalgrind, or exit 77)"
elif [ "$skip" -gt 0 ]; then echo "$pass passed, $fail failed, $skip skipped (exit 77)"
else echo "$pass passed, $fail failed"; fi
[ "$fail" -eq 0 ]
