/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Choosing where a packet goes: the VIP lookup (exact port, then port 0), the connection
 * table (conn.h), and the VIP's Maglev table for new flows. Included by xlb_main.h, after
 * the maps.
 */
#ifndef XLB_LB_H
#define XLB_LB_H

#include "xlb_defs.h"
#include "xlb_abi.h"
#include "xlb_hash.h"
#include "config.h"
#include "conn.h"
#include "conn_moved.h"

static __always_inline void xlb_vip_key_of(struct xlb_vip_key *vk, const struct xlb_flow_key *k)
{
	__builtin_memcpy(vk->addr, k->dst, sizeof(vk->addr));
	vk->port = k->dport;
	vk->proto = k->proto;
	vk->family = k->family;
}

static __always_inline struct xlb_vip *xlb_vip_find(const struct xlb_flow_key *k)
{
	struct xlb_vip_key vk = {};
	struct xlb_runtime *rt;
	struct xlb_vip *vip;
	__u32 zero = 0;

	xlb_vip_key_of(&vk, k);
	vip = bpf_map_lookup_elem(&xlb_vips, &vk);
	if (vip)
		return vip;
	rt = bpf_map_lookup_elem(&xlb_runtime, &zero);
	if (!rt || !rt->any_port_vips)
		return NULL;
	vk.port = 0;
	return bpf_map_lookup_elem(&xlb_vips, &vk);
}

/* Whether k's destination is an address that has a VIP (its address entry exists). */
static __always_inline bool xlb_is_vip_addr(const struct xlb_flow_key *k)
{
	struct xlb_vip_key vk = {};

	__builtin_memcpy(vk.addr, k->dst, sizeof(vk.addr));
	vk.family = k->family;
	return bpf_map_lookup_elem(&xlb_vips, &vk) != NULL;
}

/*
 * Whether k's destination may be a VIP address: its bit in the VIP filter. A clear bit means
 * no VIP, so most other traffic leaves without a hash-map lookup.
 */
static __always_inline bool xlb_maybe_vip(const struct xlb_flow_key *k)
{
	struct xlb_vip_filter *f;
	__u32 zero = 0, bit;

	f = bpf_map_lookup_elem(&xlb_vip_filter, &zero);
	if (!f) /* index 0 of an array always exists; the verifier wants the check */
		return true;
	bit = xlb_addr_filter_bit(k->dst);
	return f->bits[(bit / 64) % (XLB_FILTER_BITS / 64)] & (1ULL << (bit % 64));
}

struct xlb_choice {
	struct xlb_backend *be;
	__u32 id;
	__u32 hash;	/* xlb_conn_hash()'s high half, for outer headers, when has_hash */
	__u32 lo;	/* its low half (tags), when has_hash */
	bool has_hash;
	int slot;	/* the flow's slot in bucket, when it has one; else -1 */
	__u32 idx;	/* the index of the flow's own bucket, once looked up */
	struct xlb_conn_bucket *bucket; /* where its slot is (its own bucket or the pair) */
};

/* Whether a backend takes its flows: in use, and up or standing in for a VIP with none up. */
static __always_inline bool xlb_be_up(__u8 flags)
{
	return (flags & XLB_BE_F_ACTIVE) &&
	       (!(flags & XLB_BE_F_DOWN) || (flags & XLB_BE_F_FAIL_OPEN));
}

/* k's hash into c, both halves. */
static __always_inline void xlb_flow_hash_into(const struct xlb_flow_key *k, struct xlb_choice *c)
{
	__u64 h = xlb_conn_hash(k);

	c->hash = h >> 32;
	c->lo = h;
	c->has_hash = true;
}

/*
 * Looks up k's bucket and slot into c (the bucket may come back NULL, the slot -1): its own
 * bucket, and the pair too when the bucket lent it flows.
 */
static __always_inline void xlb_flow_lookup(const struct xlb_flow_key *k, struct xlb_choice *c)
{
	__u16 tag;

	xlb_flow_hash_into(k, c);
	tag = xlb_conn_tag(c->lo);
	c->slot = -1;
	c->idx = xlb_conn_index(c->hash);
	c->bucket = xlb_conn_at(c->idx);
	if (!c->bucket)
		return;
	c->slot = xlb_conn_find(c->bucket, k, tag);
	if (c->slot >= 0 || !(c->bucket->next & XLB_CONN_SPILL))
		return;
	c->bucket = xlb_conn_at(c->idx ^ 1);
	if (c->bucket)
		c->slot = xlb_conn_find(c->bucket, k, tag);
}

