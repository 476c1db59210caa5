# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# What a change must never do: take an address that is not one host (t_unicast), change a
# text on the way through save and apply (t_texts), change anything without the privileges
# to finish (t_privileges) or when cut short (t_rollback), or fail late for want of room that
# --dry-run promised (t_capacity). Sourced by run.sh; all but t_capacity change nothing.

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

# Health-check texts with YAML syntax in them go through the maps, save and apply unchanged;
# the settings of an unused check meet the rules of a used one.
t_texts() {
	_p='/a"b\\c#d:{e}[f],g&*h'"'"'i'
	expect texts.add 0 xl vip add tcp:198.18.0.97:80 --check http --check-path "$_p" \
		--check-host 'x"y\z'
	xl save >"$T/t0"
	run xl apply --dry-run -f "$T/t0"
	check texts.round_trip "exit $RC: $(head -n 3 "$T/out" "$T/err" | tr '\n' '|')" \
		[ "$RC:$(cat "$T/out")" = "0:No changes." ]
	_h=$(xl -j vip list | jq -r '.[] | select(.vip == "tcp:198.18.0.97:80") | .health')
	check texts.stored "health: $_h" \
		[ "$_h" = "http path $_p host x\"y\\z status 200-399 interval 5s timeout 2s rise 3 fall 3" ]
	expect texts.del 0 xl vip del tcp:198.18.0.97:80
	expect_err texts.unused_check 65 "VIP tcp:198.18.0.97:80: health: the HTTP path must start \
with / and be printable ASCII without spaces" \
		xl vip add tcp:198.18.0.97:80 --check none --check-path '/a b'
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
	nocap node_drain -i "$DEV" node drain
	nocap node_undrain -i "$DEV" node undrain
	check priv.node_not_drained "$(xl -j status | jq -c '[.[].drained]')" \
		[ "$(xl -j status | jq -c '[.[].drained] | any')" = false ]
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

# bpffail N|create CMD...: xl CMD with its Nth changing bpf() call failing (ENOMEM).
bpffail() {
	_at=$1
	shift
	nsenter --net="/run/netns/$NS" "$BUILD/tests/cli/bpffail" "$_at" 12 "$BUILD/xlb" \
		-i "$DEV" "$@"
}

# each_failure NAME CMD...: CMD cut short at each of its changing bpf() calls in turn. Each
# time it either fails with 71 and leaves the state it found (saved in g0) exactly, or (a
# call it can do without, such as a libbpf probe) does all of the change; the state is put
# back in between.
each_failure() {
	_n=$1
	shift
	xl save >"$T/g0"
	run bpffail 0 "$@"
	_k=$(tail -n 1 "$T/err" | awk '{print $2}')
	xl save >"$T/gdone"
	xl apply -f "$T/g0" >/dev/null
	_bad= _failed=0 _i=0
	while [ "$_i" -lt "$_k" ]; do
		_i=$((_i + 1))
		run bpffail "$_i" "$@"
		xl save >"$T/g1"
		if [ "$RC" -eq 71 ] && cmp -s "$T/g0" "$T/g1"; then
			_failed=$((_failed + 1))
		elif [ "$RC" -ne 0 ] || ! cmp -s "$T/gdone" "$T/g1"; then
			_bad="$_bad #$_i:exit $RC$(cmp -s "$T/g0" "$T/g1" || echo ",changed")"
		fi
		cmp -s "$T/g0" "$T/g1" || xl apply -f "$T/g0" >/dev/null
	done
	check "rollback.$_n" "$_k calls, $_failed failed cleanly; bad:$_bad" \
		[ -z "$_bad" -a "$_failed" -gt 0 -a "$_k" -gt 0 ]
	unchanged "rollback.$_n.restored"
}

t_rollback() {
	each_failure backend_add backend add "$V1" 198.18.1.99
	each_failure backend_set backend set "$V1" 198.18.1.1 --weight 9
	each_failure backend_del backend del "$V1" 198.18.1.1
	each_failure vip_add vip add tcp:198.18.0.99:80 --check tcp
	each_failure vip_del vip del "$V1"
	xl save >"$T/g0"
	# Every weight 1 made 9, V2 left out, a new VIP with two backends.
	sed 's/weight: 1$/weight: 9/' "$T/g0" |
		awk -v v="  - vip: $V2" '$0 == v { skip = 1; next } /^  - vip: / { skip = 0 } !skip' \
		>"$T/gapply.yaml"
	printf '  - vip: tcp:198.18.0.98:80\n    backends:\n      - address: 198.18.9.1\n%s\n' \
		'      - address: 198.18.9.2' >>"$T/gapply.yaml"
	each_failure apply apply -f "$T/gapply.yaml"
	# Out of memory for good: the first table is built before anything is written.
	xl save >"$T/g0"
	expect_err rollback.no_memory 71 \
		"xlb: Couldn't apply the change on '$DEV': Cannot allocate memory" \
		bpffail create backend add "$V1" 198.18.1.99
	unchanged rollback.no_memory.unchanged
	expect rollback.no_memory_apply 71 bpffail create apply -f "$T/gapply.yaml"
	unchanged rollback.no_memory_apply.unchanged
}

# gen_vips N FIRST [BACKENDS]: N VIPs tcp:198.19.X.Y:80 from number FIRST on, each with
# BACKENDS backends 198.18.128.1.. (the same addresses in every VIP).
gen_vips() {
	awk -v n="$1" -v first="$2" -v nb="${3:-0}" 'BEGIN {
		print "vips:"
		for (v = first; v < first + n; v++) {
			printf "  - vip: tcp:198.19.%d.%d:80\n", int(v / 250), v % 250 + 1
			if (!nb)
				continue
			print "    backends:"
			for (b = 0; b < nb; b++)
				printf "      - address: 198.18.%d.%d\n", 128 + int(b / 250), b % 250 + 1
		}
	}'
}

