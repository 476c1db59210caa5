# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The end-to-end topology, sourced by run.sh and demo.sh (bash). Namespaces, all named $TOPO_P-*:
#
#   client (-c) 198.19.0.2 (and .3-.9), 2001:db8:1::2
#      |
#   router (-r) 198.19.0.1 / bridge 198.18.0.1, 2001:db8::1; routes the VIPs
#      |          (198.18.100.0/24, 2001:db8:100::/64) to the balancer
#      +-- balancer (-lb) 198.18.0.2, 2001:db8::2: xlb in native XDP on its veth, one-armed
#      +-- backend N (-bN) 198.18.0.(10+N), 2001:db8::(10+N): VIPs on lo, xlb decap on its
#          veth, arp_ignore=1/arp_announce=2, backend_srv answering with its name "bN"
#      +-- nat backend N (-nN, made by topo_nat_up) 198.18.0.(40+N), 2001:db8::(40+N): a
#          plain server (no VIP, no decap) whose default route is the balancer (LVS-NAT) or
#          the router (full NAT)
#
# Replies go from the backends to the client through the router (direct server return).
# topo_up builds it, topo_down removes everything it made (also half-built); both idempotent.
# The caller sets BUILD (default build) and may set TOPO_ID (a suffix, so runs do not collide)
# and TOPO_BACKENDS (default 4); it runs from the top of the checkout (this sources
# tests/lib/ns.sh from there).

# shellcheck source=tests/lib/ns.sh
. tests/lib/ns.sh

# shellcheck disable=SC2034 # (whole file) variables are for the scripts that source it
BUILD=${BUILD:-build}
TOPO_ID=${TOPO_ID:-}
TOPO_BACKENDS=${TOPO_BACKENDS:-4}
TOPO_P=xlbe$TOPO_ID
TOPO_DIR=${TOPO_DIR:-/tmp/$TOPO_P.topo}
XLB=$BUILD/xlb
XLBD=$BUILD/xlbd
E2E_BIN=$BUILD/tests/e2e

NS_C=$TOPO_P-c
NS_R=$TOPO_P-r
NS_LB=$TOPO_P-lb
LB_DEV=$TOPO_P-lb	# the balancer's interface (pins live under its name: unique per run)
LB_PEER=$TOPO_P-rlb	# its router-side peer, with the pass-through XDP program
BRIDGE=$TOPO_P-br

CLIENT4=198.19.0.2
CLIENT6=2001:db8:1::2
ROUTER4=198.18.0.1
ROUTER6=2001:db8::1
ROUTER_MAC=02:00:00:00:00:01
LB4=198.18.0.2
LB6=2001:db8::2
LB_MAC=02:00:00:00:00:02
# VIP addresses every backend has on lo: .1-.9 and ::1-::9.
VIP4_PREFIX=198.18.100.
VIP6_PREFIX=2001:db8:100::

be_ns() { echo "$TOPO_P-b$1"; }
be_dev() { echo "$TOPO_P-b$1"; }
be_v4() { echo "198.18.0.$((10 + $1))"; }
be_v6() { echo "2001:db8::$((10 + $1))"; }
be_mac() { printf '02:00:00:00:01:%02x\n' "$1"; }

nat_ns() { echo "$TOPO_P-n$1"; }
nat_v4() { echo "198.18.0.$((40 + $1))"; }
nat_v6() { echo "2001:db8::$((40 + $1))"; }
nat_mac() { printf '02:00:00:00:04:%02x\n' "$1"; }
TOPO_NAT_BACKENDS=2

topo_lb() { in_netns "$NS_LB" "$@"; }
topo_client() { in_netns "$NS_C" "$@"; }
topo_router() { in_netns "$NS_R" "$@"; }
topo_backend() { in_nth_netns be_ns "$@"; }
# xlb on the balancer's interface.
topo_xlb() { topo_lb "$XLB" -i "$LB_DEV" "$@"; }

# Builds the test programs when the Makefile has not (running this file straight from git).
topo_build() {
	mkdir -p "$E2E_BIN"
	local s
	for s in backend_srv e2e_client badpkt; do
		[ -f "tests/e2e/$s.c" ] || continue
		[ "$E2E_BIN/$s" -nt "tests/e2e/$s.c" ] && continue
		${CC:-cc} -O2 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -o "$E2E_BIN/$s" \
			"tests/e2e/$s.c" || return 1
	done
	if [ ! "$E2E_BIN/xdp_pass.bpf.o" -nt tests/e2e/xdp_pass.bpf.c ]; then
		${CLANG:-clang} -target bpf -O2 -g -Wall -I. -c tests/e2e/xdp_pass.bpf.c \
			-o "$E2E_BIN/xdp_pass.bpf.o" || return 1
	fi
}

# One veth from namespace $1 (device $2, MAC $3) to the router (device $4).
topo_veth() {
	ip link add "$2" netns "$1" address "$3" type veth peer name "$4" netns "$NS_R"
	# Kernel TCP over veth leaves checksums partial; a receiver behind XDP drops those.
	in_netns "$1" ethtool -K "$2" tx off >/dev/null
	in_netns "$NS_R" ethtool -K "$4" tx off >/dev/null
	ip -n "$1" link set "$2" up
	ip -n "$NS_R" link set "$4" up
}

