/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The per-packet benchmark's floor: the least a balancer that keeps a connection table does
 * for a packet, built from xlb's own parts. It parses to the ports, hashes the 5-tuple, reads
 * this CPU's bucket of the flow in xlb's table and compares one tag, puts an IPIP (IPv6: IP6IP6)
 * header in front and returns XDP_TX. It has no VIP lookup, key compare, backend, check or
 * counter, and a new flow writes nothing. Included by xlb_bench.bpf.c after xlb_main.h.
 */
#ifndef XLB_BENCH_FLOOR_BPF_H
#define XLB_BENCH_FLOOR_BPF_H

static __always_inline int floor_ipip(struct xdp_md *ctx)
{
	__u8 mac[ETH_ALEN], nh[ETH_ALEN], ttl;
	struct xlb_conn_bucket *b;
	struct xlb_pkt p = {};
	void *data, *end;
	int i, off;
	__u64 h;

	if (xlb_parse(ctx, &p) != XLB_P_L4)
		return XDP_ABORTED;
	h = xlb_conn_hash(&p.key);
	b = xlb_conn_at(xlb_conn_index(h >> 32));
	if (!b)
		return XDP_ABORTED;
	/* The tag picks the outer TTL, so the read stays in the program; either TTL will do. */
	ttl = b->tag[0] == xlb_conn_tag(h) ? xlb_cfg.ttl : xlb_cfg.ttl - 1;
	xlb_our_mac(mac);
	for (i = 0; i < ETH_ALEN; i++)
		nh[i] = xlb_cfg.next_hop[i];
	off = xlb_reframe(ctx, &p, p.key.family == XLB_FAM_V4 ? -20 : -40, nh, mac,
			  bpf_htons(p.key.family == XLB_FAM_V4 ? ETH_P_IP : ETH_P_IPV6));
	/* The L3 offset, bounded for the verifier as xlb_encap() bounds it: L2 and its tags. */
	if (off < 0 || off > ETH_HLEN + XLB_MAX_VLANS * 4)
		return XDP_ABORTED;
	/* The head moved: reload the packet pointers; the writers check them again. */
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	/* The outer destination is the VIP: any address costs the same. */
	if (p.key.family == XLB_FAM_V4)
		off = xlb_outer_ipv4(data + off, end, &p, ttl, IPPROTO_IPIP, xlb_cfg.src_v4,
				     p.key.dst[0], p.l3_len + 20);
	else
		off = xlb_outer_ipv6(data + off, end, &p, ttl, IPPROTO_IPV6, xlb_cfg.src_v6,
				     p.key.dst, p.l3_len, h >> 32);
	return off ? XDP_ABORTED : XDP_TX;
}

#endif /* XLB_BENCH_FLOOR_BPF_H */
