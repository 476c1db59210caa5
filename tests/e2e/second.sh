# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# Second chance end to end (issue 12): second-chance gue VIPs (IPv4 and IPv6, ports 7 and 80)
# whose backends change one safe step at a time under real TCP, each step under 200 fresh
# long-lived streams and a stream of new connections: nothing breaks, the backends relay, and
# the balancer's connection table never sees the VIPs' traffic. Sourced by run.sh (bash).

SC4=198.18.100.9
SC6=2001:db8:100::9
# The steps, each one change the two-hop rule keeps every connection through (user/lib/
# twohop.c): from b1 and b2, add b3, add b4, raise b2's weight, drain b1, undrain it.
SC_STEPS="add3 add4 weight2=2 drain1 undrain1"

# sc_edit STEP: STEP on both ports of both VIPs; prints what failed.
sc_edit() {
	local fam vip port addr
	for fam in 4 6; do
		if [ "$fam" = 4 ]; then addr=$SC4; else addr="[$SC6]"; fi
		for port in 7 80; do
			vip=tcp:$addr:$port
			case $1 in
			vip) topo_xlb vip add "$vip" --forward gue --second-chance &&
				topo_xlb backend add "$vip" "$(be_addr "$fam" 1)" &&
				topo_xlb backend add "$vip" "$(be_addr "$fam" 2)" ;;
			add*) topo_xlb backend add "$vip" "$(be_addr "$fam" "${1#add}")" ;;
			drain*) topo_xlb backend drain "$vip" "$(be_addr "$fam" "${1#drain}")" ;;
			undrain*) topo_xlb backend undrain "$vip" "$(be_addr "$fam" "${1#undrain}")" ;;
			weight*) topo_xlb backend set "$vip" "$(be_addr "$fam" "${1:6:1}")" \
				--weight "${1#*=}" ;;
			del) topo_xlb vip del "$vip" ;;
			esac >"$T/sc.edit" 2>&1 || echo "$vip $1: $(tr '\n' ' ' <"$T/sc.edit");"
		done
	done
}

# sc_decap_sum KEY: the sum of KEY over the backends' `xlb decap stats -j`.
sc_decap_sum() {
	local n s=0 v
	for n in $(seq "$TOPO_BACKENDS"); do
		v=$(topo_backend "$n" "$XLB" -j decap stats "$(be_dev "$n")" | jq -r ".$1")
		s=$((s + v))
	done
	echo "$s"
}

# sc_step STEP: 150 streams to IPv4's port 7 and 50 to IPv6's open, STEP a second later,
# they run two more seconds; prints what broke.
sc_step() {
	local p4 p6 errs=''
	topo_client "$E2E_BIN/e2e_client" streams "$SC4" 7 -n 150 -t 3 -i 100 \
		>"$T/sc.streams4.$1" 2>&1 &
	p4=$!
	topo_client "$E2E_BIN/e2e_client" streams "$SC6" 7 -n 50 -t 3 -i 100 \
		>"$T/sc.streams6.$1" 2>&1 &
	p6=$!
	wait_line "$T/sc.streams4.$1" '^ready' 5000 || errs="$errs v4 streams did not open;"
	wait_line "$T/sc.streams6.$1" '^ready' 5000 || errs="$errs v6 streams did not open;"
	sleep 1
	errs="$errs$(sc_edit "$1")"
	wait "$p4" "$p6"
	echo "$errs"
}

t_second_chance() {
	local hit0 miss0 hit1 miss1 rel0 rel1 fail0 fail1 step errs pid6 f streams=0 lines=0
	local broken=0 bad=''
	errs=$(sc_edit vip)
	check sc.vips "$errs" [ -z "$errs" ]
	hit0=$(xstat .global.flow_hit)
	miss0=$(xstat .global.flow_miss)
	rel0=$(sc_decap_sum relayed)
	fail0=$(sc_decap_sum relay_failed)
	load_bg sc4 "$SC4" 17
	pid6=$LOAD_PID
	load_bg sc6 "$SC6" 17
	for step in $SC_STEPS; do
		errs="$errs$(sc_step "$step")"
	done
	wait "$pid6" "$LOAD_PID"
	check sc.steps "$errs" [ -z "$errs" ]
	for f in "$T"/sc.streams[46].*; do
		streams=$((streams + $(field "$f" streams)))
		broken=$((broken + $(field "$f" broken)))
		lines=$((lines + $(field "$f" lines)))
		grep -q '^streams [0-9]* broken 0 ' "$f" ||
			bad="$bad ${f##*.}: $(grep -E '^(broken|streams)' "$f" | head -n 3 | tr '\n' '|')"
	done
	check sc.none_broken "$streams streams, $broken broken, $lines lines:$bad" \
		matches "$streams:$bad" '^1000:$'
	load_ok sc4 sc.load4_no_failure
	load_ok sc6 sc.load6_no_failure
	rel1=$(sc_decap_sum relayed)
	fail1=$(sc_decap_sum relay_failed)
	check sc.relayed "relayed $rel0 -> $rel1 over the backends" [ "$rel1" -gt "$rel0" ]
	check sc.no_relay_failure "relay_failed $fail0 -> $fail1" [ "$fail1" -eq "$fail0" ]
	hit1=$(xstat .global.flow_hit)
	miss1=$(xstat .global.flow_miss)
	check sc.no_conn_table "flow_hit $hit0 -> $hit1, flow_miss $miss0 -> $miss1" \
		[ "$hit1:$miss1" = "$hit0:$miss0" ]
	echo "# second chance: $streams streams ($broken broken, $lines lines)," \
		"$(field "$T/load.sc4" total)+$(field "$T/load.sc6" total) requests" \
		"($(($(field "$T/load.sc4" failed) + $(field "$T/load.sc6" failed))) failed)," \
		"relayed $((rel1 - rel0))"
	errs=$(sc_edit del)
	check sc.vips_removed "$errs" [ -z "$errs" ]
}