topo_router_up() {
	netns_add "$NS_R" || return 1
	netns_sysctl "$NS_R" net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
	ip -n "$NS_R" link add "$BRIDGE" address "$ROUTER_MAC" type bridge stp_state 0 \
		mcast_snooping 0
	ip -n "$NS_R" link set "$BRIDGE" up
	ip -n "$NS_R" addr add "$ROUTER4/24" dev "$BRIDGE"
	ip -n "$NS_R" addr add "$ROUTER6/64" dev "$BRIDGE" nodad
}

topo_client_up() {
	local i
	netns_add "$NS_C" || return 1
	topo_veth "$NS_C" "$TOPO_P-c" 02:00:00:00:02:02 "$TOPO_P-rc"
	ip -n "$NS_R" addr add 198.19.0.1/24 dev "$TOPO_P-rc"
	ip -n "$NS_R" addr add 2001:db8:1::1/64 dev "$TOPO_P-rc" nodad
	ip -n "$NS_C" addr add "$CLIENT4/24" dev "$TOPO_P-c"
	# More client addresses (.3-.9), for schedulers that hash the source address only.
	for i in 3 4 5 6 7 8 9; do
		ip -n "$NS_C" addr add "198.19.0.$i/24" dev "$TOPO_P-c"
	done
	ip -n "$NS_C" addr add "$CLIENT6/64" dev "$TOPO_P-c" nodad
	ip -n "$NS_C" route add default via 198.19.0.1
	ip -n "$NS_C" -6 route add default via 2001:db8:1::1
}

topo_lb_up() {
	netns_add "$NS_LB" || return 1
	topo_veth "$NS_LB" "$LB_DEV" "$LB_MAC" "$LB_PEER"
	ip -n "$NS_R" link set "$LB_PEER" master "$BRIDGE"
	ip -n "$NS_R" link set dev "$LB_PEER" xdpdrv obj "$E2E_BIN/xdp_pass.bpf.o" sec xdp
	ip -n "$NS_LB" addr add "$LB4/24" dev "$LB_DEV"
	ip -n "$NS_LB" addr add "$LB6/64" dev "$LB_DEV" nodad
	ip -n "$NS_LB" route add default via "$ROUTER4"
	ip -n "$NS_LB" -6 route add default via "$ROUTER6"
	ip -n "$NS_R" route add 198.18.100.0/24 via "$LB4"
	ip -n "$NS_R" -6 route add 2001:db8:100::/64 via "$LB6"
}

# Backend N: namespace, veth on the bridge, VIPs on lo, decap, server.
topo_backend_up() {
	local ns dev i
	ns=$(be_ns "$1")
	dev=$(be_dev "$1")
	netns_add "$ns" || return 1
	netns_sysctl "$ns" net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
	topo_veth "$ns" "$dev" "$(be_mac "$1")" "$TOPO_P-rb$1"
	ip -n "$NS_R" link set "$TOPO_P-rb$1" master "$BRIDGE"
	# A veth takes frames a native XDP program sends back (decap's relays) only when its
	# peer runs XDP too.
	ip -n "$NS_R" link set dev "$TOPO_P-rb$1" xdpdrv obj "$E2E_BIN/xdp_pass.bpf.o" sec xdp
	netns_sysctl "$ns" "net.ipv4.conf.$dev.rp_filter=0"
	{
		for i in 1 2 3 4 5 6 7 8 9; do
			echo "addr add $VIP4_PREFIX$i/32 dev lo"
			echo "addr add $VIP6_PREFIX$i/128 dev lo nodad"
		done
		echo "addr add $(be_v4 "$1")/24 dev $dev"
		echo "addr add $(be_v6 "$1")/64 dev $dev nodad"
		echo "route add default via $ROUTER4"
		echo "route add default via $ROUTER6"
	} | ip -n "$ns" -batch -
	# decap learns its next hop (for relays) from the gateway's neighbour entry.
	topo_backend "$1" ping -c 1 -W 2 "$ROUTER4" >/dev/null || return 1
	topo_backend "$1" "$XLB" decap attach "$dev" --local-v4 "$(be_v4 "$1")" \
		--local-v6 "$(be_v6 "$1")"
	topo_srv_start "$1"
}

# topo_nat_up N [router]: nat backend N: namespace, veth on the bridge, default routes via the
# balancer (or, with "router", via the router: no route change at all, as full NAT needs), and
# a server named nN (HTTP on 8080, UDP echo on 5353); nothing of xlb.
topo_nat_up() {
	local ns dev gw4=$LB4 gw6=$LB6
	ns=$(nat_ns "$1")
	dev=$(nat_ns "$1")
	netns_add "$ns" || return 1
	topo_veth "$ns" "$dev" "$(nat_mac "$1")" "$TOPO_P-rn$1"
	ip -n "$NS_R" link set "$TOPO_P-rn$1" master "$BRIDGE"
	ip -n "$ns" addr add "$(nat_v4 "$1")/24" dev "$dev"
	ip -n "$ns" addr add "$(nat_v6 "$1")/64" dev "$dev" nodad
	[ "${2:-}" != router ] || { gw4=$ROUTER4; gw6=$ROUTER6; }
	ip -n "$ns" route add default via "$gw4"
	ip -n "$ns" -6 route add default via "$gw6"
	topo_srv "$ns" "n$1" -p 8080 -e 8007 -u 5353
}

