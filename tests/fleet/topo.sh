# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The fleet topology, built on tests/e2e/topo.sh (sourced first: router, client and backends
# come from there) under names of its own, $TOPO_P = xlbfPID:
#
#   client (-c) 198.19.0.2, 2001:db8:1::2
#      |
#   router (-r) bridge 198.18.0.1, 2001:db8::1: BIRD, one BGP+BFD session per balancer and
#      |          family, ECMP routes to the VIPs with L4 hashing
#      +-- balancer N (-lN) 198.18.0.(20+N), 2001:db8::(20+N): xlbd on its veth, BIRD
#      |          announcing xlbd's VIP routes (kernel table FLEET_TABLE)
#      +-- backend N (-bN) as in tests/e2e/topo.sh: decap, VIPs on lo, backend_srv
#
# Every BIRD runs in the foreground with its config, control socket and pid file under
# $TOPO_DIR; fleet_down stops everything and removes every namespace. Sourced (bash).

# shellcheck disable=SC2034 # (whole file) variables are for the scripts that source it
TOPO_P=xlbf$(($$ % 100000))
TOPO_DIR=/tmp/$TOPO_P.topo
TOPO_BACKENDS=3
NS_C=$TOPO_P-c
NS_R=$TOPO_P-r
NS_LB=$TOPO_P-lb # not built: the balancers are fleet_lb_up's
LB_DEV=$TOPO_P-lb
BRIDGE=$TOPO_P-br
FLEET_NODES=4 # balancers under BGP; the fourth joins later
FLEET_START=3 # balancers whose BIRD fleet_up starts
FLEET_ALL=6   # and two more: the keepalived pair
FLEET_TABLE=9661
ROUTER_AS=65000
LB_AS=65001

lb_ns() { echo "$TOPO_P-l$1"; }
lb_dev() { echo "$TOPO_P-l$1"; }
lb_v4() { echo "198.18.0.$((20 + $1))"; }
lb_v6() { echo "2001:db8::$((20 + $1))"; }
lb_mac() { printf '02:00:00:00:03:%02x\n' "$1"; }
# The link-local address the kernel gives balancer N's interface (EUI-64 of its MAC).
lb_ll() { printf 'fe80::ff:fe00:3%02x\n' "$1"; }
lb_in() {
	local n=$1
	shift
	in_netns "$(lb_ns "$n")" "$@"
}
lb_xlb() {
	local n=$1
	shift
	lb_in "$n" "$XLB" -i "$(lb_dev "$n")" "$@"
}

# Balancer N: namespace, veth on the router's bridge (its peer with the pass-through XDP
# program, so frames xlb sends back with XDP_TX arrive), addresses, default routes.
fleet_lb_up() {
	local ns dev peer=$TOPO_P-rl$1
	ns=$(lb_ns "$1")
	dev=$(lb_dev "$1")
	netns_add "$ns" || return 1
	topo_veth "$ns" "$dev" "$(lb_mac "$1")" "$peer"
	ip -n "$NS_R" link set "$peer" master "$BRIDGE"
	ip -n "$NS_R" link set dev "$peer" xdpdrv obj "$E2E_BIN/xdp_pass.bpf.o" sec xdp
	ip -n "$ns" addr add "$(lb_v4 "$1")/24" dev "$dev"
	ip -n "$ns" addr add "$(lb_v6 "$1")/64" dev "$dev" nodad
	ip -n "$ns" route add default via "$ROUTER4"
	ip -n "$ns" -6 route add default via "$ROUTER6"
	# xlb learns the router's MAC (its next hop) from the neighbour entry.
	lb_in "$1" ping -c 1 -W 2 "$ROUTER4" >/dev/null
}

# bird_start NS NAME: BIRD in NS with $TOPO_DIR/NAME.conf (already written), in the
# foreground, socket NAME.ctl, pid file NAME.birdpid; waits until it answers.
bird_start() {
	local i
	topo_spawn "$1" "$TOPO_DIR/$2.log" "$TOPO_DIR/$2.pid" bird -f -c "$TOPO_DIR/$2.conf" \
		-s "$TOPO_DIR/$2.ctl" -P "$TOPO_DIR/$2.birdpid"
	for i in $(seq 50); do
		birdc -s "$TOPO_DIR/$2.ctl" show status >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "fleet: BIRD $2 did not start: $(cat "$TOPO_DIR/$2.log")" >&2
	return 1
}

# birdc NAME CMD...: a command to BIRD NAME.
fleet_birdc() {
	local name=$1
	shift
	birdc -s "$TOPO_DIR/$name.ctl" "$@"
}

fleet_router_bird() {
	local n v4="" v6=""
	for n in $(seq "$FLEET_NODES"); do
		v4="$v4 $(lb_v4 "$n")"
		v6="$v6 $(lb_v6 "$n")"
	done
	# BIRD logs to syslog unless told: the tests keep its log beside the others.
	# shellcheck disable=SC2086 # the addresses are words
	{
		echo "log stderr all; debug protocols { states };"
		bird_router "$ROUTER4" "$ROUTER_AS" "$LB_AS" $v4 -- $v6
	} >"$TOPO_DIR/bird-r.conf"
	bird_start "$NS_R" bird-r
}

fleet_lb_bird() {
	{
		echo "log stderr all; debug protocols { states };"
		bird_balancer "$(lb_v4 "$1")" "$LB_AS" "$ROUTER4" "$ROUTER6" "$ROUTER_AS" \
			"$FLEET_TABLE"
	} >"$TOPO_DIR/bird-l$1.conf"
	bird_start "$(lb_ns "$1")" "bird-l$1"
}

# xlbd_start N CONF: xlbd on balancer N with CONF, log $TOPO_DIR/xlbd-lN.log.
xlbd_start() {
	topo_spawn "$(lb_ns "$1")" "$TOPO_DIR/xlbd-l$1.log" "$TOPO_DIR/xlbd-l$1.pid" \
		"$XLBD" -i "$(lb_dev "$1")" -c "$2"
}

# The router: ECMP with L4 hashing, so one client's connections spread over the balancers.
fleet_up() {
	local n
	[ "$(id -u)" -eq 0 ] || { echo "fleet: run as root" >&2; return 1; }
	topo_build || return 1
	mkdir -p "$TOPO_DIR"
	topo_router_up || return 1
	netns_sysctl "$NS_R" net.ipv4.fib_multipath_hash_policy=1 \
		net.ipv6.fib_multipath_hash_policy=1
	topo_client_up || return 1
	for n in $(seq "$TOPO_BACKENDS"); do
		topo_backend_up "$n" || return 1
	done
	for n in $(seq "$FLEET_NODES"); do
		fleet_lb_up "$n" || return 1
	done
	fleet_router_bird || return 1
	for n in $(seq "$FLEET_START"); do
		fleet_lb_bird "$n" || return 1
	done
}

# Stops every process (xlbd with SIGTERM, then BIRD), detaches xlb, removes the namespaces.
fleet_down() {
	local n f
	for f in "$TOPO_DIR"/ka-*.pid "$TOPO_DIR"/xlbd-*.pid "$TOPO_DIR"/*.pid; do
		[ ! -f "$f" ] || topo_kill "$f" TERM
	done
	for n in $(seq "$FLEET_ALL"); do
		pins_drop "$(lb_ns "$n")" /sys/fs/bpf/xlb "$(lb_dev "$n")" \
			"$XLB" detach "$(lb_dev "$n")"
		[ ! -e "/run/netns/$(lb_ns "$n")" ] || ip netns del "$(lb_ns "$n")" 2>/dev/null
	done
	topo_down
}
