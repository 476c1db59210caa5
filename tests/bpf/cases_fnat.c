// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixtures for full NAT (issue 13): with a source pool on the nat VIPs, a client packet leaves
 * from the pool address and port its flow's hash picks (the first free candidate), the
 * backend's reply to that pair leaves for the client from the VIP; every candidate taken is a
 * snat_exhausted drop; a reply to a pool address of no flow is left alone; a backend's ICMP
 * error about a flow reaches the client quoting its own packet. Frames are built afresh with
 * their checksums, as a sender computes them.
 */
#include <arpa/inet.h>
#include <string.h>
#include <bpf/bpf.h>
#include "cases.h"
#include "xlb_hash.h"

static const struct lb *fnat_lb;

/* Candidate i of client packet in's flow: the pool address (text) and port. */
static const char *cand(const struct fx_in *in, __u32 i, __u16 *port)
{
	struct xlb_flow_key k;
	__u32 idx;

	fx_key_of(in, &k);
	*port = xlb_snat_candidate(xlb_conn_hash(&k) >> 32, i, 2, &idx);
	return env_pool_addr(in->ip.family, idx);
}

/* The port a reply of vip_id's backend comes from. */
static __u16 be_port(__u32 vip_id)
{
	const struct env_vip *v = env_vip(vip_id);

	return env_be_port(v->be) ? env_be_port(v->be) : v->port;
}

/* The reply key of candidate i of client packet in of vip_id (for filling xlb_nat). */
static void cand_key(const struct fx_in *in, __u32 vip_id, __u32 i, struct xlb_flow_key *k)
{
	__u16 port;
	const char *a = cand(in, i, &port);

	memset(k, 0, sizeof(*k));
	addr_parse(k->src, env_be(env_vip(vip_id)->be)->addr);
	addr_parse(k->dst, a);
	k->sport = htons(be_port(vip_id));
	k->dport = htons(port);
	k->proto = in->ip.proto;
	k->family = in->ip.family;
}

/*
 * x's IP packet (in as sent, no options) with source src:sport and destination dst:dport,
 * checksums computed afresh (a UDP zero checksum stays zero), from the balancer's MAC to mac.
 */
static void fnat_frame(struct fx *x, const struct fx_in *in, const char *src, __u16 sport,
		       const char *dst, __u16 dport, const __u8 *mac)
{
	__u32 hlen = in->ip.family == XLB_FAM_V4 ? 20 : 40;
	__u32 coff = in->ip.proto == IPPROTO_TCP ? 16 : 6;
	struct ip_spec s = in->ip;
	static struct pkt l4;

	addr_parse(s.src, src);
	addr_parse(s.dst, dst);
	l4.len = 0;
	pkt_put(&l4, x->ip.b + hlen, x->ip.len - hlen);
	l4.b[0] = sport >> 8;
	l4.b[1] = sport;
	l4.b[2] = dport >> 8;
	l4.b[3] = dport;
	if (in->ip.proto == IPPROTO_UDP && !l4.b[coff] && !l4.b[coff + 1])
		s.raw = 1;
	l4.b[coff] = l4.b[coff + 1] = 0;
	fx_frame(&x->out, mac, LB_MAC, x->nvlan, s.family);
	pkt_ip(&x->out, &s, l4.b, l4.len);
}

/* Sets the UDP checksum of x's frame (and of the packet it was built from) to zero. */
static void zero_udp_csum(struct fx *x, const struct fx_in *in)
{
	__u32 off = (in->ip.family == XLB_FAM_V4 ? 20 : 40) + 6;

	memset(x->ip.b + off, 0, 2);
	memset(x->in.b + 14 + 4 * in->nvlan + off, 0, 2);
}

static struct fx_in client_flow(__u32 vip_id)
{
	const struct env_vip *v = env_vip(vip_id);

	return v->proto == IPPROTO_TCP ? fx_tcp(v->addr, v->port) : fx_udp(v->addr, v->port);
}

