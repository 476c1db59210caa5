/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The balancer's packet path, xlb_handle(): parse -> VIP filter -> connection table (known
 * flows stop here) -> VIP lookup -> Maglev -> encap/rewrite -> count -> verdict; for a
 * second-chance VIP's address: VIP filter -> VIP lookup -> its table's two hops -> GUE
 * variant 0 -> count -> verdict. Inlined but for the table's entry points (flow.h) other
 * than the known flow's, xlb_forward(), xlb_too_big() and the fragment path's, global
 * functions the verifier checks once each. Included by the XDP entry (xlb.bpf.c) and by the
 * benchmark wrapper, so both run exactly this code.
 */
#ifndef XLB_MAIN_H
#define XLB_MAIN_H

#include "xlb_defs.h"
#include "xlb_abi.h"
#include "xlb_hash.h"
#include "config.h"
#include "xlb_maps.bpf.h"
#include "parse.h"
#include "encap.h"
#include "icmp.h"
#include "frag.h"
#include "nat.h"
#include "nat_age.h"
#include "fnat.h"
#include "nat_frag.h"
#include "lb.h"

static __always_inline int xlb_drop(struct xlb_stats *st, enum xlb_drop_reason why)
{
	st->drop[why]++;
	return XDP_DROP;
}

/*
 * Too big once encapsulated: tell the client the MTU it must use, or drop when DF is clear. A
 * global function, called by xlb_send_hops() on xlb_forward()'s answer: inside xlb_forward()
 * its ICMP builders cost every forwarded packet 3-8 ns and took the stack the encapsulation
 * needs.
 */
__noinline int xlb_too_big(struct xdp_md *ctx, const struct xlb_pkt *p, __u32 mtu,
			   struct xlb_stats *st)
{
	int err;

	if (!p || !st) /* never: the callers pass their own; the verifier wants the check */
		return XDP_ABORTED;
	/* Never an ICMP error about an ICMP error (RFC 1122, RFC 4443 2.4): those just drop. */
	if (!p->df || p->key.proto == IPPROTO_ICMP || p->key.proto == IPPROTO_ICMPV6)
		return xlb_drop(st, XLB_DROP_TOO_BIG);
	if (!xlb_src_is_host(&p->key))
		return xlb_drop(st, XLB_DROP_NOT_HOST);
	if (p->key.family == XLB_FAM_V4)
		err = xlb_frag_needed(ctx, p, mtu);
	else
		err = xlb_pkt_too_big(ctx, p, mtu);
	if (err)
		return xlb_drop(st, XLB_DROP_NO_ROOM);
	st->icmp_too_big++;
	return XDP_TX;
}

/*
 * Remembers, for the replies of NATed client packet p, the VIP and port they must come from
 * (port: the backend's, that replies come from), with the timeouts of its VIP's settings s,
 * built in n and its key in rk (xlb_nat_scratch's, n stamped). Written whole only when
 * missing, stale or expired, as replies on other CPUs read it; else only touched. The lookup
 * refreshes its place in the LRU.
 */
static __always_inline void xlb_nat_record(const struct xlb_pkt *p, const struct xlb_backend *be,
					   __u32 id, __be16 port, const struct xlb_snat *s,
					   struct xlb_nat *n, struct xlb_flow_key *rk)
{
	struct xlb_nat *old;

	xlb_nat_reply_key(p, be, port, rk);
	xlb_nat_new(n, p, id, s);
	old = bpf_map_lookup_elem(&xlb_nat, rk);
	if (old && old->vport == n->vport && old->backend == n->backend && !old->full &&
	    !((old->vip[0] ^ n->vip[0]) | (old->vip[1] ^ n->vip[1]) | (old->vip[2] ^ n->vip[2]) |
	      (old->vip[3] ^ n->vip[3])) && !xlb_nat_expired(old, READ_ONCE(n->stamp))) {
		xlb_nat_touch(old, p->syn, READ_ONCE(n->closing), READ_ONCE(n->stamp));
		return;
	}
	bpf_map_update_elem(&xlb_nat, rk, n, BPF_ANY);
}

/*
 * Full NAT: p's source also becomes the pool address and port its flow holds (or takes now),
 * so the backend replies to the balancer whatever its routes. 0, -1, or an enum xlb_nat_err.
 */
static __always_inline int xlb_fnat_out(struct xdp_md *ctx, const struct xlb_pkt *p,
					const struct xlb_backend *be, __u32 id, __u32 hash,
					const struct xlb_snat *pool, const __be32 *baddr,
					struct xlb_nat *n, struct xlb_flow_key *rk)
{
	__be16 port = READ_ONCE(be->nat_port);
	int err;

	err = xlb_fnat_source(p, be, id, port ? port : p->key.dport, hash, pool, n, rk);
	if (err)
		return err;
	if (xlb_nat_rewrite(ctx, p, baddr, port, true) ||
	    xlb_nat_rewrite(ctx, p, rk->dst, rk->dport, false))
		return -1;
	return xlb_dr(ctx, be);
}

