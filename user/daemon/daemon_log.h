/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * xlbd's log: one line per event on stderr, "xlbd: LEVEL: message", which journald keeps as
 * it is. Included by every daemon_*.c module and xlbd.c.
 */
#ifndef XLBD_LOG_H
#define XLBD_LOG_H

#include <stdarg.h>
#include <bpf/libbpf.h>
#include "model.h"

enum xlbd_level { XLBD_INFO, XLBD_WARN, XLBD_ERR };

void xlbd_log(enum xlbd_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Every problem of a configuration file, one "FILE:LINE: message" error line each. */
void xlbd_log_errors(const struct xlb_errors *e);
/* libbpf's own messages, as warnings and only with XLB_VERBOSE set (as the CLI does). */
int xlbd_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap);

#endif /* XLBD_LOG_H */
