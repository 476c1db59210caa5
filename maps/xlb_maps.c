// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Typed accessors for the balancer's maps: lookups and updates keyed by the ABI structs,
 * Maglev table swaps through a fresh inner map, and per-CPU counter sums.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xlb_maps.h"
#include "xlb_hash.h"
#include "xlb_choice.h"

static int ret_errno(int ret)
{
	return ret < 0 ? -errno : 0;
}

int xlb_vip_get(const struct xlb_maps *m, const struct xlb_vip_key *k, struct xlb_vip *v)
{
	return ret_errno(bpf_map_lookup_elem(m->vips, k, v));
}

/*
 * Writes slot i of the VIP cache as s says, in two writes that each change only what readers
 * ignore until it is whole: the contents under family 0 (no key matches it), then the family.
 * An array update copies the value in no set order, so a reader that matched the key could
 * otherwise read a VIP half written.
 */
static int vip_cache_store(const struct xlb_maps *m, __u32 i, struct xlb_vip_slot *s)
{
	__u8 family = s->key.family;
	int err;

	s->key.family = 0;
	err = ret_errno(bpf_map_update_elem(m->vip_cache, &i, s, BPF_ANY));
	s->key.family = family;
	return err ? err : ret_errno(bpf_map_update_elem(m->vip_cache, &i, s, BPF_ANY));
}

/*
 * Releases k's VIP cache slot (its index into *i, what it held into *slot) if it holds k: its
 * family is cleared, the rest rewritten as it was, so a reader that matched the key just before
 * still reads the whole old VIP, and no reader matches it while k's entry in xlb_vips changes.
 * *holds says whether it did. That reader must be done before the slot's next write, two system
 * calls later: a packet takes nanoseconds, and only one stalled in between (a preempted virtual
 * CPU) could read a mix, as it could read a backend entry being rewritten.
 */
static int vip_cache_release(const struct xlb_maps *m, const struct xlb_vip_key *k, __u32 *i,
			     struct xlb_vip_slot *slot, bool *holds)
{
	struct xlb_vip_slot off;
	int err;

	*i = xlb_vip_cache_slot(k);
	err = ret_errno(bpf_map_lookup_elem(m->vip_cache, i, slot));
	*holds = !err && xlb_vip_key_eq(&slot->key, k);
	if (err || !*holds)
		return err;
	off = *slot;
	off.key.family = 0;
	return ret_errno(bpf_map_update_elem(m->vip_cache, i, &off, BPF_ANY));
}

/*
 * The VIP cache follows xlb_vips (xlb_abi.h): a slot holding k is released before k's entry
 * changes, so no reader finds an old copy there once the hash map has the new one, and k takes
 * its slot again after (or first, when the slot is empty). A failure in between leaves the slot
 * released, and readers go to the hash map: never a stale VIP.
 */
int xlb_vip_put(const struct xlb_maps *m, const struct xlb_vip_key *k, const struct xlb_vip *v)
{
	struct xlb_vip_slot slot;
	bool holds;
	__u32 i;
	int err;

	err = vip_cache_release(m, k, &i, &slot, &holds);
	if (!err)
		err = ret_errno(bpf_map_update_elem(m->vips, k, v, BPF_ANY));
	if (err || (!holds && slot.key.family))
		return err;
	slot.key = *k;
	slot.vip = *v;
	return vip_cache_store(m, i, &slot);
}

/*
 * Gives the VIPs of xlb_vips their empty cache slots: every slot, or only slot only (then the
 * first VIP found for it). A slot holding a key is left as it is.
 */