/*
 * LVS-NAT: p's destination becomes backend be's address and port (its own port when the
 * backend has none), the reply's way back is recorded, and the frame goes to be's MAC; with
 * a source pool, full NAT (xlb_fnat_out()). 0, -1 when a header is not in the frame, or an
 * enum xlb_nat_err.
 */
static __always_inline int xlb_nat_out(struct xdp_md *ctx, const struct xlb_pkt *p,
				       const struct xlb_backend *be, __u32 id, __u32 hash)
{
	__be16 port = READ_ONCE(be->nat_port);
	__u32 vid = be->vip_id, zero = 0;
	struct xlb_nat_scratch *sc;
	struct xlb_snat *pool;
	__be32 addr[4];

	__builtin_memcpy(addr, be->addr, sizeof(addr));
	pool = bpf_map_lookup_elem(&xlb_snat, &vid);
	/* A new xlb_nat entry and its key, of either kind, are built off the stack (the map's). */
	sc = bpf_map_lookup_elem(&xlb_nat_scratch, &zero);
	if (!pool || !sc) /* never: both arrays have the entry */
		return -1;
	__builtin_memset(sc, 0, sizeof(*sc));
	sc->entry.stamp = xlb_nat_now();
	sc->entry.closing = xlb_tcp_fin(ctx, p) || p->rst;
	if (READ_ONCE(pool->count) && p->later)
		return xlb_fnat_later(ctx, p, be, pool, addr, &sc->frag);
	if (READ_ONCE(pool->count))
		return xlb_fnat_out(ctx, p, be, id, hash, pool, addr, &sc->entry, &sc->key);
	if (!p->later)
		xlb_nat_record(p, be, id, port ? port : p->key.dport, pool, &sc->entry, &sc->key);
	if (xlb_nat_rewrite(ctx, p, addr, port, true))
		return -1;
	return xlb_dr(ctx, be);
}

/* The entry of second hop id, or NULL when there is none (0, or a backend gone since). */
static __always_inline const struct xlb_backend *xlb_second_hop(__u32 id)
{
	struct xlb_backend *be;

	if (!id)
		return NULL;
	be = bpf_map_lookup_elem(&xlb_backends, &id);
	return be && (be->flags & XLB_BE_F_ACTIVE) ? be : NULL;
}

/*
 * xlb_forward()'s answer for a packet that does not fit the MTU once encapsulated: this bit,
 * and in the low 16 bits the MTU the client must use: the attach MTU (XLB_MTU_MIN to
 * XLB_MTU_MAX) less the encapsulation's bytes, at least 1280.
 */
#define XLB_TOO_BIG 0x10000

/*
 * Sends p to the first hop of hops (a table slot value: a backend id, and for second chance
 * the second hop above it) the way its VIP says (hash: the flow's, for outer headers), and
 * counts it; the verdict, or XLB_TOO_BIG (xlb_send_hops() answers it). A global function:
 * verified once for every path that forwards, with its stack (the headers it builds) apart
 * from theirs.
 */
__noinline int xlb_forward(struct xdp_md *ctx, const struct xlb_pkt *p, __u32 hops, __u32 hash,
			   struct xlb_stats *st)
{
	__u32 id = xlb_slot_first(hops), olen = 0;
	struct xlb_backend *be = bpf_map_lookup_elem(&xlb_backends, &id);
	const struct xlb_backend *second = NULL;
	struct xlb_backend_stats *bs;
	bool gue, two;
	__u8 fwd;
	int err;

	if (!p || !st) /* never: the callers pass their own; the verifier wants the check */
		return XDP_ABORTED;
	if (!be)
		return xlb_drop(st, XLB_DROP_BAD_VIP);
	/* Read once: userspace may rewrite the entry (a VIP changing mode) while we run. */
	fwd = READ_ONCE(be->forward);
	gue = fwd == XLB_FWD_GUE;
	two = gue && (READ_ONCE(be->flags) & XLB_BE_F_TWOHOP);
	if (fwd == XLB_FWD_IPIP || gue)
		olen = xlb_encap_overhead(be, gue, two);
	else if (fwd == XLB_FWD_NAT && (p->key.proto == IPPROTO_ICMP ||
					p->key.proto == IPPROTO_ICMPV6))
		return XDP_PASS; /* an ICMP error from a client about a NATed flow: not ours */
	else if (fwd == XLB_FWD_NAT && be->family != p->key.family)
		return xlb_drop(st, XLB_DROP_BAD_VIP);
	else if (fwd != XLB_FWD_DR && fwd != XLB_FWD_NAT)
		return xlb_drop(st, XLB_DROP_BAD_VIP);
	/* What leaves is the IP packet (bytes behind it are cut) and the tunnel headers. */
	if (p->l3_len + olen > xlb_cfg.mtu)
		return XLB_TOO_BIG | (xlb_cfg.mtu - olen);
	if (xlb_trim(ctx, p))
		return xlb_drop(st, XLB_DROP_NO_ROOM);
	if (two)
		second = xlb_second_hop(xlb_slot_second(hops));
	if (fwd == XLB_FWD_DR)
		err = xlb_dr(ctx, be);
	else if (fwd == XLB_FWD_NAT)
		err = xlb_nat_out(ctx, p, be, id, hash);
	else
		err = xlb_encap(ctx, p, be, gue, olen, hash, two, second);
	if (err == XLB_NAT_EXHAUSTED)
		return xlb_drop(st, XLB_DROP_SNAT_EXHAUSTED);
	if (err == XLB_NAT_LATER)
		return xlb_drop(st, XLB_DROP_FRAGMENT);
	if (err)
		return xlb_drop(st, XLB_DROP_NO_ROOM);
	bs = bpf_map_lookup_elem(&xlb_backend_stats, &id);
	if (bs) {
		bs->packets++;
		bs->bytes += p->l3_len;
	}
	return XDP_TX;
}

