// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * ICMP fixture building (declared in fx.h): what the balancer must answer itself ("too big",
 * echo replies) and the routers' errors about a VIP flow that it forwards to the backend.
 */
#include <string.h>
#include <linux/bpf.h>
#include "fx.h"

#define QUOTE 128 /* bytes of the offending packet an ICMP "too big" carries */

/*
 * x is too big once encapsulated: an ICMP "fragmentation needed" (IPv4) or ICMPv6 "packet too
 * big" goes back to the client from the VIP address, advertising mtu; the flow counts as new
 * for the VIP and for backend be_id (0: none).
 */
void fx_expect_too_big(struct fx *x, __u32 vip_id, __u32 be_id, __u32 mtu)
{
	struct ip_spec s = { .family = x->key.family, .ttl = LB_TTL };
	static struct pkt l4;

	memcpy(s.src, x->key.dst, sizeof(s.src));
	memcpy(s.dst, x->key.src, sizeof(s.dst));
	l4.len = 0;
	if (s.family == XLB_FAM_V4) {
		s.proto = IPPROTO_ICMP;
		pkt_icmp(&l4, 3, 4, mtu & 0xffff, x->ip.b, QUOTE);
	} else {
		s.proto = IPPROTO_ICMPV6;
		pkt_icmp(&l4, 2, 0, mtu, x->ip.b, QUOTE);
	}
	fx_frame(&x->out, PEER_MAC, LB_MAC, x->nvlan, s.family);
	pkt_ip(&x->out, &s, l4.b, l4.len);
	x->verdict = XDP_TX;
	x->delta.st.action[XDP_TX]++;
	x->delta.st.icmp_too_big++;
	fx_count_new_flow(x, vip_id, be_id);
}

/*
 * x is the echo request s + l4 (its ICMP message) to a VIP address: the reply goes back in
 * place, addresses swapped, ttl reset, type 0 / 129, checksums redone, from the balancer's MAC.
 */
void fx_expect_echo(struct fx *x, const struct ip_spec *s, const struct pkt *l4)
{
	struct ip_spec r = *s;
	static struct pkt reply;

	memcpy(r.src, s->dst, sizeof(r.src));
	memcpy(r.dst, s->src, sizeof(r.dst));
	r.ttl = LB_TTL;
	reply = *l4;
	reply.b[0] = s->family == XLB_FAM_V4 ? 0 : 129;
	fx_frame(&x->out, PEER_MAC, LB_MAC, x->nvlan, s->family);
	pkt_ip(&x->out, &r, reply.b, reply.len);
	x->verdict = XDP_TX;
	x->delta.st.action[XDP_TX]++;
	x->delta.st.icmp_echo++;
}

/*
 * A router's error (type/code) to the VIP address about the backend's packet from vip:vport to
 * the client's cport, quoting its IP header and the first L4 bytes (8 as RFC 792 asks for
 * IPv4; more for IPv6). x->key is the client's flow: the quoted one reversed.
 */
void fx_quoted(struct fx *x, const char *vip, __u8 proto, __u16 vport, __u16 cport, __u8 type,
	       __u8 code, __u8 nvlan)
{
	struct fx_quote q = { .to = vip };

	q.quote = env_family(vip) == XLB_FAM_V4 ? 20 + 8 : 40 + 48;
	fx_quoted_as(x, vip, proto, vport, cport, type, code, nvlan, &q);
}

void fx_quoted_as(struct fx *x, const char *vip, __u8 proto, __u16 vport, __u16 cport,
		  __u8 type, __u8 code, __u8 nvlan, const struct fx_quote *q)
{
	struct fx_in back = fx_flow(vip, env_family(vip) == XLB_FAM_V4 ? CLIENT4 : CLIENT6, proto,
				    cport);
	struct ip_spec s = { .family = back.ip.family, .tos = 0xc0, .ttl = 250 };
	__u8 v4 = s.family == XLB_FAM_V4;
	static struct pkt l4, orig, err;

	fx_l4(&l4, proto, vport, cport, q->quote + 64);
	orig.len = 0;
	pkt_ip(&orig, &back.ip, l4.b, l4.len);
	s.proto = v4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	addr_parse(s.src, v4 ? ROUTER4 : ROUTER6);
	addr_parse(s.dst, q->to);
	err.len = 0;
	pkt_icmp(&err, type, code, v4 ? 1400 : 1280, orig.b, q->quote);
	fx_send_ip(x, &s, &err, nvlan, 0);
	memset(&x->key, 0, sizeof(x->key));
	x->key.family = s.family;
	x->key.proto = proto;
	memcpy(x->key.src, back.ip.dst, sizeof(x->key.src));
	memcpy(x->key.dst, back.ip.src, sizeof(x->key.dst));
	x->key.sport = htons(cport);
	x->key.dport = htons(vport);
}

/* The error goes, encapsulated as v says, to b; the flow table is read, never written. */
void fx_expect_icmp_fwd(struct fx *x, const struct env_vip *v, const struct env_be *b, bool hit)
{
	fx_encap_frame(x, v, b);
	fx_count_fwd(x, v->id, b->id, !hit);
	x->delta.vip[v->id].new_flows = 0;
	x->delta.be[b->id].new_flows = 0;
	x->delta.st.icmp_fwd++;
}