static int vip_cache_fill(const struct xlb_maps *m, __u32 only)
{
	struct xlb_vip_key k, prev;
	struct xlb_vip_slot slot;
	bool first = true;
	int err = 0;
	__u32 i;

	while (!err && !bpf_map_get_next_key(m->vips, first ? NULL : &prev, &k)) {
		first = false;
		prev = k;
		i = xlb_vip_cache_slot(&k);
		if (only < XLB_VIP_CACHE_SLOTS && i != only)
			continue;
		err = ret_errno(bpf_map_lookup_elem(m->vip_cache, &i, &slot));
		if (err || slot.key.family)
			continue;
		slot.key = k;
		err = ret_errno(bpf_map_lookup_elem(m->vips, &k, &slot.vip));
		if (!err)
			err = vip_cache_store(m, i, &slot);
		if (!err && only < XLB_VIP_CACHE_SLOTS)
			return 0;
	}
	return err ? err : errno == ENOENT ? 0 : -errno;
}

/*
 * A deleted VIP's slot goes to another VIP of that slot, if any: one that collided with it
 * would otherwise stay in the hash map until written again. Deletes are rare; the walk is over
 * xlb_vips' keys. A failure to refill only leaves the slot empty, which readers pass by.
 */
int xlb_vip_del(const struct xlb_maps *m, const struct xlb_vip_key *k)
{
	struct xlb_vip_slot slot;
	bool holds;
	__u32 i;
	int err = vip_cache_release(m, k, &i, &slot, &holds);

	if (!err)
		err = ret_errno(bpf_map_delete_elem(m->vips, k));
	if (!err && holds)
		vip_cache_fill(m, i);
	return err;
}

/* Releases every slot whose key xlb_vips no longer has, or has with another VIP. */
static int vip_cache_drop_stale(const struct xlb_maps *m)
{
	struct xlb_vip_slot s;
	struct xlb_vip v;
	int err = 0;
	__u32 i;

	for (i = 0; !err && i < XLB_VIP_CACHE_SLOTS; i++) {
		err = ret_errno(bpf_map_lookup_elem(m->vip_cache, &i, &s));
		if (err || !s.key.family ||
		    (!bpf_map_lookup_elem(m->vips, &s.key, &v) && !memcmp(&v, &s.vip, sizeof(v))))
			continue;
		s.key.family = 0;
		err = ret_errno(bpf_map_update_elem(m->vip_cache, &i, &s, BPF_ANY));
	}
	return err;
}

int xlb_vip_cache_sync(const struct xlb_maps *m)
{
	int err = vip_cache_drop_stale(m);

	return err ? err : vip_cache_fill(m, XLB_VIP_CACHE_SLOTS);
}

int xlb_backend_get(const struct xlb_maps *m, __u32 id, struct xlb_backend *b)
{
	return ret_errno(bpf_map_lookup_elem(m->backends, &id, b));
}

int xlb_backend_put(const struct xlb_maps *m, __u32 id, const struct xlb_backend *b)
{
	return ret_errno(bpf_map_update_elem(m->backends, &id, b, BPF_ANY));
}

int xlb_table_new(const __u32 *ids, __u32 size)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_INNER_MAP);
	LIBBPF_OPTS(bpf_map_batch_opts, bopts);
	__u32 i, count = size, *keys;
	int fd, err;

	keys = malloc(size * sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	for (i = 0; i < size; i++)
		keys[i] = i;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "xlb_table", sizeof(__u32), sizeof(__u32), size,
			    &opts);
	if (fd < 0) {
		err = -errno;
		goto out_keys;
	}
	err = ret_errno(bpf_map_update_batch(fd, keys, ids, &count, &bopts));
	if (!err && count != size)
		err = -EIO;
	if (err)
		close(fd);
out_keys:
	free(keys);
	return err ? err : fd;
}

int xlb_table_put(const struct xlb_maps *m, __u32 vip_id, int fd)
{
	/* The one update packets can observe: the slot now names the complete new table. */
	return ret_errno(bpf_map_update_elem(m->tables, &vip_id, &fd, BPF_ANY));
}

int xlb_table_swap(const struct xlb_maps *m, __u32 vip_id, const __u32 *ids, __u32 size)
{
	int fd = xlb_table_new(ids, size), err;

	if (fd < 0)
		return fd;
	err = xlb_table_put(m, vip_id, fd);
	close(fd);
	return err;
}

