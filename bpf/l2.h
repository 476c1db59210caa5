/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Rewriting the Ethernet header (and the VLAN tags parse.h saved) at the front of a frame
 * whose head moved. Included by encap.h, icmp.h and the decap program.
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

#endif /* XLB_L2_H */
