# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The scenarios of run.sh that need only build/xlb: every forwarding mode and family,
# connection persistence across edits, path MTU both ways, the link MTU, `xlb apply` under
# load and a burst of broken frames. Sourced by run.sh (bash), after lib.sh; uses
# run.sh's check/ok/fail.

# Client source ports for explain_checks: below the ephemeral range, one per request.
EXPLAIN_PORT=20000

# `xlb explain` asked before each connection names the backend that then answers it.
explain_checks() {
	local name=$1 host addr src i be said got wrong=''
	host=$(vip_host "$name")
	addr=$(vip_addr "$name")
	if [[ $addr == *:* ]]; then src="[$CLIENT6]"; else src=$CLIENT4; fi
	for i in 1 2 3 4; do
		EXPLAIN_PORT=$((EXPLAIN_PORT + 1))
		be=$(topo_xlb -j explain tcp "$src:$EXPLAIN_PORT" "$host:80" | jq -r .backend)
		said="b${be: -1}"
		got=$(topo_client curl -s -g --local-port "$EXPLAIN_PORT" --max-time 3 \
			"http://$host/" 2>&1)
		[ "$said" = "$got" ] || wrong="$wrong port $EXPLAIN_PORT: explain $be, answer '$got';"
	done
	check "$name.explain_predicts" "$wrong" [ -z "$wrong" ]
}

mode_checks() {
	local name=$1 host addr f=$T/$1
	host=$(vip_host "$name")
	addr=$(vip_addr "$name")
	client_curls "http://$host/" 1 >"$f.one"
	check "$name.curl" "answer '$(cat "$f.one")'" grep -qx 'b[123]' "$f.one"
	client_curls "http://$host/" 60 >"$f.http"
	check "$name.tcp_share" "60 GETs: $(names "$f.http")" each_at_least "$f.http" 5 b1 b2 b3
	topo_client "$E2E_BIN/e2e_client" udp "$addr" 7 -n 30 -T 500 >"$f.udp" 2>&1
	expand_names "$f.udp" >"$f.udpn"
	check "$name.udp_echo" "$(tail -n 1 "$f.udp"): $(names "$f.udpn")" \
		each_at_least "$f.udpn" 1 b1 b2 b3
	topo_client ping -c 2 -i 0.2 -W 1 "$addr" >"$f.ping" 2>&1
	check "$name.ping" "$(grep transmitted "$f.ping")" grep -q ' 2 received' "$f.ping"
	explain_checks "$name"
}

# Source-hash scheduling: each client address sticks to one backend, the addresses spread.
source_hash_checks() {
	local i mixed='' all n
	for i in 2 3 4 5 6 7 8 9; do
		topo_client bash -c 'for i in 1 2 3 4 5; do
			curl -s --max-time 3 --interface "$1" "$2" || echo FAIL; done' sh \
			"198.19.0.$i" "http://$SH_ADDR/" >"$T/sh.$i"
		[ "$(sort -u "$T/sh.$i" | wc -l)" -eq 1 ] || mixed="$mixed 198.19.0.$i: $(names "$T/sh.$i");"
	done
	check source_hash.sticky "$mixed" [ -z "$mixed" ]
	cat "$T"/sh.? >"$T/sh.all"
	all=$(names "$T/sh.all")
	n=$(sort -u "$T/sh.all" | grep -c '^b[123]$')
	check source_hash.spread "8 clients x 5: $all" matches "$n:$all" '^[23]:[^F]*$'
}

# Every VIP of $VIPS: TCP, its spread, UDP echo, ping and explain; then source hashing.
t_modes() {
	local name echo0 echo1
	echo0=$(xstat .global.icmp_echo)
	for name in $(echo "$VIPS" | awk '{ print $1 }'); do
		mode_checks "$name"
	done
	echo1=$(xstat .global.icmp_echo)
	check modes.echo_by_xlb "icmp_echo went $echo0 -> $echo1, 16 pings" \
		[ $((echo1 - echo0)) -eq 16 ]
	source_hash_checks
}

# The persistence VIPs: NAME VIP-of-the-echo-service.
PERSIST="ipip4 tcp:198.18.100.1:7
gue6 tcp:[2001:db8:100::2]:7
dr4 tcp:198.18.100.3:7
ipip4in6 tcp:198.18.100.4:0"

