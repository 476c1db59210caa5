// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Unit tests of the counter names (include/xlb_counters.h): every drop reason and XDP action
 * named, every __u64 of the counter structs covered by exactly one row, names unique, label
 * values and JSON keys in [a-z0-9_], and metric names valid Prometheus counter names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "unit_main.h"
#include "xlb_counters.h"

/* A label value or JSON key printed without escaping: [a-z0-9_]+. */
static void assert_word(const char *s)
{
	assert_non_null(s);
	assert_true(s[0]);
	assert_int_equal(strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_"), strlen(s));
}

/* A Prometheus counter name, [a-zA-Z_:][a-zA-Z0-9_:]*, ending in _total. */
static void assert_counter_metric(const char *s)
{
	static const char first[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_:";
	static const char rest[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789_:";
	size_t len = strlen(s);

	assert_true(s[0] && strchr(first, s[0]));
	assert_int_equal(strspn(s, rest), len);
	assert_true(len > 6 && !strcmp(s + len - 6, "_total"));
}

static void assert_unique(const char *const *names, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (!strcmp(names[i], names[j]))
				fail_msg("'%s' names two counters", names[i]);
}

static void test_enums_named(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < XLB_DROP__MAX; i++)
		assert_word(xlb_drop_names[i]);
	assert_unique(xlb_drop_names, XLB_DROP__MAX);
	for (i = 0; i < XLB_XDP_ACTIONS; i++)
		assert_word(xlb_action_names[i]);
	assert_unique(xlb_action_names, XLB_XDP_ACTIONS);
	for (i = 0; i < XLB_DECAP_DROP__MAX; i++)
		assert_word(xlb_decap_drop_names[i]);
	assert_unique(xlb_decap_drop_names, XLB_DECAP_DROP__MAX);
}

/*
 * Rows [0..n) cover the __u64 words of a struct of size bytes from its byte first on, each
 * word once; every shown row has a valid metric, a help line without newline or backslash
 * (HELP text is not escaped), and keys and metrics are unique.
 */
static void check_table(const struct xlb_counter *rows, size_t n, size_t first, size_t size)
{
	const char *keys[16], *metrics[16];
	bool seen[16] = {};
	size_t i, w, nmetrics = 0;

	assert_true(n <= 16 && (size - first) / sizeof(__u64) <= 16);
	assert_int_equal(n, (size - first) / sizeof(__u64));
	for (i = 0; i < n; i++) {
		assert_word(rows[i].key);
		keys[i] = rows[i].key;
		assert_int_equal(rows[i].off % sizeof(__u64), 0);
		assert_true(rows[i].off >= first && rows[i].off < size);
		w = (rows[i].off - first) / sizeof(__u64);
		assert_false(seen[w]);
		seen[w] = true;
		if (!rows[i].metric)
			continue;
		assert_counter_metric(rows[i].metric);
		metrics[nmetrics++] = rows[i].metric;
		assert_non_null(rows[i].help);
		assert_null(strpbrk(rows[i].help, "\\\n"));
	}
	assert_unique(keys, n);
	assert_unique(metrics, nmetrics);
}

static void test_tables_cover_structs(void **state)
{
	(void)state;
	check_table(xlb_stats_counters, XLB_NROWS(xlb_stats_counters),
		    offsetof(struct xlb_stats, drop) + sizeof(((struct xlb_stats *)0)->drop),
		    sizeof(struct xlb_stats));
	check_table(xlb_vip_counters, XLB_NROWS(xlb_vip_counters), 0,
		    sizeof(struct xlb_vip_stats));
	check_table(xlb_backend_counters, XLB_NROWS(xlb_backend_counters), 0,
		    sizeof(struct xlb_backend_stats));
	check_table(xlb_decap_counters, XLB_NROWS(xlb_decap_counters),
		    offsetof(struct xlb_decap_stats, drop) +
			    sizeof(((struct xlb_decap_stats *)0)->drop),
		    sizeof(struct xlb_decap_stats));
}

/* `xlb stats` prints every global counter it shows in a group, after its number. */
static void test_text_words(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < XLB_NROWS(xlb_stats_counters); i++) {
		if (!xlb_stats_counters[i].metric)
			continue;
		assert_word(xlb_stats_counters[i].group);
		assert_non_null(xlb_stats_counters[i].phrase);
		assert_true(xlb_stats_counters[i].phrase[0]);
	}
}

static const struct xlb_counter *row(const struct xlb_counter *rows, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].key, key))
			return &rows[i];
	fail_msg("no row '%s'", key);
	return NULL;
}

#define GET(table, key, base) xlb_counter_get(row(table, XLB_NROWS(table), key), base)

/* A row reads its own field: the names stay with their counters. */
static void test_counter_get(void **state)
{
	struct xlb_stats s = { .flow_hit = 1, .flow_miss = 2, .icmp_echo = 3, .icmp_too_big = 4,
			       .icmp_fwd = 5, .fail_open = 7 };
	struct xlb_vip_stats v = { .packets = 8, .bytes = 9, .new_flows = 10 };
	struct xlb_backend_stats b = { .packets = 11, .bytes = 12 };

	(void)state;
	assert_int_equal(GET(xlb_stats_counters, "flow_hit", &s), 1);
	assert_int_equal(GET(xlb_stats_counters, "flow_miss", &s), 2);
	assert_int_equal(GET(xlb_stats_counters, "icmp_echo", &s), 3);
	assert_int_equal(GET(xlb_stats_counters, "icmp_too_big", &s), 4);
	assert_int_equal(GET(xlb_stats_counters, "icmp_fwd", &s), 5);
	assert_int_equal(GET(xlb_stats_counters, "fail_open", &s), 7);
	assert_int_equal(GET(xlb_vip_counters, "packets", &v), 8);
	assert_int_equal(GET(xlb_vip_counters, "bytes", &v), 9);
	assert_int_equal(GET(xlb_vip_counters, "new_flows", &v), 10);
	assert_int_equal(GET(xlb_backend_counters, "packets", &b), 11);
	assert_int_equal(GET(xlb_backend_counters, "bytes", &b), 12);
}

XLB_UNIT_MAIN(test_enums_named, test_tables_cover_structs, test_text_words, test_counter_get)
