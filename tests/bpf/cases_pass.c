// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixtures for packets the balancer does not forward: traffic not for a VIP (passed byte for
 * byte, fragments too), malformed IPv4/IPv6 headers, extension-header chains too long to follow,
 * and VIPs without a usable backend.
 */
#include <stddef.h>
#include <linux/bpf.h>
#include "cases.h"

/* A TCP or UDP packet that is passed, or dropped for a reason. */
struct pass_row {
	const char *name;
	struct fx_row in;
	int drop; /* XLB_DROP_*, or PASS */
};

#define PASS	     (-1)
#define EXT5	     .n_ext = 5, .ext = { EXT_HOP, EXT_DEST, EXT_DEST, EXT_DEST, EXT_DEST }
#define V6_FRAGMENT  .n_ext = 1, .ext = { EXT_FRAG }, .frag = 1 /* offset 0, more fragments */

static const struct pass_row rows[] = {
	{ "pass non-vip v4 tcp", FX_TCP(OTHER4, 80), PASS },
	{ "pass non-vip v6 udp one vlan tag", FX_UDP(OTHER6, 53, .nvlan = 1), PASS },
	{ "pass vip address, port without vip", FX_TCP("198.18.0.1", 81), PASS },
	{ "pass vip address, protocol without vip", FX_UDP("198.18.0.1", 80), PASS },
	{ "pass v6 vip address, port without vip", FX_TCP("2001:db8:100::1", 8080), PASS },
	{ "pass port-0 vip address, other protocol", FX_UDP("198.18.0.4", 1234), PASS },
	{ "drop ipv6 five extension headers to vip address",
	  FX_TCP("2001:db8:100::1", 80, EXT5),
	  XLB_DROP_MALFORMED },
	{ "pass ipv6 five extension headers to non-vip", FX_TCP(OTHER6, 80, EXT5), PASS },
	{ "pass v4 fragment to non-vip", FX_TCP(OTHER4, 80, .frag = IP_MF), PASS },
	{ "pass v6 fragment to non-vip", FX_TCP(OTHER6, 80, V6_FRAGMENT), PASS },
};

static void arp(struct fx *x)
{
	static const __u8 req[28] = { 0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 2, 192, 0, 2, 10,
				      0, 0, 0, 0, 0, 0, 10, 0, 0, 1 };
	static const __u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	pkt_eth(&x->in, bcast, PEER_MAC, NULL, 0, 0x0806);
	pkt_put(&x->in, req, sizeof(req));
	pkt_pad(&x->in, 18);
	fx_expect_pass(x);
}

/* GRE (protocol 47) to a VIP address: not a protocol xlb balances. */
static void gre(struct fx *x, const char *dst)
{
	static const __u8 gre_hdr[4] = { 0, 0, 0x08, 0x00 };
	struct fx_in in = fx_tcp(dst, 80);
	struct pkt l4 = {};

	in.ip.proto = 47;
	pkt_put(&l4, gre_hdr, sizeof(gre_hdr));
	pkt_payload(&l4, 40, 3);
	fx_send_ip(x, &in.ip, &l4, 0, 0);
	fx_expect_pass(x);
}

static void gre4(struct fx *x)
{
	gre(x, "198.18.0.1");
}

static void gre6(struct fx *x)
{
	gre(x, "2001:db8:100::1");
}

/* A 16-byte destination-options header of which the payload length leaves only 8 bytes. */
static void ext_cut_vip(struct fx *x)
{
	static const __u8 dest_opts[8] = { IPPROTO_TCP, 1, 1, 4 };
	struct ip_spec s = fx_tcp("2001:db8:100::1", 80).ip;
	struct pkt l4 = {};

	s.proto = EXT_DEST;
	pkt_put(&l4, dest_opts, sizeof(dest_opts));
	fx_send_ip(x, &s, &l4, 0, 0);
	fx_expect_drop(x, XLB_DROP_MALFORMED);
}

static void no_backend(struct fx *x, const char *dst, __u32 vip)
{
	struct fx_in in = fx_tcp(dst, 80);

	fx_send(x, &in);
	fx_expect_drop(x, XLB_DROP_NO_BACKEND);
	fx_count_vip(x, vip, false);
}

static void no_table(struct fx *x)
{
	no_backend(x, "198.18.0.5", V_NOTABLE);
}

static void inactive_backend(struct fx *x)
{
	no_backend(x, "198.18.0.6", V_INACTIVE);
}

static const struct fx_case cases[] = {
	{ "pass arp", arp },
	{ "pass gre to v4 vip address", gre4 },
	{ "pass gre to v6 vip address", gre6 },
	{ "drop ipv6 extension header cut by payload length", ext_cut_vip },
	{ "drop vip without table", no_table },
	{ "drop vip whose slot names an inactive backend", inactive_backend },
};

static void pass_row(struct fx *x, const void *row)
{
	const struct pass_row *r = row;

	fx_send_row(x, &r->in);
	if (r->drop == PASS)
		fx_expect_pass(x);
	else
		fx_expect_drop(x, r->drop);
}

void cases_pass(const struct lb *lb)
{
	FX_RUN_ROWS(lb, rows, pass_row);
	fx_run_table(lb, cases, sizeof(cases) / sizeof(cases[0]));
}
