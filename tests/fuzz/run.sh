#!/bin/sh
# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# `make fuzz` / `make fuzz-test`: runs each libFuzzer harness in $BUILD/tests/fuzz for $1
# seconds, two at a time (CI has two cores). Each starts from its seed corpus in
# tests/fuzz/corpus/NAME/ (every file there is replayed first, so a crash kept there stays
# fixed) and writes what it finds to $BUILD/fuzz/NAME/; a crash leaves its input at
# $BUILD/fuzz/NAME-crash-*. Prints one line per harness and "N passed, N failed".
# A harness names each bug reported but not fixed yet that it lets pass ("Open finding"), with
# its inputs in the corpus. Replay one input: $BUILD/tests/fuzz/fuzz_NAME FILE.
set -u
BUILD=${BUILD:-build-fuzz}
SECONDS_EACH=${1:-60}
DIR=$(dirname "$0")
W=$BUILD/fuzz
PASSED=0
FAILED=0
mkdir -p "$W"
export ASAN_OPTIONS="detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

# Runs harness $1 in the background; its log is $W/NAME.log.
start() {
	_name=${1#fuzz_}
	_dict=
	[ -f "$DIR/$_name.dict" ] && _dict=-dict=$DIR/$_name.dict
	mkdir -p "$W/$_name"
	"$BUILD/tests/fuzz/$1" -max_total_time="$SECONDS_EACH" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$W/$_name-" $_dict "$W/$_name" "$DIR/corpus/$_name" \
		>"$W/$_name.log" 2>&1 &
}

# Reports on harness $1 once its background run $2 has ended.
report() {
	_name=${1#fuzz_}
	if wait "$2"; then
		PASSED=$((PASSED + 1))
		echo "ok fuzz.$_name ($(sed -n 's/^stat::number_of_executed_units: *//p' \
			"$W/$_name.log") runs, $(ls "$W/$_name" | wc -l) corpus files)"
	else
		FAILED=$((FAILED + 1))
		echo "FAIL fuzz.$_name: see $W/$_name.log"
		grep -E 'ERROR|runtime error|round trip|Test unit written' "$W/$_name.log" |
			head -n 5 | sed 's/^/    /'
	fi
}

set -- $(cd "$BUILD/tests/fuzz" && ls fuzz_* | grep -v '\.[od]$')
b=
while [ $# -gt 0 ]; do
	start "$1"
	a=$! an=$1
	shift
	if [ $# -gt 0 ]; then
		start "$1"
		b=$! bn=$1
		shift
	fi
	report "$an" "$a"
	[ -n "$b" ] && report "$bn" "$b"
	b=
done
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
