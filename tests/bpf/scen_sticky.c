// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Scenario: connection-table stickiness. A flow stays on its backend when the VIP's Maglev
 * table changes, moves when that backend goes down, is inactive or has a new gen, and PMTU
 * errors follow the table without writing to it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cases.h"

#define ACT XLB_BE_F_ACTIVE

static const struct env_vip vip = { 20, "198.18.0.7", 80, IPPROTO_TCP, XLB_FWD_IPIP,
				    XLB_SCHED_MAGLEV, 0, 20 };
static struct env_be be_a = { 20, "198.19.0.20", ACT, 1, 20 };
static struct env_be be_b = { 21, "198.19.0.21", ACT, 1, 20 };
static __u16 port_f, port_g;

/* Sends flow (client port; a SYN if syn) and expects it at be, from the table or Maglev. */
static void send_tcp(const struct lb *lb, const char *name, __u16 port, bool syn,
		     const struct env_be *be, bool hit)
{
	static struct fx x;
	struct fx_in in = fx_tcp(vip.addr, vip.port);

	fx_start(&x, name);
	in.sport = port;
	in.syn = syn;
	fx_send(&x, &in);
	fx_encap_frame(&x, &vip, be);
	fx_count_fwd(&x, vip.id, be->id, !hit);
	if (be->flags & XLB_BE_F_DOWN)
		x.delta.st.fail_open++;
	fx_check(lb, &x);
}

static void send_flow(const struct lb *lb, const char *name, __u16 port,
		      const struct env_be *be, bool hit)
{
	send_tcp(lb, name, port, false, be, hit);
}

/* Reports whether the connection table holds flow (client port) -> be (NULL: no entry). */
static void check_entry(const struct lb *lb, const char *name, __u16 port,
			const struct env_be *be)
{
	struct fx_in in = fx_tcp(vip.addr, vip.port);
	struct xlb_flow f = {};
	static struct fx x;
	char why[96] = "";
	int err;

	in.sport = port;
	fx_send(&x, &in);
	err = xlb_flow_get(&lb->maps, &x.key, &f);
	if (!be && err != -ENOENT)
		snprintf(why, sizeof(why), "lookup gave %d (backend %u), expected no entry", err,
			 f.backend_id);
	else if (be && (err || f.backend_id != be->id || f.gen != be->gen))
		snprintf(why, sizeof(why), "lookup %d: backend %u gen %u, expected %u gen %u", err,
			 f.backend_id, f.gen, be->id, be->gen);
	report(name, why);
}

static void send_icmp(const struct lb *lb, const char *name, __u16 port, const struct env_be *be,
		      bool hit)
{
	static struct fx x;

	fx_start(&x, name);
	fx_quoted(&x, vip.addr, IPPROTO_TCP, vip.port, port, 3, 4, 0);
	fx_expect_icmp_fwd(&x, &vip, be, hit);
	fx_check(lb, &x);
}

static int setup(const struct lb *lb)
{
	int err = env_put_be(lb, &be_a);

	if (!err)
		err = env_put_be(lb, &be_b);
	if (!err)
		err = env_put_vip(lb, &vip);
	return err ? err : env_fill_table(lb, vip.id, be_a.id, FX_TABLE);
}

/* Swaps in a table naming be, after setting the two backends' flags and gens. */
static void change(const struct lb *lb, const struct env_be *be, __u8 flags_a, __u32 gen_b)
{
	be_a.flags = flags_a;
	be_b.gen = gen_b;
	if (env_put_be(lb, &be_a) || env_put_be(lb, &be_b) ||
	    env_fill_table(lb, vip.id, be->id, FX_TABLE))
		report("sticky: update maps", "map update failed");
}

void scen_sticky(const struct lb *lb)
{
	port_f = fx_port();
	port_g = fx_port();
	if (setup(lb)) {
		report("sticky: setup", "map update failed");
		return;
	}
	send_flow(lb, "sticky: new flow goes to the table's backend", port_f, &be_a, false);
	check_entry(lb, "sticky: the flow is recorded with backend and gen", port_f, &be_a);
	change(lb, &be_b, ACT, 1);
	send_flow(lb, "sticky: known flow stays put after a table swap", port_f, &be_a, true);
	send_flow(lb, "sticky: a new flow follows the new table", port_g, &be_b, false);
	send_tcp(lb, "sticky: a SYN skips the connection table", port_g, true, &be_b, false);
	send_icmp(lb, "sticky: frag needed follows the connection table", port_f, &be_a, true);
	send_icmp(lb, "sticky: frag needed about an unknown flow uses maglev", port_g + 100,
		  &be_b, false);
	check_entry(lb, "sticky: the icmp recorded no flow", port_g + 100, NULL);
	change(lb, &be_b, ACT | XLB_BE_F_DOWN, 1);
	send_flow(lb, "sticky: flow of a down backend moves to the table's", port_f, &be_b, false);
	check_entry(lb, "sticky: the moved flow is recorded anew", port_f, &be_b);
	change(lb, &be_a, ACT, 2);
	send_flow(lb, "sticky: flow whose backend's gen changed is re-hashed", port_f, &be_a,
		  false);
	change(lb, &be_b, 0, 2);
	send_flow(lb, "sticky: flow of an inactive backend is re-hashed", port_f, &be_b, false);
	send_flow(lb, "sticky: and then stays on its new backend", port_f, &be_b, true);
	/* A table that fails open ("all") lists a down backend: it is used, and counted. */
	be_b.flags = ACT | XLB_BE_F_DOWN;
	if (env_put_be(lb, &be_b))
		report("sticky: mark down", "map update failed");
	send_flow(lb, "sticky: fail-open table sends to a down backend", port_f, &be_b, false);
	/* Marked as standing in for its VIP (none up), its flows are followed, and counted. */
	be_b.flags = ACT | XLB_BE_F_DOWN | XLB_BE_F_FAIL_OPEN;
	if (env_put_be(lb, &be_b))
		report("sticky: mark fail-open", "map update failed");
	send_flow(lb, "sticky: a fail-open backend keeps its flows", port_f, &be_b, true);
	be_b.flags = ACT;
}
