# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# Health gating and slow start, sourced by run.sh (bash): a backend added under load to a
# checked VIP gets no new flows until its first check passes, then it does; with a slow start,
# its ramp rises step by step to its weight, and its share of the same new flows with it, and
# it ramps again when it comes back after a failure.

V_GATE=tcp:198.18.1.15:80 # added and removed here: backend .1, then .7

# gate_load: new flows to V_GATE from 198.18.9.1:20000.. in the background, 20 every 50 ms
# (bounded: 200 rounds), one flowprobe line each in $T/gateload.log; its pid in GATELOAD_PID.
gate_load() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	spawn gateload bash -c 'for i in $(seq 200); do
		"$0" "$1" tcp "198.18.9.1:$((20000 + i * 20))" 198.18.1.15:80 20 || exit 1
		sleep 0.05; done' "$BUILD/tests/cli/flowprobe" "$(prog_id)"
	GATELOAD_PID=$LAST_PID
}

# explain_names N: how many of N new flows to V_GATE explain sends to 198.18.2.7.
explain_names() {
	local p n=0
	for p in $(seq 30000 $((30000 + $1 - 1))); do
		[ "$(xl -j explain tcp "198.18.9.2:$p" 198.18.1.15:80 | jq -r .backend)" != 198.18.2.7 ] ||
			n=$((n + 1))
	done
	echo "$n"
}

t_gating() {
	local every="--interval ${INTERVAL_MS}ms --timeout 500ms --rise $RISE --fall $FALL" s n
	# shellcheck disable=SC2086 # the settings are split into options on purpose
	xl vip add "$V_GATE" --check http $every
	xl backend add "$V_GATE" 198.18.2.1
	wait_state "$V_GATE" 198.18.2.1 up 3000 || true
	check gating.first_up "198.18.2.1 $(be_state "$V_GATE" 198.18.2.1) after 3 s" [ -n "$WAITED" ]
	gate_load
	sleep 0.3
	xl backend add "$V_GATE" 198.18.2.7 # no server there yet: its first check fails
	s=$(be_state "$V_GATE" 198.18.2.7)
	check gating.added_not_up "198.18.2.7 is '$s' right after it was added" \
		[ "$s" = pending -o "$s" = down ]
	wait_line "$XLBD_LOG" "backend 198.18.2.7 of $V_GATE down: its first check failed" 3000 ||
		true
	check gating.first_check_logged "$(grep -F 198.18.2.7 "$XLBD_LOG" | tr '\n' '|')" grep -qF \
		"xlbd: warn: backend 198.18.2.7 of $V_GATE down: its first check failed (connection refused)" \
		"$XLBD_LOG"
	n=$(explain_names 40)
	check gating.explain_never_names "$n of 40 new flows explained to 198.18.2.7" [ "$n" = 0 ]
	stop_pid "$GATELOAD_PID"
	n=$(count_to "$T/gateload.log" 198.18.2.7)
	check gating.load_sent "$(wc -l <"$T/gateload.log") frames sent under load" \
		[ "$(count_to "$T/gateload.log" 198.18.2.1)" -gt 100 ]
	check gating.nothing_before_check "$n frames went to 198.18.2.7 ($(tally "$T/gateload.log"))" \
		[ "$n" = 0 ]
	n=$(be_stat "$V_GATE" 198.18.2.7 .packets)
	check gating.counter_zero "198.18.2.7 counted $n packets" [ "$n" = 0 ]

	stub_start 7 200 || fail gating.stub7 "$(oneline "$T/stub7.log")"
	wait_state "$V_GATE" 198.18.2.7 up $((INTERVAL_MS * (RISE + 1) + TOLERANCE_MS)) || true
	check gating.up_after_checks "198.18.2.7 '$(be_state "$V_GATE" 198.18.2.7)'" [ -n "$WAITED" ]
	probe 198.18.9.3:10000 "$V_GATE" 200 >"$T/gate.after"
	n=$(count_to "$T/gate.after" 198.18.2.7)
	check gating.flows_after_check "$(tally "$T/gate.after")" [ "$n" -gt 20 ]
	n=$(be_stat "$V_GATE" 198.18.2.7 .packets)
	check gating.counted_after_check "198.18.2.7 counted $n packets" [ "$n" -gt 20 ]
	n=$(explain_names 40)
	check gating.explain_names_it "$n of 40 new flows explained to 198.18.2.7" [ "$n" -gt 0 ]
	xl vip del "$V_GATE"
	stub_stop 7
}

