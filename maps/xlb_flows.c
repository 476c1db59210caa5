// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The connection table as flows list and flush see it: the whole array mapped into memory
 * (xlb_conns is BPF_F_MMAPABLE, so reading it costs the data plane nothing and a flush writes
 * single tags), each CPU part's clock for ages, and the counters of what userspace flushed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xlb_maps.h"

int xlb_conns_map(const struct xlb_maps *m, bool write, struct xlb_conns_view *v)
{
	int err;
	void *p;

	memset(v, 0, sizeof(*v));
	err = xlb_conns_geometry(m->flows, &v->ncpu, &v->per_cpu);
	if (err)
		return err;
	v->n = (__u64)v->ncpu * v->per_cpu;
	v->len = v->n * sizeof(struct xlb_conn_bucket);
	p = mmap(NULL, v->len, PROT_READ | (write ? PROT_WRITE : 0), MAP_SHARED, m->flows, 0);
	if (p == MAP_FAILED)
		return -errno;
	v->t = p;
	return 0;
}

void xlb_conns_unmap(struct xlb_conns_view *v)
{
	if (v->t)
		munmap(v->t, v->len);
	v->t = NULL;
}

int xlb_conns_clocks(const struct xlb_maps *m, __u32 ncpu, __u32 *clock)
{
	struct xlb_conn_stats *v = calloc(ncpu, sizeof(*v));
	__u32 zero = 0, c;
	int err = 0;

	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(m->conn_stats, &zero, v))
		err = -errno;
	for (c = 0; !err && c < ncpu; c++)
		clock[c] = v[c].recorded; /* stamps are its low 32 bits */
	free(v);
	return err;
}

int xlb_conn_stats_forget(const struct xlb_maps *m, __u64 flows, __u64 established)
{
	int ncpu = libbpf_num_possible_cpus(), err = 0;
	__u32 key = XLB_CONN_STATS_USER;
	struct xlb_conn_stats *v;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	v = calloc(ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(m->conn_stats, &key, v))
		err = -errno;
	/* Summed with the data plane's over every CPU: unsigned wrap-around subtracts. */
	v[0].used -= flows;
	v[0].established -= established;
	v[0].cleared += flows;
	if (!err && bpf_map_update_elem(m->conn_stats, &key, v, BPF_ANY))
		err = -errno;
	free(v);
	return err;
}
