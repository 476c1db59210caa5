/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The decap program on a backend's interface: it strips xlb's IPIP/GUE headers so a backend
 * without tunnel devices serves a VIP bound to lo. Attached through a bpf_link pinned at
 * XLB_DECAP_PIN_ROOT/<dev>/link, with its counters beside it.
 */
#ifndef XLB_DECAP_H
#define XLB_DECAP_H

#include <stdbool.h>
#include "xlb_abi.h"

#define XLB_DECAP_PIN_ROOT "/sys/fs/bpf/xlb-decap"

/* Loads, pins and attaches with cfg (zero addresses accept any); -EEXIST if already there. */
int xlb_decap_attach(const char *dev, const struct xlb_decap_cfg *cfg, bool generic);
/*
 * Detaches and removes the pins; -ENOENT if dev runs no decap program, the others as
 * xlb_instance_detach().
 */
int xlb_decap_detach(const char *dev);
/*
 * The decap program's counters on dev, summed over CPUs; -ENOENT, -ESTALE, -ENOLINK or
 * -EOWNERDEAD if dev runs none (xlb_pins_check).
 */
int xlb_decap_stats(const char *dev, struct xlb_stats *out);

#endif /* XLB_DECAP_H */
