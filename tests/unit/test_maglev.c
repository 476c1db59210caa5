// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * cmocka tests of the Maglev builder in user/lib/maglev.c: every slot filled, even and weighted
 * shares, small disruption when a backend leaves, a table that depends only on the backend
 * set (and a pinned digest of one), mixed address families, argument errors and the
 * primality helper.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "unit_main.h"

#include "maglev.h"
#include "shares.h"

#define M     XLB_TABLE_DEFAULT
#define UNSET 0xdeadbeefU
#define MAX_N 1000

static void set_v4(struct xlb_maglev_backend *b, __u32 host, __u32 weight, __u32 id)
{
	memset(b, 0, sizeof(*b));
	b->family = XLB_FAM_V4;
	b->addr[0] = htonl(host);
	b->weight = weight;
	b->id = id;
}

/* 2001:db8::<i> */
static void set_v6(struct xlb_maglev_backend *b, __u32 i, __u32 weight, __u32 id)
{
	memset(b, 0, sizeof(*b));
	b->family = XLB_FAM_V6;
	b->addr[0] = htonl(0x20010db8);
	b->addr[3] = htonl(i);
	b->weight = weight;
	b->id = id;
}

/* n IPv4 backends 198.18.0.1.., weight 1, id = index. */
static void set_v4_range(struct xlb_maglev_backend *be, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		set_v4(&be[i], 0x0a000001 + i, 1, i);
}

static __u32 *build_ok(const struct xlb_maglev_backend *be, size_t n, __u32 m)
{
	__u32 *table = malloc(m * sizeof(*table));
	__u32 s;

	assert_non_null(table);
	for (s = 0; s < m; s++)
		table[s] = UNSET;
	assert_int_equal(xlb_maglev_build(be, n, table, m), 0);
	return table;
}

/* Slots per id; fails on any slot that holds no id below n. */
static void count_shares(const __u32 *table, __u32 m, unsigned int *count, size_t n)
{
	__u32 s;

	memset(count, 0, n * sizeof(*count));
	for (s = 0; s < m; s++) {
		assert_true(table[s] < n);
		count[table[s]]++;
	}
}

/* Every id below n holds a slot, and the largest share is at most 1.01 x the smallest. */
static void assert_even(const unsigned int *count, size_t n)
{
	unsigned int lo = count[0], hi = count[0];
	size_t i;

	for (i = 1; i < n; i++) {
		lo = count[i] < lo ? count[i] : lo;
		hi = count[i] > hi ? count[i] : hi;
	}
	assert_true(lo > 0);
	assert_true(hi * 100 <= lo * 101);
}

/* Whether at most 1% of the slots not owned by id gone changed owner between the tables. */
static bool few_moved(const __u32 *before, const __u32 *after, __u32 gone)
{
	size_t owned = 0, moved = 0;
	__u32 s;

	for (s = 0; s < M; s++) {
		if (before[s] == gone)
			continue;
		owned++;
		moved += after[s] != before[s];
	}
	return moved * 100 <= owned;
}

static void test_no_empty_slot(void **state)
{
	static const struct {
		size_t n;
		__u32 m;
	} cases[] = {{1, 2},	{2, 3},	      {3, 7},	     {5, 13},	  {7, 5},
		     {10, 251}, {100, 65537}, {1000, 65537}, {1000, 1009}};
	struct xlb_maglev_backend be[MAX_N];
	unsigned int count[MAX_N];
	__u32 *table;
	size_t c, i;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		set_v4_range(be, cases[c].n);
		table = build_ok(be, cases[c].n, cases[c].m);
		count_shares(table, cases[c].m, count, cases[c].n);
		for (i = 0; i < cases[c].n && cases[c].n <= cases[c].m; i++)
			assert_true(count[i] > 0);
		free(table);
	}
}

static void test_equal_shares(void **state)
{
	struct xlb_maglev_backend be[100];
	unsigned int count[100];
	__u32 *table;

	(void)state;
	set_v4_range(be, 100);
	table = build_ok(be, 100, M);
	count_shares(table, M, count, 100);
	assert_even(count, 100);
	free(table);
}

/* Remove each of 100 backends in turn: at most 1% of the others' slots may change owner. */
static void test_remove_one_disruption(void **state)
{
	struct xlb_maglev_backend be[100], rest[99];
	__u32 *before, *after;
	size_t gone, i, k;

	(void)state;
	set_v4_range(be, 100);
	before = build_ok(be, 100, M);
	for (gone = 0; gone < 100; gone++) {
		for (i = 0, k = 0; i < 100; i++)
			if (i != gone)
				rest[k++] = be[i];
		after = build_ok(rest, 99, M);
		assert_true(few_moved(before, after, gone));
		free(after);
	}
	free(before);
}

