// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixtures for broken frames: every truncation point of VLAN tags, IPv4 and IPv6 headers and
 * TCP/UDP headers (to VIP and non-VIP addresses, with and without Ethernet padding behind a
 * short IP packet), and IPv4/IPv6 headers with bad fields. None may be forwarded or changed.
 */
#include <stdio.h>
#include "cases.h"

#define L4_PAD 24 /* padding long enough to hold the rest of any cut L4 header */

static void run_cut(const struct lb *lb, struct fx *x, __u32 len, int reason)
{
	x->in.len = len;
	if (reason < 0)
		fx_expect_pass(x);
	else
		fx_expect_drop(x, reason);
	fx_check(lb, x);
}

/* Every length of a frame that cuts its VLAN tags (test runs take no frame under 14 bytes). */
static void cut_l2(const struct lb *lb, struct fx *x, __u8 nvlan)
{
	struct fx_in in = fx_tcp("198.18.0.1", 80);
	__u32 n, l2 = 14 + 4 * nvlan;

	in.nvlan = nvlan;
	for (n = 14; n < l2; n++) {
		fx_start(x, "");
		snprintf(x->name, sizeof(x->name), "trunc l2 with %u vlan tags at byte %u", nvlan,
			 n);
		fx_send(x, &in);
		run_cut(lb, x, n, XLB_DROP_MALFORMED);
	}
}

/* Every length that cuts the IP header (ihl 6 for IPv4, so options are cut too). */
static void cut_l3(const struct lb *lb, struct fx *x, const char *dst, __u8 nvlan)
{
	struct fx_in in = fx_tcp(dst, 80);
	__u32 n, l2 = 14 + 4 * nvlan, hlen = in.ip.family == XLB_FAM_V4 ? 24 : 40;

	in.nvlan = nvlan;
	in.ip.opt_words = 1;
	for (n = 0; n < hlen; n++) {
		fx_start(x, "");
		snprintf(x->name, sizeof(x->name), "trunc ipv%u header to %s at byte %u",
			 in.ip.family, dst, n);
		fx_send(x, &in);
		run_cut(lb, x, l2 + n, XLB_DROP_MALFORMED);
	}
}

/*
 * Every length of a TCP/UDP header short of complete, the IP length saying so: dropped as
 * malformed when sent to a VIP address, passed otherwise; pad adds Ethernet padding that
 * would hold the rest of the header.
 */
static void cut_l4(const struct lb *lb, struct fx *x, const char *dst, __u8 proto, __u32 pad,
		   bool vip)
{
	struct fx_in in = proto == IPPROTO_TCP ? fx_tcp(dst, 80) : fx_udp(dst, 53);
	__u32 n, hlen = proto == IPPROTO_TCP ? 20 : 8;
	static struct pkt l4;

	for (n = 0; n < hlen; n++) {
		fx_start(x, "");
		snprintf(x->name, sizeof(x->name), "trunc %s%u header at byte %u to %s%s",
			 proto == IPPROTO_TCP ? "tcp" : "udp", in.ip.family, n, dst,
			 pad ? ", padded" : "");
		l4.len = 0;
		if (proto == IPPROTO_TCP)
			pkt_tcp(&l4, in.sport, in.dport, 0);
		else
			pkt_udp(&l4, in.sport, in.dport, 0);
		l4.len = n;
		fx_send_ip(x, &in.ip, &l4, 0, pad);
		run_cut(lb, x, x->in.len, vip ? XLB_DROP_MALFORMED : -1);
	}
}

static void cut_l4_all(const struct lb *lb, struct fx *x)
{
	static const char *const vips[] = { "198.18.0.1", "2001:db8:100::1" };
	static const char *const others[] = { OTHER4, OTHER6 };
	static const __u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	int f, p, pad;

	for (f = 0; f < 2; f++)
		for (p = 0; p < 2; p++)
			for (pad = 0; pad < 2; pad++) {
				cut_l4(lb, x, vips[f], protos[p], pad * L4_PAD, true);
				cut_l4(lb, x, others[f], protos[p], pad * L4_PAD, false);
			}
}

/* A TCP packet to dst whose IP header then gets one field broken. */
static void bad_field(const struct lb *lb, struct fx *x, const char *name, const char *dst,
		      __u32 off, __u16 value, bool word)
{
	struct fx_in in = fx_tcp(dst, 80);

	fx_start(x, name);
	in.ip.opt_words = 2;
	fx_send(x, &in);
	if (word) {
		x->in.b[14 + off] = value >> 8;
		x->in.b[14 + off + 1] = value;
	} else {
		x->in.b[14 + off] = value;
	}
	fx_expect_drop(x, XLB_DROP_MALFORMED);
	fx_check(lb, x);
}

static void bad_fields(const struct lb *lb, struct fx *x)
{
	__u16 len4 = 28 + 20 + 32, plen6 = 20 + 32;

	bad_field(lb, x, "drop ipv4 ihl 4 to vip", "198.18.0.1", 0, 0x44, false);
	bad_field(lb, x, "drop ipv4 ihl 4 to non-vip", OTHER4, 0, 0x44, false);
	bad_field(lb, x, "drop ipv4 ihl 0 to vip", "198.18.0.1", 0, 0x40, false);
	bad_field(lb, x, "drop version 6 under the ipv4 ethertype", "198.18.0.1", 0, 0x67, false);
	bad_field(lb, x, "drop version 4 under the ipv6 ethertype", "2001:db8:100::1", 0, 0x40,
		  false);
	bad_field(lb, x, "drop ipv4 tot_len below ihl*4", "198.18.0.1", 2, 24, true);
	bad_field(lb, x, "drop ipv4 tot_len one beyond the frame", "198.18.0.1", 2, len4 + 1, true);
	bad_field(lb, x, "drop ipv4 tot_len one beyond the frame, non-vip", OTHER4, 2, len4 + 1,
		  true);
	bad_field(lb, x, "drop ipv6 payload length one beyond the frame", "2001:db8:100::1", 4,
		  plen6 + 1, true);
	bad_field(lb, x, "drop ipv6 payload length beyond the frame, non-vip", OTHER6, 4, 0xffff,
		  true);
}

void cases_trunc(const struct lb *lb)
{
	static struct fx x;

	cut_l2(lb, &x, 1);
	cut_l2(lb, &x, 2);
	cut_l3(lb, &x, "198.18.0.1", 0);
	cut_l3(lb, &x, "198.18.0.1", 2);
	cut_l3(lb, &x, "2001:db8:100::1", 0);
	cut_l3(lb, &x, "2001:db8:100::1", 1);
	cut_l4_all(lb, &x);
	bad_fields(lb, &x);
}
