// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixtures for the ICMP the balancer writes itself: echo replies for VIP addresses, and
 * "fragmentation needed" / "packet too big" when a packet would exceed the MTU once
 * encapsulated (or a drop when IPv4 allows fragmenting), for every mode and family.
 */
#include <linux/bpf.h>
#include "cases.h"

/* An echo request from the client to dst; answered in place when dst has an address entry. */
static void echo(struct fx *x, const char *dst, __u8 nvlan, __u8 opt_words, bool answered)
{
	struct ip_spec s = { .family = env_family(dst), .tos = 0x10, .ttl = 57, .id = 0x4321,
			     .opt_words = opt_words, .flow = 0xabcde };
	__u8 v4 = s.family == XLB_FAM_V4;
	static struct pkt l4, data;

	s.proto = v4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	s.frag = v4 ? IP_DF : 0;
	addr_parse(s.src, v4 ? CLIENT4 : CLIENT6);
	addr_parse(s.dst, dst);
	data.len = 0;
	pkt_payload(&data, 56, 0x61);
	l4.len = 0;
	pkt_icmp(&l4, v4 ? 8 : 128, 0, 0x0abc0001, data.b, data.len);
	fx_send_ip(x, &s, &l4, nvlan, 0);
	if (answered)
		fx_expect_echo(x, &s, &l4);
	else
		fx_expect_pass(x);
}

static void echo4(struct fx *x)
{
	echo(x, "198.18.0.1", 0, 0, true);
}

static void echo4_options_vlan2(struct fx *x)
{
	echo(x, "198.18.0.2", 2, 3, true);
}

static void echo4_any_port_addr(struct fx *x)
{
	echo(x, "198.18.0.4", 0, 0, true);
}

static void echo6(struct fx *x)
{
	echo(x, "2001:db8:100::1", 0, 0, true);
}

static void echo6_vlan1(struct fx *x)
{
	echo(x, "2001:db8:100::2", 1, 0, true);
}

static void echo4_non_vip(struct fx *x)
{
	echo(x, OTHER4, 0, 0, false);
}

static void echo6_non_vip(struct fx *x)
{
	echo(x, OTHER6, 1, 0, false);
}

/* An echo reply (type 0) sent to a VIP address is nothing xlb answers or forwards. */
static void echo_reply_to_vip(struct fx *x)
{
	echo(x, "198.18.0.1", 0, 0, false);
	x->in.b[14 + 20] = 0;
	x->out = x->in;
}

/* A packet to dst:dport whose IP length is len. */
static void big(struct fx *x, const char *dst, __u8 proto, __u16 dport, __u32 len)
{
	struct fx_in in = fx_flow(env_family(dst) == XLB_FAM_V4 ? CLIENT4 : CLIENT6, dst, proto,
				  dport);
	__u32 hdrs = (in.ip.family == XLB_FAM_V4 ? 20 : 40) + (proto == IPPROTO_TCP ? 20 : 8);

	in.paylen = len - hdrs;
	in.ip.tos = 0x88;
	fx_send(x, &in);
}

static void too_big_4in4(struct fx *x)
{
	big(x, "198.18.0.1", IPPROTO_TCP, 80, 1481);
	fx_expect_too_big(x, V_TCP4, 1480);
}

static void too_big_gue4(struct fx *x)
{
	big(x, "198.18.0.1", IPPROTO_UDP, 53, 1473);
	fx_expect_too_big(x, V_GUE4, 1472);
}

static void too_big_6in6(struct fx *x)
{
	big(x, "2001:db8:100::1", IPPROTO_TCP, 80, 1461);
	fx_expect_too_big(x, V_TCP6, 1460);
}

static void too_big_gue6(struct fx *x)
{
	big(x, "2001:db8:100::1", IPPROTO_UDP, 53, 1453);
	fx_expect_too_big(x, V_GUE6, 1452);
}

