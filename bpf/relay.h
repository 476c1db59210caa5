/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Second chance on a backend: whether a decapsulated TCP packet belongs to this host (a socket
 * for its flow, or a SYN-cookie ACK for a local listener), and if not, sending it on to the
 * second hop its GUE header names, re-encapsulated with the relay flag set. Reads the
 * xlb_decap_cfg rodata the including program (bpf/xlb_decap.bpf.c) defines.
 */
#ifndef XLB_RELAY_H
#define XLB_RELAY_H

#include "xlb_defs.h"
#include "xlb_abi.h"
#include "csum.h"
#include "gue.h"
#include "l2.h"
#include "outer.h"
#include "parse.h"

enum xlb_local {
	XLB_LOCAL_NONE,	  /* no socket here: the flow lives on the second hop, if anywhere */
	XLB_LOCAL_SOCKET, /* established, request (SYN_RECV) or time-wait socket */
	XLB_LOCAL_COOKIE, /* a listener and an ACK carrying one of its valid SYN cookies */
};

/*
 * Looks the inner TCP packet p up in this host's socket tables, in the namespace of the
 * interface the packet arrived on (BPF_F_CURRENT_NETNS), as the stack would on receipt.
 * bpf_skc_lookup_tcp() also returns request and time-wait sockets, and falls back to a
 * listener: a listener only claims the packet through a valid SYN cookie.
 */
static __always_inline int xlb_local_flow(struct xdp_md *ctx, const struct xlb_pkt *p)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	void *iph = xlb_at(data, p->l3_off), *th = xlb_at(data, p->l4_off);
	struct bpf_sock_tuple tup = {};
	int ret = XLB_LOCAL_NONE;
	struct bpf_sock *sk;
	__u32 size;

	if (p->key.family == XLB_FAM_V4) {
		tup.ipv4.saddr = p->key.src[0];
		tup.ipv4.daddr = p->key.dst[0];
		tup.ipv4.sport = p->key.sport;
		tup.ipv4.dport = p->key.dport;
		size = sizeof(tup.ipv4);
	} else {
		__builtin_memcpy(tup.ipv6.saddr, p->key.src, 16);
		__builtin_memcpy(tup.ipv6.daddr, p->key.dst, 16);
		tup.ipv6.sport = p->key.sport;
		tup.ipv6.dport = p->key.dport;
		size = sizeof(tup.ipv6);
	}
	sk = bpf_skc_lookup_tcp(ctx, &tup, size, BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return XLB_LOCAL_NONE;
	if (sk->state != BPF_TCP_LISTEN)
		ret = XLB_LOCAL_SOCKET;
	/* The helper reads the addresses and the TCP header: each size is a constant in bounds. */
	else if (p->key.family == XLB_FAM_V4 && iph + sizeof(struct iphdr) <= end &&
		 th + sizeof(struct tcphdr) <= end &&
		 !bpf_tcp_check_syncookie(sk, iph, sizeof(struct iphdr), th, sizeof(struct tcphdr)))
		ret = XLB_LOCAL_COOKIE;
	else if (p->key.family == XLB_FAM_V6 && iph + sizeof(struct ipv6hdr) <= end &&
		 th + sizeof(struct tcphdr) <= end &&
		 !bpf_tcp_check_syncookie(sk, iph, sizeof(struct ipv6hdr), th,
					  sizeof(struct tcphdr)))
		ret = XLB_LOCAL_COOKIE;
	bpf_sk_release(sk);
	return ret;
}

/* Whether this host can relay to family: an outer source of it and a next hop are set. */
static __always_inline bool xlb_relay_ready(__u8 family)
{
	__u32 any = 0;
	int i;

	for (i = 0; i < ETH_ALEN; i++)
		any |= xlb_decap_cfg.next_hop[i];
	if (!any)
		return false;
	if (family == XLB_FAM_V4)
		return xlb_decap_cfg.src_v4 != 0;
	for (i = 0; i < 4; i++)
		any |= xlb_decap_cfg.src_v6[i];
	return any != 0;
}

