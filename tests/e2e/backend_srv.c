// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The real server of an end-to-end backend: HTTP (GET answers with the backend's name, POST
 * with the name and the number of body bytes received, GET /bytes/N with N bytes whose first
 * line is the name, GET /healthz with "ok"), a TCP line echo and a UDP echo, all
 * on IPv4 and IPv6 wildcards so every VIP bound to lo is served. UDP replies leave from the
 * address the datagram was sent to (the VIP), as direct server return needs.
 * Usage: backend_srv NAME [-p HTTP_PORT] [-e ECHO_PORT] [-u UDP_PORT]
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define REQ_MAX 8192

static const char *name;

enum srv_kind { SRV_HTTP, SRV_ECHO };

struct conn {
	int fd;
	enum srv_kind kind;
};

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

/* Bytes of a request already read past its headers are in buf[0..have). */
static long long drain_body(int fd, long long want, size_t have)
{
	char buf[65536];
	long long got = have;
	ssize_t n;

	while (got < want) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += n;
	}
	return got;
}

static const char *header(const char *req, const char *key)
{
	const char *p = req;
	size_t klen = strlen(key);

	while ((p = strstr(p, "\r\n"))) {
		p += 2;
		if (!strncasecmp(p, key, klen) && p[klen] == ':')
			return p + klen + 1;
	}
	return NULL;
}

/* The answer to GET /bytes/N: N bytes, the first line the backend's name, then 'x's. */
static int send_bytes(int fd, long long n, int keep)
{
	static char pad[65536];
	char head[256];
	int len;

	if (!pad[0])
		memset(pad, 'x', sizeof(pad));
	len = snprintf(head, sizeof(head),
		       "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %lld\r\n"
		       "Connection: %s\r\n\r\n%s\n",
		       n, keep ? "keep-alive" : "close", name);
	n -= strlen(name) + 1;
	if (n < 0 || write_all(fd, head, len))
		return 0;
	while (n > 0) {
		len = n > (long long)sizeof(pad) ? (int)sizeof(pad) : (int)n;
		if (write_all(fd, pad, len))
			return 0;
		n -= len;
	}
	return keep;
}

