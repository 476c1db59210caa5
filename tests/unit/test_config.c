// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * cmocka tests of user/lib/config.c: fixture files written to a mkdtemp() directory and loaded,
 * the exact "file:line: message" text of their errors (typos, repeated keys, duplicate VIPs
 * and backends, dr without MACs, bad weights, addresses and VIP names, syntax), the canonical
 * text xlb_conf_write() produces and its round trip, and the diff between two files.
 */
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "addr.h"
#include "capture.h"
#include "conf_same.h"
#include "config.h"
#include "health_conf.h"
#include "vip_settings.h"

static char dir[] = "/tmp/xlb-test-config-XXXXXX";
static char path_a[64], path_b[64];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path_a, sizeof(path_a), "%s/a.yaml", dir);
	snprintf(path_b, sizeof(path_b), "%s/b.yaml", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path_a);
	unlink(path_b);
	return rmdir(dir);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Loads text from a file; *out gets the errors as printed, with "xlb.yaml" as the name. */
static int load_text(const char *text, struct xlb_conf *c, char **out)
{
	struct xlb_errors errs = {};
	int ret;

	write_file(path_a, text);
	ret = xlb_conf_load(path_a, c, &errs);
	assert_string_equal(errs.file, path_a);
	errs.file = "xlb.yaml";
	*out = errors_text(&errs);
	xlb_errors_free(&errs);
	return ret;
}

/* The file must be rejected with exactly the messages in want. */
static void expect_errors(const char *text, const char *want)
{
	struct xlb_conf c;
	char *out;

	assert_int_equal(load_text(text, &c, &out), -EINVAL);
	assert_string_equal(out, want);
	assert_null(c.vips);
	assert_int_equal(c.nvips, 0);
	free(out);
}

static void load_ok(const char *text, struct xlb_conf *c)
{
	char *out;

	assert_int_equal(load_text(text, c, &out), 0);
	assert_string_equal(out, "");
	free(out);
}

static void assert_addr(const struct xlb_addr *a, const char *want)
{
	char buf[XLB_ADDR_STRLEN];

	assert_string_equal(xlb_addr_str(a, buf, sizeof(buf)), want);
}

static void assert_name(const struct xlb_vip_conf *v, const char *want)
{
	char buf[XLB_VIP_NAME_STRLEN];

	assert_string_equal(xlb_vip_name_str(&v->name, buf, sizeof(buf)), want);
}

static const char good[] =
    "# every mode, both families, defaults\n"
    "vips:\n"
    "  - vip: tcp:198.18.0.10:80\n"
    "    forward: ipip\n"
    "    sched: maglev\n"
    "    backends:\n"
    "      - address: 198.18.1.1\n"
    "        weight: 100\n"
    "      - address: 2001:db8:1::1\n"
    "        weight: 0\n"
    "        drain: true\n"
    "  - vip: udp:[2001:db8::10]:53\n"
    "    forward: gue\n"
    "    sched: source-hash\n"
    "    gue-port: 7000\n"
    "    backends: []\n"
    "  - vip: 'tcp:[2001:db8::10]:0'\n"
    "    forward: dr\n"
    "    backends:\n"
    "      - {address: \"2001:db8:2::1\", mac: 02:00:00:00:01:0A, drain: false}\n"
    "  - vip: udp:198.18.0.11:0\n"
    "    on-all-down: all\n"
    "    health: {check: tcp, port: 5353, interval: 2s, timeout: 500ms, rise: 2, fall: 4}\n";

static void test_good(void **state)
{
	static const __u8 mac[6] = {2, 0, 0, 0, 1, 0x0a};
	const struct xlb_vip_conf *v;
	const struct xlb_be_conf *b;
	struct xlb_conf c;

	(void)state;
	load_ok(good, &c);
	assert_int_equal(c.nvips, 4);

	v = &c.vips[0];
	assert_name(v, "tcp:198.18.0.10:80");
	assert_int_equal(v->name.proto, IPPROTO_TCP);
	assert_int_equal(v->forward, XLB_FWD_IPIP);
	assert_int_equal(v->sched, XLB_SCHED_MAGLEV);
	assert_int_equal(v->gue_port, XLB_GUE_PORT_DEFAULT);
	assert_int_equal(v->line, 3);
	assert_int_equal(v->id, -1);
	assert_int_equal(v->nbackends, 2);
	b = &v->backends[0];
	assert_addr(&b->addr, "198.18.1.1");
	assert_int_equal(b->weight, 100);
	assert_false(b->has_mac);
	assert_false(b->drain);
	assert_int_equal(b->line, 7);
	b = &v->backends[1];
	assert_addr(&b->addr, "2001:db8:1::1");
	assert_int_equal(b->addr.family, XLB_FAM_V6);
	assert_int_equal(b->weight, 0);
	assert_true(b->drain);
	assert_int_equal(b->line, 9);

	v = &c.vips[1];
	assert_name(v, "udp:[2001:db8::10]:53");
	assert_int_equal(v->forward, XLB_FWD_GUE);
	assert_int_equal(v->sched, XLB_SCHED_SH);
	assert_int_equal(v->gue_port, 7000);
	assert_int_equal(v->nbackends, 0);
	assert_int_equal(v->line, 12);

	v = &c.vips[2];
	assert_name(v, "tcp:[2001:db8::10]:0");
	assert_int_equal(v->name.port, 0);
	assert_int_equal(v->forward, XLB_FWD_DR);
	assert_int_equal(v->sched, XLB_SCHED_MAGLEV);
	assert_int_equal(v->nbackends, 1);
	b = &v->backends[0];
	assert_addr(&b->addr, "2001:db8:2::1");
	assert_true(b->has_mac);
	assert_memory_equal(b->mac, mac, sizeof(mac));
	assert_int_equal(b->weight, XLB_WEIGHT_DEFAULT);
	assert_int_equal(b->line, 20);

	v = &c.vips[3];
	assert_name(v, "udp:198.18.0.11:0");
	assert_int_equal(v->forward, XLB_FWD_IPIP);
	assert_int_equal(v->nbackends, 0);
	assert_int_equal(v->line, 21);
	xlb_conf_free(&c);
	assert_null(c.vips);
}

