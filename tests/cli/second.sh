# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# Second-chance VIPs (issue 12) through the command line: the setting added, listed, saved and
# refused without gue forwarding (65 from the CLI, 78 from a file, nothing written).
# Sourced by run.sh; leaves no VIP behind.

SC=tcp:198.18.0.40:80

t_second_chance() {
	expect second.vip_add 0 xl vip add "$SC" --forward gue --second-chance
	expect second.backend_add 0 xl backend add "$SC" 198.18.40.1
	_j=$(xl -j vip list | jq -c --arg v "$SC" '.[] | select(.vip == $v) |
		[.forward, .second_chance]')
	check second.list_json "vip list -j: $_j" [ "$_j" = '["gue",true]' ]
	_j=$(xl -j vip list | jq -c --arg v "$V2" '.[] | select(.vip == $v) | .second_chance')
	check second.list_json_off "vip list -j: $_j" [ "$_j" = false ]
	_l=$(xl vip list | awk -v v="$SC" '$1 == v { print $NF }')
	check second.list_text "vip list: $_l" [ "$_l" = second-chance ]
	_s=$(xl save | grep -c '^    second-chance: true$' || true)
	check second.saved "second-chance lines in save: $_s" [ "$_s" = 1 ]
	expect second.same_vip 0 xl vip add "$SC" --forward gue --second-chance
	expect_err second.other_vip 65 "xlb: VIP '$SC' exists with other settings" \
		xl vip add "$SC" --forward gue

	xl save >"$T/g0"
	expect_err second.needs_gue 65 \
		"VIP tcp:198.18.0.41:80: second-chance needs forward gue, not ipip" \
		xl vip add tcp:198.18.0.41:80 --second-chance
	expect_err second.needs_gue_dr 65 \
		"VIP tcp:198.18.0.41:80: second-chance needs forward gue, not dr" \
		xl vip add tcp:198.18.0.41:80 --forward dr --second-chance
	sed "s/^    forward: gue$/    forward: ipip/" "$T/g0" >"$T/sc.yaml"
	_line=$(grep -n "^  - vip: $SC\$" "$T/sc.yaml" | cut -d: -f1)
	expect_err second.file_needs_gue 78 \
		"$T/sc.yaml:$_line: VIP $SC: second-chance needs forward gue, not ipip" \
		xl apply -f "$T/sc.yaml"
	unchanged second.nothing_written
	expect second.vip_del 0 xl vip del "$SC"
}
