// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * cmocka tests of user/lib/model.c on models built in code: the rules a file cannot break (unknown
 * modes, families and protocols), the VIP and backend limits, canonical order, deep copies,
 * the diff's less common lines, and the error and string lists.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "unit_main.h"

#include "addr.h"
#include "capture.h"
#include "vip_settings.h"
#include "model.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct xlb_vip_conf *add_vip(struct xlb_conf *c, const char *name, __u8 forward, int line)
{
	struct xlb_vip_conf *v;

	v = xlb_conf_add_vip(c);
	assert_non_null(v);
	assert_int_equal(xlb_vip_name_parse(name, &v->name), 0);
	xlb_vip_settings_defaults(&v->set);
	v->forward = forward;
	v->line = line;
	return v;
}

static struct xlb_be_conf *add_be(struct xlb_vip_conf *v, const char *addr, int line)
{
	struct xlb_be_conf *b;

	b = xlb_vip_add_backend(v);
	assert_non_null(b);
	assert_int_equal(xlb_addr_parse(addr, &b->addr), 0);
	b->weight = XLB_WEIGHT_DEFAULT;
	b->line = line;
	b->mac[0] = 0x02; /* a unicast MAC, for the tests that set has_mac */
	b->mac[5] = v->nbackends;
	return b;
}

/* Validation fails with exactly want, printed with the file name "m". */
static void expect_invalid(const struct xlb_conf *c, const char *want)
{
	struct xlb_errors errs = {.file = "m"};
	char *text;

	assert_int_equal(xlb_conf_validate(c, &errs), -EINVAL);
	text = errors_text(&errs);
	assert_string_equal(text, want);
	free(text);
	xlb_errors_free(&errs);
}

/*
 * A model written as the lines of a config file: a row with a VIP name starts that VIP, a row
 * with a backend address (be) adds it to the VIP above, with a MAC when has_mac (add_be's
 * unicast one) or mac (those bytes), and its own port (0: none).
 */
struct model_row {
	const char *vip;
	__u8 forward;
	const char *be;
	bool has_mac;
	const __u8 *mac;
	__u16 port;
};

/* The n rows added to c in that order, row i at line first + i (first 0: no lines). */
static void add_rows(struct xlb_conf *c, const struct model_row *rows, size_t n, int first)
{
	struct xlb_vip_conf *v = NULL;
	struct xlb_be_conf *b;
	size_t i;

	for (i = 0; i < n; i++) {
		if (rows[i].vip) {
			v = add_vip(c, rows[i].vip, rows[i].forward, first ? first + i : 0);
			continue;
		}
		assert_non_null(v);
		b = add_be(v, rows[i].be, first ? first + i : 0);
		b->has_mac = rows[i].has_mac || rows[i].mac;
		if (rows[i].mac)
			memcpy(b->mac, rows[i].mac, sizeof(b->mac));
		b->port = rows[i].port;
	}
}

/* Validation of the model of the n rows from line first fails with exactly want. */
static void expect_rows_invalid(const struct model_row *rows, size_t n, int first,
				const char *want)
{
	struct xlb_conf c = {};

	add_rows(&c, rows, n, first);
	expect_invalid(&c, want);
	xlb_conf_free(&c);
}

static void test_validate_ok(void **state)
{
	struct xlb_errors errs = {};
	struct xlb_conf c = {};
	struct xlb_vip_conf *v;

	(void)state;
	v = add_vip(&c, "tcp:[2001:db8::10]:80", XLB_FWD_DR, 0);
	add_be(v, "2001:db8::1", 0)->has_mac = true;
	add_be(v, "2001:db8::2", 0)->has_mac = true;
	v = add_vip(&c, "tcp:198.18.0.10:80", XLB_FWD_GUE, 0);
	add_be(v, "2001:db8::1", 0)->weight = XLB_WEIGHT_MAX;
	add_be(v, "198.18.1.1", 0)->weight = 0;
	assert_int_equal(xlb_conf_validate(&c, &errs), 0);
	assert_int_equal(errs.n, 0);
	xlb_conf_free(&c);
}

