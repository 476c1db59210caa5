// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xlb flows list [VIP] [--backend ADDR] [--limit N] [--after CURSOR]: the connection table's
 * live flows a page at a time; xlb flows flush VIP [--backend ADDR]: forgetting those of a
 * VIP or of one of its backends, under the instance lock (state_flows.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <jansson.h>
#include "addr.h"
#include "cli_cmds.h"
#include "flows.h"
#include "state.h"

/* What the lines of a page are made from. */
struct flows_out {
	const struct xlb_conf *conf;
	const struct xlb_backend *be;
	const __u32 *clock; /* each CPU part's, for ages */
	__u32 per_cpu;
	json_t *list; /* -j: the flows go here */
};

/* f as a's VIP and --backend ask, against the running state conf: EX_OK, or the error said. */
static int filter_of(const struct cli_args *a, const struct xlb_conf *conf,
		     struct xlb_flows_filter *f)
{
	const struct xlb_vip_conf *v = NULL;
	size_t i;

	f->by_be = a->given & OPT_BIT(OPT_BACKEND);
	f->be_addr = a->be_addr;
	if (a->has_vip) {
		v = xlb_conf_find_vip(conf, &a->vip);
		if (!v)
			return cli_no_vip(a);
		f->by_vip = true;
		f->vip_id = v->id;
	}
	if (!f->by_be || xlb_vip_find_backend(v, &a->be_addr))
		return EX_OK;
	for (i = 0; !v && i < conf->nvips; i++)
		if (xlb_vip_find_backend(&conf->vips[i], &a->be_addr))
			return EX_OK;
	return cli_no_backend(a);
}

/* An open instance, its running state, every backend id's entry, and the filter a asks for. */
struct flows_state {
	struct xlb_instance in;
	struct xlb_conf conf;
	struct xlb_backend *be;
	struct xlb_flows_filter f;
};

static void unload(struct flows_state *st)
{
	free(st->be);
	xlb_conf_free(&st->conf);
	xlb_instance_close(&st->in);
}

/* Opens a's instance (locked if lock) and loads st from it: EX_OK, or the error said. */
static int load(const struct cli_args *a, bool lock, struct flows_state *st)
{
	int err, ret;

	ret = cli_open_state(a, &st->in, lock, &st->conf);
	if (ret)
		return ret;
	st->be = calloc(XLB_MAX_BACKENDS, sizeof(*st->be));
	err = st->be ? xlb_backends_read_all(&st->in.lb.maps, st->be) : -ENOMEM;
	if (err) {
		ret = cli_fail_on(st->in.dev, err, "read the backends");
		goto fail;
	}
	memset(&st->f, 0, sizeof(st->f));
	st->f.be = st->be;
	ret = filter_of(a, &st->conf, &st->f);
	if (ret == EX_OK)
		return EX_OK;
fail:
	unload(st);
	return ret;
}

static const char *vip_name(const struct xlb_conf *conf, __u32 id, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < conf->nvips; i++)
		if (conf->vips[i].id == (__s32)id)
			return xlb_vip_name_str(&conf->vips[i].name, buf, len);
	return "";
}

/*
 * The flow as a nat backend sees it (the client's source, the backend's address and port)
 * into buf, or NULL when its backend is not nat's.
 */
static const char *nat_flow(const struct xlb_conn *c, const struct xlb_backend *b, char *buf,
			    size_t len)
{
	struct xlb_addr src = { .family = c->family }, ba = { .family = b->family };

	if (b->forward != XLB_FWD_NAT)
		return NULL;
	memcpy(src.a, c->src, sizeof(src.a));
	memcpy(ba.a, b->addr, sizeof(ba.a));
	return xlb_flow_str(c->proto, &src, ntohs(c->sport), &ba,
			    ntohs(b->nat_port ? b->nat_port : c->dport), buf, len);
}