/* xlb_forward(), and for a packet too big once encapsulated, the ICMP error that says so. */
static __always_inline int xlb_send_hops(struct xdp_md *ctx, const struct xlb_pkt *p, __u32 hops,
					 __u32 hash, struct xlb_stats *st)
{
	int act = xlb_forward(ctx, p, hops, hash, st);

	return act & XLB_TOO_BIG ? xlb_too_big(ctx, p, act & 0xffff, st) : act;
}

/* Counts a new flow for its VIP (vs, NULL if its lookup failed) and for backend id. */
static __always_inline void xlb_count_new(struct xlb_vip_stats *vs, __u32 id)
{
	struct xlb_backend_stats *bs = bpf_map_lookup_elem(&xlb_backend_stats, &id);

	if (vs)
		vs->new_flows++;
	if (bs)
		bs->new_flows++;
}

/* Counts p as a packet of VIP vip_id; returns the VIP's counters (NULL if the lookup failed). */
static __always_inline struct xlb_vip_stats *xlb_count_vip(__u32 vip_id, const struct xlb_pkt *p)
{
	struct xlb_vip_stats *vs = bpf_map_lookup_elem(&xlb_vip_stats, &vip_id);

	if (vs) {
		vs->packets++;
		vs->bytes += p->l3_len;
	}
	return vs;
}

#define XLB_CHOSEN -1 /* xlb_choose(): a backend is in the choice; else an XDP verdict */
#define XLB_NOT_TWOHOP -2 /* xlb_twohop_choose(): not a second-chance VIP's packet */

/*
 * Counts p for its VIP; a SYN over the VIP's new-flow-limit on this CPU is dropped and
 * counted. XLB_CHOSEN with *vs set (NULL if the lookup failed), or the verdict for p.
 */
static __always_inline int xlb_vip_admit_pkt(const struct xlb_vip *vip, const struct xlb_pkt *p,
					     struct xlb_stats *st, struct xlb_vip_stats **vs)
{
	*vs = xlb_count_vip(vip->id, p);
	if (p->syn && vip->new_flow_limit && !xlb_vip_admit(vip->id, vip->new_flow_limit)) {
		if (*vs)
			(*vs)->new_flows_limited++;
		return xlb_drop(st, XLB_DROP_NEW_FLOW_LIMIT);
	}
	return XLB_CHOSEN;
}

/*
 * A packet to an address that may have a second-chance VIP: when its VIP is one, the slot's
 * two hops, with no connection-table lookup or insert, for a SYN as for any other packet.
 * XLB_CHOSEN with c filled, XLB_NOT_TWOHOP, or the verdict for p.
 */
static __always_inline int xlb_twohop_choose(const struct xlb_pkt *p, struct xlb_stats *st,
					     struct xlb_choice *c)
{
	struct xlb_vip_stats *vs;
	struct xlb_vip *vip = xlb_vip_find(&p->key);
	int act;

	if (!vip || !(vip->flags & XLB_VIP_F_TWOHOP))
		return XLB_NOT_TWOHOP;
	act = xlb_vip_admit_pkt(vip, p, st, &vs);
	if (act != XLB_CHOSEN)
		return act;
	if (xlb_maglev(vip, &p->key, c, true))
		return xlb_drop(st, XLB_DROP_NO_BACKEND);
	if (p->syn)
		xlb_count_new(vs, c->id);
	return XLB_CHOSEN;
}

/*
 * A known flow goes straight to its backend, which carries its VIP's forwarding: one array
 * lookup. Otherwise the VIP is looked up and Maglev picks a backend for the new flow, which
 * is recorded unless it is a SYN or an RST. A SYN opens a connection, so it goes by Maglev
 * and clears an entry left on its 5-tuple; at worst a retransmitted SYN lands on another
 * backend after a table change and leaves a half-open socket behind (Katran does the same).
 * A SYN over its VIP's new-flow-limit on this CPU is dropped and counted before Maglev.
 * Packets to an address with a second-chance VIP look their VIP up first (xlb_twohop_choose()).
 * XLB_CHOSEN with c filled, or the verdict for p.
 */
