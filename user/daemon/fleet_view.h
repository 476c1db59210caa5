/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * How a snapshot shows the node's place in a fleet: its Prometheus families (drain flag, VIP
 * routes, table fingerprints) and the status page's section. Pure; called by the metrics and
 * status page renderers, read by the unit tests.
 */
#ifndef XLB_FLEET_VIEW_H
#define XLB_FLEET_VIEW_H

#include <stdio.h>
#include "snapshot.h"

void xlb_metrics_render_fleet(const struct xlb_snapshot *s, FILE *out);
void xlb_status_render_fleet(const struct xlb_snapshot *s, FILE *out);

#endif /* XLB_FLEET_VIEW_H */
