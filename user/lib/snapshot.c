// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Taking a snapshot of a balancer: its running configuration (xlb_state_read), every VIP's and
 * backend's counters and health, the global counters, and how full its maps are (the
 * connection table by its counters).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "fingerprint.h"
#include "node.h"
#include "snapshot.h"
#include "state.h"

/* How full the connection table is: its counters, not a walk over it (cheap at any size). */
static int read_flows(const struct xlb_lb *lb, struct xlb_snapshot *s)
{
	struct xlb_conns_info ci;
	int err = xlb_conns_info(&lb->maps, &ci);

	if (err)
		return err;
	s->flows_max = ci.capacity;
	s->flows_used = ci.st.used;
	s->flows_bytes = ci.bytes;
	s->conn = ci.st;
	return xlb_conns_flood_now(&ci.st, &s->flood);
}

static int read_vip(const struct xlb_lb *lb, const struct xlb_vip_conf *v, struct xlb_snap_vip *sv)
{
	struct xlb_snap_backend *sb;
	size_t i;
	int err;

	err = xlb_vip_stats_read(&lb->maps, v->id, &sv->st);
	if (!err)
		err = xlb_vip_fingerprint(lb, v, sv->fingerprint);
	if (err || !v->nbackends)
		return err;
	sv->backends = calloc(v->nbackends, sizeof(*sv->backends));
	if (!sv->backends)
		return -ENOMEM;
	for (i = 0; !err && i < v->nbackends; i++) {
		sb = &sv->backends[i];
		err = xlb_backend_stats_read(&lb->maps, v->backends[i].id, &sb->st);
		if (!err)
			err = xlb_be_health_get(&lb->maps, v->backends[i].id, &sb->health);
	}
	return err;
}

static int read_counters(const struct xlb_lb *lb, struct xlb_snapshot *s)
{
	size_t i;
	int err = 0;

	if (s->conf.nvips) {
		s->vips = calloc(s->conf.nvips, sizeof(*s->vips));
		if (!s->vips)
			return -ENOMEM;
	}
	for (i = 0; !err && i < s->conf.nvips; i++)
		err = read_vip(lb, &s->conf.vips[i], &s->vips[i]);
	if (!err)
		err = xlb_stats_read(lb->maps.stats, &s->global);
	return err;
}

static int read_node(const struct xlb_lb *lb, struct xlb_snapshot *s)
{
	struct xlb_runtime rt;
	int err = xlb_node_get(lb, &rt);

	s->drained = !err && (rt.node_flags & XLB_NODE_F_DRAINED);
	s->route_table = err ? 0 : rt.route_table;
	return err;
}

int xlb_snapshot_take(const struct xlb_lb *lb, const char *dev, struct xlb_snapshot *s)
{
	int err;

	memset(s, 0, sizeof(*s));
	snprintf(s->dev, sizeof(s->dev), "%s", dev ? dev : "");
	s->vips_max = XLB_MAX_VIPS;
	s->backends_max = XLB_MAX_BACKENDS - 1; /* id 0 means "none" */
	if (clock_gettime(CLOCK_MONOTONIC, &s->taken))
		return -errno;
	err = xlb_state_read(lb, &s->conf);
	if (err)
		return err;
	xlb_conf_sort(&s->conf);
	err = read_counters(lb, s);
	if (!err)
		err = read_node(lb, s);
	if (!err)
		err = read_flows(lb, s);
	if (err)
		xlb_snapshot_free(s);
	return err;
}

void xlb_snapshot_backends(const struct xlb_snapshot *s, size_t *used, size_t *down)
{
	size_t i, j;

	*used = 0;
	*down = 0;
	for (i = 0; i < s->conf.nvips; i++) {
		*used += s->conf.vips[i].nbackends;
		for (j = 0; j < s->conf.vips[i].nbackends; j++)
			*down += s->conf.vips[i].backends[j].down;
	}
}

void xlb_snapshot_free(struct xlb_snapshot *s)
{
	size_t i;

	for (i = 0; s->vips && i < s->conf.nvips; i++)
		free(s->vips[i].backends);
	free(s->vips);
	xlb_conf_free(&s->conf);
	memset(s, 0, sizeof(*s));
}
