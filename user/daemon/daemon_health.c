// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Health checking of one balancer's backends. Every backend of a checked VIP has a tracked
 * entry (by backend id) with its state machine; results are written to xlb_be_health at once,
 * state changes are gathered and applied with XLB_APPLY_HEALTH under the instance lock, with
 * the slow-start ramps (ramp.h) of backends that came up.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "clock_ms.h"
#include "addr.h"
#include "checker.h"
#include "checker_proto.h"
#include "daemon_health.h"
#include "daemon_log.h"
#include "health_conf.h"
#include "health_fsm.h"
#include "ramp.h"

struct tracked {
	struct xlb_vip_name vip;
	struct xlb_addr addr;
	struct xlb_hfsm fsm;
	__u8 rise, fall;
	bool seen;    /* in the running state at this sync */
	bool settled; /* a result since the daemon tracks it, and the state agrees with one */
};

struct xlbd_health {
	struct xlb_instance *in;
	struct xlb_checker *checker;
	struct tracked *be[XLB_MAX_BACKENDS];
	struct xlb_ramps *ramps;
	struct xlb_conf last; /* the running state at the last sync */
	bool synced;	      /* after the first sync, new backends start from nothing */
	bool pending;	      /* DOWN flags or ramps differ from what the next flush writes */
	size_t nbackends, nvips;
};

static void on_result(void *ctx, __u32 id, int err)
{
	struct xlbd_health *h = ctx;
	struct tracked *t = h->be[id];
	char addr[XLB_ADDR_STRLEN], vip[XLB_VIP_NAME_STRLEN], why[64];
	bool pending;
	__u32 n;
	int werr;

	if (!t)
		return;
	n = t->fsm.h.streak + 1;
	pending = xlb_health_pending(t->fsm.down, &t->fsm.h);
	xlb_addr_str(&t->addr, addr, sizeof(addr));
	xlb_vip_name_str(&t->vip, vip, sizeof(vip));
	if (pending && err)
		xlbd_log(XLBD_WARN, "backend %s of %s down: its first check failed (%s)", addr,
			 vip, xlb_check_err_str(err, why, sizeof(why)));
	if (xlb_hfsm_step(&t->fsm, err, t->rise, t->fall)) {
		if (pending)
			xlbd_log(XLBD_INFO, "backend %s of %s up: its first check passed", addr,
				 vip);
		else if (t->fsm.down)
			xlbd_log(XLBD_WARN, "backend %s of %s down after %u failure%s (%s)", addr, vip,
				 n, n == 1 ? "" : "s", xlb_check_err_str(err, why, sizeof(why)));
		else
			xlbd_log(XLBD_INFO, "backend %s of %s up after %u good check%s", addr, vip, n,
				 n == 1 ? "" : "s");
		h->pending = true;
	}
	t->settled |= !t->fsm.h.streak;
	werr = xlb_be_health_put(&h->in->lb.maps, id, &t->fsm.h);
	if (werr)
		xlbd_log(XLBD_WARN, "Couldn't write the health of backend %u: %s", id,
			 strerror(-werr));
}

static void untrack(struct xlbd_health *h, __u32 id)
{
	xlb_checker_del(h->checker, id);
	free(h->be[id]);
	h->be[id] = NULL;
}

/* A backend checks start for: a restarted daemon goes on from what the maps hold. */
static struct tracked *adopt(struct xlbd_health *h, const struct xlb_vip_conf *v,
			     const struct xlb_be_conf *b)
{
	struct tracked *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->vip = v->name;
	t->addr = b->addr;
	t->fsm.down = b->down;
	if (!h->synced)
		xlb_be_health_get(&h->in->lb.maps, b->id, &t->fsm.h);
	else /* its slot may still hold the results of an earlier backend with that id */
		xlb_be_health_put(&h->in->lb.maps, b->id, &t->fsm.h);
	h->be[b->id] = t;
	return t;
}

static void target_of(const struct xlb_vip_conf *v, const struct xlb_be_conf *b,
		      struct xlb_check_target *ct)
{
	memset(ct, 0, sizeof(*ct));
	ct->check = v->health.check;
	ct->addr = b->addr;
	ct->port = v->health.port ? v->health.port : v->name.port;
	ct->interval_ms = v->health.interval_ms;
	ct->timeout_ms = v->health.timeout_ms;
	ct->status_min = v->health.status_min;
	ct->status_max = v->health.status_max;
	memcpy(ct->path, v->health.path, sizeof(ct->path) - 1);
	memcpy(ct->host, v->health.host, sizeof(ct->host) - 1);
}

