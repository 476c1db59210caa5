// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * cmocka tests of user/lib/attach_opts.c through both command lines: `xlb attach` and xlbd take
 * the same load-time options with the same messages and exit codes (a bad --mode is 65 for
 * both, as README and the man pages say), and what was given reaches struct xlb_attach_opts.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "unit_main.h"

#include "cli.h"
#include "daemon_opts.h"

/* Parses "xlb attach eth1 OPT VALUE" or "xlbd -i eth1 OPT VALUE"; the exit code. */
static int parse(bool daemon, const char *opt, const char *value, char *err, size_t len)
{
	char *cli[] = {"xlb", "attach", "eth1", (char *)opt, (char *)value, NULL};
	char *xlbd[] = {"xlbd", "-i", "eth1", (char *)opt, (char *)value, NULL};
	struct xlbd_opts o;
	struct cli_args a;

	return daemon ? xlbd_opts_parse(5, xlbd, &o, err, len) : cli_parse(5, cli, &a, err, len);
}

static void test_same_answers(void **state)
{
	static const char *const bad[][3] = {
		{"--mode", "turbo", "Invalid mode 'turbo': native or generic"},
		{"--src-v4", "2001:db8::1", "Invalid IPv4 address '2001:db8::1'"},
		{"--src-v6", "198.18.0.1", "Invalid IPv6 address '198.18.0.1'"},
		{"--next-hop-mac", "02:00:00:00:00:zz", "Invalid MAC address '02:00:00:00:00:zz'"},
		{"--mtu", "1000", "Invalid MTU '1000': expected 1352-9216"},
	};
	char cerr[256], derr[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(false, bad[i][0], bad[i][1], cerr, 256), EX_DATAERR);
		assert_int_equal(parse(true, bad[i][0], bad[i][1], derr, 256), EX_DATAERR);
		assert_string_equal(cerr, bad[i][2]);
		assert_string_equal(derr, bad[i][2]);
	}
	/* The sizing options are attach's only. */
	assert_int_equal(parse(true, "--flows", "65536", derr, sizeof(derr)), EX_USAGE);
	assert_string_equal(derr, "Unknown option '--flows'");
}

static void test_to_opts(void **state)
{
	char *argv[] = {"xlbd", "-i", "eth1", "--mode", "generic", "--src-v6", "2001:db8::1",
			"--next-hop-mac", "02:00:00:00:00:fe", "--mtu", "9000", NULL};
	struct xlb_attach_opts ao;
	struct xlbd_opts o;
	unsigned int given;
	char err[256];

	(void)state;
	assert_int_equal(xlbd_opts_parse(11, argv, &o, err, sizeof(err)), 0);
	assert_true(o.any_attach);
	xlb_attach_args_opts(&o.attach, &ao, &given);
	assert_int_equal(given, XLB_GIVEN_SRC_V6 | XLB_GIVEN_NEXT_HOP);
	assert_true(ao.generic);
	assert_int_equal(ao.cfg.mtu, 9000);
	assert_int_equal(ao.cfg.next_hop[5], 0xfe);
	assert_int_equal(ao.cfg.src_v6[0], htonl(0x20010db8));
	assert_int_equal(ao.cfg.src_v4, 0);
	assert_int_equal(xlbd_opts_parse(3, argv, &o, err, sizeof(err)), 0);
	assert_false(o.any_attach);
	xlb_attach_args_opts(&o.attach, &ao, &given);
	assert_int_equal(given, 0);
	assert_false(ao.generic);
}

XLB_UNIT_MAIN(test_same_answers, test_to_opts)
