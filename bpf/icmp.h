/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * ICMP the balancer answers or writes itself: echo replies for VIP addresses (their checksum
 * verified first), and "fragmentation needed"/"packet too big" when a packet would exceed the
 * MTU, only ever to a source that is one host. Also reads the tuple quoted in an incoming
 * PMTU error, so it can follow its flow to the backend.
 * Included by xlb_main.h.
 */
#ifndef XLB_ICMP_H
#define XLB_ICMP_H

#include "xlb_defs.h"
#include "xlb_abi.h"
#include "config.h"
#include "csum.h"
#include "encap.h"
#include "parse.h"

/*
 * Bytes of the offending packet quoted in a "too big" error: any IPv4 header with its options
 * (60) plus 8 bytes of L4, and 88 bytes past an IPv6 header. A too-big packet is always
 * longer (it exceeds XLB_MTU_MIN less the largest overhead), and bpf_csum_diff() takes it.
 */
#define XLB_ICMP_QUOTE 128

/*
 * Whether k's source names one host, so that ICMP may be sent to it (RFC 1122 3.2.2, RFC 4443
 * 2.4(e)): not 0/8, loopback 127/8, multicast 224/4 or class E 240/4 (255.255.255.255 among
 * them), nor ::, ::1 or multicast ff00::/8. A subnet's directed broadcast is not known here.
 */
static __always_inline bool xlb_src_is_host(const struct xlb_flow_key *k)
{
	__u8 top = ((const __u8 *)k->src)[0];

	if (k->family == XLB_FAM_V4)
		return top != 0 && top != 127 && top < 224;
	if (top == 0xff)
		return false;
	return k->src[0] | k->src[1] | k->src[2] || bpf_ntohl(k->src[3]) > 1;
}

#define XLB_CSUM_CHUNK	512 /* the most bytes bpf_csum_diff() sums in one call */
#define XLB_CSUM_CHUNKS (XLB_MTU_MAX / XLB_CSUM_CHUNK) /* whole chunks of an ICMP message */

/* Adds the n bytes at off (n a constant multiple of 4) to sum; -1 if they are not there. */
static __always_inline __s64 xlb_csum_add(void *data, void *end, __u32 off, __u32 n, __s64 sum)
{
	void *at = xlb_at(data, off);

	if (sum < 0 || at + n > end)
		return -1;
	return bpf_csum_diff(NULL, 0, at, n, sum);
}

/*
 * Sum of the ICMP message at l4_off, len bytes, the frame already cut to the IP packet. The
 * message is at most XLB_MTU_MAX bytes (the caller checked the MTU), so XLB_CSUM_CHUNKS
 * calls of 512 bytes cover its whole chunks, and the rest is summed as 256, 128, ..., 4, 2
 * and 1 bytes. off is masked after each step: offsets stay below the mask (a page at most),
 * and the verifier sees the same bound on every path, so the paths of the rest merge.
 */
static __always_inline __s64 xlb_icmp_sum(void *data, void *end, __u32 off, __u32 len,
					  __s64 sum)
{
	__u8 *b;
	int i;

	for (i = 0; i < XLB_CSUM_CHUNKS; i++) {
		if (i >= (int)(len / XLB_CSUM_CHUNK))
			break;
		sum = xlb_csum_add(data, end, off, XLB_CSUM_CHUNK, sum);
		off = (off + XLB_CSUM_CHUNK) & XLB_OFF_MASK;
	}
#pragma unroll
	for (i = XLB_CSUM_CHUNK / 2; i >= 4; i /= 2) {
		if (!(len & i))
			continue;
		sum = xlb_csum_add(data, end, off, i, sum);
		off = (off + i) & XLB_OFF_MASK;
	}
	b = xlb_at(data, off);
	if (sum < 0)
		return -1;
	if (len & 2) {
		if ((void *)(b + 2) > end)
			return -1;
		sum += *(__u16 *)b;
		b += 2;
	}
	/* An odd last byte is summed as the high byte of a word whose low byte is zero. */
	if (len & 1) {
		if ((void *)(b + 1) > end)
			return -1;
		sum += bpf_htons(*b << 8);
	}
	return sum;
}

struct xlb_icmp6_pseudo {
	struct in6_addr src;
	struct in6_addr dst;
	__be32 len;
	__be32 nexthdr;
};

