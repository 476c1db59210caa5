// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The balancer's set of maps, said once: one row per map (its name in the BPF object and under
 * the pin directory, and the member of struct xlb_maps that holds its fd), and the four things
 * done to the whole set through it: taking fds from a loaded object, pinning, adopting the pins
 * and closing.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xlb_maps.h"

const struct xlb_map_row xlb_map_table[] = {
	{ XLB_MAP_VIPS, offsetof(struct xlb_maps, vips) },
	{ XLB_MAP_BACKENDS, offsetof(struct xlb_maps, backends) },
	{ XLB_MAP_TABLES, offsetof(struct xlb_maps, tables) },
	{ XLB_MAP_FLOWS, offsetof(struct xlb_maps, flows) },
	{ XLB_MAP_RUNTIME, offsetof(struct xlb_maps, runtime) },
	{ XLB_MAP_VIP_STATS, offsetof(struct xlb_maps, vip_stats) },
	{ XLB_MAP_BE_STATS, offsetof(struct xlb_maps, be_stats) },
	{ XLB_MAP_STATS, offsetof(struct xlb_maps, stats) },
	{ XLB_MAP_VIP_HEALTH, offsetof(struct xlb_maps, vip_health) },
	{ XLB_MAP_BE_HEALTH, offsetof(struct xlb_maps, be_health) },
	{ XLB_MAP_VIP_FILTER, offsetof(struct xlb_maps, vip_filter) },
	{ XLB_MAP_CONN_STATS, offsetof(struct xlb_maps, conn_stats) },
	{ XLB_MAP_SYNS, offsetof(struct xlb_maps, syns) },
	{ XLB_MAP_VIP_RATE, offsetof(struct xlb_maps, vip_rate) },
	{ XLB_MAP_FRAGS, offsetof(struct xlb_maps, frags) },
	{ XLB_MAP_NAT, offsetof(struct xlb_maps, nat) },
	{ XLB_MAP_SNAT, offsetof(struct xlb_maps, snat) },
	{ XLB_MAP_NAT_SCRATCH, offsetof(struct xlb_maps, nat_scratch) },
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

int xlb_maps_adopt(const char *dir, struct xlb_maps *m)
{
	char path[PATH_MAX];
	size_t i;
	int *fd, err;

	xlb_maps_init(m);
	for (i = 0; i < XLB_MAP_COUNT; i++) {
		fd = xlb_map_slot(m, &xlb_map_table[i]);
		err = pin_path(path, sizeof(path), dir, xlb_map_table[i].name);
		if (err)
			goto close_all;
		*fd = bpf_obj_get(path);
		if (*fd < 0) {
			err = -errno;
			goto close_all;
		}
	}
	return 0;
close_all:
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
