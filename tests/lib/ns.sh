# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# What every root suite does with namespaces, pins and processes: running a command in a
# namespace (keeping /sys/fs/bpf), making one, removing xlb's pins of an interface, starting
# background programs and stopping them by pid, and bounded waits for a line or an exit.
# POSIX sh; sourced by the suites (tests/cli, tests/daemon) and by tests/e2e/topo.sh.

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# in_netns NS CMD...: CMD in namespace NS; nsenter keeps /sys/fs/bpf (ip netns exec hides it).
in_netns() {
	_in_ns=$1
	shift
	nsenter --net="/run/netns/$_in_ns" "$@"
}

# netns_sysctl NS KEY=VALUE...: sysctl in a namespace, quietly.
netns_sysctl() {
	_in_ns=$1
	shift
	in_netns "$_in_ns" sysctl -qw "$@" >/dev/null
}

# netns_add NS: a new namespace, lo up, no duplicate address detection (a tentative address
# would hold up neighbour discovery, and with it the first IPv6 packets, for a second).
netns_add() {
	ip netns add "$1" || return 1
	ip -n "$1" link set lo up
	netns_sysctl "$1" net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
}

# pins_of ROOT DEV: the pin directories of DEV under ROOT (named DEV, or DEV@NETNS-INODE).
pins_of() {
	for _pin in "$1/$2" "$1/$2"@*; do
		[ ! -e "$_pin" ] || echo "$_pin"
	done
}

# pins_drop NS ROOT DEV DETACH...: when DEV has pins under ROOT, runs DETACH (an xlb detach
# command line) in namespace NS if it still exists, then removes the pins it left (it failed,
# or did not know them). Device names are the suite's own, so no one else's pins go.
pins_drop() {
	_pd_ns=$1 _pd_root=$2 _pd_dev=$3
	shift 3
	[ -n "$(pins_of "$_pd_root" "$_pd_dev")" ] || return 0
	[ ! -e "/run/netns/$_pd_ns" ] || in_netns "$_pd_ns" "$@" >/dev/null 2>&1 || true
	for _pin in $(pins_of "$_pd_root" "$_pd_dev"); do
		rm -rf "$_pin"
	done
}

# alive PID: PID runs (a zombie does not).
alive() {
	_alive_st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$_alive_st" ] && [ "$_alive_st" != Z ]
}

# spawn NAME CMD...: runs CMD in the background (stdout and stderr in $T/NAME.log), its pid in
# LAST_PID and in PIDS, which stop_spawned ends. CMD is a program, not a function (that would
# run in a subshell whose pid is not the program's); nsenter execs what it runs.
spawn() {
	_sp_name=$1
	shift
	"$@" >"$T/$_sp_name.log" 2>&1 &
	LAST_PID=$!
	PIDS="${PIDS:-} $LAST_PID"
}

# stop_pid PID [SIG]: signals PID (TERM by default) and reaps it; WAIT_RC is its status. PID
# leaves PIDS, so stop_spawned never signals it again (the number may be reused).
stop_pid() {
	WAIT_RC=0
	kill -"${2:-TERM}" "$1" 2>/dev/null || true
	# shellcheck disable=SC2034 # for the caller
	wait "$1" 2>/dev/null || WAIT_RC=$?
	_left=
	for _stop in ${PIDS:-}; do
		[ "$_stop" = "$1" ] || _left="$_left $_stop"
	done
	PIDS=$_left
}

# stop_spawned: SIGKILLs and reaps every process spawn started.
stop_spawned() {
	for _stop_all in ${PIDS:-}; do
		stop_pid "$_stop_all" KILL
	done
}

# wait_exit PID MAX_MS: 0 once PID has exited (reaped, WAIT_RC its status), 1 at MAX_MS.
wait_exit() {
	for _ in $(seq $(($2 / 50))); do
		if ! alive "$1"; then
			stop_pid "$1" 0
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# wait_line FILE PATTERN MAX_MS: 0 once a line of FILE matches the grep -E PATTERN.
wait_line() {
	for _ in $(seq $(($3 / 50))); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}
