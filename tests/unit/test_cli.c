// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Unit tests of the xlb command-line grammar (cli_parse): every command, the sysexits code
 * of each kind of bad input, and the one-line messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include "unit_main.h"
#include "capture.h"
#include "cli.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ARGS 32

/* What the last parse() gave: the arguments and the message of a refusal. */
static struct cli_args a;
static char err[256];

/* Parses a space-separated command line (argv[0] is added) into a and err. */
static int parse(const char *line)
{
	static char buf[512];
	char *argv[MAX_ARGS + 1], *tok, *save;
	int argc = 0;

	snprintf(buf, sizeof(buf), "xlb %s", line);
	for (tok = strtok_r(buf, " ", &save); tok && argc < MAX_ARGS; tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	return cli_parse(argc, argv, &a, err, sizeof(err));
}

/* A command line the parser refuses: its exit code, and its message where the test names one. */
struct refusal {
	const char *cmd;
	int code;
	const char *err;
};

static void expect_refused(const struct refusal *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		assert_row_int(r[i].cmd, parse(r[i].cmd), r[i].code);
		if (r[i].err)
			assert_row_string(r[i].cmd, err, r[i].err);
	}
}

static void test_attach(void **state)
{
	(void)state;
	assert_int_equal(
	    parse("attach veth0 --mode generic --src-v4 198.18.0.1 --src-v6 2001:db8::1 "
		  "--next-hop-mac 02:00:00:00:00:fe --mtu 9000"),
	    0);
	assert_int_equal(a.cmd, CMD_ATTACH);
	assert_string_equal(a.dev, "veth0");
	assert_true(a.generic);
	assert_int_equal(a.src_v4.a[0], inet_addr("198.18.0.1"));
	assert_int_equal(a.src_v6.family, XLB_FAM_V6);
	assert_int_equal(a.next_hop[5], 0xfe);
	assert_int_equal(a.mtu, 9000);
}

/* upgrade DEV: one interface, no option of its own. */
static void test_upgrade(void **state)
{
	(void)state;
	assert_int_equal(parse("upgrade veth0 -j"), 0);
	assert_int_equal(a.cmd, CMD_UPGRADE);
	assert_string_equal(a.dev, "veth0");
	assert_true(a.json);
	assert_int_equal(parse("upgrade"), EX_USAGE);
	assert_int_equal(parse("upgrade veth0 --mode generic"), EX_USAGE);
}

static void test_vip_and_backend(void **state)
{
	(void)state;
	assert_int_equal(parse("vip add udp:[2001:db8::10]:53 --forward gue --gue-port 7000 -j"),
			 0);
	assert_int_equal(a.cmd, CMD_VIP_ADD);
	assert_true(a.json);
	assert_int_equal(a.vip.proto, IPPROTO_UDP);
	assert_int_equal(a.vip.port, 53);
	assert_int_equal(a.vip.addr.family, XLB_FAM_V6);
	assert_int_equal(a.forward, XLB_FWD_GUE);
	assert_int_equal(a.gue_port, 7000);

	assert_int_equal(parse("-i veth1 backend add tcp:198.18.0.10:80 198.18.1.1 --weight 3 "
			       "--mac 02:00:00:00:01:01"),
			 0);
	assert_int_equal(a.cmd, CMD_BE_ADD);
	assert_string_equal(a.dev, "veth1");
	assert_int_equal(a.weight, 3);
	assert_int_equal(a.be_addr.a[0], inet_addr("198.18.1.1"));
	assert_int_equal(a.mac[5], 0x01);

	assert_int_equal(a.port, 0);
	assert_int_equal(parse("backend add tcp:[2001:db8::10]:80 [2001:db8:1::1]:8080"), 0);
	assert_int_equal(a.be_addr.family, XLB_FAM_V6);
	assert_int_equal(a.port, 8080);
	assert_int_equal(parse("vip add tcp:198.18.0.10:80 --forward nat"), 0);
	assert_int_equal(a.forward, XLB_FWD_NAT);

	assert_int_equal(parse("backend set tcp:198.18.0.10:80 198.18.1.1 --weight 0"), 0);
	assert_int_equal(a.cmd, CMD_BE_SET);
	assert_int_equal(a.weight, 0);
	assert_int_equal(parse("backend drain tcp:198.18.0.10:80 198.18.1.1"), 0);
	assert_int_equal(a.cmd, CMD_BE_DRAIN);
	assert_int_equal(parse("backend undrain tcp:198.18.0.10:80 198.18.1.1"), 0);
	assert_int_equal(a.cmd, CMD_BE_UNDRAIN);
	assert_int_equal(parse("stats tcp:198.18.0.10:0"), 0);
	assert_true(a.has_vip);
	assert_int_equal(a.vip.port, 0);
	assert_int_equal(parse("stats"), 0);
	assert_false(a.has_vip);
}