# persist_edit STEP: the same edit on every persistence VIP; failures are reported.
persist_edit() {
	local name vip fam fwd mac
	while read -r name vip; do
		mac=''
		fam=$(vip_field "$name" 3)
		fwd=$(vip_field "$name" 4)
		case $1 in
		add4 | add1)
			[ "$fwd" != dr ] || mac="--mac $(be_mac "${1#add}")"
			# shellcheck disable=SC2086 # mac is two words or none
			topo_xlb backend add "$vip" "$(be_addr "$fam" "${1#add}")" $mac ;;
		drain1 | drain3) topo_xlb backend drain "$vip" "$(be_addr "$fam" "${1#drain}")" ;;
		undrain3) topo_xlb backend undrain "$vip" "$(be_addr "$fam" 3)" ;;
		del1) topo_xlb backend del "$vip" "$(be_addr "$fam" 1)" ;;
		weight2=*) topo_xlb backend set "$vip" "$(be_addr "$fam" 2)" --weight "${1#*=}" ;;
		esac >"$T/edit.log" 2>&1 || echo "$name $1: $(tr '\n' ' ' <"$T/edit.log")"
	done <<<"$PERSIST"
}

# Streams on every persistence VIP while its backends are added, removed, reweighted and
# drained (b1, drained first, carries none): not one may break.
t_persistence() {
	local name vip addr errs='' pids='' step p rc
	errs=$(persist_edit drain1)
	while read -r name vip; do
		addr=$(vip_addr "$name")
		topo_client "$E2E_BIN/e2e_client" streams "$addr" 7 -n 20 -t 9 -i 100 \
			>"$T/streams.$name" 2>&1 &
		pids="$pids $!"
	done <<<"$PERSIST"
	for name in $(echo "$PERSIST" | awk '{ print $1 }'); do
		wait_line "$T/streams.$name" '^ready' 5000 || errs="$errs $name: streams did not open;"
	done
	# One edit a second while every stream sends a line each 100 ms.
	for step in add4 del1 weight2=5 drain3 undrain3 weight2=1 add1; do
		sleep 1
		errs="$errs$(persist_edit "$step")"
	done
	for p in $pids; do
		wait "$p"
	done
	check persist.edits "$errs" [ -z "$errs" ]
	while read -r name vip; do
		expand_names "$T/streams.$name" >"$T/streams.$name.n"
		check "persist.$name.none_broken" \
			"$(grep -E '^(broken|streams)' "$T/streams.$name" | head -n 4 | tr '\n' '|')" \
			grep -qx 'streams 20 broken 0 lines [0-9]*' "$T/streams.$name"
		check "persist.$name.lines" "$(tail -n 1 "$T/streams.$name")" \
			[ "$(field "$T/streams.$name" lines)" -ge 1200 ]
		check "persist.$name.on_b2_b3" "streams by backend: $(names "$T/streams.$name.n")" \
			each_at_least "$T/streams.$name.n" 1 b2 b3
	done <<<"$PERSIST"
	# New connections follow the new tables: b1 (re-added) and b4 take a share.
	while read -r name vip; do
		addr=$(vip_addr "$name")
		topo_client "$E2E_BIN/e2e_client" streams "$addr" 7 -n 40 -t 1 -i 100 \
			>"$T/fresh.$name" 2>&1
		expand_names "$T/fresh.$name" >"$T/fresh.$name.n"
		check "persist.$name.new_flows_follow" "40 new: $(names "$T/fresh.$name.n")" \
			each_at_least "$T/fresh.$name.n" 1 b1 b2 b3 b4
	done <<<"$PERSIST"
	topo_xlb apply -f "$T/xlb.yaml" >"$T/apply.log" 2>&1
	rc=$?
	check persist.restore "$(tail -n 3 "$T/apply.log" | tr '\n' '|')" [ "$rc" -eq 0 ]
}

# pmtu_check NAME MTU: a 1 MB upload through VIP NAME completes; the client learnt MTU
# (0: no MTU may be learnt, the mode adds nothing).
pmtu_check() {
	local name=$1 mtu=$2 addr host got rt
	addr=$(vip_addr "$name")
	host=$(vip_host "$name")
	got=$(topo_client curl -s -g --max-time 30 -H 'Expect:' --data-binary "@$T/1m.bin" \
		"http://$host/" 2>&1)
	check "pmtu.$name.upload" "answer '$got'" matches "$got" '^b[123] 1048576$'
	rt=$(topo_client ip route get "$addr" | head -n 2 | tr '\n' ' ')
	if [ "$mtu" = 0 ]; then
		check "pmtu.$name.route" "client route: $rt" lacks "$rt" " mtu "
	else
		check "pmtu.$name.route" "client route: $rt (expected mtu $mtu)" \
			matches "$rt" " mtu $mtu "
	fi
}

