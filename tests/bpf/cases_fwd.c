// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixtures for packets to a VIP that are forwarded: every mode and family (ipip 4in4, 6in6,
 * 4in6, 6in4; gue over v4 and v6; dr v4 and v6), VLAN tags, IPv4 options, IPv6 extension
 * headers, Ethernet padding, port-0 VIPs and the size limits that still fit.
 */
#include "cases.h"

static void fwd(struct fx *x, const struct fx_in *in, __u32 vip)
{
	fx_send(x, in);
	fx_expect_fwd(x, vip, true);
}

static void ipip_4in4(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.1", 80);

	in.ip.tos = 0xb9;
	fwd(x, &in, V_TCP4);
}

static void ipip_4in4_no_df(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.1", 80);

	in.ip.frag = 0;
	fwd(x, &in, V_TCP4);
}

static void ipip_4in4_known_flow(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.1", 80);

	fx_send(x, &in);
	x->prime = true;
	fx_expect_fwd(x, V_TCP4, false);
}

static void ipip_6in6(struct fx *x)
{
	struct fx_in in = fx_tcp("2001:db8:100::1", 80);

	in.ip.tos = 0xb9;
	fwd(x, &in, V_TCP6);
}

static void ipip_4in6(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.3", 443);

	in.ip.tos = 0x4a;
	fwd(x, &in, V_4IN6);
}

static void ipip_6in4(struct fx *x)
{
	struct fx_in in = fx_tcp("2001:db8:100::1", 443);

	in.ip.tos = 0x4a;
	fwd(x, &in, V_6IN4);
}

static void gue_v4(struct fx *x)
{
	struct fx_in in = fx_udp("198.18.0.1", 53);

	in.ip.tos = 0x21;
	fwd(x, &in, V_GUE4);
}

static void gue_v6(struct fx *x)
{
	struct fx_in in = fx_udp("2001:db8:100::1", 53);

	in.ip.tos = 0x21;
	fwd(x, &in, V_GUE6);
}

static void gue_4in6(struct fx *x)
{
	struct fx_in in = fx_udp("198.18.0.3", 53);

	fwd(x, &in, V_GUE4IN6);
}

static void dr_v4(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.2", 80);

	fwd(x, &in, V_DR4);
}

static void dr_v6(struct fx *x)
{
	struct fx_in in = fx_tcp("2001:db8:100::2", 80);

	fwd(x, &in, V_DR6);
}

static void ipip_4in4_vlan1(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.1", 80);

	in.nvlan = 1;
	fwd(x, &in, V_TCP4);
}

static void ipip_6in6_vlan2(struct fx *x)
{
	struct fx_in in = fx_tcp("2001:db8:100::1", 80);

	in.nvlan = 2;
	fwd(x, &in, V_TCP6);
}

static void gue_v6_vlan2(struct fx *x)
{
	struct fx_in in = fx_udp("2001:db8:100::1", 53);

	in.nvlan = 2;
	fwd(x, &in, V_GUE6);
}

static void dr_v4_vlan2(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.2", 80);

	in.nvlan = 2;
	fwd(x, &in, V_DR4);
}

static void dr_v6_vlan1(struct fx *x)
{
	struct fx_in in = fx_tcp("2001:db8:100::2", 80);

	in.nvlan = 1;
	fwd(x, &in, V_DR6);
}

static void ipip_4in4_options(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.1", 80);

	in.ip.opt_words = 2;
	fwd(x, &in, V_TCP4);
}

static void gue_v4_max_options(struct fx *x)
{
	struct fx_in in = fx_udp("198.18.0.1", 53);

	in.ip.opt_words = 10;
	in.nvlan = 1;
	fwd(x, &in, V_GUE4);
}

static void ipip_6in6_ext3(struct fx *x)
{
	struct fx_in in = fx_tcp("2001:db8:100::1", 80);

	in.ip.n_ext = 3;
	in.ip.ext[0] = EXT_HOP;
	in.ip.ext[1] = EXT_RT;
	in.ip.ext[2] = EXT_DEST;
	fwd(x, &in, V_TCP6);
}

static void gue_v6_ext4(struct fx *x)
{
	struct fx_in in = fx_udp("2001:db8:100::1", 53);

	in.ip.n_ext = 4;
	in.ip.ext[0] = EXT_HOP;
	in.ip.ext[1] = EXT_DEST;
	in.ip.ext[2] = EXT_RT;
	in.ip.ext[3] = EXT_DEST;
	fwd(x, &in, V_GUE6);
}

