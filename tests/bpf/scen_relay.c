// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Second chance on a backend (the decap program and GUE variant 0, xlb_abi.h): a SYN stays, a
 * packet of a flow with a real socket here stays, and so does the ACK of a real SYN cookie; any
 * other TCP packet goes on to the second hop, byte for byte as the specification says; a
 * relayed packet and UDP always stay; broken GUE headers are dropped by named reason. The
 * sockets are real, in a private network namespace the test runs enter, because test runs look
 * sockets up in the caller's namespace.
 */
#include <arpa/inet.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include "cases.h"
#include "xlb_counters.h"
#include "netns.h"

#define BE4	  "198.18.0.20" /* this backend: outer destination, source of relayed packets */
#define BE6	  "2001:db8::20"
#define HOP4	  "198.18.0.21" /* the second hop */
#define HOP6	  "2001:db8::21"
#define VIP4	  "198.18.5.1" /* inner destination, with a listener on port 80 */
#define VIP6	  "2001:db8:105::1"
#define CL4	  "198.18.5.10" /* inner source; its port EST_PORT has an established socket */
#define CL6	  "2001:db8:105::10"
#define EST_PORT  40001
#define TW_PORT	  40002 /* CL4's connection from it was closed: time-wait at VIP4:80 */
#define CK_PORT	  40003 /* a SYN from CL4 on it got a SYN cookie */
#define CK_ISN	  0x11223344
#define GUE_SPORT 0xc123 /* the balancer's outer source port */
#define RELAY_TTL 61

static const __u8 RELAY_MAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x0d, 0x01 };

/* GUE variant 0 as written: every field, so a case can break one. */
struct gue_spec {
	__u8 ver_hlen, proto, magic, hflags, family;
	__u16 flags;
	const char *hop; /* NULL: no second hop */
};

static struct gue_spec gue_to(const char *hop, __u8 inner_family)
{
	struct gue_spec g = { .ver_hlen = XLB_GUE_HLEN, .magic = XLB_GUE_MAGIC, .hop = hop };

	g.proto = inner_family == XLB_FAM_V4 ? IPPROTO_IPIP : IPPROTO_IPV6;
	g.family = hop ? env_family(hop) : 0;
	return g;
}

/* UDP to the GUE port (zero checksum), xlb_gue_hdr, xlb_gue_hop, then the inner packet. */
static void put_gue(struct pkt *l4, const struct gue_spec *g, const struct pkt *inner)
{
	__u8 h[8 + 4 + 20] = {};
	__be32 a[4] = {};

	*(__be16 *)h = htons(GUE_SPORT);
	*(__be16 *)(h + 2) = htons(XLB_GUE_PORT_DEFAULT);
	*(__be16 *)(h + 4) = htons(sizeof(h) + inner->len);
	h[8] = g->ver_hlen;
	h[9] = g->proto;
	*(__be16 *)(h + 10) = htons(g->flags);
	h[12] = g->magic;
	h[13] = g->hflags;
	h[14] = g->family;
	if (g->hop)
		addr_parse(a, g->hop);
	memcpy(h + 16, a, 16);
	l4->len = 0;
	pkt_put(l4, h, sizeof(h));
	pkt_put(l4, inner->b, inner->len);
}

/* x's packet (x->ip) put inside g, from the balancer to this backend over outer family ofam. */
static void gue_wrap(struct fx *x, const struct gue_spec *g, __u8 ofam, __u8 nvlan)
{
	struct ip_spec o = { .family = ofam, .proto = IPPROTO_UDP, .ttl = 64, .raw = 1 };
	static struct pkt inner, l4;

	inner = x->ip;
	put_gue(&l4, g, &inner);
	addr_parse(o.src, ofam == XLB_FAM_V4 ? LB_SRC4 : LB_SRC6);
	addr_parse(o.dst, ofam == XLB_FAM_V4 ? BE4 : BE6);
	fx_send_ip(x, &o, &l4, nvlan, 0);
	x->ip = inner; /* the expectations are about the inner packet */
}

/* x sends in inside g from the balancer to this backend over outer family ofam. */
static void send_gue(struct fx *x, const struct fx_in *in, const struct gue_spec *g, __u8 ofam)
{
	fx_send(x, in);
	gue_wrap(x, g, ofam, in->nvlan);
}

