/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The connection table (xlb_conns, layout in xlb_abi.h): finding a flow's slot, recording a
 * new flow, establishing it on its second packet, and clearing it when a SYN reuses its
 * 5-tuple. A known flow costs xlb_conn_hash(), one inlined array lookup, the bucket's tags and
 * one slot's key: no helper call. Included by lb.h, after the maps.
 */
#ifndef XLB_CONN_H
#define XLB_CONN_H

#include "xlb_defs.h"
#include "xlb_abi.h"

/* Buckets in each CPU's part of xlb_conns: set by userspace before load (xlb_conns_size()). */
const volatile __u32 xlb_conn_buckets = 1;
/*
 * Whether a GCRA whose next event was due at *tat admits one now, events gap ns apart with a
 * second's worth as burst; moves *tat on if so.
 */
static __always_inline bool xlb_gcra(__u64 *tat, __u64 now, __u64 gap)
{
	__u64 due = *tat > now ? *tat : now;

	if (due - now + gap > 1000000000ull) /* the burst: a second's worth at once */
		return false;
	*tat = due + gap;
	return true;
}

/*
 * Whether this CPU admits another SYN for VIP vip_id, whose limit is limit SYNs a second
 * (not 0). A helper call (the clock) and a division, on the SYN path of limited VIPs only.
 */
static __always_inline bool xlb_vip_admit(__u32 vip_id, __u32 limit)
{
	__u64 *tat = bpf_map_lookup_elem(&xlb_vip_rate, &vip_id);

	return !tat || xlb_gcra(tat, bpf_ktime_get_coarse_ns(), 1000000000ull / limit);
}

/* Nanoseconds between two inserts on one CPU: 1e9 / --insert-limit, set before load. */
const volatile __u64 xlb_insert_gap_ns = 1000000000ull / XLB_INSERT_LIMIT_DEFAULT;

/*
 * Whether this CPU may record a new flow now: a generic cell rate algorithm (xlb_gcra) over
 * xlb_insert_gap_ns. The one helper call of the table (the clock), on the insert path only.
 */
static __always_inline bool xlb_conn_may_insert(struct xlb_conn_stats *cs)
{
	__u64 now = bpf_ktime_get_coarse_ns();

	if (xlb_gcra(&cs->tat, now, xlb_insert_gap_ns))
		return true;
	cs->capped++;
	cs->capped_at = now;
	return false;
}

/*
 * This CPU's bucket index for hash (the high half of xlb_conn_hash()): its part, then the
 * hash scaled onto the part's buckets (multiply and shift: any bucket count, no division).
 * The map holds the possible CPUs times xlb_conn_buckets, so the lookup never fails.
 */
static __always_inline __u32 xlb_conn_index(__u32 hash)
{
	return bpf_get_smp_processor_id() * xlb_conn_buckets +
	       (__u32)(((__u64)hash * xlb_conn_buckets) >> 32);
}

/* The bucket at idx (the pair of idx is idx ^ 1: parts hold whole pairs). */
static __always_inline struct xlb_conn_bucket *xlb_conn_at(__u32 idx)
{
	return bpf_map_lookup_elem(&xlb_conns, &idx);
}

/* An empty slot of b, or -1. */
static __always_inline int xlb_conn_empty(const struct xlb_conn_bucket *b)
{
	int i;

	for (i = 0; i < XLB_CONN_SLOTS; i++) /* XLB_CONN_SLOTS tags */
		if (!b->tag[i])
			return i;
	return -1;
}

/*
 * Whether slot e holds flow k: every byte of the key but its padding. An IPv4 key's other
 * address words are zero, as are those of every IPv4 entry, and an entry of the other family
 * differs in family: one branch on it saves IPv4 six words.
 */
static __always_inline bool xlb_conn_is(const struct xlb_conn *e, const struct xlb_flow_key *k)
{
	__u32 d = (e->src[0] ^ k->src[0]) | (e->dst[0] ^ k->dst[0]);

	if (k->family != XLB_FAM_V4)
		d |= (e->src[1] ^ k->src[1]) | (e->src[2] ^ k->src[2]) | (e->src[3] ^ k->src[3]) |
		     (e->dst[1] ^ k->dst[1]) | (e->dst[2] ^ k->dst[2]) | (e->dst[3] ^ k->dst[3]);

	d |= (e->sport ^ k->sport) | (e->dport ^ k->dport);
	return !(d | (e->proto ^ k->proto) | (e->family ^ k->family));
}

