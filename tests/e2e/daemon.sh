# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The scenarios of run.sh that need build/xlbd: health checks taking a stopped backend out and
# back in under load, and a daemon restart with `xlb apply` edits under load. Sourced by
# run.sh (bash), after lib.sh.

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# Starts xlbd on the balancer with the base configuration; 0 once its HTTP side answers.
xlbd_start() {
	[ -f "$T/xlbd.yaml" ] || cp "$T/xlb.yaml" "$T/xlbd.yaml"
	topo_spawn "$NS_LB" "$T/xlbd.log.$1" "$T/xlbd.pid" "$XLBD" -i "$LB_DEV" -c "$T/xlbd.yaml"
	for _ in $(seq 100); do
		topo_lb curl -s -o /dev/null --max-time 1 http://127.0.0.1:9661/healthz && return 0
		sleep 0.1
	done
	return 1
}

# hc_state N [PORT]: the health state (up/down/...) of backend N in the health-checked VIP
# of PORT; without PORT, of both ("up" when both are up, "down" when both are down).
hc_state() {
	topo_xlb -j vip list | jq -r --arg a "$(be_v4 "$1")" --arg h "$HC_ADDR" --arg p "${2:-}" \
		'[.[] | select(.vip == "tcp:\($h):80" or .vip == "tcp:\($h):7") |
		  select($p == "" or .vip == "tcp:\($h):\($p)") | .backends[] |
		  select(.address == $a) | .state] | unique | join(",")'
}

# wait_state N STATE SECS [PORT]: prints the wall-clock ms when backend N showed STATE (in
# the VIP of PORT, or in both), or fails.
wait_state() {
	for _ in $(seq $(($3 * 10))); do
		if [ "$(hc_state "$1" "${4:-}")" = "$2" ]; then
			now_ms
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# The health-checked backends' results out of `xlb -j stats`: "checks_failed transitions".
hc_counters() {
	topo_xlb -j stats | jq -r --arg v "tcp:$HC_ADDR:80" --arg a "$(be_v4 "$1")" \
		'.vips[] | select(.vip == $v) | .backends[] | select(.address == $a) |
		 "\(.checks_failed) \(.transitions)"'
}

t_health() {
	local f=$T/load.health t_stop t_down t_start t_up bad late early b2_last n spid
	for n in 1 2 3; do
		wait_state "$n" up 5 >/dev/null || fail health.initially_up "b$n is $(hc_state "$n")"
	done
	load_bg health "$HC_ADDR" 14
	# Long-lived connections through the same health changes.
	topo_client "$E2E_BIN/e2e_client" streams "$HC_ADDR" 7 -n 20 -t 14 -i 100 \
		>"$T/streams.health" 2>&1 &
	spid=$!
	sleep 3
	t_stop=$(now_ms)
	topo_srv_stop 2
	t_down=$(wait_state 2 down 10 80) || t_down=
	sleep 1
	t_start=$(now_ms)
	topo_srv_start 2 || fail health.restart_server "backend_srv b2 did not start"
	t_up=$(wait_state 2 up 10 80) || t_up=
	wait "$LOAD_PID" "$spid"
	# Only streams on b2 may break (its server died); the others see both table changes.
	n=$(grep -c '^broken' "$T/streams.health")
	check "health.streams_elsewhere_kept ($n of 20 were on b2)" \
		"$(grep -E '^(broken|name|streams)' "$T/streams.health" | grep -v ' b2 ' |
			head -n 5 | tr '\n' '|')" \
		matches "$(awk '$1 == "broken" && $3 != "b2"' "$T/streams.health" | wc -l) \
$(awk '$1 == "name" && $2 == "b2" { print $3 }' "$T/streams.health") $n" '^0 ([0-9]+) \1$'
	check "health.taken_out" "b2 still '$(hc_state 2)' 10 s after its server stopped" \
		[ -n "$t_down" ]
	[ -n "$t_down" ] || t_down=$t_start
	check health.taken_out_in_time "down $((t_down - t_stop)) ms after the stop" \
		[ $((t_down - t_stop)) -le 4000 ]
	# Failed requests: only those that were in flight on b2 or reached it before take-out.
	bad=$(awk '$1 == "fail"' "$f" | wc -l)
	late=$(awk -v d="$t_down" '$1 == "fail" && $2 > d' "$f" | wc -l)
	early=$(awk -v s="$t_stop" '$1 == "fail" && $3 < s' "$f" | wc -l)
	n=$(awk -v s="$t_stop" '$1 == "fail" && $2 < s' "$f" | wc -l)
	check "health.failures_only_before_take_out ($n in flight at the stop, $((bad - n)) more \
sent to b2 in the $((t_down - t_stop)) ms before take-out)" \
		"$late failed after take-out, $early before the stop: $(awk '$1 == "fail"' "$f" |
			head -n 3 | tr '\n' '|')" [ "$late:$early" = 0:0 ]
	check health.others_kept_serving "$(grep -E '^(name|total)' "$f" | tr '\n' '|')" \
		[ "$(field "$f" ok)" -gt 200 ]
	check health.back_in "b2 '$(hc_state 2)' 10 s after its server restarted" [ -n "$t_up" ]
	b2_last=$(awk '$1 == "name" && $2 == "b2" { print $5 }' "$f")
	check health.serves_again "b2 last answered at ${b2_last:-never}, up at ${t_up:-never}" \
		[ "${b2_last:-0}" -gt "${t_up:-99999999999999}" ]
	read -r n t_up <<<"$(hc_counters 2)"
	check health.counters "b2: checks_failed ${n:-?}, transitions ${t_up:-?}" \
		matches "${n:-0} ${t_up:-0}" '^([2-9]|[1-9][0-9]+) ([2-9]|[1-9][0-9]+)$'
}

