// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixtures for full NAT (issue 13): with a source pool on the nat VIPs, a client packet leaves
 * from the pool address and port its flow's hash picks (the first free candidate), the
 * backend's reply to that pair leaves for the client from the VIP; every candidate taken is a
 * snat_exhausted drop; a reply to a pool address of no flow is left alone; a backend's ICMP
 * error about a flow reaches the client quoting its own packet. Frames are built afresh with
 * their checksums, as a sender computes them; the rows full NAT shares with LVS-NAT are in
 * cases_nat_rows.c.
 */
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include "cases.h"
#include "fx_nat.h"

static const struct lb *fnat_lb;

/* The reply key of candidate i of client packet in of vip_id (for filling xlb_nat). */
static void cand_key(const struct fx_in *in, __u32 vip_id, __u32 i, struct xlb_flow_key *k)
{
	struct fx_in r = fxn_reply(in, vip_id, i);

	fx_key_of(&r, k);
}

/*
 * Puts a foreign flow's entry at candidate i of in's flow, last used age seconds ago (its
 * timeout is the default): that pair is in use unless the entry expired.
 */
static void take_aged(const struct fx_in *in, __u32 vip_id, __u32 i, __u32 age)
{
	struct xlb_nat n = { .full = 1, .cport = htons(1), .vport = htons(1),
			     .idle_s = XLB_NAT_TCP_TIMEOUT, .fin_s = XLB_NAT_FIN_TIMEOUT };
	struct xlb_flow_key k;

	n.stamp = env_now_s() - age;
	cand_key(in, vip_id, i, &k);
	addr_parse(n.client, in->ip.family == XLB_FAM_V4 ? "198.18.6.1" : "2001:db8:6::1");
	bpf_map_update_elem(fnat_lb->maps.nat, &k, &n, BPF_ANY);
}

/* Candidate 0 held by an entry idle past its timeout: the new flow takes it over. */
static void tcp4_expired_candidate(struct fx *x)
{
	struct fx_in in = fxn_client(V_NAT4, 0);

	take_aged(&in, V_NAT4, 0, XLB_NAT_TCP_TIMEOUT + 2);
	fx_send(x, &in);
	fxn_expect_out(x, &in, V_NAT4, 0, true);
}

/* Candidate 0 in use: the flow takes candidate 1, and keeps it once 0 is free again. */
static void tcp4_second_candidate(const struct lb *lb)
{
	struct fx_in in = fxn_client(V_NAT4, 0);
	struct xlb_flow_key k;
	static struct fx x;

	take_aged(&in, V_NAT4, 0, 0);
	fx_start(&x, "fnat tcp4: candidate 0 in use, the flow takes candidate 1");
	fx_send(&x, &in);
	fxn_expect_out(&x, &in, V_NAT4, 1, true);
	fx_check(lb, &x);
	cand_key(&in, V_NAT4, 0, &k);
	bpf_map_delete_elem(lb->maps.nat, &k);
	fx_start(&x, "fnat tcp4: its next packet keeps candidate 1 though 0 is free");
	fx_send(&x, &in);
	fxn_expect_out(&x, &in, V_NAT4, 1, false);
	fx_check(lb, &x);
}

/* Every candidate of a new flow in use: dropped as snat_exhausted, nothing written. */
static void udp6_exhausted(struct fx *x)
{
	struct fx_in in = fxn_client(V_NATU6, 0);
	__u32 i;

	for (i = 0; i < XLB_SNAT_TRIES; i++)
		take_aged(&in, V_NATU6, i, 0);
	fx_send(x, &in);
	fx_expect_drop(x, XLB_DROP_SNAT_EXHAUSTED);
	fx_count_new_flow(x, V_NATU6, env_vip(V_NATU6)->be);
}

/* A backend's packet to a pool address and port no flow holds: up to the stack untouched. */
static void tcp4_unknown_pool_reply(struct fx *x)
{
	const struct env_vip *v = env_vip(V_NAT4);
	struct fx_in r =
	    fx_flow(env_be(v->be)->addr, env_pool_addr(XLB_FAM_V4, 1), IPPROTO_TCP, 40000);

	r.sport = fxn_be_port(V_NAT4);
	fx_send(x, &r);
	fx_expect_pass(x);
}

static const struct fx_case cases[] = {
	{ "fnat udp6: every candidate in use, dropped as snat_exhausted", udp6_exhausted },
	{ "fnat tcp4: to a pool address of no flow, passed untouched", tcp4_unknown_pool_reply },
	{ "fnat tcp4: candidate 0 held by an expired entry, the flow takes it",
	  tcp4_expired_candidate },
};

void cases_fnat(const struct lb *lb)
{
	static const __u32 vips[] = { V_NAT4, V_NATU4, V_NAT6, V_NATU6 };
	__u32 i;

	fnat_lb = lb;
	for (i = 0; i < 4; i++)
		env_set_pool(lb, vips[i], true);
	cases_nat_rows(lb, true);
	fx_run_table(lb, cases, sizeof(cases) / sizeof(cases[0]));
	tcp4_second_candidate(lb);
	for (i = 0; i < 4; i++)
		env_set_pool(lb, vips[i], false);
}
