// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * A snapshot in the Prometheus text exposition format 0.0.4: each family's # HELP and # TYPE
 * followed by all its samples, names in base units, counters ending in _total, and labels
 * taken from the configuration only (never a client address), their values escaped. Pure.
 */
#include <errno.h>
#include <stddef.h>
#include "addr.h"
#include "fleet_view.h"
#include "health_fsm.h"
#include "metrics.h"
#include "xlb_counters.h"

const char *xlb_drop_reason_str(unsigned int reason)
{
	return reason < XLB_DROP__MAX ? xlb_drop_names[reason] : "?";
}

const char *xlb_xdp_action_str(unsigned int action)
{
	return action < XLB_XDP_ACTIONS ? xlb_action_names[action] : "?";
}

enum be_value {
	BE_UP,
	BE_PENDING,
	BE_WEIGHT,
	BE_RAMP,
	BE_DRAIN,
	BE_TRANSITIONS
};

/* Per-backend families with one sample per backend, after those of xlb_backend_counters. */
static const struct {
	const char *name;
	const char *type;
	const char *help;
	enum be_value what;
} be_families[] = {
    {"xlb_backend_up", "gauge", "Whether the backend passes its health checks (1) or not (0).",
     BE_UP},
    {"xlb_backend_pending", "gauge",
     "Whether the backend waits for its first health check, taking no new flows (1) or not (0).",
     BE_PENDING},
    {"xlb_backend_weight", "gauge", "The backend's configured weight.", BE_WEIGHT},
    {"xlb_backend_ramp_percent", "gauge",
     "Percent of its weight the backend's table share has: under 100 while slow start ramps.",
     BE_RAMP},
    {"xlb_backend_drain", "gauge", "Whether the backend is drained: no new flows (1) or not (0).",
     BE_DRAIN},
    {"xlb_backend_health_transitions_total", "counter",
     "Health state changes of the backend, up to down and down to up.", BE_TRANSITIONS},
};

static void put_label_value(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

static void put_family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{vip="ADDR",port="P",proto="PROTO" with the brace left open for more labels. */
static void put_vip_labels(FILE *out, const char *name, const struct xlb_vip_conf *v)
{
	char addr[XLB_ADDR_STRLEN];

	fprintf(out, "%s{vip=\"", name);
	put_label_value(out, xlb_addr_str(&v->name.addr, addr, sizeof(addr)));
	fprintf(out, "\",port=\"%u\",proto=\"", v->name.port);
	put_label_value(out, xlb_proto_str(v->name.proto));
	fputc('"', out);
}

static void put_be_labels(FILE *out, const char *name, const struct xlb_vip_conf *v,
			  const struct xlb_be_conf *b)
{
	char addr[XLB_ADDR_STRLEN];

	put_vip_labels(out, name, v);
	fputs(",backend=\"", out);
	put_label_value(out, xlb_addr_str(&b->addr, addr, sizeof(addr)));
	fputc('"', out);
}

static void render_vips(const struct xlb_snapshot *s, FILE *out)
{
	const struct xlb_counter *c;
	size_t f, i;

	for (f = 0; f < XLB_NROWS(xlb_vip_counters); f++) {
		c = &xlb_vip_counters[f];
		put_family(out, c->metric, "counter", c->help);
		for (i = 0; i < s->conf.nvips; i++) {
			put_vip_labels(out, c->metric, &s->conf.vips[i]);
			fprintf(out, "} %llu\n",
				(unsigned long long)xlb_counter_get(c, &s->vips[i].st));
		}
	}
}

static void render_backend_counters(const struct xlb_snapshot *s, FILE *out)
{
	const struct xlb_counter *c;
	const struct xlb_vip_conf *v;
	size_t f, i, j;

	for (f = 0; f < XLB_NROWS(xlb_backend_counters); f++) {
		c = &xlb_backend_counters[f];
		put_family(out, c->metric, "counter", c->help);
		for (i = 0; i < s->conf.nvips; i++) {
			v = &s->conf.vips[i];
			for (j = 0; j < v->nbackends; j++) {
				put_be_labels(out, c->metric, v, &v->backends[j]);
				fprintf(out, "} %llu\n",
					(unsigned long long)xlb_counter_get(
						c, &s->vips[i].backends[j].st));
			}
		}
	}
}

static __u64 be_value(enum be_value what, const struct xlb_be_conf *b,
		      const struct xlb_snap_backend *sb)
{
	switch (what) {
	case BE_UP:
		return !b->down;
	case BE_PENDING:
		return xlb_health_pending(b->down, &sb->health);
	case BE_WEIGHT:
		return b->weight;
	case BE_RAMP:
		return b->ramp ? b->ramp : 100;
	case BE_DRAIN:
		return b->drain;
	case BE_TRANSITIONS:
		return sb->health.transitions;
	}
	return 0;
}

static void render_backend_family(const struct xlb_snapshot *s, size_t f, FILE *out)
{
	const struct xlb_vip_conf *v;
	size_t i, j;

	put_family(out, be_families[f].name, be_families[f].type, be_families[f].help);
	for (i = 0; i < s->conf.nvips; i++) {
		v = &s->conf.vips[i];
		for (j = 0; j < v->nbackends; j++) {
			put_be_labels(out, be_families[f].name, v, &v->backends[j]);
			fprintf(out, "} %llu\n",
				(unsigned long long)be_value(be_families[f].what, &v->backends[j],
							     &s->vips[i].backends[j]));
		}
	}
}

static void render_slow_start(const struct xlb_snapshot *s, FILE *out)
{
	static const char name[] = "xlb_vip_slow_start_seconds";
	size_t i;

	put_family(out, name, "gauge",
		   "How long a backend that comes up ramps to its weight; 0 for no slow start.");
	for (i = 0; i < s->conf.nvips; i++) {
		put_vip_labels(out, name, &s->conf.vips[i]);
		fprintf(out, "} %u\n", s->conf.vips[i].health.slow_start_s);
	}
}

static void render_health_checks(const struct xlb_snapshot *s, FILE *out)
{
	static const char name[] = "xlb_backend_health_checks_total";
	const struct xlb_backend_health *h;
	const struct xlb_vip_conf *v;
	size_t i, j;

	put_family(out, name, "counter", "Health checks of the backend, by result.");
	for (i = 0; i < s->conf.nvips; i++) {
		v = &s->conf.vips[i];
		for (j = 0; j < v->nbackends; j++) {
			h = &s->vips[i].backends[j].health;
			put_be_labels(out, name, v, &v->backends[j]);
			fprintf(out, ",result=\"ok\"} %llu\n", (unsigned long long)h->checks_ok);
			put_be_labels(out, name, v, &v->backends[j]);
			fprintf(out, ",result=\"failed\"} %llu\n",
				(unsigned long long)h->checks_failed);
		}
	}
}

/* The counters rows[0..n) of the struct at base that have a metric, one family each. */
static void render_counters(const struct xlb_counter *rows, size_t n, const void *base, FILE *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!rows[i].metric)
			continue;
		put_family(out, rows[i].metric, "counter", rows[i].help);
		fprintf(out, "%s %llu\n", rows[i].metric,
			(unsigned long long)xlb_counter_get(&rows[i], base));
	}
}

