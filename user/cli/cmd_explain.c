// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xlb explain PROTO SRC:SPORT DST:DPORT: where the data plane would send this flow now and
 * why (its connection-table entry, slot N of its VIP's Maglev table, or for second chance the
 * slot's first and second hop; for nat, the backend's address and port it becomes), computed
 * from the maps with the same hash as XDP, without sending a packet.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <jansson.h>
#include "addr.h"
#include "cli_cmds.h"
#include "xlb_hash.h"
#include "xlb_choice.h"

static void flow_key_of(const struct cli_args *a, struct xlb_flow_key *k)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->src, a->src.a, sizeof(k->src));
	memcpy(k->dst, a->dst.a, sizeof(k->dst));
	k->sport = htons(a->sport);
	k->dport = htons(a->dport);
	k->proto = a->proto;
	k->family = a->src.family;
}

/* The VIP the data plane would match: the exact port, else port 0 while port-0 VIPs exist. */
static int find_vip(const struct xlb_maps *m, const struct xlb_flow_key *k,
		    struct xlb_vip_key *vk, struct xlb_vip *v)
{
	struct xlb_runtime rt;
	int err;

	memset(vk, 0, sizeof(*vk));
	xlb_vip_key_of(vk, k);
	err = xlb_vip_get(m, vk, v);
	if (err != -ENOENT)
		return err;
	err = xlb_runtime_get(m, &rt);
	if (err || !xlb_vip_any_port(&rt))
		return err ? err : -ENOENT;
	vk->port = 0;
	return xlb_vip_get(m, vk, v);
}

/* Puts backend b (id id) into j as its first hop ("backend") or second hop ("second_hop"). */
static void put_backend(json_t *j, const char *key, __u32 id, const struct xlb_backend *b)
{
	char addr[XLB_ADDR_STRLEN], name[32];
	struct xlb_addr ba = { .family = b->family };

	memcpy(ba.a, b->addr, sizeof(ba.a));
	json_object_set_new(j, key, json_string(xlb_addr_str(&ba, addr, sizeof(addr))));
	snprintf(name, sizeof(name), "%s_id", key);
	json_object_set_new(j, name, json_integer(id));
	snprintf(name, sizeof(name), "%s_state", key);
	json_object_set_new(j, name,
			    json_string(b->flags & XLB_BE_F_DOWN ? "down (fail-open)" :
					b->flags & XLB_BE_F_DRAIN ? "drain" : "up"));
}

/*
 * For a nat VIP's flow k sent to backend b, into j: where NAT sends it ("nat_to": the backend's
 * address and port, the flow's own port when the backend has none) and, for full NAT, how many
 * pool addresses its source may take ("snat_pool"): which pair a flow holds, its packets
 * choose (bpf/fnat.h). 0, or a negative errno when the pool could not be read.
 */
static int put_nat(const struct xlb_maps *m, const struct xlb_flow_key *k,
		   const struct xlb_vip *v, const struct xlb_backend *b, json_t *j)
{
	struct xlb_addr ba = { .family = b->family };
	char to[XLB_BE_ADDR_STRLEN];
	struct xlb_snat pool;
	int err;

	if (b->forward != XLB_FWD_NAT)
		return 0;
	memcpy(ba.a, b->addr, sizeof(ba.a));
	xlb_be_addr_str(&ba, ntohs(b->nat_port ? b->nat_port : k->dport), to, sizeof(to));
	json_object_set_new(j, "nat_to", json_string(to));
	err = xlb_snat_get(m, v->id, &pool);
	if (!err && pool.count)
		json_object_set_new(j, "snat_pool", json_integer(pool.count));
	return err;
}

/*
 * Into j: the slot of flow k in VIP v's table and the hops it names, as the data plane takes
 * them (xlb_choice.h). 0, or a negative errno when the table could not be read.
 */
static int decide_slot(const struct xlb_instance *in, const struct xlb_flow_key *k,
		       const struct xlb_vip *v, json_t *j)
{
	__u32 m = in->lb.table_size, slot, *table, val;
	bool two = v->flags & XLB_VIP_F_TWOHOP;
	struct xlb_backend b;
	int err;

	slot = xlb_maglev_slot(xlb_maglev_hash(k, v->sched), m, v->sched);
	json_object_set_new(j, "slot", json_integer(slot));
	json_object_set_new(j, "table_size", json_integer(m));
	table = malloc(m * sizeof(*table));
	if (!table)
		return -ENOMEM;
	err = xlb_table_read(&in->lb.maps, v->id, table, m);
	val = err ? 0 : table[slot];
	free(table);
	if (err == -ENOENT ||
	    (!err && xlb_backend_get(&in->lb.maps, xlb_slot_first(val), &b)) ||
	    (!err && !xlb_be_in_table(b.flags))) {
		json_object_set_new(j, "decision", json_string("no-backend"));
		return 0;
	}
	if (err)
		return err;
	json_object_set_new(j, "decision", json_string(two ? "second-chance" : "maglev"));
	put_backend(j, "backend", xlb_slot_first(val), &b);
	if (!two) {
		json_object_set_new(j, "slot_moved", json_boolean(xlb_slot_moved(val)));
		return put_nat(&in->lb.maps, k, v, &b, j);
	}
	/* As the data plane: a second hop gone since the table was built is none. */
	if (xlb_slot_second(val) &&
	    !xlb_backend_get(&in->lb.maps, xlb_slot_second(val), &b) &&
	    (b.flags & XLB_BE_F_ACTIVE))
		put_backend(j, "second_hop", xlb_slot_second(val), &b);
	else
		json_object_set_new(j, "second_hop", json_null());
	return 0;
}