static void too_big_4in6(struct fx *x)
{
	big(x, "198.18.0.3", IPPROTO_TCP, 443, 1461);
	fx_expect_too_big(x, V_4IN6, 1460);
}

static void too_big_6in4(struct fx *x)
{
	big(x, "2001:db8:100::1", IPPROTO_TCP, 443, 1481);
	fx_expect_too_big(x, V_6IN4, 1480);
}

static void too_big_gue4in6(struct fx *x)
{
	big(x, "198.18.0.3", IPPROTO_UDP, 53, 1453);
	fx_expect_too_big(x, V_GUE4IN6, 1452);
}

/* Rebuilds x as the same big packet behind nvlan tags. */
static void with_vlans(struct fx *x, __u8 nvlan)
{
	static struct pkt ip;

	ip = x->ip;
	fx_frame(&x->in, LB_MAC, PEER_MAC, nvlan, x->key.family);
	pkt_put(&x->in, ip.b, ip.len);
	x->nvlan = nvlan;
}

static void too_big_4in4_vlan2(struct fx *x)
{
	big(x, "198.18.0.1", IPPROTO_TCP, 80, 1500);
	with_vlans(x, 2);
	fx_expect_too_big(x, V_TCP4, 1480);
}

static void too_big_6in6_vlan1(struct fx *x)
{
	big(x, "2001:db8:100::1", IPPROTO_TCP, 80, 1500);
	with_vlans(x, 1);
	fx_expect_too_big(x, V_TCP6, 1460);
}

/* Without DF an IPv4 packet could be fragmented: xlb does not, it drops and counts. */
static void no_df(struct fx *x, const char *dst, __u16 dport, __u32 vip)
{
	big(x, dst, IPPROTO_TCP, dport, 1481);
	x->in.b[14 + 6] = 0; /* frag_off: DF cleared; the header checksum is not xlb's concern */
	fx_expect_drop(x, XLB_DROP_TOO_BIG);
	x->delta.st.flow_miss++;
	x->delta.vip[vip].packets++;
	x->delta.vip[vip].bytes += x->ip.len;
	x->delta.vip[vip].new_flows++;
}

static void too_big_4in4_no_df(struct fx *x)
{
	no_df(x, "198.18.0.1", 80, V_TCP4);
}

static void too_big_4in6_no_df(struct fx *x)
{
	no_df(x, "198.18.0.3", 443, V_4IN6);
}

static const struct fx_case cases[] = {
	{ "echo v4 to vip address", echo4 },
	{ "echo v4 with options, two vlan tags", echo4_options_vlan2 },
	{ "echo v4 to a port-0 vip's address", echo4_any_port_addr },
	{ "echo v6 to vip address", echo6 },
	{ "echo v6 one vlan tag", echo6_vlan1 },
	{ "pass echo v4 to non-vip", echo4_non_vip },
	{ "pass echo v6 to non-vip", echo6_non_vip },
	{ "pass echo reply to vip address", echo_reply_to_vip },
	{ "too big ipip 4in4: frag needed 1480", too_big_4in4 },
	{ "too big gue v4: frag needed 1472", too_big_gue4 },
	{ "too big ipip 6in6: packet too big 1460", too_big_6in6 },
	{ "too big gue v6: packet too big 1452", too_big_gue6 },
	{ "too big ipip 4in6: frag needed 1460", too_big_4in6 },
	{ "too big ipip 6in4: packet too big 1480", too_big_6in4 },
	{ "too big gue 4in6: frag needed 1452", too_big_gue4in6 },
	{ "too big ipip 4in4, two vlan tags", too_big_4in4_vlan2 },
	{ "too big ipip 6in6, one vlan tag", too_big_6in6_vlan1 },
	{ "drop too big ipip 4in4 without DF", too_big_4in4_no_df },
	{ "drop too big ipip 4in6 without DF", too_big_4in6_no_df },
};

void cases_icmp(const struct lb *lb)
{
	fx_run_table(lb, cases, sizeof(cases) / sizeof(cases[0]));
}
