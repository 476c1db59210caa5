// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Applying a desired state to the maps (reading it back is state_read.c). The order of writes
 * is what keeps the data plane consistent at every instant: a table only ever names backends
 * that are already written, and a backend leaves only after no table names it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "addr.h"
#include "health_conf.h"
#include "maglev.h"
#include "state.h"
#include "xlb_hash.h"

/* Every backend entry, read in one batch. */
struct be_table {
	struct xlb_backend e[XLB_MAX_BACKENDS];
};

static void vip_key_of(const struct xlb_vip_name *n, struct xlb_vip_key *k)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->addr, n->addr.a, sizeof(k->addr));
	k->family = n->addr.family;
	k->port = htons(n->port);
	k->proto = n->proto;
}

/* The desired state with ids assigned, against what the maps hold now. */
struct plan {
	const struct xlb_lb *lb;
	unsigned int flags;
	struct xlb_conf cur;
	struct xlb_conf want;
	struct be_table *bt;
	bool vip_used[XLB_MAX_VIPS];
	bool be_kept[XLB_MAX_BACKENDS]; /* ids the desired state uses */
};

static int assign_ids(struct plan *p)
{
	struct xlb_vip_conf *w, *c;
	struct xlb_be_conf *b, *cb;
	__u32 next_be = 1, next_vip = 0;
	size_t i, j;

	for (i = 0; i < p->cur.nvips; i++)
		p->vip_used[p->cur.vips[i].id] = true;
	/* Nor the id an active backend names: it may be left from an apply cut short, for a VIP
	 * that never appeared, and must not join another one (the next apply frees it). */
	for (i = 1; i < XLB_MAX_BACKENDS; i++)
		if (p->bt->e[i].flags & XLB_BE_F_ACTIVE && p->bt->e[i].vip_id < XLB_MAX_VIPS)
			p->vip_used[p->bt->e[i].vip_id] = true;
	for (i = 0; i < p->want.nvips; i++) {
		w = &p->want.vips[i];
		c = xlb_conf_find_vip(&p->cur, &w->name);
		if (c) {
			w->id = c->id;
		} else {
			while (next_vip < XLB_MAX_VIPS && p->vip_used[next_vip])
				next_vip++;
			if (next_vip == XLB_MAX_VIPS)
				return -ENOSPC;
			w->id = next_vip;
			p->vip_used[next_vip] = true;
		}
		for (j = 0; j < w->nbackends; j++) {
			b = &w->backends[j];
			cb = xlb_vip_find_backend(c, &b->addr);
			if (!(p->flags & XLB_APPLY_HEALTH))
				b->down = cb && cb->down;
			if (cb) {
				b->id = cb->id;
				p->be_kept[b->id] = true;
				continue;
			}
			/* A free id: not active now and not taken by this plan. */
			while (next_be < XLB_MAX_BACKENDS &&
			       ((p->bt->e[next_be].flags & XLB_BE_F_ACTIVE) || p->be_kept[next_be]))
				next_be++;
			if (next_be == XLB_MAX_BACKENDS)
				return -ENOSPC;
			b->id = next_be;
			p->be_kept[next_be] = true;
		}
	}
	return 0;
}

/* Takes new flows: weighted, not drained, and up (or ignoring health, when none is up). */
static bool in_table(const struct xlb_be_conf *b, bool fail_open)
{
	return b->weight && !b->drain && (!b->down || fail_open);
}

/* Whether v's table ignores health: none of its backends is up and its policy is "all". */
static bool fails_open(const struct xlb_vip_conf *v)
{
	size_t i;

	if (v->health.all_down != XLB_ALL_DOWN_ALL)
		return false;
	for (i = 0; i < v->nbackends; i++)
		if (in_table(&v->backends[i], false))
			return false;
	return true;
}

/*
 * The signature of the backends v's table is built from: a sum (so order does not matter) of
 * a hash of each one's address and weight. 1 for no table; never 0, which the VIP entry holds
 * while its table is being replaced, so a change cut short is redone by the next apply.
 */
static __u32 table_sig(const struct xlb_vip_conf *v)
{
	bool open = fails_open(v);
	__u32 sig = 0, h;
	size_t i;
	int k;

	for (i = 0; i < v->nbackends; i++) {
		if (!in_table(&v->backends[i], open))
			continue;
		h = xlb_hash_mix(XLB_HASH_SEED, v->backends[i].addr.family);
		for (k = 0; k < 4; k++)
			h = xlb_hash_mix(h, v->backends[i].addr.a[k]);
		sig += xlb_hash_final(xlb_hash_mix(h, v->backends[i].weight), 24);
	}
	return sig | 1;
}

/* The table the maps hold was built from another set than w's (or it is not known). */
static bool table_changed(const struct xlb_vip_conf *c, const struct xlb_vip_conf *w)
{
	return !c || c->table_sig != table_sig(w);
}