/* Whether the echo request p carries has a good ICMP/ICMPv6 checksum; frame cut to p. */
static __always_inline bool xlb_icmp_csum_ok(struct xdp_md *ctx, const struct xlb_pkt *p)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 len = p->l3_off + p->l3_len - p->l4_off;
	struct xlb_icmp6_pseudo ph = {};
	__s64 sum = 0;

	if (p->key.family == XLB_FAM_V6) {
		__builtin_memcpy(&ph.src, p->key.src, 16);
		__builtin_memcpy(&ph.dst, p->key.dst, 16);
		ph.len = bpf_htonl(len);
		ph.nexthdr = bpf_htonl(IPPROTO_ICMPV6);
		sum = bpf_csum_diff(NULL, 0, (void *)&ph, sizeof(ph), 0);
	}
	sum = xlb_icmp_sum(data, end, p->l4_off, len, sum);
	return sum >= 0 && xlb_csum_fold(sum) == 0;
}

/* Turns an echo request into its reply in place; both families. */
static __always_inline int xlb_echo_reply(struct xdp_md *ctx, const struct xlb_pkt *p)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct icmphdr *ic;
	__u8 type;
	struct iphdr *iph;
	struct ipv6hdr *ip6;
	__u16 old;

	ic = xlb_at(data, p->l4_off);
	if ((void *)(eth + 1) > end || (void *)(ic + 1) > end)
		return -1;
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	xlb_our_mac(eth->h_source);
	/* type and code share the first 16-bit word the checksum covers. Both words are built
	 * from bytes: clang reused a u16 load across the u8 store of the type otherwise. */
	type = p->key.family == XLB_FAM_V4 ? ICMP_ECHOREPLY : ICMPV6_ECHO_REPLY;
	xlb_csum_replace2(&ic->checksum, bpf_htons(ic->type << 8 | ic->code),
			  bpf_htons(type << 8 | ic->code));
	ic->type = type;
	if (p->key.family == XLB_FAM_V4) {
		iph = xlb_at(data, p->l3_off);
		if ((void *)(iph + 1) > end)
			return -1;
		iph->saddr = p->key.dst[0];
		iph->daddr = p->key.src[0];
		/* ttl and protocol share a 16-bit word of the header checksum. */
		old = *(__u16 *)&iph->ttl;
		iph->ttl = xlb_cfg.ttl;
		xlb_csum_replace2(&iph->check, old, *(__u16 *)&iph->ttl);
		return 0;
	}
	/* ICMPv6's pseudo-header sum does not change when source and destination swap. */
	ip6 = xlb_at(data, p->l3_off);
	if ((void *)(ip6 + 1) > end)
		return -1;
	__builtin_memcpy(&ip6->saddr, p->key.dst, 16);
	__builtin_memcpy(&ip6->daddr, p->key.src, 16);
	ip6->hop_limit = xlb_cfg.ttl;
	return 0;
}

/*
 * Cuts the frame to the L2 header + quote, grows it by room bytes at the front and writes the
 * L2 header back to the sender, from the interface's MAC. Returns 0 or -1.
 */
static __always_inline int xlb_icmp_reframe(struct xdp_md *ctx, const struct xlb_pkt *p,
					    __u32 room, __be16 type)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u8 src[ETH_ALEN], dst[ETH_ALEN];
	__u32 keep, len;

	if ((void *)(eth + 1) > end)
		return -1;
	xlb_our_mac(src);
	__builtin_memcpy(dst, eth->h_source, ETH_ALEN);
	keep = p->l3_off + XLB_ICMP_QUOTE;
	len = bpf_xdp_get_buff_len(ctx);
	if (len < keep || bpf_xdp_adjust_tail(ctx, -(int)(len - keep)))
		return -1;
	return xlb_reframe(ctx, p, -(int)room, dst, src, type) < 0 ? -1 : 0;
}

/* IPv4 "fragmentation needed" back to the client, advertising mtu. */
static __always_inline int xlb_frag_needed(struct xdp_md *ctx, const struct xlb_pkt *p, __u16 mtu)
{
	__u32 len = sizeof(struct iphdr) + sizeof(struct icmphdr) + XLB_ICMP_QUOTE;
	struct icmphdr *ic;
	struct iphdr *iph;
	void *data, *end;

	if (xlb_icmp_reframe(ctx, p, sizeof(*iph) + sizeof(*ic), bpf_htons(ETH_P_IP)))
		return -1;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	iph = xlb_at(data, p->l3_off);
	ic = (void *)(iph + 1);
	if ((void *)ic + sizeof(*ic) + XLB_ICMP_QUOTE > end)
		return -1;
	xlb_ipv4_write(iph, 0, bpf_htons(len), 0, 0, xlb_cfg.ttl, IPPROTO_ICMP, p->key.dst[0],
		       p->key.src[0]);
	__builtin_memset(ic, 0, sizeof(*ic));
	ic->type = ICMP_DEST_UNREACH;
	ic->code = ICMP_FRAG_NEEDED;
	ic->un.frag.mtu = bpf_htons(mtu);
	ic->checksum = xlb_csum_fold(bpf_csum_diff(NULL, 0, (void *)ic,
						   sizeof(*ic) + XLB_ICMP_QUOTE, 0));
	return 0;
}

