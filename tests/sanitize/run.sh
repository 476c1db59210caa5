#!/bin/sh
# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# `make sanitize-test`: the unit tests and the CLI suite (root) run again from $BUILD, built with
# AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer. Each sanitizer writes its
# reports to files under $BUILD/sanitize/, so a report from a command whose exit status a test
# expects to be non-zero still fails the run: any file there is printed and fails it.
set -u
BUILD=${BUILD:-build-san}
case $BUILD in
/*) R=$BUILD/sanitize ;;
*) R=$(pwd)/$BUILD/sanitize ;;
esac
rm -rf "$R"
mkdir -p "$R"
export ASAN_OPTIONS="log_path=$R/asan:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="log_path=$R/ubsan:print_stacktrace=1:halt_on_error=1"

status=0
# The unit tests need only CPU, and the CLI suite leaves most of a core idle: they run beside
# it at idle priority (SCHED_IDLE), so they take only the cycles it leaves, in a session of
# their own that ends with this script however it ends (a background job of a script ignores
# the terminal's SIGINT). sh -c parses the quotes in $SAN_MAKE; its exec keeps $! the group.
sh -c "exec setsid chrt -i 0 $SAN_MAKE unit-test" >"$R/../unit-test.log" 2>&1 &
unit=$!
trap 'kill -- -"$unit" 2>/dev/null' EXIT
trap 'exit 130' INT TERM HUP
eval "$SAN_MAKE cli-test" >"$R/../cli-test.log" 2>&1 || status=1
if wait "$unit"; then
	echo "ok sanitize.unit-test"
else
	status=1
	echo "FAIL sanitize.unit-test: see $BUILD/unit-test.log"
fi
trap - EXIT
if tail -n 1 "$R/../cli-test.log" | grep -q ' 0 failed$'; then
	echo "ok sanitize.cli-test ($(tail -n 1 "$R/../cli-test.log"))"
else
	status=1
	echo "FAIL sanitize.cli-test: $(grep '^FAIL' "$R/../cli-test.log" | head -n 5 | tr '\n' '|')"
fi
# One report in full; the others (often the same one again) by their first line.
first=1
for f in "$R"/*; do
	[ -e "$f" ] || continue
	status=1
	echo "FAIL sanitize.report: $f: $(grep -m 1 -E 'runtime error|ERROR:' "$f")"
	[ "$first" -eq 1 ] && sed 's/^/    /' "$f"
	first=0
done
[ "$status" -eq 0 ]
