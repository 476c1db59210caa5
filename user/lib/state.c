// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Applying a desired state to the maps (reading it back is state_read.c). The order of writes
 * is what keeps the data plane consistent at every instant: a table only ever names backends
 * that are already written, and a backend leaves only after no table names it. When the
 * running and the desired state do not fit in the maps side by side (state_plan.c), what
 * goes is removed first, a staying VIP keeping an interim table of the backends it keeps.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "addr.h"
#include "health_conf.h"
#include "snat_conf.h"
#include "state.h"
#include "state_plan.h"
#include "state_table.h"
#include "xlb_hash.h"

/* The fields of xlb_runtime that apply keeps: how many port-0 VIPs and nat VIPs there are. */
#define RT_PORT0 offsetof(struct xlb_runtime, any_port_vips)
#define RT_NAT	 offsetof(struct xlb_runtime, nat_vips)

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
	struct xlb_plan_ids ids;
};

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
	if (b->down && state_fails_open(w))
		e.flags |= XLB_BE_F_FAIL_OPEN;
	if (w->second_chance)
		e.flags |= XLB_BE_F_TWOHOP;
	e.gen = old->gen;
	e.vip_id = w->id;
	e.weight = b->weight;
	e.forward = w->forward;
	e.ramp = b->ramp;
	if (w->forward == XLB_FWD_NAT)
		e.nat_port = htons(b->port);
	else
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
		.flags = w->second_chance ? XLB_VIP_F_TWOHOP : 0,
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
	__u32 sig = state_table_sig(w);
	struct xlb_snat pool;
	int err;

	if (!c || !xlb_health_eq(&c->health, &w->health)) {
		err = xlb_vip_health_put(&p->lb->maps, w->id, &w->health);
		if (err)
			return err;
	}
	/* A new VIP writes its pool (none too): its id may have had another VIP's. */
	if (!c || !xlb_snat_eq(&c->snat, &w->snat) || c->nat_tcp_timeout != w->nat_tcp_timeout ||
	    c->nat_udp_timeout != w->nat_udp_timeout || c->nat_fin_timeout != w->nat_fin_timeout) {
		xlb_snat_to_map(&w->set, &pool);
		err = xlb_snat_put(&p->lb->maps, w->id, &pool);
		if (err)
			return err;
	}
	if (c && c->forward == w->forward && c->sched == w->sched && c->gue_port == w->gue_port &&
	    c->second_chance == w->second_chance && c->new_flow_limit == w->new_flow_limit &&
	    c->table_sig == sig)
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

static __u32 port0_count(const struct xlb_conf *c)
{
	__u32 i, n = 0;

	for (i = 0; i < c->nvips; i++)
		n += c->vips[i].name.port == 0;
	return n;
}

static __u32 nat_count(const struct xlb_conf *c)
{
	__u32 i, n = 0;

	for (i = 0; i < c->nvips; i++)
		n += c->vips[i].forward == XLB_FWD_NAT;
	return n;
}

