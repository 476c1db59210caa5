# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# Health-check scenarios of the daemon tests, sourced by run.sh (bash): a stopped backend is
# marked down in time and gets no new flows while the others keep theirs, it comes back after
# rise; HTTP 500 is down for an http check and up for a tcp check; all backends down with
# on-all-down drop and all.

# Most a stop (start) may take to show as down (up): interval x fall (rise) + one interval,
# plus TOLERANCE_MS. Least: (fall - 1) intervals, less the tolerance.
DOWN_MAX_MS=$((INTERVAL_MS * FALL + INTERVAL_MS + TOLERANCE_MS))
UP_MAX_MS=$((INTERVAL_MS * RISE + INTERVAL_MS + TOLERANCE_MS))
DOWN_MIN_MS=$((INTERVAL_MS * (FALL - 1) - TOLERANCE_MS))
UP_MIN_MS=$((INTERVAL_MS * (RISE - 1) - TOLERANCE_MS))

# others FILE ADDR...: how many frames of probe output FILE did not leave with TX to one of ADDR.
others() {
	local f=$1
	shift
	awk -v list=" $* " '$2 != "TX" || index(list, " " $4 " ") == 0' "$f" | wc -l
}

# spread_of FILE N.N...: for each backend 198.18.N.N, "y" when some frame of probe output FILE
# went there (TX), "n" if none; then how many frames went elsewhere or were not sent.
spread_of() {
	local f=$1 b list=""
	shift
	for b; do
		list="$list 198.18.$b"
		if [ "$(count_to "$f" "198.18.$b")" -gt 0 ]; then printf 'y '; else printf 'n '; fi
	done
	# shellcheck disable=SC2086 # the list is split into addresses on purpose
	others "$f" $list
}