static __always_inline int xlb_choose(const struct xlb_pkt *p, struct xlb_stats *st,
				      struct xlb_choice *c)
{
	struct xlb_vip_stats *vs;
	struct xlb_vip *vip;
	__u32 maybe = xlb_vip_filter_test(&p->key);
	int act, err;

	if (!maybe)
		return XDP_PASS;
	if (maybe & XLB_MAYBE_TWOHOP) {
		act = xlb_twohop_choose(p, st, c);
		if (act != XLB_NOT_TWOHOP)
			return act;
	}
	xlb_flow_hash_into(&p->key, c);
	if (!p->syn && xlb_known(&p->key, c)) {
		st->flow_hit++;
		xlb_count_vip(c->be->vip_id, p);
		return XLB_CHOSEN;
	}
	vip = xlb_vip_find(&p->key);
	if (!vip)
		return XDP_PASS;
	act = xlb_vip_admit_pkt(vip, p, st, &vs);
	if (act != XLB_CHOSEN)
		return act;
	st->flow_miss++;
	err = xlb_new_flow(vip, &p->key, !p->syn && !p->rst, c);
	if (p->syn)
		xlb_flow_forget(&p->key, c->hash, c->lo, c->moved);
	if (err)
		return xlb_drop(st, XLB_DROP_NO_BACKEND);
	if (p->syn)
		xlb_flow_syn(&p->key, c->lo, c->id, c->be->gen);
	xlb_count_new(vs, c->id);
	return XLB_CHOSEN;
}

/* Sends p to the backend in c. */
static __always_inline int xlb_send(struct xdp_md *ctx, const struct xlb_pkt *p,
				    const struct xlb_choice *c, struct xlb_stats *st)
{
	/* A backend marked down gets packets only while its VIP has none up and fails open. */
	if (c->be->flags & XLB_BE_F_DOWN)
		st->fail_open++;
	return xlb_send_hops(ctx, p, xlb_slot_pack(c->id, c->second), c->hash, st);
}

/*
 * Records for the later fragments of first fragment p's datagram where p went: backend id of
 * gen gen with hash, or XLB_FRAG_PASS. A global function, so its key and value take no stack
 * from the packet path. Always 0.
 */
__noinline int xlb_frag_record(const struct xlb_pkt *p, __u32 id, __u32 gen, __u32 hash)
{
	struct xlb_frag f = { .backend = id, .gen = gen, .hash = hash };
	struct xlb_frag_key fk = {};

	if (!p) /* a global function's pointer may be NULL for the verifier */
		return 0;
	xlb_frag_key_of(p, &fk);
	bpf_map_update_elem(&xlb_frags, &fk, &f, BPF_ANY);
	return 0;
}

/*
 * Balances p. A first fragment (first) records where it went (or that it went up) for its
 * datagram's later fragments, and once sent by full NAT, the pool address it left from; a
 * constant false everywhere else, so those tests are compiled out.
 */
static __always_inline int xlb_balance(struct xdp_md *ctx, const struct xlb_pkt *p,
				       struct xlb_stats *st, bool first)
{
	struct xlb_choice c = {};
	int act = xlb_choose(p, st, &c);

	if (first && act == XLB_CHOSEN)
		xlb_frag_record(p, c.id, c.be->gen, c.hash);
	else if (first && act == XDP_PASS)
		xlb_frag_record(p, XLB_FRAG_PASS, 0, 0);
	if (act != XLB_CHOSEN)
		return act;
	act = xlb_send(ctx, p, &c, st);
	if (first && act == XDP_TX && READ_ONCE(c.be->forward) == XLB_FWD_NAT)
		xlb_frag_snat_note(ctx, p, c.be->vip_id);
	return act;
}

#define XLB_BALANCE	  16 /* xlb_fragment(): a whole datagram, ports read: balance it */
#define XLB_BALANCE_FIRST 17 /* ... a first fragment, ports read: balance it and record */
#define XLB_FOLLOW	  18 /* ... a later fragment: send it where its first went */
#define XLB_NOT_VIP	  19 /* ... not to a VIP address: maybe a NAT backend's reply */

/*
 * A later fragment follows the backend its datagram's first fragment went to, with that
 * flow's hash (it has no ports to hash): XLB_FOLLOW with id << 32 | hash in *to. Dropped and
 * counted when the first was not seen, passed up when the first was, and dropped when that
 * backend went away since.
 */