/* slow-start: whole seconds 1s-3600s; 0 is refused (leaving it out is none). */
static void test_slow_start(void **state)
{
	char *text = NULL;
	struct xlb_conf c;

	(void)state;
	load_ok("vips:\n"
		"  - vip: tcp:198.18.0.10:80\n"
		"    slow-start: 2m\n"
		"  - vip: tcp:198.18.0.11:80\n",
		&c);
	assert_int_equal(c.vips[0].health.slow_start_s, 120);
	assert_int_equal(c.vips[1].health.slow_start_s, 0);
	text = conf_text(&c);
	/* Written when set, in the VIP's settings; not written when none. */
	assert_non_null(strstr(text, "    on-all-down: drop\n    slow-start: 120s\n    health:"));
	assert_null(strstr(strstr(text, "slow-start") + 1, "slow-start"));
	free(text);
	xlb_conf_free(&c);
	expect_errors("vips:\n"
		      "  - vip: tcp:198.18.0.10:80\n"
		      "    slow-start: 0\n"
		      "  - vip: tcp:198.18.0.11:80\n"
		      "    slow-start: 3601s\n"
		      "  - vip: tcp:198.18.0.12:80\n"
		      "    slow-start: 1500ms\n"
		      "  - vip: tcp:198.18.0.13:80\n"
		      "    slow-start: soon\n",
		      "xlb.yaml:3: bad slow-start '0': expected " XLB_SLOW_START_RULE "\n"
		      "xlb.yaml:5: bad slow-start '3601s': expected " XLB_SLOW_START_RULE "\n"
		      "xlb.yaml:7: bad slow-start '1500ms': expected " XLB_SLOW_START_RULE "\n"
		      "xlb.yaml:9: bad slow-start 'soon': expected " XLB_SLOW_START_RULE "\n");
}

static void test_empty_list(void **state)
{
	struct xlb_conf c;

	(void)state;
	load_ok("vips: []\n", &c);
	assert_int_equal(c.nvips, 0);
	xlb_conf_free(&c);
}

static void test_typos(void **state)
{
	(void)state;
	expect_errors("vips:\n"
		      "  - vip: tcp:198.18.0.10:80\n"
		      "    fowrard: gue\n"
		      "    backends:\n"
		      "      - address: 198.18.1.1\n"
		      "        wieght: 2\n",
		      "xlb.yaml:3: unknown key 'fowrard' in VIP (expected vip, forward, sched, "
		      "gue-port, second-chance, nat-tcp-timeout, nat-udp-timeout, nat-fin-timeout, "
		      "snat, on-all-down, slow-start, health, backends, new-flow-limit)\n"
		      "xlb.yaml:6: unknown key 'wieght' in backend (expected address, weight, mac, "
		      "drain)\n");
	expect_errors("vip:\n"
		      "  - vip: tcp:198.18.0.10:80\n",
		      "xlb.yaml:1: the document lacks key 'vips'\n"
		      "xlb.yaml:1: unknown key 'vip' in the document (expected vips, route-table)\n");
}

/* route-table: a table for xlbd's VIP routes, 0 for none, never one of the kernel's. */
static void test_route_table(void **state)
{
	static const char vips[] = "vips:\n  - vip: tcp:198.18.0.10:80\n";
	struct xlb_conf c;
	char text[256];

	(void)state;
	load_ok(vips, &c);
	assert_false(c.has_route_table);
	xlb_conf_free(&c);
	snprintf(text, sizeof(text), "route-table: 100\n%s", vips);
	load_ok(text, &c);
	assert_true(c.has_route_table);
	assert_int_equal(c.route_table, 100);
	xlb_conf_free(&c);
	snprintf(text, sizeof(text), "route-table: 0\n%s", vips);
	load_ok(text, &c);
	assert_true(c.has_route_table);
	assert_int_equal(c.route_table, 0);
	xlb_conf_free(&c);
	snprintf(text, sizeof(text), "route-table: 254\n%s", vips);
	expect_errors(text, "xlb.yaml:1: bad route-table '254': expected 0 (none) or a table but "
		      "253-255 (the kernel's)\n");
	snprintf(text, sizeof(text), "route-table: 2147483648\n%s", vips);
	expect_errors(text, "xlb.yaml:1: bad route-table '2147483648': expected 0-2147483647\n");
}

static void test_duplicate_keys(void **state)
{
	(void)state;
	expect_errors("vips:\n"
		      "  - vip: tcp:198.18.0.10:80\n"
		      "    forward: gue\n"
		      "    forward: dr\n"
		      "    backends:\n"
		      "      - address: 198.18.1.1\n"
		      "        weight: 2\n"
		      "        weight: 3\n"
		      "vips: []\n",
		      "xlb.yaml:4: duplicate key 'forward' (first at line 3)\n"
		      "xlb.yaml:8: duplicate key 'weight' (first at line 7)\n"
		      "xlb.yaml:9: duplicate key 'vips' (first at line 1)\n");
}

