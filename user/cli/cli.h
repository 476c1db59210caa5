/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The xlb command line: cli_parse() turns argv into struct cli_args without touching the
 * system (pure, unit-tested); cli_run() carries it out. Exit codes follow sysexits.h.
 */
#ifndef XLB_CLI_H
#define XLB_CLI_H

#include <stdio.h>
#include <sysexits.h>
#include "attach_opts.h"
#include "backend_settings.h"
#include "model.h"
#include "vip_settings.h"

enum cli_cmd {
	CMD_HELP,
	CMD_ATTACH,
	CMD_DETACH,
	CMD_STATUS,
	CMD_VIP_ADD,
	CMD_VIP_DEL,
	CMD_VIP_LIST,
	CMD_BE_ADD,
	CMD_BE_SET,
	CMD_BE_DRAIN,
	CMD_BE_UNDRAIN,
	CMD_BE_DEL,
	CMD_STATS,
	CMD_EXPLAIN,
	CMD_APPLY,
	CMD_SAVE,
	CMD_DECAP_ATTACH,
	CMD_DECAP_DETACH,
	CMD_DECAP_STATS,
	CMD_NODE_DRAIN,
	CMD_NODE_UNDRAIN,
	CMD_NODE_CHECK,
	CMD_FLOWS_LIST,
	CMD_FLOWS_FLUSH,
	CMD_UPGRADE,
	CMD__MAX,
};

/*
 * The command line's options. Each is getopt_long's value for it (above every option letter)
 * and, through OPT_BIT(), one bit of struct cli_args.given: more than 32 options, so 64 bits.
 */
enum cli_opt {
	OPT__FIRST = 256,
	OPT_JSON = OPT__FIRST,
	OPT_DEV,
	OPT_FILE,
	OPT_DRY_RUN,
	OPT_HELP,
	OPT_CHECK,
	OPT_CHECK_PORT,
	OPT_CHECK_PATH,
	OPT_CHECK_HOST,
	OPT_CHECK_STATUS,
	OPT_INTERVAL,
	OPT_TIMEOUT,
	OPT_RISE,
	OPT_FALL,
	OPT_LOCAL_V4,
	OPT_LOCAL_V6,
	OPT_BACKEND,
	OPT_LIMIT,
	OPT_AFTER,
	OPT_SNAT,
	OPT_ATTACH, /* the load-time options, in the order of enum xlb_aopt */
	OPT_SETTINGS = OPT_ATTACH + XLB_AOPT__MAX, /* the VIP settings', as enum xlb_vset */
	OPT_BE_SETTINGS = OPT_SETTINGS + XLB_VSET__MAX, /* the backend settings', as xlb_bset */
	OPT__END = OPT_BE_SETTINGS + XLB_BSET__MAX,
};

#define OPT_MODE	 (OPT_ATTACH + XLB_AOPT_MODE) /* decap attach takes it too */
#define OPT_INSERT_LIMIT (OPT_ATTACH + XLB_AOPT_INSERT_LIMIT)

/* The option of VIP setting id (vip_settings.h): --KEY VALUE. */
#define OPT_SETTING(id) (OPT_SETTINGS + (id))
#define OPT_GUE_PORT	OPT_SETTING(XLB_VSET_GUE_PORT) /* decap attach takes it too */
#define OPT_SLOW_START	OPT_SETTING(XLB_VSET_SLOW_START)
/* The option of backend setting id (backend_settings.h), for those with an argument name. */
#define OPT_BE_SETTING(id) (OPT_BE_SETTINGS + (id))
#define OPT_WEIGHT	   OPT_BE_SETTING(XLB_BSET_WEIGHT)
#define OPT_MAC		   OPT_BE_SETTING(XLB_BSET_MAC)

#define OPT_BIT(o) (1ULL << ((o) - OPT__FIRST))
_Static_assert(OPT__END - OPT__FIRST <= 64, "struct cli_args.given holds every option");

#define OPT_HEALTH                                                                             \
	(OPT_BIT(OPT_CHECK) | OPT_BIT(OPT_CHECK_PORT) | OPT_BIT(OPT_CHECK_PATH) |                \
	 OPT_BIT(OPT_CHECK_HOST) | OPT_BIT(OPT_CHECK_STATUS) | OPT_BIT(OPT_INTERVAL) |          \
	 OPT_BIT(OPT_TIMEOUT) | OPT_BIT(OPT_RISE) | OPT_BIT(OPT_FALL))
#define OPT_ATTACH_ALL (((1ULL << XLB_AOPT__MAX) - 1) << (OPT_ATTACH - OPT__FIRST))
#define OPT_SETTINGS_ALL (((1ULL << XLB_VSET__MAX) - 1) << (OPT_SETTINGS - OPT__FIRST))

struct cli_args {
	enum cli_cmd cmd;
	__u64 given; /* OPT_BIT() of every option given */
	bool json;
	const char *dev; /* -i DEV, or DEV of attach/detach */
	XLB_ATTACH_ARGS_GROUP; /* attach, and decap attach's --mode */
	/* vip and backend commands */
	struct xlb_vip_name vip;
	bool has_vip;
	XLB_VIP_SETTINGS_GROUP; /* defaults, and what the options set (gue-port: decap's too) */
	struct xlb_addr be_addr;
	/* defaults, what the options set, and port: ADDR:PORT of a nat backend (0: none given) */
	XLB_BE_SETTINGS_GROUP;
	/* explain */
	__u8 proto;
	struct xlb_addr src, dst;
	__u16 sport, dport;
	/* decap attach */
	struct xlb_addr local_v4, local_v6;
	/* flows list and flush: --backend ADDR (in be_addr), --limit N, --after CURSOR */
	__u32 limit;
	__u64 after;
	/* apply */
	const char *file;
	bool dry_run;
};

/* 0, or EX_USAGE / EX_DATAERR with a one-line message in err. */
int cli_parse(int argc, char **argv, struct cli_args *a, char *err, size_t errlen);
/* The usage text of one command, or of all when cmd is CMD_HELP. */
void cli_usage(FILE *out, enum cli_cmd cmd);
/* Internal to cli_parse.c, from cli_opts.c: getopt_long's options, option opt's name. */
struct option;
const struct option *cli_options(void);
const char *cli_opt_name(int opt);
/* vip add's usage: its settings around the health check's options. */
const char *cli_vip_add_usage(void);
/* backend add's usage: the settings that are its options. */
const char *cli_be_add_usage(void);
/* Carries out a parsed command; returns the process exit code. */
int cli_run(const struct cli_args *a);

#endif /* XLB_CLI_H */
