/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Choosing where a packet goes: the VIP lookup (exact port, then port 0), the connection
 * table (its entry points in flow.h), and the VIP's table (Maglev's for new flows, or second
 * chance's two hops for every packet). Included by xlb_main.h, after the maps.
 */
#ifndef XLB_LB_H
#define XLB_LB_H

#include "xlb_defs.h"
#include "xlb_abi.h"
#include "xlb_hash.h"
#include "config.h"
#include "flow.h"

/* The VIP of key vk: from its slot of the VIP cache when it holds vk, else from xlb_vips. */
static __always_inline struct xlb_vip *xlb_vip_get(const struct xlb_vip_key *vk)
{
	__u32 i = xlb_vip_cache_slot(vk);
	struct xlb_vip_slot *s = bpf_map_lookup_elem(&xlb_vip_cache, &i);

	if (s && xlb_vip_key_eq(&s->key, vk))
		return &s->vip;
	return bpf_map_lookup_elem(&xlb_vips, vk);
}

static __always_inline struct xlb_vip *xlb_vip_find(const struct xlb_flow_key *k)
{
	struct xlb_vip_key vk = {};
	struct xlb_runtime *rt;
	struct xlb_vip *vip;
	__u32 zero = 0;

	xlb_vip_key_of(&vk, k);
	vip = xlb_vip_get(&vk);
	if (vip)
		return vip;
	rt = bpf_map_lookup_elem(&xlb_runtime, &zero);
	if (!xlb_vip_any_port(rt))
		return NULL;
	vk.port = 0;
	return xlb_vip_get(&vk);
}

/* Whether k's destination is an address that has a VIP (its address entry exists). */
static __always_inline bool xlb_is_vip_addr(const struct xlb_flow_key *k)
{
	struct xlb_vip_key vk = {};

	__builtin_memcpy(vk.addr, k->dst, sizeof(vk.addr));
	vk.family = k->family;
	return xlb_vip_get(&vk) != NULL;
}

#define XLB_MAYBE_VIP	 0x1 /* xlb_vip_filter_test(): k's destination may have a VIP */
#define XLB_MAYBE_TWOHOP 0x2 /* ... and a second-chance VIP */

/*
 * Whether k's destination may be a VIP address (XLB_MAYBE_VIP), and one of a second-chance VIP
 * (XLB_MAYBE_TWOHOP): its bits in the VIP filter. A clear bit means no VIP, so most other
 * traffic leaves without a hash-map lookup.
 */
static __always_inline __u32 xlb_vip_filter_test(const struct xlb_flow_key *k)
{
	struct xlb_vip_filter *f;
	__u32 zero = 0, bit, w;
	__u64 m;

	f = bpf_map_lookup_elem(&xlb_vip_filter, &zero);
	if (!f) /* index 0 of an array always exists; the verifier wants the check */
		return XLB_MAYBE_VIP;
	bit = xlb_addr_filter_bit(k->dst);
	w = (bit / 64) % (XLB_FILTER_BITS / 64); /* the modulo bounds the index for the verifier */
	m = 1ULL << (bit % 64);
	if (!(f->bits[w] & m))
		return 0;
	return f->twohop[w] & m ? XLB_MAYBE_VIP | XLB_MAYBE_TWOHOP : XLB_MAYBE_VIP;
}

struct xlb_choice {
	struct xlb_backend *be;
	__u32 id;
	__u32 second; /* second chance: the slot's second hop, 0 for none (and for every other) */
	__u32 hash;  /* xlb_conn_hash()'s high half: the bucket, and outer headers */
	__u32 lo;    /* its low half: tags */
	int known;   /* xlb_flow_known(): the backend id, XLB_FLOW_NONE or XLB_FLOW_STALE */
	bool moved;  /* xlb_maglev(): other CPUs' parts may record the flow for another backend */
};

