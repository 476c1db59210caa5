// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Two-hop table builder for second-chance forwarding (issue 12).
 *
 * Rule. Each backend with a weight ranks itself in every slot on its own: its k-th slot is
 * base + scale * (start + k)^e (mod the prime m; base, scale and start hashed from its
 * address, e the smallest odd exponent coprime to m - 1, so the power is a bijection) and its
 * time there is Q[k] / weight, Q[k] = -ln(1 - (k + 1/2) / m) in integer fixed point:
 * exponential arrival times at evenly spaced quantiles, i.e. a weighted rendezvous hash.
 * Earlier is better; a tie goes to the lower address. First hop: the best ranked backend not
 * drained. Second hop: the best ranked other one, drained or not. Weight 0 takes no part.
 * Nothing but the set decides.
 *
 * Safe changes: each moves only the slots the changed backend gains or loses, and every moved
 * slot names its old first hop as second hop. From a set with no drained backend: add one
 * backend, drain one, raise one weight (a slow-start step); undrain or delete the one drained
 * backend (a delete moves no first hop). Unsafe, as no history-free rule with two hops knows
 * which of several old first hops a slot had (share of moved slots that lose theirs, measured
 * in tests/unit/test_twohop_change.c): lowering a weight (a 10% step 12%, halving 45%),
 * adding two at once (8%) or three (18%), any change while another backend is drained (18-23%,
 * as the drained one holds the second hop where it ranks above the old first). So: one change
 * at a time, finish a drain (delete or undrain) before the next change, lower weights in small
 * steps. A drained backend stays second hop where it led while only the first hop outranks it.
 *
 * Spread: rendezvous ranks place first hops by chance, not by turns as Maglev does: about
 * as a random rank per slot would, cv sqrt(backends / 2 / slots) (the winner's own times are
 * evenly spaced), where Maglev stays within 1%. A balanced first hop would move slots between
 * unchanged backends on an add, whose old owners no history-free second hop can name (Maglev,
 * 100 backends: 0.45% of slots have two or more possible). The power keeps the chance fair:
 * with an affine order (pos + k * skip) two backends' visits were affinely related too, and
 * where their skips stood in a small ratio (1/3, 6/7) one ran behind the other in most slots;
 * such backends strayed up to 20% off their share at 65537 slots and 8.5% at 1048573, however
 * large the table. Measured over 60 sets of 100 equal backends (the five of test_twohop.c and
 * random ones), worst deviation from the ideal share (before: affine order): 65537 slots
 * 5.7-9.9%, cv 2.8% (5.4-19.9%, cv 2.7%); 1000 backends 25-37%, cv 8.7% (25-57%); 1048573
 * 1.3-2.5% (1.4-8.5%). Over 55 sets: 5242877 0.64-1.16%; 6291449 0.6-1.02%; 6815741 0.57-1.01%;
 * 7340009 0.53-0.95% (up to 3.0%); 8388593 0.51-0.87%. So Maglev's 1% takes 7340009 slots,
 * the smallest size measured within it for every set (tests/unit/test_twohop.c asserts it for
 * one): 28 MiB a VIP at 4 bytes a slot (twice that while a swap replaces it) and 3-5 s of CPU a
 * build, against 256 KiB and 20 ms at the default.
 *
 * Cost. Rather than rank all n backends in all m slots, the backends race in bands of time:
 * a slot needs only its first arrivals, so work is about m ln m arrivals for any n, and a
 * slot whose hops are settled is skipped by a bit. Here: 10-15 ms for 100 or 1000 backends and
 * 65537 slots, 30 ms for 65536 backends; 0.34 s for 2^20 slots and 8 s for the largest table
 * (random access to 24 bytes a slot; Maglev: 71 ms and 1.6 s). With 100 backends on a busy
 * VM (December 2026): 0.5 s for 1048573 slots, 1.2 s for 2097143, 2.5 s for 4194301, 4.7 s
 * for 7340009 (CPU time). Drained backends slow it down when few are left to take first hops
 * (999 of 1000 drained: 0.4 s). Those figures are for the affine order; the power costs a
 * multiplication and a table of m powers more (best CPU time, affine -> power: 1000 backends
 * in 65537 slots 5.3 -> 7.9 ms, 100 in 1048573 185 -> 248 ms, in 7340009 2.4 -> 3.3 s).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "twohop.h"

