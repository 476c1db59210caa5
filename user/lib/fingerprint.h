/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * A short fingerprint of a VIP's running Maglev table: a hash of the backend address in each
 * slot, so every node given the same backends, weights and scheduler shows the same value
 * whatever ids it gave them. Shown by `xlb vip list`, /metrics and the status page.
 */
#ifndef XLB_FINGERPRINT_H
#define XLB_FINGERPRINT_H

#include "state.h"

#define XLB_FP_STRLEN 13 /* 12 hex digits (48 bits) and the NUL */

/* The fingerprint of a table of size slots naming v's backends by id. Pure. */
__u64 xlb_table_fingerprint(const __u32 *slots, __u32 size, const struct xlb_vip_conf *v);
/* Writes 12 hex digits of fp into buf (XLB_FP_STRLEN bytes); returns buf. */
const char *xlb_fingerprint_str(__u64 fp, char *buf);
/*
 * Reads v's running table and writes its fingerprint into buf; "none" when v has no table.
 * Tables are swapped whole, never changed in place, so results are kept per table map id and
 * a table is read once. 0 or -errno.
 */
int xlb_vip_fingerprint(const struct xlb_lb *lb, const struct xlb_vip_conf *v, char *buf);

#endif /* XLB_FINGERPRINT_H */
