// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixture building (fx.h): input frames from a short description, and expected outputs
 * written from the specification of each forwarding mode, with their counter deltas.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>
#include "fx.h"
#include "xlb_hash.h"

#define ETH_P_IP   0x0800
#define ETH_P_IPV6 0x86dd

/* Sends x's frame once, unchecked: the flow is then in the connection table. */
static void fx_prime(const struct lb *lb, const struct fx *x)
{
	static struct pkt out;
	int verdict;

	prog_run(lb->prog_fd, &x->in, &out, &verdict);
}

void fx_run(const struct lb *lb, const struct fx *x)
{
	if (x->prime)
		fx_prime(lb, x);
	fx_check(lb, x);
}

void fx_run_table(const struct lb *lb, const struct fx_case *cases, int n)
{
	static struct fx x;
	int i;

	for (i = 0; i < n; i++) {
		fx_start(&x, cases[i].name);
		cases[i].build(&x);
		fx_run(lb, &x);
	}
}

void fx_run_rows(const struct lb *lb, const void *rows, size_t n, size_t size,
		 void (*build)(struct fx *x, const void *row))
{
	static struct fx x;
	size_t i;

	for (i = 0; i < n; i++) {
		const void *row = (const char *)rows + i * size;

		fx_start(&x, *(const char *const *)row);
		build(&x, row);
		fx_run(lb, &x);
	}
}

void fx_start(struct fx *x, const char *name)
{
	memset(x, 0, sizeof(*x));
	snprintf(x->name, sizeof(x->name), "%s", name);
}

/* A client port no earlier case used, so every case starts a new flow unless it says not. */
__u16 fx_port(void)
{
	static __u16 next = 20000;

	return next++;
}

void fx_key_of(const struct fx_in *in, struct xlb_flow_key *k)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->src, in->ip.src, sizeof(k->src));
	memcpy(k->dst, in->ip.dst, sizeof(k->dst));
	k->sport = htons(in->sport);
	k->dport = htons(in->dport);
	k->proto = in->ip.proto;
	k->family = in->ip.family;
}

struct fx_in fx_flow(const char *src, const char *dst, __u8 proto, __u16 dport)
{
	struct fx_in in = { .ip = { .family = env_family(dst), .proto = proto, .ttl = 57,
				    .id = 0x1234, .flow = 0x5a5a5 },
			    .sport = fx_port(), .dport = dport, .paylen = 32 };

	if (in.ip.family == XLB_FAM_V4)
		in.ip.frag = IP_DF;
	addr_parse(in.ip.src, src);
	addr_parse(in.ip.dst, dst);
	return in;
}

struct fx_in fx_tcp(const char *dst, __u16 dport)
{
	return fx_flow(env_family(dst) == XLB_FAM_V4 ? CLIENT4 : CLIENT6, dst, IPPROTO_TCP, dport);
}

struct fx_in fx_udp(const char *dst, __u16 dport)
{
	return fx_flow(env_family(dst) == XLB_FAM_V4 ? CLIENT4 : CLIENT6, dst, IPPROTO_UDP, dport);
}

struct fx_in fx_row_in(const struct fx_row *r)
{
	struct fx_in in = r->proto == IPPROTO_UDP ? fx_udp(r->dst, r->dport) :
						    fx_tcp(r->dst, r->dport);
	int i;

	in.ip.tos = r->tos;
	in.ip.opt_words = r->opt_words;
	in.ip.n_ext = r->n_ext;
	for (i = 0; i < r->n_ext; i++)
		in.ip.ext[i] = r->ext[i];
	if (r->no_df)
		in.ip.frag = 0;
	if (r->frag)
		in.ip.frag = r->frag;
	if (r->paylen)
		in.paylen = r->paylen == FX_NO_PAYLOAD ? 0 : r->paylen;
	in.nvlan = r->nvlan;
	in.pad = r->pad;
	return in;
}

void fx_send_row(struct fx *x, const struct fx_row *r)
{
	struct fx_in in = fx_row_in(r);

	fx_send(x, &in);
}

/* Ethernet header with the fixtures' VLAN tags, ethertype of family. */
void fx_frame(struct pkt *f, const __u8 *dst, const __u8 *src, __u8 nvlan, __u8 family)
{
	f->len = 0;
	pkt_eth(f, dst, src, env_tags(nvlan), nvlan,
		family == XLB_FAM_V4 ? ETH_P_IP : ETH_P_IPV6);
}

