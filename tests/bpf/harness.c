// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The fixture harness (harness.h): skeleton loading with the fixtures' rodata, one test run
 * per frame, counter snapshots and the per-case check and report.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "harness.h"
#include "xlb.skel.h"
#include "xlb_decap.skel.h"
#include "env.h"
#include "xlb_counters.h"

static int passed, failed;

/* One line per case: why is NULL (or empty) when it passed. */
void report(const char *name, const char *why)
{
	if (!why || !why[0]) {
		printf("ok %s\n", name);
		passed++;
		return;
	}
	printf("FAIL %s: %s\n", name, why);
	failed++;
}

int report_summary(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

int lb_open(struct lb *lb, __u32 table_size)
{
	return lb_open_limited(lb, table_size, XLB_INSERT_LIMIT_DEFAULT);
}

int lb_open_limited(struct lb *lb, __u32 table_size, __u32 insert_limit)
{
	return lb_open_sized(lb, table_size, insert_limit, XLB_FLOWS_DEFAULT);
}

int lb_open_sized(struct lb *lb, __u32 table_size, __u32 insert_limit, __u32 flows)
{
	struct xlb_cfg *cfg;
	int err;

	memset(lb, 0, sizeof(*lb));
	lb->skel = xlb__open();
	if (!lb->skel)
		return -errno;
	cfg = &lb->skel->rodata->xlb_cfg;
	cfg->src_v4 = env_addr4(LB_SRC4);
	addr_parse(cfg->src_v6, LB_SRC6);
	memcpy(cfg->next_hop, NEXT_HOP_MAC, 6);
	memcpy(cfg->if_mac, LB_MAC, 6);
	cfg->mtu = LB_MTU;
	cfg->table_size = table_size;
	cfg->ttl = LB_TTL;
	lb->skel->rodata->xlb_insert_gap_ns = 1000000000ull / insert_limit;
	err = xlb_conns_size(lb->skel->maps.xlb_conns, &lb->skel->rodata->xlb_conn_buckets, flows);
	if (!err)
		err = xlb__load(lb->skel);
	if (!err)
		err = xlb_maps_from_obj(lb->skel->obj, &lb->maps);
	if (err) {
		xlb__destroy(lb->skel);
		return err;
	}
	lb->prog_fd = bpf_program__fd(lb->skel->progs.xlb_xdp);
	return 0;
}

/* cfg into the decap program's rodata rc, whose defaults stay where cfg leaves 0. */
static void decap_cfg_put(struct xlb_decap_cfg *rc, const struct xlb_decap_cfg *cfg)
{
	struct xlb_decap_cfg c = *cfg;

	c.gue_port = c.gue_port ? c.gue_port : rc->gue_port;
	c.mtu = c.mtu ? c.mtu : rc->mtu;
	c.ttl = c.ttl ? c.ttl : rc->ttl;
	*rc = c;
}

int lb_open_decap(struct lb *d, const struct xlb_decap_cfg *cfg)
{
	int err;

	memset(d, 0, sizeof(*d));
	memset(&d->maps, -1, sizeof(d->maps)); /* only the stats map is open */
	d->dskel = xlb_decap__open();
	err = d->dskel ? 0 : -errno;
	if (!err) {
		decap_cfg_put(&d->dskel->rodata->xlb_decap_cfg, cfg);
		err = xlb_decap__load(d->dskel);
	}
	if (err) {
		xlb_decap__destroy(d->dskel);
		return err;
	}
	d->maps.stats = bpf_map__fd(d->dskel->maps.xlb_decap_stats);
	d->prog_fd = bpf_program__fd(d->dskel->progs.xlb_decap_xdp);
	return 0;
}

void lb_close(struct lb *lb)
{
	if (lb->dskel)
		xlb_decap__destroy(lb->dskel);
	else
		xlb__destroy(lb->skel);
}

/*
 * Runs one frame. Test runs refuse frames shorter than an Ethernet header (EINVAL), so no
 * fixture can cut the Ethernet header itself; VLAN tags and everything after can be cut.
 */
int prog_run(int prog_fd, const struct pkt *in, struct pkt *out, int *verdict)
{
	static __u8 obuf[PKT_MAX + 512];
	LIBBPF_OPTS(bpf_test_run_opts, o, .repeat = 1, .data_in = in->b, .data_size_in = in->len,
		    .data_out = obuf, .data_size_out = sizeof(obuf));

	if (bpf_prog_test_run_opts(prog_fd, &o))
		return -errno;
	if (o.data_size_out > PKT_MAX)
		return -EMSGSIZE;
	*verdict = o.retval;
	out->len = o.data_size_out;
	memcpy(out->b, obuf, out->len);
	return 0;
}

static int snap_read(const struct lb *lb, struct snap *s)
{
	__u32 i;
	int err;

	memset(s, 0, sizeof(*s));
	if (lb->dskel)
		return xlb_decap_stats_read(lb->maps.stats, &s->dec);
	err = xlb_stats_read(lb->maps.stats, &s->st);
	for (i = 0; !err && lb->maps.vip_stats >= 0 && i < SNAP_VIPS; i++)
		err = xlb_vip_stats_read(&lb->maps, i, &s->vip[i]);
	for (i = 0; !err && lb->maps.be_stats >= 0 && i < SNAP_BES; i++)
		err = xlb_backend_stats_read(&lb->maps, i, &s->be[i]);
	return err;
}

/* One counter: 0 when it moved by want, else -1 with the difference written into why. */
static int word_check(const char *prefix, const char *name, __u64 want, __u64 before,
		      __u64 after, char *why, size_t len)
{
	if (after - before == want)
		return 0;
	snprintf(why, len, "%s%s moved by %lld, expected %llu", prefix, name,
		 (long long)(after - before), (unsigned long long)want);
	return -1;
}

/* The counters of table rows[0..n) (xlb_counters.h), named prefix + key. */
static int rows_check(const char *prefix, const struct xlb_counter *rows, size_t n,
		      const void *want, const void *before, const void *after, char *why,
		      size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (word_check(prefix, rows[i].key, xlb_counter_get(&rows[i], want),
			       xlb_counter_get(&rows[i], before), xlb_counter_get(&rows[i], after),
			       why, len))
			return -1;
	return 0;
}

/* The counters of an array indexed by names[0..n), named array[name]. */
static int array_check(const char *array, const char *const *names, const __u64 *want,
		       const __u64 *before, const __u64 *after, size_t n, char *why, size_t len)
{
	char name[40];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s[%s]", array, names[i]);
		if (word_check("", name, want[i], before[i], after[i], why, len))
			return -1;
	}
	return 0;
}

