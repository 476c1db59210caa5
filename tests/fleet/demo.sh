#!/usr/bin/env bash
# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# `make fleet-demo`: three balancers running xlbd and BIRD behind a BIRD router with ECMP (see
# topo.sh); 120 long-lived connections from a client spread over them, one balancer killed
# (xlbd SIGKILLed, its link down), the router dropping it through BFD, and the connections
# going on through the others, printed as counters per balancer. Removes everything at the end.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

DIR=$(cd "$(dirname "$0")" && pwd)
cd "$DIR/../.." || exit 1
BUILD=${BUILD:-build}
# shellcheck source=tests/fleet/env.sh
. tests/fleet/env.sh
FLEET_NODES=3
STREAMS=120
SECS=24

if [ "$(id -u)" -ne 0 ]; then
	echo "demo.sh: run as root (it creates namespaces and runs BIRD)" >&2
	exit 1
fi

heading() {
	if [ -t 1 ]; then printf '\n\033[1m== %s\033[0m\n' "$*"; else printf '\n== %s\n' "$*"; fi
}

# One line: packets each balancer forwarded in the last second.
rates() {
	local n a=() b=()
	for n in 1 2 3; do a[n]=$(lb_packets "$n" 2>/dev/null || echo 0); done
	sleep 1
	for n in 1 2 3; do b[n]=$(lb_packets "$n" 2>/dev/null || echo "${a[n]}"); done
	printf '  packets/s   l1 %5d   l2 %5d   l3 %5d   (router: via %s)\n' \
		$((b[1] - a[1])) $((b[2] - a[2])) $((b[3] - a[3])) "$(route_nodes "$VIP1")"
}

trap 'heading "Removing the fleet"; fleet_down' EXIT
trap 'exit 130' INT TERM HUP
heading "A router, three balancers (xlbd + BIRD), three backends, a client"
fleet_up || exit 1
fleet_conf >"$TOPO_DIR/xlb.yaml"
for n in 1 2 3; do xlbd_start "$n" "$TOPO_DIR/xlb.yaml"; done
t=$(wait_nodes "$VIP1" "1 2 3" 20000)
echo "BGP up, router's route to $VIP1 after ${t%% *} ms:"
ip -n "$NS_R" route show "$VIP1" | sed 's/^/  /'
echo "table fingerprints (equal on every balancer):"
for n in 1 2 3; do echo "  l$n: $(lb_fingerprints "$n" | tr '\n' ' ')"; done

heading "$STREAMS long-lived connections to $VIP1:7, a line every 100 ms each"
topo_client "$E2E_BIN/e2e_client" streams "$VIP1" 7 -n "$STREAMS" -t "$SECS" -i 100 -T 4000 \
	>"$TOPO_DIR/streams.demo" 2>&1 &
spid=$!
wait_line "$TOPO_DIR/streams.demo" '^ready' 10000
for _ in 1 2 3; do rates; done

heading "Balancer 3 dies: xlbd SIGKILLed, link down"
topo_kill "$TOPO_DIR/xlbd-l3.pid" KILL
t0=$(now_ms)
ip -n "$(lb_ns 3)" link set dev "$(lb_dev 3)" down
t=$(wait_nodes "$VIP1" "1 2" 5000 "$t0")
echo "the router dropped l3 ${t%% *} ms after its link went down (BFD):"
ip -n "$NS_R" route show "$VIP1" | sed 's/^/  /'
for _ in 1 2 3; do rates; done

heading "Balancer 1 drained for maintenance (xlb node drain)"
lb_xlb 1 node drain
t=$(wait_nodes "$VIP1" "2" 5000)
echo "withdrawn after ${t%% *} ms; l1 keeps forwarding what still arrives:"
for _ in 1 2; do rates; done
lb_xlb 1 node undrain
wait_nodes "$VIP1" "1 2" 5000 >/dev/null
echo "undrained:"
rates

heading "The connections"
wait "$spid"
grep -E '^(name|streams|broken)' "$TOPO_DIR/streams.demo" | sed 's/^/  /'
