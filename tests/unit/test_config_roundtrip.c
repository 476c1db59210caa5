// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The round trip `xlb save` | `xlb apply` as a property: thousands of random valid models
 * (fixed seed), with health-check texts full of YAML syntax, written by xlb_conf_write(),
 * read back by xlb_conf_load_buf() and compared field by field, then written again byte for
 * byte. Also what the writer does with text no valid model holds, and the rules that make it so.
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
#include <cmocka.h>
#include "unit_main.h"

#include "addr.h"
#include "capture.h"
#include "conf_same.h"
#include "config.h"
#include "health_conf.h"
#include "vip_settings.h"

#define CASES 5000

static __u64 rng = 0x9e3779b97f4a7c15ULL;

/* xorshift64*: a number in [0, n). */
static __u32 rnd(__u32 n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (__u32)((rng * 0x2545f4914f6cdd1dULL) >> 32) % n;
}

static __u32 between(__u32 lo, __u32 hi)
{
	return lo + rnd(hi - lo + 1);
}

/* Characters that mean something to YAML, the rest of printable ASCII less often. */
static char text_char(void)
{
	static const char hostile[] = "\"\\'#:{}[],&*!|>%@`-?= ";

	if (rnd(2))
		return hostile[rnd(sizeof(hostile) - 2)]; /* not the space: never valid */
	return (char)between('!', '~');
}

/* A valid text of up to max - 1 characters (the limits themselves often), after prefix. */
static void random_text(char *out, size_t max, const char *prefix)
{
	size_t n, i = strlen(prefix);

	memcpy(out, prefix, i);
	n = rnd(4) ? between(i, max - 1) : (rnd(2) ? max - 1 : i);
	for (; i < n; i++)
		out[i] = text_char();
	out[n] = '\0';
}

static void random_addr(struct xlb_addr *a, __u8 family)
{
	__u8 *b = (__u8 *)a->a;
	int i;

	do {
		memset(a, 0, sizeof(*a));
		a->family = family;
		for (i = 0; i < (family == XLB_FAM_V4 ? 4 : 16); i++)
			b[i] = (family == XLB_FAM_V6 && rnd(2)) ? 0 : rnd(256); /* runs of zeros */
	} while (xlb_addr_not_unicast(a));
}

static void random_health(struct xlb_vip_health *h, __u16 vport)
{
	memset(h, 0, sizeof(*h));
	h->check = rnd(3);
	h->all_down = rnd(2);
	h->rise = between(1, XLB_RISE_FALL_MAX);
	h->fall = between(1, XLB_RISE_FALL_MAX);
	h->port = rnd(2) ? between(1, 65535) : 0;
	if (h->check != XLB_CHECK_NONE && !vport && !h->port)
		h->port = between(1, 65535);
	h->status_min = between(100, 599);
	h->status_max = between(h->status_min, 599);
	h->interval_ms =
	    rnd(2) ? between(1, 3600) * 1000 : between(XLB_INTERVAL_MIN_MS, XLB_INTERVAL_MAX_MS);
	h->timeout_ms = between(XLB_TIMEOUT_MIN_MS, h->interval_ms - 1);
	random_text(h->path, sizeof(h->path), "/");
	if (rnd(3))
		random_text(h->host, sizeof(h->host), "");
}

static void random_backends(struct xlb_vip_conf *v)
{
	size_t n = rnd(6), i;
	struct xlb_be_conf *b;
	__u8 fam;

	v->backends = calloc(n ? n : 1, sizeof(*v->backends));
	assert_non_null(v->backends);
	for (i = 0; i < n; i++) {
		b = &v->backends[v->nbackends];
		fam = v->forward == XLB_FWD_DR ? v->name.addr.family
					       : (rnd(2) ? XLB_FAM_V4 : XLB_FAM_V6);
		random_addr(&b->addr, fam);
		if (xlb_vip_find_backend(v, &b->addr)) {
			memset(b, 0, sizeof(*b));
			continue;
		}
		b->weight = rnd(XLB_WEIGHT_MAX + 1);
		b->drain = rnd(2);
		b->has_mac = v->forward == XLB_FWD_DR || rnd(2);
		do {
			b->mac[0] = rnd(256) & 0xfe; /* unicast: the group bit clear */
			b->mac[5] = rnd(256);
		} while (b->has_mac && xlb_mac_not_unicast(b->mac));
		if (!b->has_mac)
			memset(b->mac, 0, sizeof(b->mac));
		v->nbackends++;
	}
}

static void random_conf(struct xlb_conf *c)
{
	size_t n = rnd(7), i;
	struct xlb_vip_conf *v;

	memset(c, 0, sizeof(*c));
	c->vips = calloc(n ? n : 1, sizeof(*c->vips));
	assert_non_null(c->vips);
	for (i = 0; i < n; i++) {
		v = &c->vips[c->nvips];
		memset(v, 0, sizeof(*v));
		random_addr(&v->name.addr, rnd(2) ? XLB_FAM_V4 : XLB_FAM_V6);
		v->name.port = rnd(4) ? between(1, 65535) : 0;
		v->name.proto = rnd(2) ? IPPROTO_TCP : IPPROTO_UDP;
		if (xlb_conf_find_vip(c, &v->name))
			continue;
		v->forward = between(XLB_FWD_IPIP, XLB_FWD_DR);
		v->sched = between(XLB_SCHED_MAGLEV, XLB_SCHED_MAGLEV_FAST);
		v->gue_port = between(1, 65535);
		v->nat_tcp_timeout = between(1, XLB_NAT_TIMEOUT_MAX);
		v->nat_udp_timeout = between(1, XLB_NAT_TIMEOUT_MAX);
		v->nat_fin_timeout = between(1, XLB_NAT_TIMEOUT_MAX);
		v->id = -1;
		random_health(&v->health, v->name.port);
		random_backends(v);
		c->nvips++;
	}
}

