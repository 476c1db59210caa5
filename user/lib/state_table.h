/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Internal to the apply side (state*.c): a VIP's Maglev table, from the set of backends it is
 * built from to the inner map packets read. See state_table.c.
 */
#ifndef XLB_STATE_TABLE_H
#define XLB_STATE_TABLE_H

#include "state.h"

/* Whether v's table ignores health: none of its backends is up and its policy is "all". */
bool state_fails_open(const struct xlb_vip_conf *v);
/* The signature of the backends v's table is built from; never 0 (the "unknown" mark). */
__u32 state_table_sig(const struct xlb_vip_conf *v);
/* The table the maps hold (c, NULL for a new VIP) was built from another set than w's. */
bool state_table_changed(const struct xlb_vip_conf *c, const struct xlb_vip_conf *w);
/* v's table as a new inner map no packet sees yet, its stable slots marked against v as it
 * runs (c, NULL for a new VIP) and the running port-0 VIP of its address and protocol (p0,
 * NULL for none): 0 with *fd, or with *fd -1 when no backend of v takes flows; -errno. */
int state_table_new(const struct xlb_lb *lb, const struct xlb_vip_conf *v,
		    const struct xlb_vip_conf *c, const struct xlb_vip_conf *p0, int *fd);
/* Puts a table of state_table_new() in v's slot (clears the slot for fd -1), closes fd. */
int state_table_put(const struct xlb_lb *lb, const struct xlb_vip_conf *v, int fd);

#endif /* XLB_STATE_TABLE_H */
