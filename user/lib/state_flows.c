// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Forgetting recorded flows (xlb flows flush): the selected slots of the connection table
 * cleared in place through its mapping, and counted where the table's readers sum them.
 * Callers hold the instance lock, as for every other change (state.h).
 */
#include "flows.h"
#include "state.h"

int xlb_state_flush_flows(const struct xlb_lb *lb, const struct xlb_flows_filter *f,
			  __u64 *flushed)
{
	struct xlb_flows_cleared c = {};
	struct xlb_conns_view v;
	int err;

	err = xlb_conns_map(&lb->maps, true, &v);
	if (err)
		return err;
	xlb_flows_clear(v.t, v.n, f, &c);
	xlb_conns_unmap(&v);
	*flushed = c.flows;
	return xlb_conn_stats_forget(&lb->maps, c.flows, c.established);
}