/* The inner packet goes up, in the arriving frame's addresses. */
static void expect_local(struct fx *x, __u8 inner_family)
{
	x->verdict = XDP_PASS;
	fx_frame(&x->out, LB_MAC, PEER_MAC, x->nvlan, inner_family);
	pkt_put(&x->out, x->ip.b, x->ip.len);
	x->delta.dec.action[XDP_PASS]++;
	x->delta.dec.delivered++;
}

/*
 * The inner packet in goes to g's second hop: outer IP of the hop's family from this backend
 * (the inner packet's DSCP/ECN, DF and IPv4 identification; the UDP port as flow label), the
 * same UDP source port, g with the relay flag, from this interface's MAC to the next hop.
 */
static void expect_relay(struct fx *x, const struct fx_in *in, const struct gue_spec *g)
{
	struct ip_spec o = { .family = g->family, .proto = IPPROTO_UDP, .tos = in->ip.tos,
			     .ttl = RELAY_TTL, .raw = 1, .flow = GUE_SPORT };
	struct gue_spec r = *g;
	static struct pkt l4;

	if (o.family == XLB_FAM_V4) {
		o.id = in->ip.family == XLB_FAM_V4 ? in->ip.id : 0;
		o.frag = in->ip.family == XLB_FAM_V6 || (in->ip.frag & IP_DF) ? IP_DF : 0;
	}
	addr_parse(o.src, g->family == XLB_FAM_V4 ? BE4 : BE6);
	addr_parse(o.dst, g->hop);
	r.hflags |= XLB_GUE_F_RELAYED;
	put_gue(&l4, &r, &x->ip);
	fx_frame(&x->out, RELAY_MAC, LB_MAC, x->nvlan, g->family);
	pkt_ip(&x->out, &o, l4.b, l4.len);
	x->verdict = XDP_TX;
	x->delta.dec.action[XDP_TX]++;
	x->delta.dec.relayed++;
}

static void expect_drop(struct fx *x, int reason)
{
	x->verdict = XDP_DROP;
	x->out = x->in;
	x->delta.dec.action[XDP_DROP]++;
	x->delta.dec.drop[reason]++;
}

/* A TCP packet (ACK|PSH unless syn) from the client to the VIP of family fam. */
static struct fx_in tcp_in(__u8 fam, __u16 sport, __u16 dport, bool syn)
{
	struct fx_in in = fx_flow(fam == XLB_FAM_V4 ? CL4 : CL6, fam == XLB_FAM_V4 ? VIP4 : VIP6,
				  IPPROTO_TCP, dport);

	if (sport)
		in.sport = sport;
	in.syn = syn;
	return in;
}

#define NO_REASON ((size_t)-1)

/* What becomes of a packet the decap program gets from the balancer. */
enum fate {
	STAYS,	/* passed up here; why: the counter saying why (XLB_DECAP_OFF), or NO_REASON */
	RELAYS, /* sent on to the second hop */
	FAILS,	/* relaying was due but impossible: dropped and counted */
};

/* in inside g, over outer family ofam, meets fate f. */
static void gue_case(const struct lb *d, const char *name, const struct fx_in *in,
		     const struct gue_spec *g, __u8 ofam, enum fate f, size_t why)
{
	static struct fx x;

	fx_start(&x, name);
	send_gue(&x, in, g, ofam);
	if (f == RELAYS) {
		expect_relay(&x, in, g);
	} else if (f == FAILS) {
		x.verdict = XDP_DROP;
		x.delta.dec.action[XDP_DROP]++;
		x.delta.dec.relay_failed++;
		/* The outer headers were stripped before it knew: the inner frame is left. */
		fx_frame(&x.out, LB_MAC, PEER_MAC, x.nvlan, in->ip.family);
		pkt_put(&x.out, x.ip.b, x.ip.len);
	} else {
		expect_local(&x, in->ip.family);
		if (why != NO_REASON)
			(*(__u64 *)((char *)&x.delta.dec + why))++;
	}
	fx_check(d, &x);
}

