// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Attaching the balancer to an interface (load, pin, link), adopting a running one through
 * its pins, the writers' lock, and detaching.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "instance.h"
#include "conns_plan.h"
#include "maglev.h"
#include "netinfo.h"
#include "xlb.skel.h"

/* The pinned maps, in struct xlb_maps order. */
static const char *const map_names[] = {
	XLB_MAP_VIPS,	  XLB_MAP_BACKENDS,  XLB_MAP_TABLES,   XLB_MAP_FLOWS,
	XLB_MAP_RUNTIME, XLB_MAP_VIP_STATS, XLB_MAP_BE_STATS, XLB_MAP_STATS,
	XLB_MAP_VIP_HEALTH, XLB_MAP_BE_HEALTH, XLB_MAP_VIP_FILTER, XLB_MAP_CONN_STATS,
};

_Static_assert(sizeof(struct xlb_maps) == sizeof(map_names) / sizeof(map_names[0]) * sizeof(int),
	       "one pin name per map");

static int pin_dir(const char *dev, char *dir, size_t len)
{
	char key[XLB_INSTANCE_KEY_MAX];
	int err = xlb_instance_key(dev, key, sizeof(key));

	if (err)
		return err;
	return snprintf(dir, len, "%s/%s", XLB_PIN_ROOT, key) >= (int)len ? -ENAMETOOLONG : 0;
}

static void set_defaults(struct xlb_cfg *cfg)
{
	if (!cfg->mtu)
		cfg->mtu = XLB_MTU_DEFAULT;
	if (!cfg->table_size)
		cfg->table_size = XLB_TABLE_DEFAULT;
	if (!cfg->ttl)
		cfg->ttl = XLB_TTL_DEFAULT;
}

static int pin_all(struct xlb *skel, const char *dir)
{
	struct bpf_map *maps[] = {
		skel->maps.xlb_vips,	  skel->maps.xlb_backends,	skel->maps.xlb_tables,
		skel->maps.xlb_conns,	  skel->maps.xlb_runtime,	skel->maps.xlb_vip_stats,
		skel->maps.xlb_backend_stats, skel->maps.xlb_stats,	skel->maps.xlb_vip_health,
		skel->maps.xlb_be_health,	skel->maps.xlb_vip_filter, skel->maps.xlb_conn_stats,
	};
	char path[PATH_MAX];
	size_t i;
	int err;

	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		err = xlb_pin_path(path, sizeof(path), dir, map_names[i]);
		if (!err)
			err = bpf_map__pin(maps[i], path);
		if (err)
			return err;
	}
	err = xlb_pin_path(path, sizeof(path), dir, XLB_PIN_CONFIG);
	return err ? err : bpf_map__pin(skel->maps.rodata, path);
}

static int link_and_pin(struct xlb *skel, int ifindex, bool generic, const char *dir)
{
	LIBBPF_OPTS(bpf_link_create_opts, lo, .flags = generic ? XDP_FLAGS_SKB_MODE : 0);
	char path[PATH_MAX];
	int fd, err;

	err = xlb_pin_path(path, sizeof(path), dir, XLB_PIN_LINK);
	if (err)
		return err;
	fd = bpf_link_create(bpf_program__fd(skel->progs.xlb_xdp), ifindex, BPF_XDP, &lo);
	if (fd < 0)
		return -errno;
	err = bpf_obj_pin(fd, path) ? -errno : 0;
	close(fd);
	return err;
}

/*
 * The MTU to hold frames to: the device's unless told (never above it: the link would drop
 * larger encapsulated frames without a word), within XLB_MTU_MIN..XLB_MTU_MAX.
 */
static int fill_mtu(const char *dev, struct xlb_cfg *cfg)
{
	__u32 dev_mtu;
	int err = xlb_if_mtu(dev, &dev_mtu);

	if (err)
		return err;
	if (dev_mtu < XLB_MTU_MIN || (cfg->mtu && cfg->mtu > dev_mtu))
		return -ERANGE;
	if (!cfg->mtu)
		cfg->mtu = dev_mtu < XLB_MTU_MAX ? dev_mtu : XLB_MTU_MAX;
	return 0;
}

