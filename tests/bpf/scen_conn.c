// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Scenario: the connection table itself. Miss then hit, probation then established, both
 * families and UDP; SYNs and RSTs never create entries; the replacement order in a full
 * bucket (probation oldest first, established only to a flow that knocks twice), the insert
 * limit per CPU, each step checked against the entry userspace finds and the table's
 * counters.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "cases.h"
#include "xlb_hash.h"

#define CONN_CLIENT4 "192.0.2.77" /* a source no other fixture uses */
#define CONN_CLIENT6 "2001:db8:1::77"
#define NO_ENTRY     -1
#define PROBATION    0
#define ESTABLISHED  1

/* Counter deltas a step expects, in struct xlb_conn_stats order. */
struct conn_delta {
	__s64 used, established, recorded, replaced, evicted, turned_away, cleared, capped;
};

static struct fx_in conn_in(__u32 vip_id, __u16 sport)
{
	const struct env_vip *v = env_vip(vip_id);
	struct fx_in in = fx_flow(env_family(v->addr) == XLB_FAM_V4 ? CONN_CLIENT4 : CONN_CLIENT6,
				  v->addr, v->proto, v->port);

	in.sport = sport;
	return in;
}

/* Sends in to fixture VIP vip_id and expects it forwarded, from the table if hit. */
static void send_to(const struct lb *lb, const char *name, const struct fx_in *in, __u32 vip_id,
		    bool hit)
{
	static struct fx x;

	fx_start(&x, name);
	fx_send(&x, in);
	fx_expect_fwd(&x, vip_id, !hit);
	fx_check(lb, &x);
}

/* Reports whether in's flow has the entry state want (NO_ENTRY, PROBATION, ESTABLISHED). */
static void check_state(const struct lb *lb, const char *name, const struct fx_in *in, int want)
{
	struct xlb_flow_key k;
	struct xlb_flow f = {};
	char why[96] = "";
	int err, got;

	fx_key_of(in, &k);
	err = xlb_flow_get(&lb->maps, &k, &f);
	got = err == -ENOENT ? NO_ENTRY : (int)f.established;
	if (err && err != -ENOENT)
		snprintf(why, sizeof(why), "lookup failed: %s", strerror(-err));
	else if (got != want)
		snprintf(why, sizeof(why), "entry state %d, expected %d", got, want);
	report(name, why);
}

static int conn_stats(const struct lb *lb, struct xlb_conn_stats *st)
{
	struct xlb_conns_info ci;
	int err = xlb_conns_info(&lb->maps, &ci);

	*st = ci.st;
	return err;
}

/* Reports whether the table's counters moved by want since before. */
static void check_delta(const struct lb *lb, const char *name, const struct xlb_conn_stats *before,
			const struct conn_delta *want)
{
	static const char *const names[] = {"used",    "established", "recorded", "replaced",
					    "evicted", "turned_away", "cleared",  "capped"};
	const __u64 *b = (const __u64 *)before, *a;
	const __s64 *w = (const __s64 *)want;
	struct xlb_conn_stats now;
	char why[128] = "";
	size_t i;

	if (conn_stats(lb, &now)) {
		report(name, "couldn't read the table's counters");
		return;
	}
	a = (const __u64 *)&now;
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && !why[0]; i++)
		if ((__s64)(a[i] - b[i]) != w[i])
			snprintf(why, sizeof(why), "%s moved by %lld, expected %lld", names[i],
				 (long long)(a[i] - b[i]), (long long)w[i]);
	report(name, why);
}

/* The name "conn fam: what", in name[96]. */
static const char *conn_name(char *name, const char *fam, const char *what)
{
	snprintf(name, 96, "conn %s: %s", fam, what);
	return name;
}

