// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * cmocka tests of user/lib/vip_settings.c: the table of a VIP's settings (names unique, defaults
 * in range), defaults, parsing and printing, what apply's "+ vip" line shows, equality, and
 * the range rule xlb_conf_validate() takes from the table.
 */
#include <errno.h>
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
#include "health_conf.h"
#include "vip_settings.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void test_table(void **state)
{
	const struct xlb_vset_def *d, *e;
	const char *text;
	char buf[24];
	__u32 v;
	int i, j;

	(void)state;
	for (i = 0; i < XLB_VSET__MAX; i++) {
		d = &xlb_vsets[i];
		assert_non_null(d->key);
		assert_non_null(d->json);
		assert_non_null(d->noun);
		assert_true(d->kind == XLB_VKIND_FLAG ? !d->arg : !!d->arg);
		assert_true(d->group < XLB_VGROUP__MAX);
		assert_true(d->size == 1 || d->size == 2 || d->size == 4);
		assert_true(d->off + d->size <= sizeof(struct xlb_vip_settings));
		if (d->kind != XLB_VKIND_NUMBER)
			assert_non_null(d->expected);
		if (d->kind == XLB_VKIND_WORD)
			assert_true(d->parse && d->str);
		if (d->mode)
			assert_non_null(d->label);
		for (j = 0; j < i; j++) {
			e = &xlb_vsets[j];
			assert_true(strcmp(d->key, e->key) && strcmp(d->json, e->json));
			assert_false(d->off < e->off + e->size && e->off < d->off + d->size);
		}
		/* A default that is written can be read back. */
		if (d->omit_zero && !d->def)
			continue;
		text = xlb_vset_str(i, d->def, buf, sizeof(buf));
		assert_int_equal(xlb_vset_parse(i, text, &v), 0);
		assert_int_equal(v, d->def);
	}
}

static void test_defaults(void **state)
{
	struct xlb_vip_settings s, t;

	(void)state;
	memset(&s, 0xa5, sizeof(s));
	xlb_vip_settings_defaults(&s);
	assert_int_equal(s.forward, XLB_FWD_IPIP);
	assert_int_equal(s.sched, XLB_SCHED_MAGLEV);
	assert_int_equal(s.gue_port, XLB_GUE_PORT_DEFAULT);
	assert_int_equal(s.new_flow_limit, 0);
	assert_int_equal(s.nat_tcp_timeout, 900);
	assert_int_equal(s.nat_udp_timeout, 300);
	assert_int_equal(s.nat_fin_timeout, 120);
	assert_int_equal(s.health.all_down, XLB_ALL_DOWN_DROP);
	assert_int_equal(s.health.slow_start_s, 0);
	assert_int_equal(s.health.check, XLB_CHECK_NONE);
	assert_int_equal(s.health.interval_ms, 5000);
	t = s;
	assert_true(xlb_vip_settings_eq(&s, &t));
	xlb_vset_put(&t, XLB_VSET_GUE_PORT, 6081);
	assert_int_equal(t.gue_port, 6081);
	assert_false(xlb_vip_settings_eq(&s, &t));
	t = s;
	t.health.rise = 5;
	assert_false(xlb_vip_settings_eq(&s, &t));
}

/* A setting's texts that parse, with the value each gives, and texts refused, with why. */
static const struct {
	enum xlb_vset id;
	struct {
		const char *text;
		__u32 value;
	} ok[3];
	struct {
		const char *text;
		int ret;
	} bad[3];
} parse_rows[] = {
	{XLB_VSET_FORWARD, {{"gue", XLB_FWD_GUE}}, {{"GUE", -EINVAL}}},
	{XLB_VSET_GUE_PORT, {{"6081", 6081}}, {{"0", -ERANGE}, {"65536", -ERANGE}}},
	{XLB_VSET_SLOW_START, {{"2m", 120}},
	 {{"1500ms", -EINVAL}, {"0s", -EINVAL}, {"2h", -EINVAL}}},
	{XLB_VSET_SECOND_CHANCE, {{"true", 1}, {"false", 0}}, {{"1", -EINVAL}}},
	{XLB_VSET_NAT_TCP_TIMEOUT, {{"15m", 900}}, {}},
	{XLB_VSET_NAT_UDP_TIMEOUT, {{"65535", 65535}}, {{"65536s", -EINVAL}}},
	{XLB_VSET_NAT_FIN_TIMEOUT, {}, {{"0s", -EINVAL}, {"500ms", -EINVAL}}},
};

