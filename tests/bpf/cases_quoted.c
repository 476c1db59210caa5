// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixtures for PMTU errors arriving at the balancer: a router's ICMP "fragmentation needed" or
 * ICMPv6 "packet too big" about a packet a backend sent from a VIP goes, whole and
 * encapsulated, to the backend of the flow it quotes; anything else passes.
 */
#include "cases.h"

/* An error from a router about the backend's packet from vip:vport to a new client port. */
static void quoted(struct fx *x, const char *vip, __u8 proto, __u16 vport, __u8 type, __u8 code,
		   __u8 nvlan)
{
	fx_quoted(x, vip, proto, vport, fx_port(), type, code, nvlan);
}

static void expect_icmp_fwd(struct fx *x, __u32 vip_id)
{
	const struct env_vip *v = env_vip(vip_id);

	fx_expect_icmp_fwd(x, v, env_be(v->be), false);
}

static void frag_needed_ipip(struct fx *x)
{
	quoted(x, "198.18.0.1", IPPROTO_TCP, 80, 3, 4, 0);
	expect_icmp_fwd(x, V_TCP4);
}

static void frag_needed_gue(struct fx *x)
{
	quoted(x, "198.18.0.1", IPPROTO_UDP, 53, 3, 4, 1);
	expect_icmp_fwd(x, V_GUE4);
}

static void frag_needed_dr(struct fx *x)
{
	quoted(x, "198.18.0.2", IPPROTO_TCP, 80, 3, 4, 0);
	expect_icmp_fwd(x, V_DR4);
}

static void frag_needed_4in6(struct fx *x)
{
	quoted(x, "198.18.0.3", IPPROTO_TCP, 443, 3, 4, 0);
	expect_icmp_fwd(x, V_4IN6);
}

static void too_big_ipip6(struct fx *x)
{
	quoted(x, "2001:db8:100::1", IPPROTO_TCP, 80, 2, 0, 0);
	expect_icmp_fwd(x, V_TCP6);
}

static void too_big_gue6(struct fx *x)
{
	quoted(x, "2001:db8:100::1", IPPROTO_UDP, 53, 2, 0, 2);
	expect_icmp_fwd(x, V_GUE6);
}

static void too_big_6in4(struct fx *x)
{
	quoted(x, "2001:db8:100::1", IPPROTO_TCP, 443, 2, 0, 0);
	expect_icmp_fwd(x, V_6IN4);
}

static void too_big_dr6(struct fx *x)
{
	quoted(x, "2001:db8:100::2", IPPROTO_TCP, 80, 2, 0, 1);
	expect_icmp_fwd(x, V_DR6);
}

static void frag_needed_not_vip(struct fx *x)
{
	quoted(x, "198.18.0.1", IPPROTO_TCP, 81, 3, 4, 0);
	fx_expect_pass(x);
}

static void too_big_not_vip(struct fx *x)
{
	quoted(x, "2001:db8:100::1", IPPROTO_UDP, 80, 2, 0, 0);
	fx_expect_pass(x);
}

static void host_unreachable(struct fx *x)
{
	quoted(x, "198.18.0.1", IPPROTO_TCP, 80, 3, 1, 0);
	fx_expect_pass(x);
}

static void dest_unreachable6(struct fx *x)
{
	quoted(x, "2001:db8:100::1", IPPROTO_TCP, 80, 1, 4, 0);
	fx_expect_pass(x);
}

/* An error about a VIP flow, but addressed elsewhere (here the router's own subnet). */
static void frag_needed_not_to_vip(struct fx *x)
{
	struct fx_quote q = { .to = "198.18.0.200", .quote = 20 + 8 };

	fx_quoted_as(x, "198.18.0.1", IPPROTO_TCP, 80, fx_port(), 3, 4, 0, &q);
	fx_expect_pass(x);
}

/* An error too big to forward once encapsulated: dropped, never answered with another. */
static void frag_needed_too_big(struct fx *x)
{
	struct fx_quote q = { .to = "198.18.0.1", .quote = 1460 };

	fx_quoted_as(x, "198.18.0.1", IPPROTO_TCP, 80, fx_port(), 3, 4, 0, &q);
	fx_expect_drop(x, XLB_DROP_TOO_BIG);
	x->delta.vip[V_TCP4].packets++;
	x->delta.vip[V_TCP4].bytes += x->ip.len;
	x->delta.st.flow_miss++;
}

static const struct fx_case cases[] = {
	{ "icmp frag needed about a vip flow -> ipip 4in4", frag_needed_ipip },
	{ "icmp frag needed about a vip flow -> gue v4, one vlan tag", frag_needed_gue },
	{ "icmp frag needed about a vip flow -> dr v4", frag_needed_dr },
	{ "icmp frag needed about a vip flow -> ipip 4in6", frag_needed_4in6 },
	{ "icmpv6 too big about a vip flow -> ipip 6in6", too_big_ipip6 },
	{ "icmpv6 too big about a vip flow -> gue v6, two vlan tags", too_big_gue6 },
	{ "icmpv6 too big about a vip flow -> ipip 6in4", too_big_6in4 },
	{ "icmpv6 too big about a vip flow -> dr v6, one vlan tag", too_big_dr6 },
	{ "pass icmp frag needed about a non-vip flow", frag_needed_not_vip },
	{ "pass icmpv6 too big about a non-vip flow", too_big_not_vip },
	{ "pass icmp host unreachable about a vip flow", host_unreachable },
	{ "pass icmpv6 destination unreachable about a vip flow", dest_unreachable6 },
	{ "pass icmp frag needed about a vip flow sent to another address", frag_needed_not_to_vip },
	{ "drop icmp frag needed too big to forward (no error about an error)",
	  frag_needed_too_big },
};

void cases_quoted(const struct lb *lb)
{
	fx_run_table(lb, cases, sizeof(cases) / sizeof(cases[0]));
}
