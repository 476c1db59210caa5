/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The decap program's path, xlb_decap_handle(): outer headers read and stripped, second chance
 * decided, verdict counted. Included once per object: by bpf/xlb_decap.bpf.c and by the
 * benchmark's program (tests/bench/decap_bench.bpf.c), which times it.
 */
#ifndef XLB_DECAP_MAIN_H
#define XLB_DECAP_MAIN_H

#include "xlb_defs.h"
#include "xlb_abi.h"
#include "xlb_decap_stats.bpf.h"

const volatile struct xlb_decap_cfg xlb_decap_cfg = {
	.gue_port = bpf_htons(XLB_GUE_PORT_DEFAULT),
	.mtu = XLB_MTU_DEFAULT,
	.ttl = XLB_TTL_DEFAULT,
};

#include "gue.h"
#include "l2.h"
#include "parse.h"
#include "relay.h"

static __always_inline bool xlb_decap_for_us(const struct xlb_flow_key *outer)
{
	int i;

	if (outer->family == XLB_FAM_V4)
		return !xlb_decap_cfg.local_v4 || xlb_decap_cfg.local_v4 == outer->dst[0];
	for (i = 0; i < 4; i++)
		if (xlb_decap_cfg.local_v6[i])
			break;
	if (i == 4)
		return true;
	for (i = 0; i < 4; i++)
		if (xlb_decap_cfg.local_v6[i] != outer->dst[i])
			return false;
	return true;
}

/*
 * A packet that names a second hop (the frame now holds the inner packet). A SYN opens a new
 * flow here; a TCP packet of a flow this host knows stays; any other TCP packet belongs to a
 * flow the balancer's previous choice holds, and goes there. Everything but TCP stays: UDP
 * has no per-flow state to find (one socket serves every UDP flow of a port), so the second
 * hop would be no likelier to know it. A relayed packet never travels twice.
 */
static __always_inline int xlb_second_chance(struct xdp_md *ctx, const struct xlb_tunnel *t,
					     struct xlb_decap_stats *st)
{
	struct xlb_pkt in = {};

	if (t->hop.flags & XLB_GUE_F_RELAYED) {
		st->delivered_relayed++;
		goto local;
	}
	/* Not TCP, or not parsable: the stack decides, as for any packet. */
	if (xlb_parse(ctx, &in) != XLB_P_L4 || in.key.proto != IPPROTO_TCP)
		goto local;
	if (in.syn) {
		st->delivered_syn++;
		goto local;
	}
	switch (xlb_local_flow(ctx, &in)) {
	case XLB_LOCAL_SOCKET:
		st->delivered_socket++;
		goto local;
	case XLB_LOCAL_COOKIE:
		st->delivered_cookie++;
		goto local;
	}
	if (xlb_relay(ctx, &in, t)) {
		st->relay_failed++;
		return XDP_DROP;
	}
	st->relayed++;
	return XDP_TX;
local:
	st->delivered++;
	return XDP_PASS;
}

static __always_inline int xlb_decap(struct xdp_md *ctx, struct xlb_decap_stats *st)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct xlb_tunnel t = {};
	struct xlb_pkt p = {};
	__u8 src[ETH_ALEN], dst[ETH_ALEN];
	struct ethhdr *eth = data;
	int ret;

	/* Malformed frames are not tunnels either: they pass untouched, like everything else. */
	ret = xlb_parse(ctx, &p);
	if ((ret != XLB_P_L4 && ret != XLB_P_PASS) || !xlb_decap_for_us(&p.key))
		return XDP_PASS;
	ret = xlb_tunnel_read(data, end, &p, xlb_decap_cfg.gue_port, &t);
	if (ret == XLB_TUN_NONE || (void *)(eth + 1) > end)
		return XDP_PASS;
	if (ret >= 0 && ret < XLB_DECAP_DROP__MAX) {
		st->drop[ret]++;
		return XDP_DROP;
	}
	__builtin_memcpy(src, eth->h_source, ETH_ALEN);
	__builtin_memcpy(dst, eth->h_dest, ETH_ALEN);
	if (xlb_reframe(ctx, &p, t.strip, dst, src,
			bpf_htons(t.family == XLB_FAM_V4 ? ETH_P_IP : ETH_P_IPV6)) < 0) {
		st->drop[XLB_DECAP_DROP_NO_ROOM]++;
		return XDP_DROP;
	}
	if (t.hop.family)
		return xlb_second_chance(ctx, &t, st);
	st->delivered++;
	return XDP_PASS;
}

/* The whole path, with the verdict counted. */
static __always_inline int xlb_decap_handle(struct xdp_md *ctx)
{
	struct xlb_decap_stats *st = xlb_decap_stats_this_cpu();
	int act;

	if (!st)
		return XDP_PASS;
	act = xlb_decap(ctx, st);
	if (act >= 0 && act < XLB_XDP_ACTIONS)
		st->action[act]++;
	return act;
}

#endif /* XLB_DECAP_MAIN_H */
