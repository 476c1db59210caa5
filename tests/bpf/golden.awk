# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# Turns tests/bpf/golden.txt into C: one "static const __u8 NAME[]" per "frame NAME".
BEGIN { print "/* Generated from tests/bpf/golden.txt by tests/bpf/golden.awk. */" }
/^#/ || NF == 0 { next }
$1 == "frame" { if (open) print "};"; printf "static const __u8 %s[] = {\n", $2; open = 1; next }
{
	line = "\t"
	for (i = 1; i <= NF; i++) {
		if ($i !~ /^[0-9a-f][0-9a-f]$/) {
			printf "%s:%d: not a hex byte: %s\n", FILENAME, FNR, $i > "/dev/stderr"
			exit 1
		}
		line = line "0x" $i ","
	}
	print line
}
END { if (open) print "};" }