#define TWOHOP_SEED_OFFSET 0x3c6ef372fe94f82bULL
#define TWOHOP_SEED_SCALE  0xa54ff53a5f1d36f1ULL
#define TWOHOP_SEED_START  0x510e527fade682d1ULL
#define TWOHOP_FRAC_BITS   40 /* sums of log steps, Q[m - 1] = ln(2m) < 17.4: under 2^45 */
#define TWOHOP_Q_SHIFT	   13 /* race times keep 27 of them: 32 bits, steps of 2^-25 or more */
#define TWOHOP_NONE	   0xffffffffU

/*
 * One backend's race: its k-th slot is base + scale * P[x] (mod m), x = start + k (mod m), with
 * P the power map below. Each of the three is hashed from its address; scale is in [1, m - 1],
 * so as P is a bijection of [0, m) the backend reaches every slot once.
 */
struct twohop_runner {
	const struct xlb_twohop_backend *b;
	__u32 q;   /* Q[k]: when it reaches its k-th slot, before dividing by its weight */
	__u32 k;   /* slots reached so far */
	__u32 x;   /* start + k (mod m) */
	__u32 pos; /* its k-th slot */
	__u32 base;
	__u32 scale;
	__u32 weight;
	bool drain;
};

/* The best ranked backends that reached a slot so far (indices into the runners, or NONE). */
struct twohop_slot {
	__u32 q1, q2, qa;
	__u32 r1, r2; /* first and second to arrive, drained or not */
	__u32 ra;     /* first not drained to arrive */
};

/*
 * ln((x + 1) / (x - 1)) = 2 (1/x + 1/(3 x^3) + 1/(5 x^5) + ...) in fixed point, for x >= 2.
 * Integers only, so every host computes the same ranks (libm's log may differ in the last bit).
 */
static __u64 log_step(__u64 x)
{
	__u64 x2 = x * x, p = (2ULL << TWOHOP_FRAC_BITS) / x, sum = 0, t;

	for (t = 1; p; t += 2, p /= x2)
		sum += p / t;
	return sum;
}

/*
 * Q[k] = ln(2m) - ln(2m - 2k - 1) = -ln(1 - (k + 1/2) / m): the time of the k-th of m arrivals
 * spread evenly in probability over an exponential clock, the same for every runner. Filled
 * as far as the fastest runner got: Q[0] needs x = 4m - 1, and each next step x = 2m - 2k,
 * which stays >= 2 up to k = m - 1, the last slot a runner reaches.
 */
struct twohop_clock {
	__u32 *q;
	__u32 len; /* q[0..len-1] are filled */
	__u64 acc; /* q[len - 1] with TWOHOP_FRAC_BITS */
	__u32 m;
};

static __u32 clock_at(struct twohop_clock *c, __u32 k)
{
	for (; c->len <= k; c->len++) {
		c->acc += log_step(c->len ? 2ULL * c->m - 2ULL * c->len : 4ULL * c->m - 1);
		c->q[c->len] = c->acc >> TWOHOP_Q_SHIFT;
	}
	return c->q[k];
}

/*
 * P[x] = x^e mod m for the smallest odd e >= 3 coprime to m - 1: a bijection of [0, m) (m is
 * prime), and not an affine one, so no two backends reach the slots in related orders.
 */
struct twohop_order {
	__u32 *p;
	__u64 inv; /* (2^64 - 1) / m, to take a remainder without dividing */
	__u32 m;
};

/* v mod m for v < 2^49: v * inv / 2^64 is v / m or one less. */
static __u32 order_mod(const struct twohop_order *o, __u64 v)
{
	v -= (__u64)(((unsigned __int128)v * o->inv) >> 64) * o->m;
	return v >= o->m ? v - o->m : v;
}

/* A runner's k-th slot, base + scale * P[x] (mod m). */
static __u32 order_slot(const struct twohop_order *o, const struct twohop_runner *r)
{
	return order_mod(o, r->base + (__u64)r->scale * o->p[r->x]);
}

