// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Scenario: load spread. 100,000 distinct flows through a balancer loaded with M = 65537 and
 * a Maglev table from user/lib/maglev.c: ten equal backends each get their share within 5%, and
 * backends weighted 1:2:3 get shares following the weights within 5%.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include "maglev.h"
#include "cases.h"

#define SPREAD_FLOWS 100000
#define SPREAD_MAX   10
#define TOLERANCE    0.05

/* Puts n backends (ids first.., 198.19.<vip>.<i + 1>) and the VIP with their Maglev table. */
static int spread_setup(const struct lb *lb, const struct env_vip *v, const __u32 *weights,
			int n, __u32 first)
{
	struct xlb_maglev_backend mb[SPREAD_MAX] = {};
	__u32 *table = malloc(XLB_TABLE_DEFAULT * sizeof(*table));
	struct env_be be = { .flags = XLB_BE_F_ACTIVE, .gen = 1, .vip = v->id };
	char addr[SPREAD_MAX][32];
	int i, err = table ? 0 : -1;

	for (i = 0; !err && i < n; i++) {
		snprintf(addr[i], sizeof(addr[i]), "198.19.%u.%d", v->id, i + 1);
		be.id = first + i;
		be.addr = addr[i];
		err = env_put_be(lb, &be);
		mb[i].family = XLB_FAM_V4;
		mb[i].addr[0] = env_addr4(addr[i]);
		mb[i].weight = weights[i];
		mb[i].id = be.id;
	}
	if (!err)
		err = env_put_vip(lb, v);
	if (!err)
		err = xlb_maglev_build(mb, n, table, XLB_TABLE_DEFAULT);
	if (!err)
		err = env_swap_table(lb, v->id, table, XLB_TABLE_DEFAULT);
	free(table);
	return err;
}

/* Sends SPREAD_FLOWS flows (source address and port varied); returns how many left by TX. */
static int spread_send(const struct lb *lb, const struct env_vip *v)
{
	static struct fx x;
	struct fx_in in;
	char src[32];
	int i, verdict, tx = 0;

	for (i = 0; i < SPREAD_FLOWS; i++) {
		snprintf(src, sizeof(src), "172.16.%d.%d", i / 4 / 250, i / 4 % 250 + 1);
		in = fx_flow(src, v->addr, IPPROTO_TCP, v->port);
		in.sport = 1024 + i % 4 * 7919;
		in.paylen = 0;
		fx_send(&x, &in);
		if (!prog_run(lb->prog_fd, &x.in, &x.out, &verdict) && verdict == XDP_TX)
			tx++;
	}
	return tx;
}

static void spread(const struct lb *lb, const char *name, const struct env_vip *v,
		   const __u32 *weights, int n, __u32 first)
{
	struct xlb_backend_stats b[SPREAD_MAX], a;
	double want, total_w = 0;
	char why[160] = "";
	int i, tx;

	if (spread_setup(lb, v, weights, n, first)) {
		report(name, "couldn't set up the VIP, backends and Maglev table");
		return;
	}
	for (i = 0; i < n; i++) {
		xlb_backend_stats_read(&lb->maps, first + i, &b[i]);
		total_w += weights[i];
	}
	tx = spread_send(lb, v);
	if (tx != SPREAD_FLOWS)
		snprintf(why, sizeof(why), "%d of %d flows forwarded", tx, SPREAD_FLOWS);
	for (i = 0; i < n; i++) {
		xlb_backend_stats_read(&lb->maps, first + i, &a);
		want = SPREAD_FLOWS * weights[i] / total_w;
		printf("  backend %u (weight %u): %llu flows, share %.0f\n", first + i, weights[i],
		       (unsigned long long)(a.packets - b[i].packets), want);
		if (!why[0] && (a.packets - b[i].packets < want * (1 - TOLERANCE) ||
				a.packets - b[i].packets > want * (1 + TOLERANCE)))
			snprintf(why, sizeof(why), "backend %u got %llu flows, share %.0f +- 5%%",
				 first + i, (unsigned long long)(a.packets - b[i].packets), want);
	}
	report(name, why);
}

void scen_spread(void)
{
	static const __u32 equal[SPREAD_MAX] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	static const __u32 weighted[3] = { 1, 2, 3 };
	static const struct env_vip v_equal = { 1, "10.0.1.1", 80, IPPROTO_TCP, XLB_FWD_IPIP,
						XLB_SCHED_MAGLEV, 0, 0 };
	static const struct env_vip v_weighted = { 2, "10.0.1.2", 80, IPPROTO_TCP, XLB_FWD_IPIP,
						   XLB_SCHED_MAGLEV, 0, 0 };
	struct lb lb;

	if (lb_open(&lb, XLB_TABLE_DEFAULT)) {
		report("spread: load", "couldn't load the balancer");
		return;
	}
	spread(&lb, "spread: 100k flows over 10 equal backends, each within 5% of its share",
	       &v_equal, equal, SPREAD_MAX, 1);
	spread(&lb, "spread: 100k flows over weights 1:2:3, each within 5% of its share",
	       &v_weighted, weighted, 3, 11);
	lb_close(&lb);
}
