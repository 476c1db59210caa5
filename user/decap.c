// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Attaching, detaching and reading the backends' decap program (bpf/xlb_decap.bpf.c).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/stat.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "decap.h"
#include "instance.h"
#include "xlb_decap.skel.h"
#include "xlb_maps.h"

static int decap_path(char *buf, size_t len, const char *dev, const char *name)
{
	char key[XLB_INSTANCE_KEY_MAX];
	int err = xlb_instance_key(dev, key, sizeof(key));

	if (err)
		return err;
	if (snprintf(buf, len, "%s/%s%s%s", XLB_DECAP_PIN_ROOT, key, name ? "/" : "",
		     name ? name : "") >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

static int pin_and_link(struct xlb_decap *skel, const char *dev, int ifindex, bool generic)
{
	LIBBPF_OPTS(bpf_link_create_opts, lo, .flags = generic ? XDP_FLAGS_SKB_MODE : 0);
	char stats[PATH_MAX], link[PATH_MAX];
	int fd, err;

	err = decap_path(stats, sizeof(stats), dev, XLB_MAP_STATS);
	if (!err)
		err = decap_path(link, sizeof(link), dev, XLB_PIN_LINK);
	if (!err)
		err = bpf_map__pin(skel->maps.xlb_stats, stats);
	if (err)
		return err;
	fd = bpf_link_create(bpf_program__fd(skel->progs.xlb_decap_xdp), ifindex, BPF_XDP, &lo);
	if (fd < 0)
		return -errno;
	err = bpf_obj_pin(fd, link) ? -errno : 0;
	close(fd);
	return err;
}

int xlb_decap_attach(const char *dev, const struct xlb_decap_cfg *cfg, bool generic)
{
	char dir[PATH_MAX];
	struct xlb_decap *skel;
	int ifindex, err;

	err = decap_path(dir, sizeof(dir), dev, NULL);
	if (err)
		return err;
	ifindex = if_nametoindex(dev);
	if (!ifindex)
		return -ENODEV;
	err = xlb_pins_make_dir(XLB_DECAP_PIN_ROOT, dir);
	if (err)
		return err;
	skel = xlb_decap__open();
	err = skel ? 0 : -errno;
	if (!err) {
		skel->rodata->xlb_decap_cfg = *cfg;
		err = xlb_decap__load(skel);
	}
	if (!err)
		err = pin_and_link(skel, dev, ifindex, generic);
	xlb_decap__destroy(skel);
	if (err)
		xlb_decap_detach(dev);
	return err;
}

int xlb_decap_detach(const char *dev)
{
	char dir[PATH_MAX];
	int err, rm;

	err = decap_path(dir, sizeof(dir), dev, NULL);
	if (err)
		return err;
	if (access(dir, F_OK))
		return -errno;
	err = xlb_pins_check(dir, dev);
	if (err == -ESTALE)
		return err;
	rm = xlb_pins_remove(dir);
	return err == -ENOLINK || err == -EOWNERDEAD ? err : rm;
}

int xlb_decap_stats(const char *dev, struct xlb_stats *out)
{
	char path[PATH_MAX];
	int fd, err;

	err = decap_path(path, sizeof(path), dev, NULL);
	if (err)
		return err;
	err = xlb_pins_check(path, dev);
	if (err == -ESTALE || err == -ENOLINK || err == -EOWNERDEAD)
		return err;
	err = decap_path(path, sizeof(path), dev, XLB_MAP_STATS);
	if (err)
		return err;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	err = xlb_stats_read(fd, out);
	close(fd);
	return err;
}