/* One flow of the page: a line, or an object of the -j list. */
static void put_flow(const struct xlb_flow_seen *s, void *arg)
{
	const struct flows_out *o = arg;
	const struct xlb_backend *b = &o->be[s->c.backend];
	struct xlb_addr src = { .family = s->c.family }, dst = src, ba = { .family = b->family };
	char flow[XLB_FLOW_STRLEN], be[XLB_ADDR_STRLEN], vip[XLB_VIP_NAME_STRLEN];
	char natb[XLB_FLOW_STRLEN];
	const char *state = s->est ? "established" : "probation", *nat;
	json_t *j;
	/* Flows its CPU recorded since (the table keeps no time): wrap-safe, as in bpf/conn.h. */
	__u32 age = o->clock[s->pos / XLB_CONN_SLOTS / o->per_cpu] - s->c.stamp;

	memcpy(src.a, s->c.src, sizeof(src.a));
	memcpy(dst.a, s->c.dst, sizeof(dst.a));
	memcpy(ba.a, b->addr, sizeof(ba.a));
	xlb_flow_str(s->c.proto, &src, ntohs(s->c.sport), &dst, ntohs(s->c.dport), flow,
		     sizeof(flow));
	xlb_addr_str(&ba, be, sizeof(be));
	nat = nat_flow(&s->c, b, natb, sizeof(natb));
	if (!o->list) {
		printf("%s backend %s %s age %u%s%s\n", flow, be, state, age, nat ? " nat " : "",
		       nat ? nat : "");
		return;
	}
	j = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I}", "flow", flow, "vip",
		      vip_name(o->conf, b->vip_id, vip, sizeof(vip)), "backend", be, "state",
		      state, "age", (json_int_t)age, "cursor", (json_int_t)s->pos);
	if (j && nat) /* the backend's side of a NATed flow */
		json_object_set_new(j, "nat_flow", json_string(nat));
	json_array_append_new(o->list, j);
}

/* The page a asks for from the mapped table v. */
static void list_page(const struct cli_args *a, const struct xlb_conns_view *v,
		      struct flows_out *o, const struct xlb_flows_filter *f)
{
	__u64 from = a->given & OPT_BIT(OPT_AFTER) ? a->after + 1 : 0;
	struct xlb_flows_page p;
	json_t *j;

	o->list = a->json ? json_array() : NULL;
	xlb_flows_page(v->t, v->n, from, a->limit, f, put_flow, o, &p);
	if (!a->json) {
		if (p.more)
			printf("%llu more: add --after %llu for the next page\n",
			       (unsigned long long)p.more, (unsigned long long)p.last);
		return;
	}
	j = json_pack("{s:o,s:I}", "flows", o->list, "more", (json_int_t)p.more);
	if (p.more)
		json_object_set_new(j, "after", json_integer(p.last));
	json_dumpf(j, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(j);
}

/* A page of st's flows, read through a mapping of the table: 0, or the exit code once said. */
static int list_mapped(const struct cli_args *a, struct flows_state *st)
{
	struct flows_out o;
	struct xlb_conns_view v;
	__u32 *clock;
	int err = xlb_conns_map(&st->in.lb.maps, false, &v);

	if (err)
		return cli_fail_on(st->in.dev, err, "map the connection table");
	clock = calloc(v.ncpu, sizeof(*clock));
	err = clock ? xlb_conns_clocks(&st->in.lb.maps, v.ncpu, clock) : -ENOMEM;
	if (!err) {
		o = (struct flows_out){
			.conf = &st->conf, .be = st->be, .clock = clock, .per_cpu = v.per_cpu
		};
		list_page(a, &v, &o, &st->f);
	}
	free(clock);
	xlb_conns_unmap(&v);
	return err ? cli_fail_on(st->in.dev, err, "read the connection table") : 0;
}

/*
 * Read without the instance lock, as explain reads: through a mapping of the table, so a
 * walk of 32M flows makes no syscall and takes nothing from the data plane or the writers.
 */
int cmd_flows_list(const struct cli_args *a)
{
	struct flows_state st;
	int ret = load(a, false, &st);

	if (ret)
		return ret;
	ret = list_mapped(a, &st);
	unload(&st);
	return ret;
}

int cmd_flows_flush(const struct cli_args *a)
{
	struct flows_state st;
	__u64 n = 0;
	int ret, err;

	ret = load(a, true, &st);
	if (ret)
		return ret;
	err = xlb_state_flush_flows(&st.in.lb, &st.f, &n);
	if (err)
		ret = cli_fail_on(st.in.dev, err, "flush the flows");
	else if (a->json)
		printf("{\n  \"flushed\": %llu\n}\n", (unsigned long long)n);
	else
		printf("%llu flows flushed\n", (unsigned long long)n);
	unload(&st);
	return ret;
}
