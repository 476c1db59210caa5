// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Map migration for xlb upgrade (user/lib/migrate.c) on real maps: an array whose value grew,
 * per CPU; a hash into a larger value and into too few entries; an array cut where an entry
 * is; a changed key or type. What is copied is read back whole.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "cases.h"
#include "migrate.h"

static int mk(enum bpf_map_type t, __u32 key, __u32 value, __u32 n)
{
	return bpf_map_create(t, NULL, key, value, n, NULL);
}

static void expect_rc(const char *name, int got, int want)
{
	char why[64] = "";

	if (got != want)
		snprintf(why, sizeof(why), "migrate returned %d, expected %d", got, want);
	report(name, why);
}

/* A per-CPU array of 8-byte values into one of 16: each CPU's value kept, the rest zero. */
static void percpu_grows(void)
{
	int ncpu = libbpf_num_possible_cpus(), from, to, i, err;
	__u64 v[2 * 256] = { 0 }, back[2 * 256];
	__u32 k = 1;

	from = mk(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 2);
	to = mk(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 16, 2);
	for (i = 0; i < ncpu && i < 256; i++)
		v[i] = 1000 + i;
	err = bpf_map_update_elem(from, &k, v, BPF_ANY) ? -errno : xlb_map_migrate(from, to);
	if (!err && bpf_map_lookup_elem(to, &k, back))
		err = -errno;
	for (i = 0; !err && i < ncpu && i < 256; i++)
		if (back[2 * i] != 1000u + i || back[2 * i + 1])
			err = -EBADMSG;
	expect_rc("migrate: a per-CPU value that grew keeps every CPU's count", err, 0);
	close(from);
	close(to);
}

/* Five keys into a hash of 8-byte values: all there, zero-extended; into four entries: no. */
static void hash_moves(void)
{
	int from = mk(BPF_MAP_TYPE_HASH, 8, 4, 16), to = mk(BPF_MAP_TYPE_HASH, 8, 8, 8);
	int small = mk(BPF_MAP_TYPE_HASH, 8, 8, 4), other = mk(BPF_MAP_TYPE_HASH, 4, 8, 8);
	int array = mk(BPF_MAP_TYPE_ARRAY, 4, 8, 8);
	__u64 key, back;
	__u32 val;
	int err = 0;

	for (key = 1; key <= 5 && !err; key++) {
		val = 0xa0 + key;
		err = bpf_map_update_elem(from, &key, &val, BPF_ANY) ? -errno : 0;
	}
	if (!err)
		err = xlb_map_migrate(from, to);
	for (key = 1; key <= 5 && !err; key++)
		if (bpf_map_lookup_elem(to, &key, &back) || back != 0xa0 + key)
			err = -EBADMSG;
	expect_rc("migrate: a hash's keys all move, values zero-extended", err, 0);
	expect_rc("migrate: a hash into fewer entries than it holds is refused",
		  xlb_map_migrate(from, small), -ERANGE);
	expect_rc("migrate: a hash whose key changed is refused", xlb_map_migrate(from, other),
		  -EPROTO);
	expect_rc("migrate: another type of map is refused", xlb_map_migrate(from, array), -EPROTO);
	close(array);
	close(from);
	close(to);
	close(small);
	close(other);
}

/* An array cut below an index that holds something, or a value cut where it is not zero. */
static void array_cuts(void)
{
	int from = mk(BPF_MAP_TYPE_ARRAY, 4, 12, 8), to = mk(BPF_MAP_TYPE_ARRAY, 4, 8, 4);
	__u32 k = 2, v[3] = { 7, 8, 0 };
	int err;

	err = bpf_map_update_elem(from, &k, v, BPF_ANY) ? -errno : xlb_map_migrate(from, to);
	expect_rc("migrate: an array cut where only zeros are", err, 0);
	k = 6;
	bpf_map_update_elem(from, &k, v, BPF_ANY);
	expect_rc("migrate: an array cut below an entry is refused", xlb_map_migrate(from, to),
		  -ERANGE);
	k = 6;
	v[0] = 0;
	v[1] = 0;
	bpf_map_update_elem(from, &k, v, BPF_ANY);
	k = 3;
	v[2] = 9;
	bpf_map_update_elem(from, &k, v, BPF_ANY);
	expect_rc("migrate: a value cut where it is not zero is refused",
		  xlb_map_migrate(from, to), -ERANGE);
	close(from);
	close(to);
}

void scen_migrate(void)
{
	percpu_grows();
	hash_moves();
	array_cuts();
}