static void test_duplicate_vips(void **state)
{
	(void)state;
	expect_errors("vips:\n"
		      "  - vip: tcp:198.18.0.10:80\n"
		      "  - vip: udp:198.18.0.10:80\n"
		      "  - vip: tcp:[2001:db8::10]:80\n"
		      "  - vip: tcp:198.18.0.10:80\n"
		      "    forward: gue\n"
		      "  - vip: tcp:[2001:DB8:0::10]:0080\n",
		      "xlb.yaml:5: duplicate VIP tcp:198.18.0.10:80 (first at line 2)\n"
		      "xlb.yaml:7: duplicate VIP tcp:[2001:db8::10]:80 (first at line 4)\n");
}

static void test_duplicate_backends(void **state)
{
	(void)state;
	expect_errors(
	    "vips:\n"
	    "  - vip: tcp:198.18.0.10:80\n"
	    "    backends:\n"
	    "      - address: 198.18.1.1\n"
	    "      - address: 198.18.1.2\n"
	    "      - address: 198.18.1.1\n"
	    "        weight: 5\n"
	    "  - vip: tcp:198.18.0.10:81\n"
	    "    backends:\n"
	    "      - address: 198.18.1.1\n"
	    "      - address: 2001:db8::1\n"
	    "      - address: 2001:db8:0:0::1\n",
	    "xlb.yaml:6: duplicate backend 198.18.1.1 in VIP tcp:198.18.0.10:80 (first at "
	    "line 4)\n"
	    "xlb.yaml:12: duplicate backend 2001:db8::1 in VIP tcp:198.18.0.10:81 (first at "
	    "line 11)\n");
}

static void test_dr(void **state)
{
	struct xlb_conf c;

	(void)state;
	expect_errors("vips:\n"
		      "  - vip: tcp:[2001:db8::10]:80\n"
		      "    forward: dr\n"
		      "    backends:\n"
		      "      - address: 2001:db8:1::1\n"
		      "        mac: 02:00:00:00:01:01\n"
		      "      - address: 2001:db8:1::2\n"
		      "      - address: 198.18.1.3\n"
		      "        mac: 02:00:00:00:01:03\n",
		      "xlb.yaml:7: backend 2001:db8:1::2 of dr VIP tcp:[2001:db8::10]:80 lacks a "
		      "MAC\n"
		      "xlb.yaml:8: backend 198.18.1.3 of dr VIP tcp:[2001:db8::10]:80 is not IPv6: "
		      "dr only rewrites the MAC\n");
	/* ipip and gue take backends of either family, with or without a MAC. */
	load_ok("vips:\n"
		"  - vip: tcp:[2001:db8::10]:80\n"
		"    forward: gue\n"
		"    backends:\n"
		"      - address: 198.18.1.3\n"
		"      - address: 2001:db8:1::2\n"
		"        mac: 02:00:00:00:01:03\n",
		&c);
	xlb_conf_free(&c);
}

static void test_weights(void **state)
{
	(void)state;
	expect_errors("vips:\n"
		      "  - vip: tcp:198.18.0.10:80\n"
		      "    backends:\n"
		      "      - address: 198.18.1.1\n"
		      "        weight: 101\n"
		      "      - address: 198.18.1.2\n"
		      "        weight: -1\n"
		      "      - address: 198.18.1.3\n"
		      "        weight: x\n"
		      "      - address: 198.18.1.4\n"
		      "        weight: [1]\n"
		      "      - address: 198.18.1.5\n"
		      "        weight: 0x10\n",
		      "xlb.yaml:5: bad weight '101': expected 0-100\n"
		      "xlb.yaml:7: bad weight '-1': expected 0-100\n"
		      "xlb.yaml:9: bad weight 'x': expected 0-100\n"
		      "xlb.yaml:11: bad weight: expected one plain value\n"
		      "xlb.yaml:13: bad weight '0x10': expected 0-100\n");
}

static void test_bad_values(void **state)
{
	(void)state;
	expect_errors("vips:\n"
		      "  - vip: tcp:198.18.0.10:80\n"
		      "    forward: DR\n"
		      "    sched: sh\n"
		      "    gue-port: 0\n"
		      "    backends:\n"
		      "      - address: 198.18.1.300\n"
		      "      - address: 198.18.1.2\n"
		      "        mac: 02:00:00:00:01\n"
		      "        drain: maybe\n"
		      "  - vip: udp:198.18.0.10:53\n"
		      "    gue-port: 65536\n",
		      "xlb.yaml:3: bad forward 'DR': expected ipip, gue, dr or nat\n"
		      "xlb.yaml:4: bad sched 'sh': expected maglev, maglev-fast or source-hash\n"
		      "xlb.yaml:5: bad gue-port '0': expected 1-65535\n"
		      "xlb.yaml:7: bad address '198.18.1.300': expected an IPv4 or IPv6 address, "
		      "or ADDR:PORT for nat\n"
		      "xlb.yaml:9: bad mac '02:00:00:00:01': expected six hex bytes, as "
		      "02:00:00:00:01:01\n"
		      "xlb.yaml:10: bad drain 'maybe': expected true or false\n"
		      "xlb.yaml:12: bad gue-port '65536': expected 1-65535\n");
}

