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
#include <yaml.h>

#include "addr.h"
#include "config.h"
#include "health_conf.h"

/* The keys of each mapping of the schema; the first one is required. */
enum { TOP_VIPS, TOP__N };
enum { VIP_VIP, VIP_FORWARD, VIP_SCHED, VIP_GUE_PORT, VIP_ALL_DOWN, VIP_HEALTH, VIP_BACKENDS,
       VIP__N };
enum { BE_ADDRESS, BE_WEIGHT, BE_MAC, BE_DRAIN, BE__N };
enum { HC_CHECK, HC_PORT, HC_PATH, HC_HOST, HC_STATUS, HC_INTERVAL, HC_TIMEOUT, HC_RISE, HC_FALL,
       HC__N };
#define KEYS_MAX HC__N /* the most keys a mapping has */

struct mapping {
	const char *what;
	const char *const *keys;
	size_t nkeys;
	const char *known; /* the keys, as messages list them */
};

static const char *const top_keys[TOP__N] = {"vips"};
static const char *const vip_keys[VIP__N] = {"vip",	     "forward", "sched",   "gue-port",
					     "on-all-down", "health",  "backends"};
static const char *const be_keys[BE__N] = {"address", "weight", "mac", "drain"};
static const char *const hc_keys[HC__N] = {"check",    "port",	  "path", "host", "status",
					   "interval", "timeout", "rise", "fall"};

static const struct mapping top_map = {"the document", top_keys, TOP__N, "vips"};
static const struct mapping vip_map = {
	"VIP", vip_keys, VIP__N, "vip, forward, sched, gue-port, on-all-down, health, backends"};
static const struct mapping be_map = {"backend", be_keys, BE__N, "address, weight, mac, drain"};
static const struct mapping hc_map = {
	"health", hc_keys, HC__N, "check, port, path, host, status, interval, timeout, rise, fall"};

struct loader {
	yaml_document_t doc;
	struct xlb_errors *errs;
};

static int line_of(const yaml_node_t *n)
{
	return n->start_mark.line + 1;
}

static yaml_node_t *node(struct loader *ld, int id)
{
	return yaml_document_get_node(&ld->doc, id);
}

/* The index of key in m->keys, m->nkeys if it is not one (or holds a NUL byte). */
static size_t key_index(const struct mapping *m, const yaml_node_t *key)
{
	const char *s = (const char *)key->data.scalar.value;
	size_t k;

	if (strlen(s) != key->data.scalar.length)
		return m->nkeys;
	for (k = 0; k < m->nkeys; k++) {
		if (!strcmp(s, m->keys[k]))
			break;
	}
	return k;
}

/*
 * Sets val[k] to the value of key k of m in mapping n, NULL when absent. Unknown and repeated
 * keys are recorded and skipped; -EINVAL (recorded) if n is not a mapping or lacks the
 * required key.
 */
static int get_fields(struct loader *ld, yaml_node_t *n, const struct mapping *m, yaml_node_t **val)
{
	yaml_node_t *seen[KEYS_MAX] = {}, *key;
	yaml_node_pair_t *p;
	size_t k;

	memset(val, 0, m->nkeys * sizeof(*val));
	if (n->type != YAML_MAPPING_NODE) {
		xlb_errors_add(ld->errs, line_of(n), "%s must be a mapping (%s)", m->what,
			       m->known);
		return -EINVAL;
	}
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		key = node(ld, p->key);
		if (key->type != YAML_SCALAR_NODE) {
			xlb_errors_add(ld->errs, line_of(key), "%s keys must be plain text",
				       m->what);
			continue;
		}
		k = key_index(m, key);
		if (k == m->nkeys) {
			xlb_errors_add(ld->errs, line_of(key),
				       "unknown key '%s' in %s (expected %s)",
				       (const char *)key->data.scalar.value, m->what, m->known);
		} else if (seen[k]) {
			xlb_errors_add(ld->errs, line_of(key),
				       "duplicate key '%s' (first at line %d)", m->keys[k],
				       line_of(seen[k]));
		} else {
			seen[k] = key;
			val[k] = node(ld, p->value);
		}
	}
	if (val[0])
		return 0;
	xlb_errors_add(ld->errs, line_of(n), "%s lacks key '%s'", m->what, m->keys[0]);
	return -EINVAL;
}

