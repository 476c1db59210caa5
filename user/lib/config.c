// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The YAML configuration file. Loading walks libyaml's document tree, whose every node knows
 * its line, so that each problem is reported where it is and all of them at once: unknown and
 * repeated keys, malformed values, then the model's rules (xlb_conf_validate()). Writing prints
 * the canonical form directly.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "config.h"
#include "config_yaml.h"
#include "health_conf.h"
#include "route_nl.h"
#include "snat_conf.h"
#include "backend_settings.h"
#include "vip_settings.h"

/* The keys of each mapping of the schema; the first one is required. */
enum { TOP_VIPS, TOP_ROUTE_TABLE, TOP__N };

static const char *const top_keys[TOP__N] = {"vips", "route-table"};

static const struct mapping top_map = {"the document", top_keys, TOP__N, "vips, route-table"};

/*
 * A VIP's keys: vip, the settings of the table (vip_settings.h), full NAT's pool and the two
 * mappings, listed in the order the schema grew: forwarding settings, snat, health settings,
 * health, backends, limits.
 */
enum { VIP_VIP = XLB_VSET__MAX, VIP_SNAT, VIP_HEALTH, VIP_BACKENDS, VIP__N };
_Static_assert(VIP__N <= KEYS_MAX, "KEYS_MAX holds a VIP's keys");

/* A backend's keys: address, then the settings of its table (backend_settings.h). */
enum { BE_ADDRESS = XLB_BSET__MAX, BE__N };
_Static_assert(BE__N <= KEYS_MAX, "KEYS_MAX holds a backend's keys");

static void schema_add_group(struct cfg_schema *vs, size_t *n, enum xlb_vset_group g)
{
	int i;

	for (i = 0; i < XLB_VSET__MAX; i++)
		if (xlb_vsets[i].group == g)
			cfg_schema_add(vs, n, xlb_vsets[i].key, i);
}

static void vip_schema_init(struct cfg_schema *vs)
{
	size_t n = 0;

	cfg_schema_add(vs, &n, "vip", VIP_VIP);
	schema_add_group(vs, &n, XLB_VGROUP_FORWARD);
	cfg_schema_add(vs, &n, "snat", VIP_SNAT);
	schema_add_group(vs, &n, XLB_VGROUP_HEALTH);
	cfg_schema_add(vs, &n, "health", VIP_HEALTH);
	cfg_schema_add(vs, &n, "backends", VIP_BACKENDS);
	schema_add_group(vs, &n, XLB_VGROUP_LIMIT);
	vs->map = (struct mapping){"VIP", vs->keys, n, vs->known};
}

/* address, then each setting that is not written in the address. */
static void be_schema_init(struct cfg_schema *bs)
{
	size_t n = 0;
	int i;

	cfg_schema_add(bs, &n, "address", BE_ADDRESS);
	for (i = 0; i < XLB_BSET__MAX; i++)
		if (!xlb_bsets[i].in_address)
			cfg_schema_add(bs, &n, xlb_bsets[i].key, i);
	bs->map = (struct mapping){"backend", bs->keys, n, bs->known};
}

static int load_vip_name(struct loader *ld, const yaml_node_t *n, struct xlb_vip_name *name)
{
	const char *s = cfg_scalar(ld, n, "vip");

	if (s && xlb_vip_name_parse(s, name))
		return cfg_bad_value(ld, n, "vip", s,
				 "PROTO:ADDR:PORT, as tcp:198.18.0.10:80 or "
				 "udp:[2001:db8::10]:53");
	return s ? 0 : -EINVAL;
}

static int load_addr(struct loader *ld, const yaml_node_t *n, struct xlb_addr *a, __u16 *port)
{
	const char *s = cfg_scalar(ld, n, "address");

	if (s && xlb_be_addr_parse(s, a, port))
		return cfg_bad_value(ld, n, "address", s,
				     "an IPv4 or IPv6 address, or ADDR:PORT for nat");
	return s ? 0 : -EINVAL;
}

/* Full NAT's pool: a list of 1 to XLB_SNAT_MAX addresses. 0, or -EINVAL (recorded). */
static int load_snat(struct loader *ld, yaml_node_t *n, struct xlb_snat_conf *p)
{
	yaml_node_item_t *it;
	size_t len;
	const char *s;
	char max[48];
	int err;

	snprintf(max, sizeof(max), "a list of 1 to %d addresses", XLB_SNAT_MAX);
	if (n->type == YAML_SCALAR_NODE)
		return cfg_bad_value(ld, n, "snat", (const char *)n->data.scalar.value, max);
	len = cfg_seq_len(ld, n, "snat"); /* records a mapping */
	if (n->type != YAML_SEQUENCE_NODE)
		return -EINVAL;
	if (!len)
		return cfg_bad_value(ld, n, "snat", "[]", max);
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		s = cfg_scalar(ld, cfg_node(ld, *it), "snat");
		if (!s)
			return -EINVAL;
		err = xlb_snat_add(p, s);
		if (err)
			return cfg_bad_value(ld, cfg_node(ld, *it), "snat", s,
					     err == -ERANGE ? max : "an IPv4 or IPv6 address");
	}
	return 0;
}

