// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The xlb grammar: object-verb commands with exact keywords, their options and positional
 * arguments, parsed into struct cli_args. Nothing here touches the system.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include "addr.h"
#include "cli.h"
#include "exitcode.h"
#include "flows.h"
#include "health_conf.h"
#include "snat_conf.h"
#include "vip_settings.h"

struct cmd_def {
	const char *object;
	const char *verb; /* NULL: the object is the whole command */
	__u64 opts;	   /* OPT_BIT()s of the options it takes besides -j, -i and --help */
	int nargs;	   /* positional arguments after the keywords */
	const char *usage;
};

#define ATTACH_OPTS OPT_ATTACH_ALL
#define VIP_ADD_OPTS (OPT_SETTINGS_ALL | OPT_HEALTH | OPT_BIT(OPT_SNAT))
/* decap attach: attach's options that say how to send relayed packets, and its own. */
#define DECAP_OPTS                                                                             \
	(OPT_BIT(OPT_MODE) | OPT_BIT(OPT_ATTACH + XLB_AOPT_SRC_V4) |                            \
	 OPT_BIT(OPT_ATTACH + XLB_AOPT_SRC_V6) | OPT_BIT(OPT_ATTACH + XLB_AOPT_NEXT_HOP) |        \
	 OPT_BIT(OPT_ATTACH + XLB_AOPT_MTU) | OPT_BIT(OPT_ATTACH + XLB_AOPT_TTL) |               \
	 OPT_BIT(OPT_LOCAL_V4) | OPT_BIT(OPT_LOCAL_V6) | OPT_BIT(OPT_GUE_PORT))

/* backend add: every backend setting that is an option (cli_options() registers only those). */
#define BE_ADD_OPTS (((1ULL << XLB_BSET__MAX) - 1) << (OPT_BE_SETTINGS - OPT__FIRST))

#define FLOWS_LIST_OPTS (OPT_BIT(OPT_BACKEND) | OPT_BIT(OPT_LIMIT) | OPT_BIT(OPT_AFTER))

static const struct cmd_def cmds[CMD__MAX] = {
	[CMD_HELP] = { "help", NULL, 0, 0, "help" },
	[CMD_ATTACH] = { "attach", NULL, ATTACH_OPTS, 1,
			 "attach DEV [--mode native|generic] [--src-v4 ADDR] [--src-v6 ADDR] "
			 "[--next-hop-mac MAC] [--mtu N] [--table-size PRIME] [--flows N] "
			 "[--insert-limit N] [--ttl N]" },
	[CMD_DETACH] = { "detach", NULL, 0, 1, "detach DEV" },
	[CMD_STATUS] = { "status", NULL, 0, 0, "status" },
	[CMD_VIP_ADD] = { "vip", "add", VIP_ADD_OPTS, 1,
			  NULL /* cli_vip_add_usage() */ },
	[CMD_VIP_DEL] = { "vip", "del", 0, 1, "vip del VIP" },
	[CMD_VIP_LIST] = { "vip", "list", 0, 0, "vip list" },
	[CMD_BE_ADD] = { "backend", "add", BE_ADD_OPTS, 2, NULL /* cli_be_add_usage() */ },
	[CMD_BE_SET] = { "backend", "set", OPT_BIT(OPT_WEIGHT), 2,
			 "backend set VIP ADDR --weight N" },
	[CMD_BE_DRAIN] = { "backend", "drain", 0, 2, "backend drain VIP ADDR" },
	[CMD_BE_UNDRAIN] = { "backend", "undrain", 0, 2, "backend undrain VIP ADDR" },
	[CMD_BE_DEL] = { "backend", "del", 0, 2, "backend del VIP ADDR" },
	[CMD_STATS] = { "stats", NULL, 0, -1, "stats [VIP]" },
	[CMD_EXPLAIN] = { "explain", NULL, 0, 3, "explain tcp|udp SRC:SPORT DST:DPORT" },
	[CMD_APPLY] = { "apply", NULL, OPT_BIT(OPT_FILE) | OPT_BIT(OPT_DRY_RUN), 0,
			"apply -f FILE|- [--dry-run]" },
	[CMD_SAVE] = { "save", NULL, 0, 0, "save" },
	[CMD_DECAP_ATTACH] = { "decap", "attach", DECAP_OPTS, 1,
			       "decap attach DEV [--mode native|generic] [--local-v4 ADDR] "
			       "[--local-v6 ADDR] [--gue-port N] [--src-v4 ADDR] [--src-v6 ADDR] "
			       "[--next-hop-mac MAC] [--mtu N] [--ttl N]" },
	[CMD_DECAP_DETACH] = { "decap", "detach", 0, 1, "decap detach DEV" },
	[CMD_DECAP_STATS] = { "decap", "stats", 0, 1, "decap stats DEV" },
	[CMD_NODE_DRAIN] = { "node", "drain", 0, 0, "node drain" },
	[CMD_NODE_UNDRAIN] = { "node", "undrain", 0, 0, "node undrain" },
	[CMD_NODE_CHECK] = { "node", "check", 0, 0, "node check" },
	[CMD_FLOWS_LIST] = { "flows", "list", FLOWS_LIST_OPTS, -1,
			     "flows list [VIP] [--backend ADDR] [--limit N] [--after CURSOR]" },
	[CMD_FLOWS_FLUSH] = { "flows", "flush", OPT_BIT(OPT_BACKEND), 1,
			      "flows flush VIP [--backend ADDR]" },
	[CMD_UPGRADE] = { "upgrade", NULL, 0, 1, "upgrade DEV" },
};

