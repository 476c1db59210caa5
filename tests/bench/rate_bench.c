// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Packets per second through xlb on a veth pair, against a bare MAC-swap XDP_TX program on the
 * same path, in interleaved rounds. A generator (pktgen.bpf.c) run by BPF_PROG_TEST_RUN with
 * live frames sends TCP frames out of the generator's veth end; the balancer's end runs xlb
 * or the bare program; a sink on the generator's end counts what comes back. Cases: known
 * flows, a new flow every frame, and traffic for no VIP. Started by rate_bench.sh, which makes
 * the namespaces; the options are in rate_opts.c, the report in rate_report.c. With -f relay
 * the other end is a backend running xlb_decap (rate_decap.c), and the frames second-chance
 * GUE. Exits 1 if a run's counters show that it did not take the path it is named after
 * (rate_check.c); a missed target is only reported.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "rate_bench.h"
#include "pktgen.h"
#include "pktgen.skel.h"

#define KNOWN_PORT 10000 /* the known flows' source ports start here */
#define SETTLE_US  1000	 /* sink polls after a run, until two agree */
#define SETTLE_MAX 200

const char *const rate_case_names[NCASES] = {"known flows", "new flows (conn/s)",
					     "non-VIP, xlb passes up", "relayed: no socket",
					     "delivered: relay flag"};
const char *const rate_prog_names[NPROGS] = {"xlb", "bare", "bare XDP_PASS", "floor"};
const struct rate_forward rate_forwards[RATE_FORWARDS] = {
    {"ipip", XLB_FWD_IPIP, false, false, XLB_SCHED_MAGLEV},
    {"gue", XLB_FWD_GUE, false, false, XLB_SCHED_MAGLEV},
    {"dr", XLB_FWD_DR, false, false, XLB_SCHED_MAGLEV},
    {"gue-sc", XLB_FWD_GUE, true, false, XLB_SCHED_MAGLEV},
    {"gue-sc-fast", XLB_FWD_GUE, true, false, XLB_SCHED_MAGLEV_FAST},
    {"relay", XLB_FWD_GUE, true, true, XLB_SCHED_MAGLEV}};

struct rate {
	struct rate_opts o;
	struct rate_env env;
	struct pktgen *skel;
	int ncpus;
	int ksoftirqd; /* pid of ksoftirqd on the benchmark's CPU */
	__u64 frame[PKTGEN_MAX_WORDS];
	__u32 len; /* the template's length: PKTGEN_FRAME_LEN, or PKTGEN_GUE_LEN with -f relay */
	struct rate_result res;
};

/* libbpf's own messages, demoted one level: only its warnings are shown. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, args) : 0;
}

/* Case c's template into the generator, and how it varies the flows. */
static void frame_set(struct rate *r, enum rate_case c)
{
	__u16 addr_lo = rate_frame(&r->env, c, r->frame);

	memcpy(r->skel->bss->pktgen_frame, r->frame, sizeof(r->frame));
	r->skel->bss->pktgen_mode = c == C_NEW ? PKTGEN_NEW : PKTGEN_CYCLE;
	r->skel->bss->pktgen_flows = r->o.flows;
	r->skel->bss->pktgen_port_base = KNOWN_PORT;
	r->skel->bss->pktgen_addr_lo = addr_lo;
}

/*
 * n frames from the generator, out of the generator's end, and how long they took in ns: the
 * test run's own timing of its loop, which leaves out its setup and teardown (some 20-40 ms
 * per call here, mostly waiting for RCU) and the times it yielded the CPU, plus what
 * ksoftirqd ran meanwhile, which is where the veth's NAPI work goes when softirqs are pushed
 * out of the loop.
 */
static int gen_run(struct rate *r, __u32 n, double *ns)
{
	struct xdp_md ctx = {.data_end = r->len, .ingress_ifindex = r->env.gen_ifindex};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = r->frame, .data_size_in = r->len,
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = n,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
	__u64 soft = rate_ksoftirqd_ns(r->ksoftirqd);
	int err;

	if (bpf_prog_test_run_opts(bpf_program__fd(r->skel->progs.pktgen_gen), &opts)) {
		err = -errno;
		fprintf(stderr, "Couldn't run generator 'pktgen_gen': %s\n", strerror(-err));
		return err;
	}
	*ns = (double)opts.duration * n + (rate_ksoftirqd_ns(r->ksoftirqd) - soft);
	return 0;
}

/* Sums a per-CPU array's entry 0 of n u64 fields into out. */
static int percpu_sum(struct rate *r, const struct bpf_map *map, __u64 *out, size_t n)
{
	__u64 vals[r->ncpus * n];
	__u32 zero = 0;
	size_t i;
	int cpu;

	if (bpf_map__lookup_elem(map, &zero, sizeof(zero), vals, sizeof(vals), 0))
		return -errno;
	memset(out, 0, n * sizeof(*out));
	for (cpu = 0; cpu < r->ncpus; cpu++)
		for (i = 0; i < n; i++)
			out[i] += vals[cpu * n + i];
	return 0;
}

