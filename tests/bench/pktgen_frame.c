// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The generator's frames with their checksums (pktgen_frame.h): TCP/IPv4 (Ethernet, IPv4 and
 * TCP without options, payload up to PKTGEN_FRAME_LEN), and the same TCP packet inside xlb's
 * second-chance GUE; and the generator's device's index and MAC.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include "pktgen.h"
#include "pktgen_frame.h"
#include "xlb_abi.h"

/* The 16-bit big-endian words of buf added to sum; bytes, so any type may be summed. */
static __u32 csum_partial(const void *buf, size_t len, __u32 sum)
{
	const __u8 *b = buf;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += b[i] << 8 | b[i + 1];
	return sum;
}

/* The Internet checksum of a sum, as stored in a header. */
static __be16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

static void eth_put(__u64 *frame, const __u8 *dst_mac, const __u8 *src_mac)
{
	struct ethhdr *eth = (void *)frame;

	memcpy(eth->h_dest, dst_mac, ETH_ALEN);
	memcpy(eth->h_source, src_mac, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
}

/* An IPv4 header without options at ip for a len-byte packet, with DF as TCP stacks send. */
static void ipv4_put(struct iphdr *ip, __u16 len, __u8 proto, __be32 src, __be32 dst)
{
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(len);
	ip->frag_off = htons(0x4000); /* DF */
	ip->ttl = 64;
	ip->protocol = proto;
	ip->saddr = src;
	ip->daddr = dst;
	ip->check = csum_fold(csum_partial(ip, sizeof(*ip), 0));
}

/* A len-byte TCP/IPv4 packet at at: a SYN (syn), else an ACK; payload bytes 'x'. */
static void tcp_put(void *at, __u16 len, __be32 src, __be32 dst, __u16 dport, bool syn)
{
	struct iphdr *ip = at;
	struct tcphdr *th = (void *)(ip + 1);
	__u16 l4_len = len - sizeof(*ip);
	__be32 pseudo[3];

	ipv4_put(ip, len, IPPROTO_TCP, src, dst);
	th->dest = htons(dport);
	th->seq = htonl(1);
	th->ack_seq = htonl(syn ? 0 : 1);
	th->doff = sizeof(*th) / 4;
	th->syn = syn;
	th->ack = !syn;
	th->window = htons(65535);
	memset(th + 1, 'x', l4_len - sizeof(*th));
	pseudo[0] = ip->saddr;
	pseudo[1] = ip->daddr;
	pseudo[2] = htonl(IPPROTO_TCP << 16 | l4_len);
	th->check = csum_fold(csum_partial(th, l4_len, csum_partial(pseudo, sizeof(pseudo), 0)));
}

void pktgen_tcp_frame(__u64 *frame, const __u8 *dst_mac, const __u8 *src_mac, __be32 src,
		      __be32 dst, __u16 dport, bool syn)
{
	memset(frame, 0, PKTGEN_FRAME_LEN);
	eth_put(frame, dst_mac, src_mac);
	tcp_put((__u8 *)frame + PKTGEN_IP_OFF, PKTGEN_FRAME_LEN - PKTGEN_IP_OFF, src, dst, dport,
		syn);
}

void pktgen_gue_frame(__u64 *frame, const __u8 *dst_mac, const __u8 *src_mac,
		      const struct pktgen_gue *g, __be32 src, __be32 dst, __u16 dport)
{
	struct iphdr *ip = (void *)((__u8 *)frame + PKTGEN_IP_OFF);
	struct udphdr *uh = (void *)(ip + 1);
	struct xlb_gue_hdr *gue = (void *)(uh + 1);
	struct xlb_gue_hop *hop = (void *)(gue + 1);

	_Static_assert(PKTGEN_IP_OFF + sizeof(*ip) + sizeof(*uh) + sizeof(*gue) + sizeof(*hop) ==
			   PKTGEN_GUE_IP_OFF,
		       "the inner packet starts where the generator varies it");
	memset(frame, 0, PKTGEN_GUE_LEN);
	eth_put(frame, dst_mac, src_mac);
	ipv4_put(ip, PKTGEN_GUE_LEN - PKTGEN_IP_OFF, IPPROTO_UDP, g->outer_src, g->outer_dst);
	uh->source = htons(g->sport);
	uh->dest = htons(g->port);
	uh->len = htons(PKTGEN_GUE_LEN - PKTGEN_IP_OFF - sizeof(*ip));
	/* UDP checksum 0 (none), as the balancer sends GUE over IPv4. */
	gue->ver_hlen = XLB_GUE_HLEN;
	gue->proto = IPPROTO_IPIP;
	hop->magic = XLB_GUE_MAGIC;
	hop->flags = g->flags;
	hop->family = XLB_FAM_V4;
	hop->addr[0] = g->hop;
	tcp_put((__u8 *)frame + PKTGEN_GUE_IP_OFF, PKTGEN_GUE_LEN - PKTGEN_GUE_IP_OFF, src, dst,
		dport, false);
}

int pktgen_dev_learn(const char *dev, int *ifindex, __u8 *mac)
{
	struct ifreq ifr = {};
	int fd, err = 0;

	*ifindex = if_nametoindex(dev);
	if (!*ifindex)
		return -errno;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		err = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	close(fd);
	return err;
}
