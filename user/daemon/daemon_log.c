// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xlbd's log lines. Each is formatted whole and written with one call, so lines from the
 * daemon and from libbpf never interleave mid-line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "daemon_log.h"

static const char *const level_names[] = {
	[XLBD_INFO] = "info", [XLBD_WARN] = "warn", [XLBD_ERR] = "error"
};

static void log_line(enum xlbd_level level, const char *fmt, va_list ap)
{
	char line[1024];
	int n;

	n = snprintf(line, sizeof(line), "xlbd: %s: ", level_names[level]);
	vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	n = strcspn(line, "\n"); /* one line, whatever the message held */
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, n) < 0)
		return; /* nowhere left to say it */
}

void xlbd_log(enum xlbd_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line(level, fmt, ap);
	va_end(ap);
}

void xlbd_log_errors(const struct xlb_errors *e)
{
	const char *file = e->file ? e->file : "";
	const char *sep = e->file ? ": " : "";
	size_t i;

	for (i = 0; i < e->n; i++) {
		if (e->v[i].line)
			xlbd_log(XLBD_ERR, "%s:%d: %s", file, e->v[i].line, e->v[i].msg);
		else
			xlbd_log(XLBD_ERR, "%s%s%s", file, sep, e->v[i].msg);
	}
	if (e->nomem)
		xlbd_log(XLBD_ERR, "%s%s(out of memory: more problems may be missing)", file, sep);
}

int xlbd_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG || !getenv("XLB_VERBOSE"))
		return 0;
	log_line(XLBD_WARN, fmt, ap);
	return 0;
}
