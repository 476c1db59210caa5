// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Unit tests of the connection table's sizing (user/lib/conns_plan.c): --flows N rounded up to
 * whole buckets in every CPU's part, the memory that takes, and the refusal of a table the
 * available memory cannot hold.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "unit_main.h"
#include "conns_plan.h"
#include "xlb_abi.h"

/* 64K flows on 2 CPUs: 6554 buckets each (32770 flows, whole pairs), 256 bytes a bucket. */
static void test_default_two_cpus(void **state)
{
	struct xlb_conns_plan p;

	(void)state;
	xlb_conns_plan_for(XLB_FLOWS_DEFAULT, 2, &p);
	assert_int_equal(p.flows, 65540);
	assert_int_equal(p.bytes, 2 * 6554 * 256);
}

/* 32M flows on 8 CPUs: at most 64 bytes a flow, 51.2 once the bucket pairs are whole. */
static void test_largest(void **state)
{
	struct xlb_conns_plan p;

	(void)state;
	xlb_conns_plan_for(XLB_FLOWS_MAX, 8, &p);
	assert_true(p.flows >= XLB_FLOWS_MAX && p.flows < XLB_FLOWS_MAX + 2 * 8 * XLB_CONN_SLOTS);
	assert_int_equal(p.bytes, p.flows / XLB_CONN_SLOTS * 256);
	assert_true(p.bytes <= (unsigned long long)XLB_FLOWS_MAX * 52);
}

/* A table may take three quarters of the available memory, not a byte more. */
static void test_fits(void **state)
{
	struct xlb_conns_plan p = {.bytes = 3u << 20, .available = 4u << 20};

	(void)state;
	assert_true(xlb_conns_plan_fits(&p));
	p.bytes++;
	assert_false(xlb_conns_plan_fits(&p));
	p.available = 0;
	assert_false(xlb_conns_plan_fits(&p));
}

XLB_UNIT_MAIN(test_default_two_cpus, test_largest, test_fits)