static void test_bad_vip_names(void **state)
{
	(void)state;
	expect_errors(
	    "vips:\n"
	    "  - vip: tcp:198.18.0.10\n"
	    "  - vip: TCP:198.18.0.10:80\n"
	    "  - vip: tcp:2001:db8::10:80\n"
	    "  - vip: tcp:198.18.0.10:65536\n"
	    "  - vip: tcp:198.18.0.10:80\n"
	    "    backends:\n"
	    "      - address: 198.18.1.1\n"
	    "  - vip: 80\n"
	    "    backends:\n"
	    "      - address: 198.18.1.1.1\n",
	    "xlb.yaml:2: bad vip 'tcp:198.18.0.10': expected PROTO:ADDR:PORT, as "
	    "tcp:198.18.0.10:80 or udp:[2001:db8::10]:53\n"
	    "xlb.yaml:3: bad vip 'TCP:198.18.0.10:80': expected PROTO:ADDR:PORT, as "
	    "tcp:198.18.0.10:80 or udp:[2001:db8::10]:53\n"
	    "xlb.yaml:4: bad vip 'tcp:2001:db8::10:80': expected PROTO:ADDR:PORT, as "
	    "tcp:198.18.0.10:80 or udp:[2001:db8::10]:53\n"
	    "xlb.yaml:5: bad vip 'tcp:198.18.0.10:65536': expected PROTO:ADDR:PORT, as "
	    "tcp:198.18.0.10:80 or udp:[2001:db8::10]:53\n"
	    "xlb.yaml:9: bad vip '80': expected PROTO:ADDR:PORT, as tcp:198.18.0.10:80 or "
	    "udp:[2001:db8::10]:53\n"
	    "xlb.yaml:11: bad address '198.18.1.1.1': expected an IPv4 or IPv6 address, or "
	    "ADDR:PORT for nat\n");
}

static void test_structure(void **state)
{
	(void)state;
	expect_errors("", "xlb.yaml: empty: expected a mapping with key 'vips'\n");
	expect_errors("- vips\n", "xlb.yaml:1: the document must be a mapping (vips, route-table)\n");
	expect_errors("vips: tcp:198.18.0.10:80\n", "xlb.yaml:1: bad vips: expected a list\n");
	expect_errors("vips:\n", "xlb.yaml:1: bad vips: expected a list\n");
	expect_errors(
	    "vips:\n"
	    "  - tcp:198.18.0.10:80\n"
	    "  - forward: gue\n"
	    "  - vip: tcp:198.18.0.10:80\n"
	    "    backends:\n"
	    "      198.18.1.1: {}\n"
	    "  - vip: tcp:198.18.0.10:81\n"
	    "    backends:\n"
	    "      - weight: 1\n"
	    "      - ? [a]\n"
	    "        : b\n"
	    "        address: 198.18.1.1\n",
	    "xlb.yaml:2: VIP must be a mapping (vip, forward, sched, gue-port, second-chance, "
	    "nat-tcp-timeout, nat-udp-timeout, nat-fin-timeout, snat, on-all-down, slow-start, "
	    "health, backends, new-flow-limit)\n"
	    "xlb.yaml:3: VIP lacks key 'vip'\n"
	    "xlb.yaml:6: bad backends: expected a list\n"
	    "xlb.yaml:9: backend lacks key 'address'\n"
	    "xlb.yaml:10: backend keys must be plain text\n");
	expect_errors("vips: []\n"
		      "---\n"
		      "vips: []\n",
		      "xlb.yaml:3: a second document: expected only one\n");
}

static void test_syntax(void **state)
{
	(void)state;
	expect_errors("vips:\n"
		      "  - vip: tcp:198.18.0.10:80\n"
		      "    backends: [ {address: 198.18.1.1, weight: 2 ]\n",
		      "xlb.yaml:3: syntax error: did not find expected ',' or '}' (while parsing a "
		      "flow mapping at line 3)\n");
	expect_errors(
	    "vips:\n"
	    "  - vip: tcp:198.18.0.10:80\n"
	    "   forward: gue\n",
	    "xlb.yaml:3: syntax error: did not find expected '-' indicator (while parsing a "
	    "block collection at line 2)\n");
	expect_errors("vips: []\n"
		      "]\n",
		      "xlb.yaml:2: syntax error: did not find expected key (while parsing a block "
		      "mapping at line 1)\n");
	expect_errors("vips: *nowhere\n", "xlb.yaml:1: syntax error: found undefined alias\n");
}

static void test_all_errors_sorted(void **state)
{
	(void)state;
	/* Parse errors and rule violations interleaved, in line order. */
	expect_errors("vips:\n"
		      "  - vip: tcp:198.18.0.10:80\n"
		      "    forward: dr\n"
		      "    backends:\n"
		      "      - address: 198.18.1.1\n"
		      "        weight: 200\n"
		      "  - vip: tcp:198.18.0.10:80\n"
		      "    sched: none\n",
		      "xlb.yaml:5: backend 198.18.1.1 of dr VIP tcp:198.18.0.10:80 lacks a MAC\n"
		      "xlb.yaml:6: bad weight '200': expected 0-100\n"
		      "xlb.yaml:7: duplicate VIP tcp:198.18.0.10:80 (first at line 2)\n"
		      "xlb.yaml:8: bad sched 'none': expected maglev, maglev-fast or "
		      "source-hash\n");
}

static void test_missing_file(void **state)
{
	struct xlb_errors errs = {};
	struct xlb_conf c;

	(void)state;
	assert_int_equal(xlb_conf_load("/nonexistent/xlb.yaml", &c, &errs), -ENOENT);
	assert_int_equal(errs.n, 1);
	assert_int_equal(errs.v[0].line, 0);
	assert_string_equal(errs.v[0].msg, "Couldn't open config file: No such file or directory");
	assert_int_equal(c.nvips, 0);
	xlb_errors_free(&errs);
}

/* How the writer puts a VIP's health settings when none was set. */
#define HEALTH_DEFAULTS                                                                            \
	"    health:\n"                                                                            \
	"      check: none\n"                                                                      \
	"      path: \"/\"\n"                                                                      \
	"      status: 200-399\n"                                                                  \
	"      interval: 5s\n"                                                                     \
	"      timeout: 2s\n"                                                                      \
	"      rise: 3\n"                                                                          \
	"      fall: 3\n"

