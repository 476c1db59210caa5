/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Header parsing for the balancer: Ethernet with up to two VLAN tags, IPv4 (options skipped
 * by ihl), IPv6 (hop-by-hop, routing and destination options skipped), TCP/UDP ports, ICMP.
 * Contract: xlb_parse() only reads; it fills struct xlb_pkt with offsets from ctx->data and
 * the client's 5-tuple, and every offset it returns has been bounds-checked against the frame.
 */
#ifndef XLB_PARSE_H
#define XLB_PARSE_H

#include "xlb_defs.h"
#include "xlb_abi.h"

#define XLB_MAX_VLANS	  2
#define XLB_MAX_EXTHDRS	  4 /* IPv6 extension headers skipped before giving up */

enum xlb_parse_result {
	XLB_P_L4,	 /* TCP or UDP with both ports: a VIP candidate */
	XLB_P_ICMP,	 /* ICMP or ICMPv6; l4_off points at its header */
	XLB_P_PASS,	 /* not IP, or an IP protocol xlb does not balance */
	XLB_P_MALFORMED, /* broken L2/L3 header: dropped whoever it is for */
	XLB_P_FRAGMENT,	 /* a fragment: dropped if sent to a VIP address */
	XLB_P_SHORT_L4,	 /* TCP/UDP header cut short: dropped if sent to a VIP address */
};

/*
 * Offsets xlb_parse() stores are below this (22 bytes of L2, 40 of IPv6, 4 extension headers
 * of at most 2048 bytes). Masking an offset with it gives the verifier back the bound it
 * loses when the offset is spilled to the stack; the mask never changes a real offset.
 */
#define XLB_OFF_MASK 0x3fff

static __always_inline void *xlb_at(void *data, __u32 off)
{
	return data + (off & XLB_OFF_MASK);
}

/*
 * A 16-bit network-order length as a bounded host value. bpf_ntohs() compiles to a byte swap
 * (BPF_END) whose result the 6.1 and 6.12 verifiers (Debian 12's) take as unbounded, and the
 * length is then added to a packet pointer; the mask restores the bound, and the empty asm
 * keeps clang from dropping the mask as redundant.
 */
static __always_inline __u32 xlb_ntohs_bounded(__be16 v)
{
	__u32 x = bpf_ntohs(v);

	asm volatile("" : "+r"(x));
	return x & 0xffff;
}

struct xlb_pkt {
	struct xlb_flow_key key; /* addresses, ports, proto, family as they arrived */
	__u32 l3_off;		 /* Ethernet header plus VLAN tags */
	__u32 l4_off;
	__u32 l3_len; /* the IP packet's own length (trailing Ethernet padding excluded) */
	__be32 vlan[XLB_MAX_VLANS]; /* TPID+TCI of each tag, as on the wire */
	__u8 nvlan;
	__u8 tos; /* DSCP and ECN */
	__u8 df;  /* IPv4 DF bit (IPv6 never fragments on path: always set) */
	__u8 syn; /* a TCP SYN without ACK: the first packet of a connection */
	__be16 ip_id; /* IPv4 identification, copied to an outer IPv4 header */
	__u8 rst; /* a TCP RST: it never opens a connection-table entry */
	__u8 pad;
	__be32 frag_id; /* a fragment's identification (IPv4's zero-extended), set by frag.h */
};

static __always_inline int xlb_parse_eth(void *data, void *end, struct xlb_pkt *p, __be16 *type)
{
	struct ethhdr *eth = data;
	struct vlan_hdr *vh;
	int i;

	if ((void *)(eth + 1) > end)
		return XLB_P_MALFORMED;
	*type = eth->h_proto;
	p->l3_off = ETH_HLEN;
	for (i = 0; i < XLB_MAX_VLANS; i++) {
		if (*type != bpf_htons(ETH_P_8021Q) && *type != bpf_htons(ETH_P_8021AD))
			break;
		vh = xlb_at(data, p->l3_off);
		if ((void *)(vh + 1) > end)
			return XLB_P_MALFORMED;
		/* Keep the tag as on the wire: the TPID just read, then this TCI. */
		__builtin_memcpy(&p->vlan[i], (void *)vh - 2, sizeof(p->vlan[i]));
		*type = vh->h_vlan_encapsulated_proto;
		p->l3_off += sizeof(*vh);
		p->nvlan++;
	}
	return XLB_P_L4;
}

/* Ports (and for TCP, whether it is a SYN) of the L4 header at l4_off; it must be whole. */
static __always_inline int xlb_parse_ports(void *data, void *end, struct xlb_pkt *p)
{
	void *l4 = xlb_at(data, p->l4_off);
	struct tcphdr *th = l4;
	struct udphdr *uh = l4;
	__u32 need;

	if (p->key.proto == IPPROTO_TCP) {
		if ((void *)(th + 1) > end)
			return XLB_P_SHORT_L4;
		p->key.sport = th->source;
		p->key.dport = th->dest;
		p->syn = th->syn && !th->ack;
		p->rst = th->rst;
		need = sizeof(*th);
	} else {
		if ((void *)(uh + 1) > end)
			return XLB_P_SHORT_L4;
		p->key.sport = uh->source;
		p->key.dport = uh->dest;
		need = sizeof(*uh);
	}
	/* The header must end inside the IP packet, not in Ethernet padding behind it. */
	if (p->l4_off + need > p->l3_off + p->l3_len)
		return XLB_P_SHORT_L4;
	return XLB_P_L4;
}

