// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The line-per-change difference between a running and a desired configuration, as `xlb
 * apply` prints it before applying (and `--dry-run` instead of applying). Pure.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "backend_settings.h"
#include "health_conf.h"
#include "model.h"
#include "vip_settings.h"
#include "snat_conf.h"

/* "+ backend NAME ADDR[:PORT]" and " KEY VALUE" of each setting it shows (backend_settings.h). */
static int diff_add_backend(const char *vname, const struct xlb_be_conf *b, struct xlb_strv *l)
{
	char addr[XLB_BE_ADDR_STRLEN], line[128] = "", val[XLB_MAC_STRLEN];
	size_t used;
	int i;

	for (i = 0; i < XLB_BSET__MAX; i++) {
		if (xlb_bsets[i].in_address || !xlb_bset_shown(&b->bset, i))
			continue;
		used = strlen(line);
		snprintf(line + used, sizeof(line) - used, " %s %s", xlb_bsets[i].key,
			 xlb_bset_str(&b->bset, i, val, sizeof(val)));
	}
	return xlb_strv_push(l, "+ backend %s %s%s", vname,
			     xlb_be_addr_str(&b->addr, b->port, addr, sizeof(addr)), line);
}

/* " KEY VALUE" of each setting of group g that apply's "+ vip" line shows, appended to buf. */
static void add_settings(const struct xlb_vip_conf *v, enum xlb_vset_group g, char *buf,
			 size_t len)
{
	char val[24];
	size_t used;
	int i;

	for (i = 0; i < XLB_VSET__MAX; i++) {
		if (xlb_vsets[i].group != g || !xlb_vset_shown(&v->set, i))
			continue;
		used = strlen(buf);
		snprintf(buf + used, len - used, " %s %s", xlb_vsets[i].key,
			 xlb_vset_str(i, xlb_vset_get(&v->set, i), val, sizeof(val)));
	}
}

static int diff_add_vip(const char *vname, const struct xlb_vip_conf *v, struct xlb_strv *l)
{
	char line[256 + XLB_SNAT_STRLEN] = "", pool[XLB_SNAT_STRLEN];
	size_t i;
	int ret;

	add_settings(v, XLB_VGROUP_FORWARD, line, sizeof(line));
	if (v->snat.n)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), " snat %s",
			 xlb_snat_str(&v->snat, pool, sizeof(pool)));
	if (v->health.check != XLB_CHECK_NONE)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), " health %s",
			 xlb_check_str(v->health.check));
	add_settings(v, XLB_VGROUP_HEALTH, line, sizeof(line));
	add_settings(v, XLB_VGROUP_LIMIT, line, sizeof(line));
	ret = xlb_strv_push(l, "+ vip %s%s", vname, line);
	for (i = 0; !ret && i < v->nbackends; i++)
		ret = diff_add_backend(vname, &v->backends[i], l);
	return ret;
}

/* "~ backend NAME ADDR KEY OLD -> NEW" for each setting that differs. */
static int diff_backend(const char *vname, const struct xlb_be_conf *r, const struct xlb_be_conf *d,
			struct xlb_strv *l)
{
	char addr[XLB_ADDR_STRLEN], rs[XLB_MAC_STRLEN], ds[XLB_MAC_STRLEN];
	int i;

	xlb_addr_str(&d->addr, addr, sizeof(addr));
	for (i = 0; i < XLB_BSET__MAX; i++) {
		if (xlb_bset_eq(&r->bset, &d->bset, i))
			continue;
		if (xlb_strv_push(l, "~ backend %s %s %s %s -> %s", vname, addr, xlb_bsets[i].key,
				  xlb_bset_str(&r->bset, i, rs, sizeof(rs)),
				  xlb_bset_str(&d->bset, i, ds, sizeof(ds))))
			return -ENOMEM;
	}
	return 0;
}

/*
 * A merge walk over two sorted lists, at position i of nr running and j of nd desired: 1 when
 * only desired elements are left, -1 when only running ones are, 0 when both lists have one
 * (the caller then compares them).
 */
static int merge_side(size_t i, size_t nr, size_t j, size_t nd)
{
	if (i == nr)
		return 1;
	return j == nd ? -1 : 0;
}

static int diff_backends(const char *vname, const struct xlb_vip_conf *r,
			 const struct xlb_vip_conf *d, struct xlb_strv *l)
{
	char addr[XLB_ADDR_STRLEN];
	size_t i = 0, j = 0;
	int cmp, ret = 0;

	while (!ret && (i < r->nbackends || j < d->nbackends)) {
		cmp = merge_side(i, r->nbackends, j, d->nbackends);
		if (!cmp)
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

/* "~ vip NAME KEY OLD -> NEW" for each setting of group g that differs. */
static int diff_settings(const char *vname, const struct xlb_vip_conf *r,
			 const struct xlb_vip_conf *d, enum xlb_vset_group g, struct xlb_strv *l)
{
	char rs[24], ds[24];
	__u32 rv, dv;
	int i;

	for (i = 0; i < XLB_VSET__MAX; i++) {
		rv = xlb_vset_get(&r->set, i);
		dv = xlb_vset_get(&d->set, i);
		if (xlb_vsets[i].group != g || rv == dv)
			continue;
		if (xlb_strv_push(l, "~ vip %s %s %s -> %s", vname, xlb_vsets[i].key,
				  xlb_vset_str(i, rv, rs, sizeof(rs)),
				  xlb_vset_str(i, dv, ds, sizeof(ds))))
			return -ENOMEM;
	}
	return 0;
}

/* "~ vip NAME snat OLD -> NEW" ("none" for no pool) when the pools differ. */
static int diff_snat(const char *vname, const struct xlb_snat_conf *r,
		     const struct xlb_snat_conf *d, struct xlb_strv *l)
{
	char rs[XLB_SNAT_STRLEN], ds[XLB_SNAT_STRLEN];

	if (xlb_snat_eq(r, d))
		return 0;
	return xlb_strv_push(l, "~ vip %s snat %s -> %s", vname,
			     r->n ? xlb_snat_str(r, rs, sizeof(rs)) : "none",
			     d->n ? xlb_snat_str(d, ds, sizeof(ds)) : "none");
}

static int diff_vip(const char *vname, const struct xlb_vip_conf *r, const struct xlb_vip_conf *d,
		    struct xlb_strv *l)
{
	if (diff_settings(vname, r, d, XLB_VGROUP_FORWARD, l) ||
	    diff_snat(vname, &r->snat, &d->snat, l) ||
	    diff_settings(vname, r, d, XLB_VGROUP_LIMIT, l) ||
	    diff_settings(vname, r, d, XLB_VGROUP_HEALTH, l) ||
	    diff_health(vname, &r->health, &d->health, l))
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
		cmp = merge_side(i, r->nvips, j, d->nvips);
		if (!cmp)
			cmp = xlb_vip_name_cmp(&r->vips[i].name, &d->vips[j].name);
		xlb_vip_name_str(cmp < 0 ? &r->vips[i].name : &d->vips[j].name, name, sizeof(name));
		if (cmp < 0) {
			ret = xlb_strv_push(l, "- vip %s", name);
			i++;
		} else if (cmp > 0) {
			ret = diff_add_vip(name, &d->vips[j++], l);
		} else {
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
