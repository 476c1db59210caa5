// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The NAT cases LVS-NAT and full NAT share (issue 13), one row each, named for each mode: a
 * client packet leaves for the backend, the backend's reply for the client, and ICMP errors
 * about a flow from either side. cases_nat() and cases_fnat() run them, full NAT with pools.
 */
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include "cases.h"
#include "fx_nat.h"

/* A client packet (OUT) or the backend's reply (REPLY) of a new flow of vip, named per mode. */
static const struct path_row {
	const char *lvs, *full;
	bool reply;
	__u32 vip;
	__u8 nvlan;
	bool zero_csum; /* a UDP checksum of zero */
} paths[] = {
#define OUT(id)	  .reply = false, .vip = (id)
#define REPLY(id) .reply = true, .vip = (id)
	{ "nat tcp4: to the backend's address and port, checksums right",
	  "fnat tcp4: from pool candidate 0 to the backend, checksums right", OUT(V_NAT4) },
	{ "nat udp4: to the backend's address and port, checksums right",
	  "fnat udp4: from pool candidate 0 to the backend, checksums right", OUT(V_NATU4) },
	{ "nat udp4: a zero UDP checksum stays zero", "fnat udp4: a zero UDP checksum stays zero",
	  OUT(V_NATU4), .zero_csum = true },
	{ "nat tcp6 with a vlan tag: to the backend's address and port",
	  "fnat tcp6 with a vlan tag: from pool candidate 0 to the backend", OUT(V_NAT6),
	  .nvlan = 1 },
	{ "nat udp6 with two tags: a backend without a port keeps the VIP's",
	  "fnat udp6: from pool candidate 0 to the backend's address, port kept", OUT(V_NATU6),
	  .nvlan = 2 },
	{ "nat tcp4 reply: from the VIP and its port, to the next hop",
	  "fnat tcp4 reply to the pool: from the VIP to the client, to the next hop",
	  REPLY(V_NAT4) },
	{ "nat udp4 reply: from the VIP and its port, to the next hop",
	  "fnat udp4 reply: to the client from the VIP", REPLY(V_NATU4) },
	{ "nat udp4 reply with a vlan tag: a zero UDP checksum stays zero",
	  "fnat udp4 reply with a vlan tag: a zero UDP checksum stays zero", REPLY(V_NATU4),
	  .nvlan = 1, .zero_csum = true },
	{ "nat tcp6 reply: from the VIP and its port, to the next hop",
	  "fnat tcp6 reply: to the client from the VIP", REPLY(V_NAT6) },
	{ "nat udp6 reply with two tags: port kept",
	  "fnat udp6 reply with two tags: to the client from the VIP", REPLY(V_NATU6), .nvlan = 2 },
#undef OUT
#undef REPLY
};

#define PU4	  FXN_PORT_UNREACH4
#define FN4	  FXN_FRAG_NEEDED4
#define PU6	  FXN_PORT_UNREACH6
#define TB6	  FXN_TOO_BIG6
#define ELSEWHERE "198.19.0.99" /* a host that is not the flow's backend */
#define BACKEND	  false
#define CLIENT	  true

/*
 * An ICMP error (hdr, quoting n bytes) about a new flow of vip, from the backend's side about
 * the client's packet (BACKEND) or from the client's side about the backend's reply (CLIENT),
 * named "nat|fnat what: outcome" (err_outcome()).
 */
static const struct err_row {
	const char *what;
	bool client;
	__u32 vip;
	const __u8 *hdr;
	__u32 n;
	const char *from; /* BACKEND: another host; CLIENT: a router; NULL: the backend, client */
	bool gone;	  /* CLIENT: the flow's reply entry deleted first */
} errs[] = {
	{ "udp4 backend's port unreachable", BACKEND, V_NATU4, PU4, 28, NULL, false },
	{ "tcp4 backend's frag needed", BACKEND, V_NAT4, FN4, 28, NULL, false },
	{ "tcp6 backend's packet too big", BACKEND, V_NAT6, TB6, 72, NULL, false },
	{ "udp6 backend's port unreachable", BACKEND, V_NATU6, PU6, 48, NULL, false },
	{ "tcp4 frag needed about a flow from another host", BACKEND, V_NAT4, FN4, 28, ELSEWHERE,
	  false },
	{ "tcp4 router's frag needed about a reply", CLIENT, V_NAT4, FN4, 28, ROUTER4, false },
	{ "udp4 client's port unreachable", CLIENT, V_NATU4, PU4, 28, NULL, false },
	{ "tcp6 router's packet too big about a reply", CLIENT, V_NAT6, TB6, 88, ROUTER6, false },
	{ "udp6 client's port unreachable", CLIENT, V_NATU6, PU6, 48, NULL, false },
	{ "tcp4 router's frag needed, the flow's entry gone", CLIENT, V_NAT4, FN4, 28, ROUTER4,
	  true },
	{ "tcp6 router's packet too big, the flow's entry gone", CLIENT, V_NAT6, TB6, 88, ROUTER6,
	  true },
};

/* What becomes of error r in the mode (full NAT or not): the end of its case's name. */
static const char *err_outcome(const struct err_row *r, bool full)
{
	if (!r->client && r->from)
		return "passed untouched";
	if (!r->client)
		return full ? "to the client from the VIP, quoting its packet" :
			      "from the VIP, quoting the VIP";
	if (r->gone)
		return "counted, passed";
	return full ? "to the backend from the pool, quoting its reply" :
		      "to the backend, quoting its own reply";
}

/* x: a new flow of r's VIP opened (from row r: nvlan tags, a zero UDP checksum) leaves. */
static void out_row(struct fx *x, const struct path_row *r, int cand)
{
	struct fx_in in = fxn_client(r->vip, r->nvlan);

	fx_send(x, &in);
	if (r->zero_csum)
		fxn_zero_udp_csum(x, &in);
	fxn_expect_out(x, &in, r->vip, cand, true);
}

/* x: a new flow of r's VIP is opened, and its backend's reply goes out from the VIP. */
static void reply_row(const struct lb *lb, struct fx *x, const struct path_row *r, int cand)
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
static void backend_error(const struct lb *lb, struct fx *x, const struct err_row *r, int cand)
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
static void client_error(const struct lb *lb, struct fx *x, const struct err_row *r, int cand)
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
	char name[128];
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		fx_start(&x, full ? paths[i].full : paths[i].lvs);
		if (paths[i].reply)
			reply_row(lb, &x, &paths[i], cand);
		else
			out_row(&x, &paths[i], cand);
		fx_run(lb, &x);
	}
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		snprintf(name, sizeof(name), "%s %s: %s", full ? "fnat" : "nat", errs[i].what,
			 err_outcome(&errs[i], full));
		fx_start(&x, name);
		if (errs[i].client)
			client_error(lb, &x, &errs[i], cand);
		else
			backend_error(lb, &x, &errs[i], cand);
		fx_run(lb, &x);
	}
}
