# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# xlb decap on a backend's interface (t_decap): attach learns the outer source and next hop as
# xlb attach does (or takes them from the same options), says when it has no next hop, and
# decap stats shows what frames run through the attached program did, in text and JSON.
# Sourced by run.sh; makes its own veth pair in the suite's namespace and deletes it.

DECAP_HOP=02:00:00:00:00:fc

# hexfile FILE HEX: writes the bytes HEX (two digits each, spaces between) into FILE; sh's
# printf knows octal escapes only.
hexfile() {
	: >"$1"
	for _b in $2; do
		# shellcheck disable=SC2059 # the format is the byte's escape on purpose
		printf "\\$(printf %o "0x$_b")" >>"$1"
	done
}

# GUE variant 0 from 198.18.0.99 to 198.18.9.1 naming second hop 198.18.9.21 (hop magic $1,
# hop flags $2) around a TCP ACK 198.18.10.10:40001 -> 198.18.10.1:80 no socket here holds.
decap_frame() {
	echo "02 00 00 00 00 01 02 00 00 00 00 02 08 00" \
		"45 00 00 5c 00 00 40 00 40 11 00 00 c6 12 00 63 c6 12 09 01" \
		"c1 23 17 c0 00 48 00 00 05 04 00 00" \
		"$1 $2 04 00 c6 12 09 15 00 00 00 00 00 00 00 00 00 00 00 00" \
		"45 00 00 28 12 34 40 00 40 06 00 00 c6 12 0a 0a c6 12 0a 01" \
		"9c 41 00 50 01 02 03 04 0a 0b 0c 0d 50 10 ff ff 00 00 00 00"
}

# decap_run NAME FILE: runs FILE's frame through the decap program of _dd; the verdict in RUNV.
decap_run() {
	hexfile "$T/$1.in" "$2"
	RUNV=$(in_netns "$NS" bpftool prog run id "$(kernel_xdp "$_dd" | cut -d' ' -f1)" \
		data_in "$T/$1.in" data_out "$T/$1.out" 2>&1 | awk '/Return value/ { print $3 }')
	RUNV=${RUNV%,}
}

# Bytes $2.. (count $3) of file $1, as hex without spaces.
bytes_at() {
	od -An -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'
}

t_decap() {
	_dd=xlbc$$d _de=xlbc$$e
	ip -n "$NS" link add "$_dd" type veth peer name "$_de"
	# No IPv6 on the pair: no router or neighbour solicitation adds to the verdicts counted.
	netns_sysctl "$NS" "net.ipv6.conf.$_dd.disable_ipv6=1" "net.ipv6.conf.$_de.disable_ipv6=1"
	ip -n "$NS" link set "$_dd" up
	ip -n "$NS" link set "$_de" up
	ip -n "$NS" addr add 198.18.9.1/24 dev "$_dd"

	expect_err decap.no_next_hop 0 \
		"xlb: no next hop found for '$_dd' (no default gateway with a neighbour entry): packets for a second hop are dropped as relay failures; give --next-hop-mac MAC to relay them" \
		xlb decap attach "$_dd"
	expect decap.detach 0 xlb decap detach "$_dd"
	expect_err decap.bad_src 65 "xlb: Invalid IPv4 address '198.18.9'" \
		xlb decap attach "$_dd" --src-v4 198.18.9
	expect decap.balancer_only_option 64 xlb decap attach "$_dd" --table-size 251

	# The next hop and the outer source learned as xlb attach learns them.
	ip -n "$NS" route add default via 198.18.9.254 dev "$_dd"
	ip -n "$NS" neigh add 198.18.9.254 lladdr "$DECAP_HOP" dev "$_dd" nud permanent
	expect decap.attach 0 xlb decap attach "$_dd"
	check decap.attach_quiet "stderr: $(errline)" [ ! -s "$T/err" ]

	decap_run relay "$(decap_frame 78 00)"
	_got="$RUNV $(bytes_at "$T/relay.out" 0 6) $(bytes_at "$T/relay.out" 26 8)"
	_got="$_got $(bytes_at "$T/relay.out" 46 2)"
	# XDP_TX to the learned next hop, from the learned 198.18.9.1 to the hop, relay flag on.
	check decap.relays "verdict, dst MAC, outer addresses, hop magic+flags: $_got" \
		[ "$_got" = "3 0200000000fc c6120901c6120915 7801" ]
	decap_run relayed "$(decap_frame 78 01)"
	check decap.relayed_stays "verdict $RUNV" [ "$RUNV" = 2 ]
	decap_run magic "$(decap_frame 79 00)"
	check decap.bad_magic_drops "verdict $RUNV" [ "$RUNV" = 1 ]

	expect decap.stats_text 0 xlb decap stats "$_dd"
	_want="$_dd: 1 delivered, 0 of them SYNs naming a second hop, 0 with a local socket, 0 SYN-cookie ACKs, 1 relayed here by a first hop, 1 relayed to a second hop, 0 relay failures"
	check decap.stats_text_counts "$(head -n 1 "$T/out")" [ "$(head -n 1 "$T/out")" = "$_want" ]
	_l=$(sed -n 2,3p "$T/out" | tr '\n' '|')
	check decap.stats_text_verdicts "$_l" \
		[ "$_l" = "  verdicts: aborted 0 drop 1 pass 1 tx 1 redirect 0|  drops: gue_magic 1|" ]
	_j=$(xlb -j decap stats "$_dd" | jq -c '[.delivered, .delivered_relayed, .relayed,
		.relay_failed, .actions.tx, .actions.drop, .drops.gue_magic, .drops.truncated]')
	check decap.stats_json "$_j" [ "$_j" = "[1,1,1,0,1,1,1,0]" ]
	expect decap.detach_learned 0 xlb decap detach "$_dd"
	ip -n "$NS" link del "$_dd"
}
