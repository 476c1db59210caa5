/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The schedule of xlbd's health checks: a binary min-heap of nodes embedded in the probes,
 * ordered by when each is next due (a check to start or a timeout to fire). Pure; used by
 * checker.c and unit-tested in tests/unit/test_checker.c.
 */
#ifndef XLB_CHECKER_HEAP_H
#define XLB_CHECKER_HEAP_H

#include <stddef.h>
#include <linux/types.h>

struct xlb_heap_node {
	__u64 when; /* ms, CLOCK_MONOTONIC */
	size_t pos; /* index in the heap, kept by the heap */
};

/* Start from {0}; free with xlb_heap_free() (the nodes belong to the caller). */
struct xlb_heap {
	struct xlb_heap_node **v;
	size_t n, cap;
};

/* 0 or -ENOMEM. */
int xlb_heap_push(struct xlb_heap *h, struct xlb_heap_node *x);
/* Restores the order after x->when changed. */
void xlb_heap_update(struct xlb_heap *h, struct xlb_heap_node *x);
void xlb_heap_remove(struct xlb_heap *h, struct xlb_heap_node *x);
/* The earliest node, or NULL when the heap is empty. */
struct xlb_heap_node *xlb_heap_min(const struct xlb_heap *h);
void xlb_heap_free(struct xlb_heap *h);

#endif /* XLB_CHECKER_HEAP_H */
