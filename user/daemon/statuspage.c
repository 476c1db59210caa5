// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The HTML status page of a snapshot: a section per VIP (settings, packet and new-flow rates and
 * their charts, a table of backends with why and since when one is down), the global drops and
 * the other global counters (NAT's translations among them).
 * All text is HTML-escaped; elements carry stable ids, classes and data-* attributes
 * (data-vip, data-backend, data-state, data-drain) for tests.
 */
#include <errno.h>
#include "addr.h"
#include "backend_settings.h"
#include "chart.h"
#include "checker_proto.h"
#include "health_conf.h"
#include "health_fsm.h"
#include "html.h"
#include "metrics.h"
#include "fleet_view.h"
#include "statuspage.h"
#include "vip_settings.h"
#include "xlb_counters.h"

/* What rates are computed against: an earlier snapshot, dt seconds before now; the charts. */
struct base {
	const struct xlb_snapshot *prev; /* NULL: no rates */
	double dt;
	const struct xlb_history *hist; /* NULL: empty charts */
};

static const char page_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"refresh\" content=\"2\">\n<style>\n"
    "body { font-family: sans-serif; margin: 1em 2em; }\n"
    "table { border-collapse: collapse; margin: 0.5em 0 1.5em; }\n"
    "th, td { border: 1px solid #ccc; padding: 2px 10px; text-align: left; }\n"
    "td.num { text-align: right; font-variant-numeric: tabular-nums; }\n"
    "tr[data-state=\"up\"] td.health { background: #cfc; }\n"
    "tr[data-state=\"down\"] td.health { background: #fcc; }\n"
    "tr[data-state=\"pending\"] td.health { background: #ffc; }\n"
    "tr[data-drain=\"yes\"] { color: #888; }\n"
    "svg.chart { background: #f8f8f8; vertical-align: middle; margin-right: 1em; }\n"
    "svg.chart polyline { fill: none; stroke: #36c; stroke-width: 1.5; }\n"
    "svg.chart.new-flows polyline { stroke: #c63; }\n"
    "svg.chart.drops polyline { stroke: #c33; }\n"
    "svg.chart text { font-size: 9px; fill: #555; }\n"
    "td.chart { padding: 0 4px; }\n"
    "</style>\n";

/* Per second since the earlier value; "-" without one, or when the counter went back. */
static void put_rate(FILE *out, __u64 now, const __u64 *before, const struct base *b)
{
	if (!before || b->dt <= 0 || now < *before)
		fputs("-", out);
	else
		fprintf(out, "%.1f", (double)(now - *before) / b->dt);
}

/* The same VIP (same name and id) in the earlier snapshot, or NULL. */
static const struct xlb_vip_conf *prev_vip(const struct base *b, const struct xlb_vip_conf *v)
{
	const struct xlb_vip_conf *p = b->prev ? xlb_conf_find_vip(&b->prev->conf, &v->name) : NULL;

	return p && p->id == v->id ? p : NULL;
}

/* Why v's backend be is down and since when, as the history and its last check say. */
static void put_down_reason(FILE *out, const struct xlb_vip_conf *v, const struct xlb_be_conf *be,
			    const struct xlb_snap_backend *sb, const struct base *b)
{
	char why[64], when[32];
	struct tm tm;
	time_t since;
	bool known;

	if (xlb_health_pending(be->down, &sb->health)) {
		fputs(" <span class=\"why\">first check</span>", out);
		return;
	}
	if (sb->health.last_error)
		fprintf(out, ": <span class=\"why\">%s</span>",
			xlb_check_err_str(sb->health.last_error, why, sizeof(why)));
	if (!b->hist || !xlb_history_down_since(b->hist, v, be, &since, &known) ||
	    !gmtime_r(&since, &tm))
		return;
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	fprintf(out, " <span class=\"since\">since %s<time datetime=\"%s\">%s</time></span>",
		known ? "" : "before ", when, when);
}

static void put_backend(FILE *out, const struct xlb_vip_conf *v, const struct xlb_be_conf *be,
			const struct xlb_snap_backend *sb, const struct xlb_snap_backend *psb,
			const struct base *b)
{
	char addr[XLB_ADDR_STRLEN], ep[XLB_BE_ADDR_STRLEN], vname[XLB_VIP_NAME_STRLEN], id[128];
	char weight[16], dbuf[4];
	const char *state = be->down ? "down" : "up";
	const char *drain = xlb_bset_str(&be->bset, XLB_BSET_DRAIN, dbuf, sizeof(dbuf));

	if (xlb_health_pending(be->down, &sb->health))
		state = "pending";
	xlb_addr_str(&be->addr, addr, sizeof(addr));
	xlb_vip_name_str(&v->name, vname, sizeof(vname));
	fputs("<tr class=\"backend\" data-backend=\"", out);
	xlb_html_put(out, addr);
	xlb_bset_str(&be->bset, XLB_BSET_WEIGHT, weight, sizeof(weight));
	fprintf(out, "\" data-state=\"%s\" data-drain=\"%s\" data-weight=\"%s\">", state, drain,
		weight);
	fputs("<td class=\"address\">", out);
	xlb_html_put(out, xlb_be_addr_str(&be->addr, be->port, ep, sizeof(ep)));
	fprintf(out, "</td><td class=\"health\">%s", state);
	if (be->down)
		put_down_reason(out, v, be, sb, b);
	fprintf(out, "</td><td class=\"weight num\">%s</td><td class=\"ramp num\">%u%%</td>",
		weight, be->ramp ? be->ramp : 100);
	fprintf(out, "<td class=\"drain\">%s</td><td class=\"pps num\">", drain);
	put_rate(out, sb->st.packets, psb ? &psb->st.packets : NULL, b);
	fputs("</td><td class=\"bps num\">", out);
	put_rate(out, sb->st.bytes, psb ? &psb->st.bytes : NULL, b);
	fputs("</td><td class=\"chart\">", out);
	snprintf(id, sizeof(id), "pps-%s-%s", vname, addr);
	xlb_chart_svg(out, id, "pps", b->hist ? xlb_history_be_pps(b->hist, v, be) : NULL,
		      "packets/s");
	fputs("</td><td class=\"chart\">", out);
	snprintf(id, sizeof(id), "nf-%s-%s", vname, addr);
	xlb_chart_svg(out, id, "new-flows",
		      b->hist ? xlb_history_be_new_flows(b->hist, v, be) : NULL, "new flows/s");
	fputs("</td></tr>\n", out);
}

/* v's backends; pv and psv are the same VIP in the earlier snapshot, or NULL. */
static void put_backends(FILE *out, const struct xlb_vip_conf *v, const struct xlb_snap_vip *sv,
			 const struct xlb_vip_conf *pv, const struct xlb_snap_vip *psv,
			 const struct base *b)
{
	const struct xlb_snap_backend *psb;
	const struct xlb_be_conf *pbe;
	size_t i;

	fputs("<table class=\"backends\">\n<thead><tr><th>backend</th><th>health</th>"
	      "<th>weight</th><th>ramp</th><th>drain</th><th>packets/s</th><th>bytes/s</th>"
	      "<th>packets/s, 10 min</th><th>new flows/s, 10 min</th></tr></thead>\n<tbody>\n",
	      out);
	for (i = 0; i < v->nbackends; i++) {
		pbe = xlb_vip_find_backend(pv, &v->backends[i].addr);
		psb = NULL;
		if (pbe && pbe->id == v->backends[i].id) /* not removed and added again */
			psb = &psv->backends[pbe - pv->backends];
		put_backend(out, v, &v->backends[i], &sv->backends[i], psb, b);
	}
	fputs("</tbody>\n</table>\n", out);
}

/* The settings of the VIP's forwarding mode (vip_settings.h), after the mode. */
static void put_mode_settings(FILE *out, const struct xlb_vip_conf *v)
{
	const struct xlb_vset_def *d;
	char buf[24];
	__u32 val;
	int i;

	for (i = 0; i < XLB_VSET__MAX; i++) {
		d = &xlb_vsets[i];
		val = xlb_vset_get(&v->set, i);
		if (!d->mode || d->mode != v->forward || (d->kind == XLB_VKIND_FLAG && !val))
			continue;
		if (d->kind == XLB_VKIND_FLAG) /* a flag shows as its label, when on */
			fprintf(out, " <span class=\"%s\">%s</span>", d->key, d->label);
		else
			fprintf(out, " %s <span class=\"%s\">%s</span>", d->label, d->key,
				xlb_vset_str(i, val, buf, sizeof(buf)));
	}
}

/* The VIP's settings and rates: one span per field. */
static void put_vip_info(FILE *out, const struct xlb_vip_conf *v, const struct xlb_snap_vip *sv,
			 const struct xlb_snap_vip *psv, const struct base *b)
{
	char check[256];

	fprintf(out, "<p class=\"vip-info\">mode <span class=\"mode\">%s</span>",
		xlb_forward_str(v->forward));
	put_mode_settings(out, v);
	fprintf(out, ", sched <span class=\"sched\">%s</span>, check <span class=\"check\">",
		xlb_sched_str(v->sched));
	xlb_html_put(out, xlb_health_summary(&v->health, check, sizeof(check)));
	fprintf(out, "</span>, on all down <span class=\"all-down\">%s</span>, table "
		"<span class=\"fingerprint\">%s</span>",
		xlb_all_down_str(v->health.all_down), sv->fingerprint);
	if (v->health.slow_start_s)
		fprintf(out, ", slow start <span class=\"slow-start\">%us</span>",
			v->health.slow_start_s);
	fputs("<br>\n", out);
	fputs("<span class=\"pps\">", out);
	put_rate(out, sv->st.packets, psv ? &psv->st.packets : NULL, b);
	fputs("</span> packets/s, <span class=\"new-flows\">", out);
	put_rate(out, sv->st.new_flows, psv ? &psv->st.new_flows : NULL, b);
	fputs("</span> new flows/s</p>\n", out);
}

static void put_vip_charts(FILE *out, const struct xlb_vip_conf *v, const char *name,
			   const struct base *b)
{
	char id[96];

	fputs("<p class=\"charts\">", out);
	snprintf(id, sizeof(id), "pps-%s", name);
	xlb_chart_svg(out, id, "pps", b->hist ? xlb_history_vip_pps(b->hist, v) : NULL,
		      "packets/s");
	snprintf(id, sizeof(id), "nf-%s", name);
	xlb_chart_svg(out, id, "new-flows", b->hist ? xlb_history_vip_new_flows(b->hist, v) : NULL,
		      "new flows/s");
	fputs("</p>\n", out);
}

static void put_vip(FILE *out, const struct xlb_snapshot *now, size_t i, const struct base *b)
{
	const struct xlb_vip_conf *v = &now->conf.vips[i], *pv = prev_vip(b, v);
	const struct xlb_snap_vip *psv = pv ? &b->prev->vips[pv - b->prev->conf.vips] : NULL;
	char name[XLB_VIP_NAME_STRLEN];

	xlb_vip_name_str(&v->name, name, sizeof(name));
	fputs("<section class=\"vip\" id=\"vip-", out);
	xlb_html_put(out, name);
	fputs("\" data-vip=\"", out);
	xlb_html_put(out, name);
	fputs("\">\n<h2 class=\"vip-name\">", out);
	xlb_html_put(out, name);
	fputs("</h2>\n", out);
	put_vip_info(out, v, &now->vips[i], psv, b);
	put_vip_charts(out, v, name, b);
	put_backends(out, v, &now->vips[i], pv, psv, b);
	fputs("</section>\n", out);
}

static void put_drops(FILE *out, const struct xlb_snapshot *now, const struct base *b)
{
	unsigned int r;
	char id[32];

	fputs("<section id=\"drops\">\n<h2>Drops</h2>\n<table>\n<thead><tr><th>reason</th>"
	      "<th>packets</th><th>packets/s</th><th>packets/s, 10 min</th></tr></thead>\n"
	      "<tbody>\n",
	      out);
	for (r = 0; r < XLB_DROP__MAX; r++) {
		fprintf(out, "<tr class=\"drop\" data-reason=\"%s\"><td class=\"reason\">%s</td>",
			xlb_drop_reason_str(r), xlb_drop_reason_str(r));
		fprintf(out, "<td class=\"count num\">%llu</td><td class=\"rate num\">",
			(unsigned long long)now->global.drop[r]);
		put_rate(out, now->global.drop[r], b->prev ? &b->prev->global.drop[r] : NULL, b);
		fputs("</td><td class=\"chart\">", out);
		snprintf(id, sizeof(id), "drops-%s", xlb_drop_reason_str(r));
		xlb_chart_svg(out, id, "drops", b->hist ? xlb_history_drops(b->hist, r) : NULL,
			      "drops/s");
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody>\n</table>\n</section>\n", out);
}

/*
 * The balancer's other counters (connection table, ICMP, NAT translations both ways), rows of
 * the table `xlb stats` and the metrics take them from, with their rates.
 */
static void put_counters(FILE *out, const struct xlb_snapshot *now, const struct base *b)
{
	const struct xlb_counter *c;
	__u64 v, before;
	size_t i;

	fputs("<section id=\"counters\">\n<h2>Counters</h2>\n<table>\n<thead><tr><th>part</th>"
	      "<th>counter</th><th>packets</th><th>packets/s</th></tr></thead>\n<tbody>\n",
	      out);
	for (i = 0; i < XLB_NROWS(xlb_stats_counters); i++) {
		c = &xlb_stats_counters[i];
		v = xlb_counter_get(c, &now->global);
		before = b->prev ? xlb_counter_get(c, &b->prev->global) : 0;
		fprintf(out, "<tr class=\"counter\" data-key=\"%s\"><td class=\"part\">%s</td>"
			"<td class=\"name\">%s</td><td class=\"count num\">%llu</td>"
			"<td class=\"rate num\">", c->key, c->group, c->phrase, (unsigned long long)v);
		put_rate(out, v, b->prev ? &before : NULL, b);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody>\n</table>\n</section>\n", out);
}

/* The title, the heading and how full the maps are. */
static void put_top(FILE *out, const struct xlb_snapshot *now)
{
	size_t backends, down;

	xlb_snapshot_backends(now, &backends, &down);
	fputs("<title>xlb on ", out);
	xlb_html_put(out, now->dev);
	fputs("</title>\n</head>\n<body>\n<h1>xlb on <span id=\"dev\">", out);
	xlb_html_put(out, now->dev);
	fputs("</span></h1>\n<p id=\"summary\">", out);
	fprintf(out, "VIPs <span id=\"vips-used\">%zu</span> of <span id=\"vips-max\">%u</span>, ",
		now->conf.nvips, now->vips_max);
	fprintf(out, "backends <span id=\"backends-used\">%zu</span> of ", backends);
	fprintf(out, "<span id=\"backends-max\">%u</span>, ", now->backends_max);
	fprintf(out, "flows <span id=\"flows-used\">%u</span> of ", now->flows_used);
	fprintf(out, "<span id=\"flows-max\">%u</span> ", now->flows_max);
	fprintf(out, "(<span id=\"flows-established\">%llu</span> established, ",
		(unsigned long long)now->conn.established);
	fprintf(out, "<span id=\"flows-mib\">%.1f</span> MiB)", (double)now->flows_bytes / (1 << 20));
	if (now->flood)
		fprintf(out, ", <span id=\"flood\">flood</span>: %llu new flows not recorded",
			(unsigned long long)now->conn.capped);
	fputs("</p>\n", out);
}

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

int xlb_status_render(const struct xlb_snapshot *now, const struct xlb_snapshot *prev,
		      const struct xlb_history *hist, FILE *out)
{
	struct base b = {.prev = prev, .hist = hist};
	size_t i;

	if (prev)
		b.dt = seconds_between(&prev->taken, &now->taken);
	fputs(page_head, out);
	put_top(out, now);
	for (i = 0; i < now->conf.nvips; i++)
		put_vip(out, now, i, &b);
	put_drops(out, now, &b);
	put_counters(out, now, &b);
	xlb_status_render_fleet(now, out);
	fputs("</body>\n</html>\n", out);
	return ferror(out) ? -EIO : 0;
}
