# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The whole-state commands: save, apply (with --dry-run, broken files) and an apply killed
# with SIGKILL at several points, after which the data plane must still forward each VIP
# only to its own backends. Sourced by run.sh (t_apply expects the state t_stats leaves).

# The VIP block of NAME in a saved file, up to the next VIP: its forwarding and backend
# lines (other settings, such as health checks, are left out).
vip_block() {
	awk -v v="  - vip: $1" '$0 == v { on = 1; print; next } /^  - vip: / { on = 0 } on' "$2" |
		grep -E -e '^  - vip: |^    (forward|sched|gue-port|backends):' \
			-e '^      - address:|^        (weight|mac|drain):'
}

# broken NAME FILE-BODY FIRST-ERROR: applying it (and dry-running it) exits 78 with
# FILE-prefixed errors, the first beginning with FIRST-ERROR, and the running state is unchanged.
broken() {
	_f="$T/$1.yaml"
	printf '%s\n' "$2" >"$_f"
	expect_err_start "apply.$1" 78 "$_f:$3" xl apply -f "$_f"
	expect "apply.$1.dry_run" 78 xl apply --dry-run -f "$_f"
	xl save >"$T/now"
	check "apply.$1.unchanged" "$(diff "$T/s1" "$T/now" | head -5 | tr '\n' '|')" \
		cmp -s "$T/s1" "$T/now"
}

