# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The fleet scenario: three balancers behind a BIRD router carry long-lived streams (IPv4 and
# IPv6) while one dies, one is drained and undrained, one loses a VIP's only backend by
# itself, a fourth joins and BFD raises a false alarm; no stream may break. When one dies, the
# others add a backend at the same moment: a second-chance VIP's streams survive that too, a
# connection-table VIP's do not all survive it (issue 12). Sourced (bash) by run.sh.

STREAM_RUNS="v4.1 v4.2 v6" # client runs of STREAMS_EACH streams each, to VIP1 or VIP6
STREAMS_EACH=90
STREAM_SECS=54
KILL_STREAMS=150 # to each of VIP_SC and VIP_CT while balancer 3 dies

# Items 1 and 7: every balancer carries traffic; every table is the same on all of them.
f_spread() {
	local n want
	for n in 1 2 3; do
		check "spread.l$n.forwards" "balancer $n's counters did not grow" grows "$n" 1500
	done
	want=$(lb_fingerprints 1)
	check spread.fingerprints_known "l1: $(echo "$want" | tr '\n' '|')" \
		eval '[ "$(echo "$want" | grep -vc " [0-9a-f]\{12\}$")" -eq 0 ]'
	for n in 2 3; do
		check "spread.l$n.fingerprints_equal" "l1: $want | l$n: $(lb_fingerprints "$n")" \
			[ "$(lb_fingerprints "$n")" = "$want" ]
	done
}

# A false alarm: the router's BIRD stalls 0.6 s (as on a starved machine: twice BFD's 300 ms),
# so every balancer's BFD drops its sessions and the router withdraws every route. They come
# back a second later (connect delay time 1), before TCP gives up: no stream may break. Last,
# as BFD sessions start with slow timers again and would not see a death within a second.
f_flap() {
	local pid n t
	pid=$(cat "$TOPO_DIR/bird-r.birdpid")
	kill -STOP "$pid"
	sleep 0.6
	kill -CONT "$pid"
	sleep 0.5
	n=$(cat "$TOPO_DIR"/bird-l[124].log | grep -c "router[46]: State changed to stop")
	check "flap.sessions_dropped ($n)" "no balancer dropped a session" [ "$n" -gt 0 ]
	t=$(wait_nodes "$VIP1" "1 2 4" 8000)
	check "flap.v4_back ($t ms)" "router: $(route_nodes "$VIP1")" in_time "$t"
	t=$(wait_nodes "$VIP6" "1 2 4" 3000)
	check flap.v6_back "router: $(route_nodes "$VIP6")" in_time "$t"
}

# Item 2 (and 6), with issue 12's fleet case: balancer 3 dies right after l1 and l2 have
# added b3 to VIP_SC and VIP_CT (the file rewritten and reloaded first, so every flow that
# moves meets the new backend set); BFD makes the router drop l3 within a second. The router
# (hash-threshold ECMP) moves l3's flows and some of l2's; the survivors hold no
# connection-table entry for them, and Maglev now sends about a third of them to b3: VIP_CT
# loses those. On VIP_SC, b3 relays them to the second hop, the backend they had.
f_node_dies() {
	local t0 t4 t6 r ms rel0 pids=''
	for r in sc ct; do
		streams_bg "$r" "$([[ $r == sc ]] && echo "$VIP_SC" || echo "$VIP_CT")" \
			"$KILL_STREAMS" 6
		pids="$pids ${STREAM_PIDS##* }"
	done
	load_bg dies 6
	for r in sc ct; do
		wait_line "$TOPO_DIR/streams.$r" '^ready' 5000 || fail "dies.streams_open.$r" "not open"
	done
	sleep 1
	rel0=$(sc_decap_sum relayed)
	ms=$(add_b3 1 2)
	topo_kill "$TOPO_DIR/xlbd-l3.pid" KILL
	t0=$(now_ms)
	ip -n "$(lb_ns 3)" link set dev "$(lb_dev 3)" down
	check "dies.b3_added_first ($ms ms after SIGHUP)" "l1: $(lb_added 1), l2: $(lb_added 2)" \
		in_time "$ms"
	t4=$(wait_nodes "$VIP1" "1 2" 3000 "$t0")
	t6=$(wait_nodes "$VIP6" "1 2" 3000 "$t0")
	check "dies.v4_withdrawn_1s ($t4 ms)" "router still sends $VIP1 to: $(route_nodes "$VIP1")" \
		in_time "$t4" 1000
	check "dies.v6_withdrawn_1s ($t6 ms)" "router: $(route_nodes "$VIP6")" \
		in_time "$t6" 1000
	wait "$LOAD_PID"
	check "dies.new_connections ($(grep '^total' "$TOPO_DIR/load.dies"))" \
		"$(grep -m3 '^fail' "$TOPO_DIR/load.dies" | tr '\n' '|')" \
		eval '[ "$(field "$TOPO_DIR/load.dies" failed)" -le 4 ] &&
		      [ "$(field "$TOPO_DIR/load.dies" ok)" -gt 100 ]'
	# shellcheck disable=SC2086 # the pids are words
	wait $pids
	f_kill_add_streams "$rel0"
}