/* k's slot in bucket b (its tag is tag), or -1. Only a slot whose tag matches is read. */
static __always_inline int xlb_conn_find(const struct xlb_conn_bucket *b,
					 const struct xlb_flow_key *k, __u16 tag)
{
	int i;

	for (i = 0; i < XLB_CONN_SLOTS; i++) /* XLB_CONN_SLOTS tags at most */
		if (b->tag[i] == tag && xlb_conn_is(&b->slot[i], k))
			return i;
	return -1;
}

static __always_inline struct xlb_conn_stats *xlb_conn_stats_this_cpu(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&xlb_conn_stats, &zero);
}

/* The second packet of the probation flow in slot i: it is established from now on. */
static __always_inline void xlb_conn_establish(struct xlb_conn_bucket *b, int i)
{
	struct xlb_conn_stats *cs = xlb_conn_stats_this_cpu();

	if (!cs || i < 0 ||
	    i >= XLB_CONN_SLOTS) /* cs: index 0 always exists; i: for the verifier */
		return;
	b->est |= 1 << i;
	b->slot[i].stamp = cs->recorded;
	cs->established++;
}

/* The established slot whose stamp is oldest. Ages are the clock minus the stamp: wrap-safe. */
static __always_inline int xlb_conn_oldest(const struct xlb_conn_bucket *b, __u32 now)
{
	__u32 age, max = 0;
	int i, oldest = 0;

	for (i = 0; i < XLB_CONN_SLOTS; i++) { /* every slot is established here */
		age = now - b->slot[i].stamp;
		if (age > max) {
			max = age;
			oldest = i;
		}
	}
	return oldest;
}

/* A slot of b to take for a new flow: an empty one, or -1. */
static __always_inline int xlb_conn_free(struct xlb_conn_bucket *b, struct xlb_conn_stats *cs)
{
	int e = xlb_conn_empty(b);

	if (e >= 0)
		cs->used++;
	return e;
}

/* A probation slot of b, taken in turn from where the last was (first in, first out), or -1. */
static __always_inline int xlb_conn_reuse(struct xlb_conn_bucket *b, struct xlb_conn_stats *cs)
{
	__u32 i, n = b->next & (XLB_CONN_SPILL - 1);

	if (n >= XLB_CONN_SLOTS) /* userspace could have written anything */
		n = 0;
	for (i = 0; i < XLB_CONN_SLOTS; i++, n++) { /* XLB_CONN_SLOTS slots, from next around */
		if (n >= XLB_CONN_SLOTS)
			n -= XLB_CONN_SLOTS;
		if (!(b->est & (1 << n))) {
			b->next = (b->next & XLB_CONN_SPILL) | (n + 1);
			cs->replaced++;
			return n;
		}
	}
	return -1;
}

/*
 * The slot a new flow takes in b (its bucket) or in pair (*in says which: pair may be NULL),
 * and whether it enters established; -1 when it is not recorded. An empty slot of b, else a
 * probation one of b, else an empty or probation one of pair (b is then marked as spilled:
 * only a bucket full of established flows makes its lookups read two buckets), else the flow
 * is turned away and leaves its knock (lo, the low half of its hash: 32 bits the bucket
 * index does not use); knocking again (its next packet) proves two packets, and b's oldest
 * established entry goes. A flood of one-packet flows thus never evicts an established one,
 * and a new connection evicts one only when both buckets hold nothing but established ones.
 */
static __always_inline int xlb_conn_pick(struct xlb_conn_bucket *b, struct xlb_conn_bucket *pair,
					 struct xlb_conn_stats *cs, __u32 lo, bool *est, bool *in)
{
	int e;

	*est = *in = false;
	e = xlb_conn_free(b, cs);
	if (e < 0)
		e = xlb_conn_reuse(b, cs);
	if (e >= 0)
		return e;
	if (pair) {
		e = xlb_conn_free(pair, cs);
		if (e < 0)
			e = xlb_conn_reuse(pair, cs);
		if (e >= 0) {
			b->next |= XLB_CONN_SPILL;
			*in = true;
			return e;
		}
	}
	if (b->knock != (lo | 1)) {
		b->knock = lo | 1;
		cs->turned_away++;
		return -1;
	}
	b->knock = 0;
	cs->evicted++;
	*est = true;
	return xlb_conn_oldest(b, cs->recorded);
}

/*
 * Writes flow k's key (but its family, which callers that publish through it write last) and
 * backend id of generation gen into entry e.
 */
