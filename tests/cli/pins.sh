# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# Pins that outlive what they describe: an interface deleted and re-created under its name
# (t_pins_deleted), the decap program's pins of a renamed interface (t_pins_decap_renamed),
# and pin directories left by a network namespace that is gone, whose inode a new namespace got
# (t_pins_dead_ns). Sourced by run.sh while $DEV runs xlb.

# ns_pin_dir NSNAME DEV: where xlb pins DEV of namespace NSNAME.
ns_pin_dir() {
	echo "$PINS/$2@$(stat -L -c %i "/run/netns/$1")"
}

t_pins_deleted() {
	_a=xlbc$$d _b=xlbc$$e
	ip -n "$NS" link add "$_a" type veth peer name "$_b"
	expect deleted.attach 0 xlb attach "$_a" --next-hop-mac "$NEXT_HOP"
	expect deleted.vip_add 0 xlb -i "$_a" vip add "$V1"
	expect deleted.decap_attach 0 xlb decap attach "$_b"
	ip -n "$NS" link del "$_a"
	ip -n "$NS" link add "$_a" type veth peer name "$_b"
	_msg="xlb: Interface '$_a' does not run xlb: its pins were left by a deleted interface of that name; attach it again with 'xlb attach $_a'"
	expect_err deleted.vip_add_refused 66 "$_msg" xlb -i "$_a" vip add "$V2"
	expect_err deleted.status_refused 66 "$_msg" xlb -i "$_a" status
	expect_err deleted.vip_list_refused 66 "$_msg" xlb -i "$_a" vip list
	expect_err deleted.stats_refused 66 "$_msg" xlb -i "$_a" stats
	expect_err deleted.decap_stats_refused 66 \
		"xlb: Interface '$_b' does not run xlb decap: its pins were left by a deleted interface of that name; attach it again with 'xlb decap attach $_b'" \
		xlb decap stats "$_b"
	run xlb -j status
	_l=$(jq -r '[.[].interface] | join(" ")' "$T/out")
	check deleted.status_all_skips "exit $RC, interfaces '$_l'" [ "$RC:$_l" = "0:$DEV" ]
	run xlb vip list
	check deleted.no_dev_picks_live "exit $RC; stderr: $(errline)" [ "$RC" -eq 0 ]

	expect_err deleted.detach_cleans 0 \
		"xlb: removed the pins a deleted interface named '$_a' left" xlb detach "$_a"
	check deleted.detach_pins_gone "$(ns_pin_dir "$NS" "$_a") is still there" \
		[ ! -e "$(ns_pin_dir "$NS" "$_a")" ]
	expect deleted.decap_detach 0 xlb decap detach "$_b"
	expect deleted.attach_afresh 0 xlb attach "$_a" --next-hop-mac "$NEXT_HOP"
	_n=$(xlb -i "$_a" -j vip list | jq length)
	check deleted.afresh_empty "VIPs after attaching afresh: $_n" [ "$_n" = 0 ]
	expect deleted.detach 0 xlb detach "$_a"
	ip -n "$NS" link del "$_a"
}

# A namespace attached and deleted while its pins stay; then this namespace gets its inode
# (the leftover directory is renamed to this namespace's inode when the kernel did not reuse
# it: the same state, made deterministic).
t_pins_dead_ns() {
	_o=${NS}n _x=xlbc$$o
	ip netns add "$_o"
	ip -n "$_o" link add "$_x" type veth peer name "${_x}p"
	nsenter --net="/run/netns/$_o" "$BUILD/xlb" attach "$_x" --next-hop-mac "$NEXT_HOP" \
		>/dev/null
	_old=$(ns_pin_dir "$_o" "$_x") _new=$(ns_pin_dir "$NS" "$_x")
	ip netns del "$_o"
	[ "$_old" = "$_new" ] || mv "$_old" "$_new"
	ip -n "$NS" link add "$_x" type veth peer name "${_x}p"
	# One more: a record that names no namespace alive, for an interface of this one.
	mkdir "$(pin_dir "$PEER")"
	ln -s 0 "$(pin_dir "$PEER")/netns"

	run xlb vip list
	check dead_ns.no_dev_picks_live "exit $RC; stderr: $(errline)" [ "$RC" -eq 0 ]
	_said=$(grep -c "^xlb: removed '.*': pins left by a network namespace that no longer exists$" "$T/err" || true)
	check dead_ns.said "messages: $(errline)" [ "$_said" = 2 ]
	check dead_ns.removed "left: $(ls -d "$_new" "$(pin_dir "$PEER")" 2>&1 | tr '\n' ' ')" \
		[ ! -e "$_new" -a ! -e "$(pin_dir "$PEER")" ]

	mkdir "$_new"
	ln -s 0 "$_new/netns"
	run xlb -j status
	_l=$(jq -r '[.[].interface] | join(" ")' "$T/out")
	check dead_ns.status "exit $RC, interfaces '$_l'; stderr: $(errline)" [ "$RC:$_l" = "0:$DEV" ]
	mkdir "$_new"
	ln -s 0 "$_new/netns"
	run xlb -i "$_x" status
	_last=$(tail -n 1 "$T/err")
	check dead_ns.named_refused "exit $RC; stderr: $(errline)" \
		[ "$RC:$_last" = "66:xlb: Interface '$_x' does not run xlb" ]
	expect dead_ns.attach 0 xlb attach "$_x" --next-hop-mac "$NEXT_HOP"
	expect dead_ns.detach 0 xlb detach "$_x"
	ip -n "$NS" link del "$_x"

	# A directory of the layout before the record (no netns link) still works.
	mv "$(pin_dir "$DEV")/netns" "$T/netns"
	expect dead_ns.old_layout 0 xl vip list
	mv "$T/netns" "$(pin_dir "$DEV")/netns"
}

# The decap program's pins: every map of its object, and the balancer's guard against an
# interface renamed and its name given to a new one (the renamed one keeps its program).
t_pins_decap_renamed() {
	_a=xlbc$$q _b=xlbc$$t
	ip -n "$NS" link add "$_a" type veth peer name "$_b"
	expect decap_renamed.attach 0 xlb decap attach "$_a"
	_want=$(pins_expected "$BUILD/xlb_decap.bpf.o" link netns)
	_got=$(pins_in "$(decap_pin_dir "$_a")")
	check decap_renamed.pins "pins: $_got; expected: $_want" [ "$_got" = "$_want" ]
	ip -n "$NS" link set "$_a" name "${_a}x"
	ip -n "$NS" link add "$_a" type veth peer name "${_b}x"
	_msg="xlb: Interface '$_a' does not run xlb decap: its pins drive a renamed interface; rename that one back to '$_a' to manage or detach it"
	expect_err decap_renamed.detach_refused 66 "$_msg" xlb decap detach "$_a"
	expect_err decap_renamed.stats_refused 66 "$_msg" xlb decap stats "$_a"
	expect decap_renamed.attach_refused 73 xlb decap attach "$_a"
	check decap_renamed.program_kept "kernel: $(kernel_xdp "${_a}x")" \
		[ "$(kernel_xdp "${_a}x" | cut -d' ' -f1)" != 0 ]
	ip -n "$NS" link del "${_a}x"
	expect_err decap_renamed.detach_after_delete 0 \
		"xlb: removed the decap pins a deleted interface named '$_a' left" \
		xlb decap detach "$_a"
	ip -n "$NS" link del "$_a"
}

t_pins() {
	t_pins_deleted
	t_pins_decap_renamed
	t_pins_dead_ns
}