/* ICMPv6 "packet too big" back to the client, advertising mtu. */
static __always_inline int xlb_pkt_too_big(struct xdp_md *ctx, const struct xlb_pkt *p, __u32 mtu)
{
	struct xlb_icmp6_pseudo ph = {};
	struct ipv6hdr h = {}, *ip6;
	struct icmp6hdr *ic;
	__u32 len = sizeof(*ic) + XLB_ICMP_QUOTE;
	void *data, *end;
	__s64 sum;

	if (xlb_icmp_reframe(ctx, p, sizeof(h) + sizeof(*ic), bpf_htons(ETH_P_IPV6)))
		return -1;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	ip6 = xlb_at(data, p->l3_off);
	ic = (void *)(ip6 + 1);
	if ((void *)ic + len > end)
		return -1;
	h.version = 6;
	h.payload_len = bpf_htons(len);
	h.nexthdr = IPPROTO_ICMPV6;
	h.hop_limit = xlb_cfg.ttl;
	__builtin_memcpy(&h.saddr, p->key.dst, 16);
	__builtin_memcpy(&h.daddr, p->key.src, 16);
	__builtin_memcpy(ip6, &h, sizeof(h));
	__builtin_memset(ic, 0, sizeof(*ic));
	ic->icmp6_type = ICMPV6_PKT_TOOBIG;
	ic->icmp6_dataun.un_data32[0] = bpf_htonl(mtu);
	ph.src = h.saddr;
	ph.dst = h.daddr;
	ph.len = bpf_htonl(len);
	ph.nexthdr = bpf_htonl(IPPROTO_ICMPV6);
	sum = bpf_csum_diff(NULL, 0, (void *)&ph, sizeof(ph), 0);
	sum = bpf_csum_diff(NULL, 0, (void *)ic, len, sum);
	ic->icmp6_cksum = xlb_csum_fold(sum);
	return 0;
}

#define XLB_QUOTE_PMTU    0 /* xlb_icmp_quoted_flow(): "fragmentation needed"/"packet too big" */
#define XLB_QUOTE_UNREACH 1 /* ... another "destination unreachable" (port unreachable...) */

/*
 * For an ICMP "destination unreachable" (ICMPv6's, or "packet too big") about a packet a
 * backend sent from a VIP, fills k with the client's flow (the quoted tuple reversed).
 * XLB_QUOTE_PMTU or XLB_QUOTE_UNREACH for such an error, -1 otherwise.
 */
static __always_inline int xlb_icmp_quoted_flow(void *data, void *end, const struct xlb_pkt *p,
						struct xlb_flow_key *k)
{
	struct icmphdr *ic = xlb_at(data, p->l4_off);
	__u32 quoted = p->l4_off + sizeof(*ic), ports_off;
	struct ipv6hdr *ip6;
	struct iphdr *iph;
	__be16 *ports;
	int kind;

	if ((void *)(ic + 1) > end)
		return -1;
	k->family = p->key.family;
	if (p->key.family == XLB_FAM_V4) {
		if (ic->type != ICMP_DEST_UNREACH)
			return -1;
		kind = ic->code == ICMP_FRAG_NEEDED ? XLB_QUOTE_PMTU : XLB_QUOTE_UNREACH;
		iph = (void *)(ic + 1);
		if ((void *)(iph + 1) > end || iph->ihl < 5)
			return -1;
		ports_off = quoted + iph->ihl * 4;
		ports = (void *)iph + iph->ihl * 4;
		k->proto = iph->protocol;
		k->src[0] = iph->daddr;
		k->dst[0] = iph->saddr;
	} else {
		if (ic->type != ICMPV6_PKT_TOOBIG && ic->type != ICMPV6_DEST_UNREACH)
			return -1;
		kind = ic->type == ICMPV6_PKT_TOOBIG ? XLB_QUOTE_PMTU : XLB_QUOTE_UNREACH;
		ip6 = (void *)(ic + 1);
		if ((void *)(ip6 + 1) > end)
			return -1;
		ports_off = quoted + sizeof(*ip6);
		ports = (void *)(ip6 + 1);
		k->proto = ip6->nexthdr;
		__builtin_memcpy(k->src, &ip6->daddr, 16);
		__builtin_memcpy(k->dst, &ip6->saddr, 16);
	}
	/* The ports must be inside the error's own IP packet, not in bytes behind it. */
	if ((void *)(ports + 2) > end || ports_off + 4 > p->l3_off + p->l3_len ||
	    (k->proto != IPPROTO_TCP && k->proto != IPPROTO_UDP))
		return -1;
	k->sport = ports[1];
	k->dport = ports[0];
	return kind;
}

#endif /* XLB_ICMP_H */
