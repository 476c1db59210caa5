// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixtures for LVS-NAT (issue 13): a client packet to a nat VIP leaves for the backend's MAC
 * with the backend's address and port, the backend's reply leaves for the next hop from the
 * VIP and port, both with checksums as a sender computes them (expected frames are built
 * afresh, not patched); replies of no known flow, cut short or malformed are left alone.
 */
#include <arpa/inet.h>
#include <string.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include "cases.h"

static const struct lb *nat_lb;

/* Bytes before the IP header in a frame with nvlan tags. */
static __u32 l2_len(__u8 nvlan)
{
	return 14 + 4 * nvlan;
}

/*
 * x's IP packet (in as sent, no options or extension headers) as NAT leaves it: the
 * destination (dst) or source address becomes addr and that side's port port (0: kept), the
 * checksums computed afresh (a UDP zero checksum stays zero), in a frame from the balancer's
 * MAC to mac.
 */
static void nat_frame(struct fx *x, const struct fx_in *in, const char *addr, __u16 port,
		      bool dst, const __u8 *mac)
{
	__u32 hlen = in->ip.family == XLB_FAM_V4 ? 20 : 40;
	__u32 coff = in->ip.proto == IPPROTO_TCP ? 16 : 6;
	struct ip_spec s = in->ip;
	static struct pkt l4;

	addr_parse(dst ? s.dst : s.src, addr);
	l4.len = 0;
	pkt_put(&l4, x->ip.b + hlen, x->ip.len - hlen);
	if (port) {
		l4.b[dst ? 2 : 0] = port >> 8;
		l4.b[dst ? 3 : 1] = port;
	}
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
	memset(x->in.b + l2_len(in->nvlan) + off, 0, 2);
}

/* A client packet of fixture VIP vip_id from a port no case used. */
static struct fx_in client_flow(__u32 vip_id, __u8 nvlan)
{
	const struct env_vip *v = env_vip(vip_id);
	struct fx_in in = v->proto == IPPROTO_TCP ? fx_tcp(v->addr, v->port) :
						      fx_udp(v->addr, v->port);

	in.nvlan = nvlan;
	return in;
}

/* x: client packet in of nat VIP vip_id, NATed to the VIP's backend. */
static void expect_out(struct fx *x, const struct fx_in *in, __u32 vip_id, bool new_flow)
{
	const struct env_be *b = env_be(env_vip(vip_id)->be);
	__u8 mac[6];

	env_be_mac(b->id, mac);
	nat_frame(x, in, b->addr, env_be_port(b->id), true, mac);
	fx_count_fwd(x, vip_id, b->id, new_flow);
}

static void client(struct fx *x, __u32 vip_id, __u8 nvlan, bool zero_csum)
{
	struct fx_in in = client_flow(vip_id, nvlan);

	fx_send(x, &in);
	if (zero_csum)
		zero_udp_csum(x, &in);
	expect_out(x, &in, vip_id, true);
}

/* Sends client packet in once, unchecked: its flow and reply entry then exist. */
static void send_client(const struct fx_in *in)
{
	static struct pkt out;
	static struct fx c;
	int verdict;

	fx_start(&c, "");
	fx_send(&c, in);
	prog_run(nat_lb->prog_fd, &c.in, &out, &verdict);
}

/* The backend's reply (from port sport) to client packet in of nat VIP vip_id. */
static struct fx_in reply_to(const struct fx_in *in, __u32 vip_id, __u16 sport)
{
	const struct env_be *b = env_be(env_vip(vip_id)->be);
	char client[INET6_ADDRSTRLEN];
	struct fx_in r;

	inet_ntop(in->ip.family == XLB_FAM_V4 ? AF_INET : AF_INET6, in->ip.src, client,
		  sizeof(client));
	r = fx_flow(b->addr, client, in->ip.proto, in->sport);
	r.sport = sport;
	r.nvlan = in->nvlan;
	return r;
}

