/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The global counter map, shared by the balancer (through xlb_maps.bpf.h) and the backends'
 * decap program, which both count verdicts and drops in struct xlb_stats.
 */
#ifndef XLB_STATS_BPF_H
#define XLB_STATS_BPF_H

/* 0 -> global counters (per CPU): verdicts, drops by reason, table hits. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xlb_stats);
} xlb_stats SEC(".maps");

/* This CPU's counters. Index 0 of an array always exists, but the verifier wants a check. */
static __always_inline struct xlb_stats *xlb_stats_this_cpu(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&xlb_stats, &zero);
}

/* Counts the verdict a program is about to return, and returns it. */
static __always_inline int xlb_verdict(struct xlb_stats *st, int act)
{
	if (act >= 0 && act < XLB_XDP_ACTIONS)
		st->action[act]++;
	return act;
}

#endif /* XLB_STATS_BPF_H */
