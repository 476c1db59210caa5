// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The table of a backend's settings and the few functions that read and write them through
 * it. Pure.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "addr.h"
#include "backend_settings.h"

#define FIELD(f) .off = offsetof(struct xlb_be_settings, f), \
		 .size = sizeof(((struct xlb_be_settings *)0)->f)

const struct xlb_bset_def xlb_bsets[XLB_BSET__MAX] = {
	[XLB_BSET_WEIGHT] = { .key = "weight", .json = "weight", .noun = "weight", .arg = "N",
			      .kind = XLB_BKIND_NUMBER, .def = XLB_WEIGHT_DEFAULT,
			      .max = XLB_WEIGHT_MAX, FIELD(weight) },
	[XLB_BSET_MAC] = { .key = "mac", .json = "mac", .noun = "MAC address", .arg = "MAC",
			   .expected = "six hex bytes, as 02:00:00:00:01:01",
			   .rule = "a unicast MAC", .kind = XLB_BKIND_MAC, FIELD(mac) },
	[XLB_BSET_DRAIN] = { .key = "drain", .json = "drain", .noun = "drain",
			     .expected = "true or false", .kind = XLB_BKIND_FLAG, .max = 1,
			     FIELD(drain) },
	[XLB_BSET_PORT] = { .key = "port", .json = "port", .noun = "port", .kind = XLB_BKIND_PORT,
			    .min = 1, .max = 65535, FIELD(port), .in_address = true },
};

void xlb_be_settings_defaults(struct xlb_be_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->weight = xlb_bsets[XLB_BSET_WEIGHT].def;
}

bool xlb_bset_is_set(const struct xlb_be_settings *s, enum xlb_bset id)
{
	if (xlb_bsets[id].kind == XLB_BKIND_MAC)
		return s->has_mac;
	return xlb_bsets[id].kind != XLB_BKIND_PORT || s->port;
}

__u32 xlb_bset_get(const struct xlb_be_settings *s, enum xlb_bset id)
{
	const void *p = (const char *)s + xlb_bsets[id].off;

	return xlb_bsets[id].size == 1 ? *(const __u8 *)p : *(const __u16 *)p;
}

static void bset_put(struct xlb_be_settings *s, enum xlb_bset id, __u32 v)
{
	void *p = (char *)s + xlb_bsets[id].off;

	if (xlb_bsets[id].size == 1)
		*(__u8 *)p = v;
	else
		*(__u16 *)p = v;
}

bool xlb_bset_eq(const struct xlb_be_settings *a, const struct xlb_be_settings *b,
		 enum xlb_bset id)
{
	if (xlb_bsets[id].kind != XLB_BKIND_MAC)
		return xlb_bset_get(a, id) == xlb_bset_get(b, id);
	return a->has_mac == b->has_mac && (!a->has_mac || !memcmp(a->mac, b->mac, sizeof(a->mac)));
}

int xlb_bset_parse(enum xlb_bset id, const char *text, struct xlb_be_settings *s)
{
	const struct xlb_bset_def *d = &xlb_bsets[id];
	__u32 v;
	int ret;

	switch (d->kind) {
	case XLB_BKIND_MAC:
		if (xlb_mac_parse(text, s->mac))
			return -EINVAL;
		s->has_mac = true;
		return 0;
	case XLB_BKIND_FLAG:
		if (strcmp(text, "true") && strcmp(text, "false"))
			return -EINVAL;
		v = !strcmp(text, "true");
		break;
	default:
		ret = xlb_u32_parse(text, d->min, d->max, &v);
		if (ret)
			return ret;
	}
	bset_put(s, id, v);
	return 0;
}

const char *xlb_bset_refused(const struct xlb_be_settings *s, enum xlb_bset id)
{
	if (xlb_bsets[id].kind == XLB_BKIND_MAC && s->has_mac)
		return xlb_mac_not_unicast(s->mac);
	return NULL;
}

const char *xlb_bset_str(const struct xlb_be_settings *s, enum xlb_bset id, char *buf,
			 size_t len)
{
	if (!xlb_bset_is_set(s, id))
		return "none";
	switch (xlb_bsets[id].kind) {
	case XLB_BKIND_MAC:
		return xlb_mac_str(s->mac, buf, len);
	case XLB_BKIND_FLAG:
		return xlb_bset_get(s, id) ? "yes" : "no";
	default:
		snprintf(buf, len, "%u", xlb_bset_get(s, id));
		return buf;
	}
}

const char *xlb_bset_yaml(const struct xlb_be_settings *s, enum xlb_bset id, char *buf,
			  size_t len)
{
	char mac[XLB_MAC_STRLEN];

	switch (xlb_bsets[id].kind) {
	case XLB_BKIND_MAC: /* quoted: to a YAML 1.1 reader 12:34:56:0:0:1 is a base-60 number */
		snprintf(buf, len, "\"%s\"", xlb_mac_str(s->mac, mac, sizeof(mac)));
		return buf;
	case XLB_BKIND_FLAG:
		return xlb_bset_get(s, id) ? "true" : "false";
	default:
		return xlb_bset_str(s, id, buf, len);
	}
}

bool xlb_bset_shown(const struct xlb_be_settings *s, enum xlb_bset id)
{
	if (!xlb_bset_is_set(s, id))
		return false;
	return xlb_bsets[id].kind != XLB_BKIND_FLAG || xlb_bset_get(s, id);
}