static void render_global(const struct xlb_stats *g, FILE *out)
{
	unsigned int i;

	put_family(out, "xlb_drops_total", "counter", "Packets dropped, by reason.");
	for (i = 0; i < XLB_DROP__MAX; i++)
		fprintf(out, "xlb_drops_total{reason=\"%s\"} %llu\n", xlb_drop_names[i],
			(unsigned long long)g->drop[i]);
	put_family(out, "xlb_xdp_actions_total", "counter",
		   "Verdicts the XDP program returned, by action.");
	for (i = 0; i < XLB_XDP_ACTIONS; i++)
		fprintf(out, "xlb_xdp_actions_total{action=\"%s\"} %llu\n", xlb_action_names[i],
			(unsigned long long)g->action[i]);
	render_counters(xlb_stats_counters, XLB_NROWS(xlb_stats_counters), g, out);
}

static void render_maps(const struct xlb_snapshot *s, FILE *out)
{
	size_t backends, down;

	xlb_snapshot_backends(s, &backends, &down);
	put_family(out, "xlb_map_entries", "gauge",
		   "Entries in use in the balancer's maps (flows: as of the last complete count).");
	fprintf(out, "xlb_map_entries{map=\"vips\"} %zu\n", s->conf.nvips);
	fprintf(out, "xlb_map_entries{map=\"backends\"} %zu\n", backends);
	fprintf(out, "xlb_map_entries{map=\"flows\"} %u\n", s->flows_used);
	put_family(out, "xlb_map_capacity", "gauge", "Entries the balancer's maps can hold.");
	fprintf(out, "xlb_map_capacity{map=\"vips\"} %u\n", s->vips_max);
	fprintf(out, "xlb_map_capacity{map=\"backends\"} %u\n", s->backends_max);
	fprintf(out, "xlb_map_capacity{map=\"flows\"} %u\n", s->flows_max);
	put_family(out, "xlb_map_bytes", "gauge",
		   "Memory of the connection table's buckets, every CPU's part.");
	fprintf(out, "xlb_map_bytes{map=\"flows\"} %llu\n", (unsigned long long)s->flows_bytes);
	put_family(out, "xlb_flow_table_established", "gauge",
		   "Connection-table entries that saw a second packet.");
	fprintf(out, "xlb_flow_table_established %llu\n", (unsigned long long)s->conn.established);
	put_family(out, "xlb_flow_table_flood", "gauge",
		   "Whether a CPU refused to record a new flow over its insert limit in the last 2 s.");
	fprintf(out, "xlb_flow_table_flood %d\n", s->flood);
}

int xlb_metrics_render(const struct xlb_snapshot *s, const char *version, FILE *out)
{
	size_t f;

	render_vips(s, out);
	render_slow_start(s, out);
	render_backend_counters(s, out);
	for (f = 0; f < sizeof(be_families) / sizeof(be_families[0]); f++)
		render_backend_family(s, f, out);
	render_health_checks(s, out);
	render_global(&s->global, out);
	render_maps(s, out);
	render_counters(xlb_conn_counters, XLB_NROWS(xlb_conn_counters), &s->conn, out);
	xlb_metrics_render_fleet(s, out);
	put_family(out, "xlb_build_info", "gauge", "The running xlb's version, always 1.");
	fputs("xlb_build_info{version=\"", out);
	put_label_value(out, version ? version : "");
	fputs("\"} 1\n", out);
	return ferror(out) ? -EIO : 0;
}
