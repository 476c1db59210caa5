/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The sysexits.h code for a library error (a negative errno), shared by xlb and xlbd.
 */
#ifndef XLB_EXITCODE_H
#define XLB_EXITCODE_H

#include <sysexits.h>

int xlb_exit_code(int err);

#endif /* XLB_EXITCODE_H */
