# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The nat scenario of run.sh (issue 13): one-armed LVS-NAT to plain servers (topo_nat_up: no
# VIP on lo, no decap, the balancer as default route) listening on other ports than the
# VIPs'. HTTP GETs with curl, a UDP echo and a closed UDP port, over IPv4 and IPv6, every
# answer counted, and the replies and ICMP errors xlb translated counted exactly; 4,000- and
# 9,000-byte datagrams in fragments both ways; path MTU through NAT (a router's errors
# translated for the backend); long-lived streams across a backend added and one drained, and
# ping of the VIP addresses. Sourced by run.sh (bash), after lib.sh; fnat.sh uses nat_vip_rows,
# nat_servers, nat_traffic, nat_pmtu and nat_streams too.

NAT4=198.18.100.20
NAT6=2001:db8:100::20

# nat_vips add|del: the six nat VIPs (tcp 80 -> 8080, udp 53 -> 5353, udp 54 -> 5454 where
# nothing listens; both families).
nat_vips() {
	nat_vip_rows "$1" "" "" "tcp:$NAT4:80 8080 4" "udp:$NAT4:53 5353 4" "udp:$NAT4:54 5454 4" \
		"tcp:[$NAT6]:80 8080 6" "udp:[$NAT6]:53 5353 6" "udp:[$NAT6]:54 5454 6"
}

# nat_vip_rows add|del POOL4 POOL6 ROW...: each ROW "VIP PORT FAMILY" a nat VIP whose backends
# are every nat backend's PORT; with a source pool (--snat POOL4 or POOL6, by family) unless
# that is empty. fnat.sh makes its VIPs with it too.
nat_vip_rows() {
	local op=$1 pool4=$2 pool6=$3 row pool n
	shift 3
	for row; do
		# shellcheck disable=SC2086 # VIP, port and family as separate words on purpose
		set -- $row
		if [ "$op" = del ]; then
			topo_xlb vip del "$1" || return 1
			continue
		fi
		pool=$pool4
		[ "$3" = 4 ] || pool=$pool6
		topo_xlb vip add "$1" --forward nat ${pool:+--snat "$pool"} || return 1
		for n in $(seq "$TOPO_NAT_BACKENDS"); do
			topo_xlb backend add "$1" "$(nat_be "$3" "$n" "$2")" --mac "$(nat_mac "$n")" ||
				return 1
		done
	done
}

# nat_be FAMILY N PORT: nat backend N's address and port as `backend add` takes them.
nat_be() {
	if [ "$1" = 4 ]; then echo "$(nat_v4 "$2"):$3"; else echo "[$(nat_v6 "$2")]:$3"; fi
}

