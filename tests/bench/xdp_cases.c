// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The per-packet benchmark's cases: the VIPs (every forwarding mode and second chance, both
 * families, ten backends each) written through the library, the load-time settings, and each case's
 * 80-byte TCP frame with the offsets that the runs varying their flow change. Used by
 * xdp_bench.c.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>

#include "state.h"
#include "xdp_bench.h"

#define BACKENDS_PER_VIP 10
#define VIP_PORT	 80
#define CLIENT_PORT	 40000
#define IP_DF		 0x4000

/*
 * The forwarding modes, gue with second chance (no connection table: issue 12), and ipip and
 * second chance again with the maglev-fast scheduler (a known flow through the table takes
 * no slot: that case is ipip's).
 */
static const struct {
	const char *name;
	__u8 forward;
	bool twohop;
	__u8 sched;
} modes[] = {{"ipip", XLB_FWD_IPIP, false, XLB_SCHED_MAGLEV},
	     {"gue", XLB_FWD_GUE, false, XLB_SCHED_MAGLEV},
	     {"dr", XLB_FWD_DR, false, XLB_SCHED_MAGLEV},
	     {"2nd-chance", XLB_FWD_GUE, true, XLB_SCHED_MAGLEV},
	     {"ipip fast", XLB_FWD_IPIP, false, XLB_SCHED_MAGLEV_FAST},
	     {"2nd-chance fast", XLB_FWD_GUE, true, XLB_SCHED_MAGLEV_FAST}};

#define NMODES (sizeof(modes) / sizeof(modes[0]))
/* bench_cases_init(): bare, then per family at most a known and a new flow per mode and 4. */
_Static_assert(1 + 2 * (2 * NMODES + 4) <= MAX_CASES, "MAX_CASES holds every case");

/* A literal address into the ABI's addr[4] (IPv4 in addr[0], the rest zero). */
static void addr_parse(const char *s, int family, __be32 *addr)
{
	memset(addr, 0, 16);
	inet_pton(family == XLB_FAM_V4 ? AF_INET : AF_INET6, s, addr);
}

static void vip_addr(int family, unsigned int mode, __be32 *addr)
{
	char s[INET6_ADDRSTRLEN];

	snprintf(s, sizeof(s), family == XLB_FAM_V4 ? "198.18.1.%u" : "2001:db8:1::%u", mode + 1);
	addr_parse(s, family, addr);
}

/* VIP i: TCP port VIP_PORT of the mode's address, with BACKENDS_PER_VIP equal backends. */
static void vip_conf(struct xlb_vip_conf *v, struct xlb_be_conf *bes, __u32 i, int family,
		     unsigned int mode)
{
	char s[INET6_ADDRSTRLEN];
	__u32 j;

	memset(v, 0, sizeof(*v));
	v->name.addr.family = family;
	vip_addr(family, mode, v->name.addr.a);
	v->name.port = VIP_PORT;
	v->name.proto = IPPROTO_TCP;
	v->forward = modes[mode].forward;
	v->second_chance = modes[mode].twohop;
	v->sched = modes[mode].sched;
	v->gue_port = XLB_GUE_PORT_DEFAULT;
	v->backends = bes;
	v->nbackends = BACKENDS_PER_VIP;
	for (j = 0; j < BACKENDS_PER_VIP; j++) {
		memset(&bes[j], 0, sizeof(bes[j]));
		snprintf(s, sizeof(s), family == XLB_FAM_V4 ? "198.19.%u.%u" : "2001:db8:be:%u::%u",
			 i, j + 1);
		bes[j].addr.family = family;
		addr_parse(s, family, bes[j].addr.a);
		bes[j].mac[0] = 0x02;
		bes[j].mac[4] = i;
		bes[j].mac[5] = j + 1;
		bes[j].has_mac = true;
		bes[j].weight = 1;
	}
}

