// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The read-only views: xlb vip list and xlb stats (like ipvsadm -L -n --stats), as tables
 * or as JSON with the schema documented in README.md.
 */
#include <string.h>
#include <arpa/inet.h>
#include <jansson.h>
#include "addr.h"
#include "backend_settings.h"
#include "cli_cmds.h"
#include "health_conf.h"
#include "health_fsm.h"
#include "snapshot.h"
#include "snat_conf.h"
#include "xlb_counters.h"
#include "vip_settings.h"

/* h is the backend's health: a down backend never checked yet waits for its first check. */
static const char *be_state(const struct xlb_be_conf *b, const struct xlb_backend_health *h)
{
	if (b->down)
		return xlb_health_pending(b->down, h) ? "pending" : "down";
	return b->drain ? "drain" : b->weight ? "up" : "weight-0";
}

/* The counters of table rows[0..n) of the struct at base, as "key": value members of j. */
static void counters_json(json_t *j, const struct xlb_counter *rows, size_t n, const void *base)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rows[i].metric)
			json_object_set_new(j, rows[i].key,
					    json_integer(xlb_counter_get(&rows[i], base)));
}

/* The backend's settings into j, as backend_settings.h names them; a MAC or port only if set. */
static void be_settings_json(json_t *j, const struct xlb_be_settings *s)
{
	char mac[XLB_MAC_STRLEN];
	int i;

	for (i = 0; i < XLB_BSET__MAX; i++) {
		if (!xlb_bset_is_set(s, i))
			continue;
		if (xlb_bsets[i].kind == XLB_BKIND_MAC)
			json_object_set_new(j, xlb_bsets[i].json,
					    json_string(xlb_bset_str(s, i, mac, sizeof(mac))));
		else if (xlb_bsets[i].kind == XLB_BKIND_FLAG)
			json_object_set_new(j, xlb_bsets[i].json,
					    json_boolean(xlb_bset_get(s, i)));
		else
			json_object_set_new(j, xlb_bsets[i].json,
					    json_integer(xlb_bset_get(s, i)));
	}
}

static json_t *backend_json(const struct xlb_be_conf *b, const struct xlb_snap_backend *sb,
			    bool counters)
{
	const struct xlb_backend_health *h = &sb->health;
	char addr[XLB_ADDR_STRLEN];
	json_t *j;

	j = json_pack("{s:s}", "address", xlb_addr_str(&b->addr, addr, sizeof(addr)));
	if (!j)
		return NULL;
	be_settings_json(j, &b->bset);
	json_object_set_new(j, "down", json_boolean(b->down));
	json_object_set_new(j, "state", json_string(be_state(b, h)));
	json_object_set_new(j, "ramp", json_integer(b->ramp ? b->ramp : 100));
	if (counters) {
		counters_json(j, xlb_backend_counters, XLB_NROWS(xlb_backend_counters), &sb->st);
		json_object_set_new(j, "checks_ok", json_integer(h->checks_ok));
		json_object_set_new(j, "checks_failed", json_integer(h->checks_failed));
		json_object_set_new(j, "transitions", json_integer(h->transitions));
		json_object_set_new(j, "streak", json_integer(h->streak));
		json_object_set_new(j, "last_error", json_integer(h->last_error));
	}
	return j;
}

/* The settings of group g into j, as vip_settings.h names them. */
static void settings_json(json_t *j, const struct xlb_vip_conf *v, enum xlb_vset_group g)
{
	__u32 val;
	int i;

	for (i = 0; i < XLB_VSET__MAX; i++) {
		if (xlb_vsets[i].group != g)
			continue;
		val = xlb_vset_get(&v->set, i);
		if (xlb_vsets[i].kind == XLB_VKIND_FLAG)
			json_object_set_new(j, xlb_vsets[i].json, json_boolean(val));
		else if (xlb_vsets[i].kind == XLB_VKIND_WORD)
			json_object_set_new(j, xlb_vsets[i].json,
					    json_string(xlb_vset_str(i, val, NULL, 0)));
		else
			json_object_set_new(j, xlb_vsets[i].json, json_integer(val));
	}
}

/* Full NAT's pool as a list of addresses ([] for none). */
static json_t *snat_json(const struct xlb_snat_conf *p)
{
	char a[XLB_ADDR_STRLEN];
	json_t *l = json_array();
	__u32 i;

	for (i = 0; l && i < p->n && i < XLB_SNAT_MAX; i++)
		json_array_append_new(l, json_string(xlb_addr_str(&p->a[i], a, sizeof(a))));
	return l;
}