/* Every share within 3% (relative) of weight / total weight. */
static void check_weighted(const __u32 *weight, size_t n)
{
	struct xlb_maglev_backend be[16] = {0};
	unsigned int count[16];
	__u32 *table;
	size_t i;

	for (i = 0; i < n; i++)
		set_v4(&be[i], 0xc0a80001 + i, weight[i], i);
	table = build_ok(be, n, M);
	count_shares(table, M, count, n);
	assert_weighted_shares(count, weight, n, M, 0.97, 1.03);
	free(table);
}

static void test_weights_1_2_4(void **state)
{
	static const __u32 w[] = {1, 2, 4};

	(void)state;
	check_weighted(w, 3);
}

static void test_weights_1_to_10(void **state)
{
	static const __u32 w[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

	(void)state;
	check_weighted(w, 10);
}

/* Scaling every weight by the same factor (equal weights included) leaves the table alone. */
static void test_weight_scale(void **state)
{
	struct xlb_maglev_backend be[3];
	__u32 *a, *b;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++)
		set_v4(&be[i], 0x0a000001 + i, 1U << i, i);
	a = build_ok(be, 3, M);
	for (i = 0; i < 3; i++)
		be[i].weight *= 8;
	b = build_ok(be, 3, M);
	assert_memory_equal(a, b, M * sizeof(*a));
	free(b);
	free(a);
}

/*
 * Same backends in another order (i -> i * 379 mod 1000 is a bijection) and with other ids:
 * every slot still goes to the same address.
 */
static void test_order_and_ids_ignored(void **state)
{
	struct xlb_maglev_backend be[MAX_N], mixed[MAX_N];
	__u32 *a, *b, s;
	size_t i;

	(void)state;
	for (i = 0; i < MAX_N; i++)
		set_v4(&be[i], 0x0a000001 + i * 7, 1 + i % 5, i);
	for (i = 0; i < MAX_N; i++) {
		mixed[i] = be[i * 379 % MAX_N];
		mixed[i].id = 3 * i + 100000;
	}

	a = build_ok(be, MAX_N, M);
	b = build_ok(mixed, MAX_N, M);
	for (s = 0; s < M; s++) {
		assert_true(b[s] >= 100000 && (b[s] - 100000) % 3 == 0);
		assert_memory_equal(be[a[s]].addr, mixed[(b[s] - 100000) / 3].addr, 16);
	}
	free(b);
	free(a);
}

/* Only the ids change: the table is the old one with ids renamed. */
static void test_other_ids(void **state)
{
	struct xlb_maglev_backend be[50];
	__u32 *a, *b, s;
	size_t i;

	(void)state;
	set_v4_range(be, 50);
	a = build_ok(be, 50, M);
	for (i = 0; i < 50; i++)
		be[i].id = 0xffffffffU - i;
	b = build_ok(be, 50, M);
	for (s = 0; s < M; s++)
		assert_int_equal(b[s], 0xffffffffU - a[s]);
	free(b);
	free(a);
}

/* A backend of weight 0 takes no slot and does not disturb the others. */
static void test_weight_zero_ignored(void **state)
{
	struct xlb_maglev_backend be[11];
	__u32 *a, *b;

	(void)state;
	set_v4_range(be, 11);
	a = build_ok(be, 10, M);
	be[10].weight = 0;
	b = build_ok(be, 11, M);
	assert_memory_equal(a, b, M * sizeof(*a));
	free(b);
	free(a);
}

/*
 * 30 of each: v4 10.0.0.i, v6 whose first word is that v4 address (a different backend), and
 * v6 2001:db8::i (only the last word differs). Removing one of the last kind must stay cheap,
 * which it would not if some address bytes were left out of the permutation.
 */
static void test_mixed_families(void **state)
{
	struct xlb_maglev_backend be[90];
	unsigned int count[90];
	__u32 *before, *after;
	size_t i;

	(void)state;
	for (i = 0; i < 30; i++) {
		set_v4(&be[i], 0x0a000001 + i, 1, i);
		set_v6(&be[30 + i], 0, 1, 30 + i);
		be[30 + i].addr[0] = be[i].addr[0];
		set_v6(&be[60 + i], i + 1, 1, 60 + i);
	}
	before = build_ok(be, 90, M);
	count_shares(before, M, count, 90);
	assert_even(count, 90);

	after = build_ok(be, 89, M);
	assert_true(few_moved(before, after, 89));
	free(after);
	free(before);
}

