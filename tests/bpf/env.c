// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The fixtures' VIPs and backends (env.h) and the helpers that put them into the maps, always
 * through the typed accessors of maps/xlb_maps.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "env.h"
#include "xlb_hash.h"

const __u8 NEXT_HOP_MAC[6] = { 0x02, 0, 0, 0, 0, 0xfe };
const __u8 LB_MAC[6] = { 0x02, 0, 0, 0, 0, 0x01 };
const __u8 PEER_MAC[6] = { 0x02, 0, 0, 0, 0, 0x02 };

#define TCP IPPROTO_TCP
#define UDP IPPROTO_UDP
#define MAG XLB_SCHED_MAGLEV

static const struct env_vip vips[V_FIXTURES] = {
	{ V_TCP4, "198.18.0.1", 80, TCP, XLB_FWD_IPIP, MAG, 0, 1 },
	{ V_GUE4, "198.18.0.1", 53, UDP, XLB_FWD_GUE, MAG, 6080, 2 },
	{ V_DR4, "198.18.0.2", 80, TCP, XLB_FWD_DR, MAG, 0, 3 },
	{ V_TCP6, "2001:db8:100::1", 80, TCP, XLB_FWD_IPIP, MAG, 0, 4 },
	{ V_GUE6, "2001:db8:100::1", 53, UDP, XLB_FWD_GUE, MAG, 6081, 5 },
	{ V_DR6, "2001:db8:100::2", 80, TCP, XLB_FWD_DR, MAG, 0, 6 },
	{ V_4IN6, "198.18.0.3", 443, TCP, XLB_FWD_IPIP, MAG, 0, 7 },
	{ V_ANY, "198.18.0.4", 0, TCP, XLB_FWD_IPIP, MAG, 0, 8 },
	{ V_NOTABLE, "198.18.0.5", 80, TCP, XLB_FWD_IPIP, MAG, 0, 0 },
	{ V_INACTIVE, "198.18.0.6", 80, TCP, XLB_FWD_IPIP, MAG, 0, 10 },
	{ V_6IN4, "2001:db8:100::1", 443, TCP, XLB_FWD_IPIP, MAG, 0, 11 },
	{ V_GUE4IN6, "198.18.0.3", 53, UDP, XLB_FWD_GUE, MAG, 6080, 12 },
	{ V_ANY_EXACT, "198.18.0.4", 22, TCP, XLB_FWD_DR, MAG, 0, 13 },
	{ V_NAT4, "198.18.0.11", 80, TCP, XLB_FWD_NAT, MAG, 0, 14 },
	{ V_NATU4, "198.18.0.11", 53, UDP, XLB_FWD_NAT, MAG, 0, 15 },
	{ V_NAT6, "2001:db8:100::3", 80, TCP, XLB_FWD_NAT, MAG, 0, 16 },
	{ V_NATU6, "2001:db8:100::3", 53, UDP, XLB_FWD_NAT, MAG, 0, 17 },
};

#define ACT XLB_BE_F_ACTIVE

static const struct env_be bes[] = {
	{ 1, "198.19.0.1", ACT, 1, 0 },
	{ 2, "198.19.0.2", ACT, 1, 0 },
	{ 3, "198.19.0.3", ACT, 1, 0 },
	{ 4, "2001:db8:200::4", ACT, 1, 0 },
	{ 5, "2001:db8:200::5", ACT, 1, 0 },
	{ 6, "2001:db8:200::6", ACT, 1, 0 },
	{ 7, "2001:db8:200::7", ACT, 1, 0 },
	{ 8, "198.19.0.8", ACT, 1, 0 },
	{ 9, "198.19.0.9", ACT, 1, 0 }, /* exists, but V_NOTABLE has no table to name it */
	{ 10, "198.19.0.10", 0, 1, 0 }, /* not ACTIVE */
	{ 11, "198.19.0.11", ACT, 1, 0 },
	{ 12, "2001:db8:200::12", ACT, 1, 0 },
	{ 13, "198.19.0.13", ACT, 1, 0 },
	{ 14, "198.19.0.14", ACT, 1, 0 }, /* :8080 */
	{ 15, "198.19.0.15", ACT, 1, 0 }, /* :5353 */
	{ 16, "2001:db8:200::16", ACT, 1, 0 }, /* :8080 */
	{ 17, "2001:db8:200::17", ACT, 1, 0 }, /* the client's port */
};

