// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Scenario: a flood against the connection table, through BPF_PROG_TEST_RUN on one CPU. A
 * part of 64K flows holds FLOOD_EST established connections; FLOOD_SPOOFED SYNs and as many
 * one-packet ACK flows from random sources hit the same VIP, with FLOOD_LEGIT new connections
 * made among them; then the VIP's backends change (two added, the old one drained). Every
 * established connection keeps its entry and its backend, every new one is established.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "cases.h"

#define FLOOD_EST     20000
#define FLOOD_SPOOFED 2000000	/* SYNs, and as many one-packet ACK flows */
#define FLOOD_LEGIT   1000	/* new connections made during the flood */
#define FLOOD_FLOWS   65536	/* the CPU's part of the table */
#define OFF_SRC	      (14 + 12) /* the IPv4 source address of an untagged frame */
#define OFF_SPORT     (14 + 20)
#define OFF_FLAGS     (14 + 20 + 13)
#define OFF_OUTER_DST (14 + 16) /* an IPIP frame's outer destination */

static struct env_be added[2] = {{38, "198.19.0.38", XLB_BE_F_ACTIVE, 1, V_TCP4},
				 {39, "198.19.0.39", XLB_BE_F_ACTIVE, 1, V_TCP4}};

/* One frame of flow (src, sport) to V_TCP4 with TCP flags; its verdict and outer dst. */
static int run(int prog_fd, struct pkt *f, __be32 src, __u16 sport, __u8 flags, __be32 *to)
{
	static __u8 out[PKT_MAX + 512];
	LIBBPF_OPTS(bpf_test_run_opts, o, .repeat = 1, .data_in = f->b, .data_size_in = f->len,
		    .data_out = out, .data_size_out = sizeof(out));

	memcpy(f->b + OFF_SRC, &src, 4);
	f->b[OFF_SPORT] = sport >> 8;
	f->b[OFF_SPORT + 1] = sport;
	f->b[OFF_FLAGS] = flags;
	if (bpf_prog_test_run_opts(prog_fd, &o))
		return -errno;
	memcpy(to, out + OFF_OUTER_DST, 4);
	return o.retval;
}

/* Client i of the established and the legitimate ones: 192.0.2.0/24 and 4096 ports each. */
static __be32 client(__u32 i)
{
	return htonl(0xc0000200 | (i >> 12));
}

static __u16 client_port(__u32 i)
{
	return 1024 + (i & 4095);
}

/* Spoofed flow i: a permutation of 32 bits (an odd multiply, then an xorshift), so no two
 * flows are the same: a spoofed flow that came twice would be a connection. */
static __u32 spoofed(__u32 i)
{
	__u32 r = i * 2654435761u;

	return r ^ (r >> 16);
}

/* Sends the two first packets of n connections from client index base on. */
static int open_flows(const struct lb *lb, struct pkt *f, __u32 base, __u32 n, __be32 be)
{
	__be32 to;
	__u32 i;
	int bad = 0;

	for (i = base; i < base + n; i++)
		bad += run(lb->prog_fd, f, client(i), client_port(i), 0x02, &to) != XDP_TX ||
		       run(lb->prog_fd, f, client(i), client_port(i), 0x10, &to) != XDP_TX ||
		       run(lb->prog_fd, f, client(i), client_port(i), 0x18, &to) != XDP_TX ||
		       to != be;
	return bad;
}

/*
 * The flood: FLOOD_SPOOFED SYNs and one-packet ACK flows from spread 198.18.0.0/15 sources,
 * and the legitimate connections (client indexes FLOOD_EST on) opened among them; how many
 * frames were not forwarded (legitimate connections that failed in *legit_bad, established
 * entries they evicted in *legit_evicted).
 */
static int flood(const struct lb *lb, struct pkt *f, __be32 be, int *legit_bad,
		 __u64 *legit_evicted)
{
	struct xlb_conns_info c0, c1;
	__be32 to;
	__u32 i, r;
	int bad = 0;

	*legit_bad = 0;
	*legit_evicted = 0;
	for (i = 0; i < FLOOD_SPOOFED; i++) {
		r = spoofed(i);
		bad += run(lb->prog_fd, f, htonl(0xc6120000 | (r & 0x1ffff)), r >> 17, 0x02, &to) !=
		       XDP_TX;
		r = spoofed(i | 1u << 31);
		bad += run(lb->prog_fd, f, htonl(0xc6120000 | (r & 0x1ffff)), r >> 17, 0x10, &to) !=
		       XDP_TX;
		if (i % (FLOOD_SPOOFED / FLOOD_LEGIT))
			continue;
		xlb_conns_info(&lb->maps, &c0);
		*legit_bad +=
		    open_flows(lb, f, FLOOD_EST + i / (FLOOD_SPOOFED / FLOOD_LEGIT), 1, be);
		xlb_conns_info(&lb->maps, &c1);
		*legit_evicted += c1.st.evicted - c0.st.evicted;
	}
	return bad;
}