static void test_health_options(void **state)
{
	static const struct refusal bad[] = {
	    {"vip add tcp:198.18.0.10:80 --check ping", EX_DATAERR, NULL},
	    {"vip add tcp:198.18.0.10:80 --rise 11", EX_DATAERR,
	     "Invalid rise '11': expected 1-10"},
	    {"vip add tcp:198.18.0.10:80 --interval 5x", EX_DATAERR, NULL},
	    {"vip add tcp:198.18.0.10:80 --check-status 600", EX_DATAERR, NULL},
	    {"vip list --check tcp", EX_USAGE, NULL},
	};
	(void)state;
	assert_int_equal(parse("vip add tcp:198.18.0.10:80"), 0);
	assert_int_equal(a.health.check, XLB_CHECK_NONE);
	assert_int_equal(a.health.interval_ms, 5000);
	assert_int_equal(
	    parse("vip add tcp:198.18.0.10:80 --check http --check-port 8080 "
		  "--check-path /healthz --check-host www --check-status 200-299 "
		  "--interval 10s --timeout 500ms --rise 2 --fall 5 --on-all-down all"),
	    0);
	assert_int_equal(a.health.check, XLB_CHECK_HTTP);
	assert_int_equal(a.health.port, 8080);
	assert_string_equal(a.health.path, "/healthz");
	assert_string_equal(a.health.host, "www");
	assert_int_equal(a.health.status_min, 200);
	assert_int_equal(a.health.status_max, 299);
	assert_int_equal(a.health.interval_ms, 10000);
	assert_int_equal(a.health.timeout_ms, 500);
	assert_int_equal(a.health.rise, 2);
	assert_int_equal(a.health.fall, 5);
	assert_int_equal(a.health.all_down, XLB_ALL_DOWN_ALL);
	expect_refused(bad, ARRAY_SIZE(bad));
}

static void test_explain_apply(void **state)
{
	(void)state;
	assert_int_equal(parse("explain tcp [2001:db8::5]:40000 [2001:db8::10]:443"), 0);
	assert_int_equal(a.cmd, CMD_EXPLAIN);
	assert_int_equal(a.sport, 40000);
	assert_int_equal(a.dport, 443);
	assert_int_equal(a.dst.family, XLB_FAM_V6);
	assert_int_equal(parse("apply -f /tmp/x.yaml --dry-run"), 0);
	assert_int_equal(a.cmd, CMD_APPLY);
	assert_string_equal(a.file, "/tmp/x.yaml");
	assert_true(a.dry_run);
}

/* flows list [VIP] [--backend ADDR] [--limit N] [--after CURSOR]; flows flush VIP [--backend]. */
static void test_flows(void **state)
{
	static const struct refusal bad[] = {
	    {"flows flush", EX_USAGE, "Usage: xlb flows flush VIP [--backend ADDR]"},
	    {"flows flush tcp:198.18.0.21:80 --limit 3", EX_USAGE, NULL},
	    {"flows list --limit 0", EX_DATAERR, "Invalid limit '0': expected 1-1000000"},
	    {"flows list --after -1", EX_DATAERR,
	     "Invalid cursor '-1': the number a page ended with"},
	    {"flows list --after 99999999999999999999", EX_DATAERR, NULL},
	    {"flows list --backend 198.18.8", EX_DATAERR, "Invalid backend address '198.18.8'"},
	};
	(void)state;
	assert_int_equal(parse("flows list"), 0);
	assert_int_equal(a.cmd, CMD_FLOWS_LIST);
	assert_false(a.has_vip);
	assert_int_equal(a.limit, 1000);
	assert_int_equal(parse("flows list udp:198.18.0.20:53 --backend 198.18.8.1 --limit 7 "
			       "--after 12345678901 -j"),
			 0);
	assert_true(a.has_vip && a.json);
	assert_true(a.given & OPT_BIT(OPT_BACKEND));
	assert_int_equal(a.be_addr.a[0], htonl(0xc6120801));
	assert_int_equal(a.limit, 7);
	assert_true(a.after == 12345678901ull);
	assert_int_equal(parse("flows flush tcp:198.18.0.21:80 --backend 2001:db8::1"), 0);
	assert_int_equal(a.cmd, CMD_FLOWS_FLUSH);
	assert_int_equal(a.be_addr.family, XLB_FAM_V6);
	expect_refused(bad, ARRAY_SIZE(bad));
}