/* The text of scalar n; NULL (recorded) for anything else, or text with a NUL byte. */
static const char *scalar(struct loader *ld, const yaml_node_t *n, const char *key)
{
	if (n->type == YAML_SCALAR_NODE &&
	    strlen((const char *)n->data.scalar.value) == n->data.scalar.length)
		return (const char *)n->data.scalar.value;
	xlb_errors_add(ld->errs, line_of(n), "bad %s: expected one plain value", key);
	return NULL;
}

static int bad_value(struct loader *ld, const yaml_node_t *n, const char *key, const char *s,
		     const char *expected)
{
	xlb_errors_add(ld->errs, line_of(n), "bad %s '%s': expected %s", key, s, expected);
	return -EINVAL;
}

static int load_u32(struct loader *ld, const yaml_node_t *n, const char *key, __u32 min, __u32 max,
		    __u32 *out)
{
	const char *s = scalar(ld, n, key);
	char range[32];

	if (!s)
		return -EINVAL;
	if (!xlb_u32_parse(s, min, max, out))
		return 0;
	snprintf(range, sizeof(range), "%u-%u", min, max);
	return bad_value(ld, n, key, s, range);
}

static int load_bool(struct loader *ld, const yaml_node_t *n, const char *key, bool *out)
{
	const char *s = scalar(ld, n, key);

	if (!s)
		return -EINVAL;
	if (strcmp(s, "true") && strcmp(s, "false"))
		return bad_value(ld, n, key, s, "true or false");
	*out = !strcmp(s, "true");
	return 0;
}

static int load_vip_name(struct loader *ld, const yaml_node_t *n, struct xlb_vip_name *name)
{
	const char *s = scalar(ld, n, "vip");

	if (s && xlb_vip_name_parse(s, name))
		return bad_value(ld, n, "vip", s,
				 "PROTO:ADDR:PORT, as tcp:198.18.0.10:80 or "
				 "udp:[2001:db8::10]:53");
	return s ? 0 : -EINVAL;
}

static int load_addr(struct loader *ld, const yaml_node_t *n, struct xlb_addr *a)
{
	const char *s = scalar(ld, n, "address");

	if (s && xlb_addr_parse(s, a))
		return bad_value(ld, n, "address", s, "an IPv4 or IPv6 address");
	return s ? 0 : -EINVAL;
}

static int load_mac(struct loader *ld, const yaml_node_t *n, __u8 mac[6])
{
	const char *s = scalar(ld, n, "mac");

	if (s && xlb_mac_parse(s, mac))
		return bad_value(ld, n, "mac", s, "six hex bytes, as 02:00:00:00:01:01");
	return s ? 0 : -EINVAL;
}

static int load_forward(struct loader *ld, const yaml_node_t *n, __u8 *forward)
{
	const char *s = scalar(ld, n, "forward");

	if (s && xlb_forward_parse(s, forward))
		return bad_value(ld, n, "forward", s, "ipip, gue or dr");
	return s ? 0 : -EINVAL;
}

static int load_sched(struct loader *ld, const yaml_node_t *n, __u8 *sched)
{
	const char *s = scalar(ld, n, "sched");

	if (s && xlb_sched_parse(s, sched))
		return bad_value(ld, n, "sched", s, "maglev or source-hash");
	return s ? 0 : -EINVAL;
}

/* The number of items of sequence n; 0 (recorded) if n is something else. */
static size_t seq_len(struct loader *ld, const yaml_node_t *n, const char *key)
{
	if (n->type == YAML_SEQUENCE_NODE)
		return n->data.sequence.items.top - n->data.sequence.items.start;
	xlb_errors_add(ld->errs, line_of(n), "bad %s: expected a list", key);
	return 0;
}

/*
 * 0, or -EINVAL (recorded) when the backend cannot be kept: no usable address or MAC. A bad
 * weight or drain is recorded too, but the default stands in so the rules can still be checked.
 */
