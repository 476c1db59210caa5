#!/bin/sh
# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# Root tests of the xlb command line (`make cli-test`): the real build/xlb against a veth in
# a network namespace made here, with frames driven through the attached program by
# flowprobe (BPF_PROG_TEST_RUN). Scenarios: attach, VIPs and backends, stickiness, stats and
# port-0 VIPs (here), exit codes (exits.sh), apply/save and a killed apply (apply.sh),
# non-unicast addresses, missing privileges and full maps (guards.sh), pins of deleted
# interfaces and namespaces (pins.sh), flows list and flush (flows.sh), decap attach and stats
# (decap.sh), second-chance VIPs (second.sh), backend settings in every view (besettings.sh).
# Prints "ok NAME" / "FAIL NAME: details" per check, then "N passed, N failed".
set -eu

BUILD=${BUILD:-build}
DIR=$(dirname "$0")
. "$DIR/../lib/check.sh"
need_root run.sh "it creates namespaces and attaches XDP programs"
. "$DIR/../lib/ns.sh"
. "$DIR/../lib/xlb.sh"
. "$DIR/lib.sh"
. "$DIR/exits.sh"
. "$DIR/apply.sh"
. "$DIR/guards.sh"
. "$DIR/pins.sh"
. "$DIR/flows.sh"
. "$DIR/nat.sh"
. "$DIR/decap.sh"
. "$DIR/second.sh"
. "$DIR/fnat.sh"
. "$DIR/besettings.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

V1=tcp:198.18.0.10:80
V2=udp:198.18.0.11:53
V3=tcp:198.18.0.12:80
V4='tcp:[2001:db8::10]:443'
V5='udp:[2001:db8::11]:53'
V6='tcp:[2001:db8::12]:80'
V7=tcp:198.18.0.13:80

