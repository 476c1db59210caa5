/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Real sockets for the decap program's second-chance fixtures: a private network namespace
 * (test runs of XDP programs look sockets up in the caller's namespace, through its lo),
 * addresses on its lo, and TCP listeners, established connections and SYN cookies on them.
 */
#ifndef XLB_TEST_NETNS_H
#define XLB_TEST_NETNS_H

#include <linux/types.h>

/* Enters a new network namespace with lo up; *back: the caller's, for netns_leave(). */
int netns_enter(int *back);
int netns_leave(int back);
/* Adds addr (IPv4 or IPv6, as a host address) to lo. */
int netns_addr(const char *addr);
/* A TCP listener on addr:port; returns its fd or a negative errno. */
int netns_listen(const char *addr, __u16 port);
/*
 * An established connection from caddr:cport to the listener lfd on saddr:sport; fds[0] is
 * the client's socket, fds[1] the accepted one. 0 or a negative errno.
 */
int netns_connect(int lfd, const char *caddr, __u16 cport, const char *saddr, __u16 sport,
		  int fds[2]);

/*
 * Has the namespace's listeners answer every SYN with a cookie, sends a SYN (sequence isn)
 * from caddr:cport to the IPv4 listener on saddr:sport from a raw socket, and returns the
 * cookie its SYN-ACK carries: an ACK of it is then a valid SYN-cookie ACK.
 */
int netns_syn_cookie(const char *caddr, __u16 cport, const char *saddr, __u16 sport,
		     __u32 isn, __u32 *cookie);

#endif /* XLB_TEST_NETNS_H */
