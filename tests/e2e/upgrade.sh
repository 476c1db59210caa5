# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The upgrade scenario of run.sh (bash, after lib.sh and daemon.sh): under long-lived streams
# and a request load, the balancer's program is replaced five times: by this build over its
# own maps, by "the previous build" (prev_build.sh: five maps of another size, one value
# longer) migrating them, back by this build's `xlb upgrade`, down again, and back by xlbd at
# its start. Nothing fails, nothing breaks, counters go on. Then the refusals.

UPG_PREV=$BUILD/upgrade-prev
# The maps the previous build's layout changes: the six sized by XLB_MAX_VIPS (xlb_vips,
# xlb_tables, xlb_vip_stats, xlb_vip_health, xlb_vip_rate, xlb_snat) and xlb_be_health.
UPG_MOVED=7

# upg_stat BIN: the VIPs' packets summed, read by the xlb binary BIN (the one whose layout runs).
upg_stat() {
	topo_lb "$1" -i "$LB_DEV" -j stats | jq -r '[.vips[].packets] | add // 0'
}

# upg_step NAME BIN EXPECT CMD...: runs CMD (an upgrade to BIN's build) into $T/upgrade.NAME;
# checks it printed EXPECT, and that the packet counters (read by the binary whose layout runs:
# UPG_RUNNING before, BIN after) went on.
upg_step() {
	local name=$1 bin=$2 expect=$3 before after rc
	shift 3
	before=$(upg_stat "$UPG_RUNNING")
	"$@" >"$T/upgrade.$name" 2>&1
	rc=$?
	after=$(upg_stat "$bin")
	UPG_RUNNING=$bin
	check "upgrade.$name" "rc $rc: $(tr '\n' '|' <"$T/upgrade.$name")" \
		grep -q "$expect" "$T/upgrade.$name"
	check "upgrade.$name.counters_go_on" "VIP packets $before -> $after" \
		[ "${after:-0}" -ge "${before:-1}" ]
}

# The refusals, with the streams still running: nothing changes.
upg_refusals() {
	local dir rec prog out rc
	dir=$(pins_of /sys/fs/bpf/xlb "$LB_DEV")
	prog=$(topo_xlb -j status | jq -r '.[0].prog_id')
	rec=$(readlink "$dir/abi")
	ln -sfn "abi=0 maps=00000000 prog=00000000" "$dir/abi"
	out=$(topo_xlb upgrade "$LB_DEV" 2>&1)
	rc=$?
	check upgrade.refused_abi "rc $rc: $out" [ "$rc" -eq 78 ]
	check upgrade.refused_abi.message "$out" matches "$out" "^xlb: Couldn't upgrade xlb on \
'$LB_DEV': its pins have ABI version 0, this xlb has 1 .*nothing was changed$"
	ln -sfn "$rec" "$dir/abi"
	check upgrade.refused_abi.untouched "program $prog -> $(topo_xlb -j status |
		jq -r '.[0].prog_id')" [ "$(topo_xlb -j status | jq -r '.[0].prog_id')" = "$prog" ]
	out=$(topo_lb "$XLB" upgrade lo 2>&1)
	rc=$?
	check upgrade.not_attached "rc $rc: $out" \
		[ "$rc" -eq 66 ] && [ "$out" = "xlb: Interface 'lo' does not run xlb" ]
}

t_upgrade() {
	local pids='' p name f errs='' swaps t0=$SECONDS tb
	if ! bash tests/e2e/prev_build.sh "$UPG_PREV" >"$T/prev_build.log" 2>&1; then
		fail upgrade.prev_build "$(tail -n 3 "$T/prev_build.log" | tr '\n' '|')"
		return
	fi
	tb=$((SECONDS - t0))
	for name in ipip4 dr4; do
		topo_client "$E2E_BIN/e2e_client" streams "$(vip_addr "$name")" 7 -n 20 -t 10 \
			-i 100 >"$T/upgrade.streams.$name" 2>&1 &
		pids="$pids $!"
	done
	load_bg upgrade 198.18.100.1 10
	pids="$pids $LOAD_PID"
	for name in ipip4 dr4; do
		wait_line "$T/upgrade.streams.$name" '^ready' 5000 || errs="$errs $name;"
	done
	check upgrade.streams_open "not open:$errs" [ -z "$errs" ]
	UPG_RUNNING=$XLB
	sleep 1
	# The previous build (prev_build.sh) differs in the maps sized by XLB_MAX_VIPS and in the
	# backends' health results: those are migrated (UPG_MOVED), every other map is kept.
	upg_step same "$XLB" " 0 migrated, 0 new" topo_xlb upgrade "$LB_DEV"
	sleep 1
	upg_step down "$UPG_PREV/xlb" " $UPG_MOVED migrated, 0 new" \
		topo_lb "$UPG_PREV/xlb" upgrade "$LB_DEV"
	f=$(topo_xlb stats 2>&1)
	check upgrade.other_layout_refused "$f" [ "$f" = "xlb: Couldn't adopt xlb on '$LB_DEV': \
its maps have another layout; run 'xlb upgrade $LB_DEV'" ]
	sleep 1
	upg_step up "$XLB" " $UPG_MOVED migrated, 0 new" topo_xlb upgrade "$LB_DEV"
	sleep 1
	upg_step down2 "$UPG_PREV/xlb" " $UPG_MOVED migrated" topo_lb "$UPG_PREV/xlb" upgrade "$LB_DEV"
	sleep 1
	upg_step xlbd "$XLB" "started" xlbd_upgrade
	upg_refusals
	for p in $pids; do
		wait "$p"
	done
	load_ok upgrade upgrade.no_failed_request
	for name in ipip4 dr4; do
		f=$T/upgrade.streams.$name
		check "upgrade.$name.none_broken" "$(grep -E '^(broken|streams)' "$f" | head -n 4 |
			tr '\n' '|')" grep -qx 'streams 20 broken 0 lines [0-9]*' "$f"
	done
	swaps=$(grep -ho 'swap [0-9]* us' "$T"/upgrade.{same,down,up,down2} "$T/xlbd.log.upg" |
		awk '{ printf "%s%s", (NR > 1 ? "," : ""), $2 }')
	echo "upgrade: requests $(field "$T/load.upgrade" total), failed" \
		"$(field "$T/load.upgrade" failed), streams broken" \
		"$(($(field "$T/upgrade.streams.ipip4" broken) + $(field "$T/upgrade.streams.dr4" broken)))," \
		"swaps (us) $swaps; $((SECONDS - t0)) s, of which $tb s building the previous xlb"
}

# xlbd started over the previous build's program: it upgrades, says so, and is stopped again.
xlbd_upgrade() {
	local ok=1
	xlbd_start upg && grep -q "upgraded xlb on $LB_DEV: program .* maps: [0-9]* kept, $UPG_MOVED migrated" \
		"$T/xlbd.log.upg" && ok=0
	topo_kill "$T/xlbd.pid" TERM
	cat "$T/xlbd.log.upg"
	[ "$ok" -eq 0 ] && echo started
}
