/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The weighted-share check of the table builders' tests (test_maglev.c, test_twohop.c), in
 * shares.c: each backend's count of slots against its weight's share of the table.
 */
#ifndef XLB_TEST_SHARES_H
#define XLB_TEST_SHARES_H

#include <stddef.h>
#include <linux/types.h>

/*
 * Every count[i] of the n backends lies within [lo, hi] times its ideal share of m slots,
 * m * weight[i] / (sum of the weights).
 */
void assert_weighted_shares(const unsigned int *count, const __u32 *weight, size_t n, __u32 m,
			    double lo, double hi);

#endif /* XLB_TEST_SHARES_H */
