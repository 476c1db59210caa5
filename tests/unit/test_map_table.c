// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * cmocka tests of the table of maps (maps/xlb_map_table.c) against the balancer's BPF object,
 * opened but not loaded (no root): every map the object defines has one row, every row names
 * a map of the object with the row's layout, each row has an fd slot of its own, and the
 * fingerprint of the layout changes with any of it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "unit_main.h"
#include <bpf/libbpf.h>

#include "xlb_maps.h"
#include "xlb.skel.h"

static const struct xlb_map_row *row_named(const char *name)
{
	size_t i;

	for (i = 0; i < XLB_MAP_COUNT; i++)
		if (!strcmp(xlb_map_table[i].name, name))
			return &xlb_map_table[i];
	return NULL;
}

static void test_object_maps_have_rows(void **state)
{
	struct xlb *skel = xlb__open();
	struct bpf_map *map;
	size_t n = 0;

	(void)state;
	assert_non_null(skel);
	bpf_object__for_each_map(map, skel->obj) {
		if (bpf_map__is_internal(map))
			continue; /* rodata: pinned as XLB_PIN_CONFIG, read once at adoption */
		assert_non_null(row_named(bpf_map__name(map)));
		n++;
	}
	assert_int_equal(n, XLB_MAP_COUNT);
	xlb__destroy(skel);
}

static void test_rows_name_object_maps(void **state)
{
	struct xlb *skel = xlb__open();
	size_t i;

	(void)state;
	assert_non_null(skel);
	for (i = 0; i < XLB_MAP_COUNT; i++)
		assert_non_null(bpf_object__find_map_by_name(skel->obj, xlb_map_table[i].name));
	xlb__destroy(skel);
}

/* A row says its map's type, key, value and size as the BPF definition does. */
static void test_rows_have_object_layout(void **state)
{
	struct xlb *skel = xlb__open();
	const struct xlb_map_row *r;
	struct bpf_map *map;
	size_t i;

	(void)state;
	assert_non_null(skel);
	for (i = 0; i < XLB_MAP_COUNT; i++) {
		r = &xlb_map_table[i];
		map = bpf_object__find_map_by_name(skel->obj, r->name);
		assert_non_null(map);
		assert_int_equal(bpf_map__type(map), r->type);
		assert_int_equal(bpf_map__key_size(map), r->key_size);
		assert_int_equal(bpf_map__value_size(map), r->value_size);
		if (r->max_entries)
			assert_int_equal(bpf_map__max_entries(map), r->max_entries);
	}
	xlb__destroy(skel);
}

/* Any change of a row's name or shape, or of the order of rows, changes the fingerprint. */
static void test_fingerprint_follows_layout(void **state)
{
	struct xlb_map_row rows[XLB_MAP_COUNT];
	__u32 base = xlb_maps_fingerprint(xlb_map_table, XLB_MAP_COUNT);
	struct xlb_map_row swap;

	(void)state;
	memcpy(rows, xlb_map_table, sizeof(rows));
	assert_int_equal(xlb_maps_fingerprint(rows, XLB_MAP_COUNT), base);
	rows[5].value_size += 8;
	assert_int_not_equal(xlb_maps_fingerprint(rows, XLB_MAP_COUNT), base);
	rows[5].value_size -= 8;
	rows[1].max_entries *= 2;
	assert_int_not_equal(xlb_maps_fingerprint(rows, XLB_MAP_COUNT), base);
	rows[1].max_entries /= 2;
	rows[2].type = BPF_MAP_TYPE_HASH_OF_MAPS;
	assert_int_not_equal(xlb_maps_fingerprint(rows, XLB_MAP_COUNT), base);
	memcpy(rows, xlb_map_table, sizeof(rows));
	swap = rows[3];
	rows[3] = rows[4];
	rows[4] = swap;
	assert_int_not_equal(xlb_maps_fingerprint(rows, XLB_MAP_COUNT), base);
	assert_int_not_equal(xlb_maps_fingerprint(rows, XLB_MAP_COUNT - 1), base);
}

/* Distinct aligned slots inside the struct, as many as it has ints: each member has one row. */
static void test_slots_cover_struct(void **state)
{
	struct xlb_maps m;
	size_t i, j;

	(void)state;
	for (i = 0; i < XLB_MAP_COUNT; i++) {
		assert_true(xlb_map_table[i].slot < sizeof(m));
		assert_int_equal(xlb_map_table[i].slot % sizeof(int), 0);
		for (j = 0; j < i; j++) {
			assert_int_not_equal(xlb_map_table[i].slot, xlb_map_table[j].slot);
			assert_string_not_equal(xlb_map_table[i].name, xlb_map_table[j].name);
		}
	}
	memset(&m, 0, sizeof(m));
	xlb_maps_init(&m);
	assert_int_equal(m.vips, -1);
	assert_int_equal(m.vip_filter, -1);
	xlb_maps_close(&m); /* nothing open: closes nothing */
	assert_int_equal(m.backends, -1);
}

XLB_UNIT_MAIN(test_object_maps_have_rows, test_rows_name_object_maps, test_rows_have_object_layout,
	      test_fingerprint_follows_layout, test_slots_cover_struct)