/* Sends the IP packet s + l4 in a frame from the peer to the balancer's MAC. */
void fx_send_ip(struct fx *x, const struct ip_spec *s, const struct pkt *l4, __u8 nvlan,
		__u32 pad)
{
	x->ip.len = 0;
	pkt_ip(&x->ip, s, l4->b, l4->len);
	fx_frame(&x->in, LB_MAC, PEER_MAC, nvlan, s->family);
	pkt_put(&x->in, x->ip.b, x->ip.len);
	pkt_pad(&x->in, pad);
	x->nvlan = nvlan;
	x->pad = pad;
	x->tos = s->tos;
	x->df = s->family == XLB_FAM_V6 || (s->frag & IP_DF);
	memset(&x->key, 0, sizeof(x->key));
	memcpy(x->key.src, s->src, sizeof(x->key.src));
	memcpy(x->key.dst, s->dst, sizeof(x->key.dst));
	x->key.proto = s->proto;
	x->key.family = s->family;
}

void fx_l4(struct pkt *l4, __u8 proto, __u16 sport, __u16 dport, __u32 paylen)
{
	l4->len = 0;
	if (proto == IPPROTO_TCP)
		pkt_tcp(l4, sport, dport, paylen);
	else
		pkt_udp(l4, sport, dport, paylen);
}

void fx_send(struct fx *x, const struct fx_in *in)
{
	static struct pkt l4;

	fx_l4(&l4, in->ip.proto, in->sport, in->dport, in->paylen);
	if (in->ip.proto == IPPROTO_TCP && (in->syn || in->rst || in->fin))
		l4.b[13] = in->syn ? 0x02 : in->rst ? 0x14 : 0x11; /* the TCP header's flags */
	fx_send_ip(x, &in->ip, &l4, in->nvlan, in->pad);
	x->key.sport = htons(in->sport);
	x->key.dport = htons(in->dport);
}

struct fx_in fx_dgram(struct fx_in d, __u16 id)
{
	d.ip.frag = 0;
	d.ip.id = id;
	if (d.ip.family == XLB_FAM_V6) {
		d.ip.n_ext = 1;
		d.ip.ext[0] = EXT_FRAG;
	}
	return d;
}

/* The fragment field of d's family for data at byte offset off, more to come or not. */
static __u16 frag_field(const struct fx_in *d, __u32 off, bool more)
{
	if (d->ip.family == XLB_FAM_V4)
		return off / 8 | (more ? IP_MF : 0);
	return off | more;
}

__u16 fx_send_first(struct fx *x, const struct fx_in *d, __u32 paylen)
{
	struct fx_in f = *d;

	f.paylen = paylen;
	f.ip.frag = frag_field(d, 0, true);
	fx_send(x, &f);
	return f.ip.frag;
}

__u16 fx_send_later(struct fx *x, const struct fx_in *d, __u32 off, __u32 len, bool more)
{
	struct ip_spec s = d->ip;
	static struct pkt data;

	s.frag = frag_field(d, off, more);
	s.raw = 1;
	data.len = 0;
	pkt_payload(&data, len, off);
	fx_send_ip(x, &s, &data, 0, 0);
	x->key.sport = htons(d->sport);
	x->key.dport = htons(d->dport);
	return s.frag;
}

const char *const FX_FRAG_WHAT[3] = { "first fragment", "middle fragment follows",
				      "last fragment follows" };

__u16 fx_send_frag(struct fx *x, const struct fx_in *d, int k)
{
	if (k == 0)
		return fx_send_first(x, d, d->paylen);
	return k == 1 ? fx_send_later(x, d, 48, 64, true) : fx_send_later(x, d, 112, 21, false);
}

void fx_expect_pass(struct fx *x)
{
	x->verdict = XDP_PASS;
	x->out = x->in;
	x->delta.st.action[XDP_PASS]++;
}

void fx_expect_drop(struct fx *x, int reason)
{
	x->verdict = XDP_DROP;
	x->out = x->in;
	x->delta.st.action[XDP_DROP]++;
	x->delta.st.drop[reason]++;
}

/* The UDP header GUE puts between the outer and the inner IP header, before gue_len bytes. */
static void gue_udp(struct pkt *l4, const struct fx *x, const struct env_vip *v, __u32 hash,
		    __u32 gue_len)
{
	__be16 h[4] = { htons(0xc000 | (hash & 0x3fff)), htons(v->gue_port),
			htons(8 + gue_len + x->ip.len), 0 };

	pkt_put(l4, h, sizeof(h));
}

/*
 * Second chance's GUE header (variant 0, five words of private data) naming second, or no
 * hop (family 0) when it is NULL, as the ABI comment specifies it byte by byte.
 */
