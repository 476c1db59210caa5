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

/* Where a merge walk's steps write: the lines, and the VIP whose backends are walked. */
struct walk {
	struct xlb_strv *l;
	const char *vname;
};

/*
 * A merge walk over two sorted arrays of n[0] running and n[1] desired elements of size sz,
 * paired by cmp: step(w, r, d) for each, with r NULL for one only desired, d NULL for one
 * only running. Stops at the first step that fails and returns what it returned.
 */
static int merge_walk(const void *run, const void *want, const size_t n[2], size_t sz,
		      int (*cmp)(const void *r, const void *d),
		      int (*step)(const struct walk *w, const void *r, const void *d),
		      const struct walk *w)
{
	const char *r = run, *d = want;
	size_t i = 0, j = 0;
	int c, ret = 0;

	while (!ret && (i < n[0] || j < n[1])) {
		if (i == n[0])
			c = 1;
		else
			c = j == n[1] ? -1 : cmp(r + i * sz, d + j * sz);
		ret = step(w, c <= 0 ? r + i++ * sz : NULL, c >= 0 ? d + j++ * sz : NULL);
	}
	return ret;
}

static int be_cmp(const void *r, const void *d)
{
	return xlb_addr_cmp(&((const struct xlb_be_conf *)r)->addr,
			    &((const struct xlb_be_conf *)d)->addr);
}

/* One backend of VIP w->vname: removed, added or compared. */
static int be_step(const struct walk *w, const void *r, const void *d)
{
	char addr[XLB_ADDR_STRLEN];

	if (!d) {
		xlb_addr_str(&((const struct xlb_be_conf *)r)->addr, addr, sizeof(addr));
		return xlb_strv_push(w->l, "- backend %s %s", w->vname, addr);
	}
	if (!r)
		return diff_add_backend(w->vname, d, w->l);
	return diff_backend(w->vname, r, d, w->l);
}

static int diff_backends(const char *vname, const struct xlb_vip_conf *r,
			 const struct xlb_vip_conf *d, struct xlb_strv *l)
{
	const size_t n[2] = {r->nbackends, d->nbackends};
	const struct walk w = {l, vname};

	return merge_walk(r->backends, d->backends, n, sizeof(*r->backends), be_cmp, be_step, &w);
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

static int vip_cmp(const void *r, const void *d)
{
	return xlb_vip_name_cmp(&((const struct xlb_vip_conf *)r)->name,
				&((const struct xlb_vip_conf *)d)->name);
}

/* One VIP: removed (its backends go with it), added with its backends, or compared. */
static int vip_step(const struct walk *w, const void *r, const void *d)
{
	const struct xlb_vip_conf *v = d ?: r;
	char name[XLB_VIP_NAME_STRLEN];

	xlb_vip_name_str(&v->name, name, sizeof(name));
	if (!d)
		return xlb_strv_push(w->l, "- vip %s", name);
	if (!r)
		return diff_add_vip(name, d, w->l);
	return diff_vip(name, r, d, w->l);
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
	/* Both sorted: a merge walk in canonical order. */
	ret = merge_walk(r.vips, d.vips, (const size_t[2]){r.nvips, d.nvips}, sizeof(*r.vips),
			 vip_cmp, vip_step, &(const struct walk){.l = lines});
	xlb_conf_free(&d);
free_running:
	xlb_conf_free(&r);
	return ret;
}
