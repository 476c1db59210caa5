// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Taking a snapshot of a balancer: its running configuration (xlb_state_read), every VIP's and
 * backend's counters and health, the global counters, and how full its maps are. The
 * connection table is counted in batches, by a walk whose cost per snapshot is bounded.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "fingerprint.h"
#include "node.h"
#include "snapshot.h"
#include "state.h"

#define FLOW_BATCH 4096 /* entries per lookup_batch call: 224 KiB of keys and values */

struct flow_buf {
	struct xlb_flow_key k[FLOW_BATCH];
	struct xlb_flow v[FLOW_BATCH];
};

/* One batch from where w stands; 1 when it reached the end of the map (and w is counted). */
static int flow_batch(int fd, struct xlb_flow_walk *w, struct flow_buf *b)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 n = FLOW_BATCH, next = 0;
	int err;

	err = bpf_map_lookup_batch(fd, w->resume ? &w->cursor : NULL, &next, b->k, b->v, &n, &opts);
	if (err && err != -ENOENT)
		return err;
	w->seen += n;
	w->cursor = next;
	w->resume = true;
	if (!err)
		return 0;
	/* -ENOENT: the last batch, with its entries copied. */
	w->count = w->seen;
	w->counted = true;
	w->seen = 0;
	w->resume = false;
	return 1;
}

/* Advances w by about budget entries, stopping early when a walk completes. */
static int flows_walk(int fd, struct xlb_flow_walk *w, __u32 budget)
{
	struct flow_buf *b = malloc(sizeof(*b));
	__u32 start = w->seen;
	int err = 0;

	if (!b)
		return -ENOMEM;
	while (!err && w->seen - start < budget)
		err = flow_batch(fd, w, b);
	free(b);
	return err < 0 ? err : 0;
}

static int read_flows(const struct xlb_lb *lb, struct xlb_flow_walk *w, __u32 budget,
		      struct xlb_snapshot *s)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	int err;

	err = bpf_obj_get_info_by_fd(lb->maps.flows, &info, &len);
	if (err)
		return err;
	s->flows_max = info.max_entries;
	err = flows_walk(lb->maps.flows, w, budget);
	if (err)
		return err;
	s->flows_used = w->counted ? w->count : w->seen;
	/* Entries that moved while the walk went by can be seen twice. */
	if (s->flows_used > s->flows_max)
		s->flows_used = s->flows_max;
	return 0;
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

static int take(const struct xlb_lb *lb, const char *dev, struct xlb_flow_walk *w, __u32 budget,
		struct xlb_snapshot *s)
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
		err = read_flows(lb, w, budget, s);
	if (err)
		xlb_snapshot_free(s);
	return err;
}

int xlb_snapshot_take(const struct xlb_lb *lb, const char *dev, struct xlb_snapshot *s)
{
	struct xlb_flow_walk w = {};

	return take(lb, dev, &w, UINT_MAX, s);
}

int xlb_snapshot_take_walk(const struct xlb_lb *lb, const char *dev, struct xlb_flow_walk *w,
			   struct xlb_snapshot *s)
{
	return take(lb, dev, w, XLB_FLOW_WALK_STEP, s);
}

int xlb_snapshot_take_counters(const struct xlb_lb *lb, const char *dev, struct xlb_snapshot *s)
{
	struct xlb_flow_walk w = {};

	return take(lb, dev, &w, 0, s); /* a budget of 0 reads no batch */
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