# nat_streams NAME ADDR [VIP-OPTION...]: a nat VIP on ADDR, tcp port 7 -> the line echo on
# 8007, made with n1 alone. 10 streams open on n1; then n2 is added and n1 drained while each
# stream sends a line every 100 ms for 4 s: none may break (their connection and NAT entries
# outlive both table changes). Fresh streams afterwards all go to n2. The VIP is deleted.
nat_streams() {
	local name=$1 addr=$2 f=$T/$1.streams fam=4 vip errs='' pid rc
	shift 2
	vip=tcp:$addr:7
	[[ $addr != *:* ]] || { fam=6; vip="tcp:[$addr]:7"; }
	{ topo_xlb vip add "$vip" --forward nat "$@" &&
		topo_xlb backend add "$vip" "$(nat_be $fam 1 8007)" --mac "$(nat_mac 1)"; } \
		>"$f.log" 2>&1 || errs="vip: $(tr '\n' ' ' <"$f.log");"
	topo_client "$E2E_BIN/e2e_client" streams "$addr" 7 -n 10 -t 4 -i 100 >"$f" 2>&1 &
	pid=$!
	wait_line "$f" '^ready' 3000 || errs="$errs streams did not open;"
	sleep 1
	topo_xlb backend add "$vip" "$(nat_be $fam 2 8007)" --mac "$(nat_mac 2)" >"$f.log" 2>&1 ||
		errs="$errs add n2: $(tr '\n' ' ' <"$f.log");"
	sleep 1
	topo_xlb backend drain "$vip" "$(nat_be $fam 1 8007)" >"$f.log" 2>&1 ||
		errs="$errs drain n1: $(tr '\n' ' ' <"$f.log");"
	wait "$pid"
	check "$name.stream_edits" "$errs" [ -z "$errs" ]
	check "$name.streams_none_broken" \
		"$(grep -E '^(broken|streams)' "$f" | head -n 4 | tr '\n' '|')" \
		grep -qx 'streams 10 broken 0 lines [0-9]*' "$f"
	check "$name.streams_lines" "$(tail -n 1 "$f")" [ "$(field "$f" lines)" -ge 300 ]
	check "$name.streams_on_n1" "$(grep '^name' "$f" | tr '\n' ' ')" grep -qx 'name n1 10' "$f"
	topo_client "$E2E_BIN/e2e_client" streams "$addr" 7 -n 10 -t 1 -i 100 >"$f.fresh" 2>&1
	check "$name.fresh_on_n2" "$(grep -E '^(name|streams)' "$f.fresh" | tr '\n' ' ')" \
		grep -qx 'name n2 10' "$f.fresh"
	topo_xlb vip del "$vip" >"$f.log" 2>&1
	rc=$?
	check "$name.stream_vip_del" "$(cat "$f.log")" [ "$rc" -eq 0 ]
}

# nat_ping NAME ADDR: xlb itself answers two pings of a nat VIP address.
nat_ping() {
	local f=$T/$1.ping before after
	before=$(xstat .global.icmp_echo)
	topo_client ping -c 2 -i 0.2 -W 1 "$2" >"$f" 2>&1
	after=$(xstat .global.icmp_echo)
	check "$1.ping" "$(grep transmitted "$f")" grep -q ' 2 received' "$f"
	check "$1.echo_by_xlb" "icmp_echo went $before -> $after" [ $((after - before)) -eq 2 ]
}