static __always_inline int xlb_frag_follow(const struct xlb_pkt *p, struct xlb_stats *st,
					   __u64 *to)
{
	struct xlb_frag_key fk = {};
	struct xlb_backend *be;
	struct xlb_frag *f;
	__u32 id, gen, hash;

	xlb_frag_key_of(p, &fk);
	f = bpf_map_lookup_elem(&xlb_frags, &fk);
	if (!f)
		return xlb_drop(st, XLB_DROP_FRAGMENT_ORPHAN);
	/* Read once: another CPU's first fragment may reuse the entry while we run. */
	id = READ_ONCE(f->backend);
	gen = READ_ONCE(f->gen);
	hash = READ_ONCE(f->hash);
	if (id == XLB_FRAG_PASS)
		return XDP_PASS;
	be = bpf_map_lookup_elem(&xlb_backends, &id);
	if (!be || be->gen != gen || !(be->flags & XLB_BE_F_ACTIVE))
		return xlb_drop(st, XLB_DROP_NO_BACKEND);
	xlb_count_vip(be->vip_id, p);
	*to = (__u64)id << 32 | hash;
	return XLB_FOLLOW;
}

/*
 * A fragment to a VIP address (others are XLB_NOT_VIP): an impossible one is dropped, a later
 * one follows its first (XLB_FOLLOW, *to set), and one at offset 0 is read up to its ports
 * (XLB_BALANCE_FIRST, or XLB_BALANCE for an atomic IPv6 fragment) to be balanced as any
 * packet is; else the verdict. p is the caller's, set in place. A global function, verified
 * once apart from the packet path; it forwards nothing itself, as a third frame on the call
 * chain to xlb_forward() would pass the 512-byte stack.
 */
__noinline int xlb_fragment(struct xdp_md *ctx, struct xlb_pkt *p, struct xlb_stats *st,
			    __u64 *to)
{
	int kind;

	if (!p || !st || !to) /* never: the caller passes its own; the verifier wants it */
		return XDP_ABORTED;
	if (!xlb_is_vip_addr(&p->key))
		return XLB_NOT_VIP;
	kind = xlb_frag_read(ctx, p);
	if (kind == XLB_FR_BAD)
		return xlb_drop(st, XLB_DROP_FRAGMENT);
	if (kind == XLB_FR_LATER)
		return xlb_frag_follow(p, st, to);
	return kind == XLB_FR_FIRST ? XLB_BALANCE_FIRST : XLB_BALANCE;
}

/*
 * Answers an echo request to a VIP address: only from a source that is one host, only when
 * the reply fits the MTU (which also bounds the checksum's loop), cut to the IP packet, and
 * only when its checksum is right (a wrong one would be carried into the reply).
 */
static __always_inline int xlb_echo(struct xdp_md *ctx, const struct xlb_pkt *p,
				    struct xlb_stats *st)
{
	if (!xlb_src_is_host(&p->key))
		return xlb_drop(st, XLB_DROP_NOT_HOST);
	if (p->l3_len > xlb_cfg.mtu)
		return xlb_drop(st, XLB_DROP_TOO_BIG);
	if (xlb_trim(ctx, p))
		return xlb_drop(st, XLB_DROP_NO_ROOM);
	if (!xlb_icmp_csum_ok(ctx, p))
		return xlb_drop(st, XLB_DROP_BAD_CSUM);
	if (xlb_echo_reply(ctx, p))
		return xlb_drop(st, XLB_DROP_MALFORMED);
	st->icmp_echo++;
	return XDP_TX;
}

/*
 * The reply key, into rk, of client flow k (hash: its flow hash) NATed to backend be, when
 * xlb_nat holds a live entry for it: LVS-NAT's (from be's address and port to the client) or
 * full NAT's (to the pool address and port the flow holds). 0 for LVS-NAT, 1 for full NAT,
 * -1 when the flow has none.
 */
static __always_inline int xlb_nat_flow_key(const struct xlb_flow_key *k,
					    const struct xlb_backend *be, __u32 hash,
					    struct xlb_flow_key *rk)
{
	__be16 port = READ_ONCE(be->nat_port);
	__u32 vid = be->vip_id, count;
	struct xlb_snat *pool = bpf_map_lookup_elem(&xlb_snat, &vid);
	struct xlb_nat *n;

	if (!pool) /* never: the array has the entry */
		return -1;
	port = port ? port : k->dport;
	count = READ_ONCE(pool->count);
	if (count)
		return xlb_fnat_find(k, be, port, hash, pool, count, rk) ? -1 : 1;
	__builtin_memcpy(rk->src, be->addr, sizeof(rk->src));
	__builtin_memcpy(rk->dst, k->src, sizeof(rk->dst));
	rk->sport = port;
	rk->dport = k->sport;
	rk->proto = k->proto;
	rk->family = k->family;
	n = bpf_map_lookup_elem(&xlb_nat, rk);
	if (!n || n->full || n->vport != k->dport || xlb_nat_expired(n, xlb_nat_now()) ||
	    ((n->vip[0] ^ k->dst[0]) | (n->vip[1] ^ k->dst[1]) | (n->vip[2] ^ k->dst[2]) |
	     (n->vip[3] ^ k->dst[3])))
		return -1;
	return 0;
}

