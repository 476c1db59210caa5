#!/usr/bin/env bash
# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The fleet tests (`make fleet-test`, part of `make test`): real BIRD daemons speaking BGP and
# BFD, an ECMP router, balancers running xlbd, backends running xlb's decap, and long-lived
# streams from a client (scenarios.sh); then an active/backup pair under keepalived
# (vrrp.sh). Prints "ok NAME" / "FAIL NAME: why" per check, then "N passed, N failed".
# FLEET_LOGS=DIR keeps every output file there; FLEET_SKIP="t_fleet t_vrrp" leaves parts out.
set -u

cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh
need_root run.sh "it creates namespaces and runs BIRD and keepalived"
BUILD=${BUILD:-build}
# shellcheck source=tests/fleet/env.sh
. tests/fleet/env.sh
# shellcheck source=tests/fleet/scenarios.sh
. tests/fleet/scenarios.sh
# shellcheck source=tests/fleet/keepalived.sh
. tests/fleet/keepalived.sh
# shellcheck source=tests/fleet/vrrp.sh
. tests/fleet/vrrp.sh

START=$(date +%s)

cleanup() {
	local rc=$? left
	trap - EXIT INT TERM HUP
	[ -z "${FLEET_LOGS:-}" ] || cp -r "$TOPO_DIR/." "$FLEET_LOGS/" 2>/dev/null || true
	fleet_down
	left=$(find /run/netns -maxdepth 1 -name "$TOPO_P-*" 2>/dev/null | wc -l)
	check fleet.down "namespaces left: $left" [ "$left" -eq 0 ]
	left=$(pgrep -f "$TOPO_P" | wc -l)
	check fleet.down_processes "processes left: $(pgrep -af "$TOPO_P" | head -n 3)" \
		[ "$left" -eq 0 ]
	echo "fleet: $(($(date +%s) - START)) s"
	check_done "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

t_readme
fleet_up || { fail fleet.up "the topology did not come up"; exit 1; }
ok "fleet.up (BIRD on the router and $FLEET_NODES balancers)"
[[ " ${FLEET_SKIP:-} " == *" t_fleet "* ]] || t_fleet
[[ " ${FLEET_SKIP:-} " == *" t_vrrp "* ]] || t_vrrp
FINISHED=1