# `xlb apply` edits (b4 added, drained, removed) and an xlbd restart under load on the
# checked VIP, whose b3 is down and must stay out: no request may fail.
t_restart_under_load() {
	local rc m b4 spid
	topo_srv_stop 3
	wait_state 3 down 5 >/dev/null
	check daemon.b3_down_before "b3 is '$(hc_state 3)'" [ "$(hc_state 3)" = down ]
	load_bg restart "$HC_ADDR" 9
	topo_client "$E2E_BIN/e2e_client" streams "$HC_ADDR" 7 -n 20 -t 9 -i 100 \
		>"$T/streams.restart" 2>&1 &
	spid=$!
	# b4 must be up before it is drained: xlbd sees it at its next sync (each second) and checks
	# it within an interval, which could pass the 1.5 s before the drain (b4 then served none).
	apply_cycle rapply 1.5 "wait_state 4 up 5 80"
	sleep 0.5
	topo_kill "$T/xlbd.pid" TERM
	xlbd_start 2
	rc=$?
	check daemon.restarted "$(tail -n 3 "$T/xlbd.log.2" | tr '\n' '|')" [ "$rc" -eq 0 ]
	wait "$LOAD_PID" "$spid"
	check daemon.restart_and_apply.streams_kept \
		"$(grep -E '^(broken|streams)' "$T/streams.restart" | head -n 4 | tr '\n' '|')" \
		grep -qx 'streams 20 broken 0 lines [0-9]*' "$T/streams.restart"
	check daemon.apply_exits "exit codes $APPLY_RCS" [ "$APPLY_RCS" = 0:0:0 ]
	load_ok restart daemon.restart_and_apply.no_failure
	b4=$(awk '$1 == "name" && $2 == "b4" { print $3 }' "$T/load.restart")
	check daemon.restart_and_apply.b4_served "b4 answered ${b4:-0} times" [ "${b4:-0}" -gt 0 ]
	m=$(topo_lb curl -s --max-time 2 http://127.0.0.1:9661/metrics | grep -c '^xlb_')
	check daemon.metrics_after_restart "$m xlb_ metric lines" [ "$m" -gt 10 ]
	check daemon.b3_still_down "b3 is '$(hc_state 3)'" [ "$(hc_state 3)" = down ]
	topo_srv_start 3 || fail daemon.b3_restart "backend_srv b3 did not start"
	wait_state 3 up 10 >/dev/null
	check daemon.b3_up_again "b3 is '$(hc_state 3)'" [ "$(hc_state 3)" = up ]
}

# The backends of ipip4's tcp:80 VIP as "ADDRwWEIGHT" words.
ipip4_backends() {
	topo_xlb -j vip list | jq -r '.[] | select(.vip == "tcp:198.18.100.1:80") |
		[.backends[] | "\(.address)w\(.weight)"] | join(" ")'
}

# SIGHUP reloads xlbd's file; a broken file leaves the running state as it is.
t_reload() {
	local pid got
	pid=$(cat "$T/xlbd.pid")
	conf_yaml grow >"$T/xlbd.yaml"
	kill -HUP "$pid"
	for _ in $(seq 30); do
		got=$(ipip4_backends)
		[[ $got != *198.18.0.14* ]] || break
		sleep 0.1
	done
	check daemon.reload "after SIGHUP: $got" \
		[ "$got" = "198.18.0.11w1 198.18.0.12w2 198.18.0.13w1 198.18.0.14w1" ]
	echo "vips: [ broken" >"$T/xlbd.yaml"
	kill -HUP "$pid"
	sleep 1
	got="$(ipip4_backends), $(kill -0 "$pid" 2>&1 && echo running)"
	check daemon.reload_broken_file_kept "after SIGHUP: $got; log: $(tail -n 2 \
		"$T/xlbd.log.1" | tr '\n' '|')" \
		[ "$got" = "198.18.0.11w1 198.18.0.12w2 198.18.0.13w1 198.18.0.14w1, running" ]
	check daemon.reload_error_logged "$(tail -n 2 "$T/xlbd.log.1" | tr '\n' '|')" \
		grep -q "xlbd.yaml:2: " "$T/xlbd.log.1"
	cp "$T/xlb.yaml" "$T/xlbd.yaml"
	kill -HUP "$pid"
	sleep 1
}

# All backends down: on-all-down all sends to every backend not drained, drop drops.
t_fail_open() {
	local fo0 nb0 fo1 nb1 states
	for _ in $(seq 50); do
		states=$(topo_xlb -j vip list | jq -r --arg a "tcp:$FO_ALL:80" --arg d "tcp:$FO_DROP:80" \
			'[.[] | select(.vip == $a or .vip == $d) | .backends[].state] | join(" ")')
		[[ $states != *up* ]] && break
		sleep 0.1
	done
	check fail_open.all_down "states: $states" [ "$states" = "down down down down down down down" ]
	fo0=$(xstat .global.fail_open)
	nb0=$(xstat .global.drops.no_backend)
	client_curls "http://$FO_ALL/" 60 >"$T/fo.all"
	check fail_open.all_serves "60 GETs: $(names "$T/fo.all")" each_at_least "$T/fo.all" 5 b1 b2 b3
	topo_client bash -c 'for i in 1 2 3; do curl -s --max-time 0.5 "$1" || echo FAIL; done' \
		curls "http://$FO_DROP/" >"$T/fo.drop"
	check fail_open.drop_drops "3 GETs: $(names "$T/fo.drop")" each_at_least "$T/fo.drop" 3 FAIL
	fo1=$(xstat .global.fail_open)
	nb1=$(xstat .global.drops.no_backend)
	check fail_open.counters "fail_open +$((fo1 - fo0)), no_backend +$((nb1 - nb0)) (3 SYNs)" \
		matches "$((fo1 - fo0 > 60)) $((nb1 - nb0))" '^1 3$'
}

t_daemon() {
	local code
	if [ ! -x "$XLBD" ]; then
		fail daemon "$XLBD is not built"
		return
	fi
	if ! xlbd_start 1; then
		fail daemon.start "$(tail -n 3 "$T/xlbd.log.1" | tr '\n' '|')"
		return
	fi
	ok daemon.start
	code=$(topo_lb curl -s -o "$T/status.html" -w '%{http_code}' http://127.0.0.1:9661/)
	check daemon.status_page "HTTP $code, $(wc -c <"$T/status.html") bytes" \
		matches "$code $(grep -c "$LB_DEV" "$T/status.html")" '^200 [1-9]'
	t_health
	t_fail_open
	t_reload
	t_restart_under_load
}
