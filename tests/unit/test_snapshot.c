// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Unit tests of the pure part of user/lib/snapshot.c: the used and down backend counts that
 * xlb status, the metrics and the status page all show.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "unit_main.h"
#include "snapshot.h"

static void test_snapshot_backends(void **state)
{
	struct xlb_be_conf be[3] = { { .down = false }, { .down = true }, { .down = true } };
	struct xlb_vip_conf vips[3] = { { .backends = be, .nbackends = 2 }, { .nbackends = 0 },
					{ .backends = be + 2, .nbackends = 1 } };
	struct xlb_snapshot s = { .conf = { .vips = vips, .nvips = 3 } };
	size_t used = 99, down = 99;

	(void)state;
	xlb_snapshot_backends(&s, &used, &down);
	assert_int_equal(used, 3);
	assert_int_equal(down, 2);
	s.conf.nvips = 0;
	xlb_snapshot_backends(&s, &used, &down);
	assert_int_equal(used, 0);
	assert_int_equal(down, 0);
}

XLB_UNIT_MAIN(test_snapshot_backends)
