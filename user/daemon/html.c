// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Escaping text for the status page: the five characters HTML gives a meaning, as entities.
 */
#include "html.h"

void xlb_html_put(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			fputs("&amp;", out);
		else if (*s == '<')
			fputs("&lt;", out);
		else if (*s == '>')
			fputs("&gt;", out);
		else if (*s == '"')
			fputs("&quot;", out);
		else if (*s == '\'')
			fputs("&#39;", out);
		else
			fputc(*s, out);
	}
}
