# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# A daemon of its own (FDEV, HTTP on 127.0.0.1:9662) started over the pins of a deleted
# interface of its name (it attaches afresh), then hostile HTTP clients against it: bursts of
# clients that send a GET and close, and clients that never finish their request head
# (httpflood). /metrics and the status page must go on answering. Sourced by run.sh (bash).

FDEV=xlbh$$f
FHTTP=http://127.0.0.1:9662

# fget PATH NAME: /PATH of the flood daemon answers 200 with content (curl's --max-time only
# detects a hang).
fget() {
	local code
	code=$(in_ns curl -s -o "$T/fbody" -w '%{http_code}' --max-time 10 "$FHTTP$1") || code=000
	check "$2" "HTTP $code, $(wc -c <"$T/fbody" 2>/dev/null || echo 0) bytes" \
		[ "$code" = 200 -a -s "$T/fbody" ]
}

t_flood_start() {
	ip -n "$NS" link add "$FDEV" type veth peer name "${FDEV}p"
	in_ns "$BUILD/xlb" attach "$FDEV" --next-hop-mac "$NEXT_HOP" >/dev/null
	ip -n "$NS" link del "$FDEV"
	ip -n "$NS" link add "$FDEV" type veth peer name "${FDEV}p"
	spawn flood nsenter --net="$NSPATH" "$BUILD/xlbd" -i "$FDEV" --next-hop-mac "$NEXT_HOP" \
		--listen 127.0.0.1:9662
	FLOOD_PID=$LAST_PID
	wait_line "$T/flood.log" '^xlbd: info: ready on ' 10000 || true
	check deleted_pins.afresh_logged "$(oneline "$T/flood.log" 4)" grep -qxF \
		"xlbd: warn: the pins of $FDEV were left by an interface of that name that was deleted: attaching afresh (their state is not kept)" \
		"$T/flood.log"
	check deleted_pins.attached "kernel '$(kernel_xdp "$FDEV")'" \
		[ "$(kernel_xdp "$FDEV" | cut -d' ' -f1)" != 0 ]
}

# Rounds of 1,000 clients at once, each sending a GET and closing without reading.
t_flood_burst() {
	local r
	for r in 1 2 3; do
		in_ns "$BUILD/tests/daemon/httpflood" burst 127.0.0.1 9662 1000 >"$T/burst.out"
		echo "# burst $r: $(cat "$T/burst.out")"
		fget /metrics "flood.burst$r.metrics"
	done
	fget / flood.burst.status_page
}

# SLOW clients from SRC that never end their head, while /metrics and / are fetched from
# 127.0.0.1; at the end none of them is still open (each head has a deadline).
slow_round() {
	local name=$1 n=$2 src=$3 pid r
	spawn "$name" nsenter --net="$NSPATH" "$BUILD/tests/daemon/httpflood" slow 127.0.0.1 9662 \
		"$n" "$src" 12
	pid=$LAST_PID
	sleep 2
	for r in 1 2 3; do
		fget /metrics "flood.$name.metrics$r"
		fget / "flood.$name.status_page$r"
		sleep 2
	done
	wait_exit "$pid" 20000 || stop_pid "$pid" KILL
	check "flood.$name.all_cut" "$(oneline "$T/$name.log")" \
		[ "$(cat "$T/$name.log")" = "open 0 of $n" ]
}

t_flood_slow() {
	slow_round slow_other_host 70 127.0.0.2
	slow_round slow_same_host 63 127.0.0.1
}

t_flood_stop() {
	stop_pid "$FLOOD_PID"
	check flood.daemon_exit_0 "wait status $WAIT_RC: $(tail -n 2 "$T/flood.log" | tr '\n' '|')" \
		[ "$WAIT_RC" = 0 ]
	in_ns "$BUILD/xlb" detach "$FDEV" >/dev/null 2>&1 || true
	rm -f "/run/xlb/xlbd-$FDEV@"*.lock
	ip -n "$NS" link del "$FDEV"
}

t_flood() {
	t_flood_start
	t_flood_burst
	t_flood_slow
	t_flood_stop
}
