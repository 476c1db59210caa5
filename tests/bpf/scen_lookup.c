// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Scenarios on how the backend is found: the port-0 lookup is skipped while the runtime says
 * there are no port-0 VIPs, and a new flow takes the Maglev slot of its 5-tuple hash (or of its
 * source-address hash for XLB_SCHED_SH) modulo the table size, or for XLB_SCHED_MAGLEV_FAST the
 * connection hash's low half scaled onto the slots; the VIP cache follows the VIPs.
 */
#include <stdio.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include "cases.h"
#include "xlb_hash.h"
#include "xlb_choice.h"

#define NSLOT_BES 4
#define FLOWS	  8

static const struct env_vip vip_mag = { 21, "198.18.0.8", 80, IPPROTO_TCP, XLB_FWD_IPIP,
					XLB_SCHED_MAGLEV, 0, 0 };
static const struct env_vip vip_sh = { 22, "198.18.0.9", 80, IPPROTO_TCP, XLB_FWD_IPIP,
				       XLB_SCHED_SH, 0, 0 };
static const struct env_vip vip_fast = { 24, "198.18.0.24", 80, IPPROTO_TCP, XLB_FWD_IPIP,
					 XLB_SCHED_MAGLEV_FAST, 0, 0 };
static const struct env_be bes[NSLOT_BES] = {
	{ 30, "198.19.0.30", XLB_BE_F_ACTIVE, 1, 21 },
	{ 31, "198.19.0.31", XLB_BE_F_ACTIVE, 1, 21 },
	{ 32, "198.19.0.32", XLB_BE_F_ACTIVE, 1, 21 },
	{ 33, "2001:db8:200::33", XLB_BE_F_ACTIVE, 1, 21 },
};

/* With any_port_vips 0 the port-0 VIP is not looked up; exact VIPs still are. */
void scen_any_port_off(const struct lb *lb)
{
	struct xlb_runtime off = { 0 }, on = { .any_port_vips = 1 };
	static struct fx x;
	struct fx_in in;

	if (xlb_runtime_put(&lb->maps, &off)) {
		report("lookup: runtime update", "map update failed");
		return;
	}
	fx_start(&x, "lookup: port-0 vip not looked up while any_port_vips is 0");
	in = fx_tcp("198.18.0.4", 1234);
	fx_send(&x, &in);
	fx_expect_pass(&x);
	fx_check(lb, &x);
	fx_start(&x, "lookup: exact vip still found while any_port_vips is 0");
	in = fx_tcp("198.18.0.4", 22);
	fx_send(&x, &in);
	fx_expect_fwd(&x, V_ANY_EXACT, true);
	fx_check(lb, &x);
	if (xlb_runtime_put(&lb->maps, &on))
		report("lookup: runtime update", "map update failed");
}

/* Slot i names backend (i * 7 + i / 5) % 4: uneven enough that a wrong slot shows. */
static __u32 slot_be(__u32 i)
{
	return (i * 7 + i / 5) % NSLOT_BES;
}

static int setup(const struct lb *lb)
{
	__u32 i, ids[FX_TABLE];
	int err = 0;

	for (i = 0; i < FX_TABLE; i++)
		ids[i] = bes[slot_be(i)].id;
	for (i = 0; !err && i < NSLOT_BES; i++)
		err = env_put_be(lb, &bes[i]);
	if (!err)
		err = env_put_vip(lb, &vip_mag);
	if (!err)
		err = env_put_vip(lb, &vip_sh);
	if (!err)
		err = env_put_vip(lb, &vip_fast);
	if (!err)
		err = env_swap_table(lb, vip_mag.id, ids, FX_TABLE);
	if (!err)
		err = env_swap_table(lb, vip_fast.id, ids, FX_TABLE);
	return err ? err : env_swap_table(lb, vip_sh.id, ids, FX_TABLE);
}

/* The slot v's scheduler picks for flow k, computed here apart from xlb_choice.h. */
static __u32 slot_of(const struct env_vip *v, const struct xlb_flow_key *k)
{
	if (v->sched == XLB_SCHED_MAGLEV_FAST)
		return (__u32)((__u64)(__u32)xlb_conn_hash(k) * FX_TABLE >> 32);
	return (v->sched == XLB_SCHED_SH ? xlb_src_hash(k) : xlb_flow_hash(k)) % FX_TABLE;
}

static const char *sched_name(__u8 sched)
{
	return sched == XLB_SCHED_SH		? "source-hash"
	       : sched == XLB_SCHED_MAGLEV_FAST ? "maglev-fast"
						: "maglev";
}

/* Flow n of v: four clients, two ports each; expects the backend the hash's slot names. */
static void slot_flow(const struct lb *lb, const struct env_vip *v, int n)
{
	static struct fx x;
	char src[32];
	struct fx_in in;
	__u32 slot;
	int b;

	snprintf(src, sizeof(src), "192.0.2.%d", 100 + n / 2);
	in = fx_flow(src, v->addr, IPPROTO_TCP, v->port);
	fx_start(&x, "");
	fx_send(&x, &in);
	slot = slot_of(v, &x.key);
	b = slot_be(slot);
	snprintf(x.name, sizeof(x.name), "lookup: %s flow %d from %s:%u takes slot %u (backend %u)",
		 sched_name(v->sched), n, src, in.sport, slot, bes[b].id);
	fx_encap_frame(&x, v, &bes[b]);
	fx_count_fwd(&x, v->id, bes[b].id, true);
	fx_check(lb, &x);
}

