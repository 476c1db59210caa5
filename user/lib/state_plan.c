// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Ids for a transaction, decided before anything is written, so that a state within the
 * limits never fails for want of room halfway: side by side with what runs when both fit
 * (nothing is removed before its replacement exists), removals first when they do not.
 */
#include <errno.h>
#include <string.h>
#include "ramp.h"
#include "state_plan.h"

/* VIP ids a new VIP may not take. Side by side: every running one, and those active
 * backends name (left by an apply cut short, for a VIP that never appeared: their ids must
 * not join another VIP). Removals first: only the running VIPs that stay. */
static void mark_vips(struct xlb_plan_ids *pl, const struct xlb_conf *cur,
		      const struct xlb_backend *bt, const struct xlb_conf *want)
{
	size_t i;

	for (i = 0; i < cur->nvips; i++)
		if (!pl->free_first || xlb_conf_find_vip(want, &cur->vips[i].name))
			pl->vip_used[cur->vips[i].id] = true;
	for (i = 1; !pl->free_first && i < XLB_MAX_BACKENDS; i++)
		if (bt[i].flags & XLB_BE_F_ACTIVE && bt[i].vip_id < XLB_MAX_VIPS)
			pl->vip_used[bt[i].vip_id] = true;
}

/* Whether backend id may go to a new backend: the plan has not, and (side by side) the
 * maps hold nothing there. */
static bool be_free(const struct xlb_plan_ids *pl, const struct xlb_backend *bt, __u32 id)
{
	return !pl->be_kept[id] && (pl->free_first || !(bt[id].flags & XLB_BE_F_ACTIVE));
}

/*
 * A configuration change keeps what xlbd decides: health and ramps. A new backend of a
 * checked VIP waits, down, for its first check; of a VIP with slow start, it starts a ramp.
 * Without checks nothing is down (as xlbd has it).
 */
static void keep_health(const struct xlb_vip_conf *w, struct xlb_be_conf *b,
			const struct xlb_be_conf *cb)
{
	b->down = w->health.check != XLB_CHECK_NONE && (!cb || cb->down);
	b->ramp = !w->health.slow_start_s ? 0 : cb ? cb->ramp : XLB_RAMP_START;
}

/* Running backends of w keep their ids; first, so that new ones never take them. */
static void keep_backends(struct xlb_plan_ids *pl, const struct xlb_vip_conf *c,
			  struct xlb_vip_conf *w, bool carry_down)
{
	struct xlb_be_conf *b, *cb;
	size_t i;

	for (i = 0; i < w->nbackends; i++) {
		b = &w->backends[i];
		cb = xlb_vip_find_backend(c, &b->addr);
		if (carry_down)
			keep_health(w, b, cb);
		b->id = cb ? cb->id : 0;
		if (cb)
			pl->be_kept[cb->id] = true;
	}
}

static int assign(struct xlb_plan_ids *pl, const struct xlb_conf *cur, const struct xlb_backend *bt,
		  struct xlb_conf *want, bool carry_down)
{
	__u32 next_be = 1, next_vip = 0;
	struct xlb_vip_conf *w, *c;
	size_t i, j;

	memset(pl->vip_used, 0, sizeof(pl->vip_used));
	memset(pl->be_kept, 0, sizeof(pl->be_kept));
	mark_vips(pl, cur, bt, want);
	for (i = 0; i < want->nvips; i++) {
		w = &want->vips[i];
		c = xlb_conf_find_vip(cur, &w->name);
		w->id = c ? c->id : -1;
		keep_backends(pl, c, w, carry_down);
	}
	for (i = 0; i < want->nvips; i++) {
		w = &want->vips[i];
		while (w->id < 0 && next_vip < XLB_MAX_VIPS && pl->vip_used[next_vip])
			next_vip++;
		if (w->id < 0 && next_vip == XLB_MAX_VIPS)
			return -ENOSPC;
		if (w->id < 0)
			pl->vip_used[w->id = next_vip] = true;
		for (j = 0; j < w->nbackends; j++) {
			if (w->backends[j].id)
				continue;
			while (next_be < XLB_MAX_BACKENDS && !be_free(pl, bt, next_be))
				next_be++;
			if (next_be == XLB_MAX_BACKENDS)
				return -ENOSPC;
			w->backends[j].id = next_be;
			pl->be_kept[next_be] = true;
		}
	}
	return 0;
}

/*
 * The VIP hash map needs no count of its own: it holds two entries per VIP id at most (the
 * VIP and its address), and has room for two per id.
 */
int xlb_plan_ids(struct xlb_plan_ids *pl, const struct xlb_conf *cur, const struct xlb_backend *bt,
		 struct xlb_conf *want, bool carry_down)
{
	int err;

	pl->free_first = false;
	err = assign(pl, cur, bt, want, carry_down);
	if (err != -ENOSPC)
		return err;
	pl->free_first = true;
	return assign(pl, cur, bt, want, carry_down);
}
