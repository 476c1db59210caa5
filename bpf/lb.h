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
	__u32 hash;	/* the flow hash, when has_hash */
	bool has_hash;
	struct xlb_conn_bucket *bucket; /* the flow's bucket, once looked up */
	struct xlb_conn *entry;		/* its entry there, if it has one */
};

/* Whether a backend takes its flows: in use, and up or standing in for a VIP with none up. */
static __always_inline bool xlb_be_up(__u8 flags)
{
	return (flags & XLB_BE_F_ACTIVE) &&
	       (!(flags & XLB_BE_F_DOWN) || (flags & XLB_BE_F_FAIL_OPEN));
}

/* Looks up k's bucket and entry into c (both may come back NULL). */
static __always_inline void xlb_flow_lookup(const struct xlb_flow_key *k, struct xlb_choice *c)
{
	c->hash = xlb_flow_hash(k);
	c->has_hash = true;
	c->bucket = xlb_conn_bucket_of(c->hash);
	if (c->bucket)
		c->entry = xlb_conn_find(c->bucket, k);
}

/*
 * A known flow: the backend recorded for k, if it still exists (same gen) and is up. Its
 * second packet establishes a probation entry.
 */
static __always_inline int xlb_flow_known(const struct xlb_flow_key *k, struct xlb_choice *c)
{
	struct xlb_conn *e;

	xlb_flow_lookup(k, c);
	e = c->entry;
	if (!e)
		return -1;
	c->id = e->backend & XLB_CONN_BE;
	c->be = bpf_map_lookup_elem(&xlb_backends, &c->id);
	if (!c->be || c->be->gen != e->gen || !xlb_be_up(c->be->flags))
		return -1;
	if (!(e->backend & XLB_CONN_EST))
		xlb_conn_establish(e);
	return 0;
}

/*
 * Records c's choice for flow k: over the entry whose backend went away (keeping its state),
 * or as a new flow in its bucket.
 */
static __always_inline void xlb_flow_learn(const struct xlb_flow_key *k, struct xlb_choice *c)
{
	struct xlb_conn *e = c->entry;

	if (e) {
		e->backend = (e->backend & XLB_CONN_EST) | c->id;
		e->gen = c->be->gen;
	} else if (c->bucket) {
		xlb_conn_record(c->bucket, k, c->hash, c->id, c->be->gen);
	}
}

/* A SYN opens a new connection: an entry left by an earlier one on this 5-tuple goes. */
static __always_inline void xlb_flow_forget(const struct xlb_flow_key *k, struct xlb_choice *c)
{
	xlb_flow_lookup(k, c);
	if (c->entry)
		xlb_conn_clear(c->entry);
	c->entry = NULL;
}

/*
 * A new flow (or one whose backend is gone or down): the VIP's Maglev table slot, recorded
 * for the next packets when learn is set (c then holds the flow's lookup). 0, or -1 when the
 * VIP has no usable backend.
 */
static __always_inline int xlb_new_flow(const struct xlb_vip *vip, const struct xlb_flow_key *k,
					bool learn, struct xlb_choice *c)
{
	__u32 slot, *id;
	void *table;

	table = bpf_map_lookup_elem(&xlb_tables, &vip->id);
	if (!table)
		return -1;
	if (vip->sched == XLB_SCHED_SH) {
		slot = xlb_src_hash(k);
	} else {
		if (!c->has_hash)
			c->hash = xlb_flow_hash(k);
		c->has_hash = true;
		slot = c->hash;
	}
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
