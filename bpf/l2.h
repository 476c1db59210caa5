/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Moving a frame's head and rewriting the Ethernet header (and the VLAN tags parse.h saved) at
 * its new front. Included by encap.h, icmp.h and the decap program.
 */
#ifndef XLB_L2_H
#define XLB_L2_H

#include "xlb_defs.h"
#include "parse.h"

/*
 * Writes the Ethernet header and p's VLAN tags at data, ending in ethertype type. Returns
 * the L3 offset (p->l3_off) or -1 when the frame is too short.
 */
static __always_inline int xlb_write_l2(void *data, void *end, const struct xlb_pkt *p,
					const __u8 *dst, const __u8 *src, __be16 type)
{
	struct ethhdr *eth = data;
	__be16 *ptype;
	__be32 *tag;
	int i;

	if ((void *)(eth + 1) > end)
		return -1;
	__builtin_memcpy(eth->h_dest, dst, ETH_ALEN);
	__builtin_memcpy(eth->h_source, src, ETH_ALEN);
	for (i = 0; i < XLB_MAX_VLANS && i < p->nvlan; i++) {
		tag = data + 12 + i * 4;
		if ((void *)(tag + 1) > end)
			return -1;
		*tag = p->vlan[i];
	}
	ptype = data + 12 + i * 4;
	if ((void *)(ptype + 1) > end)
		return -1;
	*ptype = type;
	return 12 + i * 4 + 2;
}

/*
 * Moves the frame's head by delta bytes (negative grows the frame at the front, positive cuts
 * from it) and writes the L2 header as xlb_write_l2() does. Every packet pointer taken before
 * is invalid afterwards. Returns the L3 offset, or -1 when the head could not move or the
 * frame is too short for the header.
 */
static __always_inline int xlb_reframe(struct xdp_md *ctx, const struct xlb_pkt *p, int delta,
				       const __u8 *dst, const __u8 *src, __be16 type)
{
	if (bpf_xdp_adjust_head(ctx, delta))
		return -1;
	return xlb_write_l2((void *)(long)ctx->data, (void *)(long)ctx->data_end, p, dst, src,
			    type);
}

#endif /* XLB_L2_H */
