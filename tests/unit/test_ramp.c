// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Unit tests of slow start (user/lib/ramp.c): the percent at each second of a ramp, going on from
 * a known step, the table weights, and the plan xlbd applies each second.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include "unit_main.h"
#include "addr.h"
#include "maglev.h"
#include "ramp.h"

static void test_pct_steps_each_second(void **state)
{
	(void)state;
	assert_int_equal(xlb_ramp_pct(0, 10), XLB_RAMP_START);
	assert_int_equal(xlb_ramp_pct(999, 10), XLB_RAMP_START);
	assert_int_equal(xlb_ramp_pct(1000, 10), 10);
	assert_int_equal(xlb_ramp_pct(5500, 10), 50);
	assert_int_equal(xlb_ramp_pct(9999, 10), 90);
	assert_int_equal(xlb_ramp_pct(10000, 10), 0); /* over: the whole weight */
	assert_int_equal(xlb_ramp_pct(1ULL << 40, 10), 0);
	/* A long ramp: 1 % until 36 s, then a percent every 36 s. */
	assert_int_equal(xlb_ramp_pct(35999, 3600), 1);
	assert_int_equal(xlb_ramp_pct(72000, 3600), 2);
	assert_int_equal(xlb_ramp_pct(3599000, 3600), 99);
	assert_int_equal(xlb_ramp_pct(5000, 0), 0);
}

static void test_pct_never_goes_back(void **state)
{
	__u32 d[] = {1, 2, 3, 7, 10, 99, 100, 101, 3600};
	__u64 ms;
	__u8 prev, p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		prev = XLB_RAMP_START;
		for (ms = 0; ms < d[i] * 1000ULL; ms += 250) {
			p = xlb_ramp_pct(ms, d[i]);
			assert_true(p >= prev && p >= XLB_RAMP_START && p < 100);
			prev = p;
		}
		assert_int_equal(xlb_ramp_pct(ms, d[i]), 0);
	}
}

/* A daemon that finds a ramp at some step goes on from there: never a step back. */
static void test_resume_from_step(void **state)
{
	__u32 d[] = {1, 3, 10, 30, 3600};
	size_t i;
	int pct;

	(void)state;
	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		for (pct = XLB_RAMP_START; pct < 100; pct++)
			assert_true(xlb_ramp_pct(xlb_ramp_resume_ms(pct, d[i]), d[i]) >= pct ||
				    !xlb_ramp_pct(xlb_ramp_resume_ms(pct, d[i]), d[i]));
	assert_int_equal(xlb_ramp_resume_ms(XLB_RAMP_START, 10), 0);
	assert_int_equal(xlb_ramp_resume_ms(40, 10), 4000);
	assert_int_equal(xlb_ramp_resume_ms(41, 10), 5000);
}

static void test_weights(void **state)
{
	(void)state;
	assert_int_equal(xlb_ramp_weight(3, 0), 300);
	assert_int_equal(xlb_ramp_weight(3, 40), 120);
	assert_int_equal(xlb_ramp_weight(1, XLB_RAMP_START), 1);
	assert_int_equal(xlb_ramp_weight(0, 50), 0);
	assert_true(xlb_ramp_weight(XLB_WEIGHT_MAX, 0) <= XLB_MAGLEV_WEIGHT_MAX);
}

static size_t slots_of(const __u32 *t, __u32 m, __u32 id)
{
	size_t n = 0;
	__u32 i;

	for (i = 0; i < m; i++)
		n += t[i] == id;
	return n;
}

/* Scaled weights build the very table of the weights themselves; a ramp shrinks one share. */
static void test_scaled_table_is_the_same(void **state)
{
	struct xlb_maglev_backend be[3] = {};
	static __u32 a[65537], b[65537];
	const __u32 m = 65537;
	size_t i, s10, s50;

	(void)state;
	for (i = 0; i < 3; i++) {
		be[i].family = XLB_FAM_V4;
		be[i].addr[0] = htonl(0xc6120201 + i);
		be[i].id = i + 1;
		be[i].weight = i + 1;
	}
	assert_int_equal(xlb_maglev_build(be, 3, a, m), 0);
	for (i = 0; i < 3; i++)
		be[i].weight = xlb_ramp_weight(i + 1, 0);
	assert_int_equal(xlb_maglev_build(be, 3, b, m), 0);
	assert_memory_equal(a, b, sizeof(a));
	be[0].weight = xlb_ramp_weight(1, 10);
	assert_int_equal(xlb_maglev_build(be, 3, b, m), 0);
	s10 = slots_of(b, m, 1);
	be[0].weight = xlb_ramp_weight(1, 50);
	assert_int_equal(xlb_maglev_build(be, 3, b, m), 0);
	s50 = slots_of(b, m, 1);
	/* Weight 1 of 6 is 1/6 of the slots; at 10 % it is 0.1/5.1, at 50 % 0.5/5.5. */
	assert_in_range(s10, m / 51 - m / 500, m / 51 + m / 500);
	assert_in_range(s50, m / 11 - m / 500, m / 11 + m / 500);
	assert_in_range(slots_of(a, m, 1), m / 6 - m / 500, m / 6 + m / 500);
}

