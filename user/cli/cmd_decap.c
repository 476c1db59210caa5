// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xlb decap attach|detach|stats DEV: the decap program on a backend's interface, so a backend
 * without tunnel devices receives what the balancer encapsulates for it.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include "cli_cmds.h"
#include "decap.h"

int cmd_decap_attach(const struct cli_args *a)
{
	struct xlb_decap_cfg cfg = {
		.local_v4 = a->local_v4.a[0],
		.gue_port = htons(a->gue_port),
	};
	char key[XLB_INSTANCE_KEY_MAX];
	int err;

	memcpy(cfg.local_v6, a->local_v6.a, sizeof(cfg.local_v6));
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

int cmd_decap_stats(const struct cli_args *a)
{
	struct xlb_stats s;
	int err;

	cli_reap(XLB_DECAP_PIN_ROOT);
	err = xlb_decap_stats(a->dev, &s);
	if (err == -ENOENT || err == -ESTALE || err == -ENOLINK || err == -EOWNERDEAD)
		return cli_not_running(a->dev, "xlb decap", err);
	if (err)
		return cli_fail(cli_exit_for(err), "Couldn't read decap counters on '%s': %s",
				a->dev, strerror(-err));
	if (a->json)
		printf("{\"decapsulated\": %llu, \"passed\": %llu, \"dropped\": %llu}\n",
		       (unsigned long long)s.decap, (unsigned long long)s.action[XDP_PASS],
		       (unsigned long long)s.action[XDP_DROP]);
	else
		printf("%s: %llu decapsulated, %llu passed in all, %llu dropped\n", a->dev,
		       (unsigned long long)s.decap, (unsigned long long)s.action[XDP_PASS],
		       (unsigned long long)s.action[XDP_DROP]);
	return EX_OK;
}
