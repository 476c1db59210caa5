// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The table of a VIP as the apply side (state.c) writes it: which backends take part (Maglev:
 * those that take new flows; second chance: drained ones too, as second hops), the signature
 * of that set kept in the VIP entry, and a new table built in full before the one update that
 * puts it in the VIP's slot.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "maglev.h"
#include "twohop.h"
#include "ramp.h"
#include "state_table.h"
#include "xlb_hash.h"
#include "xlb_choice.h"

/* In v's table: a second-chance VIP keeps its drained backends there as second hops. */
static bool in_vip_table(const struct xlb_vip_conf *v, const struct xlb_be_conf *b, bool open)
{
	if (v->second_chance)
		return b->weight && (!b->down || open);
	return xlb_be_takes_flows(b, open);
}

#define TWOHOP_SIG 0x2c0 /* mixed into a second-chance VIP's backends: not a Maglev set */

/* Whether v's table ignores health: none of its backends is up and its policy is "all". */
bool state_fails_open(const struct xlb_vip_conf *v)
{
	return v->health.all_down == XLB_ALL_DOWN_ALL && !xlb_vip_takes_flows(v, false);
}

/*
 * The signature of the backends v's table is built from: a sum (so order does not matter) of
 * a hash of each one's address and weight (and drain state, for second chance, whose table
 * has another shape). 1 for no table of either kind; never 0, which the VIP entry holds while
 * its table is being replaced, so a change cut short is redone by the next apply.
 */
__u32 state_table_sig(const struct xlb_vip_conf *v)
{
	bool open = state_fails_open(v);
	__u32 sig = 0, h;
	size_t i;
	int k;

	for (i = 0; i < v->nbackends; i++) {
		if (!in_vip_table(v, &v->backends[i], open))
			continue;
		h = xlb_hash_mix(XLB_HASH_SEED, v->backends[i].addr.family);
		if (v->second_chance)
			h = xlb_hash_mix(h, TWOHOP_SIG | v->backends[i].drain);
		for (k = 0; k < 4; k++)
			h = xlb_hash_mix(h, v->backends[i].addr.a[k]);
		h = xlb_hash_mix(h, v->backends[i].weight);
		if (v->backends[i].ramp) /* no ramp: the signature it had before slow start */
			h = xlb_hash_mix(h, v->backends[i].ramp);
		sig += xlb_hash_final(h, 24);
	}
	return sig | 1;
}

/*
 * The table the maps hold was built from another set than w's (or it is not known), or for
 * another scheduler: its flows then take other slots, so its stable marks no longer hold.
 */
bool state_table_changed(const struct xlb_vip_conf *c, const struct xlb_vip_conf *w)
{
	return !c || c->table_sig != state_table_sig(w) || c->sched != w->sched;
}

/* v's backends that take part in its table, into tb (with their drain flags). */
static size_t table_backends(const struct xlb_vip_conf *v, struct xlb_twohop_backend *tb)
{
	bool open = state_fails_open(v);
	size_t i, n = 0;

	for (i = 0; i < v->nbackends; i++) {
		if (!in_vip_table(v, &v->backends[i], open))
			continue;
		memcpy(tb[n].be.addr, v->backends[i].addr.a, sizeof(tb[n].be.addr));
		tb[n].be.family = v->backends[i].addr.family;
		tb[n].be.weight = xlb_ramp_weight(v->backends[i].weight, v->backends[i].ramp);
		tb[n].be.id = v->backends[i].id;
		tb[n].drain = v->backends[i].drain;
		n++;
	}
	return n;
}

/*
 * The slots of v's table into table[0..m-1]: Maglev's backend ids, or first and second hop
 * packed (xlb_slot_pack(); a second hop that is the first is none). 0, -ENODATA when no
 * backend takes new flows, or another negative errno.
 */
