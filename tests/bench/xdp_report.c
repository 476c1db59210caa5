// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The per-packet benchmark's report: a legend that says what each row and column means,
 * then per case the median and range of its time and its ratio to the bare program; with
 * Katran's figures (measured just before by the peer harness), those beside xlb's, with the
 * ratio of the two and issue 11's target for it. Called by xdp_bench.c.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xdp_bench.h"

/*
 * Issue 11's targets: the most xlb's time may be of Katran's, by kind (0: none). A SYN is a
 * new connection's first packet too, so Katran's new flow (a SYN) sets its target.
 */
static const double targets[K_MAX] = {[K_KNOWN] = 0.50, [K_NEW] = 0.25, [K_SYN] = 0.25};

int peer_load(struct peer *p, const char *path)
{
	char line[256];
	struct peer_row *r;
	FILE *f;
	int err = 0;

	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (!err && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#') {
			snprintf(p->note, sizeof(p->note), "%s", line + 1 + (line[1] == ' '));
			continue;
		}
		if (p->nrows == PEER_MAX)
			err = -E2BIG;
		r = &p->rows[p->nrows];
		if (!err && sscanf(line, "%lf %lf %31[^\n]", &r->ns, &r->x_bare, r->case_name) != 3)
			err = -EINVAL;
		if (!err)
			p->nrows++;
	}
	fclose(f);
	return err;
}

