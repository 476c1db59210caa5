/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The HTML status page: every VIP with its settings and backends (health and why down, weight,
 * slow-start ramp, drain, rates between two snapshots, ten-minute charts) and the global drops,
 * in plain HTML that reloads itself.
 * Pure; the exporter serves it at /, the unit tests read it.
 */
#ifndef XLB_STATUSPAGE_H
#define XLB_STATUSPAGE_H

#include <stdio.h>
#include "history.h"
#include "snapshot.h"

#define XLB_STATUS_CONTENT_TYPE "text/html; charset=utf-8"

/*
 * The page for now; rates per second come from prev (an earlier snapshot, or NULL for none)
 * and show "-" where unknown; charts and since-when from hist (NULL: empty charts). 0, or -EIO
 * when out failed.
 */
int xlb_status_render(const struct xlb_snapshot *now, const struct xlb_snapshot *prev,
		      const struct xlb_history *hist, FILE *out);

#endif /* XLB_STATUSPAGE_H */
