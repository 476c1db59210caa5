// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Operations on the configuration model of model.h: free, copy, canonical order, the rules
 * every configuration must meet, lookups by name, which backends take flows, and the string
 * and error lists they report through. Pure.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "health_conf.h"
#include "model.h"
#include "snat_conf.h"
#include "vip_settings.h"

void xlb_conf_free(struct xlb_conf *c)
{
	size_t i;

	for (i = 0; i < c->nvips; i++)
		free(c->vips[i].backends);
	free(c->vips);
	memset(c, 0, sizeof(*c));
}

int xlb_conf_copy(struct xlb_conf *dst, const struct xlb_conf *src)
{
	struct xlb_vip_conf *v;
	size_t i;

	memset(dst, 0, sizeof(*dst));
	if (!src->nvips)
		return 0;
	dst->vips = calloc(src->nvips, sizeof(*dst->vips));
	if (!dst->vips)
		return -ENOMEM;
	for (i = 0; i < src->nvips; i++, dst->nvips++) {
		v = &dst->vips[i];
		*v = src->vips[i];
		v->backends = NULL;
		if (!v->nbackends)
			continue;
		v->backends = malloc(v->nbackends * sizeof(*v->backends));
		if (!v->backends)
			goto free_dst;
		memcpy(v->backends, src->vips[i].backends, v->nbackends * sizeof(*v->backends));
	}
	return 0;

free_dst:
	xlb_conf_free(dst);
	return -ENOMEM;
}

/* Canonical order; equal names (an invalid configuration) fall back on the line. */
static int cmp_vip(const void *pa, const void *pb)
{
	const struct xlb_vip_conf *a = pa, *b = pb;
	int d = xlb_vip_name_cmp(&a->name, &b->name);

	return d ? d : a->line - b->line;
}

static int cmp_be(const void *pa, const void *pb)
{
	const struct xlb_be_conf *a = pa, *b = pb;
	int d = xlb_addr_cmp(&a->addr, &b->addr);

	return d ? d : a->line - b->line;
}

/* qsort() wants valid pointers even for no elements. */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n)
		qsort(base, n, size, cmp);
}

void xlb_conf_sort(struct xlb_conf *c)
{
	size_t i;

	sort(c->vips, c->nvips, sizeof(*c->vips), cmp_vip);
	for (i = 0; i < c->nvips; i++)
		sort(c->vips[i].backends, c->vips[i].nbackends, sizeof(*c->vips[i].backends),
		     cmp_be);
}

struct xlb_vip_conf *xlb_conf_find_vip(const struct xlb_conf *c, const struct xlb_vip_name *n)
{
	size_t i;

	for (i = 0; i < c->nvips; i++)
		if (!xlb_vip_name_cmp(&c->vips[i].name, n))
			return &c->vips[i];
	return NULL;
}

bool xlb_conf_has_addr(const struct xlb_conf *c, const struct xlb_addr *a)
{
	size_t i;

	for (i = 0; i < c->nvips; i++)
		if (!xlb_addr_cmp(&c->vips[i].name.addr, a))
			return true;
	return false;
}

struct xlb_be_conf *xlb_vip_find_backend(const struct xlb_vip_conf *v, const struct xlb_addr *a)
{
	size_t i;

	for (i = 0; v && i < v->nbackends; i++)
		if (!xlb_addr_cmp(&v->backends[i].addr, a))
			return &v->backends[i];
	return NULL;
}

/* A new zeroed element at the end of *arr (*n of size bytes), or NULL (*arr unchanged). */
static void *append_zeroed(void **arr, size_t *n, size_t size)
{
	char *a = realloc(*arr, (*n + 1) * size);

	if (!a)
		return NULL;
	*arr = a;
	memset(a + *n * size, 0, size);
	return a + (*n)++ * size;
}

struct xlb_vip_conf *xlb_conf_add_vip(struct xlb_conf *c)
{
	return append_zeroed((void **)&c->vips, &c->nvips, sizeof(*c->vips));
}

struct xlb_be_conf *xlb_vip_add_backend(struct xlb_vip_conf *v)
{
	return append_zeroed((void **)&v->backends, &v->nbackends, sizeof(*v->backends));
}

bool xlb_be_takes_flows(const struct xlb_be_conf *b, bool fail_open)
{
	return b->weight && !b->drain && (!b->down || fail_open);
}

bool xlb_vip_takes_flows(const struct xlb_vip_conf *v, bool fail_open)
{
	size_t i;

	for (i = 0; i < v->nbackends; i++)
		if (xlb_be_takes_flows(&v->backends[i], fail_open))
			return true;
	return false;
}

int xlb_strv_push(struct xlb_strv *s, const char *fmt, ...)
{
	char **v, *str;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&str, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	v = realloc(s->v, (s->n + 1) * sizeof(*v));
	if (!v) {
		free(str);
		return -ENOMEM;
	}
	v[s->n++] = str;
	s->v = v;
	return 0;
}