/* How the writer puts a VIP's NAT timeouts when none was set. */
#define NAT_DEFAULTS                                                                               \
	"    nat-tcp-timeout: 900s\n"                                                              \
	"    nat-udp-timeout: 300s\n"                                                              \
	"    nat-fin-timeout: 120s\n"

/* A VIP's settings before its pool and health, as the writer puts them (NAT's at default). */
#define VIP_SETTINGS(fwd, sched, port, all_down)                                                   \
	"    forward: " fwd "\n    sched: " sched "\n    gue-port: " port "\n" NAT_DEFAULTS         \
	"    on-all-down: " all_down "\n"

static const char canonical[] = "vips:\n"
				"  - vip: tcp:198.18.0.10:80\n"
				VIP_SETTINGS("ipip", "maglev", "6080", "drop")
				HEALTH_DEFAULTS
				"    backends:\n"
				"      - address: 198.18.1.1\n"
				"        weight: 100\n"
				"        drain: false\n"
				"      - address: \"2001:db8:1::1\"\n"
				"        weight: 0\n"
				"        drain: true\n"
				"  - vip: udp:198.18.0.11:0\n"
				VIP_SETTINGS("ipip", "maglev", "6080", "all")
				"    health:\n"
				"      check: tcp\n"
				"      port: 5353\n"
				"      path: \"/\"\n"
				"      status: 200-399\n"
				"      interval: 2s\n"
				"      timeout: 500ms\n"
				"      rise: 2\n"
				"      fall: 4\n"
				"    backends: []\n"
				"  - vip: tcp:[2001:db8::10]:0\n"
				VIP_SETTINGS("dr", "maglev", "6080", "drop")
				HEALTH_DEFAULTS
				"    backends:\n"
				"      - address: \"2001:db8:2::1\"\n"
				"        weight: 1\n"
				"        mac: \"02:00:00:00:01:0a\"\n"
				"        drain: false\n"
				"  - vip: udp:[2001:db8::10]:53\n"
				VIP_SETTINGS("gue", "source-hash", "7000", "drop")
				HEALTH_DEFAULTS
				"    backends: []\n";

static void test_health_settings(void **state)
{
	const struct xlb_vip_health *h;
	struct xlb_conf c;

	(void)state;
	load_ok("vips:\n"
		"  - vip: tcp:198.18.0.10:80\n"
		"    health:\n"
		"      check: http\n"
		"      path: /healthz\n"
		"      host: www.example.com\n"
		"      status: 200-299\n"
		"      interval: 10s\n"
		"      timeout: 1500ms\n",
		&c);
	h = &c.vips[0].health;
	assert_int_equal(h->check, XLB_CHECK_HTTP);
	assert_int_equal(h->port, 0);
	assert_string_equal(h->path, "/healthz");
	assert_string_equal(h->host, "www.example.com");
	assert_int_equal(h->status_min, 200);
	assert_int_equal(h->status_max, 299);
	assert_int_equal(h->interval_ms, 10000);
	assert_int_equal(h->timeout_ms, 1500);
	assert_int_equal(h->rise, 3);
	assert_int_equal(h->fall, 3);
	assert_int_equal(h->all_down, XLB_ALL_DOWN_DROP);
	xlb_conf_free(&c);
}

static void test_health_errors(void **state)
{
	(void)state;
	expect_errors("vips:\n"
		      "  - vip: tcp:198.18.0.10:80\n"
		      "    on-all-down: some\n"
		      "    health:\n"
		      "      check: icmp\n"
		      "      intervall: 5s\n"
		      "      rise: 11\n"
		      "      timeout: 5\n",
		      "xlb.yaml:2: VIP tcp:198.18.0.10:80: health: timeout must be at least 100ms "
		      "and less than the interval\n"
		      "xlb.yaml:3: bad on-all-down 'some': expected drop or all\n"
		      "xlb.yaml:5: bad check 'icmp': expected none, tcp or http\n"
		      "xlb.yaml:6: unknown key 'intervall' in health (expected check, port, path, "
		      "host, status, interval, timeout, rise, fall)\n"
		      "xlb.yaml:7: bad rise '11': expected 1-10\n");
	expect_errors("vips:\n"
		      "  - vip: tcp:198.18.0.10:0\n"
		      "    health: {check: tcp}\n"
		      "  - vip: tcp:198.18.0.11:80\n"
		      "    health: {check: tcp, interval: 2s, timeout: 2s}\n"
		      "  - vip: tcp:198.18.0.12:80\n"
		      "    health: {check: http, path: healthz, status: 300-200}\n",
		      "xlb.yaml:2: VIP tcp:198.18.0.10:0: health: a VIP on every port (port 0) "
		      "needs a health-check port\n"
		      "xlb.yaml:4: VIP tcp:198.18.0.11:80: health: timeout must be at least 100ms "
		      "and less than the interval\n"
		      "xlb.yaml:6: VIP tcp:198.18.0.12:80: health: the HTTP path must start with / "
		      "and be printable ASCII without spaces\n"
		      "xlb.yaml:7: bad status '300-200': expected a range such as 200-399\n");
}

static void test_write_canonical(void **state)
{
	struct xlb_conf c;

	(void)state;
	load_ok(good, &c);
	assert_conf_writes(&c, canonical);
	xlb_conf_free(&c);

	c = (struct xlb_conf){};
	assert_conf_writes(&c, "vips: []\n");
}

