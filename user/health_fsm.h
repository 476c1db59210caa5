/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The health of one backend as a pure state machine: each check result moves its streak,
 * `fall` failures in a row take an up backend down and `rise` good checks bring a down one
 * back. The counters are the ones xlb_be_health keeps. Used by xlbd; unit-tested.
 */
#ifndef XLB_HEALTH_FSM_H
#define XLB_HEALTH_FSM_H

#include <linux/types.h>
#include <stdbool.h>
#include "xlb_abi.h"

struct xlb_hfsm {
	bool down;
	struct xlb_backend_health h; /* streak counts results against the current state */
};

/*
 * Records one result: err 0 for a good check, otherwise what failed (an errno, or 1000 + an
 * HTTP status), kept in last_error. rise and fall below 1 count as 1. Returns true when the
 * result changed the state (down flipped, transitions counted, streak back to 0).
 */
bool xlb_hfsm_step(struct xlb_hfsm *f, int err, unsigned int rise, unsigned int fall);

#endif /* XLB_HEALTH_FSM_H */