void xlb_strv_free(struct xlb_strv *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

int xlb_errors_add(struct xlb_errors *e, int line, const char *fmt, ...)
{
	struct xlb_error *v;
	va_list ap;
	char *msg;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		goto nomem;
	v = realloc(e->v, (e->n + 1) * sizeof(*v));
	if (!v)
		goto free_msg;
	v[e->n].line = line;
	v[e->n++].msg = msg;
	e->v = v;
	return 0;

free_msg:
	free(msg);
nomem:
	e->nomem = true;
	return -ENOMEM;
}

static int cmp_error(const void *pa, const void *pb)
{
	const struct xlb_error *a = pa, *b = pb;

	return a->line != b->line ? a->line - b->line : strcmp(a->msg, b->msg);
}

void xlb_errors_sort(struct xlb_errors *e)
{
	sort(e->v, e->n, sizeof(*e->v), cmp_error);
}

void xlb_errors_print(const struct xlb_errors *e, FILE *out)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		if (e->file && e->v[i].line)
			fprintf(out, "%s:%d: ", e->file, e->v[i].line);
		else if (e->file)
			fprintf(out, "%s: ", e->file);
		fprintf(out, "%s\n", e->v[i].msg);
	}
}

void xlb_errors_free(struct xlb_errors *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		free(e->v[i].msg);
	free(e->v);
	e->v = NULL;
	e->n = 0;
	e->nomem = false;
}

static bool family_ok(__u8 family)
{
	return family == XLB_FAM_V4 || family == XLB_FAM_V6;
}

/* " (first at line N)", or nothing when the line is not known. */
static const char *first_at(int line, char *buf, size_t len)
{
	if (!line)
		return "";
	snprintf(buf, len, " (first at line %d)", line);
	return buf;
}

/* A backend's own port: only nat translates ports, and only from one VIP port. */
static void check_nat_port(const struct xlb_vip_conf *v, const char *vname,
			   const struct xlb_be_conf *b, const char *addr, struct xlb_errors *e)
{
	if (!b->port)
		return;
	if (v->forward != XLB_FWD_NAT)
		xlb_errors_add(e, b->line,
			       "backend %s of VIP %s has port %u: only nat VIPs translate ports",
			       addr, vname, b->port);
	else if (!v->name.port)
		xlb_errors_add(e, b->line,
			       "backend %s of VIP %s has port %u: a VIP of every port keeps the "
			       "client's", addr, vname, b->port);
}

static void check_backend(const struct xlb_vip_conf *v, const char *vname,
			  const struct xlb_be_conf *b, const struct xlb_be_conf *prev,
			  struct xlb_errors *e)
{
	char addr[XLB_ADDR_STRLEN], mac[XLB_MAC_STRLEN], at[32];
	const char *why;

	xlb_addr_str(&b->addr, addr, sizeof(addr));
	if (prev && !xlb_addr_cmp(&prev->addr, &b->addr))
		xlb_errors_add(e, b->line, "duplicate backend %s in VIP %s%s", addr, vname,
			       first_at(prev->line, at, sizeof(at)));
	if (!family_ok(b->addr.family))
		xlb_errors_add(e, b->line, "backend of VIP %s: unknown address family %u", vname,
			       b->addr.family);
	why = xlb_addr_not_unicast(&b->addr);
	if (why)
		xlb_errors_add(e, b->line, "backend %s of VIP %s: %s: expected a unicast address",
			       addr, vname, why);
	why = b->has_mac ? xlb_mac_not_unicast(b->mac) : NULL;
	if (why)
		xlb_errors_add(e, b->line, "backend %s of VIP %s: MAC %s is %s: expected a unicast MAC",
			       addr, vname, xlb_mac_str(b->mac, mac, sizeof(mac)), why);
	if (b->weight > XLB_WEIGHT_MAX)
		xlb_errors_add(e, b->line, "backend %s of VIP %s: weight %u over %u", addr, vname,
			       b->weight, XLB_WEIGHT_MAX);
	check_nat_port(v, vname, b, addr, e);
	if (v->forward != XLB_FWD_DR && v->forward != XLB_FWD_NAT)
		return;
	if (!b->has_mac)
		xlb_errors_add(e, b->line, "backend %s of %s VIP %s lacks a MAC", addr,
			       xlb_forward_str(v->forward), vname);
	if (family_ok(b->addr.family) && b->addr.family != v->name.addr.family)
		xlb_errors_add(e, b->line, "backend %s of %s VIP %s is not IPv%u: %s", addr,
			       xlb_forward_str(v->forward), vname, v->name.addr.family,
			       v->forward == XLB_FWD_DR ? "dr only rewrites the MAC"
							: "nat keeps the address family");
}

