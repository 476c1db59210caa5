# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The check reporters the root suites share (tests/cli, tests/daemon, tests/e2e): one line
# per check, "ok NAME" or "FAIL NAME: details", counted for the closing "N passed, N failed".
# POSIX sh; sourced.

PASSED=0
FAILED=0

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