static int load_backend(struct loader *ld, yaml_node_t *n, struct xlb_be_conf *be)
{
	yaml_node_t *val[BE__N];
	__u32 weight;
	int ret;

	memset(be, 0, sizeof(*be));
	be->line = line_of(n);
	be->weight = XLB_WEIGHT_DEFAULT;
	ret = get_fields(ld, n, &be_map, val);
	if (ret)
		return ret;
	ret = load_addr(ld, val[BE_ADDRESS], &be->addr);
	be->has_mac = val[BE_MAC] != NULL;
	if (be->has_mac && load_mac(ld, val[BE_MAC], be->mac))
		ret = -EINVAL;
	if (val[BE_WEIGHT] && !load_u32(ld, val[BE_WEIGHT], "weight", 0, XLB_WEIGHT_MAX, &weight))
		be->weight = weight;
	if (val[BE_DRAIN])
		load_bool(ld, val[BE_DRAIN], "drain", &be->drain);
	return ret;
}

/* 0 or -ENOMEM; the backends that cannot be kept are left out. */
static int load_backends(struct loader *ld, yaml_node_t *n, struct xlb_vip_conf *v)
{
	size_t len = seq_len(ld, n, "backends");
	yaml_node_item_t *it;

	if (!len)
		return 0;
	v->backends = calloc(len, sizeof(*v->backends));
	if (!v->backends)
		return -ENOMEM;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		if (!load_backend(ld, node(ld, *it), &v->backends[v->nbackends]))
			v->nbackends++;
	}
	return 0;
}

static void load_text(struct loader *ld, const yaml_node_t *n, const char *key, char *out,
		      size_t len)
{
	const char *s = scalar(ld, n, key);

	if (s && strlen(s) >= len)
		bad_value(ld, n, key, s, "a shorter text");
	else if (s)
		strcpy(out, s);
}

static void load_duration(struct loader *ld, const yaml_node_t *n, const char *key, __u32 *ms)
{
	const char *s = scalar(ld, n, key);

	if (s && xlb_duration_parse(s, XLB_TIMEOUT_MIN_MS, XLB_INTERVAL_MAX_MS, ms))
		bad_value(ld, n, key, s, "a duration such as 5s or 500ms");
}

static void load_small(struct loader *ld, const yaml_node_t *n, const char *key, __u8 *out)
{
	__u32 v;

	if (!load_u32(ld, n, key, 1, XLB_RISE_FALL_MAX, &v))
		*out = v;
}

/* The health mapping into h (which holds the defaults); problems are recorded. */
static void load_health(struct loader *ld, yaml_node_t *n, struct xlb_vip_health *h)
{
	yaml_node_t *val[HC__N];
	const char *s;
	__u32 port;

	if (get_fields(ld, n, &hc_map, val))
		return;
	s = scalar(ld, val[HC_CHECK], "check");
	if (s && xlb_check_parse(s, &h->check))
		bad_value(ld, val[HC_CHECK], "check", s, "none, tcp or http");
	if (val[HC_PORT] && !load_u32(ld, val[HC_PORT], "port", 1, UINT16_MAX, &port))
		h->port = port;
	if (val[HC_PATH])
		load_text(ld, val[HC_PATH], "path", h->path, sizeof(h->path));
	if (val[HC_HOST])
		load_text(ld, val[HC_HOST], "host", h->host, sizeof(h->host));
	s = val[HC_STATUS] ? scalar(ld, val[HC_STATUS], "status") : NULL;
	if (s && xlb_status_range_parse(s, &h->status_min, &h->status_max))
		bad_value(ld, val[HC_STATUS], "status", s, "a range such as 200-399");
	if (val[HC_INTERVAL])
		load_duration(ld, val[HC_INTERVAL], "interval", &h->interval_ms);
	if (val[HC_TIMEOUT])
		load_duration(ld, val[HC_TIMEOUT], "timeout", &h->timeout_ms);
	if (val[HC_RISE])
		load_small(ld, val[HC_RISE], "rise", &h->rise);
	if (val[HC_FALL])
		load_small(ld, val[HC_FALL], "fall", &h->fall);
}

