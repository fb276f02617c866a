#!/bin/sh
# Record the expected output of a man page's EXAMPLES: tests/mkman.sh PAGE
# (e.g. aftersales.7).  Review tests/man/PAGE.N.out before committing.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
page=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
PATH=$top/bin:$PATH TZ=UTC LC_ALL=C.UTF-8
export PATH TZ LC_ALL
awk -v dir="$work" -v base="$page" -f "$top/tests/examples.awk" "$top/man/$page"
for script in "$work/$page".*.sh; do
	n=${script%.sh}; n=${n##*.}
	sed -E 's/^([0-9*\/,-]+ ){5}//' "$script" >"$script.run"
	rm -rf "$work/ex" && cp -R "$top/samples" "$work/ex"
	set +e
	(cd "$work/ex" && sh "$script.run" >"$top/tests/man/$page.$n.out" 2>"$work/err" </dev/null)
	st=$?
	set -e
	if [ "$st" != 0 ]; then echo "$st" >"$top/tests/man/$page.$n.status"; else rm -f "$top/tests/man/$page.$n.status"; fi
	echo "== $page.$n (exit $st)"; cat "$top/tests/man/$page.$n.out"; sed 's/^/stderr: /' "$work/err"
done