static void gue_v4_padded(struct fx *x)
{
	struct fx_in in = fx_udp("198.18.0.1", 53);

	in.paylen = 4;
	in.pad = 14; /* 46 bytes of frame padded to the 60-byte minimum */
	fwd(x, &in, V_GUE4);
}

static void dr_v4_padded(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.2", 80);

	in.paylen = 0;
	in.pad = 6;
	fwd(x, &in, V_DR4);
}

static void ipip_6in4_padded(struct fx *x)
{
	struct fx_in in = fx_tcp("2001:db8:100::1", 443);

	in.paylen = 0;
	in.pad = 10;
	in.nvlan = 1;
	fwd(x, &in, V_6IN4);
}

static void any_port_1234(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.4", 1234);

	fwd(x, &in, V_ANY);
}

static void any_port_65535(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.4", 65535);

	fwd(x, &in, V_ANY);
}

static void any_port_exact_first(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.4", 22);

	fwd(x, &in, V_ANY_EXACT);
}

/* The largest packets that fit the 1500-byte MTU once encapsulated. */
static void ipip_4in4_mtu_fits(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.1", 80);

	in.paylen = 1480 - 40;
	fwd(x, &in, V_TCP4);
}

static void gue_v6_mtu_fits(struct fx *x)
{
	struct fx_in in = fx_udp("2001:db8:100::1", 53);

	in.paylen = 1500 - 48 - 48;
	fwd(x, &in, V_GUE6);
}

static void ipip_4in6_mtu_fits(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.3", 443);

	in.paylen = 1460 - 40;
	fwd(x, &in, V_4IN6);
}

static void dr_v6_full_mtu(struct fx *x)
{
	struct fx_in in = fx_tcp("2001:db8:100::2", 80);

	in.paylen = 1500 - 60;
	fwd(x, &in, V_DR6);
}

static const struct fx_case cases[] = {
	{ "fwd ipip 4in4 tcp", ipip_4in4 },
	{ "fwd ipip 4in4 tcp without DF", ipip_4in4_no_df },
	{ "fwd ipip 4in4 known flow (connection table)", ipip_4in4_known_flow },
	{ "fwd ipip 6in6 tcp", ipip_6in6 },
	{ "fwd ipip 4in6 tcp", ipip_4in6 },
	{ "fwd ipip 6in4 tcp", ipip_6in4 },
	{ "fwd gue v4 udp", gue_v4 },
	{ "fwd gue v6 udp", gue_v6 },
	{ "fwd gue 4in6 udp", gue_4in6 },
	{ "fwd dr v4 tcp", dr_v4 },
	{ "fwd dr v6 tcp", dr_v6 },
	{ "fwd ipip 4in4 one vlan tag", ipip_4in4_vlan1 },
	{ "fwd ipip 6in6 two vlan tags", ipip_6in6_vlan2 },
	{ "fwd gue v6 two vlan tags", gue_v6_vlan2 },
	{ "fwd dr v4 two vlan tags", dr_v4_vlan2 },
	{ "fwd dr v6 one vlan tag", dr_v6_vlan1 },
	{ "fwd ipip 4in4 ipv4 options (ihl 7)", ipip_4in4_options },
	{ "fwd gue v4 ipv4 options (ihl 15) one vlan tag", gue_v4_max_options },
	{ "fwd ipip 6in6 hop-by-hop, routing, dest-opts", ipip_6in6_ext3 },
	{ "fwd gue v6 four extension headers", gue_v6_ext4 },
	{ "fwd gue v4 padded frame", gue_v4_padded },
	{ "fwd dr v4 padded frame", dr_v4_padded },
	{ "fwd ipip 6in4 padded frame one vlan tag", ipip_6in4_padded },
	{ "fwd port-0 vip, port 1234", any_port_1234 },
	{ "fwd port-0 vip, port 65535", any_port_65535 },
	{ "fwd exact vip before port-0 vip", any_port_exact_first },
	{ "fwd ipip 4in4 1480 bytes fits mtu", ipip_4in4_mtu_fits },
	{ "fwd gue v6 1452 bytes fits mtu", gue_v6_mtu_fits },
	{ "fwd ipip 4in6 1460 bytes fits mtu", ipip_4in6_mtu_fits },
	{ "fwd dr v6 1500 bytes (no overhead)", dr_v6_full_mtu },
};

void cases_fwd(const struct lb *lb)
{
	fx_run_table(lb, cases, sizeof(cases) / sizeof(cases[0]));
}
