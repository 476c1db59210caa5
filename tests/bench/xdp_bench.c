// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Nanoseconds per packet of xlb's XDP path through BPF_PROG_TEST_RUN: a known flow, a new flow
 * (recorded on probation), a SYN (never recorded) and a non-VIP packet, for IPv4 and IPv6 and
 * each forwarding mode, against a bare MAC-swap XDP_TX program timed in the same interleaved
 * rounds. With --live N (a power of two), known flows cycle through N established flows in a
 * table twice that size instead. The programs are in tests/bench/xlb_bench.bpf.c. Exits 1 if
 * a case's verdicts or connection-table counters show that it did not take the path it is
 * named after; a missed target is only reported.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "state.h"
#include "xlb_maps.h"
#include "xlb_bench.skel.h"

#define FRAME_LEN	 80	/* BENCH_FRAME_LEN of xlb_bench.bpf.c */
#define OUT_MAX		 256	/* the frame plus the largest encapsulation */
#define REPEAT		 100000 /* runs per BPF_PROG_TEST_RUN call */
#define ROUNDS		 21	/* timed rounds, after one untimed warm-up round */
#define MAX_CASES	 20
#define BACKENDS_PER_VIP 10
#define FLOWS		 (1u << 20) /* connection-table flows, all CPUs */
#define LIVE_MAX	 (1u << 24)
#define VARY_ALL	 0xffffffffu
#define VIP_PORT	 80
#define CLIENT_PORT	 40000
#define IP_DF		 0x4000

enum kind { K_BARE, K_KNOWN, K_NEW, K_SYN, K_NONVIP };

/* Ratio to the bare program each kind should stay under (0: none). */
static const double targets[] = {[K_KNOWN] = 3.0, [K_NEW] = 10.0, [K_SYN] = 10.0,
				 [K_NONVIP] = 1.5};

static const struct {
	const char *name;
	__u8 forward;
} modes[] = {{"ipip", XLB_FWD_IPIP}, {"gue", XLB_FWD_GUE}, {"dr", XLB_FWD_DR}};

#define NMODES (sizeof(modes) / sizeof(modes[0]))

struct bench_case {
	char name[32];
	enum kind kind;
	__u8 frame[FRAME_LEN];
	__u32 addr_off; /* the low 16 bits of the source address */
	__u32 port_off; /* the source port */
	__u32 out_len;	/* what one run must output */
	__u32 vary;	/* bench_vary: which flows the runs cycle through */
	__u32 ns[ROUNDS];
};

/* What a case's runs are checked against. */
struct snap {
	struct xlb_stats st;
	__u32 seq; /* bench_seq: runs of either program that restored their frame */
};

struct bench {
	__u32 live; /* --live: established flows the known-flow cases cycle through, or 0 */
	__u64 hits, runs; /* of the --live cases: runs that found their entry */
	struct xlb_bench *skel;
	struct xlb_maps maps;
	struct bench_case cases[MAX_CASES];
	int ncases;
};

/* libbpf's own messages, demoted one level: only its warnings are shown. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, args) : 0;
}

/* A literal address into the ABI's addr[4] (IPv4 in addr[0], the rest zero). */
static void addr_parse(const char *s, int family, __be32 *addr)
{
	memset(addr, 0, 16);
	inet_pton(family == XLB_FAM_V4 ? AF_INET : AF_INET6, s, addr);
}

static void vip_addr(int family, unsigned int mode, __be32 *addr)
{
	char s[INET6_ADDRSTRLEN];

	snprintf(s, sizeof(s), family == XLB_FAM_V4 ? "198.18.1.%u" : "2001:db8:1::%u", mode + 1);
	addr_parse(s, family, addr);
}

/* VIP i: TCP port VIP_PORT of the mode's address, with BACKENDS_PER_VIP equal backends. */
static void vip_conf(struct xlb_vip_conf *v, struct xlb_be_conf *bes, __u32 i, int family,
		     unsigned int mode)
{
	char s[INET6_ADDRSTRLEN];
	__u32 j;

	memset(v, 0, sizeof(*v));
	v->name.addr.family = family;
	vip_addr(family, mode, v->name.addr.a);
	v->name.port = VIP_PORT;
	v->name.proto = IPPROTO_TCP;
	v->forward = modes[mode].forward;
	v->sched = XLB_SCHED_MAGLEV;
	v->gue_port = XLB_GUE_PORT_DEFAULT;
	v->backends = bes;
	v->nbackends = BACKENDS_PER_VIP;
	for (j = 0; j < BACKENDS_PER_VIP; j++) {
		memset(&bes[j], 0, sizeof(bes[j]));
		snprintf(s, sizeof(s), family == XLB_FAM_V4 ? "198.19.%u.%u" : "2001:db8:be:%u::%u",
			 i, j + 1);
		bes[j].addr.family = family;
		addr_parse(s, family, bes[j].addr.a);
		bes[j].mac[0] = 0x02;
		bes[j].mac[4] = i;
		bes[j].mac[5] = j + 1;
		bes[j].has_mac = true;
		bes[j].weight = 1;
	}
}