/* Every mode in both families, through the library that the CLI and the daemon use. */
int bench_vips_add(const struct xlb_maps *m)
{
	static const int families[] = {XLB_FAM_V4, XLB_FAM_V6};
	static struct xlb_be_conf bes[2 * NMODES][BACKENDS_PER_VIP];
	struct xlb_vip_conf vips[2 * NMODES];
	struct xlb_conf conf = {.vips = vips, .nvips = 2 * NMODES};
	struct xlb_lb lb = {.maps = *m, .table_size = XLB_TABLE_DEFAULT};
	unsigned int f, i;

	for (f = 0; f < 2; f++)
		for (i = 0; i < NMODES; i++)
			vip_conf(&vips[f * NMODES + i], bes[f * NMODES + i], f * NMODES + i,
				 families[f], i);
	return xlb_state_apply(&lb, &conf, 0);
}

void bench_cfg_set(struct xlb_cfg *cfg)
{
	static const __u8 next_hop[ETH_ALEN] = {0x02, 0, 0, 0, 0, 0xfe};
	static const __u8 own[ETH_ALEN] = {0x02, 0, 0, 0, 0, 0x01}; /* the frames' destination */
	__be32 v4[4];

	addr_parse("198.18.0.1", XLB_FAM_V4, v4);
	cfg->src_v4 = v4[0];
	addr_parse("2001:db8::1", XLB_FAM_V6, cfg->src_v6);
	memcpy(cfg->next_hop, next_hop, ETH_ALEN);
	memcpy(cfg->if_mac, own, ETH_ALEN);
	cfg->mtu = XLB_MTU_DEFAULT;
	cfg->table_size = XLB_TABLE_DEFAULT;
	cfg->ttl = XLB_TTL_DEFAULT;
}

/* The L3 header of c's frame, from the client to dst; returns the L4 offset. */
static __u32 frame_l3(struct bench_case *c, int family, const __be32 *dst)
{
	struct iphdr ip = {.version = 4, .ihl = 5, .ttl = 64, .protocol = IPPROTO_TCP};
	struct ipv6hdr ip6 = {.version = 6, .nexthdr = IPPROTO_TCP, .hop_limit = 64};
	__be32 src[4];

	if (family == XLB_FAM_V4) {
		addr_parse("198.18.100.1", family, src);
		ip.tot_len = htons(FRAME_LEN - ETH_HLEN);
		ip.frag_off = htons(IP_DF);
		ip.saddr = src[0];
		ip.daddr = dst[0];
		memcpy(c->frame + ETH_HLEN, &ip, sizeof(ip));
		c->addr_off = ETH_HLEN + offsetof(struct iphdr, saddr) + 2;
		return ETH_HLEN + sizeof(ip);
	}
	addr_parse("2001:db8:c::1", family, src);
	ip6.payload_len = htons(FRAME_LEN - ETH_HLEN - sizeof(ip6));
	memcpy(&ip6.saddr, src, 16);
	memcpy(&ip6.daddr, dst, 16);
	memcpy(c->frame + ETH_HLEN, &ip6, sizeof(ip6));
	c->addr_off = ETH_HLEN + offsetof(struct ipv6hdr, saddr) + 14;
	return ETH_HLEN + sizeof(ip6);
}

/*
 * A FRAME_LEN-byte TCP segment from the client to dst:VIP_PORT: a SYN for K_SYN, else an ACK
 * with payload. Checksums stay zero: xlb reads none, and the runs that vary the flow rewrite
 * the source without fixing them anyway.
 */
static void frame_build(struct bench_case *c, int family, const __be32 *dst)
{
	struct ethhdr eth = {
	    .h_dest = {0x02, 0, 0, 0, 0, 0x01},
	    .h_source = {0x02, 0, 0, 0, 0, 0xc1},
	};
	struct tcphdr th = {.doff = 5, .syn = c->kind == K_SYN, .ack = c->kind != K_SYN};
	__u32 l4;

	memset(c->frame, 0, FRAME_LEN);
	eth.h_proto = htons(family == XLB_FAM_V4 ? ETH_P_IP : ETH_P_IPV6);
	memcpy(c->frame, &eth, sizeof(eth));
	l4 = frame_l3(c, family, dst);
	th.source = htons(CLIENT_PORT);
	th.dest = htons(VIP_PORT);
	th.window = htons(65535);
	memcpy(c->frame + l4, &th, sizeof(th));
	c->port_off = l4 + offsetof(struct tcphdr, source);
}

