/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The flow hash, shared by the XDP program and userspace (xlb explain, tests) so both pick
 * the same Maglev slot. Murmur3's 32-bit block and finaliser over the key's words: cheap in
 * BPF (no helper call, constant trip count) and well spread for Maglev's modulo.
 * Include after xlb_abi.h.
 */
#ifndef XLB_HASH_H
#define XLB_HASH_H

#define XLB_HASH_SEED 0x786c6221u /* "xlb!" */

/* Inlined in BPF too: a BPF-to-BPF call costs a return through the SRSO thunk here. */
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

static __always_inline __u32 xlb_rotl32(__u32 x, int r)
{
	return (x << r) | (x >> (32 - r));
}

static __always_inline __u32 xlb_hash_mix(__u32 h, __u32 k)
{
	k *= 0xcc9e2d51u;
	k = xlb_rotl32(k, 15);
	k *= 0x1b873593u;
	h ^= k;
	h = xlb_rotl32(h, 13);
	return h * 5 + 0xe6546b64u;
}

static __always_inline __u32 xlb_hash_final(__u32 h, __u32 len)
{
	h ^= len;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	return h ^ (h >> 16);
}

/*
 * Hash of the whole 5-tuple (XLB_SCHED_MAGLEV); also feeds the GUE source port and the IPv6
 * flow label. IPv4 mixes only the words it uses.
 */
static __always_inline __u32 xlb_flow_hash(const struct xlb_flow_key *k)
{
	__u32 h = XLB_HASH_SEED;
	int i;

	if (k->family == XLB_FAM_V4) {
		h = xlb_hash_mix(h, k->src[0]);
		h = xlb_hash_mix(h, k->dst[0]);
	} else {
		for (i = 0; i < 4; i++)
			h = xlb_hash_mix(h, k->src[i]);
		for (i = 0; i < 4; i++)
			h = xlb_hash_mix(h, k->dst[i]);
	}
	h = xlb_hash_mix(h, (__u32)k->sport << 16 | k->dport);
	h = xlb_hash_mix(h, (__u32)k->proto << 8 | k->family);
	return xlb_hash_final(h, sizeof(*k));
}

/* Hash of the source address only (XLB_SCHED_SH). */
static __always_inline __u32 xlb_src_hash(const struct xlb_flow_key *k)
{
	__u32 h = XLB_HASH_SEED;
	int i;

	for (i = 0; i < 4; i++)
		h = xlb_hash_mix(h, k->src[i]);
	h = xlb_hash_mix(h, k->family);
	return xlb_hash_final(h, 20);
}

/* The xlb_vip_filter bit of a (destination) address: Fibonacci hashing of its words. */
static __always_inline __u32 xlb_addr_filter_bit(const __be32 *addr)
{
	__u32 x = addr[0] ^ addr[1] ^ addr[2] ^ addr[3];

	return (x * 0x9e3779b1u) >> 16; /* 16 bits: XLB_FILTER_BITS */
}

#endif /* XLB_HASH_H */
