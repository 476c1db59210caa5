/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * LVS-NAT's packet edits: a client packet's destination becomes its backend's address and
 * port, a reply's source becomes the VIP and port again, with the IPv4 header and TCP/UDP
 * checksums updated incrementally (RFC 1624), and the reply's key into xlb_nat. Included by
 * xlb_main.h, after the maps.
 */
#ifndef XLB_NAT_H
#define XLB_NAT_H

#include "xlb_defs.h"
#include "xlb_abi.h"
#include "csum.h"
#include "parse.h"
#include "icmp.h"

/* The sum RFC 1624 adds for n 32-bit words changing from old to new (n at most 4). */
static __always_inline __u64 xlb_csum_delta(const __be32 *old, const __be32 *new, int n)
{
	__u64 d = 0;
	int i;

	for (i = 0; i < 4 && i < n; i++)
		d += (__u32)~old[i] + (__u64)new[i];
	return d;
}

/* Checksum check with delta d added (RFC 1624 eq. 3: HC' = ~(~HC + ~m + m')). */
static __always_inline __u16 xlb_csum_apply(__u16 check, __u64 d)
{
	return xlb_csum_fold((__u16)~check + d);
}

/*
 * Updates the TCP or UDP checksum of p (whose header parse.h checked) for delta d. A UDP zero
 * checksum means none was computed (IPv4) and stays zero; a UDP sum that comes out zero is
 * sent as all ones (RFC 768). 0, or -1 if the header is not in the frame.
 */
static __always_inline int xlb_l4_csum(void *data, void *end, const struct xlb_pkt *p, __u64 d)
{
	bool tcp = p->key.proto == IPPROTO_TCP;
	__sum16 *check = xlb_at(data, p->l4_off + (tcp ? offsetof(struct tcphdr, check) :
							 offsetof(struct udphdr, check)));
	__u16 c;

	if ((void *)(check + 1) > end)
		return -1;
	if (!tcp && !*check)
		return 0;
	c = xlb_csum_apply(*check, d);
	*check = c || tcp ? c : 0xffff;
	return 0;
}

/*
 * Rewrites p's destination (dst set) or source address to addr and that side's port to port
 * (0: kept), with their checksums. A later fragment (no L4 header) changes its address only.
 * 0, or -1 when a header is not in the frame.
 */
static __always_inline int xlb_nat_rewrite(struct xdp_md *ctx, const struct xlb_pkt *p,
					   const __be32 *addr, __be16 port, bool dst)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ipv6hdr *ip6 = xlb_at(data, p->l3_off);
	struct iphdr *iph = xlb_at(data, p->l3_off);
	__be16 *ports = xlb_at(data, p->l4_off);
	__be16 *pp = dst ? &ports[1] : &ports[0];
	__be32 *a;
	__u64 d;

	if (p->key.family == XLB_FAM_V4) {
		if ((void *)(iph + 1) > end)
			return -1;
		a = dst ? &iph->daddr : &iph->saddr;
		d = xlb_csum_delta(a, addr, 1);
		iph->check = xlb_csum_apply(iph->check, d);
		*a = addr[0];
	} else {
		if ((void *)(ip6 + 1) > end)
			return -1;
		a = dst ? ip6->daddr.in6_u.u6_addr32 : ip6->saddr.in6_u.u6_addr32;
		d = xlb_csum_delta(a, addr, 4);
		__builtin_memcpy(a, addr, 16);
	}
	if (p->later)
		return 0;
	if ((void *)(ports + 2) > end)
		return -1;
	if (port) {
		d += (__u16)~*pp + (__u32)port;
		*pp = port;
	}
	return xlb_l4_csum(data, end, p, d);
}

/* The key of the replies to client packet p once sent to backend be (port: p's new one). */
static __always_inline void xlb_nat_reply_key(const struct xlb_pkt *p,
					      const struct xlb_backend *be, __be16 port,
					      struct xlb_flow_key *rk)
{
	__builtin_memcpy(rk->src, be->addr, sizeof(rk->src));
	__builtin_memcpy(rk->dst, p->key.src, sizeof(rk->dst));
	rk->sport = port;
	rk->dport = p->key.sport;
	rk->proto = p->key.proto;
	rk->family = p->key.family;
}

/*
 * For an ICMP error (destination unreachable, and IPv6's packet too big) that a NAT backend
 * sent about a client packet it got, quoted right after the ICMP header without IP options or
 * extension headers: that flow's reply key into rk (the quoted tuple reversed, as
 * xlb_icmp_quoted_flow() reads it: the backend's own source). The error must come from the
 * quoted destination and go to its source. The offset of the quoted IP header, or -1 for any
 * other packet.
 */
static __always_inline int xlb_nat_icmp_key(void *data, void *end, const struct xlb_pkt *p,
					    struct xlb_flow_key *rk)
{
	__u32 q = p->l4_off + sizeof(struct icmphdr);
	struct iphdr *iph = xlb_at(data, q);

