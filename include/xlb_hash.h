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

static inline __u32 xlb_rotl32(__u32 x, int r)
{
	return (x << r) | (x >> (32 - r));
}

static inline __u32 xlb_hash_mix(__u32 h, __u32 k)
{
	k *= 0xcc9e2d51u;
	k = xlb_rotl32(k, 15);
	k *= 0x1b873593u;
	h ^= k;
	h = xlb_rotl32(h, 13);
	return h * 5 + 0xe6546b64u;
}

static inline __u32 xlb_hash_final(__u32 h, __u32 len)
{
	h ^= len;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	return h ^ (h >> 16);
}

/* Hash of the whole 5-tuple (XLB_SCHED_MAGLEV); also feeds the GUE source port. */
static inline __u32 xlb_flow_hash(const struct xlb_flow_key *k)
{
	__u32 h = XLB_HASH_SEED;
	int i;

	for (i = 0; i < 4; i++)
		h = xlb_hash_mix(h, k->src[i]);
	for (i = 0; i < 4; i++)
		h = xlb_hash_mix(h, k->dst[i]);
	h = xlb_hash_mix(h, (__u32)k->sport << 16 | k->dport);
	h = xlb_hash_mix(h, (__u32)k->proto << 8 | k->family);
	return xlb_hash_final(h, sizeof(*k));
}

/* Hash of the source address only (XLB_SCHED_SH). */
static inline __u32 xlb_src_hash(const struct xlb_flow_key *k)
{
	__u32 h = XLB_HASH_SEED;
	int i;

	for (i = 0; i < 4; i++)
		h = xlb_hash_mix(h, k->src[i]);
	h = xlb_hash_mix(h, k->family);
	return xlb_hash_final(h, 20);
}

#endif /* XLB_HASH_H */
