# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# Active/backup: balancers 5 (priority 150) and 6 (100) on the router's segment run xlbd with
# the same file and keepalived; the router reaches VIP_VRRP on-link, through whichever
# answers ARP for it. The master's keepalived and xlbd are killed under load, then come back;
# then the new master is drained, and its track script hands the VIP back.
# Sourced (bash) by run.sh, after topo.sh, lib.sh and keepalived.sh.

VIP_VRRP=198.18.100.3
VRRP_STREAMS=60
VRRP_SECS=24

vrrp_conf() {
	local n
	echo "vips:"
	printf '  - vip: tcp:%s:7\n' "$VIP_VRRP"
	hc_yaml 1s
	echo "    backends:"
	for n in 1 2; do echo "      - address: $(be_v4 "$n")"; done
}

# ka_start N PRIORITY: keepalived on balancer N, its pid files beside its config.
ka_start() {
	local d=$TOPO_DIR/ka-l$1
	keepalived_conf "$(lb_dev "$1")" "$2" "$VIP_VRRP" "$(realpath "$XLB")" >"$d.conf"
	topo_spawn "$(lb_ns "$1")" "$d.log" "$d.pid" keepalived -n -l -D -G -P -f "$d.conf" \
		-p "$d.main.pid" -r "$d.vrrp.pid"
}

# The MAC the router sends VIP_VRRP's packets to.
vrrp_mac() {
	ip -n "$NS_R" neigh show "$VIP_VRRP" | awk '{ for (i = 1; i < NF; i++)
		if ($i == "lladdr") print $(i + 1) }'
}

# wait_mac MAC MS T0: the router's entry for VIP_VRRP names MAC within MS of T0 (prints ms).
wait_mac() {
	while [ "$(vrrp_mac)" != "$1" ]; do
		[ $(($(now_ms) - $3)) -lt "$2" ] || { echo "timeout: $(vrrp_mac)"; return 1; }
		# The router asks again only when its entry goes stale: keep traffic flowing.
		topo_router ping -c 1 -W 1 "$VIP_VRRP" >/dev/null 2>&1
		sleep 0.05
	done
	echo $(($(now_ms) - $3))
}

t_vrrp() {
	local n t0 t g
	vrrp_conf >"$TOPO_DIR/vrrp.yaml"
	for n in 5 6; do
		fleet_lb_up "$n" || { fail vrrp.up "balancer $n"; return; }
		xlbd_start "$n" "$TOPO_DIR/vrrp.yaml"
	done
	ip -n "$NS_R" route add "$VIP_VRRP/32" dev "$BRIDGE"
	# With nopreempt, whichever keepalived first finds no master keeps the VIP: the pair starts
	# one after the other, so that balancer 5 is master and 6 its backup whatever the load.
	ka_start 5 150
	t=$(wait_mac "$(lb_mac 5)" 15000 "$(now_ms)")
	check "vrrp.master_l5 ($t ms)" "router's entry: $(vrrp_mac)" in_time "$t"
	# keepalived kills a lingering script's process group: that must not be this run's.
	g=$(ps -o pgid= -p "$(cat "$TOPO_DIR/ka-l5.pid")")
	check vrrp.own_group "keepalived's group $g is this script's" [ "$g" != "$(ps -o pgid= -p $$)" ]
	ka_start 6 100
	check vrrp.l6_backup "keepalived 6 did not log that it is backup within 10 s" \
		wait_line "$TOPO_DIR/ka-l6.log" 'Entering BACKUP STATE' 10000
	check vrrp.fingerprints_equal "l5: $(lb_fingerprints 5) l6: $(lb_fingerprints 6)" \
		[ "$(lb_fingerprints 5)" = "$(lb_fingerprints 6)" ]
	topo_client "$E2E_BIN/e2e_client" streams "$VIP_VRRP" 7 -n "$VRRP_STREAMS" -t "$VRRP_SECS" \
		-i 100 -T 4000 >"$TOPO_DIR/streams.vrrp" 2>&1 &
	STREAM_PIDS="$!"
	wait_line "$TOPO_DIR/streams.vrrp" '^ready' 10000 || fail vrrp.streams_open "not open"
	check vrrp.l5_forwards "balancer 5's counters did not grow" grows_vip 5 1000
	t0=$(now_ms)
	# keepalived's processes all at once, as their group (no VRRP goodbye): killed one at a
	# time, the parent could respawn the VRRP child killed first.
	topo_kill "$TOPO_DIR/ka-l5.pid" KILL
	topo_kill "$TOPO_DIR/xlbd-l5.pid" KILL
	t=$(wait_mac "$(lb_mac 6)" 6000 "$t0")
	check "vrrp.takeover_3s ($t ms)" "router's entry: $(vrrp_mac)" \
		in_time "$t" 3000
	check vrrp.l6_forwards "balancer 6's counters did not grow" grows_vip 6 1000
	xlbd_start 5 "$TOPO_DIR/vrrp.yaml"
	ka_start 5 150
	sleep 4
	check vrrp.no_preemption "router's entry: $(vrrp_mac) (l6 is $(lb_mac 6))" \
		[ "$(vrrp_mac)" = "$(lb_mac 6)" ]
	check vrrp.l5_backup "$(grep -m2 Entering "$TOPO_DIR/ka-l5.log" | tr '\n' '|')" \
		eval 'tail -n 20 "$TOPO_DIR/ka-l5.log" | grep -q "Entering BACKUP STATE"'
	# The track script: a drained master says it should not serve, and the VIP moves.
	t0=$(now_ms)
	lb_xlb 6 node drain
	t=$(wait_mac "$(lb_mac 5)" 6000 "$t0")
	check "vrrp.drained_master_hands_over ($t ms)" "router's entry: $(vrrp_mac)" \
		in_time "$t"
	check vrrp.track_script_failed "$(grep -c xlb_serves "$TOPO_DIR/ka-l6.log") script lines" \
		grep -q "VRRP_Script(xlb_serves) failed" "$TOPO_DIR/ka-l6.log"
	lb_xlb 6 node undrain
	wait "$STREAM_PIDS"
	check "vrrp.streams_unbroken ($(grep '^streams' "$TOPO_DIR/streams.vrrp"))" \
		"$(grep -m3 -E '^(broken|streams)' "$TOPO_DIR/streams.vrrp" | tr '\n' '|')" \
		streams_ok vrrp "$VRRP_STREAMS"
}
