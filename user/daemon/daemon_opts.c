// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xlbd's options: -i DEV, -c FILE, --listen, --route-table, and the load-time settings of
 * `xlb attach` that matter when the daemon attaches DEV itself (parsed by attach_opts.c, as
 * attach's are). Pure.
 */
#include <getopt.h>
#include <string.h>
#include <sysexits.h>
#include "addr.h"
#include "daemon_opts.h"
#include "exitcode.h"
#include "route_nl.h"

/* The load-time options xlbd takes are OPT_ATTACH + their enum xlb_aopt. */
enum { OPT_LISTEN = 256, OPT_ROUTE_TABLE, OPT_ATTACH };

static const struct option long_opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "route-table", required_argument, NULL, OPT_ROUTE_TABLE },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* --interface and --help, long_opts, the load-time options xlbd takes, then the end mark. */
static struct option all_opts[XLB_AOPT_SHARED + ARRAY_SIZE(long_opts) + XLB_AOPT__DAEMON + 1];

static const struct option *options(void)
{
	if (!all_opts[0].name)
		xlb_aopt_long_opts(all_opts, long_opts, ARRAY_SIZE(long_opts), XLB_AOPT__DAEMON,
				   OPT_ATTACH);
	return all_opts;
}

void xlbd_usage(FILE *out)
{
	fprintf(out,
		"Usage: xlbd -i DEV [-c FILE] [--listen ADDR:PORT] [--route-table N]\n"
		"            [--mode native|generic] [--next-hop-mac MAC] [--src-v4 ADDR]\n"
		"            [--src-v6 ADDR] [--mtu N]\n"
		"\n"
		"Runs xlb on DEV: attaches it when DEV has no xlb yet (otherwise adopts the running\n"
		"one, connection table and counters kept), applies FILE, health-checks the backends\n"
		"of every VIP and serves /metrics and a status page over HTTP.\n"
		"\n"
		"  -i, --interface DEV     the interface (one xlbd per interface)\n"
		"  -c, --config FILE       applied at start and on SIGHUP, as 'xlb apply -f FILE'\n"
		"      --listen ADDR:PORT  the HTTP exporter (default " XLBD_LISTEN_DEFAULT ")\n"
		"      --route-table N     publish a route per usable VIP address in routing table\n"
		"                          N for BIRD to announce (default %u, 0 for none;\n"
		"                          overrides the file's route-table)\n"
		"When xlbd attaches DEV itself (as 'xlb attach'; ignored when adopting):\n"
		"      --mode MODE         native (default) or generic XDP\n"
		"      --next-hop-mac MAC  where encapsulated packets go (default: the gateway's)\n"
		"      --src-v4 ADDR       outer IPv4 source (default: DEV's first address)\n"
		"      --src-v6 ADDR       outer IPv6 source (default: DEV's first global address)\n"
		"      --mtu N             largest packet that may leave, %u-%u (default %u)\n"
		"  -h, --help              this text\n"
		"\n"
		"SIGHUP reloads FILE (a broken file is reported and the running state kept).\n"
		"SIGTERM and SIGINT stop health checks and the exporter; the data plane keeps\n"
		"forwarding with its last tables (and VIP routes) until 'xlb detach DEV'.\n",
		XLB_ROUTE_TABLE_DEFAULT, XLB_MTU_MIN, XLB_MTU_MAX, XLB_MTU_DEFAULT);
}

static int parse_one(int c, const char *v, struct xlbd_opts *o, char *err, size_t len)
{
	struct xlb_addr a;
	__u16 port;

	switch (c) {
	case 'i':
		if (!v[0] || strlen(v) >= IF_NAMESIZE || strchr(v, '/'))
			return xlb_exit_msg(err, len, EX_DATAERR, "Invalid interface name '%s'", v);
		o->dev = v;
		return 0;
	case 'c':
		o->conf = v;
		return 0;
	case 'h':
		o->help = true;
		return 0;
	case OPT_LISTEN:
		if (xlb_endpoint_parse(v, &a, &port) || !port)
			return xlb_exit_msg(err, len, EX_DATAERR, "Invalid listen address '%s': ADDR:PORT", v);
		o->listen = v;
		return 0;
	case OPT_ROUTE_TABLE:
		if (xlb_u32_parse(v, 0, XLB_ROUTE_TABLE_MAX, &o->route_table) ||
		    (o->route_table && !xlb_route_table_ok(o->route_table)))
			return xlb_exit_msg(err, len, EX_DATAERR, "Invalid routing table '%s': 0 (none) or "
				    "1-%u but 253-255 (the kernel's)", v, XLB_ROUTE_TABLE_MAX);
		o->has_route_table = true;
		return 0;
	}
	o->any_attach = true;
	return xlb_aopt_parse(c - OPT_ATTACH, v, &o->attach, err, len);
}

int xlbd_opts_parse(int argc, char **argv, struct xlbd_opts *o, char *err, size_t len)
{
	int c, ret;

	memset(o, 0, sizeof(*o));
	o->listen = XLBD_LISTEN_DEFAULT;
	o->route_table = XLB_ROUTE_TABLE_DEFAULT;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":i:c:h", options(), NULL)) != -1) {
		if (c == '?')
			return xlb_exit_msg(err, len, EX_USAGE, "Unknown option '%s'", argv[optind - 1]);
		if (c == ':')
			return xlb_exit_msg(err, len, EX_USAGE, "Option '%s' needs a value", argv[optind - 1]);
		ret = parse_one(c, optarg, o, err, len);
		if (ret)
			return ret;
	}
	if (o->help)
		return 0;
	if (optind < argc)
		return xlb_exit_msg(err, len, EX_USAGE, "Unexpected argument '%s'", argv[optind]);
	if (!o->dev)
		return xlb_exit_msg(err, len, EX_USAGE, "No interface given: xlbd -i DEV");
	return 0;
}