# Stops nat backend N's server and removes its namespace.
topo_nat_down() {
	topo_kill "$TOPO_DIR/n$1.pid"
	[ ! -e "/run/netns/$(nat_ns "$1")" ] || ip netns del "$(nat_ns "$1")" 2>/dev/null || true
}

# topo_spawn NS LOG PIDFILE CMD...: starts CMD in namespace NS in the background, its pid in
# PIDFILE (under $TOPO_DIR, so topo_down ends it). Disowned: killing it prints nothing, and
# the shell still reaps it. In a session of its own: keepalived signals its own process group
# (SIGKILL to a script that outlived it), which would otherwise be the whole test run's. A
# script's background child leads no group, so setsid does not fork and $! stays CMD's pid.
topo_spawn() {
	local ns=$1 log=$2 pidf=$3
	shift 3
	setsid nsenter --net="/run/netns/$ns" "$@" >"$log" 2>&1 </dev/null &
	echo $! >"$pidf"
	disown $!
}

# topo_kill PIDFILE [SIGNAL]: ends that process, with every process of its group when it leads
# one (topo_spawn's do), and waits until it is gone (SIGKILL after 5 s); the pid file goes, so
# the pid is never signalled again.
topo_kill() {
	local pid i
	[ -f "$1" ] || return 0
	pid=$(cat "$1")
	rm -f "$1"
	kill "-${2:-KILL}" -- "-$pid" 2>/dev/null || kill "-${2:-KILL}" "$pid" 2>/dev/null ||
		return 0
	# Gone, or a zombie (its parent, whoever adopted it, has yet to reap it).
	for i in $(seq 50); do
		alive "$pid" || return 0
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
}

# topo_srv NS NAME ARG...: backend_srv answering as NAME in namespace NS (its log and pid file
# $TOPO_DIR/NAME.log and .pid), waited for until it listens (5 s at most).
topo_srv() {
	local ns=$1 name=$2
	shift 2
	topo_spawn "$ns" "$TOPO_DIR/$name.log" "$TOPO_DIR/$name.pid" \
		"$E2E_BIN/backend_srv" "$name" "$@"
	wait_line "$TOPO_DIR/$name.log" listening 5000 && return 0
	echo "topo: server $name did not start: $(cat "$TOPO_DIR/$name.log")" >&2
	return 1
}

# Starts backend N's server (named bN) and waits until it listens.
topo_srv_start() {
	topo_srv "$(be_ns "$1")" "b$1"
}

# Stops backend N's server (SIGKILL: like a crash, its connections are reset).
topo_srv_stop() {
	topo_kill "$TOPO_DIR/b$1.pid"
}

topo_up() {
	local t0 n
	t0=$(date +%s%N)
	[ "$(id -u)" -eq 0 ] || { echo "topo: run as root" >&2; return 1; }
	topo_build || return 1
	mkdir -p "$TOPO_DIR"
	topo_router_up || return 1
	topo_client_up || return 1
	topo_lb_up || return 1
	for n in $(seq "$TOPO_BACKENDS"); do
		topo_backend_up "$n" || return 1
	done
	# The balancer learns the router's MAC from its neighbour entry: make sure it is there.
	topo_lb ping -c 1 -W 2 "$ROUTER4" >/dev/null || return 1
	topo_lb ping -6 -c 1 -W 2 "$ROUTER6" >/dev/null || return 1
	TOPO_UP_MS=$((($(date +%s%N) - t0) / 1000000))
}

# xlb attach on the balancer's interface (extra arguments go to attach).
topo_attach() {
	topo_lb "$XLB" attach "$LB_DEV" "$@"
}

topo_down() {
	local n f ns
	# Whatever topo_spawn started and is still running (xlbd gets SIGTERM first).
	for f in "$TOPO_DIR"/*.pid; do
		[ ! -f "$f" ] || topo_kill "$f" TERM
	done
	for n in $(seq "$TOPO_BACKENDS"); do
		pins_drop "$(be_ns "$n")" /sys/fs/bpf/xlb-decap "$(be_dev "$n")" \
			"$XLB" decap detach "$(be_dev "$n")"
	done
	pins_drop "$NS_LB" /sys/fs/bpf/xlb "$LB_DEV" "$XLB" detach "$LB_DEV"
	for n in $(seq "$TOPO_NAT_BACKENDS"); do
		topo_nat_down "$n"
	done
	for ns in "$NS_C" "$NS_LB" $(for n in $(seq "$TOPO_BACKENDS"); do be_ns "$n"; done) \
		"$NS_R"; do
		[ ! -e "/run/netns/$ns" ] || ip netns del "$ns" 2>/dev/null || true
	done
	rm -rf "$TOPO_DIR"
}
