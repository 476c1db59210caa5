/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Full NAT's source for a client packet of a nat VIP with a pool (xlb_snat): the (pool address,
 * port) its flow already holds in xlb_nat, or the first free (or expired) of XLB_SNAT_TRIES
 * candidates, taken with BPF_NOEXIST so two CPUs never hand out one pair. Included by
 * xlb_main.h, after the maps.
 */
#ifndef XLB_FNAT_H
#define XLB_FNAT_H

#include "xlb_defs.h"
#include "xlb_abi.h"
#include "xlb_hash.h"
#include "xlb_maps.bpf.h"
#include "nat_age.h"
#include "parse.h"

/* xlb_nat_out()'s results besides 0 and -1 (a header not in the frame). */
enum xlb_nat_err {
	XLB_NAT_EXHAUSTED = 1, /* every candidate source was taken: counted snat_exhausted */
	XLB_NAT_LATER = 2,     /* a full NAT later fragment whose first noted no pool address */
};

/* Whether full NAT entry n is client flow k's (same client, VIP and ports). */
static __always_inline bool xlb_fnat_owns(const struct xlb_nat *n, const struct xlb_flow_key *k)
{
	return n->full && n->cport == k->sport && n->vport == k->dport &&
	       !((n->client[0] ^ k->src[0]) | (n->client[1] ^ k->src[1]) |
		 (n->client[2] ^ k->src[2]) | (n->client[3] ^ k->src[3]) |
		 (n->vip[0] ^ k->dst[0]) | (n->vip[1] ^ k->dst[1]) |
		 (n->vip[2] ^ k->dst[2]) | (n->vip[3] ^ k->dst[3]));
}

/* Whether full NAT entry n is client packet p's flow. */
static __always_inline bool xlb_fnat_mine(const struct xlb_nat *n, const struct xlb_pkt *p)
{
	return xlb_fnat_owns(n, &p->key);
}

/* Candidate i of the flow with hash: its reply key's destination in rk. 0, or -1. */
static __always_inline int xlb_fnat_cand(const struct xlb_snat *pool, __u32 count, __u32 hash,
					 __u32 i, struct xlb_flow_key *rk)
{
	__u32 idx;
	__u16 port = xlb_snat_candidate(hash, i, count, &idx);

	/* idx < count <= XLB_SNAT_MAX already; the check bounds the index for the verifier. */
	if (idx >= XLB_SNAT_MAX)
		return -1;
	__builtin_memcpy(rk->dst, pool->addr[idx], sizeof(rk->dst));
	rk->dport = bpf_htons(port);
	return 0;
}

/*
 * Takes candidate rk for new entry n (stamped now): free, or held by an expired entry, which is
 * deleted first. Two CPUs that found one entry expired at once may both delete: the second
 * delete may remove the first's new entry, which its flow's next packet then makes again. 0,
 * or -1.
 */
static __always_inline int xlb_fnat_take(const struct xlb_flow_key *rk, const struct xlb_nat *n)
{
	struct xlb_nat *e;

	/* BPF_NOEXIST: an entry another CPU made meanwhile is not overwritten. */
	if (!bpf_map_update_elem(&xlb_nat, rk, n, BPF_NOEXIST))
		return 0;
	e = bpf_map_lookup_elem(&xlb_nat, rk);
	if (!e || !xlb_nat_expired(e, READ_ONCE(n->stamp)))
		return -1;
	bpf_map_delete_elem(&xlb_nat, rk);
	return bpf_map_update_elem(&xlb_nat, rk, n, BPF_NOEXIST) ? -1 : 0;
}

/*
 * The source of client packet p (flow hash hash) sent to backend be (id, port bport) from pool,
 * left in the destination of *rk, its reply key: 0, XLB_NAT_EXHAUSTED, or -1 for a bad pool.
 * rk and n (a new entry is built there) are the caller's, in xlb_nat_scratch (off the stack),
 * zeroed but for n's stamp and closing (xlb_nat_new()). The candidates are looked at twice:
 * first for the flow's own live entry (any of them, as the one taken may have been the third
 * while the first was busy), then to take the first free or expired one. Both loops are
 * bounded by XLB_SNAT_TRIES (8): 40 map calls at most.
 */
static __always_inline int xlb_fnat_source(const struct xlb_pkt *p, const struct xlb_backend *be,
					   __u32 id, __be16 bport, __u32 hash,
					   const struct xlb_snat *pool, struct xlb_nat *n,
					   struct xlb_flow_key *rk)
{
	__u32 count = READ_ONCE(pool->count), i;
	struct xlb_nat *e;

	if (count > XLB_SNAT_MAX)
		return -1;
	__builtin_memcpy(rk->src, be->addr, sizeof(rk->src));
	rk->sport = bport;
	rk->proto = p->key.proto;
	rk->family = p->key.family;
	for (i = 0; i < XLB_SNAT_TRIES; i++) {
		if (xlb_fnat_cand(pool, count, hash, i, rk))
			return -1;
		e = bpf_map_lookup_elem(&xlb_nat, rk);
		if (e && xlb_fnat_mine(e, p) && !xlb_nat_expired(e, READ_ONCE(n->stamp))) {
			xlb_nat_touch(e, p->syn, READ_ONCE(n->closing), READ_ONCE(n->stamp));
			return 0;
		}
	}
	xlb_nat_new(n, p, id, pool);
	__builtin_memcpy(n->client, p->key.src, sizeof(n->client));
	n->cport = p->key.sport;
	n->full = 1;
	for (i = 0; i < XLB_SNAT_TRIES; i++) {
		if (xlb_fnat_cand(pool, count, hash, i, rk))
			return -1;
		if (!xlb_fnat_take(rk, n))
			return 0;
	}
	return XLB_NAT_EXHAUSTED;
}

/*
 * The reply key, into rk, of the live entry client flow k (hash: its flow hash) holds for
 * backend be (port bport) in pool, with count > 0 addresses: found among its XLB_SNAT_TRIES
 * candidates as xlb_fnat_source() looks for it, and never taken or touched. 0, or -1 when it
 * has none.
 */
static __always_inline int xlb_fnat_find(const struct xlb_flow_key *k, const struct xlb_backend *be,
					 __be16 bport, __u32 hash, const struct xlb_snat *pool,
					 __u32 count, struct xlb_flow_key *rk)
{
	__u32 now = xlb_nat_now(), i;
	struct xlb_nat *e;

	if (count > XLB_SNAT_MAX)
		return -1;
	__builtin_memcpy(rk->src, be->addr, sizeof(rk->src));
	rk->sport = bport;
	rk->proto = k->proto;
	rk->family = k->family;
	for (i = 0; i < XLB_SNAT_TRIES; i++) {
		if (xlb_fnat_cand(pool, count, hash, i, rk))
			return -1;
		e = bpf_map_lookup_elem(&xlb_nat, rk);
		if (e && xlb_fnat_owns(e, k) && !xlb_nat_expired(e, now))
			return 0;
	}
	return -1;
}

#endif /* XLB_FNAT_H */
