# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The fleet tests' xlb configuration, the same file on every balancer: VIP1 (tcp:7 streams,
# tcp:80 new connections) on b1 and b2, VIP2 on b3 alone (so one balancer can lose it by
# itself), an IPv6 VIP on b1-b3, and two gue VIPs on b1 and b2 that differ only in second
# chance (VIP_SC has it, VIP_CT keeps the connection table). Sourced (bash), after
# tests/e2e/topo.sh.

VIP1=198.18.100.1
VIP2=198.18.100.2
VIP6=2001:db8:100::1
VIP_SC=198.18.100.4
VIP_CT=198.18.100.5
FLEET_VIP_ADDRS=5 # the VIP routes a balancer publishes: one per address above

# hc_yaml INTERVAL: a TCP health check, quick to fall and rise.
hc_yaml() {
	printf '    health:\n      check: tcp\n      interval: %s\n      timeout: 300ms\n' "$1"
	printf '      rise: 2\n      fall: 2\n'
}

# fleet_conf [ADDED]: the YAML (route-table given, as the README's example); with ADDED, b3
# is a backend of VIP_SC and VIP_CT too. Those two are not health-checked, so a backend the
# file adds takes its share as soon as xlbd has applied the file.
fleet_conf() {
	local port n vip
	echo "route-table: $FLEET_TABLE"
	echo "vips:"
	for port in 7 80; do
		printf '  - vip: tcp:%s:%s\n' "$VIP1" "$port"
		hc_yaml 1s
		echo "    backends:"
		for n in 1 2; do echo "      - address: $(be_v4 "$n")"; done
	done
	printf '  - vip: tcp:%s:80\n' "$VIP2"
	hc_yaml 500ms
	echo "    backends:"
	echo "      - address: $(be_v4 3)"
	printf '  - vip: tcp:[%s]:7\n' "$VIP6"
	hc_yaml 1s
	echo "    backends:"
	for n in 1 2 3; do echo "      - address: $(be_v6 "$n")"; done
	for vip in "$VIP_SC" "$VIP_CT"; do
		printf '  - vip: tcp:%s:7\n    forward: gue\n' "$vip"
		[ "$vip" != "$VIP_SC" ] || echo "    second-chance: true"
		echo "    backends:"
		for n in 1 2 ${1:+3}; do echo "      - address: $(be_v4 "$n")"; done
	done
}
