// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * cmocka tests of the two-hop builder in user/twohop.c: hops that depend only on the backend
 * set, drained backends never first, spread of first hops, the second-hop property after each
 * kind of change over seeded random backend sets (exact where it holds, a bounded share of
 * slots where it cannot), a pinned digest, argument errors and the build time (printed only).
 */
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
#include <time.h>
#include <cmocka.h>

#include "twohop.h"

#define M	XLB_TABLE_DEFAULT
#define M_TRIAL 8191 /* prime; the property is per slot, so a smaller table tests it as well */
#define UNSET	0xdeadbeefU
#define POOL	64
#define TRIALS	200

struct hops {
	__u32 *first, *second;
	__u32 m;
};

static void set_v4(struct xlb_twohop_backend *b, __u32 host, __u32 weight, __u32 id)
{
	memset(b, 0, sizeof(*b));
	b->be.family = XLB_FAM_V4;
	b->be.addr[0] = htonl(host);
	b->be.weight = weight;
	b->be.id = id;
}

/* 2001:db8::<i> */
static void set_v6(struct xlb_twohop_backend *b, __u32 i, __u32 weight, __u32 id)
{
	memset(b, 0, sizeof(*b));
	b->be.family = XLB_FAM_V6;
	b->be.addr[0] = htonl(0x20010db8);
	b->be.addr[3] = htonl(i);
	b->be.weight = weight;
	b->be.id = id;
}

/* n IPv4 backends 198.18.0.1.., weight 1, id = index. */
static void set_v4_range(struct xlb_twohop_backend *be, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		set_v4(&be[i], 0xc6120001 + i, 1, i);
}

static struct hops build_ok(const struct xlb_twohop_backend *be, size_t n, __u32 m)
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

static void hops_free(struct hops *h)
{
	free(h->first);
	free(h->second);
}

/* First hops per id; fails on a slot whose first hop is no id below n. */
static void count_first(const struct hops *h, unsigned int *count, size_t n)
{
	__u32 s;

	memset(count, 0, n * sizeof(*count));
	for (s = 0; s < h->m; s++) {
		assert_true(h->first[s] < n);
		count[h->first[s]]++;
	}
}

