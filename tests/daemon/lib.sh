# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# Helpers of the daemon tests, sourced by run.sh (bash) after tests/lib/{check,ns,xlb}.sh: the
# namespace's backends and its cleanup, the daemon and HTTP stubs started with spawn, and
# wrappers around curl and flowprobe.

NS=xlbh$$
DEV=xlbh$$a
PEER=xlbh$$b
NSPATH=/run/netns/$NS
HTTP=http://127.0.0.1:9661
T=$(mktemp -d /tmp/xlbh.XXXXXX)
CONF=$T/xlb.yaml
NOTIFY=$T/notify.sock
PIDS=""	    # every background process this run started, killed by pid at the end
XLBD_PID=   # the running daemon
XLBD_N=0    # daemons started so far (their logs are $T/xlbd.N.log)

# Health-check settings of every checked VIP, and what the timing checks allow on top of
# interval x fall + one interval: the 100 ms polling step and scheduling on a 2-core VM.
INTERVAL_MS=1000
RISE=2
FALL=2
TOLERANCE_MS=250


# Up to 3 lines of a file on one line, for failure details.
oneline() {
	head -n "${2:-3}" "$1" 2>/dev/null | tr '\n' '|'
}

# probe SRC:SPORT VIP [COUNT]: COUNT frames of flows from SRC:SPORT.. to VIP (PROTO:ADDR:PORT)
# through the attached program, one "SPORT VERDICT [KIND DEST]" line each; TCP frames are SYNs
# (new flows), ACKs (later packets of open flows) with probe_ack.
probe() {
	"$BUILD/tests/cli/flowprobe" "$(prog_id)" "${2%%:*}" "$1" "${2#*:}" "${3:-1}" || true
}

probe_ack() {
	"$BUILD/tests/cli/flowprobe" --ack "$(prog_id)" "${2%%:*}" "$1" "${2#*:}" "${3:-1}" || true
}

# same_flows NAME BEFORE AFTER: the probe outputs are equal and not empty.
same_flows() {
	local n same=no
	n=$(wc -l <"$2")
	! cmp -s "$2" "$3" || same=yes
	check "$1" "$n lines before, $(diff "$2" "$3" | grep -c '^>' || true) changed" \
		[ "$((n > 0)):$same" = 1:yes ]
}

# "DEST=N ..." over the destinations of probe output file $1 (verdict when not TX).
tally() {
	awk '{ k = $2 == "TX" ? $4 : $2; n[k]++ } END { for (k in n) printf "%s=%d ", k, n[k] }' \
		"$1" | tr ' ' '\n' | sort | tr '\n' ' '
}

# get PATH [CURL ARGS...]: the exporter's answer; status code in $T/code, body in $T/body.
get() {
	local path=$1
	shift
	in_ns curl -s -o "$T/body" -w '%{http_code}' --max-time 5 "$@" "$HTTP$path" >"$T/code" ||
		echo 000 >"$T/code"
}

# be_stat VIP ADDR EXPR: jq EXPR on a backend's object out of `xlb -j stats`.
be_stat() {
	xl -j stats | jq -r --arg v "$1" --arg a "$2" \
		".vips[] | select(.vip == \$v) | .backends[] | select(.address == \$a) | $3"
}

vip_stat() {
	xl -j stats | jq -r --arg v "$1" ".vips[] | select(.vip == \$v) | $2"
}

be_state() {
	xl -j vip list | jq -r --arg v "$1" --arg a "$2" \
		'.[] | select(.vip == $v) | .backends[] | select(.address == $a) | .state'
}

# wait_state VIP ADDR STATE MAX_MS [T0]: polls every 100 ms (at most MAX_MS / 100 + 1 times
# and MAX_MS + 1 s of wall time); WAITED is the ms from T0 (default: the call) until STATE was
# seen, empty if it never was.
wait_state() {
	local t0=${5:-$(now_ms)}
	WAITED=
	for _ in $(seq $(($4 / 100 + 1))); do
		if [ "$(be_state "$1" "$2")" = "$3" ]; then
			WAITED=$(($(now_ms) - t0))
			return 0
		fi
		[ $(($(now_ms) - t0)) -lt $(($4 + 1000)) ] || return 1
		sleep 0.1
	done
	return 1
}

# xlbd_start: starts the daemon on DEV with $CONF and the notify socket; XLBD_LOG is
# its log. 0 once /healthz answers (at most 10 s).
xlbd_start() {
	XLBD_N=$((XLBD_N + 1))
	XLBD_LOG=$T/xlbd.$XLBD_N.log
	NOTIFY_SOCKET=$NOTIFY spawn "xlbd.$XLBD_N" nsenter --net="$NSPATH" "$BUILD/xlbd" \
		-i "$DEV" -c "$CONF" --next-hop-mac "$NEXT_HOP"
	XLBD_PID=$LAST_PID
	wait_line "$XLBD_LOG" '^xlbd: info: ready on ' 10000 || return 1
	get /healthz
	[ "$(cat "$T/code")" = 200 ]
}

# stub_start N STATUS: an HTTP backend on 198.18.2.N:80 answering STATUS; its pid in STUB_N.
stub_start() {
	spawn "stub$1" nsenter --net="$NSPATH" "$BUILD/tests/daemon/httpstub" "198.18.2.$1" 80 "$2"
	eval "STUB_$1=$LAST_PID"
	wait_line "$T/stub$1.log" '^listening on ' 5000
}

stub_stop() {
	local pid
	eval "pid=\${STUB_$1:-}"
	[ -z "$pid" ] || stop_pid "$pid" KILL
	eval "STUB_$1="
}

# in_ns CMD...: CMD in the test's namespace.
in_ns() {
	in_netns "$NS" "$@"
}

# The namespace: DEV (xlb, native XDP) and PEER, a veth pair; backends 198.18.2.N on lo; a
# route to the UDP VIP out of PEER, so frames sent there arrive at DEV as from a client.
setup() {
	local mac n
	veth_setup
	ip -n "$NS" addr add 198.18.4.1/32 dev "$PEER"
	for n in 1 2 3 4 5 6 7 8; do
		ip -n "$NS" addr add "198.18.2.$n/32" dev lo
	done
	mac=$(ip -n "$NS" -j link show "$DEV" | jq -r '.[0].address')
	ip -n "$NS" route add 198.18.1.11/32 dev "$PEER" src 198.18.4.1
	ip -n "$NS" neigh add 198.18.1.11 lladdr "$mac" dev "$PEER" nud permanent
}

# Undoes everything whatever state the run stopped in, then prints the summary line.
cleanup() {
	local rc=$? d
	trap - EXIT INT TERM HUP
	stop_spawned
	if [ -e "$NSPATH" ]; then
		# The daemons' lock files stay after them.
		for d in "$DEV" "$PEER"; do
			rm -f "/run/xlb/xlbd-$(basename "$(pin_dir "$d")").lock"
		done
	fi
	ns_teardown "$DEV" "$PEER"
	# What flood.sh's daemon may have left.
	rm -rf "$PINS/xlbh$$"?*@* /run/xlb/xlbd-xlbh$$?*@*.lock
	check_done "$rc"
}
