# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The BIRD 2 configurations of the fleet tests, and the ones README.md shows: a balancer that
# announces xlbd's VIP routes (learned from their kernel table) over BGP with BFD, and a
# router that installs every balancer's announcement as one ECMP route. Sourced (bash).

# bird_balancer ROUTER_ID LOCAL_AS PEER4 PEER6 PEER_AS TABLE: a balancer's bird.conf.
bird_balancer() {
	cat <<CONF
# A balancer: announce the VIP routes xlbd publishes in kernel table $6 (and nothing else).
router id $1;

protocol device {
}

# xlbd's routes (proto 250, blackhole /32 and /128): learned, never written back.
protocol kernel xlb4 {
	kernel table $6;
	learn;
	scan time 2;
	ipv4 { import all; export none; };
}

protocol kernel xlb6 {
	kernel table $6;
	learn;
	scan time 2;
	ipv6 { import all; export none; };
}

# 100 ms x 3: the router notices a dead balancer in well under a second.
protocol bfd {
	interface "*" {
		min rx interval 100 ms;
		min tx interval 100 ms;
		multiplier 3;
	};
}

template bgp uplink {
	local as $2;
	bfd on;
	# After BFD drops a session (also a false alarm: a daemon stalled over 300 ms), reconnect
	# after a second, not BIRD's default 5: TCP rides out a second of retransmissions.
	connect delay time 1;
	connect retry time 1;
	error wait time 1, 5;
}

protocol bgp router4 from uplink {
	neighbor $3 as $5;
	ipv4 { import none; export where proto = "xlb4"; };
}

protocol bgp router6 from uplink {
	neighbor $4 as $5;
	ipv6 { import none; export where proto = "xlb6"; };
}
CONF
}

# bird_router ROUTER_ID LOCAL_AS PEER_AS PEER4... -- PEER6...: the router's bird.conf, with one
# BGP session per balancer address and every equal announcement merged into an ECMP route.
bird_router() {
	local id=$1 las=$2 pas=$3 p n=0
	shift 3
	cat <<CONF
# The router: one BGP session (with BFD) per balancer and family; equal routes to a VIP from
# several balancers become one multipath kernel route.
router id $id;

protocol device {
}

protocol kernel {
	merge paths on;
	ipv4 { import none; export all; };
}

protocol kernel {
	merge paths on;
	ipv6 { import none; export all; };
}

protocol bfd {
	interface "*" {
		min rx interval 100 ms;
		min tx interval 100 ms;
		multiplier 3;
	};
}

template bgp balancer {
	local as $las;
	bfd on;
	# After BFD drops a session (also a false alarm: a daemon stalled over 300 ms), reconnect
	# after a second, not BIRD's default 5: TCP rides out a second of retransmissions.
	connect delay time 1;
	connect retry time 1;
	error wait time 1, 5;
}
CONF
	for p; do
		[ "$p" != -- ] || continue
		n=$((n + 1))
		if [[ $p == *:* ]]; then
			printf '\nprotocol bgp lb%d from balancer {\n\tneighbor %s as %s;\n' "$n" "$p" "$pas"
			printf '\tipv6 { import all; export none; };\n}\n'
		else
			printf '\nprotocol bgp lb%d from balancer {\n\tneighbor %s as %s;\n' "$n" "$p" "$pas"
			printf '\tipv4 { import all; export none; };\n}\n'
		fi
	done
}
