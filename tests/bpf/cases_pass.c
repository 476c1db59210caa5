// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixtures for packets the balancer does not forward: traffic not for a VIP (passed byte for
 * byte, fragments too), malformed IPv4/IPv6 headers, extension-header chains too long to follow,
 * and VIPs without a usable backend.
 */
#include <stddef.h>
#include <linux/bpf.h>
#include "cases.h"

static void pass(struct fx *x, const struct fx_in *in)
{
	fx_send(x, in);
	fx_expect_pass(x);
}

static void drop(struct fx *x, const struct fx_in *in, int reason)
{
	fx_send(x, in);
	fx_expect_drop(x, reason);
}

static void non_vip_tcp4(struct fx *x)
{
	struct fx_in in = fx_tcp(OTHER4, 80);

	pass(x, &in);
}

static void non_vip_udp6(struct fx *x)
{
	struct fx_in in = fx_udp(OTHER6, 53);

	in.nvlan = 1;
	pass(x, &in);
}

static void vip_addr_other_port(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.1", 81);

	pass(x, &in);
}

static void vip_addr_other_proto(struct fx *x)
{
	struct fx_in in = fx_udp("198.18.0.1", 80);

	pass(x, &in);
}

static void vip6_addr_other_port(struct fx *x)
{
	struct fx_in in = fx_tcp("2001:db8:100::1", 8080);

	pass(x, &in);
}

static void any_port_other_proto(struct fx *x)
{
	struct fx_in in = fx_udp("198.18.0.4", 1234);

	pass(x, &in);
}

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

/* An extension-header chain of n headers in front of TCP. */
static void ext_chain(struct fx_in *in, int n)
{
	int i;

	in->ip.n_ext = n;
	for (i = 0; i < n; i++)
		in->ip.ext[i] = i ? EXT_DEST : EXT_HOP;
}

static void ext5_vip(struct fx *x)
{
	struct fx_in in = fx_tcp("2001:db8:100::1", 80);

	ext_chain(&in, 5);
	drop(x, &in, XLB_DROP_MALFORMED);
}

static void ext5_non_vip(struct fx *x)
{
	struct fx_in in = fx_tcp(OTHER6, 80);

	ext_chain(&in, 5);
	pass(x, &in);
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

static void frag4_non_vip(struct fx *x)
{
	struct fx_in in = fx_tcp(OTHER4, 80);

	in.ip.frag = IP_MF;
	pass(x, &in);
}

static void frag6_non_vip(struct fx *x)
{
	struct fx_in in = fx_tcp(OTHER6, 80);

	in.ip.n_ext = 1;
	in.ip.ext[0] = EXT_FRAG;
	in.ip.frag = 1; /* offset 0, more fragments */
	pass(x, &in);
}

static void no_backend(struct fx *x, const char *dst, __u32 vip)
{
	struct fx_in in = fx_tcp(dst, 80);

	drop(x, &in, XLB_DROP_NO_BACKEND);
	x->delta.st.flow_miss++;
	x->delta.vip[vip].packets++;
	x->delta.vip[vip].bytes += x->ip.len;
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
	{ "pass non-vip v4 tcp", non_vip_tcp4 },
	{ "pass non-vip v6 udp one vlan tag", non_vip_udp6 },
	{ "pass vip address, port without vip", vip_addr_other_port },
	{ "pass vip address, protocol without vip", vip_addr_other_proto },
	{ "pass v6 vip address, port without vip", vip6_addr_other_port },
	{ "pass port-0 vip address, other protocol", any_port_other_proto },
	{ "pass arp", arp },
	{ "pass gre to v4 vip address", gre4 },
	{ "pass gre to v6 vip address", gre6 },
	{ "drop ipv6 five extension headers to vip address", ext5_vip },
	{ "pass ipv6 five extension headers to non-vip", ext5_non_vip },
	{ "drop ipv6 extension header cut by payload length", ext_cut_vip },
	{ "pass v4 fragment to non-vip", frag4_non_vip },
	{ "pass v6 fragment to non-vip", frag6_non_vip },
	{ "drop vip without table", no_table },
	{ "drop vip whose slot names an inactive backend", inactive_backend },
};

void cases_pass(const struct lb *lb)
{
	fx_run_table(lb, cases, sizeof(cases) / sizeof(cases[0]));
}
