// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The balancer's set of maps, said once: one row per map (its name in the BPF object and under
 * the pin directory, the member of struct xlb_maps that holds its fd, and its layout), and what
 * is done to the whole set through it: taking fds from a loaded object, pinning, adopting the
 * pins (only those of this layout), closing, and fingerprinting the layout.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xlb_maps.h"

/*
 * The layout of each map, as the BPF definitions in xlb_maps.bpf.h say it (tests/unit checks
 * the two agree): adoption refuses pins that differ, and the fingerprint is made of these.
 */
#define ROW(name, member, type, key, value, max)                                                  \
	{ name, offsetof(struct xlb_maps, member), BPF_MAP_TYPE_##type, sizeof(key),              \
	  sizeof(value), max }

const struct xlb_map_row xlb_map_table[] = {
	ROW(XLB_MAP_VIPS, vips, HASH, struct xlb_vip_key, struct xlb_vip, 2 * XLB_MAX_VIPS),
	ROW(XLB_MAP_VIP_CACHE, vip_cache, ARRAY, __u32, struct xlb_vip_slot, XLB_VIP_CACHE_SLOTS),
	ROW(XLB_MAP_BACKENDS, backends, ARRAY, __u32, struct xlb_backend, XLB_MAX_BACKENDS),
	ROW(XLB_MAP_TABLES, tables, ARRAY_OF_MAPS, __u32, __u32, XLB_MAX_VIPS),
	/* Sized at load for the flows asked for: its size is the instance's, not the layout's. */
	ROW(XLB_MAP_FLOWS, flows, ARRAY, __u32, struct xlb_conn_bucket, 0),
	ROW(XLB_MAP_RUNTIME, runtime, ARRAY, __u32, struct xlb_runtime, 1),
	ROW(XLB_MAP_VIP_STATS, vip_stats, PERCPU_ARRAY, __u32, struct xlb_vip_stats, XLB_MAX_VIPS),
	ROW(XLB_MAP_BE_STATS, be_stats, PERCPU_ARRAY, __u32, struct xlb_backend_stats,
	    XLB_MAX_BACKENDS),
	ROW(XLB_MAP_STATS, stats, PERCPU_ARRAY, __u32, struct xlb_stats, 1),
	ROW(XLB_MAP_VIP_HEALTH, vip_health, ARRAY, __u32, struct xlb_vip_health, XLB_MAX_VIPS),
	ROW(XLB_MAP_BE_HEALTH, be_health, ARRAY, __u32, struct xlb_backend_health,
	    XLB_MAX_BACKENDS),
	ROW(XLB_MAP_VIP_FILTER, vip_filter, ARRAY, __u32, struct xlb_vip_filter, 1),
	ROW(XLB_MAP_CONN_STATS, conn_stats, PERCPU_ARRAY, __u32, struct xlb_conn_stats, 2),
	ROW(XLB_MAP_SYNS, syns, ARRAY, __u32, struct xlb_conn, XLB_SYN_SLOTS),
	ROW(XLB_MAP_VIP_RATE, vip_rate, PERCPU_ARRAY, __u32, __u64, XLB_MAX_VIPS),
	ROW(XLB_MAP_FRAGS, frags, LRU_HASH, struct xlb_frag_key, struct xlb_frag, XLB_FRAG_ENTRIES),
	ROW(XLB_MAP_NAT, nat, LRU_HASH, struct xlb_flow_key, struct xlb_nat, XLB_NAT_ENTRIES),
	ROW(XLB_MAP_SNAT, snat, ARRAY, __u32, struct xlb_snat, XLB_MAX_VIPS),
	ROW(XLB_MAP_NAT_SCRATCH, nat_scratch, PERCPU_ARRAY, __u32, struct xlb_nat_scratch, 1),
	ROW(XLB_MAP_NAT_FRAGS, nat_frags, LRU_HASH, struct xlb_frag_key, struct xlb_nat_frag,
	    XLB_FRAG_ENTRIES),
};

