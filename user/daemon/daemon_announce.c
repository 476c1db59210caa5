// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The publisher of VIP routes. Each run reads the running state and the node's drain flag,
 * decides per address with xlb_announce_want(), and changes only the routes that differ.
 * Before every VIP's first health round has finished it only withdraws what an operator asked
 * for (drain, VIP deleted), so a restarted daemon never flaps routes it cannot judge yet.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "daemon_announce.h"
#include "daemon_log.h"
#include "node.h"
#include "route_nl.h"

struct xlbd_announce {
	struct xlb_instance *in;
	const struct xlbd_health *health;
	struct xlb_announce_view view;
	bool failing[XLB_MAX_VIPS]; /* the last change of view.v[i] failed (logged once) */
	bool adopted;		    /* the routes already in view.table were read */
};

static void route_str(const struct xlb_addr *a, char *buf, size_t len)
{
	char s[XLB_ADDR_STRLEN];

	snprintf(buf, len, "%s/%u", xlb_addr_str(a, s, sizeof(s)),
		 a->family == XLB_FAM_V4 ? 32 : 128);
}

/* Publishes or withdraws entry i; logs and counts the change, or logs its failure once. */
static void change(struct xlbd_announce *a, size_t i, bool on, enum xlb_announce_reason why)
{
	struct xlb_announce_addr *e = &a->view.v[i];
	char r[XLB_ADDR_STRLEN + 8];
	int err;

	route_str(&e->addr, r, sizeof(r));
	err = on ? xlb_route_publish(a->view.table, &e->addr)
		 : xlb_route_withdraw(a->view.table, &e->addr);
	if (err) {
		if (!a->failing[i])
			xlbd_log(XLBD_WARN, "Couldn't %s the route '%s' in table %u: %s",
				 on ? "publish" : "withdraw", r, a->view.table, strerror(-err));
		a->failing[i] = true;
		return;
	}
	a->failing[i] = false;
	e->announced = on;
	e->transitions++;
	xlbd_log(on ? XLBD_INFO : XLBD_WARN, "%s VIP route %s %s table %u: %s",
		 on ? "published" : "withdrew", r, on ? "in" : "from", a->view.table,
		 xlb_announce_reason_str(why));
}

static ssize_t find(const struct xlbd_announce *a, const struct xlb_addr *addr)
{
	const struct xlb_announce_addr *e = xlb_announce_find(&a->view, addr);

	return e ? e - a->view.v : -1;
}

static void add_entry(struct xlbd_announce *a, const struct xlb_addr *addr, bool announced)
{
	if (find(a, addr) >= 0 || a->view.n == XLB_MAX_VIPS)
		return;
	a->failing[a->view.n] = false;
	a->view.v[a->view.n++] = (struct xlb_announce_addr){.addr = *addr, .announced = announced};
}

/* Withdraws every route of ours from table, where an earlier daemon published. */
static void clear_table(__u32 table)
{
	struct xlb_addr *found = calloc(XLB_MAX_VIPS, sizeof(*found));
	int i, n, err = 0;

	n = found ? xlb_route_list(table, found, XLB_MAX_VIPS) : -ENOMEM;
	for (i = 0; !err && i < n; i++)
		err = xlb_route_withdraw(table, &found[i]);
	err = n < 0 ? n : err;
	if (err)
		xlbd_log(XLBD_WARN, "Couldn't withdraw the VIP routes from table %u: %s", table,
			 strerror(-err));
	else if (n)
		xlbd_log(XLBD_INFO, "withdrew %d VIP route%s from table %u: publishing moved", n,
			 n == 1 ? "" : "s", table);
	free(found);
}

/* Records in the maps where routes go now, so `xlb detach` finds them. */
static void record_table(struct xlbd_announce *a)
{
	int err = xlb_instance_lock(a->in);

	if (!err) {
		err = xlb_node_set_route_table(&a->in->lb, a->view.table);
		xlb_instance_unlock(a->in);
	}
	if (err)
		xlbd_log(XLBD_WARN, "Couldn't record routing table %u in xlb's maps: %s",
			 a->view.table, strerror(-err));
}

/* Takes over the routes a previous daemon left in the table (clearing an older table). */
static void adopt(struct xlbd_announce *a, __u32 recorded)
{
	struct xlb_addr *found;
	int i, n;

	a->adopted = true;
	if (recorded && recorded != a->view.table)
		clear_table(recorded);
	record_table(a);
	if (!a->view.table)
		return;
	found = calloc(XLB_MAX_VIPS, sizeof(*found));
	n = found ? xlb_route_list(a->view.table, found, XLB_MAX_VIPS) : -ENOMEM;
	if (n < 0)
		xlbd_log(XLBD_WARN, "Couldn't read the routes of table %u: %s", a->view.table,
			 strerror(-n));
	for (i = 0; i < n; i++)
		add_entry(a, &found[i], true);
	free(found);
	if (n > 0)
		xlbd_log(XLBD_INFO, "adopted %d VIP route%s in table %u", n, n == 1 ? "" : "s",
			 a->view.table);
}

