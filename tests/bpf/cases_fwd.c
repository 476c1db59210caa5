// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixtures for packets to a VIP that are forwarded, one row each: every mode and family (ipip
 * 4in4, 6in6, 4in6, 6in4; gue over v4 and v6; dr v4 and v6), VLAN tags, IPv4 options, IPv6
 * extension headers, Ethernet padding, port-0 VIPs and the size limits that still fit.
 */
#include "cases.h"

/* A packet of a new flow and the VIP whose backend must receive it. */
struct fwd_row {
	const char *name;
	struct fx_row in;
	__u32 vip;
};

static const struct fwd_row rows[] = {
	{ "fwd ipip 4in4 tcp", FX_TCP("198.18.0.1", 80, .tos = 0xb9), V_TCP4 },
	{ "fwd ipip 4in4 tcp without DF", FX_TCP("198.18.0.1", 80, .no_df = true), V_TCP4 },
	{ "fwd ipip 6in6 tcp", FX_TCP("2001:db8:100::1", 80, .tos = 0xb9), V_TCP6 },
	{ "fwd ipip 4in6 tcp", FX_TCP("198.18.0.3", 443, .tos = 0x4a), V_4IN6 },
	{ "fwd ipip 6in4 tcp", FX_TCP("2001:db8:100::1", 443, .tos = 0x4a), V_6IN4 },
	{ "fwd gue v4 udp", FX_UDP("198.18.0.1", 53, .tos = 0x21), V_GUE4 },
	{ "fwd gue v6 udp", FX_UDP("2001:db8:100::1", 53, .tos = 0x21), V_GUE6 },
	{ "fwd gue 4in6 udp", FX_UDP("198.18.0.3", 53), V_GUE4IN6 },
	{ "fwd dr v4 tcp", FX_TCP("198.18.0.2", 80), V_DR4 },
	{ "fwd dr v6 tcp", FX_TCP("2001:db8:100::2", 80), V_DR6 },
	{ "fwd ipip 4in4 one vlan tag", FX_TCP("198.18.0.1", 80, .nvlan = 1), V_TCP4 },
	{ "fwd ipip 6in6 two vlan tags", FX_TCP("2001:db8:100::1", 80, .nvlan = 2), V_TCP6 },
	{ "fwd gue v6 two vlan tags", FX_UDP("2001:db8:100::1", 53, .nvlan = 2), V_GUE6 },
	{ "fwd dr v4 two vlan tags", FX_TCP("198.18.0.2", 80, .nvlan = 2), V_DR4 },
	{ "fwd dr v6 one vlan tag", FX_TCP("2001:db8:100::2", 80, .nvlan = 1), V_DR6 },
	{ "fwd ipip 4in4 ipv4 options (ihl 7)", FX_TCP("198.18.0.1", 80, .opt_words = 2), V_TCP4 },
	{ "fwd gue v4 ipv4 options (ihl 15) one vlan tag",
	  FX_UDP("198.18.0.1", 53, .opt_words = 10, .nvlan = 1),
	  V_GUE4 },
	{ "fwd ipip 6in6 hop-by-hop, routing, dest-opts",
	  FX_TCP("2001:db8:100::1", 80, .n_ext = 3, .ext = { EXT_HOP, EXT_RT, EXT_DEST }),
	  V_TCP6 },
	{ "fwd gue v6 four extension headers",
	  FX_UDP("2001:db8:100::1", 53, .n_ext = 4, .ext = { EXT_HOP, EXT_DEST, EXT_RT, EXT_DEST }),
	  V_GUE6 },
	{ "fwd gue v4 padded frame", FX_UDP("198.18.0.1", 53, .paylen = 4, .pad = 14), V_GUE4 },
	{ "fwd dr v4 padded frame",
	  FX_TCP("198.18.0.2", 80, .paylen = FX_NO_PAYLOAD, .pad = 6),
	  V_DR4 },
	{ "fwd ipip 6in4 padded frame one vlan tag",
	  FX_TCP("2001:db8:100::1", 443, .paylen = FX_NO_PAYLOAD, .pad = 10, .nvlan = 1),
	  V_6IN4 },
	{ "fwd port-0 vip, port 1234", FX_TCP("198.18.0.4", 1234), V_ANY },
	{ "fwd port-0 vip, port 65535", FX_TCP("198.18.0.4", 65535), V_ANY },
	{ "fwd exact vip before port-0 vip", FX_TCP("198.18.0.4", 22), V_ANY_EXACT },
	{ "fwd ipip 4in4 1480 bytes fits mtu",
	  FX_TCP("198.18.0.1", 80, .paylen = 1480 - 40),
	  V_TCP4 },
	{ "fwd gue v6 1452 bytes fits mtu",
	  FX_UDP("2001:db8:100::1", 53, .paylen = 1500 - 48 - 48),
	  V_GUE6 },
	{ "fwd ipip 4in6 1460 bytes fits mtu",
	  FX_TCP("198.18.0.3", 443, .paylen = 1460 - 40),
	  V_4IN6 },
	{ "fwd dr v6 1500 bytes (no overhead)",
	  FX_TCP("2001:db8:100::2", 80, .paylen = 1500 - 60),
	  V_DR6 },
};

/* The same packet twice: the second is a known flow, found in the connection table. */
static void ipip_4in4_known_flow(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.1", 80);

	fx_send(x, &in);
	x->prime = true;
	fx_expect_fwd(x, V_TCP4, false);
}

static const struct fx_case cases[] = {
    {"fwd ipip 4in4 known flow (connection table)", ipip_4in4_known_flow},
};

static void fwd_row(struct fx *x, const void *row)
{
	const struct fwd_row *r = row;

	fx_send_row(x, &r->in);
	fx_expect_fwd(x, r->vip, true);
}

void cases_fwd(const struct lb *lb)
{
	FX_RUN_ROWS(lb, rows, fwd_row);
	fx_run_table(lb, cases, sizeof(cases) / sizeof(cases[0]));
}
