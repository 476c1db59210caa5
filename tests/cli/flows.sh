# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# xlb flows list and flush against flows sent through the attached program by flowprobe:
# exact counts, each flow at the backend it went to, pages that together give every flow
# once, a flush of one backend that leaves the others', and refused flushes that change
# nothing. Sourced by run.sh; adds its own VIPs and removes them.

FU=udp:198.18.0.20:53
FT=tcp:198.18.0.21:80

# "SPORT BACKEND" of every flow in `xlb -j flows list` output file $1, sorted.
flows_in() {
	jq -r '.flows[] | "\(.flow | split(" ")[1] | split(":")[1]) \(.backend)"' "$1" | sort
}

# The same for the flows xlb lists for $@.
flows_of() {
	xl -j flows list "$@" >"$T/flows.json"
	flows_in "$T/flows.json"
}

# lines_and_same N A B: file A has N lines and B the same bytes.
lines_and_same() {
	[ "$(wc -l <"$2")" -eq "$1" ] && cmp -s "$2" "$3"
}

# The connection table's used count (xlb status).
flows_used() {
	xl -j status | jq -r '.[0].maps.flows.used'
}

t_flows() {
	_bad=$(xl_each <<EOF
vip add $FU
backend add $FU 198.18.8.1
backend add $FU 198.18.8.2
backend add $FU 198.18.8.3
vip add $FT
backend add $FT 198.18.8.11
EOF
	)
	check flows.vips "$_bad" [ -z "$_bad" ]
	# 60 UDP flows (a datagram is recorded at once), 10 TCP ones (recorded on their ACK).
	probe udp 198.18.108.1:2000 198.18.0.20:53 60 | awk '{ print $1 " " $4 }' | sort >"$T/sent"
	probe tcp 198.18.108.2:3000 198.18.0.21:80 10 >/dev/null
	probe_ack tcp 198.18.108.2:3000 198.18.0.21:80 10 >/dev/null
	flows_of "$FU" >"$T/listed"
	check flows.list_exact "$(wc -l <"$T/sent") sent; $(diff "$T/sent" "$T/listed" | wc -l) diff" \
		lines_and_same 60 "$T/sent" "$T/listed"
	_s=$(xl -j flows list "$FT" | jq -r '([.flows[] | "\(.vip) \(.backend) \(.state)"] | unique |
		join(",")) + " \(.flows | length) \(.more)"')
	check flows.list_tcp "flows list $FT: $_s" [ "$_s" = "$FT 198.18.8.11 probation 10 0" ]
	_n=$(xl flows list "$FU" | grep -c " backend 198.18.8." || true)
	check flows.list_text "$_n lines" [ "$_n" -eq 60 ]
	t_flows_pages
	t_flows_refused
	t_flows_flush
	t_flows_moved
	t_flows_moved_port0
	t_flows_moved_sched
	expect flows.vip_del_udp 0 xl vip del "$FU"
	expect flows.vip_del_tcp 0 xl vip del "$FT"
}

# "PORT BACKEND MOVED" for 48 flows from 198.18.108.3 to $1 (default $FM's), as explain says.
moved_of() {
	for _p in $(seq 5000 5047); do
		xl -j explain tcp "198.18.108.3:$_p" "${1:-198.18.0.22:80}" |
			jq -r '"\(.flow | split(" ")[1]) \(.backend) \(.slot_moved)"'
	done
}

# all_moved FILE VALUE: each of FILE's 48 flows has slot_moved VALUE.
all_moved() {
	[ "$(grep -c " $2\$" "$1")" -eq 48 ]
}

# moved_where_changed A B: B's flows moved exactly where their backend differs from A's,
# and some did.
moved_where_changed() {
	[ "$(paste -d" " "$1" "$2" | awk '{ print $1, ($2 != $5) }')" = \
		"$(awk '{ print $1, ($3 == "true") }' "$2")" ] && grep -q ' true$' "$2"
}

# moved_stayed A B C: C's flows have A's backends and B's marks.
moved_stayed() {
	[ "$(cut -d" " -f1,2 "$1")" = "$(cut -d" " -f1,2 "$3")" ] &&
		[ "$(cut -d" " -f3 "$2")" = "$(cut -d" " -f3 "$3")" ]
}

