// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xlbd's setup steps: the per-interface lock file, attach-or-adopt, and configuration files
 * loaded and applied with the same validation and transaction as `xlb apply -f`.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "addr.h"
#include "config.h"
#include "daemon_log.h"
#include "daemon_setup.h"
#include "instance.h"
#include "upgrade.h"

/* Who holds the lock, as its pid file says. */
static void log_holder(int fd, const char *dev, const char *path)
{
	char pid[16] = "";
	ssize_t n = pread(fd, pid, sizeof(pid) - 1, 0);

	pid[n > 0 ? strcspn(pid, "\n") : 0] = '\0';
	xlbd_log(XLBD_ERR, "xlbd already runs on '%s' (pid %s, lock '%s')", dev, pid[0] ? pid : "?",
		 path);
}

int xlbd_lock(const char *dev, int *fd)
{
	char key[XLB_INSTANCE_KEY_MAX], path[XLB_INSTANCE_KEY_MAX + 32];
	int err;

	/* Keyed like the pins: one daemon per interface of each network namespace. */
	err = xlb_instance_key(dev, key, sizeof(key));
	if (err)
		goto fail;
	snprintf(path, sizeof(path), "%s/xlbd-%s.lock", XLBD_RUN_DIR, key);
	if (mkdir(XLBD_RUN_DIR, 0700) && errno != EEXIST) {
		err = -errno;
		goto fail;
	}
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0) {
		err = -errno;
		goto fail;
	}
	if (flock(*fd, LOCK_EX | LOCK_NB)) {
		err = -errno;
		if (err != -EWOULDBLOCK)
			goto close_fd;
		log_holder(*fd, dev, path);
		close(*fd);
		return -EBUSY;
	}
	if (ftruncate(*fd, 0) || dprintf(*fd, "%d\n", getpid()) < 0)
		xlbd_log(XLBD_WARN, "Couldn't write the pid to '%s': %s", path, strerror(errno));
	return 0;
close_fd:
	close(*fd);
fail:
	xlbd_log(XLBD_ERR, "Couldn't lock '%s': %s", path, strerror(-err));
	return err;
}

static void log_attached(const struct xlb_instance *in, bool generic)
{
	struct xlb_addr a4 = { .family = XLB_FAM_V4 }, a6 = { .family = XLB_FAM_V6 };
	char v4[XLB_ADDR_STRLEN], v6[XLB_ADDR_STRLEN], mac[XLB_MAC_STRLEN];

	a4.a[0] = in->cfg.src_v4;
	memcpy(a6.a, in->cfg.src_v6, sizeof(a6.a));
	xlbd_log(XLBD_INFO, "attached xlb to %s (%s mode, source %s and %s, next hop %s, mtu %u)",
		 in->dev, generic ? "generic" : "native", xlb_addr_str(&a4, v4, sizeof(v4)),
		 xlb_addr_str(&a6, v6, sizeof(v6)), xlb_mac_str(in->cfg.next_hop, mac, sizeof(mac)),
		 in->cfg.mtu);
}

static int attach(const struct xlbd_opts *o, int *fill_failed)
{
	struct xlb_attach_opts a;
	enum xlb_fill_step step;
	unsigned int given;
	int err;

	xlb_attach_args_opts(&o->attach, &a, &given);
	err = xlb_attach_fill(o->dev, &a, given, &step);
	if (err) {
		*fill_failed = step;
		if (step == XLB_FILL_MTU)
			xlbd_log(XLBD_ERR, "Couldn't use an MTU of %u on '%s': %s (the device's "
				 "is the most, %u the least)", o->attach.mtu, o->dev,
				 strerror(-err), XLB_MTU_MIN);
		else if (step == XLB_FILL_ADDRS)
			xlbd_log(XLBD_ERR, "Couldn't read the addresses of '%s': %s", o->dev,
				 strerror(-err));
		else
			xlbd_log(XLBD_ERR, "Couldn't find the next hop of '%s': no default gateway "
				 "with a neighbour entry; give --next-hop-mac MAC (see 'ip neigh "
				 "show dev %s')", o->dev, o->dev);
		return err;
	}
	err = xlb_instance_attach(o->dev, &a);
	if (err && err != -EEXIST) /* EEXIST: attached meanwhile by someone else; adopt it */
		xlbd_log(XLBD_ERR, "Couldn't attach xlb to '%s': %s", o->dev, strerror(-err));
	return err == -EEXIST ? 0 : err;
}

static void log_reaped(const char *dir)
{
	xlbd_log(XLBD_WARN, "removed '%s': pins left by a network namespace that no longer exists",
		 dir);
}

/* Why the pins of dev are not adopted but replaced: they describe nothing that still runs. */
static void log_dead_pins(const char *dev, int err)
{
	xlbd_log(XLBD_WARN, "the pins of %s were left by %s: attaching afresh (their state is not "
		 "kept)", dev, err == -ENOLINK ? "an interface of that name that was deleted" :
		 "a network namespace that no longer exists");
}