const struct env_vip *env_vip(__u32 id)
{
	return id < V_FIXTURES ? &vips[id] : NULL;
}

const struct env_be *env_be(__u32 id)
{
	size_t i;

	for (i = 0; i < sizeof(bes) / sizeof(bes[0]); i++)
		if (bes[i].id == id)
			return &bes[i];
	return NULL;
}

/* (TPID, TCI) pairs: one 802.1Q tag, or an 802.1ad tag over an 802.1Q tag. */
const __u16 *env_tags(int nvlan)
{
	static const __u16 one[] = { 0x8100, 0x0123 };
	static const __u16 two[] = { 0x88a8, 0x0064, 0x8100, 0x20c8 };

	return nvlan == 1 ? one : two;
}

__be32 env_addr4(const char *s)
{
	__be32 a[4];

	addr_parse(a, s);
	return a[0];
}

__u8 env_family(const char *addr)
{
	return strchr(addr, ':') ? XLB_FAM_V6 : XLB_FAM_V4;
}

void env_be_mac(__u32 id, __u8 mac[6])
{
	static const __u8 base[6] = { 0x02, 0, 0, 0, 0x01, 0 };

	memcpy(mac, base, 6);
	mac[5] = id;
}

__u16 env_be_port(__u32 id)
{
	return id == 14 || id == 16 ? 8080 : id == 15 ? 5353 : 0;
}

void env_vip_key(struct xlb_vip_key *k, const char *addr, __u16 port, __u8 proto)
{
	memset(k, 0, sizeof(*k));
	addr_parse(k->addr, addr);
	k->port = htons(port);
	k->proto = proto;
	k->family = env_family(addr);
}

/* Sets the VIP filter bit of addr, as userspace does for every VIP address. */
static int env_filter_add(const struct lb *lb, const char *addr)
{
	static struct xlb_vip_filter f;
	__be32 a[4];
	__u32 bit;
	int err;

	addr_parse(a, addr);
	bit = xlb_addr_filter_bit(a);
	err = xlb_vip_filter_get(&lb->maps, &f);
	f.bits[bit / 64] |= 1ULL << (bit % 64);
	return err ? err : xlb_vip_filter_put(&lb->maps, &f);
}

void env_nat_timeouts(struct xlb_snat *s)
{
	s->tcp_timeout = XLB_NAT_TCP_TIMEOUT;
	s->udp_timeout = XLB_NAT_UDP_TIMEOUT;
	s->fin_timeout = XLB_NAT_FIN_TIMEOUT;
}

/* The pools the fixture VIPs get, two addresses each: full NAT's candidates use both. */
static const char *const POOL4[2] = { "198.18.5.1", "198.18.5.2" };
static const char *const POOL6[2] = { "2001:db8:5::1", "2001:db8:5::2" };

const char *env_pool_addr(__u8 family, __u32 i)
{
	return (family == XLB_FAM_V4 ? POOL4 : POOL6)[i & 1];
}

void env_set_pool(const struct lb *lb, __u32 vip_id, bool on)
{
	__u8 family = env_family(env_vip(vip_id)->addr);
	struct xlb_snat pool = {};

	if (on) {
		addr_parse(pool.addr[0], env_pool_addr(family, 0));
		addr_parse(pool.addr[1], env_pool_addr(family, 1));
		pool.count = 2;
	}
	env_nat_timeouts(&pool);
	xlb_snat_put(&lb->maps, vip_id, &pool);
}

