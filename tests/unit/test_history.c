// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Unit tests of the status page's history (user/daemon/history.c) and its SVG charts
 * (user/daemon/chart.c): rates between snapshots, the ring's ten minutes, entries reused or
 * gone, since when a backend is down, and the exact chart text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "unit_main.h"
#include "addr.h"
#include "capture.h"
#include "chart.h"
#include "history.h"

static struct xlb_be_conf be[1];
static struct xlb_snap_backend sb[1];
static struct xlb_vip_conf vip;
static struct xlb_snap_vip sv;
static struct xlb_snapshot snap;

/* One VIP (id 3) with one backend (id 7); counters as given, taken at t seconds. */
static void fixture(__u64 packets, __u64 new_flows, __u64 be_packets, bool down, time_t t)
{
	memset(&snap, 0, sizeof(snap));
	memset(&vip, 0, sizeof(vip));
	assert_int_equal(xlb_vip_name_parse("tcp:198.18.0.10:80", &vip.name), 0);
	vip.id = 3;
	vip.backends = be;
	vip.nbackends = 1;
	memset(be, 0, sizeof(be));
	assert_int_equal(xlb_addr_parse("198.18.2.1", &be[0].addr), 0);
	be[0].id = 7;
	be[0].down = down;
	sv = (struct xlb_snap_vip){.st = {.packets = packets, .new_flows = new_flows},
				   .backends = sb};
	sb[0] = (struct xlb_snap_backend){{be_packets, 0, new_flows}, {}};
	snap.global.drop[XLB_DROP_FRAGMENT] = packets / 10;
	snap.conf.vips = &vip;
	snap.conf.nvips = 1;
	snap.vips = &sv;
	snap.taken.tv_sec = t;
}

static void test_rates(void **state)
{
	const struct xlb_series *s;
	struct xlb_history *h;

	(void)state;
	assert_int_equal(xlb_history_new(&h), 0);
	fixture(1000, 10, 400, false, 50);
	assert_int_equal(xlb_history_feed(h, &snap, 0), 0);
	s = xlb_history_vip_pps(h, &vip);
	assert_non_null(s);
	assert_int_equal(s->n, 0); /* a rate needs two snapshots */
	fixture(3000, 30, 1400, false, 52);
	assert_int_equal(xlb_history_feed(h, &snap, 0), 0);
	assert_int_equal(s->n, 1);
	assert_true(xlb_series_at(s, 0) == 1000.0f);
	assert_true(xlb_series_at(xlb_history_vip_new_flows(h, &vip), 0) == 10.0f);
	assert_true(xlb_series_at(xlb_history_be_pps(h, &vip, &be[0]), 0) == 500.0f);
	assert_true(xlb_series_at(xlb_history_be_new_flows(h, &vip, &be[0]), 0) == 10.0f);
	assert_true(xlb_series_at(xlb_history_drops(h, XLB_DROP_FRAGMENT), 0) == 100.0f);
	assert_true(xlb_series_at(xlb_history_drops(h, XLB_DROP_MALFORMED), 0) == 0.0f);
	assert_null(xlb_history_drops(h, XLB_DROP__MAX));
	/* A counter that went back (counters reset) adds no sample. */
	fixture(5, 30, 1400, false, 53);
	assert_int_equal(xlb_history_feed(h, &snap, 0), 0);
	assert_int_equal(s->n, 1);
	assert_int_equal(xlb_history_be_pps(h, &vip, &be[0])->n, 2);
	xlb_history_free(h);
}

/* Ten minutes of a sample a second, the oldest overwritten first. */
static void test_ring_keeps_ten_minutes(void **state)
{
	const struct xlb_series *s;
	struct xlb_history *h;
	__u64 i;

	(void)state;
	assert_int_equal(xlb_history_new(&h), 0);
	for (i = 0; i <= XLB_HIST_LEN + 50; i++) {
		fixture(i * i, 0, 0, false, i); /* rate 2i - 1 at second i */
		assert_int_equal(xlb_history_feed(h, &snap, 0), 0);
	}
	s = xlb_history_vip_pps(h, &vip);
	assert_int_equal(s->n, XLB_HIST_LEN);
	assert_true(xlb_series_at(s, 0) == 2.0f * 51 - 1);
	assert_true(xlb_series_at(s, XLB_HIST_LEN - 1) == 2.0f * (XLB_HIST_LEN + 50) - 1);
	xlb_history_free(h);
}