/* One request and its answer; returns 1 to keep the connection, 0 to close it. */
static int http_one(int fd, char *buf, size_t *have)
{
	char resp[512], body[128];
	long long clen = 0, got, big = 0;
	const char *v, *end;
	int keep, blen, health, post;
	size_t hlen, rest;
	ssize_t n;

	while (!(end = memmem(buf, *have, "\r\n\r\n", 4))) {
		if (*have >= REQ_MAX - 1)
			return 0;
		n = recv(fd, buf + *have, REQ_MAX - 1 - *have, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		*have += n;
	}
	hlen = end + 4 - buf;
	buf[hlen - 2] = '\0';
	v = header(buf, "Content-Length");
	if (v)
		clen = strtoll(v, NULL, 10);
	v = header(buf, "Connection");
	keep = !(v && strcasestr(v, "close")) && !strstr(buf, "HTTP/1.0");
	health = !strncmp(buf, "GET /healthz ", 13);
	post = !strncmp(buf, "POST ", 5);
	if (!strncmp(buf, "GET /bytes/", 11))
		big = strtoll(buf + 11, NULL, 10);
	rest = *have - hlen;
	if ((long long)rest > clen)
		rest = clen;
	got = drain_body(fd, clen, rest);
	if (got < 0)
		return 0;
	memmove(buf, buf + hlen + rest, *have - hlen - rest);
	*have -= hlen + rest;
	if (big > 0)
		return send_bytes(fd, big, keep);
	if (health)
		blen = snprintf(body, sizeof(body), "ok\n");
	else if (post)
		blen = snprintf(body, sizeof(body), "%s %lld\n", name, got);
	else
		blen = snprintf(body, sizeof(body), "%s\n", name);
	snprintf(resp, sizeof(resp),
		 "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
		 "Connection: %s\r\n\r\n%s",
		 blen, keep ? "keep-alive" : "close", body);
	if (write_all(fd, resp, strlen(resp)))
		return 0;
	return keep;
}

/* TCP line echo: every line comes back as "NAME line". */
static void echo_conn(int fd)
{
	char in[4096], out[4200];
	size_t have = 0, len;
	char *nl;
	ssize_t n;

	for (;;) {
		n = recv(fd, in + have, sizeof(in) - 1 - have, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		have += n;
		while ((nl = memchr(in, '\n', have))) {
			len = nl - in;
			snprintf(out, sizeof(out), "%s %.*s\n", name, (int)len, in);
			if (write_all(fd, out, strlen(out)))
				return;
			memmove(in, nl + 1, have - len - 1);
			have -= len + 1;
		}
		if (have == sizeof(in) - 1)
			return;
	}
}

static void *conn_main(void *arg)
{
	struct conn *c = arg;
	char *buf;
	size_t have = 0;

	if (c->kind == SRV_ECHO) {
		echo_conn(c->fd);
	} else {
		buf = malloc(REQ_MAX);
		while (buf && http_one(c->fd, buf, &have))
			;
		free(buf);
	}
	close(c->fd);
	free(c);
	return NULL;
}

struct listener {
	int fd;
	enum srv_kind kind;
};

static void *accept_main(void *arg)
{
	struct listener *l = arg;
	pthread_attr_t attr;
	struct conn *c;
	pthread_t t;
	int fd;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	for (;;) {
		fd = accept(l->fd, NULL, NULL);
		if (fd < 0)
			continue;
		c = malloc(sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->kind = l->kind;
		if (pthread_create(&t, &attr, conn_main, c)) {
			close(fd);
			free(c);
		}
	}
	return NULL;
}

/*
 * Turns the IP_PKTINFO/IPV6_PKTINFO a datagram arrived with into the one its reply is sent
 * with: the same local address as source, and routing free to pick the interface.
 */
static void reply_from_dst(struct msghdr *m)
{
	struct cmsghdr *cm;
	struct in_pktinfo *pi;
	struct in6_pktinfo *pi6;

	for (cm = CMSG_FIRSTHDR(m); cm; cm = CMSG_NXTHDR(m, cm)) {
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
			pi = (void *)CMSG_DATA(cm);
			pi->ipi_ifindex = 0;
		} else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO) {
			pi6 = (void *)CMSG_DATA(cm);
			pi6->ipi6_ifindex = 0;
		}
	}
}

/* UDP echo, "NAME payload", sent from the address the datagram came to. */
static void *udp_main(void *arg)
{
	int fd = *(int *)arg;
	char in[9216], out[9216 + 64]; /* the tests' largest datagram is 9000 bytes */
	char cbuf[256];
	struct sockaddr_storage peer;
	struct iovec iov;
	struct msghdr m;
	ssize_t n;
	int len;

	for (;;) {
		iov.iov_base = in;
		iov.iov_len = sizeof(in);
		memset(&m, 0, sizeof(m));
		m.msg_name = &peer;
		m.msg_namelen = sizeof(peer);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = cbuf;
		m.msg_controllen = sizeof(cbuf);
		n = recvmsg(fd, &m, 0);
		if (n < 0)
			continue;
		len = snprintf(out, sizeof(out), "%s %.*s", name, (int)n, in);
		iov.iov_base = out;
		iov.iov_len = len;
		reply_from_dst(&m);
		sendmsg(fd, &m, 0);
	}
	return NULL;
}

static int listen_on(int family, int type, int port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd, one = 1;

	fd = socket(family, type, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		if (type == SOCK_DGRAM)
			setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one));
	} else if (type == SOCK_DGRAM) {
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	}
	if (family == AF_INET6 ? bind(fd, (void *)&a6, sizeof(a6)) : bind(fd, (void *)&a4, sizeof(a4)))
		goto close_fd;
	if (type == SOCK_STREAM && listen(fd, 1024))
		goto close_fd;
	return fd;
close_fd:
	close(fd);
	return -1;
}

int main(int argc, char **argv)
{
	static struct listener ls[4];
	static int ufd[2];
	int http = 80, echo = 7, udp = 7, fams[2] = { AF_INET, AF_INET6 };
	pthread_t t;
	int c, i;

	while ((c = getopt(argc, argv, "p:e:u:")) != -1) {
		switch (c) {
		case 'p':
			http = atoi(optarg);
			break;
		case 'e':
			echo = atoi(optarg);
			break;
		case 'u':
			udp = atoi(optarg);
			break;
		default:
			fprintf(stderr, "Usage: backend_srv NAME [-p HTTP_PORT] [-e ECHO_PORT] "
					"[-u UDP_PORT]\n");
			return 64;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "Usage: backend_srv NAME [-p HTTP_PORT] [-e ECHO_PORT] [-u UDP_PORT]\n");
		return 64;
	}
	name = argv[optind];
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < 2; i++) {
		ls[2 * i] = (struct listener){ listen_on(fams[i], SOCK_STREAM, http), SRV_HTTP };
		ls[2 * i + 1] = (struct listener){ listen_on(fams[i], SOCK_STREAM, echo), SRV_ECHO };
		ufd[i] = listen_on(fams[i], SOCK_DGRAM, udp);
		if (ls[2 * i].fd < 0 || ls[2 * i + 1].fd < 0 || ufd[i] < 0) {
			fprintf(stderr, "Couldn't listen on port %d/%d/%d: %s\n", http, echo, udp,
				strerror(errno));
			return 71;
		}
	}
	for (i = 0; i < 4; i++)
		if (pthread_create(&t, NULL, accept_main, &ls[i]))
			return 71;
	for (i = 0; i < 2; i++)
		if (pthread_create(&t, NULL, udp_main, &ufd[i]))
			return 71;
	printf("%s listening: http %d, echo %d, udp %d\n", name, http, echo, udp);
	fflush(stdout);
	pause();
	return 0;
}
