// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The commands that change one VIP or backend: vip add/del, backend add/set/drain/undrain/
 * del. Each edits the model read from the maps; cli_edit() validates and applies it.
 */
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "cli_cmds.h"
#include "vip_settings.h"

static int edit_vip_add(const struct cli_args *a, struct xlb_conf *c)
{
	struct xlb_vip_conf v = {}, *old = xlb_conf_find_vip(c, &a->vip), *vips;
	char buf[XLB_VIP_NAME_STRLEN];

	v.name = a->vip;
	v.set = a->set; /* the defaults, and what the options set */
	if (old) {
		if (xlb_vip_settings_eq(&old->set, &v.set))
			return EX_OK; /* the same VIP again: nothing to do */
		return cli_fail(EX_DATAERR, "VIP '%s' exists with other settings",
				xlb_vip_name_str(&a->vip, buf, sizeof(buf)));
	}
	vips = realloc(c->vips, (c->nvips + 1) * sizeof(*vips));
	if (!vips)
		return cli_fail(EX_OSERR, "Out of memory");
	c->vips = vips;
	v.id = -1;
	c->vips[c->nvips++] = v;
	return EX_OK;
}

static int edit_vip_del(const struct cli_args *a, struct xlb_conf *c)
{
	struct xlb_vip_conf *v = xlb_conf_find_vip(c, &a->vip);

	if (!v)
		return cli_no_vip(a);
	free(v->backends);
	*v = c->vips[--c->nvips];
	return EX_OK;
}

static int edit_be_add(const struct cli_args *a, struct xlb_conf *c)
{
	struct xlb_vip_conf *v = xlb_conf_find_vip(c, &a->vip);
	struct xlb_be_conf b = {}, *old, *bes;
	char vip[XLB_VIP_NAME_STRLEN], be[XLB_ADDR_STRLEN];

	if (!v)
		return cli_no_vip(a);
	b.addr = a->be_addr;
	b.weight = (a->given & OPT_BIT(OPT_WEIGHT)) ? a->weight : XLB_WEIGHT_DEFAULT;
	b.has_mac = !!(a->given & OPT_BIT(OPT_MAC));
	memcpy(b.mac, a->mac, sizeof(b.mac));
	old = xlb_vip_find_backend(v, &b.addr);
	if (old) {
		if (old->weight == b.weight && old->has_mac == b.has_mac &&
		    !memcmp(old->mac, b.mac, sizeof(b.mac)))
			return EX_OK;
		return cli_fail(EX_DATAERR, "Backend '%s' of VIP '%s' exists with other settings",
				xlb_addr_str(&b.addr, be, sizeof(be)),
				xlb_vip_name_str(&a->vip, vip, sizeof(vip)));
	}
	bes = realloc(v->backends, (v->nbackends + 1) * sizeof(*bes));
	if (!bes)
		return cli_fail(EX_OSERR, "Out of memory");
	v->backends = bes;
	v->backends[v->nbackends++] = b;
	return EX_OK;
}

/* The backend the command names, or NULL after printing why not. */
static struct xlb_be_conf *named_be(const struct cli_args *a, struct xlb_conf *c, int *ret)
{
	struct xlb_vip_conf *v = xlb_conf_find_vip(c, &a->vip);
	struct xlb_be_conf *b;

	if (!v) {
		*ret = cli_no_vip(a);
		return NULL;
	}
	b = xlb_vip_find_backend(v, &a->be_addr);
	if (!b)
		*ret = cli_no_backend(a);
	return b;
}

static int edit_be_set(const struct cli_args *a, struct xlb_conf *c)
{
	struct xlb_be_conf *b;
	int ret = EX_OK;

	b = named_be(a, c, &ret);
	if (b)
		b->weight = a->weight;
	return ret;
}

static int edit_be_drain(const struct cli_args *a, struct xlb_conf *c)
{
	struct xlb_be_conf *b;
	int ret = EX_OK;

	b = named_be(a, c, &ret);
	if (b)
		b->drain = a->cmd == CMD_BE_DRAIN;
	return ret;
}

static int edit_be_del(const struct cli_args *a, struct xlb_conf *c)
{
	struct xlb_vip_conf *v;
	struct xlb_be_conf *b;
	int ret = EX_OK;

	b = named_be(a, c, &ret);
	if (!b)
		return ret;
	v = xlb_conf_find_vip(c, &a->vip);
	*b = v->backends[--v->nbackends];
	return EX_OK;
}

int cmd_vip_add(const struct cli_args *a)
{
	return cli_edit(a, edit_vip_add);
}

int cmd_vip_del(const struct cli_args *a)
{
	return cli_edit(a, edit_vip_del);
}

int cmd_be_add(const struct cli_args *a)
{
	return cli_edit(a, edit_be_add);
}

int cmd_be_set(const struct cli_args *a)
{
	return cli_edit(a, edit_be_set);
}

int cmd_be_drain(const struct cli_args *a)
{
	return cli_edit(a, edit_be_drain);
}

int cmd_be_undrain(const struct cli_args *a)
{
	return cli_edit(a, edit_be_drain);
}

int cmd_be_del(const struct cli_args *a)
{
	return cli_edit(a, edit_be_del);
}
