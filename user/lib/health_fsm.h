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
 * A backend pending its first check: down, and never checked. It is how a backend added to a
 * checked VIP starts (the library writes it down), so it takes no new flows before a check
 * has passed; the counters live in xlb_be_health, so a restarted daemon and the CLI see it too.
 */
bool xlb_health_pending(bool down, const struct xlb_backend_health *h);

/*
 * Records one result: err 0 for a good check, otherwise what failed (an errno, or 1000 + an
 * HTTP status), kept in last_error. rise and fall below 1 count as 1. Returns true when the
 * result changed the state (down flipped, transitions counted, streak back to 0). A pending
 * backend's first result decides at once: a good one brings it up (not a transition: it had
 * never been up), a failure leaves it down like any other, to come up after rise good checks.
 */
bool xlb_hfsm_step(struct xlb_hfsm *f, int err, unsigned int rise, unsigned int fall);

#endif /* XLB_HEALTH_FSM_H */
