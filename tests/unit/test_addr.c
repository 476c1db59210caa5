// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * cmocka tests of user/lib/addr.c: addresses, MACs, VIP names and endpoints in both directions,
 * strict decimals, the keywords, and that every parser rejects near misses and leaves its
 * output alone when it does.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "unit_main.h"

#include "addr.h"
#include "capture.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Each string of the array bad is refused with -EINVAL by parse(string, out), which leaves the
 * n bytes at out as they were (0x5a each); a failure names the string.
 */
#define expect_invalid(parse, bad, out, n)                                                     \
	do {                                                                                   \
		unsigned char orig_[n];                                                        \
		size_t i_;                                                                     \
                                                                                               \
		memset(orig_, 0x5a, sizeof(orig_));                                            \
		for (i_ = 0; i_ < ARRAY_SIZE(bad); i_++) {                                     \
			memcpy((out), orig_, sizeof(orig_));                                   \
			assert_row_int(bad[i_], parse(bad[i_], (out)), -EINVAL);               \
			assert_row_memory(bad[i_], (out), orig_, sizeof(orig_));               \
		}                                                                              \
	} while (0)

static void test_addr_v4(void **state)
{
	struct xlb_addr a;
	char buf[XLB_ADDR_STRLEN];

	(void)state;
	memset(&a, 0xff, sizeof(a));
	assert_int_equal(xlb_addr_parse("198.18.0.10", &a), 0);
	assert_int_equal(a.family, XLB_FAM_V4);
	assert_int_equal(a.a[0], htonl(0xc612000a));
	assert_int_equal(a.a[1] | a.a[2] | a.a[3], 0);
	assert_string_equal(xlb_addr_str(&a, buf, sizeof(buf)), "198.18.0.10");
}

static void test_addr_v6(void **state)
{
	static const __u8 want[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x10};
	struct xlb_addr a;
	char buf[XLB_ADDR_STRLEN];

	(void)state;
	assert_int_equal(xlb_addr_parse("2001:DB8:0::10", &a), 0);
	assert_int_equal(a.family, XLB_FAM_V6);
	assert_memory_equal(a.a, want, sizeof(want));
	assert_string_equal(xlb_addr_str(&a, buf, sizeof(buf)), "2001:db8::10");
	assert_int_equal(xlb_addr_parse("::", &a), 0);
	assert_string_equal(xlb_addr_str(&a, buf, sizeof(buf)), "::");
}

static void test_addr_bad(void **state)
{
	static const char *const bad[] = {
	    "",		"1.2.3",      "1.2.3.4.5", "256.1.1.1", " 1.2.3.4",
	    "1.2.3.4 ", "1.2.3.4/24", "1::2::3",   "[::1]",	"fe80::1%eth0",
	    "abc",	"1.2.3.4:80", "::1 ",	   "2001:db8:", "0x01020304",
	};
	struct xlb_addr a;

	(void)state;
	expect_invalid(xlb_addr_parse, bad, &a, sizeof(a));
}

static void test_addr_str_unknown(void **state)
{
	struct xlb_addr a = {.family = 5};
	char buf[XLB_ADDR_STRLEN], small[4];

	(void)state;
	assert_string_equal(xlb_addr_str(&a, buf, sizeof(buf)), "?");
	assert_int_equal(xlb_addr_parse("198.18.0.10", &a), 0);
	assert_string_equal(xlb_addr_str(&a, small, sizeof(small)), "?");
}

static void test_addr_cmp(void **state)
{
	struct xlb_addr a, b, c, d;

	(void)state;
	assert_int_equal(xlb_addr_parse("198.18.0.2", &a), 0);
	assert_int_equal(xlb_addr_parse("198.18.0.10", &b), 0);
	assert_int_equal(xlb_addr_parse("::1", &c), 0);
	assert_int_equal(xlb_addr_parse("198.18.0.2", &d), 0);
	assert_true(xlb_addr_cmp(&a, &b) < 0); /* numeric, not textual */
	assert_true(xlb_addr_cmp(&b, &a) > 0);
	assert_true(xlb_addr_cmp(&b, &c) < 0); /* IPv4 before IPv6 */
	assert_true(xlb_addr_cmp(&c, &a) > 0);
	assert_int_equal(xlb_addr_cmp(&a, &d), 0);
}

