/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The pure half of xlbd's health checks: the HTTP request a check sends, the parser of the
 * status line it reads back, and the words for a check's outcome in logs. No sockets here;
 * checker.c drives them, tests/unit/test_checker.c tests them.
 */
#ifndef XLB_CHECKER_PROTO_H
#define XLB_CHECKER_PROTO_H

#include <stddef.h>
#include "model.h"

/* A failed HTTP check's code: this plus the status (as xlb_be_health's last_error keeps it). */
#define XLB_CHECK_ERR_HTTP 1000

/*
 * "GET path HTTP/1.0" with Host (host, or addr with its port unless 80) and Connection: close
 * into buf. Returns the request's length, or -ENOSPC when it does not fit.
 */
int xlb_http_request(char *buf, size_t len, const char *path, const char *host,
		     const struct xlb_addr *addr, __u16 port);

/*
 * The status code of the status line at the start of buf ("HTTP/1.1 200 OK\r\n"). Returns 0
 * with *status set, -EAGAIN when the len bytes so far are a valid beginning too short to tell,
 * or -EBADMSG when they cannot start a status line.
 */
int xlb_http_status_parse(const char *buf, size_t len, int *status);

/* 0 when status is within [min, max], otherwise XLB_CHECK_ERR_HTTP + status. */
int xlb_http_verdict(int status, int min, int max);

/* A failure code in words: "timeout", "HTTP 500", "connection refused". */
const char *xlb_check_err_str(int err, char *buf, size_t len);

#endif /* XLB_CHECKER_PROTO_H */