static void test_validate_fields(void **state)
{
	struct xlb_conf c = {};
	struct xlb_vip_conf *v;

	(void)state;
	v = add_vip(&c, "tcp:198.18.0.10:80", 0, 0);
	v->sched = XLB_SCHED__MAX;
	v->gue_port = 0;
	add_be(v, "198.18.1.1", 0)->weight = XLB_WEIGHT_MAX + 1;
	add_be(v, "198.18.1.2", 0)->addr.family = 5;
	v = add_vip(&c, "udp:198.18.0.10:53", XLB_FWD__MAX, 0);
	v->name.proto = IPPROTO_ICMP;
	v = add_vip(&c, "udp:198.18.0.10:54", XLB_FWD_IPIP, 0);
	v->name.addr.family = 0;
	expect_invalid(&c, "m: VIP ?:198.18.0.10:53: unknown forward mode 5\n"
			   "m: VIP ?:198.18.0.10:53: unknown protocol 1\n"
			   "m: VIP tcp:198.18.0.10:80: gue-port 0: expected 1-65535\n"
			   "m: VIP tcp:198.18.0.10:80: unknown forward mode 0\n"
			   "m: VIP tcp:198.18.0.10:80: unknown sched 4\n"
			   "m: VIP udp:?:54: unknown address family 0\n"
			   "m: backend 198.18.1.1 of VIP tcp:198.18.0.10:80: weight 101 over 100\n"
			   "m: backend of VIP tcp:198.18.0.10:80: unknown address family 5\n");
	xlb_conf_free(&c);
}

static void test_validate_not_unicast(void **state)
{
	static const __u8 zero[6], multicast[6] = {0x33, 0x33, 0, 0, 0, 1};
	static const struct model_row rows[] = {
	    {.vip = "tcp:198.18.0.10:80", .forward = XLB_FWD_DR},
	    {.be = "0.0.0.0", .mac = zero},
	    {.be = "255.255.255.255", .mac = multicast},
	    {.be = "198.18.1.1", .mac = zero},
	    {.vip = "tcp:224.0.0.5:80", .forward = XLB_FWD_IPIP},
	    {.be = "ff02::1"},
	    {.vip = "udp:[::]:53", .forward = XLB_FWD_IPIP},
	    {.vip = "udp:[ff00::]:53", .forward = XLB_FWD_IPIP},
	    {.vip = "udp:255.255.255.255:53", .forward = XLB_FWD_IPIP},
	};

	(void)state;
	expect_rows_invalid(
	    rows, ARRAY_SIZE(rows), 2,
	    "m:3: backend 0.0.0.0 of VIP tcp:198.18.0.10:80: MAC 00:00:00:00:00:00 is "
	    "all zeros: expected a unicast MAC\n"
	    "m:3: backend 0.0.0.0 of VIP tcp:198.18.0.10:80: the unspecified address: "
	    "expected a unicast address\n"
	    "m:4: backend 255.255.255.255 of VIP tcp:198.18.0.10:80: MAC 33:33:00:00:00:01 "
	    "is a multicast MAC: expected a unicast MAC\n"
	    "m:4: backend 255.255.255.255 of VIP tcp:198.18.0.10:80: the broadcast "
	    "address: expected a unicast address\n"
	    "m:5: backend 198.18.1.1 of VIP tcp:198.18.0.10:80: MAC 00:00:00:00:00:00 is "
	    "all zeros: expected a unicast MAC\n"
	    "m:6: VIP tcp:224.0.0.5:80: a multicast address: expected a unicast address\n"
	    "m:7: backend ff02::1 of VIP tcp:224.0.0.5:80: a multicast address: expected "
	    "a unicast address\n"
	    "m:8: VIP udp:[::]:53: the unspecified address: expected a unicast address\n"
	    "m:9: VIP udp:[ff00::]:53: a multicast address: expected a unicast address\n"
	    "m:10: VIP udp:255.255.255.255:53: the broadcast address: expected a unicast "
	    "address\n");
}

static void test_validate_dups_without_lines(void **state)
{
	static const struct model_row rows[] = {
	    {.vip = "tcp:198.18.0.10:80", .forward = XLB_FWD_IPIP},
	    {.be = "198.18.1.1"},
	    {.be = "198.18.1.1"},
	    {.vip = "tcp:198.18.0.10:80", .forward = XLB_FWD_GUE},
	};

	(void)state;
	expect_rows_invalid(rows, ARRAY_SIZE(rows), 0,
			    "m: duplicate VIP tcp:198.18.0.10:80\n"
			    "m: duplicate backend 198.18.1.1 in VIP tcp:198.18.0.10:80\n");
}

