# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The nat forwarding mode through the command line and the file: backends with their own port
# (ADDR:PORT, [ADDR6]:PORT), shown by vip list, -j and save; a port refused on other modes
# (65 on the command line, 78 in a file); nat_vips in xlb_runtime counts the nat VIPs; the
# NAT entry timeouts in vip list -j, save and xlb_snat, a bad one refused (65); explain names
# the backend address and port a flow is translated to.
# Sourced by run.sh after t_exits; it removes what it adds.

VN4=tcp:198.18.0.15:80
VN6='udp:[2001:db8::15]:53'

# The nat_vips field of the instance's xlb_runtime.
nat_vips() {
	map_dump xlb_runtime | jq '.[0].formatted.value.nat_vips'
}

# A nat VIP with its own entry timeouts: listed, saved and in xlb_snat; defaults elsewhere.
nat_timeouts() {
	local v=tcp:198.18.0.16:80
	expect nat.timeouts_add 0 xl vip add "$v" --forward nat --nat-tcp-timeout 30s \
		--nat-udp-timeout 2m --nat-fin-timeout 5
	_l=$(xl -j vip list | jq -r --arg a "$v" '.[] | select(.vip == $a) |
		"\(.nat_tcp_timeout) \(.nat_udp_timeout) \(.nat_fin_timeout)"')
	check nat.timeouts_json "$_l" [ "$_l" = "30 120 5" ]
	_s=$(xl save | grep -c -e '^    nat-tcp-timeout: 30s$' -e '^    nat-udp-timeout: 120s$' \
		-e '^    nat-fin-timeout: 5s$')
	check nat.timeouts_save "$_s of 3 lines" [ "$_s" = 3 ]
	_m=$(map_dump xlb_snat | jq -r '[.[] |
		.formatted.value | select(.tcp_timeout == 30) |
		"\(.tcp_timeout) \(.udp_timeout) \(.fin_timeout)"] | join(",")')
	check nat.timeouts_map "xlb_snat entries with tcp_timeout 30: $_m" [ "$_m" = "30 120 5" ]
	_l=$(xl -j vip list | jq -r --arg a "$V1" '.[] | select(.vip == $a) |
		"\(.nat_tcp_timeout) \(.nat_udp_timeout) \(.nat_fin_timeout)"')
	check nat.timeouts_default "$_l" [ "$_l" = "900 300 120" ]
	expect_err exit.nat_timeout_zero 65 \
		"xlb: Invalid NAT FIN timeout '0s': whole seconds from 1s to 65535s, as 900s or 15m" \
		xl vip add tcp:198.18.0.16:81 --forward nat --nat-fin-timeout 0s
	expect nat.timeouts_del 0 xl vip del "$v"
}

t_nat() {
	_bad=$(xl_each <<EOF
vip add $VN4 --forward nat
backend add $VN4 198.18.4.1:8080 --mac 02:00:00:00:04:01
backend add $VN4 198.18.4.2 --mac 02:00:00:00:04:02
vip add $VN6 --forward nat
backend add $VN6 [2001:db8:4::1]:5353 --mac 02:00:00:00:04:11
EOF
	)
	check nat.add "$_bad" [ -z "$_bad" ]
	_l=$(xl -j vip list | jq -r --arg a "$VN4" --arg b "$VN6" '.[] |
		select(.vip == $a or .vip == $b) | "\(.vip) \(.forward) \([.backends[] |
		"\(.address)/\(.port)"] | join(","))"' | tr '\n' '|')
	_w="$VN4 nat 198.18.4.1/8080,198.18.4.2/null|$VN6 nat 2001:db8:4::1/5353|"
	check nat.list_json "$_l" [ "$_l" = "$_w" ]
	_t=$(xl vip list | grep -c -e '-> 198.18.4.1:8080 ' -e '-> \[2001:db8:4::1\]:5353 ')
	check nat.list_text "$_t of 2 lines with ADDR:PORT" [ "$_t" = 2 ]
	_s=$(xl save | grep -c -e '- address: 198.18.4.1:8080$' \
		-e '- address: "\[2001:db8:4::1\]:5353"$')
	check nat.save "$_s of 2 addresses with their port" [ "$_s" = 2 ]
	check nat.runtime "nat_vips $(nat_vips)" [ "$(nat_vips)" = 2 ]
	_p=$(probe tcp 198.18.100.1:10000 198.18.0.15:80 20 | awk '{print $2 " " $3}' | sort -u |
		tr '\n' '|')
	check nat.forwards "$_p" [ "$_p" = "TX dr|" ]
	probe_ack tcp 198.18.100.1:10000 198.18.0.15:80 >/dev/null
	_f=$(xl -j flows list "$VN4" | jq -r '.flows[] | "\(.flow)|\(.nat_flow)"' | tr '\n' ' ')
	_b=$(xl -j flows list "$VN4" | jq -r '.flows[0].backend')
	_w="tcp 198.18.100.1:10000 -> 198.18.0.15:80|tcp 198.18.100.1:10000 -> $_b:"
	if [ "$_b" = 198.18.4.1 ]; then _w="${_w}8080 "; else _w="${_w}80 "; fi
	check nat.flows_both_tuples "$_f" [ "$_f" = "$_w" ]
	_t=$(xl flows list "$VN4" | grep -c ' nat tcp 198.18.100.1:10000 -> ')
	check nat.flows_text "$_t line with the backend's tuple" [ "$_t" = 1 ]
	_x=$(xl -j explain tcp 198.18.100.1:10000 198.18.0.15:80 |
		jq -r '"\(.decision) \(.nat_to)"')
	_w="connection-table $_b:80"
	[ "$_b" = 198.18.4.1 ] && _w="connection-table $_b:8080"
	check nat.explain_json "$_x" [ "$_x" = "$_w" ]
	_x=$(xl explain tcp 198.18.100.1:10000 198.18.0.15:80)
	_n=$(printf '%s\n' "$_x" | grep -c "; NAT to ${_w#connection-table }\$")
	check nat.explain_text "$_x" [ "$_n" = 1 ]

	expect exit.same_nat_backend 0 xl backend add "$VN4" 198.18.4.1:8080 --mac 02:00:00:00:04:01
	expect_err exit.other_nat_port 65 \
		"xlb: Backend '198.18.4.1' of VIP '$VN4' exists with other settings" \
		xl backend add "$VN4" 198.18.4.1:8081 --mac 02:00:00:00:04:01
	expect_err exit.port_not_nat 65 \
		"backend 198.18.1.9 of VIP $V1 has port 8080: only nat VIPs translate ports" \
		xl backend add "$V1" 198.18.1.9:8080
	expect_err exit.nat_without_mac 65 "backend 198.18.4.3 of nat VIP $VN4 lacks a MAC" \
		xl backend add "$VN4" 198.18.4.3:8080
	expect_err exit.port_zero 65 "xlb: Invalid backend address '198.18.4.3:0'" \
		xl backend add "$VN4" 198.18.4.3:0
	expect_err exit.nat_other_port 66 \
		"xlb: Backend '198.18.4.1' of VIP '$VN4' does not exist" \
		xl backend del "$VN4" 198.18.4.1:9999
	xl save >"$T/nat.yaml"
	sed 's/- address: 198.18.1.1$/- address: 198.18.1.1:8080/' "$T/nat.yaml" >"$T/natbad.yaml"
	expect_err_start exit.file_port_not_nat 78 "$T/natbad.yaml:" xl apply -f "$T/natbad.yaml"
	_m="backend 198.18.1.1 of VIP $V1 has port 8080: only nat VIPs translate ports"
	check nat.file_message "$(cat "$T/err")" grep -q "$_m" "$T/err"

	expect nat.del_backend 0 xl backend del "$VN4" 198.18.4.1:8080
	expect nat.del 0 xl vip del "$VN4"
	expect nat.del6 0 xl vip del "$VN6"
	nat_timeouts
	check nat.runtime_off "nat_vips $(nat_vips)" [ "$(nat_vips)" = 0 ]
}
