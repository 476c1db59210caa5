/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The exporter's connections (exporter.c only). They are accepted here and handed to
 * libmicrohttpd, whose own listening socket would leave its event set at the connection limit
 * and come back only on a call nothing makes. Here a host holds at most a few of them, all
 * together a bounded number, and a request head must arrive within a few seconds: a new
 * connection past a bound displaces the oldest one still waiting for its head.
 */
#ifndef XLB_EXPORTER_CONNS_H
#define XLB_EXPORTER_CONNS_H

#include <stdbool.h>
#include <microhttpd.h>

#define XLB_CONNS_MAX	   64	/* connections, all hosts together */
#define XLB_CONNS_PER_HOST 8	/* connections of one address */
#define XLB_CONNS_HEAD_MS  5000 /* from connecting, or the last answer, to a whole head */
/* Accepted per turn; libmicrohttpd's limit allows as many more for those being closed. */
#define XLB_CONNS_ACCEPT_BATCH 16

struct xlb_conn;

struct xlb_conns {
	struct MHD_Daemon *mhd;
	int listen_fd;
	int epfd;	       /* the listening socket while there is room, and libmicrohttpd's */
	bool listening;	       /* the listening socket is in epfd */
	struct xlb_conn *all;  /* every connection libmicrohttpd has, newest first */
	unsigned int n;	       /* of them, those not being closed */
	long long pause_until; /* ms: accept failed for want of resources, wait until then */
};

/* Takes over listen_fd (a non-blocking listening socket); 0 or -errno. */
int xlb_conns_init(struct xlb_conns *cs, int listen_fd);
/* Watches mhd's epoll fd too; mhd was started with the callbacks below and cs as their cls. */
int xlb_conns_attach(struct xlb_conns *cs, struct MHD_Daemon *mhd);
void xlb_conns_fini(struct xlb_conns *cs);

/* Accepts what waits (within the bounds) and hands it to libmicrohttpd. */
void xlb_conns_accept(struct xlb_conns *cs);
/*
 * After MHD_run(): closes connections whose head is late and watches the listening socket
 * again when there is room.
 */
void xlb_conns_tidy(struct xlb_conns *cs);
/* Milliseconds until xlb_conns_tidy() has something to do, -1 for nothing. */
int xlb_conns_timeout_ms(const struct xlb_conns *cs);

/* MHD_OPTION_NOTIFY_CONNECTION: keeps the list. */
void xlb_conns_notify(void *cls, struct MHD_Connection *c, void **socket_context,
		      enum MHD_ConnectionNotificationCode code);
/* MHD_OPTION_NOTIFY_COMPLETED: an answer went out, the next head's time starts. */
void xlb_conns_completed(void *cls, struct MHD_Connection *c, void **req,
			 enum MHD_RequestTerminationCode toe);
/* From the access handler's first call: c's head has arrived. */
void xlb_conns_head_done(struct MHD_Connection *c);

#endif /* XLB_EXPORTER_CONNS_H */
