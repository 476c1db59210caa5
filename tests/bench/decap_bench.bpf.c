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

#define DECAP_WORDS 14 /* every frame of decap_bench has 14 8-byte words (112 bytes) */

/* Written by decap_bench through the mmap of .bss before each case: the input frame. */
__u64 bench_frame[DECAP_WORDS];

SEC("xdp")
int bench_decap(struct xdp_md *ctx)
{
	return restore_frame(ctx, bench_frame, DECAP_WORDS) ? XDP_ABORTED : xlb_decap_handle(ctx);
}

SEC("xdp")
int bench_bare(struct xdp_md *ctx)
{
	return restore_frame(ctx, bench_frame, DECAP_WORDS) ? XDP_ABORTED : reflect(ctx);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
