// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The status page's SVG line charts. Coordinates are in the chart's own pixels with one
 * decimal, so the same series always renders the same text (what the tests compare).
 */
#include "chart.h"
#include "html.h"

#define PAD 2 /* pixels kept free above and below the line */

/* 950, 1.2k, 3.4M: short enough for a corner of the chart. */
static void put_short(FILE *out, float v)
{
	if (v >= 1e6f)
		fprintf(out, "%.1fM", v / 1e6f);
	else if (v >= 1e4f)
		fprintf(out, "%.0fk", v / 1e3f);
	else if (v >= 1e3f)
		fprintf(out, "%.1fk", v / 1e3f);
	else
		fprintf(out, "%.0f", v);
}

static float series_max(const struct xlb_series *s)
{
	float max = 0;
	__u32 i;

	for (i = 0; i < s->n; i++)
		if (xlb_series_at(s, i) > max)
			max = xlb_series_at(s, i);
	return max;
}

static void put_points(FILE *out, const struct xlb_series *s, float max)
{
	const float dx = (float)XLB_CHART_WIDTH / (XLB_HIST_LEN - 1),
		    h = XLB_CHART_HEIGHT - 2 * PAD;
	float x, y;
	__u32 i;

	for (i = 0; i < s->n; i++) {
		x = XLB_CHART_WIDTH - (float)(s->n - 1 - i) * dx;
		y = XLB_CHART_HEIGHT - PAD - (max > 0 ? xlb_series_at(s, i) / max * h : 0);
		fprintf(out, "%s%.1f,%.1f", i ? " " : "", x, y);
	}
}

void xlb_chart_svg(FILE *out, const char *id, const char *cls, const struct xlb_series *s,
		   const char *what)
{
	const struct xlb_series none = {};
	float max;

	s = s ? s : &none;
	max = series_max(s);
	fputs("<svg id=\"", out);
	xlb_html_put(out, id);
	fprintf(out, "\" class=\"chart %s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" ", cls,
		XLB_CHART_WIDTH, XLB_CHART_HEIGHT, XLB_CHART_WIDTH, XLB_CHART_HEIGHT);
	fprintf(out, "data-max=\"%.1f\" data-last=\"%.1f\" data-samples=\"%u\" role=\"img\">", max,
		s->n ? xlb_series_at(s, s->n - 1) : 0.0f, s->n);
	fprintf(out, "<title>%s, last 10 minutes</title><polyline points=\"", what);
	put_points(out, s, max);
	fprintf(out, "\"/><text x=\"%d\" y=\"11\">max ", PAD);
	put_short(out, max);
	fprintf(out, " %s</text></svg>", what);
}