static int write_table(const struct plan *p, const struct xlb_vip_conf *w)
{
	struct xlb_maglev_backend *mb;
	bool open = fails_open(w);
	__u32 *table = NULL;
	size_t i, n = 0;
	int err = -ENOMEM;

	mb = calloc(w->nbackends ? w->nbackends : 1, sizeof(*mb));
	if (!mb)
		return -ENOMEM;
	for (i = 0; i < w->nbackends; i++) {
		if (!in_table(&w->backends[i], open))
			continue;
		memcpy(mb[n].addr, w->backends[i].addr.a, sizeof(mb[n].addr));
		mb[n].family = w->backends[i].addr.family;
		mb[n].weight = w->backends[i].weight;
		mb[n].id = w->backends[i].id;
		n++;
	}
	table = malloc(p->lb->table_size * sizeof(*table));
	if (table)
		err = xlb_maglev_build(mb, n, table, p->lb->table_size);
	if (err == -ENODATA) /* nothing usable: no table, the VIP drops and counts */
		err = xlb_table_clear(&p->lb->maps, w->id);
	else if (!err)
		err = xlb_table_swap(&p->lb->maps, w->id, table, p->lb->table_size);
	free(table);
	free(mb);
	return err;
}

static int write_backend(const struct plan *p, const struct xlb_vip_conf *w,
			 const struct xlb_be_conf *b)
{
	const struct xlb_backend *old = &p->bt->e[b->id];
	const struct xlb_backend_health fresh = {};
	struct xlb_backend e = {};
	int err;

	memcpy(e.addr, b->addr.a, sizeof(e.addr));
	memcpy(e.mac, b->mac, sizeof(e.mac));
	e.family = b->addr.family;
	e.flags = XLB_BE_F_ACTIVE | (b->drain ? XLB_BE_F_DRAIN : 0) | (b->down ? XLB_BE_F_DOWN : 0);
	/* Down but in its VIP's fail-open table: its flows are followed, not re-hashed. */
	if (b->down && fails_open(w))
		e.flags |= XLB_BE_F_FAIL_OPEN;
	e.gen = old->gen;
	e.vip_id = w->id;
	e.weight = b->weight;
	e.forward = w->forward;
	e.gue_port = htons(w->gue_port);
	if (!memcmp(&e, old, sizeof(e)))
		return 0;
	if (!(old->flags & XLB_BE_F_ACTIVE)) {
		/* A new backend on this id: counters and health start from zero. */
		err = xlb_backend_stats_reset(&p->lb->maps, b->id);
		if (!err)
			err = xlb_be_health_put(&p->lb->maps, b->id, &fresh);
		if (err)
			return err;
	}
	return xlb_backend_put(&p->lb->maps, b->id, &e);
}

static int put_vip(const struct plan *p, const struct xlb_vip_conf *w, __u32 sig)
{
	struct xlb_vip v = {
		.id = w->id,
		.forward = w->forward,
		.sched = w->sched,
		.gue_port = htons(w->gue_port),
		.table_sig = sig,
		.new_flow_limit = w->new_flow_limit,
	};
	struct xlb_vip_key k;

	vip_key_of(&w->name, &k);
	return xlb_vip_put(&p->lb->maps, &k, &v);
}

static int write_vip(const struct plan *p, const struct xlb_vip_conf *w)
{
	const struct xlb_vip_conf *c = xlb_conf_find_vip(&p->cur, &w->name);
	__u32 sig = table_sig(w);
	int err;

	if (!c || !xlb_health_eq(&c->health, &w->health)) {
		err = xlb_vip_health_put(&p->lb->maps, w->id, &w->health);
		if (err)
			return err;
	}
	if (c && c->forward == w->forward && c->sched == w->sched && c->gue_port == w->gue_port &&
	    c->new_flow_limit == w->new_flow_limit && c->table_sig == sig)
		return 0;
	if (!c) {
		err = xlb_vip_stats_reset(&p->lb->maps, w->id);
		if (err)
			return err;
	}
	return put_vip(p, w, sig);
}

/* The address entry of n's address: present while any VIP uses that address. */
static int write_addr_entry(const struct plan *p, const struct xlb_vip_name *n, bool present)
{
	struct xlb_vip_name an = { .addr = n->addr };
	struct xlb_vip v = { .id = XLB_MAX_VIPS, .flags = XLB_VIP_F_ADDR };
	struct xlb_vip_key k;
	int err;

	vip_key_of(&an, &k);
	if (present)
		return xlb_vip_put(&p->lb->maps, &k, &v);
	err = xlb_vip_del(&p->lb->maps, &k);
	return err == -ENOENT ? 0 : err;
}

static bool addr_in_use(const struct xlb_conf *c, const struct xlb_addr *a)
{
	size_t i;

	for (i = 0; i < c->nvips; i++)
		if (!xlb_addr_cmp(&c->vips[i].name.addr, a))
			return true;
	return false;
}

static __u32 port0_count(const struct xlb_conf *c)
{
	__u32 i, n = 0;

	for (i = 0; i < c->nvips; i++)
		n += c->vips[i].name.port == 0;
	return n;
}

static void filter_add(struct xlb_vip_filter *f, const struct xlb_conf *c)
{
	__u32 bit;
	size_t i;

	for (i = 0; i < c->nvips; i++) {
		bit = xlb_addr_filter_bit(c->vips[i].name.addr.a);
		f->bits[bit / 64] |= 1ULL << (bit % 64);
	}
}

