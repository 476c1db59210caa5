// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixtures for fragments sent to a VIP: a datagram's first, middle and last fragments in every
 * mode and family, a later fragment before its first, the same identification from two
 * sources, impossible offsets and lengths, fragments that go up, and the too-big rules.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>
#include "cases.h"

#define ACT XLB_BE_F_ACTIVE

/* A datagram in fragments from src to dst:dport, with an identification no other used. */
static struct fx_in dgram(const char *src, const char *dst, __u8 proto, __u16 dport)
{
	static __u16 next_id = 0x5100;

	return fx_dgram(fx_flow(src, dst, proto, dport), next_id++);
}

static struct fx_in dgram_to(const char *dst, __u8 proto, __u16 dport)
{
	return dgram(env_family(dst) == XLB_FAM_V4 ? CLIENT4 : CLIENT6, dst, proto, dport);
}

/* Starts case "frag v4 what" (or v6, d's family). */
static void start(struct fx *x, const struct fx_in *d, const char *what)
{
	char name[128];

	snprintf(name, sizeof(name), "frag v%c %s", d->ip.family == XLB_FAM_V4 ? '4' : '6',
		 what);
	fx_start(x, name);
}

/* x, a later fragment, goes where its first went: no connection-table lookup is counted. */
static void expect_follow(struct fx *x, const struct env_vip *v, const struct env_be *b)
{
	fx_encap_frame(x, v, b);
	fx_count_fwd(x, v->id, b->id, false);
	x->delta.st.flow_hit = 0;
}

/* First, middle and last fragment of a datagram to fixture VIP vip_id, checked in turn. */
static void datagram(const struct lb *lb, const char *name, __u32 vip_id, __u8 proto)
{
	const struct env_vip *v = env_vip(vip_id);
	struct fx_in d = dgram_to(v->addr, proto, v->port);
	static struct fx x;
	char what[128];
	int k;

	d.paylen = proto == IPPROTO_TCP ? 28 : 40;
	for (k = 0; k < 3; k++) {
		snprintf(what, sizeof(what), "frag %s: %s", name, FX_FRAG_WHAT[k]);
		fx_start(&x, what);
		fx_send_frag(&x, &d, k);
		if (k == 0)
			fx_expect_fwd(&x, vip_id, true);
		else
			expect_follow(&x, v, env_be(v->be));
		fx_check(lb, &x);
	}
}

static void every_mode(const struct lb *lb)
{
	datagram(lb, "ipip 4in4", V_TCP4, IPPROTO_TCP);
	datagram(lb, "gue v4", V_GUE4, IPPROTO_UDP);
	datagram(lb, "dr v4", V_DR4, IPPROTO_TCP);
	datagram(lb, "ipip 6in6", V_TCP6, IPPROTO_TCP);
	datagram(lb, "gue v6", V_GUE6, IPPROTO_UDP);
	datagram(lb, "dr v6", V_DR6, IPPROTO_TCP);
	datagram(lb, "ipip 4in6", V_4IN6, IPPROTO_TCP);
	datagram(lb, "ipip 6in4", V_6IN4, IPPROTO_TCP);
	datagram(lb, "gue 4in6", V_GUE4IN6, IPPROTO_UDP);
}

/* A later fragment before its first is dropped and counted; after the first it follows. */
static void out_of_order(const struct lb *lb, const char *dst)
{
	struct fx_in d = dgram_to(dst, IPPROTO_UDP, 53);
	__u32 vip_id = env_family(dst) == XLB_FAM_V4 ? V_GUE4 : V_GUE6;
	static struct fx x;

	start(&x, &d, "out of order: last before first dropped as orphan");
	fx_send_later(&x, &d, 48, 8, false);
	fx_expect_drop(&x, XLB_DROP_FRAGMENT_ORPHAN);
	fx_check(lb, &x);
	start(&x, &d, "out of order: then the first is forwarded");
	fx_send_first(&x, &d, 40);
	fx_expect_fwd(&x, vip_id, true);
	fx_check(lb, &x);
	start(&x, &d, "out of order: a later one after it follows");
	fx_send_later(&x, &d, 48, 8, false);
	expect_follow(&x, env_vip(vip_id), env_be(env_vip(vip_id)->be));
	fx_check(lb, &x);
}

/* Two backends, and a VIP whose table names one then the other. */
static const struct env_vip src_vip4 = {18,	      "198.18.0.10",	53, IPPROTO_UDP,
					XLB_FWD_IPIP, XLB_SCHED_MAGLEV, 0,  24};
