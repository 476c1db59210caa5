// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Parsing and formatting of addresses, MACs, VIP names, endpoints, bounded decimals and
 * keywords. Every parser is strict (the whole string, nothing around it) and leaves its output
 * untouched on error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"

struct keyword {
	__u8 val;
	const char *name;
};

static const struct keyword protos[] = {{IPPROTO_TCP, "tcp"}, {IPPROTO_UDP, "udp"}};
static const struct keyword forwards[] = {
    {XLB_FWD_IPIP, "ipip"}, {XLB_FWD_GUE, "gue"}, {XLB_FWD_DR, "dr"}, {XLB_FWD_NAT, "nat"}};
static const struct keyword scheds[] = {{XLB_SCHED_MAGLEV, "maglev"},
					{XLB_SCHED_SH, "source-hash"},
					{XLB_SCHED_MAGLEV_FAST, "maglev-fast"}};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int keyword_parse(const struct keyword *kw, size_t n, const char *s, __u8 *val)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(s, kw[i].name)) {
			*val = kw[i].val;
			return 0;
		}
	}
	return -EINVAL;
}

static const char *keyword_str(const struct keyword *kw, size_t n, __u8 val)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (kw[i].val == val)
			return kw[i].name;
	}
	return "?";
}

int xlb_proto_parse(const char *s, __u8 *proto)
{
	return keyword_parse(protos, ARRAY_SIZE(protos), s, proto);
}

int xlb_forward_parse(const char *s, __u8 *forward)
{
	return keyword_parse(forwards, ARRAY_SIZE(forwards), s, forward);
}

int xlb_sched_parse(const char *s, __u8 *sched)
{
	return keyword_parse(scheds, ARRAY_SIZE(scheds), s, sched);
}

const char *xlb_proto_str(__u8 proto)
{
	return keyword_str(protos, ARRAY_SIZE(protos), proto);
}

const char *xlb_forward_str(__u8 forward)
{
	return keyword_str(forwards, ARRAY_SIZE(forwards), forward);
}

const char *xlb_sched_str(__u8 sched)
{
	return keyword_str(scheds, ARRAY_SIZE(scheds), sched);
}

int xlb_addr_parse(const char *s, struct xlb_addr *a)
{
	struct xlb_addr p = {};

	if (inet_pton(AF_INET, s, p.a) == 1)
		p.family = XLB_FAM_V4;
	else if (inet_pton(AF_INET6, s, p.a) == 1)
		p.family = XLB_FAM_V6;
	else
		return -EINVAL;
	*a = p;
	return 0;
}