/* Every mode in both families, through the library that the CLI and the daemon use. */
static int vips_add(const struct xlb_maps *m)
{
	static const int families[] = {XLB_FAM_V4, XLB_FAM_V6};
	static struct xlb_be_conf bes[2 * NMODES][BACKENDS_PER_VIP];
	struct xlb_vip_conf vips[2 * NMODES];
	struct xlb_conf conf = {.vips = vips, .nvips = 2 * NMODES};
	struct xlb_lb lb = {.maps = *m, .table_size = XLB_TABLE_DEFAULT};
	unsigned int f, i;

	for (f = 0; f < 2; f++)
		for (i = 0; i < NMODES; i++)
			vip_conf(&vips[f * NMODES + i], bes[f * NMODES + i], f * NMODES + i,
				 families[f], i);
	return xlb_state_apply(&lb, &conf, 0);
}

static void cfg_set(struct xlb_cfg *cfg)
{
	static const __u8 next_hop[ETH_ALEN] = {0x02, 0, 0, 0, 0, 0xfe};
	static const __u8 own[ETH_ALEN] = {0x02, 0, 0, 0, 0, 0x01}; /* the frames' destination */
	__be32 v4[4];

	addr_parse("198.18.0.1", XLB_FAM_V4, v4);
	cfg->src_v4 = v4[0];
	addr_parse("2001:db8::1", XLB_FAM_V6, cfg->src_v6);
	memcpy(cfg->next_hop, next_hop, ETH_ALEN);
	memcpy(cfg->if_mac, own, ETH_ALEN);
	cfg->mtu = XLB_MTU_DEFAULT;
	cfg->table_size = XLB_TABLE_DEFAULT;
	cfg->ttl = XLB_TTL_DEFAULT;
}

/* The L3 header of c's frame, from the client to dst; returns the L4 offset. */
static __u32 frame_l3(struct bench_case *c, int family, const __be32 *dst)
{
	struct iphdr ip = {.version = 4, .ihl = 5, .ttl = 64, .protocol = IPPROTO_TCP};
	struct ipv6hdr ip6 = {.version = 6, .nexthdr = IPPROTO_TCP, .hop_limit = 64};
	__be32 src[4];

	if (family == XLB_FAM_V4) {
		addr_parse("198.18.100.1", family, src);
		ip.tot_len = htons(FRAME_LEN - ETH_HLEN);
		ip.frag_off = htons(IP_DF);
		ip.saddr = src[0];
		ip.daddr = dst[0];
		memcpy(c->frame + ETH_HLEN, &ip, sizeof(ip));
		c->addr_off = ETH_HLEN + offsetof(struct iphdr, saddr) + 2;
		return ETH_HLEN + sizeof(ip);
	}
	addr_parse("2001:db8:c::1", family, src);
	ip6.payload_len = htons(FRAME_LEN - ETH_HLEN - sizeof(ip6));
	memcpy(&ip6.saddr, src, 16);
	memcpy(&ip6.daddr, dst, 16);
	memcpy(c->frame + ETH_HLEN, &ip6, sizeof(ip6));
	c->addr_off = ETH_HLEN + offsetof(struct ipv6hdr, saddr) + 14;
	return ETH_HLEN + sizeof(ip6);
}

/*
 * A FRAME_LEN-byte TCP segment from the client to dst:VIP_PORT: a SYN for K_SYN, else an
 * ACK with payload. Checksums stay zero: xlb reads none, and the new-flow runs rewrite the
 * source without fixing them anyway.
 */
static void frame_build(struct bench_case *c, int family, const __be32 *dst)
{
	struct ethhdr eth = {
	    .h_dest = {0x02, 0, 0, 0, 0, 0x01},
	    .h_source = {0x02, 0, 0, 0, 0, 0xc1},
	};
	struct tcphdr th = {.doff = 5, .syn = c->kind == K_SYN, .ack = c->kind != K_SYN};
	__u32 l4;

	memset(c->frame, 0, FRAME_LEN);
	eth.h_proto = htons(family == XLB_FAM_V4 ? ETH_P_IP : ETH_P_IPV6);
	memcpy(c->frame, &eth, sizeof(eth));
	l4 = frame_l3(c, family, dst);
	th.source = htons(CLIENT_PORT);
	th.dest = htons(VIP_PORT);
	th.window = htons(65535);
	memcpy(c->frame + l4, &th, sizeof(th));
	c->port_off = l4 + offsetof(struct tcphdr, source);
}