static void filter_add(struct xlb_vip_filter *f, const struct xlb_conf *c)
{
	__u32 bit;
	size_t i;

	for (i = 0; i < c->nvips; i++) {
		bit = xlb_addr_filter_bit(c->vips[i].name.addr.a);
		f->bits[bit / 64] |= 1ULL << (bit % 64);
		if (c->vips[i].second_chance)
			f->twohop[bit / 64] |= 1ULL << (bit % 64);
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

/* The running port-0 VIP of w's address and protocol, which took w's port before w came; NULL
 * when w has no port or there is none. */
static const struct xlb_vip_conf *port0_vip(const struct plan *p, const struct xlb_vip_conf *w)
{
	struct xlb_vip_name any = w->name;

	any.port = 0;
	return w->name.port ? xlb_conf_find_vip(&p->cur, &any) : NULL;
}

/*
 * w's part of step 1-2: its new table built first (the one step that allocates), then its
 * backends, then the table swapped in; a change cut short between the mark and the swap is
 * redone by the next apply.
 */
static int write_vip_backends(const struct plan *p, const struct xlb_vip_conf *w)
{
	const struct xlb_vip_conf *c = xlb_conf_find_vip(&p->cur, &w->name);
	bool changed = state_table_changed(c, w);
	int fd = -1, err = 0;
	size_t j;

	if (changed)
		err = state_table_new(p->lb, w, c, port0_vip(p, w), &fd);
	for (j = 0; !err && j < w->nbackends; j++)
		err = write_backend(p, w, &w->backends[j]);
	/* Unknown until the swap is done. */
	if (!err && changed && c)
		err = put_vip(p, c, 0);
	if (!err && changed)
		return state_table_put(p->lb, w, fd);
	if (fd >= 0)
		close(fd);
	return err;
}

/* Steps 1-3: everything the desired state adds or changes, in dependency order. */
static int write_additions(const struct plan *p)
{
	__u32 n0 = port0_count(&p->want), c0 = port0_count(&p->cur);
	__u32 nn = nat_count(&p->want), cn = nat_count(&p->cur);
	size_t i;
	int err = 0;

	for (i = 0; !err && i < p->want.nvips; i++)
		err = write_vip_backends(p, &p->want.vips[i]);
	/* New addresses pass the filter, and port-0 VIPs are looked for, before they exist. */
	if (!err)
		err = write_filter(p, &p->want, &p->cur);
	if (!err)
		err = xlb_runtime_set(&p->lb->maps, RT_PORT0, n0 > c0 ? n0 : c0);
	/* Replies are looked for before a nat VIP sends its first packet. */
	if (!err)
		err = xlb_runtime_set(&p->lb->maps, RT_NAT, nn > cn ? nn : cn);
	for (i = 0; !err && i < p->want.nvips; i++) {
		err = write_vip(p, &p->want.vips[i]);
		if (!err)
			err = write_addr_entry(p, &p->want.vips[i].name, true);
	}
	return err;
}

/* Running VIP c, which the desired state lacks, leaves: entry, table, pool, address entry. */
static int remove_vip(const struct plan *p, const struct xlb_vip_conf *c)
{
	struct xlb_snat none = {};
	struct xlb_vip_key k;
	int err;

	vip_key_of(&c->name, &k);
	err = xlb_vip_del(&p->lb->maps, &k);
	if (!err)
		err = xlb_table_clear(&p->lb->maps, c->id);
	if (!err && c->snat.n)
		err = xlb_snat_put(&p->lb->maps, c->id, &none);
	if (!err && !xlb_conf_has_addr(&p->want, &c->name.addr))
		err = write_addr_entry(p, &c->name, false);
	return err;
}

/* Every active backend the plan does not keep leaves, with a new generation: flows recorded
 * for its id are not followed any more. */
static int remove_backends(const struct plan *p)
{
	struct xlb_backend e;
	__u32 id;
	int err = 0;

	for (id = 1; !err && id < XLB_MAX_BACKENDS; id++) {
		if (!(p->bt->e[id].flags & XLB_BE_F_ACTIVE) || p->ids.be_kept[id])
			continue;
		memset(&e, 0, sizeof(e));
		e.gen = p->bt->e[id].gen + 1;
		err = xlb_backend_put(&p->lb->maps, id, &e);
		if (!err)
			p->bt->e[id] = e; /* an id freed first may be given out again */
	}
	return err;
}

/* Steps 4-6: VIPs and backends the desired state no longer has. */
static int write_removals(const struct plan *p)
{
	const struct xlb_vip_conf *c;
	size_t i;
	int err = 0;

	for (i = 0; !err && !p->ids.free_first && i < p->cur.nvips; i++) {
		c = &p->cur.vips[i];
		if (!xlb_conf_find_vip(&p->want, &c->name))
			err = remove_vip(p, c);
	}
	if (!err)
		err = remove_backends(p);
	if (!err)
		err = write_filter(p, &p->want, NULL);
	if (!err)
		err = xlb_runtime_set(&p->lb->maps, RT_PORT0, port0_count(&p->want));
	return err ? err : xlb_runtime_set(&p->lb->maps, RT_NAT, nat_count(&p->want));
}

/* For free_first: running VIP c stays but loses backends, so its table is rebuilt from those
 * it keeps (running settings) before they go; the table then names none that leaves. */
static int write_interim(const struct plan *p, struct xlb_vip_conf *c)
{
	struct xlb_vip_conf t = *c;
	int fd = -1, err;
	size_t i;

	t.backends = calloc(c->nbackends ? c->nbackends : 1, sizeof(*t.backends));
	if (!t.backends)
		return -ENOMEM;
	t.nbackends = 0;
	for (i = 0; i < c->nbackends; i++)
		if (p->ids.be_kept[c->backends[i].id])
			t.backends[t.nbackends++] = c->backends[i];
	err = state_table_changed(c, &t) ? state_table_new(p->lb, &t, c, port0_vip(p, c), &fd) : 0;
	if (!err && state_table_changed(c, &t)) {
		err = put_vip(p, c, 0);
		if (!err)
			err = state_table_put(p->lb, &t, fd);
		else if (fd >= 0)
			close(fd);
		if (!err)
			err = put_vip(p, c, state_table_sig(&t));
		if (!err)
			c->table_sig = state_table_sig(&t);
	}
	free(t.backends);
	return err;
}

/* Step 0, when the old and the new do not fit side by side: what goes, goes first. */
static int write_free_first(struct plan *p)
{
	struct xlb_vip_conf *c;
	size_t i;
	int err = 0;

	for (i = 0; !err && i < p->cur.nvips; i++) {
		c = &p->cur.vips[i];
		err = xlb_conf_find_vip(&p->want, &c->name) ? write_interim(p, c) : remove_vip(p, c);
	}
	return err ? err : remove_backends(p);
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
	if (!err)
		err = xlb_plan_ids(&p->ids, &p->cur, p->bt->e, &p->want,
				   !(flags & XLB_APPLY_HEALTH));
	return err;
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
	if (!err && p->ids.free_first)
		err = write_free_first(p);
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

int xlb_state_check(const struct xlb_lb *lb, const struct xlb_conf *want)
{
	struct plan *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	err = plan_make(lb, want, 0, p);
	plan_free(p);
	free(p);
	return err;
}
