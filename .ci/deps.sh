#!/bin/sh
# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# Installs the Debian packages xlb needs to build and test, if any are missing. Called by the
# Makefile before the first build; safe to run again (it only installs what is absent).
set -eu

pkgs="clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev pkg-config libcmocka-dev
      libyaml-dev libjansson-dev libmicrohttpd-dev iproute2 ethtool jq curl
      systemd man-db prometheus chromium fonts-dejavu-core wrk iputils-ping procps netbase
      qemu-system-x86 cpio libclang-rt-14-dev bird2 keepalived"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "xlb needs these Debian packages:$missing (run 'make deps' as root)" >&2
	exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# Installing must not start services here (prometheus would start one): policy-rc.d says no.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod 0755 /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