static const char *usage(enum cli_cmd cmd)
{
	if (cmd == CMD_BE_ADD)
		return cli_be_add_usage();
	return cmd == CMD_VIP_ADD ? cli_vip_add_usage() : cmds[cmd].usage;
}

static int parse_u32(const char *s, __u32 min, __u32 max, __u32 *out, const char *what,
		     char *err, size_t len)
{
	if (xlb_u32_parse(s, min, max, out))
		return xlb_exit_msg(err, len, EX_DATAERR, "Invalid %s '%s': expected %u-%u", what, s, min,
			    max);
	return 0;
}

static int parse_addr_of(const char *s, __u8 family, struct xlb_addr *a, const char *what,
			 char *err, size_t len)
{
	if (xlb_addr_parse(s, a) || (family && a->family != family))
		return xlb_exit_msg(err, len, EX_DATAERR, "Invalid %s '%s'", what, s);
	return 0;
}

static int parse_text(const char *v, char *out, size_t size, const char *what, char *err,
		      size_t len)
{
	if (strlen(v) >= size)
		return xlb_exit_msg(err, len, EX_DATAERR, "Invalid %s '%s': at most %zu characters", what, v,
			    size - 1);
	strcpy(out, v);
	return 0;
}

static int parse_duration(const char *v, __u32 *ms, const char *what, char *err, size_t len)
{
	if (xlb_duration_parse(v, XLB_TIMEOUT_MIN_MS, XLB_INTERVAL_MAX_MS, ms))
		return xlb_exit_msg(err, len, EX_DATAERR, "Invalid %s '%s': a duration such as 5s or 500ms",
			    what, v);
	return 0;
}

/* A flows list cursor: the decimal number a previous page ended with. */
static int parse_cursor(const char *v, __u64 *out, char *err, size_t len)
{
	char *end;

	errno = 0;
	*out = strtoull(v, &end, 10);
	if (v[0] < '0' || v[0] > '9' || *end || errno)
		return xlb_exit_msg(err, len, EX_DATAERR, "Invalid cursor '%s': the number a page ended with",
			    v);
	return 0;
}

