// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Writing a configuration as the canonical YAML file that `xlb save` prints and that
 * xlb_conf_load() (config.c) reads back to the same model.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "backend_settings.h"
#include "config.h"
#include "health_conf.h"
#include "vip_settings.h"
#include "snat_conf.h"

static void write_backend(const struct xlb_be_conf *b, FILE *out)
{
	const char *q = b->addr.family == XLB_FAM_V6 ? "\"" : "";
	char addr[XLB_BE_ADDR_STRLEN], val[XLB_MAC_STRLEN + 2];
	int i;

	/* IPv6 addresses are quoted: their colons can read as YAML (2001:db8:: ends a key). */
	fprintf(out, "      - address: %s%s%s\n", q,
		xlb_be_addr_str(&b->addr, b->port, addr, sizeof(addr)), q);
	for (i = 0; i < XLB_BSET__MAX; i++)
		if (!xlb_bsets[i].in_address && xlb_bset_is_set(&b->bset, i))
			fprintf(out, "        %s: %s\n", xlb_bsets[i].key,
				xlb_bset_yaml(&b->bset, i, val, sizeof(val)));
}

/*
 * KEY: s (at most max bytes, NUL-terminated or not) as a YAML double-quoted scalar: the quote
 * and the backslash escaped, every byte outside printable ASCII as \xNN, so no value can end
 * the scalar or start a key. (YAML reads \xNN as a character, so a byte over 0x7e comes back
 * as its UTF-8 form; validation refuses such bytes.)
 */
static void write_text(const char *key, const char *s, size_t max, FILE *out)
{
	size_t i, n = strnlen(s, max);
	unsigned char c;

	fprintf(out, "      %s: \"", key);
	for (i = 0; i < n; i++) {
		c = s[i];
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < ' ' || c > '~')
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputs("\"\n", out);
}

/* Every setting, so the file says what runs; text values quoted (a path may hold a colon). */
static void write_health(const struct xlb_vip_health *h, FILE *out)
{
	char iv[16], to[16];

	fprintf(out, "    health:\n      check: %s\n", xlb_check_str(h->check));
	if (h->port)
		fprintf(out, "      port: %u\n", h->port);
	write_text("path", h->path, sizeof(h->path), out);
	if (h->host[0])
		write_text("host", h->host, sizeof(h->host), out);
	fprintf(out, "      status: %u-%u\n", h->status_min, h->status_max);
	fprintf(out, "      interval: %s\n      timeout: %s\n",
		xlb_duration_str(h->interval_ms, iv, sizeof(iv)),
		xlb_duration_str(h->timeout_ms, to, sizeof(to)));
	fprintf(out, "      rise: %u\n      fall: %u\n", h->rise, h->fall);
}

/* The settings of group g, each unless it is 0 and left out when 0. */
static void write_settings(const struct xlb_vip_conf *v, enum xlb_vset_group g, FILE *out)
{
	char buf[24];
	__u32 val;
	int i;

	for (i = 0; i < XLB_VSET__MAX; i++) {
		val = xlb_vset_get(&v->set, i);
		if (xlb_vsets[i].group != g || (xlb_vsets[i].omit_zero && !val))
			continue;
		fprintf(out, "    %s: %s\n", xlb_vsets[i].key,
			xlb_vset_str(i, val, buf, sizeof(buf)));
	}
}

/* Full NAT's pool as a YAML list, when there is one. */
static void write_snat(const struct xlb_snat_conf *p, FILE *out)
{
	char a[XLB_ADDR_STRLEN];
	__u32 i;

	if (!p->n)
		return;
	fprintf(out, "    snat:\n");
	for (i = 0; i < p->n && i < XLB_SNAT_MAX; i++)
		fprintf(out, "      - %s\n", xlb_addr_str(&p->a[i], a, sizeof(a)));
}

static void write_vip(const struct xlb_vip_conf *v, FILE *out)
{
	char name[XLB_VIP_NAME_STRLEN];
	size_t i;

	fprintf(out, "  - vip: %s\n", xlb_vip_name_str(&v->name, name, sizeof(name)));
	write_settings(v, XLB_VGROUP_FORWARD, out);
	write_snat(&v->snat, out);
	write_settings(v, XLB_VGROUP_LIMIT, out);
	write_settings(v, XLB_VGROUP_HEALTH, out);
	write_health(&v->health, out);
	fprintf(out, "    backends:%s\n", v->nbackends ? "" : " []");
	for (i = 0; i < v->nbackends; i++)
		write_backend(&v->backends[i], out);
}

int xlb_conf_write(const struct xlb_conf *c, FILE *out)
{
	struct xlb_conf s;
	size_t i;
	int ret;

	ret = xlb_conf_copy(&s, c);
	if (ret)
		return ret;
	xlb_conf_sort(&s);
	fprintf(out, "vips:%s\n", s.nvips ? "" : " []");
	for (i = 0; i < s.nvips; i++)
		write_vip(&s.vips[i], out);
	ret = (fflush(out) || ferror(out)) ? -EIO : 0;
	xlb_conf_free(&s);
	return ret;
}
