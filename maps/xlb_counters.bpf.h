/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The shape of a program's counter map, written once: XLB_COUNTER_MAP(name, value) defines the
 * map and name##_this_cpu(). Used by xlb_stats.bpf.h (the balancer) and xlb_decap_stats.bpf.h.
 */
#ifndef XLB_COUNTERS_BPF_H
#define XLB_COUNTERS_BPF_H

#include "xlb_map_def.bpf.h"

/*
 * 0 -> the program's counters, one copy per CPU (readers sum them); and this CPU's copy. Index
 * 0 of an array always exists, but the verifier wants the lookup checked.
 */
#define XLB_COUNTER_MAP(name, value_type)                                                          \
	XLB_MAP(name, BPF_MAP_TYPE_PERCPU_ARRAY, 1, __u32, value_type);                            \
                                                                                                   \
	static __always_inline value_type *name##_this_cpu(void)                                   \
	{                                                                                          \
		__u32 zero = 0;                                                                    \
                                                                                                   \
		return bpf_map_lookup_elem(&name, &zero);                                          \
	}

#endif /* XLB_COUNTERS_BPF_H */
