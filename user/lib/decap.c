// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Attaching, detaching and reading the backends' decap program (bpf/xlb_decap.bpf.c), through
 * the same pin directories and guards as the balancer (pins.c).
 */
#include <errno.h>
#include <limits.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "decap.h"
#include "pins.h"
#include "xlb_decap.skel.h"
#include "xlb_maps.h"

int xlb_decap_attach(const char *dev, const struct xlb_decap_cfg *cfg, bool generic)
{
	char dir[PATH_MAX];
	struct xlb_decap *skel;
	int ifindex, err;

	ifindex = xlb_pins_start(XLB_DECAP_PIN_ROOT, dev, dir, sizeof(dir));
	if (ifindex < 0)
		return ifindex;
	skel = xlb_decap__open();
	err = skel ? 0 : -errno;
	if (!err) {
		skel->rodata->xlb_decap_cfg = *cfg;
		err = xlb_decap__load(skel);
	}
	if (!err)
		err = xlb_map_pin(skel->obj, XLB_MAP_STATS, dir);
	if (!err)
		err = xlb_pins_link(dir, bpf_program__fd(skel->progs.xlb_decap_xdp), ifindex,
				    generic);
	xlb_decap__destroy(skel);
	if (err)
		xlb_pins_remove(dir);
	return err;
}

int xlb_decap_detach(const char *dev)
{
	return xlb_pins_detach(XLB_DECAP_PIN_ROOT, dev);
}

int xlb_decap_stats(const char *dev, struct xlb_stats *out)
{
	char dir[PATH_MAX], path[PATH_MAX];
	int fd, err;

	err = xlb_pins_find(XLB_DECAP_PIN_ROOT, dev, dir, sizeof(dir));
	if (!err)
		err = xlb_pin_path(path, sizeof(path), dir, XLB_MAP_STATS);
	if (err)
		return err;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	err = xlb_stats_read(fd, out);
	close(fd);
	return err;
}
