/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * xlbd's health checks on the wire: TCP connects and HTTP GETs to many backends at once, all
 * non-blocking, scheduled by one timerfd and watched by one epoll set whose descriptor the
 * daemon's loop polls (xlb_checker_fd()), calling xlb_checker_run() when it is readable.
 */
#ifndef XLB_CHECKER_H
#define XLB_CHECKER_H

#include "model.h"

/* Where and how one backend is checked. */
struct xlb_check_target {
	__u8 check; /* XLB_CHECK_TCP or XLB_CHECK_HTTP */
	struct xlb_addr addr;
	__u16 port;
	__u32 interval_ms; /* from the start of one check to the start of the next */
	__u32 timeout_ms;  /* less than interval_ms */
	__u16 status_min, status_max;
	char path[XLB_PATH_MAX];
	char host[XLB_HOST_MAX];
};

/* One check's result: err 0 when good, else an errno or XLB_CHECK_ERR_HTTP + status. */
typedef void (*xlb_check_done_fn)(void *ctx, __u32 id, int err);

struct xlb_checker;

/* Checks are named by ids below max_id; done is called from xlb_checker_run() only. */
int xlb_checker_new(__u32 max_id, xlb_check_done_fn done, void *ctx, struct xlb_checker **out);
void xlb_checker_free(struct xlb_checker *c);
int xlb_checker_fd(const struct xlb_checker *c);
/*
 * Checks id against t from now on: a new id's first check starts at a random point of its
 * interval; a changed target drops the check in flight and starts again that way; the same
 * target keeps its schedule. 0, -EINVAL (id out of range) or -errno.
 */
int xlb_checker_set(struct xlb_checker *c, __u32 id, const struct xlb_check_target *t);
/* Stops checking id (nothing is reported for a check in flight). */
void xlb_checker_del(struct xlb_checker *c, __u32 id);
/* Advances every check whose socket is ready, fails late ones, starts due ones. */
void xlb_checker_run(struct xlb_checker *c);

#endif /* XLB_CHECKER_H */