static void gue_hop(struct pkt *l4, const struct fx *x, const struct env_be *second)
{
	__u8 h[24] = { 5, x->key.family == XLB_FAM_V4 ? IPPROTO_IPIP : IPPROTO_IPV6, 0, 0,
		       0x78, 0, 0, 0 };
	__be32 a[4] = {};

	if (second) {
		h[6] = env_family(second->addr);
		addr_parse(a, second->addr);
		memcpy(h + 8, a, sizeof(a));
	}
	pkt_put(l4, h, sizeof(h));
}

/*
 * The frame v's forwarding mode makes of x when it goes to backend b (two: by second chance,
 * naming second): from the balancer's MAC, and without the bytes that followed x's IP packet
 * (Ethernet padding is not carried).
 */
static void encap_frame(struct fx *x, const struct env_vip *v, const struct env_be *b, bool two,
			const struct env_be *second)
{
	struct ip_spec o = { .family = env_family(b->addr), .tos = x->tos, .ttl = LB_TTL,
			     .raw = 1 };
	/*
	 * Second chance: the slot's hash (maglev-fast's: the connection hash's low half), but a
	 * source-hash VIP's (one client's) is no flow's.
	 */
	__u64 conn = xlb_conn_hash(&x->key);
	__u32 hash = !two || v->sched == XLB_SCHED_SH	 ? (__u32)(conn >> 32)
		     : v->sched == XLB_SCHED_MAGLEV_FAST ? (__u32)conn
							 : xlb_flow_hash(&x->key);
	static struct pkt l4;
	__u8 mac[6];

	if (v->fwd == XLB_FWD_DR) {
		env_be_mac(b->id, mac);
		fx_frame(&x->out, mac, LB_MAC, x->nvlan, x->key.family);
		pkt_put(&x->out, x->ip.b, x->ip.len);
		return;
	}
	fx_frame(&x->out, NEXT_HOP_MAC, LB_MAC, x->nvlan, o.family);
	o.proto = v->fwd == XLB_FWD_GUE ? IPPROTO_UDP :
		  x->key.family == XLB_FAM_V4 ? IPPROTO_IPIP : IPPROTO_IPV6;
	o.frag = o.family == XLB_FAM_V4 && x->df ? IP_DF : 0;
	/* An outer IPv4 header takes the inner IPv4 identification (bytes 4-5); IPv6 has none. */
	if (o.family == XLB_FAM_V4 && x->key.family == XLB_FAM_V4)
		o.id = x->ip.b[4] << 8 | x->ip.b[5];
	o.flow = hash & 0xfffff;
	addr_parse(o.src, o.family == XLB_FAM_V4 ? LB_SRC4 : LB_SRC6);
	addr_parse(o.dst, b->addr);
	l4.len = 0;
	if (v->fwd == XLB_FWD_GUE)
		gue_udp(&l4, x, v, hash, two ? 24 : 0);
	if (two)
		gue_hop(&l4, x, second);
	pkt_put(&l4, x->ip.b, x->ip.len);
	pkt_ip(&x->out, &o, l4.b, l4.len);
}

void fx_encap_frame(struct fx *x, const struct env_vip *v, const struct env_be *b)
{
	encap_frame(x, v, b, false, NULL);
}

void fx_twohop_frame(struct fx *x, const struct env_vip *v, const struct env_be *b,
		     const struct env_be *second)
{
	encap_frame(x, v, b, true, second);
}

/* Counters of a packet of a VIP forwarded to a backend (new_flow: Maglev chose it). */
void fx_count_fwd(struct fx *x, __u32 vip_id, __u32 be_id, bool new_flow)
{
	x->verdict = XDP_TX;
	x->delta.st.action[XDP_TX]++;
	fx_count_vip(x, vip_id, !new_flow);
	x->delta.vip[vip_id].new_flows += new_flow;
	x->delta.be[be_id].packets++;
	x->delta.be[be_id].bytes += x->ip.len;
	x->delta.be[be_id].new_flows += new_flow;
}

void fx_count_vip(struct fx *x, __u32 vip_id, bool hit)
{
	if (hit)
		x->delta.st.flow_hit++;
	else
		x->delta.st.flow_miss++;
	x->delta.vip[vip_id].packets++;
	x->delta.vip[vip_id].bytes += x->ip.len;
}

void fx_count_new_flow(struct fx *x, __u32 vip_id, __u32 be_id)
{
	fx_count_vip(x, vip_id, false);
	x->delta.vip[vip_id].new_flows++;
	if (be_id) /* 0: no backend counts it (ids start at 1) */
		x->delta.be[be_id].new_flows++;
}

/* x goes to the one backend of fixture VIP vip_id. */
void fx_expect_fwd(struct fx *x, __u32 vip_id, bool new_flow)
{
	const struct env_vip *v = env_vip(vip_id);

	fx_encap_frame(x, v, env_be(v->be));
	fx_count_fwd(x, vip_id, v->be, new_flow);
}