# Without xlbd, a backend added to a checked VIP waits, down, for a first check only xlbd makes.
t_pending() {
	_v=tcp:198.18.0.14:80
	expect pending.vip_add 0 xl vip add "$_v" --check tcp
	expect pending.backend_add 0 xl backend add "$_v" 198.18.7.1
	_s=$(xl -j vip list | jq -r --arg v "$_v" '.[] | select(.vip == $v) | .backends[] |
		"\(.address) \(.state) \(.down)"')
	check pending.json "vip list: $_s" [ "$_s" = "198.18.7.1 pending true" ]
	_s=$(xl vip list | awk '$2 == "198.18.7.1" { print $4 }')
	check pending.text "vip list: $_s" [ "$_s" = pending ]
	_p=$(probe tcp 198.18.107.1:1000 198.18.0.14:80 20 | awk '{ print $2 }' | sort | uniq -c |
		awk '{ print $2 "=" $1 }')
	check pending.no_new_flows "flowprobe: $_p" [ "$_p" = DROP=20 ]
	_x=$(xl -j explain tcp 198.18.107.1:1000 198.18.0.14:80 | jq -r .decision)
	check pending.explain "explain: $_x" [ "$_x" = no-backend ]
	# The VIP's check taken away: nothing waits for a check any more.
	xl save | sed 's/check: tcp/check: none/' >"$T/nocheck.yaml"
	expect pending.apply_no_check 0 xl apply -f "$T/nocheck.yaml"
	_s=$(xl -j vip list | jq -r --arg v "$_v" '.[] | select(.vip == $v) | .backends[].state')
	check pending.unchecked_up "state: $_s" [ "$_s" = up ]
	expect pending.vip_del 0 xl vip del "$_v"
}

t_attach() {
	expect attach.exit 0 xlb attach "$DEV" --next-hop-mac "$NEXT_HOP"
	_mode=$(stat -c %a "$(pin_dir "$DEV")" 2>&1 || true)
	check attach.pin_dir_mode "mode of $(pin_dir "$DEV"): $_mode" [ "$_mode" = 700 ]
	_want=$(pins_expected "$BUILD/xlb.bpf.o" link config netns abi)
	_got=$(pins_in "$(pin_dir "$DEV")")
	check attach.pins "pins: $_got; expected: $_want" [ "$_got" = "$_want" ]
	PROG=$(prog_id)
	_k=$(kernel_xdp "$DEV")
	check attach.kernel_native "kernel: '$_k', status: prog $PROG" [ "$_k" = "$PROG 1" ]
	run xl status
	check attach.status_text "$(tr '\n' '|' <"$T/out")" \
		grep -qxF "$DEV: xlb native, program $PROG" "$T/out"
	check attach.status_next_hop "$(tr '\n' '|' <"$T/out")" \
		grep -qF "next hop $NEXT_HOP;" "$T/out"
	_j=$(xl -j status | jq -r '.[0] | "\(.interface) \(.mode) \(.next_hop_mac) \(.src_v4) \(.src_v6)"')
	check attach.status_json "$_j" [ "$_j" = "$DEV native $NEXT_HOP 198.18.0.1 2001:db8::1" ]

	expect_err attach.twice 73 \
		"xlb: xlb already runs on '$DEV' (pins in $(pin_dir "$DEV")); detach it first" \
		xlb attach "$DEV" --next-hop-mac "$NEXT_HOP"
	_k=$(kernel_xdp "$DEV")
	check attach.twice_keeps_program "kernel: '$_k', before: $PROG" \
		[ "$_k:$(prog_id)" = "$PROG 1:$PROG" ]

	expect attach.generic 0 xlb attach "$PEER" --mode generic --next-hop-mac "$NEXT_HOP"
	_g=$(xlb -i "$PEER" -j status | jq -r '.[0].mode')
	_k=$(kernel_xdp "$PEER")
	check attach.generic_mode "status '$_g', kernel '$_k'" [ "$_g:${_k#* }" = generic:2 ]
	expect detach.generic 0 xlb detach "$PEER"

	expect detach.exit 0 xlb detach "$DEV"
	check detach.pins_gone "$(pin_dir "$DEV") is still there" [ ! -e "$(pin_dir "$DEV")" ]
	_k=$(kernel_xdp "$DEV")
	check detach.kernel "kernel still has '$_k'" [ "$_k" = "0 0" ]
	expect_err detach.twice 66 "xlb: Interface '$DEV' does not run xlb" xlb detach "$DEV"
	expect_err detach.status 66 "xlb: Interface '$DEV' does not run xlb" xl status

	expect attach.again 0 xlb attach "$DEV" --next-hop-mac "$NEXT_HOP"
	PROG=$(prog_id)
	_k=$(kernel_xdp "$DEV")
	check attach.again_program "kernel '$_k', status $PROG" [ "$_k" = "$PROG 1" ]
	_l=$(xl -j vip list | jq -c .)
	check attach.again_empty "vip list: $_l" [ "$_l" = "[]" ]
}

t_vips() {
	_bad=$(xl_each <<EOF
vip add $V1
backend add $V1 198.18.1.1
backend add $V1 198.18.1.2
backend add $V1 198.18.1.3
vip add $V2 --forward gue --gue-port 6081
backend add $V2 198.18.2.1
backend add $V2 2001:db8:2::1
vip add $V3 --forward dr
backend add $V3 198.18.3.1 --mac 02:00:00:00:03:01
backend add $V3 198.18.3.2 --mac 02:00:00:00:03:02
vip add $V4 --forward ipip
backend add $V4 2001:db8:1::1
backend add $V4 2001:db8:1::2
backend add $V4 2001:db8:1::3
vip add $V5 --forward gue
backend add $V5 2001:db8:2::11
backend add $V5 198.18.2.11
vip add $V6 --forward dr
backend add $V6 2001:db8:3::1 --mac 02:00:00:00:03:11
EOF
	)
	check vips.add "$_bad" [ -z "$_bad" ]
	xl -j vip list | jq -r '.[] | "\(.vip) \(.forward) \(.gue_port) \([.backends[] |
		"\(.address)/\(.weight)/\(.state)"] | join(","))"' >"$T/list"
	cat >"$T/want" <<EOF
