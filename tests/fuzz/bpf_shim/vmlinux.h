/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Stands in for the BPF side's vmlinux.h when tests/fuzz/fuzz_parse.c compiles bpf/parse.h
 * for the host: the same header types from the uapi headers, the one kernel-internal one
 * (struct vlan_hdr), and a struct xdp_md whose data pointers hold a host address.
 */
#ifndef XLB_FUZZ_VMLINUX_H
#define XLB_FUZZ_VMLINUX_H

#include <stdbool.h>
#include <linux/types.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/icmp.h>

/* BPF code is built as GNU C; the host build is -std=c11, which spells it __asm__. */
#define asm __asm__

struct vlan_hdr {
	__be16 h_vlan_TCI;
	__be16 h_vlan_encapsulated_proto;
};

/* The kernel's has __u32 fields it rewrites into packet pointers; the host needs 64 bits. */
struct xdp_md {
	unsigned long data;
	unsigned long data_end;
};

#endif /* XLB_FUZZ_VMLINUX_H */
