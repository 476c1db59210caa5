/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The outer IPv4 and IPv6 headers both XDP programs write in front of a packet they send on: the
 * balancer's encapsulation (encap.h) and the backend's relay to a second hop (relay.h).
 */
#ifndef XLB_OUTER_H
#define XLB_OUTER_H

#include "xlb_defs.h"
#include "csum.h"
#include "parse.h"

/*
 * Writes at l3 (checked against end) an IPv4 header of total length len from src to dst for
 * the inner packet p: its TOS, and its identification and DF bit. Without DF the outer packet
 * may be fragmented, so it needs an identification that varies: the inner sender's (RFC 6864);
 * IPv6 inner packets always carry DF. 0, or -1 when the header does not fit.
 */
static __always_inline int xlb_outer_ipv4(void *l3, void *end, const struct xlb_pkt *p, __u8 ttl,
					  __u8 proto, __be32 src, __be32 dst, __u32 len)
{
	struct iphdr *iph = l3;
	struct iphdr h = {};

	if ((void *)(iph + 1) > end)
		return -1;
	h.version = 4;
	h.ihl = 5;
	h.tos = p->tos;
	h.tot_len = bpf_htons(len);
	h.id = p->ip_id;
	h.frag_off = p->df ? bpf_htons(IP_DF) : 0;
	h.ttl = ttl;
	h.protocol = proto;
	h.saddr = src;
	h.daddr = dst;
	h.check = xlb_ipv4_csum(&h);
	__builtin_memcpy(iph, &h, sizeof(h));
	return 0;
}

/*
 * Writes at l3 (checked against end) an IPv6 header of payload length len from src to dst for
 * the inner packet p: its traffic class, and flow (20 bits of the flow's hash) as the flow
 * label, so ECMP and RSS past us keep the flow together. 0, or -1 when it does not fit.
 */
static __always_inline int xlb_outer_ipv6(void *l3, void *end, const struct xlb_pkt *p, __u8 ttl,
					  __u8 proto, const volatile __be32 *src, const __be32 *dst,
					  __u32 len, __u32 flow)
{
	struct ipv6hdr *ip6 = l3;
	struct ipv6hdr h = {};
	int i;

	if ((void *)(ip6 + 1) > end)
		return -1;
	h.version = 6;
	h.priority = p->tos >> 4;
	h.flow_lbl[0] = (p->tos << 4) | ((flow >> 16) & 0x0f);
	h.flow_lbl[1] = flow >> 8;
	h.flow_lbl[2] = flow;
	h.payload_len = bpf_htons(len);
	h.nexthdr = proto;
	h.hop_limit = ttl;
	for (i = 0; i < 4; i++)
		h.saddr.in6_u.u6_addr32[i] = src[i];
	__builtin_memcpy(&h.daddr, dst, sizeof(h.daddr));
	__builtin_memcpy(ip6, &h, sizeof(h));
	return 0;
}

#endif /* XLB_OUTER_H */
