/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Typed userspace access to the balancer's maps (maps/xlb_maps.bpf.h). Every writer (the
 * CLI, the daemon, the tests) goes through these, so a test exercises the real path.
 * Functions return 0 or a negative errno.
 */
#ifndef XLB_MAPS_H
#define XLB_MAPS_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include "xlb_abi.h"

struct bpf_object;
struct bpf_map;

/*
 * File descriptors of one balancer instance's maps; -1 where not open. A member here is a row
 * of xlb_map_table (maps/xlb_map_table.c), which opens, pins, adopts and closes them all.
 */
struct xlb_maps {
	int vips;
	int vip_cache;
	int backends;
	int tables;
	int flows;
	int runtime;
	int vip_stats;
	int be_stats;
	int stats;
	int vip_health;
	int be_health;
	int vip_filter;
	int conn_stats;
	int syns;
	int vip_rate;
	int frags;
	int nat;
	int snat;
	int nat_scratch;
	int nat_frags;
};

/* One map of the set: its name in the BPF object and its pin, where its fd is kept, its layout. */
struct xlb_map_row {
	const char *name;
	size_t slot; /* offset of its int member in struct xlb_maps */
	__u32 type;  /* BPF_MAP_TYPE_* */
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries; /* 0: set at load for the instance (the connection table) */
};

#define XLB_MAP_COUNT (sizeof(struct xlb_maps) / sizeof(int))
extern const struct xlb_map_row xlb_map_table[];

/* The fd row r names in m. */
int *xlb_map_slot(struct xlb_maps *m, const struct xlb_map_row *r);
/* Every fd -1 (nothing open). */
void xlb_maps_init(struct xlb_maps *m);
/* The fds of a loaded object's maps (the object keeps them); -ENOENT if one is missing. */
int xlb_maps_from_obj(struct bpf_object *obj, struct xlb_maps *m);
/* Pins obj's map name as dir/name. */
int xlb_map_pin(struct bpf_object *obj, const char *name, const char *dir);
/* Pins every map of the set in dir. */
int xlb_maps_pin(struct bpf_object *obj, const char *dir);
/*
 * The layout of rows[0..n) and XLB_ABI_VERSION in 32 bits: equal fingerprints, maps that
 * one build can hand to another.
 */
__u32 xlb_maps_fingerprint(const struct xlb_map_row *rows, size_t n);
/* 0 if the map fd has the layout of row r, -EPROTO if not. */
int xlb_map_row_check(int fd, const struct xlb_map_row *r);
/*
 * Opens every pin of the set in dir; on error none stays open: -EPROTO if one has another
 * layout than its row.
 */
int xlb_maps_adopt(const char *dir, struct xlb_maps *m);
/* Closes what is open and sets every fd to -1. */
void xlb_maps_close(struct xlb_maps *m);

int xlb_vip_get(const struct xlb_maps *m, const struct xlb_vip_key *k, struct xlb_vip *v);
int xlb_vip_put(const struct xlb_maps *m, const struct xlb_vip_key *k, const struct xlb_vip *v);
int xlb_vip_del(const struct xlb_maps *m, const struct xlb_vip_key *k);
/*
 * Makes the VIP cache agree with xlb_vips, whatever wrote them (an upgrade: a new cache, or one
 * left pinned through a downgrade while an older build wrote xlb_vips alone): slots whose key is
 * gone or whose copy differs are released, and empty slots filled.
 */
int xlb_vip_cache_sync(const struct xlb_maps *m);

int xlb_backend_get(const struct xlb_maps *m, __u32 id, struct xlb_backend *b);
int xlb_backend_put(const struct xlb_maps *m, __u32 id, const struct xlb_backend *b);
/* All XLB_MAX_BACKENDS entries, in one batch. */
int xlb_backends_read_all(const struct xlb_maps *m, struct xlb_backend *out);

/* Builds a new table of size slots from ids, as given, and swaps it in for vip_id in one
 * update. */
int xlb_table_swap(const struct xlb_maps *m, __u32 vip_id, const __u32 *ids, __u32 size);
/* The two halves of a swap: a filled table no packet sees yet (its fd, or -errno), ... */
int xlb_table_new(const __u32 *ids, __u32 size);
/* ... and the one update that puts table fd in vip_id's slot (fd stays the caller's). */
int xlb_table_put(const struct xlb_maps *m, __u32 vip_id, int fd);
int xlb_table_clear(const struct xlb_maps *m, __u32 vip_id);
/* The id of vip_id's current table (a new map at every swap); -ENOENT when it has none. */
int xlb_table_map_id(const struct xlb_maps *m, __u32 vip_id, __u32 *map_id);
/* Copies vip_id's current table into ids (size slots); -ENOENT when it has none. */
int xlb_table_read(const struct xlb_maps *m, __u32 vip_id, __u32 *ids, __u32 size);
/*
 * Marks XLB_SLOT_STABLE in new table ids (size slots) where vip_id's current table marks it
 * and names the same first hop; -ENOENT when it has none.
 */
int xlb_table_mark_stable(const struct xlb_maps *m, __u32 vip_id, __u32 *ids, __u32 size);
/* Marks every slot of table ids (size slots) XLB_SLOT_STABLE. */
void xlb_table_mark_all(__u32 *ids, __u32 size);

