/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The packet-rate benchmark's pieces, shared by its driver (rate_bench.c), its test bed
 * (rate_net.c: the generator's and the balancer's namespaces, the veth ends in them, xlb
 * attached through the library, its program swapped for a bare one through its pinned link;
 * rate_decap.c: the decap program there instead, for -f relay), the checks of each run
 * (rate_check.c), its command line (rate_opts.c), its report (rate_report.c) and its CPU
 * (rate_cpu.c).
 */
#ifndef RATE_BENCH_H
#define RATE_BENCH_H

#include <linux/if_ether.h>
#include <stdbool.h>
#include "instance.h"
#include "pktgen.h"

/* The VIP and its backends; addresses only from 198.18.0.0/15. */
#define RATE_LB_ADDR	 "198.18.0.1" /* the balancer's veth end: outer source */
#define RATE_VIP	 "198.18.1.10"
#define RATE_VIP_PORT	 80
#define RATE_BACKENDS	 8		/* 198.18.2.1 .. 198.18.2.8 */
#define RATE_NONVIP	 "198.18.0.99"	/* on the balancer's link, not a VIP, not local */
#define RATE_CLIENT	 "198.18.100.1" /* known and non-VIP flows, port per flow */
#define RATE_NEW_CLIENTS "198.19.0.0"	/* new flows: low 16 bits and port from a counter */
/* -f relay: the generator is a second-chance balancer, the other end a backend. */
#define RATE_BALANCER	"198.18.0.2" /* the generator's veth end: outer source */
#define RATE_SECOND_HOP "198.18.3.1" /* where the backend relays to (back to the generator) */
#define RATE_GUE_SPORT	40000	     /* the outer UDP source port (the balancer's flow hash) */

/*
 * The balancer's cases, then the backend's (-f relay): a TCP ACK naming a second hop for a
 * flow with no socket (relayed), and the same with the relay flag set (delivered).
 */
enum rate_case { C_KNOWN, C_NEW, C_NONVIP, C_RELAY, C_DELIVER, NCASES };
/*
 * On the other end: xlb's program (the balancer, or xlb_decap with -f relay), a bare one, or
 * the floor (pktgen.bpf.c). rate_progs() says which run in which case.
 */
enum rate_prog { P_XLB, P_BARE, P_PASS, P_FLOOR, NPROGS };

struct rate_env {
	int ns_self;		   /* where the process started */
	int ns_gen, ns_lb;	   /* the two namespaces */
	char gen_dev[IF_NAMESIZE]; /* the generator's veth end, in ns_gen */
	char lb_dev[IF_NAMESIZE];  /* the balancer's veth end, in ns_lb */
	int gen_ifindex, lb_ifindex;
	__u8 gen_mac[ETH_ALEN], lb_mac[ETH_ALEN];
	struct xlb_instance in; /* the attached balancer's maps */
	bool attached, opened;
	bool relay;	    /* the decap program runs on lb_dev instead of the balancer */
	int link_fd;	    /* xlb's pinned XDP link */
	int xlb_fd;	    /* xlb's program, to swap back in */
	int decap_stats_fd; /* relay: the decap program's counters, as `xlb decap stats` reads */
	int listen_fd;	    /* relay: a listener on the VIP's port in ns_lb, as on a backend */
};

/*
 * Opens both namespaces and learns the veth ends' indexes and MACs; leaves the process in
 * the generator's namespace, where test runs resolve their ingress interface.
 */
int rate_env_open(struct rate_env *e, const char *gen_ns, const char *gen_dev, const char *lb_ns,
		  const char *lb_dev);
/* A forwarding the benchmark can measure: -f NAME. */
struct rate_forward {
	const char *name;
	__u8 forward;
	bool second_chance; /* gue only: stateless, so no connection-table hit or miss */
	bool relay;	    /* the backend's side of second chance: xlb_decap, not the balancer */
	__u8 sched;	    /* the VIP's scheduler */
};

/* Attaches xlb (native) to the balancer's end with one TCP VIP forwarding as f says. */
int rate_lb_attach(struct rate_env *e, const struct rate_forward *f);
/* Attaches xlb_decap (native) to that end instead, relaying to the generator's end. */
int rate_decap_attach(struct rate_env *e);
/* In the namespace fd names; 0 or -errno. */
int rate_ns_enter(int fd);
/* The link pinned in dir and the program it runs into e, so rounds can swap programs. */
int rate_link_adopt(struct rate_env *e, const char *dir);
/* Makes prog_fd the program on the balancer's end. */
int rate_lb_use(const struct rate_env *e, int prog_fd);
/* Detaches the balancer (if attached) and closes everything; back in ns_self. */
void rate_env_close(struct rate_env *e);
/*
 * Case c's PKTGEN_FRAME_LEN-byte template into frame: to the VIP (or RATE_NONVIP) port
 * RATE_VIP_PORT, an ACK (a SYN for new flows) with 10 bytes of payload. The generator writes
 * the source port and the low 16 bits of the source address, so both checksums are computed
 * with those zero. Returns those 16 bits of the client's address (host order).
 */
