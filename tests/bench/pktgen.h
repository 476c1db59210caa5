/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * What the packet-rate benchmark's XDP programs (pktgen.bpf.c) and its driver (rate_bench.c)
 * share: the frame length, how the generator varies flows, and the counters of returned
 * frames. Included after vmlinux.h on the BPF side and after <linux/types.h> in userspace.
 */
#ifndef PKTGEN_H
#define PKTGEN_H

/* The TCP frame: Ethernet, IPv4 (no options), TCP (no options), 10 bytes of payload. */
#define PKTGEN_FRAME_LEN 64
#define PKTGEN_WORDS	 (PKTGEN_FRAME_LEN / 8)
#define PKTGEN_IP_OFF	 14
#define PKTGEN_TCP_OFF	 34

/*
 * The second-chance frame: Ethernet, IPv4, UDP, xlb's GUE header and hop (24 bytes), then a
 * TCP frame's IPv4 and TCP headers with 14 bytes of payload (a length in whole words).
 */
#define PKTGEN_GUE_LEN	   120
#define PKTGEN_GUE_IP_OFF  66
#define PKTGEN_GUE_TCP_OFF 86

#define PKTGEN_MAX_WORDS (PKTGEN_GUE_LEN / 8) /* the longest template */

/* How the generator picks each frame's source address (low 16 bits) and port. */
#define PKTGEN_CYCLE 0 /* port = port_base + seq % flows, address as in the template */
#define PKTGEN_NEW   1 /* a new (address, port) from seq: every frame a new 5-tuple */

/* New flows: ports 1024-65535, and the low 16 bits of the address count the wraps. */
#define PKTGEN_NEW_PORT_MIN 1024
#define PKTGEN_NEW_PORTS    (65536 - PKTGEN_NEW_PORT_MIN)

/* Frames that came back to the generator's interface, by kind (per CPU, summed). */
struct pktgen_counts {
	__u64 encap; /* outer IPv4/IPv6 around IP (IPIP, IP6IP6), or UDP to the GUE port */
	__u64 plain; /* other IPv4/IPv6: what the bare program reflects, or a DR rewrite */
	__u64 other; /* not IP: the namespaces' own chatter, kept out of the two above */
};
_Static_assert(sizeof(struct pktgen_counts) == 24, "pktgen_counts is shared");

#endif /* PKTGEN_H */
