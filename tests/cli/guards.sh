# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# What a change must never do: take an address that is not one host (t_unicast), or change
# anything without the privileges to finish (t_privileges). Sourced by run.sh; they change
# nothing.

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

# xlb as root without CAP_BPF and CAP_NET_ADMIN (out of its bounding set; CAP_SYS_ADMIN kept,
# with which the kernel alone would let every change through).
xlb_nocap() {
	nsenter --net="/run/netns/$NS" setpriv --bounding-set=-bpf,-net_admin "$BUILD/xlb" "$@"
}

CAPS_MSG="xlb: Couldn't change xlb's state: it needs CAP_BPF and CAP_NET_ADMIN,"

# nocap NAME CMD...: refused with 77 before anything changed.
nocap() {
	_pn=priv.$1
	shift
	expect_err "$_pn" 77 "$CAPS_MSG and this process lacks both" xlb_nocap "$@"
	unchanged "$_pn.unchanged"
}

t_privileges() {
	xl save >"$T/g0"
	sed 's/weight: 1$/weight: 9/' "$T/g0" >"$T/g9.yaml"
	_prog=$(kernel_xdp "$DEV")
	nocap attach attach "$PEER" --next-hop-mac "$NEXT_HOP"
	nocap detach detach "$DEV"
	nocap vip_add -i "$DEV" vip add tcp:198.18.0.99:80
	nocap vip_del -i "$DEV" vip del "$V1"
	nocap backend_add -i "$DEV" backend add "$V1" 198.18.1.99
	nocap backend_set -i "$DEV" backend set "$V1" 198.18.1.1 --weight 9
	nocap backend_drain -i "$DEV" backend drain "$V1" 198.18.1.1
	nocap backend_del -i "$DEV" backend del "$V1" 198.18.1.1
	nocap apply -i "$DEV" apply -f "$T/g9.yaml"
	nocap apply_dry_run -i "$DEV" apply --dry-run -f "$T/g9.yaml"
	nocap decap_attach decap attach "$PEER"
	expect priv.decap_attach_root 0 xlb decap attach "$PEER"
	nocap decap_detach decap detach "$PEER"
	expect priv.decap_still_there 0 xlb decap stats "$PEER"
	expect priv.decap_detach_root 0 xlb decap detach "$PEER"
	check priv.program_kept "kernel: $(kernel_xdp "$DEV"), before: $_prog; pins of $PEER: \
$(ls "$(pin_dir "$PEER")" 2>&1 | head -c 80)" \
		[ "$(kernel_xdp "$DEV")" = "$_prog" -a ! -e "$(pin_dir "$PEER")" ]
	RC=0
	nsenter --net="/run/netns/$NS" setpriv --bounding-set=-bpf "$BUILD/xlb" -i "$DEV" \
		vip add tcp:198.18.0.99:80 >/dev/null 2>"$T/err" || RC=$?
	check priv.one_missing "exit $RC: $(errline)" \
		[ "$RC:$(cat "$T/err")" = "77:$CAPS_MSG and this process lacks CAP_BPF" ]
	expect priv.read_only_runs 0 xlb_nocap -i "$DEV" vip list
}
