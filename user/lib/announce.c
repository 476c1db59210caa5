// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The rules for publishing VIP routes: a route per address exists while the node is not
 * drained and some VIP on that address has a backend to send new flows to. Pure.
 */
#include "addr.h"
#include "announce.h"

static bool takes_flows(const struct xlb_be_conf *b, bool ignore_health)
{
	return b->weight && !b->drain && (!b->down || ignore_health);
}

static bool any_takes_flows(const struct xlb_vip_conf *v, bool ignore_health)
{
	size_t i;

	for (i = 0; i < v->nbackends; i++)
		if (takes_flows(&v->backends[i], ignore_health))
			return true;
	return false;
}

bool xlb_vip_usable(const struct xlb_vip_conf *v)
{
	return any_takes_flows(v, false) ||
	       (v->health.all_down == XLB_ALL_DOWN_ALL && any_takes_flows(v, true));
}

static const char *const reasons[XLB_ANN__MAX] = {
    [XLB_ANN_USABLE] = "a backend is usable",
    [XLB_ANN_FAIL_OPEN] = "no backend is up but the VIP fails open (on-all-down: all)",
    [XLB_ANN_DRAINED] = "the node is drained",
    [XLB_ANN_NO_BACKEND] = "no usable backend (on-all-down: drop)",
    [XLB_ANN_NO_VIP] = "no VIP on the address any more",
    [XLB_ANN_OFF] = "publishing moved to another table or turned off",
};

const char *xlb_announce_reason_str(enum xlb_announce_reason r)
{
	return r < XLB_ANN__MAX ? reasons[r] : "?";
}

bool xlb_announce_want(const struct xlb_conf *c, const struct xlb_addr *a, bool drained,
		       enum xlb_announce_reason *why)
{
	const struct xlb_vip_conf *v;
	bool any = false;
	size_t i;

	*why = XLB_ANN_NO_VIP;
	for (i = 0; i < c->nvips; i++) {
		v = &c->vips[i];
		if (xlb_addr_cmp(&v->name.addr, a))
			continue;
		any = true;
		if (any_takes_flows(v, false)) {
			*why = XLB_ANN_USABLE;
			break;
		}
		if (xlb_vip_usable(v))
			*why = XLB_ANN_FAIL_OPEN;
		else if (*why != XLB_ANN_FAIL_OPEN)
			*why = XLB_ANN_NO_BACKEND;
	}
	if (any && drained)
		*why = XLB_ANN_DRAINED;
	return *why == XLB_ANN_USABLE || *why == XLB_ANN_FAIL_OPEN;
}

const struct xlb_announce_addr *xlb_announce_find(const struct xlb_announce_view *w,
						  const struct xlb_addr *a)
{
	size_t i;

	for (i = 0; w && i < w->n; i++)
		if (!xlb_addr_cmp(&w->v[i].addr, a))
			return &w->v[i];
	return NULL;
}
