// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * flowprobe: runs frames of chosen flows through an attached xlb program with
 * BPF_PROG_TEST_RUN and prints where each one went. Used by the root CLI tests (run.sh).
 *
 *   flowprobe [--ack] PROG_ID tcp|udp SRC:SPORT DST:DPORT [COUNT]
 *   flowprobe [--ack] PROG_ID -
 *
 * COUNT frames (default 1) from source ports SPORT.., each a TCP SYN (an ACK with --ack: a
 * later packet of the connection) or a UDP datagram, with no payload (L3 length 40/28 over
 * IPv4, 60/48 over IPv6), addressed to the MAC the program was loaded with. One line per
 * frame: "SPORT VERDICT" and, for TX, "ipip OUTER-DST", "gue OUTER-DST UDP-DPORT" (then
 * "hop SECOND-HOP", or "hop -" for none, when it carries second chance's GUE header) or
 * "dr DST-MAC". With "-", the flows are lines of stdin ("tcp|udp SRC:SPORT DST:DPORT
 * [COUNT]"), probed in order in one start, and each frame's line begins with its flow's
 * DST:DPORT as written. Every run is on CPU 0: as RSS keeps a flow on one CPU, so every probe
 * meets the same CPU's part of the connection table.
 */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include "addr.h"

#define FRAME_MAX 2048
#define ETH_LEN	  14

static const char *const verdicts[] = { "ABORTED", "DROP", "PASS", "TX", "REDIRECT" };

static void put16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static __u16 ipv4_csum(const __u8 *h)
{
	__u32 sum = 0;
	int i;

	for (i = 0; i < 20; i += 2)
		sum += h[i] << 8 | h[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

#define MAX_MAPS 32

/* The interface MAC in the program's rodata (struct xlb_cfg first, as the skeleton lays it). */
static int prog_mac(int prog_fd, __u8 mac[6])
{
	struct bpf_prog_info info = {};
	__u32 ids[MAX_MAPS], len = sizeof(info), i;
	static __u8 value[4096];
	int fd, err = -ENOENT;

	info.nr_map_ids = MAX_MAPS;
	info.map_ids = (__u64)(unsigned long)ids;
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return -errno;
	for (i = 0; i < info.nr_map_ids && i < MAX_MAPS && err == -ENOENT; i++) {
		struct bpf_map_info m = {};
		__u32 mlen = sizeof(m), zero = 0;

		fd = bpf_map_get_fd_by_id(ids[i]);
		if (fd < 0)
			return -errno;
		if (bpf_obj_get_info_by_fd(fd, &m, &mlen))
			err = -errno;
		else if (!strcmp(m.name, "xlb.rodata") && m.value_size >= sizeof(struct xlb_cfg) &&
			 m.value_size <= sizeof(value))
			err = bpf_map_lookup_elem(fd, &zero, value) ? -errno : 0;
		close(fd);
	}
	if (!err)
		memcpy(mac, ((struct xlb_cfg *)value)->if_mac, 6);
	return err;
}

/* The frame of flow (proto, src:sport -> dst:dport) to mac into f; returns its length. */
static __u32 build(__u8 *f, const __u8 *mac, __u8 proto, bool ack, const struct xlb_addr *src,
		   __u16 sport, const struct xlb_addr *dst, __u16 dport)
{
	static const __u8 peer[6] = { 2, 0, 0, 0, 0, 2 };
	__u32 l4len = proto == IPPROTO_TCP ? 20 : 8, l3 = ETH_LEN, l4;
	__u8 *ip = f + l3;

	memset(f, 0, FRAME_MAX);
	memcpy(f, mac, 6);
	memcpy(f + 6, peer, 6);
	if (src->family == XLB_FAM_V4) {
		put16(f + 12, 0x0800);
		ip[0] = 0x45;
		put16(ip + 2, 20 + l4len);
		put16(ip + 6, 0x4000); /* DF */
		ip[8] = 64;
		ip[9] = proto;
		memcpy(ip + 12, src->a, 4);
		memcpy(ip + 16, dst->a, 4);
		put16(ip + 10, ipv4_csum(ip));
		l4 = l3 + 20;
	} else {
		put16(f + 12, 0x86dd);
		ip[0] = 0x60;
		put16(ip + 4, l4len);
		ip[6] = proto;
		ip[7] = 64;
		memcpy(ip + 8, src->a, 16);
		memcpy(ip + 24, dst->a, 16);
		l4 = l3 + 40;
	}
	put16(f + l4, sport);
	put16(f + l4 + 2, dport);
	if (proto == IPPROTO_TCP) {
		f[l4 + 12] = 5 << 4; /* data offset */
		f[l4 + 13] = ack ? 0x10 : 0x02; /* ACK or SYN */
		put16(f + l4 + 14, 65535);
	} else {
		put16(f + l4 + 4, 8);
	}
	return l4 + l4len;
}

/* Second chance's GUE header at gue (variant 0, xlb's private data): the hop it names. */
static void print_hop(const __u8 *gue)
{
	struct xlb_addr a = {};
	char buf[XLB_ADDR_STRLEN];
	struct xlb_gue_hop hop;

	/* Copied out: in the frame the header is only 2-byte aligned. */
	memcpy(&hop, gue + sizeof(struct xlb_gue_hdr), sizeof(hop));
	if (gue[0] != XLB_GUE_HLEN || hop.magic != XLB_GUE_MAGIC)
		return;
	a.family = hop.family;
	memcpy(a.a, hop.addr, sizeof(a.a));
	printf(" hop %s", a.family ? xlb_addr_str(&a, buf, sizeof(buf)) : "-");
}

/* Where a TX frame goes: its outer destination if it grew (ipip/gue), else its dest MAC (dr). */
static void print_dest(const __u8 *out, __u32 out_len, __u32 in_len)
{
	struct xlb_addr a = {};
	char buf[XLB_ADDR_STRLEN];
	__u32 l4;
	__u8 next;

	if (out_len <= in_len) {
		printf(" dr %02x:%02x:%02x:%02x:%02x:%02x", out[0], out[1], out[2], out[3], out[4],
		       out[5]);
		return;
	}
	if (out[12] == 0x08 && out[13] == 0x00 && out_len >= ETH_LEN + 20) {
		a.family = XLB_FAM_V4;
		memcpy(a.a, out + ETH_LEN + 16, 4);
		next = out[ETH_LEN + 9];
		l4 = ETH_LEN + 20;
	} else if (out[12] == 0x86 && out[13] == 0xdd && out_len >= ETH_LEN + 40) {
		a.family = XLB_FAM_V6;
		memcpy(a.a, out + ETH_LEN + 24, 16);
		next = out[ETH_LEN + 6];
		l4 = ETH_LEN + 40;
	} else {
		printf(" unknown -");
		return;
	}
	printf(" %s %s", next == IPPROTO_UDP ? "gue" : "ipip", xlb_addr_str(&a, buf, sizeof(buf)));
	if (next == IPPROTO_UDP && out_len >= l4 + 8)
		printf(" %u", out[l4 + 2] << 8 | out[l4 + 3]);
	if (next == IPPROTO_UDP && out_len >= l4 + 8 + XLB_GUE_HLEN * 4 + 4)
		print_hop(out + l4 + 8);
}

/* The program probed: its fd and id, the MAC frames go to, SYNs or ACKs for TCP. */
struct prog {
	int fd;
	__u32 id;
	__u8 mac[6];
	bool ack;
};

/* A flow to probe: COUNT frames of proto from src, source ports sport.., to dst:dport. */
struct flow {
	struct xlb_addr src, dst;
	__u32 count;
	__u16 sport, dport;
	__u8 proto;
};

/* The flow of words w[0..n-1] ("tcp|udp SRC:SPORT DST:DPORT [COUNT]"); -EINVAL if not one. */
static int flow_parse(char **w, int n, struct flow *fl)
{
	fl->count = 1;
	if (n < 3 || n > 4 || xlb_proto_parse(w[0], &fl->proto) ||
	    xlb_endpoint_parse(w[1], &fl->src, &fl->sport) ||
	    xlb_endpoint_parse(w[2], &fl->dst, &fl->dport) || fl->src.family != fl->dst.family ||
	    (n == 4 && xlb_u32_parse(w[3], 1, 65536 - fl->sport, &fl->count)))
		return -EINVAL;
	return 0;
}

/* Runs the frames of fl through p and prints a line each, after prefix (may be ""). */
static int flow_run(const struct prog *p, const struct flow *fl, const char *prefix)
{
	__u8 in[FRAME_MAX], out[FRAME_MAX];
	__u32 i, len;

	for (i = 0; i < fl->count; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = in, .data_out = out,
			    .data_size_out = sizeof(out), .repeat = 1);

		len = build(in, p->mac, fl->proto, p->ack, &fl->src, fl->sport + i, &fl->dst,
			    fl->dport);
		t.data_size_in = len;
		if (bpf_prog_test_run_opts(p->fd, &t)) {
			fprintf(stderr, "flowprobe: Couldn't run program %u: %s\n", p->id,
				strerror(errno));
			return -errno;
		}
		printf("%s%u %s", prefix, fl->sport + i,
		       t.retval < sizeof(verdicts) / sizeof(verdicts[0]) ? verdicts[t.retval] : "?");
		if (t.retval == XDP_TX)
			print_dest(out, t.data_size_out, len);
		putchar('\n');
	}
	return 0;
}

/* A flow line has at most 4 words: with a fifth, flow_parse refuses the line. */
#define LINE_WORDS 5

/* The flows of stdin, one a line, each line's frames prefixed by its DST:DPORT. */
static int run_stdin(const struct prog *p)
{
	char line[512], prefix[sizeof(line) + 1], *w[LINE_WORDS], *tok, *save;
	struct flow fl;
	unsigned int nr = 0;
	int n, err;

	while (fgets(line, sizeof(line), stdin)) {
		nr++;
		n = 0;
		for (tok = strtok_r(line, " \t\n", &save); tok && n < LINE_WORDS;
		     tok = strtok_r(NULL, " \t\n", &save))
			w[n++] = tok;
		if (!n)
			continue;
		if (flow_parse(w, n, &fl)) {
			fprintf(stderr, "flowprobe: Couldn't parse flow line %u of stdin\n", nr);
			return -EINVAL;
		}
		snprintf(prefix, sizeof(prefix), "%s ", w[2]);
		err = flow_run(p, &fl, prefix);
		if (err)
			return err;
	}
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "Usage: flowprobe [--ack] PROG_ID tcp|udp SRC:SPORT DST:DPORT [COUNT]\n"
			"       flowprobe [--ack] PROG_ID - (flows on stdin, one a line)\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct prog p = { .ack = argc > 1 && !strcmp(argv[1], "--ack") };
	bool batch = argc == 3 + p.ack && !strcmp(argv[2 + p.ack], "-");
	struct flow fl;
	cpu_set_t cpu0;
	int err;

	argc -= p.ack;
	argv += p.ack;
	if (argc < 3 || xlb_u32_parse(argv[1], 1, UINT32_MAX, &p.id) ||
	    (!batch && flow_parse(argv + 2, argc - 2, &fl)))
		return usage();
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (sched_setaffinity(0, sizeof(cpu0), &cpu0)) {
		fprintf(stderr, "flowprobe: Couldn't pin to CPU 0: %s\n", strerror(errno));
		return 1;
	}
	p.fd = bpf_prog_get_fd_by_id(p.id);
	if (p.fd < 0) {
		fprintf(stderr, "flowprobe: Couldn't open program %u: %s\n", p.id, strerror(errno));
		return 1;
	}
	err = prog_mac(p.fd, p.mac);
	if (err)
		fprintf(stderr, "flowprobe: Couldn't read the MAC of program %u: %s\n", p.id,
			strerror(-err));
	else
		err = batch ? run_stdin(&p) : flow_run(&p, &fl, "");
	close(p.fd);
	return err ? 1 : 0;
}
