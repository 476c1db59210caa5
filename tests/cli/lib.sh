# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# Helpers of the root CLI tests, sourced by run.sh after tests/lib/{check,ns,xlb}.sh: the
# namespace's addresses and its cleanup, running xlb with its output kept, flowprobe and what
# its output says. POSIX sh; the caller has set -eu and BUILD.

NS=xlbc$$
DEV=xlbc$$a
PEER=xlbc$$b
DECAP_PINS=/sys/fs/bpf/xlb-decap
T=$(mktemp -d /tmp/xlbc.XXXXXX)

# decap_pin_dir DEV: where xlb decap pins DEV of the test namespace.
decap_pin_dir() {
	echo "$DECAP_PINS/$1@$(stat -L -c %i "/run/netns/$NS")"
}

# pins_expected OBJ NAME...: the pins a directory of OBJ's program must hold, on one line:
# NAME... and every map the BPF object defines (its .maps section), sorted.
pins_expected() {
	_obj=$1
	shift
	{
		printf '%s\n' "$@"
		bpftool -j btf dump file "$_obj" | jq -r '.types as $t | .types[] |
			select(.kind == "DATASEC" and .name == ".maps") | .vars[].type_id as $id |
			$t[] | select(.id == $id) | .name'
	} | sort | tr '\n' ' '
}

# pins_in DIR: the names in pin directory DIR, sorted, on one line.
pins_in() {
	ls "$1" | sort | tr '\n' ' '
}

# run CMD...: RC, stdout in $T/out, stderr in $T/err; never stops the script.
run() {
	RC=0
	"$@" >"$T/out" 2>"$T/err" || RC=$?
}

# One line of what the last run printed on stderr, for failure details.
errline() {
	head -n 3 "$T/err" | tr '\n' '|'
}

# expect NAME CODE CMD...: CMD exits with CODE.
expect() {
	_n=$1 _code=$2
	shift 2
	run "$@"
	check "$_n" "exit $RC, expected $_code; stderr: $(errline)" [ "$RC" -eq "$_code" ]
}

# expect_err NAME CODE STDERR CMD...: CMD exits with CODE and its first stderr line is STDERR.
expect_err() {
	expect_first is "$@"
}

# expect_err_start NAME CODE START CMD...: as expect_err, the first stderr line begins with START.
expect_err_start() {
	expect_first starts "$@"
}

# expect_first is|starts NAME CODE TEXT CMD...: CMD exits with CODE, and its first stderr line
# is TEXT or starts with it.
expect_first() {
	_how=$1 _n=$2 _code=$3 _msg=$4
	shift 4
	run "$@"
	_got=$(head -n 1 "$T/err")
	_cmp=$_got _more=
	if [ "$_how" = starts ]; then
		_cmp=${_got%"${_got#"$_msg"}"} _more=...
	fi
	check "$_n" "exit $RC (expected $_code), stderr '$_got' (expected '$_msg$_more')" \
		rc_and_msg "$_code" "$_msg" "$_cmp"
}

rc_and_msg() {
	[ "$RC" -eq "$1" ] && [ "$2" = "$3" ]
}

# xlb as user and group nobody, without supplementary groups.
xlb_nobody() {
	nsenter --net="/run/netns/$NS" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$BUILD/xlb" "$@"
}

# probe tcp|udp SRC:SPORT DST:DPORT [COUNT]: one "SPORT VERDICT [KIND DEST]" line a frame;
# TCP frames are SYNs (new connections), or ACKs (packets of open ones) with probe_ack.
# probe -: the flows of stdin, one a line, each frame's line after its flow's DST:DPORT.
probe() {
	"$BUILD/tests/cli/flowprobe" "$PROG" "$@" || true
}

probe_ack() {
	"$BUILD/tests/cli/flowprobe" --ack "$PROG" "$@" || true
}

# A counter out of `xlb -j stats` (saved in file $1) by jq path $2, 0 when absent.
stat_of() {
	jq -r "($2) // 0" "$1"
}

# Lines of probe output file $1 with verdict $2.
count_verdict() {
	awk -v v="$2" '$2 == v' "$1" | wc -l
}

setup() {
	veth_setup
	ip -n "$NS" addr add 2001:db8::1/64 dev "$DEV" nodad
}

# Undoes setup() whatever state the run stopped in, then prints the summary line.
cleanup() {
	_rc=$?
	trap - EXIT INT TERM HUP
	ns_teardown "$DEV" "$PEER" "xlbc$$r"
	# What pins.sh's interfaces and namespace may have left.
	rm -rf "$PINS/xlbc$$"?*@* "$DECAP_PINS/xlbc$$"?*@*
	ip netns del "${NS}n" 2>/dev/null || true
	check_done "$_rc"
}

# spread NAME FILE KIND MIN DEST...: every frame of probe output FILE left with TX as KIND
# towards one of DEST, and each DEST got at least MIN of them.
spread() {
	_n=$1 _f=$2 _k=$3 _min=$4
	shift 4
	_tot=$(wc -l <"$_f")
	_good=$(awk -v k="$_k" '$2 == "TX" && $3 == k' "$_f" | wc -l)
	_det="$_good/$_tot TX $_k;" _sum=0 _low=
	for _d; do
		_c=$(count_to "$_f" "$_d")
		_det="$_det $_d=$_c"
		_sum=$((_sum + _c))
		[ "$_c" -ge "$_min" ] || _low=" (some under $_min)"
	done
	check "$_n" "$_det$_low" [ "$_good:$_sum:$_low" = "$_tot:$_tot:" ]
}

# udp_port NAME FILE PORT: every frame of probe output FILE has outer UDP destination PORT.
udp_port() {
	_o=$(awk -v p="$3" '$5 != p' "$2" | head -n 3 | tr '\n' '|')
	check "$1" "frames to another port: $_o" [ -z "$_o" ]
}

# xl_each: runs `xl LINE` for every line of stdin (words split, no globbing); prints the
# lines that failed, with their exit codes.
xl_each() {
	set -f
	while read -r _l; do
		[ -n "$_l" ] || continue
		# shellcheck disable=SC2086 # one command a line, split into words on purpose
		run xl $_l
		[ "$RC" -eq 0 ] || printf '[%s: exit %s %s] ' "$_l" "$RC" "$(errline)"
	done
	set +f
}
