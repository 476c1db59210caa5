// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Frame builders for the packet fixtures (pkt.h). Every field is written byte by byte in
 * network order and every checksum is computed over the finished bytes (RFC 791, 793, 768,
 * 792, 8200, 4443).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pkt.h"
#include "xlb_abi.h"

void *pkt_put(struct pkt *p, const void *data, __u32 n)
{
	__u8 *at = p->b + p->len;

	if (p->len + n > PKT_MAX) {
		fprintf(stderr, "fixture frame over %d bytes\n", PKT_MAX);
		exit(2);
	}
	if (data)
		memcpy(at, data, n);
	else
		memset(at, 0, n);
	p->len += n;
	return at;
}

/* Zero bytes at the end: Ethernet padding. */
void pkt_pad(struct pkt *p, __u32 n)
{
	pkt_put(p, NULL, n);
}

void pkt_set16(__u8 *at, __u16 v)
{
	at[0] = v >> 8;
	at[1] = v;
}

void pkt_set32(__u8 *at, __u32 v)
{
	pkt_set16(at, v >> 16);
	pkt_set16(at + 2, v);
}

static __u32 csum_add(__u32 sum, const void *data, size_t n)
{
	const __u8 *b = data;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += b[i] << 8 | b[i + 1];
	if (n & 1)
		sum += b[n - 1] << 8;
	return sum;
}

