// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The backend health state machine: rise/fall thresholds over consecutive results. Pure;
 * xlbd feeds it its check results and writes the counters it keeps to xlb_be_health.
 */
#include "health_fsm.h"

bool xlb_health_pending(bool down, const struct xlb_backend_health *h)
{
	return down && !h->checks_ok && !h->checks_failed && !h->transitions;
}

bool xlb_hfsm_step(struct xlb_hfsm *f, int err, unsigned int rise, unsigned int fall)
{
	bool good = !err, pending = xlb_health_pending(f->down, &f->h);
	unsigned int need = f->down ? rise : fall;

	if (good) {
		f->h.checks_ok++;
	} else {
		f->h.checks_failed++;
		f->h.last_error = err;
	}
	if (pending) {
		f->h.streak = 0;
		f->down = !good;
		return good;
	}
	if (good != f->down) { /* a result that agrees with the current state */
		f->h.streak = 0;
		return false;
	}
	f->h.streak++;
	if (f->h.streak < (need ? need : 1))
		return false;
	f->down = !f->down;
	f->h.streak = 0;
	f->h.transitions++;
	return true;
}