static json_t *vip_json(const struct xlb_vip_conf *v, const struct xlb_snap_vip *sv,
			bool counters)
{
	char name[XLB_VIP_NAME_STRLEN], health[256];
	json_t *j, *bes;
	size_t i;

	bes = json_array();
	for (i = 0; i < v->nbackends; i++)
		json_array_append_new(bes,
				      backend_json(&v->backends[i], &sv->backends[i], counters));
	j = json_pack("{s:s}", "vip", xlb_vip_name_str(&v->name, name, sizeof(name)));
	settings_json(j, v, XLB_VGROUP_FORWARD);
	if (v->forward == XLB_FWD_NAT)
		json_object_set_new(j, "snat", snat_json(&v->snat));
	settings_json(j, v, XLB_VGROUP_LIMIT);
	json_object_set_new(j, "check", json_string(xlb_check_str(v->health.check)));
	json_object_set_new(j, "health",
			    json_string(xlb_health_summary(&v->health, health, sizeof(health))));
	settings_json(j, v, XLB_VGROUP_HEALTH);
	json_object_set_new(j, "backends", bes);
	if (j && sv->fingerprint[0])
		json_object_set_new(j, "fingerprint", json_string(sv->fingerprint));
	if (j && counters)
		counters_json(j, xlb_vip_counters, XLB_NROWS(xlb_vip_counters), &sv->st);
	return j;
}

static json_t *global_json(const struct xlb_stats *s)
{
	json_t *drops = json_object(), *acts = json_object(), *j;
	int i;

	for (i = 0; i < XLB_DROP__MAX; i++)
		json_object_set_new(drops, xlb_drop_names[i], json_integer(s->drop[i]));
	for (i = 0; i < XLB_XDP_ACTIONS; i++)
		json_object_set_new(acts, xlb_action_names[i], json_integer(s->action[i]));
	j = json_pack("{s:o, s:o}", "drops", drops, "actions", acts);
	if (j)
		counters_json(j, xlb_stats_counters, XLB_NROWS(xlb_stats_counters), s);
	return j;
}

/* The connection table: fill, what happened to new flows, and the flood state. */
static json_t *table_json(const struct xlb_snapshot *s)
{
	json_t *j = json_pack("{s:I, s:I, s:I, s:I}", "used", (json_int_t)s->flows_used, "capacity",
			      (json_int_t)s->flows_max, "bytes", (json_int_t)s->flows_bytes,
			      "established", (json_int_t)s->conn.established);

	if (j) {
		counters_json(j, xlb_conn_counters, XLB_NROWS(xlb_conn_counters), &s->conn);
		json_object_set_new(j, "flood", json_boolean(s->flood));
	}
	return j;
}

static bool wanted(const struct cli_args *a, const struct xlb_vip_conf *v)
{
	return !a->has_vip || !xlb_vip_name_cmp(&v->name, &a->vip);
}

/* " snat ADDR,ADDR" for a full NAT VIP's pool. */
static void print_snat(json_t *l)
{
	json_t *a;
	size_t i;

	json_array_foreach(l, i, a)
		printf("%s%s", i ? "," : " snat ", json_string_value(a));
}

static void print_vip_line(json_t *v, bool counters)
{
	printf("%-32s %-5s %-12s %-5s", json_string_value(json_object_get(v, "vip")),
	       json_string_value(json_object_get(v, "forward")),
	       json_string_value(json_object_get(v, "sched")),
	       json_string_value(json_object_get(v, "check")));
	if (!counters)
		printf(" %s", json_string_value(json_object_get(v, "fingerprint")) ?: "-");
	if (counters)
		printf(" %12lld %12lld %14lld", json_integer_value(json_object_get(v, "new_flows")),
		       json_integer_value(json_object_get(v, "packets")),
		       json_integer_value(json_object_get(v, "bytes")));
	if (json_is_true(json_object_get(v, "second_chance")))
		printf(" second-chance");
	if (json_integer_value(json_object_get(v, "slow_start")))
		printf(" slow-start %llds", json_integer_value(json_object_get(v, "slow_start")));
	print_snat(json_object_get(v, "snat"));
	putchar('\n');
}

/* The backend's address, with its port if it has one: as `backend add` takes it. */
static const char *be_addr_text(json_t *b, char *buf, size_t len)
{
	const char *addr = json_string_value(json_object_get(b, "address"));
	json_int_t port = json_integer_value(json_object_get(b, "port"));
	bool v6 = strchr(addr, ':');

	if (!port)
		return addr;
	snprintf(buf, len, "%s%s%s:%lld", v6 ? "[" : "", addr, v6 ? "]" : "", port);
	return buf;
}