static void track(struct xlbd_health *h, const struct xlb_vip_conf *v, const struct xlb_be_conf *b)
{
	struct tracked *t = h->be[b->id];
	struct xlb_check_target ct;
	char addr[XLB_ADDR_STRLEN];
	int err;

	if (t && (xlb_vip_name_cmp(&t->vip, &v->name) || xlb_addr_cmp(&t->addr, &b->addr))) {
		untrack(h, b->id); /* the id now names another backend */
		t = NULL;
	}
	t = t ? t : adopt(h, v, b);
	target_of(v, b, &ct);
	err = t ? xlb_checker_set(h->checker, b->id, &ct) : -ENOMEM;
	if (err) {
		xlbd_log(XLBD_ERR, "Couldn't start checking backend '%s': %s",
			 xlb_addr_str(&b->addr, addr, sizeof(addr)), strerror(-err));
		return;
	}
	t->seen = true;
	t->rise = v->health.rise;
	t->fall = v->health.fall;
	h->pending |= t->fsm.down != b->down;
	h->nbackends++;
}

/* Says when a VIP's checks start, change or stop. */
static void log_vip(const struct xlbd_health *h, const struct xlb_vip_conf *v)
{
	const struct xlb_vip_conf *old = xlb_conf_find_vip(&h->last, &v->name);
	char name[XLB_VIP_NAME_STRLEN], sum[256];

	if (old ? xlb_health_eq(&old->health, &v->health) : v->health.check == XLB_CHECK_NONE)
		return;
	xlb_vip_name_str(&v->name, name, sizeof(name));
	if (v->health.check == XLB_CHECK_NONE)
		xlbd_log(XLBD_INFO, "%s: not checked; its backends count as up", name);
	else
		xlbd_log(XLBD_INFO, "%s: checking %zu backend%s: %s", name, v->nbackends,
			 v->nbackends == 1 ? "" : "s",
			 xlb_health_summary(&v->health, sum, sizeof(sum)));
}

int xlbd_health_sync(struct xlbd_health *h)
{
	const struct xlb_vip_conf *v;
	struct xlb_conf now;
	size_t i, j;
	__u32 id;
	int err;

	err = xlb_state_read(&h->in->lb, &now);
	if (err)
		return err;
	for (id = 0; id < XLB_MAX_BACKENDS; id++)
		if (h->be[id])
			h->be[id]->seen = false;
	h->nbackends = h->nvips = 0;
	for (i = 0; i < now.nvips; i++) {
		v = &now.vips[i];
		log_vip(h, v);
		h->nvips += v->health.check != XLB_CHECK_NONE;
		for (j = 0; j < v->nbackends; j++) {
			if (v->health.check == XLB_CHECK_NONE)
				h->pending |= v->backends[j].down; /* a DOWN flag to clear */
			else
				track(h, v, &v->backends[j]);
		}
	}
	for (id = 0; id < XLB_MAX_BACKENDS; id++)
		if (h->be[id] && !h->be[id]->seen)
			untrack(h, id);
	h->pending |= xlb_ramps_plan(h->ramps, &now, xlbd_now_ms()); /* a ramp's next step is due */
	xlb_conf_free(&h->last);
	h->last = now;
	h->synced = true;
	return 0;
}

/* Sets in cur the DOWN flags health says; true when any changed. */
static bool want_health(const struct xlbd_health *h, struct xlb_conf *cur)
{
	const struct tracked *t;
	struct xlb_vip_conf *v;
	struct xlb_be_conf *b;
	bool down, changed = false;
	size_t i, j;

	for (i = 0; i < cur->nvips; i++) {
		v = &cur->vips[i];
		for (j = 0; j < v->nbackends; j++) {
			b = &v->backends[j];
			t = h->be[b->id];
			if (v->health.check == XLB_CHECK_NONE)
				down = false;
			else if (t && !xlb_vip_name_cmp(&t->vip, &v->name) &&
				 !xlb_addr_cmp(&t->addr, &b->addr))
				down = t->fsm.down;
			else /* not seen by a sync yet: as it is */
				down = b->down;
			changed |= down != b->down;
			b->down = down;
		}
	}
	return changed;
}