/* Fills j with the decision for flow k of VIP v. */
static int decide(const struct xlb_instance *in, const struct xlb_flow_key *k,
		  const struct xlb_vip *v, json_t *j)
{
	struct xlb_backend b;
	struct xlb_flow f;

	/* A second-chance VIP's packets never look at the connection table. */
	if (!(v->flags & XLB_VIP_F_TWOHOP) && !xlb_flow_get(&in->lb.maps, k, &f)) {
		if (!xlb_backend_get(&in->lb.maps, f.backend_id, &b) &&
		    xlb_be_follows(b.flags, b.gen, f.gen)) {
			json_object_set_new(j, "decision", json_string("connection-table"));
			json_object_set_new(j, "entry", json_string(f.established ? "established" :
									 "probation"));
			put_backend(j, "backend", f.backend_id, &b);
			return put_nat(&in->lb.maps, k, v, &b, j);
		}
		/* An entry the data plane would not follow: say why. */
		json_object_set_new(j, "ignored_entry",
				    json_string(b.gen == f.gen && (b.flags & XLB_BE_F_ACTIVE) ?
							"its backend is down" :
							"its backend is gone"));
	}
	return decide_slot(in, k, v, j);
}

/* A second-chance slot: first hop, then second hop or none. */
static void print_hops(json_t *j)
{
	json_t *second = json_object_get(j, "second_hop");

	printf("backend %s, %s, ", json_string_value(json_object_get(j, "backend")),
	       json_string_value(json_object_get(j, "backend_state")));
	if (json_is_string(second))
		printf("second hop %s, %s", json_string_value(second),
		       json_string_value(json_object_get(j, "second_hop_state")));
	else
		printf("no second hop");
	printf(" (second-chance slot %lld of %lld)", json_integer_value(json_object_get(j, "slot")),
	       json_integer_value(json_object_get(j, "table_size")));
}

static void print_decision(json_t *j)
{
	const char *d = json_string_value(json_object_get(j, "decision"));

	printf("%s: ", json_string_value(json_object_get(j, "flow")));
	if (!strcmp(d, "not-a-vip")) {
		printf("no VIP matches; the packet passes to the kernel\n");
		return;
	}
	printf("VIP %s -> ", json_string_value(json_object_get(j, "vip")));
	if (!strcmp(d, "no-backend"))
		printf("no usable backend; dropped (no_backend)");
	else if (!strcmp(d, "connection-table"))
		printf("backend %s, %s (connection-table entry, %s)",
		       json_string_value(json_object_get(j, "backend")),
		       json_string_value(json_object_get(j, "backend_state")),
		       json_string_value(json_object_get(j, "entry")));
	else if (!strcmp(d, "maglev"))
		printf("backend %s, %s (Maglev slot %lld of %lld%s)",
		       json_string_value(json_object_get(j, "backend")),
		       json_string_value(json_object_get(j, "backend_state")),
		       json_integer_value(json_object_get(j, "slot")),
		       json_integer_value(json_object_get(j, "table_size")),
		       json_is_true(json_object_get(j, "slot_moved"))
			   ? ", moved: other CPUs' entries are looked for"
			   : "");
	else
		print_hops(j);
	if (json_object_get(j, "nat_to"))
		printf("; NAT to %s", json_string_value(json_object_get(j, "nat_to")));
	if (json_object_get(j, "snat_pool"))
		printf(", from one of its %lld pool addresses",
		       json_integer_value(json_object_get(j, "snat_pool")));
	if (json_object_get(j, "ignored_entry"))
		printf("; connection-table entry not followed: %s",
		       json_string_value(json_object_get(j, "ignored_entry")));
	putchar('\n');
}

int cmd_explain(const struct cli_args *a)
{
	char flow[XLB_FLOW_STRLEN], vname[XLB_VIP_NAME_STRLEN];
	struct xlb_vip_name vn = {};
	struct xlb_instance in;
	struct xlb_flow_key k;
	struct xlb_vip_key vk;
	struct xlb_vip v;
	int ret, err = 0;
	json_t *j;

	ret = cli_open(a, &in, false);
	if (ret)
		return ret;
	flow_key_of(a, &k);
	xlb_flow_str(a->proto, &a->src, a->sport, &a->dst, a->dport, flow, sizeof(flow));
	j = json_pack("{s:s}", "flow", flow);
	if (find_vip(&in.lb.maps, &k, &vk, &v)) {
		json_object_set_new(j, "decision", json_string("not-a-vip"));
	} else {
		vn.addr = a->dst;
		vn.port = ntohs(vk.port);
		vn.proto = a->proto;
		json_object_set_new(j, "vip", json_string(xlb_vip_name_str(&vn, vname, sizeof(vname))));
		err = decide(&in, &k, &v, j);
	}
	if (err) {
		ret = cli_fail_on(in.dev, err, "read the tables");
	} else if (a->json) {
		json_dumpf(j, stdout, JSON_INDENT(2));
		putchar('\n');
	} else {
		print_decision(j);
	}
	json_decref(j);
	xlb_instance_close(&in);
	return ret;
}
