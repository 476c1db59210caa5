// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The table of a VIP's settings and the few functions that read and write them through it.
 * Pure.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "addr.h"
#include "health_conf.h"
#include "ramp.h"
#include "vip_settings.h"
#include "snat_conf.h"

/* What a bad NAT timeout is told: XLB_NAT_TIMEOUT_MAX is 65535 s. */
#define XLB_NAT_TIMEOUT_RULE "whole seconds from 1s to 65535s, as 900s or 15m"

#define FIELD(f) .off = offsetof(struct xlb_vip_settings, f), \
		 .size = sizeof(((struct xlb_vip_settings *)0)->f)

/* The NAT timeouts share their rule: whole seconds from 1 s to the limit, nat VIPs only. */
#define NAT_TIMEOUT(k, j, n, d, f, l)                                                             \
	{ .key = k, .json = j, .noun = n, .arg = "DURATION", .expected = XLB_NAT_TIMEOUT_RULE,    \
	  .kind = XLB_VKIND_SECONDS, .group = XLB_VGROUP_FORWARD, .def = d, .min = 1,             \
	  .max = XLB_NAT_TIMEOUT_MAX, FIELD(f), .mode = XLB_FWD_NAT, .label = l }

const struct xlb_vset_def xlb_vsets[XLB_VSET__MAX] = {
	[XLB_VSET_FORWARD] = { .key = "forward", .json = "forward", .noun = "forward",
			       .arg = "ipip|gue|dr|nat", .expected = "ipip, gue, dr or nat",
			       .kind = XLB_VKIND_WORD, .group = XLB_VGROUP_FORWARD,
			       .def = XLB_FWD_IPIP, FIELD(forward), .added = true,
			       .parse = xlb_forward_parse, .str = xlb_forward_str },
	[XLB_VSET_SCHED] = { .key = "sched", .json = "sched", .noun = "sched",
			     .arg = "maglev|maglev-fast|source-hash",
			     .expected = "maglev, maglev-fast or source-hash",
			     .kind = XLB_VKIND_WORD, .group = XLB_VGROUP_FORWARD,
			     .def = XLB_SCHED_MAGLEV, FIELD(sched), .added = true,
			     .parse = xlb_sched_parse, .str = xlb_sched_str },
	[XLB_VSET_GUE_PORT] = { .key = "gue-port", .json = "gue_port", .noun = "GUE port",
				.arg = "N", .kind = XLB_VKIND_NUMBER, .group = XLB_VGROUP_FORWARD,
				.def = XLB_GUE_PORT_DEFAULT, .min = 1, .max = 65535,
				FIELD(gue_port), .mode = XLB_FWD_GUE, .label = "port",
				.added = true },
	[XLB_VSET_SECOND_CHANCE] = { .key = "second-chance", .json = "second_chance",
				     .noun = "second-chance", .expected = "true or false",
				     .kind = XLB_VKIND_FLAG, .group = XLB_VGROUP_FORWARD,
				     .max = 1, FIELD(second_chance), .mode = XLB_FWD_GUE,
				     .label = "second chance", .omit_zero = true, .added = true },
	[XLB_VSET_NAT_TCP_TIMEOUT] = NAT_TIMEOUT("nat-tcp-timeout", "nat_tcp_timeout",
						 "NAT TCP timeout", XLB_NAT_TCP_TIMEOUT,
						 nat_tcp_timeout, "tcp timeout"),
	[XLB_VSET_NAT_UDP_TIMEOUT] = NAT_TIMEOUT("nat-udp-timeout", "nat_udp_timeout",
						 "NAT UDP timeout", XLB_NAT_UDP_TIMEOUT,
						 nat_udp_timeout, "udp timeout"),
	[XLB_VSET_NAT_FIN_TIMEOUT] = NAT_TIMEOUT("nat-fin-timeout", "nat_fin_timeout",
						 "NAT FIN timeout", XLB_NAT_FIN_TIMEOUT,
						 nat_fin_timeout, "fin timeout"),
	[XLB_VSET_NEW_FLOW_LIMIT] = { .key = "new-flow-limit", .json = "new_flow_limit",
				      .noun = "new-flow limit", .arg = "N",
				      .kind = XLB_VKIND_NUMBER, .group = XLB_VGROUP_LIMIT,
				      .max = XLB_NEW_FLOW_LIMIT_MAX, FIELD(new_flow_limit),
				      .omit_zero = true, .added = true },
	[XLB_VSET_ALL_DOWN] = { .key = "on-all-down", .json = "on_all_down",
				.noun = "on-all-down", .arg = "drop|all", .expected = "drop or all",
				.kind = XLB_VKIND_WORD, .group = XLB_VGROUP_HEALTH,
				.def = XLB_ALL_DOWN_DROP, FIELD(health.all_down),
				.parse = xlb_all_down_parse, .str = xlb_all_down_str },
	[XLB_VSET_SLOW_START] = { .key = "slow-start", .json = "slow_start",
				  .noun = "slow start", .arg = "DURATION",
				  .expected = XLB_SLOW_START_RULE, .kind = XLB_VKIND_SECONDS,
				  .group = XLB_VGROUP_HEALTH, .min = 1,
				  .max = XLB_SLOW_START_MAX_S, FIELD(health.slow_start_s),
				  .omit_zero = true, .added = true },
};