/* Miss, probation, hit, established; UDP the same way; a SYN and an RST record nothing. */
static void first_packets(const struct lb *lb, __u32 vip_id, const char *fam)
{
	struct fx_in in = conn_in(vip_id, fx_port()), syn, rst;
	struct xlb_conn_stats st0;
	char name[96];

	conn_stats(lb, &st0);
	send_to(lb, conn_name(name, fam, "first packet misses and is recorded"), &in, vip_id,
		false);
	check_state(lb, conn_name(name, fam, "after one packet the entry is on probation"), &in,
		    PROBATION);
	send_to(lb, conn_name(name, fam, "the second packet hits"), &in, vip_id, true);
	check_state(lb, conn_name(name, fam, "after two packets the entry is established"), &in,
		    ESTABLISHED);
	check_delta(lb, conn_name(name, fam, "one slot used, established, recorded once"), &st0,
		    &(struct conn_delta){1, 1, 1, 0, 0, 0, 0, 0});
	if (in.ip.proto != IPPROTO_TCP)
		return;
	syn = conn_in(vip_id, fx_port());
	syn.syn = true;
	send_to(lb, conn_name(name, fam, "a SYN goes by Maglev"), &syn, vip_id, false);
	check_state(lb, conn_name(name, fam, "a SYN is never recorded"), &syn, NO_ENTRY);
	rst = conn_in(vip_id, fx_port());
	rst.rst = true;
	send_to(lb, conn_name(name, fam, "an RST of an unknown flow goes by Maglev"), &rst, vip_id,
		false);
	check_state(lb, conn_name(name, fam, "an RST is never recorded"), &rst, NO_ENTRY);
	in.rst = true;
	send_to(lb, conn_name(name, fam, "an RST of a known flow follows its entry"), &in, vip_id,
		true);
	in.rst = false;
	in.syn = true;
	conn_stats(lb, &st0);
	send_to(lb, conn_name(name, fam, "a SYN reusing a recorded 5-tuple goes by Maglev"), &in,
		vip_id, false);
	check_state(lb, conn_name(name, fam, "and clears the old connection's entry"), &in,
		    NO_ENTRY);
	check_delta(lb, conn_name(name, fam, "the cleared slot is counted free"), &st0,
		    &(struct conn_delta){-1, -1, 0, 0, 0, 0, 1, 0});
}

static bool bucket_empty(const struct xlb_conn_bucket *b)
{
	return !(b->tag[0] | b->tag[1] | b->tag[2] | b->tag[3] | b->tag[4] | b->next);
}

/* This CPU's bucket of flow in, and whether it and its pair are empty. */
static int bucket_of(const struct lb *lb, const struct fx_in *in, __u32 *idx, bool *empty)
{
	int ncpu = libbpf_num_possible_cpus(), cpu = sched_getcpu();
	struct xlb_conn_bucket b, pair;
	struct xlb_conns_info ci;
	struct xlb_flow_key k;
	__u32 per_cpu, idx2;

	if (ncpu <= 0 || cpu < 0 || xlb_conns_info(&lb->maps, &ci))
		return -EIO;
	per_cpu = ci.capacity / XLB_CONN_SLOTS / ncpu;
	fx_key_of(in, &k);
	*idx = cpu * per_cpu + (__u32)(((xlb_conn_hash(&k) >> 32) * per_cpu) >> 32);
	idx2 = *idx ^ 1;
	if (bpf_map_lookup_elem(lb->maps.flows, idx, &b) ||
	    bpf_map_lookup_elem(lb->maps.flows, &idx2, &pair))
		return -errno;
	*empty = bucket_empty(&b) && bucket_empty(&pair);
	return 0;
}

/* Fills the empty slots of bucket idx with established entries no key matches (family 0). */
static int bucket_fill(const struct lb *lb, __u32 idx)
{
	struct xlb_conn_bucket b;
	int i;

	if (bpf_map_lookup_elem(lb->maps.flows, &idx, &b))
		return -errno;
	for (i = 0; i < XLB_CONN_SLOTS; i++)
		if (!b.tag[i]) {
			b.tag[i] = 0xffff;
			b.est |= 1 << i;
		}
	return bpf_map_update_elem(lb->maps.flows, &idx, &b, BPF_ANY) ? -errno : 0;
}

#define SAME_BUCKET 8 /* flows A..H below */

/* n client ports whose flows to vip_id share one bucket, empty so far with its pair. */
static int same_bucket(const struct lb *lb, __u32 vip_id, __u16 *ports, int n, __u32 *idx)
{
	__u32 want, base;
	struct fx_in in;
	bool empty;
	int found, p;

	for (base = 1024; base < 2048; base++) {
		in = conn_in(vip_id, base);
		if (bucket_of(lb, &in, &want, &empty))
			return -EIO;
		if (!empty)
			continue;
		found = 0;
		for (p = base; p < 65536 && found < n; p++) {
			in = conn_in(vip_id, p);
			if (bucket_of(lb, &in, idx, &empty))
				return -EIO;
			if (*idx == want)
				ports[found++] = p;
		}
		if (found == n)
			return 0;
	}
	return -ENOENT;
}

/*
 * Five slots: A and B established, C, D, E on probation. F takes C's slot (the oldest on
 * probation), not an empty one of the pair; C, coming back as a new flow, takes D's (the next
 * in turn: F, the newest, stays). With every slot established, G takes an empty slot of the
 * pair (and is found there); the pair full too, H is turned away once and, at its next
 * packet, takes the slot of A (established first).
 */
