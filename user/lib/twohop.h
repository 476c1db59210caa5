/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Two-hop ("second chance") table builder: for every slot a first hop that takes new flows and
 * a second hop that held the slot before a change. Pure: plain backend array in, two
 * caller-owned id arrays out. Included by the apply side and tests/unit/test_twohop.c.
 */
#ifndef XLB_TWOHOP_H
#define XLB_TWOHOP_H

#include <stdbool.h>

#include "maglev.h"

struct xlb_twohop_backend {
	struct xlb_maglev_backend be; /* address, id, weight (0 = never a hop) */
	bool drain;		      /* never a first hop; stays second hop where it ranks first */
};

/*
 * Fills first[0..m-1] and second[0..m-1] with backend ids. Every backend with a weight has a
 * rank in every slot that depends only on its address, its weight and m; first is the best
 * ranked backend not drained, second the best ranked other one, drained or not (first again
 * when no other backend has a weight). Neither the order of be[] nor the ids change which
 * address a slot names. Returns 0; -EINVAL for the arguments xlb_maglev_build() refuses;
 * -ENODATA if no backend has a weight and no drain flag; -ENOMEM. On error the arrays are left
 * untouched.
 */
int xlb_twohop_build(const struct xlb_twohop_backend *be, size_t n, __u32 *first, __u32 *second,
		     __u32 m);

#endif /* XLB_TWOHOP_H */