/* Folds to 16 bits and complements; the result is in host order. */
static __u16 csum_fold(__u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* tags holds (TPID, TCI) pairs in host order. */
void pkt_eth(struct pkt *p, const __u8 *dst, const __u8 *src, const __u16 *tags, int ntags,
	     __u16 type)
{
	__u8 *at;
	int i;

	pkt_put(p, dst, 6);
	pkt_put(p, src, 6);
	for (i = 0; i < ntags; i++) {
		at = pkt_put(p, NULL, 4);
		pkt_set16(at, tags[2 * i]);
		pkt_set16(at + 2, tags[2 * i + 1]);
	}
	pkt_set16(pkt_put(p, NULL, 2), type);
}

/* Sum of the pseudo-header the upper layer's checksum covers. */
static __u32 pseudo_sum(const struct ip_spec *s, __u32 len)
{
	__u8 tail[8] = {};

	if (s->family == XLB_FAM_V4) {
		tail[1] = s->proto;
		pkt_set16(tail + 2, len);
		return csum_add(csum_add(csum_add(0, s->src, 4), s->dst, 4), tail, 4);
	}
	pkt_set32(tail, len);
	tail[7] = s->proto;
	return csum_add(csum_add(csum_add(0, s->src, 16), s->dst, 16), tail, 8);
}

/* Fills the checksum of a complete TCP, UDP, ICMP or ICMPv6 header in place. */
static void l4_csum(const struct ip_spec *s, __u8 *l4, __u32 len)
{
	__u32 off, sum = 0;
	__u16 c;

	if (s->proto == IPPROTO_TCP && len >= 20)
		off = 16;
	else if (s->proto == IPPROTO_UDP && len >= 8)
		off = 6;
	else if ((s->proto == IPPROTO_ICMP || s->proto == IPPROTO_ICMPV6) && len >= 8)
		off = 2;
	else
		return;
	if (s->proto != IPPROTO_ICMP)
		sum = pseudo_sum(s, len);
	pkt_set16(l4 + off, 0);
	c = csum_fold(csum_add(sum, l4, len));
	if (s->proto == IPPROTO_UDP && c == 0)
		c = 0xffff;
	pkt_set16(l4 + off, c);
}

static void ipv4_hdr(struct pkt *p, const struct ip_spec *s, __u32 len)
{
	__u32 hlen = 20 + 4 * s->opt_words;
	__u8 *h = pkt_put(p, NULL, hlen);

	h[0] = 0x40 | hlen / 4;
	h[1] = s->tos;
	pkt_set16(h + 2, hlen + len);
	pkt_set16(h + 4, s->id);
	pkt_set16(h + 6, s->frag);
	h[8] = s->ttl;
	h[9] = s->proto;
	memcpy(h + 12, s->src, 4);
	memcpy(h + 16, s->dst, 4);
	memset(h + 20, 1, hlen - 20); /* NOP options */
	pkt_set16(h + 10, csum_fold(csum_add(0, h, hlen)));
}

static __u32 ext_len(__u8 type)
{
	return type == EXT_DEST ? 16 : 8;
}

/* The bytes s's header takes: options or extension headers included. */
__u32 pkt_ip_hlen(const struct ip_spec *s)
{
	__u32 i, n = 40;

	if (s->family == XLB_FAM_V4)
		return 20 + 4 * s->opt_words;
	for (i = 0; i < s->n_ext; i++)
		n += ext_len(s->ext[i]);
	return n;
}

/* One extension header of type t followed by next: PadN options fill hop-by-hop/dest-opts. */
static void ipv6_ext(struct pkt *p, const struct ip_spec *s, __u8 t, __u8 next)
{
	__u32 n = ext_len(t);
	__u8 *h = pkt_put(p, NULL, n);

	h[0] = next;
	h[1] = n / 8 - 1;
	if (t == EXT_FRAG) {
		pkt_set16(h + 2, s->frag);
		pkt_set32(h + 4, 0x10000 | s->id);
	} else if (t != EXT_RT) {
		h[2] = 1;
		h[3] = n - 4;
	}
}

static void ipv6_hdr(struct pkt *p, const struct ip_spec *s, __u32 len)
{
	__u32 i, ext = 0;
	__u8 *h;

	for (i = 0; i < s->n_ext; i++)
		ext += ext_len(s->ext[i]);
	h = pkt_put(p, NULL, 40);
	pkt_set32(h, 6u << 28 | (__u32)s->tos << 20 | (s->flow & 0xfffff));
	pkt_set16(h + 4, ext + len);
	h[6] = s->n_ext ? s->ext[0] : s->proto;
	h[7] = s->ttl;
	memcpy(h + 8, s->src, 16);
	memcpy(h + 24, s->dst, 16);
	for (i = 0; i < s->n_ext; i++)
		ipv6_ext(p, s, s->ext[i], i + 1 < s->n_ext ? s->ext[i + 1] : s->proto);
}

/* Appends an IP packet: header(s) from s, then the len upper-layer bytes at l4. */
void pkt_ip(struct pkt *p, const struct ip_spec *s, const void *l4, __u32 len)
{
	__u8 *at;

	if (s->family == XLB_FAM_V4)
		ipv4_hdr(p, s, len);
	else
		ipv6_hdr(p, s, len);
	at = pkt_put(p, l4, len);
	if (!s->raw)
		l4_csum(s, at, len);
}

/* Deterministic payload bytes. */
void pkt_payload(struct pkt *p, __u32 n, __u8 seed)
{
	__u8 *at = pkt_put(p, NULL, n);
	__u32 i;

	for (i = 0; i < n; i++)
		at[i] = seed + i * 7;
}

/* TCP header (ACK|PSH, window 65535) and paylen payload bytes; pkt_ip fills the checksum. */
void pkt_tcp(struct pkt *l4, __u16 sport, __u16 dport, __u32 paylen)
{
	__u8 *h = pkt_put(l4, NULL, 20);

	pkt_set16(h, sport);
	pkt_set16(h + 2, dport);
	pkt_set32(h + 4, 0x01020304);
	pkt_set32(h + 8, 0x0a0b0c0d);
	h[12] = 5 << 4;
	h[13] = 0x18;
	pkt_set16(h + 14, 0xffff);
	pkt_payload(l4, paylen, sport);
}

void pkt_udp(struct pkt *l4, __u16 sport, __u16 dport, __u32 paylen)
{
	__u8 *h = pkt_put(l4, NULL, 8);

	pkt_set16(h, sport);
	pkt_set16(h + 2, dport);
	pkt_set16(h + 4, 8 + paylen);
	pkt_payload(l4, paylen, dport);
}

/* ICMP or ICMPv6 header: type, code, the 32-bit "rest of header", then n bytes of data. */
void pkt_icmp(struct pkt *l4, __u8 type, __u8 code, __u32 rest, const void *data, __u32 n)
{
	__u8 *h = pkt_put(l4, NULL, 8);

	h[0] = type;
	h[1] = code;
	pkt_set32(h + 4, rest);
	pkt_put(l4, data, n);
}

void addr_parse(__be32 a[4], const char *s)
{
	memset(a, 0, 16);
	if (inet_pton(strchr(s, ':') ? AF_INET6 : AF_INET, s, a) != 1) {
		fprintf(stderr, "bad fixture address '%s'\n", s);
		exit(2);
	}
}
