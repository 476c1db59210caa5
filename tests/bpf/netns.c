// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * A private network namespace with sockets for the second-chance fixtures (netns.h): lo up
 * and addresses over rtnetlink (the qemu guests of verifier-test have no ip(8)), and a SYN
 * cookie obtained with a raw socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "netns.h"

static int lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr))
		err = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!err && ioctl(fd, SIOCSIFFLAGS, &ifr))
		err = -errno;
	close(fd);
	return err;
}

int netns_enter(int *back)
{
	int err;

	*back = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*back < 0)
		return -errno;
	if (unshare(CLONE_NEWNET)) {
		err = -errno;
		close(*back);
		return err;
	}
	err = lo_up();
	if (err)
		netns_leave(*back);
	return err;
}

int netns_leave(int back)
{
	int err = setns(back, CLONE_NEWNET) ? -errno : 0;

	close(back);
	return err;
}

/* A sockaddr for addr:port, IPv4 or IPv6 by the text; its length, or 0 if addr is neither. */
static socklen_t sockaddr_of(const char *addr, __u16 port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		return sizeof(*s4);
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		return sizeof(*s6);
	}
	return 0;
}

int netns_addr(const char *addr)
{
	struct {
		struct nlmsghdr nh;
		struct ifaddrmsg ifa;
		struct rtattr rta;
		__u8 a[16];
	} req = {};
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct {
		struct nlmsghdr nh;
		struct nlmsgerr e;
	} ack;
	bool v4 = inet_pton(AF_INET, addr, req.a) == 1;
	int fd, err = 0;

	if (!v4 && inet_pton(AF_INET6, addr, req.a) != 1)
		return -EINVAL;
	req.rta.rta_type = IFA_LOCAL;
	req.rta.rta_len = RTA_LENGTH(v4 ? 4 : 16);
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifa)) + RTA_ALIGN(req.rta.rta_len);
	req.nh.nlmsg_type = RTM_NEWADDR;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	req.ifa.ifa_family = v4 ? AF_INET : AF_INET6;
	req.ifa.ifa_prefixlen = v4 ? 32 : 128;
	req.ifa.ifa_flags = IFA_F_NODAD;
	req.ifa.ifa_index = if_nametoindex("lo");
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    recv(fd, &ack, sizeof(ack), 0) < (ssize_t)sizeof(ack))
		err = -errno;
	else if (ack.nh.nlmsg_type == NLMSG_ERROR)
		err = ack.e.error;
	close(fd);
	return err;
}

int netns_listen(const char *addr, __u16 port)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(addr, port, &ss);
	int fd, err;

	if (!len)
		return -EINVAL;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 8)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int netns_connect(int lfd, const char *caddr, __u16 cport, const char *saddr, __u16 sport,
		  int fds[2])
{
	struct sockaddr_storage cs, ss;
	socklen_t clen = sockaddr_of(caddr, cport, &cs), slen = sockaddr_of(saddr, sport, &ss);
	int i, err;

	if (!clen || !slen)
		return -EINVAL;
	fds[1] = -1;
	fds[0] = socket(cs.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fds[0] < 0)
		return -errno;
	if (bind(fds[0], (struct sockaddr *)&cs, clen))
		goto close_client;
	/*
	 * The kernel adds an IPv6 address's local route from a work queue, even without DAD:
	 * until then connect() finds no route. 200 tries 5 ms apart give it a second.
	 */
	for (i = 0; connect(fds[0], (struct sockaddr *)&ss, slen); i++)
		if (errno != ENETUNREACH || i == 200 || usleep(5000))
			goto close_client;
	/* Over lo the handshake completes inside connect(); accept() then returns at once. */
	fds[1] = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fds[1] >= 0)
		return 0;
close_client:
	err = -errno;
	close(fds[0]);
	return err;
}

/* The TCP checksum of seg (len bytes) from src to dst, over the IPv4 pseudo header. */
static __u16 tcp4_csum(__be32 src, __be32 dst, const __u8 *seg, __u32 len)
{
	__u32 sum = 0, i;
	const __u8 *a = (const __u8 *)&src, *b = (const __u8 *)&dst;

	for (i = 0; i < 4; i += 2)
		sum += (a[i] << 8 | a[i + 1]) + (b[i] << 8 | b[i + 1]);
	sum += IPPROTO_TCP + len;
	for (i = 0; i + 1 < len; i += 2)
		sum += seg[i] << 8 | seg[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* Makes every listener of the namespace answer SYNs with cookies (tcp_syncookies = 2). */
static int cookies_always(void)
{
	int fd = open("/proc/sys/net/ipv4/tcp_syncookies", O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, "2", 1) != 1)
		err = -errno;
	close(fd);
	return err;
}

/* The seq of the SYN-ACK from saddr:sport to cport that raw socket fd receives. */
static int synack_seq(int fd, __be32 saddr, __u16 sport, __u16 cport, __u32 *seq)
{
	__u8 buf[256];
	ssize_t n;
	int i;

	/* Raw sockets see every TCP packet on lo, our SYN too: at most 16 looked at. */
	for (i = 0; i < 16; i++) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		if (n < 40 || (buf[0] & 0xf) != 5 || memcmp(buf + 12, &saddr, 4) ||
		    (buf[20] << 8 | buf[21]) != sport || (buf[22] << 8 | buf[23]) != cport ||
		    (buf[33] & 0x12) != 0x12)
			continue;
		*seq = (__u32)buf[24] << 24 | buf[25] << 16 | buf[26] << 8 | buf[27];
		return 0;
	}
	return -ENOMSG;
}

int netns_syn_cookie(const char *caddr, __u16 cport, const char *saddr, __u16 sport,
		     __u32 isn, __u32 *cookie)
{
	struct sockaddr_in c = { .sin_family = AF_INET }, s = { .sin_family = AF_INET };
	struct timeval tv = { .tv_sec = 2 };
	__u8 syn[20] = {};
	__u16 sum;
	int fd, err;

	if (inet_pton(AF_INET, caddr, &c.sin_addr) != 1 ||
	    inet_pton(AF_INET, saddr, &s.sin_addr) != 1)
		return -EINVAL;
	err = cookies_always();
	if (err)
		return err;
	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0)
		return -errno;
	syn[0] = cport >> 8, syn[1] = cport, syn[2] = sport >> 8, syn[3] = sport;
	syn[4] = isn >> 24, syn[5] = isn >> 16, syn[6] = isn >> 8, syn[7] = isn;
	syn[12] = 5 << 4, syn[13] = 0x02, syn[14] = 0xff, syn[15] = 0xff;
	sum = tcp4_csum(c.sin_addr.s_addr, s.sin_addr.s_addr, syn, sizeof(syn));
	syn[16] = sum >> 8, syn[17] = sum;
	if (bind(fd, (struct sockaddr *)&c, sizeof(c)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    sendto(fd, syn, sizeof(syn), 0, (struct sockaddr *)&s, sizeof(s)) < 0)
		err = -errno;
	if (!err)
		err = synack_seq(fd, s.sin_addr.s_addr, sport, cport, cookie);
	close(fd);
	return err;
}
