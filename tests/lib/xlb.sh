# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# xlb in the one namespace of a suite (tests/cli, tests/daemon): the suite sets NS, DEV (xlb's
# end of a veth pair, PEER the other end), BUILD and T, then sources this after
# tests/lib/ns.sh. The pair's setup, xlb and its status, flowprobe's output, and removing
# xlb's pins and the namespace. POSIX sh.

PINS=/sys/fs/bpf/xlb
# shellcheck disable=SC2034 # for the suites
NEXT_HOP=02:00:00:00:00:fe

# pin_dir DEV: where xlb pins DEV of the suite's namespace (DEV@<namespace inode>).
pin_dir() {
	echo "$PINS/$1@$(stat -L -c %i "/run/netns/$NS")"
}

# xlb CMD...: build/xlb in the suite's namespace; xl: on its interface DEV.
xlb() {
	in_netns "$NS" "$BUILD/xlb" "$@"
}

xl() {
	xlb -i "$DEV" "$@"
}

# map_dump MAP: bpftool's JSON dump of xlb's pinned map MAP (xlb_vips, ...) on DEV.
map_dump() {
	bpftool -j map dump pinned "$(pin_dir "$DEV")/$1"
}

prog_id() {
	xl -j status | jq -r '.[0].prog_id'
}

# kernel_xdp DEV: the kernel's view of DEV's XDP program, "ID MODE" (mode 1 native,
# 2 generic), "0 0" if none.
kernel_xdp() {
	ip -n "$NS" -j -d link show "$1" | jq -r '.[0].xdp | "\(.prog.id // 0) \(.mode // 0)"'
}

# Lines of flowprobe output file $1 (one "SPORT VERDICT [KIND DEST ...]" a frame) whose
# destination ($4) is $2.
count_to() {
	awk -v d="$2" '$4 == d' "$1" | wc -l
}

# veth_setup: the namespace, lo up, and the veth pair DEV-PEER in it, both up, DEV with
# 198.18.0.1/24.
veth_setup() {
	netns_add "$NS"
	ip -n "$NS" link add "$DEV" type veth peer name "$PEER"
	ip -n "$NS" link set "$DEV" up
	ip -n "$NS" link set "$PEER" up
	ip -n "$NS" addr add 198.18.0.1/24 dev "$DEV"
}

# ns_teardown DEV...: stops what spawn started, detaches xlb from each DEV (removing the pins
# a detach left), deletes the namespace and $T.
ns_teardown() {
	stop_spawned
	for _td_dev; do
		pins_drop "$NS" "$PINS" "$_td_dev" "$BUILD/xlb" detach "$_td_dev"
	done
	ip netns del "$NS" 2>/dev/null || true
	rm -rf "$T"
}
