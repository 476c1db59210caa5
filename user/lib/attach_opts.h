/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The load-time options `xlb attach` and xlbd share (--mode, --src-v4, --src-v6,
 * --next-hop-mac, --mtu, and attach's sizing options): their names, how each value is parsed
 * and what a bad one is told, and the step from what was given to struct xlb_attach_opts.
 * Pure; used by cli_parse.c and daemon_opts.c, and by cmd_instance.c and daemon_setup.c.
 */
#ifndef XLB_ATTACH_OPTS_H
#define XLB_ATTACH_OPTS_H

#include <stddef.h>
#include "model.h"

enum xlb_aopt {
	XLB_AOPT_MODE,
	XLB_AOPT_SRC_V4,
	XLB_AOPT_SRC_V6,
	XLB_AOPT_NEXT_HOP,
	XLB_AOPT_MTU,
	XLB_AOPT__DAEMON, /* xlbd takes the options above; the ones below are attach's only */
	XLB_AOPT_TABLE_SIZE = XLB_AOPT__DAEMON,
	XLB_AOPT_FLOWS,
	XLB_AOPT_INSERT_LIMIT,
	XLB_AOPT_TTL,
	XLB_AOPT__MAX,
};

/* --NAME of each option. */
extern const char *const xlb_aopt_names[XLB_AOPT__MAX];

struct option;
/* The long options xlb and xlbd both take besides the load-time ones: --interface, --help. */
#define XLB_AOPT_SHARED 2
/*
 * A program's getopt long options into o: --interface ('i') and --help ('h'), its own nown,
 * then the first n load-time options (XLB_AOPT__DAEMON for xlbd's, XLB_AOPT__MAX for
 * attach's), each with value base + its enum xlb_aopt. Returns the slot after them.
 */
struct option *xlb_aopt_long_opts(struct option *o, const struct option *own, size_t nown, int n,
				  int base);

/* What the options say; zero where not given. Held by XLB_ATTACH_ARGS_GROUP, as in model.h. */
#define XLB_ATTACH_ARGS_FIELDS                                                                 \
	bool generic;			/* --mode generic */                                   \
	struct xlb_addr src_v4, src_v6; /* family 0: not given */                              \
	__u8 next_hop[6];                                                                      \
	bool has_next_hop;                                                                     \
	__u32 mtu, table_size, flows, ttl, insert_limit;

struct xlb_attach_args {
	XLB_ATTACH_ARGS_FIELDS
};

#define XLB_ATTACH_ARGS_GROUP                                                                  \
	union {                                                                                \
		struct xlb_attach_args attach;                                                 \
		struct {                                                                       \
			XLB_ATTACH_ARGS_FIELDS                                                 \
		};                                                                             \
	}

/* Option id's value v into a: 0, or EX_DATAERR with a one-line message in err. */
int xlb_aopt_parse(enum xlb_aopt id, const char *v, struct xlb_attach_args *a, char *err,
		   size_t len);

struct xlb_attach_opts;
/* o from a (zero fields take the defaults), and the XLB_GIVEN_* of what a gives. */
void xlb_attach_args_opts(const struct xlb_attach_args *a, struct xlb_attach_opts *o,
			  unsigned int *given);

#endif /* XLB_ATTACH_OPTS_H */
