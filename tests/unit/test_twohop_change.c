// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * cmocka tests of the second-hop property of user/lib/twohop.c: after one change of a random
 * backend set, every slot whose first hop moved names the old first hop as its second. Exact
 * for the changes the design comment lists as safe; a bounded share of slots for the others.
 * Sets come from a seeded generator, so every run tests the same ones.
 */
#include "twohop_fixture.h"

#define M_TRIAL 8191 /* prime; the property is per slot, so a smaller table tests it as well */
#define POOL	64
#define TRIALS	200

/* splitmix64: a seeded generator, so every run tests the same sets. */
static __u64 rnd(__u64 *state)
{
	__u64 x = (*state += 0x9e3779b97f4a7c15ULL);

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exact_changes),
	    cmocka_unit_test(test_bounded_changes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