int xlb_attach_fill(const char *dev, struct xlb_attach_opts *o, unsigned int given,
		    enum xlb_fill_step *failed)
{
	__be32 v4, v6[4];
	int err;

	*failed = XLB_FILL_TABLE_SIZE;
	if (o->cfg.table_size && !xlb_is_prime(o->cfg.table_size))
		return -EINVAL;
	*failed = XLB_FILL_MTU;
	err = fill_mtu(dev, &o->cfg);
	if (err)
		return err;
	*failed = XLB_FILL_ADDRS;
	err = xlb_if_addrs(dev, &v4, v6);
	if (!err)
		err = xlb_if_mac(dev, o->cfg.if_mac);
	if (err)
		return err;
	if (!(given & XLB_GIVEN_SRC_V4))
		o->cfg.src_v4 = v4;
	if (!(given & XLB_GIVEN_SRC_V6))
		memcpy(o->cfg.src_v6, v6, sizeof(o->cfg.src_v6));
	*failed = XLB_FILL_NEXT_HOP;
	return (given & XLB_GIVEN_NEXT_HOP) ? 0 : xlb_next_hop_mac(dev, o->cfg.next_hop);
}

int xlb_instance_attach(const char *dev, const struct xlb_attach_opts *o)
{
	__u32 flows = o->flows ? o->flows : XLB_FLOWS_DEFAULT;
	struct xlb_conns_plan plan;
	char dir[PATH_MAX];
	int ifindex, err;
	struct xlb *skel;

	err = xlb_conns_plan(flows, &plan);
	if (!err)
		err = pin_dir(dev, dir, sizeof(dir));
	if (err)
		return err;
	ifindex = if_nametoindex(dev);
	if (!ifindex)
		return -ENODEV;
	err = xlb_pins_make_dir(XLB_PIN_ROOT, dir);
	if (err)
		return err;
	skel = xlb__open();
	if (!skel) {
		err = -errno;
		goto remove_dir;
	}
	skel->rodata->xlb_cfg = o->cfg;
	set_defaults((struct xlb_cfg *)&skel->rodata->xlb_cfg);
	skel->rodata->xlb_insert_gap_ns =
	    1000000000ull / (o->insert_limit ? o->insert_limit : XLB_INSERT_LIMIT_DEFAULT);
	err = xlb_conns_size(skel->maps.xlb_conns, &skel->rodata->xlb_conn_buckets, flows);
	if (!err)
		err = xlb__load(skel);
	if (!err)
		err = pin_all(skel, dir);
	if (!err)
		err = link_and_pin(skel, ifindex, o->generic, dir);
	xlb__destroy(skel);
	if (!err)
		return 0;
remove_dir:
	xlb_pins_remove(dir);
	return err;
}

int xlb_instance_detach(const char *dev)
{
	char dir[PATH_MAX];
	int err, rm;

	err = pin_dir(dev, dir, sizeof(dir));
	if (err)
		return err;
	if (access(dir, F_OK))
		return -errno;
	err = xlb_pins_check(dir, dev);
	if (err == -ESTALE)
		return err;
	/* Pins of a deleted interface or namespace go too, and the caller learns which. */
	rm = xlb_pins_remove(dir);
	return err == -ENOLINK || err == -EOWNERDEAD ? err : rm;
}

static int read_cfg(const char *dir, struct xlb_cfg *cfg)
{
	struct xlb__rodata ro;
	char path[PATH_MAX];
	__u32 zero = 0;
	int fd, err;

	err = xlb_pin_path(path, sizeof(path), dir, XLB_PIN_CONFIG);
	if (err)
		return err;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	err = bpf_map_lookup_elem(fd, &zero, &ro) ? -errno : 0;
	close(fd);
	if (!err)
		*cfg = ro.xlb_cfg;
	return err;
}