/* splitmix64: a seeded generator, so every run tests the same sets. */
static __u64 rnd(__u64 *state)
{
	__u64 x = (*state += 0x9e3779b97f4a7c15ULL);

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Square root by Newton's method (the unit tests link without libm). */
static double root(double x)
{
	double r = x > 1 ? x : 1;
	int i;

	for (i = 0; i < 60; i++)
		r = (r + x / r) / 2;
	return r;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Prints the spread of first hops over n equal backends; returns its cv (std / ideal). */
static double equal_spread(size_t n, unsigned int *lo, unsigned int *hi)
{
	static struct xlb_twohop_backend be[1000];
	static unsigned int count[1000];
	double ideal = (double)M / n, var = 0;
	struct hops h;
	size_t i;

	set_v4_range(be, n);
	h = build_ok(be, n, M);
	count_first(&h, count, n);
	*lo = ~0U;
	*hi = 0;
	for (i = 0; i < n; i++) {
		*lo = count[i] < *lo ? count[i] : *lo;
		*hi = count[i] > *hi ? count[i] : *hi;
		var += (count[i] - ideal) * (count[i] - ideal) / n;
	}
	printf("# twohop spread, %zu equal backends, %u slots: min %u max %u (ideal %.1f), "
	       "max/min %.3f, cv %.2f%%\n",
	       n, M, *lo, *hi, ideal, (double)*hi / *lo, 100 * root(var) / ideal);
	hops_free(&h);
	return root(var) / ideal;
}

/*
 * 100 equal backends: a random rank per slot would give a binomial cv of sqrt(99 / M) = 3.9%;
 * evenly spaced arrival times do better. (Maglev's turns reach 1%: see the design comment.)
 */
static void test_equal_spread(void **state)
{
	unsigned int lo, hi;

	(void)state;
	assert_true(equal_spread(100, &lo, &hi) < 0.03);
	assert_true(lo >= M / 100 * 0.93 && hi <= M / 100 * 1.07);
	equal_spread(1000, &lo, &hi);
}

/* Shares of weights 1, 2, 4 and 1..10, each within 5% (relative) of weight / total. */
static void check_weighted(const __u32 *weight, size_t n)
{
	struct xlb_twohop_backend be[10];
	unsigned int count[10], total = 0;
	struct hops h;
	double want;
	size_t i;

	for (i = 0; i < n; i++) {
		set_v4(&be[i], 0xc6120001 + i, weight[i], i);
		total += weight[i];
	}
	h = build_ok(be, n, M);
	count_first(&h, count, n);
	for (i = 0; i < n; i++) {
		want = (double)M * weight[i] / total;
		assert_true(count[i] >= want * 0.95 && count[i] <= want * 1.05);
	}
	hops_free(&h);
}

static void test_weighted_spread(void **state)
{
	static const __u32 w3[] = {1, 2, 4}, w10[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

	(void)state;
	check_weighted(w3, 3);
	check_weighted(w10, 10);
}

/*
 * Same backends (some drained) in another order (i -> i * 379 mod 1000) and with other ids:
 * both hops of every slot still name the same addresses.
 */
static void test_order_and_ids(void **state)
{
	static struct xlb_twohop_backend be[1000], mixed[1000];
	struct hops a, b;
	__u32 s;
	size_t i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		set_v4(&be[i], 0xc6120001 + i * 7, 1 + i % 5, i);
		be[i].drain = i % 97 == 0;
	}
	for (i = 0; i < 1000; i++) {
		mixed[i] = be[i * 379 % 1000];
		mixed[i].be.id = 3 * i + 100000;
	}
	a = build_ok(be, 1000, M);
	b = build_ok(mixed, 1000, M);
	for (s = 0; s < M; s++) {
		assert_int_equal((b.first[s] - 100000) / 3 * 379 % 1000, a.first[s]);
		assert_int_equal((b.second[s] - 100000) / 3 * 379 % 1000, a.second[s]);
	}
	hops_free(&b);
	hops_free(&a);
}

/* Scaling every weight by the same factor leaves both hops alone. */
static void test_weight_scale(void **state)
{
	struct xlb_twohop_backend be[5];
	struct hops a, b;
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++)
		set_v6(&be[i], i + 1, 1 + i, i);
	a = build_ok(be, 5, M);
	for (i = 0; i < 5; i++)
		be[i].be.weight *= 7;
	b = build_ok(be, 5, M);
	assert_memory_equal(a.first, b.first, M * sizeof(__u32));
	assert_memory_equal(a.second, b.second, M * sizeof(__u32));
	hops_free(&b);
	hops_free(&a);
}

/*
 * Draining one of 20 swaps the hops of the slots it was first in and changes nothing else;
 * with three drained none of them is ever first; weight 0 takes no part at all.
 */
static void test_drained_hops(void **state)
{
	struct xlb_twohop_backend be[21];
	struct hops a, b;
	__u32 s, swapped = 0;

	(void)state;
	set_v4_range(be, 21);
	a = build_ok(be, 20, M);
	be[7].drain = true;
	b = build_ok(be, 20, M);
	for (s = 0; s < M; s++) {
		if (a.first[s] != 7) {
			assert_int_equal(b.first[s], a.first[s]);
			assert_int_equal(b.second[s], a.second[s]);
			continue;
		}
		assert_int_equal(b.first[s], a.second[s]);
		assert_int_equal(b.second[s], 7);
		swapped++;
	}
	assert_true(swapped > M / 40);
	hops_free(&b);

	be[3].drain = be[15].drain = true;
	be[20].be.weight = 0;
	b = build_ok(be, 21, M);
	for (s = 0; s < M; s++) {
		assert_true(b.first[s] < 20 && b.second[s] < 20);
		assert_true(b.first[s] != 3 && b.first[s] != 7 && b.first[s] != 15);
		assert_true(b.second[s] != b.first[s]);
	}
	hops_free(&b);
	hops_free(&a);
}

/* One backend is both hops; one active and one drained: the drained one is every second hop. */
static void test_lone_backend(void **state)
{
	struct xlb_twohop_backend be[2];
	struct hops h;
	__u32 s;

	(void)state;
	set_v4_range(be, 2);
	be[1].be.weight = 0;
	h = build_ok(be, 2, 13);
	for (s = 0; s < 13; s++)
		assert_true(h.first[s] == 0 && h.second[s] == 0);
	hops_free(&h);

	be[1].be.weight = 1;
	be[1].drain = true;
	h = build_ok(be, 2, 13);
	for (s = 0; s < 13; s++)
		assert_true(h.first[s] == 0 && h.second[s] == 1);
	hops_free(&h);
}

enum change {
	ADD_ONE,
	DRAIN_ONE,
	UNDRAIN_ONE,
	WEIGHT_UP,
	DELETE_DRAINED,
	EXACT_CHANGES, /* above: the property holds in every slot */
	WEIGHT_DOWN = EXACT_CHANGES,
	ADD_TWO,
	ADD_THREE,
	ADD_WHILE_DRAINED,
	DRAIN_WHILE_DRAINED,
	UNDRAIN_WHILE_DRAINED,
	UP_WHILE_DRAINED,
	CHANGES,
};

static const char *const change_name[CHANGES] = {
    "add one",
    "drain one",
    "undrain one",
    "weight up",
    "delete a drained one",
    "weight down",
    "add two",
    "add three",
    "add, one drained",
    "drain, one drained",
    "undrain, two drained",
    "weight up, one drained",
};

/*
 * Slots whose first hop changed; those of them whose new second hop is not the old first; and
 * those where neither the old nor the new first hop is the backend the change was about.
 */
struct tally {
	unsigned long changed, broken, stray;
};

/* A random pool: v4 in 198.18.0.0/15 and v6 in 2001:db8::/32, weights 1-16, id = index. */
static void random_pool(struct xlb_twohop_backend *pool, __u64 *rng)
{
	size_t i;

	for (i = 0; i < POOL; i++) {
		if (rnd(rng) & 1) /* the low 6 bits of the host part keep the addresses distinct */
			set_v4(&pool[i], 0xc6120000 | (rnd(rng) & 0x7ff) << 6 | i,
			       1 + rnd(rng) % 16, i);
		else
			set_v6(&pool[i], (rnd(rng) & ~0x3fULL) | i, 1 + rnd(rng) % 16, i);
	}
}

/* Shuffles a set in place, so the builder sees each set in a random order. */
static void shuffle(struct xlb_twohop_backend *be, size_t n, __u64 *rng)
{
	struct xlb_twohop_backend t;
	size_t i, j;

	for (i = n; i > 1; i--) {
		j = rnd(rng) % i;
		t = be[i - 1];
		be[i - 1] = be[j];
		be[j] = t;
	}
}

/*
 * Before and after one change c of a set of n random backends (pool[0..n-1]; pool[n..] are
 * the ones added). pool[0] and pool[1] are drained before when c says one or two are. Returns
 * the id of the backend changed (the first one added).
 */
static __u32 make_change(enum change c, struct xlb_twohop_backend *pool, size_t n, __u64 *rng,
			 struct xlb_twohop_backend *before, size_t *nb,
			 struct xlb_twohop_backend *after, size_t *na)
{
	size_t x = 2 + rnd(rng) % (n - 2); /* the one changed: never pool[0] or pool[1] */
	__u32 w = pool[x].be.weight;

	pool[0].drain = c == DELETE_DRAINED || c >= ADD_WHILE_DRAINED;
	pool[1].drain = c == UNDRAIN_WHILE_DRAINED;
	memcpy(before, pool, n * sizeof(*pool));
	memcpy(after, pool, (n + 3) * sizeof(*pool));
	*nb = *na = n;
	if (c == ADD_ONE || c == ADD_WHILE_DRAINED)
		*na = n + 1;
	if (c == ADD_TWO)
		*na = n + 2;
	if (c == ADD_THREE)
		*na = n + 3;
	if (c == DRAIN_ONE || c == DRAIN_WHILE_DRAINED)
		after[x].drain = true;
	if (c == UNDRAIN_ONE)
		before[x].drain = true;
	if (c == UNDRAIN_WHILE_DRAINED)
		after[1].drain = false;
	if (c == WEIGHT_UP || c == UP_WHILE_DRAINED)
		after[x].be.weight = w + 1 + rnd(rng) % (2 * w);
	if (c == WEIGHT_DOWN)
		before[x].be.weight = w + 1 + rnd(rng) % (2 * w);
	if (c == DELETE_DRAINED)
		after[0] = after[--*na];
	shuffle(before, *nb, rng);
	shuffle(after, *na, rng);
	if (c == DELETE_DRAINED || c == UNDRAIN_WHILE_DRAINED)
		return c == DELETE_DRAINED ? 0 : 1;
	return *na > n ? n : x;
}

static void tally_change(const struct hops *b, const struct hops *a, __u32 id, struct tally *t)
{
	__u32 s;

	for (s = 0; s < b->m; s++) {
		if (a->first[s] == b->first[s])
			continue;
		t->changed++;
		t->broken += a->second[s] != b->first[s];
		t->stray += a->first[s] != id && b->first[s] != id;
	}
}

/* TRIALS random sets of 3-40 backends and one change of kind c each. */
static struct tally run_trials(enum change c)
{
	struct xlb_twohop_backend pool[POOL], before[POOL], after[POOL];
	__u64 rng = 0x5eed0000 + c;
	struct tally t = {0, 0, 0};
	struct hops hb, ha;
	size_t n, nb, na;
	__u32 id;
	int i;

	for (i = 0; i < TRIALS; i++) {
		random_pool(pool, &rng);
		n = 3 + rnd(&rng) % 38;
		id = make_change(c, pool, n, &rng, before, &nb, after, &na);
		hb = build_ok(before, nb, M_TRIAL);
		ha = build_ok(after, na, M_TRIAL);
		tally_change(&hb, &ha, id, &t);
		hops_free(&ha);
		hops_free(&hb);
	}
	printf("# twohop %-22s %d trials x %u slots: first hop changed in %6lu, %5lu of them "
	       "without the old one as second (%6.3f%% of changed, %.3f%% of all)\n",
	       change_name[c], TRIALS, M_TRIAL, t.changed, t.broken,
	       t.changed ? 100.0 * t.broken / t.changed : 0.0,
	       100.0 * t.broken / ((double)TRIALS * M_TRIAL));
	return t;
}

/*
 * Every slot whose first hop changed names the old first as its second (none for a delete),
 * and only slots the changed backend gains or loses change their first hop.
 */
static void test_exact_changes(void **state)
{
	struct tally t;
	int c;

	(void)state;
	for (c = 0; c < EXACT_CHANGES; c++) {
		t = run_trials(c);
		assert_int_equal(t.broken, 0);
		assert_int_equal(t.stray, 0);
		if (c == DELETE_DRAINED)
			assert_int_equal(t.changed, 0);
		else
			assert_true(t.changed > TRIALS * M_TRIAL / 100);
	}
}

/*
 * Changes that two hops and no history cannot cover in every slot: the share of changed slots
 * that lose the old first hop stays within about a tenth over what this rule gives on these
 * seeded sets (measured: 42.3, 8.0, 18.0, 19.9, 18.1, 22.5 and 19.1%), so a worse rule fails.
 */
static void test_bounded_changes(void **state)
{
	static const double bound_pct[CHANGES] = {
	    [WEIGHT_DOWN] = 46,		[ADD_TWO] = 9,
	    [ADD_THREE] = 20,		[ADD_WHILE_DRAINED] = 22,
	    [DRAIN_WHILE_DRAINED] = 20, [UNDRAIN_WHILE_DRAINED] = 25,
	    [UP_WHILE_DRAINED] = 21,
	};
	struct tally t;
	int c;

	(void)state;
	for (c = EXACT_CHANGES; c < CHANGES; c++) {
		t = run_trials(c);
		assert_true(t.changed > 0);
		assert_true(100.0 * t.broken <= bound_pct[c] * t.changed);
	}
}

/* FNV-1a of both hops of a fixed set: balancers of a fleet must keep building this table. */
static void test_table_is_pinned(void **state)
{
	struct xlb_twohop_backend be[20];
	__u64 h = 0xcbf29ce484222325ULL;
	struct hops t;
	size_t i;
	__u32 s;

	(void)state;
	for (i = 0; i < 10; i++) {
		set_v4(&be[i], 0xc6336401 + i, 1 + i, i);
		set_v6(&be[10 + i], i + 1, 10 - i, 10 + i);
	}
	be[4].drain = be[13].drain = true;
	t = build_ok(be, 20, M);
	for (s = 0; s < M; s++) {
		h = (h ^ t.first[s]) * 0x100000001b3ULL;
		h = (h ^ t.second[s]) * 0x100000001b3ULL;
	}
	printf("# twohop pinned digest %#llx\n", (unsigned long long)h);
	assert_int_equal(h, 0xcaba591d968b2fb9ULL);
	hops_free(&t);
}

static void expect_error(const struct xlb_twohop_backend *be, size_t n, __u32 m, int err)
{
	__u32 first[13], second[13], s;

	for (s = 0; s < 13; s++)
		first[s] = second[s] = UNSET;
	assert_int_equal(xlb_twohop_build(be, n, first, second, m), err);
	for (s = 0; s < 13; s++)
		assert_true(first[s] == UNSET && second[s] == UNSET);
}

static void test_bad_arguments(void **state)
{
	struct xlb_twohop_backend be[4], *many;

	(void)state;
	set_v4_range(be, 4);
	expect_error(be, 4, 12, -EINVAL);
	expect_error(be, 4, 1, -EINVAL);
	expect_error(be, 4, 16777259, -EINVAL); /* prime, over the limit: fails before writing */
	expect_error(be, 0, 13, -ENODATA);
	be[3].be.addr[0] = be[1].be.addr[0];
	expect_error(be, 4, 13, -EINVAL);
	set_v4_range(be, 4);
	be[1].be.family = 5;
	expect_error(be, 4, 13, -EINVAL);
	set_v4_range(be, 4);
	be[2].be.weight = XLB_MAGLEV_WEIGHT_MAX + 1;
	expect_error(be, 4, 13, -EINVAL);

	set_v4_range(be, 4);
	be[0].drain = be[1].drain = be[2].drain = true;
	be[3].be.weight = 0;
	expect_error(be, 4, 13, -ENODATA); /* drained ones only: no first hop */

	many = calloc(XLB_MAGLEV_BACKENDS_MAX + 1, sizeof(*many));
	assert_non_null(many);
	expect_error(many, XLB_MAGLEV_BACKENDS_MAX + 1, 13, -EINVAL);
	free(many);
}

/* Prints the build time of 1000 backends (weights 1-5, ten drained) in the default table. */
static void test_build_time(void **state)
{
	static struct xlb_twohop_backend be[1000];
	__u32 *first = malloc(M * sizeof(__u32)), *second = malloc(M * sizeof(__u32));
	double t0, best = 1e9;
	size_t i;
	int r;

	(void)state;
	assert_true(first && second);
	for (i = 0; i < 1000; i++) {
		set_v4(&be[i], 0xc6120001 + i, 1 + i % 5, i);
		be[i].drain = i % 100 == 0;
	}
	for (r = 0; r < 3; r++) {
		t0 = now_ms();
		assert_int_equal(xlb_twohop_build(be, 1000, first, second, M), 0);
		best = now_ms() - t0 < best ? now_ms() - t0 : best;
	}
	printf("# twohop build, 1000 backends, %u slots: %.1f ms (best of 3)\n", M, best);
	free(second);
	free(first);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_equal_spread),    cmocka_unit_test(test_weighted_spread),
	    cmocka_unit_test(test_order_and_ids),   cmocka_unit_test(test_weight_scale),
	    cmocka_unit_test(test_drained_hops),    cmocka_unit_test(test_lone_backend),
	    cmocka_unit_test(test_exact_changes),   cmocka_unit_test(test_bounded_changes),
	    cmocka_unit_test(test_table_is_pinned), cmocka_unit_test(test_bad_arguments),
	    cmocka_unit_test(test_build_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
