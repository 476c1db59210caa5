// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xlb's decap program for backends whose kernel has no tunnel devices: strips the outer
 * IPIP/IP6IP6/4in6/6in4 or GUE header of packets addressed to this host and passes the inner
 * packet up, as if it had arrived bare; a packet whose GUE header names a second hop and whose
 * flow this host does not know goes on to that hop (second chance, relay.h). Everything else
 * passes untouched.
 */
#include "decap_main.h"

SEC("xdp")
int xlb_decap_xdp(struct xdp_md *ctx)
{
	return xlb_decap_handle(ctx);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
