#!/bin/sh
# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The per-packet benchmark's entry point (`make bench`, as root): runs xdp_bench on the last
# CPU. With KATRAN_BENCH naming the peer harness (run-katran-bench.sh, which builds Katran's
# unmodified XDP program and measures it the same way), runs that first on the same CPU and
# hands xdp_bench Katran's figures for the xlb cases they compare with.
set -eu

BUILD=${BUILD:-build}
CPU=$(($(nproc) - 1))
BENCH="$BUILD/tests/bench/xdp_bench"

if [ "$(id -u)" != 0 ]; then
	echo "xdp_bench.sh: needs root (BPF programs); skipped" >&2
	exit 0
fi
if [ -z "${KATRAN_BENCH:-}" ] || [ ! -f "$KATRAN_BENCH" ]; then
	exec taskset -c "$CPU" "$BENCH"
fi

out=$(mktemp -d /tmp/xlb-katran.XXXXXX)
trap 'rm -rf "$out"' EXIT
trap 'exit 130' INT TERM
echo "Measuring Katran first: $KATRAN_BENCH on CPU $CPU (its own table: $BUILD/katran-bench.txt)"
if ! taskset -c "$CPU" sh "$KATRAN_BENCH" >"$BUILD/katran-bench.txt" 2>"$out/log"; then
	echo "Katran's harness failed, so xlb is shown alone: $(tail -n 2 "$out/log" | tr '\n' ' ')"
	exec taskset -c "$CPU" "$BENCH"
fi
# Its rows, by the xlb case each compares with: "NS X_BARE CASE"; its table's size in a note.
awk -v cpu="$CPU" '
	BEGIN {
		xlb["bare MAC swap + XDP_TX"] = "bare MAC swap + XDP_TX"
		xlb["katran v4 known flow"] = "v4 ipip known flow"
		xlb["katran v6 known flow"] = "v6 ipip known flow"
		xlb["katran v4 new flow"] = "v4 ipip new flow"
		xlb["katran v4 non-VIP"] = "v4 non-VIP"
		# Katran records a flow from its SYN; xlb from its first other packet.
		also["katran v4 new flow"] = "v4 ipip SYN"
	}
	$1 == "LRU:" { lru = $2 }
	NF >= 4 {
		name = $1
		for (i = 2; i <= NF - 3; i++)
			name = name " " $i
		if (name in xlb)
			print $(NF - 2), $NF, xlb[name]
		if (name in also)
			print $(NF - 2), $NF, also[name]
	}
	END {
		printf "# on CPU %s just before xlb; its connection table: %s entries per CPU\n",
			cpu, lru
	}
' "$BUILD/katran-bench.txt" >"$out/figures"
if [ "$(grep -cv '^#' "$out/figures")" != 6 ]; then
	echo "Katran's table has not the 5 rows xdp_bench.sh knows, so xlb is shown alone"
	exec taskset -c "$CPU" "$BENCH"
fi
taskset -c "$CPU" "$BENCH" -k "$out/figures"
