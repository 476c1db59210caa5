// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Nanoseconds per packet of xlb's XDP path through BPF_PROG_TEST_RUN: a known flow, a new flow
 * and a non-VIP packet, for IPv4 and IPv6 and each forwarding mode, against a bare MAC-swap
 * XDP_TX program timed in the same interleaved rounds. Usage: xdp_bench [-k KATRAN_FIGURES]
 * (written by xdp_bench.sh from the peer harness). Exits 1 if a case's verdicts or
 * connection-table counters show that it did not take the path it is named after.
 */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "xdp_bench.h"
#include "xlb_bench.skel.h"

/* libbpf's own messages, demoted one level: only its warnings are shown. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, args) : 0;
}

/* Test runs stay on one CPU each; pinning keeps every call on the same per-CPU LRU list. */
static int cpu_pin(void)
{
	int cpu = sched_getcpu();
	cpu_set_t set;

	if (cpu < 0)
		return -errno;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

/* The options: -k FILE, Katran's figures; 0, or EX_USAGE / EX_NOINPUT once said why. */
static int opts_parse(int argc, char **argv, struct peer *p)
{
	int opt, err;

	while ((opt = getopt(argc, argv, "k:")) != -1) {
		if (opt != 'k') {
			fprintf(stderr, "Usage: xdp_bench [-k KATRAN_FIGURES]\n");
			return 64;
		}
		err = peer_load(p, optarg);
		if (err) {
			fprintf(stderr, "Couldn't read Katran's figures '%s': %s\n", optarg,
				strerror(-err));
			return 66;
		}
	}
	return 0;
}

/* Loads the programs with a FLOWS-entry table and fills their maps. */
static int bench_open(struct bench *b)
{
	int err;

	b->skel = xlb_bench__open();
	if (!b->skel) {
		err = -errno;
		fprintf(stderr, "Couldn't open BPF object 'xlb_bench': %s\n", strerror(-err));
		return err;
	}
	bench_cfg_set(&b->skel->rodata->xlb_cfg);
	err = bpf_map__set_max_entries(b->skel->maps.xlb_flows, FLOWS);
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

	libbpf_set_print(libbpf_print);
	err = opts_parse(argc, argv, &peer);
	if (err)
		return err;
	err = cpu_pin();
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
