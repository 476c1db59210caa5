// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The health part of the configuration file: a VIP's `health:` mapping (check, port, path,
 * host, status, interval, timeout, rise, fall).
 */
#include <stdint.h>
#include <string.h>

#include "config_yaml.h"
#include "health_conf.h"

enum { HC_CHECK, HC_PORT, HC_PATH, HC_HOST, HC_STATUS, HC_INTERVAL, HC_TIMEOUT, HC_RISE, HC_FALL,
       HC__N };

static const char *const hc_keys[HC__N] = {"check",    "port",	  "path", "host", "status",
					   "interval", "timeout", "rise", "fall"};

static const struct mapping hc_map = {
	"health", hc_keys, HC__N, "check, port, path, host, status, interval, timeout, rise, fall"};

static void load_text(struct loader *ld, const yaml_node_t *n, const char *key, char *out,
		      size_t len)
{
	const char *s = cfg_scalar(ld, n, key);

	if (s && strlen(s) >= len)
		cfg_bad_value(ld, n, key, s, "a shorter text");
	else if (s)
		strcpy(out, s);
}

static void load_duration(struct loader *ld, const yaml_node_t *n, const char *key, __u32 *ms)
{
	const char *s = cfg_scalar(ld, n, key);

	if (s && xlb_duration_parse(s, XLB_TIMEOUT_MIN_MS, XLB_INTERVAL_MAX_MS, ms))
		cfg_bad_value(ld, n, key, s, "a duration such as 5s or 500ms");
}

static void load_small(struct loader *ld, const yaml_node_t *n, const char *key, __u8 *out)
{
	__u32 v;

	if (!cfg_u32(ld, n, key, 1, XLB_RISE_FALL_MAX, &v))
		*out = v;
}

void cfg_health(struct loader *ld, yaml_node_t *n, struct xlb_vip_health *h)
{
	yaml_node_t *val[HC__N];
	const char *s;
	__u32 port;

	if (cfg_fields(ld, n, &hc_map, val))
		return;
	s = cfg_scalar(ld, val[HC_CHECK], "check");
	if (s && xlb_check_parse(s, &h->check))
		cfg_bad_value(ld, val[HC_CHECK], "check", s, "none, tcp or http");
	if (val[HC_PORT] && !cfg_u32(ld, val[HC_PORT], "port", 1, UINT16_MAX, &port))
		h->port = port;
	if (val[HC_PATH])
		load_text(ld, val[HC_PATH], "path", h->path, sizeof(h->path));
	if (val[HC_HOST])
		load_text(ld, val[HC_HOST], "host", h->host, sizeof(h->host));
	s = val[HC_STATUS] ? cfg_scalar(ld, val[HC_STATUS], "status") : NULL;
	if (s && xlb_status_range_parse(s, &h->status_min, &h->status_max))
		cfg_bad_value(ld, val[HC_STATUS], "status", s, "a range such as 200-399");
	if (val[HC_INTERVAL])
		load_duration(ld, val[HC_INTERVAL], "interval", &h->interval_ms);
	if (val[HC_TIMEOUT])
		load_duration(ld, val[HC_TIMEOUT], "timeout", &h->timeout_ms);
	if (val[HC_RISE])
		load_small(ld, val[HC_RISE], "rise", &h->rise);
	if (val[HC_FALL])
		load_small(ld, val[HC_FALL], "fall", &h->fall);
}
