// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The generic half of the configuration loader: keys of a mapping (unknown, repeated,
 * missing), scalars, bounded numbers, booleans and lists, each problem recorded at its line,
 * and the walks over a settings table's keys and over a list of mappings.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "config_yaml.h"

int cfg_line(const yaml_node_t *n)
{
	return n->start_mark.line + 1;
}

yaml_node_t *cfg_node(struct loader *ld, int id)
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
int cfg_fields(struct loader *ld, yaml_node_t *n, const struct mapping *m, yaml_node_t **val)
{
	yaml_node_t *seen[KEYS_MAX] = {}, *key;
	yaml_node_pair_t *p;
	size_t k;

	memset(val, 0, m->nkeys * sizeof(*val));
	if (n->type != YAML_MAPPING_NODE) {
		xlb_errors_add(ld->errs, cfg_line(n), "%s must be a mapping (%s)", m->what,
			       m->known);
		return -EINVAL;
	}
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		key = cfg_node(ld, p->key);
		if (key->type != YAML_SCALAR_NODE) {
			xlb_errors_add(ld->errs, cfg_line(key), "%s keys must be plain text",
				       m->what);
			continue;
		}
		k = key_index(m, key);
		if (k == m->nkeys) {
			xlb_errors_add(ld->errs, cfg_line(key),
				       "unknown key '%s' in %s (expected %s)",
				       (const char *)key->data.scalar.value, m->what, m->known);
		} else if (seen[k]) {
			xlb_errors_add(ld->errs, cfg_line(key),
				       "duplicate key '%s' (first at line %d)", m->keys[k],
				       cfg_line(seen[k]));
		} else {
			seen[k] = key;
			val[k] = cfg_node(ld, p->value);
		}
	}
	if (val[0])
		return 0;
	xlb_errors_add(ld->errs, cfg_line(n), "%s lacks key '%s'", m->what, m->keys[0]);
	return -EINVAL;
}

/* The text of scalar n; NULL (recorded) for anything else, or text with a NUL byte. */
const char *cfg_scalar(struct loader *ld, const yaml_node_t *n, const char *key)
{
	if (n->type == YAML_SCALAR_NODE &&
	    strlen((const char *)n->data.scalar.value) == n->data.scalar.length)
		return (const char *)n->data.scalar.value;
	xlb_errors_add(ld->errs, cfg_line(n), "bad %s: expected one plain value", key);
	return NULL;
}

int cfg_bad_value(struct loader *ld, const yaml_node_t *n, const char *key, const char *s,
		     const char *expected)
{
	xlb_errors_add(ld->errs, cfg_line(n), "bad %s '%s': expected %s", key, s, expected);
	return -EINVAL;
}

int cfg_u32(struct loader *ld, const yaml_node_t *n, const char *key, __u32 min, __u32 max,
		    __u32 *out)
{
	const char *s = cfg_scalar(ld, n, key);
	char range[32];

	if (!s)
		return -EINVAL;
	if (!xlb_u32_parse(s, min, max, out))
		return 0;
	snprintf(range, sizeof(range), "%u-%u", min, max);
	return cfg_bad_value(ld, n, key, s, range);
}

int cfg_bool(struct loader *ld, const yaml_node_t *n, const char *key, bool *out)
{
	const char *s = cfg_scalar(ld, n, key);

	if (!s)
		return -EINVAL;
	if (strcmp(s, "true") && strcmp(s, "false"))
		return cfg_bad_value(ld, n, key, s, "true or false");
	*out = !strcmp(s, "true");
	return 0;
}

/* The number of items of sequence n; 0 (recorded) if n is something else. */
size_t cfg_seq_len(struct loader *ld, const yaml_node_t *n, const char *key)
{
	if (n->type == YAML_SEQUENCE_NODE)
		return n->data.sequence.items.top - n->data.sequence.items.start;
	xlb_errors_add(ld->errs, cfg_line(n), "bad %s: expected a list", key);
	return 0;
}


void cfg_schema_add(struct cfg_schema *s, size_t *n, const char *key, int what)
{
	size_t len = *n ? strlen(s->known) : 0; /* the first key starts the list afresh */

	snprintf(s->known + len, sizeof(s->known) - len, "%s%s", *n ? ", " : "", key);
	s->keys[*n] = key;
	s->setting[(*n)++] = what;
}

int cfg_keys(struct loader *ld, const struct cfg_schema *s, yaml_node_t *n,
	     int (*load)(struct loader *ld, int what, yaml_node_t *val, void *obj), void *obj)
{
	yaml_node_t *val[KEYS_MAX];
	int ret, err;
	size_t i;

	ret = cfg_fields(ld, n, &s->map, val);
	if (ret)
		return ret;
	for (i = 0; i < s->map.nkeys; i++) {
		err = val[i] ? load(ld, s->setting[i], val[i], obj) : 0;
		if (err == -ENOMEM)
			return err;
		ret = ret ?: err;
	}
	return ret;
}

int cfg_list(struct loader *ld, yaml_node_t *n, const char *key, const struct cfg_schema *s,
	     cfg_item_fn load, size_t sz, void **arr, size_t *count)
{
	size_t len = cfg_seq_len(ld, n, key);
	yaml_node_item_t *it;
	char *a;
	int ret;

	if (!len)
		return 0;
	a = calloc(len, sz);
	if (!a)
		return -ENOMEM;
	*arr = a;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		ret = load(ld, s, cfg_node(ld, *it), a + *count * sz);
		if (ret == -ENOMEM)
			return ret;
		*count += !ret;
	}
	return 0;
}