/* One value of one setting as the file, the diff and the CLI write it. */
static const struct {
	enum xlb_vset id;
	__u32 value;
	const char *text;
} str_rows[] = {
	{XLB_VSET_SLOW_START, 30, "30s"},
	{XLB_VSET_ALL_DOWN, XLB_ALL_DOWN_ALL, "all"},
	{XLB_VSET_NEW_FLOW_LIMIT, 500, "500"},
	{XLB_VSET_SECOND_CHANCE, 1, "true"},
	{XLB_VSET_NAT_FIN_TIMEOUT, 10, "10s"},
};

static void test_parse_and_print(void **state)
{
	enum xlb_vset id;
	char buf[24];
	size_t i, k;
	__u32 v;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(parse_rows); i++) {
		id = parse_rows[i].id;
		for (k = 0; k < 3 && parse_rows[i].ok[k].text; k++) {
			assert_row_int(xlb_vsets[id].key,
				       xlb_vset_parse(id, parse_rows[i].ok[k].text, &v), 0);
			assert_row_int(parse_rows[i].ok[k].text, v, parse_rows[i].ok[k].value);
		}
		for (k = 0; k < 3 && parse_rows[i].bad[k].text; k++) {
			v = 0xdead; /* left as it was */
			assert_row_int(parse_rows[i].bad[k].text,
				       xlb_vset_parse(id, parse_rows[i].bad[k].text, &v),
				       parse_rows[i].bad[k].ret);
			assert_row_int(parse_rows[i].bad[k].text, v, 0xdead);
		}
	}
	for (i = 0; i < ARRAY_SIZE(str_rows); i++)
		assert_row_string(xlb_vsets[str_rows[i].id].key,
				  xlb_vset_str(str_rows[i].id, str_rows[i].value, buf, sizeof(buf)),
				  str_rows[i].text);
}

/* A mode's own setting shows with that mode only; settings left out at 0 do not show at 0. */
static void test_shown(void **state)
{
	struct xlb_vip_settings s;

	(void)state;
	xlb_vip_settings_defaults(&s);
	assert_true(xlb_vset_shown(&s, XLB_VSET_FORWARD));
	assert_true(xlb_vset_shown(&s, XLB_VSET_SCHED));
	assert_false(xlb_vset_shown(&s, XLB_VSET_GUE_PORT));
	assert_false(xlb_vset_shown(&s, XLB_VSET_NEW_FLOW_LIMIT));
	assert_false(xlb_vset_shown(&s, XLB_VSET_SLOW_START));
	s.forward = XLB_FWD_GUE;
	s.new_flow_limit = 10;
	s.health.slow_start_s = 5;
	s.health.all_down = XLB_ALL_DOWN_ALL;
	assert_true(xlb_vset_shown(&s, XLB_VSET_GUE_PORT));
	assert_true(xlb_vset_shown(&s, XLB_VSET_NEW_FLOW_LIMIT));
	assert_true(xlb_vset_shown(&s, XLB_VSET_SLOW_START));
	assert_false(xlb_vset_shown(&s, XLB_VSET_ALL_DOWN));
}

/*
 * Every numeric setting is held to its range, new-flow-limit and the NAT timeouts too (a model
 * built in code).
 */
static void test_validate_ranges(void **state)
{
	struct xlb_vip_conf v = {};
	struct xlb_conf c = {.vips = &v, .nvips = 1};
	struct xlb_errors e = {};

	(void)state;
	assert_int_equal(xlb_vip_name_parse("tcp:198.18.0.10:80", &v.name), 0);
	xlb_vip_settings_defaults(&v.set);
	v.line = 3;
	assert_int_equal(xlb_conf_validate(&c, &e), 0);
	v.gue_port = 0;
	v.nat_fin_timeout = 0;
	v.new_flow_limit = XLB_NEW_FLOW_LIMIT_MAX + 1;
	assert_int_equal(xlb_conf_validate(&c, &e), -EINVAL);
	assert_int_equal(e.n, 3);
	assert_string_equal(e.v[0].msg, "VIP tcp:198.18.0.10:80: gue-port 0: expected 1-65535");
	assert_string_equal(e.v[1].msg, "VIP tcp:198.18.0.10:80: nat-fin-timeout 0s: "
					"expected 1s-65535s");
	assert_string_equal(e.v[2].msg, "VIP tcp:198.18.0.10:80: new-flow-limit 100000001: "
					"expected 0-100000000");
	assert_int_equal(e.v[2].line, 3);
	xlb_errors_free(&e);
}

XLB_UNIT_MAIN(test_table, test_defaults, test_parse_and_print, test_shown, test_validate_ranges)
