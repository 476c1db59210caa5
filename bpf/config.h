/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The balancer's load-time configuration: rodata that userspace sets through the skeleton
 * before load, so the verifier sees it as constants, and the two helpers that read the
 * interface's MAC from it. Included once per object (xlb_main.h).
 */
#ifndef XLB_CONFIG_H
#define XLB_CONFIG_H

#include "xlb_defs.h"
#include "xlb_abi.h"

const volatile struct xlb_cfg xlb_cfg = {
	.mtu = XLB_MTU_DEFAULT,
	.table_size = XLB_TABLE_DEFAULT,
	.ttl = XLB_TTL_DEFAULT,
};

/*
 * Whether eth (whose 14 bytes the caller checked) is addressed to the interface's own MAC.
 * It runs for every frame, so it is one 6-byte compare: the MAC is read as one 32-bit and one
 * 16-bit volatile word (if_mac is 4-byte aligned; volatile so clang cannot fold the loads to
 * the initializer), compared with the frame's as two words, with one branch.
 */
static __always_inline bool xlb_to_our_mac(const struct ethhdr *eth)
{
	__u32 hi = *(const volatile __u32 *)&xlb_cfg.if_mac[0];
	__u16 lo = *(const volatile __u16 *)&xlb_cfg.if_mac[4];

	return !((*(const __u32 *)&eth->h_dest[0] ^ hi) | (*(const __u16 *)&eth->h_dest[4] ^ lo));
}

/* Copies the interface's MAC to mac, byte by byte (see FIELD-NOTES on const volatile). */
static __always_inline void xlb_our_mac(__u8 *mac)
{
	int i;

	for (i = 0; i < ETH_ALEN; i++)
		mac[i] = xlb_cfg.if_mac[i];
}

#endif /* XLB_CONFIG_H */
