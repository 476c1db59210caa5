/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * What BPF code needs beyond vmlinux.h: the uapi macros BTF cannot carry (they are #defines,
 * not types), and the few helpers every program uses. Included first by every BPF source.
 */
#ifndef XLB_DEFS_H
#define XLB_DEFS_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ETH_ALEN	6
#define ETH_HLEN	14
#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86DD
#define ETH_P_8021Q	0x8100
#define ETH_P_8021AD	0x88A8

#define IP_DF		0x4000
#define IP_MF		0x2000
#define IP_OFFSET	0x1FFF
#define IP6_MF		0x0001 /* in the fragment header's frag_off, host order */
#define IP6_OFFSET	0xFFF8 /* the offset in 8-byte units, shifted by 3: bytes */

#define NEXTHDR_HOP	0
#define NEXTHDR_ROUTING 43
#define NEXTHDR_FRAGMENT 44
#define NEXTHDR_DEST	60
#define IPPROTO_ICMPV6	58 /* a macro in uapi, so absent from vmlinux.h */

#define ICMP_ECHOREPLY	   0
#define ICMP_DEST_UNREACH  3
#define ICMP_FRAG_NEEDED   4
#define ICMP_ECHO	   8
#define ICMPV6_PKT_TOOBIG  2
#define ICMPV6_ECHO_REQUEST 128
#define ICMPV6_ECHO_REPLY  129

/* One load the compiler may not repeat or tear (a map value another CPU may rewrite). */
#define READ_ONCE(x) (*(const volatile typeof(x) *)&(x))

/* Keeps the compiler from moving memory accesses across it (x86 keeps stores in order). */
#define xlb_barrier() asm volatile("" ::: "memory")

#endif /* XLB_DEFS_H */
