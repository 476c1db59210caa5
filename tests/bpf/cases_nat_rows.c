// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The NAT cases LVS-NAT and full NAT share (issue 13), one row each, named for each mode: a
 * client packet leaves for the backend, the backend's reply for the client, and ICMP errors
 * about a flow from either side. cases_nat() and cases_fnat() run them, full NAT with pools.
 */
#include <string.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include "cases.h"
#include "fx_nat.h"

/* What a row checks, each time on a new flow of its VIP. */
enum kind {
	OUT,	     /* the client's packet leaves for the backend */
	REPLY,	     /* the backend's reply leaves for the client, from the VIP */
	BACKEND_ERR, /* an ICMP error from the backend's side about the client's packet */
	CLIENT_ERR,  /* an ICMP error from the client's side about the backend's reply */
};

struct nat_row {
	const char *lvs, *full; /* the case's name in each mode */
	enum kind kind;
	__u32 vip;
	__u8 nvlan;	  /* OUT, REPLY: VLAN tags */
	bool zero_csum;	  /* OUT, REPLY: a UDP checksum of zero */
	const __u8 *hdr;  /* errors: the ICMP header */
	__u32 n;	  /* errors: bytes of the packet quoted */
	const char *from; /* errors: another host (BACKEND_ERR), a router (CLIENT_ERR) */
	bool gone;	  /* CLIENT_ERR: the flow's reply entry deleted first */
};

#define ERR(k, id, icmp, quoted) .kind = (k), .vip = (id), .hdr = (icmp), .n = (quoted)
#define PU4 FXN_PORT_UNREACH4
#define FN4 FXN_FRAG_NEEDED4
#define PU6 FXN_PORT_UNREACH6
#define TB6 FXN_TOO_BIG6

static const struct nat_row rows[] = {
	{ "nat tcp4: to the backend's address and port, checksums right",
	  "fnat tcp4: from pool candidate 0 to the backend, checksums right", .kind = OUT,
	  .vip = V_NAT4 },
	{ "nat udp4: to the backend's address and port, checksums right",
	  "fnat udp4: from pool candidate 0 to the backend, checksums right", .kind = OUT,
	  .vip = V_NATU4 },
	{ "nat udp4: a zero UDP checksum stays zero", "fnat udp4: a zero UDP checksum stays zero",
	  .kind = OUT, .vip = V_NATU4, .zero_csum = true },
	{ "nat tcp6 with a vlan tag: to the backend's address and port",
	  "fnat tcp6 with a vlan tag: from pool candidate 0 to the backend", .kind = OUT,
	  .vip = V_NAT6, .nvlan = 1 },
	{ "nat udp6 with two tags: a backend without a port keeps the VIP's",
	  "fnat udp6: from pool candidate 0 to the backend's address, port kept", .kind = OUT,
	  .vip = V_NATU6, .nvlan = 2 },
	{ "nat tcp4 reply: from the VIP and its port, to the next hop",
	  "fnat tcp4 reply to the pool: from the VIP to the client, to the next hop",
	  .kind = REPLY, .vip = V_NAT4 },
	{ "nat udp4 reply: from the VIP and its port, to the next hop",
	  "fnat udp4 reply: to the client from the VIP", .kind = REPLY, .vip = V_NATU4 },
	{ "nat udp4 reply with a vlan tag: a zero UDP checksum stays zero",
	  "fnat udp4 reply with a vlan tag: a zero UDP checksum stays zero", .kind = REPLY,
	  .vip = V_NATU4, .nvlan = 1, .zero_csum = true },
	{ "nat tcp6 reply: from the VIP and its port, to the next hop",
	  "fnat tcp6 reply: to the client from the VIP", .kind = REPLY, .vip = V_NAT6 },
	{ "nat udp6 reply with two tags: port kept",
	  "fnat udp6 reply with two tags: to the client from the VIP", .kind = REPLY,
	  .vip = V_NATU6, .nvlan = 2 },
	{ "nat udp4 backend's port unreachable: from the VIP, quoting the VIP",
	  "fnat udp4 backend's port unreachable: to the client from the VIP, quoting its packet",
	  ERR(BACKEND_ERR, V_NATU4, PU4, 28) },
	{ "nat tcp4 backend's frag needed: from the VIP, quoting the VIP",
	  "fnat tcp4 backend's frag needed: to the client from the VIP, quoting its packet",
	  ERR(BACKEND_ERR, V_NAT4, FN4, 28) },
	{ "nat tcp6 backend's packet too big: from the VIP, quoting the VIP",
	  "fnat tcp6 backend's packet too big: to the client from the VIP, quoting its packet",
	  ERR(BACKEND_ERR, V_NAT6, TB6, 72) },
	{ "nat udp6 backend's port unreachable: from the VIP, quoting the VIP",
	  "fnat udp6 backend's port unreachable: to the client from the VIP, quoting its packet",
	  ERR(BACKEND_ERR, V_NATU6, PU6, 48) },
	{ "nat tcp4 frag needed about a flow from another host: passed untouched",
	  "fnat tcp4 frag needed about a flow from another host: passed untouched",
	  ERR(BACKEND_ERR, V_NAT4, FN4, 28), .from = "198.19.0.99" },
	{ "nat tcp4 router's frag needed about a reply: to the backend, quoting its own reply",
	  "fnat tcp4 router's frag needed about a reply: to the backend from the pool",
	  ERR(CLIENT_ERR, V_NAT4, FN4, 28), .from = ROUTER4 },
	{ "nat udp4 client's port unreachable: to the backend, quoting its own reply",
	  "fnat udp4 client's port unreachable: to the backend from the pool, quoting its reply",
	  ERR(CLIENT_ERR, V_NATU4, PU4, 28) },
	{ "nat tcp6 router's packet too big about a reply: to the backend, quoting its reply",
	  "fnat tcp6 router's packet too big about a reply: to the backend from the pool",
	  ERR(CLIENT_ERR, V_NAT6, TB6, 88), .from = ROUTER6 },
	{ "nat udp6 client's port unreachable: to the backend, quoting its own reply",
	  "fnat udp6 client's port unreachable: to the backend from the pool, quoting its reply",
	  ERR(CLIENT_ERR, V_NATU6, PU6, 48) },
	{ "nat tcp4 router's frag needed, the flow's nat entry gone: counted, passed",
	  "fnat tcp4 router's frag needed, the flow's pool entry gone: counted, passed",
	  ERR(CLIENT_ERR, V_NAT4, FN4, 28), .from = ROUTER4, .gone = true },
	{ "nat tcp6 router's packet too big, the flow's nat entry gone: counted, passed",
	  "fnat tcp6 router's packet too big, the flow's pool entry gone: counted, passed",
	  ERR(CLIENT_ERR, V_NAT6, TB6, 88), .from = ROUTER6, .gone = true },
};

