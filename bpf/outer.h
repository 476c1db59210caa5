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
 * Writes an IPv4 header without options at iph (the caller checked its 20 bytes) with these
 * fields, and its checksum summed from the values as they lie in memory. Written straight into
 * the frame and never read back: a header built on the stack and then read as other widths
 * than it was written stalls the CPU's store forwarding, which cost a third of encapsulation.
 */
static __always_inline void xlb_ipv4_write(struct iphdr *iph, __u8 tos, __be16 len, __be16 id,
					   __be16 frag, __u8 ttl, __u8 proto, __be32 src,
					   __be32 dst)
{
	__u64 sum = bpf_htons(0x4500 | tos) + len + id + frag + bpf_htons((__u16)ttl << 8 | proto);

	sum += (src & 0xffff) + (src >> 16) + (dst & 0xffff) + (dst >> 16);
	*(__u8 *)iph = 4 << 4 | 5; /* version 4, 5 words: no options */
	iph->tos = tos;
	iph->tot_len = len;
	iph->id = id;
	iph->frag_off = frag;
	iph->ttl = ttl;
	iph->protocol = proto;
	iph->check = xlb_csum_fold(sum);
	iph->saddr = src;
	iph->daddr = dst;
}

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

	if ((void *)(iph + 1) > end)
		return -1;
	xlb_ipv4_write(iph, p->tos, bpf_htons(len), p->ip_id, p->df ? bpf_htons(IP_DF) : 0, ttl,
		       proto, src, dst);
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
	__be32 *w = l3;
	int i;

	if ((void *)(ip6 + 1) > end)
		return -1;
	/* Version, traffic class and flow label: one word, written once. */
	w[0] = bpf_htonl(6u << 28 | (__u32)p->tos << 20 | (flow & 0xfffff));
	ip6->payload_len = bpf_htons(len);
	ip6->nexthdr = proto;
	ip6->hop_limit = ttl;
	for (i = 0; i < 4; i++) {
		w[2 + i] = src[i];
		w[6 + i] = dst[i];
	}
	return 0;
}

#endif /* XLB_OUTER_H */
