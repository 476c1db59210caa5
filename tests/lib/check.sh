# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The check reporters the suites share (tests/cli, tests/daemon, tests/e2e, tests/fleet,
# tests/verifier): one line per check, "ok NAME" or "FAIL NAME: details", counted for the
# closing "N passed, N failed" that check_done prints. POSIX sh; sourced first.

PASSED=0
FAILED=0
FINISHED=0 # the suite sets it to 1 once its last scenario ran

ok() {
	PASSED=$((PASSED + 1))
	echo "ok $1"
}

fail() {
	FAILED=$((FAILED + 1))
	echo "FAIL $1: $2"
}

# check NAME DETAILS CMD...: ok when CMD succeeds.
check() {
	_check_name=$1 _check_det=$2
	shift 2
	if "$@"; then ok "$_check_name"; else fail "$_check_name" "$_check_det"; fi
}

# need_root SCRIPT WHY: stops the run, exit 1, unless it runs as root.
need_root() {
	[ "$(id -u)" -ne 0 ] || return 0
	echo "$1: run as root ($2)" >&2
	exit 1
}

# check_done RC: for the suite's exit trap, once its own cleanup is done: a failure if the run
# stopped before FINISHED=1 (RC its exit code), the summary line, and exit 1 if any check
# failed, else 0.
check_done() {
	[ "$FINISHED" = 1 ] || fail run.sh "stopped early (exit code $1)"
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ] || exit 1
	exit 0
}
