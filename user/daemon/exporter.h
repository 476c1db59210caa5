/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The daemon's HTTP side: GET /metrics (Prometheus text format), GET / (the HTML status
 * page), GET /healthz. libmicrohttpd runs without threads of its own: the daemon's epoll
 * loop watches xlb_exporter_fd() and calls xlb_exporter_run() when it is readable or when
 * xlb_exporter_timeout_ms() has passed.
 */
#ifndef XLB_EXPORTER_H
#define XLB_EXPORTER_H

#include <stdbool.h>
#include "announce.h"
#include "state.h"

#define XLB_EXPORTER_PORT 9661

struct xlb_exporter;

struct xlb_exporter_opts {
	const char *listen;	   /* "127.0.0.1:9661" (default), "[::1]:9661", "0.0.0.0:9661" */
	const struct xlb_lb *lb;   /* the maps every page is read from */
	const char *dev;
	const char *version;	   /* for xlb_build_info */
	const struct xlb_announce_view *announce; /* xlbd's VIP routes, or NULL */
};

/* 0 or -errno; *out is the running exporter. */
int xlb_exporter_start(const struct xlb_exporter_opts *o, struct xlb_exporter **out);
int xlb_exporter_fd(const struct xlb_exporter *e);
/* Milliseconds until xlb_exporter_run() is due anyway, -1 for no limit. */
int xlb_exporter_timeout_ms(const struct xlb_exporter *e);
void xlb_exporter_run(struct xlb_exporter *e);
/* Takes a snapshot of the counters into the status page's history; xlbd calls it each second. */
int xlb_exporter_tick(struct xlb_exporter *e);
void xlb_exporter_stop(struct xlb_exporter *e);

#endif /* XLB_EXPORTER_H */