/* k's hash into c, both halves. */
static __always_inline void xlb_flow_hash_into(const struct xlb_flow_key *k, struct xlb_choice *c)
{
	__u64 h = xlb_conn_hash(k);

	c->hash = h >> 32;
	c->lo = h;
}

/*
 * Whether flow k (whose hash c holds) is known: then c holds its backend, up and of the gen
 * it was recorded with.
 */
static __always_inline bool xlb_known(const struct xlb_flow_key *k, struct xlb_choice *c)
{
	c->known = xlb_flow_known(k, c->hash, c->lo, &c->be);
	if (c->known < 0)
		return false;
	c->id = c->known;
	return true;
}

/*
 * The backend another path chose for k (adopt: gen << 16 | id, or -1) into c, if it still
 * exists with that gen and is up; c stays as it was if not.
 */
static __always_inline bool xlb_adopted(__s64 adopt, struct xlb_choice *c)
{
	struct xlb_backend *be;
	__u32 id;

	if (adopt < 0)
		return false;
	id = adopt & 0xffff;
	be = bpf_map_lookup_elem(&xlb_backends, &id);
	if (!be || !xlb_be_follows(be->flags, be->gen, adopt >> 16))
		return false;
	c->id = id;
	c->be = be;
	c->second = 0; /* Maglev's slot may have named one: not this backend's */
	return true;
}

/*
 * The VIP's table slot for k into c (for second chance, both hops, and with twohop the hash
 * its outer headers take; and whether it moved, also when there is none): 0, or -1 when the
 * VIP has no usable backend. Without twohop, c holds k's hash halves (xlb_flow_hash_into()).
 */
static __always_inline int xlb_maglev(const struct xlb_vip *vip, const struct xlb_flow_key *k,
				      struct xlb_choice *c, bool twohop)
{
	__u8 sched = READ_ONCE(vip->sched); /* userspace may rewrite the VIP while we run */
	__u32 slot, *id, h;
	void *table;

	/* maglev-fast's hash is the connection hash's low half: c->lo, where c holds it. */
	if (sched == XLB_SCHED_MAGLEV_FAST && !twohop)
		h = c->lo;
	else
		h = xlb_maglev_hash(k, sched);
	if (twohop)
		c->hash = xlb_twohop_outer_hash(k, sched, h);
	c->moved = true;
	table = bpf_map_lookup_elem(&xlb_tables, &vip->id);
	if (!table)
		return -1;
	slot = xlb_maglev_slot(h, xlb_cfg.table_size, sched);
	id = bpf_map_lookup_elem(table, &slot);
	if (!id)
		return -1;
	c->moved = xlb_slot_moved(*id);
	c->id = xlb_slot_first(*id);
	c->second = xlb_slot_second(*id);
	c->be = bpf_map_lookup_elem(&xlb_backends, &c->id);
	return c->be && xlb_be_in_table(c->be->flags) ? 0 : -1;
}

/*
 * A new flow (or one whose backend is gone or down; c holds its hash and xlb_known()'s
 * answer), recorded for the next packets when learn is set: Maglev's; but when this CPU has no
 * slot for it and its table slot moved, the backend its SYN went to, else the one another
 * CPU's part records. A slot that never moved names the backend both would: neither is read.
 * 0, or -1 when the VIP has no usable backend.
 */
static __always_inline int xlb_new_flow(const struct xlb_vip *vip, const struct xlb_flow_key *k,
					bool learn, struct xlb_choice *c)
{
	int err;

	err = xlb_maglev(vip, k, c, false);
	if (learn && c->known == XLB_FLOW_NONE && c->moved &&
	    (xlb_adopted(xlb_flow_recall(k, c->lo), c) ||
	     xlb_adopted(xlb_flow_moved(k, c->hash, c->lo), c)))
		err = 0;
	if (err)
		return -1;
	if (learn)
		xlb_flow_learn(k, c->hash, c->lo, c->id, c->be->gen);
	return 0;
}

#endif /* XLB_LB_H */
