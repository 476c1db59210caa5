// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * cmocka tests of user/lib/backend_settings.c: the table of a backend's settings (names unique,
 * defaults in range), each setting's parsing, range and printing (the diff's and the file's
 * forms), and the views that go through it agreeing on one backend: the file read and written
 * back, apply's difference, `backend add`'s options and the status page's row.
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
#include "backend_settings.h"
#include "capture.h"
#include "cli.h"
#include "config.h"
#include "statuspage.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void test_table(void **state)
{
	const struct xlb_bset_def *d;
	int i, j, in_address = 0;

	(void)state;
	for (i = 0; i < XLB_BSET__MAX; i++) {
		d = &xlb_bsets[i];
		assert_true(d->key && d->json && d->noun);
		assert_true(d->size == 1 || d->size == 2 || d->size == 6);
		assert_true(d->off + d->size <= sizeof(struct xlb_be_settings));
		assert_true(d->min <= d->max || d->kind == XLB_BKIND_MAC);
		if (d->kind == XLB_BKIND_NUMBER)
			assert_true(d->def >= d->min && d->def <= d->max);
		/* every text the file's loader may print for a bad value: a range or words */
		assert_true(d->expected || d->kind == XLB_BKIND_NUMBER ||
			    d->kind == XLB_BKIND_PORT);
		assert_true(!d->in_address || !d->arg); /* the address carries it, not an option */
		in_address += d->in_address;
		for (j = 0; j < i; j++) {
			assert_string_not_equal(d->key, xlb_bsets[j].key);
			assert_string_not_equal(d->json, xlb_bsets[j].json);
		}
	}
	assert_int_equal(in_address, 1); /* the port, as ADDR:PORT */
	assert_true(xlb_bsets[XLB_BSET_PORT].in_address);
}

static void test_defaults(void **state)
{
	struct xlb_be_settings s;
	char buf[XLB_MAC_STRLEN];

	(void)state;
	memset(&s, 0xa5, sizeof(s));
	xlb_be_settings_defaults(&s);
	assert_int_equal(s.weight, XLB_WEIGHT_DEFAULT);
	assert_false(s.has_mac);
	assert_false(s.drain);
	assert_int_equal(s.port, 0);
	assert_true(xlb_bset_is_set(&s, XLB_BSET_WEIGHT));
	assert_true(xlb_bset_is_set(&s, XLB_BSET_DRAIN));
	assert_false(xlb_bset_is_set(&s, XLB_BSET_MAC));
	assert_false(xlb_bset_is_set(&s, XLB_BSET_PORT));
	assert_string_equal(xlb_bset_str(&s, XLB_BSET_MAC, buf, sizeof(buf)), "none");
	assert_string_equal(xlb_bset_str(&s, XLB_BSET_PORT, buf, sizeof(buf)), "none");
	/* "+ backend" shows the weight always, a MAC or port when set, drain when on */
	assert_true(xlb_bset_shown(&s, XLB_BSET_WEIGHT));
	assert_false(xlb_bset_shown(&s, XLB_BSET_MAC));
	assert_false(xlb_bset_shown(&s, XLB_BSET_DRAIN));
	s.weight = 0;
	s.drain = true;
	assert_true(xlb_bset_shown(&s, XLB_BSET_WEIGHT));
	assert_true(xlb_bset_shown(&s, XLB_BSET_DRAIN));
}

/*
 * A setting's texts that parse, with how the value then prints (the diff's and status page's
 * form, then the file's), and texts refused, with why (the default then stands).
 */
static const struct {
	enum xlb_bset id;
	const char *ok[3][3];
	struct {
		const char *text;
		int ret;
	} bad[4];
} parse_rows[] = {
	{XLB_BSET_WEIGHT, {{"0", "0", "0"}, {"7", "7", "7"}, {"100", "100", "100"}},
	 {{"101", -ERANGE}, {"-1", -EINVAL}, {"0x10", -EINVAL}, {"", -EINVAL}}},
	{XLB_BSET_MAC, {{"02:00:00:00:01:0A", "02:00:00:00:01:0a", "\"02:00:00:00:01:0a\""}},
	 {{"02:00:00:00:01", -EINVAL}, {"02:00:00:00:01:zz", -EINVAL}}},
	{XLB_BSET_DRAIN, {{"true", "yes", "true"}, {"false", "no", "false"}},
	 {{"yes", -EINVAL}, {"1", -EINVAL}}},
	{XLB_BSET_PORT, {{"8080", "8080", "8080"}, {"1", "1", "1"}, {"65535", "65535", "65535"}},
	 {{"0", -ERANGE}, {"65536", -ERANGE}, {"http", -EINVAL}}},
};

/* s at its defaults, then text parsed into it by setting id: what parsing returned. */
static int parse_fresh(enum xlb_bset id, const char *text, struct xlb_be_settings *s)
{
	xlb_be_settings_defaults(s);
	return xlb_bset_parse(id, text, s);
}

