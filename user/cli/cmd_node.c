// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xlb node drain, undrain and check: taking this balancer out of its fleet for maintenance
 * (xlbd withdraws every VIP route; flows that still arrive are forwarded), bringing it back,
 * and asking whether it should serve (for keepalived's track_script).
 */
#include <errno.h>
#include <string.h>
#include <jansson.h>
#include "addr.h"
#include "announce.h"
#include "cli_cmds.h"
#include "node.h"

#define EXIT_NO_SERVE 1 /* node check: this node should not serve (like test(1) saying no) */

static int set_drained(const struct cli_args *a, bool drained)
{
	struct xlb_instance in;
	int ret, err;

	ret = cli_open(a, &in, true);
	if (ret)
		return ret;
	err = xlb_node_set_drained(&in.lb, drained);
	if (err)
		ret = cli_fail(cli_exit_for(err), "Couldn't %s the node '%s': %s",
			       drained ? "drain" : "undrain", in.dev, strerror(-err));
	xlb_instance_close(&in);
	return ret;
}

int cmd_node_drain(const struct cli_args *a)
{
	return set_drained(a, true);
}

int cmd_node_undrain(const struct cli_args *a)
{
	return set_drained(a, false);
}

/* The first VIP of c without a usable backend, or NULL. */
static const struct xlb_vip_conf *unusable_vip(const struct xlb_conf *c)
{
	size_t i;

	for (i = 0; i < c->nvips; i++)
		if (!xlb_vip_usable(&c->vips[i]))
			return &c->vips[i];
	return NULL;
}

static void check_print(bool json, bool drained, const struct xlb_vip_conf *bad)
{
	char name[XLB_VIP_NAME_STRLEN] = "";
	json_t *j;

	if (bad)
		xlb_vip_name_str(&bad->name, name, sizeof(name));
	if (json) {
		j = json_pack("{s:b, s:b, s:s?}", "serve", !drained && !bad, "drained", drained,
			      "unusable_vip", bad ? name : NULL);
		json_dumpf(j, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(j);
	} else if (drained) {
		printf("not serving: the node is drained\n");
	} else if (bad) {
		printf("not serving: %s has no usable backend\n", name);
	} else {
		printf("serving\n");
	}
}

/* Exit 0 when this node should serve, 1 when not (drained, or a VIP with nothing usable). */
int cmd_node_check(const struct cli_args *a)
{
	const struct xlb_vip_conf *bad;
	struct xlb_instance in;
	struct xlb_runtime rt;
	struct xlb_conf c;
	bool drained;
	int ret, err;

	ret = cli_open(a, &in, false);
	if (ret)
		return ret;
	err = xlb_node_get(&in.lb, &rt);
	if (!err)
		err = xlb_state_read(&in.lb, &c);
	if (err) {
		ret = cli_fail(cli_exit_for(err), "Couldn't read xlb's state on '%s': %s", in.dev,
			       strerror(-err));
		goto close;
	}
	drained = rt.node_flags & XLB_NODE_F_DRAINED;
	bad = unusable_vip(&c);
	check_print(a->json, drained, bad);
	ret = drained || bad ? EXIT_NO_SERVE : EX_OK;
	xlb_conf_free(&c);
close:
	xlb_instance_close(&in);
	return ret;
}