/* nat backends with their own port, IPv6 in brackets; a port anywhere else is refused. */
static void test_nat(void **state)
{
	static const char *const text = "vips:\n"
					"  - vip: tcp:[2001:db8::10]:80\n"
					"    forward: nat\n"
					"    backends:\n"
					"      - address: \"[2001:db8:1::1]:8080\"\n"
					"        mac: 02:00:00:00:01:01\n"
					"      - address: 2001:db8:1::2\n"
					"        mac: 02:00:00:00:01:02\n";
	struct xlb_conf c;
	char *out;

	(void)state;
	load_ok(text, &c);
	assert_int_equal(c.vips[0].forward, XLB_FWD_NAT);
	assert_int_equal(c.vips[0].backends[0].port, 8080);
	assert_int_equal(c.vips[0].backends[1].port, 0);
	out = conf_text(&c);
	assert_non_null(strstr(out, "      - address: \"[2001:db8:1::1]:8080\"\n"));
	assert_non_null(strstr(out, "      - address: \"2001:db8:1::2\"\n"));
	free(out);
	xlb_conf_free(&c);
	expect_errors("vips:\n"
		      "  - vip: tcp:198.18.0.10:80\n"
		      "    backends:\n"
		      "      - address: 198.18.1.1:8080\n"
		      "      - address: 198.18.1.2:0\n",
		      "xlb.yaml:4: backend 198.18.1.1 of VIP tcp:198.18.0.10:80 has port 8080: "
		      "only nat VIPs translate ports\n"
		      "xlb.yaml:5: bad address '198.18.1.2:0': expected an IPv4 or IPv6 address, "
		      "or ADDR:PORT for nat\n");
}

static void test_round_trip(void **state)
{
	struct xlb_conf c, d, sorted;
	char *text;

	(void)state;
	load_ok(good, &c);
	text = conf_text(&c);
	load_ok(text, &d);
	assert_int_equal(xlb_conf_copy(&sorted, &c), 0);
	xlb_conf_sort(&sorted);
	assert_conf_same(&sorted, &d);
	assert_conf_writes(&d, text);
	free(text);
	xlb_conf_free(&sorted);
	xlb_conf_free(&d);
	xlb_conf_free(&c);
}

/* Addresses that start with ':' or hold brackets must survive as plain YAML scalars. */
/* Addresses and MACs that do not name one host or station, each at its line. */
static void test_not_unicast(void **state)
{
	(void)state;
	expect_errors("vips:\n"
		      "  - vip: tcp:0.0.0.0:80\n"
		      "  - vip: 'udp:[ff02::1]:53'\n"
		      "    forward: dr\n"
		      "    backends:\n"
		      "      - address: '::'\n"
		      "        mac: '00:00:00:00:00:00'\n"
		      "      - address: 2001:db8::1\n"
		      "        mac: 'ff:ff:ff:ff:ff:ff'\n"
		      "  - vip: tcp:198.18.0.10:80\n"
		      "    backends:\n"
		      "      - address: 255.255.255.255\n"
		      "      - address: 224.0.0.9\n",
		      "xlb.yaml:2: VIP tcp:0.0.0.0:80: the unspecified address: expected a unicast "
		      "address\n"
		      "xlb.yaml:3: VIP udp:[ff02::1]:53: a multicast address: expected a unicast "
		      "address\n"
		      "xlb.yaml:6: backend :: of VIP udp:[ff02::1]:53: MAC 00:00:00:00:00:00 is all "
		      "zeros: expected a unicast MAC\n"
		      "xlb.yaml:6: backend :: of VIP udp:[ff02::1]:53: the unspecified address: "
		      "expected a unicast address\n"
		      "xlb.yaml:8: backend 2001:db8::1 of VIP udp:[ff02::1]:53: MAC "
		      "ff:ff:ff:ff:ff:ff is a multicast MAC: expected a unicast MAC\n"
		      "xlb.yaml:12: backend 255.255.255.255 of VIP tcp:198.18.0.10:80: the "
		      "broadcast address: expected a unicast address\n"
		      "xlb.yaml:13: backend 224.0.0.9 of VIP tcp:198.18.0.10:80: a multicast "
		      "address: expected a unicast address\n");
}

static void test_round_trip_odd_addresses(void **state)
{
	struct xlb_conf c, d;
	char *text;

	(void)state;
	load_ok("vips:\n"
		"  - vip: 'udp:[::1]:0'\n"
		"    backends:\n"
		"      - address: '::2'\n"
		"      - address: '2001:db8::'\n"
		"      - address: '2001:1:2:3:4:5:6:7'\n"
		"      - address: '::ffff:198.18.1.1'\n"
		"      - address: 0.0.0.1\n",
		&c);
	text = conf_text(&c);
	assert_non_null(strstr(text, "  - vip: udp:[::1]:0\n"));
	assert_non_null(strstr(text, "      - address: \"2001:db8::\"\n"));
	load_ok(text, &d);
	xlb_conf_sort(&c);
	assert_conf_same(&c, &d);
	free(text);
	xlb_conf_free(&d);
	xlb_conf_free(&c);
}

static const char running[] = "vips:\n"
			      "  - vip: udp:[2001:db8::10]:53\n"
			      "    backends:\n"
			      "      - address: 2001:db8:1::1\n"
			      "  - vip: tcp:198.18.0.10:80\n"
			      "    backends:\n"
			      "      - address: 198.18.1.1\n"
			      "      - address: 198.18.1.2\n"
			      "      - address: 198.18.1.3\n"
			      "        weight: 3\n"
			      "        mac: 02:00:00:00:01:03\n";

static const char desired[] = "vips:\n"
			      "  - vip: tcp:198.18.0.10:80\n"
			      "    forward: gue\n"
			      "    backends:\n"
			      "      - address: 198.18.1.3\n"
			      "        weight: 3\n"
			      "        mac: 02:00:00:00:01:04\n"
			      "        drain: true\n"
			      "      - address: 198.18.1.1\n"
			      "        weight: 2\n"
			      "      - address: 198.18.1.4\n"
			      "        mac: 02:00:00:00:01:05\n"
			      "  - vip: tcp:198.18.0.10:0\n"
			      "    forward: dr\n"
			      "    sched: source-hash\n"
			      "    backends:\n"
			      "      - address: 198.18.1.9\n"
			      "        weight: 0\n"
			      "        mac: 02:00:00:00:01:09\n"
			      "        drain: true\n";

