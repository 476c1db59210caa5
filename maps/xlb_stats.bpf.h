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

#endif /* XLB_STATS_BPF_H */
