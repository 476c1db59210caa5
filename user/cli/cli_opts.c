// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The xlb command line's long options: --interface and --help (as xlbd's), its own, then those
 * of the load-time options (attach_opts.h), of the VIP settings (vip_settings.h) and of the backend settings
 * (backend_settings.h), taken from their tables, and the usages of vip add and backend add,
 * which list the settings. Used by cli_parse.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "file", required_argument, NULL, 'f' },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "check", required_argument, NULL, OPT_CHECK },
	{ "check-port", required_argument, NULL, OPT_CHECK_PORT },
	{ "check-path", required_argument, NULL, OPT_CHECK_PATH },
	{ "check-host", required_argument, NULL, OPT_CHECK_HOST },
	{ "check-status", required_argument, NULL, OPT_CHECK_STATUS },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "rise", required_argument, NULL, OPT_RISE },
	{ "fall", required_argument, NULL, OPT_FALL },
	{ "local-v4", required_argument, NULL, OPT_LOCAL_V4 },
	{ "local-v6", required_argument, NULL, OPT_LOCAL_V6 },
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "after", required_argument, NULL, OPT_AFTER },
	{ "snat", required_argument, NULL, OPT_SNAT },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * --interface and --help, long_opts, the load-time options, --KEY of each VIP and backend
 * setting, then the end mark.
 */
static struct option all_opts[XLB_AOPT_SHARED + ARRAY_SIZE(long_opts) + XLB_AOPT__MAX +
			      XLB_VSET__MAX + XLB_BSET__MAX + 1];

const struct option *cli_options(void)
{
	struct option *o;
	size_t i;

	if (all_opts[0].name)
		return all_opts;
	o = xlb_aopt_long_opts(all_opts, long_opts, ARRAY_SIZE(long_opts), XLB_AOPT__MAX,
			       OPT_ATTACH);
	for (i = 0; i < XLB_VSET__MAX; i++)
		*o++ = (struct option){ xlb_vsets[i].key,
					xlb_vsets[i].kind == XLB_VKIND_FLAG ? no_argument :
									      required_argument,
					NULL, OPT_SETTING(i) };
	for (i = 0; i < XLB_BSET__MAX; i++)
		if (xlb_bsets[i].arg)
			*o++ = (struct option){ xlb_bsets[i].key, required_argument, NULL,
						OPT_BE_SETTING(i) };
	return all_opts;
}

const char *cli_opt_name(int opt)
{
	const struct option *o;

	for (o = cli_options(); o->name; o++)
		if (o->val == opt)
			return o->name;
	return opt == OPT_FILE ? "file" : "?";
}

static void usage_settings(char *buf, size_t len, enum xlb_vset_group g)
{
	size_t used;
	int i;

	for (i = 0; i < XLB_VSET__MAX; i++) {
		if (xlb_vsets[i].group != g)
			continue;
		used = strlen(buf);
		if (xlb_vsets[i].kind == XLB_VKIND_FLAG)
			snprintf(buf + used, len - used, " [--%s]", xlb_vsets[i].key);
		else
			snprintf(buf + used, len - used, " [--%s %s]", xlb_vsets[i].key,
				 xlb_vsets[i].arg);
	}
}

const char *cli_vip_add_usage(void)
{
	static char buf[512];
	size_t used;

	if (buf[0])
		return buf;
	snprintf(buf, sizeof(buf), "vip add VIP");
	usage_settings(buf, sizeof(buf), XLB_VGROUP_FORWARD);
	used = strlen(buf);
	snprintf(buf + used, sizeof(buf) - used,
		 " [--snat ADDR[,ADDR...]]"
		 " [--check none|tcp|http] [--check-port N] [--check-path PATH] "
		 "[--check-host HOST] [--check-status MIN-MAX] [--interval DURATION] "
		 "[--timeout DURATION] [--rise N] [--fall N]");
	usage_settings(buf, sizeof(buf), XLB_VGROUP_HEALTH);
	usage_settings(buf, sizeof(buf), XLB_VGROUP_LIMIT);
	return buf;
}

const char *cli_be_add_usage(void)
{
	static char buf[128];
	size_t used;
	int i;

	if (buf[0])
		return buf;
	snprintf(buf, sizeof(buf), "backend add VIP ADDR[:PORT]");
	for (i = 0; i < XLB_BSET__MAX; i++) {
		if (!xlb_bsets[i].arg)
			continue;
		used = strlen(buf);
		snprintf(buf + used, sizeof(buf) - used, " [--%s %s]", xlb_bsets[i].key,
			 xlb_bsets[i].arg);
	}
	return buf;
}
