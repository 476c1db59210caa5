#!/bin/sh
# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The packet-rate benchmark's entry point (`make bench`, as root): makes two namespaces joined
# by a veth pair, runs build/tests/bench/rate_bench across them, and always deletes them.
# Arguments go to rate_bench: -n FRAMES -r ROUNDS -F FLOWS -f ipip|gue|dr|gue-sc|gue-sc-fast|relay -c CPU
# -s -v (relay: the second end is a backend running xlb_decap, not the balancer).
set -eu

BUILD=${BUILD:-build}
GEN_NS=xlbr-gen
LB_NS=xlbr-lb
GEN_DEV=xlbr-gen0
LB_DEV=xlbr-lb0
PINS=/sys/fs/bpf/xlb
DECAP_PINS=/sys/fs/bpf/xlb-decap

cleanup() {
	ip netns del "$GEN_NS" 2>/dev/null || true
	ip netns del "$LB_NS" 2>/dev/null || true
	# Left only if rate_bench died before detaching: the balancer's or the decap program's
	# pins for our device (DEV@NETNS-INODE, or plain DEV from before the library keyed pins
	# by namespace).
	for dir in "$PINS/$LB_DEV" "$PINS/$LB_DEV"@* "$DECAP_PINS/$LB_DEV"@*; do
		[ -d "$dir" ] || continue
		rm -f "$dir"/*
		rmdir "$dir"
	done
}

if [ "$(id -u)" != 0 ]; then
	echo "rate_bench.sh: needs root (namespaces, XDP); skipped" >&2
	exit 0
fi
cleanup
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$GEN_NS"
ip netns add "$LB_NS"
# No IPv6 chatter (router solicitations, MLD) among the frames the sink counts.
for ns in "$GEN_NS" "$LB_NS"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done
ip link add "$GEN_DEV" netns "$GEN_NS" type veth peer name "$LB_DEV" netns "$LB_NS"
ip -n "$GEN_NS" addr add 198.18.0.2/24 dev "$GEN_DEV"
ip -n "$LB_NS" addr add 198.18.0.1/24 dev "$LB_DEV"
ip -n "$GEN_NS" link set "$GEN_DEV" up
ip -n "$LB_NS" link set "$LB_DEV" up
ip -n "$LB_NS" link set lo up

"$BUILD/tests/bench/rate_bench" "$@" /run/netns/"$GEN_NS" "$GEN_DEV" /run/netns/"$LB_NS" "$LB_DEV"
