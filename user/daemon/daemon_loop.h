/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * xlbd's one thread and one epoll loop: signals through a signalfd, a timerfd that re-reads
 * the running state (and republishes VIP routes) every second, the health checker and the HTTP
 * exporter. Used by xlbd.c.
 */
#ifndef XLBD_LOOP_H
#define XLBD_LOOP_H

#include "daemon_opts.h"

struct xlbd_loop;

/* Blocks the signals the loop takes through its signalfd; call before anything else. */
int xlbd_signals_block(void);
/*
 * Starts the exporter and sets up health checks, VIP routes in route_table (0: none) and the
 * loop's descriptors for in.
 */
int xlbd_loop_start(const struct xlbd_opts *o, struct xlb_instance *in, const char *version,
		    __u32 route_table, struct xlbd_loop **out);
/*
 * Sends READY=1 once the first checks are set up, then runs until SIGTERM or SIGINT (0), or
 * until in is detached or replaced (-ENODEV). Sends STOPPING=1 as it returns.
 */
int xlbd_loop_run(struct xlbd_loop *l);
/* Stops the checks and the exporter; the data plane is left as it is. */
void xlbd_loop_free(struct xlbd_loop *l);

#endif /* XLBD_LOOP_H */
