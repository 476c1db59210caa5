/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Backends and built tables shared by the two-hop builder's unit tests (test_twohop.c,
 * test_twohop_change.c): address setters, a build that must succeed, and its two arrays.
 */
#ifndef XLB_TEST_TWOHOP_FIXTURE_H
#define XLB_TEST_TWOHOP_FIXTURE_H

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "twohop.h"

#define M     XLB_TABLE_DEFAULT
#define UNSET 0xdeadbeefU

struct hops {
	__u32 *first, *second;
	__u32 m;
};

static inline void set_v4(struct xlb_twohop_backend *b, __u32 host, __u32 weight, __u32 id)
{
	memset(b, 0, sizeof(*b));
	b->be.family = XLB_FAM_V4;
	b->be.addr[0] = htonl(host);
	b->be.weight = weight;
	b->be.id = id;
}

/* 2001:db8::<i> */
static inline void set_v6(struct xlb_twohop_backend *b, __u32 i, __u32 weight, __u32 id)
{
	memset(b, 0, sizeof(*b));
	b->be.family = XLB_FAM_V6;
	b->be.addr[0] = htonl(0x20010db8);
	b->be.addr[3] = htonl(i);
	b->be.weight = weight;
	b->be.id = id;
}

/* n IPv4 backends 198.18.0.1.., weight 1, id = index. */
static inline void set_v4_range(struct xlb_twohop_backend *be, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		set_v4(&be[i], 0xc6120001 + i, 1, i);
}

static inline struct hops build_ok(const struct xlb_twohop_backend *be, size_t n, __u32 m)
{
	struct hops h = {malloc(m * sizeof(__u32)), malloc(m * sizeof(__u32)), m};
	__u32 s;

	assert_non_null(h.first);
	assert_non_null(h.second);
	for (s = 0; s < m; s++)
		h.first[s] = h.second[s] = UNSET;
	assert_int_equal(xlb_twohop_build(be, n, h.first, h.second, m), 0);
	return h;
}

static inline void hops_free(struct hops *h)
{
	free(h->first);
	free(h->second);
}

#endif /* XLB_TEST_TWOHOP_FIXTURE_H */
