// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Reading a balancer's running state out of its maps into the plain model: VIPs with their
 * settings and health-check configuration, and the active backends of each, with ids, weights,
 * drain and health flags. The apply side is state.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <bpf/bpf.h>
#include "snat_conf.h"
#include "state.h"

static void vip_name_of(const struct xlb_vip_key *k, struct xlb_vip_name *n)
{
	memset(n, 0, sizeof(*n));
	memcpy(n->addr.a, k->addr, sizeof(n->addr.a));
	n->addr.family = k->family;
	n->port = ntohs(k->port);
	n->proto = k->proto;
}

static int push_vip(struct xlb_conf *c, const struct xlb_vip_key *k, const struct xlb_vip *v)
{
	struct xlb_vip_conf *vc = xlb_conf_add_vip(c);

	if (!vc)
		return -ENOMEM;
	vip_name_of(k, &vc->name);
	vc->forward = v->forward;
	vc->sched = v->sched;
	vc->gue_port = ntohs(v->gue_port);
	vc->second_chance = !!(v->flags & XLB_VIP_F_TWOHOP);
	vc->new_flow_limit = v->new_flow_limit;
	vc->id = v->id;
	vc->table_sig = v->table_sig;
	return 0;
}

/* Backend id, entry b, into the next of the places size_backends() made in vc. */
static void push_backend(struct xlb_vip_conf *vc, __u32 id, const struct xlb_backend *b)
{
	struct xlb_be_conf *bc = &vc->backends[vc->nbackends++];

	bc->addr.family = b->family;
	memcpy(bc->addr.a, b->addr, sizeof(bc->addr.a));
	memcpy(bc->mac, b->mac, sizeof(bc->mac));
	bc->has_mac = !!(b->mac[0] | b->mac[1] | b->mac[2] | b->mac[3] | b->mac[4] | b->mac[5]);
	bc->weight = b->weight;
	bc->drain = !!(b->flags & XLB_BE_F_DRAIN);
	bc->down = !!(b->flags & XLB_BE_F_DOWN);
	bc->ramp = b->ramp;
	bc->port = b->forward == XLB_FWD_NAT ? ntohs(b->nat_port) : 0;
	bc->id = id;
}

/* VIP vc's source pool, of its family, and NAT timeouts. */
static int read_snat(const struct xlb_lb *lb, struct xlb_vip_conf *vc)
{
	struct xlb_snat m;
	int err = xlb_snat_get(&lb->maps, vc->id, &m);

	if (!err)
		xlb_snat_from_map(&m, vc->name.addr.family, &vc->set);
	return err;
}

static int read_vips(const struct xlb_lb *lb, struct xlb_conf *out)
{
	struct xlb_vip_key k, *prev = NULL;
	struct xlb_vip v;
	int err;

	while (!bpf_map_get_next_key(lb->maps.vips, prev, &k)) {
		prev = &k;
		err = xlb_vip_get(&lb->maps, &k, &v);
		if (err == -ENOENT) /* deleted while we walked: it is not running any more */
			continue;
		if (err)
			return err;
		if (v.flags & XLB_VIP_F_ADDR)
			continue;
		err = push_vip(out, &k, &v);
		if (!err)
			err = xlb_vip_health_get(&lb->maps, v.id, &out->vips[out->nvips - 1].health);
		if (!err)
			err = read_snat(lb, &out->vips[out->nvips - 1]);
		if (err)
			return err;
	}
	return errno == ENOENT ? 0 : -errno;
}

static struct xlb_vip_conf *vip_by_id(struct xlb_conf *c, __u32 id)
{
	size_t i;

	for (i = 0; i < c->nvips; i++)
		if (c->vips[i].id == (__s32)id)
			return &c->vips[i];
	return NULL;
}

/*
 * Gives each VIP of c room for the active backends of t (every backend id) that name it: one
 * allocation a VIP rather than one a backend, which copied the array each time (thousands of
 * backends). Leaves nbackends 0, to be counted again as they are pushed.
 */
static int size_backends(struct xlb_conf *c, const struct xlb_backend *t)
{
	struct xlb_vip_conf *vc;
	__u32 id;
	size_t i;

	for (id = 1; id < XLB_MAX_BACKENDS; id++) {
		vc = t[id].flags & XLB_BE_F_ACTIVE ? vip_by_id(c, t[id].vip_id) : NULL;
		if (vc)
			vc->nbackends++;
	}
	for (i = 0; i < c->nvips; i++) {
		vc = &c->vips[i];
		vc->backends = vc->nbackends ? calloc(vc->nbackends, sizeof(*vc->backends)) : NULL;
		if (vc->nbackends && !vc->backends)
			return -ENOMEM;
		vc->nbackends = 0;
	}
	return 0;
}

int xlb_state_read(const struct xlb_lb *lb, struct xlb_conf *out)
{
	struct xlb_backend *t;
	struct xlb_vip_conf *vc;
	__u32 id;
	int err;

	memset(out, 0, sizeof(*out));
	t = calloc(XLB_MAX_BACKENDS, sizeof(*t));
	if (!t)
		return -ENOMEM;
	err = read_vips(lb, out);
	if (!err)
		err = xlb_backends_read_all(&lb->maps, t);
	if (!err)
		err = size_backends(out, t);
	for (id = 1; !err && id < XLB_MAX_BACKENDS; id++) {
		if (!(t[id].flags & XLB_BE_F_ACTIVE))
			continue;
		vc = vip_by_id(out, t[id].vip_id);
		if (vc) /* an orphan (its VIP went away mid-change) is not running state */
			push_backend(vc, id, &t[id]);
	}
	free(t);
	if (err) {
		xlb_conf_free(out);
		memset(out, 0, sizeof(*out));
	}
	return err;
}
