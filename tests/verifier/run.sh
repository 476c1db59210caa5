#!/bin/sh
# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# Loads xlb's XDP programs on Debian 12's own kernels (the newest 6.1 and 6.12 packages),
# booted under qemu (TCG: KVM is not available everywhere), so a verifier that differs from
# the build machine's cannot reject them unnoticed, then runs the packet fixtures (bpf-test)
# there, so a helper or verifier difference that changes a verdict shows too. Kernels are
# fetched once into $BUILD/verifier/. Prints one line per check and "N passed, N failed".
set -eu
BUILD=${BUILD:-build}
W=$BUILD/verifier
mkdir -p "$W"
. "$(dirname "$0")/../lib/check.sh"

# The newest generic (not -rt, not -cloud) amd64 kernel package of series $1.
newest() {
	apt-cache search --names-only "^linux-image-$1\.[0-9.+a-z~-]*-amd64-unsigned\$" |
		awk '$1 !~ /-(rt|cloud)-/ {print $1}' | sort -V | tail -n 1
}

# The kernel of Debian package $1, extracted under $W; prints the vmlinuz path.
kernel() {
	if [ ! -d "$W/$1" ]; then
		# As root the download is unsandboxed; apt says so on stderr.
		(cd "$W" && apt-get download -qq "$1" >/dev/null 2>&1)
		dpkg-deb -x "$W/$1"_*.deb "$W/$1"
	fi
	ls "$W/$1"/boot/vmlinuz-*
}

mkdir -p "$W/root/proc" "$W/root/sys"
cp "$BUILD/tests/verifier/guest_init" "$W/root/init"
cp "$BUILD/tests/verifier/xlb_fixtures" "$W/root/xlb_fixtures"
(cd "$W/root" && find . | cpio -o -H newc 2>/dev/null | gzip >../initrd.gz)

for series in 6.1 6.12; do
	pkg=$(newest "$series")
	if [ -z "$pkg" ]; then
		fail "verifier.$series" "no linux-image-$series package in apt (run apt-get update)"
		continue
	fi
	vmlinuz=$(kernel "$pkg")
	timeout 180 qemu-system-x86_64 -m 1024 -nographic -no-reboot -kernel "$vmlinuz" \
		-initrd "$W/initrd.gz" -append "console=ttyS0 panic=-1 quiet" \
		>"$W/$series.log" 2>&1 || true
	for prog in xlb_xdp xlb_decap_xdp; do
		# The limit is 1M processed instructions: the figure shows how close a program is.
		cost=$(grep -ao "XLB-COST $prog [0-9]*" "$W/$series.log" | awk '{print $3}')
		check "verifier.$series.$prog ($pkg, ${cost:-?} insns processed)" "see $W/$series.log" \
			grep -q "XLB-VERIFIER .* $prog PASS" "$W/$series.log"
	done
	_sum=$(grep -aE '^[0-9]+ passed, [0-9]+ failed' "$W/$series.log" | tr -d '\r' || true)
	check "fixtures.$series ($pkg: ${_sum:-no summary})" "see $W/$series.log" \
		grep -q "XLB-FIXTURES .* PASS" "$W/$series.log"
	# The guest's failed fixtures, if any.
	grep -a '^FAIL' "$W/$series.log" | head -n 10 | sed 's/^/    /'
done
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
