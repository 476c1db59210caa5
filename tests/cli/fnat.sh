# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# Full NAT's source pool through the command line and the file: --snat on vip add, shown by vip
# list, -j and save, written to xlb_snat and cleared with the VIP, a save/apply round trip; an
# empty pool, a pool on a VIP that is not nat, of the other family or on a VIP address refused
# (65 on the command line, 78 in a file) with nothing written. Sourced by run.sh after t_nat.

VF4=tcp:198.18.0.16:80
VF6='udp:[2001:db8::16]:53'

# The addresses of every pool in xlb_snat.
snat_count() {
	map_dump xlb_snat | jq '[.[].formatted.value.count] | add'
}

t_fnat() {
	expect fnat.add 0 xl vip add "$VF4" --forward nat --snat 198.18.5.1,198.18.5.2
	expect fnat.add6 0 xl vip add "$VF6" --forward nat --snat 2001:db8:5::1
	expect fnat.same_again 0 xl vip add "$VF4" --forward nat --snat 198.18.5.1,198.18.5.2
	check fnat.map "pool addresses $(snat_count)" [ "$(snat_count)" = 3 ]
	_l=$(xl -j vip list | jq -c --arg a "$VF4" --arg b "$VF6" '[.[] |
		select(.vip == $a or .vip == $b) | .snat]')
	check fnat.list_json "$_l" [ "$_l" = '[["198.18.5.1","198.18.5.2"],["2001:db8:5::1"]]' ]
	_t=$(xl vip list | grep -c -e ' snat 198.18.5.1,198.18.5.2$' -e ' snat 2001:db8:5::1$')
	check fnat.list_text "$_t of 2 lines" [ "$_t" = 2 ]
	xl save >"$T/fnat.yaml"
	_s=$(grep -e '^    snat:$' -e '^      - 198.18.5.' -e '^      - 2001:db8:5::' \
		"$T/fnat.yaml" | tr -d ' \n')
	check fnat.save "$_s" [ "$_s" = 'snat:-198.18.5.1-198.18.5.2snat:-2001:db8:5::1' ]

	expect_err exit.snat_other_pool 65 "xlb: VIP '$VF4' exists with other settings" \
		xl vip add "$VF4" --forward nat --snat 198.18.5.1
	expect_err exit.snat_empty 65 \
		"xlb: Invalid source pool '': ADDR[,ADDR...], 1 to 8 addresses" \
		xl vip add tcp:198.18.0.17:80 --forward nat --snat ''
	_nine=198.18.5.1,198.18.5.2,198.18.5.3,198.18.5.4,198.18.5.5,198.18.5.6,198.18.5.7
	_nine=$_nine,198.18.5.8,198.18.5.9
	expect_err exit.snat_nine 65 \
		"xlb: Invalid source pool '$_nine': ADDR[,ADDR...], 1 to 8 addresses" \
		xl vip add tcp:198.18.0.17:80 --forward nat --snat "$_nine"
	expect_err exit.snat_vip_addr 65 "VIP tcp:198.18.0.17:80: snat 198.18.0.16: a VIP address" \
		xl vip add tcp:198.18.0.17:80 --forward nat --snat 198.18.0.16
	expect_err exit.snat_family 65 \
		"VIP tcp:198.18.0.17:80: snat 2001:db8:5::1: not of the VIP's family" \
		xl vip add tcp:198.18.0.17:80 --forward nat --snat 2001:db8:5::1
	expect_err exit.snat_not_nat 65 \
		"VIP tcp:198.18.0.17:80: snat: a source pool needs forward nat" \
		xl vip add tcp:198.18.0.17:80 --forward dr --snat 198.18.5.9
	check fnat.nothing_written "pool addresses $(snat_count)" [ "$(snat_count)" = 3 ]
	_n=$(xl -j vip list | jq '[.[] | select(.vip == "tcp:198.18.0.17:80")] | length')
	check fnat.no_vip_added "$_n VIPs" [ "$_n" = 0 ]

	sed 's/^      - 2001:db8:5::1$/      - 2001:db8::16/' "$T/fnat.yaml" >"$T/fnatbad.yaml"
	expect_err_start exit.file_snat_vip_addr 78 "$T/fnatbad.yaml:" xl apply -f "$T/fnatbad.yaml"
	check fnat.file_message "$(cat "$T/err")" \
		grep -q "snat 2001:db8::16: a VIP address" "$T/err"
	sed 's/^    snat:$/    snat: []/; /^      - 198.18.5.[12]$/d; /^      - 2001:db8:5::1$/d' \
		"$T/fnat.yaml" >"$T/fnatempty.yaml"
	expect_err_start exit.file_snat_empty 78 "$T/fnatempty.yaml:" \
		xl apply -f "$T/fnatempty.yaml"
	check fnat.file_empty_message "$(cat "$T/err")" \
		grep -q "bad snat '\[\]': expected a list of 1 to 8 addresses" "$T/err"
	check fnat.file_nothing_written "pool addresses $(snat_count)" [ "$(snat_count)" = 3 ]

	expect fnat.del 0 xl vip del "$VF4"
	expect fnat.del6 0 xl vip del "$VF6"
	check fnat.cleared "pool addresses $(snat_count)" [ "$(snat_count)" = 0 ]
	expect fnat.apply 0 xl apply -f "$T/fnat.yaml"
	xl save >"$T/fnat2.yaml"
	check fnat.round_trip "$(diff "$T/fnat.yaml" "$T/fnat2.yaml" | head -5)" \
		cmp -s "$T/fnat.yaml" "$T/fnat2.yaml"
	check fnat.reapplied "pool addresses $(snat_count)" [ "$(snat_count)" = 3 ]
	expect fnat.backend 0 xl backend add "$VF4" 198.18.4.5:8080 --mac 02:00:00:00:04:05
	_x=$(xl explain tcp 198.18.100.1:10000 198.18.0.16:80)
	_w="backend 198.18.4.5, up (Maglev slot [0-9]* of [0-9]*); NAT to 198.18.4.5:8080, from one"
	_n=$(printf '%s\n' "$_x" | grep -c "$_w of its 2 pool addresses\$")
	check fnat.explain "$_x" [ "$_n" = 1 ]
	expect fnat.del_again 0 xl vip del "$VF4"
	expect fnat.del6_again 0 xl vip del "$VF6"
}
