// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Userspace side of the connection table (bpf/conn.h): sizing it before load, and finding
 * a flow's entry the way the data plane does, in every CPU's part.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xlb_maps.h"
#include "xlb_hash.h"

int xlb_conns_size(struct bpf_map *conns, __u32 *buckets, __u32 flows)
{
	int ncpu = libbpf_num_possible_cpus();
	__u64 per_cpu;

	if (ncpu < 0)
		return ncpu;
	if (!flows)
		return -EINVAL;
	/* Whole pairs of buckets in every part: as xlb_conns_plan_for(), which says the cost. */
	per_cpu =
	    ((__u64)flows + (__u64)ncpu * XLB_CONN_SLOTS - 1) / ((__u64)ncpu * XLB_CONN_SLOTS);
	per_cpu += per_cpu & 1;
	if (per_cpu * ncpu > UINT32_MAX)
		return -E2BIG;
	*buckets = per_cpu;
	return bpf_map__set_max_entries(conns, per_cpu * ncpu);
}

/* Adds the CPUs' values of key in fd's per-CPU stats to out. */
static int conn_stats_add(int fd, __u32 key, struct xlb_conn_stats *out)
{
	struct xlb_conn_stats *v;
	int c, ncpu = xlb_percpu_get(fd, key, sizeof(*v), (void **)&v);

	if (ncpu < 0)
		return ncpu;
	for (c = 0; c < ncpu; c++) {
		out->used += v[c].used;
		out->established += v[c].established;
		out->recorded += v[c].recorded;
		out->replaced += v[c].replaced;
		out->evicted += v[c].evicted;
		out->turned_away += v[c].turned_away;
		out->cleared += v[c].cleared;
		out->capped += v[c].capped;
		if (v[c].capped_at > out->capped_at)
			out->capped_at = v[c].capped_at;
	}
	free(v);
	return 0;
}

int xlb_conn_stats_read(int fd, struct xlb_conn_stats *out)
{
	int err;

	memset(out, 0, sizeof(*out));
	err = conn_stats_add(fd, 0, out);
	return err ? err : conn_stats_add(fd, XLB_CONN_STATS_USER, out);
}

bool xlb_conns_flood(const struct xlb_conn_stats *st, __u64 now_ns)
{
	return st->capped_at && now_ns - st->capped_at < XLB_FLOOD_WINDOW_NS;
}

int xlb_conns_flood_now(const struct xlb_conn_stats *st, bool *flood)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC_COARSE, &ts))
		return -errno;
	*flood = xlb_conns_flood(st, (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec);
	return 0;
}

int xlb_conns_info(const struct xlb_maps *m, struct xlb_conns_info *out)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	memset(out, 0, sizeof(*out));
	if (bpf_obj_get_info_by_fd(m->flows, &info, &len))
		return -errno;
	out->capacity = (__u64)info.max_entries * XLB_CONN_SLOTS;
	out->bytes = (__u64)info.max_entries * info.value_size;
	return xlb_conn_stats_read(m->conn_stats, &out->st);
}

int xlb_conns_geometry(int fd, __u32 *ncpu, __u32 *per_cpu)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	int n = libbpf_num_possible_cpus();

	if (n <= 0)
		return n ? n : -EINVAL;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (info.value_size != sizeof(struct xlb_conn_bucket) || info.max_entries % (2 * n))
		return -EPROTO;
	*ncpu = n;
	*per_cpu = info.max_entries / n;
	return 0;
}

/* As xlb_conn_find() in BPF: the slot whose tag and whole key match, or -1. */
static int conn_find(const struct xlb_conn_bucket *b, const struct xlb_flow_key *k, __u16 tag)
{
	const struct xlb_conn *e;
	int i;

	for (i = 0; i < XLB_CONN_SLOTS; i++) {
		e = &b->slot[i];
		if (b->tag[i] == tag && e->family == k->family && e->proto == k->proto &&
		    e->sport == k->sport && e->dport == k->dport &&
		    !memcmp(e->src, k->src, sizeof(e->src)) &&
		    !memcmp(e->dst, k->dst, sizeof(e->dst)))
			return i;
	}
	return -1;
}

int xlb_flow_get(const struct xlb_maps *m, const struct xlb_flow_key *k, struct xlb_flow *f)
{
	__u64 h = xlb_conn_hash(k);
	__u32 hash = h >> 32, ncpu = 0, per_cpu = 0, cpu, idx;
	struct xlb_conn_bucket b;
	int err, i;

	err = xlb_conns_geometry(m->flows, &ncpu, &per_cpu);
	if (err)
		return err;
	for (cpu = 0; cpu < 2 * ncpu; cpu++) {
		/* Each CPU's bucket for k, then its pair if the bucket lent it flows. */
		idx = cpu / 2 * per_cpu + (__u32)(((__u64)hash * per_cpu) >> 32);
		if (cpu % 2 && !(b.next & XLB_CONN_SPILL))
			continue;
		idx ^= cpu % 2;
		if (bpf_map_lookup_elem(m->flows, &idx, &b))
			return -errno;
		i = conn_find(&b, k, xlb_conn_tag(h));
		if (i < 0)
			continue;
		f->backend_id = b.slot[i].backend;
		f->gen = b.slot[i].gen;
		f->hash = hash;
		f->established = !!(b.est & (1 << i));
		return 0;
	}
	return -ENOENT;
}