V_SLOW=tcp:198.18.1.16:80 # added and removed here: backend .1, then .8 with a slow start
SLOW_S=6

# slow_ramp [ADDR]: the ramp percent of ADDR (198.18.2.8) in V_SLOW from `xlb vip list -j`.
slow_ramp() {
	xl -j vip list | jq -r --arg v "$V_SLOW" --arg a "${1:-198.18.2.8}" \
		'.[] | select(.vip == $v) | .backends[] | select(.address == $a) | .ramp'
}

# The same 200 new flows each time: how many Maglev sends to 198.18.2.8 now.
slow_share() {
	probe 198.18.9.5:40000 "$V_SLOW" 200 >"$T/slow.p"
	count_to "$T/slow.p" 198.18.2.8
}

t_slow_start_bad() {
	local before
	before=$(xl -j vip list)
	run_xl "--slow-start 0" vip add "$V_SLOW" --slow-start 0
	check slow_start.zero_refused "exit $RC: $(oneline "$T/xl.err")" [ "$RC:$(cat "$T/xl.err")" = \
		"65:xlb: Invalid slow start '0': whole seconds from 1s to 3600s (leave it out for none)" ]
	run_xl "--slow-start 2h" vip add "$V_SLOW" --slow-start 2h
	check slow_start.absurd_refused "exit $RC: $(oneline "$T/xl.err")" [ "$RC" = 65 ]
	check slow_start.refused_changes_nothing "vip list changed" [ "$(xl -j vip list)" = "$before" ]
}

# run_xl WHAT ARGS...: xlb ARGS with stderr in $T/xl.err and the exit code in RC.
run_xl() {
	shift
	RC=0
	xl "$@" >/dev/null 2>"$T/xl.err" || RC=$?
}

t_slow_start() {
	local every="--interval ${INTERVAL_MS}ms --timeout 500ms --rise $RISE --fall $FALL"
	local r steps="" shares="" last="" n
	t_slow_start_bad
	stub_start 8 200 || fail slow_start.stub8 "$(oneline "$T/stub8.log")"
	# shellcheck disable=SC2086 # the settings are split into options on purpose
	xl vip add "$V_SLOW" --check http $every --slow-start "${SLOW_S}s"
	xl backend add "$V_SLOW" 198.18.2.1
	wait_state "$V_SLOW" 198.18.2.1 up 3000 || true
	# The first backend ramps too (alone, it takes every new flow all along).
	wait_ramp 198.18.2.1 100 $((SLOW_S + 3)) || true
	check slow_start.first_ramp_over "198.18.2.1: ramp $(xl -j vip list | jq -c --arg v "$V_SLOW" \
		'.[] | select(.vip == $v) | .backends')" [ "$(slow_ramp 198.18.2.1)" = 100 ]
	check slow_start.listed "$(xl vip list | grep -F "$V_SLOW")" \
		[ "$(xl -j vip list | jq --arg v "$V_SLOW" '.[] | select(.vip == $v) | .slow_start')" = "$SLOW_S" ]
	xl backend add "$V_SLOW" 198.18.2.8
	# Each step the ramp takes (at most one a second), and the share of the same new flows
	# Maglev gives 198.18.2.8 then; bounded: SLOW_S + 4 seconds of 100 ms polls.
	for _ in $(seq $(((SLOW_S + 4) * 10))); do
		r=$(slow_ramp)
		if [ "$(be_state "$V_SLOW" 198.18.2.8)" = up ] && [ "$r" != "$last" ]; then
			steps="$steps $r"
			shares="$shares $(slow_share)"
			last=$r
		fi
		[ "$last" != 100 ] || break
		sleep 0.1
	done
	echo "# slow start of ${SLOW_S}s: ramp steps (%):$steps; new flows of 200 to 198.18.2.8:$shares"
	check slow_start.steps_rise "ramp steps:$steps" rising "$steps"
	check slow_start.starts_small "ramp steps:$steps" [ "$(first "$steps")" -lt 20 ]
	check slow_start.ends_at_weight "ramp steps:$steps" [ "$last" = 100 ]
	check slow_start.several_steps "ramp steps:$steps" [ "$(echo "$steps" | wc -w)" -ge 4 ]
	check slow_start.share_rises "shares:$shares" rising_roughly "$shares"
	n=$(echo "$shares" | awk '{ print $NF }')
	check slow_start.share_small_first "shares:$shares" [ "$(first "$shares")" -lt 20 ]
	check slow_start.share_full_last "shares:$shares (equal weights: about 100 of 200)" \
		[ "$n" -gt 60 -a "$n" -lt 140 ]
	t_slow_start_recovery
	get /metrics
	check slow_start.metrics "$(grep -F 198.18.1.16 "$T/body" | grep -e slow_start -e ramp | tr '\n' '|')" \
		grep -qx "xlb_vip_slow_start_seconds{vip=\"198.18.1.16\",port=\"80\",proto=\"tcp\"} $SLOW_S" "$T/body"
	xl vip del "$V_SLOW"
	stub_stop 8
}