/* The port a reply of vip_id's backend comes from. */
static __u16 be_port(__u32 vip_id)
{
	const struct env_vip *v = env_vip(vip_id);

	return env_be_port(v->be) ? env_be_port(v->be) : v->port;
}

/* x: a client flow of vip_id is opened, and its backend's reply goes out from the VIP. */
static void reply(struct fx *x, __u32 vip_id, __u8 nvlan, bool zero_csum)
{
	const struct env_vip *v = env_vip(vip_id);
	struct fx_in in = client_flow(vip_id, nvlan), r;

	send_client(&in);
	r = reply_to(&in, vip_id, be_port(vip_id));
	fx_send(x, &r);
	if (zero_csum)
		zero_udp_csum(x, &r);
	nat_frame(x, &r, v->addr, v->port, false, NEXT_HOP_MAC);
	x->verdict = XDP_TX;
	x->delta.st.action[XDP_TX]++;
	x->delta.st.nat_reply++;
}

static void tcp4_out(struct fx *x)
{
	client(x, V_NAT4, 0, false);
}

static void udp4_out(struct fx *x)
{
	client(x, V_NATU4, 0, false);
}

static void udp4_zero_csum_out(struct fx *x)
{
	client(x, V_NATU4, 0, true);
}

static void tcp6_out_vlan(struct fx *x)
{
	client(x, V_NAT6, 1, false);
}

static void udp6_port_kept_out(struct fx *x)
{
	client(x, V_NATU6, 2, false);
}

/* A known flow's second packet follows its entry; the reply entry is left as it is. */
static void tcp4_known_out(struct fx *x)
{
	struct fx_in in = client_flow(V_NAT4, 0);

	send_client(&in);
	fx_send(x, &in);
	expect_out(x, &in, V_NAT4, false);
}

/* Ethernet padding behind the packet is cut, as for every mode. */
static void tcp4_padded_out(struct fx *x)
{
	struct fx_in in = client_flow(V_NAT4, 0);

	in.pad = 18;
	fx_send(x, &in);
	expect_out(x, &in, V_NAT4, true);
}

static void tcp4_reply(struct fx *x)
{
	reply(x, V_NAT4, 0, false);
}

static void udp4_reply(struct fx *x)
{
	reply(x, V_NATU4, 0, false);
}

static void udp4_zero_csum_reply(struct fx *x)
{
	reply(x, V_NATU4, 1, true);
}

static void tcp6_reply(struct fx *x)
{
	reply(x, V_NAT6, 0, false);
}

static void udp6_port_kept_reply(struct fx *x)
{
	reply(x, V_NATU6, 2, false);
}

/* A reply whose client port no flow used: up to the stack untouched. */
static void tcp4_unknown_reply(struct fx *x)
{
	struct fx_in in = client_flow(V_NAT4, 0), r = reply_to(&in, V_NAT4, 8080);

	fx_send(x, &r);
	fx_expect_pass(x);
}

/* A known flow's reply from another port of the backend is not the flow's: untouched. */
static void udp6_wrong_port_reply(struct fx *x)
{
	struct fx_in in = client_flow(V_NATU6, 0), r;

	send_client(&in);
	r = reply_to(&in, V_NATU6, 54);
	fx_send(x, &r);
	fx_expect_pass(x);
}

/* A reply whose TCP header the IP length cuts short is left to the stack. */
static void tcp4_short_reply(struct fx *x)
{
	struct fx_in in = client_flow(V_NAT4, 0), r;
	__u32 l3 = l2_len(0);

	send_client(&in);
	r = reply_to(&in, V_NAT4, 8080);
	r.paylen = 0;
	fx_send(x, &r);
	x->in.len = l3 + 20 + 12;
	x->in.b[l3 + 2] = 0;
	x->in.b[l3 + 3] = 20 + 12; /* total length: 12 bytes of TCP header */
	fx_expect_pass(x);
}

