// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xlbd's loop. Every turn handles what epoll reports, runs the exporter when it is readable or
 * its timeout has passed, and then applies the health changes of the turn in one transaction.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include "clock_ms.h"
#include "config.h"
#include "daemon_announce.h"
#include "daemon_health.h"
#include "daemon_log.h"
#include "daemon_loop.h"
#include "daemon_notify.h"
#include "daemon_setup.h"
#include "exporter.h"

enum { EV_SIGNAL, EV_TICK, EV_HEALTH, EV_EXPORTER };

struct xlbd_loop {
	const struct xlbd_opts *o;
	struct xlb_instance *in;
	struct xlbd_health *health;
	struct xlbd_announce *ann;
	struct xlb_exporter *exp;
	int epfd, sigfd, tickfd;
	int stop; /* 1 on a stop signal, -ENODEV when the instance went away */
};

static void stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
}

int xlbd_signals_block(void)
{
	sigset_t set;

	stop_signals(&set);
	signal(SIGPIPE, SIG_IGN);
	return sigprocmask(SIG_BLOCK, &set, NULL) ? -errno : 0;
}

/* Whether the pin directory the daemon opened is still the one at its path. */
static bool instance_gone(const struct xlb_instance *in)
{
	struct stat now, ours;

	return stat(in->dir, &now) || fstat(in->lock_fd, &ours) || now.st_ino != ours.st_ino;
}

static void sync_state(struct xlbd_loop *l)
{
	int err;

	if (instance_gone(l->in)) {
		xlbd_log(XLBD_ERR, "xlb was detached from %s: stopping", l->in->dev);
		l->stop = -ENODEV;
		return;
	}
	err = xlbd_health_sync(l->health);
	if (err)
		xlbd_log(XLBD_ERR, "Couldn't read xlb's state on '%s': %s", l->in->dev,
			 strerror(-err));
	xlbd_announce_run(l->ann);
}

static void reload(struct xlbd_loop *l)
{
	const char *path = l->o->conf;
	char msg[64];
	struct xlb_conf want;

	if (!path) {
		xlbd_log(XLBD_INFO, "SIGHUP: no configuration file; re-reading the running state");
		sync_state(l);
		return;
	}
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu", xlbd_now_ms() * 1000ULL);
	xlbd_notify(msg);
	xlbd_log(XLBD_INFO, "SIGHUP: reloading '%s'", path);
	if (!xlbd_conf_load(path, &want)) {
		xlbd_conf_apply(l->in, path, &want);
		xlbd_announce_set_table(l->ann, xlbd_route_table(l->o, &want));
		xlb_conf_free(&want);
	} else {
		xlbd_log(XLBD_WARN, "Couldn't reload '%s': the running configuration is kept", path);
	}
	sync_state(l);
	xlbd_notify("READY=1");
}

static void on_signal(struct xlbd_loop *l)
{
	struct signalfd_siginfo si;

	while (read(l->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			reload(l);
			continue;
		}
		xlbd_log(XLBD_INFO, "SIG%s: stopping", sigabbrev_np(si.ssi_signo));
		l->stop = 1;
	}
}

static void on_tick(struct xlbd_loop *l)
{
	__u64 ticks;
	int err;

	if (read(l->tickfd, &ticks, sizeof(ticks)) != sizeof(ticks))
		return;
	sync_state(l);
	err = xlb_exporter_tick(l->exp);
	if (err)
		xlbd_log(XLBD_WARN, "Couldn't keep the status page's history: %s", strerror(-err));
}

static int watch(struct xlbd_loop *l, int fd, __u32 tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = tag };

	return epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

static int open_fds(struct xlbd_loop *l)
{
	struct itimerspec second = { .it_interval.tv_sec = 1, .it_value.tv_sec = 1 };
	sigset_t set;
	int err;

	stop_signals(&set);
	l->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	l->tickfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->sigfd < 0 || l->tickfd < 0 || l->epfd < 0 ||
	    timerfd_settime(l->tickfd, 0, &second, NULL))
		return -errno;
	err = watch(l, l->sigfd, EV_SIGNAL);
	if (!err)
		err = watch(l, l->tickfd, EV_TICK);
	if (!err)
		err = watch(l, xlbd_health_fd(l->health), EV_HEALTH);
	if (!err)
		err = watch(l, xlb_exporter_fd(l->exp), EV_EXPORTER);
	return err;
}