__u16 rate_frame(const struct rate_env *e, enum rate_case c, __u64 *frame);
/*
 * The same for C_RELAY and C_DELIVER: the case's ACK as a second-chance balancer sends it
 * (PKTGEN_GUE_LEN bytes), to RATE_LB_ADDR, naming RATE_SECOND_HOP, relay flag for C_DELIVER.
 */
__u16 rate_decap_frame(const struct rate_env *e, enum rate_case c, __u64 *frame);

#define ROUNDS_MAX     63
#define RATE_FLOWS_MAX 60000 /* known flows, at most */

struct rate_opts {
	__u32 packets; /* frames per timed run */
	int rounds;
	__u32 flows; /* known flows cycled */
	int fwd;     /* index into rate_forwards */
	int cpu;
	bool stats;   /* a breakdown by program, from BPF run-time stats */
	bool verbose; /* every run's rate as it is measured */
};

/* Nanoseconds per frame sent in each program, from one run with BPF run-time stats on. */
struct rate_split {
	double gen, lb, sink;
};

struct rate_result {
	double pps[NCASES][NPROGS][ROUNDS_MAX];
	__u64 lost[NCASES][NPROGS];
	__u64 relayed, relayed_back; /* relay: the decap program's count, and the sink's */
	struct rate_split split[NCASES][NPROGS];
	double stats_ns; /* what the stats add to each program run (an empty one's time) */
	double load[2];	 /* the 1-minute load average before and after the rounds */
};

/* What a run is checked against, read before and after it (rate_check.c). */
struct rate_snap {
	struct xlb_stats st;	    /* the balancer's counters (zero with -f relay) */
	struct xlb_decap_stats dst; /* the decap program's (zero without) */
	struct pktgen_counts back;  /* what came back to the sink */
	__u64 passed;		    /* what the bare XDP_PASS program passed */
	__u32 seq;		    /* frames the generator made */
};

/*
 * Frames of run (c, p) that did what they are there for (came back, or were passed up), from
 * the snapshots around it; -EPROTO, after saying why, when a counter shows that a frame took
 * another path than the run is named after.
 */
int rate_check(const struct rate_opts *o, enum rate_case c, enum rate_prog p,
	       const struct rate_snap *s0, const struct rate_snap *s1, __u64 *done);

#define RATE_FORWARDS 6
extern const struct rate_forward rate_forwards[RATE_FORWARDS];
extern const char *const rate_case_names[NCASES];
extern const char *const rate_prog_names[NPROGS];

/*
 * The programs case c is run with under options o, into progs; how many. Always xlb and the
 * bare program; bare XDP_PASS for what xlb passes up; the floor for the balancer's known and
 * new flows with -f ipip (it encapsulates as ipip does).
 */
static inline int rate_progs(const struct rate_opts *o, enum rate_case c, enum rate_prog *progs)
{
	const struct rate_forward *f = &rate_forwards[o->fwd];
	int n = 0;

	progs[n++] = P_XLB;
	progs[n++] = P_BARE;
	if (c == C_NONVIP || c == C_DELIVER)
		progs[n++] = P_PASS;
	if ((c == C_KNOWN || c == C_NEW) && f->forward == XLB_FWD_IPIP)
		progs[n++] = P_FLOOR;
	return n;
}

/* Whether case c is run with these options: the balancer's cases, or the backend's. */
static inline bool rate_case_on(const struct rate_opts *o, enum rate_case c)
{
	return rate_forwards[o->fwd].relay == (c == C_RELAY || c == C_DELIVER);
}

/* The options into o and the four positional arguments into pos; 0 or -EINVAL. */
int rate_opts_parse(int argc, char **argv, struct rate_opts *o, char **pos);
void rate_usage(const char *prog);
void rate_report(const struct rate_opts *o, const struct rate_result *res);

/* Keeps the calling thread, and so the generator and everything its frames cause, on cpu. */
int rate_cpu_pin(int cpu);
/* The pid of ksoftirqd/cpu, or -1. */
int rate_ksoftirqd_find(int cpu);
/* How long the ksoftirqd with that pid has run, in ns (0 if not known). */
__u64 rate_ksoftirqd_ns(int pid);
/* The 1-minute load average, or -1. */
double rate_loadavg(void);

#endif /* RATE_BENCH_H */
