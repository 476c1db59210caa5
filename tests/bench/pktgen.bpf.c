// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * XDP programs of the packet-rate benchmark (tests/bench/rate_bench.c): the generator that
 * BPF_PROG_TEST_RUN runs with live frames on the generator's veth, the sink that counts what
 * comes back there, the two bare programs the balancer is compared with on the other end, the
 * floor that stands between them and xlb, and an empty one that calibrates BPF run-time stats.
 */
#include "xlb_defs.h"
#include "xlb_abi.h"
#include "xlb_hash.h"
#include "outer.h"
#include "pktgen.h"
#include "reflect.bpf.h"

/* The GUE destination port the sink counts as encapsulation; set before load. */
const volatile __u16 pktgen_gue_port = 6080;
/*
 * The template's length in words and where the TCP packet the generator varies starts in it
 * (its IPv4 and TCP headers); set before load: the TCP frame or the second-chance frame.
 */
const volatile __u32 pktgen_words = PKTGEN_WORDS;
const volatile __u32 pktgen_ip_off = PKTGEN_IP_OFF;
const volatile __u32 pktgen_tcp_off = PKTGEN_TCP_OFF;

/*
 * Written by rate_bench through the mmap of .bss before each run, read by every generator
 * run: the frame template (source port, the low 16 bits of the source address, and both
 * checksums computed with those fields zero), how flows vary, and the frames made so far
 * (plain increments: rate_bench keeps the generator on one CPU).
 */
__u64 pktgen_frame[PKTGEN_MAX_WORDS];
__u32 pktgen_mode;	/* PKTGEN_CYCLE or PKTGEN_NEW */
__u32 pktgen_flows;	/* PKTGEN_CYCLE: how many flows are cycled (at least 1) */
__u16 pktgen_port_base; /* PKTGEN_CYCLE: the first flow's source port */
__u16 pktgen_addr_lo;	/* PKTGEN_CYCLE: the low 16 bits of the source address */
__u32 pktgen_seq;	/* frames generated; PKTGEN_NEW numbers its flows with it */

/* 0 -> frames that came back to the generator's interface, by kind. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pktgen_counts);
} pktgen_counts SEC(".maps");

/* 0 -> frames the bare XDP_PASS program handed to the stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} pktgen_passed SEC(".maps");

/* A checksum over fields that were zero, after 16-bit words summing to add were written. */
static __always_inline __u16 csum_add(__u16 check, __u32 add)
{
	__u32 s = (__u16)~check + add;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return ~s;
}

/*
 * One frame per run, written whole from the template: a live-frames page comes back with
 * whatever the balancer and the sink left in it (an outer header, a swapped MAC), and only
 * the context is reset. Returns XDP_TX, which the test run sends out of its ingress device.
 */
SEC("xdp")
int pktgen_gen(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 seq = pktgen_seq++, flows = pktgen_flows, words = pktgen_words;
	/* Read-only data: constants to the verifier, so these offsets are checked as such. */
	struct iphdr *ip = data + pktgen_ip_off;
	struct tcphdr *th = data + pktgen_tcp_off;
	__u16 addr_lo, port;
	__u64 *w = data;
	__be16 a, p;
	int i;

	if (words > PKTGEN_MAX_WORDS || data + words * 8 > end || (void *)(ip + 1) > end ||
	    (void *)(th + 1) > end)
		return XDP_ABORTED;
	/* Bounded by PKTGEN_MAX_WORDS, the template's size. */
	for (i = 0; i < PKTGEN_MAX_WORDS && i < words; i++)
		w[i] = pktgen_frame[i];
	if (pktgen_mode == PKTGEN_NEW) {
		addr_lo = seq / PKTGEN_NEW_PORTS;
		port = PKTGEN_NEW_PORT_MIN + seq % PKTGEN_NEW_PORTS;
	} else {
		addr_lo = pktgen_addr_lo;
		port = pktgen_port_base + seq % (flows ? flows : 1);
	}
	a = bpf_htons(addr_lo);
	p = bpf_htons(port);
	((__be16 *)&ip->saddr)[1] = a;
	th->source = p;
	/* The address is in the IP header and the TCP pseudo-header; the port only in TCP. */
	ip->check = csum_add(ip->check, a);
	th->check = csum_add(th->check, (__u32)a + p);
	return XDP_TX;
}

/* Whether an L4 header of proto at l4 is an encapsulation the balancer sends. */
static __always_inline bool is_encap(__u8 proto, void *l4, void *end)
{
	struct udphdr *uh = l4;

	if (proto == IPPROTO_IPIP || proto == IPPROTO_IPV6)
		return true;
	if (proto != IPPROTO_UDP || (void *)(uh + 1) > end)
		return false;
	return uh->dest == bpf_htons(pktgen_gue_port);
}

