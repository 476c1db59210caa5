# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# A backend's settings (user/lib/backend_settings.h) in each view of the command line: vip
# list -j (weight, mac, drain, port), the vip list table, save, and apply's difference when
# every setting of a backend changes. Sourced by run.sh after t_nat; it removes what it adds.

VB=tcp:198.18.0.17:80

# The JSON of VB's backends: "ADDR WEIGHT MAC DRAIN PORT", comma-separated.
be_json() {
	xl -j vip list | jq -r --arg v "$VB" '.[] | select(.vip == $v) | [.backends[] |
		"\(.address) \(.weight) \(.mac) \(.drain) \(.port)"] | join(",")'
}

t_be_settings() {
	_bad=$(xl_each <<EOF
vip add $VB --forward nat
backend add $VB 198.18.6.1:8080 --weight 4 --mac 02:00:00:00:06:0A
backend drain $VB 198.18.6.1
backend add $VB 198.18.6.2 --mac 02:00:00:00:06:02
EOF
	)
	check besettings.add "$_bad" [ -z "$_bad" ]
	_l=$(be_json)
	_w="198.18.6.1 4 02:00:00:00:06:0a true 8080,198.18.6.2 1 02:00:00:00:06:02 false null"
	check besettings.json "$_l" [ "$_l" = "$_w" ]
	_t=$(xl vip list |
		grep -c -E -e '-> 198.18.6.1:8080 +w4 +drain' -e '-> 198.18.6.2 +w1 +up')
	check besettings.text "$_t of 2 backend lines" [ "$_t" = 2 ]
	xl save >"$T/bs0"
	sed -n "/^  - vip: $VB\$/,/^  - vip: /p" "$T/bs0" | grep -A3 -e '- address: 198.18.6' \
		>"$T/bsblk"
	cat >"$T/want" <<EOF
      - address: 198.18.6.1:8080
        weight: 4
        mac: "02:00:00:00:06:0a"
        drain: true
      - address: 198.18.6.2
        weight: 1
        mac: "02:00:00:00:06:02"
        drain: false
EOF
	check besettings.save "$(diff "$T/want" "$T/bsblk" | tr '\n' '|')" \
		cmp -s "$T/want" "$T/bsblk"
	# Every setting of the first backend changed: a line each, in the order "+ backend" uses.
	sed -e 's/- address: 198.18.6.1:8080$/- address: 198.18.6.1/' \
		-e '/- address: 198.18.6.1$/{n;s/weight: 4$/weight: 5/;n;s/06:0a/06:0b/' \
		-e 'n;s/drain: true$/drain: false/}' \
		"$T/bs0" >"$T/bs1"
	cat >"$T/want" <<EOF
~ backend $VB 198.18.6.1 weight 4 -> 5
~ backend $VB 198.18.6.1 mac 02:00:00:00:06:0a -> 02:00:00:00:06:0b
~ backend $VB 198.18.6.1 drain yes -> no
~ backend $VB 198.18.6.1 port 8080 -> none
EOF
	run xl apply -f "$T/bs1"
	check besettings.diff "exit $RC: $(diff "$T/want" "$T/out" | tr '\n' '|') $(errline)" \
		[ "$RC:$(cat "$T/out")" = "0:$(cat "$T/want")" ]
	_l=$(be_json)
	_w="198.18.6.1 5 02:00:00:00:06:0b false null,198.18.6.2 1 02:00:00:00:06:02 false null"
	check besettings.applied "$_l" [ "$_l" = "$_w" ]
	expect besettings.del 0 xl vip del "$VB"
}
