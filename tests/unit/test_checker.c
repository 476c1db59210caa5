// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Unit tests of xlbd's health checks: the HTTP request and status-line parser, the words for
 * outcomes, the schedule heap, and real checks against sockets on 127.0.0.1 (no root).
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>
#include "unit_main.h"
#include "capture.h"
#include "checker.h"
#include "checker_heap.h"
#include "checker_proto.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int parse(const char *s, int *status)
{
	return xlb_http_status_parse(s, strlen(s), status);
}

/* A status line parse refuses each of texts with ret and leaves the status alone. */
static void expect_refused(const char *const *texts, size_t n, int ret)
{
	size_t i;
	int st;

	for (i = 0; i < n; i++) {
		st = 0;
		assert_row_int(texts[i], parse(texts[i], &st), ret);
		assert_row_int(texts[i], st, 0);
	}
}

/* Status lines: parsed, too short to tell yet (-EAGAIN), or not HTTP's (-EBADMSG). */
static void test_status_line(void **state)
{
	static const struct {
		const char *text;
		int status;
	} good[] = {
	    {"HTTP/1.1 200 OK\r\nServer: x\r\n", 200},
	    {"HTTP/1.0 503 Service Unavailable\r\n", 503},
	    {"HTTP/1.0 404\r\n", 404}, /* empty reason phrase */
	    {"HTTP/2.0 101\n", 101},
	};
	static const char *const partial[] = {"", "HTT", "HTTP/1.1 20", "HTTP/1.1 200"};
	static const char *const bad[] = {
	    "SSH-2.0-OpenSSH\r\n", "http/1.1 200 OK\r\n", "HTTP/1.1 2x0 OK\r\n",
	    "HTTP/1.1  200 OK\r\n", "HTTP/1.1 2000 OK\r\n", "HTTP/1.1 600 Nope\r\n",
	    "HTTP/1.1 099 Nope\r\n", "HTTP/11 200 OK\r\n", "<html>", /* known bad before 13 bytes */
	};
	size_t i;
	int st;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		st = 0;
		assert_row_int(good[i].text, parse(good[i].text, &st), 0);
		assert_row_int(good[i].text, st, good[i].status);
	}
	expect_refused(partial, ARRAY_SIZE(partial), -EAGAIN);
	expect_refused(bad, ARRAY_SIZE(bad), -EBADMSG);
}

static void test_verdict_and_words(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(xlb_http_verdict(200, 200, 399), 0);
	assert_int_equal(xlb_http_verdict(399, 200, 399), 0);
	assert_int_equal(xlb_http_verdict(404, 200, 399), 1404);
	assert_int_equal(xlb_http_verdict(199, 200, 399), 1199);
	assert_string_equal(xlb_check_err_str(1500, buf, sizeof(buf)), "HTTP 500");
	assert_string_equal(xlb_check_err_str(ETIMEDOUT, buf, sizeof(buf)), "timeout");
	assert_string_equal(xlb_check_err_str(ECONNREFUSED, buf, sizeof(buf)),
			    "connection refused");
	assert_string_equal(xlb_check_err_str(EBADMSG, buf, sizeof(buf)), "not an HTTP response");
}

static void test_http_request(void **state)
{
	static const char want[] = "GET /health HTTP/1.0\r\nHost: 198.18.2.1\r\n"
				   "User-Agent: xlbd\r\nConnection: close\r\n\r\n";
	struct xlb_addr v4 = { .family = XLB_FAM_V4 }, v6 = { .family = XLB_FAM_V6 };
	char buf[256];

	(void)state;
	inet_pton(AF_INET, "198.18.2.1", v4.a);
	inet_pton(AF_INET6, "2001:db8::2", v6.a);
	assert_int_equal(xlb_http_request(buf, sizeof(buf), "/health", "", &v4, 80), strlen(want));
	assert_string_equal(buf, want);
	xlb_http_request(buf, sizeof(buf), "/", "", &v6, 8080);
	assert_non_null(strstr(buf, "\r\nHost: [2001:db8::2]:8080\r\n"));
	xlb_http_request(buf, sizeof(buf), "/", "www.example.com", &v6, 8080);
	assert_non_null(strstr(buf, "\r\nHost: www.example.com\r\n"));
	assert_int_equal(xlb_http_request(buf, 40, "/health", "", &v4, 80), -ENOSPC);
}

static void test_heap_order(void **state)
{
	static const __u64 when[] = { 50, 10, 40, 10, 30, 70, 20, 60 };
	struct xlb_heap_node n[8], *x;
	struct xlb_heap h = {};
	__u64 last = 0;
	int i;

	(void)state;
	for (i = 0; i < 8; i++) {
		n[i].when = when[i];
		assert_int_equal(xlb_heap_push(&h, &n[i]), 0);
	}
	n[5].when = 5; /* 70 moves to the front */
	xlb_heap_update(&h, &n[5]);
	assert_ptr_equal(xlb_heap_min(&h), &n[5]);
	xlb_heap_remove(&h, &n[2]); /* 40 goes */
	n[1].when = 45;		    /* 10 moves back */
	xlb_heap_update(&h, &n[1]);
	for (i = 0; (x = xlb_heap_min(&h)); i++) {
		assert_true(x->when >= last);
		assert_true(x != &n[2]);
		last = x->when;
		xlb_heap_remove(&h, x);
	}
	assert_int_equal(i, 7);
	assert_int_equal(last, 60);
	xlb_heap_free(&h);
}