_Static_assert(sizeof(xlb_map_table) / sizeof(xlb_map_table[0]) == XLB_MAP_COUNT,
	       "one row per member of struct xlb_maps");

int *xlb_map_slot(struct xlb_maps *m, const struct xlb_map_row *r)
{
	return (int *)((char *)m + r->slot);
}

void xlb_maps_init(struct xlb_maps *m)
{
	size_t i;

	for (i = 0; i < XLB_MAP_COUNT; i++)
		*xlb_map_slot(m, &xlb_map_table[i]) = -1;
}

int xlb_maps_from_obj(struct bpf_object *obj, struct xlb_maps *m)
{
	struct bpf_map *map;
	size_t i;

	xlb_maps_init(m);
	for (i = 0; i < XLB_MAP_COUNT; i++) {
		map = bpf_object__find_map_by_name(obj, xlb_map_table[i].name);
		if (!map || bpf_map__fd(map) < 0)
			return -ENOENT;
		*xlb_map_slot(m, &xlb_map_table[i]) = bpf_map__fd(map);
	}
	return 0;
}

static int pin_path(char *buf, size_t len, const char *dir, const char *name)
{
	return snprintf(buf, len, "%s/%s", dir, name) >= (int)len ? -ENAMETOOLONG : 0;
}

int xlb_map_pin(struct bpf_object *obj, const char *name, const char *dir)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);
	char path[PATH_MAX];
	int err;

	if (!map)
		return -ENOENT;
	err = pin_path(path, sizeof(path), dir, name);
	return err ? err : bpf_map__pin(map, path);
}

int xlb_maps_pin(struct bpf_object *obj, const char *dir)
{
	size_t i;
	int err;

	for (i = 0; i < XLB_MAP_COUNT; i++) {
		err = xlb_map_pin(obj, xlb_map_table[i].name, dir);
		if (err)
			return err;
	}
	return 0;
}

/* FNV-1a, 32 bits, over n bytes, continuing from h. */
static __u32 fnv(__u32 h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		h = (h ^ *b++) * 16777619u;
	return h;
}

__u32 xlb_maps_fingerprint(const struct xlb_map_row *rows, size_t n)
{
	__u32 h = fnv(2166136261u, &(__u32){ XLB_ABI_VERSION }, sizeof(__u32));
	__u32 shape[4];
	size_t i;

	for (i = 0; i < n; i++) {
		shape[0] = rows[i].type;
		shape[1] = rows[i].key_size;
		shape[2] = rows[i].value_size;
		shape[3] = rows[i].max_entries;
		h = fnv(h, rows[i].name, strlen(rows[i].name) + 1);
		h = fnv(h, shape, sizeof(shape));
	}
	return h;
}

int xlb_map_row_check(int fd, const struct xlb_map_row *r)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (info.type != r->type || info.key_size != r->key_size ||
	    info.value_size != r->value_size ||
	    (r->max_entries && info.max_entries != r->max_entries))
		return -EPROTO;
	return 0;
}

/* Opens row r's pin in dir into *fd and checks its layout: 0 or a negative errno. */
static int adopt_one(const char *dir, const struct xlb_map_row *r, int *fd)
{
	char path[PATH_MAX];
	int err = pin_path(path, sizeof(path), dir, r->name);

	if (err)
		return err;
	*fd = bpf_obj_get(path);
	return *fd < 0 ? -errno : xlb_map_row_check(*fd, r);
}

int xlb_maps_adopt(const char *dir, struct xlb_maps *m)
{
	size_t i;
	int err = 0;

	xlb_maps_init(m);
	for (i = 0; !err && i < XLB_MAP_COUNT; i++)
		err = adopt_one(dir, &xlb_map_table[i], xlb_map_slot(m, &xlb_map_table[i]));
	if (err)
		xlb_maps_close(m);
	return err;
}

void xlb_maps_close(struct xlb_maps *m)
{
	size_t i;
	int *fd;

	for (i = 0; i < XLB_MAP_COUNT; i++) {
		fd = xlb_map_slot(m, &xlb_map_table[i]);
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
	}
}