static void test_diff(void **state)
{
	struct xlb_conf r, d;
	char *text;

	(void)state;
	load_ok(running, &r);
	load_ok(desired, &d);
	text = diff_text(&r, &d);
	assert_string_equal(
	    text, "+ vip tcp:198.18.0.10:0 forward dr sched source-hash\n"
		  "+ backend tcp:198.18.0.10:0 198.18.1.9 weight 0 mac 02:00:00:00:01:09 "
		  "drain yes\n"
		  "~ vip tcp:198.18.0.10:80 forward ipip -> gue\n"
		  "~ backend tcp:198.18.0.10:80 198.18.1.1 weight 1 -> 2\n"
		  "- backend tcp:198.18.0.10:80 198.18.1.2\n"
		  "~ backend tcp:198.18.0.10:80 198.18.1.3 mac 02:00:00:00:01:03 -> "
		  "02:00:00:00:01:04\n"
		  "~ backend tcp:198.18.0.10:80 198.18.1.3 drain no -> yes\n"
		  "+ backend tcp:198.18.0.10:80 198.18.1.4 weight 1 mac 02:00:00:00:01:05\n"
		  "- vip udp:[2001:db8::10]:53\n");
	free(text);

	/* The way back, and no change at all. */
	text = diff_text(&d, &r);
	assert_string_equal(text,
			    "- vip tcp:198.18.0.10:0\n"
			    "~ vip tcp:198.18.0.10:80 forward gue -> ipip\n"
			    "~ backend tcp:198.18.0.10:80 198.18.1.1 weight 2 -> 1\n"
			    "+ backend tcp:198.18.0.10:80 198.18.1.2 weight 1\n"
			    "~ backend tcp:198.18.0.10:80 198.18.1.3 mac 02:00:00:00:01:04 -> "
			    "02:00:00:00:01:03\n"
			    "~ backend tcp:198.18.0.10:80 198.18.1.3 drain yes -> no\n"
			    "- backend tcp:198.18.0.10:80 198.18.1.4\n"
			    "+ vip udp:[2001:db8::10]:53 forward ipip sched maglev\n"
			    "+ backend udp:[2001:db8::10]:53 2001:db8:1::1 weight 1\n");
	free(text);
	text = diff_text(&d, &d);
	assert_string_equal(text, "");
	free(text);
	xlb_conf_free(&d);
	xlb_conf_free(&r);
}

/* Full NAT's pool: read as a list, written back as one, shown by diff, and checked. */
static void test_snat(void **state)
{
	static const char *const text = "vips:\n"
					"  - vip: tcp:198.18.0.10:80\n"
					"    forward: nat\n"
					"    snat: [198.18.5.1, 198.18.5.2]\n"
					"    backends: []\n"
					"  - vip: tcp:198.18.0.11:80\n"
					"    forward: nat\n"
					"    backends: []\n";
	struct xlb_conf c, d;
	char *out, *again;

	(void)state;
	load_ok(text, &c);
	assert_int_equal(c.vips[0].snat.n, 2);
	assert_addr(&c.vips[0].snat.a[1], "198.18.5.2");
	assert_int_equal(c.vips[1].snat.n, 0);
	out = conf_text(&c);
	assert_non_null(strstr(out, "    gue-port: 6080\n    nat-tcp-timeout: 900s\n"
					"    nat-udp-timeout: 300s\n    nat-fin-timeout: 120s\n"
					"    snat:\n      - 198.18.5.1\n"
				    "      - 198.18.5.2\n    on-all-down"));
	load_ok(out, &d);
	again = conf_text(&d);
	assert_string_equal(again, out);
	free(again);
	free(out);
	out = diff_text(&d, &c);
	assert_string_equal(out, "");
	free(out);
	d.vips[0].snat.n = 0;
	d.vips[1].snat.n = 1;
	d.vips[1].snat.a[0] = c.vips[0].snat.a[0];
	out = diff_text(&c, &d);
	assert_string_equal(out, "~ vip tcp:198.18.0.10:80 snat 198.18.5.1,198.18.5.2 -> none\n"
				 "~ vip tcp:198.18.0.11:80 snat none -> 198.18.5.1\n");
	free(out);
	d.nvips = 1;
	out = diff_text(&d, &c);
	assert_string_equal(out, "~ vip tcp:198.18.0.10:80 snat none -> 198.18.5.1,198.18.5.2\n"
				 "+ vip tcp:198.18.0.11:80 forward nat sched maglev\n");
	free(out);
	d.nvips = 2;
	xlb_conf_free(&d);
	xlb_conf_free(&c);
	expect_errors("vips:\n"
		      "  - vip: tcp:198.18.0.10:80\n"
		      "    forward: nat\n"
		      "    snat: []\n"
		      "  - vip: tcp:198.18.0.11:80\n"
		      "    forward: nat\n"
		      "    snat: 198.18.5.1\n"
		      "  - vip: tcp:198.18.0.12:80\n"
		      "    forward: nat\n"
		      "    snat: [198.18.5.1, 198.18.5.1, 198.18.0.13, 2001:db8::1, 224.0.0.1]\n"
		      "  - vip: tcp:198.18.0.13:80\n"
		      "    snat: [198.18.5.1]\n"
		      "  - vip: tcp:198.18.0.14:80\n"
		      "    forward: nat\n"
		      "    snat: [1.1.1.1, 1.1.1.2, 1.1.1.3, 1.1.1.4, 1.1.1.5, 1.1.1.6, 1.1.1.7,\n"
		      "           1.1.1.8, 1.1.1.9]\n"
		      "  - vip: tcp:198.18.0.15:80\n"
		      "    forward: nat\n"
		      "    snat: [a.b]\n",
		      "xlb.yaml:4: bad snat '[]': expected a list of 1 to 8 addresses\n"
		      "xlb.yaml:7: bad snat '198.18.5.1': expected a list of 1 to 8 addresses\n"
		      "xlb.yaml:8: VIP tcp:198.18.0.12:80: snat 198.18.0.13: a VIP address\n"
		      "xlb.yaml:8: VIP tcp:198.18.0.12:80: snat 198.18.5.1: given twice\n"
		      "xlb.yaml:8: VIP tcp:198.18.0.12:80: snat 2001:db8::1: not of the VIP's "
		      "family\n"
		      "xlb.yaml:8: VIP tcp:198.18.0.12:80: snat 224.0.0.1: a multicast address: "
		      "expected a unicast address\n"
		      "xlb.yaml:11: VIP tcp:198.18.0.13:80: snat: a source pool needs forward nat\n"
		      "xlb.yaml:16: bad snat '1.1.1.9': expected a list of 1 to 8 addresses\n"
		      "xlb.yaml:19: bad snat 'a.b': expected an IPv4 or IPv6 address\n");
}