	if (xlb_icmp_quoted_flow(data, end, p, rk) < 0)
		return -1;
	/* The translation (xlb_nat_icmp_xlate()) takes a quoted IPv4 header as 20 bytes. */
	if (p->key.family == XLB_FAM_V4 && ((void *)(iph + 1) > end || iph->ihl != 5))
		return -1;
	if ((rk->src[0] ^ p->key.src[0]) | (rk->src[1] ^ p->key.src[1]) |
	    (rk->src[2] ^ p->key.src[2]) | (rk->src[3] ^ p->key.src[3]) |
	    (rk->dst[0] ^ p->key.dst[0]) | (rk->dst[1] ^ p->key.dst[1]) |
	    (rk->dst[2] ^ p->key.dst[2]) | (rk->dst[3] ^ p->key.dst[3]))
		return -1;
	return q;
}

/*
 * Translates ICMP error p about a NATed flow (its quoted IP header at offset q, no options or
 * extension headers, ports behind it). Side "a" is the error's source and the quoted
 * destination (in clear: an error from the client's side, to a backend: the error's
 * destination and the quoted source): those addresses become a, that quoted port aport. With
 * both set, side "b" (the other address of each header, the other quoted port) becomes b and
 * bport. The outer IPv4 header's, the quoted IPv4 header's and the ICMP checksums are updated
 * (ICMPv6's covers the outer addresses too). The quoted TCP/UDP checksum is left as quoted:
 * receivers match errors by ports and never check it. 0, or -1.
 */
static __always_inline int xlb_nat_icmp_xlate(struct xdp_md *ctx, const struct xlb_pkt *p,
					      __u32 q, const __be32 *a, __be16 aport,
					      const __be32 *b, __be16 bport, bool both, bool in)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct icmphdr *ic = xlb_at(data, p->l4_off);
	struct ipv6hdr *ip6 = xlb_at(data, p->l3_off), *qip6 = xlb_at(data, q);
	struct iphdr *iph = xlb_at(data, p->l3_off), *qiph = xlb_at(data, q);
	__be32 *oa, *ob, *qa, *qb;
	__be16 *ports, *pa, *pb;
	__u64 da, dq;
	__u16 old;

	if ((void *)(ic + 1) > end)
		return -1;
	if (p->key.family == XLB_FAM_V4) {
		if ((void *)(iph + 1) > end || (void *)(qiph + 1) > end)
			return -1;
		oa = in ? &iph->daddr : &iph->saddr;
		ob = in ? &iph->saddr : &iph->daddr;
		qa = in ? &qiph->saddr : &qiph->daddr;
		qb = in ? &qiph->daddr : &qiph->saddr;
		da = xlb_csum_delta(oa, a, 1);
		dq = xlb_csum_delta(qa, a, 1);
		if (both) {
			da += xlb_csum_delta(ob, b, 1);
			dq += xlb_csum_delta(qb, b, 1);
			*ob = b[0];
			*qb = b[0];
		}
		iph->check = xlb_csum_apply(iph->check, da);
		*oa = a[0];
		old = qiph->check;
		qiph->check = xlb_csum_apply(qiph->check, dq);
		dq += (__u16)~old + (__u32)qiph->check;
		*qa = a[0];
		ports = (void *)(qiph + 1);
	} else {
		if ((void *)(ip6 + 1) > end || (void *)(qip6 + 1) > end)
			return -1;
		oa = in ? ip6->daddr.in6_u.u6_addr32 : ip6->saddr.in6_u.u6_addr32;
		ob = in ? ip6->saddr.in6_u.u6_addr32 : ip6->daddr.in6_u.u6_addr32;
		qa = in ? qip6->saddr.in6_u.u6_addr32 : qip6->daddr.in6_u.u6_addr32;
		qb = in ? qip6->daddr.in6_u.u6_addr32 : qip6->saddr.in6_u.u6_addr32;
		dq = xlb_csum_delta(oa, a, 4) + xlb_csum_delta(qa, a, 4);
		__builtin_memcpy(oa, a, 16);
		__builtin_memcpy(qa, a, 16);
		if (both) {
			dq += xlb_csum_delta(ob, b, 4) + xlb_csum_delta(qb, b, 4);
			__builtin_memcpy(ob, b, 16);
			__builtin_memcpy(qb, b, 16);
		}
		ports = (void *)(qip6 + 1);
	}
	if ((void *)(ports + 2) > end)
		return -1;
	pa = in ? &ports[0] : &ports[1];
	pb = in ? &ports[1] : &ports[0];
	dq += (__u16)~*pa + (__u32)aport;
	*pa = aport;
	if (both) {
		dq += (__u16)~*pb + (__u32)bport;
		*pb = bport;
	}
	ic->checksum = xlb_csum_apply(ic->checksum, dq);
	return 0;
}

/*
 * Translates backend error p (its quoted header at offset q, as xlb_nat_icmp_key() found it)
 * for the client: the error's source and the quoted destination become n's VIP, the quoted
 * destination port its port; with full NAT the error's destination and the quoted source
 * become the client's address, the quoted source port the client's. 0, or -1.
 */
static __always_inline int xlb_nat_icmp_rewrite(struct xdp_md *ctx, const struct xlb_pkt *p,
						__u32 q, const struct xlb_nat *n)
{
	return xlb_nat_icmp_xlate(ctx, p, q, n->vip, n->vport, n->client, n->cport, n->full,
				  false);
}

#endif /* XLB_NAT_H */
