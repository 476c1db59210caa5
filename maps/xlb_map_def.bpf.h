/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The shape of a plain BTF-defined map, written once: XLB_MAP(). Included by xlb_maps.bpf.h and
 * xlb_counters.bpf.h; a map with flags or inner maps is spelled out where it is defined.
 */
#ifndef XLB_MAP_DEF_BPF_H
#define XLB_MAP_DEF_BPF_H

/* Defines the map name of type (BPF_MAP_TYPE_*), with at most max entries of key -> value. */
#define XLB_MAP(name, type_, max, key_type, value_type)                                            \
	struct {                                                                                   \
		__uint(type, type_);                                                               \
		__uint(max_entries, max);                                                          \
		__type(key, key_type);                                                             \
		__type(value, value_type);                                                         \
	} name SEC(".maps")

#endif /* XLB_MAP_DEF_BPF_H */
