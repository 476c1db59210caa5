// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The generator's TCP/IPv4 frame with its checksums (pktgen_frame.h): Ethernet, IPv4 without
 * options, TCP without options, payload up to PKTGEN_FRAME_LEN; and its device's index and MAC.
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
#include "pktgen.h"
#include "pktgen_frame.h"

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

void pktgen_tcp_frame(__u64 *frame, const __u8 *dst_mac, const __u8 *src_mac, __be32 src,
		      __be32 dst, __u16 dport, bool syn)
{
	struct ethhdr *eth = (void *)frame;
	struct iphdr *ip = (void *)((__u8 *)frame + PKTGEN_IP_OFF);
	struct tcphdr *th = (void *)((__u8 *)frame + PKTGEN_TCP_OFF);
	__u16 l4_len = PKTGEN_FRAME_LEN - PKTGEN_TCP_OFF;
	__be32 pseudo[3];

	memset(frame, 0, PKTGEN_FRAME_LEN);
	memcpy(eth->h_dest, dst_mac, ETH_ALEN);
	memcpy(eth->h_source, src_mac, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(PKTGEN_FRAME_LEN - PKTGEN_IP_OFF);
	ip->frag_off = htons(0x4000); /* DF */
	ip->ttl = 64;
	ip->protocol = IPPROTO_TCP;
	ip->saddr = src;
	ip->daddr = dst;
	ip->check = csum_fold(csum_partial(ip, sizeof(*ip), 0));
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
