// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The packet-rate benchmark's report: a legend that says what each row and column means,
 * then per case the medians of xlb's (the balancer's, or with -f relay the decap program's) and
 * the bare program's rates over the interleaved rounds, the median of their per-round ratio
 * beside its target (issue 11's, or 12's for second chance), and with -s where each frame's
 * time goes. Called by rate_bench.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "rate_bench.h"
#include "pktgen.h"

/*
 * The least share of the bare program's rate xlb should reach in case c (0: none): issue 11's
 * for the connection table, issue 12's for second chance (new flows as fast as known ones, and
 * the backend's relay path held to the same).
 */
static double target(const struct rate_opts *o, enum rate_case c)
{
	if (c == C_NONVIP || c == C_DELIVER)
		return 0;
	return c == C_KNOWN || rate_forwards[o->fwd].second_chance ? 0.85 : 0.60;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
	double s[ROUNDS_MAX];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	return n & 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/*
 * One line: program a against program b on case c; the ratio is the median of the rounds'.
 * Beside the target: whether xlb met it, or for the floor whether it is in reach at all.
 */
static void line(const struct rate_opts *o, const struct rate_result *res, const char *name,
		 enum rate_case c, enum rate_prog a, enum rate_prog b, double target)
{
	static const char *const says[2][2] = {{"open", "met"}, {"out of reach", "in reach"}};
	double ratio[ROUNDS_MAX], ma, mb, mr, lo = 1e99, hi = 0;
	int i;

	for (i = 0; i < o->rounds; i++) {
		ratio[i] = res->pps[c][a][i] / res->pps[c][b][i];
		lo = ratio[i] < lo ? ratio[i] : lo;
		hi = ratio[i] > hi ? ratio[i] : hi;
	}
	ma = median(res->pps[c][a], o->rounds);
	mb = median(res->pps[c][b], o->rounds);
	mr = median(ratio, o->rounds);
	printf("%-26s %8.2f %9.2f %7.2f %5.2f-%-5.2f %+7.0f", name, ma / 1e6, mb / 1e6, mr, lo, hi,
	       1e9 / ma - 1e9 / mb);
	if (target > 0)
		printf("  >= %.2f %s", target, says[a == P_FLOOR][mr >= target]);
	printf("\n");
}

/* A program's time less what the stats themselves add. */
static double prog_ns(const struct rate_result *res, double ns)
{
	return ns > res->stats_ns ? ns - res->stats_ns : 0;
}

static void split_report(const struct rate_opts *o, const struct rate_result *res)
{
	enum rate_prog progs[NPROGS];
	double total, gen, lb, sink;
	char name[64];
	int c, i, p;

	printf("Where a frame's time goes, ns: total from the medians above; each program from "
	       "one more run with BPF run-time\nstats on, less the %.0f ns an empty program "
	       "shows (the stats' own clock reads); rest: the test-run loop, the veth both\n"
	       "ways, page recycling and, for XDP_PASS, the stack.\n",
	       res->stats_ns);
	printf("%-40s %6s %6s %6s %6s %6s\n", "run", "total", "gen", "lb", "sink", "rest");
	for (c = 0; c < NCASES; c++)
		for (i = 0; i < rate_progs(o, c, progs) && rate_case_on(o, c); i++) {
			p = progs[i];
			total = 1e9 / median(res->pps[c][p], o->rounds);
			gen = prog_ns(res, res->split[c][p].gen);
			lb = prog_ns(res, res->split[c][p].lb);
			sink = prog_ns(res, res->split[c][p].sink);
			snprintf(name, sizeof(name), "%s, %s", rate_case_names[c],
				 rate_prog_names[p]);
			printf("%-40s %6.0f %6.0f %6.0f %6.0f %6.0f\n", name, total, gen, lb, sink,
			       total - gen - lb - sink);
		}
}

/* Whether case c runs the floor under options o. */
static bool runs_floor(const struct rate_opts *o, enum rate_case c)
{
	enum rate_prog progs[NPROGS];
	int i, n = rate_progs(o, c, progs);

	for (i = 0; i < n; i++)
		if (progs[i] == P_FLOOR)
			return true;
	return false;
}

static void legend(const struct rate_opts *o)
{
	printf("xlb packet rate over a veth pair: a generator (BPF_PROG_TEST_RUN live frames) "
	       "sends %d-byte\nTCP/IPv4 frames into the balancer's veth end, where xlb or the "
	       "bare program runs; an XDP_DROP\nsink on the generator's end counts the frames "
	       "that come back. Generator, balancer and sink share\nCPU %d (of %ld). 1 TCP VIP, "
	       "%s to %d backends; %u frames per run, %d rounds after 1 warm-up.\n",
	       PKTGEN_FRAME_LEN, o->cpu, sysconf(_SC_NPROCESSORS_ONLN), rate_forwards[o->fwd].name,
	       RATE_BACKENDS, o->packets, o->rounds);
	printf("  xlb Mpps    frames per second back at the sink with xlb, median over the "
	       "rounds\n"
	       "  bare Mpps   the same with the bare program (MAC swap + XDP_TX) in the same "
	       "rounds\n"
	       "  x bare      median of the per-round ratio xlb / bare; x range: its lowest and "
	       "highest round\n"
	       "  +ns         what xlb adds to each frame's time (1 / rate), from the medians\n"
	       "  known flows %u flows cycled, already in the connection table (second chance "
	       "keeps none)\n"
	       "  new flows   a new client (source address and port) every frame: connections "
	       "per second\n"
	       "  non-VIP     frames to an address that is no VIP: xlb passes them up (its "
	       "XDP_PASS count; the\n"
	       "              stack then drops them), against bare XDP_TX and bare XDP_PASS\n"
	       "  target      the goal for the ratio to bare (issue 11's; issue 12's for second "
	       "chance): \"met\"\n              or \"open\" (not reached yet)\n",
	       o->flows);
	if (runs_floor(o, C_KNOWN))
		printf("  floor       not xlb: the least a balancer with a connection table does, "
		       "as xdp_bench's\n"
		       "              floor: hash the 5-tuple, read its bucket in xlb's table, "
		       "compare one tag,\n"
		       "              IPIP, XDP_TX. Its target column says whether xlb's target "
		       "is \"in reach\"\n"
		       "              or \"out of reach\" (even the floor falls short of it)\n");
	printf("Katran over the same kind of veth path: run the peer harness katran-rate.sh "
	       "(beside\nrun-katran-bench.sh); make bench does not run it.\n");
}

static void relay_legend(const struct rate_opts *o)
{
	printf("xlb's backend relay rate over a veth pair: a generator (BPF_PROG_TEST_RUN live "
	       "frames), standing\nfor a second-chance balancer, sends %d-byte GUE frames to "
	       "the backend's veth end, where xlb_decap\n(attached as `xlb decap attach` does) "
	       "or the bare program runs; an XDP_DROP sink on the\ngenerator's end counts the "
	       "frames that come back. Generator, backend and sink share CPU %d (of %ld).\n"
	       "Each frame names a second hop and carries a TCP ACK of one of %u flows; the "
	       "backend listens\non the VIP's port but holds none of the flows. %u frames per "
	       "run, %d rounds after 1 warm-up.\n",
	       PKTGEN_GUE_LEN, o->cpu, sysconf(_SC_NPROCESSORS_ONLN), o->flows, o->packets,
	       o->rounds);
	printf("  xlb Mpps    frames per second back at the sink (relayed) or passed up by "
	       "xlb_decap, median\n"
	       "  bare Mpps   the same with the bare program (MAC swap + XDP_TX) in the same "
	       "rounds\n"
	       "  x bare      median of the per-round ratio xlb / bare; x range: its lowest and "
	       "highest round\n"
	       "  +ns         what xlb_decap adds to each frame's time (1 / rate), from the "
	       "medians\n"
	       "  relayed     no socket for the flow (the listener, then no SYN cookie): "
	       "re-encapsulated to the\n"
	       "              second hop with the relay flag, XDP_TX back to the generator\n"
	       "  delivered   the relay flag set: stripped and passed up (its XDP_PASS count; "
	       "the stack then\n"
	       "              drops the inner packet, which is for no local address), against "
	       "bare XDP_TX and\n"
	       "              bare XDP_PASS (whose GUE frames the stack drops at UDP)\n"
	       "  target      issue 12's goal for the ratio to bare: \"met\" or \"open\" "
	       "(not reached yet)\n");
}

void rate_report(const struct rate_opts *o, const struct rate_result *res)
{
	enum rate_prog progs[NPROGS];
	__u64 lost = 0, sent = 0;
	int c, i, n;

	for (c = 0; c < NCASES; c++)
		for (i = 0; i < rate_progs(o, c, progs) && rate_case_on(o, c); i++) {
			lost += res->lost[c][progs[i]];
			sent += (__u64)o->packets * o->rounds;
		}
	if (rate_forwards[o->fwd].relay)
		relay_legend(o);
	else
		legend(o);
	printf("%-26s %8s %9s %7s %11s %7s  %s\n", "case", "xlb Mpps", "bare Mpps", "x bare",
	       "x range", "+ns", "target");
	for (c = 0; c < NCASES; c++) {
		if (!rate_case_on(o, c))
			continue;
		line(o, res, rate_case_names[c], c, P_XLB, P_BARE, target(o, c));
		n = rate_progs(o, c, progs);
		for (i = 0; i < n; i++)
			if (progs[i] == P_PASS)
				line(o, res, "  against bare XDP_PASS", c, P_XLB, P_PASS, 0);
			else if (progs[i] == P_FLOOR)
				line(o, res, "  floor (not xlb)", c, P_FLOOR, P_BARE, target(o, c));
	}
	if (rate_forwards[o->fwd].relay)
		printf("The decap program's relayed counter (what `xlb decap stats` reads) rose by "
		       "%llu over the timed\nruns, one for every frame sent (checked in each run); "
		       "the sink counted %llu of them.\n",
		       (unsigned long long)res->relayed, (unsigned long long)res->relayed_back);
	printf("%llu of %llu frames sent did not come back (the veth ring overflows when the "
	       "generator outruns\nthe receiver). Load average %.2f before the rounds, %.2f "
	       "after (this benchmark adds about 1):\nother work on the CPUs shows in the "
	       "ranges.\n",
	       (unsigned long long)lost, (unsigned long long)sent, res->load[0], res->load[1]);
	if (o->stats)
		split_report(o, res);
}