/* x: client packet in of vip_id leaves for its backend from candidate i. */
static void expect_out(struct fx *x, const struct fx_in *in, __u32 vip_id, __u32 i, bool new_flow)
{
	const struct env_be *b = env_be(env_vip(vip_id)->be);
	__u16 port;
	const char *a = cand(in, i, &port);
	__u8 mac[6];

	env_be_mac(b->id, mac);
	fnat_frame(x, in, a, port, b->addr, be_port(vip_id), mac);
	fx_count_fwd(x, vip_id, b->id, new_flow);
}

/* Sends client packet in once, unchecked: its flow and reply entry then exist. */
static void send_client(const struct fx_in *in)
{
	static struct pkt out;
	static struct fx c;
	int verdict;

	fx_start(&c, "");
	fx_send(&c, in);
	prog_run(fnat_lb->prog_fd, &c.in, &out, &verdict);
}

static void out_case(struct fx *x, __u32 vip_id, __u8 nvlan, bool zero_csum)
{
	struct fx_in in = client_flow(vip_id);

	in.nvlan = nvlan;
	fx_send(x, &in);
	if (zero_csum)
		zero_udp_csum(x, &in);
	expect_out(x, &in, vip_id, 0, true);
}

/* x: the backend's reply to candidate 0 of a new flow of vip_id leaves for the client. */
static void reply_case(struct fx *x, __u32 vip_id, __u8 nvlan, bool zero_csum)
{
	const struct env_vip *v = env_vip(vip_id);
	struct fx_in in = client_flow(vip_id), r;
	char client[INET6_ADDRSTRLEN];
	__u16 port;
	const char *a = cand(&in, 0, &port);

	send_client(&in);
	inet_ntop(in.ip.family == XLB_FAM_V4 ? AF_INET : AF_INET6, in.ip.src, client,
		  sizeof(client));
	r = fx_flow(env_be(v->be)->addr, a, in.ip.proto, port);
	r.sport = be_port(vip_id);
	r.nvlan = nvlan;
	fx_send(x, &r);
	if (zero_csum)
		zero_udp_csum(x, &r);
	fnat_frame(x, &r, v->addr, v->port, client, in.sport, NEXT_HOP_MAC);
	x->verdict = XDP_TX;
	x->delta.st.action[XDP_TX]++;
	x->delta.st.nat_reply++;
}

static void tcp4_out(struct fx *x)
{
	out_case(x, V_NAT4, 0, false);
}

static void udp4_zero_csum_out(struct fx *x)
{
	out_case(x, V_NATU4, 0, true);
}

static void tcp6_out(struct fx *x)
{
	out_case(x, V_NAT6, 1, false);
}

static void udp6_out(struct fx *x)
{
	out_case(x, V_NATU6, 0, false);
}

static void tcp4_reply(struct fx *x)
{
	reply_case(x, V_NAT4, 0, false);
}

static void udp4_zero_csum_reply(struct fx *x)
{
	reply_case(x, V_NATU4, 1, true);
}

static void udp4_reply(struct fx *x)
{
	reply_case(x, V_NATU4, 0, false);
}

static void tcp6_reply(struct fx *x)
{
	reply_case(x, V_NAT6, 0, false);
}

static void udp6_reply(struct fx *x)
{
	reply_case(x, V_NATU6, 2, false);
}

/*
 * Puts a foreign flow's entry at candidate i of in's flow, last used age seconds ago (its
 * timeout is the default): that pair is in use unless the entry expired.
 */
static void take_aged(const struct fx_in *in, __u32 vip_id, __u32 i, __u32 age)
{
	struct xlb_nat n = { .full = 1, .cport = htons(1), .vport = htons(1),
			     .idle_s = XLB_NAT_TCP_TIMEOUT, .fin_s = XLB_NAT_FIN_TIMEOUT };
	struct xlb_flow_key k;

	n.stamp = env_now_s() - age;
	cand_key(in, vip_id, i, &k);
	addr_parse(n.client, in->ip.family == XLB_FAM_V4 ? "198.18.6.1" : "2001:db8:6::1");
	bpf_map_update_elem(fnat_lb->maps.nat, &k, &n, BPF_ANY);
}

static void take(const struct fx_in *in, __u32 vip_id, __u32 i)
{
	take_aged(in, vip_id, i, 0);
}