static void test_validate_dr(void **state)
{
	static const struct model_row rows[] = {
	    {.vip = "udp:198.18.0.10:53", .forward = XLB_FWD_DR},
	    {.be = "198.18.1.1"},
	    {.be = "2001:db8::1", .has_mac = true},
	};

	(void)state;
	expect_rows_invalid(rows, ARRAY_SIZE(rows), 2,
			    "m:3: backend 198.18.1.1 of dr VIP udp:198.18.0.10:53 lacks a MAC\n"
			    "m:4: backend 2001:db8::1 of dr VIP udp:198.18.0.10:53 is not IPv4: dr "
			    "only rewrites the MAC\n");
}

/* A port only on a nat backend of a VIP with a port; nat needs a MAC and the VIP's family. */
static void test_validate_nat(void **state)
{
	static const struct model_row rows[] = {
	    {.vip = "tcp:198.18.0.10:80", .forward = XLB_FWD_NAT},
	    {.be = "198.18.1.1", .has_mac = true, .port = 8080},
	    {.be = "198.18.1.2", .port = 8080},
	    {.be = "2001:db8::1", .has_mac = true},
	    {.vip = "tcp:198.18.0.11:0", .forward = XLB_FWD_NAT},
	    {.be = "198.18.1.3", .has_mac = true, .port = 8080},
	    {.vip = "tcp:198.18.0.12:80", .forward = XLB_FWD_DR},
	    {.be = "198.18.1.4", .has_mac = true, .port = 8080},
	};

	(void)state;
	expect_rows_invalid(rows, ARRAY_SIZE(rows), 2,
			    "m:4: backend 198.18.1.2 of nat VIP tcp:198.18.0.10:80 lacks a MAC\n"
			    "m:5: backend 2001:db8::1 of nat VIP tcp:198.18.0.10:80 is not IPv4: "
			    "nat keeps the address family\n"
			    "m:7: backend 198.18.1.3 of VIP tcp:198.18.0.11:0 has port 8080: a VIP "
			    "of every port keeps the client's\n"
			    "m:9: backend 198.18.1.4 of VIP tcp:198.18.0.12:80 has port 8080: only "
			    "nat VIPs translate ports\n");
}

/* n VIPs tcp:198.18.0.1:1.., at lines 1..n. */
static void make_vips(struct xlb_conf *c, size_t n)
{
	size_t i;

	c->vips = calloc(n, sizeof(*c->vips));
	assert_non_null(c->vips);
	c->nvips = n;
	for (i = 0; i < n; i++) {
		c->vips[i].name.addr.family = XLB_FAM_V4;
		c->vips[i].name.addr.a[0] = htonl(0x0a000001);
		c->vips[i].name.proto = IPPROTO_TCP;
		c->vips[i].name.port = i + 1;
		xlb_vip_settings_defaults(&c->vips[i].set); /* forward ipip, sched maglev */
		c->vips[i].line = i + 1;
	}
}

/* n backends 10.1.x.y at lines base + index. */
static void make_backends(struct xlb_vip_conf *v, size_t n, int base)
{
	size_t i;

	v->backends = calloc(n, sizeof(*v->backends));
	assert_non_null(v->backends);
	v->nbackends = n;
	for (i = 0; i < n; i++) {
		v->backends[i].addr.family = XLB_FAM_V4;
		v->backends[i].addr.a[0] = htonl(0x0a010000 + i);
		v->backends[i].weight = 1;
		v->backends[i].line = base + i;
	}
}

static void test_validate_vip_limit(void **state)
{
	struct xlb_errors errs = {};
	struct xlb_conf c = {};

	(void)state;
	make_vips(&c, XLB_MAX_VIPS);
	assert_int_equal(xlb_conf_validate(&c, &errs), 0);
	xlb_conf_free(&c);
	make_vips(&c, XLB_MAX_VIPS + 1);
	expect_invalid(&c, "m:1025: 1025 VIPs: at most 1024\n");
	xlb_conf_free(&c);
}

static void test_validate_backend_limit(void **state)
{
	struct xlb_errors errs = {};
	struct xlb_conf c = {};

	(void)state;
	make_vips(&c, 3);
	make_backends(&c.vips[0], 10000, 100000);
	make_backends(&c.vips[2], XLB_MAX_BACKENDS - 1 - 10000, 200000);
	assert_int_equal(xlb_conf_validate(&c, &errs), 0);
	/* One more, in the middle VIP: the first over the limit is then the last of the third. */
	make_backends(&c.vips[1], 1, 300000);
	expect_invalid(&c, "m:206382: 16384 backends in all: at most 16383\n");
	xlb_conf_free(&c);
}