/* The settings of the table that are numbers or seconds (but a 0 left out), in their ranges. */
static void check_numbers(const struct xlb_vip_conf *v, const char *name, struct xlb_errors *e)
{
	const struct xlb_vset_def *d;
	__u32 val;
	int i;

	for (i = 0; i < XLB_VSET__MAX; i++) {
		d = &xlb_vsets[i];
		val = xlb_vset_get(&v->set, i);
		if (d->kind == XLB_VKIND_NUMBER && (val < d->min || val > d->max))
			xlb_errors_add(e, v->line, "VIP %s: %s %u: expected %u-%u", name, d->key,
				       val, d->min, d->max);
		if (d->kind == XLB_VKIND_SECONDS && !(d->omit_zero && !val) &&
		    (val < d->min || val > d->max))
			xlb_errors_add(e, v->line, "VIP %s: %s %us: expected %us-%us", name,
				       d->key, val, d->min, d->max);
	}
}

static void check_vip(const struct xlb_vip_conf *v, const struct xlb_vip_conf *prev,
		      struct xlb_errors *e)
{
	char name[XLB_VIP_NAME_STRLEN], at[32], why[80];
	const char *kind;
	size_t i;

	xlb_vip_name_str(&v->name, name, sizeof(name));
	if (prev && !xlb_vip_name_cmp(&prev->name, &v->name))
		xlb_errors_add(e, v->line, "duplicate VIP %s%s", name,
			       first_at(prev->line, at, sizeof(at)));
	if (!family_ok(v->name.addr.family))
		xlb_errors_add(e, v->line, "VIP %s: unknown address family %u", name,
			       v->name.addr.family);
	kind = xlb_addr_not_unicast(&v->name.addr);
	if (kind)
		xlb_errors_add(e, v->line, "VIP %s: %s: expected a unicast address", name, kind);
	if (v->name.proto != IPPROTO_TCP && v->name.proto != IPPROTO_UDP)
		xlb_errors_add(e, v->line, "VIP %s: unknown protocol %u", name, v->name.proto);
	if (v->forward < XLB_FWD_IPIP || v->forward >= XLB_FWD__MAX)
		xlb_errors_add(e, v->line, "VIP %s: unknown forward mode %u", name, v->forward);
	else if (v->second_chance && v->forward != XLB_FWD_GUE)
		xlb_errors_add(e, v->line, "VIP %s: second-chance needs forward gue, not %s", name,
			       xlb_forward_str(v->forward));
	if (v->sched < XLB_SCHED_MAGLEV || v->sched >= XLB_SCHED__MAX)
		xlb_errors_add(e, v->line, "VIP %s: unknown sched %u", name, v->sched);
	check_numbers(v, name, e);
	if (xlb_health_check(&v->health, v->name.port, why, sizeof(why)))
		xlb_errors_add(e, v->line, "VIP %s: health: %s", name, why);
	for (i = 0; i < v->nbackends; i++)
		check_backend(v, name, &v->backends[i], i ? &v->backends[i - 1] : NULL, e);
}

static void check_limits(const struct xlb_conf *c, struct xlb_errors *e)
{
	size_t i, total = 0, seen = 0;

	if (c->nvips > XLB_MAX_VIPS)
		xlb_errors_add(e, c->vips[XLB_MAX_VIPS].line, "%zu VIPs: at most %d", c->nvips,
			       XLB_MAX_VIPS);
	for (i = 0; i < c->nvips; i++)
		total += c->vips[i].nbackends;
	if (total < XLB_MAX_BACKENDS)
		return;
	for (i = 0; seen + c->vips[i].nbackends < XLB_MAX_BACKENDS; i++)
		seen += c->vips[i].nbackends;
	/* Reported at the first backend over the limit. */
	xlb_errors_add(e, c->vips[i].backends[XLB_MAX_BACKENDS - 1 - seen].line,
		       "%zu backends in all: at most %d", total, XLB_MAX_BACKENDS - 1);
}

int xlb_conf_validate(const struct xlb_conf *c, struct xlb_errors *errs)
{
	char name[XLB_VIP_NAME_STRLEN];
	size_t before = errs->n, i;
	struct xlb_conf s;
	int ret;

	/* In canonical order, a duplicate sits right after its first occurrence. */
	ret = xlb_conf_copy(&s, c);
	if (ret)
		return ret;
	xlb_conf_sort(&s);
	check_limits(c, errs);
	for (i = 0; i < s.nvips; i++) {
		check_vip(&s.vips[i], i ? &s.vips[i - 1] : NULL, errs);
		xlb_snat_check(&s, &s.vips[i],
			       xlb_vip_name_str(&s.vips[i].name, name, sizeof(name)), errs);
	}
	xlb_conf_free(&s);
	xlb_errors_sort(errs);
	if (errs->nomem)
		return -ENOMEM;
	return errs->n > before ? -EINVAL : 0;
}
