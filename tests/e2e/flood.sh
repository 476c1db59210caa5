# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# A SYN flood at a second-chance VIP (issue 12): a million SYNs from spoofed sources to port 7,
# sent into the balancer's link by tests/e2e/synflood, while new connections go on from the
# client to port 80. The balancer keeps no state for such VIPs: its connection table and its
# SYN slots stay as they were, and every request is answered. Sourced by run.sh (bash), after
# second.sh.

FLOOD_SYNS=1000000

# The connection table's counters and a digest of the SYN slots (xlb_syns) of the balancer.
flood_state() {
	local pin
	pin=$(pins_of /sys/fs/bpf/xlb "$LB_DEV" | head -n 1)
	echo "table $(xstat '.flow_table | del(.bytes) | tostring')" \
		"hit $(xstat .global.flow_hit) miss $(xstat .global.flow_miss)" \
		"syns $(bpftool map dump pinned "$pin/xlb_syns" 2>&1 | sha256sum | cut -c 1-16)"
}

# The packets counter of VIP tcp:$SC4:7, which only the flood reaches.
flood_vip_packets() {
	topo_xlb -j stats "tcp:$SC4:7" | jq -r '.vips[0].packets // 0'
}

# flood_blackhole add|del: the backends drop packets from the spoofed sources as they route
# them in, before TCP answers each with a SYN cookie (their CPU is not what this measures).
flood_blackhole() {
	local n
	for n in $(seq "$TOPO_BACKENDS"); do
		ip -n "$(be_ns "$n")" rule "$1" from 198.19.128.0/24 blackhole
	done
}

t_syn_flood() {
	local errs s0 s1 p0 p1 t0 ms sent=0 r n rounds=
	errs=$(sc_edit vip)
	check flood.vips "$errs" [ -z "$errs" ]
	flood_blackhole add
	s0=$(flood_state)
	p0=$(flood_vip_packets)
	# The flood fills the balancer's veth ring, which drops legitimate SYNs too: a timeout
	# that leaves TCP its retries (1 s, then 2 s more) before a request counts as failed.
	topo_client "$E2E_BIN/e2e_client" load "$SC4" 80 -t 6 -c 4 -i 10 -T 7000 \
		>"$T/load.flood" 2>&1 &
	LOAD_PID=$!
	sleep 1
	t0=$(date +%s%N)
	# The balancer's veth drops what its ring cannot take (half, on a busy machine; two
	# thirds under heavy load): more rounds until a million have reached the VIP, at most 8,
	# each what is missing scaled by the share that got through so far (twice it in the first
	# round) and a quarter more, at most 2M, from 40 sources 25 on from the last round's (all
	# in 198.19.128.0/24: synflood takes FIRST up to 200).
	for r in 0 1 2 3 4 5 6 7 8; do
		p1=$(flood_vip_packets)
		if [ $((p1 - p0)) -ge "$FLOOD_SYNS" ] || [ "$r" -eq 8 ]; then break; fi
		n=$((FLOOD_SYNS - (p1 - p0)))
		if [ "$p1" -gt "$p0" ]; then n=$((n * sent / (p1 - p0))); else n=$((2 * n)); fi
		n=$((n + n / 4))
		topo_router "$E2E_BIN/synflood" "$LB_PEER" "$LB_MAC" "$SC4" 7 \
			$((n < 2000000 ? n : 2000000)) $((25 * r)) >"$T/flood.out" 2>&1 ||
			errs="$errs round $r: $(tr '\n' ' ' <"$T/flood.out");"
		sent=$((sent + $(field "$T/flood.out" sent)))
		rounds="$rounds $((p1 - p0))/$n"
	done
	ms=$((($(date +%s%N) - t0) / 1000000))
	wait "$LOAD_PID"
	flood_blackhole del
	check flood.sent "$errs" [ -z "$errs" ]
	p1=$(flood_vip_packets)
	rounds="VIP packets $p0 -> $p1 for $sent SYNs in $r rounds (reached/to send:$rounds)"
	check flood.reached_vip "$rounds" \
		[ $((p1 - p0)) -ge "$FLOOD_SYNS" ]
	s1=$(flood_state)
	check flood.state_unchanged "before: $s0; after: $s1" [ "$s0" = "$s1" ]
	load_ok flood flood.load_no_failure
	echo "# syn flood: $sent SYNs sent, $((p1 - p0)) at the VIP in $ms ms," \
		"$(field "$T/load.flood" total) requests ($(field "$T/load.flood" failed) failed)" \
		"meanwhile"
	errs=$(sc_edit del)
	check flood.vips_removed "$errs" [ -z "$errs" ]
}
