/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * This balancer's place in a fleet, kept in the pinned xlb_runtime map so it outlives every
 * process: drained (no VIP route published, flows still forwarded) or serving, and the table
 * its VIP routes were last published in. Writers hold the instance lock. Used by the CLI
 * (xlb node, status, detach) and xlbd.
 */
#ifndef XLB_NODE_H
#define XLB_NODE_H

#include "state.h"

int xlb_node_get(const struct xlb_lb *lb, struct xlb_runtime *rt);
int xlb_node_set_drained(const struct xlb_lb *lb, bool drained);
int xlb_node_set_route_table(const struct xlb_lb *lb, __u32 table);
/* Withdraws the routes of c's VIP addresses from table (0: none); 0 or the first -errno. */
int xlb_node_withdraw_routes(__u32 table, const struct xlb_conf *c);

#endif /* XLB_NODE_H */
