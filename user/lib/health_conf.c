// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Health-check settings as text: defaults, keywords, durations, status ranges, their rules
 * and a summary line. Pure.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "addr.h"
#include "health_conf.h"
#include "ramp.h"

void xlb_health_defaults(struct xlb_vip_health *h)
{
	memset(h, 0, sizeof(*h));
	h->check = XLB_CHECK_NONE;
	h->rise = 3;
	h->fall = 3;
	h->all_down = XLB_ALL_DOWN_DROP;
	h->status_min = 200;
	h->status_max = 399;
	h->interval_ms = 5000;
	h->timeout_ms = 2000;
	strcpy(h->path, "/");
}

bool xlb_health_eq(const struct xlb_vip_health *a, const struct xlb_vip_health *b)
{
	return a->check == b->check && a->rise == b->rise && a->fall == b->fall &&
	       a->all_down == b->all_down && a->port == b->port &&
	       a->status_min == b->status_min && a->status_max == b->status_max &&
	       a->interval_ms == b->interval_ms && a->timeout_ms == b->timeout_ms &&
	       a->slow_start_s == b->slow_start_s &&
	       !strncmp(a->path, b->path, sizeof(a->path)) &&
	       !strncmp(a->host, b->host, sizeof(a->host));
}

static const char *const checks[XLB_CHECK__MAX] = {
	[XLB_CHECK_NONE] = "none", [XLB_CHECK_TCP] = "tcp", [XLB_CHECK_HTTP] = "http"
};
static const char *const all_downs[XLB_ALL_DOWN__MAX] = {
	[XLB_ALL_DOWN_DROP] = "drop", [XLB_ALL_DOWN_ALL] = "all"
};

static int word_parse(const char *const *words, __u8 n, const char *s, __u8 *out)
{
	__u8 i;

	for (i = 0; i < n; i++) {
		if (!strcmp(s, words[i])) {
			*out = i;
			return 0;
		}
	}
	return -EINVAL;
}

int xlb_check_parse(const char *s, __u8 *check)
{
	return word_parse(checks, XLB_CHECK__MAX, s, check);
}

const char *xlb_check_str(__u8 check)
{
	return check < XLB_CHECK__MAX ? checks[check] : "?";
}

int xlb_all_down_parse(const char *s, __u8 *all_down)
{
	return word_parse(all_downs, XLB_ALL_DOWN__MAX, s, all_down);
}

const char *xlb_all_down_str(__u8 all_down)
{
	return all_down < XLB_ALL_DOWN__MAX ? all_downs[all_down] : "?";
}

int xlb_duration_parse(const char *s, __u32 min_ms, __u32 max_ms, __u32 *ms)
{
	unsigned long long v = 0, unit;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > 1ULL << 40)
			return -ERANGE;
	}
	if (!*p || !strcmp(p, "s"))
		unit = 1000;
	else if (!strcmp(p, "ms"))
		unit = 1;
	else if (!strcmp(p, "m"))
		unit = 60000;
	else
		return -EINVAL;
	v *= unit;
	if (v < min_ms || v > max_ms)
		return -ERANGE;
	*ms = v;
	return 0;
}

const char *xlb_duration_str(__u32 ms, char *buf, size_t len)
{
	if (ms % 1000)
		snprintf(buf, len, "%ums", ms);
	else
		snprintf(buf, len, "%us", ms / 1000);
	return buf;
}

int xlb_status_range_parse(const char *s, __u16 *min, __u16 *max)
{
	char lo[8], hi[8];
	__u32 a, b;
	const char *dash = strchr(s, '-');

	if (!dash) {
		if (xlb_u32_parse(s, 100, 599, &a))
			return -EINVAL;
		*min = *max = a;
		return 0;
	}
	if (dash - s >= (long)sizeof(lo) || strlen(dash + 1) >= sizeof(hi))
		return -EINVAL;
	snprintf(lo, sizeof(lo), "%.*s", (int)(dash - s), s);
	snprintf(hi, sizeof(hi), "%s", dash + 1);
	if (xlb_u32_parse(lo, 100, 599, &a) || xlb_u32_parse(hi, 100, 599, &b) || a > b)
		return -EINVAL;
	*min = a;
	*max = b;
	return 0;
}

/* Printable ASCII, no spaces (empty is fine), and NUL-terminated within len. */
static bool plain_text(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && s[i]; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] > '~')
			return false;
	return i < len;
}

int xlb_health_check(const struct xlb_vip_health *h, __u16 vport, char *why, size_t len)
{
	const char *w = NULL;

	/* Settings of an unused check are held to the same rules: they are saved and applied
	 * back, and become the check's the day it is turned on. */
	if (h->check >= XLB_CHECK__MAX || h->all_down >= XLB_ALL_DOWN__MAX)
		w = "unknown check or on-all-down";
	else if (h->slow_start_s > XLB_SLOW_START_MAX_S)
		w = "slow start must be " XLB_SLOW_START_RULE;
	else if (h->rise < 1 || h->rise > XLB_RISE_FALL_MAX || h->fall < 1 ||
		 h->fall > XLB_RISE_FALL_MAX)
		w = "rise and fall must be 1-10";
	else if (h->interval_ms < XLB_INTERVAL_MIN_MS || h->interval_ms > XLB_INTERVAL_MAX_MS)
		w = "interval must be 500ms-3600s";
	else if (h->timeout_ms < XLB_TIMEOUT_MIN_MS || h->timeout_ms >= h->interval_ms)
		w = "timeout must be at least 100ms and less than the interval";
	else if (h->check != XLB_CHECK_NONE && !h->port && !vport)
		w = "a VIP on every port (port 0) needs a health-check port";
	else if (h->path[0] != '/' || !plain_text(h->path, sizeof(h->path)))
		w = "the HTTP path must start with / and be printable ASCII without spaces";
	else if (!plain_text(h->host, sizeof(h->host)))
		w = "the HTTP host must be printable ASCII without spaces";
	else if (h->status_min < 100 || h->status_min > h->status_max || h->status_max > 599)
		w = "the status range must be within 100-599";
	if (!w)
		return 0;
	snprintf(why, len, "%s", w);
	return -EINVAL;
}

const char *xlb_health_summary(const struct xlb_vip_health *h, char *buf, size_t len)
{
	char iv[16], to[16], port[16] = "", http[XLB_PATH_MAX + XLB_HOST_MAX + 48] = "";

	if (h->check == XLB_CHECK_NONE) {
		snprintf(buf, len, "none");
		return buf;
	}
	if (h->port)
		snprintf(port, sizeof(port), " port %u", h->port);
	if (h->check == XLB_CHECK_HTTP)
		snprintf(http, sizeof(http), " path %s%s%s status %u-%u", h->path,
			 h->host[0] ? " host " : "", h->host, h->status_min, h->status_max);
	snprintf(buf, len, "%s%s%s interval %s timeout %s rise %u fall %u", xlb_check_str(h->check),
		 port, http, xlb_duration_str(h->interval_ms, iv, sizeof(iv)),
		 xlb_duration_str(h->timeout_ms, to, sizeof(to)), h->rise, h->fall);
	return buf;
}
