// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Next hop and interface addresses for `xlb attach`: parsers of /proc/net/route and
 * /proc/net/arp, the readers that feed them, and the interface's own addresses and MAC.
 */
#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include "netinfo.h"

int xlb_route_gateway_parse(const char *text, const char *dev, __be32 *gw)
{
	unsigned int dst, gateway, flags, mask;
	char ifname[64];
	const char *line;

	/* Fields are hex in host order; the first line is the header. */
	for (line = strchr(text, '\n'); line; line = strchr(line, '\n')) {
		line++;
		if (sscanf(line, "%63s %x %x %x %*d %*d %*d %x", ifname, &dst, &gateway, &flags,
			   &mask) != 5)
			continue;
		/* RTF_UP (1) and RTF_GATEWAY (2), destination 0/0. */
		if (!strcmp(ifname, dev) && !dst && !mask && (flags & 3) == 3) {
			*gw = gateway;
			return 0;
		}
	}
	return -ENOENT;
}

int xlb_arp_parse(const char *text, const char *dev, __be32 ip, __u8 mac[6])
{
	char addr[64], hw[64], ifname[64];
	unsigned int flags, m[6];
	struct in_addr in;
	const char *line;
	int i;

	for (line = strchr(text, '\n'); line; line = strchr(line, '\n')) {
		line++;
		if (sscanf(line, "%63s %*x %x %63s %*s %63s", addr, &flags, hw, ifname) != 4)
			continue;
		/* ATF_COM (2): the entry is complete. */
		if (strcmp(ifname, dev) || !(flags & 2) || inet_pton(AF_INET, addr, &in) != 1 ||
		    in.s_addr != ip)
			continue;
		if (sscanf(hw, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6)
			continue;
		for (i = 0; i < 6; i++)
			mac[i] = m[i];
		return 0;
	}
	return -ENOENT;
}

static char *read_text(const char *path)
{
	size_t len = 0, cap = 4096, n;
	char *buf = malloc(cap), *nbuf;
	FILE *f = fopen(path, "r");

	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len > 1)
			continue;
		nbuf = realloc(buf, cap * 2);
		if (!nbuf)
			break;
		buf = nbuf;
		cap *= 2;
	}
	buf[len] = '\0';
	fclose(f);
	return buf;
}

int xlb_next_hop_mac(const char *dev, __u8 mac[6])
{
	char *route, *arp;
	__be32 gw;
	int err;

	route = read_text("/proc/net/route");
	arp = read_text("/proc/net/arp");
	err = route && arp ? xlb_route_gateway_parse(route, dev, &gw) : -errno;
	if (!err)
		err = xlb_arp_parse(arp, dev, gw, mac);
	free(route);
	free(arp);
	return err;
}

int xlb_if_addrs(const char *dev, __be32 *v4, __be32 v6[4])
{
	struct ifaddrs *ifa, *i;
	struct in6_addr *a6;

	*v4 = 0;
	memset(v6, 0, 16);
	if (getifaddrs(&ifa))
		return -errno;
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || strcmp(i->ifa_name, dev))
			continue;
		if (i->ifa_addr->sa_family == AF_INET && !*v4)
			*v4 = ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr;
		a6 = &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
		if (i->ifa_addr->sa_family == AF_INET6 && !v6[0] && !IN6_IS_ADDR_LINKLOCAL(a6))
			memcpy(v6, a6, 16);
	}
	freeifaddrs(ifa);
	return 0;
}

/* One SIOCGIF* request about dev, answered in ifr. */
static int if_ioctl(const char *dev, unsigned long req, struct ifreq *ifr)
{
	int fd, err;

	if (strlen(dev) >= sizeof(ifr->ifr_name))
		return -EINVAL;
	strcpy(ifr->ifr_name, dev);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	err = ioctl(fd, req, ifr) ? -errno : 0;
	close(fd);
	return err;
}

int xlb_if_mac(const char *dev, __u8 mac[6])
{
	struct ifreq ifr = {};
	int err = if_ioctl(dev, SIOCGIFHWADDR, &ifr);

	/* The program parses Ethernet frames: an interface without an Ethernet MAC has none. */
	if (!err && ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER)
		err = -EAFNOSUPPORT;
	if (!err)
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return err;
}

int xlb_if_mtu(const char *dev, __u32 *mtu)
{
	struct ifreq ifr = {};
	int err = if_ioctl(dev, SIOCGIFMTU, &ifr);

	if (!err)
		*mtu = ifr.ifr_mtu;
	return err;
}