/* Two backends added, the old one drained: new flows now go to the new ones only. */
static int change_backends(const struct lb *lb)
{
	struct env_be old = *env_be(1);
	__u32 i, ids[FX_TABLE];
	int err;

	old.flags |= XLB_BE_F_DRAIN;
	err = env_put_be(lb, &added[0]);
	if (!err)
		err = env_put_be(lb, &added[1]);
	for (i = 0; i < FX_TABLE; i++)
		ids[i] = added[i % 2].id;
	if (!err)
		err = env_swap_table(lb, V_TCP4, ids, FX_TABLE);
	return err ? err : env_put_be(lb, &old);
}

/* How many of n flows from client index base on have no established entry. */
static int not_established(const struct lb *lb, struct pkt *f, __u32 base, __u32 n)
{
	struct xlb_flow_key k = {.sport = 0};
	struct xlb_flow e;
	__u32 i;
	int bad = 0;

	memcpy(k.dst, f->b + OFF_SRC + 4, 4);
	k.dport = htons(env_vip(V_TCP4)->port);
	k.proto = IPPROTO_TCP;
	k.family = XLB_FAM_V4;
	for (i = base; i < base + n; i++) {
		k.src[0] = client(i);
		k.sport = htons(client_port(i));
		bad += xlb_flow_get(&lb->maps, &k, &e) || !e.established || e.backend_id != 1;
	}
	return bad;
}

static void check_count(const char *name, int bad)
{
	char why[64] = "";

	if (bad)
		snprintf(why, sizeof(why), "%d of them failed", bad);
	report(name, why);
}

void scen_flood(void)
{
	struct fx_in in = fx_tcp(env_vip(V_TCP4)->addr, env_vip(V_TCP4)->port);
	struct xlb_conn_stats st0, st1;
	struct xlb_conns_info ci;
	static struct fx x;
	int legit_bad, ncpu = libbpf_num_possible_cpus();
	__u64 legit_evicted;
	__be32 be1 = env_addr4("198.19.0.1"), to;
	struct lb lb;
	__u32 i;
	int bad;

	if (ncpu <= 0 || lb_open_sized(&lb, FX_TABLE, XLB_INSERT_LIMIT_MAX, FLOOD_FLOWS * ncpu) ||
	    env_setup(&lb)) {
		report("flood: set up a balancer", "couldn't");
		return;
	}
	fx_send(&x, &in);
	check_count("flood: 20000 connections open on the old backend",
		    open_flows(&lb, &x.in, 0, FLOOD_EST, be1));
	xlb_conns_info(&lb.maps, &ci);
	st0 = ci.st;
	bad = flood(&lb, &x.in, be1, &legit_bad, &legit_evicted);
	check_count("flood: 2M SYNs and 2M one-packet flows all forwarded", bad);
	check_count("flood: 1000 connections opened during the flood", legit_bad);
	xlb_conns_info(&lb.maps, &ci);
	st1 = ci.st;
	report("flood: the spoofed flows evicted no established entry",
	       st1.evicted - st0.evicted == legit_evicted ? "" : "they evicted some");
	/*
	 * A new connection whose bucket and pair hold only established flows takes the oldest
	 * one's slot (its second packet proves it real): those, and only those, are lost, while
	 * the 20000 open (st0.evicted) and during the flood (legit_evicted).
	 */
	printf("# flood: %llu of %d connections lost their entry to a new connection that found "
	       "its bucket pair all established (%llu of them during the flood)\n",
	       (unsigned long long)st1.evicted, FLOOD_EST + FLOOD_LEGIT,
	       (unsigned long long)legit_evicted);
	check_count("flood: every connection not displaced by a new one keeps its entry",
		    not_established(&lb, &x.in, 0, FLOOD_EST + FLOOD_LEGIT) - (int)st1.evicted);
	if (change_backends(&lb))
		report("flood: change the VIP's backends", "map update failed");
	for (bad = 0, i = 0; i < FLOOD_EST + FLOOD_LEGIT; i++)
		bad += run(lb.prog_fd, &x.in, client(i), client_port(i), 0x18, &to) != XDP_TX ||
		       to != be1;
	check_count("flood: after the change every connection not displaced stays on its backend",
		    bad - (int)st1.evicted);
	bad = run(lb.prog_fd, &x.in, client(FLOOD_EST + FLOOD_LEGIT), 1, 0x02, &to) != XDP_TX ||
	      (to != env_addr4(added[0].addr) && to != env_addr4(added[1].addr));
	check_count("flood: a new connection goes to an added backend", bad);
	lb_close(&lb);
}
