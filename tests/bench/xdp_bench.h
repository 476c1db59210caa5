/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The per-packet benchmark's pieces, shared by its driver (xdp_bench.c), its cases and the
 * maps they need (xdp_cases.c), its timed rounds and their checks (xdp_run.c) and its
 * report (xdp_report.c). The programs it times are in tests/bench/xlb_bench.bpf.c.
 */
#ifndef XDP_BENCH_H
#define XDP_BENCH_H

#include <stdbool.h>
#include <linux/types.h>
#include "xlb_maps.h"

#define FRAME_LEN 80	 /* BENCH_FRAME_LEN of xlb_bench.bpf.c */
#define OUT_MAX	  256	 /* the frame plus the largest encapsulation */
#define REPEAT	  100000 /* runs per BPF_PROG_TEST_RUN call */
#define ROUNDS	  21	 /* timed rounds, after one untimed warm-up round */
#define MAX_CASES 34
#define FLOWS	  (1u << 20)  /* connection-table flows, all CPUs: new flows fill it */
#define LIVE_MAX  (1u << 24)  /* --live: the most established flows */
#define VARY_ALL  0xffffffffu /* bench_vary: a new flow every run */
#define PEER_MAX  8

struct xlb_bench; /* the skeleton of xlb_bench.bpf.c */

enum kind { K_BARE, K_KNOWN, K_NEW, K_SYN, K_NONVIP, K_MAX };

struct bench_case {
	char name[32];
	enum kind kind;
	__u8 frame[FRAME_LEN];
	__u32 addr_off; /* the low 16 bits of the source address */
	__u32 port_off; /* the source port */
	__u32 out_len;	/* what one run must output */
	__u32 vary;	/* bench_vary: which flows the runs cycle through */
	bool twohop;	/* a second-chance VIP's: no connection-table hit or miss */
	bool floor;	/* run by the floor program (floor.bpf.h), not by xlb */
	char peer[32];	/* the name of Katran's case it stands beside */
	__u32 ns[ROUNDS];
};

struct bench {
	__u32 live;	  /* --live: established flows the known-flow cases cycle through, or 0 */
	__u64 hits, runs; /* of the --live cases: runs that found their entry */
	struct xlb_bench *skel;
	struct xlb_maps maps;
	struct bench_case cases[MAX_CASES];
	int ncases;
};

/* A peer's figure for the xlb case named case_name: median ns and ratio to its bare program. */
struct peer_row {
	char case_name[32];
	double ns, x_bare;
};

/* Katran's figures, measured just before by the peer harness (none: not measured). */
struct peer {
	struct peer_row rows[PEER_MAX];
	int nrows;
	char note[160]; /* how and where they were measured */
};

/* Every forwarding mode in both families, through the library the CLI and daemon use. */
int bench_vips_add(const struct xlb_maps *m);
/* The load-time settings the cases' frames and VIPs assume. */
void bench_cfg_set(struct xlb_cfg *cfg);
/*
 * The bare program, then per family: known flows and new flows (each mode), a SYN, a non-VIP
 * packet. With --live, only the bare program and the known IPIP flows.
 */
void bench_cases_init(struct bench *b);
/* Proves each case restores its frame, then times every case once per round. */
int bench_rounds(struct bench *b);
/* Reads Katran's figures: "NS X_BARE CASE NAME" lines and one "# NOTE" line. */
int peer_load(struct peer *p, const char *path);
void bench_report(const struct bench *b, const struct peer *p);

#endif /* XDP_BENCH_H */