static void test_sort(void **state)
{
	static const char *const order[] = {"tcp:198.18.0.2:80", "tcp:198.18.0.2:443",
					    "udp:198.18.0.2:53", "tcp:198.18.0.10:0",
					    "tcp:[::1]:80",    "udp:[2001:db8::1]:0"};
	char buf[XLB_VIP_NAME_STRLEN];
	struct xlb_conf c = {};
	struct xlb_vip_conf *v;
	size_t i;

	(void)state;
	for (i = ARRAY_SIZE(order); i > 0; i--)
		add_vip(&c, order[i - 1], XLB_FWD_IPIP, 0);
	v = &c.vips[0];
	add_be(v, "2001:db8::1", 0);
	add_be(v, "198.18.0.10", 0);
	add_be(v, "198.18.0.9", 0);
	xlb_conf_sort(&c);
	for (i = 0; i < c.nvips; i++)
		assert_string_equal(xlb_vip_name_str(&c.vips[i].name, buf, sizeof(buf)), order[i]);
	v = &c.vips[c.nvips - 1];
	assert_int_equal(v->nbackends, 3);
	assert_string_equal(xlb_addr_str(&v->backends[0].addr, buf, sizeof(buf)), "198.18.0.9");
	assert_string_equal(xlb_addr_str(&v->backends[1].addr, buf, sizeof(buf)), "198.18.0.10");
	assert_string_equal(xlb_addr_str(&v->backends[2].addr, buf, sizeof(buf)), "2001:db8::1");
	xlb_conf_free(&c);
}

static void test_copy(void **state)
{
	struct xlb_conf c = {}, d;
	struct xlb_vip_conf *v;

	(void)state;
	v = add_vip(&c, "tcp:198.18.0.10:80", XLB_FWD_GUE, 7);
	add_be(v, "198.18.1.1", 8)->weight = 5;
	v = add_vip(&c, "tcp:198.18.0.10:81", XLB_FWD_IPIP, 9);
	v->backends = malloc(1); /* room for none: the copy must not share or free it */
	assert_int_equal(xlb_conf_copy(&d, &c), 0);
	assert_int_equal(d.nvips, 2);
	assert_ptr_not_equal(d.vips, c.vips);
	assert_ptr_not_equal(d.vips[0].backends, c.vips[0].backends);
	assert_null(d.vips[1].backends);
	assert_memory_equal(&d.vips[0].name, &c.vips[0].name, sizeof(d.vips[0].name));
	assert_int_equal(d.vips[0].line, 7);
	assert_int_equal(d.vips[0].backends[0].weight, 5);
	d.vips[0].backends[0].weight = 6;
	assert_int_equal(c.vips[0].backends[0].weight, 5);
	xlb_conf_free(&d);
	xlb_conf_free(&c);
	assert_int_equal(xlb_conf_copy(&d, &c), 0);
	assert_null(d.vips);
	assert_int_equal(d.nvips, 0);
}

/* A nat backend's port is part of its line, and a change of it is a change. */
static void test_diff_nat(void **state)
{
	static const struct model_row running[] = {
	    {.vip = "tcp:198.18.0.10:80", .forward = XLB_FWD_NAT},
	    {.be = "198.18.1.1", .has_mac = true, .port = 8080},
	};
	static const struct model_row desired[] = {
	    {.vip = "tcp:198.18.0.10:80", .forward = XLB_FWD_NAT},
	    {.be = "198.18.1.1", .has_mac = true, .port = 8081},
	    {.be = "2001:db8::2", .has_mac = true, .port = 9090},
	};
	struct xlb_conf r = {}, d = {};
	char *text;

	(void)state;
	add_rows(&r, running, ARRAY_SIZE(running), 0);
	add_rows(&d, desired, ARRAY_SIZE(desired), 0);
	text = diff_text(&r, &d);
	assert_string_equal(text, "~ backend tcp:198.18.0.10:80 198.18.1.1 port 8080 -> 8081\n"
				  "+ backend tcp:198.18.0.10:80 [2001:db8::2]:9090 weight 1 mac "
				  "02:00:00:00:00:02\n");
	free(text);
	xlb_conf_free(&d);
	xlb_conf_free(&r);
}