/* An id that names another backend or VIP starts afresh; one no longer fed is forgotten. */
static void test_reuse_and_gone(void **state)
{
	struct xlb_history *h;

	(void)state;
	assert_int_equal(xlb_history_new(&h), 0);
	fixture(0, 0, 0, false, 1);
	xlb_history_feed(h, &snap, 0);
	fixture(100, 0, 100, false, 2);
	xlb_history_feed(h, &snap, 0);
	assert_int_equal(xlb_history_be_pps(h, &vip, &be[0])->n, 1);
	fixture(200, 0, 200, false, 3);
	assert_int_equal(xlb_addr_parse("198.18.2.9", &be[0].addr), 0);
	xlb_history_feed(h, &snap, 0);
	assert_int_equal(xlb_history_be_pps(h, &vip, &be[0])->n, 0);
	assert_int_equal(xlb_history_vip_pps(h, &vip)->n, 2);
	assert_int_equal(xlb_addr_parse("198.18.2.1", &be[0].addr), 0);
	assert_null(xlb_history_be_pps(h, &vip, &be[0]));
	snap.conf.nvips = 0;
	xlb_history_feed(h, &snap, 0);
	assert_null(xlb_history_vip_pps(h, &vip));
	xlb_history_free(h);
}

static void test_down_since(void **state)
{
	struct xlb_history *h;
	time_t since;
	bool known;

	(void)state;
	assert_int_equal(xlb_history_new(&h), 0);
	fixture(0, 0, 0, true, 1);
	xlb_history_feed(h, &snap, 1000);
	assert_true(xlb_history_down_since(h, &vip, &be[0], &since, &known));
	assert_int_equal(since, 1000);
	assert_false(known); /* down when first seen: it may have been down before */
	fixture(0, 0, 0, false, 2);
	xlb_history_feed(h, &snap, 1001);
	assert_false(xlb_history_down_since(h, &vip, &be[0], &since, &known));
	fixture(0, 0, 0, true, 3);
	xlb_history_feed(h, &snap, 1002);
	fixture(0, 0, 0, true, 4);
	xlb_history_feed(h, &snap, 1003);
	assert_true(xlb_history_down_since(h, &vip, &be[0], &since, &known));
	assert_int_equal(since, 1002);
	assert_true(known);
	xlb_history_free(h);
}

static char *chart(const struct xlb_series *s)
{
	struct capture cap;

	xlb_chart_svg(capture_start(&cap), "pps-\"x\"", "pps", s, "packets/s");
	return capture_end(&cap);
}

static void test_chart_text(void **state)
{
	struct xlb_series s = {};
	char *t;
	int i;

	(void)state;
	s.v[0] = 0;
	s.v[1] = 5;
	s.v[2] = 10;
	s.n = s.head = 3;
	t = chart(&s);
	assert_string_equal(t,
			    "<svg id=\"pps-&quot;x&quot;\" class=\"chart pps\" width=\"300\" "
			    "height=\"40\" viewBox=\"0 0 300 40\" data-max=\"10.0\" "
			    "data-last=\"10.0\" data-samples=\"3\" role=\"img\"><title>packets/s, "
			    "last 10 minutes</title><polyline points=\"299.0,38.0 299.5,20.0 "
			    "300.0,2.0\"/><text x=\"2\" y=\"11\">max 10 packets/s</text></svg>");
	free(t);
	/* A full ring spans the chart; large rates are shortened. */
	for (i = 0; i < XLB_HIST_LEN; i++)
		s.v[i] = 2500000;
	s.n = XLB_HIST_LEN;
	s.head = 0;
	t = chart(&s);
	assert_non_null(strstr(t, "<polyline points=\"0.0,2.0 0.5,2.0 1.0,2.0 "));
	assert_non_null(strstr(t, " 300.0,2.0\"/><text x=\"2\" y=\"11\">max 2.5M packets/s"));
	free(t);
	t = chart(NULL);
	assert_non_null(strstr(t, "data-samples=\"0\""));
	assert_non_null(strstr(t, "<polyline points=\"\"/>"));
	free(t);
}

XLB_UNIT_MAIN(test_rates, test_ring_keeps_ten_minutes, test_reuse_and_gone, test_down_since,
	      test_chart_text)