/* Puts this build's program in place of the attached one, as `xlb upgrade` does, and reopens. */
static int upgrade(const struct xlbd_opts *o, struct xlb_instance *in)
{
	char from[XLB_LAYOUT_STRLEN], to[XLB_LAYOUT_STRLEN];
	struct xlb_upgrade u;
	int err;

	xlb_instance_close(in);
	err = xlb_instance_upgrade(o->dev, &u);
	if (err) {
		xlbd_log(XLBD_ERR, "Couldn't upgrade xlb on '%s'%s%s: %s; nothing was changed",
			 o->dev, u.map[0] ? ": map " : "", u.map, strerror(-err));
		return err;
	}
	xlbd_log(XLBD_INFO, "upgraded xlb on %s: program %u -> %u (%s -> %s); maps: %u kept, "
		 "%u migrated, %u new; swap %llu us", o->dev, u.old_prog, u.new_prog,
		 u.from.prog ? xlb_layout_str(&u.from, from, sizeof(from)) : "no record",
		 xlb_layout_str(&u.to, to, sizeof(to)), u.kept, u.migrated, u.created,
		 (unsigned long long)u.swap_ns / 1000);
	err = xlb_instance_open(o->dev, in);
	if (err)
		xlbd_log(XLBD_ERR, "Couldn't open xlb's maps on '%s': %s", o->dev, strerror(-err));
	return err;
}

int xlbd_instance_up(const struct xlbd_opts *o, struct xlb_instance *in, bool *attached,
		     int *fill_failed)
{
	bool generic = false;
	__u32 prog = 0;
	int err;

	*attached = false;
	*fill_failed = -1;
	xlb_pins_reap(XLB_PIN_ROOT, log_reaped);
	err = xlb_instance_open(o->dev, in);
	if (err == -ENOLINK || err == -EOWNERDEAD)
		log_dead_pins(o->dev, err);
	if (err == -ENOENT || err == -ENOLINK || err == -EOWNERDEAD) {
		err = attach(o, fill_failed);
		if (err)
			return err;
		*attached = true;
		err = xlb_instance_open(o->dev, in);
	}
	if (!*attached && (err == -EPROTO || (!err && !xlb_layout_prog_ours(in->dir))))
		return upgrade(o, in); /* it says what went wrong */
	if (err == -ESTALE)
		xlbd_log(XLBD_ERR, "Couldn't adopt xlb on '%s': its pins drive a renamed interface; "
			 "rename that one back to '%s', or detach it", o->dev, o->dev);
	else if (err == -EPROTO)
		xlbd_log(XLBD_ERR, "Couldn't adopt xlb on '%s': its maps have another layout; "
			 "run 'xlb upgrade %s'", o->dev, o->dev);
	else if (err)
		xlbd_log(XLBD_ERR, "Couldn't open xlb's maps on '%s': %s", o->dev, strerror(-err));
	if (err)
		return err;
	xlb_instance_prog(in, &prog, &generic);
	if (*attached) {
		log_attached(in, generic);
		return 0;
	}
	xlbd_log(XLBD_INFO, "adopted xlb on %s (program %u, %s mode): connection table and "
		 "counters kept", in->dev, prog, generic ? "generic" : "native");
	if (o->any_attach)
		xlbd_log(XLBD_WARN, "load-time options ignored: xlb already runs on %s ('xlb detach "
			 "%s' first to change them)", in->dev, in->dev);
	return 0;
}

int xlbd_conf_load(const char *path, struct xlb_conf *c)
{
	struct xlb_errors errs = {};
	int err;

	err = xlb_conf_load(path, c, &errs);
	if (err && errs.n)
		xlbd_log_errors(&errs);
	else if (err)
		xlbd_log(XLBD_ERR, "Couldn't load '%s': %s", path, strerror(-err));
	xlb_errors_free(&errs);
	return err;
}

__u32 xlbd_route_table(const struct xlbd_opts *o, const struct xlb_conf *c)
{
	return !o->has_route_table && c->has_route_table ? c->route_table : o->route_table;
}

int xlbd_conf_apply(struct xlb_instance *in, const char *path, const struct xlb_conf *want)
{
	struct xlb_strv diff = {};
	struct xlb_conf cur = {};
	size_t i;
	int err;

	err = xlb_instance_lock(in);
	if (err) {
		xlbd_log(XLBD_ERR, "Couldn't lock xlb on '%s': %s", in->dev, strerror(-err));
		return err;
	}
	err = xlb_state_read(&in->lb, &cur);
	if (!err)
		err = xlb_conf_diff(&cur, want, &diff);
	/* Even with no difference: a table a killed writer left unfinished is rebuilt. */
	if (!err)
		err = xlb_state_apply(&in->lb, want, 0);
	xlb_instance_unlock(in);
	if (err)
		xlbd_log(XLBD_ERR, "Couldn't apply '%s' on '%s': %s", path, in->dev, strerror(-err));
	else
		xlbd_log(XLBD_INFO, "applied '%s': %zu change%s", path, diff.n,
			 diff.n == 1 ? "" : "s");
	for (i = 0; !err && i < diff.n; i++)
		xlbd_log(XLBD_INFO, "  %s", diff.v[i]);
	xlb_strv_free(&diff);
	xlb_conf_free(&cur);
	return err;
}