static void test_parse_format(void **state)
{
	struct xlb_be_settings s, def;
	char buf[XLB_MAC_STRLEN + 2], dbuf[XLB_MAC_STRLEN + 2];
	const char *const *ok;
	enum xlb_bset id;
	size_t i, k;

	(void)state;
	xlb_be_settings_defaults(&def);
	for (i = 0; i < ARRAY_SIZE(parse_rows); i++) {
		id = parse_rows[i].id;
		for (k = 0; k < 3 && parse_rows[i].ok[k][0]; k++) {
			ok = parse_rows[i].ok[k];
			assert_row_int(ok[0], parse_fresh(id, ok[0], &s), 0);
			assert_row_string(ok[0], xlb_bset_str(&s, id, buf, sizeof(buf)), ok[1]);
			assert_row_string(ok[0], xlb_bset_yaml(&s, id, buf, sizeof(buf)), ok[2]);
			assert_row_int(ok[0], xlb_bset_refused(&s, id) != NULL, 0);
		}
		for (k = 0; k < 4 && parse_rows[i].bad[k].text; k++) {
			assert_row_int(parse_rows[i].bad[k].text,
				       parse_fresh(id, parse_rows[i].bad[k].text, &s),
				       parse_rows[i].bad[k].ret);
			assert_row_string(parse_rows[i].bad[k].text,
					  xlb_bset_str(&s, id, buf, sizeof(buf)),
					  xlb_bset_str(&def, id, dbuf, sizeof(dbuf)));
		}
	}
}

/* A MAC that parses but is not unicast is refused, with the reason the CLI prints. */
static void test_mac_rule(void **state)
{
	struct xlb_be_settings s, t;

	(void)state;
	xlb_be_settings_defaults(&s);
	assert_int_equal(xlb_bset_parse(XLB_BSET_MAC, "01:00:5e:00:00:01", &s), 0);
	assert_string_equal(xlb_bset_refused(&s, XLB_BSET_MAC), "a multicast MAC");
	assert_int_equal(xlb_bset_parse(XLB_BSET_MAC, "00:00:00:00:00:00", &s), 0);
	assert_string_equal(xlb_bset_refused(&s, XLB_BSET_MAC), "all zeros");
	assert_string_equal(xlb_bsets[XLB_BSET_MAC].rule, "a unicast MAC");
	/* No MAC equals no MAC whatever the bytes; a MAC differs from none and from another. */
	xlb_be_settings_defaults(&t);
	s.has_mac = false;
	assert_true(xlb_bset_eq(&s, &t, XLB_BSET_MAC));
	assert_int_equal(xlb_bset_parse(XLB_BSET_MAC, "02:00:00:00:00:01", &s), 0);
	assert_false(xlb_bset_eq(&s, &t, XLB_BSET_MAC));
	assert_int_equal(xlb_bset_parse(XLB_BSET_MAC, "02:00:00:00:00:02", &t), 0);
	assert_false(xlb_bset_eq(&s, &t, XLB_BSET_MAC));
	assert_int_equal(xlb_bset_parse(XLB_BSET_MAC, "02:00:00:00:00:01", &t), 0);
	assert_true(xlb_bset_eq(&s, &t, XLB_BSET_MAC));
}

static const char file_text[] = "vips:\n"
				"  - vip: tcp:198.18.0.10:80\n"
				"    forward: nat\n"
				"    backends:\n"
				"      - address: 198.18.1.1:8080\n"
				"        weight: 4\n"
				"        mac: 02:00:00:00:01:0A\n"
				"        drain: true\n"
				"      - address: 198.18.1.2\n"
				"        mac: \"02:00:00:00:01:02\"\n";

static void load(const char *text, struct xlb_conf *c)
{
	struct xlb_errors errs = {};

	assert_int_equal(xlb_conf_load_buf("t.yaml", text, strlen(text), c, &errs), 0);
	assert_int_equal(errs.n, 0);
	xlb_errors_free(&errs);
}

/* The file's backend settings written back: every one set, in the table's order. */
static void test_file(void **state)
{
	struct xlb_conf c;
	char *text;

	(void)state;
	load(file_text, &c);
	text = conf_text(&c);
	assert_non_null(strstr(text, "    backends:\n"
				     "      - address: 198.18.1.1:8080\n"
				     "        weight: 4\n"
				     "        mac: \"02:00:00:00:01:0a\"\n"
				     "        drain: true\n"
				     "      - address: 198.18.1.2\n"
				     "        weight: 1\n"
				     "        mac: \"02:00:00:00:01:02\"\n"
				     "        drain: false\n"));
	free(text);
	xlb_conf_free(&c);
}

/*
 * Every setting of a backend changed: a line each in the table's order, the same as the "+
 * backend" line's; a port taken away reads "none", as a MAC taken away does.
 */