# fits NAME FILE VIPS BACKENDS: FILE takes the running state over as --dry-run promised, with
# no change left to make, and the maps then hold VIPS VIPs and BACKENDS backends.
fits() {
	run xl apply --dry-run -f "$2"
	check "$1.dry_run" "exit $RC $(errline)" [ "$RC" -eq 0 ]
	run xl apply -f "$2"
	check "$1.apply" "exit $RC $(errline)" [ "$RC" -eq 0 ]
	run xl apply --dry-run -f "$2"
	check "$1.complete" "exit $RC: $(head -n 2 "$T/out" | tr '\n' '|')" \
		[ "$RC:$(cat "$T/out")" = "0:No changes." ]
	_u=$(xl -j status | jq -r '.[0].maps | "\(.vips.used) \(.backends.used)"')
	check "$1.counts" "vips/backends used: $_u" [ "$_u" = "$3 $4" ]
}

# A state within the limits never fails late for want of room: the removals go first when
# the old and the new do not fit side by side. The sizes of issue 8.
t_capacity() {
	gen_vips 14 0 1 >"$T/c14.yaml"
	fits capacity.start "$T/c14.yaml" 14 14
	gen_vips 1024 14 >"$T/c1024.yaml"
	fits capacity.vips "$T/c1024.yaml" 1024 0
	gen_vips 2 0 8191 >"$T/cfull.yaml"
	fits capacity.full "$T/cfull.yaml" 2 16382
	# The first VIP keeps one backend and gains two, the second stays as it is.
	{
		printf 'vips:\n  - vip: tcp:198.19.0.1:80\n    backends:\n'
		printf '      - address: %s\n' 198.18.128.1 198.18.250.1 198.18.250.2
		gen_vips 1 1 8191 | tail -n +2
	} >"$T/cother.yaml"
	fits capacity.backends "$T/cother.yaml" 2 8194
	probe tcp 198.18.105.1:1000 198.19.0.1:80 60 >"$T/p"
	spread capacity.forwards "$T/p" ipip 5 198.18.128.1 198.18.250.1 198.18.250.2
	# 8194 running and 8189 new: exactly room for both side by side.
	gen_vips 1 0 8190 >"$T/chalf.yaml"
	fits capacity.half "$T/chalf.yaml" 1 8190
}