static __always_inline void xlb_conn_write(struct xlb_conn *e, const struct xlb_flow_key *k,
					   __u32 id, __u32 gen)
{
	__builtin_memcpy(e->src, k->src, sizeof(e->src));
	__builtin_memcpy(e->dst, k->dst, sizeof(e->dst));
	e->sport = k->sport;
	e->dport = k->dport;
	e->proto = k->proto;
	e->backend = id;
	e->gen = gen;
}

/*
 * Records flow k (lo: the low half of its hash) for backend id of generation gen in its
 * bucket, at index idx, or in that bucket's pair.
 */
static __always_inline void xlb_conn_record(__u32 idx, const struct xlb_flow_key *k, __u32 lo,
					    __u32 id, __u32 gen)
{
	struct xlb_conn_bucket *b = xlb_conn_at(idx), *pair = xlb_conn_at(idx ^ 1);
	struct xlb_conn_stats *cs = xlb_conn_stats_this_cpu();
	struct xlb_conn *e;
	bool est, in_pair;
	int i;

	if (!b || !cs || !xlb_conn_may_insert(cs))
		return;
	i = xlb_conn_pick(b, pair, cs, lo, &est, &in_pair);
	if (i < 0 || i >= XLB_CONN_SLOTS)
		return;
	if (in_pair && pair)
		b = pair;
	e = &b->slot[i];
	/* Other CPUs may read this slot (conn_moved.h): unpublish it while it is rewritten. */
	b->tag[i] = 0;
	xlb_barrier();
	xlb_conn_write(e, k, id, gen);
	e->family = k->family;
	e->stamp = ++cs->recorded;
	xlb_barrier();
	b->tag[i] = xlb_conn_tag(lo);
	if (est)
		b->est |= 1 << i;
	else
		b->est &= ~(1 << i);
}

/* The note slot of a SYN whose hash's low half is lo (the index is below max_entries). */
static __always_inline struct xlb_conn *xlb_syn_at(__u32 lo)
{
	__u32 i = lo & (XLB_SYN_SLOTS - 1);

	return bpf_map_lookup_elem(&xlb_syns, &i);
}

/* Remembers that the SYN of flow k (lo: the low half of its hash) went to backend id, gen. */
static __always_inline void xlb_syn_remember(const struct xlb_flow_key *k, __u32 lo, __u32 id,
					     __u32 gen)
{
	struct xlb_conn *e = xlb_syn_at(lo);

	if (!e) /* never: the index is below max_entries; the verifier wants the check */
		return;
	/* Other CPUs read it: unpublished (family 0) while it is rewritten. */
	e->family = 0;
	xlb_barrier();
	xlb_conn_write(e, k, id, gen);
	xlb_barrier();
	e->family = k->family;
}

/*
 * The backend flow k's SYN went to, if remembered (then forgotten); 0 or -1. Read as the
 * other CPUs' parts are (conn_moved.h): kept only if still published after the reads.
 */
static __always_inline int xlb_syn_recall(const struct xlb_flow_key *k, __u32 lo, __u32 *id,
					  __u32 *gen)
{
	struct xlb_conn *e = xlb_syn_at(lo);

	if (!e || !xlb_conn_is(e, k))
		return -1;
	*id = READ_ONCE(e->backend);
	*gen = READ_ONCE(e->gen);
	xlb_barrier();
	if (READ_ONCE(e->family) != k->family || !xlb_conn_is(e, k))
		return -1;
	e->family = 0;
	return 0;
}

/*
 * Forgets the note of flow k's SYN (lo: the low half of its hash), if it still holds one: the
 * flow goes elsewhere now. A note another CPU's SYN began to write just after the check is
 * lost with it (that handshake's next packet then goes by Maglev), as in xlb_syn_recall().
 */
static __always_inline void xlb_syn_forget(const struct xlb_flow_key *k, __u32 lo)
{
	struct xlb_conn *e = xlb_syn_at(lo);

	if (e && READ_ONCE(e->family) == k->family && xlb_conn_is(e, k))
		e->family = 0;
}

/* A SYN reusing the 5-tuple in slot i (a new connection): the entry goes, its slot freed. */
static __always_inline void xlb_conn_clear(struct xlb_conn_bucket *b, int i)
{
	struct xlb_conn_stats *cs = xlb_conn_stats_this_cpu();

	if (!cs || i < 0 || i >= XLB_CONN_SLOTS)
		return;
	if (b->est & (1 << i))
		cs->established--;
	cs->used--;
	cs->cleared++;
	b->est &= ~(1 << i);
	b->tag[i] = 0;
}

#endif /* XLB_CONN_H */