# xl_steps NAME: the xlb commands on stdin, one a line, all exit 0 (check NAME).
xl_steps() {
	_bad=$(xl_each)
	check "$1" "$_bad" [ -z "$_bad" ]
}

# vip_one NAME VIP BACKEND: VIP added with one backend (check NAME).
vip_one() {
	xl_steps "$1" <<EOF
vip add $2
backend add $2 $3
EOF
}

# moved_all NAME DST VALUE: explain says slot_moved VALUE for each of moved_of DST's flows.
moved_all() {
	moved_of "$2" >"$T/moved_all"
	check "$1" "$(grep -c " $3\$" "$T/moved_all") of 48 $3" all_moved "$T/moved_all" "$3"
}

# Table slots that moved: a new VIP's first table has none; an added backend moves exactly
# the slots it takes (other CPUs may record their flows for the old backend), which stay
# moved once it leaves; a table rebuilt after the VIP had none, with flows chosen before, has
# all moved.
t_flows_moved() {
	FM=tcp:198.18.0.22:80
	vip_one flows.moved_vip "$FM" 198.18.8.21
	moved_of >"$T/moved0"
	check flows.moved_none_at_first "$(grep -c ' true$' "$T/moved0") moved" \
		all_moved "$T/moved0" false
	xl backend add "$FM" 198.18.8.22 >/dev/null
	moved_of >"$T/moved1"
	check flows.moved_where_changed "$(grep -c ' true$' "$T/moved1") of 48 moved" \
		moved_where_changed "$T/moved0" "$T/moved1"
	xl backend del "$FM" 198.18.8.22 >/dev/null
	moved_of >"$T/moved2"
	check flows.moved_stay "$(grep -c ' true$' "$T/moved2") moved" \
		moved_stayed "$T/moved0" "$T/moved1" "$T/moved2"
	probe tcp 198.18.108.3:6000 198.18.0.22:80 1 >/dev/null
	xl_steps flows.moved_rebuilt <<EOF
backend del $FM 198.18.8.21
backend add $FM 198.18.8.21
EOF
	moved_all flows.moved_all_after_none 198.18.0.22:80 true
	expect flows.moved_vip_del 0 xl vip del "$FM"
}

# A new VIP on a port that its address's port-0 VIP balanced flows for: all its slots moved.
t_flows_moved_port0() {
	vip_one flows.moved_port0_vip tcp:198.18.0.23:0 198.18.8.24
	probe tcp 198.18.108.3:7000 198.18.0.23:80 1 >/dev/null
	vip_one flows.moved_port_vip tcp:198.18.0.23:80 198.18.8.25
	moved_all flows.moved_under_port0 198.18.0.23:80 true
	expect flows.moved_port0_del 0 xl vip del tcp:198.18.0.23:80
	expect flows.moved_port0_del_any 0 xl vip del tcp:198.18.0.23:0
}

# A scheduler change sends flows to other slots: with flows chosen, no slot stays stable.
t_flows_moved_sched() {
	vip_one flows.moved_sched_vip tcp:198.18.0.24:80 198.18.8.26
	probe tcp 198.18.108.3:8000 198.18.0.24:80 1 >/dev/null
	moved_all flows.moved_sched_before 198.18.0.24:80 false
	xl save | awk '/^  - vip: / { v = ($3 == "tcp:198.18.0.24:80") }
		v && $0 == "    sched: maglev" { $0 = "    sched: source-hash" } { print }' \
		>"$T/sched.yaml"
	expect flows.moved_sched_apply 0 xl apply -f "$T/sched.yaml"
	moved_all flows.moved_sched_after 198.18.0.24:80 true
	expect flows.moved_sched_del 0 xl vip del tcp:198.18.0.24:80
}

