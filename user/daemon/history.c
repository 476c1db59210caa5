// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The status page's history. Entries are kept by VIP id and backend id, each remembering the
 * name it was made for, so an id reused by another VIP or backend starts afresh; rings are
 * allocated when an entry is first seen and freed when a feed no longer has it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "history.h"

struct counter {
	__u64 last;  /* the counter at the last feed */
	bool primed; /* last holds a value */
};

struct vip_hist {
	struct xlb_vip_name name;
	struct xlb_series pps, nfs;
	struct counter packets, new_flows;
	__u64 seen; /* the feed that last saw it */
};

struct be_hist {
	struct xlb_vip_name vip;
	struct xlb_addr addr;
	struct xlb_series pps, nfs;
	struct counter packets, new_flows;
	time_t down_since;
	bool down, since_known;
	__u64 seen;
};

struct xlb_history {
	struct vip_hist *vips[XLB_MAX_VIPS];
	struct be_hist *be[XLB_MAX_BACKENDS];
	struct xlb_series drops[XLB_DROP__MAX];
	struct counter drop_counts[XLB_DROP__MAX];
	struct timespec last; /* when the last snapshot fed was taken */
	__u64 feeds;
};

int xlb_history_new(struct xlb_history **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void xlb_history_free(struct xlb_history *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < XLB_MAX_VIPS; i++)
		free(h->vips[i]);
	for (i = 0; i < XLB_MAX_BACKENDS; i++)
		free(h->be[i]);
	free(h);
}

static void push(struct xlb_series *s, float v)
{
	s->v[s->head] = v;
	s->head = (s->head + 1) % XLB_HIST_LEN;
	if (s->n < XLB_HIST_LEN)
		s->n++;
}

float xlb_series_at(const struct xlb_series *s, __u32 i)
{
	return s->v[(s->head + XLB_HIST_LEN - s->n + i) % XLB_HIST_LEN];
}

/* A sample of the counter's rate over dt seconds; none the first time, or when it went back. */
static void sample(struct xlb_series *s, struct counter *c, __u64 now, double dt)
{
	if (c->primed && dt > 0 && now >= c->last)
		push(s, (float)((double)(now - c->last) / dt));
	c->last = now;
	c->primed = true;
}

static struct vip_hist *vip_entry(struct xlb_history *h, const struct xlb_vip_conf *v)
{
	struct vip_hist *e;

	if (v->id < 0 || v->id >= XLB_MAX_VIPS)
		return NULL;
	e = h->vips[v->id];
	if (e && !xlb_vip_name_cmp(&e->name, &v->name))
		return e;
	free(e);
	e = h->vips[v->id] = calloc(1, sizeof(*e));
	if (e)
		e->name = v->name;
	return e;
}

static struct be_hist *be_entry(struct xlb_history *h, const struct xlb_vip_conf *v,
				const struct xlb_be_conf *b)
{
	struct be_hist *e;

	if (!b->id || b->id >= XLB_MAX_BACKENDS)
		return NULL;
	e = h->be[b->id];
	if (e && !xlb_vip_name_cmp(&e->vip, &v->name) && !xlb_addr_cmp(&e->addr, &b->addr))
		return e;
	free(e);
	e = h->be[b->id] = calloc(1, sizeof(*e));
	if (e) {
		e->vip = v->name;
		e->addr = b->addr;
	}
	return e;
}

static void feed_backend(struct be_hist *e, const struct xlb_be_conf *b,
			 const struct xlb_snap_backend *sb, double dt, time_t now, bool first)
{
	sample(&e->pps, &e->packets, sb->st.packets, dt);
	sample(&e->nfs, &e->new_flows, sb->st.new_flows, dt);
	if (b->down && !e->down) {
		e->down_since = now;
		e->since_known = !first;
	}
	e->down = b->down;
}