static int table_build(const struct xlb_vip_conf *v, const struct xlb_twohop_backend *tb,
		       size_t n, __u32 *table, __u32 m)
{
	struct xlb_maglev_backend *mb;
	__u32 *second, i;
	int err;

	if (v->second_chance) {
		second = malloc(m * sizeof(*second));
		if (!second)
			return -ENOMEM;
		err = xlb_twohop_build(tb, n, table, second, m);
		for (i = 0; !err && i < m; i++)
			table[i] = xlb_slot_pack(table[i], second[i] == table[i] ? 0 : second[i]);
		free(second);
		return err;
	}
	mb = calloc(n ? n : 1, sizeof(*mb));
	if (!mb)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		mb[i] = tb[i].be;
	err = xlb_maglev_build(mb, n, table, m);
	free(mb);
	return err;
}

/* Whether running VIP c (NULL: none) ever chose a backend for a new flow: *chose. */
static int chose_flows(const struct xlb_lb *lb, const struct xlb_vip_conf *c, bool *chose)
{
	struct xlb_vip_stats st = {};
	int err = c ? xlb_vip_stats_read(&lb->maps, c->id, &st) : 0;

	*chose = st.new_flows;
	return err;
}

/*
 * Marks the slots of v's new table whose first hop has not changed while the connection
 * table was kept (XLB_SLOT_STABLE): those v's running table (c, NULL for a new VIP) marks
 * and that keep their first hop. Without a running Maglev table of v's scheduler, its flows
 * may be recorded for any backend by the table that chose them: v's earlier one, or that of
 * p0 (the running port-0 VIP of v's address and protocol, which took v's port before v);
 * every slot is stable only if neither ever chose a backend for a new flow.
 */
static int table_mark_stable(const struct xlb_lb *lb, const struct xlb_vip_conf *v,
			     const struct xlb_vip_conf *c, const struct xlb_vip_conf *p0,
			     __u32 *table)
{
	bool chose = false;
	int err = -ENOENT;

	if (c && !c->second_chance && c->sched == v->sched)
		err = xlb_table_mark_stable(&lb->maps, c->id, table, lb->table_size);
	if (err != -ENOENT)
		return err;
	err = chose_flows(lb, c, &chose);
	if (!err && !chose)
		err = chose_flows(lb, p0, &chose);
	if (!err && !chose)
		xlb_table_mark_all(table, lb->table_size);
	return err;
}

/*
 * v's table as a new inner map no packet sees yet: *fd, or -1 when v has no backend to take
 * flows (its slot is then cleared), its stable slots marked against v as it runs (c) and the
 * port-0 VIP p0 of its address (table_mark_stable()). Built before any write of v, so that a
 * failed allocation leaves v as it was.
 */
int state_table_new(const struct xlb_lb *lb, const struct xlb_vip_conf *v,
		    const struct xlb_vip_conf *c, const struct xlb_vip_conf *p0, int *fd)
{
	struct xlb_twohop_backend *tb;
	__u32 *table = NULL;
	int err = -ENOMEM;
	size_t n;

	*fd = -1;
	tb = calloc(v->nbackends ? v->nbackends : 1, sizeof(*tb));
	if (!tb)
		return -ENOMEM;
	n = table_backends(v, tb);
	table = malloc(lb->table_size * sizeof(*table));
	if (table)
		err = table_build(v, tb, n, table, lb->table_size);
	if (!err && !v->second_chance)
		err = table_mark_stable(lb, v, c, p0, table);
	if (!err)
		*fd = xlb_table_new(table, lb->table_size);
	if (!err && *fd < 0) {
		err = *fd;
		*fd = -1;
	}
	free(table);
	free(tb);
	return err == -ENODATA ? 0 : err; /* nothing usable: no table, the VIP drops and counts */
}

/* Puts the table of state_table_new() in v's slot (clears it for fd -1), and closes fd. */
int state_table_put(const struct xlb_lb *lb, const struct xlb_vip_conf *v, int fd)
{
	int err;

	if (fd < 0)
		return xlb_table_clear(&lb->maps, v->id);
	err = xlb_table_put(&lb->maps, v->id, fd);
	close(fd);
	return err;
}
