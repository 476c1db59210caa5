/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Frame builders for the packet fixtures: Ethernet with VLAN tags, IPv4 with options, IPv6 with
 * extension headers, TCP, UDP and ICMP, all with their checksums. Written from the RFCs, not
 * from the balancer's code, so expected outputs are built independently of what it does.
 */
#ifndef XLB_TEST_PKT_H
#define XLB_TEST_PKT_H

#include <linux/types.h>

#define PKT_MAX 4096

#define IP_DF 0x4000
#define IP_MF 0x2000

/* Extension header types the builder knows (their sizes are in pkt.c). */
#define EXT_HOP	 0
#define EXT_RT	 43
#define EXT_FRAG 44
#define EXT_DEST 60

#define PKT_MAX_EXT 6

/* A frame, or an IP packet or L4 segment on its own. */
struct pkt {
	__u32 len;
	__u8 b[PKT_MAX];
};

/* An IP header to build; addresses in network order, IPv4 in src[0]/dst[0]. */
struct ip_spec {
	__u8 family;	/* XLB_FAM_V4 or XLB_FAM_V6 */
	__u8 proto;	/* upper-layer protocol, after any IPv6 extension headers */
	__u8 tos;	/* IPv4 tos / IPv6 traffic class */
	__u8 ttl;	/* ttl / hop limit */
	__u16 frag;	/* IPv4 frag_off (IP_DF, IP_MF, offset); IPv6 fragment header offset|M */
	__u16 id;	/* IPv4 identification / low bits of the fragment header's */
	__u32 flow;	/* IPv6 flow label */
	__u8 opt_words; /* IPv4: 4-byte option words after the fixed header */
	__u8 n_ext;	/* IPv6: extension headers, types in ext[] */
	__u8 ext[PKT_MAX_EXT];
	__u8 raw;	/* leave the upper-layer bytes (and their checksum) as given */
	__be32 src[4];
	__be32 dst[4];
};

void *pkt_put(struct pkt *p, const void *data, __u32 n);
/* Writes v at at in network order. */
void pkt_set16(__u8 *at, __u16 v);
void pkt_set32(__u8 *at, __u32 v);
void pkt_pad(struct pkt *p, __u32 n);
void pkt_eth(struct pkt *p, const __u8 *dst, const __u8 *src, const __u16 *tags, int ntags,
	     __u16 type);
void pkt_ip(struct pkt *p, const struct ip_spec *s, const void *l4, __u32 len);
__u32 pkt_ip_hlen(const struct ip_spec *s);
void pkt_tcp(struct pkt *l4, __u16 sport, __u16 dport, __u32 paylen);
void pkt_udp(struct pkt *l4, __u16 sport, __u16 dport, __u32 paylen);
void pkt_icmp(struct pkt *l4, __u8 type, __u8 code, __u32 rest, const void *data, __u32 n);
void pkt_payload(struct pkt *p, __u32 n, __u8 seed);

void addr_parse(__be32 a[4], const char *s);

#endif /* XLB_TEST_PKT_H */