void xlb_vip_settings_defaults(struct xlb_vip_settings *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	xlb_health_defaults(&s->health);
	for (i = 0; i < XLB_VSET__MAX; i++)
		xlb_vset_put(s, i, xlb_vsets[i].def);
}

bool xlb_vip_settings_eq(const struct xlb_vip_settings *a, const struct xlb_vip_settings *b)
{
	int i;

	for (i = 0; i < XLB_VSET__MAX; i++)
		if (xlb_vset_get(a, i) != xlb_vset_get(b, i))
			return false;
	return xlb_snat_eq(&a->snat, &b->snat) && xlb_health_eq(&a->health, &b->health);
}

__u32 xlb_vset_get(const struct xlb_vip_settings *s, enum xlb_vset id)
{
	const void *p = (const char *)s + xlb_vsets[id].off;

	switch (xlb_vsets[id].size) {
	case 1:
		return *(const __u8 *)p;
	case 2:
		return *(const __u16 *)p;
	}
	return *(const __u32 *)p;
}

void xlb_vset_put(struct xlb_vip_settings *s, enum xlb_vset id, __u32 v)
{
	void *p = (char *)s + xlb_vsets[id].off;

	switch (xlb_vsets[id].size) {
	case 1:
		*(__u8 *)p = v;
		return;
	case 2:
		*(__u16 *)p = v;
		return;
	}
	*(__u32 *)p = v;
}

int xlb_vset_parse(enum xlb_vset id, const char *s, __u32 *v)
{
	const struct xlb_vset_def *d = &xlb_vsets[id];
	__u32 ms;
	__u8 w;

	switch (d->kind) {
	case XLB_VKIND_WORD:
		if (d->parse(s, &w))
			return -EINVAL;
		*v = w;
		return 0;
	case XLB_VKIND_FLAG:
		if (strcmp(s, "true") && strcmp(s, "false"))
			return -EINVAL;
		*v = !strcmp(s, "true");
		return 0;
	case XLB_VKIND_SECONDS:
		if (xlb_duration_parse(s, d->min * 1000, d->max * 1000, &ms) || ms % 1000)
			return -EINVAL;
		*v = ms / 1000;
		return 0;
	default:
		return xlb_u32_parse(s, d->min, d->max, v);
	}
}

const char *xlb_vset_str(enum xlb_vset id, __u32 v, char *buf, size_t len)
{
	switch (xlb_vsets[id].kind) {
	case XLB_VKIND_WORD:
		return xlb_vsets[id].str(v);
	case XLB_VKIND_FLAG:
		return v ? "true" : "false";
	case XLB_VKIND_SECONDS:
		snprintf(buf, len, "%us", v);
		return buf;
	default:
		snprintf(buf, len, "%u", v);
		return buf;
	}
}

bool xlb_vset_shown(const struct xlb_vip_settings *s, enum xlb_vset id)
{
	const struct xlb_vset_def *d = &xlb_vsets[id];

	if (!d->added || (d->mode && s->forward != d->mode))
		return false;
	return !d->omit_zero || xlb_vset_get(s, id);
}
