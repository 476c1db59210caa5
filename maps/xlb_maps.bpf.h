/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The balancer's maps, each defined once here and included by the XDP entry object (and the
 * benchmark wrapper built around it). Userspace reaches them by the names in xlb_abi.h
 * through maps/xlb_maps.[ch]; every writer goes through those accessors. A new map is named
 * in xlb_abi.h, defined here (with XLB_MAP() unless it has flags or inner maps), and given a
 * member of struct xlb_maps and its row in xlb_map_table.c, which pins, adopts and closes it
 * with the others.
 */
#ifndef XLB_MAPS_BPF_H
#define XLB_MAPS_BPF_H

#include "xlb_map_def.bpf.h"
#include "xlb_stats.bpf.h"

/* VIP key -> VIP. Written by the userspace library; read per packet. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2 * XLB_MAX_VIPS); /* VIPs plus one address entry each at most */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xlb_vip_key);
	__type(value, struct xlb_vip);
} xlb_vips SEC(".maps");

/* Slot -> a VIP of xlb_vips, or none: read per packet before xlb_vips (xlb_abi.h). */
XLB_MAP(xlb_vip_cache, BPF_MAP_TYPE_ARRAY, XLB_VIP_CACHE_SLOTS, __u32, struct xlb_vip_slot);

/* Backend id -> backend. Written by the userspace library; read per packet. */
XLB_MAP(xlb_backends, BPF_MAP_TYPE_ARRAY, XLB_MAX_BACKENDS, __u32, struct xlb_backend);

/*
 * VIP id -> that VIP's Maglev table (an array of M backend ids). Userspace builds a whole new
 * inner map and swaps it in with one update of this slot, so a packet sees either the old
 * table or the new one. An empty slot means the VIP has no usable backend.
 * BPF_F_INNER_MAP lets inner tables have any size (M is chosen at load time).
 */
struct xlb_table {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_INNER_MAP);
	__type(key, __u32);
	__type(value, __u32);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, XLB_MAX_VIPS);
	__type(key, __u32);
	__array(values, struct xlb_table);
} xlb_tables SEC(".maps");

/*
 * CPU * buckets per CPU + bucket -> a bucket of XLB_CONN_SLOTS flows (bpf/conn.h). Written
 * by the XDP program on the CPU that owns the part, read per packet; userspace reads it
 * (explain, flows list) and clears tags through a mapping of it (flows flush: a 2-byte
 * store, as another CPU's SYN clears a slot). An array, so the verifier inlines the lookup.
 * Sized by userspace before load (xlb_conns_size()): possible CPUs * buckets per CPU.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xlb_conn_bucket);
} xlb_conns SEC(".maps");

/*
 * Slot -> the backend a recent SYN went to, with its flow's key (direct-mapped, so SYN floods
 * only churn it; shared by the CPUs, since the handshake's next packet may come on another):
 * that packet follows it, even when the VIP's Maglev table changed in between. Not the
 * connection table: a SYN still records no flow. XDP only; 48 bytes x XLB_SYN_SLOTS.
 */
XLB_MAP(xlb_syns, BPF_MAP_TYPE_ARRAY, XLB_SYN_SLOTS, __u32, struct xlb_conn);

/*
 * Fragmented datagram -> the backend its first fragment went to (struct xlb_frag), so its
 * later fragments, which carry no ports, follow. XDP only. One table for all CPUs, not per
 * CPU: RSS hashes fragments on addresses only while the datagram's unfragmented flow is
 * hashed with its ports, and paths or queues may split a datagram's fragments, so the first
 * and a later fragment may be handled on different CPUs. LRU: entries are never deleted (a
 * last fragment may overtake a middle one); XLB_FRAG_ENTRIES says why 16K.
 */
XLB_MAP(xlb_frags, BPF_MAP_TYPE_LRU_HASH, XLB_FRAG_ENTRIES, struct xlb_frag_key, struct xlb_frag);

/*
 * A NATed flow's reply 5-tuple (backend -> client) -> the VIP and port to put back as its
 * source (struct xlb_nat). Written by the XDP program with each client packet of the flow that
 * finds it missing, stale or expired (nat_age.h); read, and stamped, per reply. Shared by the
 * CPUs, not per CPU: a reply arrives from the backend, whose 5-tuple RSS hashes to another
 * queue than the client's. LRU: every
 * lookup refreshes an entry, an idle one is the first to go; XLB_NAT_ENTRIES says why 64K.
 */