static struct bench_case *case_add(struct bench *b, enum kind kind, int family, const __be32 *dst)
{
	struct bench_case *c = &b->cases[b->ncases++];

	c->kind = kind;
	c->out_len = FRAME_LEN;
	/* --live: each family's known flows are half of the live ones. */
	c->vary = kind == K_NEW || kind == K_SYN ? VARY_ALL :
		  kind == K_KNOWN && b->live ? b->live / 2 - 1 : 0;
	frame_build(c, family, dst);
	return c;
}

static void case_mode(struct bench *b, enum kind kind, int fam, unsigned int mode)
{
	static const char *const what[] = {[K_KNOWN] = "known flow", [K_NEW] = "new flow",
					   [K_SYN] = "SYN"};
	struct bench_case *c;
	__be32 dst[4];

	vip_addr(fam, mode, dst);
	c = case_add(b, kind, fam, dst);
	snprintf(c->name, sizeof(c->name), "v%d %s %s", fam, modes[mode].name, what[kind]);
	if (modes[mode].forward != XLB_FWD_DR)
		c->out_len +=
		    (fam == XLB_FAM_V4 ? 20 : 40) + (modes[mode].forward == XLB_FWD_GUE ? 8 : 0);
}

/*
 * The bare program, then per family: known flows and new flows (each mode), a SYN, a
 * non-VIP packet. With --live, only the bare program and the known IPIP flows.
 */
static void cases_init(struct bench *b)
{
	static const int families[] = {XLB_FAM_V4, XLB_FAM_V6};
	struct bench_case *c;
	unsigned int f, i;
	__be32 dst[4];
	int fam;

	vip_addr(XLB_FAM_V4, 0, dst);
	c = case_add(b, K_BARE, XLB_FAM_V4, dst);
	snprintf(c->name, sizeof(c->name), "bare MAC swap + XDP_TX");
	for (f = 0; f < 2; f++) {
		fam = families[f];
		if (b->live) {
			case_mode(b, K_KNOWN, fam, 0);
			continue;
		}
		for (i = 0; i < NMODES; i++)
			case_mode(b, K_KNOWN, fam, i);
		for (i = 0; i < NMODES; i++)
			case_mode(b, K_NEW, fam, i);
		case_mode(b, K_SYN, fam, 0);
		addr_parse(fam == XLB_FAM_V4 ? "198.18.0.2" : "2001:db8::2", fam, dst);
		c = case_add(b, K_NONVIP, fam, dst);
		snprintf(c->name, sizeof(c->name), "v%d non-VIP", fam);
	}
}

static __u32 case_verdict(const struct bench_case *c)
{
	return c->kind == K_NONVIP ? XDP_PASS : XDP_TX;
}

