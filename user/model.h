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
#include "xlb_abi.h"

#define XLB_WEIGHT_MAX 100 /* weights 1-100, as keepalived and cloud balancers take them */
#define XLB_WEIGHT_DEFAULT 1

struct xlb_addr {
	__u8 family; /* XLB_FAM_V4 or XLB_FAM_V6 */
	__u8 pad[3];
	__be32 a[4]; /* IPv4 in a[0], the rest zero */
};

/* What names a VIP: PROTO:ADDR:PORT. */
struct xlb_vip_name {
	struct xlb_addr addr;
	__u16 port; /* host order; 0 = every port */
	__u8 proto; /* IPPROTO_TCP or IPPROTO_UDP */
	__u8 pad;
};

struct xlb_be_conf {
	struct xlb_addr addr;
	__u8 mac[6];
	bool has_mac;
	bool drain;
	__u16 weight; /* 0..XLB_WEIGHT_MAX; 0 takes no new flows, like drain */
	int line;     /* line in the config file it came from, 0 otherwise */
	/* Running state, filled by the library when read from the maps; ignored on input. */
	__u32 id;     /* backend id, 0 = none */
	bool down;    /* failed health checks */
};

struct xlb_vip_conf {
	struct xlb_vip_name name;
	__u8 forward;	/* XLB_FWD_* */
	__u8 sched;	/* XLB_SCHED_* */
	__u16 gue_port; /* host order */
	struct xlb_be_conf *backends;
	size_t nbackends;
	int line;
	__s32 id; /* running VIP id, -1 = none (filled by the library) */
};

struct xlb_conf {
	struct xlb_vip_conf *vips;
	size_t nvips;
};

void xlb_conf_free(struct xlb_conf *c);

#endif /* XLB_MODEL_H */