/* A reply whose IPv6 payload length runs past the frame is malformed, as any packet is. */
static void tcp6_malformed_reply(struct fx *x)
{
	struct fx_in in = client_flow(V_NAT6, 0), r;
	__u32 l3 = l2_len(0);

	send_client(&in);
	r = reply_to(&in, V_NAT6, 8080);
	fx_send(x, &r);
	x->in.b[l3 + 4] = 0x05; /* payload length 1280 + the real low byte */
	fx_expect_drop(x, XLB_DROP_MALFORMED);
}

/* With no nat VIP (nat_vips 0) a reply is not looked up: it goes up untouched. */
static void tcp4_reply_no_nat_vips(struct fx *x)
{
	struct xlb_runtime rt;

	reply(x, V_NAT4, 0, false);
	memset(&x->delta, 0, sizeof(x->delta));
	fx_expect_pass(x);
	if (xlb_runtime_get(&nat_lb->maps, &rt))
		return;
	rt.nat_vips = 0;
	xlb_runtime_put(&nat_lb->maps, &rt);
}

/* The L4 segment client packet in carries, its destination port then set to dport. */
static void l4_of(struct pkt *l4, const struct fx_in *in, __u16 dport)
{
	l4->len = 0;
	if (in->ip.proto == IPPROTO_TCP)
		pkt_tcp(l4, in->sport, in->dport, in->paylen);
	else
		pkt_udp(l4, in->sport, in->dport, in->paylen);
	l4->b[2] = dport >> 8;
	l4->b[3] = dport;
}

/* ICMP message hdr (type, code, rest in hdr[2..3]) quoting the first n bytes of ip. */
static void icmp_msg(struct pkt *msg, const __u8 *hdr, const struct pkt *ip, __u32 n)
{
	msg->len = 0;
	pkt_icmp(msg, hdr[0], hdr[1], (__u32)hdr[2] << 8 | hdr[3], ip->b, n);
}

/*
 * x: a client flow of nat VIP vip_id is opened; its backend (from) sends an ICMP error (type,
 * code, rest hdr[2..3]) quoting the first n bytes of the packet it got. When from is the
 * backend, the error leaves for the next hop from the VIP, quoting the client's packet as it
 * was sent (its TCP/UDP checksum as the backend quoted it); else it goes up untouched.
 */
static void backend_error(struct fx *x, __u32 vip_id, const __u8 *hdr, __u32 n, const char *from)
{
	const struct env_vip *v = env_vip(vip_id);
	const struct env_be *b = env_be(v->be);
	struct fx_in in = client_flow(vip_id, 0);
	__u32 hlen = in.ip.family == XLB_FAM_V4 ? 20 : 40;
	__u8 v4 = in.ip.family == XLB_FAM_V4;
	struct ip_spec e = { .family = in.ip.family, .ttl = 64 }, s = in.ip;
	static struct pkt l4, got, sent, msg;

	e.proto = v4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	addr_parse(e.src, from);
	memcpy(e.dst, in.ip.src, sizeof(e.dst));
	send_client(&in);
	l4_of(&l4, &in, be_port(vip_id));
	addr_parse(s.dst, b->addr);
	got.len = 0;
	pkt_ip(&got, &s, l4.b, l4.len);
	icmp_msg(&msg, hdr, &got, n);
	fx_send_ip(x, &e, &msg, 0, 0);
	if (strcmp(from, b->addr)) {
		fx_expect_pass(x);
		return;
	}
	s = in.ip;
	s.raw = 1;
	memcpy(l4.b, got.b + hlen, l4.len);
	l4.b[2] = v->port >> 8;
	l4.b[3] = v->port;
	sent.len = 0;
	pkt_ip(&sent, &s, l4.b, l4.len);
	icmp_msg(&msg, hdr, &sent, n);
	addr_parse(e.src, v->addr);
	fx_frame(&x->out, NEXT_HOP_MAC, LB_MAC, 0, e.family);
	pkt_ip(&x->out, &e, msg.b, msg.len);
	x->verdict = XDP_TX;
	x->delta.st.action[XDP_TX]++;
	x->delta.st.nat_icmp++;
}