# f_kill_add_streams RELAYED_BEFORE: what f_node_dies did to the streams of VIP_SC and VIP_CT.
f_kill_add_streams() {
	local sc ct rel
	sc=$(field "$TOPO_DIR/streams.sc" broken)
	ct=$(field "$TOPO_DIR/streams.ct" broken)
	rel=$(($(sc_decap_sum relayed) - $1))
	echo "# balancer killed while a backend was added: second chance $sc of $KILL_STREAMS" \
		"streams broken, connection table $ct of $KILL_STREAMS"
	check "dies.second_chance_unbroken ($(grep '^streams' "$TOPO_DIR/streams.sc"))" \
		"$(grep -m3 -E '^(broken|streams)' "$TOPO_DIR/streams.sc" | tr '\n' '|')" \
		streams_ok sc "$KILL_STREAMS"
	check "dies.second_chance_relayed ($rel packets)" "the backends relayed nothing" \
		[ "$rel" -gt 0 ]
	check "dies.connection_table_breaks ($ct of $KILL_STREAMS broken)" \
		"$(grep -m3 -E '^(broken|streams)' "$TOPO_DIR/streams.ct" | tr '\n' '|')" \
		[ "$ct" -gt 0 ]
}

# Item 3 (and 6): a drained balancer is withdrawn and stops forwarding; undrained, it is back.
f_drain() {
	local t rc
	lb_xlb 1 node drain
	t=$(wait_nodes "$VIP1" "2" 4000)
	check "drain.v4_withdrawn ($t ms)" "router: $(route_nodes "$VIP1")" \
		in_time "$t"
	t=$(wait_nodes "$VIP6" "2" 2000)
	check "drain.v6_withdrawn" "router: $(route_nodes "$VIP6")" in_time "$t"
	sleep 0.3
	check drain.l1_idle "balancer 1 still forwards" still 1 1500
	check drain.status "$(lb_xlb 1 status | tail -n 1)" \
		eval 'lb_xlb 1 status | grep -q "node drained; VIP routes in table $FLEET_TABLE"'
	rc=0
	lb_xlb 1 node check >/dev/null || rc=$?
	check drain.check_exit_1 "node check: exit $rc" [ "$rc" -eq 1 ]
	lb_xlb 1 node undrain
	t=$(wait_nodes "$VIP1" "1 2" 4000)
	check "drain.v4_back ($t ms)" "router: $(route_nodes "$VIP1")" \
		in_time "$t"
	t=$(wait_nodes "$VIP6" "1 2" 2000)
	check drain.v6_back "router: $(route_nodes "$VIP6")" in_time "$t"
	check drain.l1_forwards_again "balancer 1's counters did not grow" grows 1 1500
}

# Item 4: VIP2's only backend unreachable from balancer 2 alone: only balancer 2 withdraws it.
f_local_down() {
	local t
	ip -n "$(lb_ns 2)" route add prohibit "$(be_v4 3)/32"
	t=$(wait_nodes "$VIP2" "1" 5000)
	check "local_down.withdrawn_by_l2_only ($t ms)" "router: $(route_nodes "$VIP2")" \
		in_time "$t"
	check local_down.vip1_kept "router: $(route_nodes "$VIP1")" [ "$(route_nodes "$VIP1")" = "1 2" ]
	check local_down.logged "$(grep -c withdrew "$TOPO_DIR/xlbd-l2.log") withdrawals logged" \
		grep -q "withdrew VIP route $VIP2/32 from table $FLEET_TABLE: no usable backend" \
		"$TOPO_DIR/xlbd-l2.log"
	check local_down.metric "$(lb_in 2 curl -s 127.0.0.1:9661/metrics | grep announced)" \
		eval 'lb_in 2 curl -s 127.0.0.1:9661/metrics |
		      grep -qx "xlb_vip_announced{vip=\"$VIP2\"} 0"'
	ip -n "$(lb_ns 2)" route del prohibit "$(be_v4 3)/32"
	t=$(wait_nodes "$VIP2" "1 2" 5000)
	check "local_down.back ($t ms)" "router: $(route_nodes "$VIP2")" \
		in_time "$t"
}