/* Whether every VIP on addr has finished its first health round. */
static bool addr_settled(const struct xlbd_announce *a, const struct xlb_conf *c,
			 const struct xlb_addr *addr)
{
	size_t i;

	for (i = 0; i < c->nvips; i++)
		if (!xlb_addr_cmp(&c->vips[i].name.addr, addr) &&
		    !xlbd_health_settled(a->health, &c->vips[i]))
			return false;
	return true;
}

/* The announce delay: ends (for good) once every VIP's first round has finished. */
static void update_waiting(struct xlbd_announce *a, const struct xlb_conf *c)
{
	size_t i;

	if (!a->view.waiting)
		return;
	for (i = 0; i < c->nvips; i++)
		if (!xlbd_health_settled(a->health, &c->vips[i]))
			return;
	a->view.waiting = false;
	xlbd_log(XLBD_INFO,
		 "first health round of every VIP done: publishing VIP routes in table %u",
		 a->view.table);
}

/* One address: changes its route when it should differ and the announce delay allows it. */
static void reconcile(struct xlbd_announce *a, const struct xlb_conf *c, size_t i)
{
	struct xlb_announce_addr *e = &a->view.v[i];
	enum xlb_announce_reason why;
	bool want = xlb_announce_want(c, &e->addr, a->view.drained, &why);

	if (want && !e->announced && !a->view.waiting && addr_settled(a, c, &e->addr))
		change(a, i, true, why);
	else if (!want && e->announced &&
		 (!a->view.waiting || why == XLB_ANN_DRAINED || why == XLB_ANN_NO_VIP))
		change(a, i, false, why);
}

/* Drops entries of addresses without a VIP and without a route. */
static void compact(struct xlbd_announce *a, const struct xlb_conf *c)
{
	enum xlb_announce_reason why;
	size_t i, n = 0;

	for (i = 0; i < a->view.n; i++) {
		xlb_announce_want(c, &a->view.v[i].addr, false, &why);
		if (a->view.v[i].announced || why != XLB_ANN_NO_VIP) {
			a->failing[n] = a->failing[i];
			a->view.v[n++] = a->view.v[i];
		}
	}
	a->view.n = n;
}

void xlbd_announce_run(struct xlbd_announce *a)
{
	struct xlb_conf c = {};
	struct xlb_runtime rt;
	size_t i;
	int err;

	err = xlb_node_get(&a->in->lb, &rt);
	if (!err && !a->adopted)
		adopt(a, rt.route_table);
	if (!err && a->view.table)
		err = xlb_state_read(&a->in->lb, &c);
	if (err) {
		xlbd_log(XLBD_ERR, "Couldn't read xlb's state on '%s': %s", a->in->dev,
			 strerror(-err));
		return;
	}
	if (!a->view.table)
		return;
	a->view.drained = rt.node_flags & XLB_NODE_F_DRAINED;
	update_waiting(a, &c);
	for (i = 0; i < c.nvips; i++)
		add_entry(a, &c.vips[i].name.addr, false);
	for (i = 0; i < a->view.n; i++)
		reconcile(a, &c, i);
	compact(a, &c);
	xlb_conf_free(&c);
}

void xlbd_announce_set_table(struct xlbd_announce *a, __u32 table)
{
	size_t i;

	if (table == a->view.table)
		return;
	for (i = 0; i < a->view.n; i++)
		if (a->view.v[i].announced)
			change(a, i, false, XLB_ANN_OFF);
	if (table)
		xlbd_log(XLBD_INFO, "VIP routes now go to table %u", table);
	else
		xlbd_log(XLBD_INFO, "VIP routes are not published any more");
	a->view.n = 0;
	a->view.table = table;
	a->adopted = false;
}

const struct xlb_announce_view *xlbd_announce_view(const struct xlbd_announce *a)
{
	return &a->view;
}

int xlbd_announce_new(struct xlb_instance *in, const struct xlbd_health *h, __u32 table,
		      struct xlbd_announce **out)
{
	struct xlbd_announce *a = calloc(1, sizeof(*a));

	if (!a)
		return -ENOMEM;
	a->in = in;
	a->health = h;
	a->view.table = table;
	a->view.waiting = true;
	*out = a;
	return 0;
}

void xlbd_announce_free(struct xlbd_announce *a)
{
	free(a);
}
