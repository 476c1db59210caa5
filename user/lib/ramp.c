// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Slow start's arithmetic and plan. A ramp is a function of the time since a backend came
 * up: the tables it yields depend on that time, one whole-table swap per step at most.
 */
#include "addr.h"
#include "ramp.h"

__u8 xlb_ramp_pct(__u64 elapsed_ms, __u32 duration_s)
{
	__u64 s = elapsed_ms / 1000, pct;

	if (!duration_s || s >= duration_s)
		return 0;
	pct = s * 100 / duration_s;
	return pct < XLB_RAMP_START ? XLB_RAMP_START : pct;
}

__u64 xlb_ramp_resume_ms(__u8 pct, __u32 duration_s)
{
	/* The first whole second whose step is at least pct: 0 for the first step. */
	if (pct <= XLB_RAMP_START)
		return 0;
	return ((__u64)pct * duration_s + 99) / 100 * 1000;
}

__u32 xlb_ramp_weight(__u16 weight, __u8 ramp)
{
	return (__u32)weight * (ramp ? ramp : XLB_RAMP_SCALE);
}

/* The ramp of b (on v) at now_ms; its record started or dropped as it goes. */
static __u8 ramp_of(struct xlb_ramp_rec *rec, const struct xlb_vip_conf *v,
		    const struct xlb_be_conf *b, __u64 now_ms)
{
	__u32 d = v->health.slow_start_s;

	if (rec->set &&
	    (xlb_vip_name_cmp(&rec->vip, &v->name) || xlb_addr_cmp(&rec->addr, &b->addr)))
		rec->set = false; /* the id names another backend now */
	if (!d || b->down) {
		rec->set = false;
		return d ? XLB_RAMP_START : 0;
	}
	if (!b->ramp)
		return 0; /* up at its whole weight: the ramp is over or never began */
	if (!rec->set) {
		rec->vip = v->name;
		rec->addr = b->addr;
		rec->t0_ms = now_ms - xlb_ramp_resume_ms(b->ramp, d);
		rec->set = true;
	}
	return xlb_ramp_pct(now_ms - rec->t0_ms, d);
}

bool xlb_ramps_plan(struct xlb_ramps *r, struct xlb_conf *c, __u64 now_ms)
{
	struct xlb_vip_conf *v;
	struct xlb_be_conf *b;
	bool changed = false;
	size_t i, j;
	__u8 ramp;

	for (i = 0; i < c->nvips; i++) {
		v = &c->vips[i];
		for (j = 0; j < v->nbackends; j++) {
			b = &v->backends[j];
			if (b->id >= XLB_MAX_BACKENDS)
				continue;
			ramp = ramp_of(&r->rec[b->id], v, b, now_ms);
			changed |= ramp != b->ramp;
			b->ramp = ramp;
		}
	}
	return changed;
}
