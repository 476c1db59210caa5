// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Sizing the connection table before attach (conns_plan.h): the geometry of
 * xlb_conns_size(), and the memory the system has to give, from /proc/meminfo and the
 * memory limit of this process's cgroup (v1 or v2), which BPF maps are charged to.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "conns_plan.h"
#include "xlb_abi.h"

void xlb_conns_plan_for(__u32 flows, __u32 ncpu, struct xlb_conns_plan *p)
{
	__u64 per_cpu =
	    ((__u64)flows + (__u64)ncpu * XLB_CONN_SLOTS - 1) / ((__u64)ncpu * XLB_CONN_SLOTS);

	per_cpu += per_cpu & 1; /* whole pairs of buckets, as xlb_conns_size() */
	p->flows = per_cpu * ncpu * XLB_CONN_SLOTS;
	p->bytes = per_cpu * ncpu * sizeof(struct xlb_conn_bucket);
}

bool xlb_conns_plan_fits(const struct xlb_conns_plan *p)
{
	return p->bytes <= p->available / 4 * 3;
}

/* The value of "KEY: N kB" in /proc/meminfo, in bytes. */
static int meminfo(const char *key, __u64 *bytes)
{
	unsigned long long kb;
	char line[128];
	size_t n = strlen(key);
	int err = -ENOENT;
	FILE *f;

	f = fopen("/proc/meminfo", "re");
	if (!f)
		return -errno;
	while (err && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':' &&
		    sscanf(line + n + 1, "%llu", &kb) == 1) {
			*bytes = kb * 1024;
			err = 0;
		}
	fclose(f);
	return err;
}

/* One number from file name of cgroup directory dir; -ENOENT if none ("max": no limit). */
static int cgroup_number(const char *dir, const char *name, __u64 *v)
{
	unsigned long long n;
	char path[1024];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	if (!f)
		return -ENOENT;
	ok = fscanf(f, "%llu", &n) == 1;
	fclose(f);
	if (!ok)
		return -ENOENT;
	*v = n;
	return 0;
}

/*
 * Memory this process's cgroup may still take (limit minus usage), v2 ("0::/path") or the
 * v1 memory controller ("N:...memory...:/path"); -ENOENT when it has no limit.
 */
static int cgroup_room(__u64 *room)
{
	char line[600], dir[700], *ctl, *path;
	const char *limit = NULL, *usage = NULL;
	__u64 max, cur;
	FILE *f;

	f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return -errno;
	while (!limit && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		ctl = strchr(line, ':');
		path = ctl ? strchr(ctl + 1, ':') : NULL;
		if (!path)
			continue;
		*path++ = 0;
		ctl++;
		if (!strcmp(line, "0") && !*ctl) {
			snprintf(dir, sizeof(dir), "/sys/fs/cgroup%s", path);
			limit = "memory.max";
			usage = "memory.current";
		} else if (strstr(ctl, "memory")) {
			snprintf(dir, sizeof(dir), "/sys/fs/cgroup/memory%s", path);
			limit = "memory.limit_in_bytes";
			usage = "memory.usage_in_bytes";
		}
	}
	fclose(f);
	if (!limit || cgroup_number(dir, limit, &max) || cgroup_number(dir, usage, &cur))
		return -ENOENT;
	*room = cur < max ? max - cur : 0;
	return 0;
}

int xlb_conns_plan(__u32 flows, struct xlb_conns_plan *p)
{
	int ncpu = libbpf_num_possible_cpus();
	__u64 room;
	int err;

	memset(p, 0, sizeof(*p));
	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	xlb_conns_plan_for(flows, ncpu, p);
	err = meminfo("MemAvailable", &p->available);
	if (err)
		return err;
	if (!cgroup_room(&room) && room < p->available)
		p->available = room;
	return xlb_conns_plan_fits(p) ? 0 : -ENOMEM;
}
