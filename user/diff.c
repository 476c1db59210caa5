// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The line-per-change difference between a running and a desired configuration, as `xlb
 * apply` prints it before applying (and `--dry-run` instead of applying). Pure.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "health_conf.h"
#include "model.h"

static int diff_add_backend(const char *vname, const struct xlb_be_conf *b, struct xlb_strv *l)
{
	char addr[XLB_ADDR_STRLEN], mac[XLB_MAC_STRLEN];

	xlb_addr_str(&b->addr, addr, sizeof(addr));
	xlb_mac_str(b->mac, mac, sizeof(mac));
	return xlb_strv_push(l, "+ backend %s %s weight %u%s%s%s", vname, addr, b->weight,
			     b->has_mac ? " mac " : "", b->has_mac ? mac : "",
			     b->drain ? " drain yes" : "");
}

static int diff_add_vip(const char *vname, const struct xlb_vip_conf *v, struct xlb_strv *l)
{
	char gue[24] = "", health[16] = "", slow[24] = "", limit[32] = "";
	size_t i;
	int ret;

	if (v->forward == XLB_FWD_GUE)
		snprintf(gue, sizeof(gue), " gue-port %u", v->gue_port);
	if (v->health.check != XLB_CHECK_NONE)
		snprintf(health, sizeof(health), " health %s", xlb_check_str(v->health.check));
	if (v->health.slow_start_s)
		snprintf(slow, sizeof(slow), " slow-start %us", v->health.slow_start_s);
	if (v->new_flow_limit)
		snprintf(limit, sizeof(limit), " new-flow-limit %u", v->new_flow_limit);
	ret = xlb_strv_push(l, "+ vip %s forward %s sched %s%s%s%s%s", vname,
			    xlb_forward_str(v->forward), xlb_sched_str(v->sched), gue, health,
			    slow, limit);
	for (i = 0; !ret && i < v->nbackends; i++)
		ret = diff_add_backend(vname, &v->backends[i], l);
	return ret;
}

static const char *mac_or_none(const struct xlb_be_conf *b, char *buf, size_t len)
{
	return b->has_mac ? xlb_mac_str(b->mac, buf, len) : "none";
}

static int diff_backend(const char *vname, const struct xlb_be_conf *r, const struct xlb_be_conf *d,
			struct xlb_strv *l)
{
	char addr[XLB_ADDR_STRLEN], rmac[XLB_MAC_STRLEN], dmac[XLB_MAC_STRLEN];

	xlb_addr_str(&d->addr, addr, sizeof(addr));
	if (r->weight != d->weight &&
	    xlb_strv_push(l, "~ backend %s %s weight %u -> %u", vname, addr, r->weight, d->weight))
		return -ENOMEM;
	if (r->drain != d->drain && xlb_strv_push(l, "~ backend %s %s drain %s -> %s", vname, addr,
						  r->drain ? "yes" : "no", d->drain ? "yes" : "no"))
		return -ENOMEM;
	if ((r->has_mac != d->has_mac || (d->has_mac && memcmp(r->mac, d->mac, sizeof(r->mac)))) &&
	    xlb_strv_push(l, "~ backend %s %s mac %s -> %s", vname, addr,
			  mac_or_none(r, rmac, sizeof(rmac)), mac_or_none(d, dmac, sizeof(dmac))))
		return -ENOMEM;
	return 0;
}

static int diff_backends(const char *vname, const struct xlb_vip_conf *r,
			 const struct xlb_vip_conf *d, struct xlb_strv *l)
{
	char addr[XLB_ADDR_STRLEN];
	size_t i = 0, j = 0;
	int cmp, ret = 0;

	while (!ret && (i < r->nbackends || j < d->nbackends)) {
		if (i == r->nbackends)
			cmp = 1;
		else if (j == d->nbackends)
			cmp = -1;
		else
			cmp = xlb_addr_cmp(&r->backends[i].addr, &d->backends[j].addr);
		if (cmp < 0) {
			xlb_addr_str(&r->backends[i++].addr, addr, sizeof(addr));
			ret = xlb_strv_push(l, "- backend %s %s", vname, addr);
		} else if (cmp > 0)
			ret = diff_add_backend(vname, &d->backends[j++], l);
		else
			ret = diff_backend(vname, &r->backends[i++], &d->backends[j++], l);
	}
	return ret;
}

static int diff_health(const char *vname, const struct xlb_vip_health *r,
		       const struct xlb_vip_health *d, struct xlb_strv *l)
{
	char rs[256], ds[256];
	struct xlb_vip_health a = *r, b = *d;

	a.all_down = b.all_down; /* lines of their own */
	a.slow_start_s = b.slow_start_s;
	if (xlb_health_eq(&a, &b))
		return 0;
	return xlb_strv_push(l, "~ vip %s health %s -> %s", vname,
			     xlb_health_summary(r, rs, sizeof(rs)),
			     xlb_health_summary(d, ds, sizeof(ds)));
}

static int diff_vip(const char *vname, const struct xlb_vip_conf *r, const struct xlb_vip_conf *d,
		    struct xlb_strv *l)
{
	if (r->forward != d->forward &&
	    xlb_strv_push(l, "~ vip %s forward %s -> %s", vname, xlb_forward_str(r->forward),
			  xlb_forward_str(d->forward)))
		return -ENOMEM;
	if (r->sched != d->sched && xlb_strv_push(l, "~ vip %s sched %s -> %s", vname,
						  xlb_sched_str(r->sched), xlb_sched_str(d->sched)))
		return -ENOMEM;
	if (r->gue_port != d->gue_port &&
	    xlb_strv_push(l, "~ vip %s gue-port %u -> %u", vname, r->gue_port, d->gue_port))
		return -ENOMEM;
	if (r->new_flow_limit != d->new_flow_limit &&
	    xlb_strv_push(l, "~ vip %s new-flow-limit %u -> %u", vname, r->new_flow_limit,
			  d->new_flow_limit))
		return -ENOMEM;
	if (r->health.all_down != d->health.all_down &&
	    xlb_strv_push(l, "~ vip %s on-all-down %s -> %s", vname,
			  xlb_all_down_str(r->health.all_down), xlb_all_down_str(d->health.all_down)))
		return -ENOMEM;
	if (r->health.slow_start_s != d->health.slow_start_s &&
	    xlb_strv_push(l, "~ vip %s slow-start %us -> %us", vname, r->health.slow_start_s,
			  d->health.slow_start_s))
		return -ENOMEM;
	if (diff_health(vname, &r->health, &d->health, l))
		return -ENOMEM;
	return diff_backends(vname, r, d, l);
}

/* Both sorted: a merge walk in canonical order. */
static int diff_sorted(const struct xlb_conf *r, const struct xlb_conf *d, struct xlb_strv *l)
{
	char name[XLB_VIP_NAME_STRLEN];
	size_t i = 0, j = 0;
	int cmp, ret = 0;

	while (!ret && (i < r->nvips || j < d->nvips)) {
		if (i == r->nvips)
			cmp = 1;
		else if (j == d->nvips)
			cmp = -1;
		else
			cmp = xlb_vip_name_cmp(&r->vips[i].name, &d->vips[j].name);
		if (cmp < 0) {
			xlb_vip_name_str(&r->vips[i++].name, name, sizeof(name));
			ret = xlb_strv_push(l, "- vip %s", name);
		} else if (cmp > 0) {
			xlb_vip_name_str(&d->vips[j].name, name, sizeof(name));
			ret = diff_add_vip(name, &d->vips[j++], l);
		} else {
			xlb_vip_name_str(&d->vips[j].name, name, sizeof(name));
			ret = diff_vip(name, &r->vips[i++], &d->vips[j++], l);
		}
	}
	return ret;
}

int xlb_conf_diff(const struct xlb_conf *running, const struct xlb_conf *desired,
		  struct xlb_strv *lines)
{
	struct xlb_conf r, d;
	int ret;

	ret = xlb_conf_copy(&r, running);
	if (ret)
		return ret;
	ret = xlb_conf_copy(&d, desired);
	if (ret)
		goto free_running;
	xlb_conf_sort(&r);
	xlb_conf_sort(&d);
	ret = diff_sorted(&r, &d, lines);
	xlb_conf_free(&d);
free_running:
	xlb_conf_free(&r);
	return ret;
}