static const __u8 PORT_UNREACH4[4] = { 3, 3, 0, 0 };
static const __u8 FRAG_NEEDED4[4] = { 3, 4, 0x05, 0x78 };   /* next-hop MTU 1400 */
static const __u8 PORT_UNREACH6[4] = { 1, 4, 0, 0 };
static const __u8 TOO_BIG6[4] = { 2, 0, 0x05, 0x00 };	    /* MTU 1280 */

static void udp4_port_unreachable(struct fx *x)
{
	backend_error(x, V_NATU4, PORT_UNREACH4, 28, "198.19.0.15");
}

static void tcp4_frag_needed(struct fx *x)
{
	backend_error(x, V_NAT4, FRAG_NEEDED4, 28, "198.19.0.14");
}

static void tcp6_too_big(struct fx *x)
{
	backend_error(x, V_NAT6, TOO_BIG6, 72, "2001:db8:200::16");
}

static void udp6_port_unreachable(struct fx *x)
{
	backend_error(x, V_NATU6, PORT_UNREACH6, 48, "2001:db8:200::17");
}

/* An error about the flow from elsewhere (a router) is not the backend's: untouched. */
static void tcp4_frag_needed_other(struct fx *x)
{
	backend_error(x, V_NAT4, FRAG_NEEDED4, 28, "198.19.0.99");
}

/*
 * A router's "fragmentation needed" to a nat VIP about a reply of a flow it never had (no
 * xlb_nat entry): counted for the VIP as any ICMP error about its flows is, then left to the
 * stack.
 */
static void tcp4_client_side_error(struct fx *x)
{
	fx_quoted(x, "198.18.0.11", IPPROTO_TCP, 80, fx_port(), 3, 4, 0);
	fx_expect_pass(x);
	x->delta.st.flow_miss++;
	x->delta.vip[V_NAT4].packets++;
	x->delta.vip[V_NAT4].bytes += x->ip.len;
}

/*
 * x: a client flow of nat VIP vip_id is opened; from (NULL: the client) sends the VIP an ICMP
 * error (type, code, rest hdr[2..3]) quoting the first n bytes of a reply of the flow. It
 * leaves for the backend's MAC, to the backend, its source kept, quoting the reply as the
 * backend sent it (from its address and port; the TCP/UDP checksum as quoted), counted as
 * nat_icmp_in and as a packet of the flow.
 */
static void client_error(struct fx *x, __u32 vip_id, const __u8 *hdr, __u32 n, const char *from)
{
	const struct env_vip *v = env_vip(vip_id);
	const struct env_be *b = env_be(v->be);
	struct fx_in in = client_flow(vip_id, 0);
	__u32 hlen = in.ip.family == XLB_FAM_V4 ? 20 : 40;
	__u16 bport = be_port(vip_id);
	static struct pkt got, sent, msg;
	struct ip_spec e, s = { .family = in.ip.family, .proto = in.ip.proto, .ttl = 64 };
	__u8 mac[6];

	send_client(&in);
	fx_reply_error(&in, v->port, hdr, n, from, &e, &got, &msg);
	fx_send_ip(x, &e, &msg, 0, 0);
	s.raw = 1;
	addr_parse(s.src, b->addr);
	memcpy(s.dst, in.ip.src, sizeof(s.dst));
	sent.len = 0;
	pkt_ip(&sent, &s, got.b + hlen, got.len - hlen);
	sent.b[hlen] = bport >> 8;
	sent.b[hlen + 1] = bport;
	icmp_msg(&msg, hdr, &sent, n);
	addr_parse(e.dst, b->addr);
	env_be_mac(b->id, mac);
	fx_frame(&x->out, mac, LB_MAC, 0, e.family);
	pkt_ip(&x->out, &e, msg.b, msg.len);
	fx_count_fwd(x, vip_id, b->id, false);
	x->delta.st.nat_icmp_in++;
}

static void tcp4_router_frag_needed(struct fx *x)
{
	client_error(x, V_NAT4, FRAG_NEEDED4, 28, ROUTER4);
}

