/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The library every writer uses (CLI, daemon, tests): reads a balancer's running state from
 * its maps into the plain model, and applies a desired model as one transaction, deriving
 * each VIP's Maglev table from its backends. Callers hold the instance lock around both.
 */
#ifndef XLB_STATE_H
#define XLB_STATE_H

#include "model.h"
#include "xlb_maps.h"

struct xlb_lb {
	struct xlb_maps maps;
	__u32 table_size; /* Maglev M of the loaded program */
};

/* The running state, with ids and health filled in; free with xlb_conf_free(). */
int xlb_state_read(const struct xlb_lb *lb, struct xlb_conf *out);

/* xlb_state_apply() flags. */
#define XLB_APPLY_HEALTH 0x1 /* want's down flags and ramps are the new health (the daemon's);
			      * without it the running ones are kept (configuration changes) */

/*
 * Makes the maps match want: VIP by VIP its new table built, its backends written and the
 * table swapped in, then VIP entries, and removals last, so every intermediate state forwards
 * consistently. When the running and the desired state do not fit in the maps side by side,
 * what goes is removed first (see state_plan.h). Backends that stay keep their ids (and so
 * their flows). On a failed write the previous state is put back.
 */
int xlb_state_apply(const struct xlb_lb *lb, const struct xlb_conf *want, unsigned int flags);
/* Plans xlb_state_apply(lb, want, 0) without writing: 0, or the error it would stop at first
 * (-ENOSPC: want does not fit). */
int xlb_state_check(const struct xlb_lb *lb, const struct xlb_conf *want);

struct xlb_flows_filter;
/*
 * Forgets the recorded flows f selects (flows.h), *flushed of them; the counters of the table
 * go down by as many (state_flows.c).
 */
int xlb_state_flush_flows(const struct xlb_lb *lb, const struct xlb_flows_filter *f,
			  __u64 *flushed);

#endif /* XLB_STATE_H */