static void test_mac(void **state)
{
	static const __u8 want[6] = {0x02, 0xab, 0x00, 0xcd, 0x01, 0xff};
	char buf[XLB_MAC_STRLEN];
	__u8 mac[6];

	(void)state;
	assert_int_equal(xlb_mac_parse("02:AB:00:cd:01:Ff", mac), 0);
	assert_memory_equal(mac, want, sizeof(want));
	assert_string_equal(xlb_mac_str(mac, buf, sizeof(buf)), "02:ab:00:cd:01:ff");
}

static void test_mac_bad(void **state)
{
	static const char *const bad[] = {
	    "", "02:00:00:00:01", "02:00:00:00:01:01:02", "02-00-00-00-01-01", "2:00:00:00:01:01",
	    "02:00:00:00:01:1", "02:00:00:00:01:0g", "02:00:00:00:01:011", "02:00:00:00:01:01:",
	    " 02:00:00:00:01:01", "0200.0000.0101", "02:00:00:00:01:01 ",
	};
	__u8 mac[6];

	(void)state;
	expect_invalid(xlb_mac_parse, bad, mac, sizeof(mac));
}

static void test_not_unicast(void **state)
{
	static const struct {
		const char *addr, *why;
	} cases[] = {
	    {"0.0.0.0", "the unspecified address"},
	    {"255.255.255.255", "the broadcast address"},
	    {"224.0.0.0", "a multicast address"},
	    {"239.255.255.255", "a multicast address"},
	    {"::", "the unspecified address"},
	    {"ff00::", "a multicast address"},
	    {"ff02::1:ff00:1", "a multicast address"},
	    {"0.0.0.1", NULL},
	    {"223.255.255.255", NULL},
	    {"240.0.0.0", NULL},
	    {"255.255.255.254", NULL},
	    {"198.18.0.10", NULL},
	    {"::1", NULL},
	    {"::ffff:224.0.0.1", NULL},
	    {"fe80::1", NULL},
	    {"feff::", NULL},
	    {"2001:db8::10", NULL},
	};
	static const __u8 zero[6], bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
				     mcast[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01},
				     uni[6] = {0xfe, 0xff, 0xff, 0xff, 0xff, 0xff},
				     low[6] = {0, 0, 0, 0, 0, 1};
	struct xlb_addr a;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(xlb_addr_parse(cases[i].addr, &a), 0);
		if (cases[i].why)
			assert_string_equal(xlb_addr_not_unicast(&a), cases[i].why);
		else
			assert_null(xlb_addr_not_unicast(&a));
	}
	assert_string_equal(xlb_mac_not_unicast(zero), "all zeros");
	assert_string_equal(xlb_mac_not_unicast(bcast), "a multicast MAC");
	assert_string_equal(xlb_mac_not_unicast(mcast), "a multicast MAC");
	assert_null(xlb_mac_not_unicast(uni));
	assert_null(xlb_mac_not_unicast(low));
}

