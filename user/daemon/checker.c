// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Health checks on the wire. Every probe is in the schedule heap exactly once: while idle
 * keyed by when its next check starts, while a check is in flight by that check's deadline.
 * Sockets are non-blocking and closed with a reset, so checks leave no TIME_WAIT behind.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include "clock_ms.h"
#include "checker.h"
#include "checker_heap.h"
#include "addr.h"
#include "checker_proto.h"

enum phase { IDLE, CONNECTING, SENDING, READING };

struct probe {
	struct xlb_heap_node node; /* first, so a node is its probe */
	__u32 id;
	struct xlb_check_target t;
	enum phase phase;
	int fd;
	__u64 started;
	char buf[XLB_PATH_MAX + XLB_HOST_MAX + 128]; /* the request, then the response */
	size_t len, off; /* request length and bytes sent; then bytes received */
};

struct xlb_checker {
	int epfd, tfd;
	__u64 armed; /* what the timer is set to, 0 = disarmed */
	__u64 rng;
	struct xlb_heap heap;
	struct probe **probes; /* by id */
	__u32 max_id;
	xlb_check_done_fn done;
	void *ctx;
};

/* xorshift64: spreads first checks over their interval. */
static __u32 rand_below(struct xlb_checker *c, __u32 n)
{
	c->rng ^= c->rng << 13;
	c->rng ^= c->rng >> 7;
	c->rng ^= c->rng << 17;
	return n ? c->rng % n : 0;
}

static void arm(struct xlb_checker *c)
{
	struct xlb_heap_node *x = xlb_heap_min(&c->heap);
	struct itimerspec its = {};
	__u64 when = x ? (x->when ? x->when : 1) : 0;

	if (when == c->armed)
		return;
	its.it_value.tv_sec = when / 1000;
	its.it_value.tv_nsec = when % 1000 * 1000000;
	if (!timerfd_settime(c->tfd, TFD_TIMER_ABSTIME, &its, NULL))
		c->armed = when;
}

static void reschedule(struct xlb_checker *c, struct probe *p, __u64 when)
{
	p->node.when = when;
	xlb_heap_update(&c->heap, &p->node);
}

static void drop_socket(struct probe *p)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (p->fd >= 0) {
		setsockopt(p->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(p->fd);
	}
	p->fd = -1;
	p->phase = IDLE;
}

/* Ends the check in flight with err and schedules the next one. */
static void finish(struct xlb_checker *c, struct probe *p, int err)
{
	__u64 next = p->started + p->t.interval_ms, now = xlbd_now_ms();

	drop_socket(p);
	reschedule(c, p, next > now ? next : now + 1);
	c->done(c->ctx, p->id, err);
}

static socklen_t sockaddr_of(const struct xlb_check_target *t, struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (t->addr.family == XLB_FAM_V4) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(t->port);
		s4->sin_addr.s_addr = t->addr.a[0];
		return sizeof(*s4);
	}
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(t->port);
	memcpy(&s6->sin6_addr, t->addr.a, sizeof(s6->sin6_addr));
	return sizeof(*s6);
}

/* Opens and connects p's socket and watches it; 0 or -errno when that fails at once. */
static int open_socket(struct xlb_checker *c, struct probe *p)
{
	struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = p };
	struct sockaddr_storage ss;
	socklen_t sl = sockaddr_of(&p->t, &ss);

	p->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->fd < 0)
		return -errno;
	p->phase = CONNECTING;
	if (connect(p->fd, (struct sockaddr *)&ss, sl) && errno != EINPROGRESS)
		return -errno;
	return epoll_ctl(c->epfd, EPOLL_CTL_ADD, p->fd, &ev) ? -errno : 0;
}

static void start(struct xlb_checker *c, struct probe *p)
{
	int err, n = 0;

	p->started = xlbd_now_ms();
	p->off = 0;
	if (p->t.check == XLB_CHECK_HTTP)
		n = xlb_http_request(p->buf, sizeof(p->buf), p->t.path, p->t.host, &p->t.addr,
				     p->t.port);
	err = n < 0 ? n : open_socket(c, p);
	if (err) {
		finish(c, p, -err); /* a result code: the positive errno */
		return;
	}
	p->len = n;
	reschedule(c, p, p->started + p->t.timeout_ms);
}

static void on_writable(struct xlb_checker *c, struct probe *p)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = p };
	ssize_t n = send(p->fd, p->buf + p->off, p->len - p->off, MSG_NOSIGNAL);

	if (n < 0) {
		if (errno != EAGAIN)
			finish(c, p, errno);
		return;
	}
	p->off += n;
	if (p->off < p->len)
		return;
	p->phase = READING;
	p->len = 0;
	if (epoll_ctl(c->epfd, EPOLL_CTL_MOD, p->fd, &ev))
		finish(c, p, errno);
}

static void on_connected(struct xlb_checker *c, struct probe *p)
{
	socklen_t sl = sizeof(int);
	int err = 0;

	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &sl))
		err = errno;
	if (err || p->t.check == XLB_CHECK_TCP) {
		finish(c, p, err);
		return;
	}
	p->phase = SENDING;
	on_writable(c, p);
}

