// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The commands that change one VIP or backend: vip add/del, backend add/set/drain/undrain/
 * del. Each edits the model read from the maps; cli_edit() validates and applies it.
 */
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "backend_settings.h"
#include "cli_cmds.h"
#include "vip_settings.h"

static int edit_vip_add(const struct cli_args *a, struct xlb_conf *c)
{
	struct xlb_vip_conf v = {}, *old = xlb_conf_find_vip(c, &a->vip), *new;
	char buf[XLB_VIP_NAME_STRLEN];

	v.name = a->vip;
	v.set = a->set; /* the defaults, and what the options set */
	if (old) {
		if (xlb_vip_settings_eq(&old->set, &v.set))
			return EX_OK; /* the same VIP again: nothing to do */
		return cli_fail(EX_DATAERR, "VIP '%s' exists with other settings",
				xlb_vip_name_str(&a->vip, buf, sizeof(buf)));
	}
	new = xlb_conf_add_vip(c);
	if (!new)
		return cli_fail(EX_OSERR, "Out of memory");
	v.id = -1;
	*new = v;
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

/*
 * Whether backend add of a, made again, finds b as it would make it: the settings it takes
 * (its options, and the port in its address); drain has commands of its own.
 */
static bool be_add_same(const struct cli_args *a, const struct xlb_be_conf *b)
{
	int i;

	for (i = 0; i < XLB_BSET__MAX; i++)
		if ((xlb_bsets[i].arg || xlb_bsets[i].in_address) &&
		    !xlb_bset_eq(&a->bset, &b->bset, i))
			return false;
	return true;
}

static int edit_be_add(const struct cli_args *a, struct xlb_conf *c)
{
	struct xlb_vip_conf *v = xlb_conf_find_vip(c, &a->vip);
	struct xlb_be_conf b = {}, *old, *new;
	char vip[XLB_VIP_NAME_STRLEN], be[XLB_ADDR_STRLEN];

	if (!v)
		return cli_no_vip(a);
	b.addr = a->be_addr;
	b.bset = a->bset; /* the defaults, what the options set, and the port */
	old = xlb_vip_find_backend(v, &b.addr);
	if (old) {
		if (be_add_same(a, old))
			return EX_OK;
		return cli_fail(EX_DATAERR, "Backend '%s' of VIP '%s' exists with other settings",
				xlb_addr_str(&b.addr, be, sizeof(be)),
				xlb_vip_name_str(&a->vip, vip, sizeof(vip)));
	}
	new = xlb_vip_add_backend(v);
	if (!new)
		return cli_fail(EX_OSERR, "Out of memory");
	*new = b;
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
	if (b && a->port && b->port != a->port)
		b = NULL; /* ADDR:PORT names the backend only with the port it has */
	if (!b)
		*ret = cli_no_backend(a);
	return b;
}

/* backend set (its weight), drain and undrain. */
static int edit_be_set(const struct cli_args *a, struct xlb_conf *c)
{
	struct xlb_be_conf *b;
	int ret = EX_OK;

	b = named_be(a, c, &ret);
	if (b && a->cmd == CMD_BE_SET)
		b->weight = a->weight; /* its one option (cmds[] in cli_parse.c) */
	else if (b)
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

/* The edit each command makes. */
static const cli_edit_fn edits[CMD__MAX] = {
    [CMD_VIP_ADD] = edit_vip_add, [CMD_VIP_DEL] = edit_vip_del, [CMD_BE_ADD] = edit_be_add,
    [CMD_BE_SET] = edit_be_set,	  [CMD_BE_DRAIN] = edit_be_set, [CMD_BE_UNDRAIN] = edit_be_set,
    [CMD_BE_DEL] = edit_be_del,
};

int cmd_edit(const struct cli_args *a)
{
	return cli_edit(a, edits[a->cmd]);
}
