/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Internal to the configuration loader (config*.c): libyaml's document tree with the line of
 * every node, and the checks every mapping and value goes through. Each reports a problem in
 * the loader's error list at the line it is on.
 */
#ifndef XLB_CONFIG_YAML_H
#define XLB_CONFIG_YAML_H

#include <yaml.h>
#include "model.h"

#define KEYS_MAX 14 /* the most keys a mapping of the schema has */

/* The keys of one mapping of the schema; the first one is required. */
struct mapping {
	const char *what;
	const char *const *keys;
	size_t nkeys;
	const char *known; /* the keys, as messages list them */
};

struct loader {
	yaml_document_t doc;
	struct xlb_errors *errs;
};

int cfg_line(const yaml_node_t *n);
yaml_node_t *cfg_node(struct loader *ld, int id);
/*
 * Sets val[k] to the value of key k of m in mapping n, NULL when absent. Unknown and repeated
 * keys are recorded and skipped; -EINVAL (recorded) if n is not a mapping or lacks the
 * required key.
 */
int cfg_fields(struct loader *ld, yaml_node_t *n, const struct mapping *m, yaml_node_t **val);
/* The text of scalar n; NULL (recorded) for anything else, or text with a NUL byte. */
const char *cfg_scalar(struct loader *ld, const yaml_node_t *n, const char *key);
/* Records "bad KEY 'S': expected EXPECTED" at n's line; returns -EINVAL. */
int cfg_bad_value(struct loader *ld, const yaml_node_t *n, const char *key, const char *s,
	      const char *expected);
int cfg_u32(struct loader *ld, const yaml_node_t *n, const char *key, __u32 min, __u32 max,
	     __u32 *out);
int cfg_bool(struct loader *ld, const yaml_node_t *n, const char *key, bool *out);
/* The number of items of sequence n; 0 (recorded) if n is something else. */
size_t cfg_seq_len(struct loader *ld, const yaml_node_t *n, const char *key);

/*
 * A mapping whose keys come from a settings table (vip_settings.h, backend_settings.h): its
 * keys in order, with what each holds (a setting's id, or a value of the loader's own).
 */
struct cfg_schema {
	struct mapping map;
	const char *keys[KEYS_MAX];
	int setting[KEYS_MAX];
	char known[256];
};

/* Appends key, which holds what, as key *n of s (known grows with it); *n counts the keys. */
void cfg_schema_add(struct cfg_schema *s, size_t *n, const char *key, int what);
/*
 * Each key of mapping n that s knows and n has, handed to load(ld, what it holds, its value,
 * obj) in s's order. 0; -EINVAL (recorded) when n is not such a mapping or a load found obj
 * cannot be kept; -ENOMEM (at once) when a load ran out of memory.
 */
int cfg_keys(struct loader *ld, const struct cfg_schema *s, yaml_node_t *n,
	     int (*load)(struct loader *ld, int what, yaml_node_t *val, void *obj), void *obj);

/* What loads one item of a list: 0 (kept), -EINVAL (recorded, left out) or -ENOMEM. */
typedef int (*cfg_item_fn)(struct loader *ld, const struct cfg_schema *s, yaml_node_t *n,
			   void *item);
/*
 * The mappings of list n (key names it in messages) into *arr, a new array of items of size
 * sz, by schema s; *count is how many were kept. 0, or -ENOMEM (*arr then holds those kept).
 */
int cfg_list(struct loader *ld, yaml_node_t *n, const char *key, const struct cfg_schema *s,
	     cfg_item_fn load, size_t sz, void **arr, size_t *count);

/* The health mapping of a VIP into h, which holds the defaults; problems are recorded. */
void cfg_health(struct loader *ld, yaml_node_t *n, struct xlb_vip_health *h);

#endif /* XLB_CONFIG_YAML_H */