static void test_diff_fields(void **state)
{
	struct xlb_conf r = {}, d = {};
	struct xlb_vip_conf *v;
	struct xlb_be_conf *b;
	char *text;

	(void)state;
	v = add_vip(&r, "udp:[2001:db8::10]:53", XLB_FWD_GUE, 0);
	add_be(v, "2001:db8::2", 0);
	b = add_be(v, "2001:db8::1", 0);
	b->has_mac = true;
	memcpy(b->mac, "\x02\0\0\0\x01\x01", 6);
	add_vip(&r, "tcp:198.18.0.10:80", XLB_FWD_IPIP, 0);

	v = add_vip(&d, "udp:[2001:db8::10]:53", XLB_FWD_GUE, 0);
	v->sched = XLB_SCHED_SH;
	v->gue_port = 7000;
	add_be(v, "2001:db8::1", 0);
	b = add_be(v, "2001:db8::2", 0);
	b->has_mac = true;
	memcpy(b->mac, "\x02\0\0\0\x01\x02", 6);
	b->down = true; /* running state: not a change */
	b->ramp = 40;
	b->id = 9;
	v = add_vip(&d, "tcp:198.18.0.10:80", XLB_FWD_IPIP, 0);
	v->id = 4;
	v->health.slow_start_s = 10;
	v = add_vip(&d, "udp:198.18.0.10:0", XLB_FWD_GUE, 0);
	v->gue_port = 6081;
	v->health.slow_start_s = 30;

	text = diff_text(&r, &d);
	assert_string_equal(text,
			    "~ vip tcp:198.18.0.10:80 slow-start 0s -> 10s\n"
			    "+ vip udp:198.18.0.10:0 forward gue sched maglev gue-port 6081 "
			    "slow-start 30s\n"
			    "~ vip udp:[2001:db8::10]:53 sched maglev -> source-hash\n"
			    "~ vip udp:[2001:db8::10]:53 gue-port 6080 -> 7000\n"
			    "~ backend udp:[2001:db8::10]:53 2001:db8::1 mac 02:00:00:00:01:01 -> "
			    "none\n"
			    "~ backend udp:[2001:db8::10]:53 2001:db8::2 mac none -> "
			    "02:00:00:00:01:02\n");
	free(text);
	/* Neither input was sorted in place. */
	assert_int_equal(r.vips[0].name.addr.family, XLB_FAM_V6);
	assert_int_equal(r.vips[0].backends[0].addr.a[3], htonl(2));
	xlb_conf_free(&d);
	text = diff_text(&r, &d);
	assert_string_equal(text, "- vip tcp:198.18.0.10:80\n"
				  "- vip udp:[2001:db8::10]:53\n");
	free(text);
	xlb_conf_free(&r);
	text = diff_text(&r, &d);
	assert_string_equal(text, "");
	free(text);
}

static void test_errors(void **state)
{
	struct xlb_errors e = {};
	char *text;

	(void)state;
	assert_int_equal(xlb_errors_add(&e, 12, "b %d", 1), 0);
	assert_int_equal(xlb_errors_add(&e, 0, "no line"), 0);
	assert_int_equal(xlb_errors_add(&e, 3, "z"), 0);
	assert_int_equal(xlb_errors_add(&e, 12, "a %s", "x"), 0);
	text = errors_text(&e);
	assert_string_equal(text, "b 1\nno line\nz\na x\n");
	free(text);
	xlb_errors_sort(&e);
	e.file = "conf.yaml";
	text = errors_text(&e);
	assert_string_equal(text, "conf.yaml: no line\n"
				  "conf.yaml:3: z\n"
				  "conf.yaml:12: a x\n"
				  "conf.yaml:12: b 1\n");
	free(text);
	assert_false(e.nomem);
	xlb_errors_free(&e);
	assert_int_equal(e.n, 0);
	assert_null(e.v);
}

static void test_strv(void **state)
{
	struct xlb_strv s = {};
	int i;

	(void)state;
	for (i = 0; i < 100; i++)
		assert_int_equal(xlb_strv_push(&s, "line %d of %s", i, "many"), 0);
	assert_int_equal(s.n, 100);
	assert_string_equal(s.v[0], "line 0 of many");
	assert_string_equal(s.v[99], "line 99 of many");
	xlb_strv_free(&s);
	assert_int_equal(s.n, 0);
	assert_null(s.v);
}

XLB_UNIT_MAIN(test_validate_ok, test_validate_fields, test_validate_not_unicast,
	      test_validate_dups_without_lines, test_validate_dr, test_validate_nat,
	      test_validate_vip_limit, test_validate_backend_limit, test_sort, test_copy,
	      test_diff_fields, test_diff_nat, test_errors, test_strv)