static int snap_take(struct rate *r, struct rate_snap *s)
{
	int err;

	memset(s, 0, sizeof(*s)); /* snapshots are compared whole, padding too */
	s->seq = r->skel->bss->pktgen_seq;
	if (r->env.relay)
		err = xlb_decap_stats_read(r->env.decap_stats_fd, &s->dst);
	else
		err = xlb_stats_read(r->env.in.lb.maps.stats, &s->st);
	if (!err)
		err = percpu_sum(r, r->skel->maps.pktgen_counts, (__u64 *)&s->back, 3);
	if (!err)
		err = percpu_sum(r, r->skel->maps.pktgen_passed, &s->passed, 1);
	return err;
}

/* A snapshot once the last frames have come back: two reads SETTLE_US apart that agree. */
static int snap_settled(struct rate *r, struct rate_snap *s)
{
	struct rate_snap prev;
	int i, err;

	err = snap_take(r, &prev);
	for (i = 0; !err && i < SETTLE_MAX; i++) {
		usleep(SETTLE_US);
		err = snap_take(r, s);
		if (!err && !memcmp(s, &prev, sizeof(*s)))
			break;
		prev = *s;
	}
	return err;
}

static int prog_fd(const struct rate *r, enum rate_prog p)
{
	if (p == P_XLB)
		return r->env.xlb_fd;
	return bpf_program__fd(p == P_BARE    ? r->skel->progs.pktgen_bare
			       : p == P_FLOOR ? r->skel->progs.pktgen_floor
					      : r->skel->progs.pktgen_pass);
}

/* Program p on the balancer's end, case c's template in the generator, its flows known. */
static int run_prepare(struct rate *r, enum rate_case c, enum rate_prog p)
{
	double ns;
	int err;

	err = rate_lb_use(&r->env, prog_fd(r, p));
	if (err) {
		fprintf(stderr, "Couldn't swap programs on '%s': %s\n", r->env.lb_dev,
			strerror(-err));
		return err;
	}
	frame_set(r, c);
	/* New-flow runs evict known flows from the LRU table: put them back first, untimed. */
	if (p == P_XLB && c == C_KNOWN)
		err = gen_run(r, 2 * r->o.flows, &ns);
	return err;
}

/* One timed run of case c through program p; round < 0 only warms up. */
static int run_one(struct rate *r, enum rate_case c, enum rate_prog p, int round)
{
	struct rate_snap s0, s1;
	__u64 done;
	double ns;
	int err;

	err = run_prepare(r, c, p);
	if (!err)
		err = snap_settled(r, &s0);
	if (!err)
		err = gen_run(r, r->o.packets, &ns);
	if (!err)
		err = snap_settled(r, &s1);
	if (!err)
		err = rate_check(&r->o, c, p, &s0, &s1, &done);
	if (err || round < 0)
		return err;
	r->res.pps[c][p][round] = done * 1e9 / ns;
	if (r->o.verbose)
		printf("round %d: %-24s %-14s %6.3f Mpps\n", round, rate_case_names[c],
		       rate_prog_names[p], done * 1e3 / ns);
	r->res.lost[c][p] += r->o.packets - done;
	if (c == C_RELAY && p == P_XLB) {
		r->res.relayed += s1.dst.relayed - s0.dst.relayed;
		r->res.relayed_back += done;
	}
	return 0;
}

/* Every case, each program in turn, the order of programs flipped every other round. */
static int rounds_run(struct rate *r)
{
	enum rate_prog progs[NPROGS], order[NPROGS];
	int round, c, i, n, err;

	for (round = -1; round < r->o.rounds; round++)
		for (c = 0; c < NCASES; c++) {
			if (!rate_case_on(&r->o, c))
				continue;
			n = rate_progs(&r->o, c, progs);
			for (i = 0; i < n; i++)
				order[round & 1 ? n - 1 - i : i] = progs[i];
			for (i = 0; i < n; i++) {
				err = run_one(r, c, order[i], round);
				if (err)
					return err;
			}
		}
	return 0;
}

static int prog_ns(int fd, __u64 *ns)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	*ns = info.run_time_ns;
	return 0;
}

/* The run time so far of the generator, the balancer's end's program p and the sink. */
static int split_read(struct rate *r, enum rate_prog p, __u64 *ns)
{
	int err;

	err = prog_ns(bpf_program__fd(r->skel->progs.pktgen_gen), &ns[0]);
	if (!err)
		err = prog_ns(prog_fd(r, p), &ns[1]);
	if (!err)
		err = prog_ns(bpf_program__fd(r->skel->progs.pktgen_sink), &ns[2]);
	return err;
}

/* What BPF run-time stats add to one program run: an empty program's time with them on. */
static int stats_cost(struct rate *r)
{
	int fd = bpf_program__fd(r->skel->progs.pktgen_nop);
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = r->frame, .data_size_in = PKTGEN_FRAME_LEN,
		    .repeat = r->o.packets);
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_prog_test_run_opts(fd, &opts) || bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	r->res.stats_ns = info.run_cnt ? (double)info.run_time_ns / info.run_cnt : 0;
	return 0;
}

/*
 * Where the time goes: one more run of each case and program with BPF run-time stats on,
 * for the time of each of the three programs per frame.
 */
