// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xlb's balancer: the XDP program attached to the interface that receives VIP traffic.
 * The path itself is in xlb_main.h, shared with the benchmark wrapper.
 */
#include "xlb_main.h"

SEC("xdp")
int xlb_xdp(struct xdp_md *ctx)
{
	return xlb_handle(ctx);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
