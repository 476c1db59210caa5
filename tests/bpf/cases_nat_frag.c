// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixtures for fragments in the nat modes (issue 13): a client's UDP datagram in first, middle
 * and last fragments through LVS-NAT and full NAT, and the backend's reply datagram in
 * fragments back, both families; a later fragment before its first (a client's is dropped as
 * fragment_orphan, a reply's goes up untouched); one identification from two sources. Whole
 * frames, built afresh with their checksums.
 */
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>
#include "cases.h"
#include "fx_nat.h"

/* in made a datagram in fragments of identification id, 40 bytes in its first. */
static struct fx_in dgram(struct fx_in in, __u16 id)
{
	in = fx_dgram(in, id);
	in.paylen = 40;
	return in;
}

/*
 * x's output: the fragment of d it sent (fragment field frag) from src to dst, in a frame from
 * the balancer's MAC to mac. A first fragment (first) also gets ports sport and dport and its
 * UDP checksum computed afresh; a later one keeps its bytes.
 */
static void expect_frame(struct fx *x, const struct fx_in *d, __u16 frag, bool first,
			 const char *src, __u16 sport, const char *dst, __u16 dport,
			 const __u8 *mac)
{
	struct fx_in f = *d;

	f.ip.frag = frag;
	f.ip.raw = !first;
	fxn_frame(x, &f, src, sport, dst, dport, mac);
}

/* Client datagram d of vip_id; its source becomes src:sport (LVS-NAT: the client's own). */
struct client_dg {
	const char *name;
	__u32 vip_id;
	struct fx_in d;
	const char *src;
	__u16 sport;
};

/* Fragment k (0 first, 1 middle, 2 last) of client datagram c leaves for the backend. */
static void client_frag(const struct lb *lb, const struct client_dg *c, int k)
{
	const struct env_be *b = env_be(env_vip(c->vip_id)->be);
	static struct fx x;
	char name[160];
	__u8 mac[6];
	__u16 f;

	snprintf(name, sizeof(name), "%s: %s", c->name, FX_FRAG_WHAT[k]);
	fx_start(&x, name);
	env_be_mac(b->id, mac);
	f = fx_send_frag(&x, &c->d, k);
	expect_frame(&x, &c->d, f, k == 0, c->src, c->sport, b->addr, fxn_be_port(c->vip_id), mac);
	fx_count_fwd(&x, c->vip_id, b->id, k == 0);
	if (k)
		x.delta.st.flow_hit = 0; /* a later one follows its first, not the table */
	fx_check(lb, &x);
}

static void client_dgram(const struct lb *lb, const struct client_dg *c)
{
	int k;

	for (k = 0; k < 3; k++)
		client_frag(lb, c, k);
}

/* A client datagram of LVS-NAT VIP vip_id: its source stays (its text in buf). */
static struct client_dg lvs_dg(const char *name, __u32 vip_id, __u16 id, char *buf)
{
	const struct env_vip *v = env_vip(vip_id);
	struct client_dg c = {.name = name, .vip_id = vip_id};

	c.d = dgram(fx_udp(v->addr, v->port), id);
	c.src = fxn_addr(&c.d, true, buf);
	c.sport = c.d.sport;
	return c;
}

/* LVS-NAT: the destination becomes the backend (the first: and its port); the source stays. */
static void lvs_client(const struct lb *lb, const char *name, __u32 vip_id, __u16 id)
{
	char buf[INET6_ADDRSTRLEN];
	struct client_dg c = lvs_dg(name, vip_id, id, buf);

	client_dgram(lb, &c);
}

/*
 * A client flow of full NAT VIP vip_id whose pool candidate 0 is pool address want (a client
 * port is looked for, at most 64 tries): the datagram, its source.
 */
static struct client_dg fnat_dg(const char *name, __u32 vip_id, __u32 want, __u16 id)
{
	const struct env_vip *v = env_vip(vip_id);
	struct client_dg c = {.name = name, .vip_id = vip_id};
	__u32 i;

	for (i = 0; i < 64; i++) {
		c.d = dgram(fx_udp(v->addr, v->port), id);
		c.src = fxn_cand(&c.d, 0, &c.sport);
		if (!strcmp(c.src, env_pool_addr(c.d.ip.family, want)))
			break;
	}
	return c;
}

/* Full NAT: the source also becomes candidate 0's pool address (the first: and its port). */
static void fnat_client(const struct lb *lb, const char *name, __u32 vip_id, __u32 want, __u16 id)
{
	struct client_dg c = fnat_dg(name, vip_id, want, id);

	client_dgram(lb, &c);
}

/* Full NAT: a later fragment before its first is dropped as an orphan; then they go through. */
static void fnat_client_orphan(const struct lb *lb, const char *name, __u32 vip_id, __u16 id)
{
	struct client_dg c = fnat_dg(name, vip_id, 1, id);
	static struct fx x;
	char what[160];

	snprintf(what, sizeof(what), "%s: last before first dropped as orphan", name);
	fx_start(&x, what);
	fx_send_later(&x, &c.d, 112, 21, false);
	fx_expect_drop(&x, XLB_DROP_FRAGMENT_ORPHAN);
	fx_check(lb, &x);
	client_dgram(lb, &c);
}

/*
 * A datagram whose first fragment went by LVS-NAT (no pool then) and whose later one comes
 * once the VIP has a pool: its first noted no pool address, so it is dropped as fragment.
 */
static void fnat_unnoted(const struct lb *lb, __u16 id)
{
	char buf[INET6_ADDRSTRLEN];
	struct client_dg c =
	    lvs_dg("fnat frag udp4 client, first before the pool", V_NATU4, id, buf);
	static struct fx x;

	client_frag(lb, &c, 0);
	env_set_pool(lb, V_NATU4, true);
	fx_start(&x,
		 "fnat frag udp4 client, pool added after the first: later dropped as fragment");
	fx_send_later(&x, &c.d, 48, 64, true);
	fx_expect_drop(&x, XLB_DROP_FRAGMENT);
	x.delta.vip[V_NATU4].packets++;
	x.delta.vip[V_NATU4].bytes += x.ip.len;
	fx_check(lb, &x);
}

/* A reply datagram d of vip_id's flow from client:cport, which it must reach from the VIP. */
struct reply_dg {
	const char *name;
	__u32 vip_id;
	struct fx_in d;
	char client[INET6_ADDRSTRLEN];
	__u16 cport;
};

/* Fragment k (0 first, 1 middle, 2 last) of reply r: translated (ours) or up untouched. */
static void reply_frag(const struct lb *lb, const struct reply_dg *r, int k, bool ours,
		       const char *what)
{
	const struct env_vip *v = env_vip(r->vip_id);
	static struct fx x;
	char name[160];
	__u16 f;

	snprintf(name, sizeof(name), "%s: %s", r->name, what);
	fx_start(&x, name);
	f = fx_send_frag(&x, &r->d, k);
	if (!ours) {
		fx_expect_pass(&x);
		fx_check(lb, &x);
		return;
	}
	expect_frame(&x, &r->d, f, k == 0, v->addr, v->port, r->client, r->cport, NEXT_HOP_MAC);
	fxn_count_reply(&x);
	fx_check(lb, &x);
}

/*
 * A client flow of vip_id is opened (full NAT: from pool candidate 0); its backend's reply
 * datagram, with identification id, to the client (full NAT: to the pool address and port).
 */
static struct reply_dg reply_dg(const struct lb *lb, const char *name, __u32 vip_id, bool full,
				__u16 id)
{
	const struct env_vip *v = env_vip(vip_id);
	struct fx_in in = fx_udp(v->addr, v->port);
	struct reply_dg r = {.name = name, .vip_id = vip_id};

	fxn_open(lb, &in);
	fxn_addr(&in, true, r.client);
	r.cport = in.sport;
	r.d = dgram(fxn_reply(&in, vip_id, full ? 0 : FXN_LVS), id);
	return r;
}

/* First, middle and last fragment of the reply, in order; each leaves from the VIP. */
static void reply_in_order(const struct lb *lb, const char *name, __u32 vip_id, bool full, __u16 id)
{
	struct reply_dg r = reply_dg(lb, name, vip_id, full, id);

	reply_frag(lb, &r, 0, true, "first fragment from the VIP and its port");
	reply_frag(lb, &r, 1, true, "middle fragment follows, addresses only");
	reply_frag(lb, &r, 2, true, "last fragment follows, addresses only");
}

/* The last before the first: up untouched (its first was not seen); after the first, ours. */
static void reply_out_of_order(const struct lb *lb, const char *name, __u32 vip_id, bool full,
			       __u16 id)
{
	struct reply_dg r = reply_dg(lb, name, vip_id, full, id);

	reply_frag(lb, &r, 2, false, "last before first goes up untouched");
	reply_frag(lb, &r, 0, true, "then the first is translated");
	reply_frag(lb, &r, 1, true, "and a later one follows it");
}

/*
 * The backend's reply datagram and another host's to the same client with the same
 * identification: the backend's fragments are translated, the other's all go up untouched.
 */
static void reply_two_sources(const struct lb *lb, const char *name, __u32 vip_id,
			      const char *other, __u16 id)
{
	struct reply_dg r = reply_dg(lb, name, vip_id, false, id), o = r;

	addr_parse(o.d.ip.src, other);
	reply_frag(lb, &r, 0, true, "the backend's first translated");
	reply_frag(lb, &o, 0, false, "another host's first, same id, goes up");
	reply_frag(lb, &o, 2, false, "another host's last goes up");
	reply_frag(lb, &r, 2, true, "the backend's last follows its own first");
}

void cases_nat_frag(const struct lb *lb)
{
	struct xlb_runtime rt;

	if (xlb_runtime_get(&lb->maps, &rt))
		return;
	rt.nat_vips = 1;
	xlb_runtime_put(&lb->maps, &rt);
	lvs_client(lb, "nat frag udp6 client", V_NATU6, 0x7101);
	reply_in_order(lb, "nat frag udp4 reply", V_NATU4, false, 0x7102);
	reply_in_order(lb, "nat frag udp6 reply", V_NATU6, false, 0x7103);
	reply_out_of_order(lb, "nat frag udp4 reply out of order", V_NATU4, false, 0x7104);
	reply_out_of_order(lb, "nat frag udp6 reply out of order", V_NATU6, false, 0x7105);
	reply_two_sources(lb, "nat frag udp4 reply two sources", V_NATU4, "198.19.0.99", 0x7106);
	reply_two_sources(lb, "nat frag udp6 reply two sources", V_NATU6, "2001:db8:200::99",
			  0x7107);
	fnat_unnoted(lb, 0x7108);
	env_set_pool(lb, V_NATU6, true);
	fnat_client(lb, "fnat frag udp4 client, pool address 2", V_NATU4, 1, 0x7201);
	fnat_client(lb, "fnat frag udp4 client, pool address 1", V_NATU4, 0, 0x7202);
	fnat_client(lb, "fnat frag udp6 client, pool address 2", V_NATU6, 1, 0x7203);
	fnat_client_orphan(lb, "fnat frag udp6 client out of order", V_NATU6, 0x7204);
	reply_in_order(lb, "fnat frag udp4 reply", V_NATU4, true, 0x7205);
	reply_in_order(lb, "fnat frag udp6 reply", V_NATU6, true, 0x7206);
	reply_out_of_order(lb, "fnat frag udp4 reply out of order", V_NATU4, true, 0x7207);
	env_set_pool(lb, V_NATU4, false);
	env_set_pool(lb, V_NATU6, false);
}
