/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Building one fixture: the frame a case sends (fx_send*) and what the specification says
 * must come back (fx_expect_*): verdict, whole output frame and counter deltas (fx.c; the
 * ICMP ones in fx_icmp.c). Included by the case files.
 */
#ifndef XLB_TEST_FX_H
#define XLB_TEST_FX_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdbool.h>
#include "harness.h"
#include "env.h"

/* A TCP or UDP packet to send. */
struct fx_in {
	struct ip_spec ip;
	__u16 sport;
	__u16 dport;
	__u32 paylen;
	__u8 nvlan;
	bool syn;  /* TCP flags SYN instead of ACK|PSH */
	bool rst;  /* TCP flags RST|ACK instead of ACK|PSH */
	bool fin;  /* TCP flags FIN|ACK instead of ACK|PSH */
	__u32 pad; /* zero bytes after the IP packet */
};

/* A TCP or UDP packet as a table row: fx_tcp() or fx_udp() to dst:dport with these changes. */
#define FX_NO_PAYLOAD 0xffffffffu
struct fx_row {
	const char *dst;
	__u8 proto; /* IPPROTO_TCP or IPPROTO_UDP */
	__u16 dport;
	__u8 tos;
	__u8 nvlan;
	__u8 opt_words; /* IPv4 option words */
	bool no_df;	/* IPv4 without DF */
	__u16 frag;	/* if set: ip_spec.frag (IPv4 frag_off, or EXT_FRAG's offset|M) */
	__u8 n_ext;	/* IPv6 extension headers, types in ext[] */
	__u8 ext[PKT_MAX_EXT];
	__u32 paylen; /* 0: fx_flow()'s; FX_NO_PAYLOAD: none */
	__u32 pad;    /* Ethernet padding */
};

#define FX_TCP(to, port, ...) { .dst = (to), .proto = IPPROTO_TCP, .dport = (port), __VA_ARGS__ }
#define FX_UDP(to, port, ...) { .dst = (to), .proto = IPPROTO_UDP, .dport = (port), __VA_ARGS__ }

/* One case of a table: build fills x. */
struct fx_case {
	const char *name;
	void (*build)(struct fx *x);
};

void fx_run_table(const struct lb *lb, const struct fx_case *cases, int n);
/*
 * Runs n rows of size bytes each, whose first member is the case's name (const char *): build
 * fills x from a row.
 */
void fx_run_rows(const struct lb *lb, const void *rows, size_t n, size_t size,
		 void (*build)(struct fx *x, const void *row));
#define FX_RUN_ROWS(lb, rows, build) \
	fx_run_rows(lb, rows, sizeof(rows) / sizeof((rows)[0]), sizeof((rows)[0]), build)
/* Checks the case built in x (primed first if x->prime). */
void fx_run(const struct lb *lb, const struct fx *x);
struct fx_in fx_row_in(const struct fx_row *r);
/* Sends the packet of row r. */
void fx_send_row(struct fx *x, const struct fx_row *r);
void fx_start(struct fx *x, const char *name);
__u16 fx_port(void);
struct fx_in fx_flow(const char *src, const char *dst, __u8 proto, __u16 dport);
/* The flow key in stands for, as the data plane builds it. */
void fx_key_of(const struct fx_in *in, struct xlb_flow_key *k);
struct fx_in fx_tcp(const char *dst, __u16 dport);
struct fx_in fx_udp(const char *dst, __u16 dport);
/* A TCP (flags ACK|PSH) or UDP segment into l4. */
void fx_l4(struct pkt *l4, __u8 proto, __u16 sport, __u16 dport, __u32 paylen);
void fx_send(struct fx *x, const struct fx_in *in);
/* d made a datagram in fragments: identification id, an IPv6 fragment header. */
struct fx_in fx_dgram(struct fx_in d, __u16 id);
/* Sends d's first fragment (its L4 header and paylen bytes); its fragment field. */
__u16 fx_send_first(struct fx *x, const struct fx_in *d, __u32 paylen);
/* Sends a later fragment of d: len bytes at off, d's ports in x->key; its fragment field. */
__u16 fx_send_later(struct fx *x, const struct fx_in *d, __u32 off, __u32 len, bool more);
/*
 * Sends fragment k of d in three (0 first: its L4 header and d->paylen bytes; 1 middle: 64
 * bytes at 48; 2 last: 21 bytes at 112); its fragment field. FX_FRAG_WHAT[k] names it.
 */
__u16 fx_send_frag(struct fx *x, const struct fx_in *d, int k);
extern const char *const FX_FRAG_WHAT[3];
void fx_send_ip(struct fx *x, const struct ip_spec *s, const struct pkt *l4, __u8 nvlan,
		__u32 pad);
void fx_frame(struct pkt *f, const __u8 *dst, const __u8 *src, __u8 nvlan, __u8 family);

void fx_expect_pass(struct fx *x);
void fx_expect_drop(struct fx *x, int reason);
void fx_expect_fwd(struct fx *x, __u32 vip_id, bool new_flow);
void fx_encap_frame(struct fx *x, const struct env_vip *v, const struct env_be *b);
/* The frame of second-chance VIP v: GUE variant 0 to b naming second (NULL: no second hop). */
void fx_twohop_frame(struct fx *x, const struct env_vip *v, const struct env_be *b,
		     const struct env_be *second);
void fx_count_fwd(struct fx *x, __u32 vip_id, __u32 be_id, bool new_flow);
/* A packet of VIP vip_id, its flow found in the connection table (hit) or not. */
void fx_count_vip(struct fx *x, __u32 vip_id, bool hit);
/* The same for a new flow Maglev gave backend be_id (0: none), the packet then not sent. */
void fx_count_new_flow(struct fx *x, __u32 vip_id, __u32 be_id);
void fx_expect_too_big(struct fx *x, __u32 vip_id, __u32 be_id, __u32 mtu);
void fx_expect_echo(struct fx *x, const struct ip_spec *s, const struct pkt *l4);
/* Where a router's error goes and how much of the backend's packet it quotes. */
struct fx_quote {
	const char *to;
	__u32 quote;
};

void fx_quoted_as(struct fx *x, const char *vip, __u8 proto, __u16 vport, __u16 cport,
		  __u8 type, __u8 code, __u8 nvlan, const struct fx_quote *q);
void fx_quoted(struct fx *x, const char *vip, __u8 proto, __u16 vport, __u16 cport, __u8 type,
	       __u8 code, __u8 nvlan);
void fx_expect_icmp_fwd(struct fx *x, const struct env_vip *v, const struct env_be *b, bool hit);

#endif /* XLB_TEST_FX_H */
