/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * One consistent reading of a balancer for every view of it (xlb status, vip list and stats, the
 * exporter and the status page): its running configuration with health, every counter summed
 * over CPUs, and how full its maps are. xlb_snapshot_take() reads the maps; everything that
 * renders a snapshot is pure.
 */
#ifndef XLB_SNAPSHOT_H
#define XLB_SNAPSHOT_H

#include <stdbool.h>
#include <time.h>
#include "announce.h"
#include "model.h"

struct xlb_lb;

struct xlb_snap_backend {
	struct xlb_backend_stats st;
	struct xlb_backend_health health;
};

struct xlb_snap_vip {
	struct xlb_vip_stats st;
	struct xlb_snap_backend *backends; /* parallel to conf.vips[i].backends */
	char fingerprint[16];		   /* of its running table (fingerprint.h), "" unknown */
};

struct xlb_snapshot {
	char dev[16];
	struct timespec taken;	  /* CLOCK_MONOTONIC, for rates between two snapshots */
	struct xlb_conf conf;	  /* sorted (xlb_conf_sort), ids and down flags filled */
	struct xlb_snap_vip *vips; /* parallel to conf.vips */
	struct xlb_stats global;
	__u32 flows_used, flows_max;
	__u64 flows_bytes;	   /* memory of the connection table */
	struct xlb_conn_stats conn; /* its counters, summed over CPUs */
	bool flood;		   /* a CPU capped an insert lately (XLB_FLOOD_WINDOW_NS) */
	__u32 vips_max, backends_max;
	bool drained;	/* the node's drain flag (xlb node drain) */
	__u32 route_table; /* where xlbd last published VIP routes, 0 = none */
	const struct xlb_announce_view *announce; /* xlbd's VIP routes; NULL: not shown */
};

/* 0 or -errno; s is then filled (free it with xlb_snapshot_free()), else left empty. */
int xlb_snapshot_take(const struct xlb_lb *lb, const char *dev, struct xlb_snapshot *s);
void xlb_snapshot_free(struct xlb_snapshot *s);

/* The backends of s's VIPs in *used, and how many of them are down in *down. Pure. */
void xlb_snapshot_backends(const struct xlb_snapshot *s, size_t *used, size_t *down);

#endif /* XLB_SNAPSHOT_H */
