/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The pure steps of choosing a flow's backend, compiled into the XDP program (bpf/lb.h,
 * bpf/flow.h) and into `xlb explain`, so that explain cannot drift from the data plane: the
 * VIP key a flow looks up and when it looks again under port 0, whether a backend takes the
 * flows recorded for it, a new flow's table slot and the hops a slot value names. Include
 * after xlb_abi.h and xlb_hash.h.
 */
#ifndef XLB_CHOICE_H
#define XLB_CHOICE_H

/* The key of the VIP flow k is for, with k's destination port (the exact match). */
static __always_inline void xlb_vip_key_of(struct xlb_vip_key *vk, const struct xlb_flow_key *k)
{
	__builtin_memcpy(vk->addr, k->dst, sizeof(vk->addr));
	vk->port = k->dport;
	vk->proto = k->proto;
	vk->family = k->family;
}

/*
 * The VIP cache slot of key k: its address words folded (IPv4 keys have zeros in addr[1..3])
 * and its port, protocol and family, each multiplied by its own odd constant (XORed in one word,
 * an address's and a port's differences land on the same bits and cancel), added, and the top
 * 12 bits taken: two multiplies side by side, as it runs before every VIP lookup.
 */
static __always_inline __u32 xlb_vip_cache_slot(const struct xlb_vip_key *k)
{
	__u32 a = k->addr[0] ^ k->addr[1] ^ k->addr[2] ^ k->addr[3];
	__u32 w = (__u32)k->port << 16 | (__u32)k->proto << 8 | k->family;

	return (a * 0x9e3779b1u + w * 0x85ebca6bu) >> (32 - 12);
}
_Static_assert(XLB_VIP_CACHE_SLOTS == 1 << 12, "xlb_vip_cache_slot() takes 12 bits");

/* Whether VIP keys a and b are the same: every byte, without branches. */
static __always_inline bool xlb_vip_key_eq(const struct xlb_vip_key *a, const struct xlb_vip_key *b)
{
	return !((a->addr[0] ^ b->addr[0]) | (a->addr[1] ^ b->addr[1]) | (a->addr[2] ^ b->addr[2]) |
		 (a->addr[3] ^ b->addr[3]) | (__u32)(a->port ^ b->port) |
		 (__u32)(a->proto ^ b->proto) | (__u32)(a->family ^ b->family));
}

/* Whether a flow without a VIP on its own port looks again under port 0 (every port). */
static __always_inline bool xlb_vip_any_port(const struct xlb_runtime *rt)
{
	return rt && rt->any_port_vips;
}

/* Whether a backend takes its flows: in use, and up or standing in for a VIP with none up. */
static __always_inline bool xlb_be_up(__u8 flags)
{
	return (flags & XLB_BE_F_ACTIVE) &&
	       (!(flags & XLB_BE_F_DOWN) || (flags & XLB_BE_F_FAIL_OPEN));
}

/* Whether a flow recorded with backend generation gen still follows that backend. */
static __always_inline bool xlb_be_follows(__u8 flags, __u32 be_gen, __u32 gen)
{
	return be_gen == gen && xlb_be_up(flags);
}

/*
 * The hash a new flow's slot comes from, by its VIP's scheduler: maglev-fast's is the low half
 * of the connection hash, which the table path computes anyway.
 */
static __always_inline __u32 xlb_maglev_hash(const struct xlb_flow_key *k, __u8 sched)
{
	if (sched == XLB_SCHED_MAGLEV_FAST)
		return (__u32)xlb_conn_hash(k);
	return sched == XLB_SCHED_SH ? xlb_src_hash(k) : xlb_flow_hash(k);
}

/*
 * The slot of a Maglev table of size slots that xlb_maglev_hash() value hash picks: the
 * remainder, or for maglev-fast the hash scaled onto the slots (a multiply and a shift, as
 * even as the remainder, without its division).
 */
static __always_inline __u32 xlb_maglev_slot(__u32 hash, __u32 size, __u8 sched)
{
	if (sched == XLB_SCHED_MAGLEV_FAST)
		return (__u32)(((__u64)hash * size) >> 32);
	return hash % size;
}

/*
 * What a second-chance VIP's outer headers take from the flow (UDP source port, IPv6 flow
 * label): its slot's hash, xlb_maglev_hash() value hash, computed anyway; a source-hash VIP's
 * names the client, not the flow, so it takes the connection hash's high half instead.
 */
static __always_inline __u32 xlb_twohop_outer_hash(const struct xlb_flow_key *k, __u8 sched,
						   __u32 hash)
{
	return sched == XLB_SCHED_SH ? xlb_conn_hash(k) >> 32 : hash;
}

/* The first hop of table slot value v: its backend id (every slot of a Maglev table). */
static __always_inline __u32 xlb_slot_first(__u32 v)
{
	return v & XLB_SLOT_FIRST_MASK;
}

/* The second hop of table slot value v of a second-chance VIP, 0 for none. */
static __always_inline __u32 xlb_slot_second(__u32 v)
{
	return v >> XLB_SLOT_SECOND_SHIFT & XLB_SLOT_SECOND_MASK;
}

/* Whether slot value v's first hop may have changed while the connection table was kept. */
static __always_inline bool xlb_slot_moved(__u32 v)
{
	return !(v & XLB_SLOT_STABLE);
}

/* The slot value naming first and (0 for none) second hop. */
static __always_inline __u32 xlb_slot_pack(__u32 first, __u32 second)
{
	return first | second << XLB_SLOT_SECOND_SHIFT;
}

/*
 * Whether the backend a Maglev slot names takes a new flow. The table may list one marked
 * down (its VIP's "all" policy), never a drained or deleted one: those leave the table before
 * they leave the backends map.
 */
static __always_inline bool xlb_be_in_table(__u8 flags)
{
	return flags & XLB_BE_F_ACTIVE;
}

#endif /* XLB_CHOICE_H */