static int split_run(struct rate *r)
{
	enum rate_prog progs[NPROGS];
	double ns, n = r->o.packets;
	__u64 ns0[3], ns1[3];
	struct rate_split *sp;
	int c, i, p, fd, err;

	fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (fd < 0) {
		err = -errno;
		fprintf(stderr, "Couldn't enable BPF run-time stats: %s\n", strerror(-err));
		return err;
	}
	err = stats_cost(r);
	for (c = 0; c < NCASES && !err; c++)
		for (i = 0; i < rate_progs(&r->o, c, progs) && rate_case_on(&r->o, c) && !err;
		     i++) {
			p = progs[i];
			err = run_prepare(r, c, p);
			if (!err)
				err = split_read(r, p, ns0);
			if (!err)
				err = gen_run(r, r->o.packets, &ns);
			if (!err)
				err = split_read(r, p, ns1);
			if (err)
				break;
			sp = &r->res.split[c][p];
			sp->gen = (ns1[0] - ns0[0]) / n;
			sp->lb = (ns1[1] - ns0[1]) / n;
			sp->sink = (ns1[2] - ns0[2]) / n;
		}
	close(fd);
	if (err)
		fprintf(stderr, "Couldn't measure programs' run time: %s\n", strerror(-err));
	return err;
}

/*
 * The floor reads xlb's connection table itself, as xlb does: this CPU's part (with -f relay
 * there is none, and the floor does not run).
 */
static int floor_table(struct rate *r)
{
	__u32 ncpu, per_cpu;
	int err;

	if (r->env.relay)
		return 0;
	err = xlb_conns_geometry(r->env.in.lb.maps.flows, &ncpu, &per_cpu);
	if (!err)
		err = bpf_map__reuse_fd(r->skel->maps.pktgen_conns, r->env.in.lb.maps.flows);
	if (err) {
		fprintf(stderr, "Couldn't share map 'xlb_conns' with the floor: %s\n",
			strerror(-err));
		return err;
	}
	r->skel->rodata->pktgen_buckets = per_cpu;
	return 0;
}

/* The programs, the sink on the generator's end. Stays in the generator's namespace. */
static int skel_setup(struct rate *r)
{
	struct bpf_link *link;
	int err;

	r->skel = pktgen__open();
	if (!r->skel) {
		err = -errno;
		fprintf(stderr, "Couldn't open BPF object 'pktgen': %s\n", strerror(-err));
		return err;
	}
	r->skel->rodata->pktgen_gue_port = XLB_GUE_PORT_DEFAULT;
	err = floor_table(r);
	if (err)
		return err;
	if (r->env.relay) {
		r->skel->rodata->pktgen_words = PKTGEN_GUE_LEN / 8;
		r->skel->rodata->pktgen_ip_off = PKTGEN_GUE_IP_OFF;
		r->skel->rodata->pktgen_tcp_off = PKTGEN_GUE_TCP_OFF;
	}
	err = pktgen__load(r->skel);
	if (err) {
		fprintf(stderr, "Couldn't load BPF object 'pktgen': %s\n", strerror(-err));
		return err;
	}
	link = bpf_program__attach_xdp(r->skel->progs.pktgen_sink, r->env.gen_ifindex);
	if (!link) {
		err = -errno;
		fprintf(stderr, "Couldn't attach sink to '%s': %s\n", r->env.gen_dev,
			strerror(-err));
		return err;
	}
	r->skel->links.pktgen_sink = link;
	return 0;
}

int main(int argc, char **argv)
{
	static struct rate r;
	char *pos[4];
	int err;

	libbpf_set_print(libbpf_print);
	if (rate_opts_parse(argc, argv, &r.o, pos)) {
		rate_usage(argv[0]);
		return 64;
	}
	r.ncpus = libbpf_num_possible_cpus();
	r.len = rate_forwards[r.o.fwd].relay ? PKTGEN_GUE_LEN : PKTGEN_FRAME_LEN;
	r.ksoftirqd = rate_ksoftirqd_find(r.o.cpu);
	err = r.ncpus < 0 ? r.ncpus : rate_cpu_pin(r.o.cpu);
	if (err) {
		fprintf(stderr, "Couldn't pin to CPU '%d': %s\n", r.o.cpu, strerror(-err));
		return EXIT_FAILURE;
	}
	err = rate_env_open(&r.env, pos[0], pos[1], pos[2], pos[3]);
	if (err)
		goto close_env;
	if (rate_forwards[r.o.fwd].relay)
		err = rate_decap_attach(&r.env);
	else
		err = rate_lb_attach(&r.env, &rate_forwards[r.o.fwd]);
	if (err)
		goto close_env;
	err = skel_setup(&r);
	if (err)
		goto destroy_skel;
	r.res.load[0] = rate_loadavg();
	err = rounds_run(&r);
	r.res.load[1] = rate_loadavg();
	if (!err && r.o.stats)
		err = split_run(&r);
	if (!err)
		rate_report(&r.o, &r.res);
destroy_skel:
	pktgen__destroy(r.skel);
close_env:
	rate_env_close(&r.env);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}
