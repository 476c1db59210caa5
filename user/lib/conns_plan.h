/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Sizing the connection table before attach: what --flows N becomes (whole buckets in every
 * possible CPU's part), the memory that takes, and whether the machine can hold it.
 */
#ifndef XLB_CONNS_PLAN_H
#define XLB_CONNS_PLAN_H

#include <stdbool.h>
#include <linux/types.h>

struct xlb_conns_plan {
	__u64 flows;	 /* flows the table will hold: N rounded up to whole buckets per CPU */
	__u64 bytes;	 /* memory of its buckets, every CPU's part */
	__u64 available; /* memory the system could give: MemAvailable, or less in a cgroup */
};

/* The table for flows entries with ncpu possible CPUs (pure). */
void xlb_conns_plan_for(__u32 flows, __u32 ncpu, struct xlb_conns_plan *p);
/* Whether p leaves a quarter of the available memory to everything else (pure). */
bool xlb_conns_plan_fits(const struct xlb_conns_plan *p);
/*
 * Plans the table of flows entries on this machine: 0, or -ENOMEM when it does not fit (p
 * is filled either way, for the message), or another -errno.
 */
int xlb_conns_plan(__u32 flows, struct xlb_conns_plan *p);

#endif /* XLB_CONNS_PLAN_H */