/* Whether dir holds the pins of an xlb from before its own connection table (an LRU hash). */
static bool old_layout(const char *dir)
{
	char path[PATH_MAX];

	return !xlb_pin_path(path, sizeof(path), dir, XLB_MAP_OLD_FLOWS) && !access(path, F_OK);
}

int xlb_instance_open(const char *dev, struct xlb_instance *in)
{
	char path[PATH_MAX];
	int *fds = (int *)&in->lb.maps;
	size_t i;
	int err;

	memset(in, 0, sizeof(*in));
	in->lock_fd = -1;
	for (i = 0; i < sizeof(map_names) / sizeof(map_names[0]); i++)
		fds[i] = -1;
	err = pin_dir(dev, in->dir, sizeof(in->dir));
	if (err)
		return err;
	snprintf(in->dev, sizeof(in->dev), "%s", dev);
	in->lock_fd = open(in->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (in->lock_fd < 0)
		return errno == ENOENT ? -ENOENT : -errno;
	err = xlb_pins_check(in->dir, dev);
	if (err == -ESTALE || err == -ENOLINK || err == -EOWNERDEAD)
		goto close_all;
	for (i = 0; i < sizeof(map_names) / sizeof(map_names[0]); i++) {
		err = xlb_pin_path(path, sizeof(path), in->dir, map_names[i]);
		if (err)
			goto close_all;
		fds[i] = bpf_obj_get(path);
		if (fds[i] < 0) {
			err = -errno;
			if (err == -ENOENT && old_layout(in->dir))
				err = -EPROTO;
			goto close_all;
		}
	}
	err = read_cfg(in->dir, &in->cfg);
	if (err)
		goto close_all;
	in->lb.table_size = in->cfg.table_size;
	return 0;
close_all:
	xlb_instance_close(in);
	return err;
}

void xlb_instance_close(struct xlb_instance *in)
{
	int *fds = (int *)&in->lb.maps;
	size_t i;

	for (i = 0; i < sizeof(map_names) / sizeof(map_names[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (in->lock_fd >= 0)
		close(in->lock_fd);
	in->lock_fd = -1;
}

int xlb_instance_lock(struct xlb_instance *in)
{
	return flock(in->lock_fd, LOCK_EX) ? -errno : 0;
}

int xlb_instance_unlock(struct xlb_instance *in)
{
	return flock(in->lock_fd, LOCK_UN) ? -errno : 0;
}

/*
 * Whether pin directory name (DEV@NETNS) is this namespace's, and its pins drive DEV; DEV goes
 * to dev.
 */
static bool live_here(const char *name, char *dev)
{
	char key[XLB_INSTANCE_KEY_MAX], dir[PATH_MAX];
	const char *at = strchr(name, '@');

	if (!at || at == name || at - name >= IF_NAMESIZE)
		return false;
	snprintf(dev, IF_NAMESIZE, "%.*s", (int)(at - name), name);
	return !xlb_instance_key(dev, key, sizeof(key)) && !strcmp(key, name) &&
	       !xlb_pin_path(dir, sizeof(dir), XLB_PIN_ROOT, name) && !xlb_pins_check(dir, dev);
}

int xlb_instance_list(char names[][IF_NAMESIZE], int max)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(XLB_PIN_ROOT);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d)) && n < max)
		n += live_here(de->d_name, names[n]);
	closedir(d);
	return n;
}

int xlb_instance_prog(const struct xlb_instance *in, __u32 *prog_id, bool *generic)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int ifindex = if_nametoindex(in->dev);

	if (!ifindex)
		return -ENODEV;
	if (bpf_xdp_query(ifindex, 0, &q))
		return -errno;
	*prog_id = q.prog_id;
	*generic = q.attach_mode == XDP_ATTACHED_SKB;
	return 0;
}
