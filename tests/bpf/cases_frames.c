// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixtures for what a frame must be before xlb acts on it, and what leaves (issue 8, "Frames"):
 * only frames to the balancer's own MAC are balanced or answered, the rest pass untouched.
 */
#include <arpa/inet.h>
#include <string.h>
#include <linux/bpf.h>
#include "cases.h"

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

static void tcp4_broadcast(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.1", 80);

	fx_send(x, &in);
	to_mac(x, BCAST_MAC);
}

static void gue4_multicast(struct fx *x)
{
	struct fx_in in = fx_udp("198.18.0.1", 53);

	fx_send(x, &in);
	to_mac(x, MCAST4_MAC);
}

static void tcp6_multicast(struct fx *x)
{
	struct fx_in in = fx_tcp("2001:db8:100::1", 80);

	in.nvlan = 1;
	fx_send(x, &in);
	to_mac(x, MCAST6_MAC);
}

static void dr4_other_host(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.2", 80);

	fx_send(x, &in);
	to_mac(x, HOST_MAC_HI);
}

static void dr6_other_host(struct fx *x)
{
	struct fx_in in = fx_tcp("2001:db8:100::2", 80);

	fx_send(x, &in);
	to_mac(x, HOST_MAC_LO);
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

static void too_big4_other_host(struct fx *x)
{
	struct fx_in in = fx_tcp("198.18.0.1", 80);

	in.paylen = 1481 - 40;
	fx_send(x, &in);
	to_mac(x, HOST_MAC_LO);
}

static void quoted4_broadcast(struct fx *x)
{
	fx_quoted(x, "198.18.0.1", IPPROTO_TCP, 80, fx_port(), 3, 4, 0);
	to_mac(x, BCAST_MAC);
}

static const struct fx_case cases[] = {
	{ "pass tcp v4 to a vip in a broadcast frame", tcp4_broadcast },
	{ "pass udp v4 to a gue vip in a multicast frame", gue4_multicast },
	{ "pass tcp v6 to a vip in a multicast frame, one vlan tag", tcp6_multicast },
	{ "pass tcp v4 to a dr vip in another host's frame", dr4_other_host },
	{ "pass tcp v6 to a dr vip in another host's frame", dr6_other_host },
	{ "pass echo v4 to a vip address in a broadcast frame", echo4_broadcast },
	{ "pass echo v6 to a vip address in a multicast frame", echo6_multicast },
	{ "pass too big v4 in another host's frame", too_big4_other_host },
	{ "pass frag needed about a vip flow in a broadcast frame", quoted4_broadcast },
};

void cases_frames(const struct lb *lb)
{
	fx_run_table(lb, cases, sizeof(cases) / sizeof(cases[0]));
}
