/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * VIP routes in the kernel over rtnetlink: a blackhole host route (/32, /128) per address in
 * one routing table, tagged XLB_RTPROT. The message builder and parser are pure (unit-tested);
 * the rest talks to the kernel. Used by xlbd (publishing) and `xlb detach` (removing).
 */
#ifndef XLB_ROUTE_NL_H
#define XLB_ROUTE_NL_H

#include <linux/netlink.h>
#include "model.h"

#define XLB_ROUTE_TABLE_MAX 0x7fffffffu /* tables 1..this, less 253-255 (default, main, local) */

/* Whether table may carry VIP routes: in range and none of the kernel's own. */
bool xlb_route_table_ok(__u32 table);

/* Builds into buf (at least XLB_RTNL_MSG_MAX bytes) the request that adds (add) or removes a's
 * route in table; returns its length. */
#define XLB_RTNL_MSG_MAX 128
size_t xlb_rtnl_build(void *buf, bool add, __u32 table, const struct xlb_addr *a, __u32 seq);
/* Whether the RTM_NEWROUTE message h is one of ours in table; then *a is its address. */
bool xlb_rtnl_parse(const struct nlmsghdr *h, __u32 table, struct xlb_addr *a);

/* Adds (or replaces) a's route in table. 0 or -errno. */
int xlb_route_publish(__u32 table, const struct xlb_addr *a);
/* Removes a's route from table; 0 also when it was not there. */
int xlb_route_withdraw(__u32 table, const struct xlb_addr *a);
/* Our routes in table, up to max into out; the count, or -errno. */
int xlb_route_list(__u32 table, struct xlb_addr *out, size_t max);

#endif /* XLB_ROUTE_NL_H */
