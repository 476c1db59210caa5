// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * cmocka tests of user/lib/state_plan.c, the ids of a transaction worked out before its first
 * write: running VIPs and backends keep theirs, new ones never take one in use side by side,
 * and a desired state within the limits always fits (removals first when it must), with the
 * sizes issue 8 found failing: 14 VIPs running and 1,024 new ones, 16,382 backends running.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "state_plan.h"

static struct xlb_backend bt[XLB_MAX_BACKENDS];
static struct xlb_plan_ids pl;
/* The running and the desired state of a test; free_states frees both after each test. */
static struct xlb_conf cur, want;

static int free_states(void **state)
{
	(void)state;
	xlb_conf_free(&want);
	xlb_conf_free(&cur);
	return 0;
}

/* VIP number n: tcp:198.19.X.Y:80. */
static void vip_name(struct xlb_vip_name *v, __u32 n)
{
	memset(v, 0, sizeof(*v));
	v->addr.family = XLB_FAM_V4;
	v->addr.a[0] = htonl(0xc6130000 + n + 1);
	v->port = 80;
	v->proto = IPPROTO_TCP;
}

/* Adds VIPs first.. first + n - 1 with backends 198.18.128.(b0..b0 + nbe - 1) each. */
static void add_vips(struct xlb_conf *c, __u32 first, size_t n, __u32 b0, size_t nbe)
{
	struct xlb_vip_conf *v;
	size_t i, j;

	c->vips = realloc(c->vips, (c->nvips + n) * sizeof(*c->vips));
	assert_non_null(c->vips);
	for (i = 0; i < n; i++) {
		v = &c->vips[c->nvips++];
		memset(v, 0, sizeof(*v));
		vip_name(&v->name, first + i);
		v->id = -1;
		v->nbackends = nbe;
		v->backends = calloc(nbe ? nbe : 1, sizeof(*v->backends));
		assert_non_null(v->backends);
		for (j = 0; j < nbe; j++) {
			v->backends[j].addr.family = XLB_FAM_V4;
			v->backends[j].addr.a[0] = htonl(0xc6128000 + b0 + j);
			v->backends[j].weight = 1;
		}
	}
}

/* Makes c the running state: VIP ids 0.., backend ids 1.., all written to bt as active. */
static void run(struct xlb_conf *c)
{
	__u32 id = 1;
	size_t i, j;

	memset(bt, 0, sizeof(bt));
	for (i = 0; i < c->nvips; i++) {
		c->vips[i].id = i;
		for (j = 0; j < c->vips[i].nbackends; j++, id++) {
			c->vips[i].backends[j].id = id;
			bt[id].flags = XLB_BE_F_ACTIVE;
			bt[id].vip_id = i;
			bt[id].gen = 7;
		}
	}
}

/* VIPs added as add_vips does, then c made the running state as run does. */
static void running(struct xlb_conf *c, __u32 first, size_t n, __u32 b0, size_t nbe)
{
	add_vips(c, first, n, b0, nbe);
	run(c);
}

/* Every id of want is in range and unique; running ones kept theirs, and side by side no
 * new backend took an id active in bt. Returns how many backends want has. */
static size_t assert_ids(const struct xlb_conf *cur, const struct xlb_conf *want)
{
	static bool vip_seen[XLB_MAX_VIPS], be_seen[XLB_MAX_BACKENDS];
	const struct xlb_vip_conf *w, *c;
	const struct xlb_be_conf *b, *cb;
	size_t i, j, n = 0;

	memset(vip_seen, 0, sizeof(vip_seen));
	memset(be_seen, 0, sizeof(be_seen));
	for (i = 0; i < want->nvips; i++) {
		w = &want->vips[i];
		assert_in_range(w->id, 0, XLB_MAX_VIPS - 1);
		assert_false(vip_seen[w->id]);
		vip_seen[w->id] = true;
		c = xlb_conf_find_vip(cur, &w->name);
		if (c)
			assert_int_equal(w->id, c->id);
		for (j = 0; j < w->nbackends; j++, n++) {
			b = &w->backends[j];
			assert_in_range(b->id, 1, XLB_MAX_BACKENDS - 1);
			assert_false(be_seen[b->id]);
			assert_true(pl.be_kept[b->id]);
			be_seen[b->id] = true;
			cb = xlb_vip_find_backend(c, &b->addr);
			if (cb)
				assert_int_equal(b->id, cb->id);
			else if (!pl.free_first)
				assert_false(bt[b->id].flags & XLB_BE_F_ACTIVE);
		}
	}
	return n;
}

/*
 * Plans want over cur, which must fit, with removals first or side by side as free_first says;
 * checks the ids (assert_ids) and returns how many backends want has.
 */