/* Loads text; the errors as printed (with file name "m") in *out. */
static int load(const char *text, struct xlb_conf *c, char **out)
{
	struct xlb_errors errs = {};
	int ret;

	ret = xlb_conf_load_buf("m", text, strlen(text), c, &errs);
	*out = errors_text(&errs);
	xlb_errors_free(&errs);
	return ret;
}

static void test_round_trip_property(void **state)
{
	struct xlb_errors errs = {};
	struct xlb_conf c, d;
	char *text, *out;
	int i;

	(void)state;
	for (i = 0; i < CASES; i++) {
		random_conf(&c);
		if (xlb_conf_validate(&c, &errs))
			fail_msg("case %d: the generator made an invalid model: %s", i,
				 errs.v[0].msg);
		text = conf_text(&c);
		if (load(text, &d, &out))
			fail_msg("case %d: the saved file does not load:\n%s\n%s", i, out, text);
		xlb_conf_sort(&c);
		assert_conf_same(&c, &d);
		assert_conf_writes(&d, text);
		free(out);
		free(text);
		xlb_conf_free(&d);
		xlb_conf_free(&c);
	}
}

/* A model no rule has checked (the maps may hold anything): quoted whole, no key injected. */
static void test_write_escapes(void **state)
{
	struct xlb_vip_conf v = {};
	struct xlb_conf c = {.vips = &v, .nvips = 1}, d;
	char *text, *out;

	(void)state;
	assert_int_equal(xlb_vip_name_parse("tcp:198.18.0.10:80", &v.name), 0);
	xlb_vip_settings_defaults(&v.set); /* forward ipip, sched maglev */
	v.health.check = XLB_CHECK_HTTP;
	strcpy(v.health.path, "/a\"b\\c");
	strcpy(v.health.host, "x\"\n      port: 1\t\x7f\xff");
	text = conf_text(&c);
	assert_non_null(strstr(text, "      path: \"/a\\\"b\\\\c\"\n"));
	assert_non_null(strstr(text, "      host: \"x\\\"\\x0a      port: 1\\x09\\x7f\\xff\"\n"));
	/* It parses, every key is one of ours, and the host is refused for what it holds. */
	assert_int_equal(load(text, &d, &out), -EINVAL);
	assert_string_equal(out, "m:2: VIP tcp:198.18.0.10:80: health: the HTTP host must be "
				 "printable ASCII without spaces\n");
	free(out);
	free(text);
	/* Without the host, the quote and the backslash come back as they were. */
	v.health.host[0] = '\0';
	text = conf_text(&c);
	assert_int_equal(load(text, &d, &out), 0);
	assert_string_equal(d.vips[0].health.path, "/a\"b\\c");
	xlb_conf_free(&d);
	free(out);
	free(text);
}

/* The settings of an unused check meet the rules of a used one. */
static void test_unused_check_validated(void **state)
{
	char *out;
	struct xlb_conf c;

	(void)state;
	assert_int_equal(load("vips:\n"
			      "  - vip: tcp:198.18.0.10:80\n"
			      "    health: {check: none, path: \"/a b\"}\n"
			      "  - vip: tcp:198.18.0.11:80\n"
			      "    health: {check: none, host: \"a\\tb\"}\n"
			      "  - vip: tcp:198.18.0.12:80\n"
			      "    health: {check: none, path: healthz}\n"
			      "  - vip: tcp:198.18.0.13:80\n"
			      "    health: {check: none, interval: 1s, timeout: 1s}\n"
			      "  - vip: tcp:198.18.0.14:0\n"
			      "    health: {check: none, path: \"/\\u00e9\"}\n",
			      &c, &out),
			 -EINVAL);
	assert_string_equal(out, "m:2: VIP tcp:198.18.0.10:80: health: the HTTP path must start "
				 "with / and be printable ASCII without spaces\n"
				 "m:4: VIP tcp:198.18.0.11:80: health: the HTTP host must be "
				 "printable ASCII without spaces\n"
				 "m:6: VIP tcp:198.18.0.12:80: health: the HTTP path must start "
				 "with / and be printable ASCII without spaces\n"
				 "m:8: VIP tcp:198.18.0.13:80: health: timeout must be at least "
				 "100ms and less than the interval\n"
				 "m:10: VIP tcp:198.18.0.14:0: health: the HTTP path must start "
				 "with / and be printable ASCII without spaces\n");
	free(out);
	/* A port-0 VIP needs a check port only when it checks. */
	assert_int_equal(load("vips:\n  - vip: tcp:198.18.0.14:0\n", &c, &out), 0);
	xlb_conf_free(&c);
	free(out);
}

XLB_UNIT_MAIN(test_round_trip_property, test_write_escapes, test_unused_check_validated)