/*
 * An ICMP error from the client's side (a router's "fragmentation needed", the client's port
 * unreachable) to a nat VIP about a reply of flow k, whose backend is id: translated for the
 * backend as the flow's own packets are. The error's destination and the quoted source become
 * the backend's address and port; with full NAT, the error's source and the quoted
 * destination become the pool address and port the flow holds (so the backend's answer, if
 * any, comes back here). It goes to the backend's MAC, counted as nat_icmp_in. An error about
 * no live NAT flow, or quoting IPv4 options, goes up. A global function, verified once, with
 * its key apart from the path's stack.
 */
__noinline int xlb_nat_icmp_in(struct xdp_md *ctx, const struct xlb_pkt *p,
			       const struct xlb_flow_key *k, __u32 id, struct xlb_stats *st)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct xlb_backend *be = bpf_map_lookup_elem(&xlb_backends, &id);
	struct xlb_flow_key rk = {};
	struct xlb_backend_stats *bs;
	struct iphdr *qiph;
	int full;
	__u32 q;

	if (!p || !k || !st) /* never: the caller passes its own; the verifier wants the check */
		return XDP_ABORTED;
	if (!be || be->family != p->key.family)
		return XDP_PASS;
	q = p->l4_off + sizeof(struct icmphdr);
	qiph = xlb_at(data, q);
	if (p->key.family == XLB_FAM_V4 && ((void *)(qiph + 1) > end || qiph->ihl != 5))
		return XDP_PASS;
	/* The flow's hash again (five arguments at most): full NAT's candidates come from it. */
	full = xlb_nat_flow_key(k, be, xlb_conn_hash(k) >> 32, &rk);
	if (full < 0)
		return XDP_PASS;
	if (p->l3_len > xlb_cfg.mtu)
		return xlb_drop(st, XLB_DROP_TOO_BIG);
	if (xlb_trim(ctx, p))
		return xlb_drop(st, XLB_DROP_NO_ROOM);
	/* The frame may have shrunk: the rewrite reloads and checks every pointer. */
	if (xlb_nat_icmp_xlate(ctx, p, q, rk.src, rk.sport, rk.dst, rk.dport, full, true) ||
	    xlb_dr(ctx, be))
		return xlb_drop(st, XLB_DROP_MALFORMED);
	bs = bpf_map_lookup_elem(&xlb_backend_stats, &id);
	if (bs) {
		bs->packets++;
		bs->bytes += p->l3_len;
	}
	st->nat_icmp_in++;
	return XDP_TX;
}

/*
 * Echo requests to VIP addresses, PMTU errors about VIP flows, and for nat VIPs every
 * unreachable about their flows' replies (xlb_nat_icmp_in()); other ICMP goes up.
 */
static __always_inline int xlb_icmp(struct xdp_md *ctx, const struct xlb_pkt *p,
				    struct xlb_stats *st)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct icmphdr *ic = xlb_at(data, p->l4_off);
	struct xlb_flow_key k = {};
	struct xlb_choice c = {};
	struct xlb_vip *vip;
	int act, kind;
	__u8 echo;
	bool nat;

	/* The header must be in the frame and inside the IP packet, not in bytes behind it. */
	if ((void *)(ic + 1) > end || p->l4_off + sizeof(*ic) > p->l3_off + p->l3_len)
		return xlb_is_vip_addr(&p->key) ? xlb_drop(st, XLB_DROP_MALFORMED) : XDP_PASS;
	echo = p->key.family == XLB_FAM_V4 ? ICMP_ECHO : ICMPV6_ECHO_REQUEST;
	if (ic->type == echo && ic->code == 0)
		return xlb_is_vip_addr(&p->key) ? xlb_echo(ctx, p, st) : XDP_PASS;
	/* The error must be addressed to the VIP the quoted packet came from. */
	kind = xlb_icmp_quoted_flow(data, end, p, &k);
	if (kind < 0 ||
	    ((k.dst[0] ^ p->key.dst[0]) | (k.dst[1] ^ p->key.dst[1]) | (k.dst[2] ^ p->key.dst[2]) |
	     (k.dst[3] ^ p->key.dst[3])))
		return XDP_PASS;
	vip = xlb_vip_find(&k);
	if (!vip)
		return XDP_PASS;
	/* Read once: userspace may rewrite the VIP (a change of mode) while we run. */
	nat = READ_ONCE(vip->forward) == XLB_FWD_NAT;
	/* Other unreachables are taken for nat VIPs only; for other modes they go up as before. */
	if (kind != XLB_QUOTE_PMTU && !nat)
		return XDP_PASS;
	xlb_count_vip(vip->id, p);
	/* A second-chance VIP's flows are never in the connection table: its slot's hops. */
	if (vip->flags & XLB_VIP_F_TWOHOP) {
		if (xlb_maglev(vip, &k, &c, true))
			return xlb_drop(st, XLB_DROP_NO_BACKEND);
	} else {
		xlb_flow_hash_into(&k, &c);
		if (xlb_known(&k, &c)) {
			st->flow_hit++;
		} else {
			st->flow_miss++;
			if (xlb_new_flow(vip, &k, false, &c))
				return xlb_drop(st, XLB_DROP_NO_BACKEND);
		}
	}
	if (nat)
		return xlb_nat_icmp_in(ctx, p, &k, c.id, st);
	act = xlb_send_hops(ctx, p, xlb_slot_pack(c.id, c.second), c.hash, st);
	if (act == XDP_TX)
		st->icmp_fwd++;
	return act;
}

