// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * cmocka tests of the fleet pieces that need no root: when a VIP address's route should be
 * published (user/lib/announce.c), the rtnetlink route messages built and parsed (route_nl.c), the
 * `xlb node` grammar and xlbd's --route-table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sysexits.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <cmocka.h>
#include "unit_main.h"
#include "addr.h"
#include "announce.h"
#include "cli.h"
#include "daemon_opts.h"
#include "fingerprint.h"
#include "route_nl.h"

static struct xlb_be_conf be[3];
static struct xlb_vip_conf vips[2];
static struct xlb_conf conf = {vips, 2, 0, false};

/* tcp:198.18.0.10:80 and :443 on one address, two backends each sharing be[]. */
static void fixture(void)
{
	memset(be, 0, sizeof(be));
	memset(vips, 0, sizeof(vips));
	assert_int_equal(xlb_vip_name_parse("tcp:198.18.0.10:80", &vips[0].name), 0);
	assert_int_equal(xlb_vip_name_parse("tcp:198.18.0.10:443", &vips[1].name), 0);
	assert_int_equal(xlb_addr_parse("198.18.1.1", &be[0].addr), 0);
	assert_int_equal(xlb_addr_parse("198.18.1.2", &be[1].addr), 0);
	assert_int_equal(xlb_addr_parse("198.18.1.3", &be[2].addr), 0);
	be[0].weight = be[1].weight = be[2].weight = 1;
	vips[0].backends = be;
	vips[0].nbackends = 2;
	vips[1].backends = be + 2;
	vips[1].nbackends = 1;
	vips[0].sched = vips[1].sched = XLB_SCHED_MAGLEV;
}

static void test_usable(void **state)
{
	(void)state;
	fixture();
	assert_true(xlb_vip_usable(&vips[0]));
	be[0].down = true;
	assert_true(xlb_vip_usable(&vips[0]));
	be[1].drain = true;
	assert_false(xlb_vip_usable(&vips[0]));
	be[1].drain = false;
	be[1].weight = 0;
	assert_false(xlb_vip_usable(&vips[0]));
	be[1].weight = 1;
	be[1].down = true; /* all down: fails open only under on-all-down: all */
	assert_false(xlb_vip_usable(&vips[0]));
	vips[0].health.all_down = XLB_ALL_DOWN_ALL;
	assert_true(xlb_vip_usable(&vips[0]));
	be[0].drain = be[1].drain = true; /* failing open never takes a drained backend */
	assert_false(xlb_vip_usable(&vips[0]));
	vips[0].nbackends = 0;
	assert_false(xlb_vip_usable(&vips[0]));
}

static void test_want(void **state)
{
	enum xlb_announce_reason why;
	struct xlb_addr a, other;

	(void)state;
	fixture();
	assert_int_equal(xlb_addr_parse("198.18.0.10", &a), 0);
	assert_int_equal(xlb_addr_parse("198.18.0.11", &other), 0);
	assert_true(xlb_announce_want(&conf, &a, false, &why));
	assert_int_equal(why, XLB_ANN_USABLE);
	assert_false(xlb_announce_want(&conf, &a, true, &why));
	assert_int_equal(why, XLB_ANN_DRAINED);
	assert_string_equal(xlb_announce_reason_str(why), "the node is drained");
	assert_false(xlb_announce_want(&conf, &other, false, &why));
	assert_int_equal(why, XLB_ANN_NO_VIP);
	assert_false(xlb_announce_want(&conf, &other, true, &why));
	assert_int_equal(why, XLB_ANN_NO_VIP);
	/* :80 all down, :443 still up: the address stays. */
	be[0].down = be[1].down = true;
	assert_true(xlb_announce_want(&conf, &a, false, &why));
	assert_int_equal(why, XLB_ANN_USABLE);
	be[2].down = true;
	assert_false(xlb_announce_want(&conf, &a, false, &why));
	assert_int_equal(why, XLB_ANN_NO_BACKEND);
	vips[1].health.all_down = XLB_ALL_DOWN_ALL;
	assert_true(xlb_announce_want(&conf, &a, false, &why));
	assert_int_equal(why, XLB_ANN_FAIL_OPEN);
}

static const struct rtattr *attr(const struct nlmsghdr *h, __u16 type)
{
	const struct rtmsg *rt = NLMSG_DATA(h);
	int len = h->nlmsg_len - NLMSG_LENGTH(sizeof(*rt));
	const struct rtattr *a;

	for (a = RTM_RTA(rt); RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == type)
			return a;
	fail_msg("no attribute %u", type);
	return NULL;
}

