// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The load-time options of `xlb attach` and xlbd, parsed in one place so both take the same
 * values and answer a bad one with the same message and exit code.
 */
#include <getopt.h>
#include <string.h>
#include <sysexits.h>
#include "addr.h"
#include "attach_opts.h"
#include "exitcode.h"
#include "instance.h"

const char *const xlb_aopt_names[XLB_AOPT__MAX] = {
	[XLB_AOPT_MODE] = "mode",		[XLB_AOPT_SRC_V4] = "src-v4",
	[XLB_AOPT_SRC_V6] = "src-v6",		[XLB_AOPT_NEXT_HOP] = "next-hop-mac",
	[XLB_AOPT_MTU] = "mtu",			[XLB_AOPT_TABLE_SIZE] = "table-size",
	[XLB_AOPT_FLOWS] = "flows",		[XLB_AOPT_INSERT_LIMIT] = "insert-limit",
	[XLB_AOPT_TTL] = "ttl",
};

static const struct option shared_opts[XLB_AOPT_SHARED] = {
	{ "interface", required_argument, NULL, 'i' },
	{ "help", no_argument, NULL, 'h' },
};

struct option *xlb_aopt_long_opts(struct option *o, const struct option *own, size_t nown, int n,
				  int base)
{
	int i;

	memcpy(o, shared_opts, sizeof(shared_opts));
	o += XLB_AOPT_SHARED;
	memcpy(o, own, nown * sizeof(*own));
	o += nown;
	for (i = 0; i < n; i++)
		*o++ = (struct option){ xlb_aopt_names[i], required_argument, NULL, base + i };
	return o;
}

static int parse_src(const char *v, __u8 family, struct xlb_addr *out, char *err, size_t len)
{
	struct xlb_addr a;

	if (xlb_addr_parse(v, &a) || a.family != family)
		return xlb_exit_msg(err, len, EX_DATAERR, "Invalid IPv%u address '%s'", family, v);
	*out = a;
	return 0;
}

static int parse_num(const char *v, __u32 min, __u32 max, __u32 *out, const char *what, char *err,
		     size_t len)
{
	if (xlb_u32_parse(v, min, max, out))
		return xlb_exit_msg(err, len, EX_DATAERR, "Invalid %s '%s': expected %u-%u", what, v, min, max);
	return 0;
}

int xlb_aopt_parse(enum xlb_aopt id, const char *v, struct xlb_attach_args *a, char *err,
		   size_t len)
{
	switch (id) {
	case XLB_AOPT_MODE:
		if (strcmp(v, "native") && strcmp(v, "generic"))
			return xlb_exit_msg(err, len, EX_DATAERR, "Invalid mode '%s': native or generic", v);
		a->generic = !strcmp(v, "generic");
		return 0;
	case XLB_AOPT_SRC_V4:
		return parse_src(v, XLB_FAM_V4, &a->src_v4, err, len);
	case XLB_AOPT_SRC_V6:
		return parse_src(v, XLB_FAM_V6, &a->src_v6, err, len);
	case XLB_AOPT_NEXT_HOP:
		if (xlb_mac_parse(v, a->next_hop))
			return xlb_exit_msg(err, len, EX_DATAERR, "Invalid MAC address '%s'", v);
		a->has_next_hop = true;
		return 0;
	case XLB_AOPT_MTU:
		return parse_num(v, XLB_MTU_MIN, XLB_MTU_MAX, &a->mtu, "MTU", err, len);
	case XLB_AOPT_TABLE_SIZE:
		return parse_num(v, 3, 16777213, &a->table_size, "table size", err, len);
	case XLB_AOPT_FLOWS:
		return parse_num(v, XLB_FLOWS_MIN, XLB_FLOWS_MAX, &a->flows, "flow count", err,
				 len);
	case XLB_AOPT_INSERT_LIMIT:
		return parse_num(v, 1, XLB_INSERT_LIMIT_MAX, &a->insert_limit, "insert limit", err,
				 len);
	default:
		return parse_num(v, 1, 255, &a->ttl, "TTL", err, len);
	}
}

void xlb_attach_args_opts(const struct xlb_attach_args *a, struct xlb_attach_opts *o,
			  unsigned int *given)
{
	memset(o, 0, sizeof(*o));
	*given = 0;
	o->generic = a->generic;
	o->flows = a->flows;
	o->insert_limit = a->insert_limit;
	o->cfg.mtu = a->mtu;
	o->cfg.table_size = a->table_size;
	o->cfg.ttl = a->ttl;
	if (a->src_v4.family) {
		o->cfg.src_v4 = a->src_v4.a[0];
		*given |= XLB_GIVEN_SRC_V4;
	}
	if (a->src_v6.family) {
		memcpy(o->cfg.src_v6, a->src_v6.a, sizeof(o->cfg.src_v6));
		*given |= XLB_GIVEN_SRC_V6;
	}
	if (a->has_next_hop) {
		memcpy(o->cfg.next_hop, a->next_hop, sizeof(o->cfg.next_hop));
		*given |= XLB_GIVEN_NEXT_HOP;
	}
}
