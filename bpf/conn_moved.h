/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * A flow that moved CPU: without RSS (veth, generic XDP) or after RSS changes, a known flow's
 * packet may reach a CPU whose part of the table does not have it. Before Maglev picks anew
 * (to another backend, if the VIP's table changed), its first packet there looks for it in
 * the other CPUs' parts, read only, and adopts the backend found. Included by lb.h.
 */
#ifndef XLB_CONN_MOVED_H
#define XLB_CONN_MOVED_H

#include "xlb_defs.h"
#include "xlb_abi.h"
#include "conn.h"

#define XLB_CONN_CPUS_MAX 1024 /* parts looked at, at most; the map's end stops sooner */

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

#endif /* XLB_CONN_MOVED_H */