t_apply() {
	run xl save
	cp "$T/out" "$T/s0"
	check save.exit "exit $RC $(errline)" [ "$RC:$(head -n 1 "$T/s0")" = "0:vips:" ]
	run xl apply -f "$T/s0"
	check apply.saved_is_no_change "exit $RC: $(head -n 3 "$T/out" | tr '\n' '|')" \
		[ "$RC:$(cat "$T/out")" = "0:No changes." ]
	RC=0
	xl save | xl apply -f - >"$T/out" 2>"$T/err" || RC=$?
	check apply.save_pipe_round_trip "exit $RC: $(cat "$T/out" "$T/err" | head -n 3 | tr '\n' '|')" \
		[ "$RC:$(cat "$T/out")" = "0:No changes." ]

	# A weight change, a removed VIP and a new one with a drained backend.
	sed -e '/- address: 198.18.1.4$/{n;s/weight: 1$/weight: 7/}' \
		-e "/^  - vip: $V7\$/,/^    backends: \\[\\]\$/d" "$T/s0" >"$T/mod.yaml"
	cat >>"$T/mod.yaml" <<EOF
  - vip: tcp:198.18.0.20:8080
    forward: gue
    gue-port: 6082
    backends:
      - address: 198.18.5.2
        drain: true
      - address: 198.18.5.1
        weight: 3
EOF
	cat >"$T/diff" <<EOF
~ backend $V1 198.18.1.4 weight 1 -> 7
- vip $V7
+ vip tcp:198.18.0.20:8080 forward gue sched maglev gue-port 6082
+ backend tcp:198.18.0.20:8080 198.18.5.1 weight 3
+ backend tcp:198.18.0.20:8080 198.18.5.2 weight 1 drain yes
EOF
	run xl apply --dry-run -f "$T/mod.yaml"
	check apply.dry_run_diff "exit $RC: $(diff "$T/diff" "$T/out" | tr '\n' '|') $(errline)" \
		[ "$RC:$(cat "$T/out")" = "0:$(cat "$T/diff")" ]
	_j=$(xl -j apply --dry-run -f "$T/mod.yaml" | jq -r '.[]')
	check apply.dry_run_json "$(echo "$_j" | tr '\n' '|')" [ "$_j" = "$(cat "$T/diff")" ]
	xl save >"$T/now"
	check apply.dry_run_changes_nothing "$(diff "$T/s0" "$T/now" | head -5 | tr '\n' '|')" \
		cmp -s "$T/s0" "$T/now"
	run xl apply -f "$T/mod.yaml"
	check apply.diff "exit $RC: $(diff "$T/diff" "$T/out" | tr '\n' '|') $(errline)" \
		[ "$RC:$(cat "$T/out")" = "0:$(cat "$T/diff")" ]
	run xl apply --dry-run -f "$T/mod.yaml"
	check apply.done "exit $RC: $(head -n 3 "$T/out" | tr '\n' '|')" \
		[ "$RC:$(cat "$T/out")" = "0:No changes." ]
	xl save >"$T/s1"
	vip_block tcp:198.18.0.20:8080 "$T/s1" >"$T/blk"
	cat >"$T/want" <<EOF
  - vip: tcp:198.18.0.20:8080
    forward: gue
    sched: maglev
    gue-port: 6082
    backends:
      - address: 198.18.5.1
        weight: 3
        drain: false
      - address: 198.18.5.2
        weight: 1
        drain: true
EOF
	check save.new_vip "$(diff "$T/want" "$T/blk" | tr '\n' '|')" cmp -s "$T/want" "$T/blk"
	_w=$(xl -j vip list | jq -r --arg v "$V1" \
		'.[] | select(.vip == $v) | .backends[] | select(.address == "198.18.1.4") | .weight')
	check apply.weight_changed "weight of 198.18.1.4: $_w" [ "$_w" = 7 ]
	probe tcp 198.18.104.1:1000 198.18.0.20:8080 50 >"$T/p"
	spread apply.new_vip_forwards "$T/p" gue 50 198.18.5.1
	udp_port apply.new_vip_gue_port "$T/p" 6082
	_p=$(probe tcp 198.18.104.1:1000 198.18.0.13:80 | awk '{print $2}')
	check apply.removed_vip_passes "flowprobe: $_p" [ "$_p" = PASS ]

	broken typo_key "vips:
  - vip: $V1
    backend:
      - address: 198.18.1.1" \
		"3: unknown key 'backend' in VIP (expected vip, forward, "
	broken bad_weight "vips:
  - vip: $V1
    backends:
      - address: 198.18.1.1
        weight: 101
      - address: 198.18.1.300" "5: bad weight '101': expected 0-100"
	_addr="an IPv4 or IPv6 address, or ADDR:PORT for nat"
	check apply.bad_weight.all_errors "$(tr '\n' '|' <"$T/err")" \
		grep -qxF "$T/bad_weight.yaml:6: bad address '198.18.1.300': expected $_addr" \
		"$T/err"
	broken duplicate_vip "vips:
  - vip: $V1
    backends:
      - address: 198.18.1.1
  - vip: $V1" "5: duplicate VIP $V1 (first at line 2)"
	broken dr_without_mac "vips:
  - vip: $V3
    forward: dr
    backends:
      - address: 198.18.3.1" "5: backend 198.18.3.1 of dr VIP $V3 lacks a MAC"
	broken syntax "vips: [" \
		"2: syntax error: did not find expected node content (while parsing a flow node at line 2)"
}

# gen_big N: 200 VIPs (N..N+199) of 20 backends each (shifted by N/2), weights 1-3; files
# of different N differ in every VIP, so applying one over another rewrites every table.
gen_big() {
	awk -v off="$1" 'BEGIN {
		print "vips:"
		for (v = off; v < off + 200; v++) {
			printf "  - vip: tcp:198.19.0.%d:80\n    backends:\n", v + 1
			for (b = off / 2; b < off / 2 + 20; b++)
				printf "      - address: 198.18.%d.%d\n        weight: %d\n",
					128 + int(v / 8), (v % 8) * 30 + b + 1, (b + off) % 3 + 1
		}
	}'
}

