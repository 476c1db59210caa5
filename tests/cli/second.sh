# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# Second-chance VIPs (issue 12) through the command line: the setting added, listed, saved and
# refused without gue forwarding (65 from the CLI, 78 from a file, nothing written); frames of
# such a VIP name the slot's other backend as second hop, and a drain keeps the drained one
# there; explain shows both hops; the connection table is never used. Also the maglev-fast
# scheduler, for both kinds of VIP.
# Sourced by run.sh; leaves no VIP behind.

SC=tcp:198.18.0.40:80

t_second_chance() {
	expect second.vip_add 0 xl vip add "$SC" --forward gue --second-chance
	expect second.backend_add 0 xl backend add "$SC" 198.18.40.1
	_j=$(xl -j vip list | jq -c --arg v "$SC" '.[] | select(.vip == $v) |
		[.forward, .second_chance]')
	check second.list_json "vip list -j: $_j" [ "$_j" = '["gue",true]' ]
	_j=$(xl -j vip list | jq -c --arg v "$V2" '.[] | select(.vip == $v) | .second_chance')
	check second.list_json_off "vip list -j: $_j" [ "$_j" = false ]
	_l=$(xl vip list | awk -v v="$SC" '$1 == v { print $NF }')
	check second.list_text "vip list: $_l" [ "$_l" = second-chance ]
	_s=$(xl save | grep -c '^    second-chance: true$' || true)
	check second.saved "second-chance lines in save: $_s" [ "$_s" = 1 ]
	t_second_frames
	expect second.same_vip 0 xl vip add "$SC" --forward gue --second-chance
	expect_err second.other_vip 65 "xlb: VIP '$SC' exists with other settings" \
		xl vip add "$SC" --forward gue

	xl save >"$T/g0"
	expect_err second.needs_gue 65 \
		"VIP tcp:198.18.0.41:80: second-chance needs forward gue, not ipip" \
		xl vip add tcp:198.18.0.41:80 --second-chance
	expect_err second.needs_gue_dr 65 \
		"VIP tcp:198.18.0.41:80: second-chance needs forward gue, not dr" \
		xl vip add tcp:198.18.0.41:80 --forward dr --second-chance
	sed "s/^    forward: gue$/    forward: ipip/" "$T/g0" >"$T/sc.yaml"
	_line=$(grep -n "^  - vip: $SC\$" "$T/sc.yaml" | cut -d: -f1)
	expect_err second.file_needs_gue 78 \
		"$T/sc.yaml:$_line: VIP $SC: second-chance needs forward gue, not ipip" \
		xl apply -f "$T/sc.yaml"
	unchanged second.nothing_written
	expect second.vip_del 0 xl vip del "$SC"
}

# hops FILE: the "FIRST>SECOND" pairs of probe output FILE with their counts, sorted.
hops() {
	awk '$2 == "TX" && $3 == "gue" && $6 == "hop" { print $4 ">" $7 }
	     !($2 == "TX" && $3 == "gue" && $6 == "hop") { print "other:" $0 }' "$1" |
		sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' '
}

t_second_frames() {
	_a=198.18.40.1 _b=2001:db8:40::2
	expect second.backend_add_v6 0 xl backend add "$SC" "$_b"
	xl -j stats >"$T/sc0"
	probe tcp 198.18.140.1:1000 198.18.0.40:80 200 >"$T/p"
	probe_ack tcp 198.18.140.1:1000 198.18.0.40:80 200 >>"$T/p"
	_h=$(hops "$T/p" | sed "s/$_a>$_b=[0-9]*//; s/$_b>$_a=[0-9]*//" | tr -d ' ')
	check second.each_names_the_other "hops: $(hops "$T/p")" [ -z "$_h" ]
	spread second.spread "$T/p" gue 100 "$_a" "$_b"
	udp_port second.gue_port "$T/p" 6080
	xl -j stats >"$T/sc1"
	_d=
	for _f in .global.flow_hit .global.flow_miss .flow_table.recorded .flow_table.used; do
		[ "$(stat_of "$T/sc0" "$_f")" = "$(stat_of "$T/sc1" "$_f")" ] || _d="$_d $_f"
	done
	check second.no_connection_table "moved:$_d" [ -z "$_d" ]
	_p=$(awk '$1 == 1000 { print $4 ">" $7; exit }' "$T/p")
	_x=$(xl -j explain tcp 198.18.140.1:1000 198.18.0.40:80 |
		jq -r '"\(.decision) \(.backend)>\(.second_hop)"')
	check second.explain_json "explain: $_x, probe: $_p" [ "$_x" = "second-chance $_p" ]
	run xl explain tcp 198.18.140.1:1000 198.18.0.40:80
	_want="tcp 198.18.140.1:1000 -> 198.18.0.40:80: VIP $SC -> backend ${_p%>*}, up, \
second hop ${_p#*>}, up (second-chance slot"
	check second.explain_text "$(cat "$T/out")" [ "${_want}" = "$(cut -c1-${#_want} "$T/out")" ]

	expect second.drain 0 xl backend drain "$SC" "$_a"
	probe tcp 198.18.140.1:1000 198.18.0.40:80 200 >"$T/p"
	_h=$(hops "$T/p")
	check second.drained_is_second "hops: $_h" [ "$_h" = "$_b>$_a=200 " ]
	expect second.del_drained 0 xl backend del "$SC" "$_a"
	probe tcp 198.18.140.1:1000 198.18.0.40:80 50 >"$T/p"
	_h=$(awk '{ print $3 " " $4 " " $6 " " $7 }' "$T/p" | sort -u | tr '\n' '|')
	check second.alone_no_hop "frames: $_h" [ "$_h" = "gue $_b hop -|" ]
	_x=$(xl -j explain tcp 198.18.140.1:1000 198.18.0.40:80 | jq -c '[.backend, .second_hop]')
	check second.explain_no_hop "explain: $_x" [ "$_x" = "[\"$_b\",null]" ]
	expect second.backend_add_back 0 xl backend add "$SC" "$_a"

	# Turned off and on again by a file: frames lose and regain the hop header.
	xl save | grep -v '^    second-chance: true$' >"$T/off.yaml"
	expect second.apply_off 0 xl apply -f "$T/off.yaml"
	_l=$(grep -c "^~ vip $SC second-chance true -> false\$" "$T/out" || true)
	check second.apply_off_line "apply said: $(tr '\n' '|' <"$T/out")" [ "$_l" = 1 ]
	probe tcp 198.18.140.1:1000 198.18.0.40:80 50 >"$T/p"
	_h=$(awk '$3 != "gue" || $6 != ""' "$T/p" | head -n 3 | tr '\n' '|')
	check second.off_plain_gue "frames: $_h" [ -z "$_h" ]
	xl save | awk -v v="  - vip: $SC" '{ print } $0 == v { in_sc = 1; next }
		/^  - vip: / { in_sc = 0 }
		in_sc && $0 == "    forward: gue" { print "    second-chance: true" }' >"$T/on.yaml"
	expect second.apply_on 0 xl apply -f "$T/on.yaml"
	probe tcp 198.18.140.1:1000 198.18.0.40:80 50 >"$T/p"
	_h=$(awk '$6 != "hop"' "$T/p" | head -n 3 | tr '\n' '|')
	check second.on_again "frames: $_h" [ -z "$_h" ]
}

# fast_agree NAME VIP: for 24 new flows to VIP, the "FIRST>SECOND" hops explain names ("-" for
# no second) are those the program sent each flow's SYN to.
fast_agree() {
	_dst=${2#tcp:}
	probe tcp 198.18.142.1:2000 "$_dst" 24 >"$T/p"
	_bad=
	for _port in $(seq 2000 2023); do
		_got=$(awk -v p="$_port" '$1 == p && $2 == "TX" {
			print $4 ">" ($6 == "hop" ? $7 : "-"); exit }' "$T/p")
		_x=$(xl -j explain tcp "198.18.142.1:$_port" "$_dst" |
			jq -r '"\(.backend)>\(.second_hop // "-")"')
		[ -n "$_got" ] && [ "$_x" = "$_got" ] || _bad="$_bad $_port:$_x/$_got"
	done
	check "$1" "explain/program:$_bad" [ -z "$_bad" ]
}

# fake_prog: the pins' record names another program (as an older xlb's attach leaves it);
# real_prog puts ours back.
fake_prog() {
	_rec=$(readlink "$(pin_dir "$DEV")/abi")
	ln -sfn "${_rec%prog=*}prog=00000000" "$(pin_dir "$DEV")/abi"
}

real_prog() {
	ln -sfn "$_rec" "$(pin_dir "$DEV")/abi"
}

# The maglev-fast scheduler, for a connection-table VIP and a second-chance one: listed and
# saved by name, and explain names the backends the program takes (the slot from the
# connection hash, not murmur3), spread over every backend. Refused (78, nothing written)
# while the attached program is another build's, which would take it for maglev.
t_sched_fast() {
	_ft=tcp:198.18.0.43:80 _fs=tcp:198.18.0.42:80
	_m="xlb: sched maglev-fast needs this xlb's program on '$DEV': run 'xlb upgrade $DEV' first"
	xl save >"$T/g0"
	fake_prog
	expect_err sched.fast_needs_prog 78 "$_m" xl vip add "$_ft" --sched maglev-fast
	unchanged sched.fast_needs_prog_unchanged
	real_prog
	expect sched.fast_add 0 xl vip add "$_ft" --sched maglev-fast
	expect sched.fast_add_twohop 0 xl vip add "$_fs" --forward gue --second-chance \
		--sched maglev-fast
	for _b in 198.18.43.1 198.18.43.2 198.18.43.3; do
		expect sched.fast_backend 0 xl backend add "$_ft" "$_b"
	done
	expect sched.fast_backend 0 xl backend add "$_fs" 198.18.42.1
	expect sched.fast_backend 0 xl backend add "$_fs" 198.18.42.2
	_j=$(xl -j vip list | jq -r --arg v "$_ft" '.[] | select(.vip == $v) | .sched')
	check sched.fast_listed "vip list -j: $_j" [ "$_j" = maglev-fast ]
	_s=$(xl save | grep -c '^    sched: maglev-fast$' || true)
	check sched.fast_saved "sched lines in save: $_s" [ "$_s" = 2 ]
	fast_agree sched.fast_explain_table "$_ft"
	_n=$(awk '$2 == "TX" { print $4 }' "$T/p" | sort -u | wc -l)
	check sched.fast_spread "backends taken: $_n" [ "$_n" = 3 ]
	fast_agree sched.fast_explain_twohop "$_fs"
	xl save >"$T/fast.yaml"
	xl save >"$T/g0"
	fake_prog
	expect_err sched.fast_edit_needs_prog 78 "$_m" xl backend add "$_ft" 198.18.43.4
	expect_err sched.fast_dry_run_needs_prog 78 "$_m" xl apply -f "$T/fast.yaml" --dry-run
	unchanged sched.fast_edit_unchanged
	real_prog
	expect sched.fast_del 0 xl vip del "$_ft"
	expect sched.fast_del_twohop 0 xl vip del "$_fs"
}