static void runner_advance(struct twohop_runner *r, struct twohop_clock *c,
			   const struct twohop_order *o)
{
	r->k++;
	if (r->k < c->m)
		r->q = clock_at(c, r->k);
	if (++r->x == c->m)
		r->x = 0;
	r->pos = order_slot(o, r);
}

static void order_init(struct twohop_order *o)
{
	__u64 e = 3, g, a, b, x, p, i, m = o->m;

	for (;; e += 2) {
		for (a = e, b = m - 1; b; g = a % b, a = b, b = g)
			;
		if (a == 1)
			break;
	}
	o->inv = ~0ULL / m;
	for (x = 0; x < m; x++) {
		for (p = 1, i = 0; i < e; i++)
			p = order_mod(o, p * x);
		o->p[x] = p;
	}
}

/* Whether runner a reaches a slot at Q value qa before runner b at qb (times are q / weight). */
static bool ahead(const struct twohop_runner *run, __u32 a, __u32 qa, __u32 b, __u32 qb)
{
	__u64 x = (__u64)qa * run[b].weight, y = (__u64)qb * run[a].weight;

	return x < y || (x == y && a < b); /* a tie goes to the lower address */
}

/* The slot has its first hop and its second (unless a single backend has a weight). */
static bool slot_done(const struct twohop_slot *s)
{
	return s->ra != TWOHOP_NONE && (s->r1 != s->ra || s->r2 != TWOHOP_NONE);
}

/* Runner i reaches slot s at q: keeps the two best arrivals and the best one not drained. */
static void arrive(const struct twohop_runner *run, struct twohop_slot *s, __u32 i, __u32 q)
{
	if (!run[i].drain && (s->ra == TWOHOP_NONE || ahead(run, i, q, s->ra, s->qa))) {
		s->ra = i;
		s->qa = q;
	}
	if (s->r1 == TWOHOP_NONE || ahead(run, i, q, s->r1, s->q1)) {
		s->r2 = s->r1;
		s->q2 = s->q1;
		s->r1 = i;
		s->q1 = q;
	} else if (s->r2 == TWOHOP_NONE || ahead(run, i, q, s->r2, s->q2)) {
		s->r2 = i;
		s->q2 = q;
	}
}

static int cmp_runner(const void *a, const void *b)
{
	const struct twohop_runner *x = a, *y = b;

	return xlb_maglev_cmp_addr(&x->b->be, &y->b->be);
}

/*
 * Sorts the backends into run[] by address, rejects bad or duplicate entries, keeps those with
 * a weight and starts their races. Returns how many were kept, or -errno.
 */
static int twohop_prepare(const struct xlb_twohop_backend *be, size_t n,
			  const struct twohop_order *o, struct twohop_runner *run,
			  __u64 *total_weight)
{
	size_t i, kept = 0, active = 0;
	__u32 m = o->m;
	struct twohop_runner *r;
	int err;

	for (i = 0; i < n; i++) {
		err = xlb_maglev_check(&be[i].be);
		if (err)
			return err;
		run[i].b = &be[i];
	}
	qsort(run, n, sizeof(*run), cmp_runner);

	*total_weight = 0;
	for (i = 0; i < n; i++) {
		if (i > 0 && xlb_maglev_cmp_addr(&run[i - 1].b->be, &run[i].b->be) == 0)
			return -EINVAL;
		if (run[i].b->be.weight == 0)
			continue;
		r = &run[kept++];
		*r = run[i]; /* kept <= i: an entry is only moved down */
		r->weight = r->b->be.weight;
		r->drain = r->b->drain;
		r->k = 0;
		r->base = xlb_maglev_addr_hash(&r->b->be, TWOHOP_SEED_OFFSET) % m;
		r->scale = xlb_maglev_addr_hash(&r->b->be, TWOHOP_SEED_SCALE) % (m - 1) + 1;
		r->x = xlb_maglev_addr_hash(&r->b->be, TWOHOP_SEED_START) % m;
		r->pos = order_slot(o, r);
		*total_weight += r->weight;
		active += !r->drain;
	}
	return active ? (int)kept : -ENODATA;
}