static const struct env_vip src_vip6 = {19,	      "2001:db8:100::10", 53, IPPROTO_UDP,
					XLB_FWD_IPIP, XLB_SCHED_MAGLEV,	  0,  26};
static const struct env_be src_be[4] = {
    {24, "198.19.0.24", ACT, 1, 18},
    {25, "198.19.0.25", ACT, 1, 18},
    {26, "2001:db8:200::26", ACT, 1, 19},
    {27, "2001:db8:200::27", ACT, 1, 19},
};

static void send_frag(const struct lb *lb, const char *name, const struct fx_in *d, bool first,
		      const struct env_vip *v, const struct env_be *b)
{
	static struct fx x;
	char what[96];

	snprintf(what, sizeof(what), "sources: %s", name);
	start(&x, d, what);
	if (first) {
		fx_send_first(&x, d, 40);
		fx_encap_frame(&x, v, b);
		fx_count_fwd(&x, v->id, b->id, true);
	} else {
		fx_send_later(&x, d, 48, 16, false);
		expect_follow(&x, v, b);
	}
	fx_check(lb, &x);
}

/* A later fragment whose first's backend was replaced since (a new gen) is dropped. */
static void gone_since(const struct lb *lb, const struct fx_in *d, const struct env_be *a)
{
	struct env_be again = *a;
	static struct fx x;

	start(&x, d, "backend of the first replaced");
	again.gen++;
	if (env_put_be(lb, &again))
		report(x.name, "map update failed");
	fx_send_later(&x, d, 64, 16, false);
	fx_expect_drop(&x, XLB_DROP_NO_BACKEND);
	fx_check(lb, &x);
}

/*
 * The same identification, protocol and destination from two sources: each datagram's
 * later fragments follow its own first, though the table changed between the two firsts;
 * not once the first's backend is replaced.
 */
static void two_sources(const struct lb *lb, const struct env_vip *v, const struct env_be *a,
			const struct env_be *b, const char *src2)
{
	const char *src1 = v == &src_vip4 ? CLIENT4 : CLIENT6;
	struct fx_in d1 = dgram(src1, v->addr, IPPROTO_UDP, v->port);
	struct fx_in d2 = dgram(src2, v->addr, IPPROTO_UDP, v->port);

	d2.ip.id = d1.ip.id;
	if (env_put_be(lb, a) || env_put_be(lb, b) || env_put_vip(lb, v) ||
	    env_fill_table(lb, v->id, a->id, FX_TABLE)) {
		report("frag sources: setup", "map update failed");
		return;
	}
	send_frag(lb, "first of source 1 -> table's backend", &d1, true, v, a);
	if (env_fill_table(lb, v->id, b->id, FX_TABLE))
		report("frag sources: table swap", "map update failed");
	send_frag(lb, "first of source 2, same id -> new table's", &d2, true, v, b);
	send_frag(lb, "last of source 1 follows its first", &d1, false, v, a);
	send_frag(lb, "last of source 2 follows its own", &d2, false, v, b);
	gone_since(lb, &d1, a);
}

/* A fragment of len data bytes at off (more to come or not) to a VIP: impossible, dropped. */
static const struct bad_row {
	const char *name;
	const char *dst;
	__u32 off, len;
	bool more;
} bads[] = {
	{ "drop frag v4 reaching past 65535 bytes", "198.18.0.1", 65528, 16, false },
	{ "drop frag v6 reaching past 65535 bytes", "2001:db8:100::1", 65528, 16, false },
	{ "drop frag v4 not last, 12 bytes", "198.18.0.1", 48, 12, true },
	{ "drop frag v6 not last, 12 bytes", "2001:db8:100::1", 48, 12, true },
	{ "drop frag v4 not last, empty", "198.18.0.1", 48, 0, true },
	/* A first fragment of 8 bytes cannot hold the TCP header, nor its ports and flags. */
	{ "drop frag v4 first too short for the tcp header", "198.18.0.1", 0, 8, true },
	{ "drop frag v6 first too short for the tcp header", "2001:db8:100::1", 0, 8, true },
};

static void bad(struct fx *x, const void *row)
{
	const struct bad_row *r = row;
	struct fx_in d = dgram_to(r->dst, IPPROTO_TCP, 80);

	fx_send_later(x, &d, r->off, r->len, r->more);
	fx_expect_drop(x, XLB_DROP_FRAGMENT);
}

