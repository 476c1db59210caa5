/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * xlb upgrade: the program of the running binary takes over an attached balancer, keeping its
 * maps where their layout is unchanged, migrating them where it changed, and swapping the
 * program in with one update of the pinned bpf_link, so no packet meets no program.
 */
#ifndef XLB_UPGRADE_H
#define XLB_UPGRADE_H

#include <linux/types.h>
#include <stdbool.h>
#include "layout.h"

struct xlb_upgrade {
	struct xlb_layout from;	  /* what the pins recorded (prog 0: no record, made before them) */
	struct xlb_layout to;	  /* this build's */
	__u32 old_prog, new_prog; /* program ids */
	unsigned int kept, migrated, created; /* maps reused, copied into a new map, new */
	char map[32];			      /* the map a refused migration is about */
	__u64 copy_ns;			      /* migrating the maps that changed */
	__u64 swap_ns;			      /* the link's update */
};

/*
 * Upgrades (or downgrades) the balancer on dev to this build's program, under the writers'
 * lock. -ENOENT if dev runs no xlb (or its link is gone), -ESTALE, -ENOLINK or -EOWNERDEAD as
 * xlb_instance_open(); -EPROTONOSUPPORT if the pins' ABI version is another (no migration
 * between meanings); -EPROTO (a type or key changed, or the connection table's layout),
 * -ERANGE (an entry would be lost) or -EOPNOTSUPP with u->map naming the map (or "config",
 * the load-time configuration) that cannot be migrated. On every error the running program, its maps and pins are as they were.
 */
int xlb_instance_upgrade(const char *dev, struct xlb_upgrade *u);

#endif /* XLB_UPGRADE_H */