# Item 5: a fourth balancer publishes only after its first health round (BIRD not running
# there yet: publishing does not need it), its BIRD starts and announces, and it takes a share.
f_join() {
	local t log=$TOPO_DIR/xlbd-l4.log
	load_bg join 8
	xlbd_start 4 "$TOPO_DIR/xlb.yaml"
	t=$(wait_published 4 "$VIP1" 8000)
	check "join.published_without_bird ($t ms after start)" "table $FLEET_TABLE of l4: $(
		ip -n "$(lb_ns 4)" route show table "$FLEET_TABLE" | tr '\n' '|')" in_time "$t"
	check join.not_announced_yet "router: $(route_nodes "$VIP1")" \
		[ "$(route_nodes "$VIP1")" = "1 2" ]
	fleet_lb_bird 4
	t=$(wait_nodes "$VIP1" "1 2 4" 8000)
	check "join.v4_announced ($t ms after BIRD started)" "router: $(route_nodes "$VIP1")" \
		in_time "$t"
	t=$(wait_nodes "$VIP6" "1 2 4" 3000)
	check join.v6_added "router: $(route_nodes "$VIP6")" in_time "$t"
	check join.after_first_round "$(grep -E 'ready|first health|published' "$log" | head -n 4 |
		tr '\n' '|')" eval 'log_order "$log" "ready on" "first health round of every VIP done" &&
		log_order "$log" "first health round of every VIP done" "published VIP route"'
	check join.l4_forwards "balancer 4's counters did not grow" grows 4 1500
	check join.fingerprints_equal "l1: $(lb_fingerprints 1 | tr '\n' '|') l4: $(lb_fingerprints 4 |
		tr '\n' '|')" [ "$(lb_fingerprints 4)" = "$(lb_fingerprints 1)" ]
	wait "$LOAD_PID"
	check "join.new_connections ($(grep '^total' "$TOPO_DIR/load.join"))" \
		"$(grep -m3 '^fail' "$TOPO_DIR/load.join" | tr '\n' '|')" \
		eval '[ "$(field "$TOPO_DIR/load.join" failed)" -eq 0 ]'
}

# SIGTERM leaves xlbd's routes (and the data plane) in place; xlb detach removes them.
f_stop_detach() {
	local t table
	topo_kill "$TOPO_DIR/xlbd-l2.pid" TERM
	table=$(published 2)
	check "stop.routes_stay ($table routes)" "table $FLEET_TABLE of l2 has $table routes" \
		[ "$table" -eq "$FLEET_VIP_ADDRS" ]
	check stop.still_announced "router: $(route_nodes "$VIP1")" \
		[ "$(route_nodes "$VIP1")" = "1 2 4" ]
	lb_in 2 "$XLB" detach "$(lb_dev 2)"
	table=$(published 2)
	check "detach.routes_removed ($table left)" "table $FLEET_TABLE of l2 has $table routes" \
		[ "$table" -eq 0 ]
	t=$(wait_nodes "$VIP1" "1 4" 4000)
	check "detach.withdrawn ($t ms)" "router: $(route_nodes "$VIP1")" in_time "$t"
}

t_fleet() {
	local n r t0 p
	fleet_conf >"$TOPO_DIR/xlb.yaml"
	for n in 1 2 3; do xlbd_start "$n" "$TOPO_DIR/xlb.yaml"; done
	t0=$(wait_nodes "$VIP1" "1 2 3" 20000)
	check "fleet.ecmp_v4 ($t0 ms)" "router: $(route_nodes "$VIP1")" in_time "$t0"
	t0=$(wait_nodes "$VIP6" "1 2 3" 5000)
	check fleet.ecmp_v6 "router: $(route_nodes "$VIP6")" in_time "$t0"
	t0=$(wait_nodes "$VIP_SC" "1 2 3" 5000) && t0=$(wait_nodes "$VIP_CT" "1 2 3" 5000)
	check fleet.ecmp_sc_ct "router: $(route_nodes "$VIP_SC") / $(route_nodes "$VIP_CT")" \
		in_time "$t0"
	for r in $STREAM_RUNS; do
		streams_bg "$r" "$([[ $r == v6 ]] && echo "$VIP6" || echo "$VIP1")" "$STREAMS_EACH" \
			"$STREAM_SECS"
	done
	t0=$(now_ms)
	for r in $STREAM_RUNS; do
		wait_line "$TOPO_DIR/streams.$r" '^ready' 10000 || fail "fleet.streams_open.$r" "not open"
	done
	f_spread
	f_node_dies
	f_drain
	f_local_down
	f_join
	f_flap
	echo "fleet: scenarios took $((($(now_ms) - t0) / 1000)) s of the streams' $STREAM_SECS s"
	for p in $STREAM_PIDS; do wait "$p"; done
	f_stop_detach
	for r in $STREAM_RUNS; do
		check "fleet.streams_unbroken.$r ($(grep '^streams' "$TOPO_DIR/streams.$r"))" \
			"$(grep -m3 -E '^(broken|streams)' "$TOPO_DIR/streams.$r" | tr '\n' '|')" \
			streams_ok "$r" "$STREAMS_EACH"
	done
}
