/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * What the bare reflector both benchmark programs measure against does to a frame (pktgen.bpf.c
 * on the wire, xlb_bench.bpf.c and decap_bench.bpf.c in test-run): swap its MAC addresses and
 * send it back with XDP_TX. BPF only, included after the kernel types.
 */
#ifndef XLB_BENCH_REFLECT_BPF_H
#define XLB_BENCH_REFLECT_BPF_H

static __always_inline void swap_macs(struct ethhdr *eth)
{
	__u8 mac[ETH_ALEN];

	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
}

/* The whole bare program: XDP_TX with the MACs swapped, XDP_ABORTED for a frame too short. */
static __always_inline int reflect(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end)
		return XDP_ABORTED;
	swap_macs(eth);
	return XDP_TX;
}

#endif /* XLB_BENCH_REFLECT_BPF_H */
