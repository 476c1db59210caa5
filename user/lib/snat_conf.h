/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Full NAT's source pool of a VIP (struct xlb_snat_conf, model.h): parsed from `--snat` and
 * the file's `snat:` list, printed for save, list and the diff, checked against the
 * configuration's rules, and put into or read from xlb_snat's value. Pure.
 */
#ifndef XLB_SNAT_CONF_H
#define XLB_SNAT_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include "model.h"

/* Longest text of a pool: its addresses, comma-separated. */
#define XLB_SNAT_STRLEN (XLB_SNAT_MAX * 48)

/* Appends address s to p: 0, -EINVAL (not an address), or -ERANGE (already XLB_SNAT_MAX). */
int xlb_snat_add(struct xlb_snat_conf *p, const char *s);
/* "ADDR[,ADDR...]" into p (overwritten): 0, -EINVAL (empty or not addresses), or -ERANGE. */
int xlb_snat_parse(const char *s, struct xlb_snat_conf *p);
/* p as "ADDR,ADDR" ("" for none). */
const char *xlb_snat_str(const struct xlb_snat_conf *p, char *buf, size_t len);
bool xlb_snat_eq(const struct xlb_snat_conf *a, const struct xlb_snat_conf *b);
/*
 * Records in e what is wrong with v's pool in configuration c: a pool on a VIP that is not
 * nat, an address of another family than the VIP's, not unicast, repeated, or one of c's VIP
 * addresses.
 */
void xlb_snat_check(const struct xlb_conf *c, const struct xlb_vip_conf *v, const char *name,
		    struct xlb_errors *e);
/* s's pool and NAT timeouts as xlb_snat's value, and back (the rest of s is left alone). */
void xlb_snat_to_map(const struct xlb_vip_settings *s, struct xlb_snat *m);
void xlb_snat_from_map(const struct xlb_snat *m, __u8 family, struct xlb_vip_settings *s);

#endif /* XLB_SNAT_CONF_H */
