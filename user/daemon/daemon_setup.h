/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * What xlbd does before and besides its loop: one daemon per interface (a lock file), putting
 * xlb on the interface or adopting the running instance, and loading and applying the
 * configuration file as `xlb apply -f` does. Each step logs its own outcome.
 */
#ifndef XLBD_SETUP_H
#define XLBD_SETUP_H

#include "daemon_opts.h"

#define XLBD_RUN_DIR "/run/xlb"

/* Holds /run/xlb/xlbd-DEV.lock for the daemon's life in *fd; -EBUSY if another xlbd has it. */
int xlbd_lock(const char *dev, int *fd);
/*
 * Adopts the xlb running on o->dev (maps, link, connection table and counters as they are),
 * or attaches it first with o->attach as `xlb attach` would (then *attached is true). -errno;
 * *fill_failed says which step of xlb_attach_fill() failed, when one did (-1 otherwise).
 */
int xlbd_instance_up(const struct xlbd_opts *o, struct xlb_instance *in, bool *attached,
		     int *fill_failed);
/* Reads and validates path into c; logs every problem. -EINVAL for a broken file, -errno. */
int xlbd_conf_load(const char *path, struct xlb_conf *c);
/* Where VIP routes go: --route-table, else the file's route-table, else the default. */
__u32 xlbd_route_table(const struct xlbd_opts *o, const struct xlb_conf *c);
/* Applies want (loaded from path) in one transaction under the instance lock; logs the diff. */
int xlbd_conf_apply(struct xlb_instance *in, const char *path, const struct xlb_conf *want);

#endif /* XLBD_SETUP_H */