# between MS MIN MAX: MS is a number in [MIN, MAX].
between() {
	[ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

# in_range NAME WHAT MS MIN MAX: the measured MS lies in [MIN, MAX].
in_range() {
	check "$1" "$2 after ${3:-never} ms, allowed $4-$5 ms" between "$3" "$4" "$5"
}

# others_keep_flows NAME: the flows of $T/base that did not go to 198.18.2.2, probed again
# (ACKs, into $T/again), all go where they went before.
others_keep_flows() {
	local kept
	probe_ack 198.18.5.1:10000 "$V_MAIN" 300 >"$T/again"
	kept=$(paste -d ' ' "$T/base" "$T/again" |
		awk '$4 != "198.18.2.2" && ($6 != "TX" || $8 != $4)' | wc -l)
	check "$1" "$kept flows of 198.18.2.1/.3 moved ($(wc -l <"$T/again") probed)" \
		[ "$kept:$(wc -l <"$T/again")" = 0:300 ]
}

t_http_500() {
	local err f
	# The daemon started at most a few seconds ago: the first check of each backend comes
	# within one interval, the fall-th failure (fall - 1) intervals later.
	wait_state "$V_500H" 198.18.2.4 down "$DOWN_MAX_MS" || true
	check http500.http_check_down "state '$(be_state "$V_500H" 198.18.2.4)' after $DOWN_MAX_MS ms" \
		[ -n "$WAITED" ]
	err=$(be_stat "$V_500H" 198.18.2.4 .last_error)
	check http500.last_error "last_error $err, expected 1500 (1000 + HTTP status)" [ "$err" = 1500 ]
	# Added with the daemon's start, it was pending: its first check decided.
	check http500.logged "$(grep 198.18.2.4 "$XLBD_LOG" | tr '\n' '|')" grep -qF \
		"xlbd: warn: backend 198.18.2.4 of $V_500H down: its first check failed (HTTP 500)" \
		"$XLBD_LOG"
	f=$(be_stat "$V_500T" 198.18.2.4 '"\(.state) \(.checks_ok) \(.checks_failed) \(.transitions)"')
	f=$(echo "$f" | awk '{ print $1, ($2 > 0 ? "some" : "none"), $3, $4 }')
	check http500.tcp_check_up "state, checks ok, failed, transitions: $f" \
		[ "$f" = "up some 0 0" ]
}

# Flows of V_MAIN from 198.18.5.1:10000.., opened and recorded before anything is stopped.
t_health_base() {
	local w
	for w in 1 2 3; do
		wait_state "$V_MAIN" "198.18.2.$w" up 3000 || true
	done
	probe 198.18.5.1:10000 "$V_MAIN" 300 >"$T/base"
	# The handshake's ACK: a SYN is never recorded, the next packet is.
	probe_ack 198.18.5.1:10000 "$V_MAIN" 300 >/dev/null
	check health.base_spread "$(tally "$T/base")" [ "$(spread_of "$T/base" 2.1 2.2 2.3)" = "y y y 0" ]
}

# While a backend goes down, an HTTP client holds a half-sent request to the exporter open: the
# one-threaded daemon must go on checking.
t_health_down() {
	local t0 moved port why want got
	spawn stalled nsenter --net="$NSPATH" bash -c \
		'exec 5<>/dev/tcp/127.0.0.1/9661; printf "GET /metrics HTTP/1.1\r\nHost: x\r\n" >&5; sleep 6'
	STALLED_PID=$LAST_PID
	t0=$(now_ms)
	stub_stop 2
	wait_state "$V_MAIN" 198.18.2.2 down $((DOWN_MAX_MS + 2000)) "$t0" || true
	in_range health.down_in_time "198.18.2.2 marked down" "$WAITED" "$DOWN_MIN_MS" "$DOWN_MAX_MS"
	check health.stalled_client_held "the stalled client exited early: $(oneline "$T/stalled.log")" \
		alive "$STALLED_PID"
	stop_pid "$STALLED_PID"
	echo "# 198.18.2.2 marked down ${WAITED:-never} ms after its server was killed" \
		"(interval ${INTERVAL_MS} ms, fall $FALL)"
	check health.down_logged "$(grep -F 198.18.2.2 "$XLBD_LOG" | tail -n 2 | tr '\n' '|')" \
		grep -qF "backend 198.18.2.2 of $V_MAIN down after $FALL failures (connection refused)" \
		"$XLBD_LOG"

	# Before its flows are probed again: status counts it, explain says its entry is ignored.
	# V_UDP checks 198.18.2.2 on its own schedule: both views are read once it is down there too.
	wait_state "$V_UDP" 198.18.2.2 down "$DOWN_MAX_MS" || true
	want=$(xl -j vip list | jq '[.[].backends[] | select(.down)] | length')
	got=$(xl -j status | jq -c '.[0].maps.backends')
	check health.down_in_status "status: $got, vip list: $want down" \
		[ "$(echo "$got" | jq .down)" = "$want" -a "$want" = 3 ]
	port=$(awk '$4 == "198.18.2.2" {print $1; exit}' "$T/base")
	why=$(xl -j explain tcp "198.18.5.1:$port" "${V_MAIN#tcp:}" | jq -r .ignored_entry)
	check health.down_in_explain "explain of a flow of 198.18.2.2: '$why'" \
		[ "$why" = "its backend is down" ]

	probe 198.18.6.1:10000 "$V_MAIN" 300 >"$T/new"
	check health.down_no_new_flows "new flows: $(tally "$T/new")" \
		[ "$(spread_of "$T/new" 2.1 2.3)" = "y y 0" ]
	others_keep_flows health.down_others_keep_flows
	moved=$(paste -d ' ' "$T/base" "$T/again" |
		awk '$4 == "198.18.2.2" && ($6 != "TX" || ($8 != "198.18.2.1" && $8 != "198.18.2.3"))' |
		wc -l)
	check health.down_flows_move "$moved flows of 198.18.2.2 did not move to .1/.3 ($(count_to "$T/base" 198.18.2.2) were there)" \
		[ "$moved:$(($(count_to "$T/base" 198.18.2.2) > 0))" = 0:1 ]
}

t_health_up() {
	local t0
	t0=$(now_ms)
	stub_start 2 200 || fail health.stub_restart "$(oneline "$T/stub2.log")"
	wait_state "$V_MAIN" 198.18.2.2 up $((UP_MAX_MS + 2000)) "$t0" || true
	in_range health.up_after_rise "198.18.2.2 back up" "$WAITED" "$UP_MIN_MS" "$UP_MAX_MS"
	echo "# 198.18.2.2 marked up ${WAITED:-never} ms after its server started" \
		"(interval ${INTERVAL_MS} ms, rise $RISE)"
	check health.up_logged "$(grep -F 198.18.2.2 "$XLBD_LOG" | tail -n 2 | tr '\n' '|')" \
		grep -qF "backend 198.18.2.2 of $V_MAIN up after $RISE good checks" "$XLBD_LOG"
	probe 198.18.7.1:10000 "$V_MAIN" 300 >"$T/new"
	check health.up_new_flows "new flows: $(tally "$T/new")" \
		[ "$(spread_of "$T/new" 2.1 2.2 2.3)" = "y y y 0" ]
	others_keep_flows health.up_others_keep_flows
}

t_all_down() {
	local a0 a1 d0 d1 vip w t0 up=""
	t0=$(now_ms)
	stub_stop 5
	stub_stop 6
	for vip in "$V_DROP" "$V_ALL"; do
		for w in 5 6; do
			wait_state "$vip" "198.18.2.$w" down "$DOWN_MAX_MS" "$t0" ||
				up="$up $vip/198.18.2.$w:$(be_state "$vip" "198.18.2.$w")"
		done
	done
	check alldown.marked_down "not down within $DOWN_MAX_MS ms:$up" [ -z "$up" ]
	d0=$(xl -j stats | jq .global.drops.no_backend)
	probe 198.18.8.1:10000 "$V_DROP" 50 >"$T/p"
	d1=$(xl -j stats | jq .global.drops.no_backend)
	check alldown.drop_verdicts "$(tally "$T/p")" [ "$(tally "$T/p")" = "DROP=50 " ]
	check alldown.drop_counted "no_backend drops +$((d1 - d0)), expected +50" \
		[ $((d1 - d0)) -eq 50 ]
	a0=$(xl -j stats | jq .global.fail_open)
	probe 198.18.8.1:10000 "$V_ALL" 200 >"$T/p"
	a1=$(xl -j stats | jq .global.fail_open)
	check alldown.all_spreads "$(tally "$T/p")" [ "$(spread_of "$T/p" 2.5 2.6)" = "y y 0" ]
	check alldown.all_counted "fail_open +$((a1 - a0)), expected +200" [ $((a1 - a0)) -eq 200 ]
}
