// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xlb attach, detach and status: putting the balancer on an interface with one command
 * (learning what it is not told from the kernel), taking it off, and showing how it runs.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "addr.h"
#include "cli_cmds.h"
#include "conns_plan.h"
#include "netinfo.h"
#include "node.h"
#include "snapshot.h"

static int mtu_fail(const char *dev, __u32 mtu, int err)
{
	__u32 dev_mtu;

	if (err != -ERANGE || xlb_if_mtu(dev, &dev_mtu))
		return cli_fail(cli_exit_for(err), "Couldn't read the MTU of '%s': %s", dev,
				strerror(-err));
	if (dev_mtu < XLB_MTU_MIN)
		return cli_fail(EX_DATAERR, "'%s' has MTU %u: xlb needs at least %u", dev, dev_mtu,
				XLB_MTU_MIN);
	return cli_fail(EX_DATAERR,
			"Invalid MTU %u: over the %u of '%s', whose link would drop such frames",
			mtu, dev_mtu, dev);
}

static int attach_cfg(const struct cli_args *a, struct xlb_attach_opts *o)
{
	enum xlb_fill_step step;
	unsigned int given;
	int err;

	xlb_attach_args_opts(&a->attach, o, &given);
	err = xlb_attach_fill(a->dev, o, given, &step);
	if (!err)
		return EX_OK;
	if (step == XLB_FILL_TABLE_SIZE)
		return cli_fail(EX_DATAERR, "Invalid table size %u: it must be prime", a->table_size);
	if (step == XLB_FILL_MTU)
		return mtu_fail(a->dev, a->mtu, err);
	if (step == XLB_FILL_ADDRS)
		return cli_fail(EX_OSERR, "Couldn't read the addresses of '%s': %s", a->dev,
				strerror(-err));
	return cli_fail(EX_CONFIG,
			"Couldn't find the next hop of '%s': no default gateway with a "
			"neighbour entry; give --next-hop-mac MAC (see 'ip neigh show dev %s')",
			a->dev, a->dev);
}

int cmd_attach(const struct cli_args *a)
{
	char key[XLB_INSTANCE_KEY_MAX];
	struct xlb_conns_plan plan;
	struct xlb_attach_opts o;
	int ret, err;

	if (!if_nametoindex(a->dev))
		return cli_fail(EX_NOINPUT, "Interface '%s' does not exist", a->dev);
	ret = attach_cfg(a, &o);
	if (ret)
		return ret;
	cli_reap(XLB_PIN_ROOT);
	err = xlb_instance_attach(a->dev, &o);
	if (err == -EEXIST && !xlb_instance_key(a->dev, key, sizeof(key)))
		return cli_fail(EX_CANTCREAT, "xlb already runs on '%s' (pins in %s/%s); detach it first",
				a->dev, XLB_PIN_ROOT, key);
	if (err == -ENOMEM && xlb_conns_plan(o.flows ? o.flows : XLB_FLOWS_DEFAULT, &plan) == -ENOMEM)
		return cli_fail(EX_UNAVAILABLE,
				"Couldn't attach xlb to '%s': a connection table of %llu flows takes "
				"%llu MiB, more than three quarters of the %llu MiB available",
				a->dev, (unsigned long long)plan.flows, (unsigned long long)plan.bytes >> 20,
				(unsigned long long)plan.available >> 20);
	if (err)
		return cli_fail(cli_exit_for(err), "Couldn't attach xlb to '%s': %s", a->dev,
				strerror(-err));
	return EX_OK;
}

/* The VIPs and the routing table of dev, read before detaching to withdraw its routes. */
static void routes_of(const char *dev, struct xlb_conf *c, __u32 *table)
{
	struct xlb_instance in;
	struct xlb_runtime rt;

	*table = 0;
	memset(c, 0, sizeof(*c));
	if (xlb_instance_open(dev, &in))
		return;
	if (!xlb_node_get(&in.lb, &rt) && rt.route_table && !xlb_state_read(&in.lb, c))
		*table = rt.route_table;
	xlb_instance_close(&in);
}

int cmd_detach(const struct cli_args *a)
{
	struct xlb_conf c;
	__u32 table;
	int err, ret = EX_OK;

	cli_reap(XLB_PIN_ROOT);
	routes_of(a->dev, &c, &table);
	err = xlb_instance_detach(a->dev);
	if (err == -ENOLINK) {
		fprintf(stderr, "xlb: removed the pins a deleted interface named '%s' left\n",
			a->dev);
		err = 0;
	} else if (err == -ENOENT || err == -ESTALE || err == -EOWNERDEAD) {
		ret = cli_not_running(a->dev, "xlb", err);
	} else if (err) {
		ret = cli_fail(cli_exit_for(err), "Couldn't detach xlb from '%s': %s", a->dev,
			       strerror(-err));
	}
	if (!ret)
		err = xlb_node_withdraw_routes(table, &c);
	if (!ret && err)
		ret = cli_fail(cli_exit_for(err), "Couldn't withdraw the VIP routes of '%s' from "
			       "table %u: %s", a->dev, table, strerror(-err));
	xlb_conf_free(&c);
	return ret;
}