/* Candidate 0 held by an entry idle past its timeout: the new flow takes it over. */
static void tcp4_expired_candidate(struct fx *x)
{
	struct fx_in in = client_flow(V_NAT4);

	take_aged(&in, V_NAT4, 0, XLB_NAT_TCP_TIMEOUT + 2);
	fx_send(x, &in);
	expect_out(x, &in, V_NAT4, 0, true);
}

/* Candidate 0 in use: the flow takes candidate 1, and keeps it once 0 is free again. */
static void tcp4_second_candidate(const struct lb *lb)
{
	struct fx_in in = client_flow(V_NAT4);
	struct xlb_flow_key k;
	static struct fx x;

	take(&in, V_NAT4, 0);
	fx_start(&x, "fnat tcp4: candidate 0 in use, the flow takes candidate 1");
	fx_send(&x, &in);
	expect_out(&x, &in, V_NAT4, 1, true);
	fx_check(lb, &x);
	cand_key(&in, V_NAT4, 0, &k);
	bpf_map_delete_elem(lb->maps.nat, &k);
	fx_start(&x, "fnat tcp4: its next packet keeps candidate 1 though 0 is free");
	fx_send(&x, &in);
	expect_out(&x, &in, V_NAT4, 1, false);
	fx_check(lb, &x);
}

/* Every candidate of a new flow in use: dropped as snat_exhausted, nothing written. */
static void udp6_exhausted(struct fx *x)
{
	struct fx_in in = client_flow(V_NATU6);
	__u32 i;

	for (i = 0; i < XLB_SNAT_TRIES; i++)
		take(&in, V_NATU6, i);
	fx_send(x, &in);
	fx_expect_drop(x, XLB_DROP_SNAT_EXHAUSTED);
	x->delta.st.flow_miss++;
	x->delta.vip[V_NATU6].packets++;
	x->delta.vip[V_NATU6].bytes += x->ip.len;
	x->delta.vip[V_NATU6].new_flows++;
	x->delta.be[env_vip(V_NATU6)->be].new_flows++;
}

/* A backend's packet to a pool address and port no flow holds: up to the stack untouched. */
static void tcp4_unknown_pool_reply(struct fx *x)
{
	const struct env_vip *v = env_vip(V_NAT4);
	struct fx_in r =
	    fx_flow(env_be(v->be)->addr, env_pool_addr(XLB_FAM_V4, 1), IPPROTO_TCP, 40000);

	r.sport = be_port(V_NAT4);
	fx_send(x, &r);
	fx_expect_pass(x);
}

/*
 * x: a new flow of vip_id (source: candidate 0) is opened; its backend sends an ICMP error
 * (type, code, rest hdr[2..3]) quoting the first n bytes of the packet it got. It leaves for
 * the next hop from the VIP to the client, quoting the client's packet as the client sent it
 * (its TCP/UDP checksum as the backend quoted it).
 */
static void backend_error(struct fx *x, __u32 vip_id, const __u8 *hdr, __u32 n)
{
	const struct env_vip *v = env_vip(vip_id);
	const struct env_be *b = env_be(v->be);
	struct fx_in in = client_flow(vip_id);
	__u32 hlen = in.ip.family == XLB_FAM_V4 ? 20 : 40;
	struct ip_spec e = { .family = in.ip.family, .ttl = 64 }, s = in.ip;
	static struct pkt l4, got, sent, msg;
	__u16 port;
	const char *a = cand(&in, 0, &port);

	e.proto = in.ip.family == XLB_FAM_V4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	addr_parse(e.src, b->addr);
	addr_parse(e.dst, a);
	send_client(&in);
	l4.len = 0;
	if (in.ip.proto == IPPROTO_TCP)
		pkt_tcp(&l4, port, be_port(vip_id), in.paylen);
	else
		pkt_udp(&l4, port, be_port(vip_id), in.paylen);
	addr_parse(s.src, a);
	addr_parse(s.dst, b->addr);
	got.len = 0;
	pkt_ip(&got, &s, l4.b, l4.len);
	msg.len = 0;
	pkt_icmp(&msg, hdr[0], hdr[1], (__u32)hdr[2] << 8 | hdr[3], got.b, n);
	fx_send_ip(x, &e, &msg, 0, 0);
	s = in.ip;
	s.raw = 1;
	memcpy(l4.b, got.b + hlen, l4.len);
	l4.b[0] = in.sport >> 8;
	l4.b[1] = in.sport;
	l4.b[2] = v->port >> 8;
	l4.b[3] = v->port;
	sent.len = 0;
	pkt_ip(&sent, &s, l4.b, l4.len);
	msg.len = 0;
	pkt_icmp(&msg, hdr[0], hdr[1], (__u32)hdr[2] << 8 | hdr[3], sent.b, n);
	addr_parse(e.src, v->addr);
	memcpy(e.dst, in.ip.src, sizeof(e.dst));
	fx_frame(&x->out, NEXT_HOP_MAC, LB_MAC, 0, e.family);
	pkt_ip(&x->out, &e, msg.b, msg.len);
	x->verdict = XDP_TX;
	x->delta.st.action[XDP_TX]++;
	x->delta.st.nat_icmp++;
}

