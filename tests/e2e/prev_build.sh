#!/usr/bin/env bash
# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# Builds "the previous build" for the upgrade scenario (upgrade.sh): this tree's xlb with a map
# layout as a release before it might have had, XLB_MAX_VIPS 512 instead of 1024 (five maps of
# another size) and the backends' health results 8 bytes longer. Only the files that differ
# from the last build's are copied, so make rebuilds only when this tree changed.
# Usage: prev_build.sh OUT (OUT/xlb is the binary; OUT/src the patched tree).
set -eu

cd "$(dirname "$0")/../.."
out=$1
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
tar -cf - Makefile vmlinux.h bpf include maps user | tar -xf - -C "$stage"
abi=$stage/include/xlb_abi.h
sed -i -e 's/^#define XLB_MAX_VIPS\t     1024 /#define XLB_MAX_VIPS\t     512  /' "$abi"
# The backends' health results with a spare field, and their size check moved with them.
sed -i -e '/^struct xlb_backend_health {$/,/^};$/ s/^\t__u32 last_error;.*$/&\n\t__u64 spare;/' \
	-e 's/sizeof(struct xlb_backend_health) == 32/sizeof(struct xlb_backend_health) == 40/' \
	"$abi"
if ! grep -q 'XLB_MAX_VIPS	     512 ' "$abi" || ! grep -q 'xlb_backend_health) == 40' "$abi"; then
	echo "prev_build.sh: the layout patch no longer applies to include/xlb_abi.h" >&2
	exit 1
fi
mkdir -p "$out/src" "$out/build"
(cd "$stage" && find . -type f) | while read -r f; do
	cmp -s "$stage/$f" "$out/src/$f" || { mkdir -p "$(dirname "$out/src/$f")" &&
		cp "$stage/$f" "$out/src/$f"; }
done
touch "$out/build/.deps-installed"
make -s -C "$out/src" BUILD="$(realpath "$out/build")" -j2 "$(realpath "$out/build")/xlb"
ln -sf build/xlb "$out/xlb"
