// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixtures for LVS-NAT (issue 13): a client packet to a nat VIP leaves for the backend's MAC
 * with the backend's address and port, the backend's reply leaves for the next hop from the
 * VIP and port, both with checksums as a sender computes them (expected frames are built
 * afresh, not patched); replies of no known flow, cut short or malformed are left alone.
 * The rows LVS-NAT shares with full NAT are in cases_nat_rows.c.
 */
#include <linux/bpf.h>
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

/* The reply's TCP header cut by the IP length: 12 of its 20 bytes are left. */
static void cut_tcp_header(struct fx *x)
{
	x->in.len = 14 + 20 + 12;
	pkt_set16(x->in.b + 14 + 2, 20 + 12);
}

/* The IPv6 payload length runs past the frame: 1280 + its real low byte. */
static void payload_past_frame(struct fx *x)
{
	x->in.b[14 + 4] = 0x05;
}

/* With no nat VIP (nat_vips 0) a reply is not looked up: nat_vips 0 from this case on. */
static void no_nat_vips(struct fx *x)
{
	struct xlb_runtime rt;

	(void)x;
	if (xlb_runtime_get(&nat_lb->maps, &rt))
		return;
	rt.nat_vips = 0;
	xlb_runtime_put(&nat_lb->maps, &rt);
}

#define PASS (-1)

/* A backend's reply of a flow of vip that goes up untouched, or is dropped. */
static const struct reply_row {
	const char *name;
	__u32 vip;
	bool open;		     /* its flow opened first (else no flow has its port) */
	__u16 sport;		     /* the backend port it comes from; 0: the flow's */
	__u32 paylen;		     /* 0: fx_flow()'s; FX_NO_PAYLOAD: none */
	void (*spoil)(struct fx *x); /* run on the frame built; NULL: none */
	int drop;		     /* XLB_DROP_*, or PASS */
} replies[] = {
	{ "nat tcp4 reply of no known flow: passed untouched", V_NAT4, false, 0, 0, NULL, PASS },
	{ "nat udp6 reply from another backend port: passed untouched",
	  V_NATU6, true, 54, 0, NULL, PASS },
	{ "nat tcp4 reply cut short: passed untouched",
	  V_NAT4, true, 0, FX_NO_PAYLOAD, cut_tcp_header, PASS },
	{ "nat tcp6 reply longer than its frame: dropped as malformed",
	  V_NAT6, true, 0, 0, payload_past_frame, XLB_DROP_MALFORMED },
	{ "nat tcp4 reply with nat_vips 0: passed untouched",
	  V_NAT4, true, 0, 0, no_nat_vips, PASS },
};

static void reply_row(struct fx *x, const void *row)
{
	const struct reply_row *r = row;
	struct fx_in in = fxn_client(r->vip, 0), rep = fxn_reply(&in, r->vip, FXN_LVS);

	if (r->open)
		fxn_open(nat_lb, &in);
	rep.sport = r->sport ? r->sport : rep.sport;
	if (r->paylen)
		rep.paylen = r->paylen == FX_NO_PAYLOAD ? 0 : r->paylen;
	fx_send(x, &rep);
	if (r->spoil)
		r->spoil(x);
	if (r->drop == PASS)
		fx_expect_pass(x);
	else
		fx_expect_drop(x, r->drop);
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
	{ "nat tcp4 frag needed from a router about a VIP flow: passed", tcp4_client_side_error },
	{ "nat tcp4 router's frag needed quoting no ports: passed untouched",
	  tcp4_router_error_cut },
	{ "nat udp6 client's port unreachable about no flow: counted, passed",
	  udp6_client_unreachable_no_flow },
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
	FX_RUN_ROWS(lb, replies, reply_row);
	udp4_fragments(lb);
	if (xlb_runtime_get(&lb->maps, &rt))
		return;
	rt.nat_vips = 1;
	xlb_runtime_put(&lb->maps, &rt);
}
