// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * A private network namespace with sockets for the second-chance fixtures (netns.h): lo up
 * and addresses over rtnetlink (the qemu guests of verifier-test have no ip(8)).
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
