// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixtures for the age of LVS-NAT entries (issue 13): a reply whose entry was idle past its
 * timeout (the shorter FIN one once a FIN or RST passed) goes up untouched; a FIN from either
 * side marks the entry closing, a SYN reopens it; a client packet replaces an expired entry.
 * The entries' stamps are set through the map, against the clock the program reads.
 */
#include <arpa/inet.h>
#include <string.h>
#include <bpf/bpf.h>
#include "cases.h"

static const struct lb *age_lb;

/* A client packet of nat VIP vip_id from a port no case used. */
static struct fx_in age_flow(__u32 vip_id)
{
	const struct env_vip *v = env_vip(vip_id);

	return v->proto == IPPROTO_TCP ? fx_tcp(v->addr, v->port) : fx_udp(v->addr, v->port);
}

/* Sends in once, unchecked (its flow and reply entry then exist); its verdict. */
static int age_send(const struct fx_in *in)
{
	static struct pkt out;
	static struct fx c;
	int verdict = -1;

	fx_start(&c, "");
	fx_send(&c, in);
	prog_run(age_lb->prog_fd, &c.in, &out, &verdict);
	return verdict;
}

/* The backend's reply to client packet in of vip_id, and its key in xlb_nat into k. */
static struct fx_in age_reply(const struct fx_in *in, __u32 vip_id, struct xlb_flow_key *k)
{
	const struct env_vip *v = env_vip(vip_id);
	const struct env_be *b = env_be(v->be);
	char client[INET6_ADDRSTRLEN];
	struct fx_in r;

	inet_ntop(in->ip.family == XLB_FAM_V4 ? AF_INET : AF_INET6, in->ip.src, client,
		  sizeof(client));
	r = fx_flow(b->addr, client, in->ip.proto, in->sport);
	r.sport = env_be_port(b->id) ? env_be_port(b->id) : v->port;
	memset(k, 0, sizeof(*k));
	memcpy(k->src, r.ip.src, sizeof(k->src));
	memcpy(k->dst, r.ip.dst, sizeof(k->dst));
	k->sport = htons(r.sport);
	k->dport = htons(r.dport);
	k->proto = r.ip.proto;
	k->family = r.ip.family;
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
	struct fx_in in = age_flow(vip_id), r;
	struct xlb_flow_key k;
	int err;

	age_send(&in);
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
	struct fx_in in = age_flow(V_NAT4), r;
	struct xlb_flow_key k;

	age_send(&in);
	r = age_reply(&in, V_NAT4, &k);
	expect_entry("nat tcp4 new entry: open, TCP timeout, stamped now", &k, 0,
		     XLB_NAT_TCP_TIMEOUT);
	in.fin = true;
	age_send(&in);
	expect_entry("nat tcp4 client FIN: entry closing", &k, 1, XLB_NAT_TCP_TIMEOUT);
	in.fin = false;
	in.syn = true;
	age_send(&in);
	expect_entry("nat tcp4 SYN reusing the 5-tuple: entry open again", &k, 0,
		     XLB_NAT_TCP_TIMEOUT);
	in.syn = false;
	r.rst = true;
	age_send(&r);
	expect_entry("nat tcp4 backend RST: entry closing", &k, 1, XLB_NAT_TCP_TIMEOUT);
	if (age_set(&k, XLB_NAT_FIN_TIMEOUT + 2, 1))
		report("nat tcp4 expired entry: aged", "no entry");
	age_send(&in);
	expect_entry("nat tcp4 client packet on an expired entry: made anew", &k, 0,
		     XLB_NAT_TCP_TIMEOUT);
	in = age_flow(V_NATU4);
	age_send(&in);
	age_reply(&in, V_NATU4, &k);
	expect_entry("nat udp4 new entry: UDP timeout", &k, 0, XLB_NAT_UDP_TIMEOUT);
}

void cases_nat_age(const struct lb *lb)
{
	age_lb = lb;
	fx_run_table(lb, cases, sizeof(cases) / sizeof(cases[0]));
	closing_states();
}
