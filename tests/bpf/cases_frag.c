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

/* A datagram in fragments: its flow (ports in the first), identification, source. */
struct dgram {
	struct fx_in in;
	__u16 id;
};

static struct dgram dgram(const char *src, const char *dst, __u8 proto, __u16 dport)
{
	static __u16 next_id = 0x5100;
	struct dgram d = {.in = fx_flow(src, dst, proto, dport), .id = next_id++};

	d.in.ip.frag = 0;
	d.in.ip.id = d.id;
	if (d.in.ip.family == XLB_FAM_V6) {
		d.in.ip.n_ext = 1;
		d.in.ip.ext[0] = EXT_FRAG;
	}
	return d;
}

static struct dgram dgram_to(const char *dst, __u8 proto, __u16 dport)
{
	return dgram(env_family(dst) == XLB_FAM_V4 ? CLIENT4 : CLIENT6, dst, proto, dport);
}

/* Its fragment field: offset in bytes, more to come, in the family's layout. */
static __u16 frag_field(const struct dgram *d, __u32 off, bool more)
{
	if (d->in.ip.family == XLB_FAM_V4)
		return off / 8 | (more ? IP_MF : 0);
	return off | more;
}

/* Starts case "frag v4 what" (or v6, d's family). */
static void start(struct fx *x, const struct dgram *d, const char *what)
{
	char name[128];

	snprintf(name, sizeof(name), "frag v%c %s", d->in.ip.family == XLB_FAM_V4 ? '4' : '6',
		 what);
	fx_start(x, name);
}

/* The first fragment: the L4 header and paylen bytes, more to come. */
static void send_first(struct fx *x, const struct dgram *d, __u32 paylen)
{
	struct fx_in in = d->in;

	in.paylen = paylen;
	in.ip.frag = frag_field(d, 0, true);
	fx_send(x, &in);
}

