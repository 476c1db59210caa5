/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Sending a balanced packet on: IPIP/IP6IP6/4in6/6in4 and GUE (variant 1: inner IP right
 * after UDP; variant 0 with xlb's hop header for second chance) encapsulation towards the
 * next hop, or the MAC rewrite of direct routing, always from the interface's MAC and cut to
 * the IP packet's length. VLAN tags of the arriving frame are kept, so one-armed trunks work.
 * Included by xlb_main.h.
 */
#ifndef XLB_ENCAP_H
#define XLB_ENCAP_H

#include "xlb_defs.h"
#include "xlb_abi.h"
#include "config.h"
#include "csum.h"
#include "parse.h"
#include "l2.h"
#include "outer.h"

static __always_inline int xlb_push_udp(void *l4, void *end, __be16 dport, __u32 len, __u32 hash)
{
	struct udphdr *udp = l4;

	if ((void *)(udp + 1) > end)
		return -1;
	/* Source port from the flow hash (49152-65535) lets the receiver spread flows (RSS). */
	udp->source = bpf_htons(0xc000 | (hash & 0x3fff));
	udp->dest = dport;
	udp->len = bpf_htons(len);
	/* Zero checksum: optional over IPv4, allowed for tunnels over IPv6 (RFC 6935). */
	udp->check = 0;
	return 0;
}

/* Second chance's GUE header: variant 0 whose private data is the hop (xlb_abi.h). */
struct xlb_gue {
	struct xlb_gue_hdr h;
	struct xlb_gue_hop hop;
};

/* Bytes ipip or (gue) GUE, with (two) second chance's GUE header, adds for backend be. */
static __always_inline __u32 xlb_encap_overhead(const struct xlb_backend *be, bool gue, bool two)
{
	__u32 len = be->family == XLB_FAM_V4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);

	if (!gue)
		return len;
	return len + sizeof(struct udphdr) + (two ? sizeof(struct xlb_gue) : 0);
}

/*
 * Second chance's GUE header in front of inner packet p, at l5, naming second (a backend's
 * entry) as the second hop: family 0 when second is NULL (the slot has none, or it is gone).
 */
static __always_inline int xlb_push_gue(void *l5, void *end, const struct xlb_pkt *p,
					const struct xlb_backend *second)
{
	struct xlb_gue *gp = l5;
	int i;

	if ((void *)(gp + 1) > end)
		return -1;
	gp->h.ver_hlen = XLB_GUE_HLEN; /* version 0, C 0 */
	gp->h.proto = p->key.family == XLB_FAM_V4 ? IPPROTO_IPIP : IPPROTO_IPV6;
	gp->h.flags = 0;
	gp->hop.magic = XLB_GUE_MAGIC;
	gp->hop.flags = 0;
	gp->hop.family = second ? second->family : 0;
	gp->hop.pad = 0;
	for (i = 0; i < 4; i++)
		gp->hop.addr[i] = second ? second->addr[i] : 0;
	return 0;
}

/*
 * Puts outer IP (and UDP for GUE, and with two, second chance's GUE header naming second) in
 * front of the packet and addresses the frame to the next hop. olen is
 * xlb_encap_overhead(); hash is the flow hash, used only by GUE and IPv6 outer headers. 0 on
 * success, -1 if the frame could not grow.
 */
static __always_inline int xlb_encap(struct xdp_md *ctx, const struct xlb_pkt *p,
				     const struct xlb_backend *be, bool gue, __u32 olen, __u32 hash,
				     bool two, const struct xlb_backend *second)
{
	__u32 len = p->l3_len + olen;
	__u8 proto, mac[ETH_ALEN], nh[ETH_ALEN];
	void *data, *end, *l3;
	int i, off;

	xlb_our_mac(mac);
	for (i = 0; i < ETH_ALEN; i++)
		nh[i] = xlb_cfg.next_hop[i];
	off = xlb_reframe(ctx, p, -(int)olen, nh, mac,
			  bpf_htons(be->family == XLB_FAM_V4 ? ETH_P_IP : ETH_P_IPV6));
	if (off < 0 || off > ETH_HLEN + XLB_MAX_VLANS * 4)
		return -1;
	/* The head moved: reload the packet pointers, and check each again below. */
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	l3 = data + off;
	proto = gue ? IPPROTO_UDP : p->key.family == XLB_FAM_V4 ? IPPROTO_IPIP : IPPROTO_IPV6;
	if (be->family == XLB_FAM_V4) {
		if (xlb_outer_ipv4(l3, end, p, xlb_cfg.ttl, proto, xlb_cfg.src_v4, be->addr[0],
				   len))
			return -1;
		l3 += sizeof(struct iphdr);
	} else {
		if (xlb_outer_ipv6(l3, end, p, xlb_cfg.ttl, proto, xlb_cfg.src_v6, be->addr,
				   len - sizeof(struct ipv6hdr), hash))
			return -1;
		l3 += sizeof(struct ipv6hdr);
	}
	if (!gue)
		return 0;
	if (xlb_push_udp(l3, end, be->gue_port,
			 p->l3_len + sizeof(struct udphdr) + (two ? sizeof(struct xlb_gue) : 0), hash))
		return -1;
	return two ? xlb_push_gue(l3 + sizeof(struct udphdr), end, p, second) : 0;
}

/*
 * Direct routing: the frame goes from the interface's MAC to the backend's (an L2 forwarder
 * sends from its own address); the IP packet is untouched.
 */
static __always_inline int xlb_dr(struct xdp_md *ctx, const struct xlb_backend *be)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end)
		return -1;
	xlb_our_mac(eth->h_source);
	__builtin_memcpy(eth->h_dest, be->mac, ETH_ALEN);
	return 0;
}

/* A reply of a NATed flow goes from the interface's MAC to the next hop, as tunnels do. */
static __always_inline int xlb_to_next_hop(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	int i;

	if ((void *)(eth + 1) > end)
		return -1;
	xlb_our_mac(eth->h_source);
	for (i = 0; i < ETH_ALEN; i++)
		eth->h_dest[i] = xlb_cfg.next_hop[i];
	return 0;
}

/*
 * Cuts whatever follows the IP packet (Ethernet padding, trailing bytes) off the frame, so
 * the packet's own length bounds what is sent on. The check is one add and one compare; the
 * helper runs only for frames that carry such bytes. 0, or -1 if the frame could not shrink.
 */
static __always_inline int xlb_trim(struct xdp_md *ctx, const struct xlb_pkt *p)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 len = p->l3_off + p->l3_len;

	/* The parser checked that len fits the frame (linear: a page at most, below the mask). */
	if (xlb_at(data, len) < end &&
	    bpf_xdp_adjust_tail(ctx, -(int)(bpf_xdp_get_buff_len(ctx) - len)))
		return -1;
	/* Callers reload data and end: without this clang merges the reloads of both paths into
	 * one load from a ctx offset it picks at run time, which the verifier refuses. */
	asm volatile("" ::: "memory");
	return 0;
}

#endif /* XLB_ENCAP_H */
