/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Planning a transaction before its first write (state.c carries it out): which ids the
 * desired state's VIPs and backends get, and whether the maps can hold the old and the new
 * side by side or the removals must go first. Pure: it works on data read beforehand.
 */
#ifndef XLB_STATE_PLAN_H
#define XLB_STATE_PLAN_H

#include <stdbool.h>
#include "model.h"

struct xlb_plan_ids {
	bool vip_used[XLB_MAX_VIPS];	/* VIP ids the transaction must not give a new VIP */
	bool be_kept[XLB_MAX_BACKENDS]; /* backend ids the desired state uses */
	/*
	 * The running and the desired state do not fit side by side: VIPs and backends that go
	 * are removed first (staying VIPs that lose backends get an interim table of those they
	 * keep), and the ids they free are given out again.
	 */
	bool free_first;
};

/*
 * Fills the ids of want's VIPs and backends against cur (the running state, ids filled) and
 * bt (every backend entry, XLB_MAX_BACKENDS of them, ids 1..): running ones keep theirs, new
 * ones get free ones, side by side with everything running if there is room, else free_first.
 * With carry_down, each backend's down flag is the running one (a configuration change does
 * not change health). 0, or -ENOSPC when want alone is over the
 * limits (xlb_conf_validate() refuses such a state).
 */
int xlb_plan_ids(struct xlb_plan_ids *pl, const struct xlb_conf *cur, const struct xlb_backend *bt,
		 struct xlb_conf *want, bool carry_down);

#endif /* XLB_STATE_PLAN_H */