static void test_usage_errors(void **state)
{
	static const struct refusal cases[] = {
	    {"", EX_USAGE, "No command given"},
	    {"vip frobnicate", EX_USAGE, "Unknown command 'vip frobnicate'"},
	    {"Vip list", EX_USAGE, NULL},
	    {"vip list --bogus", EX_USAGE, "Unknown option '--bogus'"},
	    {"vip list --weight 3", EX_USAGE, "Option '--weight' does not apply to 'vip list'"},
	    {"backend add tcp:198.18.0.10:80", EX_USAGE, NULL},
	    {"backend set tcp:198.18.0.10:80 198.18.1.1", EX_USAGE, NULL},
	    {"apply", EX_USAGE, NULL},
	    {"attach", EX_USAGE, NULL},
	    {"attach veth0 --mode turbo", EX_DATAERR, NULL},
	    {"vip add tcp:198.18.0.10:80 --forward tunnel", EX_DATAERR, NULL},
	    {"vip add tcp:198.18.0.10:80 --forward", EX_USAGE, "Option '--forward' needs a value"},
	};

	(void)state;
	expect_refused(cases, ARRAY_SIZE(cases));
}

/* More than 32 options: the last ones (bits 30 and up) are told apart and checked per command. */
static void test_high_options(void **state)
{
	(void)state;
	assert_int_equal(parse("attach veth0 --insert-limit 5000"), EX_OK);
	assert_int_equal(a.insert_limit, 5000);
	assert_true(a.given & OPT_BIT(OPT_INSERT_LIMIT));
	assert_false(a.given & OPT_BIT(OPT_SLOW_START));
	assert_int_equal(parse("vip add tcp:198.18.0.10:80 --slow-start 10s --new-flow-limit 500"),
			 EX_OK);
	assert_int_equal(a.health.slow_start_s, 10);
	assert_int_equal(a.new_flow_limit, 500);
	assert_false(a.given & OPT_BIT(OPT_INSERT_LIMIT));
	assert_int_equal(parse("vip add tcp:198.18.0.10:80 --insert-limit 5000"), EX_USAGE);
	/* The message names the command's usage line, cut at the 256 bytes err holds. */
	assert_int_equal(strncmp(err, "Option '--insert-limit' does not apply to 'vip add VIP ", 55),
			 0);
	assert_int_equal(parse("attach veth0 --new-flow-limit 5"), EX_USAGE);
	assert_string_equal(err, "Option '--new-flow-limit' does not apply to 'attach DEV "
				 "[--mode native|generic] [--src-v4 ADDR] [--src-v6 ADDR] "
				 "[--next-hop-mac MAC] [--mtu N] [--table-size PRIME] [--flows N] "
				 "[--insert-limit N] [--ttl N]'");
	assert_int_equal(parse("vip add tcp:198.18.0.10:80 --new-flow-limit 100000001"),
			 EX_DATAERR);
	assert_string_equal(err, "Invalid new-flow limit '100000001': expected 0-100000000");
}

static void test_data_errors(void **state)
{
	static const struct refusal cases[] = {
	    {"vip add tcp:198.18.0.300:80", EX_DATAERR,
	     "Invalid VIP 'tcp:198.18.0.300:80': PROTO:ADDR:PORT"},
	    {"vip add tcp:198.18.0.10:65536", EX_DATAERR, NULL},
	    {"vip add sctp:198.18.0.10:80", EX_DATAERR, NULL},
	    {"vip add tcp:2001:db8::1:80", EX_DATAERR, NULL},
	    {"backend add tcp:198.18.0.10:80 198.18.1", EX_DATAERR,
	     "Invalid backend address '198.18.1'"},
	    {"backend add tcp:198.18.0.10:80 198.18.1.1:0", EX_DATAERR,
	     "Invalid backend address '198.18.1.1:0'"},
	    {"backend add tcp:198.18.0.10:80 198.18.1.1 --weight 101", EX_DATAERR,
	     "Invalid weight '101': expected 0-100"},
	    {"backend add tcp:198.18.0.10:80 198.18.1.1 --weight -1", EX_DATAERR, NULL},
	    {"backend add tcp:198.18.0.10:80 198.18.1.1 --mac 02:00:00:00:00", EX_DATAERR, NULL},
	    {"attach veth0 --mtu 100", EX_DATAERR, NULL},
	    {"attach veth0 --src-v4 2001:db8::1", EX_DATAERR, NULL},
	    {"vip add tcp:198.18.0.10:80 --gue-port 0", EX_DATAERR, NULL},
	    {"explain icmp 198.18.0.5:1 198.18.0.10:80", EX_DATAERR, NULL},
	    {"vip add tcp:198.18.0.10:80 --slow-start 0", EX_DATAERR,
	     "Invalid slow start '0': whole seconds from 1s to 3600s (leave it out for none)"},
	    {"vip add tcp:198.18.0.10:80 --slow-start 2h", EX_DATAERR, NULL},
	    {"vip add tcp:198.18.0.10:80 --slow-start 3601", EX_DATAERR, NULL},
	    {"backend add tcp:198.18.0.10:80 198.18.1.1 --slow-start 30s", EX_USAGE, NULL},
	    {"explain tcp 198.18.0.5:1 [2001:db8::10]:80", EX_DATAERR, NULL},
	};
	(void)state;
	expect_refused(cases, ARRAY_SIZE(cases));
	assert_int_equal(parse("backend add tcp:198.18.0.10:80 2001:db8::1:80"), 0);
	assert_int_equal(a.port, 0); /* an IPv6 address, not a port: ports need brackets */
	assert_int_equal(parse("vip add tcp:198.18.0.10:80 --slow-start 30s"), EX_OK);
	assert_int_equal(a.health.slow_start_s, 30);
}

