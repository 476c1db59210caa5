/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The frame restore of the test-run benchmarks' programs (xlb_bench.bpf.c, decap_bench.bpf.c),
 * with its failure counter: BPF_PROG_TEST_RUN's `repeat` runs a program again on its own output,
 * so every run first puts the template back. BPF only, included after the kernel types.
 */
#ifndef XLB_BENCH_RESTORE_BPF_H
#define XLB_BENCH_RESTORE_BPF_H

/* Runs whose frame could not be restored, read through the skeleton's .bss; the bench wants 0. */
__u64 bench_restore_fail;

/*
 * Writes the words-word template tmpl over the frame, whatever the previous run did to it. It
 * assumes the program under test moved only the head (encapsulating, stripping), so the
 * frame's length tells how far. words is a constant in every caller. 0, or -1 with the run
 * counted in bench_restore_fail.
 */
static __always_inline int restore_frame(struct xdp_md *ctx, const __u64 *tmpl, int words)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u64 *w;
	int i;

	if (bpf_xdp_adjust_head(ctx, (int)(end - data) - words * 8))
		goto fail;
	/* adjust_head invalidated every packet pointer: reload, and check the whole frame. */
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	w = data;
	if ((void *)(w + words) > end)
		goto fail;
	for (i = 0; i < words; i++)
		w[i] = tmpl[i];
	return 0;
fail:
	bench_restore_fail++;
	return -1;
}

#endif /* XLB_BENCH_RESTORE_BPF_H */
