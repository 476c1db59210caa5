// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Nanoseconds per packet of xlb's XDP path through BPF_PROG_TEST_RUN: a known flow, a new flow
 * (recorded on probation), a SYN (never recorded) and a non-VIP packet, for IPv4 and IPv6 and
 * each forwarding mode, against a bare MAC-swap XDP_TX program timed in the same interleaved
 * rounds. Usage: xdp_bench [-k KATRAN_FIGURES] [--live N] (the figures written by
 * xdp_bench.sh from the peer harness; --live: known flows cycle through N established flows).
 * Exits 1 if a case's verdicts or connection-table counters show that it did not take the
 * path it is named after.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "test_run.h"
#include "xdp_bench.h"
#include "xlb_bench.skel.h"

/* --live N: a power of two from 2 to LIVE_MAX; 0, or -EINVAL. */
static int live_parse(const char *s, struct bench *b)
{
	unsigned long n;
	char *end;

	n = strtoul(s, &end, 0);
	if (*end || n < 2 || n > LIVE_MAX || (n & (n - 1)))
		return -EINVAL;
	b->live = n;
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"Usage: xdp_bench [-k KATRAN_FIGURES] [--live N]  (N: 2..%u, a power of 2)\n",
		LIVE_MAX);
	return 64; /* EX_USAGE */
}

/*
 * The options: -k FILE, Katran's figures; --live N, the known flows' number. 0, or
 * EX_USAGE / EX_NOINPUT once said why.
 */
static int opts_parse(int argc, char **argv, struct bench *b, struct peer *p)
{
	static const struct option longs[] = {{"live", required_argument, NULL, 'l'}, {}};
	int opt, err;

	while ((opt = getopt_long(argc, argv, "k:", longs, NULL)) != -1) {
		if (opt == 'l' && !live_parse(optarg, b))
			continue;
		if (opt != 'k')
			return usage();
		err = peer_load(p, optarg);
		if (err) {
			fprintf(stderr, "Couldn't read Katran's figures '%s': %s\n", optarg,
				strerror(-err));
			return 66; /* EX_NOINPUT */
		}
	}
	return optind < argc ? usage() : 0;
}

/*
 * Loads the programs with a table of FLOWS flows (--live: each CPU's part twice the live
 * flows), inserts uncapped, and fills their maps.
 */
static int bench_open(struct bench *b)
{
	int ncpu = libbpf_num_possible_cpus(), err;
	__u64 flows;

	if (ncpu < 0) {
		fprintf(stderr, "Couldn't count the possible CPUs: %s\n", strerror(-ncpu));
		return ncpu;
	}
	flows = b->live ? 2ull * b->live * ncpu : FLOWS;
	if (flows > UINT32_MAX) {
		fprintf(stderr, "Couldn't size the connection table for '%u' live flows: %s\n",
			b->live, strerror(E2BIG));
		return -E2BIG;
	}
	b->skel = xlb_bench__open();
	if (!b->skel) {
		err = -errno;
		fprintf(stderr, "Couldn't open BPF object 'xlb_bench': %s\n", strerror(-err));
		return err;
	}
	bench_cfg_set(&b->skel->rodata->xlb_cfg);
	/* Inserts uncapped at these rates: the new-flow cases measure recording. */
	b->skel->rodata->xlb_insert_gap_ns = 1000000000ull / XLB_INSERT_LIMIT_MAX;
	err = xlb_conns_size(b->skel->maps.xlb_conns, &b->skel->rodata->xlb_conn_buckets, flows);
	if (!err)
		err = xlb_bench__load(b->skel);
	if (err) {
		fprintf(stderr, "Couldn't load BPF object 'xlb_bench': %s\n", strerror(-err));
		return err;
	}
	err = xlb_maps_from_obj(b->skel->obj, &b->maps);
	if (!err)
		err = bench_vips_add(&b->maps);
	if (err)
		fprintf(stderr, "Couldn't fill maps of 'xlb_bench': %s\n", strerror(-err));
	return err;
}

int main(int argc, char **argv)
{
	static struct bench b;
	struct peer peer = {};
	int err;

	test_run_quiet_libbpf();
	err = opts_parse(argc, argv, &b, &peer);
	if (err)
		return err;
	err = test_run_pin_cpu();
	if (err) {
		fprintf(stderr, "Couldn't pin to a CPU: %s\n", strerror(-err));
		return EXIT_FAILURE;
	}
	err = bench_open(&b);
	if (!err) {
		bench_cases_init(&b);
		err = bench_rounds(&b);
	}
	if (!err)
		bench_report(&b, &peer);
	xlb_bench__destroy(b.skel);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}
