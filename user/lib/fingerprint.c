// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Table fingerprints: FNV-1a over each slot's backend address (family and 16 bytes, never
 * the node-local id), and its second hop's when it names one (second chance), and for a VIP
 * of another scheduler than maglev its scheduler, which sends flows to other slots than
 * maglev's; folded to 48 bits. One cached result per VIP id, keyed by the id of the table map
 * it was read from and the VIP entry's table signature and scheduler, and never used while
 * that signature is 0 (a table being swapped): an apply writes the VIP entry after the new
 * table, so a new table read beside the old entry must not be kept past the change
 * (single-threaded users: the CLI and xlbd's one loop).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fingerprint.h"
#include "xlb_hash.h"
#include "xlb_choice.h"

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME  0x100000001b3ULL
#define FP_MASK	   0xffffffffffffULL

static __u64 fnv(__u64 h, const void *data, size_t len)
{
	const __u8 *p = data;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * FNV_PRIME;
	return h;
}

static __u64 addr_hash(const struct xlb_addr *a)
{
	return fnv(fnv(FNV_OFFSET, &a->family, 1), a->a, sizeof(a->a));
}

/* A slot naming no backend of v (0, or an id it does not have) hashes as this. */
#define EMPTY_SLOT 0

/* The hash of the address of v's backend id, EMPTY_SLOT when v has none of that id. */
static __u64 backend_hash(const struct xlb_vip_conf *v, __u32 id)
{
	size_t j;

	for (j = 0; id && j < v->nbackends; j++)
		if (v->backends[j].id == id)
			return addr_hash(&v->backends[j].addr);
	return EMPTY_SLOT;
}

__u64 xlb_table_fingerprint(const __u32 *slots, __u32 size, const struct xlb_vip_conf *v)
{
	__u64 h = fnv(FNV_OFFSET, &size, sizeof(size)), last_hash = EMPTY_SLOT, x;
	__u32 i, last_id = 0;

	if (v->sched != XLB_SCHED_MAGLEV) /* maglev's: as before schedulers counted */
		h = fnv(h, &v->sched, sizeof(v->sched));
	for (i = 0; i < size; i++) {
		if (slots[i] != last_id) { /* runs of one value are common: look it up once */
			last_id = slots[i];
			last_hash = backend_hash(v, xlb_slot_first(last_id));
		}
		x = last_hash;
		h = fnv(h, &x, sizeof(x));
		if (xlb_slot_second(slots[i])) { /* Maglev slots never name one: as before */
			x = backend_hash(v, xlb_slot_second(slots[i]));
			h = fnv(h, &x, sizeof(x));
		}
	}
	return (h ^ (h >> 48)) & FP_MASK;
}

const char *xlb_fingerprint_str(__u64 fp, char *buf)
{
	snprintf(buf, XLB_FP_STRLEN, "%012llx", (unsigned long long)(fp & FP_MASK));
	return buf;
}

static struct {
	__u32 map_id;
	__u32 sig;
	__u8 sched;
	__u64 fp;
} cache[XLB_MAX_VIPS];

int xlb_vip_fingerprint(const struct xlb_lb *lb, const struct xlb_vip_conf *v, char *buf)
{
	__u32 map_id, *slots, id = v->id;
	int err;

	err = id < XLB_MAX_VIPS ? xlb_table_map_id(&lb->maps, id, &map_id) : -ENOENT;
	if (err == -ENOENT) {
		snprintf(buf, XLB_FP_STRLEN, "none");
		return 0;
	}
	if (err)
		return err;
	if (v->table_sig && cache[id].map_id == map_id && cache[id].sig == v->table_sig &&
	    cache[id].sched == v->sched) {
		xlb_fingerprint_str(cache[id].fp, buf);
		return 0;
	}
	slots = malloc(lb->table_size * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	err = xlb_table_read(&lb->maps, id, slots, lb->table_size);
	if (!err) {
		cache[id].map_id = map_id;
		cache[id].sig = v->table_sig;
		cache[id].sched = v->sched;
		cache[id].fp = xlb_table_fingerprint(slots, lb->table_size, v);
		xlb_fingerprint_str(cache[id].fp, buf);
	}
	free(slots);
	return err;
}