/*
 * Runs the race in bands: every runner takes all its arrivals before time t (q < t * weight),
 * in any order, as each slot keeps only its best arrivals. After a band, a slot that has its
 * hops has them for good: later arrivals are all slower, so the band marks it final and later
 * bands skip it (a bit per slot is read where a slot would be read and written). t starts
 * where a slot has seen about two arrivals and grows by a quarter a band, so the last band
 * overshoots by at most that. It ends when every slot is final or every runner has reached
 * every slot. new_done holds room for m slot numbers.
 */
static void twohop_race(struct twohop_runner *run, size_t n, __u64 total_weight,
			struct twohop_clock *c, const struct twohop_order *o,
			struct twohop_slot *slot, __u64 *final, __u32 *new_done)
{
	__u64 t = (2ULL << (TWOHOP_FRAC_BITS - TWOHOP_Q_SHIFT)) / total_weight + 1;
	__u32 m = c->m, done = 0, fresh, j;
	size_t i, live = n;

	for (i = 0; i < n; i++)
		run[i].q = clock_at(c, 0);
	while (done < m && live > 0) {
		live = 0;
		fresh = 0;
		for (i = 0; i < n; i++) {
			struct twohop_runner *r = &run[i];
			struct twohop_slot *sl;

			for (; r->k < m && r->q < t * r->weight; runner_advance(r, c, o)) {
				if (final[r->pos / 64] & 1ULL << (r->pos % 64))
					continue;
				sl = &slot[r->pos];
				if (slot_done(sl)) {
					arrive(run, sl, i, r->q);
					continue;
				}
				arrive(run, sl, i, r->q);
				if (slot_done(sl))
					new_done[fresh++] = r->pos;
			}
			live += r->k < m;
		}
		for (j = 0; j < fresh; j++)
			final[new_done[j] / 64] |= 1ULL << (new_done[j] % 64);
		done += fresh;
		t += t / 4 + 1; /* t * weight < 2^33 * 2^16 even in the band where all finish */
	}
}

static void twohop_fill(const struct twohop_runner *run, const struct twohop_slot *slot,
			__u32 *first, __u32 *second, __u32 m)
{
	__u32 s, sec;

	for (s = 0; s < m; s++) {
		sec = slot[s].r1 != slot[s].ra ? slot[s].r1 : slot[s].r2;
		if (sec == TWOHOP_NONE)
			sec = slot[s].ra;
		first[s] = run[slot[s].ra].b->be.id;
		second[s] = run[sec].b->be.id;
	}
}

int xlb_twohop_build(const struct xlb_twohop_backend *be, size_t n, __u32 *first, __u32 *second,
		     __u32 m)
{
	struct twohop_runner *run;
	struct twohop_slot *slot = NULL;
	struct twohop_clock clock = {.m = m};
	struct twohop_order order = {.m = m};
	__u32 *new_done = NULL;
	__u64 total_weight = 0, *final = NULL;
	int kept, err = xlb_maglev_size_check(m, n);

	if (err)
		return err;

	run = calloc(n, sizeof(*run));
	order.p = malloc((size_t)m * sizeof(*order.p));
	if (!run || !order.p) {
		err = -ENOMEM;
		goto free_run;
	}
	order_init(&order);
	kept = twohop_prepare(be, n, &order, run, &total_weight);
	if (kept < 0) {
		err = kept;
		goto free_run;
	}
	slot = malloc((size_t)m * sizeof(*slot));
	final = calloc(m / 64 + 1, sizeof(*final));
	new_done = malloc((size_t)m * sizeof(*new_done));
	clock.q = malloc((size_t)m * sizeof(*clock.q));
	if (!slot || !final || !new_done || !clock.q) {
		err = -ENOMEM;
		goto free_race;
	}
	memset(slot, 0xff, (size_t)m * sizeof(*slot)); /* every index TWOHOP_NONE */

	twohop_race(run, kept, total_weight, &clock, &order, slot, final, new_done);
	twohop_fill(run, slot, first, second, m);

free_race:
	free(clock.q);
	free(new_done);
	free(final);
	free(slot);
free_run:
	free(order.p);
	free(run);
	return err;
}