$V1 ipip 6080 198.18.1.1/1/up,198.18.1.2/1/up,198.18.1.3/1/up
$V2 gue 6081 198.18.2.1/1/up,2001:db8:2::1/1/up
$V3 dr 6080 198.18.3.1/1/up,198.18.3.2/1/up
$V4 ipip 6080 2001:db8:1::1/1/up,2001:db8:1::2/1/up,2001:db8:1::3/1/up
$V5 gue 6080 198.18.2.11/1/up,2001:db8:2::11/1/up
$V6 dr 6080 2001:db8:3::1/1/up
EOF
	check vips.list_json "$(diff "$T/want" "$T/list" | tr '\n' '|')" cmp -s "$T/want" "$T/list"
	_u=$(xl -j status | jq -r '.[0].maps | "\(.vips.used) \(.backends.used)"')
	check vips.status_counts "vips/backends used: $_u" [ "$_u" = "6 13" ]

	probe tcp 198.18.100.1:10000 198.18.0.10:80 300 >"$T/p"
	spread spread.v4_ipip "$T/p" ipip 50 198.18.1.1 198.18.1.2 198.18.1.3
	probe tcp '[2001:db8:100::1]:10000' '[2001:db8::10]:443' 300 >"$T/p"
	spread spread.v6_ipip "$T/p" ipip 50 2001:db8:1::1 2001:db8:1::2 2001:db8:1::3
	probe udp 198.18.100.1:10000 198.18.0.11:53 100 >"$T/p"
	spread forward.v4_gue "$T/p" gue 10 198.18.2.1 2001:db8:2::1
	udp_port forward.v4_gue_port "$T/p" 6081
	probe udp '[2001:db8:100::1]:10000' '[2001:db8::11]:53' 100 >"$T/p"
	spread forward.v6_gue "$T/p" gue 10 198.18.2.11 2001:db8:2::11
	udp_port forward.v6_gue_port "$T/p" 6080
	probe tcp 198.18.100.1:10000 198.18.0.12:80 100 >"$T/p"
	spread forward.v4_dr "$T/p" dr 10 02:00:00:00:03:01 02:00:00:00:03:02
	probe tcp '[2001:db8:100::1]:10000' '[2001:db8::12]:80' 20 >"$T/p"
	spread forward.v6_dr "$T/p" dr 20 02:00:00:00:03:11

	_p=$(probe tcp 198.18.100.1:10000 198.18.0.10:81 | awk '{print $2}')
	run xl explain tcp 198.18.100.1:10000 198.18.0.10:81
	_want="tcp 198.18.100.1:10000 -> 198.18.0.10:81: no VIP matches; the packet passes to the kernel"
	check explain.not_a_vip "flowprobe: $_p; explain: $(cat "$T/out")" \
		[ "$_p:$(cat "$T/out")" = "PASS:$_want" ]
	explain_vs_probe explain.v4 tcp 198.18.200.1:5555 198.18.0.10:80
	run xl explain tcp 198.18.200.1:5555 198.18.0.10:80
	_want="VIP $V1 -> backend $EXPLAINED, up (connection-table entry, probation)"
	check explain.text "$(cat "$T/out")" \
		[ "$(cat "$T/out")" = "tcp 198.18.200.1:5555 -> 198.18.0.10:80: $_want" ]
	explain_vs_probe explain.v6_gue udp '[2001:db8:200::1]:5555' '[2001:db8::11]:53'
}