static void full_bucket(const struct lb *lb, __u32 vip_id)
{
	struct fx_in f[SAME_BUCKET];
	__u16 ports[SAME_BUCKET];
	struct xlb_conn_stats st0;
	__u32 idx;
	int i;

	if (same_bucket(lb, vip_id, ports, SAME_BUCKET, &idx)) {
		report("conn bucket: find eight flows of one empty bucket pair", "none found");
		return;
	}
	for (i = 0; i < SAME_BUCKET; i++)
		f[i] = conn_in(vip_id, ports[i]);
	for (i = 0; i < 5; i++)
		send_to(lb, "conn bucket: flows A..E fill the bucket", &f[i], vip_id, false);
	send_to(lb, "conn bucket: A's second packet hits", &f[0], vip_id, true);
	send_to(lb, "conn bucket: B's second packet hits", &f[1], vip_id, true);
	conn_stats(lb, &st0);
	send_to(lb, "conn bucket: F, a new flow, misses", &f[5], vip_id, false);
	check_state(lb, "conn bucket: F took a slot on probation", &f[5], PROBATION);
	check_state(lb, "conn bucket: C, the oldest on probation, gave its slot", &f[2], NO_ENTRY);
	check_state(lb, "conn bucket: D stays", &f[3], PROBATION);
	check_state(lb, "conn bucket: A stays established", &f[0], ESTABLISHED);
	check_delta(lb, "conn bucket: one probation entry replaced, the pair untouched", &st0,
		    &(struct conn_delta){0, 0, 1, 1, 0, 0, 0, 0});
	conn_stats(lb, &st0);
	send_to(lb, "conn bucket: C again, a new flow, misses", &f[2], vip_id, false);
	check_state(lb, "conn bucket: C took D's slot, the next in turn", &f[2], PROBATION);
	check_state(lb, "conn bucket: D gave it", &f[3], NO_ENTRY);
	check_state(lb, "conn bucket: F, the newest on probation, stays", &f[5], PROBATION);
	check_state(lb, "conn bucket: E stays", &f[4], PROBATION);
	check_delta(lb, "conn bucket: one more probation entry replaced", &st0,
		    &(struct conn_delta){0, 0, 1, 1, 0, 0, 0, 0});
	send_to(lb, "conn bucket: E's second packet hits", &f[4], vip_id, true);
	send_to(lb, "conn bucket: F's second packet hits", &f[5], vip_id, true);
	send_to(lb, "conn bucket: C's second packet hits", &f[2], vip_id, true);
	conn_stats(lb, &st0);
	send_to(lb, "conn bucket: G finds every slot established", &f[6], vip_id, false);
	check_state(lb, "conn bucket: G took a slot of the pair", &f[6], PROBATION);
	check_delta(lb, "conn bucket: one more slot used, none replaced", &st0,
		    &(struct conn_delta){1, 0, 1, 0, 0, 0, 0, 0});
	send_to(lb, "conn bucket: G's second packet hits in the pair", &f[6], vip_id, true);
	if (bucket_fill(lb, idx ^ 1))
		report("conn bucket: fill the pair", "map update failed");
	conn_stats(lb, &st0);
	send_to(lb, "conn bucket: H finds both buckets established", &f[7], vip_id, false);
	check_state(lb, "conn bucket: H is not recorded", &f[7], NO_ENTRY);
	check_delta(lb, "conn bucket: H is counted turned away", &st0,
		    &(struct conn_delta){0, 0, 0, 0, 0, 1, 0, 0});
	send_to(lb, "conn bucket: H's second packet still misses", &f[7], vip_id, false);
	check_state(lb, "conn bucket: H, having knocked twice, is established", &f[7], ESTABLISHED);
	check_state(lb, "conn bucket: A, established first, gave its slot", &f[0], NO_ENTRY);
	for (i = 1; i < 7; i++)
		if (i != 3)
			check_state(lb, "conn bucket: B, C, E, F, G stay established", &f[i],
				    ESTABLISHED);
	check_delta(lb, "conn bucket: one established entry evicted", &st0,
		    &(struct conn_delta){0, 0, 1, 0, 1, 1, 0, 0});
	send_to(lb, "conn bucket: H then hits", &f[7], vip_id, true);
}

void scen_conn(const struct lb *lb)
{
	first_packets(lb, V_TCP4, "v4 tcp");
	first_packets(lb, V_TCP6, "v6 tcp");
	first_packets(lb, V_GUE4, "v4 udp");
	first_packets(lb, V_GUE6, "v6 udp");
	full_bucket(lb, V_TCP4);
}

