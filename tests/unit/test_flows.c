// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Unit tests of the connection-table walk behind xlb flows list and flush (user/lib/flows.c):
 * which flows a filter selects, pages that give every flow once with a count of the rest,
 * clearing only the selected slots, and the text form of a flow (user/lib/addr.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include "flows.h"

#define NB 4 /* buckets in the test's table: two CPUs' parts of two */

static struct xlb_conn_bucket t[NB];
static struct xlb_backend be[XLB_MAX_BACKENDS];

/* Backend id of VIP vip at 198.18.8.last, gen 7. */
static void put_backend(__u32 id, __u16 vip, __u8 last)
{
	be[id] = (struct xlb_backend){ .family = XLB_FAM_V4, .flags = XLB_BE_F_ACTIVE, .gen = 7,
				       .vip_id = vip };
	be[id].addr[0] = htonl(0xc6120800 | last);
}

/* A flow from port sport to backend id (gen gen) in slot i of bucket b; est if established. */
static void put_flow(int b, int i, __u16 sport, __u16 id, __u32 gen, bool est)
{
	struct xlb_conn *c = &t[b].slot[i];

	memset(c, 0, sizeof(*c));
	c->family = XLB_FAM_V4;
	c->proto = IPPROTO_UDP;
	c->src[0] = htonl(0xc6126c01);
	c->dst[0] = htonl(0xc6120014);
	c->sport = htons(sport);
	c->dport = htons(53);
	c->backend = id;
	c->gen = gen;
	c->stamp = sport;
	t[b].tag[i] = 0x100 + sport;
	if (est)
		t[b].est |= 1 << i;
}

/* Backends 1, 2 of VIP 0 and 3 of VIP 1; flows 1-8 in three buckets, one of them stale. */
static int setup(void **state)
{
	(void)state;
	memset(t, 0, sizeof(t));
	memset(be, 0, sizeof(be));
	put_backend(1, 0, 1);
	put_backend(2, 0, 2);
	put_backend(3, 1, 3);
	put_flow(0, 0, 1, 1, 7, true);
	put_flow(0, 2, 2, 2, 7, false);
	put_flow(0, 4, 3, 1, 7, false);
	put_flow(1, 1, 4, 3, 7, true);
	put_flow(1, 3, 5, 1, 6, true); /* gen 6: its backend id was released since */
	put_flow(3, 0, 6, 2, 7, true);
	put_flow(3, 1, 7, 1, 7, true);
	put_flow(3, 4, 8, 3, 7, false);
	return 0;
}

struct seen {
	int n;
	__u16 ports[16];
	__u64 pos[16];
};

static void collect(const struct xlb_flow_seen *s, void *arg)
{
	struct seen *x = arg;

	x->ports[x->n] = ntohs(s->c.sport);
	x->pos[x->n++] = s->pos;
}

static void test_match(void **state)
{
	struct xlb_flows_filter f = { .be = be };

	(void)state;
	assert_true(xlb_flows_match(&f, &t[0].slot[0]));
	assert_false(xlb_flows_match(&f, &t[1].slot[3])); /* stale gen */
	f.by_vip = true;
	f.vip_id = 1;
	assert_false(xlb_flows_match(&f, &t[0].slot[0]));
	assert_true(xlb_flows_match(&f, &t[1].slot[1]));
	f.by_vip = false;
	f.by_be = true;
	f.be_addr = (struct xlb_addr){ .family = XLB_FAM_V4, .a = { htonl(0xc6120802) } };
	assert_false(xlb_flows_match(&f, &t[0].slot[0]));
	assert_true(xlb_flows_match(&f, &t[0].slot[2]));
	be[2].flags = 0; /* deleted */
	assert_false(xlb_flows_match(&f, &t[0].slot[2]));
}

/* Pages of 3 give the 7 live flows once each, in cursor order, and say how many follow. */
static void test_pages(void **state)
{
	struct xlb_flows_filter f = { .be = be };
	static const __u16 want[] = { 1, 2, 3, 4, 6, 7, 8 };
	struct xlb_flows_page p;
	struct seen s = {};
	__u64 from = 0;
	int pages = 0;

	(void)state;
	do {
		xlb_flows_page(t, NB, from, 3, &f, collect, &s, &p);
		pages++;
		assert_int_equal(p.more, pages == 1 ? 4 : pages == 2 ? 1 : 0);
		from = p.last + 1;
	} while (p.more);
	assert_int_equal(pages, 3);
	assert_int_equal(s.n, 7);
	assert_memory_equal(s.ports, want, sizeof(want));
	assert_int_equal(s.pos[3], 1 * XLB_CONN_SLOTS + 1);
	assert_int_equal(s.pos[6], 3 * XLB_CONN_SLOTS + 4);
	/* Past the last one: nothing. */
	memset(&s, 0, sizeof(s));
	xlb_flows_page(t, NB, NB * XLB_CONN_SLOTS, 3, &f, collect, &s, &p);
	assert_int_equal(s.n + p.listed + p.more, 0);
}

/* Flushing backend 198.18.8.1 of VIP 0 clears its three live slots' tags and nothing else. */
static void test_clear_backend(void **state)
{
	struct xlb_flows_filter f = { .be = be, .by_vip = true, .vip_id = 0, .by_be = true };
	struct xlb_flows_cleared c = {};
	struct xlb_conn_bucket before[NB];

	(void)state;
	f.be_addr = (struct xlb_addr){ .family = XLB_FAM_V4, .a = { htonl(0xc6120801) } };
	memcpy(before, t, sizeof(t));
	xlb_flows_clear(t, NB, &f, &c);
	assert_int_equal(c.flows, 3);
	assert_int_equal(c.established, 2);
	assert_int_equal(t[0].tag[0] | t[0].tag[4] | t[3].tag[1], 0);
	/* Everything else as it was: the other tags, the stale entry, keys, est bits. */
	before[0].tag[0] = before[0].tag[4] = before[3].tag[1] = 0;
	assert_memory_equal(before, t, sizeof(t));
}

/* A VIP's flush clears all its live flows; VIP 1's and the stale one stay. */
static void test_clear_vip(void **state)
{
	struct xlb_flows_filter f = { .be = be, .by_vip = true, .vip_id = 0 };
	struct xlb_flows_cleared c = {};
	struct xlb_flows_page p;
	struct seen s = {};

	(void)state;
	xlb_flows_clear(t, NB, &f, &c);
	assert_int_equal(c.flows, 5);
	assert_int_equal(c.established, 3);
	assert_int_not_equal(t[1].tag[3], 0);
	f.by_vip = false;
	xlb_flows_page(t, NB, 0, 100, &f, collect, &s, &p);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.ports[0], 4);
	assert_int_equal(s.ports[1], 8);
}

