/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The flow hashes, shared by the XDP program and userspace (xlb explain, tests) so both pick
 * the same Maglev slot and connection-table bucket. Murmur3's 32-bit block and finaliser over
 * the key's words for Maglev; a cheaper 64-bit one for the table. No helper call, constant
 * trip counts.
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
 * Hash of the whole 5-tuple that picks a new flow's Maglev slot (XLB_SCHED_MAGLEV). IPv4
 * mixes only the words it uses.
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

#define XLB_CONN_MUL 0x9e3779b97f4a7c15ull /* 2^64 / golden ratio, odd */

/* Two 32-bit words as one 64-bit word, a first, so both sides build the same value. */
static __always_inline __u64 xlb_pair(__u32 a, __u32 b)
{
	return (__u64)a << 32 | b;
}

/*
 * One word into the table hash. A multiply carries a difference only upwards: the shift
 * brings the high half down before the next word, or keys differing only in high halves
 * (source address and ports) would collide in whole.
 */
static __always_inline __u64 xlb_conn_mix(__u64 h, __u64 w)
{
	h = (h ^ w) * XLB_CONN_MUL;
	return h ^ (h >> 32);
}

/*
 * Hash of the whole 5-tuple for the connection table, and the flow hash outer headers carry
 * (GUE source port, IPv6 flow label): one multiply and shift per 64 bits of key (IPv4 mixes
 * only the words it uses) and murmur3's 64-bit finaliser, a quarter of xlb_flow_hash()'s multiplies,
 * since every known packet pays it. The high half picks the bucket and goes into outer
 * headers; xlb_conn_tag() takes the low half.
 */
static __always_inline __u64 xlb_conn_hash(const struct xlb_flow_key *k)
{
	__u64 h = XLB_HASH_SEED;
	int i;

	if (k->family == XLB_FAM_V4) {
		h = xlb_conn_mix(h, xlb_pair(k->src[0], k->dst[0]));
	} else {
		for (i = 0; i < 4; i++)
			h = xlb_conn_mix(h, xlb_pair(k->src[i], k->dst[i]));
	}
	h = xlb_conn_mix(h, xlb_pair((__u32)k->sport << 16 | k->dport,
				     (__u32)k->proto << 8 | k->family));
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 33);
}

/* A slot's tag in its bucket: 16 bits of the hash the bucket index does not use, never 0. */
static __always_inline __u16 xlb_conn_tag(__u64 hash)
{
	return (__u16)hash | 1;
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

/*
 * Full NAT's candidate i (0 <= i < XLB_SNAT_TRIES) of a flow whose hash is hash, from a pool of
 * count (>= 1) addresses: the pool index into *idx and the port (host order) as return value.
 * Each i is mixed apart, so two flows that collide on one candidate rarely share the next.
 */
static __always_inline __u16 xlb_snat_candidate(__u32 hash, __u32 i, __u32 count, __u32 *idx)
{
	__u32 h = xlb_hash_final(xlb_hash_mix(hash, i), 4);
	__u32 span = XLB_SNAT_PORT_MAX - XLB_SNAT_PORT_MIN + 1;

	*idx = (h / span) % count;
	return XLB_SNAT_PORT_MIN + h % span;
}

#endif /* XLB_HASH_H */
