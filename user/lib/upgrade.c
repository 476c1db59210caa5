// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Upgrading an attached balancer in place (upgrade.h): this build's object is opened with the
 * pinned configuration, each map of the set either reuses the pinned one (same layout) or is
 * made new and filled from it (migrate.c), the new maps are pinned beside the old under
 * temporary names, the link is updated, and only then do the pins change, by renames.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "migrate.h"
#include "pins.h"
#include "rodata.h"
#include "upgrade.h"
#include "xlb_maps.h"
#include "xlb.skel.h"

#define NEW_SUFFIX "_new" /* bpffs refuses names with a dot */

/* What one upgrade holds open: the set's pinned maps (-1: reused or absent) and the link. */
struct upgrade_run {
	const char *dir;
	struct xlb *skel;
	int old[XLB_MAP_COUNT];	   /* pinned maps to migrate from */
	bool fresh[XLB_MAP_COUNT]; /* made by this load: pinned anew */
	int link;
};

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Every variable of the new configuration that the pinned one has, by name. */
static int rodata_carry(struct xlb *skel, const char *dir)
{
	const struct btf *btf = bpf_object__btf(skel->obj);
	const struct btf_var_secinfo *v;
	const struct btf_type *sec;
	struct xlb_rodata old;
	int id, err;
	__u16 i;

	id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	sec = id > 0 ? btf__type_by_id(btf, id) : NULL;
	if (!sec)
		return -ENOENT;
	err = xlb_rodata_open(dir, &old);
	if (err)
		return err;
	if (old.size == sizeof(*skel->rodata)) {
		/* This build's size (the ABI version vouches for the layout): no BTF needed. */
		memcpy(skel->rodata, old.data, old.size);
		xlb_rodata_close(&old);
		return 0;
	}
	v = btf_var_secinfos(sec);
	for (i = 0; !err && i < btf_vlen(sec); i++, v++) {
		err = xlb_rodata_var(
		    &old, btf__name_by_offset(btf, btf__type_by_id(btf, v->type)->name_off),
		    (char *)skel->rodata + v->offset, v->size);
		if (err == -ENOENT)
			err = 0; /* new in this build: its default */
	}
	xlb_rodata_close(&old);
	return err;
}

static bool same_layout(const struct bpf_map *map, const struct bpf_map_info *info)
{
	return bpf_map__type(map) == info->type && bpf_map__key_size(map) == info->key_size &&
	       bpf_map__value_size(map) == info->value_size &&
	       bpf_map__max_entries(map) == info->max_entries &&
	       bpf_map__map_flags(map) == info->map_flags;
}

/*
 * Row i's pinned map: reused by the new object when its layout is the same, else kept open to
 * migrate from. The connection table keeps its size (the instance's), and is never migrated:
 * its buckets are where flows are, and a table that misses them breaks their connections.
 */
static int plan_map(struct upgrade_run *r, size_t i, struct xlb_upgrade *u)
{
	const struct xlb_map_row *row = &xlb_map_table[i];
	struct bpf_map *map = bpf_object__find_map_by_name(r->skel->obj, row->name);
	bool conns = !strcmp(row->name, XLB_MAP_FLOWS);
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	char path[PATH_MAX];
	int fd, err;

	err = map ? xlb_pin_path(path, sizeof(path), r->dir, row->name) : -ENOENT;
	if (err)
		return err;
	fd = bpf_obj_get(path);
	if (fd < 0 && errno == ENOENT && !conns) {
		r->fresh[i] = true; /* new in this build */
		u->created++;
		return 0;
	}
	if (fd < 0)
		return errno == ENOENT ? -EPROTO : -errno;
	err = bpf_obj_get_info_by_fd(fd, &info, &len) ? -errno : 0;
	if (!err && conns)
		err = bpf_map__set_max_entries(map, info.max_entries);
	if (!err && same_layout(map, &info)) {
		err = bpf_map__reuse_fd(map, fd);
		u->kept += !err;
		close(fd);
		return err;
	}
	r->old[i] = fd;
	r->fresh[i] = true;
	u->migrated++;
	return err ? err : conns ? -EPROTO : 0;
}

static int plan_maps(struct upgrade_run *r, struct xlb_upgrade *u)
{
	size_t i;
	int err;

	for (i = 0; i < XLB_MAP_COUNT; i++) {
		err = plan_map(r, i, u);
		if (err) {
			snprintf(u->map, sizeof(u->map), "%s", xlb_map_table[i].name);
			return err;
		}
	}
	return 0;
}

static int migrate_maps(struct upgrade_run *r, struct xlb_upgrade *u)
{
	struct xlb_maps maps;
	struct bpf_map *map;
	__u64 t0 = now_ns();
	size_t i;
	int err;

	for (i = 0; i < XLB_MAP_COUNT; i++) {
		if (r->old[i] < 0)
			continue;
		map = bpf_object__find_map_by_name(r->skel->obj, xlb_map_table[i].name);
		err = xlb_map_migrate(r->old[i], bpf_map__fd(map));
		if (err) {
			snprintf(u->map, sizeof(u->map), "%s", xlb_map_table[i].name);
			return err;
		}
	}
	/* The VIP cache, new in this build or left pinned through a downgrade, agrees with xlb_vips. */
	err = xlb_maps_from_obj(r->skel->obj, &maps);
	if (!err)
		err = xlb_vip_cache_sync(&maps);
	if (err) {
		snprintf(u->map, sizeof(u->map), "%s", XLB_MAP_VIP_CACHE);
		return err;
	}
	u->copy_ns = now_ns() - t0;
	return 0;
}

