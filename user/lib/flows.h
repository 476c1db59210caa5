/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Walking the connection table's buckets for xlb flows list and flush: which flows a filter
 * selects, a page of them from a cursor with a count of those after it, and clearing the
 * selected ones. Pure: it works on memory (a mapping of xlb_conns, maps/xlb_flows.c, or a
 * test's array), so it is unit-tested without root.
 */
#ifndef XLB_FLOWS_H
#define XLB_FLOWS_H

#include <stdbool.h>
#include "addr.h"
#include "xlb_abi.h"

#define XLB_FLOWS_LIMIT_DEFAULT 1000
#define XLB_FLOWS_LIMIT_MAX	1000000

/* Which flows: every live one (its backend id in use with the gen it recorded), narrowed. */
struct xlb_flows_filter {
	const struct xlb_backend *be; /* every backend id's entry (xlb_backends_read_all()) */
	__u32 vip_id;
	struct xlb_addr be_addr;
	bool by_vip, by_be;
};

/* One flow, read whole from its slot. pos (bucket * XLB_CONN_SLOTS + slot) is its cursor. */
struct xlb_flow_seen {
	struct xlb_conn c;
	__u64 pos;
	__u16 tag; /* its slot's tag when read */
	bool est;
};

/* Slot i of bucket b read consistently (its tag unchanged around the reads); false if empty. */
bool xlb_flows_read_slot(const struct xlb_conn_bucket *b, int i, struct xlb_flow_seen *out);
bool xlb_flows_match(const struct xlb_flows_filter *f, const struct xlb_conn *c);

typedef void (*xlb_flow_fn)(const struct xlb_flow_seen *s, void *ctx);

struct xlb_flows_page {
	__u32 listed; /* flows given to fn */
	__u64 more;   /* selected flows after them */
	__u64 last;   /* the cursor of the last one listed (for --after) */
};

/*
 * Gives fn the first limit flows f selects at cursors from from on in the n buckets of t,
 * and counts the selected ones after them.
 */
void xlb_flows_page(const struct xlb_conn_bucket *t, __u64 n, __u64 from, __u32 limit,
		    const struct xlb_flows_filter *f, xlb_flow_fn fn, void *ctx,
		    struct xlb_flows_page *out);

/* What a flush cleared. */
struct xlb_flows_cleared {
	__u64 flows;
	__u64 established;
};

/*
 * Clears the flows f selects in the n buckets of t, adding them to *cleared. Only a slot's
 * tag is written, and only if unchanged since its key was read (see flows.c).
 */
void xlb_flows_clear(struct xlb_conn_bucket *t, __u64 n, const struct xlb_flows_filter *f,
		     struct xlb_flows_cleared *cleared);

#endif /* XLB_FLOWS_H */
