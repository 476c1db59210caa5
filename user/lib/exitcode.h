/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The sysexits.h code for a library error (a negative errno), and the one way option and
 * argument parsers of xlb and xlbd return a code with its message; shared by both programs.
 */
#ifndef XLB_EXITCODE_H
#define XLB_EXITCODE_H

#include <stddef.h>
#include <sysexits.h>

int xlb_exit_code(int err);

/* Formats the one-line message into err (len bytes) and returns code. */
int xlb_exit_msg(char *err, size_t len, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif /* XLB_EXITCODE_H */