/*
 * A reply from a NAT backend (p, no VIP's packet, as its key is in xlb_nat): its source
 * becomes the VIP and port the client sent to, and it goes to the next hop. Anything else
 * goes up untouched. A global function, verified once, with its key apart from the path's.
 */
__noinline int xlb_nat_reply(struct xdp_md *ctx, const struct xlb_pkt *p, struct xlb_stats *st)
{
	__be32 vip[4], client[4];
	struct xlb_flow_key k;
	__be16 vport, cport;
	struct xlb_nat *n;
	__u32 now;
	__u8 full;
	int i;

	if (!p || !st) /* never: the caller passes its own; the verifier wants the check */
		return XDP_ABORTED;
	__builtin_memcpy(&k, &p->key, sizeof(k));
	n = bpf_map_lookup_elem(&xlb_nat, &k);
	if (!n)
		return XDP_PASS;
	now = xlb_nat_now();
	if (xlb_nat_expired(n, now)) /* as if absent: the flow's next client packet replaces it */
		return XDP_PASS;
	xlb_nat_touch(n, p->syn, xlb_tcp_fin(ctx, p) || p->rst, now);
	/* Read once: a client packet on another CPU may rewrite the entry while we run. */
	for (i = 0; i < 4; i++) {
		vip[i] = READ_ONCE(n->vip[i]);
		client[i] = READ_ONCE(n->client[i]);
	}
	vport = READ_ONCE(n->vport);
	cport = READ_ONCE(n->cport);
	full = READ_ONCE(n->full);
	/* A full NAT reply has no ports in a later fragment to be found by: it never gets here. */
	if (xlb_trim(ctx, p))
		return xlb_drop(st, XLB_DROP_NO_ROOM);
	/* Full NAT: the destination, a pool address and port, becomes the client's again. */
	if (full && xlb_nat_rewrite(ctx, p, client, cport, true))
		return xlb_drop(st, XLB_DROP_MALFORMED);
	if (xlb_nat_rewrite(ctx, p, vip, vport, false) || xlb_to_next_hop(ctx))
		return xlb_drop(st, XLB_DROP_MALFORMED);
	st->nat_reply++;
	return XDP_TX;
}

/* Whether nat VIPs exist, so a packet for no VIP may be a NAT backend's (one array lookup). */
static __always_inline bool xlb_nat_on(void)
{
	struct xlb_runtime *rt;
	__u32 zero = 0;

	rt = bpf_map_lookup_elem(&xlb_runtime, &zero);
	return rt && rt->nat_vips;
}

/*
 * An ICMP error a NAT backend sent about a flow (not to a VIP): translated as its replies are
 * and sent to the client's next hop; anything else goes up. A global function, verified once.
 */
__noinline int xlb_nat_icmp(struct xdp_md *ctx, const struct xlb_pkt *p, struct xlb_stats *st)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct xlb_flow_key rk = {};
	struct xlb_nat *n, t = {};
	int q, i;

	if (!p || !st) /* never: the caller passes its own; the verifier wants the check */
		return XDP_ABORTED;
	q = xlb_nat_icmp_key(data, end, p, &rk);
	if (q < 0)
		return XDP_PASS;
	n = bpf_map_lookup_elem(&xlb_nat, &rk);
	if (!n || xlb_nat_expired(n, xlb_nat_now()))
		return XDP_PASS;
	/* Read once: a client packet on another CPU may rewrite the entry while we run. */
	for (i = 0; i < 4; i++) {
		t.vip[i] = READ_ONCE(n->vip[i]);
		t.client[i] = READ_ONCE(n->client[i]);
	}
	t.vport = READ_ONCE(n->vport);
	t.cport = READ_ONCE(n->cport);
	t.full = READ_ONCE(n->full);
	if (xlb_trim(ctx, p))
		return xlb_drop(st, XLB_DROP_NO_ROOM);
	/* The frame may have shrunk: the rewrite reloads and checks every pointer. */
	if (xlb_nat_icmp_rewrite(ctx, p, q, &t) || xlb_to_next_hop(ctx))
		return xlb_drop(st, XLB_DROP_MALFORMED);
	st->nat_icmp++;
	return XDP_TX;
}

#define XLB_REPLY	  20 /* xlb_nat_frag(): offset 0, ports read: a reply, maybe */
#define XLB_REPLY_FIRST	  21 /* ... a first fragment: translate it as a reply and record */

