/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Slow start: a backend that comes up on a VIP with a slow start of D seconds takes a growing
 * share of its weight in the VIP's Maglev table, in whole percent, until D has passed. Pure
 * arithmetic and the plan of each second's ramp steps; the library, xlbd and tests use it.
 */
#ifndef XLB_RAMP_H
#define XLB_RAMP_H

#include <linux/types.h>
#include <stdbool.h>
#include "model.h"

#define XLB_SLOW_START_MAX_S 3600 /* an hour: longer is taken for a typo */
#define XLB_RAMP_START	     1	  /* percent of its weight a backend starts its ramp with */
#define XLB_RAMP_SCALE	     100 /* table weights are weight x percent, or x 100 when not ramping */

/*
 * The percent a ramp of duration_s seconds has reached elapsed_ms after it started: it steps
 * at each whole second, 100 x seconds / duration_s, at least XLB_RAMP_START; 0 (the whole
 * weight: the ramp is over) once duration_s seconds have passed, or when duration_s is 0.
 */
__u8 xlb_ramp_pct(__u64 elapsed_ms, __u32 duration_s);

/* The time into a ramp of duration_s at which it reaches pct (to go on from a known step). */
__u64 xlb_ramp_resume_ms(__u8 pct, __u32 duration_s);

/*
 * The weight b's Maglev table entry is built with: weight x XLB_RAMP_SCALE, or weight x ramp
 * while ramping. Scaling every weight alike leaves the table as it was (Maglev takes turns by
 * ratios of weights), so a VIP without a ramp builds the same table as without slow start.
 */
__u32 xlb_ramp_weight(__u16 weight, __u8 ramp);

/* When each backend's ramp started: what xlbd keeps between seconds, by backend id. */
struct xlb_ramp_rec {
	struct xlb_vip_name vip;
	struct xlb_addr addr;
	__u64 t0_ms; /* when its ramp started, on the caller's clock */
	bool set;
};

struct xlb_ramps {
	struct xlb_ramp_rec rec[XLB_MAX_BACKENDS];
};

/*
 * Sets every backend's ramp in c (the running state, ids filled) for time now_ms: without a
 * slow start, 0; a backend down waits at XLB_RAMP_START for the moment it comes up; an up
 * backend with a ramp under way goes on from when it started (a ramp found in the maps, as
 * after a restart, from the time its step implies). Returns true when any ramp changed.
 */
bool xlb_ramps_plan(struct xlb_ramps *r, struct xlb_conf *c, __u64 now_ms);

#endif /* XLB_RAMP_H */
