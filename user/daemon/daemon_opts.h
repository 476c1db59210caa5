/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * xlbd's command line: parsed into struct xlbd_opts without touching the system, and the
 * usage text. Used by xlbd.c.
 */
#ifndef XLBD_OPTS_H
#define XLBD_OPTS_H

#include <stdio.h>
#include "attach_opts.h"
#include "instance.h"

#define XLBD_LISTEN_DEFAULT "127.0.0.1:9661"

struct xlbd_opts {
	const char *dev;
	const char *conf;   /* -c FILE, or NULL */
	const char *listen; /* the exporter's ADDR:PORT */
	__u32 route_table;  /* --route-table: VIP routes go there (0 = nowhere) */
	bool has_route_table; /* given: it wins over the file's route-table */
	bool help;
	/* Load-time settings, used only when xlbd attaches DEV itself. */
	struct xlb_attach_args attach;
	bool any_attach; /* some load-time setting was given */
};

/* 0, or EX_USAGE / EX_DATAERR with a one-line message in err. */
int xlbd_opts_parse(int argc, char **argv, struct xlbd_opts *o, char *err, size_t len);
void xlbd_usage(FILE *out);

#endif /* XLBD_OPTS_H */