/* One setting of the table into s; a bad value is recorded and the default stands. */
static void load_setting(struct loader *ld, const yaml_node_t *n, enum xlb_vset id,
			 struct xlb_vip_settings *set)
{
	const struct xlb_vset_def *d = &xlb_vsets[id];
	const char *s;
	__u32 v;

	if (d->kind == XLB_VKIND_NUMBER) {
		if (!cfg_u32(ld, n, d->key, d->min, d->max, &v))
			xlb_vset_put(set, id, v);
		return;
	}
	s = cfg_scalar(ld, n, d->key);
	if (s && xlb_vset_parse(id, s, &v))
		cfg_bad_value(ld, n, d->key, s, d->expected);
	else if (s)
		xlb_vset_put(set, id, v);
}

/*
 * One setting of a backend's table into s. A bad value is recorded and the default stands;
 * -EINVAL for a MAC, whose default (none) the rules would report a second time.
 */
static int load_be_setting(struct loader *ld, const yaml_node_t *n, enum xlb_bset id,
			   struct xlb_be_settings *set)
{
	const struct xlb_bset_def *d = &xlb_bsets[id];
	const char *s = cfg_scalar(ld, n, d->key);
	char range[32];

	if (!s)
		return d->kind == XLB_BKIND_MAC ? -EINVAL : 0;
	if (!xlb_bset_parse(id, s, set))
		return 0;
	snprintf(range, sizeof(range), "%u-%u", d->min, d->max);
	cfg_bad_value(ld, n, d->key, s, d->expected ?: range);
	return d->kind == XLB_BKIND_MAC ? -EINVAL : 0;
}

/* One key of a backend into be (cfg_keys()). */
static int load_be_key(struct loader *ld, int what, yaml_node_t *val, void *be)
{
	struct xlb_be_conf *b = be;

	if (what == BE_ADDRESS)
		return load_addr(ld, val, &b->addr, &b->port);
	return load_be_setting(ld, val, what, &b->bset);
}

/* 0, or -EINVAL (recorded) when the backend cannot be kept: no usable address or MAC. */
static int load_backend(struct loader *ld, const struct cfg_schema *bs, yaml_node_t *n, void *item)
{
	struct xlb_be_conf *be = item;

	memset(be, 0, sizeof(*be));
	xlb_be_settings_defaults(&be->bset);
	be->line = cfg_line(n);
	return cfg_keys(ld, bs, n, load_be_key, be);
}

/* 0 or -ENOMEM; the backends that cannot be kept are left out. */
static int load_backends(struct loader *ld, yaml_node_t *n, struct xlb_vip_conf *v)
{
	void *arr = NULL;
	struct cfg_schema bs;
	int ret;

	be_schema_init(&bs);
	ret = cfg_list(ld, n, "backends", &bs, load_backend, sizeof(*v->backends), &arr,
			&v->nbackends);
	v->backends = arr;
	return ret;
}

/* One key of a VIP into v (cfg_keys()). */
static int load_vip_key(struct loader *ld, int what, yaml_node_t *val, void *vip)
{
	struct xlb_vip_conf *v = vip;

	switch (what) {
	case VIP_VIP:
		return load_vip_name(ld, val, &v->name);
	case VIP_SNAT:
		return load_snat(ld, val, &v->snat);
	case VIP_HEALTH:
		cfg_health(ld, val, &v->health);
		return 0;
	case VIP_BACKENDS:
		return load_backends(ld, val, v);
	}
	load_setting(ld, val, what, &v->set);
	return 0;
}

/* As load_backend(), plus -ENOMEM; a VIP left out takes its backends with it. */
static int load_vip(struct loader *ld, const struct cfg_schema *vs, yaml_node_t *n, void *item)
{
	struct xlb_vip_conf *v = item;
	int ret;

	memset(v, 0, sizeof(*v));
	xlb_vip_settings_defaults(&v->set);
	v->line = cfg_line(n);
	v->id = -1;
	ret = cfg_keys(ld, vs, n, load_vip_key, v);
	if (ret) {
		free(v->backends);
		v->backends = NULL;
	}
	return ret;
}

