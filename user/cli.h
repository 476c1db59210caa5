/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The xlb command line: cli_parse() turns argv into struct cli_args without touching the
 * system (pure, unit-tested); cli_run() carries it out. Exit codes follow sysexits.h.
 */
#ifndef XLB_CLI_H
#define XLB_CLI_H

#include <stdio.h>
#include <sysexits.h>
#include "model.h"

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
	CMD__MAX,
};

/* Bits of struct cli_args.given: which options the command line set. */
enum cli_opt {
	OPT_JSON = 1 << 0,
	OPT_DEV = 1 << 1,
	OPT_MODE = 1 << 2,
	OPT_SRC_V4 = 1 << 3,
	OPT_SRC_V6 = 1 << 4,
	OPT_NEXT_HOP = 1 << 5,
	OPT_MTU = 1 << 6,
	OPT_TABLE_SIZE = 1 << 7,
	OPT_FLOWS = 1 << 8,
	OPT_TTL = 1 << 9,
	OPT_FORWARD = 1 << 10,
	OPT_SCHED = 1 << 11,
	OPT_GUE_PORT = 1 << 12,
	OPT_WEIGHT = 1 << 13,
	OPT_MAC = 1 << 14,
	OPT_FILE = 1 << 15,
	OPT_DRY_RUN = 1 << 16,
	OPT_HELP = 1 << 17,
	OPT_CHECK = 1 << 18,
	OPT_CHECK_PORT = 1 << 19,
	OPT_CHECK_PATH = 1 << 20,
	OPT_CHECK_HOST = 1 << 21,
	OPT_CHECK_STATUS = 1 << 22,
	OPT_INTERVAL = 1 << 23,
	OPT_TIMEOUT = 1 << 24,
	OPT_RISE = 1 << 25,
	OPT_FALL = 1 << 26,
	OPT_ALL_DOWN = 1 << 27,
	OPT_LOCAL_V4 = 1 << 28,
	OPT_LOCAL_V6 = 1 << 29,
	OPT_INSERT_LIMIT = 1 << 30,
};

#define OPT_HEALTH                                                                             \
	(OPT_CHECK | OPT_CHECK_PORT | OPT_CHECK_PATH | OPT_CHECK_HOST | OPT_CHECK_STATUS |     \
	 OPT_INTERVAL | OPT_TIMEOUT | OPT_RISE | OPT_FALL | OPT_ALL_DOWN)

struct cli_args {
	enum cli_cmd cmd;
	unsigned int given; /* enum cli_opt bits */
	bool json;
	const char *dev; /* -i DEV, or DEV of attach/detach */
	/* attach */
	bool generic;
	struct xlb_addr src_v4, src_v6;
	__u8 next_hop[6];
	__u32 mtu, table_size, flows, ttl, insert_limit;
	/* vip and backend commands */
	struct xlb_vip_name vip;
	bool has_vip;
	__u8 forward, sched;
	__u32 gue_port;
	struct xlb_vip_health health; /* defaults, and what the health options set */
	struct xlb_addr be_addr;
	__u32 weight;
	__u8 mac[6];
	/* explain */
	__u8 proto;
	struct xlb_addr src, dst;
	__u16 sport, dport;
	/* decap attach */
	struct xlb_addr local_v4, local_v6;
	/* apply */
	const char *file;
	bool dry_run;
};

/* 0, or EX_USAGE / EX_DATAERR with a one-line message in err. */
int cli_parse(int argc, char **argv, struct cli_args *a, char *err, size_t errlen);
/* The usage text of one command, or of all when cmd is CMD_HELP. */
void cli_usage(FILE *out, enum cli_cmd cmd);
/* Carries out a parsed command; returns the process exit code. */
int cli_run(const struct cli_args *a);

#endif /* XLB_CLI_H */