static void outcomes(const struct lb *d)
{
	struct gue_spec g4 = gue_to(HOP4, XLB_FAM_V4), g6 = gue_to(HOP6, XLB_FAM_V6);
	struct gue_spec g46 = gue_to(HOP6, XLB_FAM_V4), g64 = gue_to(HOP4, XLB_FAM_V6);
	struct gue_spec relayed = g4, none = gue_to(NULL, XLB_FAM_V4);
	struct fx_in in;

	in = tcp_in(XLB_FAM_V4, 0, 81, true);
	gue_case(d, "second chance: a SYN stays (no socket at all)", &in, &g4, XLB_FAM_V4, STAYS,
		 XLB_DECAP_OFF(delivered_syn));
	in = tcp_in(XLB_FAM_V4, EST_PORT, 80, false);
	gue_case(d, "second chance: an established v4 socket keeps its flow", &in, &g4, XLB_FAM_V4,
		 STAYS, XLB_DECAP_OFF(delivered_socket));
	in = tcp_in(XLB_FAM_V6, EST_PORT, 80, false);
	gue_case(d, "second chance: an established v6 socket keeps its flow", &in, &g6, XLB_FAM_V6,
		 STAYS, XLB_DECAP_OFF(delivered_socket));
	in = tcp_in(XLB_FAM_V4, TW_PORT, 80, false);
	gue_case(d, "second chance: a time-wait socket keeps its flow", &in, &g4, XLB_FAM_V4, STAYS,
		 XLB_DECAP_OFF(delivered_socket));
	in = tcp_in(XLB_FAM_V4, 0, 80, false);
	gue_case(d, "second chance: no socket (a listener only) relays 4in4 to a v4 hop", &in, &g4,
		 XLB_FAM_V4, RELAYS, NO_REASON);
	in = tcp_in(XLB_FAM_V4, 0, 81, false);
	gue_case(d, "second chance: no socket relays 4in4 to a v6 hop (head grows)", &in, &g46,
		 XLB_FAM_V4, RELAYS, NO_REASON);
	in = tcp_in(XLB_FAM_V6, 0, 80, false);
	gue_case(d, "second chance: no socket relays 6in6 to a v4 hop (head shrinks)", &in, &g64,
		 XLB_FAM_V6, RELAYS, NO_REASON);
	in = tcp_in(XLB_FAM_V6, 0, 81, false);
	in.nvlan = 1;
	gue_case(d, "second chance: no socket relays 6in4 to a v6 hop, vlan tag kept", &in, &g6,
		 XLB_FAM_V4, RELAYS, NO_REASON);
	relayed.hflags = XLB_GUE_F_RELAYED;
	in = tcp_in(XLB_FAM_V4, 0, 80, false);
	gue_case(d, "second chance: a relayed packet stays (never a loop)", &in, &relayed,
		 XLB_FAM_V4, STAYS, XLB_DECAP_OFF(delivered_relayed));
	in = fx_flow(CL4, VIP4, IPPROTO_UDP, 53);
	gue_case(d, "second chance: udp stays", &in, &g4, XLB_FAM_V4, STAYS, NO_REASON);
	in = tcp_in(XLB_FAM_V4, 0, 80, false);
	gue_case(d, "second chance: gue variant 0 naming no second hop stays", &in, &none,
		 XLB_FAM_V6, STAYS, NO_REASON);
	in = tcp_in(XLB_FAM_V4, 0, 80, false);
	in.paylen = 1500 - 20 - 20 - 52 + 1;
	gue_case(d, "second chance: a relay over the MTU fails, counted", &in, &g4, XLB_FAM_V4,
		 FAILS, NO_REASON);
}