/* x: a new flow of r's VIP opened (from row r: nvlan tags, a zero UDP checksum) leaves. */
static void out_row(struct fx *x, const struct nat_row *r, int cand)
{
	struct fx_in in = fxn_client(r->vip, r->nvlan);

	fx_send(x, &in);
	if (r->zero_csum)
		fxn_zero_udp_csum(x, &in);
	fxn_expect_out(x, &in, r->vip, cand, true);
}

/* x: a new flow of r's VIP is opened, and its backend's reply goes out from the VIP. */
static void reply_row(const struct lb *lb, struct fx *x, const struct nat_row *r, int cand)
{
	const struct env_vip *v = env_vip(r->vip);
	struct fx_in in = fxn_client(r->vip, r->nvlan), rep;
	char client[INET6_ADDRSTRLEN];

	fxn_open(lb, &in);
	rep = fxn_reply(&in, r->vip, cand);
	fx_send(x, &rep);
	if (r->zero_csum)
		fxn_zero_udp_csum(x, &rep);
	fxn_frame(x, &rep, v->addr, v->port, fxn_addr(&in, true, client), in.sport, NEXT_HOP_MAC);
	fxn_count_reply(x);
}

/*
 * x: a new flow of r's VIP is opened; its backend (or r->from) sends an ICMP error quoting the
 * first r->n bytes of the packet the backend got. The backend's leaves for the next hop from
 * the VIP to the client, quoting the client's packet as the client sent it (its TCP/UDP
 * checksum as the backend quoted it); another host's goes up untouched.
 */
