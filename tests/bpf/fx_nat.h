/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Building NAT fixtures (issue 13): client packets of the nat VIPs, their backends' replies,
 * and what LVS-NAT and full NAT make of them and of ICMP errors about them, one builder for
 * both modes (cand: full NAT's pool candidate, or FXN_LVS). Included by cases_nat*.c and
 * cases_fnat.c.
 */
#ifndef XLB_TEST_FX_NAT_H
#define XLB_TEST_FX_NAT_H

#include "fx.h"

#define FXN_LVS (-1) /* cand of LVS-NAT: the client's source is kept */

/* ICMP headers: type, code, rest of header bytes 2-3. */
extern const __u8 FXN_PORT_UNREACH4[4];
extern const __u8 FXN_FRAG_NEEDED4[4]; /* next-hop MTU 1400 */
extern const __u8 FXN_PORT_UNREACH6[4];
extern const __u8 FXN_TOO_BIG6[4]; /* MTU 1280 */

/* A client packet of fixture VIP vip_id from a port no case used. */
struct fx_in fxn_client(__u32 vip_id, __u8 nvlan);
/* The port a reply of vip_id's backend comes from. */
__u16 fxn_be_port(__u32 vip_id);
/* One side of in's addresses (src, else dst) as text, into buf (INET6_ADDRSTRLEN bytes). */
const char *fxn_addr(const struct fx_in *in, bool src, char *buf);
/* Sends in once, unchecked (its flow and reply entry then exist); its verdict. */
int fxn_open(const struct lb *lb, const struct fx_in *in);
/* Candidate i of client packet in's flow: the pool address (text) and port. */
const char *fxn_cand(const struct fx_in *in, __u32 i, __u16 *port);
/* Where the backend sees in's flow come from: the client, or candidate cand (text in buf). */
const char *fxn_src(const struct fx_in *in, int cand, char *buf, __u16 *port);
/* The backend's reply to client packet in of vip_id: to the client, or to candidate cand. */
struct fx_in fxn_reply(const struct fx_in *in, __u32 vip_id, int cand);
/* Sets the UDP checksum of x's frame (and of the packet it was built from) to zero. */
void fxn_zero_udp_csum(struct fx *x, const struct fx_in *in);
/*
 * x's IP packet (in as sent) with source src:sport and destination dst:dport (NULL, 0: kept),
 * checksums computed afresh (a UDP zero checksum stays zero; in->ip.raw: the bytes after the
 * header kept, as a later fragment's), in a frame from the balancer's MAC to mac.
 */
void fxn_frame(struct fx *x, const struct fx_in *in, const char *src, __u16 sport,
	       const char *dst, __u16 dport, const __u8 *mac);
/* x: client packet in of vip_id leaves for its backend (from candidate cand). */
void fxn_expect_out(struct fx *x, const struct fx_in *in, __u32 vip_id, int cand, bool new_flow);
/* x leaves translated for the next hop as a reply. */
void fxn_count_reply(struct fx *x);
/* ICMP message hdr (type, code, rest in hdr[2..3]) quoting the first n bytes of ip. */
void fxn_icmp_msg(struct pkt *msg, const __u8 *hdr, const struct pkt *ip, __u32 n);
/*
 * A NAT flow's error: from (NULL: the client itself) to the VIP of client packet in (ICMP
 * header hdr), quoting the first n bytes of a reply of in's flow from VIP port vport. Its
 * outer header into e, the reply into got, the ICMP message into msg.
 */
void fxn_reply_error(const struct fx_in *in, __u16 vport, const __u8 *hdr, __u32 n,
		     const char *from, struct ip_spec *e, struct pkt *got, struct pkt *msg);

#endif /* XLB_TEST_FX_NAT_H */
