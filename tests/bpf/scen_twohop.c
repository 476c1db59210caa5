// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Scenario: second-chance VIPs (issue 12). Every packet, SYN or not, leaves in GUE variant 0
 * to the slot's first hop naming its second (or none), byte for byte in both families, 4in6
 * and 6in4; nothing is looked up in or written to the connection table (flow_hit/flow_miss,
 * its counters and the flow's entry); too-big packets get ICMP with the larger overhead, and
 * a router's ICMP error about a flow goes where the flow goes. The outer headers take the
 * slot's hash, a source-hash VIP's the connection hash (xlb_twohop_outer_hash()).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include "cases.h"
#include "xlb_hash.h"

#define ACT XLB_BE_F_ACTIVE
#define TCP IPPROTO_TCP
#define GUE XLB_FWD_GUE
#define MAG XLB_SCHED_MAGLEV
#define SH	    XLB_SCHED_SH
#define FAST	    XLB_SCHED_MAGLEV_FAST
#define GUE_HOP_LEN 24 /* xlb_gue_hdr and xlb_gue_hop */

/* VIP ids 14-17, 25 and 29, backend ids 24-29, 34 and 35 are no other fixture's. */
static const struct env_vip v4 = { 14, "198.18.0.14", 80, TCP, GUE, MAG, 6090, 0 };
static const struct env_vip v4sh = {29, "198.18.0.29", 80, TCP, GUE, SH, 6094, 0};
static const struct env_vip v6fast = {25, "2001:db8:100::25", 80, TCP, GUE, FAST, 6095, 0};
static const struct env_vip v6 = { 15, "2001:db8:100::14", 80, TCP, GUE, MAG, 6091, 0 };
static const struct env_vip v4in6 = { 16, "198.18.0.15", 80, TCP, GUE, MAG, 6092, 0 };
static const struct env_vip v6in4 = { 17, "2001:db8:100::15", 80, TCP, GUE, MAG, 6093, 0 };
static const struct env_be b4a = { 24, "198.19.0.24", ACT, 1, 14 };
static const struct env_be b4b = { 26, "198.19.0.26", ACT, 1, 17 };
static const struct env_be b6a = { 27, "2001:db8:200::27", ACT, 1, 15 };
static const struct env_be b6b = { 28, "2001:db8:200::28", ACT, 1, 16 };
static const struct env_be b4s = {29, "198.19.0.29", ACT, 1, 29};
static const struct env_be b6f = {34, "2001:db8:200::34", ACT, 1, 25};
static const struct env_be b6g = {35, "2001:db8:200::35", ACT, 1, 25};

/* A second-chance backend: its VIP's forwarding and XLB_BE_F_TWOHOP, as the library writes. */
static int put_be(const struct lb *lb, const struct env_be *b, const struct env_vip *v)
{
	struct xlb_backend be = { .family = env_family(b->addr), .flags = b->flags | XLB_BE_F_TWOHOP,
				  .gen = b->gen, .forward = GUE, .vip_id = v->id,
				  .gue_port = htons(v->gue_port) };

	addr_parse(be.addr, b->addr);
	return xlb_backend_put(&lb->maps, b->id, &be);
}

/* The VIP with XLB_VIP_F_TWOHOP, and its address's bit in the filter's second half. */
static int put_vip(const struct lb *lb, const struct env_vip *v)
{
	static struct xlb_vip_filter f;
	struct xlb_vip_key k;
	struct xlb_vip vip;
	__be32 a[4];
	__u32 bit;
	int err = env_put_vip(lb, v);

	env_vip_key(&k, v->addr, v->port, v->proto);
	if (!err)
		err = xlb_vip_get(&lb->maps, &k, &vip);
	vip.flags |= XLB_VIP_F_TWOHOP;
	if (!err)
		err = xlb_vip_put(&lb->maps, &k, &vip);
	addr_parse(a, v->addr);
	bit = xlb_addr_filter_bit(a);
	if (!err)
		err = xlb_vip_filter_get(&lb->maps, &f);
	f.twohop[bit / 64] |= 1ULL << (bit % 64);
	return err ? err : xlb_vip_filter_put(&lb->maps, &f);
}

/* v's table with first hop first and second hop second (NULL: none) in every slot. */
static int fill(const struct lb *lb, const struct env_vip *v, const struct env_be *first,
		const struct env_be *second)
{
	__u32 slot = first->id | (second ? second->id : 0) << XLB_SLOT_SECOND_SHIFT;

	return env_fill_table(lb, v->id, slot, FX_TABLE);
}

/* v's table split by slot parity: even slots a first naming b, odd slots b naming a. */
static int fill_halves(const struct lb *lb, const struct env_vip *v, const struct env_be *a,
		       const struct env_be *b)
{
	__u32 i, ids[FX_TABLE];

	for (i = 0; i < FX_TABLE; i++)
		ids[i] = i % 2 ? b->id | a->id << XLB_SLOT_SECOND_SHIFT
			       : a->id | b->id << XLB_SLOT_SECOND_SHIFT;
	return env_swap_table(lb, v->id, ids, FX_TABLE);
}

static int setup(const struct lb *lb)
{
	int err = put_be(lb, &b4a, &v4);

	if (!err)
		err = put_be(lb, &b4b, &v6in4);
	if (!err)
		err = put_be(lb, &b6a, &v6);
	if (!err)
		err = put_be(lb, &b6b, &v4in6);
	if (!err)
		err = put_be(lb, &b4s, &v4sh);
	if (!err)
		err = put_be(lb, &b6f, &v6fast);
	if (!err)
		err = put_be(lb, &b6g, &v6fast);
	if (!err)
		err = put_vip(lb, &v4);
	if (!err)
		err = put_vip(lb, &v4sh);
	if (!err)
		err = put_vip(lb, &v6fast);
	if (!err)
		err = put_vip(lb, &v6);
	if (!err)
		err = put_vip(lb, &v4in6);
	if (!err)
		err = put_vip(lb, &v6in4);
	if (!err)
		err = fill(lb, &v4, &b4a, &b4b);
	if (!err)
		err = fill(lb, &v6, &b6a, &b6b);
	if (!err)
		err = fill(lb, &v4in6, &b6b, &b4a);
	if (!err)
		err = fill(lb, &v4sh, &b4s, &b4a);
	if (!err)
		err = fill_halves(lb, &v6fast, &b6f, &b6g);
	return err ? err : fill(lb, &v6in4, &b4b, &b6a);
}

/* Counters of a second-chance packet: the VIP's and first hop's, no connection table. */
static void count(struct fx *x, const struct env_vip *v, const struct env_be *first, bool syn)
{
	x->verdict = XDP_TX;
	x->delta.st.action[XDP_TX]++;
	x->delta.vip[v->id].packets++;
	x->delta.vip[v->id].bytes += x->ip.len;
	x->delta.vip[v->id].new_flows += syn;
	x->delta.be[first->id].new_flows += syn;
	x->delta.be[first->id].packets++;
	x->delta.be[first->id].bytes += x->ip.len;
}

/* Reports whether sending in left the connection table as it was: no entry, no counter moved. */
static void check_untouched(const struct lb *lb, const char *name, const struct fx *x,
			    const struct xlb_conn_stats *before)
{
	struct xlb_conn_stats after;
	struct xlb_flow f;
	char why[96] = "";
	int err = xlb_conn_stats_read(lb->maps.conn_stats, &after);

	if (err)
		snprintf(why, sizeof(why), "conn stats: %s", strerror(-err));
	else if (after.used != before->used || after.recorded != before->recorded ||
		 after.cleared != before->cleared || after.capped != before->capped)
		snprintf(why, sizeof(why), "connection table changed: used %llu -> %llu",
			 (unsigned long long)before->used, (unsigned long long)after.used);
	else if (xlb_flow_get(&lb->maps, &x->key, &f) != -ENOENT)
		snprintf(why, sizeof(why), "the flow has an entry (backend %u)", f.backend_id);
	report(name, why);
}

/* Sends a TCP packet (a SYN if syn) of flow sport to v; expects it at first naming second. */
static void send_tcp(const struct lb *lb, const char *name, const struct env_vip *v,
		     __u16 sport, bool syn, const struct env_be *first,
		     const struct env_be *second)
{
	struct fx_in in = fx_tcp(v->addr, v->port);
	struct xlb_conn_stats before;
	static struct fx x;
	char what[128];

	fx_start(&x, name);
	in.sport = sport;
	in.syn = syn;
	in.ip.tos = 0x4a;
	fx_send(&x, &in);
	fx_twohop_frame(&x, v, first, second);
	count(&x, v, first, syn);
	if (xlb_conn_stats_read(lb->maps.conn_stats, &before))
		memset(&before, 0xff, sizeof(before));
	fx_check(lb, &x);
	snprintf(what, sizeof(what), "%s: the connection table is untouched", name);
	check_untouched(lb, what, &x, &before);
}

/*
 * A packet of flow sport to maglev-fast VIP v, whose table fill_halves() split between a and b:
 * expected at the hops of the slot its connection hash's low half scales to, computed here
 * apart from xlb_choice.h, with the outer port and label from that half.
 */
static void send_fast(const struct lb *lb, const struct env_vip *v, __u16 sport,
		      const struct env_be *a, const struct env_be *b)
{
	struct fx_in in = fx_tcp(v->addr, v->port);
	static struct fx probe;
	char name[128];
	__u32 slot;

	in.sport = sport;
	fx_start(&probe, "");
	fx_send(&probe, &in);
	slot = (__u64)(__u32)xlb_conn_hash(&probe.key) * FX_TABLE >> 32;
	snprintf(name, sizeof(name), "twohop: maglev-fast flow %u takes slot %u, its hops and hash",
		 sport, slot);
	send_tcp(lb, name, v, sport, false, slot % 2 ? b : a, slot % 2 ? a : b);
}

/* Too big once wrapped in the 24 bytes more of second chance: the MTU it says is that less. */
static void send_too_big(const struct lb *lb, const char *name, const struct env_vip *v,
			 __u32 olen)
{
	struct fx_in in = fx_tcp(v->addr, v->port);
	static struct fx x;

	fx_start(&x, name);
	in.paylen = LB_MTU - olen + 1 - (in.ip.family == XLB_FAM_V4 ? 20 : 40) - 20;
	fx_send(&x, &in);
	fx_expect_too_big(&x, v->id, 0, LB_MTU - olen);
	x.delta.st.flow_miss = 0; /* no connection table */
	x.delta.vip[v->id].new_flows = 0;
	fx_check(lb, &x);
}

/* One packet that just fits: no ICMP at the boundary. */
static void send_fits(const struct lb *lb, const char *name, const struct env_vip *v, __u32 olen,
		      const struct env_be *first, const struct env_be *second)
{
	struct fx_in in = fx_tcp(v->addr, v->port);
	static struct fx x;

	fx_start(&x, name);
	in.paylen = LB_MTU - olen - (in.ip.family == XLB_FAM_V4 ? 20 : 40) - 20;
	fx_send(&x, &in);
	fx_twohop_frame(&x, v, first, second);
	count(&x, v, first, false);
	fx_check(lb, &x);
}

/* A router's frag needed about flow sport goes to the slot's hops, like the flow's packets. */
static void send_icmp(const struct lb *lb, const char *name, const struct env_vip *v,
		      __u16 sport, const struct env_be *first, const struct env_be *second)
{
	static struct fx x;

	fx_start(&x, name);
	fx_quoted(&x, v->addr, TCP, v->port, sport, 3, 4, 0);
	fx_twohop_frame(&x, v, first, second);
	count(&x, v, first, false);
	x.delta.st.icmp_fwd++;
	fx_check(lb, &x);
}

void scen_twohop(const struct lb *lb)
{
	__u16 p = fx_port(), q = fx_port();
	int i;

	if (setup(lb)) {
		report("twohop: setup", "map update failed");
		return;
	}
	send_tcp(lb, "twohop: 4in4 SYN names a v4 second hop", &v4, p, true, &b4a, &b4b);
	send_tcp(lb, "twohop: 4in4 packet of the flow goes alike", &v4, p, false, &b4a, &b4b);
	send_tcp(lb, "twohop: 6in6 SYN names a v6 second hop", &v6, q, true, &b6a, &b6b);
	send_tcp(lb, "twohop: 6in6 packet of the flow goes alike", &v6, q, false, &b6a, &b6b);
	send_tcp(lb, "twohop: 4in6 names a v4 second hop", &v4in6, p, false, &b6b, &b4a);
	send_tcp(lb, "twohop: 6in4 names a v6 second hop", &v6in4, q, false, &b4b, &b6a);
	send_tcp(lb, "twohop: a source-hash VIP's outer port from the connection hash", &v4sh, p,
		 false, &b4s, &b4a);
	for (i = 0; i < 8; i++)
		send_fast(lb, &v6fast, fx_port(), &b6f, &b6g);
	send_icmp(lb, "twohop: frag needed goes to the flow's hops, nothing counted as a miss", &v4,
		  p, &b4a, &b4b);
	if (fill(lb, &v4, &b4a, NULL) || fill(lb, &v6, &b6a, NULL))
		report("twohop: tables without second hops", "map update failed");
	send_tcp(lb, "twohop: 4in4 without a second hop says family 0", &v4, p, false, &b4a, NULL);
	send_tcp(lb, "twohop: 6in6 without a second hop says family 0", &v6, q, false, &b6a, NULL);
	send_fits(lb, "twohop: 4in4 at the MTU less 52 fits", &v4, 20 + 8 + GUE_HOP_LEN, &b4a,
		  NULL);
	send_too_big(lb, "twohop: 4in4 one byte over: frag needed for 1448", &v4,
		     20 + 8 + GUE_HOP_LEN);
	send_too_big(lb, "twohop: 6in6 one byte over: packet too big for 1428", &v6,
		     40 + 8 + GUE_HOP_LEN);
}
