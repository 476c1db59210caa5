/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Reading a fragment: which datagram it belongs to (struct xlb_frag_key), whether it is the
 * first (then the ports follow), a later one, or impossible. Only the fragment path of
 * xlb_main.h uses it, after xlb_parse() returned XLB_P_FRAGMENT. Included by xlb_main.h.
 */
#ifndef XLB_FRAG_H
#define XLB_FRAG_H

#include "xlb_defs.h"
#include "xlb_abi.h"
#include "parse.h"

enum xlb_frag_kind {
	XLB_FR_BAD,   /* impossible offset or length */
	XLB_FR_FIRST, /* offset 0, more follow: carries the ports */
	XLB_FR_WHOLE, /* IPv6 offset 0 and no more (an atomic fragment): one whole datagram */
	XLB_FR_LATER, /* offset past 0: no ports */
};

/*
 * Offset and length of the fragment's data (bytes, from the header), whether more follow:
 * the kind. Every fragment but the last carries a multiple of 8 bytes, and none reaches past
 * the 65535 bytes a datagram can hold (RFC 791, RFC 8200 4.5).
 */
static __always_inline int xlb_frag_kind(__u32 off, __u32 len, bool more)
{
	if (off + len > 0xffff || (more && (len == 0 || len % 8)))
		return XLB_FR_BAD;
	if (off)
		return XLB_FR_LATER;
	return more ? XLB_FR_FIRST : XLB_FR_WHOLE;
}

/* An IPv4 fragment (p as parsed): its identification into p, its kind. */
static __always_inline int xlb_frag_v4(void *data, void *end, struct xlb_pkt *p)
{
	struct iphdr *iph = xlb_at(data, p->l3_off);
	__u16 frag;

	if ((void *)(iph + 1) > end) /* checked by xlb_parse(); the verifier wants it again */
		return XLB_FR_BAD;
	frag = bpf_ntohs(iph->frag_off);
	p->frag_id = iph->id;
	/* xlb_parse() put l4_off past the header, and l3_len at least that far. */
	return xlb_frag_kind((frag & IP_OFFSET) * 8, p->l3_len - (p->l4_off - p->l3_off),
			     frag & IP_MF);
}

/*
 * An IPv6 fragment (p as parsed: l4_off at its fragment header): its identification into p,
 * its kind; p's l4_off and proto move to the header behind the fragment header.
 */
static __always_inline int xlb_frag_v6(void *data, void *end, struct xlb_pkt *p)
{
	struct frag_hdr *fh = xlb_at(data, p->l4_off);
	__u16 frag;

	/* The fragment header must be in the frame and inside the payload length. */
	if ((void *)(fh + 1) > end || p->l4_off + sizeof(*fh) > p->l3_off + p->l3_len)
		return XLB_FR_BAD;
	frag = bpf_ntohs(fh->frag_off);
	p->frag_id = fh->identification;
	p->key.proto = fh->nexthdr;
	p->l4_off += sizeof(*fh);
	return xlb_frag_kind(frag & IP6_OFFSET, p->l3_off + p->l3_len - p->l4_off, frag & IP6_MF);
}

/* The datagram fragment p (read by xlb_frag_read()) belongs to. */
static __always_inline void xlb_frag_key_of(const struct xlb_pkt *p, struct xlb_frag_key *fk)
{
	__builtin_memcpy(fk->src, p->key.src, sizeof(fk->src));
	__builtin_memcpy(fk->dst, p->key.dst, sizeof(fk->dst));
	fk->id = p->frag_id;
	fk->proto = p->key.proto;
	fk->family = p->key.family;
}

/*
 * Fragment p's kind, its identification into p, and for a fragment that starts at offset 0,
 * p's ports (which must be there whole, so the first fragment alone chooses a backend).
 */
static __always_inline int xlb_frag_read(struct xdp_md *ctx, struct xlb_pkt *p)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	int kind;

	if (p->key.family == XLB_FAM_V4)
		kind = xlb_frag_v4(data, end, p);
	else
		kind = xlb_frag_v6(data, end, p);
	if (kind == XLB_FR_FIRST || kind == XLB_FR_WHOLE)
		return xlb_parse_l4(data, end, p) == XLB_P_L4 ? kind : XLB_FR_BAD;
	return kind;
}

#endif /* XLB_FRAG_H */