/* A later fragment: len bytes of data at offset off; the flow's ports go into x->key. */
static void send_later(struct fx *x, const struct dgram *d, __u32 off, __u32 len, bool more)
{
	struct ip_spec s = d->in.ip;
	static struct pkt data;

	s.frag = frag_field(d, off, more);
	s.raw = 1;
	data.len = 0;
	pkt_payload(&data, len, off);
	fx_send_ip(x, &s, &data, 0, 0);
	x->key.sport = htons(d->in.sport);
	x->key.dport = htons(d->in.dport);
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
	struct dgram d = dgram_to(v->addr, proto, v->port);
	static struct fx x;
	char what[128];

	snprintf(what, sizeof(what), "frag %s: first fragment", name);
	fx_start(&x, what);
	send_first(&x, &d, proto == IPPROTO_TCP ? 28 : 40);
	fx_expect_fwd(&x, vip_id, true);
	fx_check(lb, &x);
	snprintf(what, sizeof(what), "frag %s: middle fragment follows", name);
	fx_start(&x, what);
	send_later(&x, &d, 48, 64, true);
	expect_follow(&x, v, env_be(v->be));
	fx_check(lb, &x);
	snprintf(what, sizeof(what), "frag %s: last fragment follows", name);
	fx_start(&x, what);
	send_later(&x, &d, 112, 21, false);
	expect_follow(&x, v, env_be(v->be));
	fx_check(lb, &x);
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
	struct dgram d = dgram_to(dst, IPPROTO_UDP, 53);
	__u32 vip_id = env_family(dst) == XLB_FAM_V4 ? V_GUE4 : V_GUE6;
	static struct fx x;

	start(&x, &d, "out of order: last before first dropped as orphan");
	send_later(&x, &d, 48, 8, false);
	fx_expect_drop(&x, XLB_DROP_FRAGMENT_ORPHAN);
	fx_check(lb, &x);
	start(&x, &d, "out of order: then the first is forwarded");
	send_first(&x, &d, 40);
	fx_expect_fwd(&x, vip_id, true);
	fx_check(lb, &x);
	start(&x, &d, "out of order: a later one after it follows");
	send_later(&x, &d, 48, 8, false);
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

static void send_frag(const struct lb *lb, const char *name, const struct dgram *d, bool first,
		      const struct env_vip *v, const struct env_be *b)
{
	static struct fx x;
	char what[96];

	snprintf(what, sizeof(what), "sources: %s", name);
	start(&x, d, what);
	if (first) {
		send_first(&x, d, 40);
		fx_encap_frame(&x, v, b);
		fx_count_fwd(&x, v->id, b->id, true);
	} else {
		send_later(&x, d, 48, 16, false);
		expect_follow(&x, v, b);
	}
	fx_check(lb, &x);
}

/* A later fragment whose first's backend was replaced since (a new gen) is dropped. */
static void gone_since(const struct lb *lb, const struct dgram *d, const struct env_be *a)
{
	struct env_be again = *a;
	static struct fx x;

	start(&x, d, "backend of the first replaced");
	again.gen++;
	if (env_put_be(lb, &again))
		report(x.name, "map update failed");
	send_later(&x, d, 64, 16, false);
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
	struct dgram d1 = dgram(src1, v->addr, IPPROTO_UDP, v->port);
	struct dgram d2 = dgram(src2, v->addr, IPPROTO_UDP, v->port);

	d2.id = d1.id;
	d2.in.ip.id = d1.id;
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
static void bad(struct fx *x, const char *dst, __u32 off, __u32 len, bool more)
{
	struct dgram d = dgram_to(dst, IPPROTO_TCP, 80);

	send_later(x, &d, off, len, more);
	fx_expect_drop(x, XLB_DROP_FRAGMENT);
}

static void past_64k_v4(struct fx *x)
{
	bad(x, "198.18.0.1", 65528, 16, false);
}

static void past_64k_v6(struct fx *x)
{
	bad(x, "2001:db8:100::1", 65528, 16, false);
}

static void not_eights_v4(struct fx *x)
{
	bad(x, "198.18.0.1", 48, 12, true);
}

static void not_eights_v6(struct fx *x)
{
	bad(x, "2001:db8:100::1", 48, 12, true);
}

static void empty_v4(struct fx *x)
{
	bad(x, "198.18.0.1", 48, 0, true);
}

/* A first fragment of 8 bytes cannot hold the TCP header, nor its ports and flags. */
static void short_first_v4(struct fx *x)
{
	bad(x, "198.18.0.1", 0, 8, true);
}

static void short_first_v6(struct fx *x)
{
	bad(x, "2001:db8:100::1", 0, 8, true);
}

/* A first fragment after a hop-by-hop header is balanced as any first fragment. */
static void first_after_hop_v6(struct fx *x)
{
	struct dgram d = dgram_to("2001:db8:100::1", IPPROTO_UDP, 53);

	d.in.ip.n_ext = 2;
	d.in.ip.ext[0] = EXT_HOP;
	d.in.ip.ext[1] = EXT_FRAG;
	send_first(x, &d, 40);
	fx_expect_fwd(x, V_GUE6, true);
}

/* An IPv6 fragment at offset 0 with no more to come is a whole datagram (RFC 6946). */
static void atomic_v6(struct fx *x)
{
	struct dgram d = dgram_to("2001:db8:100::1", IPPROTO_UDP, 53);

	d.in.ip.frag = 0;
	fx_send(x, &d.in);
	fx_expect_fwd(x, V_GUE6, true);
}

/* DF is clear on IPv4 fragments: one too big once encapsulated is dropped and counted. */
static void too_big_v4(struct fx *x)
{
	struct dgram d = dgram_to("198.18.0.1", IPPROTO_TCP, 80);

	send_first(x, &d, 1460);
	fx_expect_drop(x, XLB_DROP_TOO_BIG);
	x->delta.st.flow_miss++;
	x->delta.vip[V_TCP4].packets++;
	x->delta.vip[V_TCP4].bytes += x->ip.len;
	x->delta.vip[V_TCP4].new_flows++;
	x->delta.be[env_vip(V_TCP4)->be].new_flows++;
}

/* An IPv6 fragment too big once encapsulated gets "packet too big", as any packet. */
static void too_big_v6(struct fx *x)
{
	struct dgram d = dgram_to("2001:db8:100::1", IPPROTO_TCP, 80);

	send_first(x, &d, 1412);
	fx_expect_too_big(x, V_TCP6, env_vip(V_TCP6)->be, 1460);
}

static const struct fx_case cases[] = {
    {"drop frag v4 reaching past 65535 bytes", past_64k_v4},
    {"drop frag v6 reaching past 65535 bytes", past_64k_v6},
    {"drop frag v4 not last, 12 bytes", not_eights_v4},
    {"drop frag v6 not last, 12 bytes", not_eights_v6},
    {"drop frag v4 not last, empty", empty_v4},
    {"drop frag v4 first too short for the tcp header", short_first_v4},
    {"drop frag v6 first too short for the tcp header", short_first_v6},
    {"fwd frag v6 first after hop-by-hop", first_after_hop_v6},
    {"fwd frag v6 atomic fragment", atomic_v6},
    {"drop frag v4 first too big for ipip (no df)", too_big_v4},
    {"too big frag v6 first ipip 6in6: packet too big 1460", too_big_v6},
};

/* A first fragment to a VIP address on a port without a VIP goes up, and so do its later. */
static void goes_up(const struct lb *lb, const char *dst)
{
	struct dgram d = dgram_to(dst, IPPROTO_UDP, 9999);
	static struct fx x;

	start(&x, &d, "to a port without vip: first goes up");
	send_first(&x, &d, 40);
	fx_expect_pass(&x);
	fx_check(lb, &x);
	start(&x, &d, "to a port without vip: last goes up after it");
	send_later(&x, &d, 48, 8, false);
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
	fx_run_table(lb, cases, sizeof(cases) / sizeof(cases[0]));
}
