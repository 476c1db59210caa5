/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The fixtures' world: the balancer's rodata values, MAC addresses, clients, and the VIPs and
 * backends the fixture table runs against, put into the maps through maps/xlb_maps.h.
 */
#ifndef XLB_TEST_ENV_H
#define XLB_TEST_ENV_H

#include <linux/types.h>
#include "harness.h"

#define LB_SRC4	  "198.18.0.1"
#define LB_SRC6	  "2001:db8::1"
#define LB_TTL	  64
#define LB_MTU	  1500
#define FX_TABLE  251 /* Maglev table size of the fixture balancer */
#define CLIENT4	  "192.0.2.10"
#define CLIENT6	  "2001:db8:1::10"
#define OTHER4	  "198.18.0.99" /* no VIP, no address entry */
#define OTHER6	  "2001:db8:100::99"
#define ROUTER4	  "192.0.2.254"
#define ROUTER6	  "2001:db8:1::fe"
#define V_ADDR_ID 23 /* id carried by address entries (never counted) */

extern const __u8 NEXT_HOP_MAC[6];
extern const __u8 LB_MAC[6];   /* the balancer's own (rodata): arriving frames go to it */
extern const __u8 PEER_MAC[6]; /* source of arriving frames */

/* The fixture VIPs, by id. */
enum {
	V_TCP4,	     /* 198.18.0.1:80/tcp ipip -> 198.19.0.1 */
	V_GUE4,	     /* 198.18.0.1:53/udp gue:6080 -> 198.19.0.2 */
	V_DR4,	     /* 198.18.0.2:80/tcp dr -> 198.19.0.3 */
	V_TCP6,	     /* [2001:db8:100::1]:80/tcp ipip -> 2001:db8:200::4 */
	V_GUE6,	     /* [2001:db8:100::1]:53/udp gue:6081 -> 2001:db8:200::5 */
	V_DR6,	     /* [2001:db8:100::2]:80/tcp dr -> 2001:db8:200::6 */
	V_4IN6,	     /* 198.18.0.3:443/tcp ipip -> 2001:db8:200::7 */
	V_ANY,	     /* 198.18.0.4:0/tcp ipip -> 198.19.0.8 (every port) */
	V_NOTABLE,   /* 198.18.0.5:80/tcp, no Maglev table */
	V_INACTIVE,  /* 198.18.0.6:80/tcp, table -> a backend without ACTIVE */
	V_6IN4,	     /* [2001:db8:100::1]:443/tcp ipip -> 198.19.0.11 */
	V_GUE4IN6,   /* 198.18.0.3:53/udp gue:6080 -> 2001:db8:200::12 */
	V_ANY_EXACT, /* 198.18.0.4:22/tcp dr -> 198.19.0.13 (beats the port-0 VIP) */
	V_NAT4,	     /* 198.18.0.11:80/tcp nat -> 198.19.0.14:8080 */
	V_NATU4,     /* 198.18.0.11:53/udp nat -> 198.19.0.15:5353 */
	V_NAT6,	     /* [2001:db8:100::3]:80/tcp nat -> [2001:db8:200::16]:8080 */
	V_NATU6,     /* [2001:db8:100::3]:53/udp nat -> 2001:db8:200::17 (port kept) */
	V_FIXTURES,
};

struct env_vip {
	__u32 id;
	const char *addr;
	__u16 port;
	__u8 proto;
	__u8 fwd;
	__u8 sched;
	__u16 gue_port;
	__u32 be; /* the backend every table slot names; 0: no table */
};

struct env_be {
	__u32 id;
	const char *addr;
	__u8 flags;
	__u32 gen;
	__u32 vip; /* the VIP it serves; 0: the fixture VIP whose table names it */
};

const struct env_vip *env_vip(__u32 id);
const struct env_be *env_be(__u32 id);
const __u16 *env_tags(int nvlan);
__be32 env_addr4(const char *s);
__u8 env_family(const char *addr);
void env_be_mac(__u32 id, __u8 mac[6]);
/* The port of nat backend id (its nat_port, host order); 0: it keeps the client's. */
__u16 env_be_port(__u32 id);
/* The key of VIP addr:port/proto (port and proto 0: the address entry). */
void env_vip_key(struct xlb_vip_key *k, const char *addr, __u16 port, __u8 proto);
int env_put_vip(const struct lb *lb, const struct env_vip *v);
/* The NAT timeouts every nat VIP gets (the defaults) into s, whose pool is left alone. */
void env_nat_timeouts(struct xlb_snat *s);
/* Address i (0 or 1) of the full NAT pool the fixtures give a VIP of family. */
const char *env_pool_addr(__u8 family, __u32 i);
/* Gives nat VIP vip_id the two-address pool of its family (on) or none. */
void env_set_pool(const struct lb *lb, __u32 vip_id, bool on);
/* The coarse clock the XDP program stamps xlb_nat entries with, in seconds. */
__u32 env_now_s(void);
int env_put_be(const struct lb *lb, const struct env_be *b);
/*
 * Swaps ids (size slots, marked in place) in as vip_id's table, its stable slots marked as
 * the library marks a rebuilt table: where the running table marks them and the first hop
 * stays; all of a first table, as before it no fixture sent a flow.
 */
int env_swap_table(const struct lb *lb, __u32 vip_id, __u32 *ids, __u32 size);
int env_fill_table(const struct lb *lb, __u32 vip_id, __u32 be_id, __u32 size);
int env_setup(const struct lb *lb);

#endif /* XLB_TEST_ENV_H */
