// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * libFuzzer harness of the balancer's packet parser, bpf/parse.h compiled for the host against
 * bpf_shim/vmlinux.h: the input is one frame, bounded by a fake xdp_md. The L3 offset must lie
 * inside the frame and the IP packet fit in it; where the result says there is an L4 header
 * (XLB_P_L4, XLB_P_ICMP), it must start inside the IP packet, and TCP/UDP ports end there.
 */
#include <stdlib.h>
#include <string.h>
#include "parse.h"

/* Drivers start a frame 2 bytes past an aligned address so the IP header is 4-aligned. */
#define NET_IP_ALIGN 2

static void check(const struct xlb_pkt *p, int ret, size_t n)
{
	__u32 l3_end = p->l3_off + p->l3_len;

	if (ret < XLB_P_L4 || ret > XLB_P_SHORT_L4 || p->nvlan > XLB_MAX_VLANS)
		abort();
	if (ret == XLB_P_MALFORMED || (ret == XLB_P_PASS && !p->key.family))
		return;
	/* Past this point the Ethernet header and tags were whole, and IP was parsed. */
	if (p->l3_off != ETH_HLEN + p->nvlan * sizeof(struct vlan_hdr) || p->l3_off > n)
		abort();
	if (p->key.family != XLB_FAM_V4 && p->key.family != XLB_FAM_V6)
		abort();
	if (p->l3_len < (p->key.family == XLB_FAM_V4 ? 20 : 40) || l3_end > n)
		abort();
	if (ret == XLB_P_ICMP && p->l4_off > l3_end)
		abort();
	if (ret == XLB_P_L4 && p->l4_off + (p->key.proto == IPPROTO_TCP ? 20 : 8) > l3_end)
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
	unsigned char *buf = malloc(NET_IP_ALIGN + n);
	struct xdp_md ctx;
	struct xlb_pkt p;
	int ret;

	if (!buf)
		abort();
	memcpy(buf + NET_IP_ALIGN, data, n);
	ctx.data = (unsigned long)(buf + NET_IP_ALIGN);
	ctx.data_end = ctx.data + n;
	/* The balancer's caller zeroes it first too. */
	memset(&p, 0, sizeof(p));
	ret = xlb_parse(&ctx, &p);
	check(&p, ret, n);
	free(buf);
	return 0;
}
