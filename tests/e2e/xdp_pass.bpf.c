// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * A pass-through XDP program for the end-to-end topology: attached to the router's side of
 * the balancer's veth, so frames the balancer sends with XDP_TX are received (a veth drops
 * XDP frames unless its peer runs an XDP program). Loaded with `ip link set DEV xdp obj`.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