# nat_udp NAME ADDR: 20 echoes through the udp VIP; every one answered by n1 or n2, and
# exactly one translated reply each (one try each: none was lost).
nat_udp() {
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

# nat_frag NAME ADDR: UDP datagrams of 4,000 and 9,000 bytes to the udp VIP leave the client in
# fragments of at most 1500 bytes, which fit as they are (nat adds no header, and IPv4
# fragments need no DF); the backend reassembles each and echoes it whole, in fragments that
# xlb translates back.
nat_frag() {
	local f size
	for size in 4000 9000; do
		f=$T/$1.frag.$size
		topo_client "$E2E_BIN/e2e_client" udp "$2" 53 -n 5 -s "$size" -T 1000 >"$f" 2>&1
		check "$1.frag.$size" "$(tail -n 1 "$f")" grep -qx 'udp 5 ok 5 failed 0' "$f"
	done
}

# nat_refused NAME ADDR: 3 datagrams to the udp VIP whose backends' port is closed: each
# backend's port unreachable comes back translated, and the client's kernel (which checks its
# checksums and matches the quoted VIP and port to the socket) refuses each one.
nat_refused() {
	local f=$T/$1.refused before after
	before=$(xstat .global.nat_icmp)
	topo_client "$E2E_BIN/e2e_client" udp "$2" 54 -n 3 -T 1000 >"$f" 2>&1
	after=$(xstat .global.nat_icmp)
	check "$1.port_unreachable" "$(tr '\n' '|' <"$f")" \
		[ "$(grep -c '^fail [0-9] refused$' "$f")" -eq 3 ]
	check "$1.icmp_translated" "nat_icmp went $before -> $after for 3 datagrams" \
		[ $((after - before)) -eq 3 ]
}

# nat_pmtu NAME HOST DEST...: a 200 KB download through the tcp VIP at HOST while the router's
# link to the client has MTU 1400 (restored after). The router's "too big" errors go to the VIP
# and only reach the backend translated by xlb (nat_icmp_in): the download completes, and the
# backend that sent it learnt MTU 1400 towards one of DEST (the client, or full NAT's pool).
nat_pmtu() {
	local name=$1 host=$2 f=$T/$1.pmtu before after got be rt='' a
	shift 2
	ip -n "$NS_R" link set "$TOPO_P-rc" mtu 1400
	before=$(xstat .global.nat_icmp_in)
	topo_client curl -s -g --max-time 10 -o "$f" "http://$host/bytes/204800"
	after=$(xstat .global.nat_icmp_in)
	ip -n "$NS_R" link set "$TOPO_P-rc" mtu 1500
	got="$(head -n 1 "$f" 2>/dev/null) $(wc -c <"$f" 2>/dev/null) bytes"
	check "$name.pmtu_download" "got '$got'" matches "$got" '^n[12] 204800 bytes$'
	check "$name.pmtu_translated" "nat_icmp_in went $before -> $after" [ "$after" -gt "$before" ]
	be=$(head -n 1 "$f" 2>/dev/null | tr -dc 0-9)
	for a in "$@"; do
		rt="$rt$(in_netns "$(nat_ns "${be:-1}")" ip route get "$a" | tr '\n' ' ')"
	done
	check "$name.pmtu_learnt" "n${be:-?}'s routes: $rt" matches "$rt" ' mtu 1400 '
}

# nat_http NAME ADDR GETS MIN: GETS GETs through the tcp VIP on ADDR, every one answered by n1
# or n2, each at least MIN times.
nat_http() {
	local f=$T/$1.http host=$2
	[[ $host != *:* ]] || host="[$host]"
	client_curls "http://$host/" "$3" >"$f"
	check "$1.http" "$3 GETs: $(names "$f")" each_at_least "$f" "$4" n1 n2
}

# nat_traffic NAME ADDR GETS MIN: what nat and full NAT VIPs on ADDR both answer: 20 UDP echoes
# (nat_udp), fragmented datagrams (nat_frag), GETS GETs of which n1 and n2 each answer MIN
# (nat_http), and pings (nat_ping).
nat_traffic() {
	nat_udp "$1" "$2"
	nat_frag "$1" "$2"
	nat_http "$@"
	nat_ping "$1" "$2"
}

# nat_servers LOG [router]: the nat backends up (topo_nat_up), their output in LOG; 1 if one
# failed.
nat_servers() {
	local n ok=0
	for n in $(seq "$TOPO_NAT_BACKENDS"); do
		topo_nat_up "$n" "${2:-}" >>"$1" 2>&1 || ok=1
	done
	return $ok
}

# nat_servers_down: every nat backend's server stopped and its namespace gone.
nat_servers_down() {
	local n
	for n in $(seq "$TOPO_NAT_BACKENDS"); do
		topo_nat_down "$n"
	done
}

t_nat() {
	local ok=1
	nat_servers "$T/nat_up.log" || ok=
	nat_vips add >"$T/nat_vips.log" 2>&1 || ok=
	check nat.up "$(tail -n 3 "$T/nat_up.log" "$T/nat_vips.log" | tr '\n' '|')" [ -n "$ok" ]
	nat_traffic nat4 "$NAT4" 40 5
	nat_traffic nat6 "$NAT6" 40 5
	nat_refused nat4 "$NAT4"
	nat_refused nat6 "$NAT6"
	nat_pmtu nat4 "$NAT4" "$CLIENT4"
	nat_pmtu nat6 "[$NAT6]" "$CLIENT6"
	nat_streams nat4 "$NAT4"
	nat_streams nat6 "$NAT6"
	nat_vips del >>"$T/nat_vips.log" 2>&1 || ok=
	check nat.del "$(tail -n 3 "$T/nat_vips.log" | tr '\n' '|')" [ -n "$ok" ]
	nat_servers_down
}
