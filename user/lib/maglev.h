/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Weighted Maglev lookup-table builder (Eisenbud et al., NSDI 2016, section 3.4). Pure: takes a
 * plain backend array, fills a caller-owned table of backend ids. Included by the daemon, the
 * CLI, the two-hop builder (twohop.c, which shares the backend checks and address hash) and
 * tests/unit/test_maglev.c.
 */
#ifndef XLB_MAGLEV_H
#define XLB_MAGLEV_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

#include "xlb_abi.h"

#define XLB_MAGLEV_WEIGHT_MAX	65535
#define XLB_MAGLEV_M_MAX	16777213 /* largest prime below 2^24: slot sums stay in 32 bits */
#define XLB_MAGLEV_BACKENDS_MAX 65536

struct xlb_maglev_backend {
	__be32 addr[4]; /* IPv4 in addr[0], rest zero */
	__u8 family;	/* XLB_FAM_V4 or XLB_FAM_V6 */
	__u32 weight;	/* 0 = takes no slots */
	__u32 id;	/* the value written into the table for this backend */
};

/*
 * Fills table[0..m-1] with backend ids. The result depends only on m and the set of
 * (family, addr, weight): not on the order of be[] nor on the ids, so every balancer given the
 * same backends builds the same table. Each backend's share of slots follows its weight.
 * Returns 0; -EINVAL if m is not a prime in [2, 16777213], n > 65536, a weight is over
 * XLB_MAGLEV_WEIGHT_MAX, a family is unknown, an IPv4 entry has addr[1..3] set, or two entries
 * share (family, addr); -ENODATA if no backend has a weight; -ENOMEM. On error the table is
 * left untouched.
 */
int xlb_maglev_build(const struct xlb_maglev_backend *be, size_t n, __u32 *table, __u32 m);

bool xlb_is_prime(__u32 m);
/*
 * The sizes both table builders (this one and twohop.h's) take: 0; -EINVAL if m is not a prime
 * in [2, XLB_MAGLEV_M_MAX] or n > XLB_MAGLEV_BACKENDS_MAX; -ENODATA if n is 0.
 */
int xlb_maglev_size_check(__u32 m, size_t n);

/* 0, or -EINVAL for a weight over the limit, an unknown family or stray IPv4 bytes. */
int xlb_maglev_check(const struct xlb_maglev_backend *be);

/* Orders backends by (family, address); 0 means the same backend. */
int xlb_maglev_cmp_addr(const struct xlb_maglev_backend *a, const struct xlb_maglev_backend *b);

/* A 64-bit hash of (family, address) under seed, the same on hosts of either byte order. */
__u64 xlb_maglev_addr_hash(const struct xlb_maglev_backend *be, __u64 seed);

#endif /* XLB_MAGLEV_H */
