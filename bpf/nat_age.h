/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The age of xlb_nat entries: each holds the second its flow last passed (the coarse clock)
 * and its VIP's idle timeout, the shorter FIN one once a FIN or RST passed either way. An
 * entry older than its timeout is treated as absent and replaced. Included by fnat.h and
 * xlb_main.h, after the maps.
 */
#ifndef XLB_NAT_AGE_H
#define XLB_NAT_AGE_H

#include "xlb_defs.h"
#include "xlb_abi.h"
#include "parse.h"

/* The coarse clock in seconds (one helper call; its tick is a few ms). */
static __always_inline __u32 xlb_nat_now(void)
{
	return bpf_ktime_get_coarse_ns() / 1000000000ull;
}

/*
 * Whether p is a TCP packet with its FIN flag set, read from its header (parse.h keeps no
 * flag for it: xlb_pkt has no byte to spare in the main program's 512-byte stack).
 */
static __always_inline bool xlb_tcp_fin(struct xdp_md *ctx, const struct xlb_pkt *p)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct tcphdr *th = xlb_at(data, p->l4_off);

	return p->key.proto == IPPROTO_TCP && !p->later && (void *)(th + 1) <= end && th->fin;
}

/* Whether entry n has outlived its timeout at now. The age is now - stamp: wrap-safe. */
static __always_inline bool xlb_nat_expired(const struct xlb_nat *n, __u32 now)
{
	__u32 limit = READ_ONCE(n->closing) ? READ_ONCE(n->fin_s) : READ_ONCE(n->idle_s);

	return now - READ_ONCE(n->stamp) > limit;
}

/*
 * Marks live entry n as passed at now by a packet (syn: a SYN; closes: a FIN or RST): the
 * stamp written at most once a second, the closing flag set by a FIN or RST and cleared by a
 * SYN reusing the 5-tuple; each written only when it changes, as other CPUs read the entry.
 */
static __always_inline void xlb_nat_touch(struct xlb_nat *n, bool syn, bool closes, __u32 now)
{
	__u8 closing = syn ? 0 : closes ? 1 : READ_ONCE(n->closing);

	if (READ_ONCE(n->stamp) != now)
		n->stamp = now;
	if (READ_ONCE(n->closing) != closing)
		n->closing = closing;
}

/*
 * Fills new entry n for client packet p sent to backend id: its VIP and port, and the timeouts
 * of its VIP's settings s. The caller set n's stamp (now) and closing (a FIN or RST) already,
 * so that they live in n and not across helper calls in registers spilled to the stack.
 */
static __always_inline void xlb_nat_new(struct xlb_nat *n, const struct xlb_pkt *p, __u32 id,
					const struct xlb_snat *s)
{
	__builtin_memcpy(n->vip, p->key.dst, sizeof(n->vip));
	n->vport = p->key.dport;
	n->backend = id;
	if (p->key.proto == IPPROTO_TCP)
		n->idle_s = READ_ONCE(s->tcp_timeout);
	else
		n->idle_s = READ_ONCE(s->udp_timeout);
	n->fin_s = READ_ONCE(s->fin_timeout);
}

#endif /* XLB_NAT_AGE_H */
