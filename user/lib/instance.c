// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Attaching the balancer to an interface (load, pin, link), adopting a running one through
 * its pins, the writers' lock, and detaching. The pin directories are pins.c's, the set of
 * maps is maps/xlb_map_table.c's.
 */
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
#include "layout.h"
#include "maglev.h"
#include "netinfo.h"
#include "rodata.h"
#include "xlb.skel.h"

static void set_defaults(struct xlb_cfg *cfg)
{
	if (!cfg->mtu)
		cfg->mtu = XLB_MTU_DEFAULT;
	if (!cfg->table_size)
		cfg->table_size = XLB_TABLE_DEFAULT;
	if (!cfg->ttl)
		cfg->ttl = XLB_TTL_DEFAULT;
}

/* The balancer's maps, its load-time configuration (rodata) and their layout as pins in dir. */
static int pin_all(struct xlb *skel, const char *dir)
{
	struct xlb_layout ours;
	char path[PATH_MAX];
	int err = xlb_maps_pin(skel->obj, dir);

	if (!err)
		err = xlb_pin_path(path, sizeof(path), dir, XLB_PIN_CONFIG);
	if (!err)
		err = bpf_map__pin(skel->maps.rodata, path);
	xlb_layout_ours(&ours);
	return err ? err : xlb_layout_write(dir, &ours);
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
	if (err)
		return err;
	ifindex = xlb_pins_start(XLB_PIN_ROOT, dev, dir, sizeof(dir));
	if (ifindex < 0)
		return ifindex;
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
		err = xlb_pins_link(dir, bpf_program__fd(skel->progs.xlb_xdp), ifindex, o->generic);
	xlb__destroy(skel);
	if (!err)
		return 0;
remove_dir:
	xlb_pins_remove(dir);
	return err;
}

int xlb_instance_detach(const char *dev)
{
	return xlb_pins_detach(XLB_PIN_ROOT, dev);
}

/*
 * The pinned configuration's xlb_cfg: where this build has it when the configuration has this
 * build's size (what the ABI version vouches for), else found by name through its BTF.
 */
static int read_cfg(const char *dir, struct xlb_cfg *cfg)
{
	struct xlb_rodata ro;
	int err;

	err = xlb_rodata_open(dir, &ro);
	if (err)
		return err;
	if (ro.size == sizeof(struct xlb__rodata))
		*cfg = ((const struct xlb__rodata *)ro.data)->xlb_cfg;
	else
		err = xlb_rodata_var(&ro, "xlb_cfg", cfg, sizeof(*cfg));
	xlb_rodata_close(&ro);
	return err;
}

/*
 * Whether dir holds the pins of an xlb whose maps this one cannot use as they are: one from
 * before its own connection table (an LRU hash), or one that recorded another ABI or layout.
 */
static bool other_layout(const char *dir)
{
	struct xlb_layout pins, ours;
	char path[PATH_MAX];

	if (!xlb_pin_path(path, sizeof(path), dir, XLB_MAP_OLD_FLOWS) && !access(path, F_OK))
		return true;
	xlb_layout_ours(&ours);
	return !xlb_layout_read(dir, &pins) && !xlb_layout_same_maps(&pins, &ours);
}

int xlb_instance_open(const char *dev, struct xlb_instance *in)
{
	int err;

	memset(in, 0, sizeof(*in));
	in->lock_fd = -1;
	xlb_maps_init(&in->lb.maps);
	snprintf(in->dev, sizeof(in->dev), "%s", dev);
	err = xlb_pins_find(XLB_PIN_ROOT, dev, in->dir, sizeof(in->dir));
	if (err)
		return err;
	in->lock_fd = open(in->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (in->lock_fd < 0)
		return -errno;
	err = xlb_maps_adopt(in->dir, &in->lb.maps);
	if ((!err || err == -ENOENT) && other_layout(in->dir))
		err = -EPROTO;
	if (!err)
		err = read_cfg(in->dir, &in->cfg);
	if (err) {
		xlb_instance_close(in);
		return err;
	}
	in->lb.table_size = in->cfg.table_size;
	return 0;
}

void xlb_instance_close(struct xlb_instance *in)
{
	xlb_maps_close(&in->lb.maps);
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

int xlb_instance_list(char names[][IF_NAMESIZE], int max)
{
	return xlb_pins_list(XLB_PIN_ROOT, names, max);
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
