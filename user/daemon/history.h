/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The last ten minutes of a balancer, kept in xlbd's memory for the status page: for each VIP
 * its packets/s and new flows/s, for each backend its packets/s and since when it is down, and
 * the drops/s of each reason, one sample per snapshot fed (xlbd feeds one a second). Pure: fed
 * plain snapshots, read by the status page renderer and the unit tests.
 */
#ifndef XLB_HISTORY_H
#define XLB_HISTORY_H

#include <stdbool.h>
#include <time.h>
#include "snapshot.h"

#define XLB_HIST_LEN 600 /* samples a series keeps: ten minutes of one a second */

/* A ring of rates, oldest overwritten first; about 2.4 KiB. */
struct xlb_series {
	float v[XLB_HIST_LEN];
	__u32 head; /* where the next sample goes */
	__u32 n;    /* samples held, up to XLB_HIST_LEN */
};

struct xlb_history;

int xlb_history_new(struct xlb_history **out);
void xlb_history_free(struct xlb_history *h);

/*
 * Adds one sample to every series: the rates between the last snapshot fed and s (taken
 * later), at wall-clock time now. A VIP or backend first seen starts its series at the next
 * feed; one that is gone is forgotten. 0 or -ENOMEM (the history then lacks that entry).
 */
int xlb_history_feed(struct xlb_history *h, const struct xlb_snapshot *s, time_t now);

/* Sample i (0 = the oldest held) of a series. */
float xlb_series_at(const struct xlb_series *s, __u32 i);

/* The series of VIP v (as in the snapshots fed: name and id), NULL if none yet. */
const struct xlb_series *xlb_history_vip_pps(const struct xlb_history *h,
					     const struct xlb_vip_conf *v);
const struct xlb_series *xlb_history_vip_new_flows(const struct xlb_history *h,
						   const struct xlb_vip_conf *v);
/* The packets/s and new flows/s of backend b of VIP v, NULL if none yet. */
const struct xlb_series *xlb_history_be_pps(const struct xlb_history *h,
					    const struct xlb_vip_conf *v,
					    const struct xlb_be_conf *b);
const struct xlb_series *xlb_history_be_new_flows(const struct xlb_history *h,
						  const struct xlb_vip_conf *v,
						  const struct xlb_be_conf *b);
/* The drops/s of one reason (enum xlb_drop_reason); NULL for an unknown reason. */
const struct xlb_series *xlb_history_drops(const struct xlb_history *h, unsigned int reason);

/*
 * When backend b of v was first seen down in the current stretch: *since the wall-clock time,
 * *known false when it was down already at the first feed that saw it (so since is a bound).
 * Returns false when the history does not know it down.
 */
bool xlb_history_down_since(const struct xlb_history *h, const struct xlb_vip_conf *v,
			    const struct xlb_be_conf *b, time_t *since, bool *known);

#endif /* XLB_HISTORY_H */