static size_t plan_fits(const struct xlb_conf *cur, struct xlb_conf *want, bool free_first)
{
	assert_int_equal(xlb_plan_ids(&pl, cur, bt, want, true), 0);
	assert_int_equal(pl.free_first, free_first);
	return assert_ids(cur, want);
}

static void test_side_by_side(void **state)
{
	(void)state;
	running(&cur, 0, 2, 0, 3);	/* backends 1-3 and 4-6 */
	bt[50].flags = XLB_BE_F_ACTIVE; /* an orphan of an apply cut short, for VIP id 2 */
	bt[50].vip_id = 2;
	add_vips(&want, 0, 1, 1, 3); /* keeps two backends of VIP 0, adds one */
	add_vips(&want, 5, 1, 0, 2); /* a new VIP */
	assert_int_equal(plan_fits(&cur, &want, false), 5);
	assert_int_equal(want.vips[0].backends[0].id, 2);
	assert_int_equal(want.vips[0].backends[1].id, 3);
	assert_int_equal(want.vips[0].backends[2].id, 7);
	/* Not VIP 1's id, which is removed only after, nor the orphan's. */
	assert_int_equal(want.vips[1].id, 3);
	assert_int_equal(want.vips[1].backends[0].id, 8);
	assert_true(pl.vip_used[1] && pl.vip_used[2]);
}

static void test_carry_down(void **state)
{
	(void)state;
	running(&cur, 0, 1, 0, 2);
	cur.vips[0].backends[1].down = true;
	add_vips(&want, 0, 1, 0, 2);
	/* Without checks nothing is down, whatever the maps said. */
	assert_int_equal(xlb_plan_ids(&pl, &cur, bt, &want, true), 0);
	assert_false(want.vips[0].backends[1].down);
	/* A checked VIP keeps what the checks decided. */
	want.vips[0].health.check = XLB_CHECK_TCP;
	want.vips[0].backends[0].down = true;
	assert_int_equal(xlb_plan_ids(&pl, &cur, bt, &want, true), 0);
	assert_false(want.vips[0].backends[0].down);
	assert_true(want.vips[0].backends[1].down);
	want.vips[0].backends[0].down = true;
	assert_int_equal(xlb_plan_ids(&pl, &cur, bt, &want, false), 0);
	assert_true(want.vips[0].backends[0].down);
}

/* 14 VIPs running, 1,024 new ones wanted: only with the 14 removed first. */
static void test_all_vips_new(void **state)
{
	(void)state;
	running(&cur, 0, 14, 0, 1);
	add_vips(&want, 14, XLB_MAX_VIPS, 0, 0);
	plan_fits(&cur, &want, true);
	xlb_conf_free(&want);
	/* Short of the limit, side by side. */
	add_vips(&want, 14, XLB_MAX_VIPS - 14, 0, 0);
	plan_fits(&cur, &want, false);
}

/* 16,382 backends running, two new ones wanted: the ones that go are freed first; a VIP that
 * stays keeps its ids. */
static void test_backends_full(void **state)
{
	struct xlb_vip_conf *w;

	(void)state;
	running(&cur, 0, 2, 0, 8191);
	add_vips(&want, 0, 1, 8190, 3); /* keeps its last backend, adds two */
	add_vips(&want, 1, 1, 0, 8191); /* unchanged */
	assert_int_equal(plan_fits(&cur, &want, true), 8194);
	w = &want.vips[0];
	assert_int_equal(w->backends[0].id, 8191);
	assert_in_range(w->backends[1].id, 1, 8190); /* freed by VIP 0's removed backends */
	assert_in_range(w->backends[2].id, 1, 8190);
	xlb_conf_free(&want);
	/* 8,194 running, one kept and 8,189 new: exactly the room left side by side. */
	xlb_conf_free(&cur);
	running(&cur, 0, 1, 0, 8194);
	add_vips(&want, 0, 1, 8193, 8190);
	assert_int_equal(plan_fits(&cur, &want, false), 8190);
	xlb_conf_free(&want);
	add_vips(&want, 0, 1, 8193, 8191); /* one more: removals first */
	plan_fits(&cur, &want, true);
}

/* Only a state over the limits finds no room. */
static void test_over_limits(void **state)
{
	(void)state;
	run(&cur);
	add_vips(&want, 0, XLB_MAX_VIPS + 1, 0, 0);
	assert_int_equal(xlb_plan_ids(&pl, &cur, bt, &want, true), -ENOSPC);
	xlb_conf_free(&want);
	add_vips(&want, 0, 2, 0, XLB_MAX_BACKENDS / 2);
	assert_int_equal(xlb_plan_ids(&pl, &cur, bt, &want, true), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_side_by_side, free_states),
	    cmocka_unit_test_teardown(test_carry_down, free_states),
	    cmocka_unit_test_teardown(test_all_vips_new, free_states),
	    cmocka_unit_test_teardown(test_backends_full, free_states),
	    cmocka_unit_test_teardown(test_over_limits, free_states),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