/* On the generator's interface: counts each returned frame by kind and drops it. */
SEC("xdp")
int pktgen_sink(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct pktgen_counts *c;
	struct ipv6hdr *ip6;
	struct iphdr *ip;
	__u32 zero = 0;

	c = bpf_map_lookup_elem(&pktgen_counts, &zero);
	if (!c) /* index 0 of an array always exists; the verifier wants the check */
		return XDP_DROP;
	if ((void *)(eth + 1) > end) {
		c->other++;
		return XDP_DROP;
	}
	ip = (void *)(eth + 1);
	ip6 = (void *)(eth + 1);
	if (eth->h_proto == bpf_htons(ETH_P_IP) && (void *)(ip + 1) <= end) {
		if (is_encap(ip->protocol, ip + 1, end))
			c->encap++;
		else
			c->plain++;
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6) && (void *)(ip6 + 1) <= end) {
		if (is_encap(ip6->nexthdr, ip6 + 1, end))
			c->encap++;
		else
			c->plain++;
	} else {
		c->other++;
	}
	return XDP_DROP;
}

/* The baseline on the balancer's interface: swap the MACs and send the frame back. */
SEC("xdp")
int pktgen_bare(struct xdp_md *ctx)
{
	return reflect(ctx);
}

/* The baseline for traffic the balancer passes up: count the frame and pass it untouched. */
SEC("xdp")
int pktgen_pass(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&pktgen_passed, &zero);

	if (n)
		(*n)++;
	return XDP_PASS;
}

/* Buckets in each CPU's part of xlb's connection table; set before load. */
const volatile __u32 pktgen_buckets = 1;

/* xlb's connection table (xlb_conns), shared before load; one bucket where the floor never runs. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xlb_conn_bucket);
} pktgen_conns SEC(".maps");

/*
 * The floor on the balancer's end, as xdp_bench's (floor.bpf.h) for the generator's frames
 * (IPv4, TCP, no options): hash the 5-tuple, read its bucket in this CPU's part of xlb's
 * table and compare one tag, put an outer IPv4 header in front, and send it back (XDP_TX). No
 * VIP lookup, backend, check or counter.
 */
SEC("xdp")
int pktgen_floor(struct xdp_md *ctx)
{
	struct xlb_flow_key k = {.proto = IPPROTO_TCP, .family = XLB_FAM_V4};
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data, *out;
	struct iphdr *ip = (void *)(eth + 1);
	struct tcphdr *th = (void *)(ip + 1);
	__u8 gen[ETH_ALEN], own[ETH_ALEN], ttl;
	struct xlb_conn_bucket *b;
	__be16 len;
	__u32 idx;
	__u64 h;

	if ((void *)(th + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5 ||
	    ip->protocol != IPPROTO_TCP)
		return XDP_ABORTED;
	k.src[0] = ip->saddr;
	k.dst[0] = ip->daddr;
	k.sport = th->source;
	k.dport = th->dest;
	h = xlb_conn_hash(&k);
	idx = bpf_get_smp_processor_id() * pktgen_buckets + (((h >> 32) * pktgen_buckets) >> 32);
	b = bpf_map_lookup_elem(&pktgen_conns, &idx);
	if (!b)
		return XDP_ABORTED;
	/* The tag picks the outer TTL, so the read stays in the program; either TTL will do. */
	ttl = b->tag[0] == xlb_conn_tag(h) ? 64 : 63;
	len = bpf_htons(bpf_ntohs(ip->tot_len) + sizeof(struct iphdr));
	__builtin_memcpy(gen, eth->h_source, ETH_ALEN);
	__builtin_memcpy(own, eth->h_dest, ETH_ALEN);
	if (bpf_xdp_adjust_head(ctx, -(int)sizeof(struct iphdr)))
		return XDP_ABORTED;
	/* The head moved: reload the packet pointers and check the two headers again. */
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	out = data;
	ip = data + sizeof(*out);
	if ((void *)(ip + 1) > end)
		return XDP_ABORTED;
	/* Back to the generator, from the VIP to the client: addresses the sink only counts. */
	__builtin_memcpy(out->h_dest, gen, ETH_ALEN);
	__builtin_memcpy(out->h_source, own, ETH_ALEN);
	out->h_proto = bpf_htons(ETH_P_IP);
	xlb_ipv4_write(ip, 0, len, 0, 0, ttl, IPPROTO_IPIP, k.dst[0], k.src[0]);
	return XDP_TX;
}

/* Nothing: rate_bench times it with BPF run-time stats on, to learn what the stats cost. */
SEC("xdp")
int pktgen_nop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
