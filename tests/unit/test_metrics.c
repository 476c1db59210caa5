// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * cmocka tests of user/daemon/metrics.c on a hand-built snapshot: exact sample lines, # HELP and
 * # TYPE before every family's samples, _total on every counter, every family there even
 * without VIPs, label names and values bounded by the configuration, label escaping, and a
 * failed write reported.
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
#include "metrics.h"

static struct xlb_be_conf web_be[2], dns_be[1];
static struct xlb_snap_backend web_sb[2], dns_sb[1];
static struct xlb_vip_conf vips[2];
static struct xlb_snap_vip snap_vips[2];

/* tcp:198.18.0.10:80 with two backends (one down and drained), udp:[2001:db8::10]:53 with one. */
static void fixture(struct xlb_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	assert_int_equal(xlb_vip_name_parse("tcp:198.18.0.10:80", &vips[0].name), 0);
	vips[0].forward = XLB_FWD_IPIP;
	vips[0].backends = web_be;
	vips[0].nbackends = 2;
	fill_backend(&web_be[0], "198.18.2.1", 1, false, false, 1);
	fill_backend(&web_be[1], "198.18.2.2", 5, true, true, 2);
	assert_int_equal(xlb_vip_name_parse("udp:[2001:db8::10]:53", &vips[1].name), 0);
	vips[1].forward = XLB_FWD_GUE;
	vips[1].backends = dns_be;
	vips[1].nbackends = 1;
	fill_backend(&dns_be[0], "2001:db8::2:1", 100, false, false, 3);
	snap_vips[0] = (struct xlb_snap_vip){{1000, 64000, 10, 0}, web_sb, "0123456789ab"};
	snap_vips[1] = (struct xlb_snap_vip){{7, 700, 7, 0}, dns_sb, "none"};
	web_sb[0] = (struct xlb_snap_backend){{600, 38400, 12}, {20, 1, 1, 0, 0}};
	web_sb[1] = (struct xlb_snap_backend){{400, 25600, 8}, {5, 9, 3, 0, 0}};
	dns_sb[0] = (struct xlb_snap_backend){{7, 700, 3}, {0, 0, 0, 0, 0}};
	s->conf.vips = vips;
	s->conf.nvips = 2;
	s->vips = snap_vips;
	s->global.drop[XLB_DROP_NO_BACKEND] = 4;
	s->global.drop[XLB_DROP_NOT_HOST] = 7;
	s->global.drop[XLB_DROP_BAD_CSUM] = 8;
	s->global.action[2] = 99; /* XDP_PASS */
	s->global.flow_hit = 990;
	s->global.flow_miss = 17;
	s->global.icmp_too_big = 2;
	s->global.fail_open = 6;
	s->flows_used = 12;
	s->flows_max = 65540;
	s->flows_bytes = 3355648;
	s->conn.established = 5;
	s->conn.turned_away = 3;
	s->vips_max = XLB_MAX_VIPS;
	s->backends_max = XLB_MAX_BACKENDS - 1;
}

static char *render(const struct xlb_snapshot *s, const char *version)
{
	struct capture cap;

	assert_int_equal(xlb_metrics_render(s, version, capture_start(&cap)), 0);
	return capture_end(&cap);
}

/* The fixture's snapshot, into s, and what it renders as with build version 0.3.0. */
static char *render_fixture(struct xlb_snapshot *s)
{
	fixture(s);
	return render(s, "0.3.0");
}

/* What an empty snapshot (no VIPs, all counters 0) renders as with build version. */
static char *render_empty(const char *version)
{
	struct xlb_snapshot s = {};

	return render(&s, version);
}

static void expect_line(const char *text, const char *line)
{
	const char *p = text;
	size_t n = strlen(line);

	for (p = strstr(p, line); p; p = strstr(p + 1, line))
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return;
	fail_msg("no line '%s' in:\n%s", line, text);
}

