/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The desired state of one balancer as plain data: VIPs, their settings and backends. The
 * config file parser produces it, `xlb save` prints it, the library reads the running state
 * into it and applies one to the maps. Pure: nothing here touches the kernel.
 */
#ifndef XLB_MODEL_H
#define XLB_MODEL_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "addr.h"
#include "xlb_abi.h"

#define XLB_WEIGHT_MAX 100 /* weights 1-100, as keepalived and cloud balancers take them */
#define XLB_WEIGHT_DEFAULT 1

/*
 * A backend's settings besides its address (backend_settings.h describes each). The structs
 * that hold them take them with XLB_BE_SETTINGS_GROUP, which names them both one by one
 * (b->weight) and as one struct (b->bset) for the code that goes through the table.
 */
#define XLB_BE_SETTINGS_FIELDS                                                                 \
	__u16 weight; /* 0..XLB_WEIGHT_MAX; 0 takes no new flows, like drain */                \
	__u8 mac[6];                                                                           \
	bool has_mac;                                                                          \
	bool drain;                                                                            \
	__u16 port; /* nat: the port the backend listens on, host order; 0 = the VIP's */

struct xlb_be_settings {
	XLB_BE_SETTINGS_FIELDS
};

#define XLB_BE_SETTINGS_GROUP                                                                  \
	union {                                                                                \
		struct xlb_be_settings bset;                                                   \
		struct {                                                                       \
			XLB_BE_SETTINGS_FIELDS                                                 \
		};                                                                             \
	}

struct xlb_be_conf {
	struct xlb_addr addr;
	XLB_BE_SETTINGS_GROUP;
	int line;     /* line in the config file it came from, 0 otherwise */
	/* Running state, filled by the library when read from the maps; ignored on input. */
	__u32 id;     /* backend id, 0 = none */
	bool down;    /* failed health checks */
	__u8 ramp;    /* slow start: percent of weight its table share has, 0 = all (ramp.h) */
};

/*
 * Full NAT's source pool of a nat VIP (`--snat`, `snat:`): n addresses of the VIP's family,
 * 0 for none (LVS-NAT). snat_conf.h parses, prints and compares it.
 */
struct xlb_snat_conf {
	__u32 n;
	struct xlb_addr a[XLB_SNAT_MAX];
};

/*
 * A VIP's settings (vip_settings.h describes each; the pool, a list, is snat_conf.h's). The
 * structs that hold them take them with XLB_VIP_SETTINGS_GROUP, which names them both one by
 * one (v->gue_port) and as one struct (v->set) for the code that goes through the table.
 */
#define XLB_VIP_SETTINGS_FIELDS                                                                \
	__u8 forward;	      /* XLB_FWD_* */                                                  \
	__u8 sched;	      /* XLB_SCHED_* */                                                \
	__u16 gue_port;	      /* host order */                                                 \
	__u8 second_chance;   /* 1: stateless two-hop forwarding (gue only, issue 12) */      \
	__u32 new_flow_limit; /* SYNs admitted per second on each CPU, 0 = no limit */         \
	__u16 nat_tcp_timeout; /* nat: seconds a TCP flow's NAT entry lives unused */         \
	__u16 nat_udp_timeout; /* nat: the same for UDP */                                     \
	__u16 nat_fin_timeout; /* nat: the same once a FIN or RST passed */                    \
	struct xlb_snat_conf snat; /* nat: full NAT's source pool */                           \
	struct xlb_vip_health health; /* checks, and what happens when no backend is up */

struct xlb_vip_settings {
	XLB_VIP_SETTINGS_FIELDS
};

#define XLB_VIP_SETTINGS_GROUP                                                                 \
	union {                                                                                \
		struct xlb_vip_settings set;                                                   \
		struct {                                                                       \
			XLB_VIP_SETTINGS_FIELDS                                                \
		};                                                                             \
	}

struct xlb_vip_conf {
	struct xlb_vip_name name;
	XLB_VIP_SETTINGS_GROUP;
	struct xlb_be_conf *backends;
	size_t nbackends;
	int line;
	__s32 id; /* running VIP id, -1 = none (filled by the library) */
	__u32 table_sig; /* running: the signature of the backends its table was built from */
};

struct xlb_conf {
	struct xlb_vip_conf *vips;
	size_t nvips;
	/* route-table: where xlbd publishes VIP routes (0 = nowhere); read by xlbd only */
	__u32 route_table;
	bool has_route_table;
};

