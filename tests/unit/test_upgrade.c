// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * cmocka tests of what xlb upgrade decides without the kernel: the layout record's text and
 * the rule by which a value is carried into another size (user/lib/layout.c, migrate.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "unit_main.h"

#include "layout.h"
#include "migrate.h"
#include "xlb_abi.h"

static void test_layout_text_round_trip(void **state)
{
	struct xlb_layout l = { .abi = 1, .maps = 0x1a2b3c4d, .prog = 0xdeadbeef }, back;
	char buf[XLB_LAYOUT_STRLEN];

	(void)state;
	assert_string_equal(xlb_layout_str(&l, buf, sizeof(buf)),
			    "abi=1 maps=1a2b3c4d prog=deadbeef");
	assert_int_equal(xlb_layout_parse(buf, &back), 0);
	assert_memory_equal(&l, &back, sizeof(l));
	assert_int_equal(xlb_layout_parse("abi=1 maps=1a2b3c4d", &back), -EINVAL);
	assert_int_equal(xlb_layout_parse("abi=1 maps=1a2b3c4d prog=deadbeef x", &back), -EINVAL);
	assert_int_equal(xlb_layout_parse("12345", &back), -EINVAL);
}

static void test_layout_ours(void **state)
{
	struct xlb_layout a, b;

	(void)state;
	xlb_layout_ours(&a);
	xlb_layout_ours(&b);
	assert_int_equal(a.abi, XLB_ABI_VERSION);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_true(xlb_layout_same_maps(&a, &b));
	b.prog++; /* another program over the same maps */
	assert_true(xlb_layout_same_maps(&a, &b));
	b.abi++;
	assert_false(xlb_layout_same_maps(&a, &b));
	b.abi--;
	b.maps++;
	assert_false(xlb_layout_same_maps(&a, &b));
}

/* A value that grows is zero-extended; one that shrinks loses nothing or is refused. */
static void test_value_copy_rule(void **state)
{
	unsigned char src[8] = { 1, 2, 3, 4, 0, 0, 0, 0 }, dst[12];

	(void)state;
	memset(dst, 0xff, sizeof(dst));
	assert_int_equal(xlb_value_copy(dst, 12, src, 4), 0);
	assert_memory_equal(dst, ((unsigned char[12]){ 1, 2, 3, 4 }), 12);
	memset(dst, 0xff, sizeof(dst));
	assert_int_equal(xlb_value_copy(dst, 4, src, 8), 0); /* the cut-off half is zero */
	assert_memory_equal(dst, src, 4);
	assert_int_equal(dst[4], 0xff);
	src[7] = 9;
	memset(dst, 0xff, sizeof(dst));
	assert_int_equal(xlb_value_copy(dst, 4, src, 8), -ERANGE);
	assert_int_equal(dst[0], 0xff); /* nothing written */
	assert_int_equal(xlb_value_copy(dst, 8, src, 8), 0);
	assert_memory_equal(dst, src, 8);
}

XLB_UNIT_MAIN(test_layout_text_round_trip, test_layout_ours, test_value_copy_rule)
