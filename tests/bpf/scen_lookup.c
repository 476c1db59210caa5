// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Scenarios on how the backend is found: the port-0 lookup is skipped while the runtime says
 * there are no port-0 VIPs, and a new flow takes the Maglev slot of its 5-tuple hash (or of its
 * source-address hash for XLB_SCHED_SH) modulo the table size.
 */
#include <stdio.h>
#include "cases.h"
#include "xlb_hash.h"

#define NSLOT_BES 4
#define FLOWS	  8

static const struct env_vip vip_mag = { 21, "198.18.0.8", 80, IPPROTO_TCP, XLB_FWD_IPIP,
					XLB_SCHED_MAGLEV, 0, 0 };
static const struct env_vip vip_sh = { 22, "198.18.0.9", 80, IPPROTO_TCP, XLB_FWD_IPIP,
				       XLB_SCHED_SH, 0, 0 };
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
		err = xlb_table_swap(&lb->maps, vip_mag.id, ids, FX_TABLE);
	return err ? err : xlb_table_swap(&lb->maps, vip_sh.id, ids, FX_TABLE);
}

/* Flow n of v: four clients, two ports each; expects the backend the hash's slot names. */
static void slot_flow(const struct lb *lb, const struct env_vip *v, int n)
{
	static struct fx x;
	char src[32];
	struct fx_in in;
	__u32 hash;
	int b;

	snprintf(src, sizeof(src), "192.0.2.%d", 100 + n / 2);
	in = fx_flow(src, v->addr, IPPROTO_TCP, v->port);
	fx_start(&x, "");
	fx_send(&x, &in);
	hash = v->sched == XLB_SCHED_SH ? xlb_src_hash(&x.key) : xlb_flow_hash(&x.key);
	b = slot_be(hash % FX_TABLE);
	snprintf(x.name, sizeof(x.name), "lookup: %s flow %d from %s:%u takes slot %u (backend %u)",
		 v->sched == XLB_SCHED_SH ? "source-hash" : "maglev", n, src, in.sport,
		 hash % FX_TABLE, bes[b].id);
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
}