/* Live checks: results collected by done(), and a one-connection server answering a request. */
struct results {
	int n;
	int err;
	char request[256];
};

static void done(void *ctx, __u32 id, int err)
{
	struct results *r = ctx;

	assert_int_equal(id, 3);
	r->n++;
	r->err = err;
}

static int listener(struct xlb_addr *a, __u16 *port, bool keep)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) };
	socklen_t sl = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	assert_int_equal(listen(fd, 8), 0);
	a->family = XLB_FAM_V4;
	a->a[0] = sin.sin_addr.s_addr;
	*port = ntohs(sin.sin_port);
	if (keep)
		return fd;
	close(fd); /* nothing listens on that port any more */
	return -1;
}

/* Runs the checker until one result or 10 s; answers one HTTP request with reply if given. */
static void run_until_result(struct xlb_checker *c, struct results *r, int lfd, const char *reply)
{
	struct pollfd p[3] = { { .fd = xlb_checker_fd(c), .events = POLLIN },
			       { .fd = reply ? lfd : -1, .events = POLLIN },
			       { .fd = -1, .events = POLLIN } };
	time_t end = time(NULL) + 10;
	ssize_t n;

	while (!r->n && time(NULL) < end) {
		assert_true(poll(p, 3, 100) >= 0);
		if (p[0].revents)
			xlb_checker_run(c);
		if (p[1].revents & POLLIN) {
			p[2].fd = accept(lfd, NULL, NULL);
			p[1].fd = -1;
		}
		if (p[2].fd >= 0 && (p[2].revents & POLLIN)) {
			n = read(p[2].fd, r->request, sizeof(r->request) - 1);
			assert_true(n > 0);
			assert_int_equal(write(p[2].fd, reply, strlen(reply)), (ssize_t)strlen(reply));
			close(p[2].fd);
			p[2].fd = -1;
		}
	}
	if (p[2].fd >= 0)
		close(p[2].fd);
}

static void check_once(struct xlb_check_target *t, struct results *r, int lfd, const char *reply)
{
	struct xlb_checker *c;

	t->interval_ms = 500;
	/*
	 * Generous: a check that passes ends at once, and the sanitizer tier runs this at idle
	 * priority beside the CLI suite, where it may wait for a core.
	 */
	if (!t->timeout_ms)
		t->timeout_ms = 2000;
	assert_int_equal(xlb_checker_new(8, done, r, &c), 0);
	assert_int_equal(xlb_checker_set(c, 8, t), -EINVAL);
	assert_int_equal(xlb_checker_set(c, 3, t), 0);
	run_until_result(c, r, lfd, reply);
	xlb_checker_free(c);
	assert_int_equal(r->n, 1);
}

static void test_tcp_connect(void **state)
{
	struct xlb_check_target t = { .check = XLB_CHECK_TCP };
	struct results r = {};
	int lfd = listener(&t.addr, &t.port, true);

	(void)state;
	check_once(&t, &r, lfd, NULL);
	assert_int_equal(r.err, 0);
	close(lfd);
}

static void test_tcp_refused(void **state)
{
	struct xlb_check_target t = { .check = XLB_CHECK_TCP };
	struct results r = {};

	(void)state;
	listener(&t.addr, &t.port, false);
	check_once(&t, &r, -1, NULL);
	assert_int_equal(r.err, ECONNREFUSED);
}

static void test_http_status(void **state)
{
	struct xlb_check_target t = { .check = XLB_CHECK_HTTP, .status_min = 200,
				      .status_max = 399, .path = "/health" };
	struct results r = {};
	int lfd = listener(&t.addr, &t.port, true);

	(void)state;
	check_once(&t, &r, lfd, "HTTP/1.0 503 Service Unavailable\r\n\r\n");
	assert_int_equal(r.err, 1503);
	assert_true(!strncmp(r.request, "GET /health HTTP/1.0\r\nHost: 127.0.0.1:", 38));
	assert_non_null(strstr(r.request, "\r\nConnection: close\r\n\r\n"));
	memset(&r, 0, sizeof(r));
	check_once(&t, &r, lfd, "HTTP/1.1 204 No Content\r\n\r\n");
	assert_int_equal(r.err, 0);
	memset(&r, 0, sizeof(r));
	check_once(&t, &r, lfd, "SSH-2.0-OpenSSH_9.2\r\n");
	assert_int_equal(r.err, EBADMSG);
	close(lfd);
}

/* A listener that never answers: the connect succeeds (backlog), the response never comes. */
static void test_http_timeout(void **state)
{
	struct xlb_check_target t = { .check = XLB_CHECK_HTTP, .status_min = 200,
				      .status_max = 399, .path = "/", .timeout_ms = 100 };
	struct results r = {};
	int lfd = listener(&t.addr, &t.port, true);

	(void)state;
	check_once(&t, &r, -1, NULL);
	assert_int_equal(r.err, ETIMEDOUT);
	close(lfd);
}

XLB_UNIT_MAIN(test_status_line, test_verdict_and_words, test_http_request, test_heap_order,
	      test_tcp_connect, test_tcp_refused, test_http_status, test_http_timeout)