static void udp4_client_port_unreachable(struct fx *x)
{
	client_error(x, V_NATU4, PORT_UNREACH4, 28, NULL);
}

static void tcp6_router_too_big(struct fx *x)
{
	client_error(x, V_NAT6, TOO_BIG6, 88, ROUTER6);
}

static void udp6_client_port_unreachable(struct fx *x)
{
	client_error(x, V_NATU6, PORT_UNREACH6, 48, NULL);
}

/* A router's error quoting the reply's IP header and two bytes: no ports, up untouched. */
static void tcp4_router_error_cut(struct fx *x)
{
	struct fx_in in = client_flow(V_NAT4, 0);
	static struct pkt got, msg;
	struct ip_spec e;

	send_client(&in);
	fx_reply_error(&in, env_vip(V_NAT4)->port, FRAG_NEEDED4, 22, ROUTER4, &e, &got,
		       &msg);
	fx_send_ip(x, &e, &msg, 0, 0);
	fx_expect_pass(x);
}

/*
 * A client's port unreachable about a reply of a flow it never had: counted for the VIP (its
 * backend found by Maglev), then left to the stack.
 */
static void udp6_client_unreachable_no_flow(struct fx *x)
{
	const struct env_vip *v = env_vip(V_NATU6);

	fx_quoted(x, v->addr, IPPROTO_UDP, v->port, fx_port(), 1, 4, 0);
	fx_expect_pass(x);
	x->delta.st.flow_miss++;
	x->delta.vip[V_NATU6].packets++;
	x->delta.vip[V_NATU6].bytes += x->ip.len;
}

/* A router's error about a reply whose xlb_nat entry is gone: counted, then passed up. */
static void tcp4_router_error_entry_gone(struct fx *x)
{
	const struct env_vip *v = env_vip(V_NAT4);
	struct fx_in in = client_flow(V_NAT4, 0);
	static struct pkt got, msg;
	struct xlb_flow_key rk;
	struct ip_spec e;

	send_client(&in);
	memset(&rk, 0, sizeof(rk));
	addr_parse(rk.src, env_be(v->be)->addr);
	memcpy(rk.dst, in.ip.src, sizeof(rk.dst));
	rk.sport = htons(be_port(V_NAT4));
	rk.dport = htons(in.sport);
	rk.proto = IPPROTO_TCP;
	rk.family = XLB_FAM_V4;
	bpf_map_delete_elem(nat_lb->maps.nat, &rk);
	fx_reply_error(&in, v->port, FRAG_NEEDED4, 28, ROUTER4, &e, &got, &msg);
	fx_send_ip(x, &e, &msg, 0, 0);
	fx_expect_pass(x);
	x->delta.st.flow_hit++;
	x->delta.vip[V_NAT4].packets++;
	x->delta.vip[V_NAT4].bytes += x->ip.len;
}