static const __u8 PORT_UNREACH4[4] = { 3, 3, 0, 0 };
static const __u8 FRAG_NEEDED4[4] = { 3, 4, 0x05, 0x78 }; /* next-hop MTU 1400 */
static const __u8 TOO_BIG6[4] = { 2, 0, 0x05, 0x00 };	  /* MTU 1280 */

static void udp4_port_unreachable(struct fx *x)
{
	backend_error(x, V_NATU4, PORT_UNREACH4, 28);
}

static void tcp4_frag_needed(struct fx *x)
{
	backend_error(x, V_NAT4, FRAG_NEEDED4, 28);
}

static void tcp6_too_big(struct fx *x)
{
	backend_error(x, V_NAT6, TOO_BIG6, 72);
}

/*
 * x: a new flow of vip_id (source: candidate 0) is opened; a router on the client's path (or
 * the client, from NULL) sends the VIP an ICMP error (type, code, rest hdr[2..3]) quoting the
 * first n bytes of a reply of the flow. Unless gone (the flow's entry deleted first: then it
 * is counted and passed up), it leaves for the backend's MAC from the flow's pool address to
 * the backend, quoting the reply as the backend sent it (from its address and port to the
 * pool address and port; the TCP/UDP checksum as quoted), counted as nat_icmp_in.
 */
static void client_error(struct fx *x, __u32 vip_id, const __u8 *hdr, __u32 n, const char *from,
			 bool gone)
{
	const struct env_vip *v = env_vip(vip_id);
	const struct env_be *b = env_be(v->be);
	struct fx_in in = client_flow(vip_id);
	__u32 hlen = in.ip.family == XLB_FAM_V4 ? 20 : 40;
	struct ip_spec e, s = { .family = in.ip.family, .proto = in.ip.proto, .ttl = 64, .raw = 1 };
	static struct pkt got, sent, msg;
	struct xlb_flow_key k;
	__u16 port, bport = be_port(vip_id);
	const char *a = cand(&in, 0, &port);
	__u8 mac[6];

	send_client(&in);
	if (gone) {
		cand_key(&in, vip_id, 0, &k);
		bpf_map_delete_elem(fnat_lb->maps.nat, &k);
	}
	fx_reply_error(&in, v->port, hdr, n, from, &e, &got, &msg);
	fx_send_ip(x, &e, &msg, 0, 0);
	if (gone) {
		fx_expect_pass(x);
		x->delta.st.flow_hit++;
		x->delta.vip[vip_id].packets++;
		x->delta.vip[vip_id].bytes += x->ip.len;
		return;
	}
	addr_parse(s.src, b->addr);
	addr_parse(s.dst, a);
	sent.len = 0;
	pkt_ip(&sent, &s, got.b + hlen, got.len - hlen);
	sent.b[hlen] = bport >> 8;
	sent.b[hlen + 1] = bport;
	sent.b[hlen + 2] = port >> 8;
	sent.b[hlen + 3] = port;
	msg.len = 0;
	pkt_icmp(&msg, hdr[0], hdr[1], (__u32)hdr[2] << 8 | hdr[3], sent.b, n);
	addr_parse(e.src, a);
	addr_parse(e.dst, b->addr);
	env_be_mac(b->id, mac);
	fx_frame(&x->out, mac, LB_MAC, 0, e.family);
	pkt_ip(&x->out, &e, msg.b, msg.len);
	fx_count_fwd(x, vip_id, b->id, false);
	x->delta.st.nat_icmp_in++;
}