/*
 * A fragment not to a VIP address while nat VIPs exist: maybe a NAT backend's reply datagram.
 * A later fragment whose first was translated becomes the same (xlb_nat_frag_follow()); one
 * whose first was not seen (it came first, or the datagram is the host's own traffic) goes
 * up untouched, as do impossible ones. One at offset 0 is read up to its ports (XLB_REPLY,
 * XLB_REPLY_FIRST) for xlb_nat_reply(). A global function; it calls none, as the main
 * program's frame and two more would pass the 512-byte stack.
 */
__noinline int xlb_nat_frag(struct xdp_md *ctx, struct xlb_pkt *p, struct xlb_stats *st)
{
	int kind, err;

	if (!p || !st) /* never: the caller passes its own; the verifier wants the check */
		return XDP_ABORTED;
	kind = xlb_frag_read(ctx, p);
	if (kind == XLB_FR_FIRST || kind == XLB_FR_WHOLE)
		return kind == XLB_FR_FIRST ? XLB_REPLY_FIRST : XLB_REPLY;
	if (kind != XLB_FR_LATER)
		return XDP_PASS;
	err = xlb_nat_frag_follow(ctx, p);
	if (err > 0)
		return XDP_PASS;
	if (err)
		return xlb_drop(st, XLB_DROP_MALFORMED);
	st->nat_reply++;
	return XDP_TX;
}

/*
 * A fragment to no VIP address, while nat VIPs exist. A reply's first fragment is translated
 * as any reply (its TCP/UDP checksum covers the whole datagram and takes the same incremental
 * update) and what it became is recorded for its later fragments.
 */
static __always_inline int xlb_nat_frag_path(struct xdp_md *ctx, struct xlb_pkt *p,
					     struct xlb_stats *st)
{
	int kind = xlb_nat_frag(ctx, p, st), act;

	if (kind != XLB_REPLY && kind != XLB_REPLY_FIRST)
		return kind;
	act = xlb_nat_reply(ctx, p, st);
	if (kind == XLB_REPLY_FIRST && act == XDP_TX)
		xlb_nat_frag_record(ctx, p);
	return act;
}

/*
 * The fragment path, out of line but for the sends it shares with every packet. A fragment to
 * no VIP address is looked at only while nat VIPs exist (xlb_nat_frag_path()); else it goes up.
 */
static __always_inline int xlb_frag_path(struct xdp_md *ctx, struct xlb_pkt *p,
					 struct xlb_stats *st)
{
	__u64 to = 0;
	int act = xlb_fragment(ctx, p, st, &to);

	if (act == XLB_NOT_VIP)
		return xlb_nat_on() ? xlb_nat_frag_path(ctx, p, st) : XDP_PASS;
	if (act == XLB_FOLLOW)
		return xlb_send_hops(ctx, p, to >> 32, (__u32)to, st);
	if (act == XLB_BALANCE || act == XLB_BALANCE_FIRST)
		return xlb_balance(ctx, p, st, act == XLB_BALANCE_FIRST);
	return act;
}

/* A packet xlb cannot balance: dropped (and counted) if it was sent to a VIP address. */
static __always_inline int xlb_claim(const struct xlb_pkt *p, struct xlb_stats *st,
				     enum xlb_drop_reason why)
{
	return xlb_is_vip_addr(&p->key) ? xlb_drop(st, why) : XDP_PASS;
}

static __always_inline int xlb_process(struct xdp_md *ctx, struct xlb_stats *st)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct xlb_pkt p = {};
	int act;

	/*
	 * Only frames to the interface's own MAC are balanced or answered. Broadcast, multicast
	 * and other hosts' frames (a bridge, veth, promiscuous mode) leave untouched: otherwise
	 * every balancer on a segment would forward a broadcast, from a multicast source MAC.
	 */
	if (data + ETH_HLEN > end || !xlb_to_our_mac(data))
		return XDP_PASS;
	switch (xlb_parse(ctx, &p)) {
	case XLB_P_L4:
		act = xlb_balance(ctx, &p, st, false);
		return act == XDP_PASS && xlb_nat_on() ? xlb_nat_reply(ctx, &p, st) : act;
	case XLB_P_ICMP:
		act = xlb_icmp(ctx, &p, st);
		return act == XDP_PASS && xlb_nat_on() ? xlb_nat_icmp(ctx, &p, st) : act;
	case XLB_P_MALFORMED:
		return xlb_drop(st, XLB_DROP_MALFORMED);
	case XLB_P_FRAGMENT:
		return xlb_frag_path(ctx, &p, st);
	case XLB_P_SHORT_L4:
		return xlb_claim(&p, st, XLB_DROP_MALFORMED);
	}
	return XDP_PASS;
}

static __always_inline int xlb_handle(struct xdp_md *ctx)
{
	struct xlb_stats *st = xlb_stats_this_cpu();

	return st ? xlb_verdict(st, xlb_process(ctx, st)) : XDP_PASS;
}

#endif /* XLB_MAIN_H */