/* Rewrites the checksum of the 20-byte IPv4 header at h. */
static void ipv4_csum(__u8 *h)
{
	__u32 sum = 0;
	int i;

	h[10] = h[11] = 0;
	for (i = 0; i < 20; i += 2)
		sum += h[i] << 8 | h[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	h[10] = ~sum >> 8;
	h[11] = ~sum & 0xff;
}

/* A frame whose GUE header g breaks one rule, or (cut) that ends at byte cut. */
static void broken(const struct lb *d, const char *name, struct gue_spec g, __u32 cut,
		   int reason)
{
	struct fx_in in = tcp_in(XLB_FAM_V4, 0, 80, false);
	static struct fx x;

	fx_start(&x, name);
	send_gue(&x, &in, &g, XLB_FAM_V4);
	if (cut) {
		/* Both the frame and the outer IPv4 length end at cut: truncated, not padded. */
		x.in.len = cut;
		x.in.b[14 + 2] = (cut - 14) >> 8;
		x.in.b[14 + 3] = (cut - 14) & 0xff;
		ipv4_csum(x.in.b + 14);
	}
	expect_drop(&x, reason);
	fx_check(d, &x);
}

static void malformed(const struct lb *d)
{
	const __u32 gue = 14 + 20 + 8; /* where the GUE header starts in the frame */
	struct gue_spec ok = gue_to(HOP4, XLB_FAM_V4), g;

	g = ok, g.ver_hlen = 0x80 | XLB_GUE_HLEN;
	broken(d, "gue: variant 2 dropped", g, 0, XLB_DECAP_DROP_GUE_VERSION);
	g = ok, g.ver_hlen = 0x20 | XLB_GUE_HLEN;
	broken(d, "gue: control message dropped", g, 0, XLB_DECAP_DROP_GUE_CONTROL);
	g = ok, g.ver_hlen = XLB_GUE_HLEN - 1;
	broken(d, "gue: hlen 4 dropped", g, 0, XLB_DECAP_DROP_GUE_HLEN);
	g = ok, g.flags = 0x8000;
	broken(d, "gue: a GUE flag dropped", g, 0, XLB_DECAP_DROP_GUE_FLAGS);
	g = ok, g.hflags = 0x02;
	broken(d, "gue: an unknown hop flag dropped", g, 0, XLB_DECAP_DROP_GUE_FLAGS);
	g = ok, g.magic = XLB_GUE_MAGIC + 1;
	broken(d, "gue: private data not xlb's dropped", g, 0, XLB_DECAP_DROP_GUE_MAGIC);
	g = ok, g.family = 5;
	broken(d, "gue: a hop of family 5 dropped", g, 0, XLB_DECAP_DROP_GUE_HOP);
	g = ok, g.proto = IPPROTO_UDP;
	broken(d, "gue: proto udp dropped", g, 0, XLB_DECAP_DROP_GUE_PROTO);
	g = ok, g.proto = IPPROTO_IPV6;
	broken(d, "gue: proto ipv6 before an ipv4 packet dropped", g, 0,
	       XLB_DECAP_DROP_GUE_PROTO);
	broken(d, "gue: cut in the GUE header dropped", ok, gue + 2, XLB_DECAP_DROP_TRUNCATED);
	broken(d, "gue: cut in the hop dropped", ok, gue + 4 + 10, XLB_DECAP_DROP_TRUNCATED);
	broken(d, "gue: cut before the inner packet dropped", ok, gue + 4 + 20,
	       XLB_DECAP_DROP_TRUNCATED);
}

/*
 * An ACK (sequence CK_ISN + 1) of the SYN cookie the listener on VIP4:80 sent: it stays
 * when it acknowledges cookie (cookie + 1), and is relayed when it acknowledges a cookie the
 * listener never sent.
 */
static void cookie_ack(const struct lb *d, const char *name, __u32 cookie, bool valid)
{
	struct fx_in in = tcp_in(XLB_FAM_V4, CK_PORT, 80, false);
	struct gue_spec g = gue_to(HOP4, XLB_FAM_V4);
	static struct pkt l4;
	static struct fx x;

	fx_start(&x, name);
	l4.len = 0;
	pkt_tcp(&l4, in.sport, in.dport, in.paylen);
	pkt_set32(l4.b + 4, CK_ISN + 1);
	/* Cookies carry an MSS index in their low bits and a minute count in the high 8: a
	 * different count makes one that was never sent (off by one might be another MSS's). */
	pkt_set32(l4.b + 8, (valid ? cookie : cookie ^ 0x40000000) + 1);
	fx_send_ip(&x, &in.ip, &l4, 0, 0);
	gue_wrap(&x, &g, XLB_FAM_V4, 0);
	if (valid) {
		expect_local(&x, XLB_FAM_V4);
		x.delta.dec.delivered_cookie++;
	} else {
		expect_relay(&x, &in, &g);
	}
	fx_check(d, &x);
}

static void cookies(const struct lb *d)
{
	__u32 cookie;
	int err;

	err = netns_syn_cookie(CL4, CK_PORT, VIP4, 80, CK_ISN, &cookie);
	if (err) {
		report("second chance: a SYN cookie from the listener", strerror(-err));
		return;
	}
	cookie_ack(d, "second chance: a valid SYN-cookie ACK stays", cookie, true);
	cookie_ack(d, "second chance: the ACK of a cookie never sent is relayed", cookie, false);
}

/* A decap program with this backend's addresses, a next hop (if next_hop) and the GUE port. */
static int relay_open(struct lb *d, bool next_hop)
{
	struct xlb_decap_cfg cfg = { .ttl = RELAY_TTL };

	cfg.src_v4 = env_addr4(BE4);
	addr_parse(cfg.src_v6, BE6);
	if (next_hop)
		memcpy(cfg.next_hop, RELAY_MAC, sizeof(cfg.next_hop));
	return lb_open_decap(d, &cfg);
}

/*
 * The sockets the cases find: listeners on both VIPs' port 80, one connection to each, and a
 * time-wait socket of the IPv4 VIP.
 */
struct socks {
	int fd[6];
};

static void socks_close(struct socks *s)
{
	int i;

	for (i = 0; i < 6; i++)
		if (s->fd[i] >= 0)
			close(s->fd[i]);
}

/*
 * A connection from CL4:TW_PORT that the server's end closed first: that end (VIP4:80, the
 * side the decap program looks up) is left in time-wait once the client closes too. Over lo
 * each FIN is handled before close() returns.
 */
static int time_wait(int lfd)
{
	int fds[2], err;

	err = netns_connect(lfd, CL4, TW_PORT, VIP4, 80, fds);
	if (err)
		return err;
	close(fds[1]);
	close(fds[0]);
	return 0;
}

static int socks_open(struct socks *s)
{
	const char *addrs[] = { VIP4, CL4, VIP6, CL6 };
	int i, err = 0;

	memset(s->fd, -1, sizeof(s->fd));
	for (i = 0; !err && i < 4; i++)
		err = netns_addr(addrs[i]);
	s->fd[0] = err ? err : netns_listen(VIP4, 80);
	s->fd[1] = s->fd[0] < 0 ? s->fd[0] : netns_listen(VIP6, 80);
	err = s->fd[1] < 0 ? s->fd[1] : netns_connect(s->fd[0], CL4, EST_PORT, VIP4, 80, s->fd + 2);
	if (!err)
		err = netns_connect(s->fd[1], CL6, EST_PORT, VIP6, 80, s->fd + 4);
	if (!err)
		err = time_wait(s->fd[0]);
	if (err)
		socks_close(s);
	return err;
}

/* The cases, against a program that can relay and one without a next hop. */
static void run(void)
{
	struct fx_in in = tcp_in(XLB_FAM_V4, 0, 80, false);
	struct gue_spec g4 = gue_to(HOP4, XLB_FAM_V4);
	struct lb d, nohop;

	if (relay_open(&d, true)) {
		report("second chance: load", "couldn't load the decap program");
		return;
	}
	if (relay_open(&nohop, false)) {
		report("second chance: load", "couldn't load the decap program");
		goto close_d;
	}
	outcomes(&d);
	cookies(&d);
	malformed(&d);
	gue_case(&nohop, "second chance: without a next hop the relay fails, counted", &in, &g4,
		 XLB_FAM_V4, FAILS, NO_REASON);
	lb_close(&nohop);
close_d:
	lb_close(&d);
}

void scen_relay(void)
{
	struct socks s;
	int back, err;

	err = netns_enter(&back);
	if (err) {
		report("second chance: a network namespace", strerror(-err));
		return;
	}
	err = socks_open(&s);
	if (err)
		report("second chance: sockets in the namespace", strerror(-err));
	else
		run();
	socks_close(&s);
	netns_leave(back);
}
