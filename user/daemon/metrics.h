/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * A snapshot in the Prometheus text exposition format 0.0.4, and lookups of the words that name
 * drop reasons and XDP actions (their table is include/xlb_counters.h). Pure; used by the
 * exporter, the status page, the CLI's views and the unit tests.
 */
#ifndef XLB_METRICS_H
#define XLB_METRICS_H

#include <stdio.h>
#include "snapshot.h"

#define XLB_METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* xlb_drop_names[reason] ("malformed", ...); "?" out of range. */
const char *xlb_drop_reason_str(unsigned int reason);
/* xlb_action_names[action] ("aborted", ...); "?" out of range. */
const char *xlb_xdp_action_str(unsigned int action);

/* Every metric family of s, version in xlb_build_info; 0, or -EIO when out failed. */
int xlb_metrics_render(const struct xlb_snapshot *s, const char *version, FILE *out);

#endif /* XLB_METRICS_H */
