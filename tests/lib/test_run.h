/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * What the programs that drive BPF_PROG_TEST_RUN share (the packet fixtures and xdp_bench):
 * libbpf's messages only when something went wrong, and staying on one CPU.
 */
#ifndef XLB_TEST_RUN_H
#define XLB_TEST_RUN_H

/* Shows libbpf's warnings only. */
void test_run_quiet_libbpf(void);

/*
 * Pins the caller to the CPU it runs on. Test runs execute on the caller's CPU and the
 * connection table keeps one part per CPU: one CPU keeps a flow's packets in one part, as
 * RSS does. Returns 0 or a negative errno.
 */
int test_run_pin_cpu(void);

#endif /* XLB_TEST_RUN_H */
