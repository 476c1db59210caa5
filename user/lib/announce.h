/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Which VIP addresses a node should publish a route for, and why a route changes: pure rules
 * over the running state (unit-tested). xlbd's publisher (daemon_announce.c) applies them; the
 * exporter and status page show the result (struct xlb_announce_view) and the CLI's
 * `xlb node check` asks the same question for keepalived.
 */
#ifndef XLB_ANNOUNCE_H
#define XLB_ANNOUNCE_H

#include "model.h"

/*
 * Whether v is worth sending traffic to: a backend takes new flows (weight above 0, not
 * drained, not down), or none is up and v fails open (on-all-down: all) to one not drained.
 */
bool xlb_vip_usable(const struct xlb_vip_conf *v);

/* Why an address's route should be there or not (xlb_announce_reason_str() says it). */
enum xlb_announce_reason {
	XLB_ANN_USABLE,	    /* published: a VIP on it has a usable backend */
	XLB_ANN_FAIL_OPEN,  /* published: no backend up, but a VIP on it fails open */
	XLB_ANN_DRAINED,    /* withdrawn: the node is drained */
	XLB_ANN_NO_BACKEND, /* withdrawn: no VIP on it has a usable backend */
	XLB_ANN_NO_VIP,	    /* withdrawn: no VIP on it any more */
	XLB_ANN_OFF,	    /* withdrawn: publishing turned off or moved to another table */
	XLB_ANN__MAX,
};

const char *xlb_announce_reason_str(enum xlb_announce_reason r);
/* Whether a route for address a should be there, given the node's state; *why says why. */
bool xlb_announce_want(const struct xlb_conf *c, const struct xlb_addr *a, bool drained,
		       enum xlb_announce_reason *why);

/* One address as the publisher sees it. */
struct xlb_announce_addr {
	struct xlb_addr addr;
	bool announced;
	__u64 transitions; /* published or withdrawn since the daemon started */
};

/* What xlbd publishes, for /metrics and the status page. */
struct xlb_announce_view {
	__u32 table; /* 0: publishing is off */
	bool drained;
	bool waiting; /* the announce delay: a first health round has not finished */
	size_t n;
	struct xlb_announce_addr v[XLB_MAX_VIPS];
};

/* The view's entry for a, or NULL. */
const struct xlb_announce_addr *xlb_announce_find(const struct xlb_announce_view *w,
						  const struct xlb_addr *a);

#endif /* XLB_ANNOUNCE_H */