# Uploads of 1 MB through VIPs whose encapsulation leaves no room at MTU 1500: xlb's "too
# big" errors make the client use smaller packets.
t_pmtu() {
	local tb0 tb1
	head -c 1048576 /dev/urandom >"$T/1m.bin"
	tb0=$(xstat .global.icmp_too_big)
	pmtu_check ipip4 1480
	pmtu_check gue4 1472
	pmtu_check ipip6 1460
	pmtu_check gue6 1452
	pmtu_check ipip4in6 1460
	pmtu_check ipip6in4 1480
	pmtu_check dr4 0
	tb1=$(xstat .global.icmp_too_big)
	check pmtu.icmp_too_big "icmp_too_big $tb0 -> $tb1" [ "$tb1" -gt "$tb0" ]
}

# A 1 MB download through VIP NAME while the router's link to the client has MTU 1400: the
# router's "too big" errors go to the VIP, and xlb must pass them on to the flow's backend.
icmp_fwd_check() {
	local name=$1 host t0 ms got
	host=$(vip_host "$name")
	t0=$(date +%s%N)
	topo_client curl -s -g --max-time 15 -o "$T/dl.$name" "http://$host/bytes/1048576"
	ms=$((($(date +%s%N) - t0) / 1000000))
	got="$(head -n 1 "$T/dl.$name" 2>/dev/null) $(wc -c <"$T/dl.$name" 2>/dev/null) bytes"
	check "icmp_fwd.$name.download" "got '$got' in $ms ms" \
		matches "$got" '^b[123] 1048576 bytes$'
}

t_icmp_fwd() {
	local f0 f1 name
	ip -n "$NS_R" link set "$TOPO_P-rc" mtu 1400
	f0=$(xstat .global.icmp_fwd)
	for name in ipip4 ipip6 gue4 gue6 dr4 dr6 ipip4in6 ipip6in4; do
		icmp_fwd_check "$name"
	done
	f1=$(xstat .global.icmp_fwd)
	check icmp_fwd.counted "icmp_fwd $f0 -> $f1" [ "$f1" -gt "$f0" ]
	ip -n "$NS_R" link set "$TOPO_P-rc" mtu 1500
}

# The balancer's link at MTU 1400 and xlb attached again without --mtu: it must not send
# frames the link drops (the veth peer drops frames over its MTU without a word).
t_link_mtu() {
	local mtu got rc
	[ -f "$T/1m.bin" ] || head -c 1048576 /dev/urandom >"$T/1m.bin"
	topo_kill "$T/xlbd.pid" TERM
	topo_lb "$XLB" detach "$LB_DEV" >/dev/null 2>&1
	ip -n "$NS_LB" link set "$LB_DEV" mtu 1400
	ip -n "$NS_R" link set "$LB_PEER" mtu 1400
	if ! topo_attach >"$T/attach2.log" 2>&1 ||
		! topo_xlb apply -f "$T/xlb.yaml" >"$T/apply.log" 2>&1; then
		fail link_mtu.attach "$(cat "$T/attach2.log" "$T/apply.log" | tr '\n' '|')"
		return
	fi
	mtu=$(topo_xlb -j status | jq -r '.[0].mtu')
	check link_mtu.default "xlb attach on a 1400-byte link chose mtu $mtu" [ "$mtu" -le 1400 ]
	got=$(topo_client curl -s --max-time 10 -H 'Expect:' --data-binary "@$T/1m.bin" \
		"http://$(vip_host ipip4)/" 2>&1)
	rc=$?
	check link_mtu.upload "answer '$got' (curl exit $rc)" matches "$got" '^b[123] 1048576$'
}

# `xlb apply` of three files in turn (b4 added with b2 at weight 2, b4 drained, b4 gone)
# while a load run goes on: no request may fail.
t_apply_under_load() {
	local b4
	load_bg apply 198.18.100.1 7
	apply_cycle apply 1.5
	wait "$LOAD_PID"
	check apply.under_load.exits "exit codes $APPLY_RCS: $(cat "$T"/apply[123].log |
		grep -v '^[-+~]' | head -n 3 | tr '\n' '|')" [ "$APPLY_RCS" = 0:0:0 ]
	check apply.under_load.diff "grow printed: $(tr '\n' '|' <"$T/apply1.log")" \
		grep -q '198.18.0.14' "$T/apply1.log"
	load_ok apply apply.under_load.no_failure
	b4=$(awk '$1 == "name" && $2 == "b4" { print $3 }' "$T/load.apply")
	check apply.under_load.new_backend_served "b4 answered ${b4:-0} times" [ "${b4:-0}" -gt 0 ]
}

