// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Weighted Maglev table builder. Backends are sorted by address, each gets a permutation of the
 * slots from two seeded hashes of its address, and they take turns claiming their next
 * preferred free slot. Weights decide how often a backend's turn comes round.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "maglev.h"

#define MAGLEV_IDX_BITS	   16 /* a sorted index fits in the low 16 bits of a turn key */
#define MAGLEV_SEED_OFFSET 0x6a09e667f3bcc908ULL
#define MAGLEV_SEED_SKIP   0xbb67ae8584caa73bULL

/* One backend's walk through its permutation of the slots. */
struct maglev_perm {
	const struct xlb_maglev_backend *be;
	__u64 turns; /* turns scheduled so far */
	__u32 pos;   /* current slot: offset + j * skip (mod m) */
	__u32 skip;
};

/* The splitmix64 finaliser: a bijection on 64 bits with full avalanche. */
static __u64 mix64(__u64 x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Reads bytes in a fixed order so the hash is the same on hosts of either byte order. */
static __u64 load_be64(const __u8 *p)
{
	__u64 v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

__u64 xlb_maglev_addr_hash(const struct xlb_maglev_backend *be, __u64 seed)
{
	const __u8 *a = (const __u8 *)be->addr;
	__u64 h;

	h = mix64(seed ^ be->family);
	h = mix64(h ^ load_be64(a));
	return mix64(h ^ load_be64(a + 8));
}

int xlb_maglev_cmp_addr(const struct xlb_maglev_backend *a, const struct xlb_maglev_backend *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->addr, b->addr, sizeof(a->addr));
}

static int cmp_perm(const void *a, const void *b)
{
	const struct maglev_perm *x = a, *y = b;

	return xlb_maglev_cmp_addr(x->be, y->be);
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return (x > y) - (x < y);
}

bool xlb_is_prime(__u32 m)
{
	__u32 d;

	if (m < 2)
		return false;
	if (m % 2 == 0)
		return m == 2;
	for (d = 3; (__u64)d * d <= m; d += 2)
		if (m % d == 0)
			return false;
	return true;
}

int xlb_maglev_size_check(__u32 m, size_t n)
{
	if (m > XLB_MAGLEV_M_MAX || !xlb_is_prime(m) || n > XLB_MAGLEV_BACKENDS_MAX)
		return -EINVAL;
	if (n == 0)
		return -ENODATA;
	return 0;
}

int xlb_maglev_check(const struct xlb_maglev_backend *be)
{
	if (be->weight > XLB_MAGLEV_WEIGHT_MAX)
		return -EINVAL;
	if (be->family == XLB_FAM_V6)
		return 0;
	if (be->family != XLB_FAM_V4 || be->addr[1] || be->addr[2] || be->addr[3])
		return -EINVAL;
	return 0;
}

/*
 * Sorts the backends into perm[], rejects bad or duplicate entries, keeps those with a weight
 * (in address order) and sets each one's permutation. Returns how many were kept, or -errno.
 */
static int maglev_prepare(const struct xlb_maglev_backend *be, size_t n, __u32 m,
			  struct maglev_perm *perm, __u32 *max_weight)
{
	const struct xlb_maglev_backend *b, *prev = NULL;
	size_t i, kept = 0;
	int err;

	for (i = 0; i < n; i++) {
		err = xlb_maglev_check(&be[i]);
		if (err)
			return err;
		perm[i].be = &be[i];
	}
	qsort(perm, n, sizeof(*perm), cmp_perm);

	*max_weight = 0;
	for (i = 0; i < n; prev = b, i++) {
		b = perm[i].be;
		if (prev && xlb_maglev_cmp_addr(prev, b) == 0)
			return -EINVAL;
		if (b->weight == 0)
			continue;
		if (b->weight > *max_weight)
			*max_weight = b->weight;
		perm[kept].be = b;
		perm[kept].turns = 0;
		perm[kept].pos = xlb_maglev_addr_hash(b, MAGLEV_SEED_OFFSET) % m;
		perm[kept].skip = xlb_maglev_addr_hash(b, MAGLEV_SEED_SKIP) % (m - 1) + 1;
		kept++;
	}
	return kept ? (int)kept : -ENODATA;
}

/*
 * Credit scheme: each round every backend earns its weight and claims a slot per max_weight
 * earned. As weight <= max_weight, backend idx claims at most once a round, and its k-th claim
 * falls in round ceil(k * max_weight / weight). A turn key orders claims by (round, idx), and
 * a heap of keys finds the next claim in O(log n) even when one weight dwarfs the rest and most
 * rounds see a single claim; walking every backend through every round would cost n a round.
 */
static __u64 next_turn(struct maglev_perm *p, __u32 idx, __u32 max_weight)
{
	__u64 w = p->be->weight;
	__u64 round;

	p->turns++;
	round = (p->turns * max_weight + w - 1) / w;

	return round << MAGLEV_IDX_BITS | idx;
}

/*
 * Min-heap of turn keys: puts key in place of the root, which just took its turn. The hole
 * first goes down the smaller children to a leaf, then key rises from there: a key that was
 * just pushed one round later usually belongs near the bottom, so this compares less than
 * sifting key down.
 */
static void replace_root(__u64 *heap, size_t len, __u64 key)
{
	size_t i = 0, c;

	while ((c = 2 * i + 1) + 1 < len) {
		c += heap[c + 1] < heap[c]; /* branch-free: the smaller child is unpredictable */
		heap[i] = heap[c];
		i = c;
	}
	if (c < len) {
		heap[i] = heap[c];
		i = c;
	}
	while (i > 0 && heap[(i - 1) / 2] > key) {
		heap[i] = heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	heap[i] = key;
}

/* The backend whose turn it is takes the next free slot of its permutation. */
static void claim_slot(struct maglev_perm *p, __u64 *taken, __u32 *table, __u32 m)
{
	while (taken[p->pos / 64] & 1ULL << (p->pos % 64)) {
		p->pos += p->skip;
		if (p->pos >= m)
			p->pos -= m;
	}
	taken[p->pos / 64] |= 1ULL << (p->pos % 64);
	table[p->pos] = p->be->id;
}

static int maglev_fill(struct maglev_perm *perm, size_t n, __u32 max_weight, __u32 *table, __u32 m)
{
	__u64 *heap, *taken;
	__u32 filled, idx;
	size_t i;
	int err = 0;

	heap = malloc(n * sizeof(*heap));
	if (!heap)
		return -ENOMEM;
	taken = calloc(m / 64 + 1, sizeof(*taken));
	if (!taken) {
		err = -ENOMEM;
		goto free_heap;
	}

	for (i = 0; i < n; i++)
		heap[i] = next_turn(&perm[i], i, max_weight);
	qsort(heap, n, sizeof(*heap), cmp_u64); /* a sorted array is a heap */

	for (filled = 0; filled < m; filled++) {
		idx = heap[0] & ((1U << MAGLEV_IDX_BITS) - 1);
		replace_root(heap, n, next_turn(&perm[idx], idx, max_weight));
		claim_slot(&perm[idx], taken, table, m);
	}

	free(taken);
free_heap:
	free(heap);
	return err;
}

int xlb_maglev_build(const struct xlb_maglev_backend *be, size_t n, __u32 *table, __u32 m)
{
	struct maglev_perm *perm;
	__u32 max_weight;
	int kept, err;

	err = xlb_maglev_size_check(m, n);
	if (err)
		return err;

	perm = calloc(n, sizeof(*perm));
	if (!perm)
		return -ENOMEM;

	kept = maglev_prepare(be, n, m, perm, &max_weight);
	if (kept < 0) {
		err = kept;
		goto free_perm;
	}
	err = maglev_fill(perm, kept, max_weight, table, m);

free_perm:
	free(perm);
	return err;
}
