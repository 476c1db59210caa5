/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The fixture harness: loads the balancer skeleton with known rodata, runs one frame through
 * BPF_PROG_TEST_RUN, snapshots every counter, and checks a fixture (verdict, whole output
 * frame, counter deltas), printing one line per case. Included by every tests/bpf file.
 */
#ifndef XLB_TEST_HARNESS_H
#define XLB_TEST_HARNESS_H

#include <stdbool.h>
#include <linux/types.h>
#include "xlb_abi.h"
#include "xlb_maps.h"
#include "pkt.h"

#define SNAP_VIPS 32 /* VIP ids the fixtures use: 0 .. SNAP_VIPS - 1 */
#define SNAP_BES  40 /* backend ids likewise */

struct xlb;
struct xlb_decap;

/*
 * One loaded balancer, or decap program (dskel: then only maps.stats is open, and it is the
 * decap program's xlb_decap_stats).
 */
struct lb {
	struct xlb *skel;
	struct xlb_decap *dskel;
	struct xlb_maps maps;
	int prog_fd;
};

/* Every counter a fixture may move. */
struct snap {
	struct xlb_stats st;
	struct xlb_decap_stats dec; /* a decap program's, instead of all the others */
	struct xlb_vip_stats vip[SNAP_VIPS];
	struct xlb_backend_stats be[SNAP_BES];
};

/* One case: the frame sent, the verdict and frame expected back, the counter deltas. */
struct fx {
	char name[128];
	struct pkt in;
	struct pkt ip;		 /* the IP packet inside in, as built */
	struct xlb_flow_key key; /* the client flow it belongs to */
	__u8 nvlan;
	__u8 tos;
	__u8 df;
	__u32 pad;  /* Ethernet padding after the IP packet */
	bool prime; /* send in once, unchecked, before the check */
	int verdict;
	struct pkt out;
	struct snap delta;
};

int lb_open(struct lb *lb, __u32 table_size);
/* The same with a connection-table insert limit other than the default (per second, CPU). */
int lb_open_limited(struct lb *lb, __u32 table_size, __u32 insert_limit);
/* ... and a connection table of flows entries (all CPUs). */
int lb_open_sized(struct lb *lb, __u32 table_size, __u32 insert_limit, __u32 flows);
/* The decap program with configuration cfg; its 0 gue_port, mtu and ttl keep the defaults. */
int lb_open_decap(struct lb *d, const struct xlb_decap_cfg *cfg);
void lb_close(struct lb *lb);
int prog_run(int prog_fd, const struct pkt *in, struct pkt *out, int *verdict);
void fx_check(const struct lb *lb, const struct fx *x);

void report(const char *name, const char *why);
int report_summary(void);

#endif /* XLB_TEST_HARNESS_H */
