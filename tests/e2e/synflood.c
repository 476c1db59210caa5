// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The end-to-end tests' SYN flood: COUNT TCP SYNs from spoofed sources (198.19.128.FIRST and
 * up, BATCH source ports each) to VIP:PORT, sent out of DEV to DST_MAC by the packet-rate
 * benchmark's generator (tests/bench/pktgen.bpf.c) in test runs with live frames.
 *   synflood DEV DST_MAC VIP PORT COUNT [FIRST]    prints "sent N"
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "../bench/pktgen.h"
#include "../bench/pktgen_frame.h"
#include "pktgen.skel.h"

#define BATCH	  50000 /* frames per test run: one source address, ports 10000-59999 */
#define PORT_BASE 10000
#define ADDR_LO	  0x8000 /* spoofed sources from 198.19.128.0, one more each batch */
#define MAX_COUNT 2000000
#define MAX_FIRST 200 /* with MAX_COUNT / BATCH more, all within 198.19.128.0/24 */

/* count frames in test runs of BATCH, each batch from the next source address. */
static int flood(struct pktgen *skel, int ifindex, long count, int first, long *sent)
{
	struct xdp_md ctx = {.data_end = PKTGEN_FRAME_LEN, .ingress_ifindex = ifindex};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = skel->bss->pktgen_frame,
		    .data_size_in = PKTGEN_FRAME_LEN, .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
	long n;

	skel->bss->pktgen_mode = PKTGEN_CYCLE;
	skel->bss->pktgen_flows = BATCH;
	skel->bss->pktgen_port_base = PORT_BASE;
	for (*sent = 0; *sent < count; *sent += n) {
		n = count - *sent < BATCH ? count - *sent : BATCH;
		skel->bss->pktgen_seq = 0;
		skel->bss->pktgen_addr_lo = ADDR_LO + first + *sent / BATCH;
		opts.repeat = n;
		if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.pktgen_gen), &opts))
			return -errno;
	}
	return 0;
}

int main(int argc, char **argv)
{
	__u8 dst[ETH_ALEN], src[ETH_ALEN];
	struct pktgen *skel;
	int ifindex, err, first;
	__be32 vip;
	long count, sent = 0;

	first = argc == 7 ? atoi(argv[6]) : 0;
	if (argc < 6 || argc > 7 || first < 0 || first > MAX_FIRST ||
	    sscanf(argv[2], "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &dst[0], &dst[1], &dst[2], &dst[3],
		   &dst[4], &dst[5]) != 6 ||
	    inet_pton(AF_INET, argv[3], &vip) != 1 || atoi(argv[4]) <= 0 ||
	    (count = atol(argv[5])) <= 0 || count > MAX_COUNT) {
		fprintf(stderr,
			"Usage: synflood DEV DST_MAC VIP PORT COUNT [FIRST] (COUNT at "
			"most %d, FIRST at most %d)\n",
			MAX_COUNT, MAX_FIRST);
		return 64;
	}
	err = pktgen_dev_learn(argv[1], &ifindex, src);
	if (err) {
		fprintf(stderr, "Couldn't find interface '%s': %s\n", argv[1], strerror(-err));
		return 66;
	}
	skel = pktgen__open_and_load();
	if (!skel) {
		fprintf(stderr, "Couldn't load generator '%s': %s\n", "pktgen", strerror(errno));
		return 71;
	}
	/* The template's source is 198.19.0.0, port 0: the generator varies and adjusts both. */
	pktgen_tcp_frame(skel->bss->pktgen_frame, dst, src, htonl(0xc6130000), vip, atoi(argv[4]),
			 true);
	err = flood(skel, ifindex, count, first, &sent);
	if (err)
		fprintf(stderr, "Couldn't run generator '%s': %s\n", "pktgen_gen", strerror(-err));
	printf("sent %ld\n", sent);
	pktgen__destroy(skel);
	return err ? 70 : 0;
}
