# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The full NAT scenario of run.sh (issue 13): plain servers with no route change at all (their
# default route is the router, not the balancer; no VIP on lo, no decap) answer through nat
# VIPs with a source pool. The pool addresses sit on the balancer's interface, in the
# backends' subnet, so the backends reach them on-link (the balancer's kernel answers ARP and
# ND for them; XDP translates what comes back). UDP echoes counted exactly, 4,000- and
# 9,000-byte datagrams in fragments both ways, curl over both families and ping (nat.sh's
# nat_traffic), path MTU (nat_pmtu) and streams across backend changes (nat_streams).
# Sourced by run.sh (bash), after lib.sh and nat.sh.

FNAT4=198.18.100.21
FNAT6=2001:db8:100::21
POOL4="198.18.0.60 198.18.0.61"
POOL6=2001:db8::60

# fnat_vips add|del: the four full NAT VIPs (tcp 80 -> 8080, udp 53 -> 5353, both families).
fnat_vips() {
	nat_vip_rows "$1" "${POOL4// /,}" "$POOL6" "tcp:$FNAT4:80 8080 4" "udp:$FNAT4:53 5353 4" \
		"tcp:[$FNAT6]:80 8080 6" "udp:[$FNAT6]:53 5353 6"
}

# fnat_pool add|del: the pool addresses on the balancer's interface.
fnat_pool() {
	local a
	for a in $POOL4; do
		ip -n "$NS_LB" addr "$1" "$a/32" dev "$LB_DEV" || return 1
	done
	if [ "$1" = add ]; then
		ip -n "$NS_LB" addr add "$POOL6/128" dev "$LB_DEV" nodad
	else
		ip -n "$NS_LB" addr del "$POOL6/128" dev "$LB_DEV"
	fi
}

t_fnat() {
	local ok=1
	nat_servers "$T/fnat_up.log" router || ok=
	fnat_pool add >>"$T/fnat_up.log" 2>&1 || ok=
	fnat_vips add >"$T/fnat_vips.log" 2>&1 || ok=
	check fnat.up "$(tail -n 3 "$T/fnat_up.log" "$T/fnat_vips.log" | tr '\n' '|')" [ -n "$ok" ]
	nat_traffic fnat4 "$FNAT4" 20 2
	nat_traffic fnat6 "$FNAT6" 20 2
	# shellcheck disable=SC2086 # each pool address a word
	nat_pmtu fnat4 "$FNAT4" $POOL4
	nat_pmtu fnat6 "[$FNAT6]" "$POOL6"
	nat_streams fnat4 "$FNAT4" --snat "${POOL4// /,}"
	nat_streams fnat6 "$FNAT6" --snat "$POOL6"
	check fnat.none_exhausted "snat_exhausted $(xstat .global.drops.snat_exhausted)" \
		[ "$(xstat .global.drops.snat_exhausted)" = 0 ]
	fnat_vips del >>"$T/fnat_vips.log" 2>&1 || ok=
	fnat_pool del >>"$T/fnat_vips.log" 2>&1 || ok=
	check fnat.del "$(tail -n 3 "$T/fnat_vips.log" | tr '\n' '|')" [ -n "$ok" ]
	nat_servers_down
}
