/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * A backend's settings besides its address, each described once: keyword, JSON name, how it
 * is parsed and printed, default and range. The config file's loader and writer, the diff,
 * `backend add`/`backend set`'s options, `vip list -j` and the status page go through this
 * table, so a new setting is a field in XLB_BE_SETTINGS_FIELDS (model.h) and a row here. Pure.
 */
#ifndef XLB_BACKEND_SETTINGS_H
#define XLB_BACKEND_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include "model.h"

/* The settings, in the order every view lists them. */
enum xlb_bset {
	XLB_BSET_WEIGHT,
	XLB_BSET_MAC,
	XLB_BSET_DRAIN,
	XLB_BSET_PORT,
	XLB_BSET__MAX,
};

enum xlb_bset_kind {
	XLB_BKIND_NUMBER, /* an integer in [min, max] */
	XLB_BKIND_MAC,	  /* six hex bytes, or none (has_mac false); a string in JSON */
	XLB_BKIND_FLAG,	  /* true/false in the file and JSON; yes/no in the diff and page */
	XLB_BKIND_PORT,	  /* a port in [min, max], or none (0: the VIP's) */
};

struct xlb_bset_def {
	const char *key;      /* config key, diff word and option: "weight" */
	const char *json;     /* its name in vip list -j */
	const char *noun;     /* in the CLI's messages: "MAC address" */
	const char *arg;      /* an option of backend add, shown as --KEY ARG; NULL: not one */
	const char *expected; /* what a value that does not parse is told (numbers: the range) */
	const char *rule;     /* what a value that parses but is refused is told (the MAC's) */
	enum xlb_bset_kind kind;
	__u32 def, min, max;
	size_t off, size;     /* the field in struct xlb_be_settings (MAC: mac[]) */
	bool in_address;      /* written as ADDR:PORT in the address, not as a key of its own */
};

extern const struct xlb_bset_def xlb_bsets[XLB_BSET__MAX];

/* Every setting at its default. */
void xlb_be_settings_defaults(struct xlb_be_settings *s);
/* Whether setting id has a value: a MAC or port may have none; the others always have one. */
bool xlb_bset_is_set(const struct xlb_be_settings *s, enum xlb_bset id);
bool xlb_bset_eq(const struct xlb_be_settings *a, const struct xlb_be_settings *b,
		 enum xlb_bset id);
/* A number, flag or port as an integer (0 for none); not for the MAC. */
__u32 xlb_bset_get(const struct xlb_be_settings *s, enum xlb_bset id);
/* Text as the file and the CLI take it into s; 0, -EINVAL, or -ERANGE (out of range). */
int xlb_bset_parse(enum xlb_bset id, const char *text, struct xlb_be_settings *s);
/* Why a value that parsed is refused (a MAC that is not unicast), or NULL. */
const char *xlb_bset_refused(const struct xlb_be_settings *s, enum xlb_bset id);
/* The value as the diff and the status page say it: "none" for no MAC or port. */
const char *xlb_bset_str(const struct xlb_be_settings *s, enum xlb_bset id, char *buf,
			 size_t len);
/* The value as the config file writes it: a YAML scalar (flags true or false, MACs quoted). */
const char *xlb_bset_yaml(const struct xlb_be_settings *s, enum xlb_bset id, char *buf,
			  size_t len);
/* Whether apply's "+ backend" line shows setting id of s: set, and a flag only when on. */
bool xlb_bset_shown(const struct xlb_be_settings *s, enum xlb_bset id);

#endif /* XLB_BACKEND_SETTINGS_H */