# UDP datagrams of 4,000 and 9,000 bytes leave the client in fragments of at most 1500 bytes.
# Through every mode (IPv6 client traffic through tunnels after one "packet too big" makes the
# client fragment smaller) each fragment reaches the backend the first went to, which
# reassembles the datagram after decap and echoes it whole. IPv4 fragments carry no DF, so
# through an IPv4 tunnel they fit only once the client has learnt the path MTU to the VIP, as
# its full-size packets do: t_pmtu's uploads taught it, which frag_pmtu checks first (the
# fixtures check that an IPv4 fragment too big for a tunnel is dropped and counted as too_big).
frag_pmtu() {
	local rt
	rt=$(topo_client ip route get "$(vip_addr "$1")" | head -n 2 | tr '\n' ' ')
	check "frag.$1.pmtu" "client route: $rt (expected mtu $2, learnt in t_pmtu)" \
		matches "$rt" " mtu $2 "
}

t_frag() {
	local name addr size f
	frag_pmtu ipip4 1480
	frag_pmtu gue4 1472
	frag_pmtu ipip4in6 1460
	for name in dr4 dr6 ipip4 gue4 ipip6 gue6 ipip4in6 ipip6in4; do
		addr=$(vip_addr "$name")
		for size in 4000 9000; do
			f=$T/frag.$name.$size
			topo_client "$E2E_BIN/e2e_client" udp "$addr" 7 -n 5 -s "$size" -T 1000 \
				>"$f" 2>&1
			check "frag.$name.$size" "$(tail -n 1 "$f")" \
				grep -qx 'udp 5 ok 5 failed 0' "$f"
		done
	done
}

# Three bursts of broken frames at the balancer while two load runs go on: every request is
# answered, and the drop counters grow by exactly the frames meant to be dropped.
t_bad_traffic() {
	local d0 m0 f0 a0 d1 m1 f1 a1 malf=0 frag=0 r pid6 m f errs=
	d0=$(xstat '[.global.drops[]] | add')
	m0=$(xstat .global.drops.malformed)
	f0=$(xstat .global.drops.fragment)
	a0=$(xstat .global.actions.drop)
	load_bg bad4 198.18.100.1 5
	pid6=$LOAD_PID
	load_bg bad6 2001:db8:100::2 5
	for r in 1 2 3; do
		sleep 1
		topo_router "$E2E_BIN/badpkt" "$LB_PEER" "$LB_MAC" 198.18.100.1 2001:db8:100::1 \
			198.18.0.99 2001:db8::99 100 >"$T/bad.$r" 2>&1 ||
			errs="$errs burst $r: $(tr '\n' ' ' <"$T/bad.$r");"
		m=$(awk '$1 == "malformed" { print $2 }' "$T/bad.$r")
		f=$(awk '$1 == "fragment" { print $2 }' "$T/bad.$r")
		malf=$((malf + ${m:-0}))
		frag=$((frag + ${f:-0}))
	done
	wait "$pid6" "$LOAD_PID"
	d1=$(xstat '[.global.drops[]] | add')
	m1=$(xstat .global.drops.malformed)
	f1=$(xstat .global.drops.fragment)
	a1=$(xstat .global.actions.drop)
	check bad.sent "$errs" [ -z "$errs" ]
	load_ok bad4 bad.ipip4_requests
	load_ok bad6 bad.gue6_requests
	check bad.malformed "sent $malf, counter +$((m1 - m0))" [ $((m1 - m0)) -eq "$malf" ]
	check bad.fragment "sent $frag, counter +$((f1 - f0))" [ $((f1 - f0)) -eq "$frag" ]
	check bad.drops_total "sent $((malf + frag)) to drop, drops +$((d1 - d0))" \
		[ $((d1 - d0)) -eq $((malf + frag)) ]
	check bad.drop_verdicts "XDP_DROP +$((a1 - a0)), expected $((malf + frag))" \
		[ $((a1 - a0)) -eq $((malf + frag)) ]
}

