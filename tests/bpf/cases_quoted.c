// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixtures for PMTU errors arriving at the balancer: a router's ICMP "fragmentation needed" or
 * ICMPv6 "packet too big" about a packet a backend sent from a VIP goes, whole and
 * encapsulated, to the backend of the flow it quotes; anything else passes.
 */
#include "cases.h"

/* A router's error about the backend's packet from vip:vport to a new client port. */
struct quoted_row {
	const char *name;
	const char *vip;
	__u8 proto;
	__u16 vport;
	__u8 type;
	__u8 code;
	__u8 nvlan;
	int to; /* the VIP whose backend gets the error, or PASS */
};

#define PASS (-1)
#define TCP  IPPROTO_TCP
#define UDP  IPPROTO_UDP

static const struct quoted_row rows[] = {
	{ "icmp frag needed about a vip flow -> ipip 4in4",
	  "198.18.0.1", TCP, 80, 3, 4, 0, V_TCP4 },
	{ "icmp frag needed about a vip flow -> gue v4, one vlan tag",
	  "198.18.0.1", UDP, 53, 3, 4, 1, V_GUE4 },
	{ "icmp frag needed about a vip flow -> dr v4", "198.18.0.2", TCP, 80, 3, 4, 0, V_DR4 },
	{ "icmp frag needed about a vip flow -> ipip 4in6",
	  "198.18.0.3", TCP, 443, 3, 4, 0, V_4IN6 },
	{ "icmpv6 too big about a vip flow -> ipip 6in6",
	  "2001:db8:100::1", TCP, 80, 2, 0, 0, V_TCP6 },
	{ "icmpv6 too big about a vip flow -> gue v6, two vlan tags",
	  "2001:db8:100::1", UDP, 53, 2, 0, 2, V_GUE6 },
	{ "icmpv6 too big about a vip flow -> ipip 6in4",
	  "2001:db8:100::1", TCP, 443, 2, 0, 0, V_6IN4 },
	{ "icmpv6 too big about a vip flow -> dr v6, one vlan tag",
	  "2001:db8:100::2", TCP, 80, 2, 0, 1, V_DR6 },
	{ "pass icmp frag needed about a non-vip flow", "198.18.0.1", TCP, 81, 3, 4, 0, PASS },
	{ "pass icmpv6 too big about a non-vip flow", "2001:db8:100::1", UDP, 80, 2, 0, 0, PASS },
	{ "pass icmp host unreachable about a vip flow", "198.18.0.1", TCP, 80, 3, 1, 0, PASS },
	{ "pass icmpv6 destination unreachable about a vip flow",
	  "2001:db8:100::1", TCP, 80, 1, 4, 0, PASS },
};

static void quoted_row(struct fx *x, const void *row)
{
	const struct quoted_row *r = row;
	const struct env_vip *v = env_vip(r->to);

	fx_quoted(x, r->vip, r->proto, r->vport, fx_port(), r->type, r->code, r->nvlan);
	if (v)
		fx_expect_icmp_fwd(x, v, env_be(v->be), false);
	else
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
	fx_count_vip(x, V_TCP4, false);
}

static const struct fx_case cases[] = {
	{ "pass icmp frag needed about a vip flow sent to another address",
	  frag_needed_not_to_vip },
	{ "drop icmp frag needed too big to forward (no error about an error)",
	  frag_needed_too_big },
};

void cases_quoted(const struct lb *lb)
{
	FX_RUN_ROWS(lb, rows, quoted_row);
	fx_run_table(lb, cases, sizeof(cases) / sizeof(cases[0]));
}
