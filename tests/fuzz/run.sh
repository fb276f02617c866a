#!/bin/sh
# make fuzz: build the libFuzzer targets of tests/fuzz/ (clang, ASan, UBSan)
# and run each for FUZZ_SECONDS seconds (default 60).
#   FUZZ_SECONDS=600 make fuzz        longer runs
#   FUZZ_TARGETS="csv num" make fuzz  some targets only
#   FUZZ_SECONDS=0 make fuzz          only replay the corpora (regression)
#   FUZZ_JOBS=4 make fuzz             parallel workers per target
# Seeds: tests/fuzz/corpus/TARGET/ (small, from the tests).  What a run
# learns goes to build/fuzz/corpus/TARGET/; a crash is saved as
# build/fuzz/crashes/TARGET/crash-* (replay: build/fuzz/fuzz_TARGET FILE),
# and should become a regression test in tests/unit or tests/cli.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
CLANG=${CLANG:-clang}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_TARGETS=${FUZZ_TARGETS:-}
FUZZ_JOBS=${FUZZ_JOBS:-1}
out=build/fuzz

if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "fuzz: $CLANG not found (apt-get install clang libclang-rt-14-dev)" >&2
	exit 2
fi
if [ -z "$FUZZ_TARGETS" ]; then
	for f in tests/fuzz/fuzz_*.c; do
		t=${f#tests/fuzz/fuzz_}; t=${t%.c}
		[ "$t" = io ] || FUZZ_TARGETS="$FUZZ_TARGETS $t"
	done
fi

# Build: the common library instrumented for coverage, read and write of the
# reader and writer routed through fuzz_io.c (see fuzz.h); the reader reads
# 4 KB at a time (256 KB in the programs), so that inputs of a few KB cross
# its chunk edges even when read whole.
CFLAGS_F="-std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -g -O1 \
-fno-omit-frame-pointer -fsanitize=address,undefined \
-fno-sanitize-recover=undefined -Icommon -Itests/fuzz \
$(pkg-config --cflags libpcre2-8 2>/dev/null)"
LIBS_F="-lcsv $(pkg-config --libs libpcre2-8 2>/dev/null || echo -lpcre2-8)"
mkdir -p "$out/obj"
objs=
for src in common/*.c tests/fuzz/fuzz_io.c; do
	o=$out/obj/$(basename "$src" .c).o
	extra=
	case "$src" in
	common/csvin.c) extra="-Dread=fuzz_read -DCSVIN_CHUNK=4096" ;;
	common/csvout.c) extra=-Dwrite=fuzz_write ;;
	esac
	if [ ! -f "$o" ] || [ -n "$(find "$src" common/*.h tests/fuzz/fuzz.h -newer "$o" 2>/dev/null)" ]; then
		$CLANG $CFLAGS_F -fsanitize=fuzzer-no-link $extra -c -o "$o" "$src"
	fi
	objs="$objs $o"
done
for t in $FUZZ_TARGETS; do
	$CLANG $CFLAGS_F -fsanitize=fuzzer -o "$out/fuzz_$t" "tests/fuzz/fuzz_$t.c" $objs $LIBS_F
done

# Run.
status=0
for t in $FUZZ_TARGETS; do
	corpus=$out/corpus/$t
	crashes=$out/crashes/$t
	mkdir -p "$corpus" "$crashes" tests/fuzz/corpus/$t
	opts="-timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
-artifact_prefix=$crashes/ -close_fd_mask=1"
	[ -f "tests/fuzz/$t.dict" ] && opts="$opts -dict=tests/fuzz/$t.dict"
	log=$out/fuzz_$t.log
	if [ "$FUZZ_SECONDS" = 0 ]; then
		echo "fuzz: $t: replaying the corpora"
		set -- -runs=0
	elif [ "$FUZZ_JOBS" -gt 1 ]; then
		echo "fuzz: $t: $FUZZ_SECONDS s, $FUZZ_JOBS workers"
		set -- -max_total_time="$FUZZ_SECONDS" -fork="$FUZZ_JOBS" -ignore_crashes=0
	else
		echo "fuzz: $t: $FUZZ_SECONDS s"
		set -- -max_total_time="$FUZZ_SECONDS"
	fi
	# shellcheck disable=SC2086
	if "$out/fuzz_$t" $opts "$@" "$corpus" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
		runs=$(grep -a '^stat::number_of_executed_units' "$log" | tail -n 1 | tr -dc 0-9)
		# -fork prints no final stats: the last "#N:" line counts the runs.
		[ -n "$runs" ] || runs=$(grep -a -o '^#[0-9]*' "$log" | tail -n 1 | tr -dc 0-9)
		rss=$(grep -a '^stat::peak_rss_mb' "$log" | tail -n 1 | tr -dc 0-9)
		cov=$(grep -a -o 'cov: [0-9]*' "$log" | tail -n 1)
		echo "    ok: ${runs:-?} runs, ${cov:-cov: ?} edges${rss:+, peak RSS $rss MB}"
	else
		status=1
		echo "FAIL: fuzz $t (log: $log)"
		grep -a -E 'ERROR|check failed|runtime error|SUMMARY|Test unit written' "$log" | head -10 | sed 's/^/    /'
	fi
done
[ "$status" = 0 ] && echo "fuzz: no crash in:$FUZZ_TARGETS"
exit $status