/* repeat runs of c's program on c's frame (the template set first); the last run's output. */
static int case_run(struct bench *b, const struct bench_case *c, int repeat, __u8 *out,
		    __u32 *out_len, __u32 *ns)
{
	struct xlb_bench__bss *bss = b->skel->bss;
	struct bpf_program *prog =
	    c->kind == K_BARE ? b->skel->progs.bench_bare : b->skel->progs.bench_xlb;
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
 * Known flows cycling through --live flows may miss where a bucket overflowed: those are
 * counted, and reported.
 */
static int case_check(struct bench *b, const struct bench_case *c, const struct snap *s0,
		      const struct snap *s1, __u32 runs)
{
	__u64 hit = s1->st.flow_hit - s0->st.flow_hit, miss = s1->st.flow_miss - s0->st.flow_miss;
	__u64 counted = c->kind == K_BARE ? 0 : runs, act[XLB_XDP_ACTIONS];
	__u64 fails = b->skel->bss->bench_restore_fail;
	__u32 seq = s1->seq - s0->seq;
	bool bad = seq != runs || fails;
	int a;

	if (c->kind == K_KNOWN && c->vary) {
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

/* One timed call of REPEAT runs of c, checked against the counters. */
static int case_time(struct bench *b, const struct bench_case *c, __u32 *ns)
{
	struct snap s0, s1;
	__u8 out[OUT_MAX];
	__u32 len;
	int err = 0;

	/* A new flow's LRU insert may have evicted the known flow: put it back, untimed. */
	if (c->kind == K_KNOWN)
		err = case_run(b, c, 1, out, &len, ns);
	if (!err)
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
		if (b->cases[i].kind == K_KNOWN)
			err = case_run(b, &b->cases[i], 2 * (b->cases[i].vary + 1), out, &len, &ns);
	b->skel->bss->bench_shift = 0;
	return err;
}

/* Every case once per round, in order; round -1 warms up and fills the connection table. */
static int bench_rounds(struct bench *b)
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

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void report(const struct bench *b)
{
	const struct bench_case *bare = &b->cases[0], *c;
	double ns[ROUNDS], ratio[ROUNDS], t;
	int i, r;

	printf("xlb per packet, BPF_PROG_TEST_RUN: %d-byte TCP frames, %d runs per call, "
	       "%d interleaved rounds (after 1 warm-up), CPU %d\n",
	       FRAME_LEN, REPEAT, ROUNDS, sched_getcpu());
	printf("%-24s %9s %11s %7s %8s %s\n", "case", "median ns", "range ns", "x bare", "target",
	       "met");
	for (i = 0; i < b->ncases; i++) {
		c = &b->cases[i];
		for (r = 0; r < ROUNDS; r++) {
			ns[r] = c->ns[r];
			ratio[r] = (double)c->ns[r] / bare->ns[r];
		}
		qsort(ns, ROUNDS, sizeof(ns[0]), cmp_double);
		qsort(ratio, ROUNDS, sizeof(ratio[0]), cmp_double);
		t = targets[c->kind];
		printf("%-24s %9.0f %5.0f-%-5.0f %7.2f", c->name, ns[ROUNDS / 2], ns[0],
		       ns[ROUNDS - 1], ratio[ROUNDS / 2]);
		if (t > 0)
			printf("  <= %-4g %s", t, ratio[ROUNDS / 2] <= t ? "yes" : "NO");
		printf("\n");
	}
	if (b->live)
		printf("known flows cycle through %u established flows (half each family) in a "
		       "table of %u flows per CPU; %.3f%% of their runs hit\n",
		       b->live, 2 * b->live, b->runs ? 100.0 * b->hits / b->runs : 0.0);
}

/* Test runs stay on one CPU each; pinning keeps every call on the same per-CPU LRU list. */
static int cpu_pin(void)
{
	int cpu = sched_getcpu();
	cpu_set_t set;

	if (cpu < 0)
		return -errno;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

/* [--live N]: N a power of two from 2 to LIVE_MAX. */
static int opts_parse(int argc, char **argv, struct bench *b)
{
	char *end;
	unsigned long n;

	if (argc == 1)
		return 0;
	if (argc == 3 && !strcmp(argv[1], "--live")) {
		n = strtoul(argv[2], &end, 0);
		if (!*end && n >= 2 && n <= LIVE_MAX && !(n & (n - 1))) {
			b->live = n;
			return 0;
		}
	}
	fprintf(stderr, "Usage: xdp_bench [--live N]  (N a power of two, 2..%u)\n", LIVE_MAX);
	return -EINVAL;
}

int main(int argc, char **argv)
{
	struct bench b = {};
	int ncpu, err;

	if (opts_parse(argc, argv, &b))
		return 64; /* EX_USAGE */
	libbpf_set_print(libbpf_print);
	ncpu = libbpf_num_possible_cpus();
	if (ncpu < 0) {
		fprintf(stderr, "Couldn't count the possible CPUs: %s\n", strerror(-ncpu));
		return EXIT_FAILURE;
	}
	err = cpu_pin();
	if (err) {
		fprintf(stderr, "Couldn't pin to a CPU: %s\n", strerror(-err));
		return EXIT_FAILURE;
	}
	b.skel = xlb_bench__open();
	if (!b.skel) {
		fprintf(stderr, "Couldn't open BPF object 'xlb_bench': %s\n", strerror(errno));
		return EXIT_FAILURE;
	}
	cfg_set(&b.skel->rodata->xlb_cfg);
	/* Inserts uncapped at these rates: the new-flow cases measure recording. */
	b.skel->rodata->xlb_insert_gap_ns = 1000000000ull / XLB_INSERT_LIMIT_MAX;
	/* --live: this CPU's part holds twice the live flows. */
	err = xlb_conns_size(b.skel->maps.xlb_conns, &b.skel->rodata->xlb_conn_buckets,
			     b.live ? 2 * b.live * ncpu : FLOWS);
	if (!err)
		err = xlb_bench__load(b.skel);
	if (err) {
		fprintf(stderr, "Couldn't load BPF object 'xlb_bench': %s\n", strerror(-err));
		goto destroy_skel;
	}
	err = xlb_maps_from_obj(b.skel->obj, &b.maps);
	if (!err)
		err = vips_add(&b.maps);
	if (err) {
		fprintf(stderr, "Couldn't fill maps of 'xlb_bench': %s\n", strerror(-err));
		goto destroy_skel;
	}
	cases_init(&b);
	err = bench_rounds(&b);
	if (!err)
		report(&b);
destroy_skel:
	xlb_bench__destroy(b.skel);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}
