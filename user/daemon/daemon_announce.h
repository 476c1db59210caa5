/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * xlbd's VIP routes: a blackhole host route per usable VIP address in one routing table, for
 * BIRD (or any routing daemon) to announce. Routes already there are adopted at start; nothing
 * is published until every VIP's first health round has finished (the announce delay); every
 * change is logged with its reason and counted. Routes stay when the daemon stops.
 */
#ifndef XLBD_ANNOUNCE_H
#define XLBD_ANNOUNCE_H

#include "announce.h"
#include "daemon_health.h"

struct xlbd_announce;

/* Publishes in table (0: nowhere) what the running state of in says, as health allows. */
int xlbd_announce_new(struct xlb_instance *in, const struct xlbd_health *h, __u32 table,
		      struct xlbd_announce **out);
void xlbd_announce_free(struct xlbd_announce *a);
/* Makes the routes match the running state, the node's drain flag and health now. */
void xlbd_announce_run(struct xlbd_announce *a);
/* Moves publishing to table (0: nowhere), withdrawing every route from the old one. */
void xlbd_announce_set_table(struct xlbd_announce *a, __u32 table);
const struct xlb_announce_view *xlbd_announce_view(const struct xlbd_announce *a);

#endif /* XLBD_ANNOUNCE_H */
