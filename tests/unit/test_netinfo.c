// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Unit tests of the /proc parsers `xlb attach` uses to find its next hop without being told.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include "unit_main.h"
#include "netinfo.h"

static const char route[] =
	"Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
	"eth1\t00000000\t0A0012C6\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
	"eth0\t000012C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
	"eth0\t00000000\t010012C6\t0003\t0\t0\t100\t00000000\t0\t0\t0\n";

static const char arp[] =
	"IP address       HW type     Flags       HW address            Mask     Device\n"
	"198.18.0.1       0x1         0x0         00:00:00:00:00:00     *        eth0\n"
	"198.18.0.1       0x1         0x2         02:00:00:00:00:01     *        eth2\n"
	"198.18.0.1       0x1         0x2         02:AA:bb:00:00:fe     *        eth0\n";

static void test_gateway_of_dev(void **state)
{
	__be32 gw = 0;

	(void)state;
	assert_int_equal(xlb_route_gateway_parse(route, "eth0", &gw), 0);
	assert_int_equal(gw, inet_addr("198.18.0.1"));
	assert_int_equal(xlb_route_gateway_parse(route, "eth1", &gw), 0);
	assert_int_equal(gw, inet_addr("198.18.0.10"));
}

static void test_no_gateway(void **state)
{
	__be32 gw = 0;

	(void)state;
	assert_int_equal(xlb_route_gateway_parse(route, "eth2", &gw), -ENOENT);
	assert_int_equal(xlb_route_gateway_parse("Iface\n", "eth0", &gw), -ENOENT);
	assert_int_equal(xlb_route_gateway_parse("", "eth0", &gw), -ENOENT);
}

static void test_arp_complete_entry_on_dev(void **state)
{
	const __u8 want[6] = { 0x02, 0xaa, 0xbb, 0x00, 0x00, 0xfe };
	__u8 mac[6] = {};

	(void)state;
	/* The incomplete eth0 entry and the eth2 entry come first and must be skipped. */
	assert_int_equal(xlb_arp_parse(arp, "eth0", inet_addr("198.18.0.1"), mac), 0);
	assert_memory_equal(mac, want, 6);
}

static void test_arp_missing(void **state)
{
	__u8 mac[6];

	(void)state;
	assert_int_equal(xlb_arp_parse(arp, "eth0", inet_addr("198.18.0.2"), mac), -ENOENT);
	assert_int_equal(xlb_arp_parse(arp, "eth9", inet_addr("198.18.0.1"), mac), -ENOENT);
}

XLB_UNIT_MAIN(test_gateway_of_dev, test_no_gateway, test_arp_complete_entry_on_dev,
	      test_arp_missing)
