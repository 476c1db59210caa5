/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The balancer's global counter map (included through xlb_maps.bpf.h) and the counting of the
 * verdict it returns.
 */
#ifndef XLB_STATS_BPF_H
#define XLB_STATS_BPF_H

#include "xlb_counters.bpf.h"

/* Global counters: verdicts, drops by reason, table hits. Lookup: xlb_stats_this_cpu(). */
XLB_COUNTER_MAP(xlb_stats, struct xlb_stats)

/* Counts the verdict a program is about to return, and returns it. */
static __always_inline int xlb_verdict(struct xlb_stats *st, int act)
{
	if (act >= 0 && act < XLB_XDP_ACTIONS)
		st->action[act]++;
	return act;
}

#endif /* XLB_STATS_BPF_H */
