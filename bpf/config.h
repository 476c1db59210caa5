/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The balancer's load-time configuration: rodata that userspace sets through the skeleton
 * before load, so the verifier sees it as constants. Included once per object (xlb_main.h).
 */
#ifndef XLB_CONFIG_H
#define XLB_CONFIG_H

#include "xlb_defs.h"
#include "xlb_abi.h"

const volatile struct xlb_cfg xlb_cfg = {
	.mtu = XLB_MTU_DEFAULT,
	.table_size = XLB_TABLE_DEFAULT,
	.ttl = XLB_TTL_DEFAULT,
};

#endif /* XLB_CONFIG_H */