/* The option of a VIP setting. */
static int parse_setting(enum xlb_vset id, const char *v, struct xlb_vip_settings *set, char *err,
			 size_t len)
{
	const struct xlb_vset_def *d = &xlb_vsets[id];
	__u32 n;

	if (d->kind == XLB_VKIND_FLAG) { /* an option without argument: present means on */
		xlb_vset_put(set, id, 1);
		return 0;
	}
	if (d->kind == XLB_VKIND_NUMBER && xlb_vset_parse(id, v, &n))
		return xlb_exit_msg(err, len, EX_DATAERR, "Invalid %s '%s': expected %u-%u", d->noun, v,
			    d->min, d->max);
	if (xlb_vset_parse(id, v, &n))
		return xlb_exit_msg(err, len, EX_DATAERR, "Invalid %s '%s': %s", d->noun, v, d->expected);
	xlb_vset_put(set, id, n);
	return 0;
}

/* The option of a backend setting. */
static int parse_be_setting(enum xlb_bset id, const char *v, struct xlb_be_settings *set,
			    char *err, size_t len)
{
	const struct xlb_bset_def *d = &xlb_bsets[id];
	int ret = xlb_bset_parse(id, v, set);
	const char *why;

	if (ret && d->kind == XLB_BKIND_MAC)
		return xlb_exit_msg(err, len, EX_DATAERR, "Invalid %s '%s'", d->noun, v);
	if (ret)
		return xlb_exit_msg(err, len, EX_DATAERR, "Invalid %s '%s': expected %u-%u", d->noun,
				    v, d->min, d->max);
	why = xlb_bset_refused(set, id);
	if (why)
		return xlb_exit_msg(err, len, EX_DATAERR, "Invalid %s '%s': %s, expected %s",
				    d->noun, v, why, d->rule);
	return 0;
}

/* The health-check options of vip add. */
static int parse_health(int c, const char *v, struct xlb_vip_health *h, char *err, size_t len)
{
	__u32 n;
	int ret;

	switch (c) {
	case OPT_CHECK:
		if (xlb_check_parse(v, &h->check))
			return xlb_exit_msg(err, len, EX_DATAERR, "Invalid check '%s': none, tcp or http", v);
		return 0;
	case OPT_CHECK_PORT:
		ret = parse_u32(v, 1, 65535, &n, "check port", err, len);
		h->port = n;
		return ret;
	case OPT_CHECK_PATH:
		return parse_text(v, h->path, sizeof(h->path), "check path", err, len);
	case OPT_CHECK_HOST:
		return parse_text(v, h->host, sizeof(h->host), "check host", err, len);
	case OPT_CHECK_STATUS:
		if (xlb_status_range_parse(v, &h->status_min, &h->status_max))
			return xlb_exit_msg(err, len, EX_DATAERR, "Invalid check status '%s': MIN-MAX in 100-599", v);
		return 0;
	case OPT_INTERVAL:
		return parse_duration(v, &h->interval_ms, "interval", err, len);
	case OPT_TIMEOUT:
		return parse_duration(v, &h->timeout_ms, "timeout", err, len);
	case OPT_RISE:
	case OPT_FALL:
		ret = parse_u32(v, 1, XLB_RISE_FALL_MAX, &n, c == OPT_RISE ? "rise" : "fall", err, len);
		*(c == OPT_RISE ? &h->rise : &h->fall) = n;
		return ret;
	}
	return 0;
}

/* One option's value into a; the option letter or enum cli_opt bit is c. */
static int parse_value(int c, const char *v, struct cli_args *a, char *err, size_t len)
{
	if (c >= OPT_ATTACH && c < OPT_SETTINGS)
		return xlb_aopt_parse(c - OPT_ATTACH, v, &a->attach, err, len);
	if (c >= OPT_SETTINGS && c < OPT_BE_SETTINGS)
		return parse_setting(c - OPT_SETTINGS, v, &a->set, err, len);
	if (c >= OPT_BE_SETTINGS && c < OPT__END)
		return parse_be_setting(c - OPT_BE_SETTINGS, v, &a->bset, err, len);
	switch (c) {
	case OPT_SNAT:
		if (xlb_snat_parse(v, &a->set.snat))
			return xlb_exit_msg(err, len, EX_DATAERR,
					    "Invalid source pool '%s': ADDR[,ADDR...], "
					    "1 to %d addresses", v, XLB_SNAT_MAX);
		return 0;
	case OPT_LOCAL_V4:
		return parse_addr_of(v, XLB_FAM_V4, &a->local_v4, "IPv4 address", err, len);
	case OPT_LOCAL_V6:
		return parse_addr_of(v, XLB_FAM_V6, &a->local_v6, "IPv6 address", err, len);
	case OPT_BACKEND:
		return parse_addr_of(v, 0, &a->be_addr, "backend address", err, len);
	case OPT_LIMIT:
		return parse_u32(v, 1, XLB_FLOWS_LIMIT_MAX, &a->limit, "limit", err, len);
	case OPT_AFTER:
		return parse_cursor(v, &a->after, err, len);
	case OPT_FILE:
		a->file = v;
		return 0;
	}
	return parse_health(c, v, &a->health, err, len);
}