static struct xlb_be_conf bes[2];
static struct xlb_vip_conf vip;
static struct xlb_conf conf = {.vips = &vip, .nvips = 1};

static void fixture(__u16 slow_start_s)
{
	memset(bes, 0, sizeof(bes));
	memset(&vip, 0, sizeof(vip));
	assert_int_equal(xlb_vip_name_parse("tcp:198.18.0.10:80", &vip.name), 0);
	vip.health.slow_start_s = slow_start_s;
	vip.backends = bes;
	vip.nbackends = 2;
	assert_int_equal(xlb_addr_parse("198.18.2.1", &bes[0].addr), 0);
	assert_int_equal(xlb_addr_parse("198.18.2.2", &bes[1].addr), 0);
	bes[0].id = 1;
	bes[1].id = 2;
	bes[0].weight = bes[1].weight = 1;
}

/* Down waits at the start; up ramps from when it came up; at the end, the whole weight. */
static void test_plan_ramp_after_recovery(void **state)
{
	static struct xlb_ramps r;
	__u64 t = 1000000;

	(void)state;
	fixture(10);
	bes[1].down = true;
	assert_true(xlb_ramps_plan(&r, &conf, t));
	assert_int_equal(bes[0].ramp, 0);
	assert_int_equal(bes[1].ramp, XLB_RAMP_START);
	assert_false(xlb_ramps_plan(&r, &conf, t + 5000)); /* still down: no change */
	/* It came up: its ramp starts now. */
	bes[1].down = false;
	assert_false(xlb_ramps_plan(&r, &conf, t + 7000));
	assert_int_equal(bes[1].ramp, XLB_RAMP_START);
	assert_false(xlb_ramps_plan(&r, &conf, t + 7999));
	assert_true(xlb_ramps_plan(&r, &conf, t + 8000));
	assert_int_equal(bes[1].ramp, 10);
	assert_true(xlb_ramps_plan(&r, &conf, t + 12500));
	assert_int_equal(bes[1].ramp, 50);
	assert_true(xlb_ramps_plan(&r, &conf, t + 17000));
	assert_int_equal(bes[1].ramp, 0);
	assert_int_equal(bes[0].ramp, 0);
	assert_false(xlb_ramps_plan(&r, &conf, t + 30000));
}

/* A ramp found in the maps (a restarted xlbd) goes on from its step. */
static void test_plan_goes_on_from_found_step(void **state)
{
	static struct xlb_ramps r;

	(void)state;
	fixture(10);
	bes[0].ramp = 40;
	assert_false(xlb_ramps_plan(&r, &conf, 500000));
	assert_int_equal(bes[0].ramp, 40);
	assert_true(xlb_ramps_plan(&r, &conf, 501000));
	assert_int_equal(bes[0].ramp, 50);
	/* The id now names another backend: its ramp starts afresh from the step it has. */
	assert_int_equal(xlb_addr_parse("198.18.2.9", &bes[0].addr), 0);
	bes[0].ramp = XLB_RAMP_START;
	assert_false(xlb_ramps_plan(&r, &conf, 502000));
	assert_int_equal(bes[0].ramp, XLB_RAMP_START);
}

/* Without a slow start every ramp ends at once. */
static void test_plan_without_slow_start(void **state)
{
	static struct xlb_ramps r;

	(void)state;
	fixture(0);
	bes[0].ramp = 30;
	bes[1].down = true;
	assert_true(xlb_ramps_plan(&r, &conf, 1000));
	assert_int_equal(bes[0].ramp, 0);
	assert_int_equal(bes[1].ramp, 0);
}

XLB_UNIT_MAIN(test_pct_steps_each_second, test_pct_never_goes_back, test_resume_from_step,
	      test_weights, test_scaled_table_is_the_same, test_plan_ramp_after_recovery,
	      test_plan_goes_on_from_found_step, test_plan_without_slow_start)