static void test_vip_name(void **state)
{
	static const struct {
		const char *s;
		__u8 proto, family;
		__u16 port;
	} good[] = {
	    {"tcp:198.18.0.10:80", IPPROTO_TCP, XLB_FAM_V4, 80},
	    {"udp:[2001:db8::10]:53", IPPROTO_UDP, XLB_FAM_V6, 53},
	    {"tcp:198.18.0.10:0", IPPROTO_TCP, XLB_FAM_V4, 0},
	    {"udp:0.0.0.0:65535", IPPROTO_UDP, XLB_FAM_V4, 65535},
	    {"tcp:[::]:443", IPPROTO_TCP, XLB_FAM_V6, 443},
	};
	char buf[XLB_VIP_NAME_STRLEN];
	struct xlb_vip_name v;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		memset(&v, 0xff, sizeof(v));
		assert_int_equal(xlb_vip_name_parse(good[i].s, &v), 0);
		assert_int_equal(v.proto, good[i].proto);
		assert_int_equal(v.addr.family, good[i].family);
		assert_int_equal(v.port, good[i].port);
		assert_string_equal(xlb_vip_name_str(&v, buf, sizeof(buf)), good[i].s);
	}
	assert_int_equal(xlb_vip_name_parse("udp:[2001:DB8:0::10]:053", &v), 0);
	assert_string_equal(xlb_vip_name_str(&v, buf, sizeof(buf)), "udp:[2001:db8::10]:53");
}

static void test_vip_name_bad(void **state)
{
	static const char *const bad[] = {
	    "", "tcp", "tcp:", "TCP:198.18.0.10:80", "sctp:198.18.0.10:80", "icmp:198.18.0.10:80",
	    "tcp198.18.0.10:80", ":198.18.0.10:80", "tcp:198.18.0.10", "tcp:198.18.0.10:",
	    "tcp:198.18.0.10:80x", "tcp:198.18.0.10:+80", "tcp:198.18.0.10:-1",
	    "tcp:198.18.0.10: 80", "tcp:198.18.0.10:80 ", "tcp:198.18.0.10:80:81", "tcp::80",
	    "tcp:2001:db8::10:53", "tcp:[198.18.0.10]:80", "tcp:[2001:db8::10]53",
	    "tcp:[2001:db8::10]:", "tcp:[2001:db8::10:53", "tcp:[]:53",
	    "tcp:[2001:db8::10%eth0]:53", "tcp:[2001:db8::10]:53]", "tcp:host.example:80",
	};
	struct xlb_vip_name v, orig;

	(void)state;
	memset(&orig, 0x5a, sizeof(orig));
	expect_invalid(xlb_vip_name_parse, bad, &v, sizeof(v));
	assert_int_equal(xlb_vip_name_parse("tcp:198.18.0.10:65536", &v), -ERANGE);
	assert_int_equal(xlb_vip_name_parse("udp:[::1]:99999999999", &v), -ERANGE);
	assert_memory_equal(&v, &orig, sizeof(v));
}

static void test_endpoint(void **state)
{
	struct xlb_addr a, want4, want6;
	__u16 port = 7;

	(void)state;
	assert_int_equal(xlb_addr_parse("198.18.0.1", &want4), 0);
	assert_int_equal(xlb_addr_parse("2001:db8::1", &want6), 0);
	assert_int_equal(xlb_endpoint_parse("198.18.0.1:40000", &a, &port), 0);
	assert_memory_equal(&a, &want4, sizeof(a));
	assert_int_equal(port, 40000);
	assert_int_equal(xlb_endpoint_parse("[2001:db8::1]:443", &a, &port), 0);
	assert_memory_equal(&a, &want6, sizeof(a));
	assert_int_equal(port, 443);
	assert_int_equal(xlb_endpoint_parse("tcp:198.18.0.1:80", &a, &port), -EINVAL);
	assert_int_equal(xlb_endpoint_parse("2001:db8::1:443", &a, &port), -EINVAL);
	assert_int_equal(xlb_endpoint_parse("198.18.0.1", &a, &port), -EINVAL);
	assert_int_equal(xlb_endpoint_parse("198.18.0.1:70000", &a, &port), -ERANGE);
	assert_memory_equal(&a, &want6, sizeof(a));
	assert_int_equal(port, 443);
}