static void backend_error(const struct lb *lb, struct fx *x, const struct nat_row *r, int cand)
{
	const struct env_vip *v = env_vip(r->vip);
	const struct env_be *b = env_be(v->be);
	struct fx_in in = fxn_client(r->vip, 0);
	__u32 hlen = pkt_ip_hlen(&in.ip);
	struct ip_spec e = { .family = in.ip.family, .ttl = 64 }, s = in.ip;
	static struct pkt l4, got, sent, msg;
	char buf[INET6_ADDRSTRLEN];
	__u16 port;
	const char *a = fxn_src(&in, cand, buf, &port);

	e.proto = in.ip.family == XLB_FAM_V4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	addr_parse(e.src, r->from ? r->from : b->addr);
	addr_parse(e.dst, a);
	fxn_open(lb, &in);
	fx_l4(&l4, in.ip.proto, port, fxn_be_port(r->vip), in.paylen);
	addr_parse(s.src, a);
	addr_parse(s.dst, b->addr);
	got.len = 0;
	pkt_ip(&got, &s, l4.b, l4.len);
	fxn_icmp_msg(&msg, r->hdr, &got, r->n);
	fx_send_ip(x, &e, &msg, 0, 0);
	if (r->from) {
		fx_expect_pass(x);
		return;
	}
	s = in.ip;
	s.raw = 1;
	sent.len = 0;
	pkt_ip(&sent, &s, got.b + hlen, got.len - hlen);
	pkt_set16(sent.b + hlen, in.sport);
	pkt_set16(sent.b + hlen + 2, v->port);
	fxn_icmp_msg(&msg, r->hdr, &sent, r->n);
	addr_parse(e.src, v->addr);
	memcpy(e.dst, in.ip.src, sizeof(e.dst));
	fx_frame(&x->out, NEXT_HOP_MAC, LB_MAC, 0, e.family);
	pkt_ip(&x->out, &e, msg.b, msg.len);
	x->verdict = XDP_TX;
	x->delta.st.action[XDP_TX]++;
	x->delta.st.nat_icmp++;
}

/*
 * x: a new flow of r's VIP is opened; r->from (NULL: the client) sends the VIP an ICMP error
 * quoting the first r->n bytes of a reply of the flow. Unless gone (then it is counted and
 * passed up), it leaves for the backend's MAC to the backend (full NAT: from the flow's pool
 * address), quoting the reply as the backend sent it (the TCP/UDP checksum as quoted), counted
 * as nat_icmp_in and as a packet of the flow.
 */
static void client_error(const struct lb *lb, struct fx *x, const struct nat_row *r, int cand)
{
	const struct env_vip *v = env_vip(r->vip);
	const struct env_be *b = env_be(v->be);
	struct fx_in in = fxn_client(r->vip, 0), rep;
	__u32 hlen = pkt_ip_hlen(&in.ip);
	struct ip_spec e, s = { .family = in.ip.family, .proto = in.ip.proto, .ttl = 64, .raw = 1 };
	static struct pkt got, sent, msg;
	char buf[INET6_ADDRSTRLEN];
	struct xlb_flow_key k;
	__u16 port;
	const char *a = fxn_src(&in, cand, buf, &port);
	__u8 mac[6];

	fxn_open(lb, &in);
	rep = fxn_reply(&in, r->vip, cand);
	fx_key_of(&rep, &k);
	if (r->gone)
		bpf_map_delete_elem(lb->maps.nat, &k);
	fxn_reply_error(&in, v->port, r->hdr, r->n, r->from, &e, &got, &msg);
	fx_send_ip(x, &e, &msg, 0, 0);
	if (r->gone) {
		fx_expect_pass(x);
		fx_count_vip(x, r->vip, true);
		return;
	}
	addr_parse(s.src, b->addr);
	addr_parse(s.dst, a);
	sent.len = 0;
	pkt_ip(&sent, &s, got.b + hlen, got.len - hlen);
	pkt_set16(sent.b + hlen, fxn_be_port(r->vip));
	pkt_set16(sent.b + hlen + 2, port);
	fxn_icmp_msg(&msg, r->hdr, &sent, r->n);
	if (cand != FXN_LVS)
		addr_parse(e.src, a);
	addr_parse(e.dst, b->addr);
	env_be_mac(b->id, mac);
	fx_frame(&x->out, mac, LB_MAC, 0, e.family);
	pkt_ip(&x->out, &e, msg.b, msg.len);
	fx_count_fwd(x, r->vip, b->id, false);
	x->delta.st.nat_icmp_in++;
}

void cases_nat_rows(const struct lb *lb, bool full)
{
	int cand = full ? 0 : FXN_LVS;
	static struct fx x;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct nat_row *r = &rows[i];

		fx_start(&x, full ? r->full : r->lvs);
		if (r->kind == OUT)
			out_row(&x, r, cand);
		else if (r->kind == REPLY)
			reply_row(lb, &x, r, cand);
		else if (r->kind == BACKEND_ERR)
			backend_error(lb, &x, r, cand);
		else
			client_error(lb, &x, r, cand);
		fx_run(lb, &x);
	}
}