/* Reads until the status line can be judged; a peer that closes first fails the check. */
static void on_readable(struct xlb_checker *c, struct probe *p)
{
	ssize_t n = recv(p->fd, p->buf + p->len, sizeof(p->buf) - p->len, 0);
	int err, status;

	if (n < 0) {
		if (errno != EAGAIN)
			finish(c, p, errno);
		return;
	}
	if (n == 0) {
		finish(c, p, p->len ? EBADMSG : ENODATA);
		return;
	}
	p->len += n;
	err = xlb_http_status_parse(p->buf, p->len, &status);
	if (err == -EAGAIN && p->len < sizeof(p->buf))
		return;
	finish(c, p, err ? EBADMSG : xlb_http_verdict(status, p->t.status_min, p->t.status_max));
}

static void on_event(struct xlb_checker *c, struct probe *p)
{
	switch (p->phase) {
	case CONNECTING:
		on_connected(c, p);
		break;
	case SENDING:
		on_writable(c, p);
		break;
	case READING:
		on_readable(c, p);
		break;
	case IDLE: /* finished earlier in the same batch of events */
		break;
	}
}

void xlb_checker_run(struct xlb_checker *c)
{
	struct epoll_event ev[64];
	struct xlb_heap_node *x;
	struct probe *p;
	__u64 ticks, now;
	int i, n;

	do {
		n = epoll_wait(c->epfd, ev, 64, 0);
		for (i = 0; i < n; i++)
			if (ev[i].data.ptr)
				on_event(c, ev[i].data.ptr);
			else if (read(c->tfd, &ticks, sizeof(ticks)) < 0) /* clears readiness */
				c->armed = 0;
	} while (n == 64);
	now = xlbd_now_ms();
	while ((x = xlb_heap_min(&c->heap)) && x->when <= now) {
		p = (struct probe *)x;
		if (p->phase == IDLE)
			start(c, p);
		else
			finish(c, p, ETIMEDOUT);
	}
	arm(c);
}

static bool target_eq(const struct xlb_check_target *a, const struct xlb_check_target *b)
{
	return a->check == b->check && !xlb_addr_cmp(&a->addr, &b->addr) && a->port == b->port &&
	       a->interval_ms == b->interval_ms && a->timeout_ms == b->timeout_ms &&
	       a->status_min == b->status_min && a->status_max == b->status_max &&
	       !strncmp(a->path, b->path, sizeof(a->path)) &&
	       !strncmp(a->host, b->host, sizeof(a->host));
}

int xlb_checker_set(struct xlb_checker *c, __u32 id, const struct xlb_check_target *t)
{
	struct probe *p;
	int err;

	if (id >= c->max_id || !t->interval_ms)
		return -EINVAL;
	p = c->probes[id];
	if (p && target_eq(&p->t, t))
		return 0;
	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p)
			return -ENOMEM;
		p->id = id;
		p->fd = -1;
		err = xlb_heap_push(&c->heap, &p->node);
		if (err) {
			free(p);
			return err;
		}
		c->probes[id] = p;
	}
	drop_socket(p);
	p->t = *t;
	reschedule(c, p, xlbd_now_ms() + rand_below(c, t->interval_ms));
	arm(c);
	return 0;
}

void xlb_checker_del(struct xlb_checker *c, __u32 id)
{
	struct probe *p = id < c->max_id ? c->probes[id] : NULL;

	if (!p)
		return;
	drop_socket(p);
	xlb_heap_remove(&c->heap, &p->node);
	free(p);
	c->probes[id] = NULL;
	arm(c);
}

int xlb_checker_fd(const struct xlb_checker *c)
{
	return c->epfd;
}

/* Also frees what xlb_checker_new() built in part: what it did not make yet is NULL or -1. */
void xlb_checker_free(struct xlb_checker *c)
{
	__u32 id;

	if (!c)
		return;
	for (id = 0; id < c->max_id; id++) {
		if (c->probes[id])
			drop_socket(c->probes[id]);
		free(c->probes[id]);
	}
	xlb_heap_free(&c->heap);
	if (c->tfd >= 0)
		close(c->tfd);
	if (c->epfd >= 0)
		close(c->epfd);
	free(c->probes);
	free(c);
}

int xlb_checker_new(__u32 max_id, xlb_check_done_fn done, void *ctx, struct xlb_checker **out)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	struct xlb_checker *c = calloc(1, sizeof(*c));
	struct timespec ts;
	int err = -ENOMEM;

	if (!c)
		return -ENOMEM;
	c->epfd = c->tfd = -1;
	c->probes = calloc(max_id, sizeof(*c->probes));
	if (!c->probes)
		goto free_checker;
	c->max_id = max_id;
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (c->epfd >= 0)
		c->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (c->tfd < 0 || epoll_ctl(c->epfd, EPOLL_CTL_ADD, c->tfd, &ev)) {
		err = -errno;
		goto free_checker;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	c->rng = ((__u64)ts.tv_nsec << 20 ^ (__u64)getpid() << 40 ^ ts.tv_sec) | 1;
	c->done = done;
	c->ctx = ctx;
	*out = c;
	return 0;
free_checker:
	xlb_checker_free(c);
	return err;
}
