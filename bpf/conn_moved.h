/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * A flow that moved CPU: without RSS (veth, generic XDP) or after RSS changes, a known flow's
 * packet may reach a CPU whose part of the table does not have it. Before Maglev picks anew
 * (to another backend, if the VIP's table changed), its first packet there looks for it in
 * the other CPUs' parts, read only, and adopts the backend found; a SYN clears what they hold
 * for its 5-tuple, so a reused port never follows an old connection there. Included by lb.h.
 */
#ifndef XLB_CONN_MOVED_H
#define XLB_CONN_MOVED_H

#include "xlb_defs.h"
#include "xlb_abi.h"
#include "conn.h"

#define XLB_CONN_CPUS_MAX 1024 /* parts looked at, at most; the map's end stops sooner */
#define XLB_CLEARED	  1	  /* xlb_moved_clear(): an entry cleared */
#define XLB_CLEARED_EST	  0x10000 /* ... and it was established */

struct xlb_moved {
	const struct xlb_flow_key *k;
	__u32 self;   /* this CPU */
	__u32 bucket; /* the flow's bucket within a part */
	__s64 found;  /* gen << 16 | backend id, or -1 */
	__u16 tag;
};

/*
 * Where bucket b of another CPU has flow k (its tag is tag): gen << 16 | backend id, or -1.
 * Read consistently: the owner unpublishes a slot's tag while it rewrites it, so a tag
 * unchanged around the reads means whole ones. A global function, verified once: inlined
 * into the bpf_loop callback, its branches made the verifier's work explode.
 */
__noinline __s64 xlb_moved_peek(const struct xlb_conn_bucket *b, const struct xlb_flow_key *k,
				__u32 tag)
{
	__u32 id, gen;
	__u16 t;
	int i;

	if (!b || !k)
		return -1;
	for (i = 0; i < XLB_CONN_SLOTS; i++) { /* XLB_CONN_SLOTS tags */
		t = READ_ONCE(b->tag[i]);
		if (t != tag || !xlb_conn_is(&b->slot[i], k))
			continue;
		id = READ_ONCE(b->slot[i].backend);
		gen = READ_ONCE(b->slot[i].gen);
		xlb_barrier();
		if (READ_ONCE(b->tag[i]) == t)
			return (__s64)gen << 16 | id;
	}
	return -1;
}

/* bpf_loop callback: CPU cpu's bucket (and its pair); 1 stops (found, or past the map). */
static long xlb_moved_cpu(__u64 cpu, void *ctx)
{
	struct xlb_moved *m = ctx;
	struct xlb_conn_bucket *b;
	__u32 idx;

	if (cpu == m->self)
		return 0;
	idx = cpu * xlb_conn_buckets + m->bucket;
	b = xlb_conn_at(idx);
	if (!b) /* past the last possible CPU's part */
		return 1;
	m->found = xlb_moved_peek(b, m->k, m->tag);
	if (m->found < 0 && (READ_ONCE(b->next) & XLB_CONN_SPILL))
		m->found = xlb_moved_peek(xlb_conn_at(idx ^ 1), m->k, m->tag);
	return m->found >= 0 ? 1 : 0;
}

/* The backend and gen another CPU's part records for flow k (hash halves hash, lo); 0 or -1. */
static __always_inline int xlb_conn_moved(const struct xlb_flow_key *k, __u32 hash, __u32 lo,
					  __u32 *id, __u32 *gen)
{
	struct xlb_moved m = {
		.k = k,
		.self = bpf_get_smp_processor_id(),
		.bucket = (__u32)(((__u64)hash * xlb_conn_buckets) >> 32),
		.found = -1,
		.tag = xlb_conn_tag(lo),
	};

	bpf_loop(XLB_CONN_CPUS_MAX, xlb_moved_cpu, &m, 0);
	if (m.found < 0)
		return -1;
	*id = m.found & 0xffff;
	*gen = m.found >> 16;
	return 0;
}

/*
 * Clears flow k's slot in bucket b of another CPU, if it has one: a SYN reusing the 5-tuple
 * of an earlier connection recorded there. Only the tag is written (0: empty), so a rewrite
 * by the owner at the same moment wins whole. XLB_CLEARED (+ XLB_CLEARED_EST if it was
 * established), else 0.
 */
__noinline int xlb_moved_clear(struct xlb_conn_bucket *b, const struct xlb_flow_key *k, __u32 tag)
{
	int i;

	if (!b || !k)
		return 0;
	for (i = 0; i < XLB_CONN_SLOTS; i++) { /* XLB_CONN_SLOTS tags */
		if (READ_ONCE(b->tag[i]) != tag || !xlb_conn_is(&b->slot[i], k))
			continue;
		b->tag[i] = 0;
		return READ_ONCE(b->est) & (1 << i) ? XLB_CLEARED + XLB_CLEARED_EST : XLB_CLEARED;
	}
	return 0;
}

/* bpf_loop callback: clears the flow in CPU cpu's bucket and its pair; 1 past the map. */
static long xlb_forget_cpu(__u64 cpu, void *ctx)
{
	struct xlb_moved *m = ctx;
	struct xlb_conn_bucket *b;
	__u32 idx;
	int r;

	if (cpu == m->self)
		return 0;
	idx = cpu * xlb_conn_buckets + m->bucket;
	b = xlb_conn_at(idx);
	if (!b)
		return 1;
	r = xlb_moved_clear(b, m->k, m->tag);
	if (!r && (READ_ONCE(b->next) & XLB_CONN_SPILL))
		r = xlb_moved_clear(xlb_conn_at(idx ^ 1), m->k, m->tag);
	m->found += r; /* counted by the caller, in this CPU's counters (readers sum the CPUs) */
	return 0;
}

/* A SYN: clears what the other CPUs' parts hold for its 5-tuple, and counts it here. */
static __always_inline void xlb_conn_forget_others(const struct xlb_flow_key *k, __u32 hash,
						   __u32 lo)
{
	struct xlb_moved m = {
		.k = k,
		.self = bpf_get_smp_processor_id(),
		.bucket = (__u32)(((__u64)hash * xlb_conn_buckets) >> 32),
		.tag = xlb_conn_tag(lo),
	};
	struct xlb_conn_stats *cs;

	bpf_loop(XLB_CONN_CPUS_MAX, xlb_forget_cpu, &m, 0);
	cs = m.found ? xlb_conn_stats_this_cpu() : NULL;
	if (!cs)
		return;
	cs->cleared += m.found & (XLB_CLEARED_EST - 1);
	cs->used -= m.found & (XLB_CLEARED_EST - 1);
	cs->established -= (__u64)m.found >> 16; /* XLB_CLEARED_EST each */
}

#endif /* XLB_CONN_MOVED_H */
