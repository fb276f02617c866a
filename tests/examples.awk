# examples.awk — write each literal block of a man page's EXAMPLES section
# to DIR/BASE.N.sh, with the mdoc escapes undone.
#   awk -v dir=DIR -v base=PAGE -f tests/examples.awk man/PAGE
/^\.Sh EXAMPLES/ { ex = 1; next }
/^\.Sh / { ex = 0 }
ex && /^\.Bd -literal/ { n++; f = dir "/" base "." n ".sh"; printf "" > f; inb = 1; next }
inb && /^\.Ed/ { inb = 0; close(f); next }
inb {
	line = $0
	gsub(/\\e/, "\\", line)
	gsub(/\\\(aq/, "\047", line)
	gsub(/\\-/, "-", line)
	gsub(/\\&/, "", line)
	print line >> f
}
