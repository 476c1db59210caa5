// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * decap_bench: what second chance costs a backend per packet, through BPF_PROG_TEST_RUN on the
 * decap program's path (tests/bench/decap_bench.bpf.c): a plain IPIP packet, packets naming a
 * second hop that need no socket lookup (a SYN, a relayed one), one whose lookup finds an
 * established socket, and one relayed on, each against the bare MAC-swap program in the same
 * interleaved rounds. The sockets are real, in a private network namespace (needs root). Every
 * call is checked for its verdict and for the counter of its path, so a figure is the named
 * path's. Prints one line per case: median ns per packet, ratio to bare, min-max over rounds.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xlb_maps.h"
#include "decap_bench.skel.h"
#include "../bpf/netns.h"

#define FRAME_LEN 112	 /* DECAP_FRAME_LEN of decap_bench.bpf.c */
#define OUT_MAX	  256
#define REPEAT	  100000 /* runs per BPF_PROG_TEST_RUN call */
#define ROUNDS	  21	 /* timed rounds, after one untimed warm-up round */
#define NONE	  ((size_t)-1)

#define VIP4	 "198.18.5.1"
#define CL4	 "198.18.5.10"
#define EST_PORT 40001

struct dcase {
	const char *name;
	bool bare;
	__u8 frame[FRAME_LEN];
	__u32 verdict;
	size_t counter; /* offsetof() the xlb_decap_stats counter every run moves, or NONE */
	__u32 ns[ROUNDS];
};

static void put16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put_addr(__u8 *p, const char *a)
{
	inet_pton(AF_INET, a, p);
}

/* An IPv4 header at p: total length len, protocol proto, src -> dst (no checksum needed). */
static void ipv4(__u8 *p, __u16 len, __u8 proto, const char *src, const char *dst)
{
	p[0] = 0x45;
	put16(p + 2, len);
	put16(p + 6, 0x4000);
	p[8] = 64;
	p[9] = proto;
	put_addr(p + 12, src);
	put_addr(p + 16, dst);
}

/* The inner TCP packet from CL4:sport to VIP4:80 at p, of total length len, flags. */
static void inner(__u8 *p, __u16 len, __u16 sport, __u8 flags)
{
	ipv4(p, len, IPPROTO_TCP, CL4, VIP4);
	put16(p + 20, sport);
	put16(p + 22, 80);
	p[32] = 5 << 4;
	p[33] = flags;
	put16(p + 34, 0xffff);
}

static void eth(__u8 *f)
{
	static const __u8 macs[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };

	memcpy(f, macs, sizeof(macs));
	put16(f + 12, 0x0800);
}

static void ipip_frame(__u8 *f)
{
	memset(f, 0, FRAME_LEN);
	eth(f);
	ipv4(f + 14, FRAME_LEN - 14, IPPROTO_IPIP, "198.18.0.99", "198.18.0.20");
	inner(f + 34, FRAME_LEN - 34, EST_PORT, 0x10);
}

/* GUE variant 0 naming second hop 198.18.0.21 (hop flags hflags) around a TCP packet. */
static void gue_frame(__u8 *f, __u8 hflags, __u16 sport, __u8 tcp_flags)
{
	__u8 *g = f + 14 + 20 + 8;

	memset(f, 0, FRAME_LEN);
	eth(f);
	ipv4(f + 14, FRAME_LEN - 14, IPPROTO_UDP, "198.18.0.99", "198.18.0.20");
	put16(f + 34, 0xc123);
	put16(f + 36, XLB_GUE_PORT_DEFAULT);
	put16(f + 38, FRAME_LEN - 34);
	g[0] = XLB_GUE_HLEN;
	g[1] = IPPROTO_IPIP;
	g[4] = XLB_GUE_MAGIC;
	g[5] = hflags;
	g[6] = XLB_FAM_V4;
	put_addr(g + 8, "198.18.0.21");
	inner(g + 24, FRAME_LEN - (g + 24 - f), sport, tcp_flags);
}

#define OFF(f) offsetof(struct xlb_decap_stats, f)

static struct dcase cases[] = {
	{ .name = "bare MAC swap, XDP_TX", .bare = true, .verdict = XDP_TX, .counter = NONE },
	{ .name = "ipip, delivered", .verdict = XDP_PASS, .counter = OFF(delivered) },
	{ .name = "2nd hop, SYN: no lookup", .verdict = XDP_PASS, .counter = OFF(delivered_syn) },
	{ .name = "2nd hop, relayed: no lookup", .verdict = XDP_PASS,
	  .counter = OFF(delivered_relayed) },
	{ .name = "2nd hop, socket found", .verdict = XDP_PASS, .counter = OFF(delivered_socket) },
	{ .name = "2nd hop, no socket: relayed", .verdict = XDP_TX, .counter = OFF(relayed) },
};
#define NCASES ((int)(sizeof(cases) / sizeof(cases[0])))