static struct bench_case *case_add(struct bench *b, enum kind kind, int family, const __be32 *dst)
{
	struct bench_case *c = &b->cases[b->ncases++];

	c->kind = kind;
	c->out_len = FRAME_LEN;
	if (kind == K_NEW || kind == K_SYN)
		c->vary = VARY_ALL;
	else if (kind == K_KNOWN && b->live)
		c->vary = b->live / 2 - 1; /* --live: each family's known flows are half of them */
	frame_build(c, family, dst);
	return c;
}

static const char *const what[K_MAX] = {
    [K_KNOWN] = "known flow", [K_NEW] = "new flow", [K_SYN] = "SYN"};

/* A case of kind to the VIP of the given mode, its output grown by the mode's encapsulation. */
static void case_mode(struct bench *b, enum kind kind, int fam, unsigned int mode)
{
	struct bench_case *c;
	__be32 dst[4];

	vip_addr(fam, mode, dst);
	c = case_add(b, kind, fam, dst);
	snprintf(c->name, sizeof(c->name), "v%d %s %s", fam, modes[mode].name, what[kind]);
	c->twohop = modes[mode].twohop;
	if (modes[mode].forward != XLB_FWD_DR)
		c->out_len += (fam == XLB_FAM_V4 ? 20 : 40) +
			      (modes[mode].forward == XLB_FWD_GUE ? 8 : 0) +
			      (c->twohop ? sizeof(struct xlb_gue_hdr) + sizeof(struct xlb_gue_hop) : 0);
}

/* The floor's case of kind (floor.bpf.h), beside the ipip case Katran's row stands by. */
static void case_floor(struct bench *b, enum kind kind, int fam)
{
	struct bench_case *c;
	__be32 dst[4];

	vip_addr(fam, 0, dst);
	c = case_add(b, kind, fam, dst);
	c->floor = true;
	c->out_len += fam == XLB_FAM_V4 ? 20 : 40;
	snprintf(c->name, sizeof(c->name), "v%d floor %s", fam, what[kind]);
	snprintf(c->peer, sizeof(c->peer), "v%d ipip %s", fam, what[kind]);
}

void bench_cases_init(struct bench *b)
{
	static const int families[] = {XLB_FAM_V4, XLB_FAM_V6};
	struct bench_case *c;
	unsigned int f, i;
	__be32 dst[4];
	int fam;

	vip_addr(XLB_FAM_V4, 0, dst);
	c = case_add(b, K_BARE, XLB_FAM_V4, dst);
	snprintf(c->name, sizeof(c->name), "bare MAC swap + XDP_TX");
	for (f = 0; f < 2; f++) {
		fam = families[f];
		if (b->live) {
			case_mode(b, K_KNOWN, fam, 0);
			case_floor(b, K_KNOWN, fam);
			continue;
		}
		for (i = 0; i < NMODES; i++)
			if (modes[i].twohop || modes[i].sched != XLB_SCHED_MAGLEV_FAST)
				case_mode(b, K_KNOWN, fam, i);
		for (i = 0; i < NMODES; i++)
			case_mode(b, K_NEW, fam, i);
		case_mode(b, K_SYN, fam, 0);
		addr_parse(fam == XLB_FAM_V4 ? "198.18.0.2" : "2001:db8::2", fam, dst);
		c = case_add(b, K_NONVIP, fam, dst);
		snprintf(c->name, sizeof(c->name), "v%d non-VIP", fam);
		case_floor(b, K_KNOWN, fam);
		case_floor(b, K_NEW, fam);
	}
}