/* A VIP setting's way through the file. */
struct setting_case {
	enum xlb_vset id;
	const char *off, *on; /* one VIP without the setting, and with it set to value */
	__u32 value;
	const char *line;     /* in the file written from on (off's has no key of the setting) */
	const char *diff;     /* from off to on */
};

static void setting_written(const struct setting_case *c)
{
	struct xlb_conf r, d;
	char *text;

	load_ok(c->on, &d);
	text = conf_text(&d);
	assert_non_null(strstr(text, c->line));
	free(text);
	load_ok(c->off, &r);
	text = conf_text(&r);
	assert_null(strstr(text, xlb_vsets[c->id].key));
	free(text);
	text = diff_text(&r, &d);
	assert_string_equal(text, c->diff);
	free(text);
	assert_int_equal(xlb_vset_get(&d.vips[0].set, c->id), c->value);
	assert_int_equal(xlb_vset_get(&r.vips[0].set, c->id), 0);
	xlb_conf_free(&r);
	xlb_conf_free(&d);
}

/* new-flow-limit: read, written back only when set, shown by diff, and bounded. */
static void test_new_flow_limit(void **state)
{
	(void)state;
	setting_written(&(struct setting_case){
	    XLB_VSET_NEW_FLOW_LIMIT, "vips:\n  - vip: tcp:198.18.0.10:80\n    backends: []\n",
	    "vips:\n  - vip: tcp:198.18.0.10:80\n    new-flow-limit: 500\n    backends: []\n", 500,
	    "\n    new-flow-limit: 500\n", "~ vip tcp:198.18.0.10:80 new-flow-limit 0 -> 500\n"});
	expect_errors("vips:\n"
		      "  - vip: tcp:198.18.0.10:80\n"
		      "    new-flow-limit: 100000001\n",
		      "xlb.yaml:3: bad new-flow-limit '100000001': expected 0-100000000\n");
}

/* second-chance: loaded, written only when on, diffed, and refused without gue forwarding. */
static void test_second_chance(void **state)
{
	(void)state;
	setting_written(&(struct setting_case){
	    XLB_VSET_SECOND_CHANCE,
	    "vips:\n  - vip: tcp:198.18.0.10:80\n    forward: gue\n    backends: []\n",
	    "vips:\n  - vip: tcp:198.18.0.10:80\n    forward: gue\n    second-chance: true\n"
	    "    backends: []\n",
	    1, "\n    forward: gue\n    sched: maglev\n    gue-port: 6080\n"
	    "    second-chance: true\n",
	    "~ vip tcp:198.18.0.10:80 second-chance false -> true\n"});
	expect_errors("vips:\n"
		      "  - vip: tcp:198.18.0.10:80\n"
		      "    forward: ipip\n"
		      "    second-chance: true\n",
		      "xlb.yaml:2: VIP tcp:198.18.0.10:80: second-chance needs forward gue, not ipip\n");
	expect_errors("vips:\n"
		      "  - vip: tcp:198.18.0.10:80\n"
		      "    forward: gue\n"
		      "    second-chance: yes\n",
		      "xlb.yaml:4: bad second-chance 'yes': expected true or false\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_empty_list), cmocka_unit_test(test_slow_start),
	    cmocka_unit_test(test_typos),
	    cmocka_unit_test(test_duplicate_keys),
	    cmocka_unit_test(test_duplicate_vips),
	    cmocka_unit_test(test_duplicate_backends),
	    cmocka_unit_test(test_dr),
	    cmocka_unit_test(test_nat),
	    cmocka_unit_test(test_weights),
	    cmocka_unit_test(test_bad_values),
	    cmocka_unit_test(test_bad_vip_names),
	    cmocka_unit_test(test_structure),
	    cmocka_unit_test(test_syntax),
	    cmocka_unit_test(test_all_errors_sorted),
	    cmocka_unit_test(test_missing_file),
	    cmocka_unit_test(test_health_settings),
	    cmocka_unit_test(test_health_errors),
	    cmocka_unit_test(test_write_canonical),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_round_trip_odd_addresses),
	    cmocka_unit_test(test_not_unicast),
	    cmocka_unit_test(test_diff),
	    cmocka_unit_test(test_route_table),
	    cmocka_unit_test(test_new_flow_limit),
	    cmocka_unit_test(test_second_chance),
	    cmocka_unit_test(test_snat),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