void scen_slots(const struct lb *lb)
{
	int n;

	if (setup(lb)) {
		report("lookup: setup", "map update failed");
		return;
	}
	for (n = 0; n < FLOWS; n++)
		slot_flow(lb, &vip_mag, n);
	for (n = 0; n < FLOWS; n++)
		slot_flow(lb, &vip_sh, n);
	for (n = 0; n < FLOWS; n++)
		slot_flow(lb, &vip_fast, n);
}

/*
 * Whether the VIP cache slot of k holds the VIP of key want with id and sched; want NULL: k's
 * slot is released, matching no key but keeping the VIP it held (id, sched) for readers.
 */
static const char *cache_holds(const struct lb *lb, const struct xlb_vip_key *k,
			       const struct xlb_vip_key *want, __u32 id, __u8 sched)
{
	__u32 i = xlb_vip_cache_slot(k);
	struct xlb_vip_slot s;

	if (bpf_map_lookup_elem(lb->maps.vip_cache, &i, &s))
		return "cache lookup failed";
	if (!want && s.key.family)
		return "slot still matches a key";
	if (want && !xlb_vip_key_eq(&s.key, want))
		return "slot holds another key";
	return s.vip.id == id && s.vip.sched == sched ? NULL : "slot holds another copy";
}

/*
 * Writes into k's cache slot a VIP of id stale_id under key stale, as a cache left pinned
 * through a downgrade could hold after an older build wrote xlb_vips alone; syncs the cache
 * with xlb_vips, and checks that k's slot holds k's VIP of id again.
 */
static const char *resync(const struct lb *lb, const struct xlb_vip_key *k,
			  const struct xlb_vip_key *stale, __u32 stale_id, __u32 id)
{
	struct xlb_vip_slot s = { .key = *stale, .vip = { .id = stale_id } };
	__u32 i = xlb_vip_cache_slot(k);

	if (bpf_map_update_elem(lb->maps.vip_cache, &i, &s, BPF_ANY) ||
	    xlb_vip_cache_sync(&lb->maps))
		return "map update failed";
	return cache_holds(lb, k, k, id, XLB_SCHED_MAGLEV);
}

/* A VIP on vip_mag's address whose port falls into vip_mag's cache slot: the port, or 0. */
static __u16 colliding_port(const struct xlb_vip_key *mag)
{
	struct xlb_vip_key k = *mag;
	__u32 p;

	for (p = 1; p < 65536; p++) {
		k.port = htons(p);
		if (p != vip_mag.port && xlb_vip_cache_slot(&k) == xlb_vip_cache_slot(mag))
			return p;
	}
	return 0;
}

/*
 * The VIP cache follows xlb_vips through the library's writes: a VIP takes its empty slot, a
 * colliding one stays in the hash map and is still balanced, a change never leaves an old
 * copy, and a deleted VIP's slot is emptied (then taken again).
 */
void scen_vip_cache(const struct lb *lb)
{
	struct env_vip col = { 23, "198.18.0.8", 0, IPPROTO_TCP, XLB_FWD_IPIP, XLB_SCHED_MAGLEV,
			       0, 30 };
	struct xlb_vip v = { .id = vip_mag.id, .forward = vip_mag.fwd, .sched = XLB_SCHED_SH };
	struct xlb_vip_key mag, ck;
	static struct fx x;
	struct fx_in in;

	env_vip_key(&mag, vip_mag.addr, vip_mag.port, vip_mag.proto);
	report("lookup: a VIP takes its empty VIP cache slot",
	       cache_holds(lb, &mag, &mag, vip_mag.id, XLB_SCHED_MAGLEV));
	col.port = colliding_port(&mag);
	env_vip_key(&ck, col.addr, col.port, col.proto);
	if (!col.port || env_put_vip(lb, &col) ||
	    env_fill_table(lb, col.id, bes[0].id, FX_TABLE)) {
		report("lookup: colliding VIP setup", "no port collides, or map update failed");
		return;
	}
	report("lookup: a colliding VIP leaves the slot to the VIP holding it",
	       cache_holds(lb, &ck, &mag, vip_mag.id, XLB_SCHED_MAGLEV));
	fx_start(&x, "lookup: a VIP not in the cache is balanced from xlb_vips");
	in = fx_flow("192.0.2.50", col.addr, IPPROTO_TCP, col.port);
	fx_send(&x, &in);
	fx_encap_frame(&x, &col, &bes[0]);
	fx_count_fwd(&x, col.id, bes[0].id, true);
	fx_check(lb, &x);
	report("lookup: a changed VIP's slot holds the new copy",
	       xlb_vip_put(&lb->maps, &mag, &v) ? "map update failed" :
						    cache_holds(lb, &mag, &mag, v.id, XLB_SCHED_SH));
	report("lookup: a deleted VIP's slot goes to the VIP that collided with it",
	       xlb_vip_del(&lb->maps, &mag) ? "map delete failed" :
					      cache_holds(lb, &mag, &ck, col.id, XLB_SCHED_MAGLEV));
	report("lookup: a deleted VIP's slot is released, its copy kept for readers mid-packet",
	       xlb_vip_del(&lb->maps, &ck) || xlb_table_clear(&lb->maps, col.id) ?
		       "map delete failed" :
		       cache_holds(lb, &mag, NULL, col.id, XLB_SCHED_MAGLEV));
	v.sched = XLB_SCHED_MAGLEV;
	report("lookup: a VIP put again takes its slot again",
	       xlb_vip_put(&lb->maps, &mag, &v) ? "map update failed" :
						    cache_holds(lb, &mag, &mag, v.id, v.sched));
	slot_flow(lb, &vip_mag, 0);
	report("lookup: a sync releases a copy whose VIP is gone and refills the slot",
	       resync(lb, &mag, &ck, col.id, v.id));
	report("lookup: a sync replaces a copy that differs from xlb_vips",
	       resync(lb, &mag, &mag, v.id + 1, v.id));
}
