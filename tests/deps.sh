#!/bin/sh
# Install missing Debian build packages when root; otherwise print the command.
missing=
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v dpkg-query >/dev/null 2>&1; then
	exit 0
fi
if [ "$(id -u)" = 0 ]; then
	echo "installing:$missing" >&2
	apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null ||
		{ echo "apt-get install failed:$missing" >&2; exit 1; }
else
	echo "missing build packages; run: sudo apt-get install -y$missing" >&2
	exit 1
fi