__u32 env_now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
	return t.tv_sec;
}

/*
 * Puts the VIP, its address's entry and filter bit (userspace keeps both for every VIP), and
 * a nat VIP's NAT settings (no pool).
 */
int env_put_vip(const struct lb *lb, const struct env_vip *v)
{
	struct xlb_vip vip = { .id = v->id, .forward = v->fwd, .sched = v->sched,
			       .gue_port = htons(v->gue_port) };
	struct xlb_vip addr = { .id = V_ADDR_ID, .flags = XLB_VIP_F_ADDR };
	struct xlb_snat nat = {};
	struct xlb_vip_key k;
	int err;

	env_nat_timeouts(&nat);
	env_vip_key(&k, v->addr, v->port, v->proto);
	err = v->fwd == XLB_FWD_NAT ? xlb_snat_put(&lb->maps, v->id, &nat) : 0;
	if (!err)
		err = env_filter_add(lb, v->addr);
	if (!err)
		err = xlb_vip_put(&lb->maps, &k, &vip);
	env_vip_key(&k, v->addr, 0, 0);
	return err ? err : xlb_vip_put(&lb->maps, &k, &addr);
}

/* The fixture VIP whose table names backend id, if any. */
static const struct env_vip *vip_of_be(__u32 id)
{
	size_t i;

	for (i = 0; i < V_FIXTURES; i++)
		if (vips[i].be == id)
			return &vips[i];
	return NULL;
}

/* Backends carry their VIP's forwarding; scenario backends (in no fixture table) use ipip. */
int env_put_be(const struct lb *lb, const struct env_be *b)
{
	const struct env_vip *v = vip_of_be(b->id);
	struct xlb_backend be = { .family = env_family(b->addr), .flags = b->flags,
				  .gen = b->gen, .forward = v ? v->fwd : XLB_FWD_IPIP,
				  .vip_id = b->vip ? b->vip : v ? v->id : 0,
				  .gue_port = htons(v && v->gue_port ? v->gue_port : 6080) };

	if (be.forward == XLB_FWD_NAT)
		be.nat_port = htons(env_be_port(b->id));
	addr_parse(be.addr, b->addr);
	env_be_mac(b->id, be.mac);
	return xlb_backend_put(&lb->maps, b->id, &be);
}

int env_swap_table(const struct lb *lb, __u32 vip_id, __u32 *ids, __u32 size)
{
	int err = xlb_table_mark_stable(&lb->maps, vip_id, ids, size);

	if (err == -ENOENT) /* a first table: no fixture sent a flow before it */
		xlb_table_mark_all(ids, size);
	return err && err != -ENOENT ? err : xlb_table_swap(&lb->maps, vip_id, ids, size);
}

/* A table whose every slot names be_id: the choice no longer depends on the hash. */
int env_fill_table(const struct lb *lb, __u32 vip_id, __u32 be_id, __u32 size)
{
	__u32 i, *ids = malloc(size * sizeof(*ids));
	int err;

	if (!ids)
		return -ENOMEM;
	for (i = 0; i < size; i++)
		ids[i] = be_id;
	err = env_swap_table(lb, vip_id, ids, size);
	free(ids);
	return err;
}

int env_setup(const struct lb *lb)
{
	struct xlb_runtime rt = { .any_port_vips = 1, .nat_vips = 1 };
	int err = 0;
	size_t i;

	for (i = 0; !err && i < sizeof(bes) / sizeof(bes[0]); i++)
		err = env_put_be(lb, &bes[i]);
	for (i = 0; !err && i < V_FIXTURES; i++) {
		err = env_put_vip(lb, &vips[i]);
		if (!err && vips[i].be)
			err = env_fill_table(lb, vips[i].id, vips[i].be, FX_TABLE);
		else if (!err)
			err = xlb_table_clear(&lb->maps, vips[i].id);
	}
	return err ? err : xlb_runtime_put(&lb->maps, &rt);
}
