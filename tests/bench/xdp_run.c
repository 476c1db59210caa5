// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The per-packet benchmark's rounds: each case proved to restore its frame (with --live, the
 * flows its known-flow cases cycle through then established), then timed once per round, and
 * every timed call checked against the verdict and connection-table counters, so that a
 * figure is only reported for the path its case is named after.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xdp_bench.h"
#include "xlb_bench.skel.h"

/* What a case's runs are checked against. */
struct snap {
	struct xlb_stats st;
	__u32 seq; /* bench_seq: runs of either program that restored their frame */
};

static __u32 case_verdict(const struct bench_case *c)
{
	return c->kind == K_NONVIP ? XDP_PASS : XDP_TX;
}

/* repeat runs of c's program on c's frame (the template set first); the last run's output. */
static int case_run(struct bench *b, const struct bench_case *c, int repeat, __u8 *out,
		    __u32 *out_len, __u32 *ns)
{
	struct xlb_bench__bss *bss = b->skel->bss;
	struct bpf_program *prog = c->kind == K_BARE ? b->skel->progs.bench_bare
				   : c->floor	     ? b->skel->progs.bench_floor
						     : b->skel->progs.bench_xlb;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = c->frame, .data_size_in = FRAME_LEN,
		    .data_out = out, .data_size_out = OUT_MAX, .repeat = repeat);
	int err;

	memcpy(bss->bench_frame, c->frame, FRAME_LEN);
	bss->bench_vary = c->vary;
	bss->bench_addr_off = c->addr_off;
	bss->bench_port_off = c->port_off;
	if (bpf_prog_test_run_opts(bpf_program__fd(prog), &opts)) {
		err = -errno;
		fprintf(stderr, "Couldn't test-run case '%s': %s\n", c->name, strerror(-err));
		return err;
	}
	if (opts.retval != case_verdict(c)) {
		fprintf(stderr, "Case '%s' returned verdict %u, want %u\n", c->name, opts.retval,
			case_verdict(c));
		return -EPROTO;
	}
	*out_len = opts.data_size_out;
	*ns = opts.duration;
	return 0;
}

/*
 * Before timing, proves the restore: one run outputs the expected length, and three runs
 * output the same frame as one. Cases that vary their flow differ in their source (and outer
 * header), so only lengths compare.
 */
static int case_prove(struct bench *b, const struct bench_case *c)
{
	__u8 one[OUT_MAX], three[OUT_MAX];
	__u32 len1, len3, ns;
	int err;

	err = case_run(b, c, 1, one, &len1, &ns);
	if (!err)
		err = case_run(b, c, 3, three, &len3, &ns);
	if (err)
		return err;
	if (len1 != c->out_len || len3 != len1 || (!c->vary && memcmp(one, three, len1))) {
		fprintf(stderr,
			"Couldn't restore the frame of case '%s': %u then %u bytes, want %u\n",
			c->name, len1, len3, c->out_len);
		return -EPROTO;
	}
	return 0;
}

static int snap_take(const struct bench *b, struct snap *s)
{
	s->seq = b->skel->bss->bench_seq;
	return xlb_stats_read(b->maps.stats, &s->st);
}

/*
 * Whether each of runs restored its frame, returned c's verdict and took c's table path.
 * Known flows cycling through --live flows may miss where a bucket pair overflowed: those are
 * counted, and reported.
 */
static int case_check(struct bench *b, const struct bench_case *c, const struct snap *s0,
		      const struct snap *s1, __u32 runs)
{
	__u64 hit = s1->st.flow_hit - s0->st.flow_hit, miss = s1->st.flow_miss - s0->st.flow_miss;
	__u64 counted = c->kind == K_BARE || c->floor ? 0 : runs, act[XLB_XDP_ACTIONS];
	__u64 fails = b->skel->bss->bench_restore_fail;
	__u32 seq = s1->seq - s0->seq;
	bool bad = seq != runs || fails;
	int a;

	if (c->twohop || c->floor) {
		bad |= hit || miss; /* neither counts in the connection table */
	} else if (c->kind == K_KNOWN && c->vary) {
		b->hits += hit;
		b->runs += runs;
		bad |= hit + miss != runs;
	} else {
		bad |= hit != (c->kind == K_KNOWN ? runs : 0) ||
		       miss != (c->kind == K_NEW || c->kind == K_SYN ? runs : 0);
	}
	for (a = 0; a < XLB_XDP_ACTIONS; a++) {
		act[a] = s1->st.action[a] - s0->st.action[a];
		bad |= act[a] != (a == (int)case_verdict(c) ? counted : 0);
	}
	if (!bad)
		return 0;
	fprintf(stderr,
		"Case '%s' left its path in %u runs: %u restored (%llu failures), aborted %llu "
		"drop %llu pass %llu tx %llu redirect %llu, flow hits %llu misses %llu\n",
		c->name, runs, seq, (unsigned long long)fails, (unsigned long long)act[XDP_ABORTED],
		(unsigned long long)act[XDP_DROP], (unsigned long long)act[XDP_PASS],
		(unsigned long long)act[XDP_TX], (unsigned long long)act[XDP_REDIRECT],
		(unsigned long long)hit, (unsigned long long)miss);
	return -EPROTO;
}

/*
 * One timed call of REPEAT runs of c, checked against the counters. A known flow needs no
 * refresh first: case_prove established it, and new flows replace only probation entries.
 */
static int case_time(struct bench *b, const struct bench_case *c, __u32 *ns)
{
	struct snap s0, s1;
	__u8 out[OUT_MAX];
	__u32 len;
	int err;

	err = snap_take(b, &s0);
	if (!err)
		err = case_run(b, c, REPEAT, out, &len, ns);
	if (!err)
		err = snap_take(b, &s1);
	return err ? err : case_check(b, c, &s0, &s1, REPEAT);
}

/*
 * --live: two packets in a row of every flow the known-flow cases cycle through, as a
 * connection's first two come, so all are established.
 */
static int live_fill(struct bench *b)
{
	__u8 out[OUT_MAX];
	__u32 len, ns;
	int i, err = 0;

	b->skel->bss->bench_seq += b->skel->bss->bench_seq & 1; /* flows start at an even run */
	b->skel->bss->bench_shift = 1;
	for (i = 0; !err && i < b->ncases; i++)
		if (b->cases[i].kind == K_KNOWN && !b->cases[i].floor)
			err = case_run(b, &b->cases[i], 2 * (b->cases[i].vary + 1), out, &len, &ns);
	b->skel->bss->bench_shift = 0;
	return err;
}

/* Every case once per round, in order; round -1 warms up and fills the connection table. */
int bench_rounds(struct bench *b)
{
	__u32 ns;
	int r, i, err;

	for (i = 0; i < b->ncases; i++) {
		err = case_prove(b, &b->cases[i]);
		if (err)
			return err;
	}
	err = b->live ? live_fill(b) : 0;
	if (err)
		return err;
	b->hits = b->runs = 0;
	for (r = -1; r < ROUNDS; r++)
		for (i = 0; i < b->ncases; i++) {
			err = case_time(b, &b->cases[i], &ns);
			if (err)
				return err;
			if (r >= 0)
				b->cases[i].ns[r] = ns;
		}
	return 0;
}
