// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * httpflood: hostile HTTP clients for the daemon tests (tests/daemon/flood.sh), all at once
 * from one process with non-blocking sockets.
 *
 *   httpflood burst ADDR PORT N          N connections at once, each sends a GET and closes
 *   httpflood slow ADDR PORT N SRC SECS  N connections from SRC, each sends a header line
 *                                        every 2 s for SECS seconds, never ending the head
 *
 * burst prints "sent S of N" (S the connections that got their GET out within 10 s); slow
 * prints "open K of N" at the end: the connections the server had not closed.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/resource.h>
#include <sys/socket.h>

#define MAX_CLIENTS   4096
#define BURST_WAIT_MS 10000
#define TRICKLE_S     2

static const char get_req[] = "GET /metrics HTTP/1.1\r\nHost: xlbd\r\n\r\n";

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* A non-blocking socket connecting to dst from src (NULL: any); -1 on failure. */
static int start_connect(const struct sockaddr_in *dst, const char *src)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -1;
	if (src && (inet_pton(AF_INET, src, &sa.sin_addr) != 1 ||
		    bind(fd, (struct sockaddr *)&sa, sizeof(sa)))) {
		close(fd);
		return -1;
	}
	if (connect(fd, (const struct sockaddr *)dst, sizeof(*dst)) && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Whether fd's connection completed (it is writable and has no error). */
static int connected(int fd)
{
	socklen_t len = sizeof(int);
	int err = 0;

	return !getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) && !err;
}

/* Every connection sends its GET once connected and closes; the count that did. */
static int burst(const struct sockaddr_in *dst, int n, struct pollfd *p)
{
	long long end = now_ms() + BURST_WAIT_MS;
	int i, left = 0, sent = 0;

	for (i = 0; i < n; i++) {
		p[i].fd = start_connect(dst, NULL);
		p[i].events = POLLOUT;
		left += p[i].fd >= 0;
	}
	while (left && now_ms() < end) {
		if (poll(p, n, 100) < 0)
			break;
		for (i = 0; i < n; i++) {
			if (p[i].fd < 0 || !p[i].revents)
				continue;
			if (connected(p[i].fd) &&
			    send(p[i].fd, get_req, sizeof(get_req) - 1, MSG_NOSIGNAL) > 0)
				sent++;
			close(p[i].fd);
			p[i].fd = -1;
			left--;
		}
	}
	for (i = 0; i < n; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	printf("sent %d of %d\n", sent, n);
	return 0;
}

/* Whether the server ended fd: it answered (an error, as the head never ends), or closed. */
static int closed_by_peer(int fd)
{
	char c;
	ssize_t r = recv(fd, &c, 1, MSG_DONTWAIT);

	return r >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
}

/* Each connection sends a request line, then one header line every TRICKLE_S seconds. */
static int slow(const struct sockaddr_in *dst, int n, const char *src, int secs, struct pollfd *p)
{
	long long end = now_ms() + secs * 1000LL;
	char line[64];
	int i, k, open = 0;

	for (i = 0; i < n; i++)
		p[i].fd = start_connect(dst, src);
	for (k = 0; now_ms() < end; k++) {
		snprintf(line, sizeof(line), k ? "X-Slow-%d: %d\r\n" : "GET / HTTP/1.1\r\n", k, k);
		for (i = 0; i < n; i++)
			if (p[i].fd >= 0 && (closed_by_peer(p[i].fd) ||
					     send(p[i].fd, line, strlen(line), MSG_NOSIGNAL) < 0)) {
				close(p[i].fd);
				p[i].fd = -1;
			}
		sleep(TRICKLE_S);
	}
	for (i = 0; i < n; i++) {
		if (p[i].fd >= 0 && !closed_by_peer(p[i].fd))
			open++;
		if (p[i].fd >= 0)
			close(p[i].fd);
	}
	printf("open %d of %d\n", open, n);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in dst = {.sin_family = AF_INET};
	struct rlimit rl;
	struct pollfd *p;
	int n, ret;

	if (argc < 5 || (strcmp(argv[1], "burst") && strcmp(argv[1], "slow")) ||
	    (!strcmp(argv[1], "slow") && argc != 7) ||
	    inet_pton(AF_INET, argv[2], &dst.sin_addr) != 1) {
		fprintf(stderr, "usage: httpflood burst ADDR PORT N | slow ADDR PORT N SRC SECS\n");
		return 2;
	}
	dst.sin_port = htons(atoi(argv[3]));
	n = atoi(argv[4]);
	if (n < 1 || n > MAX_CLIENTS) {
		fprintf(stderr, "httpflood: N must be 1-%d\n", MAX_CLIENTS);
		return 2;
	}
	/* Room for every client's socket. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < (rlim_t)n + 16) {
		rl.rlim_cur = rl.rlim_max < (rlim_t)n + 16 ? rl.rlim_max : (rlim_t)n + 16;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	p = calloc(n, sizeof(*p));
	if (!p)
		return 1;
	if (!strcmp(argv[1], "burst"))
		ret = burst(&dst, n, p);
	else
		ret = slow(&dst, n, argv[5], atoi(argv[6]), p);
	free(p);
	return ret;
}