static void log_ramp(const struct xlb_vip_conf *v, const struct xlb_be_conf *b)
{
	char addr[XLB_ADDR_STRLEN], vip[XLB_VIP_NAME_STRLEN];

	xlb_addr_str(&b->addr, addr, sizeof(addr));
	xlb_vip_name_str(&v->name, vip, sizeof(vip));
	if (b->ramp)
		xlbd_log(XLBD_INFO, "backend %s of %s: slow start from %u%% of its weight, "
			 "all of it in %us", addr, vip, b->ramp, v->health.slow_start_s);
	else
		xlbd_log(XLBD_INFO, "backend %s of %s: slow start over, at its whole weight", addr,
			 vip);
}

/* Says when a backend comes up into a slow start (was: before this flush), and when it ends. */
static void log_ramps(const struct xlb_conf *was, const struct xlb_conf *now)
{
	const struct xlb_vip_conf *v, *wv;
	const struct xlb_be_conf *b, *wb;
	size_t i, j;

	for (i = 0; i < now->nvips; i++) {
		v = &now->vips[i];
		wv = xlb_conf_find_vip(was, &v->name);
		for (j = 0; wv && v->health.slow_start_s && j < v->nbackends; j++) {
			b = &v->backends[j];
			wb = xlb_vip_find_backend(wv, &b->addr);
			if (wb && !b->down && (wb->down ? b->ramp : wb->ramp && !b->ramp))
				log_ramp(v, b);
		}
	}
}

int xlbd_health_flush(struct xlbd_health *h)
{
	struct xlb_conf cur = {}, was = {};
	bool changed = false;
	int err;

	if (!h->pending)
		return 0;
	h->pending = false; /* on failure the next sync finds the difference again */
	err = xlb_instance_lock(h->in);
	if (err)
		goto fail;
	err = xlb_state_read(&h->in->lb, &cur);
	if (!err)
		err = xlb_conf_copy(&was, &cur);
	/* Both run: the ramps follow the DOWN flags health sets. */
	if (!err) {
		changed = want_health(h, &cur);
		changed = xlb_ramps_plan(h->ramps, &cur, xlbd_now_ms()) || changed;
	}
	if (changed) {
		err = xlb_state_apply(&h->in->lb, &cur, XLB_APPLY_HEALTH);
		if (!err)
			log_ramps(&was, &cur);
	}
	xlb_conf_free(&was);
	xlb_conf_free(&cur);
	xlb_instance_unlock(h->in);
	if (!err)
		return changed;
fail:
	xlbd_log(XLBD_ERR, "Couldn't apply health changes on '%s': %s", h->in->dev, strerror(-err));
	return err;
}

bool xlbd_health_settled(const struct xlbd_health *h, const struct xlb_vip_conf *v)
{
	const struct tracked *t;
	size_t i;

	if (v->health.check == XLB_CHECK_NONE)
		return true;
	for (i = 0; i < v->nbackends; i++) {
		t = v->backends[i].id < XLB_MAX_BACKENDS ? h->be[v->backends[i].id] : NULL;
		if (!t || !t->settled || xlb_vip_name_cmp(&t->vip, &v->name))
			return false;
	}
	return true;
}

void xlbd_health_run(struct xlbd_health *h)
{
	xlb_checker_run(h->checker);
}

int xlbd_health_fd(const struct xlbd_health *h)
{
	return xlb_checker_fd(h->checker);
}

void xlbd_health_counts(const struct xlbd_health *h, size_t *backends, size_t *vips)
{
	*backends = h->nbackends;
	*vips = h->nvips;
}

int xlbd_health_new(struct xlb_instance *in, struct xlbd_health **out)
{
	struct xlbd_health *h = calloc(1, sizeof(*h));
	int err;

	if (!h)
		return -ENOMEM;
	h->in = in;
	h->ramps = calloc(1, sizeof(*h->ramps));
	err = h->ramps ? xlb_checker_new(XLB_MAX_BACKENDS, on_result, h, &h->checker) : -ENOMEM;
	if (err) {
		free(h->ramps);
		free(h);
		return err;
	}
	*out = h;
	return 0;
}

void xlbd_health_free(struct xlbd_health *h)
{
	__u32 id;

	if (!h)
		return;
	xlb_checker_free(h->checker);
	for (id = 0; id < XLB_MAX_BACKENDS; id++)
		free(h->be[id]);
	xlb_conf_free(&h->last);
	free(h->ramps);
	free(h);
}
