/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * A small inline SVG line chart of one history series (history.h): the last ten minutes,
 * newest at the right edge, scaled to the series' own maximum. No script, no external asset.
 * Pure; the status page embeds one per VIP and backend rate, the unit tests read them.
 */
#ifndef XLB_CHART_H
#define XLB_CHART_H

#include <stdio.h>
#include "history.h"

#define XLB_CHART_WIDTH	 300 /* pixels: two samples a pixel */
#define XLB_CHART_HEIGHT 40

/*
 * <svg id="ID" class="chart CLS" data-max=.. data-last=.. data-samples=..> with a <title> and
 * a <polyline> of the samples (no points without any), and the maximum as text. s may be NULL
 * (no samples yet). what names the rate ("packets/s").
 */
void xlb_chart_svg(FILE *out, const char *id, const char *cls, const struct xlb_series *s,
		   const char *what);

#endif /* XLB_CHART_H */
