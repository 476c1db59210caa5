#!/usr/bin/env bash
# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# `make demo`: xlb balancing real traffic between network namespaces (see topo.sh): xlbd with
# an IPv4 and an IPv6 VIP, requests from the client and who answered them, wrk for a few
# seconds, the counters and metrics, then a backend stopped and taken out under load.
# Removes everything at the end (and on Ctrl-C); KEEP=1 leaves it running.
# `demo.sh down` removes a topology left by KEEP=1.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

DIR=$(cd "$(dirname "$0")" && pwd)
cd "$DIR/../.." || exit 1
BUILD=${BUILD:-build}
TOPO_BACKENDS=3
# shellcheck source=tests/e2e/topo.sh
. "$DIR/topo.sh"

VIP4=198.18.100.1
VIP6=2001:db8:100::1
CONF=$TOPO_DIR/xlbd.yaml
STATUS_CMD="nsenter --net=/run/netns/$NS_LB curl http://127.0.0.1:9661/"

if [ "${1:-}" = down ]; then
	topo_down
	echo "xlb demo removed."
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "demo.sh: run as root (it creates network namespaces and attaches XDP programs)" >&2
	exit 1
fi

heading() {
	if [ -t 1 ]; then
		printf '\n\033[1m== %s\033[0m\n' "$*"
	else
		printf '\n== %s\n' "$*"
	fi
}

indent() {
	sed 's/^/    /'
}

finish() {
	local rc=$?
	trap - EXIT INT TERM HUP
	if [ "${KEEP:-0}" = 1 ] && [ "$rc" -eq 0 ]; then
		heading "Left running (KEEP=1)"
		echo "    status page:  $STATUS_CMD"
		echo "    a request:    nsenter --net=/run/netns/$NS_C curl http://$VIP4/"
		echo "    xlb itself:   nsenter --net=/run/netns/$NS_LB $XLB stats"
		echo "    remove it:    sh tests/e2e/demo.sh down"
		exit 0
	fi
	heading "Teardown"
	topo_down
	echo "    namespaces, XDP programs and pins removed"
	exit "$rc"
}

# A step that did not do what the demo shows: say which, and stop (the trap tears down).
fail() {
	echo "    FAILED: $*" >&2
	exit 1
}

# One GET from the client: "URL -> NAME"; a failed request stops the demo.
get() {
	local out rc=0
	out=$(topo_client curl -sS -g --max-time 2 "$1" 2>&1) || rc=$?
	printf '    GET %-28s -> %s\n' "$1" "$out"
	[ "$rc" -eq 0 ] || fail "GET $1: curl exit $rc"
}

# The health state of backend N of the IPv4 VIP, from the maps.
state_of() {
	topo_xlb -j vip list | jq -r --arg v "tcp:$VIP4:80" --arg a "$(be_v4 "$1")" \
		'.[] | select(.vip == $v) | .backends[] | select(.address == $a) | .state'
}

write_conf() {
	local fam vip fwd n
	echo "# xlbd's configuration for the demo: one IPv4 and one IPv6 VIP."
	echo "vips:"
	for fam in 4 6; do
		if [ "$fam" = 4 ]; then vip="tcp:$VIP4:80" fwd=ipip; else vip="tcp:[$VIP6]:80" fwd=gue; fi
		echo "  - vip: $vip"
		echo "    forward: $fwd"
		echo "    health: { check: http, path: /healthz, interval: 1s, timeout: 500ms," \
			"rise: 2, fall: 2 }"
		echo "    backends:"
		for n in $(seq "$TOPO_BACKENDS"); do
			if [ "$fam" = 4 ]; then
				echo "      - address: $(be_v4 "$n")"
			else
				echo "      - address: $(be_v6 "$n")"
			fi
		done
	done
}

if [ -e "/run/netns/$NS_LB" ]; then
	echo "A demo topology is still up from an earlier run: removing it first."
	topo_down
fi
trap finish EXIT
trap 'exit 130' INT TERM HUP

heading "Topology"
if ! topo_up >"/tmp/$TOPO_P.up.log" 2>&1; then
	echo "    could not build it:"
	indent <"/tmp/$TOPO_P.up.log"
	exit 1