# explain_vs_probe NAME PROTO SRC DST: explain before sending names the Maglev choice,
# flowprobe's first frame goes there; a TCP SYN is never recorded, so explain still names
# Maglev; the next packet (recorded) goes there too, and explain then names the entry.
explain_vs_probe() {
	_before=$(xl -j explain "$2" "$3" "$4" | jq -r '"\(.decision) \(.backend)"')
	_to=$(probe "$2" "$3" "$4" | awk '{print $2 " " $4}')
	_mid=$(xl -j explain "$2" "$3" "$4" | jq -r '.decision')
	_next=$(probe_ack "$2" "$3" "$4" | awk '{print $2 " " $4}')
	_after=$(xl -j explain "$2" "$3" "$4" | jq -r '"\(.decision) \(.backend)"')
	EXPLAINED=${_to#TX }
	check "$1.before" "explain before: '$_before', flowprobe: '$_to'" \
		[ "$_before" = "maglev $EXPLAINED" ]
	_want=maglev
	[ "$2" = udp ] && _want=connection-table
	check "$1.first_packet" "explain after the first packet: '$_mid'" [ "$_mid" = "$_want" ]
	check "$1.after" "explain after: '$_after', flowprobe: '$_to', then '$_next'" \
		[ "$_after:$_to" = "connection-table $EXPLAINED:$_next" ]
}

# same_flows NAME: the next packets of t_sticky's base flows still go where they went.
same_flows() {
	probe_ack tcp 198.18.101.1:20000 198.18.0.10:80 200 >"$T/again"
	check "$1" "$(diff "$T/base" "$T/again" | grep -c '^>' || true) of 200 flows moved" \
		cmp -s "$T/base" "$T/again"
}

t_sticky() {
	probe tcp 198.18.101.1:20000 198.18.0.10:80 200 >"$T/base"
	same_flows sticky.ack_follows_syn
	spread sticky.base "$T/base" ipip 1 198.18.1.1 198.18.1.2 198.18.1.3
	expect sticky.set_weight 0 xl backend set "$V1" 198.18.1.1 --weight 5
	same_flows sticky.after_weight
	expect sticky.add 0 xl backend add "$V1" 198.18.1.4
	same_flows sticky.after_add
	expect sticky.drain 0 xl backend drain "$V1" 198.18.1.2
	same_flows sticky.after_drain
	expect sticky.weight0 0 xl backend set "$V1" 198.18.1.3 --weight 0
	same_flows sticky.after_weight0
	_s=$(xl -j vip list | jq -r --arg v "$V1" '.[] | select(.vip == $v) |
		[.backends[] | "\(.address)/\(.weight)/\(.state)"] | join(",")')
	check sticky.list_states "$_s" \
		[ "$_s" = "198.18.1.1/5/up,198.18.1.2/1/drain,198.18.1.3/0/weight-0,198.18.1.4/1/up" ]

	probe tcp 198.18.102.1:20000 198.18.0.10:80 300 >"$T/new"
	spread sticky.new_flows_usable_only "$T/new" ipip 1 198.18.1.1 198.18.1.4
	_d=$(count_to "$T/new" 198.18.1.2) _w=$(count_to "$T/new" 198.18.1.3)
	check sticky.new_flows_avoid_drain_weight0 "drained got $_d, weight-0 got $_w" \
		[ "$_d:$_w" = 0:0 ]

	expect sticky.undrain 0 xl backend undrain "$V1" 198.18.1.2
	probe tcp 198.18.103.1:20000 198.18.0.10:80 300 >"$T/new"
	spread sticky.undrained_takes_new_flows "$T/new" ipip 1 198.18.1.1 198.18.1.2 198.18.1.4
	same_flows sticky.after_undrain

	expect sticky.del 0 xl backend del "$V1" 198.18.1.2
	_port=$(awk '$4 == "198.18.1.2" {print $1; exit}' "$T/base")
	_why=$(xl -j explain tcp "198.18.101.1:$_port" 198.18.0.10:80 | jq -r .ignored_entry)
	check sticky.del_explain "explain of a flow of the deleted backend: '$_why'" \
		[ "$_why" = "its backend is gone" ]
	probe_ack tcp 198.18.101.1:20000 198.18.0.10:80 200 >"$T/again"
	_moved=$(paste -d ' ' "$T/base" "$T/again" | awk '$4 == "198.18.1.2"' |
		awk '$6 != "TX" || ($8 != "198.18.1.1" && $8 != "198.18.1.4")' | wc -l)
	_was=$(count_to "$T/base" 198.18.1.2)
	check sticky.del_flows_move \
		"$_moved of $_was flows of the deleted backend went elsewhere than 198.18.1.1/.4" \
		[ "$_moved:$((_was > 0))" = 0:1 ]
	_stayed=$(paste -d ' ' "$T/base" "$T/again" |
		awk '$4 != "198.18.1.2" && ($1 != $5 || $2 != $6 || $4 != $8)' | wc -l)
	check sticky.del_others_stay "$_stayed other flows moved" [ "$_stayed" -eq 0 ]
}

t_stats() {
	xl -j stats >"$T/s0"
	probe udp 198.18.103.1:30000 198.18.0.11:53 120 >"$T/p"
	xl -j stats >"$T/s1"
	probe udp 198.18.103.1:30000 198.18.0.11:53 120 >"$T/p2"
	xl -j stats >"$T/s2"
	_v=".vips[] | select(.vip == \"$V2\")"
	_d=
	for _f in packets bytes new_flows; do
		_a=$(stat_of "$T/s0" "$_v.$_f") _b=$(stat_of "$T/s1" "$_v.$_f") _c=$(stat_of "$T/s2" "$_v.$_f")
		_d="$_d $_f+$((_b - _a))+$((_c - _b))"
	done
	check stats.vip "deltas:$_d" [ "$_d" = " packets+120+120 bytes+3360+3360 new_flows+120+0" ]
	_d='' _want=''
	for _be in 198.18.2.1 2001:db8:2::1; do
		_a=$(stat_of "$T/s0" "$_v.backends[] | select(.address == \"$_be\") | .packets")
		_b=$(stat_of "$T/s2" "$_v.backends[] | select(.address == \"$_be\") | .packets")
		_d="$_d $_be+$((_b - _a))"
		_want="$_want $_be+$(($(count_to "$T/p" "$_be") + $(count_to "$T/p2" "$_be")))"
	done
	check stats.backends "deltas:$_d, flowprobe saw:$_want" [ "$_d" = "$_want" ]
	_d=
	for _f in actions.tx flow_miss flow_hit; do
		_a=$(stat_of "$T/s0" ".global.$_f") _b=$(stat_of "$T/s1" ".global.$_f")
		_c=$(stat_of "$T/s2" ".global.$_f")
		_d="$_d $_f+$((_b - _a))+$((_c - _b))"
	done
	check stats.global "deltas:$_d" [ "$_d" = " actions.tx+120+120 flow_miss+120+0 flow_hit+0+120" ]

	expect stats.empty_vip_add 0 xl vip add "$V7"
	xl -j stats >"$T/s0"
	probe tcp 198.18.103.1:30000 198.18.0.13:80 10 >"$T/p"
	xl -j stats >"$T/s1"
	_n=$(count_verdict "$T/p" DROP)
	_a=$(stat_of "$T/s0" .global.drops.no_backend) _b=$(stat_of "$T/s1" .global.drops.no_backend)
	_pk=$(stat_of "$T/s1" ".vips[] | select(.vip == \"$V7\") | .packets")
	check stats.no_backend "DROP $_n of 10, no_backend +$((_b - _a)), VIP packets $_pk" \
		[ "$_n:$((_b - _a)):$_pk" = 10:10:10 ]
	_x=$(xl -j explain tcp 198.18.103.1:30000 198.18.0.13:80 | jq -r .decision)
	check stats.no_backend_explain "explain: $_x" [ "$_x" = no-backend ]
}

# A port-0 VIP takes every port of its address and protocol.
t_any_port() {
	_bad=$(xl_each <<EOF
vip add tcp:198.18.0.14:0
backend add tcp:198.18.0.14:0 198.18.6.1
EOF
	)
	check any_port.add "$_bad" [ -z "$_bad" ]
	probe tcp 198.18.106.1:1000 198.18.0.14:12345 20 >"$T/p"
	spread any_port.forwards "$T/p" ipip 20 198.18.6.1
	_x=$(xl -j explain tcp 198.18.106.1:999 198.18.0.14:443 | jq -r '"\(.vip) \(.backend)"')
	check any_port.explain "explain: $_x" [ "$_x" = "tcp:198.18.0.14:0 198.18.6.1" ]
	# With the count of port-0 VIPs cleared, the data plane skips the port-0 lookup; explain
	# shares its gate, so both say the flow is for no VIP. The count is put back after.
	_rt="$(pin_dir "$DEV")/xlb_runtime"
	_old=$(bpftool -j map lookup pinned "$_rt" key 0 0 0 0 | jq -r '.value | join(" ")')
	# shellcheck disable=SC2046 # the bytes are separate arguments on purpose
	bpftool map update pinned "$_rt" key 0 0 0 0 value 0 0 0 0 $(echo "$_old" | cut -d ' ' -f 5-)
	_p=$(probe tcp 198.18.106.1:1000 198.18.0.14:12345 | awk '{print $2}')
	_x=$(xl -j explain tcp 198.18.106.1:999 198.18.0.14:443 | jq -r .decision)
	# shellcheck disable=SC2086 # the bytes are separate arguments on purpose
	bpftool map update pinned "$_rt" key 0 0 0 0 value $_old
	check any_port.gate_shared "flowprobe: $_p; explain: $_x" [ "$_p:$_x" = PASS:not-a-vip ]
}

START=$(date +%s)
setup
# An attached interface renamed and its name given to a new one: the name's pins drive the
# renamed interface, so they must not be used for the new one (detach would stop the old).
t_renamed() {
	_a=xlbc$$r _b=xlbc$$s
	ip -n "$NS" link add "$_a" type veth peer name "$_b"
	ip -n "$NS" link set "$_a" up
	expect renamed.attach 0 xlb attach "$_a" --next-hop-mac "$NEXT_HOP"
	ip -n "$NS" link set "$_a" down
	ip -n "$NS" link set "$_a" name "${_a}x"
	ip -n "$NS" link set "${_a}x" up
	ip -n "$NS" link add "$_a" type veth peer name "${_b}x"
	_msg="xlb: Interface '$_a' does not run xlb: its pins drive a renamed interface; rename that one back to '$_a' to manage or detach it"
	expect_err renamed.detach_refused 66 "$_msg" xlb detach "$_a"
	expect_err renamed.status_refused 66 "$_msg" xlb -i "$_a" status
	check renamed.program_kept "kernel: $(kernel_xdp "${_a}x")" \
		[ "$(kernel_xdp "${_a}x" | cut -d' ' -f1)" != 0 ]
	ip -n "$NS" link del "${_a}x"
	expect renamed.detach_after_delete 0 xlb detach "$_a"
	ip -n "$NS" link del "$_a"
}

# Pins left by an xlb from before its own connection table (an LRU hash named xlb_flows, no
# xlb_conns): refused with a way on, which works; the flows are not carried over.
t_old_layout() {
	_a=xlbc$$o _b=xlbc$$p
	ip -n "$NS" link add "$_a" type veth peer name "$_b"
	ip -n "$NS" link set "$_a" up
	expect old_layout.attach 0 xlb attach "$_a" --next-hop-mac "$NEXT_HOP"
	_d=$(pin_dir "$_a")
	rm "$_d/xlb_conns" "$_d/xlb_conn_stats"
	run bpftool map create "$_d/xlb_flows" type lru_hash key 40 value 16 entries 1024 \
		name xlb_flows
	check old_layout.made "bpftool: $(head -c 200 "$T/err")" [ "$RC" -eq 0 ]
	_msg="xlb: Couldn't adopt xlb on '$_a': its maps have another layout; run 'xlb upgrade $_a'"
	expect_err old_layout.status_refused 78 "$_msg" xlb -i "$_a" status
	expect_err old_layout.vip_add_refused 78 "$_msg" xlb -i "$_a" vip add tcp:198.18.0.78:80
	# Its flows are in a table upgrade cannot carry over: refused, and nothing changes.
	_k=$(kernel_xdp "$_a") _p=$(pins_in "$_d") _r=$(readlink "$_d/abi")
	expect_err old_layout.upgrade_refused 78 "xlb: Couldn't upgrade xlb on '$_a': map \
'xlb_conns' cannot be migrated: the connection table's layout changed, and its flows would be \
lost; nothing was changed" xlb upgrade "$_a"
	check old_layout.upgrade_untouched "program $_k -> $(kernel_xdp "$_a"), pins $_p -> \
$(pins_in "$_d"), record $_r -> $(readlink "$_d/abi")" \
		[ "$(kernel_xdp "$_a")|$(pins_in "$_d")|$(readlink "$_d/abi")" = "$_k|$_p|$_r" ]
	expect old_layout.detach 0 xlb detach "$_a"
	expect_err flows.too_many 65 \
		"xlb: Invalid flow count '33554433': expected 65536-33554432" \
		xlb attach "$_a" --next-hop-mac "$NEXT_HOP" --flows 33554433
	expect old_layout.attach_again 0 xlb attach "$_a" --next-hop-mac "$NEXT_HOP" \
		--flows 1000000
	expect old_layout.status_after 0 xlb -i "$_a" status
	# --flows rounds up to whole 5-slot buckets on every possible CPU; 256 bytes a bucket.
	_cpus=$(($(cut -d- -f2 /sys/devices/system/cpu/possible) + 1))
	_per=$(((1000000 + 5 * _cpus - 1) / (5 * _cpus)))
	_f=$(xlb -i "$_a" -j status | jq -r '.[0].maps.flows | "\(.used) \(.max) \(.bytes)"')
	check flows.sized "status: $_f" [ "$_f" = "0 $((_per * _cpus * 5)) $((_per * _cpus * 256))" ]
	expect old_layout.detach_after 0 xlb detach "$_a"
	ip -n "$NS" link del "$_a"
}

# What an apply killed after writing a new VIP's backends leaves: active backends naming a
# VIP id no VIP has. Here one claims every free id up to 255 (backend ids 16128..16383), so
# the next VIP added would get such an id: it must not, nor take those backends as its own;
# the next apply frees them.
t_orphans() {
	_b=$(pin_dir "$DEV")/xlb_backends
	_used=" $(map_dump xlb_vips |
		jq -r '[.[].formatted.value.id] | map(tostring) | join(" ")') "
	for _v in $(seq 0 255); do
		case "$_used" in *" $_v "*) continue ;; esac
		# 198.18.77.1, no MAC, IPv4, ACTIVE, gen 0, vip_id _v, weight 1, ipip, port 0
		printf 'map update pinned %s key %d %d 0 0 value 198 18 77 1 %s 0 0 0 0 0 0 4 1 0 0 0 0 %d 0 1 0 1 0 0 0\n' \
			"$_b" $((_v % 256)) 63 "0 0 0 0 0 0 0 0 0 0 0 0" "$_v"
	done >"$T/orphans"
	run bpftool batch file "$T/orphans"
	check orphans.written "bpftool: $(head -c 200 "$T/err")" [ "$RC" -eq 0 ]
	expect orphans.vip_add 0 xl vip add tcp:198.18.0.77:80
	# 198.18.0.77 read as a little-endian word, as bpftool prints the key
	_id=$(map_dump xlb_vips | jq '.[].formatted |
		select(.key.addr[0] == 1291850438 and .key.proto == 6) | .value.id')
	check orphans.vip_id_not_claimed "the new VIP got id $_id, claimed by an orphan" \
		[ "$_id" -gt 255 ]
	expect orphans.backend_add 0 xl backend add tcp:198.18.0.77:80 198.18.1.77
	_bes=$(xl -j vip list | jq -r '.[] | select(.vip == "tcp:198.18.0.77:80") |
		[.backends[].address] | join(",")')
	check orphans.not_adopted "backends of the new VIP: $_bes" [ "$_bes" = 198.18.1.77 ]
	expect orphans.vip_del 0 xl vip del tcp:198.18.0.77:80
}

# A writer killed between a VIP's "table unknown" mark and the new table: the next apply,
# even of the running state itself (no difference to show), rebuilds that table.
t_cut_short() {
	_v=$(pin_dir "$DEV")/xlb_vips
	# tcp:198.18.0.10:80: 198.18.0.10 as a little-endian word, port 80 in network order
	_sel='.[] | select(.formatted.key.addr[0] == 167776966 and .formatted.key.port == 20480
		and .formatted.key.proto == 6)'
	bpftool -j map dump pinned "$_v" | jq -c "$_sel" >"$T/entry"
	_sig=$(jq '.formatted.value.table_sig' "$T/entry")
	# The same entry with its table signature (bytes 12-15) zeroed: "unknown". Written past the
	# library, so the VIP cache keeps the old signature: only userspace reads it, from xlb_vips,
	# and the apply below writes the VIP (and its slot) anew.
	run bpftool map update pinned "$_v" key $(jq -r '.key | join(" ")' "$T/entry") \
		value $(jq -r '.value[0:12] | join(" ")' "$T/entry") 0 0 0 0 \
		$(jq -r '.value[16:20] | join(" ")' "$T/entry")
	check cut_short.marked "bpftool: $(head -c 200 "$T/err")" [ "$RC" -eq 0 ]
	xl save >"$T/cut"
	expect cut_short.apply 0 xl apply -f "$T/cut"
	_now=$(bpftool -j map dump pinned "$_v" | jq "$_sel | .formatted.value.table_sig")
	check cut_short.rebuilt "table signature $_now after apply, $_sig before the mark" \
		[ "$_now" = "$_sig" -a "$_now" != 0 ]
}

t_attach
PROG=$(prog_id)
t_vips
t_sticky
t_stats
t_any_port
t_pending
t_flows
t_decap
t_second_chance
t_sched_fast
t_exits
t_nat
t_be_settings
t_fnat
t_unicast
t_texts
t_privileges
t_rollback
t_renamed
t_pins
t_old_layout
t_orphans
t_cut_short
t_apply
t_crash
t_capacity
FINISHED=1
echo "# $(($(date +%s) - START)) s"
