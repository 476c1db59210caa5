/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Reading the tunnel headers of a packet for the decap program: IPIP/IP6IP6/4in6/6in4, GUE
 * variant 1 (inner IP right after UDP) and GUE variant 0 with xlb's private data naming a
 * second hop (xlb_gue_hdr + xlb_gue_hop, include/xlb_abi.h). Only reads, like parse.h.
 * Included by bpf/xlb_decap.bpf.c.
 */
#ifndef XLB_GUE_H
#define XLB_GUE_H

#include "xlb_defs.h"
#include "xlb_abi.h"
#include "parse.h"

#define XLB_TUN_NONE (-1)		  /* not a tunnel: the packet passes untouched */
#define XLB_TUN_OK   XLB_DECAP_DROP__MAX /* a tunnel; below it: an enum xlb_decap_drop */

/* The GUE variant 0 header and private data xlb puts between UDP and the inner packet. */
#define XLB_GUE_PRIV (sizeof(struct xlb_gue_hdr) + sizeof(struct xlb_gue_hop))
#define XLB_GUE_VER(b)	((b) >> 6)	    /* variant: 0 (a GUE header) or 1 (IP follows) */
#define XLB_GUE_C	0x20		    /* the control-message bit of ver_hlen */
#define XLB_GUE_HLEN_OF(b) ((b) & 0x1f)

/* What the outer headers say: how much to strip, what is inside, where it may go next. */
struct xlb_tunnel {
	__u32 strip;	/* bytes from the L3 offset to the inner packet */
	__u8 family;	/* XLB_FAM_* of the inner packet */
	__u8 gue_proto; /* variant 0: xlb_gue_hdr.proto, written back when relaying */
	__be16 sport;	/* outer UDP source port (the balancer's flow hash), kept when relaying */
	struct xlb_gue_hop hop; /* family 0: no second hop (IPIP, variant 1, or none named) */
};

/* Variant 0: xlb's header and hop, then the inner packet's version nibble to match proto. */
static __always_inline int xlb_gue0_read(void *gue, void *end, __u32 room, struct xlb_tunnel *t)
{
	struct xlb_gue_hdr *h = gue;
	struct xlb_gue_hop *hop = gue + sizeof(*h);
	__u8 *ver = gue + XLB_GUE_PRIV;

	if ((void *)(h + 1) > end)
		return XLB_DECAP_DROP_TRUNCATED;
	if (h->ver_hlen & XLB_GUE_C)
		return XLB_DECAP_DROP_GUE_CONTROL;
	if (XLB_GUE_HLEN_OF(h->ver_hlen) != XLB_GUE_HLEN)
		return XLB_DECAP_DROP_GUE_HLEN;
	if (h->flags)
		return XLB_DECAP_DROP_GUE_FLAGS;
	/* The private data and the inner version byte, in the frame and in the outer packet. */
	if ((void *)(ver + 1) > end || room < XLB_GUE_PRIV + 1)
		return XLB_DECAP_DROP_TRUNCATED;
	if (hop->magic != XLB_GUE_MAGIC)
		return XLB_DECAP_DROP_GUE_MAGIC;
	if (hop->flags & ~XLB_GUE_F_RELAYED)
		return XLB_DECAP_DROP_GUE_FLAGS;
	if (hop->family && hop->family != XLB_FAM_V4 && hop->family != XLB_FAM_V6)
		return XLB_DECAP_DROP_GUE_HOP;
	if (h->proto == IPPROTO_IPIP && *ver >> 4 == 4)
		t->family = XLB_FAM_V4;
	else if (h->proto == IPPROTO_IPV6 && *ver >> 4 == 6)
		t->family = XLB_FAM_V6;
	else
		return XLB_DECAP_DROP_GUE_PROTO;
	t->gue_proto = h->proto;
	__builtin_memcpy(&t->hop, hop, sizeof(t->hop));
	t->strip += XLB_GUE_PRIV;
	return XLB_TUN_OK;
}

/* What follows UDP to the GUE port: variant 1 (an IP header) or variant 0. */
static __always_inline int xlb_gue_read(void *data, void *end, const struct xlb_pkt *p,
					struct xlb_tunnel *t)
{
	struct udphdr *udp = xlb_at(data, p->l4_off);
	__u32 ip_end = p->l3_off + p->l3_len, gue_off = p->l4_off + sizeof(*udp);
	__u8 *gue = (__u8 *)(udp + 1);

	if ((void *)(gue + 1) > end || gue_off >= ip_end)
		return XLB_DECAP_DROP_TRUNCATED;
	t->sport = udp->source;
	t->strip = gue_off - p->l3_off;
	switch (XLB_GUE_VER(*gue)) {
	case 0:
		return xlb_gue0_read(gue, end, ip_end - gue_off, t);
	case 1:
		t->family = *gue >> 4 == 4 ? XLB_FAM_V4 : *gue >> 4 == 6 ? XLB_FAM_V6 : 0;
		return t->family ? XLB_TUN_OK : XLB_DECAP_DROP_GUE_VERSION;
	}
	return XLB_DECAP_DROP_GUE_VERSION;
}

/* Returns XLB_TUN_NONE, XLB_TUN_OK (t filled) or the drop reason of a broken GUE header. */
static __always_inline int xlb_tunnel_read(void *data, void *end, const struct xlb_pkt *p,
					   __be16 gue_port, struct xlb_tunnel *t)
{
	switch (p->key.proto) {
	case IPPROTO_IPIP:
		t->family = XLB_FAM_V4;
		break;
	case IPPROTO_IPV6:
		t->family = XLB_FAM_V6;
		break;
	case IPPROTO_UDP:
		return p->key.dport == gue_port ? xlb_gue_read(data, end, p, t) : XLB_TUN_NONE;
	default:
		return XLB_TUN_NONE;
	}
	t->strip = p->l4_off - p->l3_off;
	return XLB_TUN_OK;
}

#endif /* XLB_GUE_H */
