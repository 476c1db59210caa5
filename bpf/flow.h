/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The connection table's entry points for the packet path (lb.h). They take the flow's key
 * (read only) and its hash halves, and return scalars (the known flow's also hands back its
 * backend's entry). All but the known flow's are global functions, so the verifier checks
 * each once on its own instead of once per path that reaches it (inlined, their loops and
 * branches multiplied the main program's states past 6.1's limit). The known flow's is
 * inlined: as a call it cost every known packet 6-8 ns, and inlined it takes 6.1's verifier
 * from 84K to 124K instructions (6.12's from 69K to 80K). Included by lb.h.
 */
#ifndef XLB_FLOW_H
#define XLB_FLOW_H

#include "xlb_defs.h"
#include "xlb_abi.h"
#include "xlb_hash.h"
#include "xlb_choice.h"
#include "conn.h"
#include "conn_moved.h"

#define XLB_FLOW_NONE  -1 /* xlb_flow_known(): the flow has no slot */
#define XLB_FLOW_STALE -2 /* ... it has one, but its backend is gone or down */

/*
 * Flow k's slot (its hash halves hash, lo) in this CPU's part: in its own bucket, at *idx, or
 * in the pair when the bucket lent it flows (then *idx is the pair's); *b is where the slot is
 * (NULL without k). -1 if it has none.
 */
static __always_inline int xlb_flow_slot(const struct xlb_flow_key *k, __u32 hash, __u32 lo,
					 __u32 *idx, struct xlb_conn_bucket **b)
{
	__u16 tag = xlb_conn_tag(lo);
	int i;

	*b = NULL;
	if (!k) /* a global function's pointer may be NULL for the verifier */
		return -1;
	*idx = xlb_conn_index(hash);
	*b = xlb_conn_at(*idx);
	if (!*b)
		return -1;
	i = xlb_conn_find(*b, k, tag);
	if (i >= 0 || !((*b)->next & XLB_CONN_SPILL))
		return i;
	*b = xlb_conn_at(*idx ^ 1);
	i = *b ? xlb_conn_find(*b, k, tag) : -1;
	if (i >= 0)
		*idx ^= 1;
	return i;
}

/*
 * The second packet of the probation flow in slot i of the bucket at idx: it is established
 * from now on. A global function, as it runs once in a flow's life: inlined, it took registers
 * from xlb_flow_known() that every known packet then paid for (1-2 ns). Always 0.
 */
__noinline int xlb_flow_establish(__u32 idx, int i)
{
	struct xlb_conn_bucket *b = xlb_conn_at(idx);

	if (b)
		xlb_conn_establish(b, i);
	return 0;
}

/*
 * A known flow: the backend id recorded for k, if that backend still exists (same gen) and is
 * up, with its entry in *bep; its second packet establishes a probation entry. XLB_FLOW_NONE
 * or XLB_FLOW_STALE if not (*bep untouched).
 */
static __always_inline int xlb_flow_known(const struct xlb_flow_key *k, __u32 hash, __u32 lo,
					  struct xlb_backend **bep)
{
	struct xlb_conn_bucket *b;
	struct xlb_backend *be;
	struct xlb_conn *e;
	__u32 idx, id;
	int i = xlb_flow_slot(k, hash, lo, &idx, &b);

	if (!b || i < 0 || i >= XLB_CONN_SLOTS) /* the verifier wants both */
		return XLB_FLOW_NONE;
	e = &b->slot[i];
	id = e->backend;
	be = bpf_map_lookup_elem(&xlb_backends, &id);
	if (!be || !xlb_be_follows(be->flags, be->gen, e->gen))
		return XLB_FLOW_STALE;
	if (!(b->est & (1 << i)))
		xlb_flow_establish(idx, i);
	*bep = be;
	return id;
}

/*
 * Records that flow k goes to backend id of generation gen: over its slot if it has one (whose
 * backend went away; its state is kept, and its SYN's note, which names that backend, is
 * forgotten: a note is read only where the flow's slot moved, so it may still be there, and on
 * another CPU it would take the flow back), else as a new flow in its bucket. Always 0.
 */
__noinline int xlb_flow_learn(const struct xlb_flow_key *k, __u32 hash, __u32 lo, __u32 id,
			      __u32 gen)
{
	struct xlb_conn_bucket *b;
	__u32 idx;
	int i = xlb_flow_slot(k, hash, lo, &idx, &b);

	if (!b)
		return 0;
	if (i < 0 || i >= XLB_CONN_SLOTS) {
		xlb_conn_record(idx, k, lo, id, gen);
		return 0;
	}
	b->slot[i].backend = id;
	b->slot[i].gen = gen;
	xlb_syn_forget(k, lo);
	return 0;
}

/*
 * A SYN opens a new connection: an entry left by an earlier one on its 5-tuple goes, here and,
 * when its table slot moved (others), in the other CPUs' parts; an entry there of a slot that
 * never moved names the backend the SYN takes. Always 0.
 */
__noinline int xlb_flow_forget(const struct xlb_flow_key *k, __u32 hash, __u32 lo, bool others)
{
	struct xlb_conn_bucket *b;
	__u32 idx;
	int i = xlb_flow_slot(k, hash, lo, &idx, &b);

	if (!k) /* the verifier wants it here too, before the other parts read *k */
		return 0;
	if (b)
		xlb_conn_clear(b, i);
	if (others)
		xlb_conn_forget_others(k, hash, lo);
	return 0;
}

/*
 * A flow this CPU has no slot for: the backend its SYN went to (the handshake's next packet).
 * gen << 16 | id, or -1.
 */
__noinline __s64 xlb_flow_recall(const struct xlb_flow_key *k, __u32 lo)
{
	__u32 id, gen;

	if (!k || xlb_syn_recall(k, lo, &id, &gen))
		return -1;
	return (__s64)gen << 16 | id;
}

/*
 * A flow this CPU has no slot for, whose SYN it does not recall: the backend another CPU's
 * part records (a flow that moved here). gen << 16 | id, or -1.
 */
__noinline __s64 xlb_flow_moved(const struct xlb_flow_key *k, __u32 hash, __u32 lo)
{
	__u32 id, gen;

	if (!k || xlb_conn_moved(k, hash, lo, &id, &gen))
		return -1;
	return (__s64)gen << 16 | id;
}

/* Remembers that the SYN of flow k (lo: its hash's low half) went to backend id, gen. 0. */
__noinline int xlb_flow_syn(const struct xlb_flow_key *k, __u32 lo, __u32 id, __u32 gen)
{
	if (k)
		xlb_syn_remember(k, lo, id, gen);
	return 0;
}

#endif /* XLB_FLOW_H */
