# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The daemon's life, sourced by run.sh (bash): reloads with a good and a broken file, a start
# with a broken file, kill -9 under real traffic and a restart that adopts everything, a second
# daemon refused, SIGTERM leaving the data plane forwarding, detach under a running daemon,
# the sd_notify messages of all of it, and `systemd-analyze verify` on the unit.

SENDER_PID=

# notes: the notify messages so far, MONOTONIC_USEC values as N.
notes() {
	sed 's/MONOTONIC_USEC=[0-9]*/MONOTONIC_USEC=N/' "$T/notify.log" | grep -v '^bound '
}

# wait_notes N: 0 once the sink has N messages (5 s at most).
wait_notes() {
	for _ in $(seq 100); do
		[ "$(notes | wc -l)" -lt "$1" ] || return 0
		sleep 0.05
	done
	return 1
}

# Whether MONOTONIC_USEC of the last RELOADING=1 is CLOCK_MONOTONIC now, within 5 s.
monotonic_ok() {
	local usec up
	usec=$(grep -o 'RELOADING=1 MONOTONIC_USEC=[0-9]*' "$T/notify.log" | tail -n 1)
	usec=${usec##*=}
	up=$(awk '{ printf "%.0f", $1 * 1000000 }' /proc/uptime) # (mawk's %d stops at 2^31)
	[ -n "$usec" ] && [ $((up - usec)) -lt 5000000 ] && [ $((usec - up)) -lt 5000000 ]
}

t_start() {
	check start.ready "$(oneline "$XLBD_LOG" 4)" [ -n "$XLBD_PID" ]
	check start.attached "$(oneline "$XLBD_LOG" 2)" grep -qF \
		"xlbd: info: attached xlb to $DEV (native mode, source 198.18.0.1 and ::, next hop $NEXT_HOP, mtu 1500)" \
		"$XLBD_LOG"
	PROG=$(prog_id)
	check start.kernel_native "kernel '$(kernel_xdp "$DEV")', status prog $PROG" \
		[ "$(kernel_xdp "$DEV")" = "$PROG 1" ]
	check start.checking "$(grep 'ready on' "$XLBD_LOG")" grep -qF \
		"ready on $DEV: checking 12 backends of 6 VIPs; HTTP on 127.0.0.1:9661" "$XLBD_LOG"
	wait_notes 1 || true
	check notify.ready "messages: $(notes | tr '\n' '|')" [ "$(notes)" = READY=1 ]
}

t_reload_good() {
	local n0 w
	probe_ack 198.18.5.1:10000 "$V_MAIN" 300 >"$T/before"
	xl -j stats >"$T/r0"
	n0=$(notes | wc -l)
	write_conf "$CONF" reload
	kill -HUP "$XLBD_PID"
	wait_line "$XLBD_LOG" "applied '$CONF': [0-9]+ changes?" 5000 || true
	wait_notes $((n0 + 2)) || true
	check reload.good_applied "$(grep -A 4 'SIGHUP' "$XLBD_LOG" | tr '\n' '|')" \
		grep -qF "xlbd: info: applied '$CONF': 4 changes" "$XLBD_LOG"
	w=$(xl -j vip list | jq -r --arg v "$V_MAIN" --arg n "$V_NEW" '[.[] | select(.vip == $v) |
		.backends[] | select(.address == "198.18.2.3") | .weight] + [.[] | select(.vip == $n) |
		.backends[].address] | join(" ")')
	check reload.good_state "weight of .3 and V_NEW's backends: $w" [ "$w" = "2 198.18.2.1 198.18.2.3" ]
	check notify.reloading "new messages: $(notes | tail -n +$((n0 + 1)) | tr '\n' '|')" \
		[ "$(notes | tail -n +$((n0 + 1)) | tr '\n' ' ')" = "RELOADING=1 MONOTONIC_USEC=N READY=1 " ]
	check notify.monotonic_usec "$(grep RELOADING "$T/notify.log" | tail -n 1), uptime $(cat /proc/uptime)" \
		monotonic_ok
	probe_ack 198.18.5.1:10000 "$V_MAIN" 300 >"$T/after"
	same_flows reload.good_keeps_flows "$T/before" "$T/after"
	xl -j stats >"$T/r1"
	# The backends the reload kept. V_NEW's are left out: their first check may be under way,
	# and between its health record and its up flag (two maps) one can read as down.
	w=$(xl -j vip list | jq -r --arg n "$V_NEW" '[.[] | select(.vip != $n) | .backends[] |
		select(.down) | .address] | join(" ")')
	check reload.good_keeps_health "down: $w; changed: $(health_diff "$T/r0" "$T/r1")" \
		[ "$w:$(health_diff "$T/r0" "$T/r1")" = "198.18.2.4 198.18.2.5 198.18.2.6 198.18.2.5 198.18.2.6:" ]
	for w in $(seq 30); do # its first check comes within one interval
		[ "$(be_stat "$V_NEW" 198.18.2.1 .checks_ok)" = 0 ] || break
		sleep 0.1
	done
	w=$(be_stat "$V_NEW" 198.18.2.1 '"\(.state) \(.checks_ok)"')
	check reload.good_new_vip_checked "state and checks_ok of V_NEW's 198.18.2.1: $w" \
		[ "${w% *}:$((${w#* } > 0))" = up:1 ]
}

# A broken copy of the reload configuration: weight 500 for .3, on line BROKEN_LINE.
write_broken() {
	write_conf "$1" reload
	BROKEN_LINE=$(grep -n 'weight: 2' "$1" | cut -d: -f1)
	sed -i 's/weight: 2/weight: 500/' "$1"
}

t_reload_broken() {
	local n0
	xl save >"$T/save.before"
	n0=$(notes | wc -l)
	write_broken "$CONF"
	kill -HUP "$XLBD_PID"
	wait_line "$XLBD_LOG" "Couldn't reload '$CONF'" 5000 || true
	wait_notes $((n0 + 2)) || true
	check reload.broken_line "$(grep -F "$CONF:" "$XLBD_LOG" | tr '\n' '|')" \
		grep -qE "^xlbd: error: $CONF:$BROKEN_LINE: .*weight" "$XLBD_LOG"
	check reload.broken_kept "$(grep -F "Couldn't reload" "$XLBD_LOG")" grep -qxF \
		"xlbd: warn: Couldn't reload '$CONF': the running configuration is kept" "$XLBD_LOG"
	xl save >"$T/save.after"
	check reload.broken_state_unchanged "$(diff "$T/save.before" "$T/save.after" | tr '\n' '|')" \
		cmp -s "$T/save.before" "$T/save.after"
	get /healthz
	check reload.broken_still_serving "healthz $(cat "$T/code"), pid $XLBD_PID alive: $(alive "$XLBD_PID" && echo yes)" \
		[ "$(cat "$T/code"):$(alive "$XLBD_PID" && echo yes)" = 200:yes ]
	check notify.reloading_broken "new messages: $(notes | tail -n +$((n0 + 1)) | tr '\n' '|')" \
		[ "$(notes | tail -n +$((n0 + 1)) | tr '\n' ' ')" = "RELOADING=1 MONOTONIC_USEC=N READY=1 " ]
	write_conf "$CONF" reload
}

# A broken file at start: exit 78 before anything on the interface changes (PEER here).
t_start_broken() {
	local rc=0 p
	write_broken "$T/broken.yaml"
	in_ns "$BUILD/xlbd" -i "$PEER" -c "$T/broken.yaml" --next-hop-mac "$NEXT_HOP" \
		--listen 127.0.0.1:9662 >"$T/out" 2>"$T/err" || rc=$?
	check start.broken_exit_78 "exit $rc: $(oneline "$T/err" 4)" [ "$rc" = 78 ]
	check start.broken_line "$(oneline "$T/err" 4)" \
		grep -qE "^xlbd: error: $T/broken.yaml:$BROKEN_LINE: .*weight" "$T/err"
	p=$(pin_dir "$PEER")
	check start.broken_untouched "pins: $(ls -d "$p" 2>/dev/null), kernel '$(kernel_xdp "$PEER")'" \
		[ "$([ -e "$p" ] && echo pins):$(kernel_xdp "$PEER")" = ":0 0" ]
}

# Real frames: datagrams of one UDP flow from PEER to V_UDP (DEV's XDP program takes them),
# 100 a second for at most 25 s; SENDER_PID.
sender_start() {
	# shellcheck disable=SC2016 # expanded by the inner bash
	spawn sender nsenter --net="$NSPATH" bash -c \
		'exec 3>/dev/udp/198.18.1.11/53; i=0; while [ $i -lt 2500 ]; do
			echo x >&3 || true; i=$((i + 1)); sleep 0.01; done'
	SENDER_PID=$LAST_PID
}

udp_packets() {
	vip_stat "$V_UDP" .packets
}

t_restart() {
	local p0 p1 p2 p3 st bad="" f0 f1
	sender_start
	sleep 0.5
	xl -j stats >"$T/s0"
	xl save >"$T/save.before"
	probe_ack 198.18.5.1:10000 "$V_MAIN" 300 >"$T/before"
	f0=$(xl -j status | jq '.[0].maps.flows.used')
	p0=$(udp_packets)
	stop_pid "$XLBD_PID" KILL
	check restart.killed "wait status $WAIT_RC" [ "$WAIT_RC" = 137 ]
	get /healthz
	check restart.daemon_gone "healthz answered $(cat "$T/code")" [ "$(cat "$T/code")" = 000 ]
	p1=$(udp_packets)
	# More than 50 frames forwarded with no daemon: counted, however slowly a loaded machine
	# sends them (up to 10 s).
	for _ in $(seq 100); do
		sleep 0.1
		p2=$(udp_packets)
		[ $((p2 - p1)) -gt 50 ] && break
	done
	echo "# without a daemon, the client's frames to $V_UDP: $p1 -> $p2"
	check restart.forwards_without_daemon "VIP packets $p1 -> $p2" [ $((p2 - p1)) -gt 50 ]
	check restart.kernel_keeps_program "kernel '$(kernel_xdp "$DEV")', before $PROG" \
		[ "$(kernel_xdp "$DEV")" = "$PROG 1" ]
	probe_ack 198.18.5.1:10000 "$V_MAIN" 300 >"$T/during"
	same_flows restart.flows_without_daemon "$T/before" "$T/during"

	xlbd_start || fail restart.start "$(oneline "$XLBD_LOG" 6)"
	st=$(be_state "$V_DROP" 198.18.2.5)
	check restart.adopted "$(oneline "$XLBD_LOG" 3)" grep -qxF \
		"xlbd: info: adopted xlb on $DEV (program $PROG, native mode): connection table and counters kept" \
		"$XLBD_LOG"
	check restart.load_time_options_ignored "$(grep -F warn "$XLBD_LOG" | head -n 1)" grep -qF \
		"xlbd: warn: load-time options ignored: xlb already runs on $DEV" "$XLBD_LOG"
	check restart.nothing_applied "$(grep -F applied "$XLBD_LOG")" grep -qxF \
		"xlbd: info: applied '$CONF': 0 changes" "$XLBD_LOG"
	check restart.same_program "kernel '$(kernel_xdp "$DEV")', status $(prog_id), before $PROG" \
		[ "$(kernel_xdp "$DEV"):$(prog_id)" = "$PROG 1:$PROG" ]
	# A backend that was down stays down: no fresh start from "up", no new transition.
	for _ in $(seq 15); do
		[ "$st" = down ] || bad="$bad $st"
		sleep 0.1
		st=$(be_state "$V_DROP" 198.18.2.5)
	done
	check restart.down_stays_down "states other than down:${bad:- none}" [ -z "$bad" ]
	xl -j stats >"$T/s1"
	check restart.health_kept "$(health_diff "$T/s0" "$T/s1")" \
		[ -z "$(health_diff "$T/s0" "$T/s1")" ]
	check restart.counters_kept "$(counters_diff "$T/s0" "$T/s1")" \
		[ -z "$(counters_diff "$T/s0" "$T/s1")" ]
	f1=$(xl -j status | jq '.[0].maps.flows.used')
	check restart.flow_table_kept "flows used $f0 -> $f1" [ "$f1" -ge "$f0" ]
	p3=$(udp_packets)
	check restart.udp_counter_kept "VIP packets $p0 at the kill, $p2 without a daemon, $p3 now" \
		[ "$p3" -gt "$p2" ]
	probe_ack 198.18.5.1:10000 "$V_MAIN" 300 >"$T/after"
	same_flows restart.flows_kept "$T/before" "$T/after"
	xl save >"$T/save.after"
	check restart.state_kept "$(diff "$T/save.before" "$T/save.after" | tr '\n' '|')" \
		cmp -s "$T/save.before" "$T/save.after"
	wait_notes 6 || true
	check notify.ready_after_restart "messages: $(notes | tr '\n' '|')" [ "$(notes | tail -n 1)" = READY=1 ]
}

# health_diff OLD NEW: backends whose transitions changed or whose check counters went back
# between two `xlb -j stats` files.
health_diff() {
	jq -r -n --slurpfile a "$1" --slurpfile b "$2" '
		[$a[0].vips[] | .vip as $v | .backends[] | {k: "\($v) \(.address)", v: .}] as $old |
		[$b[0].vips[] | .vip as $v | .backends[] | {k: "\($v) \(.address)", v: .}] as $new |
		$old[] | . as $o | ($new[] | select(.k == $o.k) | .v) as $n |
		select($n.transitions != $o.v.transitions or $n.checks_ok < $o.v.checks_ok or
		       $n.checks_failed < $o.v.checks_failed) |
		"\($o.k): transitions \($o.v.transitions)->\($n.transitions) ok \($o.v.checks_ok)->\($n.checks_ok) failed \($o.v.checks_failed)->\($n.checks_failed)"' |
		tr '\n' '|'
}

# counters_diff OLD NEW: packet and byte counters (VIPs, backends, global TX) that went back.
counters_diff() {
	jq -r -n --slurpfile a "$1" --slurpfile b "$2" '
		def flat: [.vips[] | .vip as $v | {k: "\($v)", p: .packets, b: .bytes},
			(.backends[] | {k: "\($v) \(.address)", p: .packets, b: .bytes})] +
			[{k: "global tx", p: .global.actions.tx, b: 0}];
		($a[0] | flat) as $old | ($b[0] | flat) as $new |
		$old[] | . as $o | ($new[] | select(.k == $o.k)) as $n |
		select($n.p < $o.p or $n.b < $o.b) | "\($o.k): \($o.p)->\($n.p) packets"' |
		tr '\n' '|'
}

t_second() {
	local rc=0 key
	key="$DEV@$(stat -L -c %i "$NSPATH")"
	# The command line of the running one.
	in_ns "$BUILD/xlbd" -i "$DEV" -c "$CONF" --next-hop-mac "$NEXT_HOP" >"$T/out" 2>"$T/err" ||
		rc=$?
	check second.exit_73 "exit $rc: $(oneline "$T/err")" [ "$rc" = 73 ]
	check second.says_who "$(oneline "$T/err")" [ "$(head -n 1 "$T/err")" = \
		"xlbd: error: xlbd already runs on '$DEV' (pid $XLBD_PID, lock '/run/xlb/xlbd-$key.lock')" ]
	get /healthz
	check second.first_serves "healthz $(cat "$T/code"), kernel '$(kernel_xdp "$DEV")'" \
		[ "$(cat "$T/code"):$(kernel_xdp "$DEV")" = "200:$PROG 1" ]
}

t_sigterm() {
	local p0 p1
	stop_pid "$XLBD_PID" TERM
	check sigterm.exit_0 "wait status $WAIT_RC: $(tail -n 2 "$XLBD_LOG" | tr '\n' '|')" [ "$WAIT_RC" = 0 ]
	check sigterm.logged "$(tail -n 2 "$XLBD_LOG" | tr '\n' '|')" grep -qxF \
		"xlbd: info: stopped health checks and the exporter; data plane left forwarding on $DEV; 'xlb detach $DEV' stops it" \
		"$XLBD_LOG"
	wait_notes 7 || true
	check notify.stopping "messages: $(notes | tr '\n' '|')" [ "$(notes | tail -n 1)" = STOPPING=1 ]
	check sigterm.kernel_keeps_program "kernel '$(kernel_xdp "$DEV")', before $PROG" \
		[ "$(kernel_xdp "$DEV")" = "$PROG 1" ]
	probe 198.18.9.1:10000 "$V_MAIN" 100 >"$T/p"
	check sigterm.flowprobe_tx "$(tally "$T/p")" [ "$(spread_of "$T/p" 2.1 2.2 2.3)" = "y y y 0" ]
	p0=$(udp_packets)
	sleep 0.5
	p1=$(udp_packets)
	check sigterm.client_forwarded "VIP packets $p0 -> $p1 in 0.5 s" [ $((p1 - p0)) -gt 10 ]
	stop_pid "$SENDER_PID"
	# The client's one flow stayed on one backend through kill -9, restart and SIGTERM.
	p0=$(vip_stat "$V_UDP" '"\(.packets) \([.backends[] | select(.packets > 0) | .packets] | join(" "))"')
	check sigterm.client_flow_one_backend "VIP packets, then each backend's that got any: $p0" \
		[ "${p0%% *}" = "${p0#* }" ]
}

# Detaching under a running daemon stops it with 69 (EX_UNAVAILABLE) within a tick.
t_detach() {
	local rc=0
	xlbd_start || fail detach.start "$(oneline "$XLBD_LOG" 6)"
	in_ns "$BUILD/xlb" detach "$DEV" >"$T/out" 2>"$T/err" || rc=$?
	check detach.exit_0 "exit $rc: $(oneline "$T/err")" [ "$rc" = 0 ]
	wait_exit "$XLBD_PID" 3000 || stop_pid "$XLBD_PID" KILL
	check detach.daemon_exit_69 "wait status $WAIT_RC: $(tail -n 2 "$XLBD_LOG" | tr '\n' '|')" \
		[ "$WAIT_RC" = 69 ]
	check detach.logged "$(tail -n 2 "$XLBD_LOG" | tr '\n' '|')" grep -qxF \
		"xlbd: error: xlb was detached from $DEV: stopping" "$XLBD_LOG"
	check detach.kernel "kernel '$(kernel_xdp "$DEV")'" [ "$(kernel_xdp "$DEV")" = "0 0" ]
}

# Every message of the run, in order: start, two reloads, restart, SIGTERM, start, detach.
t_notify_all() {
	wait_notes 9 || true
	check notify.sequence "$(notes | tr '\n' '|')" [ "$(notes | tr '\n' ' ')" = \
		"READY=1 RELOADING=1 MONOTONIC_USEC=N READY=1 RELOADING=1 MONOTONIC_USEC=N READY=1 READY=1 STOPPING=1 READY=1 STOPPING=1 " ]
}

# The unit template with the build directory as SBINDIR, and the man pages it names on MANPATH.
t_unit() {
	local d=$T/unit rc=0
	mkdir -p "$d/man/man8"
	sed "s|@SBINDIR@|$BUILD|g" user/daemon/xlbd@.service.in >"$d/xlbd@.service"
	cp user/cli/xlb.8 user/daemon/xlbd.8 "$d/man/man8/"
	MANPATH=$d/man systemd-analyze verify "$d/xlbd@xlbh0.service" >"$T/out" 2>&1 || rc=$?
	check unit.verify "exit $rc: $(oneline "$T/out" 5)" [ "$rc:$(cat "$T/out")" = "0:" ]
}

# The daemon under the unit's CapabilityBoundingSet alone (as root, like the unit): it attaches
# PEER, serves and stops. This machine's bounding set lacks CAP_SYS_RESOURCE, so the daemon
# gets the unit's set less that.
t_unit_caps() {
	local caps c n arg=-all mask=0 bnd eff pid
	caps=$(sed -n 's/^CapabilityBoundingSet=//p' user/daemon/xlbd@.service.in)
	for c in $caps; do
		c=${c#CAP_}
		c=${c,,}
		arg="$arg,+$c"
		n=$(setpriv --list-caps | grep -nx "$c" | cut -d: -f1) # (listed by number, from 0)
		mask=$((mask | (1 << (n - 1))))
	done
	bnd=$((16#$(awk '/^CapBnd/ { print $2 }' /proc/self/status)))
	spawn unitcaps nsenter --net="$NSPATH" setpriv --bounding-set="$arg" --inh-caps=-all \
		"$BUILD/xlbd" -i "$PEER" --next-hop-mac "$NEXT_HOP" --listen 127.0.0.1:9662
	pid=$LAST_PID
	wait_line "$T/unitcaps.log" '^xlbd: info: ready on ' 10000 || true
	eff=$(awk '/^CapEff/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
	check unit.caps_only "CapEff $eff, expected $(printf %016x $((mask & bnd))) ($caps)" \
		[ "$((16#$eff))" = "$((mask & bnd))" ]
	RC=$(in_ns curl -s -o /dev/null -w '%{http_code}' --max-time 5 http://127.0.0.1:9662/healthz ||
		true)
	check unit.caps_serves "healthz $RC; $(oneline "$T/unitcaps.log" 4)" [ "$RC" = 200 ]
	stop_pid "$pid" TERM
	check unit.caps_stops "wait status $WAIT_RC: $(tail -n 2 "$T/unitcaps.log" | tr '\n' '|')" \
		[ "$WAIT_RC" = 0 ]
	in_ns "$BUILD/xlb" detach "$PEER" >/dev/null 2>&1 || fail unit.caps_detach "xlb detach $PEER failed"
}