static int feed_vip(struct xlb_history *h, const struct xlb_vip_conf *v,
		    const struct xlb_snap_vip *sv, double dt, time_t now)
{
	struct vip_hist *e = vip_entry(h, v);
	struct be_hist *be;
	size_t j;

	if (!e)
		return -ENOMEM;
	e->seen = h->feeds;
	sample(&e->pps, &e->packets, sv->st.packets, dt);
	sample(&e->nfs, &e->new_flows, sv->st.new_flows, dt);
	for (j = 0; j < v->nbackends; j++) {
		be = be_entry(h, v, &v->backends[j]);
		if (!be)
			return -ENOMEM;
		feed_backend(be, &v->backends[j], &sv->backends[j], dt, now, h->feeds == 1);
		be->seen = h->feeds;
	}
	return 0;
}

/* Frees the entries the last feed did not see. */
static void forget_gone(struct xlb_history *h)
{
	size_t i;

	for (i = 0; i < XLB_MAX_VIPS; i++) {
		if (h->vips[i] && h->vips[i]->seen != h->feeds) {
			free(h->vips[i]);
			h->vips[i] = NULL;
		}
	}
	for (i = 0; i < XLB_MAX_BACKENDS; i++) {
		if (h->be[i] && h->be[i]->seen != h->feeds) {
			free(h->be[i]);
			h->be[i] = NULL;
		}
	}
}

int xlb_history_feed(struct xlb_history *h, const struct xlb_snapshot *s, time_t now)
{
	double dt = (double)(s->taken.tv_sec - h->last.tv_sec) +
		    (double)(s->taken.tv_nsec - h->last.tv_nsec) / 1e9;
	size_t i;
	int err = 0, e;

	h->feeds++;
	for (i = 0; i < s->conf.nvips; i++) {
		e = feed_vip(h, &s->conf.vips[i], &s->vips[i], dt, now);
		err = err ? err : e;
	}
	for (i = 0; i < XLB_DROP__MAX; i++)
		sample(&h->drops[i], &h->drop_counts[i], s->global.drop[i], dt);
	forget_gone(h);
	h->last = s->taken;
	return err;
}

static const struct vip_hist *find_vip(const struct xlb_history *h, const struct xlb_vip_conf *v)
{
	const struct vip_hist *e;

	if (v->id < 0 || v->id >= XLB_MAX_VIPS)
		return NULL;
	e = h->vips[v->id];
	return e && !xlb_vip_name_cmp(&e->name, &v->name) ? e : NULL;
}

static const struct be_hist *find_be(const struct xlb_history *h, const struct xlb_vip_conf *v,
				     const struct xlb_be_conf *b)
{
	const struct be_hist *e;

	if (!b->id || b->id >= XLB_MAX_BACKENDS)
		return NULL;
	e = h->be[b->id];
	return e && !xlb_vip_name_cmp(&e->vip, &v->name) && !xlb_addr_cmp(&e->addr, &b->addr)
		   ? e
		   : NULL;
}

const struct xlb_series *xlb_history_vip_pps(const struct xlb_history *h,
					     const struct xlb_vip_conf *v)
{
	const struct vip_hist *e = find_vip(h, v);

	return e ? &e->pps : NULL;
}

const struct xlb_series *xlb_history_vip_new_flows(const struct xlb_history *h,
						   const struct xlb_vip_conf *v)
{
	const struct vip_hist *e = find_vip(h, v);

	return e ? &e->nfs : NULL;
}

const struct xlb_series *xlb_history_be_pps(const struct xlb_history *h,
					    const struct xlb_vip_conf *v,
					    const struct xlb_be_conf *b)
{
	const struct be_hist *e = find_be(h, v, b);

	return e ? &e->pps : NULL;
}

const struct xlb_series *xlb_history_be_new_flows(const struct xlb_history *h,
						  const struct xlb_vip_conf *v,
						  const struct xlb_be_conf *b)
{
	const struct be_hist *e = find_be(h, v, b);

	return e ? &e->nfs : NULL;
}

const struct xlb_series *xlb_history_drops(const struct xlb_history *h, unsigned int reason)
{
	return reason < XLB_DROP__MAX ? &h->drops[reason] : NULL;
}

bool xlb_history_down_since(const struct xlb_history *h, const struct xlb_vip_conf *v,
			    const struct xlb_be_conf *b, time_t *since, bool *known)
{
	const struct be_hist *e = find_be(h, v, b);

	if (!e || !e->down)
		return false;
	*since = e->down_since;
	*known = e->since_known;
	return true;
}
