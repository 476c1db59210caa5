// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Benchmark-only XDP programs for tests/bench/decap_bench.c: bench_decap runs the decap
 * program's path (xlb_decap_handle) and bench_bare swaps MACs and returns XDP_TX, each after
 * the same restore of the input frame, because BPF_PROG_TEST_RUN's `repeat` re-runs a program
 * on its own output (a stripped or re-encapsulated frame).
 */
#include "decap_main.h"

#define DECAP_FRAME_LEN 112 /* every frame of decap_bench has this length (a multiple of 8) */

/* Written by decap_bench through the mmap of .bss before each case: the input frame. */
__u64 bench_frame[DECAP_FRAME_LEN / 8];
__u64 bench_restore_fail; /* runs whose frame could not be restored; decap_bench wants 0 */

/*
 * Puts the template back whatever the previous run did: the program under test moves only the
 * head (stripping, relaying), so the length tells how far. Both programs pay the same.
 */
static __always_inline int bench_restore(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u64 *w;
	int i;

	if (bpf_xdp_adjust_head(ctx, (int)(end - data) - DECAP_FRAME_LEN))
		return -1;
	/* adjust_head invalidated every packet pointer: reload, and check the whole frame. */
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	w = data;
	if ((void *)(w + DECAP_FRAME_LEN / 8) > end)
		return -1;
	for (i = 0; i < DECAP_FRAME_LEN / 8; i++)
		w[i] = bench_frame[i];
	return 0;
}

SEC("xdp")
int bench_decap(struct xdp_md *ctx)
{
	if (bench_restore(ctx)) {
		bench_restore_fail++;
		return XDP_ABORTED;
	}
	return xlb_decap_handle(ctx);
}

SEC("xdp")
int bench_bare(struct xdp_md *ctx)
{
	struct ethhdr *eth;
	__u8 mac[ETH_ALEN];

	if (bench_restore(ctx)) {
		bench_restore_fail++;
		return XDP_ABORTED;
	}
	eth = (void *)(long)ctx->data;
	if ((void *)(eth + 1) > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