#define CAP_LIMIT 3 /* inserts a second on one CPU, all of them at once as burst */

/*
 * A balancer whose CPUs may record CAP_LIMIT new flows a second: the next new flow is still
 * forwarded (by Maglev) but not recorded, counted, and the table is in flood state; known
 * flows are not held back.
 */
void scen_conn_cap(void)
{
	struct fx_in f[CAP_LIMIT + 1];
	struct xlb_conn_stats st0;
	struct lb lb;
	bool flood = true;
	int i;

	if (lb_open_limited(&lb, FX_TABLE, CAP_LIMIT) || env_setup(&lb)) {
		report("conn cap: set up a balancer with an insert limit", "couldn't");
		return;
	}
	report("conn cap: no flood state before any cap",
	       !xlb_conns_flood_now(&(struct xlb_conn_stats){0}, &flood) && !flood ? ""
										   : "flood state");
	conn_stats(&lb, &st0);
	for (i = 0; i <= CAP_LIMIT; i++) {
		f[i] = conn_in(V_TCP4, fx_port());
		send_to(&lb, "conn cap: a new flow goes by Maglev", &f[i], V_TCP4, false);
	}
	for (i = 0; i < CAP_LIMIT; i++)
		check_state(&lb, "conn cap: flows within the limit are recorded", &f[i], PROBATION);
	check_state(&lb, "conn cap: the flow over the limit is not", &f[CAP_LIMIT], NO_ENTRY);
	check_delta(&lb, "conn cap: counted capped, once", &st0,
		    &(struct conn_delta){CAP_LIMIT, 0, CAP_LIMIT, 0, 0, 0, 0, 1});
	conn_stats(&lb, &st0);
	report("conn cap: the table is in flood state",
	       !xlb_conns_flood_now(&st0, &flood) && flood ? "" : "no flood state");
	send_to(&lb, "conn cap: a recorded flow's next packet hits", &f[0], V_TCP4, true);
	check_state(&lb, "conn cap: and establishes it", &f[0], ESTABLISHED);
	lb_close(&lb);
}

#define VIP_LIMIT 2 /* SYNs a second on one CPU, all of them at once as burst */

/* A SYN for fixture VIP vip_id dropped over its new-flow-limit: counted for the VIP. */
static void send_limited(const struct lb *lb, const char *name, const struct fx_in *in,
			 __u32 vip_id)
{
	static struct fx x;

	fx_start(&x, name);
	fx_send(&x, in);
	fx_expect_drop(&x, XLB_DROP_NEW_FLOW_LIMIT);
	x.delta.vip[vip_id].packets++;
	x.delta.vip[vip_id].bytes += x.ip.len;
	x.delta.vip[vip_id].new_flows_limited++;
	fx_check(lb, &x);
}

/*
 * A VIP with new-flow-limit VIP_LIMIT: that many SYNs go through, the next is dropped and
 * counted; packets of flows that are not SYNs are not limited, and other VIPs are not.
 */
void scen_new_flow_limit(void)
{
	const struct env_vip *v = env_vip(V_TCP6);
	struct fx_in syn[VIP_LIMIT + 1], ack;
	struct xlb_vip_key k;
	struct xlb_vip vip;
	struct lb lb;
	int i;

	env_vip_key(&k, v->addr, v->port, v->proto);
	if (lb_open(&lb, FX_TABLE) || env_setup(&lb) || xlb_vip_get(&lb.maps, &k, &vip)) {
		report("new-flow-limit: set up a balancer", "couldn't");
		return;
	}
	vip.new_flow_limit = VIP_LIMIT;
	if (xlb_vip_put(&lb.maps, &k, &vip))
		report("new-flow-limit: set the VIP's limit", "map update failed");
	for (i = 0; i <= VIP_LIMIT; i++) {
		syn[i] = conn_in(V_TCP6, fx_port());
		syn[i].syn = true;
	}
	for (i = 0; i < VIP_LIMIT; i++)
		send_to(&lb, "new-flow-limit: SYNs within the limit go by Maglev", &syn[i], V_TCP6,
			false);
	send_limited(&lb, "new-flow-limit: the SYN over it is dropped and counted", &syn[VIP_LIMIT],
		     V_TCP6);
	ack = conn_in(V_TCP6, fx_port());
	send_to(&lb, "new-flow-limit: a new flow that is not a SYN is not limited", &ack, V_TCP6,
		false);
	syn[0] = conn_in(V_TCP4, fx_port());
	syn[0].syn = true;
	send_to(&lb, "new-flow-limit: another VIP's SYN is not limited", &syn[0], V_TCP4, false);
	lb_close(&lb);
}
