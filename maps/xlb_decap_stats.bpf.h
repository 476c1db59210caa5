/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The decap program's counter map: verdicts, drops by reason, and what became of packets that
 * name a second hop (delivered here, relayed, relay failed). Included by bpf/xlb_decap.bpf.c.
 */
#ifndef XLB_DECAP_STATS_BPF_H
#define XLB_DECAP_STATS_BPF_H

#include "xlb_counters.bpf.h"

/* The decap program's counters; `xlb decap stats` sums them. Lookup: xlb_decap_stats_this_cpu(). */
XLB_COUNTER_MAP(xlb_decap_stats, struct xlb_decap_stats)

#endif /* XLB_DECAP_STATS_BPF_H */
