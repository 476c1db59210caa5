// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The Maglev table of a VIP as the apply side (state.c) writes it: which backends take new
 * flows, the signature of that set kept in the VIP entry, and a new table built in full
 * before the one update that puts it in the VIP's slot.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "maglev.h"
#include "ramp.h"
#include "state_table.h"
#include "xlb_hash.h"

/* Takes new flows: weighted, not drained, and up (or ignoring health, when none is up). */
static bool in_table(const struct xlb_be_conf *b, bool fail_open)
{
	return b->weight && !b->drain && (!b->down || fail_open);
}

/* Whether v's table ignores health: none of its backends is up and its policy is "all". */
bool state_fails_open(const struct xlb_vip_conf *v)
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
__u32 state_table_sig(const struct xlb_vip_conf *v)
{
	bool open = state_fails_open(v);
	__u32 sig = 0, h;
	size_t i;
	int k;

	for (i = 0; i < v->nbackends; i++) {
		if (!in_table(&v->backends[i], open))
			continue;
		h = xlb_hash_mix(XLB_HASH_SEED, v->backends[i].addr.family);
		for (k = 0; k < 4; k++)
			h = xlb_hash_mix(h, v->backends[i].addr.a[k]);
		h = xlb_hash_mix(h, v->backends[i].weight);
		if (v->backends[i].ramp) /* no ramp: the signature it had before slow start */
			h = xlb_hash_mix(h, v->backends[i].ramp);
		sig += xlb_hash_final(h, 24);
	}
	return sig | 1;
}

/* The table the maps hold was built from another set than w's (or it is not known). */
bool state_table_changed(const struct xlb_vip_conf *c, const struct xlb_vip_conf *w)
{
	return !c || c->table_sig != state_table_sig(w);
}

/*
 * v's Maglev table as a new inner map no packet sees yet: *fd, or -1 when v has no backend
 * to take flows (its slot is then cleared). Built before any write of v, so that a failed
 * allocation leaves v as it was.
 */
int state_table_new(const struct xlb_lb *lb, const struct xlb_vip_conf *v, int *fd)
{
	struct xlb_maglev_backend *mb;
	bool open = state_fails_open(v);
	__u32 *table = NULL;
	size_t i, n = 0;
	int err = -ENOMEM;

	*fd = -1;
	mb = calloc(v->nbackends ? v->nbackends : 1, sizeof(*mb));
	if (!mb)
		return -ENOMEM;
	for (i = 0; i < v->nbackends; i++) {
		if (!in_table(&v->backends[i], open))
			continue;
		memcpy(mb[n].addr, v->backends[i].addr.a, sizeof(mb[n].addr));
		mb[n].family = v->backends[i].addr.family;
		mb[n].weight = xlb_ramp_weight(v->backends[i].weight, v->backends[i].ramp);
		mb[n].id = v->backends[i].id;
		n++;
	}
	table = malloc(lb->table_size * sizeof(*table));
	if (table)
		err = xlb_maglev_build(mb, n, table, lb->table_size);
	if (!err)
		*fd = xlb_table_new(table, lb->table_size);
	if (!err && *fd < 0) {
		err = *fd;
		*fd = -1;
	}
	free(table);
	free(mb);
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