fi
rm -f "/tmp/$TOPO_P.up.log"
bes=$(for n in $(seq "$TOPO_BACKENDS"); do printf '%s ' "$(be_ns "$n")"; done)
cat <<EOF
    client  $NS_C   $CLIENT4, $CLIENT6
      |
    router  $NS_R   routes the VIPs $VIP4 and $VIP6 to the balancer
      |  bridge 198.18.0.0/24, 2001:db8::/64
      +-- balancer $NS_LB   $LB4: xlb in native XDP on $LB_DEV, one-armed (XDP_TX)
      +-- backends $bes  $(be_v4 1)-$(be_v4 "$TOPO_BACKENDS"): VIPs on lo, xlb decap
    replies go from the backends straight to the client (direct server return)
    built in $TOPO_UP_MS ms
EOF

heading "xlbd: attach, configure, health-check"
write_conf >"$CONF"
indent <"$CONF"
topo_spawn "$NS_LB" "$TOPO_DIR/xlbd.log" "$TOPO_DIR/xlbd.pid" "$XLBD" -i "$LB_DEV" -c "$CONF"
for i in $(seq 50); do
	grep -q 'ready on' "$TOPO_DIR/xlbd.log" && break
	sleep 0.1
done
echo "    xlbd's log:"
grep -v '^xlbd: info:   [-+~]' "$TOPO_DIR/xlbd.log" | indent
grep -q 'ready on' "$TOPO_DIR/xlbd.log" || { echo "    xlbd did not start"; exit 1; }
# New backends take no flows before their first check: wait until none is pending.
for i in $(seq 50); do
	[ "$(state_of 1)$(state_of 2)$(state_of 3)" = upupup ] &&
		[ "$(topo_xlb -j vip list | jq '[.[].backends[] | select(.state == "pending")] |
			length')" = 0 ] && break
	sleep 0.1
done
[ "$(state_of 1)$(state_of 2)$(state_of 3)" = upupup ] || fail "backends not all up after 5 s"
echo
echo "    status page while the demo runs:  $STATUS_CMD"

heading "Requests from the client (curl): who answered"
for i in 1 2 3 4 5 6; do
	get "http://$VIP4/"
done
for i in 1 2 3 4 5 6; do
	get "http://[$VIP6]/"
done

heading "wrk: 4 seconds, 8 connections, on each VIP"
for url in "http://$VIP4/" "http://[$VIP6]/"; do
	echo "    $url"
	rc=0
	out=$(topo_client wrk -t 2 -c 8 -d 4s "$url" 2>&1) || rc=$?
	if [ "$rc" -ne 0 ] || ! grep -q 'requests in' <<<"$out"; then
		indent <<<"$out"
		fail "wrk on $url (exit $rc)"
	fi
	grep -E 'Thread Stats|Latency|requests in|Requests/sec|errors|Non-2xx' <<<"$out" | indent
done

heading "xlb stats"
topo_xlb stats | indent

heading "/metrics (a few lines of $(topo_lb curl -s http://127.0.0.1:9661/metrics | grep -vc '^#'))"
topo_lb curl -s http://127.0.0.1:9661/metrics |
	grep -E '^xlb_(backend_up|vip_new_flows_total|backend_packets_total|map_entries)' |
	grep -v 'proto="udp"' | head -n 12 | indent

heading "Stopping backend b2's server while the client keeps asking"
topo_client "$E2E_BIN/e2e_client" load "$VIP4" 80 -t 9 -c 2 -i 20 -T 2000 \
	>"$TOPO_DIR/load.out" 2>&1 &
load=$!
sleep 1
topo_srv_stop 2
t0=$(date +%s%N)
echo "    b2's server killed; one GET every 0.5 s, and what the maps say about b2:"
for i in $(seq 14); do
	ans=$(topo_client curl -s --max-time 2 "http://$VIP4/" 2>&1) || ans="failed"
	printf '    +%4.1fs  GET -> %-7s b2 is %s\n' \
		"$(awk -v t=$(($(date +%s%N) - t0)) 'BEGIN { print t / 1e9 }')" "$ans" "$(state_of 2)"
	sleep 0.5
done
wait "$load"
echo "    xlbd's log:"
grep -E 'down after|up after' "$TOPO_DIR/xlbd.log" | indent
echo "    a second client ran GETs all along (2 connections at a time):"
awk '$1 == "name" { printf "      %s answered %s\n", $2, $3 }
     $1 == "total" { printf "      %s requests, %s failed", $2, $6 }' "$TOPO_DIR/load.out"
echo " (refused by b2 before xlbd took it out)"

heading "b2 back"
topo_srv_start 2
for i in $(seq 50); do
	[ "$(state_of 2)" = up ] && break
	sleep 0.1
done
echo "    b2 is $(state_of 2)"
[ "$(state_of 2)" = up ] || fail "b2 not up again after 5 s"
for i in 1 2 3 4 5 6; do
	get "http://$VIP4/"
done
