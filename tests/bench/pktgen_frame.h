/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The frames the packet generator (pktgen.bpf.c) sends, built whole with their checksums in
 * userspace, and the device it sends from: for the packet-rate benchmark (rate_net.c,
 * rate_decap.c) and the end-to-end SYN flood (tests/e2e/synflood.c). The generator then varies
 * the (inner) source and adjusts the checksums.
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

/* The outside of a second-chance frame (addresses in network order, ports in host order). */
struct pktgen_gue {
	__be32 outer_src, outer_dst; /* the balancer, and the first hop the frame goes to */
	__be32 hop;		     /* the second hop (IPv4) */
	__u16 sport, port;	     /* UDP: the balancer's flow hash, and the GUE port */
	__u8 flags;		     /* XLB_GUE_F_* */
};

/*
 * A PKTGEN_GUE_LEN-byte frame from src_mac to dst_mac as a second-chance balancer sends it:
 * outer IPv4 and UDP as g says, xlb's GUE header naming g's second hop, then an ACK from src
 * to dst:dport (network order addresses) with DF and payload bytes 'x'.
 */
void pktgen_gue_frame(__u64 *frame, const __u8 *dst_mac, const __u8 *src_mac,
		      const struct pktgen_gue *g, __be32 src, __be32 dst, __u16 dport);

/* dev's index and MAC in the current namespace; 0 or -errno. */
int pktgen_dev_learn(const char *dev, int *ifindex, __u8 *mac);

#endif /* XLB_PKTGEN_FRAME_H */