/* Every option, wherever it stands; the keywords and positionals stay in argv[optind..]. */
static int parse_options(int argc, char **argv, struct cli_args *a, char *err, size_t len)
{
	int c, ret;

	optind = 0; /* GNU getopt: start afresh (the tests parse many command lines) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":ji:hf:", cli_options(), NULL)) != -1) {
		switch (c) {
		case '?':
			return xlb_exit_msg(err, len, EX_USAGE, "Unknown option '%s'", argv[optind - 1]);
		case ':':
			return xlb_exit_msg(err, len, EX_USAGE, "Option '%s' needs a value", argv[optind - 1]);
		case 'j':
			a->given |= OPT_BIT(OPT_JSON);
			a->json = true;
			break;
		case 'i':
			a->given |= OPT_BIT(OPT_DEV);
			a->dev = optarg;
			break;
		case 'h':
			a->given |= OPT_BIT(OPT_HELP);
			break;
		case OPT_DRY_RUN:
			a->given |= OPT_BIT(OPT_DRY_RUN);
			a->dry_run = true;
			break;
		default:
			c = c == 'f' ? OPT_FILE : c;
			a->given |= OPT_BIT(c);
			ret = parse_value(c, optarg, a, err, len);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int find_cmd(char **words, int nwords, int *used)
{
	int i;

	for (i = 0; i < CMD__MAX; i++) {
		if (strcmp(words[0], cmds[i].object))
			continue;
		if (!cmds[i].verb) {
			*used = 1;
			return i;
		}
		if (nwords > 1 && !strcmp(words[1], cmds[i].verb)) {
			*used = 2;
			return i;
		}
	}
	return -1;
}

static int parse_explain(char **pos, struct cli_args *a, char *err, size_t len)
{
	if (xlb_proto_parse(pos[0], &a->proto))
		return xlb_exit_msg(err, len, EX_DATAERR, "Invalid protocol '%s': tcp or udp", pos[0]);
	if (xlb_endpoint_parse(pos[1], &a->src, &a->sport))
		return xlb_exit_msg(err, len, EX_DATAERR, "Invalid source '%s': ADDR:PORT", pos[1]);
	if (xlb_endpoint_parse(pos[2], &a->dst, &a->dport))
		return xlb_exit_msg(err, len, EX_DATAERR, "Invalid destination '%s': ADDR:PORT", pos[2]);
	if (a->src.family != a->dst.family)
		return xlb_exit_msg(err, len, EX_DATAERR, "Source and destination families differ");
	return 0;
}

/* The positional arguments of command a->cmd. */
static int parse_positionals(char **pos, int n, struct cli_args *a, char *err, size_t len)
{
	switch (a->cmd) {
	case CMD_ATTACH:
	case CMD_DETACH:
	case CMD_UPGRADE:
	case CMD_DECAP_ATTACH:
	case CMD_DECAP_DETACH:
	case CMD_DECAP_STATS:
		a->dev = pos[0];
		return 0;
	case CMD_EXPLAIN:
		return parse_explain(pos, a, err, len);
	default:
		break;
	}
	if (n >= 1) {
		if (xlb_vip_name_parse(pos[0], &a->vip))
			return xlb_exit_msg(err, len, EX_DATAERR, "Invalid VIP '%s': PROTO:ADDR:PORT", pos[0]);
		if (xlb_addr_not_unicast(&a->vip.addr))
			return xlb_exit_msg(err, len, EX_DATAERR,
				    "Invalid VIP '%s': %s, expected a unicast address", pos[0],
				    xlb_addr_not_unicast(&a->vip.addr));
		a->has_vip = true;
	}
	if (n >= 2 && xlb_be_addr_parse(pos[1], &a->be_addr, &a->port))
		return xlb_exit_msg(err, len, EX_DATAERR, "Invalid backend address '%s'", pos[1]);
	if (n >= 2 && xlb_addr_not_unicast(&a->be_addr))
		return xlb_exit_msg(err, len, EX_DATAERR,
			    "Invalid backend address '%s': %s, expected a unicast address", pos[1],
			    xlb_addr_not_unicast(&a->be_addr));
	return 0;
}

int cli_parse(int argc, char **argv, struct cli_args *a, char *err, size_t len)
{
	const struct cmd_def *d;
	__u64 extra;
	int ret, used, n, opt;

	memset(a, 0, sizeof(*a));
	xlb_vip_settings_defaults(&a->set);
	xlb_be_settings_defaults(&a->bset);
	a->limit = XLB_FLOWS_LIMIT_DEFAULT;
	err[0] = '\0';
	ret = parse_options(argc, argv, a, err, len);
	if (ret)
		return ret;
	n = argc - optind;
	if (n == 0)
		return (a->given & OPT_BIT(OPT_HELP)) ? 0 :
							xlb_exit_msg(err, len, EX_USAGE, "No command given");
	ret = find_cmd(argv + optind, n, &used);
	if (ret < 0)
		return xlb_exit_msg(err, len, EX_USAGE, "Unknown command '%s%s%s'", argv[optind],
			    n > 1 ? " " : "", n > 1 ? argv[optind + 1] : "");
	a->cmd = ret;
	d = &cmds[a->cmd];
	if (a->given & OPT_BIT(OPT_HELP))
		return 0;
	extra = a->given & ~(d->opts | OPT_BIT(OPT_JSON) | OPT_BIT(OPT_DEV) |
			     OPT_BIT(OPT_HELP));
	for (opt = OPT__FIRST; extra; opt++) {
		if (extra & OPT_BIT(opt))
			return xlb_exit_msg(err, len, EX_USAGE, "Option '--%s' does not apply to '%s'",
				    cli_opt_name(opt), usage(a->cmd));
	}
	n -= used;
	if ((d->nargs >= 0 && n != d->nargs) || (d->nargs < 0 && n > 1))
		return xlb_exit_msg(err, len, EX_USAGE, "Usage: xlb %s", usage(a->cmd));
	if (a->cmd == CMD_BE_SET && !(a->given & OPT_BIT(OPT_WEIGHT)))
		return xlb_exit_msg(err, len, EX_USAGE, "Usage: xlb %s", usage(a->cmd));
	if (a->cmd == CMD_APPLY && !a->file)
		return xlb_exit_msg(err, len, EX_USAGE, "Usage: xlb %s", usage(a->cmd));
	return parse_positionals(argv + optind + used, n, a, err, len);
}

void cli_usage(FILE *out, enum cli_cmd cmd)
{
	int i;

	if (cmd != CMD_HELP) {
		fprintf(out, "Usage: xlb [-j] [-i DEV] %s\n", usage(cmd));
		return;
	}
	fprintf(out, "Usage: xlb [-j|--json] [-i DEV] COMMAND\n\nCommands:\n");
	for (i = CMD_ATTACH; i < CMD__MAX; i++)
		fprintf(out, "  %s\n", usage(i));
	fprintf(out, "\nVIP is PROTO:ADDR:PORT (tcp:198.18.0.10:80, udp:[2001:db8::10]:53).\n"
		     "-i DEV may be left out when exactly one interface runs xlb.\n");
}
