// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixtures for the age of LVS-NAT entries (issue 13): a reply whose entry was idle past its
 * timeout (the shorter FIN one once a FIN or RST passed) goes up untouched; a FIN from either
 * side marks the entry closing, a SYN reopens it; a client packet replaces an expired entry.
 * The entries' stamps are set through the map, against the clock the program reads.
 */
#include <bpf/bpf.h>
#include "cases.h"
#include "fx_nat.h"

static const struct lb *age_lb;

/* The backend's reply to client packet in of vip_id, and its key in xlb_nat into k. */
static struct fx_in age_reply(const struct fx_in *in, __u32 vip_id, struct xlb_flow_key *k)
{
	struct fx_in r = fxn_reply(in, vip_id, FXN_LVS);

	fx_key_of(&r, k);
	return r;
}

/* Sets the entry at k to last used age seconds ago, closing or not. 0, or -1. */
static int age_set(const struct xlb_flow_key *k, __u32 age, __u8 closing)
{
	struct xlb_nat n;

	if (bpf_map_lookup_elem(age_lb->maps.nat, k, &n))
		return -1;
	n.stamp = env_now_s() - age;
	n.closing = closing;
	return bpf_map_update_elem(age_lb->maps.nat, k, &n, BPF_EXIST) ? -1 : 0;
}

/* x: a reply of vip_id whose entry was last used age seconds ago (closing or not). */
static void aged_reply(struct fx *x, __u32 vip_id, __u32 age, __u8 closing)
{
	struct fx_in in = fxn_client(vip_id, 0), r;
	struct xlb_flow_key k;
	int err;

	fxn_open(age_lb, &in);
	r = age_reply(&in, vip_id, &k);
	err = age_set(&k, age, closing);
	fx_send(x, &r);
	fx_expect_pass(x);
	if (err)
		x->verdict = -1; /* no entry to age: no verdict matches, the case fails */
}

static void tcp4_idle_expired(struct fx *x)
{
	aged_reply(x, V_NAT4, XLB_NAT_TCP_TIMEOUT + 2, 0);
}

static void udp6_idle_expired(struct fx *x)
{
	aged_reply(x, V_NATU6, XLB_NAT_UDP_TIMEOUT + 2, 0);
}

/* Closing: the FIN timeout (120 s) applies, though the TCP one (900 s) has not passed. */
static void tcp6_fin_expired(struct fx *x)
{
	aged_reply(x, V_NAT6, XLB_NAT_FIN_TIMEOUT + 2, 1);
}

static const struct fx_case cases[] = {
	{ "nat tcp4 reply, entry idle past nat-tcp-timeout: passed untouched", tcp4_idle_expired },
	{ "nat udp6 reply, entry idle past nat-udp-timeout: passed untouched", udp6_idle_expired },
	{ "nat tcp6 reply, closing entry past nat-fin-timeout: passed untouched",
	  tcp6_fin_expired },
};

/* name: the entry at k is (not) closing, with the given timeouts, stamped about now. */
static void expect_entry(const char *name, const struct xlb_flow_key *k, __u8 closing,
			 __u16 idle_s)
{
	__u32 now = env_now_s();
	struct xlb_nat n;
	const char *why = NULL;

	if (bpf_map_lookup_elem(age_lb->maps.nat, k, &n))
		why = "no entry";
	else if (n.closing != closing)
		why = closing ? "not closing" : "still closing";
	else if (n.idle_s != idle_s || n.fin_s != XLB_NAT_FIN_TIMEOUT)
		why = "wrong timeouts";
	else if (now - n.stamp > 1)
		why = "not stamped now";
	report(name, why);
}

/*
 * A client FIN and a backend RST each close a flow's entry; a SYN reusing the 5-tuple reopens
 * it; a client packet finding its entry expired makes it anew (stamped now, not closing).
 */
static void closing_states(void)
{
	struct fx_in in = fxn_client(V_NAT4, 0), r;
	struct xlb_flow_key k;

	fxn_open(age_lb, &in);
	r = age_reply(&in, V_NAT4, &k);
	expect_entry("nat tcp4 new entry: open, TCP timeout, stamped now", &k, 0,
		     XLB_NAT_TCP_TIMEOUT);
	in.fin = true;
	fxn_open(age_lb, &in);
	expect_entry("nat tcp4 client FIN: entry closing", &k, 1, XLB_NAT_TCP_TIMEOUT);
	in.fin = false;
	in.syn = true;
	fxn_open(age_lb, &in);
	expect_entry("nat tcp4 SYN reusing the 5-tuple: entry open again", &k, 0,
		     XLB_NAT_TCP_TIMEOUT);
	in.syn = false;
	r.rst = true;
	fxn_open(age_lb, &r);
	expect_entry("nat tcp4 backend RST: entry closing", &k, 1, XLB_NAT_TCP_TIMEOUT);
	if (age_set(&k, XLB_NAT_FIN_TIMEOUT + 2, 1))
		report("nat tcp4 expired entry: aged", "no entry");
	fxn_open(age_lb, &in);
	expect_entry("nat tcp4 client packet on an expired entry: made anew", &k, 0,
		     XLB_NAT_TCP_TIMEOUT);
	in = fxn_client(V_NATU4, 0);
	fxn_open(age_lb, &in);
	age_reply(&in, V_NATU4, &k);
	expect_entry("nat udp4 new entry: UDP timeout", &k, 0, XLB_NAT_UDP_TIMEOUT);
}

void cases_nat_age(const struct lb *lb)
{
	age_lb = lb;
	fx_run_table(lb, cases, sizeof(cases) / sizeof(cases[0]));
	closing_states();
}
