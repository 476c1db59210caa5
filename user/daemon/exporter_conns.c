// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The exporter's connections: accepting them and handing them to libmicrohttpd, the bounds per
 * host and in all, and the time a request head may take (see exporter_conns.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include "clock_ms.h"
#include "exporter_conns.h"

#define PAUSE_MS 1000 /* after accept failed for want of descriptors or memory */

struct xlb_conn {
	struct xlb_conn *next, *prev;
	int fd;
	struct sockaddr_storage peer;
	long long waiting_since; /* ms: waiting for a request head since then; 0 while answering */
	bool closing;		 /* shut down here; libmicrohttpd closes it on its next turn */
};

static bool same_host(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	const struct sockaddr_in6 *a6 = (const void *)a, *b6 = (const void *)b;
	const struct sockaddr_in *a4 = (const void *)a, *b4 = (const void *)b;

	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	return a->ss_family == AF_INET6 &&
	       !memcmp(&a6->sin6_addr, &b6->sin6_addr, sizeof(a6->sin6_addr));
}

/* Connections of host (all hosts for NULL) not being closed. */
static unsigned int count_of(const struct xlb_conns *cs, const struct sockaddr_storage *host)
{
	const struct xlb_conn *c;
	unsigned int n = 0;

	for (c = cs->all; c; c = c->next)
		n += !c->closing && (!host || same_host(&c->peer, host));
	return n;
}

/* The connection of host (any for NULL) that has waited longest for its head, or NULL. */
static struct xlb_conn *longest_waiting(const struct xlb_conns *cs,
					const struct sockaddr_storage *host)
{
	struct xlb_conn *c, *best = NULL;

	for (c = cs->all; c; c = c->next)
		if (!c->closing && c->waiting_since && (!host || same_host(&c->peer, host)) &&
		    (!best || c->waiting_since <= best->waiting_since))
			best = c;
	return best;
}

/* Ends c: libmicrohttpd reads its end on the next turn and closes it. */
static void shut(struct xlb_conns *cs, struct xlb_conn *c)
{
	shutdown(c->fd, SHUT_RDWR);
	c->closing = true;
	cs->n--;
}

/*
 * Makes room for a connection from peer, displacing the connection that has waited longest
 * for its head past a bound; false if every one in the way is being answered.
 */
static bool make_room(struct xlb_conns *cs, const struct sockaddr_storage *peer)
{
	struct xlb_conn *c;

	if (count_of(cs, peer) >= XLB_CONNS_PER_HOST) {
		c = longest_waiting(cs, peer);
		if (!c)
			return false;
		shut(cs, c);
	}
	if (cs->n < XLB_CONNS_MAX)
		return true;
	c = longest_waiting(cs, NULL);
	if (c)
		shut(cs, c);
	return c;
}

void xlb_conns_accept(struct xlb_conns *cs)
{
	struct sockaddr_storage peer;
	socklen_t len;
	int i, fd;

	for (i = 0; i < XLB_CONNS_ACCEPT_BATCH; i++) {
		if (cs->n >= XLB_CONNS_MAX && !longest_waiting(cs, NULL))
			return;
		len = sizeof(peer);
		fd = accept4(cs->listen_fd, (struct sockaddr *)&peer, &len,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0 && (errno == EINTR || errno == ECONNABORTED))
			continue;
		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				cs->pause_until = xlbd_now_ms() + PAUSE_MS;
			return;
		}
		if (!make_room(cs, &peer)) {
			close(fd);
			continue;
		}
		/* It closes fd itself when it cannot take it. */
		MHD_add_connection(cs->mhd, fd, (struct sockaddr *)&peer, len);
	}
}

/* Watches the listening socket while a connection could be taken, else leaves it queued. */
static void arm(struct xlb_conns *cs)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = cs->listen_fd};
	bool want = (long long)xlbd_now_ms() >= cs->pause_until &&
		    (cs->n < XLB_CONNS_MAX || longest_waiting(cs, NULL));

	if (want == cs->listening)
		return;
	if (!epoll_ctl(cs->epfd, want ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, cs->listen_fd, &ev))
		cs->listening = want;
}