static void test_flow_str(void **state)
{
	struct xlb_addr s4 = { .family = XLB_FAM_V4, .a = { htonl(0xc6126c01) } };
	struct xlb_addr d4 = { .family = XLB_FAM_V4, .a = { htonl(0xc6120014) } };
	struct xlb_addr s6 = { .family = XLB_FAM_V6 }, d6 = { .family = XLB_FAM_V6 };
	char buf[XLB_FLOW_STRLEN];

	(void)state;
	assert_string_equal(xlb_flow_str(IPPROTO_UDP, &s4, 2000, &d4, 53, buf, sizeof(buf)),
			    "udp 198.18.108.1:2000 -> 198.18.0.20:53");
	inet_pton(AF_INET6, "2001:db8:200::1", s6.a);
	inet_pton(AF_INET6, "2001:db8::10", d6.a);
	assert_string_equal(xlb_flow_str(IPPROTO_TCP, &s6, 5555, &d6, 443, buf, sizeof(buf)),
			    "tcp [2001:db8:200::1]:5555 -> [2001:db8::10]:443");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_match, setup),
	    cmocka_unit_test_setup(test_pages, setup),
	    cmocka_unit_test_setup(test_clear_backend, setup),
	    cmocka_unit_test_setup(test_clear_vip, setup),
	    cmocka_unit_test(test_flow_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