static void load_all_down(struct loader *ld, const yaml_node_t *n, __u8 *all_down)
{
	const char *s = scalar(ld, n, "on-all-down");

	if (s && xlb_all_down_parse(s, all_down))
		bad_value(ld, n, "on-all-down", s, "drop or all");
}

/* As load_backend(), plus -ENOMEM; v->backends is the caller's to free in every case. */
static int load_vip(struct loader *ld, yaml_node_t *n, struct xlb_vip_conf *v)
{
	yaml_node_t *val[VIP__N];
	__u32 port;
	int ret;

	memset(v, 0, sizeof(*v));
	v->forward = XLB_FWD_IPIP;
	v->sched = XLB_SCHED_MAGLEV;
	v->gue_port = XLB_GUE_PORT_DEFAULT;
	xlb_health_defaults(&v->health);
	v->line = line_of(n);
	v->id = -1;
	ret = get_fields(ld, n, &vip_map, val);
	if (ret)
		return ret;
	ret = load_vip_name(ld, val[VIP_VIP], &v->name);
	if (val[VIP_FORWARD])
		load_forward(ld, val[VIP_FORWARD], &v->forward);
	if (val[VIP_SCHED])
		load_sched(ld, val[VIP_SCHED], &v->sched);
	if (val[VIP_GUE_PORT] && !load_u32(ld, val[VIP_GUE_PORT], "gue-port", 1, UINT16_MAX, &port))
		v->gue_port = port;
	if (val[VIP_ALL_DOWN])
		load_all_down(ld, val[VIP_ALL_DOWN], &v->health.all_down);
	if (val[VIP_HEALTH])
		load_health(ld, val[VIP_HEALTH], &v->health);
	if (val[VIP_BACKENDS] && load_backends(ld, val[VIP_BACKENDS], v))
		return -ENOMEM;
	return ret;
}

/* 0 or -ENOMEM; the VIPs that cannot be kept are left out. */
static int load_vips(struct loader *ld, yaml_node_t *n, struct xlb_conf *c)
{
	size_t len = seq_len(ld, n, "vips");
	struct xlb_vip_conf *v;
	yaml_node_item_t *it;
	int ret;

	if (!len)
		return 0;
	c->vips = calloc(len, sizeof(*c->vips));
	if (!c->vips)
		return -ENOMEM;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		v = &c->vips[c->nvips];
		ret = load_vip(ld, node(ld, *it), v);
		if (!ret) {
			c->nvips++;
			continue;
		}
		free(v->backends);
		if (ret == -ENOMEM)
			return ret;
	}
	return 0;
}

static int load_root(struct loader *ld, struct xlb_conf *c)
{
	yaml_node_t *root = yaml_document_get_root_node(&ld->doc), *val[TOP__N];

	if (!root) {
		xlb_errors_add(ld->errs, 0, "empty: expected a mapping with key 'vips'");
		return 0;
	}
	if (get_fields(ld, root, &top_map, val))
		return 0;
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
		xlb_errors_add(errs, line_of(root), "a second document: expected only one");
	yaml_document_delete(&doc);
	return 0;
}

int xlb_conf_load(const char *path, struct xlb_conf *c, struct xlb_errors *errs)
{
	struct loader ld = {.errs = errs};
	size_t before = errs->n;
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
	if (!yaml_parser_load(&parser, &ld.doc)) {
		ret = syntax_error(&parser, errs);
		goto delete_parser;
	}
	ret = load_root(&ld, c);
	if (!ret)
		ret = load_rest(&parser, errs);
	/* Even after errors, so that one run reports them all. */
	if (!ret)
		ret = xlb_conf_validate(c, errs);
	if (!ret && errs->n > before)
		ret = -EINVAL;
	yaml_document_delete(&ld.doc);
delete_parser:
	yaml_parser_delete(&parser);
close_file:
	if (f != stdin)
		fclose(f);
	if (ret)
		xlb_conf_free(c);
	return ret;
}
