// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xlbd: the xlb daemon for one interface. Attaches xlb or adopts the running instance, applies
 * its configuration file, health-checks the backends of every VIP, serves metrics, and keeps
 * the data plane forwarding when it stops. Exits with a sysexits.h code.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include <net/if.h>
#include "exitcode.h"
#include "daemon_log.h"
#include "daemon_loop.h"
#include "daemon_setup.h"

#define XLBD_VERSION "0.1.0"

/* A start that failed leaves the interface as it was: without the xlb it just attached. */
static void undo_attach(const char *dev)
{
	int err = xlb_instance_detach(dev);

	if (err)
		xlbd_log(XLBD_ERR, "Couldn't detach xlb from '%s': %s", dev, strerror(-err));
	else
		xlbd_log(XLBD_INFO, "detached xlb from %s again: the daemon did not start", dev);
}

/* Attaches or adopts dev, applies the file, and serves until told to stop. */
static int run(const struct xlbd_opts *o, const struct xlb_conf *conf)
{
	struct xlbd_loop *loop = NULL;
	struct xlb_instance in;
	int fill_failed, err;
	bool attached;

	err = xlbd_instance_up(o, &in, &attached, &fill_failed);
	if (err)
		return fill_failed == XLB_FILL_NEXT_HOP ? EX_CONFIG : xlb_exit_code(err);
	err = xlbd_loop_start(o, &in, XLBD_VERSION, xlbd_route_table(o, conf), &loop);
	if (!err && o->conf)
		err = xlbd_conf_apply(&in, o->conf, conf);
	if (err) {
		xlbd_loop_free(loop);
		xlb_instance_close(&in);
		if (attached)
			undo_attach(o->dev);
		return xlb_exit_code(err);
	}
	err = xlbd_loop_run(loop);
	xlbd_loop_free(loop);
	if (!err)
		xlbd_log(XLBD_INFO, "stopped health checks and the exporter; data plane left "
			 "forwarding on %s; 'xlb detach %s' stops it", in.dev, in.dev);
	xlb_instance_close(&in);
	return err == -ENODEV ? EX_UNAVAILABLE : err ? xlb_exit_code(err) : EX_OK;
}

int main(int argc, char **argv)
{
	struct xlb_conf conf = {};
	struct xlbd_opts o;
	int lock_fd, ret, err;
	char msg[256];

	ret = xlbd_opts_parse(argc, argv, &o, msg, sizeof(msg));
	if (ret) {
		xlbd_log(XLBD_ERR, "%s", msg);
		fprintf(stderr, "Try 'xlbd --help'.\n");
		return ret;
	}
	if (o.help) {
		xlbd_usage(stdout);
		return EX_OK;
	}
	libbpf_set_print(xlbd_libbpf_print);
	err = xlbd_signals_block();
	if (err) {
		xlbd_log(XLBD_ERR, "Couldn't block signals: %s", strerror(-err));
		return EX_OSERR;
	}
	if (!if_nametoindex(o.dev)) {
		xlbd_log(XLBD_ERR, "Interface '%s' does not exist", o.dev);
		return EX_NOINPUT;
	}
	err = xlbd_lock(o.dev, &lock_fd);
	if (err)
		return err == -EBUSY ? EX_CANTCREAT : EX_OSERR;
	xlbd_log(XLBD_INFO, "xlbd %s starting on %s (pid %d)", XLBD_VERSION, o.dev, getpid());
	/* A broken file stops the start before anything on the interface changes. */
	if (o.conf && xlbd_conf_load(o.conf, &conf))
		ret = EX_CONFIG;
	else
		ret = run(&o, &conf);
	xlb_conf_free(&conf);
	close(lock_fd);
	return ret;
}
