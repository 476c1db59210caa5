// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The fleet part of /metrics and of the status page. Label values here are addresses and
 * numbers, which need no escaping in either format.
 */
#include "addr.h"
#include "fleet_view.h"

static void family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void render_routes(const struct xlb_announce_view *w, FILE *out)
{
	char addr[XLB_ADDR_STRLEN];
	size_t i;

	family(out, "xlb_announce_waiting", "gauge",
	       "1 while xlbd publishes no VIP route: a VIP's first health round is not done.");
	fprintf(out, "xlb_announce_waiting %d\n", w->waiting);
	family(out, "xlb_announce_route_table", "gauge",
	       "The routing table VIP routes are published in (0: none).");
	fprintf(out, "xlb_announce_route_table %u\n", w->table);
	family(out, "xlb_vip_announced", "gauge",
	       "1 while the VIP address's route is published for BGP, else 0.");
	for (i = 0; i < w->n; i++)
		fprintf(out, "xlb_vip_announced{vip=\"%s\"} %d\n",
			xlb_addr_str(&w->v[i].addr, addr, sizeof(addr)), w->v[i].announced);
	family(out, "xlb_vip_announce_transitions_total", "counter",
	       "Times the VIP address's route was published or withdrawn since xlbd started.");
	for (i = 0; i < w->n; i++)
		fprintf(out, "xlb_vip_announce_transitions_total{vip=\"%s\"} %llu\n",
			xlb_addr_str(&w->v[i].addr, addr, sizeof(addr)),
			(unsigned long long)w->v[i].transitions);
}

/* Without a publisher (outside xlbd) the families are there, as for publishing turned off. */
static const struct xlb_announce_view no_routes;

static void render_fingerprints(const struct xlb_snapshot *s, FILE *out)
{
	const struct xlb_vip_conf *v;
	char addr[XLB_ADDR_STRLEN];
	size_t i;

	family(out, "xlb_vip_table_info", "gauge",
	       "Always 1; fingerprint: a hash of the VIP's running Maglev table by backend address, "
	       "equal on every node given the same backends, weights and scheduler.");
	for (i = 0; i < s->conf.nvips; i++) {
		v = &s->conf.vips[i];
		fprintf(out, "xlb_vip_table_info{vip=\"%s\",port=\"%u\",proto=\"%s\","
			     "fingerprint=\"%s\"} 1\n",
			xlb_addr_str(&v->name.addr, addr, sizeof(addr)), v->name.port,
			xlb_proto_str(v->name.proto), s->vips[i].fingerprint);
	}
}

void xlb_metrics_render_fleet(const struct xlb_snapshot *s, FILE *out)
{
	render_fingerprints(s, out);
	family(out, "xlb_node_drained", "gauge",
	       "1 while the node is drained (xlb node drain): no VIP route is published.");
	fprintf(out, "xlb_node_drained %d\n", s->drained);
	render_routes(s->announce ? s->announce : &no_routes, out);
}

void xlb_status_render_fleet(const struct xlb_snapshot *s, FILE *out)
{
	const struct xlb_announce_view *w = s->announce;
	char addr[XLB_ADDR_STRLEN];
	size_t i;

	fprintf(out, "<section id=\"fleet\">\n<h2>Fleet</h2>\n<p>node <span id=\"node\">%s</span>",
		s->drained ? "drained" : "serving");
	if (!w || !w->table) {
		fputs(", VIP routes not published</p>\n</section>\n", out);
		return;
	}
	fprintf(out, ", VIP routes in table <span id=\"route-table\">%u</span>%s</p>\n", w->table,
		w->waiting ? " (waiting for the first health round)" : "");
	fputs("<table>\n<thead><tr><th>address</th><th>route</th><th>changes</th></tr></thead>\n"
	      "<tbody>\n",
	      out);
	for (i = 0; i < w->n; i++)
		fprintf(out,
			"<tr class=\"route\" data-vip=\"%s\"><td>%s</td><td class=\"state\">%s"
			"</td><td class=\"num\">%llu</td></tr>\n",
			xlb_addr_str(&w->v[i].addr, addr, sizeof(addr)), addr,
			w->v[i].announced ? "published" : "withdrawn",
			(unsigned long long)w->v[i].transitions);
	fputs("</tbody>\n</table>\n</section>\n", out);
}