/* The whole request: header, rtmsg and both attributes; and what the parser takes back. */
static void test_route_messages(void **state)
{
	char buf[XLB_RTNL_MSG_MAX] __attribute__((aligned(4)));
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct rtmsg *rt = NLMSG_DATA(h);
	struct xlb_addr a, back;
	__u32 table;

	(void)state;
	assert_int_equal(xlb_addr_parse("2001:db8::10", &a), 0);
	assert_int_equal(xlb_rtnl_build(buf, true, 9661, &a, 7), 16 + 12 + 20 + 8);
	assert_int_equal(h->nlmsg_type, RTM_NEWROUTE);
	assert_int_equal(h->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE);
	assert_int_equal(h->nlmsg_seq, 7);
	assert_int_equal(rt->rtm_family, AF_INET6);
	assert_int_equal(rt->rtm_dst_len, 128);
	assert_int_equal(rt->rtm_table, RT_TABLE_UNSPEC);
	assert_int_equal(rt->rtm_protocol, XLB_RTPROT);
	assert_int_equal(rt->rtm_type, RTN_BLACKHOLE);
	assert_memory_equal(RTA_DATA(attr(h, RTA_DST)), a.a, 16);
	memcpy(&table, RTA_DATA(attr(h, RTA_TABLE)), 4);
	assert_int_equal(table, 9661);
	assert_true(xlb_rtnl_parse(h, 9661, &back));
	assert_int_equal(xlb_addr_cmp(&a, &back), 0);
	assert_false(xlb_rtnl_parse(h, 9662, &back));
	rt->rtm_protocol = RTPROT_BOOT; /* someone else's route */
	assert_false(xlb_rtnl_parse(h, 9661, &back));
	assert_int_equal(xlb_addr_parse("198.18.0.10", &a), 0);
	assert_int_equal(xlb_rtnl_build(buf, false, 100, &a, 8), 16 + 12 + 8 + 8);
	assert_int_equal(h->nlmsg_type, RTM_DELROUTE);
	assert_int_equal(h->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(rt->rtm_table, 100);
	assert_int_equal(rt->rtm_dst_len, 32);
	h->nlmsg_type = RTM_NEWROUTE; /* as a dump reports it */
	assert_true(xlb_rtnl_parse(h, 100, &back));
	assert_int_equal(back.a[0], inet_addr("198.18.0.10"));
	rt->rtm_dst_len = 24; /* not a host route */
	assert_false(xlb_rtnl_parse(h, 100, &back));
}

static void test_table_range(void **state)
{
	(void)state;
	assert_false(xlb_route_table_ok(0));
	assert_true(xlb_route_table_ok(1));
	assert_true(xlb_route_table_ok(252));
	assert_false(xlb_route_table_ok(253));
	assert_false(xlb_route_table_ok(254));
	assert_false(xlb_route_table_ok(255));
	assert_true(xlb_route_table_ok(256));
	assert_true(xlb_route_table_ok(0x7fffffff));
	assert_false(xlb_route_table_ok(0x80000000));
}

static int parse_line(const char *line, char *err, bool daemon, struct cli_args *a,
		      struct xlbd_opts *o)
{
	static char buf[256];
	char *argv[16], *tok, *save;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s %s", daemon ? "xlbd" : "xlb", line);
	for (tok = strtok_r(buf, " ", &save); tok && argc < 15; tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	return daemon ? xlbd_opts_parse(argc, argv, o, err, 256)
		      : cli_parse(argc, argv, a, err, 256);
}

static void test_node_grammar(void **state)
{
	struct cli_args a;
	char err[256];

	(void)state;
	assert_int_equal(parse_line("node drain -i eth1", err, false, &a, NULL), 0);
	assert_int_equal(a.cmd, CMD_NODE_DRAIN);
	assert_string_equal(a.dev, "eth1");
	assert_int_equal(parse_line("node undrain", err, false, &a, NULL), 0);
	assert_int_equal(a.cmd, CMD_NODE_UNDRAIN);
	assert_int_equal(parse_line("node check -j", err, false, &a, NULL), 0);
	assert_int_equal(a.cmd, CMD_NODE_CHECK);
	assert_true(a.json);
	assert_int_equal(parse_line("node drain now", err, false, &a, NULL), EX_USAGE);
	assert_string_equal(err, "Usage: xlb node drain");
	assert_int_equal(parse_line("node", err, false, &a, NULL), EX_USAGE);
	assert_string_equal(err, "Unknown command 'node'");
	assert_int_equal(parse_line("node drian", err, false, &a, NULL), EX_USAGE);
}

static void test_route_table_option(void **state)
{
	struct xlbd_opts o;
	char err[256];

	(void)state;
	assert_int_equal(parse_line("-i eth1", err, true, NULL, &o), 0);
	assert_int_equal(o.route_table, XLB_ROUTE_TABLE_DEFAULT);
	assert_false(o.has_route_table);
	assert_int_equal(parse_line("-i eth1 --route-table 100", err, true, NULL, &o), 0);
	assert_int_equal(o.route_table, 100);
	assert_true(o.has_route_table);
	assert_int_equal(parse_line("-i eth1 --route-table 0", err, true, NULL, &o), 0);
	assert_int_equal(o.route_table, 0);
	assert_int_equal(parse_line("-i eth1 --route-table 254", err, true, NULL, &o), EX_DATAERR);
	assert_string_equal(err, "Invalid routing table '254': 0 (none) or 1-2147483647 but "
				 "253-255 (the kernel's)");
	assert_int_equal(parse_line("-i eth1 --route-table 2147483648", err, true, NULL, &o),
			 EX_DATAERR);
	assert_int_equal(parse_line("-i eth1 --route-table x", err, true, NULL, &o), EX_DATAERR);
}

/* The fixture with ids 1 and 2 in vips[0], and other: vips[0] again, its backends as ids 9, 4. */
static void fixture_ids(struct xlb_vip_conf *other, struct xlb_be_conf obe[2])
{
	fixture();
	be[0].id = 1;
	be[1].id = 2;
	*other = vips[0];
	other->backends = obe;
	obe[0] = be[0];
	obe[1] = be[1];
	obe[0].id = 9;
	obe[1].id = 4;
}

/* Equal for the same backends in the same slots whatever their ids; different otherwise. */
static void test_fingerprint(void **state)
{
	static __u32 a[7] = {1, 1, 2, 2, 1, 0, 2}, b[7] = {9, 9, 4, 4, 9, 0, 4};
	struct xlb_vip_conf other;
	struct xlb_be_conf obe[2];
	__u64 fa, fb;
	char s[XLB_FP_STRLEN];

	(void)state;
	fixture_ids(&other, obe);
	fa = xlb_table_fingerprint(a, 7, &vips[0]);
	fb = xlb_table_fingerprint(b, 7, &other);
	assert_true(fa == fb);
	assert_true(fa < (1ULL << 48));
	assert_int_equal(strlen(xlb_fingerprint_str(fa, s)), 12);
	/* A maglev VIP's fingerprint never changes between versions: mid-upgrade, fleets compare. */
	assert_string_equal(s, "c9d1d369fc36");
	b[0] = 4; /* one slot names the other backend */
	assert_false(xlb_table_fingerprint(b, 7, &other) == fa);
	b[0] = 9;
	obe[1].addr.a[0] ^= htonl(1); /* a backend at another address */
	assert_false(xlb_table_fingerprint(b, 7, &other) == fa);
	assert_false(xlb_table_fingerprint(a, 6, &vips[0]) == fa);
	a[5] = 3; /* an id the VIP does not have counts as an empty slot */
	assert_true(xlb_table_fingerprint(a, 7, &vips[0]) == fa);
	other.sched = XLB_SCHED_MAGLEV_FAST; /* the same table, its flows in other slots */
	obe[1].addr.a[0] ^= htonl(1);
	fb = xlb_table_fingerprint(b, 7, &other);
	assert_true(fb != fa);
	assert_string_equal(xlb_fingerprint_str(fb, s), "85220f265545"); /* as before, too */
	other.sched = XLB_SCHED_SH; /* or a flow's slot from its client's address alone */
	assert_true(xlb_table_fingerprint(b, 7, &other) != fa);
	assert_true(xlb_table_fingerprint(b, 7, &other) != fb);
	other.sched = vips[0].sched;
	assert_true(xlb_table_fingerprint(b, 7, &other) == fa);
	assert_string_equal(xlb_fingerprint_str(0xabcULL, s), "000000000abc");
}

/* Two-hop slots: the second hop counts by address too; none (0) hashes as a Maglev slot. */
static void test_fingerprint_twohop(void **state)
{
	static __u32 maglev[3] = {1, 2, 1};
	__u32 a[3] = {1 | 2 << 16, 2 | 1 << 16, 1}, b[3] = {9 | 4 << 16, 4 | 9 << 16, 9};
	struct xlb_vip_conf other;
	struct xlb_be_conf obe[2];
	__u64 fa;

	(void)state;
	fixture_ids(&other, obe);
	fa = xlb_table_fingerprint(a, 3, &vips[0]);
	assert_true(fa == xlb_table_fingerprint(b, 3, &other));
	assert_false(fa == xlb_table_fingerprint(maglev, 3, &vips[0]));
	b[0] = 9; /* the first slot loses its second hop */
	assert_false(xlb_table_fingerprint(b, 3, &other) == fa);
	b[0] = 9 | 9 << 16; /* or names the first hop again */
	assert_false(xlb_table_fingerprint(b, 3, &other) == fa);
	a[0] = 1;
	a[1] = 2;
	assert_true(xlb_table_fingerprint(a, 3, &vips[0]) ==
		    xlb_table_fingerprint(maglev, 3, &vips[0]));
}

XLB_UNIT_MAIN(test_usable, test_want, test_route_messages, test_table_range, test_node_grammar,
	      test_route_table_option, test_fingerprint, test_fingerprint_twohop)
