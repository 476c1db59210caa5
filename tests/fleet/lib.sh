# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# What the fleet scenarios measure: which balancers the router's route to a VIP goes through,
# how long until that changes, a balancer's counters and table fingerprints, and the
# client's long-lived streams and new connections. Sourced (bash), after topo.sh.

# route_nodes ADDR: the balancers (numbers, sorted, space-separated) the router sends ADDR to.
# Balancer N is 198.18.0.(20+N) or 2001:db8::(20+N): the last part of the next hop, less 20.
route_nodes() {
	local fam=-4
	[[ $1 != *:* ]] || fam=-6
	ip -n "$NS_R" "$fam" route show "$1" | awk '{
		for (i = 1; i < NF; i++)
			if ($i == "via") { n = split($(i + 1), p, /[.:]/); print p[n] - 20 }
	}' | sort -n | tr '\n' ' ' | sed 's/ $//'
}

# wait_nodes ADDR WANT MS [T0]: the route to ADDR goes through exactly WANT within MS of T0
# (default now); prints the milliseconds since T0 it took (or "timeout: NODES").
wait_nodes() {
	local t0=${4:-$(now_ms)} got
	while :; do
		got=$(route_nodes "$1")
		[ "$got" != "$2" ] || { echo $(($(now_ms) - t0)); return 0; }
		[ $(($(now_ms) - t0)) -lt "$3" ] || { echo "timeout: '$got'"; return 1; }
		sleep 0.02
	done
}

# wait_published N ADDR MS: balancer N's kernel has ADDR's VIP route within MS (prints ms).
wait_published() {
	local t0
	t0=$(now_ms)
	until [ -n "$(ip -n "$(lb_ns "$1")" route show table "$FLEET_TABLE" "$2" 2>/dev/null)" ]; do
		[ $(($(now_ms) - t0)) -lt "$3" ] || { echo timeout; return 1; }
		sleep 0.05
	done
	echo $(($(now_ms) - t0))
}

# published N: how many VIP routes (IPv4 and IPv6) balancer N's kernel has.
published() {
	{
		ip -n "$(lb_ns "$1")" -4 route show table "$FLEET_TABLE" proto 250
		ip -n "$(lb_ns "$1")" -6 route show table "$FLEET_TABLE" proto 250
	} 2>/dev/null | wc -l
}

# in_time T [MAX]: T (what wait_nodes printed) is a time, at most MAX ms.
in_time() {
	[[ $1 =~ ^[0-9]+$ ]] && [ "$1" -le "${2:-$1}" ]
}

# lb_packets N: packets balancer N forwarded for the streamed VIPs (VIP1:7 and VIP6:7).
lb_packets() {
	lb_xlb "$1" -j stats | jq '[.vips[] | select(.vip == "tcp:'"$VIP1"':7" or
		.vip == "tcp:['"$VIP6"']:7") | .packets] | add'
}

# grows_vip N MS: balancer N's VIP_VRRP counters grow over MS milliseconds.
grows_vip() {
	local a
	a=$(lb_xlb "$1" -j stats | jq '[.vips[].packets] | add')
	sleep "$(echo "$2" | awk '{ print $1 / 1000 }')"
	[ "$(lb_xlb "$1" -j stats | jq '[.vips[].packets] | add')" -gt "$a" ]
}

# lb_added N: how many backends of VIP_SC and VIP_CT (port 7) are up on balancer N.
lb_added() {
	lb_xlb "$1" -j vip list | jq '[.[] | select(.vip == "tcp:'"$VIP_SC"':7" or
		.vip == "tcp:'"$VIP_CT"':7") | .backends[] | select(.state == "up")] | length'
}

# add_b3 N...: b3 joins VIP_SC and VIP_CT in the file and balancers N reload it (SIGHUP);
# prints the milliseconds until all of them serve with it (or "timeout").
add_b3() {
	local n t0
	fleet_conf added >"$TOPO_DIR/xlb.yaml"
	t0=$(now_ms)
	for n in "$@"; do kill -HUP "$(cat "$TOPO_DIR/xlbd-l$n.pid")"; done
	for n in "$@"; do
		until [ "$(lb_added "$n")" = 6 ]; do
			[ $(($(now_ms) - t0)) -lt 5000 ] || { echo timeout; return 1; }
			sleep 0.02
		done
	done
	echo $(($(now_ms) - t0))
}

# lb_fingerprints N: "VIP FINGERPRINT" lines of balancer N.
lb_fingerprints() {
	lb_xlb "$1" -j vip list | jq -r '.[] | "\(.vip) \(.fingerprint)"'
}

# grows N MS: balancer N's counters grow over MS milliseconds.
grows() {
	local a
	a=$(lb_packets "$1")
	sleep "$(echo "$2" | awk '{ print $1 / 1000 }')"
	[ "$(lb_packets "$1")" -gt "$a" ]
}

# still N MS: balancer N's counters do not move over MS milliseconds.
still() {
	local a
	a=$(lb_packets "$1")
	sleep "$(echo "$2" | awk '{ print $1 / 1000 }')"
	[ "$(lb_packets "$1")" -eq "$a" ]
}

# streams_bg NAME ADDR COUNT SECS: long-lived connections to ADDR's echo, a line every 100 ms.
streams_bg() {
	topo_client "$E2E_BIN/e2e_client" streams "$2" 7 -n "$3" -t "$4" -i 100 -T 4000 \
		>"$TOPO_DIR/streams.$1" 2>&1 &
	STREAM_PIDS="${STREAM_PIDS:-} $!"
}

# load_bg NAME SECS: new connections to VIP1:80 all the time (4 at once), output load.NAME.
load_bg() {
	topo_client "$E2E_BIN/e2e_client" load "$VIP1" 80 -t "$2" -c 4 -i 20 -T 3000 \
		>"$TOPO_DIR/load.$1" 2>&1 &
	# shellcheck disable=SC2034 # waited for by the scenarios
	LOAD_PID=$!
}

# streams_ok NAME COUNT: every stream of that run lasted (none broken).
streams_ok() {
	grep -qx "streams $2 broken 0 lines [0-9]*" "$TOPO_DIR/streams.$1"
}

# log_order FILE A B: a line matching A comes before the first line matching B.
log_order() {
	local a b
	a=$(grep -n -m1 "$2" "$1" | cut -d: -f1)
	b=$(grep -n -m1 "$3" "$1" | cut -d: -f1)
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]
}

# readme_block NAME: the code block after README.md's "<!-- fleet:NAME -->" line.
readme_block() {
	awk -v m="<!-- fleet:$1 -->" '$0 == m { on = 1; next }
		on && /^```/ { if (in_block) exit; in_block = 1; next }
		in_block { print }' README.md
}

# The configurations README.md shows are the ones these tests run (same generators).
t_readme() {
	check readme.bird_balancer "README's balancer config differs from bird_balancer's" \
		[ "$(readme_block bird-balancer)" = "$(bird_balancer 198.18.0.21 65001 198.18.0.1 \
			2001:db8::1 65000 9661)" ]
	check readme.bird_router "README's router config differs from bird_router's" \
		[ "$(readme_block bird-router)" = "$(bird_router 198.18.0.1 65000 65001 198.18.0.21 \
			198.18.0.22 198.18.0.23 -- 2001:db8::21 2001:db8::22 2001:db8::23)" ]
	check readme.keepalived "README's keepalived config differs from keepalived_conf's" \
		[ "$(readme_block keepalived)" = "$(keepalived_conf eth1 150 198.18.100.3 \
			/usr/local/sbin/xlb)" ]
}
