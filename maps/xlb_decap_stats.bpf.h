/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The decap program's counter map: verdicts, drops by reason, and what became of packets that
 * name a second hop (delivered here, relayed, relay failed). Included by bpf/xlb_decap.bpf.c.
 */
#ifndef XLB_DECAP_STATS_BPF_H
#define XLB_DECAP_STATS_BPF_H

/* 0 -> the decap program's counters (per CPU); `xlb decap stats` sums them. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xlb_decap_stats);
} xlb_decap_stats SEC(".maps");

/* This CPU's counters. Index 0 of an array always exists, but the verifier wants a check. */
static __always_inline struct xlb_decap_stats *xlb_decap_stats_this_cpu(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&xlb_decap_stats, &zero);
}

#endif /* XLB_DECAP_STATS_BPF_H */
