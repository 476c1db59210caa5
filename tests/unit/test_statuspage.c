// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * cmocka tests of user/daemon/statuspage.c on hand-built snapshots: the page's frame (refresh,
 * title, summary), one section per VIP with its settings, backend rows with their states, rates
 * over two snapshots ("-" without an earlier one, after a counter reset or a backend's new id),
 * HTML escaping of everything that comes from configuration, and a failed write reported.
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
#include "health_conf.h"
#include "statuspage.h"
#include "xlb_counters.h"

/* One snapshot's storage: two VIPs, two backends for the first and one for the second. */
struct fx {
	struct xlb_snapshot s;
	struct xlb_vip_conf vips[2];
	struct xlb_be_conf web_be[2], dns_be[1];
	struct xlb_snap_vip snap_vips[2];
	struct xlb_snap_backend web_sb[2], dns_sb[1];
};

static struct fx before, after;

/*
 * tcp:198.18.0.10:80 (ipip, http check) with 198.18.2.1 up and 198.18.2.2 down and drained;
 * udp:[2001:db8::10]:53 (gue) with 2001:db8::2:1. Counters are scaled by k, taken at t s.
 */
static void fixture(struct fx *f, __u64 k, time_t t)
{
	memset(f, 0, sizeof(*f));
	assert_int_equal(xlb_vip_name_parse("tcp:198.18.0.10:80", &f->vips[0].name), 0);
	f->vips[0].forward = XLB_FWD_IPIP;
	f->vips[0].sched = XLB_SCHED_MAGLEV;
	xlb_health_defaults(&f->vips[0].health);
	f->vips[0].health.check = XLB_CHECK_HTTP;
	f->vips[0].backends = f->web_be;
	f->vips[0].nbackends = 2;
	fill_backend(&f->web_be[0], "198.18.2.1", 1, false, false, 1);
	fill_backend(&f->web_be[1], "198.18.2.2", 5, true, true, 2);
	assert_int_equal(xlb_vip_name_parse("udp:[2001:db8::10]:53", &f->vips[1].name), 0);
	f->vips[1].forward = XLB_FWD_GUE;
	f->vips[1].sched = XLB_SCHED_SH;
	f->vips[1].gue_port = 6080;
	xlb_health_defaults(&f->vips[1].health);
	f->vips[1].health.all_down = XLB_ALL_DOWN_ALL;
	f->vips[1].backends = f->dns_be;
	f->vips[1].nbackends = 1;
	fill_backend(&f->dns_be[0], "2001:db8::2:1", 100, false, false, 3);
	f->snap_vips[0] =
	    (struct xlb_snap_vip){{100 * k, 6400 * k, 10 * k, 0}, f->web_sb, "00c0ffee0123"};
	f->snap_vips[1] = (struct xlb_snap_vip){{7 * k, 700 * k, 7 * k, 0}, f->dns_sb, "none"};
	f->web_sb[0].st = (struct xlb_backend_stats){60 * k, 3840 * k, 6 * k};
	f->web_sb[1].st = (struct xlb_backend_stats){40 * k, 2560 * k, 4 * k};
	f->web_sb[1].health = (struct xlb_backend_health){5, 9, 3, 1, ECONNREFUSED};
	f->dns_sb[0].st = (struct xlb_backend_stats){7 * k, 700 * k, 7 * k};
	f->s.conf.vips = f->vips;
	f->s.conf.nvips = 2;
	f->s.vips = f->snap_vips;
	f->s.global.drop[XLB_DROP_NO_BACKEND] = 3 * k;
	f->s.global.nat_reply = 20 * k;
	f->s.global.nat_icmp_in = 2 * k;
	f->s.taken.tv_sec = t;
	snprintf(f->s.dev, sizeof(f->s.dev), "veth0");
	f->s.flows_used = 12;
	f->s.flows_max = 65540;
	f->s.flows_bytes = 3355648;
	f->s.conn.established = 5;
	f->s.vips_max = XLB_MAX_VIPS;
	f->s.backends_max = XLB_MAX_BACKENDS - 1;
}

static char *render_hist(const struct xlb_snapshot *now, const struct xlb_snapshot *prev,
			 const struct xlb_history *h)
{
	struct capture cap;

	assert_int_equal(xlb_status_render(now, prev, h, capture_start(&cap)), 0);
	return capture_end(&cap);
}

static char *render(const struct xlb_snapshot *now, const struct xlb_snapshot *prev)
{
	return render_hist(now, prev, NULL);
}

static void expect(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("no '%s' in:\n%s", part, text);
}

static size_t count(const char *text, const char *part)
{
	size_t n = 0;

	for (text = strstr(text, part); text; text = strstr(text + 1, part))
		n++;
	return n;
}

/* The text of the section of VIP name (a copy, to free). */
static char *section(const char *text, const char *name)
{
	char attr[96];
	const char *p, *end;

	snprintf(attr, sizeof(attr), "<section class=\"vip\" id=\"vip-%s\" data-vip=\"%s\">", name,
		 name);
	p = strstr(text, attr);
	if (!p)
		fail_msg("no section '%s' in:\n%s", attr, text);
	end = strstr(p, "</section>");
	assert_non_null(end);
	return strndup(p, end - p);
}

/* A rendered page (all) and copies of its two VIPs' sections; page_free frees the three. */
struct page {
	char *all, *web, *dns;
};

static struct page page_of(char *all)
{
	struct page p = {.all = all};

	p.web = section(all, "tcp:198.18.0.10:80");
	p.dns = section(all, "udp:[2001:db8::10]:53");
	return p;
}

static void page_free(struct page *p)
{
	free(p->dns);
	free(p->web);
	free(p->all);
}

static void test_frame(void **state)
{
	char *t;

	(void)state;
	fixture(&after, 1, 100);
	t = render(&after.s, NULL);
	assert_int_equal(strncmp(t, "<!DOCTYPE html>\n", 16), 0);
	expect(t, "<meta http-equiv=\"refresh\" content=\"2\">");
	expect(t, "<title>xlb on veth0</title>");
	expect(t, "<p id=\"summary\">VIPs <span id=\"vips-used\">2</span> of <span "
		  "id=\"vips-max\">1024</span>, backends <span id=\"backends-used\">3</span> of "
		  "<span id=\"backends-max\">16383</span>, flows <span id=\"flows-used\">12</span> "
		  "of <span id=\"flows-max\">65540</span> (<span id=\"flows-established\">5"
		  "</span> established, <span id=\"flows-mib\">3.2</span> MiB)</p>");
	assert_int_equal(count(t, "<section"), 5); /* two VIPs, drops, counters, fleet */
	assert_int_equal(count(t, "</section>"), 5);
	expect(t, "<section id=\"fleet\">\n<h2>Fleet</h2>\n<p>node <span id=\"node\">serving"
		  "</span>, VIP routes not published</p>\n</section>");
	assert_int_equal(count(t, "<tr"), count(t, "</tr>"));
	assert_int_equal(count(t, "<table"), count(t, "</table>"));
	assert_int_equal(count(t, "<script"), 0);
	assert_int_equal(strcmp(t + strlen(t) - 8, "</html>\n"), 0);
	free(t);
}

static void test_vips_and_backends(void **state)
{
	struct page p;

	(void)state;
	fixture(&after, 1, 100);
	p = page_of(render(&after.s, NULL));
	expect(p.web, "mode <span class=\"mode\">ipip</span>, sched <span class=\"sched\">maglev"
		      "</span>, check <span class=\"check\">http path / status 200-399 interval 5s "
		      "timeout 2s rise 3 fall 3</span>, on all down <span class=\"all-down\">drop"
		      "</span>, table <span class=\"fingerprint\">00c0ffee0123</span><br>");
	expect(p.web, "<tr class=\"backend\" data-backend=\"198.18.2.1\" data-state=\"up\" "
		      "data-drain=\"no\" data-weight=\"1\"><td class=\"address\">198.18.2.1</td>"
		      "<td class=\"health\">up</td><td class=\"weight num\">1</td>"
		      "<td class=\"ramp num\">100%</td><td class=\"drain\">no</td>"
		      "<td class=\"pps num\">-</td><td class=\"bps num\">-</td><td class=\"chart\">"
		      "<svg id=\"pps-tcp:198.18.0.10:80-198.18.2.1\" class=\"chart pps\" "
		      "width=\"300\" height=\"40\" viewBox=\"0 0 300 40\" data-max=\"0.0\" "
		      "data-last=\"0.0\" data-samples=\"0\" role=\"img\"><title>packets/s, last 10 "
		      "minutes</title><polyline points=\"\"/><text x=\"2\" y=\"11\">max 0 "
		      "packets/s</text></svg></td><td class=\"chart\">"
		      "<svg id=\"nf-tcp:198.18.0.10:80-198.18.2.1\" class=\"chart new-flows\" "
		      "width=\"300\" height=\"40\" viewBox=\"0 0 300 40\" data-max=\"0.0\" "
		      "data-last=\"0.0\" data-samples=\"0\" role=\"img\"><title>new flows/s, last "
		      "10 minutes</title><polyline points=\"\"/><text x=\"2\" y=\"11\">max 0 "
		      "new flows/s</text></svg></td></tr>");
	/* Down: why (its last check's error); no history, so no since. */
	expect(p.web, "<td class=\"health\">down: <span class=\"why\">connection refused</span>"
		      "</td><td class=\"weight num\">5</td>");
	expect(p.web, "<p class=\"charts\"><svg id=\"pps-tcp:198.18.0.10:80\" class=\"chart pps\"");
	expect(p.web, "<svg id=\"nf-tcp:198.18.0.10:80\" class=\"chart new-flows\"");
	expect(p.web, "<tr class=\"backend\" data-backend=\"198.18.2.2\" data-state=\"down\" "
		      "data-drain=\"yes\" data-weight=\"5\">");
	assert_int_equal(count(p.web, "class=\"backend\""), 2);
	expect(p.dns,
	       "mode <span class=\"mode\">gue</span> port <span class=\"gue-port\">6080"
	       "</span>, sched <span class=\"sched\">source-hash</span>, check <span "
	       "class=\"check\">none</span>, on all down <span class=\"all-down\">all</span>");
	expect(p.dns, "data-backend=\"2001:db8::2:1\" data-state=\"up\"");
	assert_int_equal(count(p.dns, "class=\"backend\""), 1);
	expect(p.all,
	       "<tr class=\"drop\" data-reason=\"no_backend\"><td class=\"reason\">no_backend"
	       "</td><td class=\"count num\">3</td><td class=\"rate num\">-</td><td "
	       "class=\"chart\"><svg id=\"drops-no_backend\" class=\"chart drops\"");
	/* Every global counter of the shared table, NAT's translations among them. */
	assert_int_equal(count(p.all, "<tr class=\"counter\""), XLB_NROWS(xlb_stats_counters));
	expect(p.all, "<tr class=\"counter\" data-key=\"nat_reply\"><td class=\"part\">nat</td>"
		      "<td class=\"name\">replies</td><td class=\"count num\">20</td>"
		      "<td class=\"rate num\">-</td></tr>");
	expect(p.all, "<tr class=\"counter\" data-key=\"nat_icmp_in\"><td class=\"part\">nat</td>"
		      "<td class=\"name\">icmp errors in</td><td class=\"count num\">2</td>");
	page_free(&p);
}

/* A second-chance VIP says so after its mode's settings; a VIP without it says nothing. */
static void test_second_chance(void **state)
{
	struct page p;

	(void)state;
	fixture(&after, 1, 100);
	after.vips[1].second_chance = 1;
	p = page_of(render(&after.s, NULL));
	expect(p.dns, "mode <span class=\"mode\">gue</span> port <span class=\"gue-port\">6080"
		      "</span> <span class=\"second-chance\">second chance</span>, sched <span "
		      "class=\"sched\">source-hash</span>");
	assert_int_equal(count(p.web, "second"), 0);
	page_free(&p);
}

/* Counters tripled over 2 s: each rate is the counter of the earlier snapshot. */
static void test_rates(void **state)
{
	struct page p;

	(void)state;
	fixture(&before, 1, 100);
	fixture(&after, 3, 102);
	p = page_of(render(&after.s, &before.s));
	expect(p.web, "<span class=\"pps\">100.0</span> packets/s, <span class=\"new-flows\">10.0"
		      "</span> new flows/s");
	expect(p.web,
	       "data-backend=\"198.18.2.1\" data-state=\"up\" data-drain=\"no\" "
	       "data-weight=\"1\"><td class=\"address\">198.18.2.1</td><td class=\"health\">up"
	       "</td><td class=\"weight num\">1</td><td class=\"ramp num\">100%</td><td "
	       "class=\"drain\">no</td><td class=\"pps num\">60.0</td><td class=\"bps num\">"
	       "3840.0</td><td class=\"chart\">");
	expect(p.web, "<td class=\"pps num\">40.0</td>");
	expect(p.all, "<td class=\"count num\">9</td><td class=\"rate num\">3.0</td>");
	expect(p.all,
	       "data-key=\"nat_reply\"><td class=\"part\">nat</td><td class=\"name\">"
	       "replies</td><td class=\"count num\">60</td><td class=\"rate num\">20.0</td>");
	page_free(&p);
}

/* A counter that went back, a backend with a new id, a VIP with a new id: no rates for them. */
static void test_rates_unknown(void **state)
{
	struct page p;

	(void)state;
	fixture(&before, 1, 100);
	fixture(&after, 3, 102);
	after.web_sb[0].st.packets = 10;
	after.web_be[1].id = 7;
	after.vips[1].id = 5;
	p = page_of(render(&after.s, &before.s));
	expect(p.web, "<span class=\"pps\">100.0</span> packets/s");
	expect(p.web, "<td class=\"pps num\">-</td><td class=\"bps num\">3840.0</td>");
	expect(p.web, "data-backend=\"198.18.2.2\"");
	expect(p.web, "<td class=\"pps num\">-</td><td class=\"bps num\">-</td>");
	expect(p.dns, "<span class=\"pps\">-</span> packets/s, <span class=\"new-flows\">-</span>");
	expect(p.dns, "<td class=\"pps num\">-</td><td class=\"bps num\">-</td>");
	page_free(&p);
}

/* The Fleet section: the node's drain flag and xlbd's VIP routes. */
static void test_fleet(void **state)
{
	static struct xlb_announce_view w = {.table = 9661, .waiting = true, .n = 2};
	char *t;

	(void)state;
	fixture(&after, 1, 100);
	assert_int_equal(xlb_addr_parse("198.18.0.10", &w.v[0].addr), 0);
	w.v[0].announced = true;
	w.v[0].transitions = 1;
	assert_int_equal(xlb_addr_parse("2001:db8::10", &w.v[1].addr), 0);
	after.s.announce = &w;
	after.s.drained = true;
	t = render(&after.s, NULL);
	expect(t, "<p>node <span id=\"node\">drained</span>, VIP routes in table <span "
		  "id=\"route-table\">9661</span> (waiting for the first health round)</p>");
	expect(t, "<tr class=\"route\" data-vip=\"198.18.0.10\"><td>198.18.0.10</td><td "
		  "class=\"state\">published</td><td class=\"num\">1</td></tr>");
	expect(t, "<tr class=\"route\" data-vip=\"2001:db8::10\"><td>2001:db8::10</td><td "
		  "class=\"state\">withdrawn</td><td class=\"num\">0</td></tr>");
	free(t);
	after.s.announce = NULL;
	after.s.drained = false;
}

/* Text from the configuration and the device name reach the page escaped. */
static void test_escaping(void **state)
{
	char *t;

	(void)state;
	fixture(&after, 1, 100);
	snprintf(after.vips[0].health.path, XLB_PATH_MAX, "/a<b>&\"c'");
	snprintf(after.vips[0].health.host, XLB_HOST_MAX, "<script>");
	snprintf(after.s.dev, sizeof(after.s.dev), "d<&>");
	t = render(&after.s, NULL);
	expect(t, "path /a&lt;b&gt;&amp;&quot;c&#39; host &lt;script&gt; status");
	expect(t, "<title>xlb on d&lt;&amp;&gt;</title>");
	assert_null(strstr(t, "<b>"));
	assert_null(strstr(t, "<script"));
	assert_null(strstr(t, "d<&>"));
	free(t);
}

/* A pending backend, a ramp and a slow start as the page shows them. */
static void test_pending_and_ramp(void **state)
{
	struct page p;

	(void)state;
	fixture(&after, 1, 100);
	after.web_sb[1].health = (struct xlb_backend_health){};
	after.web_be[0].ramp = 35;
	after.vips[0].health.slow_start_s = 20;
	p = page_of(render(&after.s, NULL));
	expect(p.web, "on all down <span class=\"all-down\">drop</span>, table <span "
		      "class=\"fingerprint\">00c0ffee0123</span>, slow start "
		      "<span class=\"slow-start\">20s</span><br>");
	expect(p.web, "<td class=\"ramp num\">35%</td>");
	expect(p.web, "data-backend=\"198.18.2.2\" data-state=\"pending\"");
	expect(p.web, "<td class=\"health\">pending <span class=\"why\">first check</span></td>");
	page_free(&p);
}

/*
 * A nat VIP's mode with its NAT timeouts, and its backend with its own port, as ADDR:PORT
 * ([ADDR6]:PORT).
 */
static void test_nat(void **state)
{
	struct page p;

	(void)state;
	fixture(&after, 1, 100);
	after.vips[1].forward = XLB_FWD_NAT;
	after.vips[1].nat_tcp_timeout = 900;
	after.vips[1].nat_udp_timeout = 60;
	after.vips[1].nat_fin_timeout = 10;
	after.dns_be[0].port = 5353;
	p = page_of(render(&after.s, NULL));
	expect(p.dns, "mode <span class=\"mode\">nat</span> tcp timeout <span "
		      "class=\"nat-tcp-timeout\">900s</span> udp timeout <span "
		      "class=\"nat-udp-timeout\">60s</span> fin timeout <span "
		      "class=\"nat-fin-timeout\">10s</span>, sched");
	expect(p.dns, "data-backend=\"2001:db8::2:1\" data-state=\"up\"");
	expect(p.dns, "<td class=\"address\">[2001:db8::2:1]:5353</td>");
	page_free(&p);
}

/* Fed snapshots a second apart, the history draws charts and knows since when one is down. */
static void test_charts(void **state)
{
	struct xlb_history *h;
	struct page p;
	int i;

	(void)state;
	assert_int_equal(xlb_history_new(&h), 0);
	for (i = 0; i < 3; i++) {
		fixture(&after, 1 + i * i, 100 + i);
		after.vips[1].id = 1; /* the VIPs' ids key their histories */
		assert_int_equal(xlb_history_feed(h, &after.s, 1764849600 + i), 0);
	}
	p = page_of(render_hist(&after.s, NULL, h));
	/* Packets 100, 200, 500: rates 100 and 300 a second; the latest at the right edge. */
	expect(p.web, "<svg id=\"pps-tcp:198.18.0.10:80\" class=\"chart pps\" width=\"300\" "
		      "height=\"40\" viewBox=\"0 0 300 40\" data-max=\"300.0\" data-last=\"300.0\" "
		      "data-samples=\"2\" role=\"img\"><title>packets/s, last 10 minutes</title>"
		      "<polyline points=\"299.5,26.0 300.0,2.0\"/><text x=\"2\" y=\"11\">max 300 "
		      "packets/s</text></svg>");
	expect(p.web, "<svg id=\"nf-tcp:198.18.0.10:80\" class=\"chart new-flows\" width=\"300\" "
		      "height=\"40\" viewBox=\"0 0 300 40\" data-max=\"30.0\" data-last=\"30.0\"");
	expect(p.web, "<svg id=\"pps-tcp:198.18.0.10:80-198.18.2.2\" class=\"chart pps\" "
		      "width=\"300\" height=\"40\" viewBox=\"0 0 300 40\" data-max=\"120.0\"");
	expect(p.web, "<svg id=\"nf-tcp:198.18.0.10:80-198.18.2.2\" class=\"chart new-flows\" "
		      "width=\"300\" height=\"40\" viewBox=\"0 0 300 40\" data-max=\"12.0\"");
	/* Drops 3, 6, 15 of no_backend: 3 and 9 a second. */
	expect(p.all,
	       "<svg id=\"drops-no_backend\" class=\"chart drops\" width=\"300\" height=\"40\" "
	       "viewBox=\"0 0 300 40\" data-max=\"9.0\" data-last=\"9.0\" data-samples=\"2\"");
	/* Down at the first feed: since then at the latest. */
	expect(p.web, "down: <span class=\"why\">connection refused</span> <span class=\"since\">"
		      "since before <time datetime=\"2025-12-04 12:00:00 UTC\">"
		      "2025-12-04 12:00:00 UTC</time></span>");
	page_free(&p);
	xlb_history_free(h);
}

static void test_write_error(void **state)
{
	FILE *f;

	(void)state;
	fixture(&after, 1, 100);
	f = full_stream();
	assert_int_equal(xlb_status_render(&after.s, NULL, NULL, f), -EIO);
	fclose(f);
}

XLB_UNIT_MAIN(test_frame, test_vips_and_backends, test_rates, test_rates_unknown, test_escaping,
	      test_write_error, test_pending_and_ramp, test_charts, test_fleet, test_nat,
	      test_second_chance)
