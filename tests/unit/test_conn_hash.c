// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Unit tests of the connection table's hash (xlb_conn_hash() in include/xlb_hash.h): flows
 * that differ only in the source address and port, as a busy client network's do, get
 * distinct hashes and spread evenly over buckets, both families.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/types.h>
#include <cmocka.h>
#include "unit_main.h"
#include "xlb_abi.h"
#include "xlb_hash.h"

#define SOURCES 8
#define PORTS	65536
#define FLOWS	(SOURCES * PORTS)
#define BUCKETS (FLOWS / 4) /* 4 flows a bucket on average */

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return (x > y) - (x < y);
}

/* Every flow of SOURCES sources x PORTS ports to one VIP port: no equal hash, no bucket with
 * more than a few times its share (Poisson(4) exceeds 20 with probability about 1e-8). */
static void spread(__u8 family)
{
	__u64 *h = malloc(FLOWS * sizeof(*h));
	__u16 *load = calloc(BUCKETS, sizeof(*load));
	struct xlb_flow_key k = {.dport = htons(80), .proto = 6, .family = family};
	__u32 s, p, i, max = 0;

	assert_non_null(h);
	assert_non_null(load);
	k.dst[0] = htonl(0xc6120001);
	for (s = 0; s < SOURCES; s++)
		for (p = 0; p < PORTS; p++) {
			k.src[family == XLB_FAM_V4 ? 0 : 3] = htonl(0xc0000200 + s);
			k.sport = htons(p);
			i = s * PORTS + p;
			h[i] = xlb_conn_hash(&k);
			if (++load[(((h[i] >> 32) * BUCKETS) >> 32)] > max)
				max = load[(((h[i] >> 32) * BUCKETS) >> 32)];
		}
	qsort(h, FLOWS, sizeof(*h), cmp_u64);
	for (i = 1; i < FLOWS; i++)
		assert_true(h[i] != h[i - 1]);
	assert_true(max <= 20);
	free(load);
	free(h);
}

static void test_spread_v4(void **state)
{
	(void)state;
	spread(XLB_FAM_V4);
}

static void test_spread_v6(void **state)
{
	(void)state;
	spread(XLB_FAM_V6);
}

XLB_UNIT_MAIN(test_spread_v4, test_spread_v6)