static const __u8 PORT_UNREACH6[4] = { 1, 4, 0, 0 };

static void tcp4_router_frag_needed(struct fx *x)
{
	client_error(x, V_NAT4, FRAG_NEEDED4, 28, ROUTER4, false);
}

static void udp4_client_port_unreachable(struct fx *x)
{
	client_error(x, V_NATU4, PORT_UNREACH4, 28, NULL, false);
}

static void tcp6_router_too_big(struct fx *x)
{
	client_error(x, V_NAT6, TOO_BIG6, 88, ROUTER6, false);
}

static void udp6_client_port_unreachable(struct fx *x)
{
	client_error(x, V_NATU6, PORT_UNREACH6, 48, NULL, false);
}

static void tcp6_router_too_big_gone(struct fx *x)
{
	client_error(x, V_NAT6, TOO_BIG6, 88, ROUTER6, true);
}

static const struct fx_case cases[] = {
	{ "fnat tcp4: from pool candidate 0 to the backend, checksums right", tcp4_out },
	{ "fnat udp4: a zero UDP checksum stays zero", udp4_zero_csum_out },
	{ "fnat tcp6 with a vlan tag: from pool candidate 0 to the backend", tcp6_out },
	{ "fnat udp6: from pool candidate 0 to the backend's address, port kept", udp6_out },
	{ "fnat tcp4 reply to the pool: from the VIP to the client, to the next hop", tcp4_reply },
	{ "fnat udp4 reply: to the client from the VIP", udp4_reply },
	{ "fnat udp4 reply with a vlan tag: a zero UDP checksum stays zero", udp4_zero_csum_reply },
	{ "fnat tcp6 reply: to the client from the VIP", tcp6_reply },
	{ "fnat udp6 reply with two tags: to the client from the VIP", udp6_reply },
	{ "fnat udp6: every candidate in use, dropped as snat_exhausted", udp6_exhausted },
	{ "fnat tcp4: to a pool address of no flow, passed untouched", tcp4_unknown_pool_reply },
	{ "fnat tcp4: candidate 0 held by an expired entry, the flow takes it",
	  tcp4_expired_candidate },
	{ "fnat udp4 backend's port unreachable: to the client from the VIP, quoting its packet",
	  udp4_port_unreachable },
	{ "fnat tcp4 backend's frag needed: to the client from the VIP, quoting its packet",
	  tcp4_frag_needed },
	{ "fnat tcp6 backend's packet too big: to the client from the VIP, quoting its packet",
	  tcp6_too_big },
	{ "fnat tcp4 router's frag needed about a reply: to the backend from the pool",
	  tcp4_router_frag_needed },
	{ "fnat udp4 client's port unreachable: to the backend from the pool, quoting its reply",
	  udp4_client_port_unreachable },
	{ "fnat tcp6 router's packet too big about a reply: to the backend from the pool",
	  tcp6_router_too_big },
	{ "fnat udp6 client's port unreachable: to the backend from the pool, quoting its reply",
	  udp6_client_port_unreachable },
	{ "fnat tcp6 router's packet too big, the flow's pool entry gone: counted, passed",
	  tcp6_router_too_big_gone },
};

void cases_fnat(const struct lb *lb)
{
	static const __u32 vips[] = { V_NAT4, V_NATU4, V_NAT6, V_NATU6 };
	__u32 i;

	fnat_lb = lb;
	for (i = 0; i < 4; i++)
		env_set_pool(lb, vips[i], true);
	fx_run_table(lb, cases, sizeof(cases) / sizeof(cases[0]));
	tcp4_second_candidate(lb);
	for (i = 0; i < 4; i++)
		env_set_pool(lb, vips[i], false);
}