static json_t *status_json(const struct xlb_instance *in, __u32 prog_id, bool generic,
			   const struct xlb_snapshot *s)
{
	char v4[XLB_ADDR_STRLEN], v6[XLB_ADDR_STRLEN], mac[XLB_MAC_STRLEN];
	struct xlb_addr a4 = { .family = XLB_FAM_V4 }, a6 = { .family = XLB_FAM_V6 };
	size_t nbe, ndown;

	a4.a[0] = in->cfg.src_v4;
	memcpy(a6.a, in->cfg.src_v6, sizeof(a6.a));
	xlb_snapshot_backends(s, &nbe, &ndown);
	return json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:i, s:i, s:i, s:{s:{s:I,s:I}, "
			 "s:{s:I,s:I,s:I}, s:{s:I,s:I,s:I,s:I}}, s:b, s:I}",
			 "interface", in->dev, "mode", generic ? "generic" : "native",
			 "prog_id", (json_int_t)prog_id,
			 "src_v4", xlb_addr_str(&a4, v4, sizeof(v4)),
			 "src_v6", xlb_addr_str(&a6, v6, sizeof(v6)),
			 "next_hop_mac", xlb_mac_str(in->cfg.next_hop, mac, sizeof(mac)),
			 "mtu", in->cfg.mtu, "ttl", in->cfg.ttl, "table_size", in->cfg.table_size,
			 "maps",
			 "vips", "used", (json_int_t)s->conf.nvips, "max", (json_int_t)s->vips_max,
			 "backends", "used", (json_int_t)nbe, "max", (json_int_t)s->backends_max,
			 "down", (json_int_t)ndown,
			 "flows", "used", (json_int_t)s->flows_used, "max", (json_int_t)s->flows_max,
			 "established", (json_int_t)s->conn.established,
			 "bytes", (json_int_t)s->flows_bytes,
			 "drained", s->drained, "route_table", (json_int_t)s->route_table);
}

static void status_print(json_t *j)
{
	json_t *m = json_object_get(j, "maps");

	printf("%s: xlb %s, program %lld\n", json_string_value(json_object_get(j, "interface")),
	       json_string_value(json_object_get(j, "mode")),
	       json_integer_value(json_object_get(j, "prog_id")));
	printf("  source %s, %s; next hop %s; mtu %lld; ttl %lld; table size %lld\n",
	       json_string_value(json_object_get(j, "src_v4")),
	       json_string_value(json_object_get(j, "src_v6")),
	       json_string_value(json_object_get(j, "next_hop_mac")),
	       json_integer_value(json_object_get(j, "mtu")),
	       json_integer_value(json_object_get(j, "ttl")),
	       json_integer_value(json_object_get(j, "table_size")));
	printf("  vips %lld/%lld, backends %lld/%lld (%lld down), flows %lld/%lld (%lld established, "
	       "%.1f MiB)\n",
	       json_integer_value(json_object_get(json_object_get(m, "vips"), "used")),
	       json_integer_value(json_object_get(json_object_get(m, "vips"), "max")),
	       json_integer_value(json_object_get(json_object_get(m, "backends"), "used")),
	       json_integer_value(json_object_get(json_object_get(m, "backends"), "max")),
	       json_integer_value(json_object_get(json_object_get(m, "backends"), "down")),
	       json_integer_value(json_object_get(json_object_get(m, "flows"), "used")),
	       json_integer_value(json_object_get(json_object_get(m, "flows"), "max")),
	       json_integer_value(json_object_get(json_object_get(m, "flows"), "established")),
	       (double)json_integer_value(json_object_get(json_object_get(m, "flows"), "bytes")) /
		   (1 << 20));
	printf("  node %s", json_is_true(json_object_get(j, "drained")) ? "drained" : "serving");
	if (json_integer_value(json_object_get(j, "route_table")))
		printf("; VIP routes in table %lld",
		       json_integer_value(json_object_get(j, "route_table")));
	putchar('\n');
}

/* One interface's status as JSON, or NULL after printing why not. */
static json_t *status_of(const char *dev, int *ret)
{
	struct cli_args one = { .dev = dev };
	struct xlb_snapshot s;
	struct xlb_instance in;
	__u32 prog_id = 0;
	bool generic = false;
	json_t *j = NULL;
	int err;

	*ret = cli_open(&one, &in, false);
	if (*ret)
		return NULL;
	err = xlb_snapshot_take(&in.lb, in.dev, &s);
	if (!err) {
		xlb_instance_prog(&in, &prog_id, &generic);
		j = status_json(&in, prog_id, generic, &s);
		xlb_snapshot_free(&s);
	}
	if (err || !j)
		*ret = cli_fail(cli_exit_for(err), "Couldn't read xlb's state on '%s': %s", dev,
				strerror(err ? -err : ENOMEM));
	xlb_instance_close(&in);
	return j;
}

int cmd_status(const struct cli_args *a)
{
	char names[16][IF_NAMESIZE];
	int i, n, ret = EX_OK;
	json_t *all, *j;

	cli_reap(XLB_PIN_ROOT);
	n = a->dev ? 1 : xlb_instance_list(names, 16);
	if (n < 0)
		return cli_fail(cli_exit_for(n), "Couldn't list xlb interfaces: %s", strerror(-n));
	if (a->dev)
		snprintf(names[0], IF_NAMESIZE, "%s", a->dev);
	all = json_array();
	for (i = 0; i < n && ret == EX_OK; i++) {
		j = status_of(names[i], &ret);
		if (j && !a->json)
			status_print(j);
		if (j)
			json_array_append_new(all, j);
	}
	if (ret == EX_OK && a->json) {
		json_dumpf(all, stdout, JSON_INDENT(2));
		putchar('\n');
	}
	if (ret == EX_OK && !a->json && !n)
		printf("No interface runs xlb.\n");
	json_decref(all);
	return ret;
}