static void close_fds(struct xlbd_loop *l)
{
	if (l->epfd >= 0)
		close(l->epfd);
	if (l->tickfd >= 0)
		close(l->tickfd);
	if (l->sigfd >= 0)
		close(l->sigfd);
}

static int run(struct xlbd_loop *l)
{
	struct epoll_event ev[8];
	bool exporter_due;
	int i, n, wait_ms;
	__u64 due;

	while (!l->stop) {
		wait_ms = xlb_exporter_timeout_ms(l->exp);
		due = wait_ms < 0 ? 0 : xlbd_now_ms() + wait_ms;
		n = epoll_wait(l->epfd, ev, 8, wait_ms);
		if (n < 0 && errno != EINTR)
			return -errno;
		exporter_due = due && xlbd_now_ms() >= due;
		for (i = 0; i < n; i++) {
			if (ev[i].data.u32 == EV_SIGNAL)
				on_signal(l);
			else if (ev[i].data.u32 == EV_TICK)
				on_tick(l);
			else if (ev[i].data.u32 == EV_HEALTH)
				xlbd_health_run(l->health);
			else
				exporter_due = true;
		}
		if (exporter_due)
			xlb_exporter_run(l->exp);
		if (xlbd_health_flush(l->health) > 0)
			xlbd_announce_run(l->ann);
	}
	return l->stop < 0 ? l->stop : 0;
}

static void log_ready(struct xlbd_loop *l)
{
	size_t nbe, nvips;

	xlbd_health_counts(l->health, &nbe, &nvips);
	xlbd_log(XLBD_INFO, "ready on %s: checking %zu backend%s of %zu VIP%s; HTTP on %s",
		 l->in->dev, nbe, nbe == 1 ? "" : "s", nvips, nvips == 1 ? "" : "s", l->o->listen);
}

/* Also frees what xlbd_loop_start() built in part: what it did not make yet is NULL or -1. */
void xlbd_loop_free(struct xlbd_loop *l)
{
	if (!l)
		return;
	close_fds(l);
	xlb_exporter_stop(l->exp);
	xlbd_announce_free(l->ann);
	xlbd_health_free(l->health);
	free(l);
}

int xlbd_loop_start(const struct xlbd_opts *o, struct xlb_instance *in, const char *version,
		    __u32 route_table, struct xlbd_loop **out)
{
	struct xlb_exporter_opts eo = { .listen = o->listen, .lb = &in->lb, .dev = in->dev,
					.version = version };
	struct xlbd_loop *l = calloc(1, sizeof(*l));
	int err;

	if (!l)
		return -ENOMEM;
	*l = (struct xlbd_loop){ .o = o, .in = in, .epfd = -1, .sigfd = -1, .tickfd = -1 };
	err = xlbd_health_new(in, &l->health);
	if (err) {
		xlbd_log(XLBD_ERR, "Couldn't start health checks: %s", strerror(-err));
		goto free_loop;
	}
	err = xlbd_announce_new(in, l->health, route_table, &l->ann);
	if (err)
		goto free_loop;
	eo.announce = xlbd_announce_view(l->ann);
	err = xlb_exporter_start(&eo, &l->exp);
	if (err) {
		xlbd_log(XLBD_ERR, "Couldn't start the HTTP exporter on '%s': %s", o->listen,
			 strerror(-err));
		goto free_loop;
	}
	err = open_fds(l);
	if (err) {
		xlbd_log(XLBD_ERR, "Couldn't set up the event loop: %s", strerror(-err));
		goto free_loop;
	}
	*out = l;
	return 0;
free_loop:
	xlbd_loop_free(l);
	return err;
}

int xlbd_loop_run(struct xlbd_loop *l)
{
	int err;

	sync_state(l);
	if (xlbd_health_flush(l->health) > 0)
		xlbd_announce_run(l->ann);
	xlbd_notify("READY=1");
	log_ready(l);
	err = run(l);
	if (err && err != -ENODEV)
		xlbd_log(XLBD_ERR, "Couldn't wait for events: %s", strerror(-err));
	xlbd_notify("STOPPING=1");
	return err;
}