int xlb_table_clear(const struct xlb_maps *m, __u32 vip_id)
{
	int err = ret_errno(bpf_map_delete_elem(m->tables, &vip_id));

	return err == -ENOENT ? 0 : err;
}

/* Reads entries 0..n-1 of an array map in one batch. */
static int array_read_all(int fd, void *vals, __u32 n)
{
	LIBBPF_OPTS(bpf_map_batch_opts, bopts);
	__u32 i, count = n, out_batch, *keys;
	int err;

	keys = malloc(n * sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	err = ret_errno(bpf_map_lookup_batch(fd, NULL, &out_batch, keys, vals, &count, &bopts));
	/* A batch that reaches the map's end reports -ENOENT with every entry copied. */
	if (err == -ENOENT)
		err = 0;
	if (!err && count != n)
		err = -ERANGE;
	for (i = 0; !err && i < n; i++)
		if (keys[i] != i)
			err = -EIO;
	free(keys);
	return err;
}

int xlb_table_map_id(const struct xlb_maps *m, __u32 vip_id, __u32 *map_id)
{
	return ret_errno(bpf_map_lookup_elem(m->tables, &vip_id, map_id));
}

int xlb_table_read(const struct xlb_maps *m, __u32 vip_id, __u32 *ids, __u32 size)
{
	__u32 inner_id;
	int fd, err;

	err = xlb_table_map_id(m, vip_id, &inner_id);
	if (err)
		return err;
	fd = bpf_map_get_fd_by_id(inner_id);
	if (fd < 0)
		return -errno;
	err = array_read_all(fd, ids, size);
	close(fd);
	return err;
}

int xlb_table_mark_stable(const struct xlb_maps *m, __u32 vip_id, __u32 *ids, __u32 size)
{
	__u32 *old = malloc(size * sizeof(*old)), i;
	int err;

	if (!old)
		return -ENOMEM;
	err = xlb_table_read(m, vip_id, old, size);
	for (i = 0; !err && i < size; i++)
		if (!xlb_slot_moved(old[i]) && xlb_slot_first(old[i]) == xlb_slot_first(ids[i]))
			ids[i] |= XLB_SLOT_STABLE;
	free(old);
	return err;
}

void xlb_table_mark_all(__u32 *ids, __u32 size)
{
	__u32 i;

	for (i = 0; i < size; i++)
		ids[i] |= XLB_SLOT_STABLE;
}

int xlb_backends_read_all(const struct xlb_maps *m, struct xlb_backend *out)
{
	return array_read_all(m->backends, out, XLB_MAX_BACKENDS);
}

int xlb_vip_health_get(const struct xlb_maps *m, __u32 vip_id, struct xlb_vip_health *h)
{
	return ret_errno(bpf_map_lookup_elem(m->vip_health, &vip_id, h));
}

int xlb_vip_health_put(const struct xlb_maps *m, __u32 vip_id, const struct xlb_vip_health *h)
{
	return ret_errno(bpf_map_update_elem(m->vip_health, &vip_id, h, BPF_ANY));
}

int xlb_be_health_get(const struct xlb_maps *m, __u32 id, struct xlb_backend_health *h)
{
	return ret_errno(bpf_map_lookup_elem(m->be_health, &id, h));
}

int xlb_be_health_put(const struct xlb_maps *m, __u32 id, const struct xlb_backend_health *h)
{
	return ret_errno(bpf_map_update_elem(m->be_health, &id, h, BPF_ANY));
}

/* The one entry of a single-entry array (vip_filter, runtime) read into v, or written from v. */
static int single_get(int fd, void *v)
{
	__u32 zero = 0;

	return ret_errno(bpf_map_lookup_elem(fd, &zero, v));
}

static int single_put(int fd, const void *v)
{
	__u32 zero = 0;

	return ret_errno(bpf_map_update_elem(fd, &zero, v, BPF_ANY));
}

int xlb_vip_filter_get(const struct xlb_maps *m, struct xlb_vip_filter *f)
{
	return single_get(m->vip_filter, f);
}

int xlb_vip_filter_put(const struct xlb_maps *m, const struct xlb_vip_filter *f)
{
	return single_put(m->vip_filter, f);
}

int xlb_snat_get(const struct xlb_maps *m, __u32 vip_id, struct xlb_snat *pool)
{
	return ret_errno(bpf_map_lookup_elem(m->snat, &vip_id, pool));
}

int xlb_snat_put(const struct xlb_maps *m, __u32 vip_id, const struct xlb_snat *pool)
{
	return ret_errno(bpf_map_update_elem(m->snat, &vip_id, pool, BPF_ANY));
}

int xlb_runtime_get(const struct xlb_maps *m, struct xlb_runtime *rt)
{
	return single_get(m->runtime, rt);
}

int xlb_runtime_put(const struct xlb_maps *m, const struct xlb_runtime *rt)
{
	return single_put(m->runtime, rt);
}

int xlb_runtime_set(const struct xlb_maps *m, size_t off, __u32 v)
{
	struct xlb_runtime rt;
	__u32 *field = (__u32 *)((char *)&rt + off);
	int err = xlb_runtime_get(m, &rt);

	if (err || *field == v)
		return err;
	*field = v;
	return xlb_runtime_put(m, &rt);
}

int xlb_percpu_get(int fd, __u32 key, size_t size, void **vals)
{
	int ncpu = libbpf_num_possible_cpus(), err;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	*vals = calloc(ncpu, size);
	if (!*vals)
		return -ENOMEM;
	err = ret_errno(bpf_map_lookup_elem(fd, &key, *vals));
	if (err) {
		free(*vals);
		*vals = NULL;
		return err;
	}
	return ncpu;
}

/* Sums the per-CPU copies of a value made only of __u64 counters. */
static int percpu_sum(int fd, __u32 key, __u64 *out, size_t words)
{
	__u64 *vals;
	size_t c, w;
	int ncpu = xlb_percpu_get(fd, key, words * sizeof(*out), (void **)&vals);

	memset(out, 0, words * sizeof(*out));
	if (ncpu < 0)
		return ncpu;
	for (c = 0; c < (size_t)ncpu; c++)
		for (w = 0; w < words; w++)
			out[w] += vals[c * words + w];
	free(vals);
	return 0;
}

int xlb_stats_read(int stats_fd, struct xlb_stats *out)
{
	return percpu_sum(stats_fd, 0, (__u64 *)out, sizeof(*out) / sizeof(__u64));
}

int xlb_decap_stats_read(int stats_fd, struct xlb_decap_stats *out)
{
	return percpu_sum(stats_fd, 0, (__u64 *)out, sizeof(*out) / sizeof(__u64));
}

int xlb_vip_stats_read(const struct xlb_maps *m, __u32 vip_id, struct xlb_vip_stats *out)
{
	return percpu_sum(m->vip_stats, vip_id, (__u64 *)out, sizeof(*out) / sizeof(__u64));
}

int xlb_backend_stats_read(const struct xlb_maps *m, __u32 id, struct xlb_backend_stats *out)
{
	return percpu_sum(m->be_stats, id, (__u64 *)out, sizeof(*out) / sizeof(__u64));
}

/* Zeroes every CPU's copy of a per-CPU value made of __u64 counters. */
static int percpu_zero(int fd, __u32 key, size_t words)
{
	int ncpu = libbpf_num_possible_cpus();
	__u64 *vals;
	int err;

	if (ncpu < 0)
		return ncpu;
	vals = calloc((size_t)ncpu * words, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	err = ret_errno(bpf_map_update_elem(fd, &key, vals, BPF_ANY));
	free(vals);
	return err;
}

int xlb_vip_stats_reset(const struct xlb_maps *m, __u32 vip_id)
{
	return percpu_zero(m->vip_stats, vip_id, sizeof(struct xlb_vip_stats) / sizeof(__u64));
}

int xlb_backend_stats_reset(const struct xlb_maps *m, __u32 id)
{
	return percpu_zero(m->be_stats, id, sizeof(struct xlb_backend_stats) / sizeof(__u64));
}
