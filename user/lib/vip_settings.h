/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * A VIP's settings besides its health check, each described once: keyword, JSON name, how it
 * is parsed and printed, default and range. The config file's loader and writer, the diff,
 * `vip add`'s options and `vip list -j` go through this table, so a new setting is a field in
 * XLB_VIP_SETTINGS_FIELDS (model.h) and a row here. Pure.
 */
#ifndef XLB_VIP_SETTINGS_H
#define XLB_VIP_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include "model.h"

/* The settings, in the order `xlb save` writes each group of them. */
enum xlb_vset {
	XLB_VSET_FORWARD,
	XLB_VSET_SCHED,
	XLB_VSET_GUE_PORT,
	XLB_VSET_SECOND_CHANCE,
	XLB_VSET_NAT_TCP_TIMEOUT,
	XLB_VSET_NAT_UDP_TIMEOUT,
	XLB_VSET_NAT_FIN_TIMEOUT,
	XLB_VSET_NEW_FLOW_LIMIT,
	XLB_VSET_ALL_DOWN,
	XLB_VSET_SLOW_START,
	XLB_VSET__MAX,
};

/* What a setting is about. Each view lists the groups in an order of its own. */
enum xlb_vset_group {
	XLB_VGROUP_FORWARD, /* how packets reach the backends */
	XLB_VGROUP_LIMIT,   /* how much a VIP admits */
	XLB_VGROUP_HEALTH,  /* what backends' health changes (the check is a mapping of its own) */
	XLB_VGROUP__MAX,
};

enum xlb_vset_kind {
	XLB_VKIND_WORD,	   /* a keyword; a string in JSON */
	XLB_VKIND_NUMBER,  /* an integer in [min, max] */
	XLB_VKIND_SECONDS, /* whole seconds in [min, max], written "30s"; seconds in JSON */
	XLB_VKIND_FLAG,	   /* true or false; an option without argument; a boolean in JSON */
};

struct xlb_vset_def {
	const char *key;      /* config key, diff word and vip add option: "gue-port" */
	const char *json;     /* its name in vip list -j: "gue_port" */
	const char *noun;     /* in the CLI's messages: "GUE port" */
	const char *arg;      /* in the usage: "N"; NULL for a flag */
	const char *expected; /* what a bad value is told (words and seconds) */
	enum xlb_vset_kind kind;
	enum xlb_vset_group group;
	__u32 def, min, max;
	size_t off, size;     /* the field in struct xlb_vip_settings */
	__u8 mode;	      /* the XLB_FWD_* it belongs to (apply shows it there only), 0 = all */
	const char *label;    /* a mode's setting: its label after the mode on the status page */
	bool omit_zero;	      /* left out of the file and of apply's lines when 0 */
	bool added;	      /* shown in apply's "+ vip" line */
	int (*parse)(const char *s, __u8 *out); /* words */
	const char *(*str)(__u8 v);		/* words */
};

extern const struct xlb_vset_def xlb_vsets[XLB_VSET__MAX];

/* Every setting at its default, the health check's included. */
void xlb_vip_settings_defaults(struct xlb_vip_settings *s);
bool xlb_vip_settings_eq(const struct xlb_vip_settings *a, const struct xlb_vip_settings *b);
__u32 xlb_vset_get(const struct xlb_vip_settings *s, enum xlb_vset id);
void xlb_vset_put(struct xlb_vip_settings *s, enum xlb_vset id, __u32 v);
/* Text as the file and the CLI take it; 0, -EINVAL, or -ERANGE (a number out of range). */
int xlb_vset_parse(enum xlb_vset id, const char *s, __u32 *v);
/* v as the file, the diff and the CLI write it. */
const char *xlb_vset_str(enum xlb_vset id, __u32 v, char *buf, size_t len);
/* Whether apply's "+ vip" line shows setting id of s. */
bool xlb_vset_shown(const struct xlb_vip_settings *s, enum xlb_vset id);

#endif /* XLB_VIP_SETTINGS_H */
