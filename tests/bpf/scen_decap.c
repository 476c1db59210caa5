// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The backends' decap program: decap(encap(x)) gives back x's frame (as the balancer addressed
 * it: to the next hop, from the balancer's MAC) for ipip 4in4, 6in6, 4in6, 6in4 and gue, and
 * everything not a tunnel to the configured local address passes untouched.
 */
#include <arpa/inet.h>
#include <string.h>
#include <linux/bpf.h>
#include "cases.h"

static int decap_open(struct lb *d, const char *v4, const char *v6, __u16 gue_port)
{
	struct xlb_decap_cfg cfg = { .gue_port = htons(gue_port) };

	cfg.local_v4 = v4 ? env_addr4(v4) : 0;
	if (v6)
		addr_parse(cfg.local_v6, v6);
	return lb_open_decap(d, &cfg);
}

/* The frame leaves untouched and only the decap program's pass verdict counts. */
static void expect_untouched(struct fx *x)
{
	x->verdict = XDP_PASS;
	x->out = x->in;
	x->delta.dec.action[XDP_PASS]++;
}

/* Sends in to the balancer; x->in becomes its output, which must be an XDP_TX. */
static int encap(const struct lb *lb, struct fx *x, const struct fx_in *in)
{
	int verdict;

	fx_send(x, in);
	if (prog_run(lb->prog_fd, &x->in, &x->in, &verdict) || verdict != XDP_TX) {
		report(x->name, "the balancer did not forward the frame");
		return -1;
	}
	return 0;
}

static void round_trip(const struct lb *lb, const struct lb *d, const char *name,
		       struct fx_in in)
{
	static struct fx x;

	fx_start(&x, name);
	if (encap(lb, &x, &in))
		return;
	fx_frame(&x.out, NEXT_HOP_MAC, LB_MAC, x.nvlan, x.key.family);
	pkt_put(&x.out, x.ip.b, x.ip.len);
	x.verdict = XDP_PASS;
	x.delta.dec.action[XDP_PASS]++;
	x.delta.dec.delivered++;
	fx_check(d, &x);
}

/* in, encapsulated by the balancer if enc, must pass the decap program unchanged. */
static void untouched(const struct lb *lb, const struct lb *d, const char *name,
		      struct fx_in in, bool enc)
{
	static struct fx x;

	fx_start(&x, name);
	if (enc && encap(lb, &x, &in))
		return;
	if (!enc)
		fx_send(&x, &in);
	expect_untouched(&x);
	fx_check(d, &x);
}

static struct fx_in with(struct fx_in in, __u8 nvlan, __u32 pad, __u8 opt_words)
{
	in.nvlan = nvlan;
	in.pad = pad;
	in.ip.opt_words = opt_words;
	return in;
}

static void round_trips(const struct lb *lb, const struct lb *any, const struct lb *gue6)
{
	round_trip(lb, any, "decap(encap) ipip 4in4", fx_tcp("198.18.0.1", 80));
	round_trip(lb, any, "decap(encap) ipip 4in4 ipv4 options",
		   with(fx_tcp("198.18.0.1", 80), 0, 0, 3));
	round_trip(lb, any, "decap(encap) ipip 6in6 one vlan tag",
		   with(fx_tcp("2001:db8:100::1", 80), 1, 0, 0));
	round_trip(lb, any, "decap(encap) ipip 4in6", fx_tcp("198.18.0.3", 443));
	round_trip(lb, any, "decap(encap) ipip 6in4 two vlan tags",
		   with(fx_tcp("2001:db8:100::1", 443), 2, 0, 0));
	round_trip(lb, any, "decap(encap) gue v4 padded frame",
		   with(fx_udp("198.18.0.1", 53), 0, 30, 0));
	round_trip(lb, any, "decap(encap) gue 4in6", fx_udp("198.18.0.3", 53));
	round_trip(lb, gue6, "decap(encap) gue v6 two vlan tags",
		   with(fx_udp("2001:db8:100::1", 53), 2, 0, 0));
}

/* GUE variant 1 whose inner version nibble is 5 carries no IP packet: a counted drop. */
static void bad_inner_version(const struct lb *lb, const struct lb *d)
{
	struct fx_in in = fx_udp("198.18.0.1", 53);
	static struct fx x;

	fx_start(&x, "decap drops gue whose inner version is 5");
	if (encap(lb, &x, &in))
		return;
	x.in.b[14 + 20 + 8] = 0x55;
	x.verdict = XDP_DROP;
	x.out = x.in;
	x.delta.dec.action[XDP_DROP]++;
	x.delta.dec.drop[XLB_DECAP_DROP_GUE_VERSION]++;
	fx_check(d, &x);
}

static void truncated(const struct lb *d, const char *name, __u32 cut)
{
	struct fx_in in = fx_tcp("198.19.0.1", 80);
	static struct fx x;

	fx_start(&x, name);
	fx_send(&x, &in);
	x.in.len = cut;
	expect_untouched(&x);
	fx_check(d, &x);
}

static void passes(const struct lb *lb, const struct lb *any, const struct lb *local)
{
	round_trip(lb, local, "decap ipip to the local v4 address", fx_tcp("198.18.0.1", 80));
	round_trip(lb, local, "decap 6in6 to the local v6 address", fx_tcp("2001:db8:100::1", 80));
	untouched(lb, local, "decap passes ipip to another v4 address",
		  fx_tcp("2001:db8:100::1", 443), true);
	untouched(lb, local, "decap passes 4in6 to another v6 address", fx_tcp("198.18.0.3", 443),
		  true);
	untouched(lb, any, "decap passes plain tcp", fx_tcp("198.19.0.1", 80), false);
	untouched(lb, any, "decap passes udp to another port", fx_udp("198.19.0.1", 6081), false);
	bad_inner_version(lb, any);
	truncated(any, "decap passes a frame cut in the ipv4 header", 14 + 10);
	truncated(any, "decap passes a frame shorter than its ipv4 length", 14 + 30);
}

void scen_decap(const struct lb *lb)
{
	struct lb any, gue6, local;

	if (decap_open(&any, NULL, NULL, 6080))
		goto out;
	if (decap_open(&gue6, NULL, NULL, 6081))
		goto out_any;
	if (decap_open(&local, "198.19.0.1", "2001:db8:200::4", 6080))
		goto out_gue6;
	round_trips(lb, &any, &gue6);
	passes(lb, &any, &local);
	lb_close(&local);
	lb_close(&gue6);
	lb_close(&any);
	return;
out_gue6:
	lb_close(&gue6);
out_any:
	lb_close(&any);
out:
	report("decap: load", "couldn't load the decap program");
}