static void test_samples(void **state)
{
	struct xlb_snapshot s;
	char *t;

	(void)state;
	t = render_fixture(&s);
	expect_line(t, "xlb_vip_packets_total{vip=\"198.18.0.10\",port=\"80\",proto=\"tcp\"} 1000");
	expect_line(t, "xlb_vip_bytes_total{vip=\"2001:db8::10\",port=\"53\",proto=\"udp\"} 700");
	expect_line(t, "xlb_vip_new_flows_total{vip=\"198.18.0.10\",port=\"80\",proto=\"tcp\"} 10");
	expect_line(t, "xlb_backend_packets_total{vip=\"198.18.0.10\",port=\"80\",proto=\"tcp\","
		       "backend=\"198.18.2.2\"} 400");
	expect_line(t, "xlb_backend_bytes_total{vip=\"2001:db8::10\",port=\"53\",proto=\"udp\","
		       "backend=\"2001:db8::2:1\"} 700");
	expect_line(t, "xlb_backend_new_flows_total{vip=\"198.18.0.10\",port=\"80\",proto=\"tcp\","
		       "backend=\"198.18.2.2\"} 8");
	expect_line(t, "xlb_backend_up{vip=\"198.18.0.10\",port=\"80\",proto=\"tcp\","
		       "backend=\"198.18.2.1\"} 1");
	expect_line(t, "xlb_backend_up{vip=\"198.18.0.10\",port=\"80\",proto=\"tcp\","
		       "backend=\"198.18.2.2\"} 0");
	expect_line(t, "xlb_backend_pending{vip=\"198.18.0.10\",port=\"80\",proto=\"tcp\","
		       "backend=\"198.18.2.2\"} 0");
	expect_line(t, "xlb_backend_weight{vip=\"2001:db8::10\",port=\"53\",proto=\"udp\","
		       "backend=\"2001:db8::2:1\"} 100");
	expect_line(t, "xlb_backend_ramp_percent{vip=\"198.18.0.10\",port=\"80\",proto=\"tcp\","
		       "backend=\"198.18.2.1\"} 100");
	expect_line(t, "xlb_vip_slow_start_seconds{vip=\"198.18.0.10\",port=\"80\","
		       "proto=\"tcp\"} 0");
	expect_line(t, "xlb_backend_drain{vip=\"198.18.0.10\",port=\"80\",proto=\"tcp\","
		       "backend=\"198.18.2.2\"} 1");
	expect_line(t, "xlb_backend_health_checks_total{vip=\"198.18.0.10\",port=\"80\","
		       "proto=\"tcp\",backend=\"198.18.2.2\",result=\"ok\"} 5");
	expect_line(t, "xlb_backend_health_checks_total{vip=\"198.18.0.10\",port=\"80\","
		       "proto=\"tcp\",backend=\"198.18.2.2\",result=\"failed\"} 9");
	expect_line(t, "xlb_backend_health_transitions_total{vip=\"198.18.0.10\",port=\"80\","
		       "proto=\"tcp\",backend=\"198.18.2.2\"} 3");
	expect_line(t, "xlb_drops_total{reason=\"no_backend\"} 4");
	expect_line(t, "xlb_drops_total{reason=\"malformed\"} 0");
	expect_line(t, "xlb_drops_total{reason=\"not_host\"} 7");
	expect_line(t, "xlb_drops_total{reason=\"bad_checksum\"} 8");
	expect_line(t, "xlb_xdp_actions_total{action=\"pass\"} 99");
	expect_line(t, "xlb_flow_table_hits_total 990");
	expect_line(t, "xlb_flow_table_misses_total 17");
	expect_line(t, "xlb_fail_open_packets_total 6");
	expect_line(t, "xlb_icmp_too_big_sent_total 2");
	expect_line(t, "xlb_map_entries{map=\"vips\"} 2");
	expect_line(t, "xlb_map_entries{map=\"backends\"} 3");
	expect_line(t, "xlb_map_entries{map=\"flows\"} 12");
	expect_line(t, "xlb_map_capacity{map=\"flows\"} 65540");
	expect_line(t, "xlb_map_bytes{map=\"flows\"} 3355648");
	expect_line(t, "xlb_flow_table_established 5");
	expect_line(t, "xlb_flow_table_turned_away_total 3");
	expect_line(t, "xlb_flow_table_evicted_total 0");
	expect_line(t, "xlb_flow_table_capped_total 0");
	expect_line(t, "xlb_flow_table_flood 0");
	expect_line(t, "xlb_map_capacity{map=\"backends\"} 16383");
	expect_line(t, "xlb_build_info{version=\"0.3.0\"} 1");
	free(t);
}

/* Down and never checked: added to a checked VIP, waiting for its first check; a ramp. */
static void test_pending_and_ramp(void **state)
{
	struct xlb_snapshot s;
	char *t;

	(void)state;
	fixture(&s);
	dns_be[0].down = true;
	web_be[0].ramp = 40;
	vips[0].health.slow_start_s = 30;
	t = render(&s, "0.3.0");
	expect_line(t, "xlb_backend_ramp_percent{vip=\"198.18.0.10\",port=\"80\",proto=\"tcp\","
		       "backend=\"198.18.2.1\"} 40");
	expect_line(t, "xlb_vip_slow_start_seconds{vip=\"198.18.0.10\",port=\"80\","
		       "proto=\"tcp\"} 30");
	expect_line(t, "xlb_backend_pending{vip=\"2001:db8::10\",port=\"53\",proto=\"udp\","
		       "backend=\"2001:db8::2:1\"} 1");
	expect_line(t, "xlb_backend_up{vip=\"2001:db8::10\",port=\"53\",proto=\"udp\","
		       "backend=\"2001:db8::2:1\"} 0");
	free(t);
	web_be[0].ramp = 0;
	vips[0].health.slow_start_s = 0;
}