const char *xlb_addr_str(const struct xlb_addr *a, char *buf, size_t len)
{
	int af = a->family == XLB_FAM_V4 ? AF_INET : a->family == XLB_FAM_V6 ? AF_INET6 : -1;

	if (!inet_ntop(af, a->a, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

int xlb_addr_cmp(const struct xlb_addr *a, const struct xlb_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->a, b->a, sizeof(a->a));
}

const char *xlb_addr_not_unicast(const struct xlb_addr *a)
{
	const __u8 *b = (const __u8 *)a->a;

	if (a->family == XLB_FAM_V4) {
		if (a->a[0] == htonl(INADDR_ANY))
			return "the unspecified address";
		if (a->a[0] == htonl(INADDR_BROADCAST))
			return "the broadcast address";
		return (b[0] & 0xf0) == 0xe0 ? "a multicast address" : NULL;
	}
	if (a->family != XLB_FAM_V6)
		return NULL; /* no address to judge: the family is checked on its own */
	if (!(a->a[0] | a->a[1] | a->a[2] | a->a[3]))
		return "the unspecified address";
	return b[0] == 0xff ? "a multicast address" : NULL;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20; /* lower case */
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int xlb_mac_parse(const char *s, __u8 mac[6])
{
	__u8 m[6];
	int i, hi, lo;

	/* Each check stops before reading past a NUL. */
	for (i = 0; i < 6; i++, s += 3) {
		hi = hex_digit(s[0]);
		if (hi < 0)
			return -EINVAL;
		lo = hex_digit(s[1]);
		if (lo < 0 || s[2] != (i == 5 ? '\0' : ':'))
			return -EINVAL;
		m[i] = hi << 4 | lo;
	}
	memcpy(mac, m, sizeof(m));
	return 0;
}

const char *xlb_mac_str(const __u8 mac[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
	return buf;
}

const char *xlb_mac_not_unicast(const __u8 mac[6])
{
	if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return "all zeros";
	return mac[0] & 1 ? "a multicast MAC" : NULL; /* the I/G bit: a group address */
}

int xlb_u32_parse(const char *s, __u32 min, __u32 max, __u32 *out)
{
	__u64 v = 0;
	const char *p;

	if (!*s)
		return -EINVAL;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		if (v <= UINT32_MAX) /* once over, stays over: no wrap */
			v = v * 10 + (*p - '0');
	}
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int xlb_endpoint_parse(const char *s, struct xlb_addr *a, __u16 *port)
{
	bool bracket = *s == '[';
	const char *host = s + bracket, *end, *colon;
	char buf[XLB_ADDR_STRLEN];
	struct xlb_addr addr;
	__u32 p;
	int ret;

	end = strchr(host, bracket ? ']' : ':');
	if (!end || (size_t)(end - host) >= sizeof(buf))
		return -EINVAL;
	colon = bracket ? end + 1 : end;
	if (*colon != ':')
		return -EINVAL;
	memcpy(buf, host, end - host);
	buf[end - host] = '\0';
	ret = xlb_addr_parse(buf, &addr);
	if (ret)
		return ret;
	/* IPv6 only in brackets, so the port is never mistaken for a group of the address. */
	if ((addr.family == XLB_FAM_V6) != bracket)
		return -EINVAL;
	ret = xlb_u32_parse(colon + 1, 0, UINT16_MAX, &p);
	if (ret)
		return ret;
	*a = addr;
	*port = p;
	return 0;
}

int xlb_vip_name_parse(const char *s, struct xlb_vip_name *v)
{
	struct xlb_vip_name n = {};
	const char *colon = strchr(s, ':');
	char proto[4];
	int ret;

	if (!colon || (size_t)(colon - s) >= sizeof(proto))
		return -EINVAL;
	memcpy(proto, s, colon - s);
	proto[colon - s] = '\0';
	ret = xlb_proto_parse(proto, &n.proto);
	if (ret)
		return ret;
	ret = xlb_endpoint_parse(colon + 1, &n.addr, &n.port);
	if (ret)
		return ret;
	*v = n;
	return 0;
}

const char *xlb_vip_name_str(const struct xlb_vip_name *v, char *buf, size_t len)
{
	char addr[XLB_ADDR_STRLEN];
	bool v6 = v->addr.family == XLB_FAM_V6;

	snprintf(buf, len, "%s:%s%s%s:%u", xlb_proto_str(v->proto), v6 ? "[" : "",
		 xlb_addr_str(&v->addr, addr, sizeof(addr)), v6 ? "]" : "", v->port);
	return buf;
}

int xlb_vip_name_cmp(const struct xlb_vip_name *a, const struct xlb_vip_name *b)
{
	int d = xlb_addr_cmp(&a->addr, &b->addr);

	if (d)
		return d;
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	return (a->port > b->port) - (a->port < b->port);
}

/* ADDR:PORT, the address in brackets if IPv6. */
static const char *endpoint_str(const struct xlb_addr *a, __u16 port, char *buf, size_t len)
{
	char addr[XLB_ADDR_STRLEN];
	bool v6 = a->family == XLB_FAM_V6;

	snprintf(buf, len, "%s%s%s:%u", v6 ? "[" : "", xlb_addr_str(a, addr, sizeof(addr)),
		 v6 ? "]" : "", port);
	return buf;
}

int xlb_be_addr_parse(const char *s, struct xlb_addr *a, __u16 *port)
{
	struct xlb_addr addr;
	__u16 p = 0;

	if (xlb_addr_parse(s, &addr) && (xlb_endpoint_parse(s, &addr, &p) || !p))
		return -EINVAL;
	*a = addr;
	*port = p;
	return 0;
}

const char *xlb_be_addr_str(const struct xlb_addr *a, __u16 port, char *buf, size_t len)
{
	return port ? endpoint_str(a, port, buf, len) : xlb_addr_str(a, buf, len);
}

const char *xlb_flow_str(__u8 proto, const struct xlb_addr *src, __u16 sport,
			 const struct xlb_addr *dst, __u16 dport, char *buf, size_t len)
{
	char s[XLB_ADDR_STRLEN + 8], d[XLB_ADDR_STRLEN + 8];

	snprintf(buf, len, "%s %s -> %s", xlb_proto_str(proto),
		 endpoint_str(src, sport, s, sizeof(s)), endpoint_str(dst, dport, d, sizeof(d)));
	return buf;
}