void xlb_conns_tidy(struct xlb_conns *cs)
{
	long long now = xlbd_now_ms();
	struct xlb_conn *c;

	for (c = cs->all; c; c = c->next)
		if (!c->closing && c->waiting_since && now - c->waiting_since >= XLB_CONNS_HEAD_MS)
			shut(cs, c);
	arm(cs);
}

int xlb_conns_timeout_ms(const struct xlb_conns *cs)
{
	long long now = xlbd_now_ms(), due = LLONG_MAX;
	const struct xlb_conn *c;

	/* Full of connections being answered: libmicrohttpd's timeouts and events end them. */
	if (!cs->listening && cs->pause_until > now)
		due = cs->pause_until;
	for (c = cs->all; c; c = c->next)
		if (!c->closing && c->waiting_since && c->waiting_since + XLB_CONNS_HEAD_MS < due)
			due = c->waiting_since + XLB_CONNS_HEAD_MS;
	if (due == LLONG_MAX)
		return -1;
	return due <= now ? 0 : due - now > INT_MAX ? INT_MAX : (int)(due - now);
}

static void started(struct xlb_conns *cs, struct MHD_Connection *mc, void **ctx)
{
	const union MHD_ConnectionInfo *fd, *addr;
	struct xlb_conn *c = calloc(1, sizeof(*c));

	fd = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);
	addr = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	*ctx = c;
	if (!c)
		return; /* not bounded here, but still closed by libmicrohttpd's idle timeout */
	c->fd = fd ? fd->connect_fd : -1;
	if (addr && addr->client_addr)
		memcpy(&c->peer, addr->client_addr,
		       addr->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
								: sizeof(struct sockaddr_in));
	c->waiting_since = xlbd_now_ms();
	c->next = cs->all;
	if (cs->all)
		cs->all->prev = c;
	cs->all = c;
	cs->n++;
}

static void closed(struct xlb_conns *cs, struct xlb_conn *c)
{
	if (!c)
		return;
	if (c->prev)
		c->prev->next = c->next;
	else
		cs->all = c->next;
	if (c->next)
		c->next->prev = c->prev;
	if (!c->closing)
		cs->n--;
	free(c);
}

void xlb_conns_notify(void *cls, struct MHD_Connection *c, void **socket_context,
		      enum MHD_ConnectionNotificationCode code)
{
	if (code == MHD_CONNECTION_NOTIFY_STARTED)
		started(cls, c, socket_context);
	else if (code == MHD_CONNECTION_NOTIFY_CLOSED)
		closed(cls, *socket_context);
}

static struct xlb_conn *conn_of(struct MHD_Connection *mc)
{
	const union MHD_ConnectionInfo *i;

	i = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return i ? i->socket_context : NULL;
}

void xlb_conns_completed(void *cls, struct MHD_Connection *mc, void **req,
			 enum MHD_RequestTerminationCode toe)
{
	struct xlb_conn *c = conn_of(mc);

	(void)cls;
	(void)req;
	(void)toe;
	if (c)
		c->waiting_since = xlbd_now_ms();
}

void xlb_conns_head_done(struct MHD_Connection *mc)
{
	struct xlb_conn *c = conn_of(mc);

	if (c)
		c->waiting_since = 0;
}

int xlb_conns_init(struct xlb_conns *cs, int listen_fd)
{
	memset(cs, 0, sizeof(*cs));
	cs->listen_fd = listen_fd;
	cs->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (cs->epfd < 0)
		return -errno;
	arm(cs);
	return cs->listening ? 0 : -errno;
}

int xlb_conns_attach(struct xlb_conns *cs, struct MHD_Daemon *mhd)
{
	const union MHD_DaemonInfo *info;
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = -1};

	cs->mhd = mhd;
	info = MHD_get_daemon_info(mhd, MHD_DAEMON_INFO_EPOLL_FD);
	if (!info)
		return -EINVAL;
	return epoll_ctl(cs->epfd, EPOLL_CTL_ADD, info->epoll_fd, &ev) ? -errno : 0;
}

void xlb_conns_fini(struct xlb_conns *cs)
{
	struct xlb_conn *c;

	while ((c = cs->all)) { /* none once libmicrohttpd has stopped and said so */
		cs->all = c->next;
		free(c);
	}
	if (cs->epfd >= 0)
		close(cs->epfd);
	close(cs->listen_fd);
	cs->epfd = -1;
}