/* Pins name's new map (or the configuration) as name_new; rename = true moves it over name. */
static int pin_step(const char *dir, const char *name, struct bpf_map *map, bool rename_it)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	int err;

	err = xlb_pin_path(path, sizeof(path), dir, name);
	if (!err && snprintf(tmp, sizeof(tmp), "%s" NEW_SUFFIX, path) >= (int)sizeof(tmp))
		err = -ENAMETOOLONG;
	if (err)
		return err;
	if (rename_it)
		return rename(tmp, path) ? -errno : 0;
	if (!map) {
		unlink(tmp);
		return 0;
	}
	unlink(tmp); /* left by an upgrade that died midway */
	return bpf_obj_pin(bpf_map__fd(map), tmp) ? -errno : 0;
}

/*
 * Step over the maps made by this load and the configuration: pin them as NAME_new (PIN),
 * move them over the old pins (RENAME), or remove the NAME_new pins (DROP).
 */
enum pin_op { PIN, RENAME, DROP };

static int pins_do(struct upgrade_run *r, enum pin_op op)
{
	struct bpf_map *map;
	size_t i;
	int err = 0;

	for (i = 0; !err && i < XLB_MAP_COUNT; i++) {
		if (!r->fresh[i])
			continue;
		map = bpf_object__find_map_by_name(r->skel->obj, xlb_map_table[i].name);
		err =
		    pin_step(r->dir, xlb_map_table[i].name, op == DROP ? NULL : map, op == RENAME);
	}
	if (!err)
		err = pin_step(r->dir, XLB_PIN_CONFIG, op == DROP ? NULL : r->skel->maps.rodata,
			       op == RENAME);
	return err;
}

static int prog_id(int fd, bool link, __u32 *id)
{
	struct bpf_prog_info pi = {};
	struct bpf_link_info li = {};
	__u32 len = link ? sizeof(li) : sizeof(pi);

	if (bpf_obj_get_info_by_fd(fd, link ? (void *)&li : (void *)&pi, &len))
		return -errno;
	*id = link ? li.prog_id : pi.id;
	return 0;
}

/* Load, migrate, pin aside, swap, move the pins: nothing the data plane sees until the swap. */
static int run(struct upgrade_run *r, struct xlb_upgrade *u)
{
	int prog, err;
	__u64 t0;

	err = rodata_carry(r->skel, r->dir);
	if (err)
		snprintf(u->map, sizeof(u->map), "%s", XLB_PIN_CONFIG);
	if (!err)
		err = plan_maps(r, u);
	if (!err)
		err = xlb__load(r->skel);
	if (!err)
		err = migrate_maps(r, u);
	if (!err)
		err = pins_do(r, PIN);
	prog = bpf_program__fd(r->skel->progs.xlb_xdp);
	if (!err) {
		t0 = now_ns();
		err = bpf_link_update(r->link, prog, NULL) ? -errno : 0;
		u->swap_ns = now_ns() - t0;
	}
	if (err) {
		pins_do(r, DROP);
		return err;
	}
	/* The new program runs: from here on the pins follow it. */
	err = pins_do(r, RENAME);
	if (!err)
		err = xlb_layout_write(r->dir, &u->to);
	return err ? err : prog_id(prog, false, &u->new_prog);
}

/* Opens the link and this build's object for dir, whose lock the caller holds. */
static int prepare(struct upgrade_run *r, struct xlb_upgrade *u)
{
	char path[PATH_MAX];
	int err;

	err = xlb_layout_read(r->dir, &u->from);
	if (err == -ENOENT) {
		u->from.abi = 1; /* pins made before the record: ABI 1 */
		err = 0;
	}
	if (!err && u->from.abi != XLB_ABI_VERSION)
		err = -EPROTONOSUPPORT;
	if (!err)
		err = xlb_pin_path(path, sizeof(path), r->dir, XLB_PIN_LINK);
	if (err)
		return err;
	r->link = bpf_obj_get(path);
	if (r->link < 0)
		return -errno;
	err = prog_id(r->link, true, &u->old_prog);
	if (err)
		return err;
	r->skel = xlb__open();
	return r->skel ? 0 : -errno;
}

int xlb_instance_upgrade(const char *dev, struct xlb_upgrade *u)
{
	struct upgrade_run r = {.link = -1};
	char dir[PATH_MAX];
	int lock, err;
	size_t i;

	memset(u, 0, sizeof(*u));
	xlb_layout_ours(&u->to);
	for (i = 0; i < XLB_MAP_COUNT; i++)
		r.old[i] = -1;
	err = xlb_pins_find(XLB_PIN_ROOT, dev, dir, sizeof(dir));
	if (err)
		return err;
	r.dir = dir;
	lock = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lock < 0)
		return -errno;
	err = flock(lock, LOCK_EX) ? -errno : prepare(&r, u);
	if (!err)
		err = run(&r, u);
	xlb__destroy(r.skel);
	for (i = 0; i < XLB_MAP_COUNT; i++)
		if (r.old[i] >= 0)
			close(r.old[i]);
	if (r.link >= 0)
		close(r.link);
	close(lock);
	return err;
}