/* 0 or -ENOMEM; the VIPs that cannot be kept are left out. */
static int load_vips(struct loader *ld, yaml_node_t *n, struct xlb_conf *c)
{
	void *arr = NULL;
	struct cfg_schema vs;
	int ret;

	vip_schema_init(&vs);
	ret = cfg_list(ld, n, "vips", &vs, load_vip, sizeof(*c->vips), &arr, &c->nvips);
	c->vips = arr;
	return ret;
}

/* 0 (publish nowhere) or a table that is not one of the kernel's own. */
static void load_route_table(struct loader *ld, const yaml_node_t *n, struct xlb_conf *c)
{
	char s[16];

	if (cfg_u32(ld, n, "route-table", 0, XLB_ROUTE_TABLE_MAX, &c->route_table))
		return;
	if (c->route_table && !xlb_route_table_ok(c->route_table)) {
		snprintf(s, sizeof(s), "%u", c->route_table);
		cfg_bad_value(ld, n, "route-table", s, "0 (none) or a table but 253-255 (the kernel's)");
		return;
	}
	c->has_route_table = true;
}

static int load_root(struct loader *ld, struct xlb_conf *c)
{
	yaml_node_t *root = yaml_document_get_root_node(&ld->doc), *val[TOP__N];

	if (!root) {
		xlb_errors_add(ld->errs, 0, "empty: expected a mapping with key 'vips'");
		return 0;
	}
	if (cfg_fields(ld, root, &top_map, val))
		return 0;
	if (val[TOP_ROUTE_TABLE])
		load_route_table(ld, val[TOP_ROUTE_TABLE], c);
	return load_vips(ld, val[TOP_VIPS], c);
}

/* Records why libyaml stopped; -EINVAL, or -ENOMEM. */
static int syntax_error(const yaml_parser_t *p, struct xlb_errors *errs)
{
	if (p->error == YAML_MEMORY_ERROR)
		return -ENOMEM;
	if (p->error == YAML_READER_ERROR)
		xlb_errors_add(errs, 0, "unreadable at byte %zu: %s", p->problem_offset,
			       p->problem);
	else if (p->context)
		xlb_errors_add(errs, p->problem_mark.line + 1, "syntax error: %s (%s at line %zu)",
			       p->problem, p->context, p->context_mark.line + 1);
	else
		xlb_errors_add(errs, p->problem_mark.line + 1, "syntax error: %s", p->problem);
	return -EINVAL;
}

/* What follows the first document: nothing, or a recorded error. 0, -EINVAL or -ENOMEM. */
static int load_rest(yaml_parser_t *p, struct xlb_errors *errs)
{
	yaml_document_t doc;
	yaml_node_t *root;

	if (!yaml_parser_load(p, &doc))
		return syntax_error(p, errs);
	root = yaml_document_get_root_node(&doc);
	if (root)
		xlb_errors_add(errs, cfg_line(root), "a second document: expected only one");
	yaml_document_delete(&doc);
	return 0;
}

/* The rest of a load, from a parser set on its input; as xlb_conf_load(), c not freed. */
static int load_parsed(yaml_parser_t *parser, struct xlb_conf *c, struct xlb_errors *errs)
{
	struct loader ld = {.errs = errs};
	size_t before = errs->n;
	int ret;

	if (!yaml_parser_load(parser, &ld.doc))
		return syntax_error(parser, errs);
	ret = load_root(&ld, c);
	if (!ret)
		ret = load_rest(parser, errs);
	/* Even after errors, so that one run reports them all. */
	if (!ret)
		ret = xlb_conf_validate(c, errs);
	if (!ret && errs->n > before)
		ret = -EINVAL;
	yaml_document_delete(&ld.doc);
	return ret;
}

int xlb_conf_load(const char *path, struct xlb_conf *c, struct xlb_errors *errs)
{
	yaml_parser_t parser;
	FILE *f;
	int ret;

	memset(c, 0, sizeof(*c));
	errs->file = strcmp(path, "-") ? path : "<stdin>";
	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		ret = -errno;
		xlb_errors_add(errs, 0, "Couldn't open config file: %s", strerror(-ret));
		return ret;
	}
	if (!yaml_parser_initialize(&parser)) {
		ret = -ENOMEM;
		goto close_file;
	}
	yaml_parser_set_input_file(&parser, f);
	ret = load_parsed(&parser, c, errs);
	yaml_parser_delete(&parser);
close_file:
	if (f != stdin)
		fclose(f);
	if (ret)
		xlb_conf_free(c);
	return ret;
}

int xlb_conf_load_buf(const char *name, const void *buf, size_t len, struct xlb_conf *c,
		      struct xlb_errors *errs)
{
	yaml_parser_t parser;
	int ret;

	memset(c, 0, sizeof(*c));
	errs->file = name;
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, buf, len);
	ret = load_parsed(&parser, c, errs);
	yaml_parser_delete(&parser);
	if (ret)
		xlb_conf_free(c);
	return ret;
}