/* A first fragment after a hop-by-hop header is balanced as any first fragment. */
static void first_after_hop_v6(struct fx *x)
{
	struct fx_in d = dgram_to("2001:db8:100::1", IPPROTO_UDP, 53);

	d.ip.n_ext = 2;
	d.ip.ext[0] = EXT_HOP;
	d.ip.ext[1] = EXT_FRAG;
	fx_send_first(x, &d, 40);
	fx_expect_fwd(x, V_GUE6, true);
}

/* An IPv6 fragment at offset 0 with no more to come is a whole datagram (RFC 6946). */
static void atomic_v6(struct fx *x)
{
	struct fx_in d = dgram_to("2001:db8:100::1", IPPROTO_UDP, 53);

	d.ip.frag = 0;
	fx_send(x, &d);
	fx_expect_fwd(x, V_GUE6, true);
}

/* DF is clear on IPv4 fragments: one too big once encapsulated is dropped and counted. */
static void too_big_v4(struct fx *x)
{
	struct fx_in d = dgram_to("198.18.0.1", IPPROTO_TCP, 80);

	fx_send_first(x, &d, 1460);
	fx_expect_drop(x, XLB_DROP_TOO_BIG);
	fx_count_new_flow(x, V_TCP4, env_vip(V_TCP4)->be);
}

/* An IPv6 fragment too big once encapsulated gets "packet too big", as any packet. */
static void too_big_v6(struct fx *x)
{
	struct fx_in d = dgram_to("2001:db8:100::1", IPPROTO_TCP, 80);

	fx_send_first(x, &d, 1412);
	fx_expect_too_big(x, V_TCP6, env_vip(V_TCP6)->be, 1460);
}

static const struct fx_case cases[] = {
    {"fwd frag v6 first after hop-by-hop", first_after_hop_v6},
    {"fwd frag v6 atomic fragment", atomic_v6},
    {"drop frag v4 first too big for ipip (no df)", too_big_v4},
    {"too big frag v6 first ipip 6in6: packet too big 1460", too_big_v6},
};

/*
 * A later fragment of len bytes too big once encapsulated, after its first went to VIP
 * vip_id's backend: dropped and counted for IPv4 (fragments carry no DF), answered with
 * "packet too big" for IPv6 (mtu), as a first fragment is. It counts for its VIP, as every
 * later fragment does, and no flow is looked up.
 */
static void later_too_big(const struct lb *lb, __u32 vip_id, __u32 len, __u32 mtu)
{
	const struct env_vip *v = env_vip(vip_id);
	struct fx_in d = dgram_to(v->addr, v->proto, v->port);
	static struct fx x;

	start(&x, &d, "later too big: the first is forwarded");
	fx_send_first(&x, &d, 40);
	fx_expect_fwd(&x, vip_id, true);
	fx_check(lb, &x);
	start(&x, &d, mtu ? "later too big: packet too big" : "later too big: dropped, no DF");
	fx_send_later(&x, &d, 48, len, false);
	if (mtu) {
		fx_expect_too_big(&x, vip_id, 0, mtu);
		x.delta.st.flow_miss = 0;
		x.delta.vip[vip_id].new_flows = 0;
	} else {
		fx_expect_drop(&x, XLB_DROP_TOO_BIG);
		fx_count_vip(&x, vip_id, false);
		x.delta.st.flow_miss = 0;
	}
	fx_check(lb, &x);
}

/* A first fragment to a VIP address on a port without a VIP goes up, and so do its later. */
static void goes_up(const struct lb *lb, const char *dst)
{
	struct fx_in d = dgram_to(dst, IPPROTO_UDP, 9999);
	static struct fx x;

	start(&x, &d, "to a port without vip: first goes up");
	fx_send_first(&x, &d, 40);
	fx_expect_pass(&x);
	fx_check(lb, &x);
	start(&x, &d, "to a port without vip: last goes up after it");
	fx_send_later(&x, &d, 48, 8, false);
	fx_expect_pass(&x);
	fx_check(lb, &x);
}

void cases_frag(const struct lb *lb)
{
	every_mode(lb);
	out_of_order(lb, "198.18.0.1");
	out_of_order(lb, "2001:db8:100::1");
	two_sources(lb, &src_vip4, &src_be[0], &src_be[1], "192.0.2.11");
	two_sources(lb, &src_vip6, &src_be[2], &src_be[3], "2001:db8:1::11");
	goes_up(lb, "198.18.0.1");
	goes_up(lb, "2001:db8:100::1");
	later_too_big(lb, V_GUE4, 1456, 0);
	later_too_big(lb, V_GUE6, 1408, 1452);
	FX_RUN_ROWS(lb, bads, bad);
	fx_run_table(lb, cases, sizeof(cases) / sizeof(cases[0]));
}
