# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# What a change must never do: take an address that is not one host (t_unicast), change
# anything without the privileges to finish (t_privileges), or fail late for want of room
# that --dry-run promised (t_capacity). Sourced by run.sh; the first two change nothing.

# unchanged NAME: the running state is still the one saved in $T/g0.
unchanged() {
	xl save >"$T/g1"
	check "$1" "$(diff "$T/g0" "$T/g1" | head -5 | tr '\n' '|')" cmp -s "$T/g0" "$T/g1"
}

t_unicast() {
	xl save >"$T/g0"
	_u='expected a unicast address'
	expect_err unicast.vip_any 65 \
		"xlb: Invalid VIP 'tcp:0.0.0.0:80': the unspecified address, $_u" \
		xl vip add tcp:0.0.0.0:80
	expect_err unicast.vip_broadcast 65 \
		"xlb: Invalid VIP 'udp:255.255.255.255:53': the broadcast address, $_u" \
		xl vip add udp:255.255.255.255:53
	expect_err unicast.vip_multicast 65 \
		"xlb: Invalid VIP 'tcp:224.0.0.18:80': a multicast address, $_u" \
		xl vip add tcp:224.0.0.18:80
	expect_err unicast.vip_v6_any 65 "xlb: Invalid VIP 'tcp:[::]:80': the unspecified address, $_u" \
		xl vip add 'tcp:[::]:80'
	expect_err unicast.vip_v6_multicast 65 \
		"xlb: Invalid VIP 'tcp:[ff02::1]:80': a multicast address, $_u" \
		xl vip add 'tcp:[ff02::1]:80'
	expect_err unicast.backend_any 65 \
		"xlb: Invalid backend address '0.0.0.0': the unspecified address, $_u" \
		xl backend add "$V1" 0.0.0.0
	expect_err unicast.backend_broadcast 65 \
		"xlb: Invalid backend address '255.255.255.255': the broadcast address, $_u" \
		xl backend add "$V1" 255.255.255.255
	expect_err unicast.backend_multicast 65 \
		"xlb: Invalid backend address '239.1.1.1': a multicast address, $_u" \
		xl backend add "$V1" 239.1.1.1
	expect_err unicast.backend_v6_any 65 \
		"xlb: Invalid backend address '::': the unspecified address, $_u" \
		xl backend add "$V4" ::
	expect_err unicast.backend_v6_multicast 65 \
		"xlb: Invalid backend address 'ff0e::1': a multicast address, $_u" \
		xl backend add "$V4" ff0e::1
	expect_err unicast.mac_zero 65 \
		"xlb: Invalid MAC address '00:00:00:00:00:00': all zeros, expected a unicast MAC" \
		xl backend add "$V3" 198.18.3.9 --mac 00:00:00:00:00:00
	expect_err unicast.mac_multicast 65 \
		"xlb: Invalid MAC address '01:00:5e:00:00:12': a multicast MAC, expected a unicast MAC" \
		xl backend add "$V3" 198.18.3.9 --mac 01:00:5e:00:00:12
	expect_err unicast.mac_broadcast 65 \
		"xlb: Invalid MAC address 'ff:ff:ff:ff:ff:ff': a multicast MAC, expected a unicast MAC" \
		xl backend add "$V3" 198.18.3.9 --mac ff:ff:ff:ff:ff:ff
	cat >"$T/mcast.yaml" <<EOF
vips:
  - vip: tcp:224.0.0.18:80
  - vip: $V3
    forward: dr
    backends:
      - address: 198.18.3.1
        mac: "02:00:00:00:03:01"
      - address: 198.18.3.2
        mac: "00:00:00:00:00:00"
      - address: 255.255.255.255
        mac: "02:00:00:00:03:03"
EOF
	_f="$T/mcast.yaml"
	expect_err unicast.file 78 "$_f:2: VIP tcp:224.0.0.18:80: a multicast address: $_u" \
		xl apply -f "$_f"
	check unicast.file_lines "$(tr '\n' '|' <"$T/err")" [ "$(cat "$T/err")" = "\
$_f:2: VIP tcp:224.0.0.18:80: a multicast address: $_u
$_f:8: backend 198.18.3.2 of VIP $V3: MAC 00:00:00:00:00:00 is all zeros: expected a unicast MAC
$_f:10: backend 255.255.255.255 of VIP $V3: the broadcast address: $_u" ]
	expect unicast.file_dry_run 78 xl apply --dry-run -f "$_f"
	unchanged unicast.nothing_changed
}
