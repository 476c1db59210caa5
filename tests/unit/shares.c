// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The weighted-share check of the table builders' tests (shares.h). Linked into every unit
 * test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "shares.h"

void assert_weighted_shares(const unsigned int *count, const __u32 *weight, size_t n, __u32 m,
			    double lo, double hi)
{
	unsigned int total = 0;
	double want;
	size_t i;

	for (i = 0; i < n; i++)
		total += weight[i];
	for (i = 0; i < n; i++) {
		want = (double)m * weight[i] / total;
		assert_true(count[i] >= want * lo && count[i] <= want * hi);
	}
}
