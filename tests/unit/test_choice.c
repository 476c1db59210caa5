// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Unit tests of include/xlb_choice.h: the VIP cache slot, where VIP keys that differ only a
 * little (the addresses of a prefix, two ports each) spread over the slots as random keys
 * would; and table slot values, whose stable mark changes neither hop.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/types.h>
#include <cmocka.h>
#include "unit_main.h"
#include "xlb_abi.h"
#include "xlb_hash.h"
#include "xlb_choice.h"

/* 1024 IPv4 VIPs on consecutive addresses, port 80 and 443 each: few share a slot. */
static void test_vip_cache_spread(void **state)
{
	static __u8 used[XLB_VIP_CACHE_SLOTS];
	struct xlb_vip_key k = { .proto = IPPROTO_TCP, .family = XLB_FAM_V4 };
	unsigned int i, p, shared = 0;
	__u32 slot;

	(void)state;
	memset(used, 0, sizeof(used));
	for (i = 0; i < 1024; i++)
		for (p = 0; p < 2; p++) {
			k.addr[0] = htonl(0xc6120000 + i); /* 198.18.0.0/15 */
			k.port = htons(p ? 443 : 80);
			slot = xlb_vip_cache_slot(&k);
			assert_true(slot < XLB_VIP_CACHE_SLOTS);
			shared += used[slot]++ > 0;
		}
	/* 2048 keys thrown into 4096 slots at random share one with another about 453 times. */
	assert_true(shared < 520);
}

/* Both hops at their largest and smallest, marked stable or not, read back as written. */
static void test_slot_values(void **state)
{
	static const __u32 ids[] = {1, 2, XLB_MAX_BACKENDS - 1};
	unsigned int f, s, m;
	__u32 v;

	(void)state;
	for (f = 0; f < 3; f++)
		for (s = 0; s < 3; s++)
			for (m = 0; m < 2; m++) {
				v = xlb_slot_pack(ids[f], s ? ids[s] : 0) |
				    (m ? XLB_SLOT_STABLE : 0);
				assert_int_equal(xlb_slot_first(v), ids[f]);
				assert_int_equal(xlb_slot_second(v), s ? ids[s] : 0);
				assert_int_equal(xlb_slot_moved(v), !m);
			}
}

XLB_UNIT_MAIN(test_vip_cache_spread, test_slot_values)
