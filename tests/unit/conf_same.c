// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Whether two configuration models say the same thing, checked field by field, and whether a
 * model writes a given text (conf_same.h). Linked into every unit test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "capture.h"
#include "conf_same.h"
#include "health_conf.h"

static void assert_vip_same(const struct xlb_vip_conf *x, const struct xlb_vip_conf *y)
{
	const struct xlb_be_conf *p, *q;
	size_t j;

	assert_memory_equal(&x->name, &y->name, sizeof(x->name));
	assert_int_equal(x->forward, y->forward);
	assert_int_equal(x->sched, y->sched);
	assert_int_equal(x->gue_port, y->gue_port);
	assert_int_equal(x->new_flow_limit, y->new_flow_limit);
	assert_true(xlb_health_eq(&x->health, &y->health));
	assert_memory_equal(&x->health, &y->health, sizeof(x->health));
	assert_int_equal(x->nbackends, y->nbackends);
	for (j = 0; j < x->nbackends; j++) {
		p = &x->backends[j];
		q = &y->backends[j];
		assert_memory_equal(&p->addr, &q->addr, sizeof(p->addr));
		assert_int_equal(p->weight, q->weight);
		assert_int_equal(p->drain, q->drain);
		assert_int_equal(p->has_mac, q->has_mac);
		assert_memory_equal(p->mac, q->mac, sizeof(p->mac));
	}
}

void assert_conf_same(const struct xlb_conf *a, const struct xlb_conf *b)
{
	size_t i;

	assert_int_equal(a->nvips, b->nvips);
	for (i = 0; i < a->nvips; i++)
		assert_vip_same(&a->vips[i], &b->vips[i]);
}

void assert_conf_writes(const struct xlb_conf *c, const char *text)
{
	char *again = conf_text(c);

	assert_string_equal(again, text);
	free(again);
}