# 198.18.2.8 fails and comes back: it waits at the first step while down and ramps again.
t_slow_start_recovery() {
	local steps="" last="" r from over
	stub_stop 8
	wait_state "$V_SLOW" 198.18.2.8 down $((INTERVAL_MS * (FALL + 1) + TOLERANCE_MS)) || true
	check slow_start.down_waits_at_start "198.18.2.8 $(be_state "$V_SLOW" 198.18.2.8), ramp $(slow_ramp)" \
		[ "$(be_state "$V_SLOW" 198.18.2.8):$(slow_ramp)" = down:1 ]
	stub_start 8 200 || fail slow_start.stub8_again "$(oneline "$T/stub8.log")"
	for _ in $(seq $(((SLOW_S + 6) * 10))); do
		r=$(slow_ramp)
		if [ "$(be_state "$V_SLOW" 198.18.2.8)" = up ] && [ "$r" != "$last" ]; then
			steps="$steps $r"
			last=$r
		fi
		[ "$last" != 100 ] || break
		sleep 0.1
	done
	echo "# back after a failure: ramp steps (%):$steps"
	check slow_start.recovered_ramps "ramp steps after recovery:$steps" \
		[ "$(first "$steps")" -lt 20 -a "$last" = 100 -a "$(echo "$steps" | wc -w)" -ge 4 ]
	# Logged: once when it was added, once now; over both times.
	from="xlbd: info: backend 198.18.2.8 of $V_SLOW: slow start from 1% of its weight, all of it"
	over="xlbd: info: backend 198.18.2.8 of $V_SLOW: slow start over, at its whole weight"
	check slow_start.logged "$(grep -F "198.18.2.8 of $V_SLOW: slow" "$XLBD_LOG" | tr '\n' '|')" \
		[ "$(grep -cxF "$from in ${SLOW_S}s" "$XLBD_LOG"):$(grep -cxF "$over" "$XLBD_LOG")" = 2:2 ]
}

# wait_ramp ADDR PERCENT S: waits (at most S seconds) for ADDR in V_SLOW to show PERCENT.
wait_ramp() {
	for _ in $(seq $(($3 * 10))); do
		[ "$(slow_ramp "$1")" != "$2" ] || return 0
		sleep 0.1
	done
	return 1
}

# rising "N N N": each number greater than the one before.
rising() {
	echo "$1" | awk '{ for (i = 2; i <= NF; i++) if ($i <= $(i - 1)) exit 1 }'
}

# rising_roughly "N N N": no number more than 5 below the one before (the same 200 flows are
# counted at each step: a growing weight can still move a few of them away), the last above
# the first.
rising_roughly() {
	echo "$1" | awk '{ for (i = 2; i <= NF; i++) if ($i < $(i - 1) - 5) exit 1; exit !($NF > $1) }'
}

first() {
	echo "$1" | awk '{ print $1 }'
}
