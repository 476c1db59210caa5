// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Map migration for xlb upgrade (migrate.h): one copier per kind of map, each reading the old
 * map entry by entry and writing the new one, with xlb_value_copy()'s rule for every value.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "migrate.h"

int xlb_value_copy(void *dst, size_t dsz, const void *src, size_t ssz)
{
	const unsigned char *cut = (const unsigned char *)src + dsz;
	size_t i;

	for (i = dsz; i < ssz; i++)
		if (cut[i - dsz])
			return -ERANGE;
	memcpy(dst, src, ssz < dsz ? ssz : dsz);
	if (dsz > ssz)
		memset((char *)dst + ssz, 0, dsz - ssz);
	return 0;
}

static bool all_zero(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* Copies one array element (n copies of it for per-CPU arrays, each 8-byte aligned). */
static int element_copy(const struct bpf_map_info *f, const struct bpf_map_info *t, int ncpu,
			void *dst, const void *src)
{
	size_t fs = (f->value_size + 7) & ~7u, ts = (t->value_size + 7) & ~7u;
	int i, err;

	for (i = 0; i < ncpu; i++) {
		err = xlb_value_copy((char *)dst + i * ts, t->value_size, (char *)src + i * fs,
				     f->value_size);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Bytes of one element of an array as syscalls carry it: the value, or for a per-CPU array one
 * 8-byte aligned value per possible CPU.
 */
static size_t element_size(const struct bpf_map_info *m, int ncpu)
{
	if (m->type != BPF_MAP_TYPE_PERCPU_ARRAY)
		return m->value_size;
	return ((m->value_size + 7) & ~(size_t)7) * ncpu;
}

/* Index i of an array, its value (values) read in src: written to to unless zero. */
static int array_put(int to, const struct bpf_map_info *f, const struct bpf_map_info *t, int ncpu,
		     __u32 i, const unsigned char *src, unsigned char *dst)
{
	int err;

	if (all_zero(src, element_size(f, ncpu)))
		return 0; /* the new array starts zeroed */
	if (i >= t->max_entries)
		return -ERANGE;
	err = element_copy(f, t, ncpu, dst, src);
	return err ? err : bpf_map_update_elem(to, &i, dst, BPF_ANY) ? -errno : 0;
}

/*
 * Indexes read per syscall: a 16K-entry array in 64 reads, so the counters the data plane
 * goes on writing into the old map until the swap miss milliseconds, not tens of them.
 */
#define ARRAY_CHUNK 256

/* Arrays and per-CPU arrays, in batches; an index past to's size must hold zeros. */
static int array_migrate(int from, int to, const struct bpf_map_info *f,
			 const struct bpf_map_info *t, int ncpu)
{
	size_t fs = element_size(f, ncpu);
	unsigned char *src = calloc(ARRAY_CHUNK, fs), *dst = calloc(1, element_size(t, ncpu));
	int err = src && dst ? 0 : -ENOMEM;
	__u32 keys[ARRAY_CHUNK], batch = 0, n, j;
	bool first = true, more = true;

	while (!err && more) {
		n = ARRAY_CHUNK;
		if (bpf_map_lookup_batch(from, first ? NULL : &batch, &batch, keys, src, &n, NULL)) {
			if (errno != ENOENT) {
				err = -errno;
				break;
			}
			more = false; /* ENOENT: these were the last */
		}
		first = false;
		for (j = 0; !err && j < n; j++)
			err = array_put(to, f, t, ncpu, keys[j], src + j * fs, dst);
	}
	free(src);
	free(dst);
	return err;
}

/* Hashes: key by key, as many as to holds. */
static int hash_migrate(int from, int to, const struct bpf_map_info *f,
			const struct bpf_map_info *t)
{
	unsigned char *key = calloc(1, f->key_size), *src = calloc(1, f->value_size);
	unsigned char *dst = calloc(1, t->value_size);
	int err = key && src && dst ? 0 : -ENOMEM;
	void *prev = NULL;
	__u32 n = 0;

	if (!err && f->key_size != t->key_size)
		err = -EPROTO;
	while (!err && !bpf_map_get_next_key(from, prev, key)) {
		prev = key;
		if (bpf_map_lookup_elem(from, key, src))
			continue; /* gone meanwhile (an LRU eviction) */
		err = ++n > t->max_entries ? -ERANGE : 0;
		if (!err)
			err = xlb_value_copy(dst, t->value_size, src, f->value_size);
		if (!err && bpf_map_update_elem(to, key, dst, BPF_NOEXIST))
			err = -errno;
	}
	free(key);
	free(src);
	free(dst);
	return err;
}

/* Maps of maps: the same inner maps in the same slots. */
static int outer_migrate(int from, int to, const struct bpf_map_info *f,
			 const struct bpf_map_info *t)
{
	__u32 i, id;
	int fd, err = 0;

	for (i = 0; !err && i < f->max_entries; i++) {
		if (bpf_map_lookup_elem(from, &i, &id))
			continue; /* an empty slot */
		if (i >= t->max_entries)
			return -ERANGE;
		fd = bpf_map_get_fd_by_id(id);
		if (fd < 0)
			return -errno;
		err = bpf_map_update_elem(to, &i, &fd, BPF_ANY) ? -errno : 0;
		close(fd);
	}
	return err;
}

int xlb_map_migrate(int from, int to)
{
	struct bpf_map_info f = {}, t = {};
	__u32 len = sizeof(f);
	int ncpu;

	if (bpf_obj_get_info_by_fd(from, &f, &len))
		return -errno;
	len = sizeof(t);
	if (bpf_obj_get_info_by_fd(to, &t, &len))
		return -errno;
	if (f.type != t.type)
		return -EPROTO;
	switch (f.type) {
	case BPF_MAP_TYPE_ARRAY:
		return array_migrate(from, to, &f, &t, 1);
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		ncpu = libbpf_num_possible_cpus();
		return ncpu < 0 ? ncpu : array_migrate(from, to, &f, &t, ncpu);
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
		return hash_migrate(from, to, &f, &t);
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
		return outer_migrate(from, to, &f, &t);
	default:
		return -EOPNOTSUPP;
	}
}
