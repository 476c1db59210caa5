// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixtures for the ICMP the balancer writes itself: echo replies for VIP addresses, and
 * "fragmentation needed" / "packet too big" when a packet would exceed the MTU once
 * encapsulated (or a drop when IPv4 allows fragmenting), for every mode and family.
 */
#include <linux/bpf.h>
#include "cases.h"

#define TCP IPPROTO_TCP
#define UDP IPPROTO_UDP

/* Echo requests: answered in place when dst has an address entry, passed otherwise. */
struct echo_row {
	const char *name;
	const char *dst;
	__u8 nvlan, opt_words;
	bool answered;
};

/* An echo request from the client to dst; answered in place when dst has an address entry. */
static void echo(struct fx *x, const void *row)
{
	const struct echo_row *r = row;
	const char *dst = r->dst;
	struct ip_spec s = { .family = env_family(dst), .tos = 0x10, .ttl = 57, .id = 0x4321,
			     .opt_words = r->opt_words, .flow = 0xabcde };
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
	fx_send_ip(x, &s, &l4, r->nvlan, 0);
	if (r->answered)
		fx_expect_echo(x, &s, &l4);
	else
		fx_expect_pass(x);
}

/* An echo reply (type 0) sent to a VIP address is nothing xlb answers or forwards. */
static void echo_reply_to_vip(struct fx *x)
{
	static const struct echo_row r = { .dst = "198.18.0.1" };

	echo(x, &r);
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

/* Rebuilds x as the same big packet behind nvlan tags. */
static void with_vlans(struct fx *x, __u8 nvlan)
{
	static struct pkt ip;

	ip = x->ip;
	fx_frame(&x->in, LB_MAC, PEER_MAC, nvlan, x->key.family);
	pkt_put(&x->in, ip.b, ip.len);
	x->nvlan = nvlan;
}

/* Without DF an IPv4 packet could be fragmented: xlb does not, it drops and counts. */
static void expect_no_df_drop(struct fx *x, __u32 vip)
{
	x->in.b[14 + 6] = 0; /* frag_off: DF cleared; the header checksum is not xlb's concern */
	fx_expect_drop(x, XLB_DROP_TOO_BIG);
	fx_count_new_flow(x, vip, env_vip(vip)->be);
}

static const struct echo_row echoes[] = {
	{ "echo v4 to vip address", "198.18.0.1", 0, 0, true },
	{ "echo v4 with options, two vlan tags", "198.18.0.2", 2, 3, true },
	{ "echo v4 to a port-0 vip's address", "198.18.0.4", 0, 0, true },
	{ "echo v6 to vip address", "2001:db8:100::1", 0, 0, true },
	{ "echo v6 one vlan tag", "2001:db8:100::2", 1, 0, true },
	{ "pass echo v4 to non-vip", OTHER4, 0, 0, false },
	{ "pass echo v6 to non-vip", OTHER6, 1, 0, false },
};

/* Packets of IP length len over the MTU once encapsulated: the error names mtu. */
static const struct big_row {
	const char *name;
	const char *dst;
	__u8 proto;
	__u16 dport;
	__u32 len;
	__u8 nvlan;
	__u32 vip;
	__u32 mtu; /* 0: sent without DF, so dropped and counted */
} bigs[] = {
	{ "too big ipip 4in4: frag needed 1480", "198.18.0.1", TCP, 80, 1481, 0, V_TCP4, 1480 },
	{ "too big gue v4: frag needed 1472", "198.18.0.1", UDP, 53, 1473, 0, V_GUE4, 1472 },
	{ "too big ipip 6in6: packet too big 1460",
	  "2001:db8:100::1", TCP, 80, 1461, 0, V_TCP6, 1460 },
	{ "too big gue v6: packet too big 1452",
	  "2001:db8:100::1", UDP, 53, 1453, 0, V_GUE6, 1452 },
	{ "too big ipip 4in6: frag needed 1460", "198.18.0.3", TCP, 443, 1461, 0, V_4IN6, 1460 },
	{ "too big ipip 6in4: packet too big 1480",
	  "2001:db8:100::1", TCP, 443, 1481, 0, V_6IN4, 1480 },
	{ "too big gue 4in6: frag needed 1452", "198.18.0.3", UDP, 53, 1453, 0, V_GUE4IN6, 1452 },
	{ "too big ipip 4in4, two vlan tags", "198.18.0.1", TCP, 80, 1500, 2, V_TCP4, 1480 },
	{ "too big ipip 6in6, one vlan tag", "2001:db8:100::1", TCP, 80, 1500, 1, V_TCP6, 1460 },
	{ "drop too big ipip 4in4 without DF", "198.18.0.1", TCP, 80, 1481, 0, V_TCP4, 0 },
	{ "drop too big ipip 4in6 without DF", "198.18.0.3", TCP, 443, 1481, 0, V_4IN6, 0 },
};

static void big_row(struct fx *x, const void *row)
{
	const struct big_row *r = row;

	big(x, r->dst, r->proto, r->dport, r->len);
	if (r->nvlan)
		with_vlans(x, r->nvlan);
	if (r->mtu)
		fx_expect_too_big(x, r->vip, env_vip(r->vip)->be, r->mtu);
	else
		expect_no_df_drop(x, r->vip);
}

static const struct fx_case cases[] = {
	{ "pass echo reply to vip address", echo_reply_to_vip },
};

void cases_icmp(const struct lb *lb)
{
	FX_RUN_ROWS(lb, echoes, echo);
	fx_run_table(lb, cases, sizeof(cases) / sizeof(cases[0]));
	FX_RUN_ROWS(lb, bigs, big_row);
}