# Pages of 7: every flow once, in 9 pages, each saying how many follow.
t_flows_pages() {
	_after='' _pages=0 _mores=''
	: >"$T/paged"
	while [ "$_pages" -lt 20 ]; do
		xl -j flows list "$FU" --limit 7 ${_after:+--after "$_after"} >"$T/page"
		flows_in "$T/page" >>"$T/paged"
		_pages=$((_pages + 1))
		_mores="$_mores $(jq .more "$T/page")"
		_after=$(jq -r '.after // empty' "$T/page")
		[ -n "$_after" ] || break
	done
	sort -o "$T/paged" "$T/paged"
	check flows.pages "$_pages pages, more:$_mores" \
		[ "$_pages" -eq 9 -a "$_mores" = " 53 46 39 32 25 18 11 4 0" ]
	check flows.pages_each_once "$(diff "$T/sent" "$T/paged" | wc -l) lines differ" \
		lines_and_same 60 "$T/sent" "$T/paged"
	_last=$(xl flows list "$FU" --limit 50 | tail -n 1)
	check flows.more_line "$_last" [ "${_last%%:*}" = "10 more" ]
	expect_err flows.bad_cursor 65 "xlb: Invalid cursor 'x1': the number a page ended with" \
		xl flows list "$FU" --after x1
	expect_err flows.bad_limit 65 "xlb: Invalid limit '0': expected 1-1000000" \
		xl flows list --limit 0
}

# Flushes of what does not exist: one line, exit 66, the table as it was.
t_flows_refused() {
	_used=$(flows_used)
	expect_err flows.flush_unknown_vip 66 "xlb: VIP 'udp:198.18.0.99:53' does not exist" \
		xl flows flush udp:198.18.0.99:53
	expect_err flows.flush_unknown_backend 66 \
		"xlb: Backend '198.18.8.9' of VIP '$FU' does not exist" \
		xl flows flush "$FU" --backend 198.18.8.9
	expect_err flows.flush_other_vips_backend 66 \
		"xlb: Backend '198.18.8.11' of VIP '$FU' does not exist" \
		xl flows flush "$FU" --backend 198.18.8.11
	expect_err flows.list_unknown_backend 66 "xlb: Backend '198.18.8.9' does not exist" \
		xl flows list --backend 198.18.8.9
	expect flows.flush_needs_vip 64 xl flows flush
	flows_of "$FU" >"$T/still"
	check flows.refused_used "used $_used -> $(flows_used)" [ "$(flows_used)" = "$_used" ]
	check flows.refused_kept "$(diff "$T/sent" "$T/still" | wc -l) lines differ" \
		lines_and_same 60 "$T/sent" "$T/still"
}

# One backend's flows go, the others' stay; then the whole VIP's; the TCP VIP keeps its own.
t_flows_flush() {
	_used=$(flows_used)
	_one=$(awk '$2 == "198.18.8.1"' "$T/sent" | wc -l)
	run xl flows flush "$FU" --backend 198.18.8.1
	check flows.flush_backend "exit $RC, '$(cat "$T/out")', $_one sent there" \
		[ "$RC" -eq 0 -a "$(cat "$T/out")" = "$_one flows flushed" -a "$_one" -gt 0 ]
	awk '$2 != "198.18.8.1"' "$T/sent" >"$T/others"
	flows_of "$FU" >"$T/left"
	check flows.others_kept "$(diff "$T/others" "$T/left" | wc -l) lines differ" \
		cmp -s "$T/others" "$T/left"
	check flows.used_down "used $_used -> $(flows_used), $_one flushed" \
		[ "$((_used - $(flows_used)))" -eq "$_one" ]
	_n=$(xl -j flows list --backend 198.18.8.1 | jq '.flows | length')
	check flows.backend_empty "$_n flows to 198.18.8.1" [ "$_n" -eq 0 ]
	# A flushed flow's next datagram is sent anew (by Maglev) and recorded again.
	_port=$(awk '$2 == "198.18.8.1" { print $1; exit }' "$T/sent")
	_again=$(probe udp "198.18.108.1:$_port" 198.18.0.20:53 | awk '{ print $2 }')
	_x=$(xl -j explain udp "198.18.108.1:$_port" 198.18.0.20:53 | jq -r .decision)
	check flows.sent_again "flowprobe: $_again, explain: $_x" \
		[ "$_again $_x" = "TX connection-table" ]
	run xl -j flows flush "$FU"
	_want=$(($(wc -l <"$T/others") + 1))
	check flows.flush_vip "exit $RC, $(jq -c . "$T/out"), want $_want" \
		[ "$RC" -eq 0 -a "$(jq .flushed "$T/out")" -eq "$_want" ]
	_s=$(xl -j flows list "$FU" | jq '.flows | length'):$(xl -j flows list "$FT" |
		jq '.flows | length')
	check flows.vip_empty_other_kept "$FU:$FT flows $_s" [ "$_s" = 0:10 ]
}
