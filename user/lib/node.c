// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The node's fleet state in xlb_runtime: the fields the data plane never reads, each set by
 * xlb_runtime_set() so the others stay as they are; and removing the VIP routes when xlb goes.
 */
#include "node.h"
#include "route_nl.h"

int xlb_node_get(const struct xlb_lb *lb, struct xlb_runtime *rt)
{
	return xlb_runtime_get(&lb->maps, rt);
}

int xlb_node_set_drained(const struct xlb_lb *lb, bool drained)
{
	struct xlb_runtime rt;
	int err = xlb_runtime_get(&lb->maps, &rt);

	if (err)
		return err;
	return xlb_runtime_set(&lb->maps, offsetof(struct xlb_runtime, node_flags),
			       drained ? rt.node_flags | XLB_NODE_F_DRAINED :
					 rt.node_flags & ~XLB_NODE_F_DRAINED);
}

int xlb_node_set_route_table(const struct xlb_lb *lb, __u32 table)
{
	return xlb_runtime_set(&lb->maps, offsetof(struct xlb_runtime, route_table), table);
}

int xlb_node_withdraw_routes(__u32 table, const struct xlb_conf *c)
{
	size_t i;
	int err = 0;

	for (i = 0; !err && table && i < c->nvips; i++)
		err = xlb_route_withdraw(table, &c->vips[i].name.addr);
	return err;
}