/*
 * A known flow: the backend recorded for k, if it still exists (same gen) and is up. Its
 * second packet establishes a probation entry.
 */
static __always_inline int xlb_flow_known(const struct xlb_flow_key *k, struct xlb_choice *c)
{
	struct xlb_conn *e;

	xlb_flow_lookup(k, c);
	if (!c->bucket || c->slot < 0 || c->slot >= XLB_CONN_SLOTS) /* the verifier wants both */
		return -1;
	e = &c->bucket->slot[c->slot];
	c->id = e->backend;
	c->be = bpf_map_lookup_elem(&xlb_backends, &c->id);
	if (!c->be || c->be->gen != e->gen || !xlb_be_up(c->be->flags))
		return -1;
	if (!(c->bucket->est & (1 << c->slot)))
		xlb_conn_establish(c->bucket, c->slot);
	return 0;
}

/*
 * Records c's choice for flow k: over the entry whose backend went away (keeping its state),
 * or as a new flow in its bucket.
 */
static __always_inline void xlb_flow_learn(const struct xlb_flow_key *k, struct xlb_choice *c)
{
	struct xlb_conn *e;

	if (!c->bucket)
		return;
	if (c->slot < 0 || c->slot >= XLB_CONN_SLOTS) {
		xlb_conn_record(c->idx, k, c->lo, c->id, c->be->gen);
		return;
	}
	e = &c->bucket->slot[c->slot];
	e->backend = c->id;
	e->gen = c->be->gen;
}

/* A SYN opens a new connection: an entry left by an earlier one on this 5-tuple goes. */
static __always_inline void xlb_flow_forget(const struct xlb_flow_key *k, struct xlb_choice *c)
{
	xlb_flow_lookup(k, c);
	if (c->bucket)
		xlb_conn_clear(c->bucket, c->slot);
	xlb_conn_forget_others(k, c->hash, c->lo);
	c->bucket = NULL; /* nothing to learn: a SYN is never recorded */
}

/*
 * A new flow (or one whose backend is gone or down): the backend its SYN went to, if this CPU
 * remembers it, else the VIP's Maglev table slot, recorded for the next packets when learn is
 * set (c then holds the flow's lookup). 0, or -1 when the
 * VIP has no usable backend.
 */
static __always_inline int xlb_new_flow(const struct xlb_vip *vip, const struct xlb_flow_key *k,
					bool learn, struct xlb_choice *c)
{
	__u32 slot, *id, gen;
	void *table;

	/* The handshake's next packet: the backend its SYN went to; or a flow that moved here
	 * from another CPU: the backend recorded there. Either if still usable. */
	if (learn && c->has_hash && c->slot < 0 &&
	    (!xlb_syn_recall(k, c->lo, &c->id, &gen) ||
	     !xlb_conn_moved(k, c->hash, c->lo, &c->id, &gen))) {
		c->be = bpf_map_lookup_elem(&xlb_backends, &c->id);
		if (c->be && c->be->gen == gen && xlb_be_up(c->be->flags)) {
			xlb_flow_learn(k, c);
			return 0;
		}
	}
	table = bpf_map_lookup_elem(&xlb_tables, &vip->id);
	if (!table)
		return -1;
	slot = vip->sched == XLB_SCHED_SH ? xlb_src_hash(k) : xlb_flow_hash(k);
	slot %= xlb_cfg.table_size;
	id = bpf_map_lookup_elem(table, &slot);
	if (!id)
		return -1;
	c->id = *id;
	c->be = bpf_map_lookup_elem(&xlb_backends, &c->id);
	/* The table may list a backend marked down (the VIP's "all" policy), never a drained or
	 * deleted one: those leave the table before they leave the backends map. */
	if (!c->be || !(c->be->flags & XLB_BE_F_ACTIVE))
		return -1;
	if (learn)
		xlb_flow_learn(k, c);
	return 0;
}

#endif /* XLB_LB_H */