/* VIP vip_id's full NAT source pool (count 0: none). */
int xlb_snat_get(const struct xlb_maps *m, __u32 vip_id, struct xlb_snat *pool);
int xlb_snat_put(const struct xlb_maps *m, __u32 vip_id, const struct xlb_snat *pool);

int xlb_vip_filter_get(const struct xlb_maps *m, struct xlb_vip_filter *f);
int xlb_vip_filter_put(const struct xlb_maps *m, const struct xlb_vip_filter *f);
int xlb_runtime_get(const struct xlb_maps *m, struct xlb_runtime *rt);
int xlb_runtime_put(const struct xlb_maps *m, const struct xlb_runtime *rt);
/*
 * Sets the one field of xlb_runtime at offset off (offsetof(struct xlb_runtime, nat_vips)) to v
 * and keeps the others as they are; writes nothing when it already holds v.
 */
int xlb_runtime_set(const struct xlb_maps *m, size_t off, __u32 v);

/*
 * Sizes the connection table of an opened object for flows entries (rounded up to whole
 * buckets in every possible CPU's part): conns is its xlb_conns map, buckets its rodata
 * xlb_conn_buckets. The map's size then says the geometry to every reader.
 */
int xlb_conns_size(struct bpf_map *conns, __u32 *buckets, __u32 flows);
/* The geometry of a loaded table: possible CPUs and buckets in each one's part. */
int xlb_conns_geometry(int fd, __u32 *ncpu, __u32 *per_cpu);
/* k's entry in any CPU's part of the table; -ENOENT when none has one. */
int xlb_flow_get(const struct xlb_maps *m, const struct xlb_flow_key *k, struct xlb_flow *f);

/*
 * Every CPU's copy of key in the per-CPU map fd, in *vals (calloc'd, size bytes each; the
 * caller frees it). Returns the number of CPUs or a negative errno.
 */
int xlb_percpu_get(int fd, __u32 key, size_t size, void **vals);

/* The connection table mapped (xlb_conns_map()): n buckets, per_cpu in each CPU's part. */
struct xlb_conns_view {
	struct xlb_conn_bucket *t;
	__u64 n;
	__u32 ncpu, per_cpu;
	size_t len;
};

/* Maps the whole table, writable if write (flows flush; under the instance lock). */
int xlb_conns_map(const struct xlb_maps *m, bool write, struct xlb_conns_view *v);
void xlb_conns_unmap(struct xlb_conns_view *v);
/* Each CPU part's clock (xlb_conn_stats.recorded, low 32 bits, as stamps are). */
int xlb_conns_clocks(const struct xlb_maps *m, __u32 ncpu, __u32 *clock);
/*
 * Counts flows userspace removed, established ones among them, in XLB_CONN_STATS_USER.
 * Its one writer is the holder of the instance lock.
 */
int xlb_conn_stats_forget(const struct xlb_maps *m, __u64 flows, __u64 established);

/* How full the connection table is, without reading it: the CPUs' counters summed. */
struct xlb_conns_info {
	__u64 capacity; /* flows it can hold */
	__u64 bytes;	/* memory of its buckets */
	struct xlb_conn_stats st;
};

int xlb_conns_info(const struct xlb_maps *m, struct xlb_conns_info *out);
/*
 * The CPUs' xlb_conn_stats, the data plane's and userspace's (XLB_CONN_STATS_USER): counters
 * summed, capped_at the latest, tat left 0.
 */
int xlb_conn_stats_read(int fd, struct xlb_conn_stats *out);
/* Whether a CPU capped an insert less than XLB_FLOOD_WINDOW_NS before now (pure). */
bool xlb_conns_flood(const struct xlb_conn_stats *st, __u64 now_ns);
/* The same against CLOCK_MONOTONIC_COARSE, the clock the data plane stamps with. */
int xlb_conns_flood_now(const struct xlb_conn_stats *st, bool *flood);

/* Counters summed over every CPU. */
int xlb_stats_read(int stats_fd, struct xlb_stats *out);
/* The decap program's counters (xlb_decap_stats), summed likewise. */
int xlb_decap_stats_read(int stats_fd, struct xlb_decap_stats *out);
int xlb_vip_stats_read(const struct xlb_maps *m, __u32 vip_id, struct xlb_vip_stats *out);
int xlb_backend_stats_read(const struct xlb_maps *m, __u32 id, struct xlb_backend_stats *out);

int xlb_vip_health_get(const struct xlb_maps *m, __u32 vip_id, struct xlb_vip_health *h);
int xlb_vip_health_put(const struct xlb_maps *m, __u32 vip_id, const struct xlb_vip_health *h);
int xlb_be_health_get(const struct xlb_maps *m, __u32 id, struct xlb_backend_health *h);
int xlb_be_health_put(const struct xlb_maps *m, __u32 id, const struct xlb_backend_health *h);

/* Zero a counter slot when its id is given to a new VIP or backend. */
int xlb_vip_stats_reset(const struct xlb_maps *m, __u32 vip_id);
int xlb_backend_stats_reset(const struct xlb_maps *m, __u32 id);

#endif /* XLB_MAPS_H */