/* A program's counter struct: action[] at its start, drop[ndrop] at drop_off, then rows. */
struct counted {
	const char *const *drop_names;
	size_t ndrop, drop_off;
	const struct xlb_counter *rows;
	size_t nrows;
};

static const struct counted lb_counted = {
	xlb_drop_names, XLB_DROP__MAX, offsetof(struct xlb_stats, drop), xlb_stats_counters,
	XLB_NROWS(xlb_stats_counters)
};
static const struct counted decap_counted = {
	xlb_decap_drop_names, XLB_DECAP_DROP__MAX, offsetof(struct xlb_decap_stats, drop),
	xlb_decap_counters, XLB_NROWS(xlb_decap_counters)
};
_Static_assert(offsetof(struct xlb_stats, action) == 0, "action[] starts xlb_stats");
_Static_assert(offsetof(struct xlb_decap_stats, action) == 0, "action[] starts the decap's");

static int stats_delta_check(const struct counted *c, const void *want, const void *before,
			     const void *after, char *why, size_t n)
{
	const __u64 *w = want, *b = before, *a = after;
	size_t d = c->drop_off / sizeof(__u64);

	if (array_check("action", xlb_action_names, w, b, a, XLB_XDP_ACTIONS, why, n) ||
	    array_check("drop", c->drop_names, w + d, b + d, a + d, c->ndrop, why, n))
		return -1;
	return rows_check("", c->rows, c->nrows, want, before, after, why, n);
}

static int snap_check(const struct lb *lb, const struct snap *want, const struct snap *b,
		      const struct snap *a, char *why, size_t n)
{
	char prefix[24];
	__u32 i;

	if (lb->dskel)
		return stats_delta_check(&decap_counted, &want->dec, &b->dec, &a->dec, why, n);
	if (stats_delta_check(&lb_counted, &want->st, &b->st, &a->st, why, n))
		return -1;
	for (i = 0; i < SNAP_VIPS; i++) {
		snprintf(prefix, sizeof(prefix), "vip[%u].", i);
		if (rows_check(prefix, xlb_vip_counters, XLB_NROWS(xlb_vip_counters), &want->vip[i],
			       &b->vip[i], &a->vip[i], why, n))
			return -1;
	}
	for (i = 0; i < SNAP_BES; i++) {
		snprintf(prefix, sizeof(prefix), "backend[%u].", i);
		if (rows_check(prefix, xlb_backend_counters, XLB_NROWS(xlb_backend_counters),
			       &want->be[i], &b->be[i], &a->be[i], why, n))
			return -1;
	}
	return 0;
}

static void hex_row(const struct pkt *p, __u32 off)
{
	__u32 i;

	for (i = off; i < off + 16; i++)
		if (i < p->len)
			printf(" %02x", p->b[i]);
}

/* Prints the 16-byte rows that differ, expected above got, at most 12 of them. */
static void hex_diff(const struct pkt *want, const struct pkt *got)
{
	__u32 off, max = want->len > got->len ? want->len : got->len;
	int rows = 0;

	printf("  length: expected %u, got %u\n", want->len, got->len);
	for (off = 0; off < max && rows < 12; off += 16) {
		if (off + 16 <= want->len && off + 16 <= got->len &&
		    !memcmp(want->b + off, got->b + off, 16))
			continue;
		printf("  %04x exp", off);
		hex_row(want, off);
		printf("\n       got");
		hex_row(got, off);
		putchar('\n');
		rows++;
	}
}

static bool frame_equal(const struct pkt *a, const struct pkt *b)
{
	return a->len == b->len && !memcmp(a->b, b->b, a->len);
}

void fx_check(const struct lb *lb, const struct fx *x)
{
	static struct snap before, after;
	static struct pkt got;
	char why[160] = "";
	int verdict, err;

	err = snap_read(lb, &before);
	if (!err)
		err = prog_run(lb->prog_fd, &x->in, &got, &verdict);
	if (!err)
		err = snap_read(lb, &after);
	if (err)
		snprintf(why, sizeof(why), "test run: %s", strerror(-err));
	else if (verdict != x->verdict)
		snprintf(why, sizeof(why), "verdict %d, expected %d", verdict, x->verdict);
	else if (!frame_equal(&x->out, &got))
		snprintf(why, sizeof(why), "output frame differs");
	else
		snap_check(lb, &x->delta, &before, &after, why, sizeof(why));
	report(x->name, why);
	if (!err && verdict == x->verdict && !frame_equal(&x->out, &got))
		hex_diff(&x->out, &got);
}
