/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Fragments in the nat modes. Full NAT: which pool address a client datagram's first fragment
 * left from, noted beside its backend in xlb_frags, so its later fragments (no ports to find
 * their flow by) leave from it too. Replies: what a NAT backend's first reply fragment became,
 * kept in xlb_nat_frags, so its later fragments become the same. Included by xlb_main.h.
 */
#ifndef XLB_NAT_FRAG_H
#define XLB_NAT_FRAG_H

#include "xlb_defs.h"
#include "xlb_abi.h"
#include "xlb_maps.bpf.h"
#include "encap.h"
#include "frag.h"
#include "nat.h"
#include "fnat.h"

_Static_assert(!(XLB_SNAT_MAX & (XLB_SNAT_MAX - 1)), "xlb_fnat_later() masks pool indexes");

/* The source and destination addresses of p's IP header as the frame has them now. 0, or -1. */
static __always_inline int xlb_frame_addrs(struct xdp_md *ctx, const struct xlb_pkt *p, __be32 *src,
					   __be32 *dst)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ipv6hdr *ip6 = xlb_at(data, p->l3_off);
	struct iphdr *iph = xlb_at(data, p->l3_off);

	if (p->key.family == XLB_FAM_V4) {
		if ((void *)(iph + 1) > end)
			return -1;
		src[0] = iph->saddr;
		dst[0] = iph->daddr;
		return 0;
	}
	if ((void *)(ip6 + 1) > end)
		return -1;
	__builtin_memcpy(src, &ip6->saddr, 16);
	__builtin_memcpy(dst, &ip6->daddr, 16);
	return 0;
}

/* Whether addresses a and b (four words each, IPv4 in the first) are the same. */
static __always_inline bool xlb_addr_eq(const __be32 *a, const __be32 *b)
{
	return !((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]));
}

/*
 * After full NAT sent first fragment p (whose frame's source is now an address of the pool of
 * VIP vid), notes which address in the datagram's xlb_frags entry, which xlb_frag_record()
 * made before the send: 1 + its index, in snat. Nothing for plain LVS-NAT. A global function,
 * with its key off the packet path's stack. Always 0.
 */
__noinline int xlb_frag_snat_note(struct xdp_md *ctx, const struct xlb_pkt *p, __u32 vid)
{
	__be32 src[4] = {}, dst[4] = {};
	struct xlb_frag_key fk = {};
	struct xlb_snat *pool;
	struct xlb_frag *f;
	__u32 i, count;

	if (!p) /* a global function's pointer may be NULL for the verifier */
		return 0;
	pool = bpf_map_lookup_elem(&xlb_snat, &vid);
	if (!pool || xlb_frame_addrs(ctx, p, src, dst))
		return 0;
	count = READ_ONCE(pool->count);
	if (!count)
		return 0;
	xlb_frag_key_of(p, &fk);
	f = bpf_map_lookup_elem(&xlb_frags, &fk);
	if (!f)
		return 0;
	/* Bounded by XLB_SNAT_MAX (8), the pool's size. */
	for (i = 0; i < XLB_SNAT_MAX && i < count; i++) {
		if (xlb_addr_eq(pool->addr[i], src)) {
			f->snat = i + 1;
			break;
		}
	}
	return 0;
}

/*
 * Full NAT, later fragment p of a datagram whose first went to backend be (address baddr): it
 * leaves from the pool address its first left from (xlb_frag_snat_note()), to baddr, addresses
 * only (it carries no L4 header; the IPv4 header checksum is updated). Its xlb_frags key is
 * built in fk, zeroed, off the stack: xlb_forward()'s frame has no room for it. 0, -1, or
 * XLB_NAT_LATER when the first noted no pool address (or the pool shrank since).
 */
static __always_inline int xlb_fnat_later(struct xdp_md *ctx, const struct xlb_pkt *p,
					  const struct xlb_backend *be, const struct xlb_snat *pool,
					  const __be32 *baddr, struct xlb_frag_key *fk)
{
	struct xlb_frag *f;
	__u32 i;

	xlb_frag_key_of(p, fk);
	f = bpf_map_lookup_elem(&xlb_frags, fk);
	if (!f)
		return XLB_NAT_LATER;
	i = READ_ONCE(f->snat);
	if (!i || i > READ_ONCE(pool->count) || i > XLB_SNAT_MAX)
		return XLB_NAT_LATER;
	/*
	 * i - 1 < XLB_SNAT_MAX, a power of two, so the mask changes nothing; 6.1's verifier needs
	 * it (kept by the empty asm), as clang forms the address apart from the tests above.
	 */
	i -= 1;
	asm volatile("" : "+r"(i));
	i &= XLB_SNAT_MAX - 1;
	if (xlb_nat_rewrite(ctx, p, baddr, 0, true) ||
	    xlb_nat_rewrite(ctx, p, pool->addr[i], 0, false))
		return -1;
	return xlb_dr(ctx, be);
}

/*
 * Records, for the later fragments of reply datagram p, the addresses its first fragment has
 * now that xlb_nat_reply() translated it (p's key still holds those it arrived with). A global
 * function, with its key and value off the packet path's stack. Always 0.
 */
__noinline int xlb_nat_frag_record(struct xdp_md *ctx, const struct xlb_pkt *p)
{
	struct xlb_frag_key fk = {};
	struct xlb_nat_frag v = {};

	if (!p) /* a global function's pointer may be NULL for the verifier */
		return 0;
	if (xlb_frame_addrs(ctx, p, v.src, v.dst))
		return 0;
	xlb_frag_key_of(p, &fk);
	bpf_map_update_elem(&xlb_nat_frags, &fk, &v, BPF_ANY);
	return 0;
}

/*
 * Later fragment p of a NAT backend's reply datagram gets the addresses its first fragment got
 * (xlb_nat_frag_record()): addresses only, the IPv4 header checksum updated, and goes to the
 * next hop. 0; 1 when its first was not seen; -1 when a header is not in the frame.
 */
static __always_inline int xlb_nat_frag_follow(struct xdp_md *ctx, const struct xlb_pkt *p)
{
	struct xlb_frag_key fk = {};
	struct xlb_nat_frag *v;
	__be32 src[4], dst[4];
	int i;

	xlb_frag_key_of(p, &fk);
	v = bpf_map_lookup_elem(&xlb_nat_frags, &fk);
	if (!v)
		return 1;
	/* Read once: another CPU's first fragment may reuse the entry while we run. */
	for (i = 0; i < 4; i++) {
		src[i] = READ_ONCE(v->src[i]);
		dst[i] = READ_ONCE(v->dst[i]);
	}
	if (xlb_trim(ctx, p))
		return -1;
	/* The frame may have shrunk: the rewrites reload and check every pointer. */
	if (xlb_nat_rewrite(ctx, p, dst, 0, true) || xlb_nat_rewrite(ctx, p, src, 0, false) ||
	    xlb_to_next_hop(ctx))
		return -1;
	return 0;
}

#endif /* XLB_NAT_FRAG_H */
