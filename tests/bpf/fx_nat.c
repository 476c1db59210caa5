// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * NAT fixture building (fx_nat.h): the frames LVS-NAT and full NAT must make, written from the
 * specification with checksums computed afresh (never patched from the balancer's output),
 * and the row cases both modes share.
 */
#include <arpa/inet.h>
#include <string.h>
#include <linux/bpf.h>
#include "fx_nat.h"
#include "xlb_hash.h"

const __u8 FXN_PORT_UNREACH4[4] = { 3, 3, 0, 0 };
const __u8 FXN_FRAG_NEEDED4[4] = { 3, 4, 0x05, 0x78 };
const __u8 FXN_PORT_UNREACH6[4] = { 1, 4, 0, 0 };
const __u8 FXN_TOO_BIG6[4] = { 2, 0, 0x05, 0x00 };

struct fx_in fxn_client(__u32 vip_id, __u8 nvlan)
{
	const struct env_vip *v = env_vip(vip_id);
	struct fx_in in = v->proto == IPPROTO_TCP ? fx_tcp(v->addr, v->port) :
						      fx_udp(v->addr, v->port);

	in.nvlan = nvlan;
	return in;
}

__u16 fxn_be_port(__u32 vip_id)
{
	const struct env_vip *v = env_vip(vip_id);

	return env_be_port(v->be) ? env_be_port(v->be) : v->port;
}

const char *fxn_addr(const struct fx_in *in, bool src, char *buf)
{
	inet_ntop(in->ip.family == XLB_FAM_V4 ? AF_INET : AF_INET6, src ? in->ip.src : in->ip.dst,
		  buf, INET6_ADDRSTRLEN);
	return buf;
}

int fxn_open(const struct lb *lb, const struct fx_in *in)
{
	static struct pkt out;
	static struct fx c;
	int verdict = -1;

	fx_start(&c, "");
	fx_send(&c, in);
	prog_run(lb->prog_fd, &c.in, &out, &verdict);
	return verdict;
}

const char *fxn_cand(const struct fx_in *in, __u32 i, __u16 *port)
{
	struct xlb_flow_key k;
	__u32 idx;

	fx_key_of(in, &k);
	*port = xlb_snat_candidate(xlb_conn_hash(&k) >> 32, i, 2, &idx);
	return env_pool_addr(in->ip.family, idx);
}

const char *fxn_src(const struct fx_in *in, int cand, char *buf, __u16 *port)
{
	*port = in->sport;
	return cand == FXN_LVS ? fxn_addr(in, true, buf) : fxn_cand(in, cand, port);
}

struct fx_in fxn_reply(const struct fx_in *in, __u32 vip_id, int cand)
{
	char buf[INET6_ADDRSTRLEN];
	struct fx_in r;
	__u16 port;
	const char *to = fxn_src(in, cand, buf, &port);

	r = fx_flow(env_be(env_vip(vip_id)->be)->addr, to, in->ip.proto, port);
	r.sport = fxn_be_port(vip_id);
	r.nvlan = in->nvlan;
	return r;
}

void fxn_zero_udp_csum(struct fx *x, const struct fx_in *in)
{
	__u32 off = pkt_ip_hlen(&in->ip) + 6;

	memset(x->ip.b + off, 0, 2);
	memset(x->in.b + 14 + 4 * in->nvlan + off, 0, 2);
}

void fxn_frame(struct fx *x, const struct fx_in *in, const char *src, __u16 sport,
	       const char *dst, __u16 dport, const __u8 *mac)
{
	__u32 hlen = pkt_ip_hlen(&in->ip);
	__u32 coff = in->ip.proto == IPPROTO_TCP ? 16 : 6;
	struct ip_spec s = in->ip;
	static struct pkt l4;

	if (src)
		addr_parse(s.src, src);
	if (dst)
		addr_parse(s.dst, dst);
	l4.len = 0;
	pkt_put(&l4, x->ip.b + hlen, x->ip.len - hlen);
	if (!s.raw && sport)
		pkt_set16(l4.b, sport);
	if (!s.raw && dport)
		pkt_set16(l4.b + 2, dport);
	if (!s.raw && in->ip.proto == IPPROTO_UDP && !l4.b[coff] && !l4.b[coff + 1])
		s.raw = 1;
	else if (!s.raw)
		l4.b[coff] = l4.b[coff + 1] = 0;
	fx_frame(&x->out, mac, LB_MAC, x->nvlan, s.family);
	pkt_ip(&x->out, &s, l4.b, l4.len);
}

void fxn_expect_out(struct fx *x, const struct fx_in *in, __u32 vip_id, int cand, bool new_flow)
{
	const struct env_be *b = env_be(env_vip(vip_id)->be);
	__u16 port = 0;
	const char *a = cand == FXN_LVS ? NULL : fxn_cand(in, cand, &port);
	__u8 mac[6];

	env_be_mac(b->id, mac);
	fxn_frame(x, in, a, port, b->addr, fxn_be_port(vip_id), mac);
	fx_count_fwd(x, vip_id, b->id, new_flow);
}

void fxn_count_reply(struct fx *x)
{
	x->verdict = XDP_TX;
	x->delta.st.action[XDP_TX]++;
	x->delta.st.nat_reply++;
}

void fxn_icmp_msg(struct pkt *msg, const __u8 *hdr, const struct pkt *ip, __u32 n)
{
	msg->len = 0;
	pkt_icmp(msg, hdr[0], hdr[1], (__u32)hdr[2] << 8 | hdr[3], ip->b, n);
}

void fxn_reply_error(const struct fx_in *in, __u16 vport, const __u8 *hdr, __u32 n,
		     const char *from, struct ip_spec *e, struct pkt *got, struct pkt *msg)
{
	struct ip_spec s = { .family = in->ip.family, .proto = in->ip.proto, .ttl = 64 };
	static struct pkt l4;

	memset(e, 0, sizeof(*e));
	e->family = in->ip.family;
	e->ttl = 64;
	e->proto = e->family == XLB_FAM_V4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	if (from)
		addr_parse(e->src, from);
	else
		memcpy(e->src, in->ip.src, sizeof(e->src));
	memcpy(e->dst, in->ip.dst, sizeof(e->dst));
	fx_l4(&l4, in->ip.proto, vport, in->sport, 64);
	memcpy(s.src, in->ip.dst, sizeof(s.src));
	memcpy(s.dst, in->ip.src, sizeof(s.dst));
	got->len = 0;
	pkt_ip(got, &s, l4.b, l4.len);
	fxn_icmp_msg(msg, hdr, got, n);
}