static void test_u32(void **state)
{
	__u32 v = 0;

	(void)state;
	assert_int_equal(xlb_u32_parse("0", 0, 100, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(xlb_u32_parse("100", 0, 100, &v), 0);
	assert_int_equal(v, 100);
	assert_int_equal(xlb_u32_parse("0042", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(xlb_u32_parse("4294967295", 0, UINT32_MAX, &v), 0);
	assert_int_equal(v, UINT32_MAX);
}

static void test_u32_bad(void **state)
{
	static const char *const invalid[] = {
	    "", "-1", "+1", " 1", "1 ", "0x10", "1e3", "1.0", "x", "1x", "99999999999999999999x"};
	/* 2^64 and 2^64 + 1: a wrapping accumulator would take them for 0 and 1. */
	static const char *const range[] = {"101", "4294967296", "18446744073709551616",
					    "18446744073709551617", "99999999999999999999999"};
	__u32 v = 7;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(invalid); i++)
		assert_int_equal(xlb_u32_parse(invalid[i], 0, 100, &v), -EINVAL);
	for (i = 0; i < ARRAY_SIZE(range); i++)
		assert_int_equal(xlb_u32_parse(range[i], 0, 100, &v), -ERANGE);
	assert_int_equal(xlb_u32_parse("0", 1, 65535, &v), -ERANGE);
	assert_int_equal(v, 7);
}

static void test_keywords(void **state)
{
	/* Each parser with a keyword it takes and one it refuses, and a value with its name. */
	static const struct {
		int (*parse)(const char *s, __u8 *v);
		const char *(*str)(__u8 v);
		const char *s;
		int ret;
		__u8 v;
	} cases[] = {
	    {xlb_proto_parse, xlb_proto_str, "tcp", 0, IPPROTO_TCP},
	    {xlb_proto_parse, xlb_proto_str, "udp", 0, IPPROTO_UDP},
	    {xlb_forward_parse, xlb_forward_str, "ipip", 0, XLB_FWD_IPIP},
	    {xlb_forward_parse, xlb_forward_str, "gue", 0, XLB_FWD_GUE},
	    {xlb_forward_parse, xlb_forward_str, "dr", 0, XLB_FWD_DR},
	    {xlb_sched_parse, xlb_sched_str, "maglev", 0, XLB_SCHED_MAGLEV},
	    {xlb_sched_parse, xlb_sched_str, "source-hash", 0, XLB_SCHED_SH},
	    {xlb_sched_parse, xlb_sched_str, "maglev-fast", 0, XLB_SCHED_MAGLEV_FAST},
	    {xlb_proto_parse, xlb_proto_str, "TCP", -EINVAL, 99},
	    {xlb_proto_parse, xlb_proto_str, "", -EINVAL, 99},
	    {xlb_forward_parse, xlb_forward_str, "IPIP", -EINVAL, 99},
	    {xlb_forward_parse, xlb_forward_str, "dr ", -EINVAL, 99},
	    {xlb_sched_parse, xlb_sched_str, "sh", -EINVAL, 99},
	    {xlb_sched_parse, xlb_sched_str, "Maglev", -EINVAL, 99},
	};
	size_t i;
	__u8 v;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		v = 99; /* a refused keyword leaves it */
		assert_row_int(cases[i].s, cases[i].parse(cases[i].s, &v), cases[i].ret);
		assert_row_int(cases[i].s, v, cases[i].v);
		if (!cases[i].ret)
			assert_row_string(cases[i].s, cases[i].str(v), cases[i].s);
	}
	assert_string_equal(xlb_proto_str(0), "?");
	assert_string_equal(xlb_forward_str(0), "?");
	assert_string_equal(xlb_sched_str(XLB_SCHED__MAX), "?");
}

XLB_UNIT_MAIN(test_addr_v4, test_addr_v6, test_addr_bad, test_addr_str_unknown, test_addr_cmp,
	      test_mac, test_mac_bad, test_vip_name, test_vip_name_bad, test_endpoint, test_u32,
	      test_u32_bad, test_keywords, test_not_unicast)
