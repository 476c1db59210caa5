// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * HTTP health-check requests and status lines, and the words for check outcomes. Pure.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "addr.h"
#include "checker_proto.h"

int xlb_http_request(char *buf, size_t len, const char *path, const char *host,
		     const struct xlb_addr *addr, __u16 port)
{
	char a[XLB_ADDR_STRLEN], h[XLB_ADDR_STRLEN + 8];
	bool v6 = addr->family == XLB_FAM_V6;
	int n;

	if (host[0])
		snprintf(h, sizeof(h), "%s", host);
	else if (port == 80)
		snprintf(h, sizeof(h), v6 ? "[%s]" : "%s", xlb_addr_str(addr, a, sizeof(a)));
	else
		snprintf(h, sizeof(h), v6 ? "[%s]:%u" : "%s:%u", xlb_addr_str(addr, a, sizeof(a)),
			 port);
	n = snprintf(buf, len,
		     "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: xlbd\r\nConnection: close\r\n\r\n",
		     path, h);
	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

/* "HTTP/" DIGIT "." DIGIT SP 3DIGIT (the first 1-5), then SP, CR or LF (no reason phrase). */
static const char status_form[] = "HTTP/9.9 999 ";
#define STATUS_AT 9

static bool status_char_ok(size_t i, char c)
{
	if (i == STATUS_AT)
		return c >= '1' && c <= '5';
	if (status_form[i] == '9')
		return isdigit((unsigned char)c);
	if (i == sizeof(status_form) - 2)
		return c == ' ' || c == '\r' || c == '\n';
	return c == status_form[i];
}

int xlb_http_status_parse(const char *buf, size_t len, int *status)
{
	size_t i, n = sizeof(status_form) - 1;

	for (i = 0; i < n && i < len; i++)
		if (!status_char_ok(i, buf[i]))
			return -EBADMSG;
	if (len < n)
		return -EAGAIN;
	*status = (buf[STATUS_AT] - '0') * 100 + (buf[STATUS_AT + 1] - '0') * 10 +
		  (buf[STATUS_AT + 2] - '0');
	return 0;
}

int xlb_http_verdict(int status, int min, int max)
{
	return status >= min && status <= max ? 0 : XLB_CHECK_ERR_HTTP + status;
}

const char *xlb_check_err_str(int err, char *buf, size_t len)
{
	if (err >= XLB_CHECK_ERR_HTTP)
		snprintf(buf, len, "HTTP %d", err - XLB_CHECK_ERR_HTTP);
	else if (err == ETIMEDOUT)
		snprintf(buf, len, "timeout");
	else if (err == EBADMSG)
		snprintf(buf, len, "not an HTTP response");
	else if (err == ENODATA)
		snprintf(buf, len, "closed without a response");
	else
		snprintf(buf, len, "%s", strerror(err));
	if (err < XLB_CHECK_ERR_HTTP && buf[0])
		buf[0] = tolower((unsigned char)buf[0]);
	return buf;
}
