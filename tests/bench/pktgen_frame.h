/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The TCP/IPv4 frame the packet generator (pktgen.bpf.c) sends, built whole with its checksums
 * in userspace, and the device it sends from: for the packet-rate benchmark (rate_net.c) and
 * the end-to-end SYN flood (tests/e2e/synflood.c). The generator then varies the source and
 * adjusts the checksums.
 */
#ifndef XLB_PKTGEN_FRAME_H
#define XLB_PKTGEN_FRAME_H

#include <stdbool.h>
#include <linux/types.h>

/*
 * A PKTGEN_FRAME_LEN-byte frame from src_mac to dst_mac, src to dst:dport (network order
 * addresses), with DF as TCP stacks send: a SYN (syn), else an ACK; payload bytes 'x'.
 */
void pktgen_tcp_frame(__u64 *frame, const __u8 *dst_mac, const __u8 *src_mac, __be32 src,
		      __be32 dst, __u16 dport, bool syn);

/* dev's index and MAC in the current namespace; 0 or -errno. */
int pktgen_dev_learn(const char *dev, int *ifindex, __u8 *mac);

#endif /* XLB_PKTGEN_FRAME_H */