/* FNV-1a of the ids of a fixed set: balancers behind ECMP must keep building this table. */
static void test_table_is_pinned(void **state)
{
	struct xlb_maglev_backend be[20];
	__u64 h = 0xcbf29ce484222325ULL;
	__u32 *table, s;
	size_t i;

	(void)state;
	for (i = 0; i < 10; i++) {
		set_v4(&be[i], 0xc6336401 + i, 1 + i, i);
		set_v6(&be[10 + i], i + 1, 10 - i, 10 + i);
	}
	table = build_ok(be, 20, M);
	for (s = 0; s < M; s++)
		h = (h ^ table[s]) * 0x100000001b3ULL;
	assert_int_equal(h, 0x929ec880b1b70410ULL);
	free(table);
}

static void expect_error(const struct xlb_maglev_backend *be, size_t n, __u32 m, int err)
{
	__u32 table[13], s;

	for (s = 0; s < 13; s++)
		table[s] = UNSET;
	assert_int_equal(xlb_maglev_build(be, n, table, m), err);
	for (s = 0; s < 13; s++)
		assert_int_equal(table[s], UNSET);
}

static void test_bad_table_size(void **state)
{
	struct xlb_maglev_backend be[4];
	__u32 *big;

	(void)state;
	set_v4_range(be, 4);
	expect_error(be, 4, 12, -EINVAL);
	expect_error(be, 4, 9, -EINVAL);
	expect_error(be, 4, 0, -EINVAL);
	expect_error(be, 4, 1, -EINVAL);

	/* The smallest prime over the limit, with room for it in case it were accepted. */
	assert_true(xlb_is_prime(16777259));
	big = malloc(16777259 * sizeof(*big));
	assert_non_null(big);
	big[0] = UNSET;
	assert_int_equal(xlb_maglev_build(be, 4, big, 16777259), -EINVAL);
	assert_int_equal(big[0], UNSET);
	free(big);
	free(build_ok(be, 4, 16777213));
}

static void test_bad_backends(void **state)
{
	struct xlb_maglev_backend be[4], *many;
	size_t i;

	(void)state;
	set_v4_range(be, 4);
	expect_error(be, 0, 13, -ENODATA);
	be[3].addr[0] = be[1].addr[0];
	expect_error(be, 4, 13, -EINVAL);

	set_v4_range(be, 4);
	set_v6(&be[0], 7, 1, 0);
	set_v6(&be[2], 7, 1, 2);
	expect_error(be, 4, 13, -EINVAL);

	set_v4_range(be, 4);
	be[1].family = 5;
	expect_error(be, 4, 13, -EINVAL);
	be[1].family = XLB_FAM_V4;
	be[1].addr[3] = htonl(1);
	expect_error(be, 4, 13, -EINVAL);

	set_v4_range(be, 4);
	be[2].weight = XLB_MAGLEV_WEIGHT_MAX + 1;
	expect_error(be, 4, 13, -EINVAL);
	be[2].weight = XLB_MAGLEV_WEIGHT_MAX;
	free(build_ok(be, 4, 13));
	for (i = 0; i < 4; i++)
		be[i].weight = 0;
	expect_error(be, 4, 13, -ENODATA);

	many = calloc(65537, sizeof(*many));
	assert_non_null(many);
	set_v4_range(many, 65537);
	expect_error(many, 65537, 13, -EINVAL);
	free(build_ok(many, 65536, 13));
	free(many);
}

static void test_is_prime(void **state)
{
	static const __u32 primes[] = {2, 3, 5, 7, 11, 13, 251, 65537, 16777213, 4294967291U};
	static const __u32 others[] = {0, 1, 4, 9, 15, 25, 49, 65536, 65535, 16777215, 4294967295U};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(primes) / sizeof(primes[0]); i++)
		assert_true(xlb_is_prime(primes[i]));
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		assert_false(xlb_is_prime(others[i]));
}

XLB_UNIT_MAIN(test_no_empty_slot, test_equal_shares, test_remove_one_disruption, test_weights_1_2_4,
	      test_weights_1_to_10, test_weight_scale, test_order_and_ids_ignored, test_other_ids,
	      test_weight_zero_ignored, test_mixed_families, test_table_is_pinned,
	      test_bad_table_size, test_bad_backends, test_is_prime)
