#!/bin/sh
# Record a golden CLI test: tests/mkcase.sh PROG/CASE 'commands' [input files...]
# Runs the commands as tests/run.sh would and stores out, err, status.
# Review the recorded files before committing: they become the contract.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
name=$1
case_dir=$top/tests/cli/$name
cmd=$2
shift 2
mkdir -p "$case_dir"
printf '%s\n' "$cmd" >"$case_dir/cmd"
for f in "$@"; do cp "$f" "$case_dir/"; done
DATA=$top/tests/data SAMPLES=$top/samples TOP=$top \
PATH=$top/bin:$top/build/tools:$PATH TZ=UTC LC_ALL=C.UTF-8
export DATA SAMPLES PATH TZ LC_ALL TOP
scratch=$(mktemp -d)
cp -R "$case_dir/." "$scratch/"
set +e
(cd "$scratch" && sh ./cmd >"$case_dir/out" 2>"$case_dir/err" </dev/null)
st=$?
set -e
rm -rf "$scratch"
if [ "$st" != 0 ]; then echo "$st" >"$case_dir/status"; else rm -f "$case_dir/status"; fi
[ -s "$case_dir/err" ] || rm -f "$case_dir/err"
echo "== $name (exit $st)"; cat "$case_dir/out"; [ -f "$case_dir/err" ] && { echo "-- stderr"; cat "$case_dir/err"; }; true