/* The fleet families: the drain flag and xlbd's VIP routes. */
static void test_fleet(void **state)
{
	static struct xlb_announce_view w = {.table = 9661, .n = 2};
	struct xlb_snapshot s;
	char *t;

	(void)state;
	t = render_fixture(&s);
	expect_line(t, "xlb_node_drained 0");
	expect_line(t, "xlb_vip_table_info{vip=\"198.18.0.10\",port=\"80\",proto=\"tcp\","
		       "fingerprint=\"0123456789ab\"} 1");
	expect_line(t, "xlb_vip_table_info{vip=\"2001:db8::10\",port=\"53\",proto=\"udp\","
		       "fingerprint=\"none\"} 1");
	expect_line(t, "xlb_announce_route_table 0");
	assert_null(strstr(t, "xlb_vip_announced{"));
	free(t);
	assert_int_equal(xlb_addr_parse("198.18.0.10", &w.v[0].addr), 0);
	w.v[0].announced = true;
	w.v[0].transitions = 3;
	assert_int_equal(xlb_addr_parse("2001:db8::10", &w.v[1].addr), 0);
	s.announce = &w;
	s.drained = true;
	t = render(&s, "0.3.0");
	expect_line(t, "xlb_node_drained 1");
	expect_line(t, "xlb_announce_waiting 0");
	expect_line(t, "xlb_announce_route_table 9661");
	expect_line(t, "xlb_vip_announced{vip=\"198.18.0.10\"} 1");
	expect_line(t, "xlb_vip_announced{vip=\"2001:db8::10\"} 0");
	expect_line(t, "xlb_vip_announce_transitions_total{vip=\"198.18.0.10\"} 3");
	expect_line(t, "xlb_vip_announce_transitions_total{vip=\"2001:db8::10\"} 0");
	free(t);
}

static const char *const families[] = {
    "xlb_vip_packets_total",
    "xlb_vip_bytes_total",
    "xlb_vip_new_flows_total",
    "xlb_vip_new_flows_limited_total",
    "xlb_vip_slow_start_seconds",
    "xlb_backend_packets_total",
    "xlb_backend_bytes_total",
    "xlb_backend_new_flows_total",
    "xlb_backend_up",
    "xlb_backend_pending",
    "xlb_backend_weight",
    "xlb_backend_ramp_percent",
    "xlb_backend_drain",
    "xlb_backend_health_checks_total",
    "xlb_backend_health_transitions_total",
    "xlb_drops_total",
    "xlb_xdp_actions_total",
    "xlb_flow_table_hits_total",
    "xlb_flow_table_misses_total",
    "xlb_fail_open_packets_total",
    "xlb_icmp_echo_replies_total",
    "xlb_icmp_too_big_sent_total",
    "xlb_icmp_errors_forwarded_total",
    "xlb_nat_replies_total",
    "xlb_nat_icmp_errors_total",
    "xlb_nat_icmp_errors_in_total",
    "xlb_map_entries",
    "xlb_map_capacity",
    "xlb_map_bytes",
    "xlb_flow_table_established",
    "xlb_flow_table_flood",
    "xlb_flow_table_recorded_total",
    "xlb_flow_table_replaced_total",
    "xlb_flow_table_evicted_total",
    "xlb_flow_table_turned_away_total",
    "xlb_flow_table_cleared_total",
    "xlb_flow_table_capped_total",
    "xlb_vip_table_info",
    "xlb_node_drained",
    "xlb_announce_waiting",
    "xlb_announce_route_table",
    "xlb_vip_announced",
    "xlb_vip_announce_transitions_total",
    "xlb_build_info",
};

#define NFAMILIES (sizeof(families) / sizeof(families[0]))

/* The index of a family's name, failing for a name not in the list. */
static size_t family_index(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NFAMILIES; i++)
		if (strlen(families[i]) == len && !strncmp(families[i], name, len))
			return i;
	fail_msg("unexpected family '%.*s'", (int)len, name);
	return 0;
}

/*
 * Walks the exposition: each family's HELP, then its TYPE (counters named *_total), then
 * samples of that family only; no family twice; every family of the list there.
 */