static __always_inline int xlb_parse_l4(void *data, void *end, struct xlb_pkt *p)
{
	switch (p->key.proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		return xlb_parse_ports(data, end, p);
	case IPPROTO_ICMP:
		return p->key.family == XLB_FAM_V4 ? XLB_P_ICMP : XLB_P_PASS;
	case IPPROTO_ICMPV6:
		return p->key.family == XLB_FAM_V6 ? XLB_P_ICMP : XLB_P_PASS;
	}
	return XLB_P_PASS;
}

static __always_inline int xlb_parse_ipv4(void *data, void *end, struct xlb_pkt *p)
{
	struct iphdr *iph = xlb_at(data, p->l3_off);
	__u32 hlen;

	if ((void *)(iph + 1) > end || iph->version != 4 || iph->ihl < 5)
		return XLB_P_MALFORMED;
	hlen = iph->ihl * 4;
	p->l3_len = xlb_ntohs_bounded(iph->tot_len);
	if (p->l3_len < hlen || (void *)iph + p->l3_len > end)
		return XLB_P_MALFORMED;
	p->key.family = XLB_FAM_V4;
	p->key.src[0] = iph->saddr;
	p->key.dst[0] = iph->daddr;
	p->key.proto = iph->protocol;
	p->tos = iph->tos;
	p->df = !!(iph->frag_off & bpf_htons(IP_DF));
	p->ip_id = iph->id;
	p->l4_off = p->l3_off + hlen;
	if (iph->frag_off & bpf_htons(IP_MF | IP_OFFSET))
		return XLB_P_FRAGMENT;
	return xlb_parse_l4(data, end, p);
}

static __always_inline bool xlb_is_exthdr(__u8 next)
{
	return next == NEXTHDR_HOP || next == NEXTHDR_ROUTING || next == NEXTHDR_DEST;
}

static __always_inline int xlb_parse_ipv6(void *data, void *end, struct xlb_pkt *p)
{
	struct ipv6hdr *ip6 = xlb_at(data, p->l3_off);
	struct ipv6_opt_hdr *opt;
	__u8 next;
	int i;

	if ((void *)(ip6 + 1) > end || ip6->version != 6)
		return XLB_P_MALFORMED;
	p->l3_len = sizeof(*ip6) + xlb_ntohs_bounded(ip6->payload_len);
	if ((void *)ip6 + p->l3_len > end)
		return XLB_P_MALFORMED;
	p->key.family = XLB_FAM_V6;
	__builtin_memcpy(p->key.src, &ip6->saddr, 16);
	__builtin_memcpy(p->key.dst, &ip6->daddr, 16);
	p->tos = ip6->priority << 4 | ip6->flow_lbl[0] >> 4;
	p->df = 1;
	p->l4_off = p->l3_off + sizeof(*ip6);
	next = ip6->nexthdr;
	for (i = 0; i < XLB_MAX_EXTHDRS && xlb_is_exthdr(next); i++) {
		opt = xlb_at(data, p->l4_off);
		/* Each header must be in the frame and inside the payload length. */
		if ((void *)(opt + 1) > end || p->l4_off + sizeof(*opt) > p->l3_off + p->l3_len)
			return XLB_P_MALFORMED;
		next = opt->nexthdr;
		/* hdrlen counts 8-byte units after the first 8: at most 2048 bytes a header. */
		p->l4_off += (opt->hdrlen + 1) * 8;
	}
	/* The last header, too, must end inside the payload length. */
	if (p->l4_off > p->l3_off + p->l3_len)
		return XLB_P_MALFORMED;
	p->key.proto = next;
	if (next == NEXTHDR_FRAGMENT)
		return XLB_P_FRAGMENT;
	if (xlb_is_exthdr(next)) /* more than XLB_MAX_EXTHDRS: ports out of reach */
		return XLB_P_SHORT_L4;
	return xlb_parse_l4(data, end, p);
}

/* Returns an enum xlb_parse_result. */
static __always_inline int xlb_parse(struct xdp_md *ctx, struct xlb_pkt *p)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__be16 type;
	int ret;

	ret = xlb_parse_eth(data, end, p, &type);
	if (ret != XLB_P_L4)
		return ret;
	if (type == bpf_htons(ETH_P_IP))
		return xlb_parse_ipv4(data, end, p);
	if (type == bpf_htons(ETH_P_IPV6))
		return xlb_parse_ipv6(data, end, p);
	return XLB_P_PASS;
}

#endif /* XLB_PARSE_H */
