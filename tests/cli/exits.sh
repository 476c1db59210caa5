# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# Exit codes and messages of the xlb command line (sysexits): usage 64, bad data 65, missing
# VIP/backend/interface 66, not root 77, config file 78 (attach twice, 73, is in run.sh).
# Sourced by run.sh after the VIPs of t_vips exist; changes nothing.

t_exits() {
	xl -j vip list >"$T/before"

	expect_err exit.no_command 64 "xlb: No command given" xlb
	expect_err exit.unknown_command 64 "xlb: Unknown command 'frobnicate'" xlb frobnicate
	expect_err exit.unknown_verb 64 "xlb: Unknown command 'vip frob'" xl vip frob
	expect_err exit.unknown_option 64 "xlb: Unknown option '--bogus'" xl vip list --bogus
	expect_err exit.missing_argument 64 \
		"xlb: Usage: xlb backend add VIP ADDR [--weight N] [--mac MAC]" xl backend add "$V1"
	expect exit.option_elsewhere 64 xl vip add "$V7" --weight 3

	expect_err exit.bad_vip_address 65 \
		"xlb: Invalid VIP 'tcp:198.18.0.300:80': PROTO:ADDR:PORT" xl vip add tcp:198.18.0.300:80
	expect_err exit.bad_port 65 "xlb: Invalid VIP 'tcp:198.18.0.30:65536': PROTO:ADDR:PORT" \
		xl vip add tcp:198.18.0.30:65536
	expect_err exit.bad_backend_address 65 "xlb: Invalid backend address '198.18.1.256'" \
		xl backend add "$V1" 198.18.1.256
	expect_err exit.bad_mac 65 "xlb: Invalid MAC address '02:00:00:00:03'" \
		xl backend add "$V3" 198.18.3.9 --mac 02:00:00:00:03
	expect_err exit.bad_next_hop_mac 65 "xlb: Invalid MAC address '02:00:00:00:00:zz'" \
		xlb attach "$PEER" --next-hop-mac 02:00:00:00:00:zz
	# One parser for the load-time options: xlb attach and xlbd answer alike.
	expect_err exit.bad_mode 65 "xlb: Invalid mode 'turbo': native or generic" \
		xlb attach "$PEER" --mode turbo
	expect exit.xlbd_bad_mode 65 "$BUILD/xlbd" -i "$PEER" --mode turbo
	expect_err exit.bad_weight 65 "xlb: Invalid weight '101': expected 0-100" \
		xl backend set "$V1" 198.18.1.1 --weight 101
	expect exit.bad_weight_text 65 xl backend add "$V1" 198.18.1.9 --weight heavy
	expect_err exit.bad_forward 65 "xlb: Invalid forward 'gre': ipip, gue or dr" \
		xl vip add tcp:198.18.0.31:80 --forward gre
	expect exit.bad_check 65 xl vip add tcp:198.18.0.31:80 --check ping
	expect_err exit.bad_explain 65 "xlb: Invalid source '198.18.0.1': ADDR:PORT" \
		xl explain tcp 198.18.0.1 198.18.0.10:80
	expect_err exit.dr_without_mac 65 \
		"backend 198.18.3.9 of dr VIP $V3 lacks a MAC" xl backend add "$V3" 198.18.3.9

	expect exit.same_vip 0 xl vip add "$V2" --forward gue --gue-port 6081
	expect_err exit.other_vip 65 "xlb: VIP '$V2' exists with other settings" \
		xl vip add "$V2" --forward gue
	expect exit.same_backend 0 xl backend add "$V3" 198.18.3.1 --mac 02:00:00:00:03:01
	expect_err exit.other_backend 65 \
		"xlb: Backend '198.18.3.1' of VIP '$V3' exists with other settings" \
		xl backend add "$V3" 198.18.3.1 --mac 02:00:00:00:03:09
	expect exit.other_backend_weight 65 xl backend add "$V2" 198.18.2.1 --weight 2

	expect_err exit.no_vip 66 "xlb: VIP 'tcp:198.18.0.99:80' does not exist" \
		xl backend add tcp:198.18.0.99:80 198.18.9.1
	expect exit.no_vip_del 66 xl vip del tcp:198.18.0.99:80
	expect exit.no_vip_stats 66 xl stats tcp:198.18.0.99:80
	expect_err exit.no_backend 66 "xlb: Backend '198.18.9.9' of VIP '$V1' does not exist" \
		xl backend set "$V1" 198.18.9.9 --weight 2
	expect exit.no_backend_drain 66 xl backend drain "$V1" 198.18.9.9
	expect exit.no_backend_del 66 xl backend del "$V1" 198.18.9.9
	expect_err exit.no_interface 66 "xlb: Interface 'xlbcnosuch' does not run xlb" \
		xlb -i xlbcnosuch vip list
	expect_err exit.attach_no_interface 66 "xlb: Interface 'xlbcnosuch' does not exist" \
		xlb attach xlbcnosuch
	expect_err exit.node_no_interface 66 "xlb: Interface 'xlbcnosuch' does not run xlb" \
		xlb -i xlbcnosuch node drain
	expect exit.node_drain 0 xl node drain
	check exit.node_drained_status "$(xl -j status | jq -c '.[0] | [.drained, .route_table]')" \
		[ "$(xl -j status | jq -c '.[0] | [.drained, .route_table]')" = "[true,0]" ]
	expect exit.node_check_drained 1 xl node check
	check exit.node_check_says "$(cat "$T/out")" \
		[ "$(cat "$T/out")" = "not serving: the node is drained" ]
	expect exit.node_undrain 0 xl node undrain
	check exit.node_undrained_status "$(xl -j status | jq -c '.[0].drained')" \
		[ "$(xl -j status | jq -c '.[0].drained')" = false ]

	# Not root: a world-readable config file, so that only the privileges stand in the way.
	chmod 711 "$T"
	xl save >"$T/pub.yaml"
	chmod 644 "$T/pub.yaml"
	expect_err exit.nonroot_list 77 "xlb: Couldn't open xlb's maps on '$DEV': Permission denied" \
		xlb_nobody -i "$DEV" vip list
	expect exit.nonroot_list_any 77 xlb_nobody vip list
	expect exit.nonroot_status 77 xlb_nobody -i "$DEV" status
	expect exit.nonroot_vip_add 77 xlb_nobody -i "$DEV" vip add tcp:198.18.0.99:80
	expect exit.nonroot_apply 77 xlb_nobody -i "$DEV" apply -f "$T/pub.yaml"
	expect exit.nonroot_save 77 xlb_nobody -i "$DEV" save
	expect exit.nonroot_attach 77 xlb_nobody attach "$PEER" --next-hop-mac "$NEXT_HOP"
	expect exit.nonroot_detach 77 xlb_nobody detach "$DEV"
	chmod 700 "$T"

	expect_err exit.config_missing 78 \
		"$T/none.yaml: Couldn't open config file: No such file or directory" \
		xl apply -f "$T/none.yaml"

	xl -j vip list >"$T/after"
	check exit.nothing_changed "$(diff "$T/before" "$T/after" | head -5 | tr '\n' '|')" \
		cmp -s "$T/before" "$T/after"
	check exit.pins_unchanged "$DEV lost its pins or $PEER got some" \
		test -d "$(pin_dir "$DEV")" -a ! -d "$(pin_dir "$PEER")"
}
