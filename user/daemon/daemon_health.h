/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * xlbd's health checking of one balancer: which backends to check (read from the running
 * state, so `xlb vip add` and `xlb apply` are followed), their state machines, the results
 * written to xlb_be_health, and the DOWN flags applied as one transaction per loop turn.
 */
#ifndef XLBD_HEALTH_H
#define XLBD_HEALTH_H

#include "instance.h"

struct xlbd_health;

int xlbd_health_new(struct xlb_instance *in, struct xlbd_health **out);
void xlbd_health_free(struct xlbd_health *h);
/* Readable when a check needs xlbd_health_run(). */
int xlbd_health_fd(const struct xlbd_health *h);
/*
 * Reads the running state and follows it: checks new backends (the first sync adopts the
 * DOWN flags and streaks the maps hold), retunes changed VIPs, stops checking removed ones.
 */
int xlbd_health_sync(struct xlbd_health *h);
/* Advances the checks; results go to the state machines and xlb_be_health. */
void xlbd_health_run(struct xlbd_health *h);
/* Applies the state changes gathered since the last flush in one transaction, if any: 1 when
 * it applied some, 0 when there were none, -errno. */
int xlbd_health_flush(struct xlbd_health *h);
/*
 * Whether v's first health round has finished since the daemon started: every backend has a
 * result the state agrees with (one that fails from the start has reached `fall`). VIPs not
 * checked always have.
 */
bool xlbd_health_settled(const struct xlbd_health *h, const struct xlb_vip_conf *v);
/* Backends checked and VIPs they belong to, as of the last sync. */
void xlbd_health_counts(const struct xlbd_health *h, size_t *backends, size_t *vips);

#endif /* XLBD_HEALTH_H */
