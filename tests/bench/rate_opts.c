// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The packet-rate benchmark's command line: frames per run, rounds, known flows, forwarding
 * mode (or relay, for the backend's side), CPU, the per-program breakdown and verbose runs,
 * then the two namespaces and veth ends that rate_bench.sh made. Called by rate_bench.c.
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rate_bench.h"

void rate_usage(const char *prog)
{
	fprintf(stderr,
		"Usage: %s [-n FRAMES] [-r ROUNDS] [-F FLOWS]\n"
		"          [-f ipip|gue|dr|gue-sc|gue-sc-fast|relay]\n"
		"          [-c CPU] [-s] [-v] GEN_NETNS GEN_DEV LB_NETNS LB_DEV\n"
		"Run by tests/bench/rate_bench.sh, which makes the namespaces and veth pair.\n"
		"-f relay measures the backend's decap program relaying second-chance frames;\n"
		"-f gue-sc-fast a second-chance VIP whose scheduler is maglev-fast.\n",
		prog);
}

int rate_opts_parse(int argc, char **argv, struct rate_opts *o, char **pos)
{
	int opt, i, f;

	*o = (struct rate_opts){.packets = 250000, .rounds = 31, .flows = 1000};
	o->cpu = sched_getcpu();
	while ((opt = getopt(argc, argv, "n:r:F:f:c:svh")) != -1) {
		switch (opt) {
		case 'n':
			o->packets = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			o->rounds = atoi(optarg);
			break;
		case 'F':
			o->flows = strtoul(optarg, NULL, 0);
			break;
		case 'f':
			for (f = 0; f < RATE_FORWARDS && strcmp(optarg, rate_forwards[f].name); f++)
				;
			if (f == RATE_FORWARDS)
				return -EINVAL;
			o->fwd = f;
			break;
		case 'c':
			o->cpu = atoi(optarg);
			break;
		case 's':
			o->stats = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		default:
			return -EINVAL;
		}
	}
	if (argc - optind != 4 || !o->packets || o->rounds < 1 || o->rounds > ROUNDS_MAX ||
	    !o->flows || o->flows > RATE_FLOWS_MAX || o->cpu < 0)
		return -EINVAL;
	for (i = 0; i < 4; i++)
		pos[i] = argv[optind + i];
	return 0;
}