static const struct fx_case cases[] = {
	{ "nat tcp4: to the backend's address and port, checksums right", tcp4_out },
	{ "nat udp4: to the backend's address and port, checksums right", udp4_out },
	{ "nat udp4: a zero UDP checksum stays zero", udp4_zero_csum_out },
	{ "nat tcp6 with a vlan tag: to the backend's address and port", tcp6_out_vlan },
	{ "nat udp6 with two tags: a backend without a port keeps the VIP's", udp6_port_kept_out },
	{ "nat tcp4: a known flow's next packet follows its entry", tcp4_known_out },
	{ "nat tcp4: Ethernet padding cut", tcp4_padded_out },
	{ "nat tcp4 reply: from the VIP and its port, to the next hop", tcp4_reply },
	{ "nat udp4 reply: from the VIP and its port, to the next hop", udp4_reply },
	{ "nat udp4 reply with a vlan tag: a zero UDP checksum stays zero", udp4_zero_csum_reply },
	{ "nat tcp6 reply: from the VIP and its port, to the next hop", tcp6_reply },
	{ "nat udp6 reply with two tags: port kept", udp6_port_kept_reply },
	{ "nat tcp4 reply of no known flow: passed untouched", tcp4_unknown_reply },
	{ "nat udp6 reply from another backend port: passed untouched", udp6_wrong_port_reply },
	{ "nat tcp4 reply cut short: passed untouched", tcp4_short_reply },
	{ "nat tcp6 reply longer than its frame: dropped as malformed", tcp6_malformed_reply },
	{ "nat udp4 backend's port unreachable: from the VIP, quoting the VIP",
	  udp4_port_unreachable },
	{ "nat tcp4 backend's frag needed: from the VIP, quoting the VIP", tcp4_frag_needed },
	{ "nat tcp6 backend's packet too big: from the VIP, quoting the VIP", tcp6_too_big },
	{ "nat udp6 backend's port unreachable: from the VIP, quoting the VIP",
	  udp6_port_unreachable },
	{ "nat tcp4 frag needed about a flow from another host: passed untouched",
	  tcp4_frag_needed_other },
	{ "nat tcp4 frag needed from a router about a VIP flow: passed", tcp4_client_side_error },
	{ "nat tcp4 reply with nat_vips 0: passed untouched", tcp4_reply_no_nat_vips },
	{ "nat tcp4 router's frag needed about a reply: to the backend, quoting its own reply",
	  tcp4_router_frag_needed },
	{ "nat udp4 client's port unreachable: to the backend, quoting its own reply",
	  udp4_client_port_unreachable },
	{ "nat tcp6 router's packet too big about a reply: to the backend, quoting its reply",
	  tcp6_router_too_big },
	{ "nat udp6 client's port unreachable: to the backend, quoting its own reply",
	  udp6_client_port_unreachable },
	{ "nat tcp4 router's frag needed quoting no ports: passed untouched",
	  tcp4_router_error_cut },
	{ "nat udp6 client's port unreachable about no flow: counted, passed",
	  udp6_client_unreachable_no_flow },
	{ "nat tcp4 router's frag needed, the flow's nat entry gone: counted, passed",
	  tcp4_router_error_entry_gone },
};

/*
 * A UDP datagram to a nat VIP in two IPv4 fragments: the first gets the backend's address and
 * port (its checksum updated), the later one, which has no ports, the address only.
 */
static void udp4_fragments(const struct lb *lb)
{
	const struct env_be *b = env_be(env_vip(V_NATU4)->be);
	struct fx_in in = client_flow(V_NATU4, 0);
	static struct pkt data;
	static struct fx x;
	struct ip_spec s;
	__u8 mac[6];

	in.ip.frag = IP_MF;
	in.ip.id = 0x6101;
	in.paylen = 40;
	fx_start(&x, "nat udp4 first fragment: address, port and checksum rewritten");
	fx_send(&x, &in);
	expect_out(&x, &in, V_NATU4, true);
	fx_check(lb, &x);
	fx_start(&x, "nat udp4 later fragment: the address only");
	s = in.ip;
	s.frag = 48 / 8;
	s.raw = 1;
	data.len = 0;
	pkt_payload(&data, 16, 48);
	fx_send_ip(&x, &s, &data, 0, 0);
	addr_parse(s.dst, b->addr);
	env_be_mac(b->id, mac);
	fx_frame(&x.out, mac, LB_MAC, 0, s.family);
	pkt_ip(&x.out, &s, data.b, data.len);
	fx_count_fwd(&x, V_NATU4, b->id, false);
	x.delta.st.flow_hit = 0; /* it follows its first fragment, not the table */
	fx_check(lb, &x);
}

void cases_nat(const struct lb *lb)
{
	struct xlb_runtime rt;

	nat_lb = lb;
	fx_run_table(lb, cases, sizeof(cases) / sizeof(cases[0]));
	udp4_fragments(lb);
	if (xlb_runtime_get(&lb->maps, &rt))
		return;
	rt.nat_vips = 1;
	xlb_runtime_put(&lb->maps, &rt);
}
