// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xlb decap attach|detach|stats DEV: the decap program on a backend's interface, so a backend
 * without tunnel devices receives what the balancer encapsulates for it, and relays what a
 * second-chance VIP sent it for a flow it does not hold (xlb_decap.bpf.c).
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/bpf.h>
#include <jansson.h>
#include "cli_cmds.h"
#include "decap.h"
#include "xlb_counters.h"

/* cfg from the options, learning the outer source, MTU and next hop as `xlb attach` does. */
static int decap_cfg(const struct cli_args *a, struct xlb_decap_cfg *cfg)
{
	struct xlb_attach_opts o;
	int ret;

	ret = cli_attach_cfg(a, &o, false);
	if (ret)
		return ret;
	memset(cfg, 0, sizeof(*cfg));
	cfg->local_v4 = a->local_v4.a[0];
	memcpy(cfg->local_v6, a->local_v6.a, sizeof(cfg->local_v6));
	cfg->gue_port = htons(a->gue_port);
	cfg->mtu = o.cfg.mtu;
	cfg->src_v4 = o.cfg.src_v4;
	memcpy(cfg->src_v6, o.cfg.src_v6, sizeof(cfg->src_v6));
	memcpy(cfg->next_hop, o.cfg.next_hop, sizeof(cfg->next_hop));
	cfg->ttl = a->ttl ? a->ttl : XLB_TTL_DEFAULT;
	if (!memcmp(cfg->next_hop, "\0\0\0\0\0\0", 6))
		fprintf(stderr,
			"xlb: no next hop found for '%s' (no default gateway with a neighbour "
			"entry): packets for a second hop are dropped as relay failures; give "
			"--next-hop-mac MAC to relay them\n",
			a->dev);
	return EX_OK;
}

int cmd_decap_attach(const struct cli_args *a)
{
	char key[XLB_INSTANCE_KEY_MAX];
	struct xlb_decap_cfg cfg;
	int err, ret;

	if (!if_nametoindex(a->dev))
		return cli_fail(EX_NOINPUT, "Interface '%s' does not exist", a->dev);
	ret = decap_cfg(a, &cfg);
	if (ret)
		return ret;
	cli_reap(XLB_DECAP_PIN_ROOT);
	err = xlb_decap_attach(a->dev, &cfg, a->generic);
	if (err == -ENODEV)
		return cli_fail(EX_NOINPUT, "Interface '%s' does not exist", a->dev);
	if (err == -EEXIST && !xlb_instance_key(a->dev, key, sizeof(key)))
		return cli_fail(EX_CANTCREAT, "xlb decap already runs on '%s' (pins in %s/%s)",
				a->dev, XLB_DECAP_PIN_ROOT, key);
	if (err)
		return cli_fail(cli_exit_for(err), "Couldn't attach decap to '%s': %s", a->dev,
				strerror(-err));
	return EX_OK;
}

int cmd_decap_detach(const struct cli_args *a)
{
	int err;

	cli_reap(XLB_DECAP_PIN_ROOT);
	err = xlb_decap_detach(a->dev);
	if (err == -ENOLINK) {
		fprintf(stderr, "xlb: removed the decap pins a deleted interface named '%s' left\n",
			a->dev);
		return EX_OK;
	}
	if (err == -ENOENT || err == -ESTALE || err == -EOWNERDEAD)
		return cli_not_running(a->dev, "xlb decap", err);
	if (err)
		return cli_fail(cli_exit_for(err), "Couldn't detach decap from '%s': %s", a->dev,
				strerror(-err));
	return EX_OK;
}

/* {"delivered": N, ..., "actions": {"pass": N, ...}, "drops": {"truncated": N, ...}} */
static void stats_json(const struct xlb_decap_stats *s)
{
	json_t *j = json_object(), *acts = json_object(), *drops = json_object();
	size_t i;

	for (i = 0; i < XLB_NROWS(xlb_decap_counters); i++)
		json_object_set_new(j, xlb_decap_counters[i].key,
				    json_integer(xlb_counter_get(&xlb_decap_counters[i], s)));
	for (i = 0; i < XLB_XDP_ACTIONS; i++)
		json_object_set_new(acts, xlb_action_names[i], json_integer(s->action[i]));
	for (i = 0; i < XLB_DECAP_DROP__MAX; i++)
		json_object_set_new(drops, xlb_decap_drop_names[i], json_integer(s->drop[i]));
	json_object_set_new(j, "actions", acts);
	json_object_set_new(j, "drops", drops);
	json_dumpf(j, stdout, JSON_COMPACT);
	putchar('\n');
	json_decref(j);
}

/* One line of counters, a line of verdicts, and the drop reasons that counted any. */
static void stats_text(const char *dev, const struct xlb_decap_stats *s)
{
	size_t i;

	printf("%s:", dev);
	for (i = 0; i < XLB_NROWS(xlb_decap_counters); i++)
		printf("%s %llu %s", i ? "," : "",
		       (unsigned long long)xlb_counter_get(&xlb_decap_counters[i], s),
		       xlb_decap_counters[i].phrase);
	printf("\n  verdicts:");
	for (i = 0; i < XLB_XDP_ACTIONS; i++)
		printf(" %s %llu", xlb_action_names[i], (unsigned long long)s->action[i]);
	printf("\n  drops:");
	for (i = 0; i < XLB_DECAP_DROP__MAX; i++)
		if (s->drop[i])
			printf(" %s %llu", xlb_decap_drop_names[i], (unsigned long long)s->drop[i]);
	putchar('\n');
}

int cmd_decap_stats(const struct cli_args *a)
{
	struct xlb_decap_stats s;
	int err;

	cli_reap(XLB_DECAP_PIN_ROOT);
	err = xlb_decap_stats(a->dev, &s);
	if (err == -ENOENT || err == -ESTALE || err == -ENOLINK || err == -EOWNERDEAD)
		return cli_not_running(a->dev, "xlb decap", err);
	if (err)
		return cli_fail(cli_exit_for(err), "Couldn't read decap counters on '%s': %s",
				a->dev, strerror(-err));
	if (a->json)
		stats_json(&s);
	else
		stats_text(a->dev, &s);
	return EX_OK;
}
