#!/usr/bin/env bash
# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# Real-traffic tests (`make e2e-test`, part of `make test`): the topology of topo.sh, real
# TCP/UDP/ICMP from the client through xlb to backends that answer by name. Scenarios
# (scenarios.sh, daemon.sh): every forwarding mode and family, connection persistence across
# edits, path MTU both ways, `xlb apply` under load, a burst of broken frames, fragmented UDP;
# second chance (second.sh, flood.sh): streams through backend changes, a million spoofed SYNs;
# with xlbd: health checks under load, fail-open, reload, restart; last, xlb on a 1400-byte
# link.
# Prints "ok NAME" / "FAIL NAME: why" per check, then "N passed, N failed".
# E2E_SKIP="t_NAME ..." leaves scenarios out; E2E_LOGS=DIR keeps every output file there.
set -u

cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh
need_root run.sh "it creates namespaces and attaches XDP programs"
BUILD=${BUILD:-build}
TOPO_ID=$(($$ % 100000))
# The topology, the helpers and the scenarios' files, in that order.
for _src in topo lib scenarios daemon nat fnat upgrade second flood; do
	# shellcheck source=/dev/null # (tests/e2e/*.sh: shellcheck -x cannot follow a loop)
	. "tests/e2e/$_src.sh"
done

SCENARIOS="t_modes t_persistence t_pmtu t_icmp_fwd t_apply_under_load t_bad_traffic t_frag
	t_nat t_fnat t_second_chance t_syn_flood t_upgrade t_daemon t_link_mtu"
DONE=
T=$TOPO_DIR
START=$(date +%s)


cleanup() {
	local rc=$? left n
	trap - EXIT INT TERM HUP
	# E2E_LOGS=DIR keeps every output file of the run (client tallies, xlbd logs) there.
	[ -z "${E2E_LOGS:-}" ] || cp -r "$T/." "$E2E_LOGS/" 2>/dev/null || true
	topo_down
	left=$(find /run/netns -maxdepth 1 -name "$TOPO_P-*" 2>/dev/null | wc -l)
	check topo.down "namespaces left: $left" [ "$left" -eq 0 ]
	left=$(pins_of /sys/fs/bpf/xlb "$LB_DEV"
		for n in $(seq "$TOPO_BACKENDS"); do
			pins_of /sys/fs/bpf/xlb-decap "$(be_dev "$n")"
		done)
	[ -z "$left" ] || fail topo.down_pins "left: $left"
	for n in $SCENARIOS; do
		[[ " $DONE " == *" $n "* ]] || fail "$n" "stopped before its end (see the error above)"
	done
	echo "e2e: $(($(date +%s) - START)) s"
	check_done "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# The run stops here if the topology or the balancer cannot come up: nothing else can pass.
mkdir -p "$T"
if ! topo_up >"$T/up.log" 2>&1; then
	fail topo.up "$(tail -n 3 "$T/up.log" | tr '\n' '|')"
	exit 1
fi
ok "topo.up (${TOPO_UP_MS} ms)"
if ! topo_attach >"$T/attach.log" 2>&1; then
	fail attach "$(tr '\n' '|' <"$T/attach.log")"
	exit 1
fi
ok attach
nh=$(topo_xlb -j status | jq -r '.[0].next_hop_mac')
check attach.next_hop_learned "next hop '$nh', router $ROUTER_MAC" [ "$nh" = "$ROUTER_MAC" ]

conf_yaml >"$T/xlb.yaml"
conf_yaml grow >"$T/grow.yaml"
conf_yaml drain >"$T/drain.yaml"
topo_xlb apply -f "$T/xlb.yaml" >"$T/apply.log" 2>&1
rc=$?
check apply.initial "$(tail -n 3 "$T/apply.log" | tr '\n' '|')" [ "$rc" -eq 0 ]

# scenario NAME: runs function NAME unless E2E_SKIP="NAME ..." names it, and says how long it
# took (for whoever keeps the suite's time in bounds). One line each: an
# expansion error aborts the top-level command it is in, and only that one; cleanup reports
# every scenario that did not reach its end.
scenario() {
	local start=$SECONDS

	if [[ " ${E2E_SKIP:-} " == *" $1 "* ]]; then
		echo "skip $1 (E2E_SKIP)"
	else
		"$1"
	fi
	DONE="$DONE $1"
	echo "# $1: $((SECONDS - start)) s"
}
scenario t_modes
scenario t_persistence
scenario t_pmtu
scenario t_icmp_fwd
scenario t_apply_under_load
scenario t_bad_traffic
scenario t_frag
scenario t_nat
scenario t_fnat
scenario t_second_chance
scenario t_syn_flood
scenario t_upgrade
scenario t_daemon
scenario t_link_mtu
FINISHED=1