/* VIPs and backends name one host; a backend's MAC one station. */
static void test_not_unicast(void **state)
{
	static const struct refusal cases[] = {
	    {"vip add tcp:0.0.0.0:80", EX_DATAERR,
	     "Invalid VIP 'tcp:0.0.0.0:80': the unspecified address, expected a unicast address"},
	    {"vip add udp:255.255.255.255:53", EX_DATAERR,
	     "Invalid VIP 'udp:255.255.255.255:53': the broadcast address, expected a unicast "
	     "address"},
	    {"vip add tcp:224.0.0.1:80", EX_DATAERR,
	     "Invalid VIP 'tcp:224.0.0.1:80': a multicast address, expected a unicast address"},
	    {"vip del tcp:239.255.255.255:80", EX_DATAERR,
	     "Invalid VIP 'tcp:239.255.255.255:80': a multicast address, expected a unicast "
	     "address"},
	    {"vip add tcp:[::]:80", EX_DATAERR,
	     "Invalid VIP 'tcp:[::]:80': the unspecified address, expected a unicast address"},
	    {"vip add tcp:[ff02::1]:80", EX_DATAERR,
	     "Invalid VIP 'tcp:[ff02::1]:80': a multicast address, expected a unicast address"},
	    {"backend add tcp:198.18.0.10:80 0.0.0.0", EX_DATAERR,
	     "Invalid backend address '0.0.0.0': the unspecified address, expected a unicast "
	     "address"},
	    {"backend add tcp:198.18.0.10:80 255.255.255.255", EX_DATAERR,
	     "Invalid backend address '255.255.255.255': the broadcast address, expected a "
	     "unicast address"},
	    {"backend add tcp:198.18.0.10:80 230.1.2.3", EX_DATAERR,
	     "Invalid backend address '230.1.2.3': a multicast address, expected a unicast "
	     "address"},
	    {"backend del tcp:198.18.0.10:80 ::", EX_DATAERR,
	     "Invalid backend address '::': the unspecified address, expected a unicast address"},
	    {"backend add tcp:198.18.0.10:80 ff05::2", EX_DATAERR,
	     "Invalid backend address 'ff05::2': a multicast address, expected a unicast address"},
	    {"backend add tcp:198.18.0.10:80 198.18.1.1 --mac 00:00:00:00:00:00", EX_DATAERR,
	     "Invalid MAC address '00:00:00:00:00:00': all zeros, expected a unicast MAC"},
	    {"backend add tcp:198.18.0.10:80 198.18.1.1 --mac 01:00:5e:00:00:01", EX_DATAERR,
	     "Invalid MAC address '01:00:5e:00:00:01': a multicast MAC, expected a unicast MAC"},
	    {"backend add tcp:198.18.0.10:80 198.18.1.1 --mac ff:ff:ff:ff:ff:ff", EX_DATAERR,
	     "Invalid MAC address 'ff:ff:ff:ff:ff:ff': a multicast MAC, expected a unicast MAC"},
	};
	(void)state;
	expect_refused(cases, ARRAY_SIZE(cases));
	/* Their neighbours are unicast. */
	assert_int_equal(
	    parse("backend add tcp:0.0.0.1:80 223.255.255.255 --mac 02:00:00:00:00:01"), 0);
	assert_int_equal(parse("backend add tcp:[::1]:80 fe80::1 --mac fe:ff:ff:ff:ff:ff"), 0);
	assert_int_equal(parse("vip add tcp:240.0.0.1:80"), 0);
}

XLB_UNIT_MAIN(test_attach, test_vip_and_backend, test_upgrade, test_health_options,
	      test_explain_apply, test_flows, test_usage_errors, test_high_options,
	      test_data_errors, test_not_unicast)
