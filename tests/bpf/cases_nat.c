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
#include "fx_nat.h"

static const struct lb *nat_lb;


/* A known flow's second packet follows its entry; the reply entry is left as it is. */
static void tcp4_known_out(struct fx *x)
{
	struct fx_in in = fxn_client(V_NAT4, 0);

	fxn_open(nat_lb, &in);
	fx_send(x, &in);
	fxn_expect_out(x, &in, V_NAT4, FXN_LVS, false);
}

/* Ethernet padding behind the packet is cut, as for every mode. */
static void tcp4_padded_out(struct fx *x)
{
	struct fx_in in = fxn_client(V_NAT4, 0);

	in.pad = 18;
	fx_send(x, &in);
	fxn_expect_out(x, &in, V_NAT4, FXN_LVS, true);
}

/* A reply whose client port no flow used: up to the stack untouched. */
static void tcp4_unknown_reply(struct fx *x)
{
	struct fx_in in = fxn_client(V_NAT4, 0), r = fxn_reply(&in, V_NAT4, FXN_LVS);

	fx_send(x, &r);
	fx_expect_pass(x);
}

/* A known flow's reply from another port of the backend is not the flow's: untouched. */
static void udp6_wrong_port_reply(struct fx *x)
{
	struct fx_in in = fxn_client(V_NATU6, 0), r = fxn_reply(&in, V_NATU6, FXN_LVS);

	fxn_open(nat_lb, &in);
	r.sport = 54;
	fx_send(x, &r);
	fx_expect_pass(x);
}

/* A reply whose TCP header the IP length cuts short is left to the stack. */
static void tcp4_short_reply(struct fx *x)
{
	struct fx_in in = fxn_client(V_NAT4, 0), r = fxn_reply(&in, V_NAT4, FXN_LVS);

	fxn_open(nat_lb, &in);
	r.paylen = 0;
	fx_send(x, &r);
	x->in.len = 14 + 20 + 12;
	pkt_set16(x->in.b + 14 + 2, 20 + 12); /* total length: 12 bytes of TCP header */
	fx_expect_pass(x);
}

/* A reply whose IPv6 payload length runs past the frame is malformed, as any packet is. */
static void tcp6_malformed_reply(struct fx *x)
{
	struct fx_in in = fxn_client(V_NAT6, 0), r = fxn_reply(&in, V_NAT6, FXN_LVS);

	fxn_open(nat_lb, &in);
	fx_send(x, &r);
	x->in.b[14 + 4] = 0x05; /* payload length 1280 + the real low byte */
	fx_expect_drop(x, XLB_DROP_MALFORMED);
}

/* With no nat VIP (nat_vips 0) a reply is not looked up: it goes up untouched. */
static void tcp4_reply_no_nat_vips(struct fx *x)
{
	struct fx_in in = fxn_client(V_NAT4, 0), r;
	struct xlb_runtime rt;

	fxn_open(nat_lb, &in);
	r = fxn_reply(&in, V_NAT4, FXN_LVS);
	fx_send(x, &r);
	fx_expect_pass(x);
	if (xlb_runtime_get(&nat_lb->maps, &rt))
		return;
	rt.nat_vips = 0;
	xlb_runtime_put(&nat_lb->maps, &rt);
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
	fx_count_vip(x, V_NAT4, false);
}

/* A router's error quoting the reply's IP header and two bytes: no ports, up untouched. */
static void tcp4_router_error_cut(struct fx *x)
{
	struct fx_in in = fxn_client(V_NAT4, 0);
	static struct pkt got, msg;
	struct ip_spec e;

	fxn_open(nat_lb, &in);
	fxn_reply_error(&in, env_vip(V_NAT4)->port, FXN_FRAG_NEEDED4, 22, ROUTER4, &e, &got,
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
	fx_count_vip(x, V_NATU6, false);
}

static const struct fx_case cases[] = {
	{ "nat tcp4: a known flow's next packet follows its entry", tcp4_known_out },
	{ "nat tcp4: Ethernet padding cut", tcp4_padded_out },
	{ "nat tcp4 reply of no known flow: passed untouched", tcp4_unknown_reply },
	{ "nat udp6 reply from another backend port: passed untouched", udp6_wrong_port_reply },
	{ "nat tcp4 reply cut short: passed untouched", tcp4_short_reply },
	{ "nat tcp6 reply longer than its frame: dropped as malformed", tcp6_malformed_reply },
	{ "nat tcp4 frag needed from a router about a VIP flow: passed", tcp4_client_side_error },
	{ "nat tcp4 router's frag needed quoting no ports: passed untouched",
	  tcp4_router_error_cut },
	{ "nat udp6 client's port unreachable about no flow: counted, passed",
	  udp6_client_unreachable_no_flow },
	{ "nat tcp4 reply with nat_vips 0: passed untouched", tcp4_reply_no_nat_vips },
};

/*
 * A UDP datagram to a nat VIP in two IPv4 fragments: the first gets the backend's address and
 * port (its checksum updated), the later one, which has no ports, the address only.
 */
static void udp4_fragments(const struct lb *lb)
{
	const struct env_be *b = env_be(env_vip(V_NATU4)->be);
	struct fx_in in = fxn_client(V_NATU4, 0);
	static struct pkt data;
	static struct fx x;
	struct ip_spec s;
	__u8 mac[6];

	in.ip.frag = IP_MF;
	in.ip.id = 0x6101;
	in.paylen = 40;
	fx_start(&x, "nat udp4 first fragment: address, port and checksum rewritten");
	fx_send(&x, &in);
	fxn_expect_out(&x, &in, V_NATU4, FXN_LVS, true);
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
	cases_nat_rows(lb, false);
	fx_run_table(lb, cases, sizeof(cases) / sizeof(cases[0]));
	udp4_fragments(lb);
	if (xlb_runtime_get(&lb->maps, &rt))
		return;
	rt.nat_vips = 1;
	xlb_runtime_put(&lb->maps, &rt);
}
