// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * httpstub: a tiny HTTP server for the daemon tests (tests/daemon/run.sh), standing in for a
 * real backend. It answers every request with one status and its own address in the body;
 * killing it is how a test takes a backend down, starting it again brings the backend back.
 *
 *   httpstub ADDR PORT STATUS
 *
 * One connection at a time: read the request head (up to a blank line, 1 s at most), answer,
 * close. Prints "listening on ADDR:PORT" on stdout once it accepts connections.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>

#define REQ_MAX 4096

static const char *reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 404:
		return "Not Found";
	case 500:
		return "Internal Server Error";
	case 503:
		return "Service Unavailable";
	}
	return "Status";
}

/* Reads until the end of the request head, the peer's end, an error or the timeout. */
static void read_head(int fd)
{
	char buf[REQ_MAX + 1];
	size_t len = 0;
	ssize_t n;

	while (len < REQ_MAX) {
		n = read(fd, buf + len, REQ_MAX - len);
		if (n <= 0)
			return;
		len += n;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
			return;
	}
}

static void answer(int fd, int status, const char *addr)
{
	char body[256], resp[512];
	int blen, rlen;

	blen = snprintf(body, sizeof(body), "%s\n", addr);
	rlen = snprintf(resp, sizeof(resp),
			"HTTP/1.0 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
			"Connection: close\r\n\r\n%s",
			status, reason(status), blen, body);
	/* A tcp check connects and resets at once: no SIGPIPE for writing to it. */
	if (send(fd, resp, rlen, MSG_NOSIGNAL) != rlen)
		return; /* the client went away: nothing to do */
}

static int listen_on(const char *addr, const char *port)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
				  .ai_socktype = SOCK_STREAM };
	struct addrinfo *ai;
	int fd, one = 1, err;

	err = getaddrinfo(addr, port, &hints, &ai);
	if (err) {
		fprintf(stderr, "httpstub: Couldn't parse '%s' port '%s': %s\n", addr, port,
			gai_strerror(err));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 64)) {
		fprintf(stderr, "httpstub: Couldn't listen on '%s' port '%s': %s\n", addr, port,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

int main(int argc, char **argv)
{
	struct timeval tv = { .tv_sec = 1 };
	int lfd, fd, status;
	char *end;

	if (argc != 4) {
		fprintf(stderr, "Usage: httpstub ADDR PORT STATUS\n");
		return 2;
	}
	status = strtol(argv[3], &end, 10);
	if (*end || status < 100 || status > 599) {
		fprintf(stderr, "httpstub: Invalid status '%s': 100-599\n", argv[3]);
		return 2;
	}
	lfd = listen_on(argv[1], argv[2]);
	if (lfd < 0)
		return 1;
	printf("listening on %s:%s\n", argv[1], argv[2]);
	fflush(stdout);
	for (;;) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			fprintf(stderr, "httpstub: Couldn't accept: %s\n", strerror(errno));
			return 1;
		}
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		read_head(fd);
		answer(fd, status, argv[1]);
		close(fd);
	}
}
