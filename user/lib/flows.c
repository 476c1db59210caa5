// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The connection table walked in memory for xlb flows list and flush (flows.h): reading a
 * slot the way the other CPUs do (bpf/conn_moved.h), selecting, paging and clearing.
 */
#include <string.h>
#include "flows.h"

bool xlb_flows_read_slot(const struct xlb_conn_bucket *b, int i, struct xlb_flow_seen *out)
{
	__u16 t = __atomic_load_n(&b->tag[i], __ATOMIC_ACQUIRE);

	if (!t)
		return false;
	out->tag = t;
	memcpy(&out->c, &b->slot[i], sizeof(out->c));
	out->est = !!(__atomic_load_n(&b->est, __ATOMIC_RELAXED) & (1 << i));
	/* The owner unpublishes a tag while it rewrites the slot: unchanged means whole. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&b->tag[i], __ATOMIC_RELAXED) == t;
}

bool xlb_flows_match(const struct xlb_flows_filter *f, const struct xlb_conn *c)
{
	const struct xlb_backend *be;

	if (c->backend >= XLB_MAX_BACKENDS)
		return false;
	be = &f->be[c->backend];
	/* An entry whose backend id was released (gen moved on) is followed by no packet. */
	if (!(be->flags & XLB_BE_F_ACTIVE) || be->gen != c->gen)
		return false;
	if (f->by_vip && be->vip_id != f->vip_id)
		return false;
	return !f->by_be || (be->family == f->be_addr.family &&
			     !memcmp(be->addr, f->be_addr.a, sizeof(be->addr)));
}

void xlb_flows_page(const struct xlb_conn_bucket *t, __u64 n, __u64 from, __u32 limit,
		    const struct xlb_flows_filter *f, xlb_flow_fn fn, void *ctx,
		    struct xlb_flows_page *out)
{
	struct xlb_flow_seen s;
	__u64 pos;

	memset(out, 0, sizeof(*out));
	for (pos = from; pos < n * XLB_CONN_SLOTS; pos++) {
		if (!xlb_flows_read_slot(&t[pos / XLB_CONN_SLOTS], pos % XLB_CONN_SLOTS, &s) ||
		    !xlb_flows_match(f, &s.c))
			continue;
		if (out->listed == limit) {
			out->more++;
			continue;
		}
		s.pos = pos;
		fn(&s, ctx);
		out->listed++;
		out->last = pos;
	}
}

/*
 * Clears slot i of b if it still holds what s read. The owner CPU writes a slot as: tag 0,
 * the key, the new tag (bpf/conn.h); this compare-and-swap of the tag alone fails once the
 * owner has begun, so a slot being rewritten keeps its new flow whole. What remains: the
 * owner rewriting the slot with a flow of the same 16-bit tag between our read and the swap,
 * which clears that newer flow; its next packet is then sent by Maglev (or the SYN table) and
 * recorded again, as for any flow the table let go. est is read apart from the tag, so a flow
 * established at that very moment may be counted as probation: one count, not a slot.
 */
static bool clear_slot(struct xlb_conn_bucket *b, int i, const struct xlb_flow_seen *s)
{
	__u16 t = s->tag;

	return __atomic_compare_exchange_n(&b->tag[i], &t, 0, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_RELAXED);
}

void xlb_flows_clear(struct xlb_conn_bucket *t, __u64 n, const struct xlb_flows_filter *f,
		     struct xlb_flows_cleared *cleared)
{
	struct xlb_flow_seen s;
	__u64 idx;
	int i;

	for (idx = 0; idx < n; idx++) {
		for (i = 0; i < XLB_CONN_SLOTS; i++) {
			if (!xlb_flows_read_slot(&t[idx], i, &s) || !xlb_flows_match(f, &s.c) ||
			    !clear_slot(&t[idx], i, &s))
				continue;
			cleared->flows++;
			cleared->established += s.est;
		}
	}
}
