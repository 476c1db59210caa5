/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * A VIP's health-check settings (struct xlb_vip_health) as people write them: defaults,
 * keywords, durations ("5s", "500ms"), status ranges ("200-399"), the rules they must meet,
 * and a one-line summary. Pure; used by the config file, the CLI, the diff and the daemon.
 */
#ifndef XLB_HEALTH_CONF_H
#define XLB_HEALTH_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include "xlb_abi.h"

#define XLB_INTERVAL_MIN_MS 500
#define XLB_INTERVAL_MAX_MS 3600000
#define XLB_TIMEOUT_MIN_MS  100
#define XLB_RISE_FALL_MAX   10

/* check none, interval 5s, timeout 2s, rise 3, fall 3, HTTP GET / expecting 200-399, drop. */
void xlb_health_defaults(struct xlb_vip_health *h);
bool xlb_health_eq(const struct xlb_vip_health *a, const struct xlb_vip_health *b);

/* "none", "tcp", "http" and "drop", "all"; parsers return 0 or -EINVAL. */
int xlb_check_parse(const char *s, __u8 *check);
const char *xlb_check_str(__u8 check);
int xlb_all_down_parse(const char *s, __u8 *all_down);
const char *xlb_all_down_str(__u8 all_down);

/* "5s", "500ms", "2m", or digits alone for seconds; -EINVAL, or -ERANGE outside [min, max]. */
int xlb_duration_parse(const char *s, __u32 min_ms, __u32 max_ms, __u32 *ms);
const char *xlb_duration_str(__u32 ms, char *buf, size_t len);
/*
 * What a slow start must be (vip_settings.c parses it): a zero slow start is refused rather
 * than taken for "none", since leaving the setting out is none.
 */
#define XLB_SLOW_START_RULE "whole seconds from 1s to 3600s (leave it out for none)"
/* "200-399" or "200", within 100-599; 0 or -EINVAL. */
int xlb_status_range_parse(const char *s, __u16 *min, __u16 *max);

/*
 * The first rule h breaks for a VIP whose port is vport, as a message; 0, or -EINVAL. The
 * settings of an unused check (check none) must be valid too: path and host printable ASCII
 * without spaces, the path starting with /, durations, counts and status range in range.
 */
int xlb_health_check(const struct xlb_vip_health *h, __u16 vport, char *why, size_t len);
/* "http port 8080 path /health status 200-399 interval 5s timeout 2s rise 3 fall 3". */
const char *xlb_health_summary(const struct xlb_vip_health *h, char *buf, size_t len);

#endif /* XLB_HEALTH_CONF_H */
