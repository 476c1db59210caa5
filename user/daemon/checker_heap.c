// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * A binary min-heap of embedded nodes keyed by time, with each node's position kept in it so
 * it can be moved or removed in O(log n). Pure.
 */
#include <errno.h>
#include <stdlib.h>
#include "checker_heap.h"

static void place(struct xlb_heap *h, size_t i, struct xlb_heap_node *x)
{
	h->v[i] = x;
	x->pos = i;
}

static void sift_up(struct xlb_heap *h, size_t i)
{
	struct xlb_heap_node *x = h->v[i];

	while (i && h->v[(i - 1) / 2]->when > x->when) {
		place(h, i, h->v[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	place(h, i, x);
}

static void sift_down(struct xlb_heap *h, size_t i)
{
	struct xlb_heap_node *x = h->v[i];
	size_t c;

	while ((c = 2 * i + 1) < h->n) {
		if (c + 1 < h->n && h->v[c + 1]->when < h->v[c]->when)
			c++;
		if (h->v[c]->when >= x->when)
			break;
		place(h, i, h->v[c]);
		i = c;
	}
	place(h, i, x);
}

int xlb_heap_push(struct xlb_heap *h, struct xlb_heap_node *x)
{
	struct xlb_heap_node **v;
	size_t cap;

	if (h->n == h->cap) {
		cap = h->cap ? 2 * h->cap : 64;
		v = realloc(h->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		h->v = v;
		h->cap = cap;
	}
	place(h, h->n++, x);
	sift_up(h, x->pos);
	return 0;
}

void xlb_heap_update(struct xlb_heap *h, struct xlb_heap_node *x)
{
	sift_up(h, x->pos);
	sift_down(h, x->pos);
}

void xlb_heap_remove(struct xlb_heap *h, struct xlb_heap_node *x)
{
	struct xlb_heap_node *last = h->v[--h->n];

	if (last == x)
		return;
	place(h, x->pos, last);
	xlb_heap_update(h, last);
}

struct xlb_heap_node *xlb_heap_min(const struct xlb_heap *h)
{
	return h->n ? h->v[0] : NULL;
}

void xlb_heap_free(struct xlb_heap *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}
