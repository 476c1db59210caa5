// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Benchmark-only XDP programs for tests/bench/xdp_bench.c: bench_xlb runs the balancer's path
 * (xlb_handle) and bench_bare swaps MACs and returns XDP_TX, each after the same restore of the
 * input frame, because BPF_PROG_TEST_RUN's `repeat` re-runs a program on its own output.
 */
#include "xlb_main.h"
#include "reflect.bpf.h"
#include "restore.bpf.h"
#include "floor.bpf.h"

#define BENCH_FRAME_LEN	 80   /* every benchmark frame has this length (a multiple of 8) */
#define BENCH_FIELD_MASK 0x3e /* an even offset below 64: a 16-bit field inside the frame */

/*
 * Written by xdp_bench through the mmap of .bss before each case, read by every run: the
 * input frame, and which of its 16-bit fields change per run for the new-flow cases.
 */
__u64 bench_frame[BENCH_FRAME_LEN / 8];
__u32 bench_vary;     /* 0: the template's flow every run; 0xffffffff: a new flow every run */
__u32 bench_addr_off; /* offset of the low 16 bits of the source address */
__u32 bench_port_off; /* offset of the source port */
__u32 bench_seq;      /* runs so far; numbers the new flows (never 0, so never the template's) */
__u32 bench_shift;    /* 1: each flow gets two runs in a row (a flow's first two packets) */

/* XORs val into the 16-bit field at off of a restored frame; 0, or -1 with the run counted. */
static __always_inline int bench_flip(void *data, void *end, __u32 off, __u16 val)
{
	/* The mask bounds the offset for the verifier; xdp_bench passes only such offsets. */
	__be16 *field = data + (off & BENCH_FIELD_MASK);

	/* A packet pointer with a variable offset has lost the range checked before: check it. */
	if ((void *)(field + 1) > end) {
		bench_restore_fail++;
		return -1;
	}
	*field ^= bpf_htons(val);
	return 0;
}

/*
 * Puts the frame back as the template says, whatever the previous run did to it. It assumes
 * the program under test moved only the head (encapsulation does), so the length tells how
 * far. Every step runs unconditionally, so both programs and every case pay the same.
 */
static __always_inline int bench_restore(struct xdp_md *ctx)
{
	__u32 v = (++bench_seq >> (bench_shift & 1)) & bench_vary;
	void *data, *end;

	if (restore_frame(ctx, bench_frame, BENCH_FRAME_LEN / 8))
		return -1;
	/* restore_frame moved the head: reload the packet pointers. */
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (bench_flip(data, end, bench_addr_off, v >> 16))
		return -1;
	return bench_flip(data, end, bench_port_off, v & 0xffff);
}

SEC("xdp")
int bench_xlb(struct xdp_md *ctx)
{
	return bench_restore(ctx) ? XDP_ABORTED : xlb_handle(ctx);
}

SEC("xdp")
int bench_floor(struct xdp_md *ctx)
{
	return bench_restore(ctx) ? XDP_ABORTED : floor_ipip(ctx);
}

SEC("xdp")
int bench_bare(struct xdp_md *ctx)
{
	return bench_restore(ctx) ? XDP_ABORTED : reflect(ctx);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
