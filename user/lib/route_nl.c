// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * VIP routes over a raw NETLINK_ROUTE socket: building and parsing the route messages (pure),
 * and one short-lived socket per request, dump or change, that waits for the kernel's answer.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>
#include "route_nl.h"

#define RECV_BUF 16384

bool xlb_route_table_ok(__u32 table)
{
	return table >= 1 && table <= XLB_ROUTE_TABLE_MAX && table != RT_TABLE_DEFAULT &&
	       table != RT_TABLE_MAIN && table != RT_TABLE_LOCAL;
}

static void put_attr(struct nlmsghdr *h, __u16 type, const void *data, size_t len)
{
	struct rtattr *rta = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

size_t xlb_rtnl_build(void *buf, bool add, __u32 table, const struct xlb_addr *a, __u32 seq)
{
	struct nlmsghdr *h = buf;
	struct rtmsg *rt;
	bool v4 = a->family == XLB_FAM_V4;

	memset(buf, 0, XLB_RTNL_MSG_MAX);
	h->nlmsg_len = NLMSG_LENGTH(sizeof(*rt));
	h->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	h->nlmsg_seq = seq;
	rt = NLMSG_DATA(h);
	rt->rtm_family = v4 ? AF_INET : AF_INET6;
	rt->rtm_dst_len = v4 ? 32 : 128;
	rt->rtm_table = table < 256 ? table : RT_TABLE_UNSPEC;
	rt->rtm_protocol = XLB_RTPROT;
	rt->rtm_scope = RT_SCOPE_UNIVERSE;
	rt->rtm_type = RTN_BLACKHOLE;
	put_attr(h, RTA_DST, a->a, v4 ? 4 : 16);
	put_attr(h, RTA_TABLE, &table, sizeof(table));
	return h->nlmsg_len;
}

bool xlb_rtnl_parse(const struct nlmsghdr *h, __u32 table, struct xlb_addr *a)
{
	const struct rtmsg *rt = NLMSG_DATA(h);
	int len = (int)h->nlmsg_len - NLMSG_LENGTH(sizeof(*rt));
	const struct rtattr *rta = RTM_RTA(rt);
	__u32 rt_table = rt->rtm_table;
	bool dst = false;

	if (h->nlmsg_type != RTM_NEWROUTE || len < 0 || rt->rtm_protocol != XLB_RTPROT ||
	    rt->rtm_type != RTN_BLACKHOLE)
		return false;
	if ((rt->rtm_family != AF_INET || rt->rtm_dst_len != 32) &&
	    (rt->rtm_family != AF_INET6 || rt->rtm_dst_len != 128))
		return false;
	memset(a, 0, sizeof(*a));
	a->family = rt->rtm_family == AF_INET ? XLB_FAM_V4 : XLB_FAM_V6;
	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == RTA_TABLE && RTA_PAYLOAD(rta) == sizeof(__u32))
			memcpy(&rt_table, RTA_DATA(rta), sizeof(rt_table));
		if (rta->rta_type == RTA_DST &&
		    RTA_PAYLOAD(rta) == (a->family == XLB_FAM_V4 ? 4u : 16u)) {
			memcpy(a->a, RTA_DATA(rta), RTA_PAYLOAD(rta));
			dst = true;
		}
	}
	return dst && rt_table == table;
}

static int nl_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	return fd < 0 ? -errno : fd;
}

/* Sends one request and reads until its ack (0 or the kernel's -errno). */
static int nl_change(const void *msg, size_t len)
{
	char buf[RECV_BUF] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *h;
	int fd, err = -EIO;
	ssize_t n;

	fd = nl_open();
	if (fd < 0)
		return fd;
	if (send(fd, msg, len, 0) < 0) {
		err = -errno;
		goto close_fd;
	}
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0)
		err = -errno;
	for (h = (struct nlmsghdr *)buf; n > 0 && NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n))
		if (h->nlmsg_type == NLMSG_ERROR)
			err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
close_fd:
	close(fd);
	return err;
}

int xlb_route_publish(__u32 table, const struct xlb_addr *a)
{
	char msg[XLB_RTNL_MSG_MAX];

	return nl_change(msg, xlb_rtnl_build(msg, true, table, a, 1));
}

int xlb_route_withdraw(__u32 table, const struct xlb_addr *a)
{
	char msg[XLB_RTNL_MSG_MAX];
	int err = nl_change(msg, xlb_rtnl_build(msg, false, table, a, 1));

	return err == -ESRCH || err == -ENOENT ? 0 : err;
}

/* Reads one batch of a dump into out; 1 when the dump is done, 0 for more, -errno. */
static int dump_batch(int fd, __u32 table, struct xlb_addr *out, size_t max, size_t *n)
{
	char buf[RECV_BUF] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *h;
	ssize_t got = recv(fd, buf, sizeof(buf), 0), len = got;

	if (got < 0)
		return -errno;
	for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len); h = NLMSG_NEXT(h, len)) {
		if (h->nlmsg_type == NLMSG_DONE)
			return 1;
		if (h->nlmsg_type == NLMSG_ERROR)
			return ((struct nlmsgerr *)NLMSG_DATA(h))->error ?: -EIO;
		if (*n < max && xlb_rtnl_parse(h, table, &out[*n]))
			(*n)++;
	}
	return got ? 0 : -EIO;
}

int xlb_route_list(__u32 table, struct xlb_addr *out, size_t max)
{
	struct {
		struct nlmsghdr h;
		struct rtmsg rt;
	} req = {.h = {.nlmsg_len = sizeof(req),
		       .nlmsg_type = RTM_GETROUTE,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		       .nlmsg_seq = 1}};
	size_t n = 0;
	int fd, err = 0;

	fd = nl_open();
	if (fd < 0)
		return fd;
	if (send(fd, &req, sizeof(req), 0) < 0)
		err = -errno;
	while (!err)
		err = dump_batch(fd, table, out, max, &n);
	close(fd);
	return err < 0 ? err : (int)n;
}