void xlb_conf_free(struct xlb_conf *c);
/* A deep copy into dst (overwritten, not freed first); 0 or -ENOMEM (dst then empty). */
int xlb_conf_copy(struct xlb_conf *dst, const struct xlb_conf *src);
/* Canonical order: VIPs by (family, address, proto, port), each VIP's backends by address. */
void xlb_conf_sort(struct xlb_conf *c);
/* The VIP called n, or NULL. */
struct xlb_vip_conf *xlb_conf_find_vip(const struct xlb_conf *c, const struct xlb_vip_name *n);
/* Whether a is the address of some VIP of c. */
bool xlb_conf_has_addr(const struct xlb_conf *c, const struct xlb_addr *a);
/* A new zeroed VIP at the end of c, or NULL (c unchanged) when memory runs out. */
struct xlb_vip_conf *xlb_conf_add_vip(struct xlb_conf *c);
/* A new zeroed backend at the end of v, or NULL (v unchanged) when memory runs out. */
struct xlb_be_conf *xlb_vip_add_backend(struct xlb_vip_conf *v);
/* v's backend at address a, or NULL (also when v is NULL). */
struct xlb_be_conf *xlb_vip_find_backend(const struct xlb_vip_conf *v, const struct xlb_addr *a);
/*
 * Whether b takes new flows: weighted, not drained, and up (or down too when fail_open: its
 * VIP has none up and fails open). The one rule the tables and the published routes share.
 */
bool xlb_be_takes_flows(const struct xlb_be_conf *b, bool fail_open);
/* Whether some backend of v takes new flows (see xlb_be_takes_flows). */
bool xlb_vip_takes_flows(const struct xlb_vip_conf *v, bool fail_open);

/* A growable list of owned strings. Start from {0}; free with xlb_strv_free(). */
struct xlb_strv {
	char **v;
	size_t n;
};

/* Appends one formatted string; 0 or -ENOMEM. */
int xlb_strv_push(struct xlb_strv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void xlb_strv_free(struct xlb_strv *s);

/* Problems found in a configuration, each with the line it is on (0 = no line known). */
struct xlb_error {
	int line;
	char *msg;
};

struct xlb_errors {
	const char *file; /* printed before each line; borrowed, never freed; NULL = none */
	struct xlb_error *v;
	size_t n;
	bool nomem; /* an xlb_errors_add() failed, so the list is incomplete */
};

/* Records one message; 0 or -ENOMEM (which also sets nomem). */
int xlb_errors_add(struct xlb_errors *e, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Orders the messages by line (then text), the order they are printed in. */
void xlb_errors_sort(struct xlb_errors *e);
/* One per line: "FILE:LINE: message", "FILE: message" without a line, "message" without a file. */
void xlb_errors_print(const struct xlb_errors *e, FILE *out);
void xlb_errors_free(struct xlb_errors *e);

/*
 * Checks c against the rules every configuration must meet: unique VIPs, known protocol,
 * forward and sched, numeric settings in their ranges (vip_settings.h), second-chance only
 * with gue forwarding, unicast VIP and backend addresses and MACs, unique backend addresses
 * within a VIP, weights 0..XLB_WEIGHT_MAX, valid health-check settings (used or not), for dr
 * a MAC on every backend and backends of the VIP's family, at most XLB_MAX_VIPS VIPs and
 * XLB_MAX_BACKENDS - 1 backends in all. Records every violation in errs (at the line of the VIP or backend
 * concerned), then sorts errs. Returns 0, -EINVAL if any rule is broken, or -ENOMEM.
 */
int xlb_conf_validate(const struct xlb_conf *c, struct xlb_errors *errs);

/*
 * Appends to lines what turns running into desired, one change a line in canonical order:
 * "+ vip NAME forward F sched S[ gue-port P][ health C][ slow-start Ds][ new-flow-limit N]"
 * (the settings vip_settings.h shows there) and its backends,
 * "- vip NAME" (its backends go with it), "~ vip NAME FIELD OLD -> NEW",
 * "+ backend NAME ADDR[:PORT] weight W[ mac M][ drain yes]", "~ backend NAME ADDR KEY OLD
 * -> NEW" (weight, mac, drain, port: backend_settings.h), "- backend NAME ADDR". Both
 * must be valid (unique VIPs and backends); neither is modified. 0 or -ENOMEM (lines then
 * holds part of the answer: free it either way).
 */
int xlb_conf_diff(const struct xlb_conf *running, const struct xlb_conf *desired,
		  struct xlb_strv *lines);

#endif /* XLB_MODEL_H */