static const struct peer_row *peer_find(const struct peer *p, const char *case_name)
{
	int i;

	for (i = 0; i < p->nrows; i++)
		if (!strcmp(p->rows[i].case_name, case_name))
			return &p->rows[i];
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void legend(const struct bench *b)
{
	printf("xlb per packet: BPF_PROG_TEST_RUN runs the XDP program in the kernel on a frame "
	       "in memory (no NIC,\nno veth); %d-byte TCP frames, %d runs per call, %d rounds "
	       "after 1 warm-up, every case once per\nround, on CPU %d. A wrapper restores the "
	       "input frame before every run, and every call's verdict\nand connection-table "
	       "counters are checked, so each row measures the path it names.\n",
	       FRAME_LEN, REPEAT, ROUNDS, sched_getcpu());
	printf("  median ns   time per packet, the median over the rounds; range: fastest and "
	       "slowest round\n"
	       "  x bare      median of the per-round ratio to the bare program timed in the same "
	       "rounds\n"
	       "              (absolute times drift 15-20 %% between rounds here, the ratio "
	       "much less)\n"
	       "  bare        the baseline: swap the Ethernet addresses and return XDP_TX, "
	       "nothing else\n"
	       "  known flow  a TCP ACK of a flow in the connection table: VIP lookup, table hit, "
	       "IPIP or GUE\n"
	       "              encapsulation (dr: the backend's MAC written instead), XDP_TX\n"
	       "  new flow    a new client's first packet every run, a TCP ACK: VIP lookup, "
	       "table miss (its\n"
	       "              bucket in every CPU's part), Maglev, recorded on probation in the "
	       "%uM-flow table\n"
	       "              (full after the first rounds, then each replaces a probation entry), "
	       "XDP_TX\n"
	       "  SYN         a TCP SYN from a new client every run: VIP lookup, never recorded "
	       "(its 5-tuple\n"
	       "              cleared in every CPU's part, noted for the handshake's next packet), "
	       "Maglev, XDP_TX\n"
	       "  non-VIP     a TCP packet to an address that is no VIP: parsed, filtered out, "
	       "XDP_PASS\n"
	       "  2nd-chance  a second-chance VIP's known or new flow alike: VIP lookup, its "
	       "table's two hops,\n"
	       "              GUE variant 0 naming the second, XDP_TX; no connection table (new: "
	       "a random slot)\n"
	       "  fast        the VIP's scheduler is maglev-fast: its slot from the connection "
	       "hash, without\n"
	       "              murmur3 or a division\n"
	       "  floor       not xlb: the least a balancer with a connection table does, built "
	       "from xlb's parts:\n"
	       "              parse, hash the 5-tuple, read the flow's bucket in xlb's table "
	       "(new: a cold one),\n"
	       "              compare one tag, IPIP or IP6IP6, XDP_TX; no VIP lookup, backend, "
	       "check or counter,\n"
	       "              and a new flow writes nothing\n",
	       FLOWS >> 20);
	if (b->live)
		printf("  --live %-4u known flows cycle through %u established flows (half each "
		       "family), a different\n"
		       "              one every run, in a table of %u flows per CPU; only the ipip "
		       "known flows run\n",
		       b->live, b->live, 2 * b->live);
}

static void peer_legend(const struct peer *p)
{
	if (!p->nrows) {
		printf("Katran was not measured in this run. To see its figures beside these, "
		       "measured the same way on\nthe same CPU just before: make bench "
		       "KATRAN_BENCH=/path/to/run-katran-bench.sh (the peer\nharness that builds "
		       "Katran's unmodified XDP program). Issue 11's targets are relative to\n"
		       "Katran's times: known flows at most %.2fx, new flows (and SYNs) at most "
		       "%.2fx.\n",
		       targets[K_KNOWN], targets[K_NEW]);
		return;
	}
	printf("Katran: its unmodified XDP program, measured the same way by the peer harness\n"
	       "  (%s)\n"
	       "  Katran ns, x bare   its median time and its ratio to its own bare program\n"
	       "  xlb/Katran  xlb's median ns over Katran's: under 1, xlb is faster. Katran "
	       "encapsulates in IPIP\n"
	       "              only: its rows stand beside xlb's ipip rows (non-VIP: v4). Its new "
	       "flow, a SYN\n"
	       "              recorded in its LRU table, stands beside both xlb's new flow and "
	       "xlb's SYN\n"
	       "  target      issue 11's goal: known flows at most %.2fx Katran's time, new flows "
	       "(and SYNs)\n"
	       "              at most %.2fx; \"met\" or \"open\" (not reached yet). Floor rows "
	       "stand beside\n"
	       "              Katran's ipip rows: \"out of reach\" when even the floor takes more "
	       "than the\n"
	       "              target allows, else \"in reach\"\n",
	       p->note, targets[K_KNOWN], targets[K_NEW]);
}

/* One row: c's median ns, range and ratio to bare, and Katran's figures beside them if any. */
static void row(const struct bench_case *c, const struct bench_case *bare, const struct peer *p)
{
	const struct peer_row *k = peer_find(p, c->floor ? c->peer : c->name);
	double ns[ROUNDS], ratio[ROUNDS], vs, t = targets[c->kind];
	int r;

	for (r = 0; r < ROUNDS; r++) {
		ns[r] = c->ns[r];
		ratio[r] = (double)c->ns[r] / bare->ns[r];
	}
	qsort(ns, ROUNDS, sizeof(ns[0]), cmp_double);
	qsort(ratio, ROUNDS, sizeof(ratio[0]), cmp_double);
	printf("%-29s %9.0f %5.0f-%-5.0f %7.2f", c->name, ns[ROUNDS / 2], ns[0], ns[ROUNDS - 1],
	       ratio[ROUNDS / 2]);
	if (k) {
		vs = ns[ROUNDS / 2] / k->ns;
		printf(" | %9.0f %7.2f %10.2f", k->ns, k->x_bare, vs);
		if (t > 0 && c->floor)
			printf("  <= %.2f %s", t, vs <= t ? "in reach" : "out of reach");
		else if (t > 0)
			printf("  <= %.2f %s", t, vs <= t ? "met" : "open");
	}
	printf("\n");
}

void bench_report(const struct bench *b, const struct peer *p)
{
	int i;

	legend(b);
	peer_legend(p);
	printf("%-29s %9s %11s %7s", "case", "median ns", "range ns", "x bare");
	if (p->nrows)
		printf(" | %9s %7s %10s  %s", "Katran ns", "x bare", "xlb/Katran", "target");
	printf("\n");
	for (i = 0; i < b->ncases; i++)
		row(&b->cases[i], &b->cases[0], p);
	if (b->live)
		printf("hit: %.3f %% of the known flows' runs found their entry\n",
		       b->runs ? 100.0 * b->hits / b->runs : 0.0);
}
