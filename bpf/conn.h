/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The connection table (xlb_conns, layout in xlb_abi.h): finding a flow's slot, recording a
 * new flow, establishing it on its second packet, and clearing it when a SYN reuses its
 * 5-tuple. A known flow costs the flow hash, one inlined array lookup and a compare of at
 * most XLB_CONN_SLOTS slots: no helper call. Included by lb.h, after the maps.
 */
#ifndef XLB_CONN_H
#define XLB_CONN_H

#include "xlb_defs.h"
#include "xlb_abi.h"

/* Buckets in each CPU's part of xlb_conns: set by userspace before load (xlb_conns_size()). */
const volatile __u32 xlb_conn_buckets = 1;

/*
 * This CPU's bucket for hash: its part, then the hash scaled onto the part's buckets
 * (multiply and shift: any bucket count, no division). NULL only if the map is smaller than
 * the possible CPUs times xlb_conn_buckets, which the loader never allows.
 */
static __always_inline struct xlb_conn_bucket *xlb_conn_bucket_of(__u32 hash)
{
	__u32 idx = bpf_get_smp_processor_id() * xlb_conn_buckets +
		    (__u32)(((__u64)hash * xlb_conn_buckets) >> 32);

	return bpf_map_lookup_elem(&xlb_conns, &idx);
}

/* Whether slot e holds flow k: every byte of the key but its padding, without branches. */
static __always_inline bool xlb_conn_is(const struct xlb_conn *e, const struct xlb_flow_key *k)
{
	__u32 d = (e->src[0] ^ k->src[0]) | (e->src[1] ^ k->src[1]) | (e->src[2] ^ k->src[2]) |
		  (e->src[3] ^ k->src[3]) | (e->dst[0] ^ k->dst[0]) | (e->dst[1] ^ k->dst[1]) |
		  (e->dst[2] ^ k->dst[2]) | (e->dst[3] ^ k->dst[3]);

	d |= (e->sport ^ k->sport) | (e->dport ^ k->dport);
	return !(d | (e->proto ^ k->proto) | (e->family ^ k->family));
}

/* k's slot in bucket b, or NULL. An empty slot has family 0 and never matches a key. */
static __always_inline struct xlb_conn *xlb_conn_find(struct xlb_conn_bucket *b,
						      const struct xlb_flow_key *k)
{
	int i;

	for (i = 0; i < XLB_CONN_SLOTS; i++) /* XLB_CONN_SLOTS compares at most */
		if (xlb_conn_is(&b->slot[i], k))
			return &b->slot[i];
	return NULL;
}

static __always_inline struct xlb_conn_stats *xlb_conn_stats_this_cpu(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&xlb_conn_stats, &zero);
}

/* The second packet of a probation flow: it is established from now on. */
static __always_inline void xlb_conn_establish(struct xlb_conn *e)
{
	struct xlb_conn_stats *cs = xlb_conn_stats_this_cpu();

	if (!cs) /* index 0 of an array always exists; the verifier wants the check */
		return;
	e->backend |= XLB_CONN_EST;
	e->stamp = cs->recorded;
	cs->established++;
}

/*
 * The slot a new flow takes in b: an empty one, else the probation entry recorded longest
 * ago; -1 when every slot is established (then the oldest established is in *oldest).
 * Ages are the part's clock minus the stamp, so the clock wrapping around changes nothing.
 */
static __always_inline int xlb_conn_victim(const struct xlb_conn_bucket *b, __u32 now, int *oldest)
{
	__u32 age, prob_age = 0, est_age = 0;
	int i, prob = -1;

	*oldest = 0;
	for (i = 0; i < XLB_CONN_SLOTS; i++) { /* one pass over the bucket */
		if (!b->slot[i].family)
			return i;
		age = now - b->slot[i].stamp;
		if (!(b->slot[i].backend & XLB_CONN_EST)) {
			if (prob < 0 || age > prob_age) {
				prob = i;
				prob_age = age;
			}
		} else if (age > est_age) {
			*oldest = i;
			est_age = age;
		}
	}
	return prob;
}

/*
 * Which slot of b flow hash may take, and whether it enters established; -1 when it is not
 * recorded. A flow turned away by a bucket of established entries leaves its hash as the
 * knock; knocking again (its next packet) proves two packets, so the oldest established
 * entry goes. A flood of one-packet flows thus never evicts an established one.
 */
static __always_inline int xlb_conn_pick(struct xlb_conn_bucket *b, struct xlb_conn_stats *cs,
					 __u32 hash, bool *est)
{
	int i, oldest;

	*est = false;
	i = xlb_conn_victim(b, cs->recorded, &oldest);
	if (i >= 0) {
		if (!b->slot[i & 7].family) /* & 7: the verifier wants i bounded here */
			cs->used++;
		else
			cs->replaced++;
		return i;
	}
	if (b->knock != (hash | 1)) {
		b->knock = hash | 1;
		cs->turned_away++;
		return -1;
	}
	b->knock = 0;
	cs->evicted++;
	*est = true;
	return oldest;
}

/* Records flow k (hash) in b for backend id of generation gen. */
static __always_inline void xlb_conn_record(struct xlb_conn_bucket *b, const struct xlb_flow_key *k,
					    __u32 hash, __u32 id, __u32 gen)
{
	struct xlb_conn_stats *cs = xlb_conn_stats_this_cpu();
	struct xlb_conn *e;
	bool est;
	int i;

	if (!cs)
		return;
	i = xlb_conn_pick(b, cs, hash, &est);
	if (i < 0 || i >= XLB_CONN_SLOTS)
		return;
	e = &b->slot[i];
	__builtin_memcpy(e->src, k->src, sizeof(e->src));
	__builtin_memcpy(e->dst, k->dst, sizeof(e->dst));
	e->sport = k->sport;
	e->dport = k->dport;
	e->proto = k->proto;
	e->family = k->family;
	e->backend = id | (est ? XLB_CONN_EST : 0);
	e->gen = gen;
	e->stamp = ++cs->recorded;
}

/* A SYN reusing the 5-tuple of entry e (a new connection): the entry goes, slot freed. */
static __always_inline void xlb_conn_clear(struct xlb_conn *e)
{
	struct xlb_conn_stats *cs = xlb_conn_stats_this_cpu();

	if (!cs)
		return;
	if (e->backend & XLB_CONN_EST)
		cs->established--;
	cs->used--;
	cs->cleared++;
	e->family = 0;
}

#endif /* XLB_CONN_H */
