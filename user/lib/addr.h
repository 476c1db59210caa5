/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * What xlb names, the base types every module builds on (an address, a VIP's name), and their
 * text forms: addresses, MACs, PROTO:ADDR:PORT VIP names, ADDR:PORT endpoints, bounded decimals
 * and the protocol, forwarding-mode and scheduler keywords. Pure; it imports only the ABI.
 */
#ifndef XLB_ADDR_H
#define XLB_ADDR_H

#include <linux/types.h>
#include <stddef.h>

#include "xlb_abi.h"

struct xlb_addr {
	__u8 family; /* XLB_FAM_V4 or XLB_FAM_V6 */
	__u8 pad[3];
	__be32 a[4]; /* IPv4 in a[0], the rest zero */
};

/* What names a VIP: PROTO:ADDR:PORT. */
struct xlb_vip_name {
	struct xlb_addr addr;
	__u16 port; /* host order; 0 = every port */
	__u8 proto; /* IPPROTO_TCP or IPPROTO_UDP */
	__u8 pad;
};

#define XLB_ADDR_STRLEN	    46 /* INET6_ADDRSTRLEN */
#define XLB_MAC_STRLEN	    18 /* xx:xx:xx:xx:xx:xx and the NUL */
#define XLB_VIP_NAME_STRLEN 64 /* udp:[ADDR6]:65535 and the NUL */

/* IPv4 dotted quad or IPv6 text into a; -EINVAL for anything else (a is then unchanged). */
int xlb_addr_parse(const char *s, struct xlb_addr *a);
/* buf, holding the address, or "?" for an unknown family or a buffer that is too short. */
const char *xlb_addr_str(const struct xlb_addr *a, char *buf, size_t len);
/* Orders by family, then by address bytes (numeric order); 0 when equal. */
int xlb_addr_cmp(const struct xlb_addr *a, const struct xlb_addr *b);
/*
 * NULL when a names one host; otherwise what it is instead ("the unspecified address", "the
 * broadcast address", "a multicast address"): 0.0.0.0, 255.255.255.255, 224.0.0.0/4, ::,
 * ff00::/8. A VIP or backend must be unicast.
 */
const char *xlb_addr_not_unicast(const struct xlb_addr *a);

/* Exactly six two-digit hex bytes joined by ':' (either case); -EINVAL otherwise. */
int xlb_mac_parse(const char *s, __u8 mac[6]);
/* buf, holding the MAC in lower case. */
const char *xlb_mac_str(const __u8 mac[6], char *buf, size_t len);
/* NULL for a unicast MAC; "all zeros" or "a multicast MAC" (broadcast included) otherwise. */
const char *xlb_mac_not_unicast(const __u8 mac[6]);

/*
 * PROTO:ADDR:PORT with proto "tcp" or "udp", an IPv6 address in brackets and a decimal port
 * 0-65535 (0 = every port): tcp:198.18.0.10:80, udp:[2001:db8::10]:53. Returns 0, -EINVAL, or
 * -ERANGE for a port over 65535; v is unchanged on error.
 */
int xlb_vip_name_parse(const char *s, struct xlb_vip_name *v);
/* buf, holding the name in the form xlb_vip_name_parse() takes. */
const char *xlb_vip_name_str(const struct xlb_vip_name *v, char *buf, size_t len);
/* Orders VIP names by (family, address, proto, port); 0 when they name the same VIP. */
int xlb_vip_name_cmp(const struct xlb_vip_name *a, const struct xlb_vip_name *b);
/* "PROTO SRC:SPORT -> DST:DPORT" (IPv6 addresses in brackets), ports in host order. */
#define XLB_FLOW_STRLEN 128
const char *xlb_flow_str(__u8 proto, const struct xlb_addr *src, __u16 sport,
			 const struct xlb_addr *dst, __u16 dport, char *buf, size_t len);
/* ADDR:PORT or [ADDR6]:PORT; errors as xlb_vip_name_parse(), outputs unchanged on error. */
int xlb_endpoint_parse(const char *s, struct xlb_addr *a, __u16 *port);

/*
 * A backend: ADDR, or ADDR:PORT ([ADDR6]:PORT) with a port 1-65535 (0 into port for ADDR).
 * 0 or -EINVAL; outputs unchanged on error.
 */
int xlb_be_addr_parse(const char *s, struct xlb_addr *a, __u16 *port);
#define XLB_BE_ADDR_STRLEN (XLB_ADDR_STRLEN + 8) /* [ADDR6]:65535 and the NUL */
/* buf, holding the backend as xlb_be_addr_parse() takes it: the address alone for port 0. */
const char *xlb_be_addr_str(const struct xlb_addr *a, __u16 port, char *buf, size_t len);

/* Decimal digits only (no sign, space or junk): -EINVAL; a value outside [min, max]: -ERANGE. */
int xlb_u32_parse(const char *s, __u32 min, __u32 max, __u32 *out);

/*
 * Keywords: "tcp"/"udp", "ipip"/"gue"/"dr"/"nat", "maglev"/"maglev-fast"/"source-hash".
 * Parsers: 0 or -EINVAL.
 */
int xlb_proto_parse(const char *s, __u8 *proto);
int xlb_forward_parse(const char *s, __u8 *forward);
int xlb_sched_parse(const char *s, __u8 *sched);
/* The keyword, or "?" for a value that has none. */
const char *xlb_proto_str(__u8 proto);
const char *xlb_forward_str(__u8 forward);
const char *xlb_sched_str(__u8 sched);

#endif /* XLB_ADDR_H */