static void print_backends(json_t *v, bool counters)
{
	char addr[XLB_BE_ADDR_STRLEN];
	size_t i;
	json_t *b;

	json_array_foreach(json_object_get(v, "backends"), i, b) {
		printf("  -> %-27s w%-4lld %-14s", be_addr_text(b, addr, sizeof(addr)),
		       json_integer_value(json_object_get(b, "weight")),
		       json_string_value(json_object_get(b, "state")));
		if (counters)
			printf(" %12s %12lld %14lld", "",
			       json_integer_value(json_object_get(b, "packets")),
			       json_integer_value(json_object_get(b, "bytes")));
		if (json_integer_value(json_object_get(b, "ramp")) < 100)
			printf(" ramp %lld%%", json_integer_value(json_object_get(b, "ramp")));
		putchar('\n');
	}
}

/* "flows: 5 hits, 1 misses, ...; icmp: 0 echo, ..." as the rows of xlb_stats_counters say. */
static void print_global_counters(json_t *g)
{
	const struct xlb_counter *c;
	const char *group = NULL;
	size_t i;

	for (i = 0; i < XLB_NROWS(xlb_stats_counters); i++) {
		c = &xlb_stats_counters[i];
		if (!c->metric)
			continue;
		if (!group || strcmp(group, c->group))
			printf("%s%s: ", group ? "; " : "", c->group);
		else
			fputs(", ", stdout);
		group = c->group;
		printf("%lld %s", json_integer_value(json_object_get(g, c->key)), c->phrase);
	}
}

static void print_global(json_t *g)
{
	const char *k;
	json_t *v;

	print_global_counters(g);
	printf("\ndrops:");
	json_object_foreach(json_object_get(g, "drops"), k, v)
		printf(" %s %lld", k, json_integer_value(v));
	printf("\nverdicts:");
	json_object_foreach(json_object_get(g, "actions"), k, v)
		printf(" %s %lld", k, json_integer_value(v));
	putchar('\n');
}

static long long table_value(json_t *t, const char *k)
{
	return json_integer_value(json_object_get(t, k));
}

static void print_table(json_t *t)
{
	if (!json_is_object(t))
		return;
	printf("flow table: %lld of %lld (%lld established); %lld recorded, %lld replaced on "
	       "probation, %lld established evicted, %lld turned away, %lld capped; flood %s\n",
	       table_value(t, "used"), table_value(t, "capacity"), table_value(t, "established"),
	       table_value(t, "recorded"), table_value(t, "replaced"), table_value(t, "evicted"),
	       table_value(t, "turned_away"), table_value(t, "capped"),
	       json_is_true(json_object_get(t, "flood")) ? "yes" : "no");
}

/* vip list (counters false) and stats (true) of a snapshot, as JSON. */
static json_t *show_json(const struct cli_args *a, const struct xlb_snapshot *s, bool counters)
{
	json_t *vips = json_array();
	size_t i;

	for (i = 0; i < s->conf.nvips; i++)
		if (wanted(a, &s->conf.vips[i]))
			json_array_append_new(vips,
					      vip_json(&s->conf.vips[i], &s->vips[i], counters));
	if (!counters)
		return vips;
	return json_pack("{s:o, s:o, s:o}", "vips", vips, "global", global_json(&s->global),
			 "flow_table", table_json(s));
}

static void show_print(json_t *out, bool counters)
{
	json_t *vips = counters ? json_object_get(out, "vips") : out, *v;
	size_t i;

	printf("%-32s %-5s %-12s %-5s%s\n", "VIP", "MODE", "SCHED", "CHECK",
	       counters ? "    NEW FLOWS      PACKETS          BYTES" : " TABLE");
	json_array_foreach(vips, i, v) {
		print_vip_line(v, counters);
		print_backends(v, counters);
	}
	if (counters) {
		print_global(json_object_get(out, "global"));
		print_table(json_object_get(out, "flow_table"));
	}
}

/* vip list, and stats (which adds the counters). */
int cmd_show(const struct cli_args *a)
{
	bool counters = a->cmd == CMD_STATS;
	struct xlb_snapshot s;
	struct xlb_instance in;
	int ret, err;
	json_t *out;

	ret = cli_open(a, &in, false);
	if (ret)
		return ret;
	err = xlb_snapshot_take(&in.lb, in.dev, &s);
	if (err) {
		xlb_instance_close(&in);
		return cli_fail_on(in.dev, err, "read xlb's state");
	}
	out = show_json(a, &s, counters);
	if (a->has_vip && !json_array_size(counters ? json_object_get(out, "vips") : out))
		ret = cli_fail(EX_NOINPUT, "VIP does not exist");
	if (!ret && a->json) {
		json_dumpf(out, stdout, JSON_INDENT(2));
		putchar('\n');
	} else if (!ret) {
		show_print(out, counters);
	}
	json_decref(out);
	xlb_snapshot_free(&s);
	xlb_instance_close(&in);
	return ret;
}