static void test_diff(void **state)
{
	struct xlb_conf r, d;
	char *text;

	(void)state;
	load(file_text, &r);
	load("vips:\n"
	     "  - vip: tcp:198.18.0.10:80\n"
	     "    forward: nat\n"
	     "    backends:\n"
	     "      - {address: 198.18.1.1, weight: 5, mac: 02:00:00:00:01:0b}\n"
	     "      - {address: 198.18.1.2:8081, mac: 02:00:00:00:01:02, drain: true}\n"
	     "      - {address: 198.18.1.3:53, weight: 0, mac: 02:00:00:00:01:03, drain: true}\n",
	     &d);
	text = diff_text(&r, &d);
	assert_string_equal(text,
			    "~ backend tcp:198.18.0.10:80 198.18.1.1 weight 4 -> 5\n"
			    "~ backend tcp:198.18.0.10:80 198.18.1.1 mac 02:00:00:00:01:0a -> "
			    "02:00:00:00:01:0b\n"
			    "~ backend tcp:198.18.0.10:80 198.18.1.1 drain yes -> no\n"
			    "~ backend tcp:198.18.0.10:80 198.18.1.1 port 8080 -> none\n"
			    "~ backend tcp:198.18.0.10:80 198.18.1.2 drain no -> yes\n"
			    "~ backend tcp:198.18.0.10:80 198.18.1.2 port none -> 8081\n"
			    "+ backend tcp:198.18.0.10:80 198.18.1.3:53 weight 0 mac "
			    "02:00:00:00:01:03 drain yes\n");
	free(text);
	xlb_conf_free(&d);
	xlb_conf_free(&r);
}

/* backend add VIP 198.18.1.1:8080 --weight W --mac M into a (getopt reorders argv: a copy). */
static int be_add(const char *w, const char *m, struct cli_args *a, char *err)
{
	char *argv[] = {"xlb", "backend", "add", "tcp:198.18.0.10:80", "198.18.1.1:8080",
			"--weight", (char *)w, "--mac", (char *)m, NULL};

	return cli_parse(ARRAY_SIZE(argv) - 1, argv, a, err, 256);
}

/* backend add's options set the settings as the file's keys do, and name the same range. */
static void test_cli_options(void **state)
{
	struct cli_args a;
	struct xlb_conf c;
	char err[256];
	int i;

	(void)state;
	assert_int_equal(be_add("4", "02:00:00:00:01:0A", &a, err), 0);
	load(file_text, &c);
	c.vips[0].backends[0].drain = false; /* drain is a command of its own, not an option */
	for (i = 0; i < XLB_BSET__MAX; i++)
		assert_row_int(xlb_bsets[i].key,
			       xlb_bset_eq(&a.bset, &c.vips[0].backends[0].bset, i), 1);
	xlb_conf_free(&c);
	assert_int_equal(be_add("101", "02:00:00:00:01:0A", &a, err), EX_DATAERR);
	assert_string_equal(err, "Invalid weight '101': expected 0-100");
	assert_int_equal(be_add("4", "02:00:00:00:01", &a, err), EX_DATAERR);
	assert_string_equal(err, "Invalid MAC address '02:00:00:00:01'");
	assert_int_equal(be_add("4", "ff:ff:ff:ff:ff:ff", &a, err), EX_DATAERR);
	assert_string_equal(err,
			    "Invalid MAC address 'ff:ff:ff:ff:ff:ff': a multicast MAC, expected a "
			    "unicast MAC");
	assert_string_equal(cli_be_add_usage(),
			    "backend add VIP ADDR[:PORT] [--weight N] [--mac MAC]");
}

/* The status page's row of the file's first backend says its settings as the diff does. */
static void test_status_row(void **state)
{
	struct xlb_snap_backend sb[2] = {};
	struct xlb_snap_vip sv = {.backends = sb};
	struct xlb_snapshot s = {};
	struct capture cap;
	char *page;

	(void)state;
	load(file_text, &s.conf);
	s.conf.vips[0].backends[0].weight = 0;
	s.vips = &sv;
	assert_int_equal(xlb_status_render(&s, NULL, NULL, capture_start(&cap)), 0);
	page = capture_end(&cap);
	assert_non_null(strstr(page, "<tr class=\"backend\" data-backend=\"198.18.1.1\" "
				     "data-state=\"up\" data-drain=\"yes\" data-weight=\"0\">"
				     "<td class=\"address\">198.18.1.1:8080</td>"
				     "<td class=\"health\">up</td><td class=\"weight num\">0</td>"
				     "<td class=\"ramp num\">100%</td>"
				     "<td class=\"drain\">yes</td>"));
	assert_non_null(strstr(page, "data-drain=\"no\" data-weight=\"1\">"
				     "<td class=\"address\">198.18.1.2</td>"));
	free(page);
	xlb_conf_free(&s.conf);
}

XLB_UNIT_MAIN(test_table, test_defaults, test_parse_format, test_mac_rule, test_file, test_diff,
	      test_cli_options, test_status_row)