/* The VIP filter with the bits of a's addresses and, if b is given, b's. */
static int write_filter(const struct plan *p, const struct xlb_conf *a, const struct xlb_conf *b)
{
	struct xlb_vip_filter *f = calloc(1, sizeof(*f));
	int err;

	if (!f)
		return -ENOMEM;
	filter_add(f, a);
	if (b)
		filter_add(f, b);
	err = xlb_vip_filter_put(&p->lb->maps, f);
	free(f);
	return err;
}

/* Steps 1-3: everything the desired state adds or changes, in dependency order. */
static int write_additions(const struct plan *p)
{
	__u32 n0 = port0_count(&p->want), c0 = port0_count(&p->cur);
	struct xlb_runtime rt = { .any_port_vips = n0 > c0 ? n0 : c0 };
	const struct xlb_vip_conf *w, *c;
	size_t i, j;
	int err = 0;

	for (i = 0; !err && i < p->want.nvips; i++)
		for (j = 0, w = &p->want.vips[i]; !err && j < w->nbackends; j++)
			err = write_backend(p, w, &w->backends[j]);
	for (i = 0; !err && i < p->want.nvips; i++) {
		w = &p->want.vips[i];
		c = xlb_conf_find_vip(&p->cur, &w->name);
		if (!table_changed(c, w))
			continue;
		/* Unknown until the swap is done: a change cut short here is redone. */
		if (c)
			err = put_vip(p, c, 0);
		if (!err)
			err = write_table(p, w);
	}
	/* New addresses pass the filter, and port-0 VIPs are looked for, before they exist. */
	if (!err)
		err = write_filter(p, &p->want, &p->cur);
	if (!err)
		err = xlb_runtime_put(&p->lb->maps, &rt);
	for (i = 0; !err && i < p->want.nvips; i++) {
		err = write_vip(p, &p->want.vips[i]);
		if (!err)
			err = write_addr_entry(p, &p->want.vips[i].name, true);
	}
	return err;
}

/* Steps 4-6: VIPs and backends the desired state no longer has. */
static int write_removals(const struct plan *p)
{
	struct xlb_runtime rt = { .any_port_vips = port0_count(&p->want) };
	const struct xlb_vip_conf *c;
	struct xlb_backend e;
	struct xlb_vip_key k;
	size_t i;
	__u32 id;
	int err = 0;

	for (i = 0; !err && i < p->cur.nvips; i++) {
		c = &p->cur.vips[i];
		if (xlb_conf_find_vip(&p->want, &c->name))
			continue;
		vip_key_of(&c->name, &k);
		err = xlb_vip_del(&p->lb->maps, &k);
		if (!err)
			err = xlb_table_clear(&p->lb->maps, c->id);
		if (!err && !addr_in_use(&p->want, &c->name.addr))
			err = write_addr_entry(p, &c->name, false);
	}
	for (id = 1; !err && id < XLB_MAX_BACKENDS; id++) {
		if (!(p->bt->e[id].flags & XLB_BE_F_ACTIVE) || p->be_kept[id])
			continue;
		/* A new generation: flows recorded for this id are not followed any more. */
		memset(&e, 0, sizeof(e));
		e.gen = p->bt->e[id].gen + 1;
		err = xlb_backend_put(&p->lb->maps, id, &e);
	}
	if (!err)
		err = write_filter(p, &p->want, NULL);
	return err ? err : xlb_runtime_put(&p->lb->maps, &rt);
}

static int plan_make(const struct xlb_lb *lb, const struct xlb_conf *want, unsigned int flags,
		     struct plan *p)
{
	int err;

	p->lb = lb;
	p->flags = flags;
	p->bt = malloc(sizeof(*p->bt));
	if (!p->bt)
		return -ENOMEM;
	err = xlb_state_read(lb, &p->cur);
	if (!err)
		err = xlb_backends_read_all(&lb->maps, p->bt->e);
	if (!err)
		err = xlb_conf_copy(&p->want, want);
	return err ? err : assign_ids(p);
}

static void plan_free(struct plan *p)
{
	xlb_conf_free(&p->cur);
	xlb_conf_free(&p->want);
	free(p->bt);
}

static int apply_once(const struct xlb_lb *lb, const struct xlb_conf *want, unsigned int flags,
		      struct xlb_conf *prev)
{
	struct plan *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	err = plan_make(lb, want, flags, p);
	if (!err)
		err = write_additions(p);
	if (!err)
		err = write_removals(p);
	if (prev) {
		*prev = p->cur;
		memset(&p->cur, 0, sizeof(p->cur));
	}
	plan_free(p);
	free(p);
	return err;
}

int xlb_state_apply(const struct xlb_lb *lb, const struct xlb_conf *want, unsigned int flags)
{
	struct xlb_conf prev = {};
	int err;

	err = apply_once(lb, want, flags, &prev);
	if (err && prev.vips) /* best effort, health included: the error to report is the first */
		apply_once(lb, &prev, XLB_APPLY_HEALTH, NULL);
	xlb_conf_free(&prev);
	return err;
}
