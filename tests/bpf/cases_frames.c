// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixtures for what a frame must be before xlb acts on it, and what leaves (issue 8, "Frames"):
 * only frames to the balancer's own MAC, the IP length bounding everything (trailing bytes
 * cut, the MTU over the whole frame, ICMP parsed inside the packet), and ICMP only to a source
 * that is one host, echo requests only with a good checksum.
 */
#include <arpa/inet.h>
#include <string.h>
#include <linux/bpf.h>
#include "cases.h"

#define TRAILER 20 /* bytes behind the IP packet: padding or garbage */

static const __u8 BCAST_MAC[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const __u8 MCAST4_MAC[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const __u8 MCAST6_MAC[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
static const __u8 HOST_MAC_HI[6] = { 0x02, 0, 0, 0x01, 0, 0x01 }; /* differs in bytes 0-3 */
static const __u8 HOST_MAC_LO[6] = { 0x02, 0, 0, 0, 0, 0x09 };	  /* differs in bytes 4-5 */

static struct ip_spec echo_ip;
static struct pkt echo_l4;

/* Sends an echo request from src to dst with body bytes after the 8-byte header. */
static void echo_req(struct fx *x, const char *src, const char *dst, __u32 body)
{
	struct ip_spec s = { .family = env_family(dst), .ttl = 57, .id = 0x4321 };
	__u8 v4 = s.family == XLB_FAM_V4;
	static struct pkt data;

	s.proto = v4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	s.frag = v4 ? IP_DF : 0;
	addr_parse(s.src, src);
	addr_parse(s.dst, dst);
	data.len = 0;
	pkt_payload(&data, body, 0x61);
	echo_l4.len = 0;
	pkt_icmp(&echo_l4, v4 ? 8 : 128, 0, 0x0abc0001, data.b, data.len);
	echo_ip = s;
	fx_send_ip(x, &s, &echo_l4, 0, 0);
}

static void echo_client(struct fx *x, const char *dst, __u32 body)
{
	echo_req(x, env_family(dst) == XLB_FAM_V4 ? CLIENT4 : CLIENT6, dst, body);
}

/* Item 1: x as built, but in a frame to mac: it must leave untouched. */
static void to_mac(struct fx *x, const __u8 *mac)
{
	memcpy(x->in.b, mac, 6);
	fx_expect_pass(x);
}

/* Item 3: TRAILER bytes of garbage behind x's IP packet, which must not leave with it. */
static void trailer(struct fx *x)
{
	pkt_payload(&x->in, TRAILER, 0x77);
}

/* A packet in a frame to another MAC (it leaves untouched), or with a trailer to a VIP. */
static const struct frame_row {
	const char *name;
	struct fx_row in;
	const __u8 *mac; /* NULL: the balancer's, and TRAILER bytes behind the packet */
	__u32 vip;	 /* without mac: the VIP whose backend gets it */
} frames[] = {
	{ "pass tcp v4 to a vip in a broadcast frame", FX_TCP("198.18.0.1", 80), .mac = BCAST_MAC },
	{ "pass udp v4 to a gue vip in a multicast frame",
	  FX_UDP("198.18.0.1", 53), .mac = MCAST4_MAC },
	{ "pass tcp v6 to a vip in a multicast frame, one vlan tag",
	  FX_TCP("2001:db8:100::1", 80, .nvlan = 1), .mac = MCAST6_MAC },
	{ "pass tcp v4 to a dr vip in another host's frame",
	  FX_TCP("198.18.0.2", 80), .mac = HOST_MAC_HI },
	{ "pass tcp v6 to a dr vip in another host's frame",
	  FX_TCP("2001:db8:100::2", 80), .mac = HOST_MAC_LO },
	{ "pass too big v4 in another host's frame",
	  FX_TCP("198.18.0.1", 80, .paylen = 1481 - 40), .mac = HOST_MAC_LO },
	/* The review's case: 1480 bytes fit the MTU in IPIP; the 1514-byte frame leaves as 1514. */
	{ "fwd ipip 4in4 1480 bytes + 20 trailing: 1514 out",
	  FX_TCP("198.18.0.1", 80, .paylen = 1480 - 40), NULL, V_TCP4 },
	{ "fwd gue v6 + 20 trailing bytes cut", FX_UDP("2001:db8:100::1", 53), NULL, V_GUE6 },
	{ "fwd ipip 4in6 two vlan tags + 20 trailing bytes cut",
	  FX_TCP("198.18.0.3", 443, .nvlan = 2), NULL, V_4IN6 },
	{ "fwd dr v4 + 20 trailing bytes cut", FX_TCP("198.18.0.2", 80), NULL, V_DR4 },
};

static void frame_row(struct fx *x, const void *row)
{
	const struct frame_row *r = row;

	fx_send_row(x, &r->in);
	if (r->mac) {
		to_mac(x, r->mac);
		return;
	}
	trailer(x);
	fx_expect_fwd(x, r->vip, true);
}

static void echo4_broadcast(struct fx *x)
{
	echo_client(x, "198.18.0.1", 56);
	to_mac(x, BCAST_MAC);
}

static void echo6_multicast(struct fx *x)
{
	echo_client(x, "2001:db8:100::1", 56);
	to_mac(x, MCAST6_MAC);
}

static void quoted4_broadcast(struct fx *x)
{
	fx_quoted(x, "198.18.0.1", IPPROTO_TCP, 80, fx_port(), 3, 4, 0);
	to_mac(x, BCAST_MAC);
}

static void quoted4_trailer(struct fx *x)
{
	const struct env_vip *v = env_vip(V_TCP4);

	fx_quoted(x, v->addr, IPPROTO_TCP, 80, fx_port(), 3, 4, 0);
	trailer(x);
	fx_expect_icmp_fwd(x, v, env_be(v->be), false);
}

static void echo4_trailer(struct fx *x)
{
	echo_client(x, "198.18.0.1", 56);
	trailer(x);
	fx_expect_echo(x, &echo_ip, &echo_l4);
}

static void echo6_trailer(struct fx *x)
{
	echo_client(x, "2001:db8:100::1", 57);
	trailer(x);
	fx_expect_echo(x, &echo_ip, &echo_l4);
}

/* Direct routing adds nothing, but a packet over the MTU still may not leave. */
static void dr4_too_big(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.2", 80);

	in.paylen = 1501 - 40;
	fx_send(x, &in);
	fx_expect_too_big(x, V_DR4, env_vip(V_DR4)->be, 1500);
}

static void dr6_too_big(struct fx *x)
{
	struct fx_in in = fx_tcp("2001:db8:100::2", 80);

	in.paylen = 1501 - 60;
	fx_send(x, &in);
	fx_expect_too_big(x, V_DR6, env_vip(V_DR6)->be, 1500);
}

/* The largest echo whose reply fits, and the smallest that does not. */
static void echo4_mtu(struct fx *x)
{
	echo_client(x, "198.18.0.1", 1500 - 28);
	fx_expect_echo(x, &echo_ip, &echo_l4);
}

static void echo4_over_mtu(struct fx *x)
{
	echo_client(x, "198.18.0.1", 1501 - 28);
	fx_expect_drop(x, XLB_DROP_TOO_BIG);
}

static void echo6_over_mtu(struct fx *x)
{
	echo_client(x, "2001:db8:100::1", 1501 - 48);
	fx_expect_drop(x, XLB_DROP_TOO_BIG);
}

/* Sets the IPv6 payload length of x's frame (no VLAN tags). */
static void payload_len6(struct fx *x, __u16 len)
{
	x->in.b[14 + 4] = len >> 8;
	x->in.b[14 + 5] = len & 0xff;
}

/* Payload length 0: the echo request is all trailer, and there is nothing to answer. */
static void echo6_outside_payload(struct fx *x)
{
	echo_client(x, "2001:db8:100::1", 56);
	payload_len6(x, 0);
	fx_expect_drop(x, XLB_DROP_MALFORMED);
}

/* An echo request behind a hop-by-hop header, in a packet of IPv6 payload length len. */
static void echo6_after_hop(struct fx *x, __u16 len)
{
	struct ip_spec s = { .family = XLB_FAM_V6, .proto = IPPROTO_ICMPV6, .ttl = 57, .n_ext = 1,
			     .ext = { EXT_HOP } };
	static struct pkt l4;

	addr_parse(s.src, CLIENT6);
	addr_parse(s.dst, "2001:db8:100::1");
	l4.len = 0;
	pkt_icmp(&l4, 128, 0, 0x0abc0001, NULL, 0);
	fx_send_ip(x, &s, &l4, 0, 0);
	payload_len6(x, len);
	fx_expect_drop(x, XLB_DROP_MALFORMED);
}

/* The hop-by-hop header is inside the payload length, the echo request behind it is not. */
static void echo6_after_hop_outside(struct fx *x)
{
	echo6_after_hop(x, 8);
}

/* An extension header that starts past the payload length is not followed. */
static void ext6_outside_payload(struct fx *x)
{
	echo6_after_hop(x, 0);
}

/*
 * A router's error to vip whose IP packet ends with the ICMP header: the packet it would
 * quote lies behind, outside the IP length, and is not followed.
 */
static void quote_outside(struct fx *x, const char *vip, __u16 vport, __u8 type, __u8 code)
{
	struct ip_spec s = { .family = env_family(vip), .tos = 0xc0, .ttl = 250 };
	__u8 v4 = s.family == XLB_FAM_V4;
	__u32 skip = (v4 ? 20 : 40) + 8;
	static struct pkt quote, l4;

	fx_quoted(x, vip, IPPROTO_TCP, vport, fx_port(), type, code, 0);
	quote.len = 0;
	pkt_put(&quote, x->ip.b + skip, x->ip.len - skip);
	s.proto = v4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	addr_parse(s.src, v4 ? ROUTER4 : ROUTER6);
	addr_parse(s.dst, vip);
	l4.len = 0;
	pkt_icmp(&l4, type, code, v4 ? 1400 : 1280, NULL, 0);
	fx_send_ip(x, &s, &l4, 0, 0);
	pkt_put(&x->in, quote.b, quote.len);
	fx_expect_pass(x);
}

static void quoted4_outside(struct fx *x)
{
	quote_outside(x, "198.18.0.1", 80, 3, 4);
}

static void quoted6_outside(struct fx *x)
{
	quote_outside(x, "2001:db8:100::1", 80, 2, 0);
}

/* Item 4: echo requests from sources that are not one host: no reply. */
static const struct not_host {
	const char *name;
	const char *src;
} not_hosts[] = {
	{ "drop echo v4 from multicast 224.0.0.1", "224.0.0.1" },
	{ "drop echo v4 from broadcast 255.255.255.255", "255.255.255.255" },
	{ "drop echo v4 from 0.0.0.0", "0.0.0.0" },
	{ "drop echo v4 from class e 240.0.0.1", "240.0.0.1" },
	{ "drop echo v4 from loopback 127.0.0.1", "127.0.0.1" },
	{ "drop echo v6 from multicast ff02::1", "ff02::1" },
	{ "drop echo v6 from unspecified ::", "::" },
	{ "drop echo v6 from loopback ::1", "::1" },
};

static void echo_from(struct fx *x, const void *row)
{
	const char *src = ((const struct not_host *)row)->src;

	echo_req(x, src, env_family(src) == XLB_FAM_V4 ? "198.18.0.1" : "2001:db8:100::1", 56);
	fx_expect_drop(x, XLB_DROP_NOT_HOST);
}

/* A packet from src to a VIP, too big once encapsulated: no "too big" to a group. */
static void too_big_from(struct fx *x, const char *src, const char *vip, __u32 vip_id,
			 __u32 len)
{
	struct fx_in in = fx_flow(src, vip, IPPROTO_TCP, 80);

	in.paylen = len - (in.ip.family == XLB_FAM_V4 ? 40 : 60);
	fx_send(x, &in);
	fx_expect_drop(x, XLB_DROP_NOT_HOST);
	fx_count_new_flow(x, vip_id, env_vip(vip_id)->be);
}

static void too_big_from_multicast4(struct fx *x)
{
	too_big_from(x, "239.1.2.3", "198.18.0.1", V_TCP4, 1481);
}

static void too_big_from_multicast6(struct fx *x)
{
	too_big_from(x, "ff0e::1", "2001:db8:100::1", V_TCP6, 1461);
}

/* An answer must be right: a request whose checksum is wrong gets none. */
static void echo4_bad_csum(struct fx *x)
{
	echo_client(x, "198.18.0.1", 56);
	x->in.b[14 + 20 + 2] ^= 0x01;
	fx_expect_drop(x, XLB_DROP_BAD_CSUM);
}

static void echo6_bad_csum(struct fx *x)
{
	echo_client(x, "2001:db8:100::1", 56);
	x->in.b[14 + 40 + 3] ^= 0x80;
	fx_expect_drop(x, XLB_DROP_BAD_CSUM);
}

/* 1023 bytes of ICMP: one 512-byte chunk, then 256 + 128 + 64 + 32 + 16 + 8 + 4 + 2 + 1. */
static void echo6_odd_long(struct fx *x)
{
	echo_client(x, "2001:db8:100::1", 1015);
	fx_expect_echo(x, &echo_ip, &echo_l4);
}

/* The same, its last (odd) byte changed: the tail of the sum must be counted. */
static void echo6_odd_long_bad_last(struct fx *x)
{
	echo_client(x, "2001:db8:100::1", 1015);
	x->in.b[x->in.len - 1] ^= 0x10;
	fx_expect_drop(x, XLB_DROP_BAD_CSUM);
}

/* The pseudo-header counts too: the checksum of the request as if sent to another address. */
static void echo6_bad_pseudo(struct fx *x)
{
	echo_client(x, "2001:db8:100::1", 56);
	x->in.b[14 + 8 + 15] ^= 0x01; /* last byte of the source address */
	x->key.src[3] ^= htonl(0x01);
	fx_expect_drop(x, XLB_DROP_BAD_CSUM);
}

static const struct fx_case cases[] = {
	{ "pass echo v4 to a vip address in a broadcast frame", echo4_broadcast },
	{ "pass echo v6 to a vip address in a multicast frame", echo6_multicast },
	{ "pass frag needed about a vip flow in a broadcast frame", quoted4_broadcast },
	{ "fwd frag needed + 20 trailing bytes cut", quoted4_trailer },
	{ "echo v4 + 20 trailing bytes: reply without them", echo4_trailer },
	{ "echo v6 odd length + 20 trailing bytes", echo6_trailer },
	{ "too big dr v4 1501: frag needed 1500", dr4_too_big },
	{ "too big dr v6 1501: packet too big 1500", dr6_too_big },
	{ "echo v4 of 1500 bytes (the mtu) answered", echo4_mtu },
	{ "drop echo v4 of 1501 bytes: reply over the mtu", echo4_over_mtu },
	{ "drop echo v6 of 1501 bytes: reply over the mtu", echo6_over_mtu },
	{ "drop echo v6 with payload length 0, echo in the trailer", echo6_outside_payload },
	{ "drop echo v6 behind a hop-by-hop header, outside the payload", echo6_after_hop_outside },
	{ "drop v6 with a hop-by-hop header outside payload length 0", ext6_outside_payload },
	{ "pass frag needed whose quoted packet is outside the ip length", quoted4_outside },
	{ "pass packet too big whose quoted packet is outside the ip length", quoted6_outside },
	{ "drop too big ipip 4in4 from multicast, no frag needed", too_big_from_multicast4 },
	{ "drop too big ipip 6in6 from multicast, no packet too big", too_big_from_multicast6 },
	{ "drop echo v4 with a bad checksum", echo4_bad_csum },
	{ "drop echo v6 with a bad checksum", echo6_bad_csum },
	{ "echo v6 with 1023 bytes of icmp: every step of the sum", echo6_odd_long },
	{ "drop echo v6 with 1023 bytes of icmp, its last byte changed", echo6_odd_long_bad_last },
	{ "drop echo v6 whose checksum misses the pseudo-header", echo6_bad_pseudo },
};

void cases_frames(const struct lb *lb)
{
	FX_RUN_ROWS(lb, frames, frame_row);
	fx_run_table(lb, cases, sizeof(cases) / sizeof(cases[0]));
	FX_RUN_ROWS(lb, not_hosts, echo_from);
}