static void check_structure(const char *t)
{
	bool seen[NFAMILIES] = {};
	const char *line, *end, *name;
	size_t cur = NFAMILIES, len, i;
	char type[16];

	for (line = t; *line; line = end + 1) {
		end = strchr(line, '\n');
		assert_non_null(end);
		if (!strncmp(line, "# HELP ", 7)) {
			name = line + 7;
			len = strcspn(name, " ");
			cur = family_index(name, len);
			assert_false(seen[cur]);
			seen[cur] = true;
			assert_true(name + len + 1 < end); /* some help text */
			line = end + 1;
			end = strchr(line, '\n');
			assert_non_null(end);
			assert_int_equal(strncmp(line, "# TYPE ", 7), 0);
			assert_int_equal(strncmp(line + 7, name, len), 0);
			assert_int_equal(sscanf(line + 7 + len, " %15s", type), 1);
			if (!strcmp(type, "counter"))
				assert_int_equal(strncmp(name + len - 6, "_total", 6), 0);
			else
				assert_string_equal(type, "gauge");
			continue;
		}
		assert_true(cur < NFAMILIES);
		len = strcspn(line, "{ ");
		assert_int_equal(len, strlen(families[cur]));
		assert_int_equal(strncmp(line, families[cur], len), 0);
	}
	for (i = 0; i < NFAMILIES; i++)
		if (!seen[i])
			fail_msg("family %s missing", families[i]);
}

static void test_structure(void **state)
{
	struct xlb_snapshot s;
	char *t;

	(void)state;
	t = render_fixture(&s);
	check_structure(t);
	free(t);
}

static void test_structure_empty(void **state)
{
	char *t;

	(void)state;
	t = render_empty("0.3.0");
	check_structure(t);
	assert_null(strstr(t, "vip=\""));
	expect_line(t, "xlb_map_entries{map=\"vips\"} 0");
	free(t);
}

static bool configured(const struct xlb_snapshot *s, const char *name, const char *value)
{
	char buf[XLB_ADDR_STRLEN];
	size_t i, j;

	for (i = 0; i < s->conf.nvips; i++) {
		if (!strcmp(name, "vip") &&
		    !strcmp(value, xlb_addr_str(&s->conf.vips[i].name.addr, buf, sizeof(buf))))
			return true;
		for (j = 0; j < s->conf.vips[i].nbackends; j++)
			if (!strcmp(name, "backend") &&
			    !strcmp(value, xlb_addr_str(&s->conf.vips[i].backends[j].addr, buf,
							sizeof(buf))))
				return true;
	}
	return false;
}

/* Every label is one the configuration bounds; address labels name configured addresses. */
static void test_labels_bounded(void **state)
{
	static const char *const allowed[] = {"vip",	 "port",       "proto",	 "backend",
					      "result",	 "reason",     "action", "map",
					      "version", "fingerprint"};
	char name[32], value[64], *t, *p;
	struct xlb_snapshot s;
	bool ok;
	size_t i;
	int n;

	(void)state;
	t = render_fixture(&s);
	for (p = strchr(t, '{'); p; p = strchr(p, '{')) {
		while (sscanf(p + 1, "%31[a-z_]=\"%63[^\"]\"%n", name, value, &n) == 2) {
			for (ok = false, i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
				ok |= !strcmp(name, allowed[i]);
			if (!ok)
				fail_msg("label %s", name);
			if (!strcmp(name, "vip") || !strcmp(name, "backend"))
				assert_true(configured(&s, name, value));
			p += n + 1; /* past the comma or onto the brace */
		}
		assert_int_equal(*p, '}');
	}
	free(t);
}

static void test_escaping(void **state)
{
	char *t;

	(void)state;
	t = render_empty("1.0 \"rc\\1\"\nnext");
	expect_line(t, "xlb_build_info{version=\"1.0 \\\"rc\\\\1\\\"\\nnext\"} 1");
	free(t);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(xlb_drop_reason_str(XLB_DROP_FRAGMENT), "fragment");
	assert_string_equal(xlb_drop_reason_str(XLB_DROP_FRAGMENT_ORPHAN), "fragment_orphan");
	assert_string_equal(xlb_drop_reason_str(XLB_DROP__MAX), "?");
	assert_string_equal(xlb_xdp_action_str(3), "tx");
	assert_string_equal(xlb_xdp_action_str(XLB_XDP_ACTIONS), "?");
}

static void test_write_error(void **state)
{
	struct xlb_snapshot s;
	FILE *f;

	(void)state;
	fixture(&s);
	f = full_stream();
	assert_int_equal(xlb_metrics_render(&s, "0.3.0", f), -EIO);
	fclose(f);
}

XLB_UNIT_MAIN(test_samples, test_structure, test_structure_empty, test_labels_bounded,
	      test_escaping, test_names, test_write_error, test_pending_and_ramp, test_fleet)
