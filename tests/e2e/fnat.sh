# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The full NAT scenario of run.sh (issue 13): plain servers with no route change at all (their
# default route is the router, not the balancer; no VIP on lo, no decap) answer through nat
# VIPs with a source pool. The pool addresses sit on the balancer's interface, in the
# backends' subnet, so the backends reach them on-link (the balancer's kernel answers ARP and
# ND for them; XDP translates what comes back). UDP echoes counted exactly, 4,000- and
# 9,000-byte datagrams in fragments both ways (nat.sh's nat_frag), curl over both families,
# ping, path MTU (nat.sh's nat_pmtu) and streams across backend changes (nat.sh's
# nat_streams). Sourced by run.sh (bash), after lib.sh.

FNAT4=198.18.100.21
FNAT6=2001:db8:100::21
POOL4="198.18.0.60 198.18.0.61"
POOL6=2001:db8::60

# fnat_vips add|del: the four full NAT VIPs (tcp 80 -> 8080, udp 53 -> 5353, both families).
fnat_vips() {
	local op=$1 v n be
	for v in "tcp:$FNAT4:80 8080 4" "udp:$FNAT4:53 5353 4" "tcp:[$FNAT6]:80 8080 6" \
		"udp:[$FNAT6]:53 5353 6"; do
		# shellcheck disable=SC2086 # VIP, port and family as separate words on purpose
		set -- $v
		if [ "$op" = del ]; then
			topo_xlb vip del "$1" || return 1
			continue
		fi
		if [ "$3" = 4 ]; then
			topo_xlb vip add "$1" --forward nat --snat "${POOL4// /,}" || return 1
		else
			topo_xlb vip add "$1" --forward nat --snat "$POOL6" || return 1
		fi
		for n in $(seq "$TOPO_NAT_BACKENDS"); do
			be="$(nat_v4 "$n"):$2"
			[ "$3" = 4 ] || be="[$(nat_v6 "$n")]:$2"
			topo_xlb backend add "$1" "$be" --mac "$(nat_mac "$n")" || return 1
		done
	done
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

# fnat_udp NAME ADDR: 20 echoes through the udp VIP, every one answered by n1 or n2, each
# reply translated exactly once and no source pair refused.
fnat_udp() {
	local f=$T/$1.udp before after
	before=$(xstat .global.nat_reply)
	topo_client "$E2E_BIN/e2e_client" udp "$2" 53 -n 20 -T 1000 >"$f" 2>&1
	after=$(xstat .global.nat_reply)
	expand_names "$f" >"$f.n"
	check "$1.udp_echo" "$(tail -n 1 "$f"): $(names "$f.n")" each_at_least "$f.n" 1 n1 n2
	check "$1.udp_count" "$(tail -n 1 "$f")" grep -qx 'udp 20 ok 20 failed 0' "$f"
	check "$1.udp_replies" "nat_reply went $before -> $after for 20 echoes" \
		[ $((after - before)) -eq 20 ]
}

t_fnat() {
	local n ok=1 f
	for n in $(seq "$TOPO_NAT_BACKENDS"); do
		topo_nat_up "$n" router >>"$T/fnat_up.log" 2>&1 || ok=
	done
	fnat_pool add >>"$T/fnat_up.log" 2>&1 || ok=
	fnat_vips add >"$T/fnat_vips.log" 2>&1 || ok=
	check fnat.up "$(tail -n 3 "$T/fnat_up.log" "$T/fnat_vips.log" | tr '\n' '|')" [ -n "$ok" ]
	fnat_udp fnat4 "$FNAT4"
	fnat_udp fnat6 "$FNAT6"
	nat_frag fnat4 "$FNAT4"
	nat_frag fnat6 "$FNAT6"
	f=$T/fnat4.http
	client_curls "http://$FNAT4/" 20 >"$f"
	check fnat4.http "20 GETs: $(names "$f")" each_at_least "$f" 2 n1 n2
	f=$T/fnat6.http
	client_curls "http://[$FNAT6]/" 20 >"$f"
	check fnat6.http "20 GETs: $(names "$f")" each_at_least "$f" 2 n1 n2
	nat_ping fnat4 "$FNAT4"
	nat_ping fnat6 "$FNAT6"
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
	for n in $(seq "$TOPO_NAT_BACKENDS"); do
		topo_nat_down "$n"
	done
}