# consistent NAME SRC: every VIP xlb lists sends flows from SRC only to its own listed
# backends, or drops them as no_backend; never elsewhere, never ABORTED or PASS. One flowprobe
# start probes them all (4 frames a VIP), and each VIP gives its 4 lines.
consistent() {
	xl -j vip list | jq -r '.[] | "\(.vip) \([.backends[].address] | join(" "))"' >"$T/vl"
	awk -v src="$2:40000" '{ sub(/^tcp:/, "", $1); print "tcp", src, $1, 4 }' "$T/vl" >"$T/fl"
	xl -j stats >"$T/c0"
	probe - <"$T/fl" >"$T/cp"
	xl -j stats >"$T/c1"
	# Each frame's line begins with its VIP's ADDR:PORT: "ADDR:PORT SPORT VERDICT KIND DEST".
	awk 'NR == FNR { v = $1; sub(/^tcp:/, "", v); $1 = ""; bes[v] = $0 " "; next }
		$3 == "TX" && index(bes[$1], " " $5 " ") { next }
		$3 == "DROP" { print "DROP"; next }
		{ print "tcp:" $0 }' "$T/vl" "$T/cp" >"$T/cr"
	CONS_VIPS=$(wc -l <"$T/vl")
	CONS_DROPS=$(grep -c '^DROP$' "$T/cr" || true)
	_frames=$(wc -l <"$T/cp")
	_bad=$(grep -vc '^DROP$' "$T/cr" || true)
	_nb=$(($(stat_of "$T/c1" .global.drops.no_backend) - $(stat_of "$T/c0" .global.drops.no_backend)))
	_wrong="$_bad wrong: $(grep -v '^DROP$' "$T/cr" | head -n 3 | tr '\n' '|')"
	check "$1" "$CONS_VIPS VIPs, $_frames frames; $_wrong $CONS_DROPS dropped, no_backend +$_nb" \
		[ "$_bad:$CONS_DROPS:$((CONS_VIPS >= 180)):$_frames" = "0:$_nb:1:$((CONS_VIPS * 4))" ]
}

t_crash() {
	gen_big 0 >"$T/big0.yaml"
	gen_big 10 >"$T/big1.yaml"
	gen_big 20 >"$T/big2.yaml"
	_t=$(now_ms)
	run xl apply -f "$T/big0.yaml"
	_dur=$(($(now_ms) - _t))
	check crash.full_apply "exit $RC after $_dur ms $(errline)" [ "$RC" -eq 0 ]
	echo "# a full apply of 200 VIPs x 20 backends took $_dur ms"
	_i=0 _killed=0 _unsaved= _drops=0
	for _pct in 1 5 25 60 95; do
		_i=$((_i + 1))
		_ms=$((_dur * _pct / 100))
		spawn crash nsenter --net="/run/netns/$NS" "$BUILD/xlb" -i "$DEV" apply \
			-f "$T/big$((_i % 3)).yaml"
		sleep "$((_ms / 1000)).$(printf %03d $((_ms % 1000)))"
		stop_pid "$LAST_PID" KILL 2>/dev/null # (dash reports "Killed" on stderr)
		_st=$WAIT_RC
		[ "$_st" -ne 137 ] || _killed=$((_killed + 1))
		echo "# apply of big$((_i % 3)).yaml, SIGKILL after $_ms ms: exit status $_st"
		consistent "crash.$_i.after_${_pct}pct" "198.18.250.$_i"
		_drops=$((_drops + CONS_DROPS))
		xl save >"$T/cs"
		run xl apply --dry-run -f "$T/cs"
		[ "$RC:$(cat "$T/out")" = "0:No changes." ] || _unsaved="$_unsaved $_i"
	done
	check crash.killed_mid_apply "only $_killed of 5 kills found xlb still applying" \
		[ "$_killed" -ge 3 ]
	# Stricter than consistent(): xlb writes a VIP's entry only after its table, and removes
	# a backend only after no table names it, so a listed VIP never lacks a backend here.
	check crash.listed_vips_never_drop "$_drops probes to listed VIPs dropped" [ "$_drops" -eq 0 ]
	check crash.saved_state_reloads "save | apply --dry-run showed changes after kills:$_unsaved" \
		[ -z "$_unsaved" ]

	run xl apply -f "$T/big0.yaml"
	check crash.reapply "exit $RC $(errline)" [ "$RC" -eq 0 ]
	run xl apply --dry-run -f "$T/big0.yaml"
	check crash.reapply_complete "exit $RC: $(head -n 3 "$T/out" | tr '\n' '|')" \
		[ "$RC:$(cat "$T/out")" = "0:No changes." ]
	_u=$(xl -j status | jq -r '.[0].maps | "\(.vips.used) \(.backends.used)"')
	check crash.reapply_counts "vips/backends used: $_u" [ "$_u" = "200 4000" ]
	consistent crash.reapply_forwards 198.18.251.1
	check crash.reapply_no_drops "$CONS_DROPS of $((CONS_VIPS * 4)) dropped" \
		[ "$CONS_DROPS:$CONS_VIPS" = 0:200 ]
}
