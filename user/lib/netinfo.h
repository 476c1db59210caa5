/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * What `xlb attach` learns from the kernel when it is not told: the next hop's MAC (the
 * default gateway's neighbour entry) and the interface's own addresses and MAC. The parsers of the
 * /proc text are pure and unit-tested; the readers feed them.
 */
#ifndef XLB_NETINFO_H
#define XLB_NETINFO_H

#include <linux/types.h>

/* From /proc/net/route text: the IPv4 default gateway via dev; -ENOENT if none. */
int xlb_route_gateway_parse(const char *text, const char *dev, __be32 *gw);
/* From /proc/net/arp text: the complete neighbour entry of ip on dev; -ENOENT if none. */
int xlb_arp_parse(const char *text, const char *dev, __be32 ip, __u8 mac[6]);

/* The MAC of dev's default gateway, from the two files above. */
int xlb_next_hop_mac(const char *dev, __u8 mac[6]);
/* dev's first IPv4 address and first global IPv6 address (zero where it has none). */
int xlb_if_addrs(const char *dev, __be32 *v4, __be32 v6[4]);
/* dev's own MAC; -EAFNOSUPPORT if dev is not an Ethernet device. */
int xlb_if_mac(const char *dev, __u8 mac[6]);
/* dev's MTU. */
int xlb_if_mtu(const char *dev, __u32 *mtu);

#endif /* XLB_NETINFO_H */
