// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Times xlb_maglev_build (user/lib/maglev.c) at M = XLB_TABLE_DEFAULT for 10, 100 and 1000
 * equal-weight backends and prints the median, min and max of several runs, under a legend
 * that names the figure the Maglev paper reports.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "maglev.h"

#define RUNS 21

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Builds the table RUNS times (after one warm-up build) and prints one line. */
static int bench_case(size_t n, __u32 *table)
{
	struct xlb_maglev_backend *be;
	double ms[RUNS], start;
	size_t i;
	int err;

	be = calloc(n, sizeof(*be));
	if (!be)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		be[i].family = XLB_FAM_V4;
		be[i].addr[0] = htonl(0x0a000001 + i);
		be[i].weight = 1;
		be[i].id = i + 1;
	}

	err = xlb_maglev_build(be, n, table, XLB_TABLE_DEFAULT);
	for (i = 0; i < RUNS && !err; i++) {
		start = now_ms();
		err = xlb_maglev_build(be, n, table, XLB_TABLE_DEFAULT);
		ms[i] = now_ms() - start;
	}
	if (err)
		goto free_be;

	qsort(ms, RUNS, sizeof(ms[0]), cmp_double);
	printf("%4zu backends   median %6.3f ms   (min %.3f, max %.3f)\n", n, ms[RUNS / 2], ms[0],
	       ms[RUNS - 1]);

free_be:
	free(be);
	return err;
}

int main(void)
{
	static const size_t sizes[] = {10, 100, 1000};
	__u32 *table;
	size_t i;
	int err = 0;

	table = malloc(XLB_TABLE_DEFAULT * sizeof(*table));
	if (!table) {
		fprintf(stderr, "Couldn't allocate table: %s\n", strerror(ENOMEM));
		return EXIT_FAILURE;
	}
	printf("Maglev table build (user/lib/maglev.c, in user space): the time to fill the "
	       "%u-slot lookup table\nof a VIP for N equal-weight backends, over %d builds after "
	       "1 warm-up. The Maglev paper (NSDI 2016)\nreports 1.8 ms at M = 65537.\n",
	       XLB_TABLE_DEFAULT, RUNS);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]) && !err; i++) {
		err = bench_case(sizes[i], table);
		if (err)
			fprintf(stderr, "Couldn't build table for %zu backends: %s\n", sizes[i],
				strerror(-err));
	}
	free(table);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}
