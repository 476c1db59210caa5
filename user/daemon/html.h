/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Text put into the status page's HTML and SVG, escaped for element content and attribute
 * values alike. Pure; used by statuspage.c and chart.c.
 */
#ifndef XLB_HTML_H
#define XLB_HTML_H

#include <stdio.h>

void xlb_html_put(FILE *out, const char *s);

#endif /* XLB_HTML_H */