/* UDP to the GUE port from the arriving source port, then xlb's GUE header with the flag. */
static __always_inline int xlb_relay_gue(void *l4, void *end, const struct xlb_tunnel *t,
					 __u32 len)
{
	struct {
		struct udphdr udp;
		struct xlb_gue_hdr gue;
		struct xlb_gue_hop hop;
	} h = {}, *at = l4;

	if ((void *)(at + 1) > end)
		return -1;
	h.udp.source = t->sport;
	h.udp.dest = xlb_decap_cfg.gue_port;
	h.udp.len = bpf_htons(len);
	/* Zero UDP checksum: optional over IPv4, allowed for tunnels over IPv6 (RFC 6935). */
	h.gue.ver_hlen = XLB_GUE_HLEN;
	h.gue.proto = t->gue_proto;
	h.hop = t->hop;
	h.hop.flags |= XLB_GUE_F_RELAYED;
	__builtin_memcpy(at, &h, sizeof(h));
	return 0;
}

/* Cuts what follows the inner packet off the frame; 0, or -1 if the frame could not shrink. */
static __always_inline int xlb_relay_trim(struct xdp_md *ctx, const struct xlb_pkt *p)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 len = p->l3_off + p->l3_len;

	/* The parser checked that len fits the frame, which is linear (one page at most). */
	if (xlb_at(data, len) < end && bpf_xdp_adjust_tail(ctx, -(int)(end - xlb_at(data, len))))
		return -1;
	/* Callers reload data and end: without this clang merges the reloads of both paths into
	 * one load from a ctx offset it picks at run time, which the verifier refuses. */
	xlb_barrier();
	return 0;
}

/*
 * Re-encapsulates the decapsulated packet p (the frame now starts with its L2 header) to the
 * second hop t names: outer IP of the hop's family from this host's source, UDP, GUE with the
 * relay flag, from this interface's MAC to the next hop. 0, or -1 when it cannot be sent.
 */
static __always_inline int xlb_relay(struct xdp_md *ctx, const struct xlb_pkt *p,
				     const struct xlb_tunnel *t)
{
	bool v4 = t->hop.family == XLB_FAM_V4;
	__u32 iplen = v4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
	__u32 glen = sizeof(struct udphdr) + XLB_GUE_PRIV + p->l3_len;
	__u8 mac[ETH_ALEN], nh[ETH_ALEN];
	struct ethhdr *eth;
	void *data, *end;
	int i, off;

	if (!xlb_relay_ready(t->hop.family) || iplen + glen > xlb_decap_cfg.mtu ||
	    xlb_relay_trim(ctx, p))
		return -1;
	/* The tail moved: reload the packet pointers. */
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	eth = data;
	if ((void *)(eth + 1) > end)
		return -1;
	/* The frame came to this interface's MAC: it leaves from it. */
	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	for (i = 0; i < ETH_ALEN; i++)
		nh[i] = xlb_decap_cfg.next_hop[i];
	off = xlb_reframe(ctx, p, -(int)(iplen + sizeof(struct udphdr) + XLB_GUE_PRIV), nh, mac,
			  bpf_htons(v4 ? ETH_P_IP : ETH_P_IPV6));
	if (off < 0 || off > ETH_HLEN + XLB_MAX_VLANS * 4)
		return -1;
	/* The head moved: reload the packet pointers, and check each again below. */
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	/* An IPv6 flow label from the outer source port: the balancer's flow hash. */
	if (v4 ? xlb_outer_ipv4(data + off, end, p, xlb_decap_cfg.ttl, IPPROTO_UDP,
				xlb_decap_cfg.src_v4, t->hop.addr[0], iplen + glen)
	       : xlb_outer_ipv6(data + off, end, p, xlb_decap_cfg.ttl, IPPROTO_UDP,
				xlb_decap_cfg.src_v6, t->hop.addr, glen, bpf_ntohs(t->sport)))
		return -1;
	return xlb_relay_gue(data + off + iplen, end, t, glen);
}

#endif /* XLB_RELAY_H */
