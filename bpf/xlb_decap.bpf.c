// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xlb's decap program for backends whose kernel has no tunnel devices: strips the outer
 * IPIP/IP6IP6/4in6/6in4 or GUE header of packets addressed to this host and passes the inner
 * packet up, as if it had arrived bare. Everything else passes untouched.
 */
#include "xlb_defs.h"
#include "xlb_abi.h"
#include "xlb_stats.bpf.h"
#include "parse.h"
#include "l2.h"

const volatile struct xlb_decap_cfg xlb_decap_cfg = {
	.gue_port = bpf_htons(XLB_GUE_PORT_DEFAULT),
};

static __always_inline bool xlb_decap_for_us(const struct xlb_flow_key *outer)
{
	int i;

	if (outer->family == XLB_FAM_V4)
		return !xlb_decap_cfg.local_v4 || xlb_decap_cfg.local_v4 == outer->dst[0];
	for (i = 0; i < 4; i++)
		if (xlb_decap_cfg.local_v6[i])
			break;
	if (i == 4)
		return true;
	for (i = 0; i < 4; i++)
		if (xlb_decap_cfg.local_v6[i] != outer->dst[i])
			return false;
	return true;
}

/* Family of the packet behind the outer headers (the first nibble after UDP for GUE). */
static __always_inline __u8 xlb_inner_family(void *data, void *end, const struct xlb_pkt *p)
{
	__u8 *ver;

	switch (p->key.proto) {
	case IPPROTO_IPIP:
		return XLB_FAM_V4;
	case IPPROTO_IPV6:
		return XLB_FAM_V6;
	case IPPROTO_UDP:
		if (p->key.dport != xlb_decap_cfg.gue_port)
			return 0;
		ver = xlb_at(data, p->l4_off) + sizeof(struct udphdr);
		if ((void *)(ver + 1) > end)
			return 0;
		return *ver >> 4 == 4 ? XLB_FAM_V4 : *ver >> 4 == 6 ? XLB_FAM_V6 : 0;
	}
	return 0;
}

static __always_inline int xlb_decap(struct xdp_md *ctx, struct xlb_stats *st)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct xlb_pkt p = {};
	__u8 src[ETH_ALEN], dst[ETH_ALEN], fam;
	struct ethhdr *eth = data;
	__u32 strip;
	int ret;

	/* Malformed frames are not tunnels either: they pass untouched, like everything else. */
	ret = xlb_parse(ctx, &p);
	if ((ret != XLB_P_L4 && ret != XLB_P_PASS) || !xlb_decap_for_us(&p.key))
		return XDP_PASS;
	fam = xlb_inner_family(data, end, &p);
	if (!fam || (void *)(eth + 1) > end)
		return XDP_PASS;
	strip = p.l4_off - p.l3_off;
	if (p.key.proto == IPPROTO_UDP)
		strip += sizeof(struct udphdr);
	__builtin_memcpy(src, eth->h_source, ETH_ALEN);
	__builtin_memcpy(dst, eth->h_dest, ETH_ALEN);
	if (xlb_reframe(ctx, &p, strip, dst, src,
			bpf_htons(fam == XLB_FAM_V4 ? ETH_P_IP : ETH_P_IPV6)) < 0) {
		st->drop[XLB_DROP_MALFORMED]++;
		return XDP_DROP;
	}
	st->decap++;
	return XDP_PASS;
}

SEC("xdp")
int xlb_decap_xdp(struct xdp_md *ctx)
{
	struct xlb_stats *st = xlb_stats_this_cpu();

	return st ? xlb_verdict(st, xlb_decap(ctx, st)) : XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