XLB_MAP(xlb_nat, BPF_MAP_TYPE_LRU_HASH, XLB_NAT_ENTRIES, struct xlb_flow_key, struct xlb_nat);

/*
 * Per CPU, one entry: the xlb_nat entry and key a nat client packet builds (struct
 * xlb_nat_scratch), off the stack: on 6.1 kernels the main program's and xlb_forward()'s
 * frames, each rounded up to 32 bytes, must fit 512 together. Only the XDP program uses it.
 */
XLB_MAP(xlb_nat_scratch, BPF_MAP_TYPE_PERCPU_ARRAY, 1, __u32, struct xlb_nat_scratch);

/*
 * A NAT backend's fragmented reply datagram (as it arrives) -> what its first fragment became
 * (struct xlb_nat_frag: the VIP as source, the client as destination), so its later fragments,
 * which carry no ports to find their flow in xlb_nat by, become the same. Written by the XDP
 * program with each first reply fragment it translates, read by the later ones. Shared and
 * LRU, never deleted, for the reasons xlb_frags is; XLB_FRAG_ENTRIES says why 16K.
 */
XLB_MAP(xlb_nat_frags, BPF_MAP_TYPE_LRU_HASH, XLB_FRAG_ENTRIES, struct xlb_frag_key,
	struct xlb_nat_frag);

/*
 * VIP id -> a nat VIP's NAT entry timeouts and full NAT's source pool (struct xlb_snat;
 * count 0: none). Written by the userspace library with the VIP; read by each client packet
 * of a nat VIP. Array: one entry per VIP id, 140 KB.
 */
XLB_MAP(xlb_snat, BPF_MAP_TYPE_ARRAY, XLB_MAX_VIPS, __u32, struct xlb_snat);

/*
 * 0 -> this CPU's part of the table: entries used, its clock, replacements (per CPU).
 * XLB_CONN_STATS_USER -> what flows flush removed, written by userspace only (readers sum
 * both keys and every CPU), so no count is shared with the data plane's writers.
 */
XLB_MAP(xlb_conn_stats, BPF_MAP_TYPE_PERCPU_ARRAY, 2, __u32, struct xlb_conn_stats);

/* 0 -> bitmap of VIP address hashes. Written by the userspace library; read per packet. */
XLB_MAP(xlb_vip_filter, BPF_MAP_TYPE_ARRAY, 1, __u32, struct xlb_vip_filter);

/* 0 -> run-time switches. Written by the userspace library; read on a VIP miss. */
XLB_MAP(xlb_runtime, BPF_MAP_TYPE_ARRAY, 1, __u32, struct xlb_runtime);

/*
 * VIP id -> when the VIP's next SYN is due on this CPU, ns (per CPU): the state of its
 * new-flow-limit (bpf/conn.h). XDP only.
 */
XLB_MAP(xlb_vip_rate, BPF_MAP_TYPE_PERCPU_ARRAY, XLB_MAX_VIPS, __u32, __u64);

/* VIP id -> packets, bytes, new flows (per CPU). Written by XDP; read by userspace. */
XLB_MAP(xlb_vip_stats, BPF_MAP_TYPE_PERCPU_ARRAY, XLB_MAX_VIPS, __u32, struct xlb_vip_stats);

/* Backend id -> packets, bytes (per CPU). Written by XDP; read by userspace. */
XLB_MAP(xlb_backend_stats, BPF_MAP_TYPE_PERCPU_ARRAY, XLB_MAX_BACKENDS, __u32,
	struct xlb_backend_stats);

/* The two userspace-only maps below are pinned with the others so health survives the daemon. */

/* VIP id -> struct xlb_vip_health. The CLI writes it, the daemon reads it. */
XLB_MAP(xlb_vip_health, BPF_MAP_TYPE_ARRAY, XLB_MAX_VIPS, __u32, struct xlb_vip_health);

/* Backend id -> struct xlb_backend_health. The daemon writes it, everyone reads it. */
XLB_MAP(xlb_be_health, BPF_MAP_TYPE_ARRAY, XLB_MAX_BACKENDS, __u32, struct xlb_backend_health);

#endif /* XLB_MAPS_BPF_H */
