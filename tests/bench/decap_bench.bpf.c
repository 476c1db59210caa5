// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Benchmark-only XDP programs for tests/bench/decap_bench.c: bench_decap runs the decap
 * program's path (xlb_decap_handle) and bench_bare swaps MACs and returns XDP_TX, each after
 * the same restore of the input frame, because BPF_PROG_TEST_RUN's `repeat` re-runs a program
 * on its own output (a stripped or re-encapsulated frame).
 */
#include "decap_main.h"
#include "reflect.bpf.h"
#include "restore.bpf.h"

#define DECAP_FRAME_LEN 112 /* every frame of decap_bench has this length (a multiple of 8) */

/* Written by decap_bench through the mmap of .bss before each case: the input frame. */
__u64 bench_frame[DECAP_FRAME_LEN / 8];
__u64 bench_restore_fail; /* runs whose frame could not be restored; decap_bench wants 0 */

SEC("xdp")
int bench_decap(struct xdp_md *ctx)
{
	if (restore_frame(ctx, bench_frame, DECAP_FRAME_LEN / 8)) {
		bench_restore_fail++;
		return XDP_ABORTED;
	}
	return xlb_decap_handle(ctx);
}

SEC("xdp")
int bench_bare(struct xdp_md *ctx)
{
	if (restore_frame(ctx, bench_frame, DECAP_FRAME_LEN / 8)) {
		bench_restore_fail++;
		return XDP_ABORTED;
	}
	return reflect(ctx);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
