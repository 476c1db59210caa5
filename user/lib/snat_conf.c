// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Full NAT's source pool as configuration: parsing, printing, comparing and checking it, and
 * its map value (snat_conf.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "addr.h"
#include "snat_conf.h"

int xlb_snat_add(struct xlb_snat_conf *p, const char *s)
{
	struct xlb_addr a;

	if (xlb_addr_parse(s, &a))
		return -EINVAL;
	if (p->n >= XLB_SNAT_MAX)
		return -ERANGE;
	p->a[p->n++] = a;
	return 0;
}

int xlb_snat_parse(const char *s, struct xlb_snat_conf *p)
{
	char buf[XLB_SNAT_STRLEN], *tok, *save;
	int err;

	memset(p, 0, sizeof(*p));
	if (strlen(s) >= sizeof(buf))
		return -ERANGE;
	strcpy(buf, s);
	/* Empty items (",", "a,,b", a trailing comma) are errors, not skipped. */
	if (!buf[0] || buf[0] == ',' || buf[strlen(buf) - 1] == ',' || strstr(buf, ",,"))
		return -EINVAL;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		err = xlb_snat_add(p, tok);
		if (err)
			return err;
	}
	return 0;
}

const char *xlb_snat_str(const struct xlb_snat_conf *p, char *buf, size_t len)
{
	char a[XLB_ADDR_STRLEN];
	size_t used = 0;
	__u32 i;

	buf[0] = '\0';
	for (i = 0; i < p->n && i < XLB_SNAT_MAX && used < len; i++) {
		snprintf(buf + used, len - used, "%s%s", i ? "," : "",
			 xlb_addr_str(&p->a[i], a, sizeof(a)));
		used = strlen(buf);
	}
	return buf;
}

bool xlb_snat_eq(const struct xlb_snat_conf *a, const struct xlb_snat_conf *b)
{
	__u32 i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n && i < XLB_SNAT_MAX; i++)
		if (xlb_addr_cmp(&a->a[i], &b->a[i]))
			return false;
	return true;
}

void xlb_snat_check(const struct xlb_conf *c, const struct xlb_vip_conf *v, const char *name,
		    struct xlb_errors *e)
{
	char s[XLB_ADDR_STRLEN];
	const char *kind;
	__u32 i, j;

	if (v->snat.n && v->forward != XLB_FWD_NAT)
		xlb_errors_add(e, v->line, "VIP %s: snat: a source pool needs forward nat", name);
	for (i = 0; i < v->snat.n && i < XLB_SNAT_MAX; i++) {
		const struct xlb_addr *a = &v->snat.a[i];

		xlb_addr_str(a, s, sizeof(s));
		kind = xlb_addr_not_unicast(a);
		if (a->family != v->name.addr.family)
			xlb_errors_add(e, v->line, "VIP %s: snat %s: not of the VIP's family", name,
				       s);
		else if (kind)
			xlb_errors_add(e, v->line,
				       "VIP %s: snat %s: %s: expected a unicast address", name, s,
				       kind);
		else if (xlb_conf_has_addr(c, a))
			xlb_errors_add(e, v->line, "VIP %s: snat %s: a VIP address", name, s);
		for (j = 0; j < i; j++)
			if (!xlb_addr_cmp(&v->snat.a[j], a))
				xlb_errors_add(e, v->line, "VIP %s: snat %s: given twice", name, s);
	}
}

void xlb_snat_to_map(const struct xlb_vip_settings *s, struct xlb_snat *m)
{
	const struct xlb_snat_conf *p = &s->snat;
	__u32 i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < p->n && i < XLB_SNAT_MAX; i++)
		memcpy(m->addr[i], p->a[i].a, sizeof(m->addr[i]));
	m->count = i;
	m->tcp_timeout = s->nat_tcp_timeout;
	m->udp_timeout = s->nat_udp_timeout;
	m->fin_timeout = s->nat_fin_timeout;
}

void xlb_snat_from_map(const struct xlb_snat *m, __u8 family, struct xlb_vip_settings *s)
{
	struct xlb_snat_conf *p = &s->snat;
	__u32 i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < m->count && i < XLB_SNAT_MAX; i++) {
		p->a[i].family = family;
		memcpy(p->a[i].a, m->addr[i], sizeof(p->a[i].a));
	}
	p->n = i;
	s->nat_tcp_timeout = m->tcp_timeout;
	s->nat_udp_timeout = m->udp_timeout;
	s->nat_fin_timeout = m->fin_timeout;
}