/* The frames of cases[], in its order. */
static void frames_init(void)
{
	ipip_frame(cases[0].frame);
	ipip_frame(cases[1].frame);
	gue_frame(cases[2].frame, 0, EST_PORT + 1, 0x02);
	gue_frame(cases[3].frame, XLB_GUE_F_RELAYED, EST_PORT + 1, 0x10);
	gue_frame(cases[4].frame, 0, EST_PORT, 0x10);
	gue_frame(cases[5].frame, 0, EST_PORT + 1, 0x10);
}

/* One timed call of REPEAT runs of c, checked for its verdict and its counter. */
static int case_run(struct decap_bench *skel, struct dcase *c, __u32 *ns)
{
	struct bpf_program *prog = c->bare ? skel->progs.bench_bare : skel->progs.bench_decap;
	int fd = bpf_map__fd(skel->maps.xlb_decap_stats);
	struct xlb_decap_stats before, after;
	static __u8 out[OUT_MAX];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = c->frame, .data_size_in = FRAME_LEN,
		    .data_out = out, .data_size_out = OUT_MAX, .repeat = REPEAT);
	__u64 moved;
	int err;

	memcpy(skel->bss->bench_frame, c->frame, FRAME_LEN);
	err = xlb_decap_stats_read(fd, &before);
	if (!err && bpf_prog_test_run_opts(bpf_program__fd(prog), &o))
		err = -errno;
	if (!err)
		err = xlb_decap_stats_read(fd, &after);
	if (err)
		return err;
	moved = c->counter == NONE ? REPEAT
				   : *(__u64 *)((char *)&after + c->counter) -
					     *(__u64 *)((char *)&before + c->counter);
	if (o.retval != c->verdict || moved != REPEAT || skel->bss->bench_restore_fail) {
		fprintf(stderr, "Case '%s': verdict %u (want %u), its counter moved %llu of %u\n",
			c->name, o.retval, c->verdict, (unsigned long long)moved, REPEAT);
		return -EPROTO;
	}
	*ns = o.duration;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	return *(const __u32 *)a < *(const __u32 *)b ? -1 : *(const __u32 *)a > *(const __u32 *)b;
}

static void report(struct dcase *c, int n)
{
	double bare;
	int i;

	for (i = 0; i < n; i++)
		qsort(c[i].ns, ROUNDS, sizeof(c[i].ns[0]), cmp_u32);
	bare = c[0].ns[ROUNDS / 2];
	printf("%-32s %8s %8s %12s\n", "decap path (IPv4)", "ns", "x bare", "min-max");
	for (i = 0; i < n; i++)
		printf("%-32s %8u %8.2f %6u-%-5u\n", c[i].name, c[i].ns[ROUNDS / 2],
		       c[i].ns[ROUNDS / 2] / bare, c[i].ns[0], c[i].ns[ROUNDS - 1]);
}

/* Interleaved rounds: every case once per round, so drifts hit all cases alike. */
static int rounds(struct decap_bench *skel, struct dcase *c, int n)
{
	__u32 ns;
	int r, i, err;

	for (r = -1; r < ROUNDS; r++)
		for (i = 0; i < n; i++) {
			err = case_run(skel, &c[i], &ns);
			if (err)
				return err;
			if (r >= 0)
				c[i].ns[r] = ns;
		}
	return 0;
}

static struct decap_bench *load(void)
{
	static const __u8 hop[6] = { 2, 0, 0, 0, 0, 0xfe };
	struct decap_bench *skel = decap_bench__open();
	struct xlb_decap_cfg *cfg;

	if (!skel)
		return NULL;
	cfg = &skel->rodata->xlb_decap_cfg;
	inet_pton(AF_INET, "198.18.0.20", &cfg->src_v4);
	memcpy(cfg->next_hop, hop, sizeof(hop));
	if (decap_bench__load(skel)) {
		decap_bench__destroy(skel);
		return NULL;
	}
	return skel;
}

/* The namespace's sockets: a listener on VIP4:80 and one connection to it from CL4. */
static int sockets(int fds[3])
{
	int err = netns_addr(VIP4);

	if (!err)
		err = netns_addr(CL4);
	fds[0] = err ? err : netns_listen(VIP4, 80);
	if (fds[0] < 0)
		return fds[0];
	return netns_connect(fds[0], CL4, EST_PORT, VIP4, 80, fds + 1);
}

int main(void)
{
	struct decap_bench *skel;
	int back, fds[3] = { -1, -1, -1 }, i, err;

	frames_init();
	err = netns_enter(&back);
	if (err) {
		fprintf(stderr, "Couldn't enter a new network namespace: %s\n", strerror(-err));
		return 1;
	}
	err = sockets(fds);
	skel = err ? NULL : load();
	if (!err && !skel)
		err = errno ? -errno : -EINVAL;
	if (!err)
		err = rounds(skel, cases, NCASES);
	if (!err)
		report(cases, NCASES);
	else
		fprintf(stderr, "Couldn't run the decap benchmark: %s\n", strerror(-err));
	decap_bench__destroy(skel);
	for (i = 0; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	netns_leave(back);
	return err ? 1 : 0;
}
