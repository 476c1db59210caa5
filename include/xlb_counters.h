/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The names of the counters xlb_abi.h lays out: drop reasons, XDP verdicts, and one row per
 * counter of struct xlb_stats, xlb_vip_stats, xlb_backend_stats, xlb_conn_stats and
 * xlb_decap_stats. The
 * metrics, the JSON and text of `xlb stats` and `xlb decap stats`, the status page and the
 * fixture harness all name counters from here, and the static asserts below fail the build
 * when a counter is added without its name.
 * Userspace only (after <linux/types.h>); the BPF side never needs a name.
 */
#ifndef XLB_COUNTERS_H
#define XLB_COUNTERS_H

#include <stddef.h>
#include <linux/types.h>
#include "xlb_abi.h"

#define XLB_NAMES_UNUSED __attribute__((unused)) /* not every includer reads every table */
#define XLB_NROWS(t)	 (sizeof(t) / sizeof((t)[0]))

/* Label value of xlb_drops_total{reason}, key of "drops" in `xlb stats -j`, on the status page. */
static const char *const xlb_drop_names[] XLB_NAMES_UNUSED = {
	[XLB_DROP_MALFORMED] = "malformed",   [XLB_DROP_FRAGMENT] = "fragment",
	[XLB_DROP_NO_BACKEND] = "no_backend", [XLB_DROP_TOO_BIG] = "too_big",
	[XLB_DROP_NO_ROOM] = "no_room",	      [XLB_DROP_BAD_VIP] = "bad_vip",
	[XLB_DROP_NOT_HOST] = "not_host",     [XLB_DROP_BAD_CSUM] = "bad_checksum",
	[XLB_DROP_NEW_FLOW_LIMIT] = "new_flow_limit", [XLB_DROP_FRAGMENT_ORPHAN] = "fragment_orphan",
	[XLB_DROP_SNAT_EXHAUSTED] = "snat_exhausted",
};
_Static_assert(XLB_NROWS(xlb_drop_names) == XLB_DROP__MAX, "a name for every drop reason");

/* Label value of xlb_xdp_actions_total{action}, key of "actions", by XDP action. */
static const char *const xlb_action_names[] XLB_NAMES_UNUSED = {
	"aborted", "drop", "pass", "tx", "redirect",
};
_Static_assert(XLB_NROWS(xlb_action_names) == XLB_XDP_ACTIONS, "a name for every XDP action");

/* One __u64 counter of a struct: its names in every view. */
struct xlb_counter {
	const char *key;    /* its JSON key in `xlb stats -j`, and its name in the harness */
	const char *metric; /* its Prometheus counter family; NULL: the balancer's views omit it */
	const char *help;   /* the family's # HELP text */
	const char *group;  /* the part of `xlb stats`' text it is in ("flows"), NULL: none */
	const char *phrase; /* the words after its number there ("hits") */
	size_t off;	    /* where it is in its struct */
};

#define XLB_STATS_OFF(f) offsetof(struct xlb_stats, f)

/* The counters of struct xlb_stats after action[] and drop[], in the order views show them. */
static const struct xlb_counter xlb_stats_counters[] XLB_NAMES_UNUSED = {
	{ "flow_hit", "xlb_flow_table_hits_total",
	  "Packets that followed their flow's connection-table entry.", "flows", "hits",
	  XLB_STATS_OFF(flow_hit) },
	{ "flow_miss", "xlb_flow_table_misses_total",
	  "Packets without a usable connection-table entry, sent by Maglev.", "flows", "misses",
	  XLB_STATS_OFF(flow_miss) },
	{ "fail_open", "xlb_fail_open_packets_total",
	  "Packets sent to a backend marked down because its VIP had none up (on-all-down all).",
	  "flows", "sent fail-open", XLB_STATS_OFF(fail_open) },
	{ "icmp_echo", "xlb_icmp_echo_replies_total", "ICMP echo replies sent for VIP addresses.",
	  "icmp", "echo", XLB_STATS_OFF(icmp_echo) },
	{ "icmp_too_big", "xlb_icmp_too_big_sent_total",
	  "ICMP fragmentation-needed and packet-too-big messages sent to clients.", "icmp",
	  "too-big sent", XLB_STATS_OFF(icmp_too_big) },
	{ "icmp_fwd", "xlb_icmp_errors_forwarded_total",
	  "ICMP errors about a VIP flow forwarded to its backend.", "icmp", "forwarded",
	  XLB_STATS_OFF(icmp_fwd) },
	{ "nat_reply", "xlb_nat_replies_total",
	  "Replies from NAT backends sent back to their clients from the VIP.", "nat",
	  "replies", XLB_STATS_OFF(nat_reply) },
	{ "nat_icmp", "xlb_nat_icmp_errors_total",
	  "ICMP errors from NAT backends about a flow, translated and sent to its client.", "nat",
	  "icmp errors", XLB_STATS_OFF(nat_icmp) },
	{ "nat_icmp_in", "xlb_nat_icmp_errors_in_total",
	  "ICMP errors to a NAT VIP about a flow's reply, translated and sent to its backend.",
	  "nat", "icmp errors in", XLB_STATS_OFF(nat_icmp_in) },
};
_Static_assert(XLB_NROWS(xlb_stats_counters) ==
		       sizeof(struct xlb_stats) / sizeof(__u64) - XLB_XDP_ACTIONS - XLB_DROP__MAX,
	       "a row for every counter of xlb_stats");

/* The counters of struct xlb_vip_stats, labelled {vip,port,proto} in the metrics. */
static const struct xlb_counter xlb_vip_counters[] XLB_NAMES_UNUSED = {
	{ "packets", "xlb_vip_packets_total", "Packets received for the VIP.", NULL, NULL,
	  offsetof(struct xlb_vip_stats, packets) },
	{ "bytes", "xlb_vip_bytes_total", "IP bytes received for the VIP, as they arrived.", NULL,
	  NULL, offsetof(struct xlb_vip_stats, bytes) },
	{ "new_flows", "xlb_vip_new_flows_total", "New flows the VIP assigned to a backend.", NULL,
	  NULL, offsetof(struct xlb_vip_stats, new_flows) },
	{ "new_flows_limited", "xlb_vip_new_flows_limited_total",
	  "SYNs dropped over the VIP's new-flow-limit.", NULL, NULL,
	  offsetof(struct xlb_vip_stats, new_flows_limited) },
};
_Static_assert(XLB_NROWS(xlb_vip_counters) == sizeof(struct xlb_vip_stats) / sizeof(__u64),
	       "a row for every counter of xlb_vip_stats");

/* The counters of struct xlb_backend_stats, labelled {vip,port,proto,backend}. */
static const struct xlb_counter xlb_backend_counters[] XLB_NAMES_UNUSED = {
	{ "packets", "xlb_backend_packets_total", "Packets forwarded to the backend.", NULL, NULL,
	  offsetof(struct xlb_backend_stats, packets) },
	{ "bytes", "xlb_backend_bytes_total",
	  "IP bytes forwarded to the backend, before encapsulation.", NULL, NULL,
	  offsetof(struct xlb_backend_stats, bytes) },
	{ "new_flows", "xlb_backend_new_flows_total", "New flows its VIP assigned to the backend.",
	  NULL, NULL, offsetof(struct xlb_backend_stats, new_flows) },
};
_Static_assert(XLB_NROWS(xlb_backend_counters) ==
		       sizeof(struct xlb_backend_stats) / sizeof(__u64),
	       "a row for every counter of xlb_backend_stats");

#define XLB_CONN_OFF(f) offsetof(struct xlb_conn_stats, f)

/*
 * The event counters of struct xlb_conn_stats (summed over the CPUs' parts), in the order views
 * show them; used, established and the clocks are not counters.
 */
static const struct xlb_counter xlb_conn_counters[] XLB_NAMES_UNUSED = {
	{ "recorded", "xlb_flow_table_recorded_total",
	  "New flows written into the connection table.", NULL, NULL, XLB_CONN_OFF(recorded) },
	{ "replaced", "xlb_flow_table_replaced_total",
	  "Probation entries (one packet seen) given to a newer flow.", NULL, NULL,
	  XLB_CONN_OFF(replaced) },
	{ "evicted", "xlb_flow_table_evicted_total",
	  "Established entries given to a flow that came back to a bucket full of "
	  "established ones.",
	  NULL, NULL, XLB_CONN_OFF(evicted) },
	{ "turned_away", "xlb_flow_table_turned_away_total",
	  "New flows not recorded: every slot of their bucket held an established flow.", NULL,
	  NULL, XLB_CONN_OFF(turned_away) },
	{ "cleared", "xlb_flow_table_cleared_total",
	  "Entries removed by a SYN that reused their 5-tuple.", NULL, NULL,
	  XLB_CONN_OFF(cleared) },
	{ "capped", "xlb_flow_table_capped_total",
	  "New flows forwarded but not recorded: over their CPU's insert limit.", NULL, NULL,
	  XLB_CONN_OFF(capped) },
};
/* All but used, established, capped_at and tat. */
_Static_assert(XLB_NROWS(xlb_conn_counters) == sizeof(struct xlb_conn_stats) / sizeof(__u64) - 4,
	       "a row for every counter of xlb_conn_stats");

/* The decap program's drop reasons: keys of "drops" in `xlb decap stats -j`. */
static const char *const xlb_decap_drop_names[] XLB_NAMES_UNUSED = {
	[XLB_DECAP_DROP_TRUNCATED] = "truncated",     [XLB_DECAP_DROP_GUE_VERSION] = "gue_version",
	[XLB_DECAP_DROP_GUE_CONTROL] = "gue_control", [XLB_DECAP_DROP_GUE_HLEN] = "gue_hlen",
	[XLB_DECAP_DROP_GUE_FLAGS] = "gue_flags",     [XLB_DECAP_DROP_GUE_MAGIC] = "gue_magic",
	[XLB_DECAP_DROP_GUE_PROTO] = "gue_proto",     [XLB_DECAP_DROP_GUE_HOP] = "gue_hop",
	[XLB_DECAP_DROP_NO_ROOM] = "no_room",
};
_Static_assert(XLB_NROWS(xlb_decap_drop_names) == XLB_DECAP_DROP__MAX,
	       "a name for every decap drop reason");

#define XLB_DECAP_OFF(f) offsetof(struct xlb_decap_stats, f)

/*
 * The counters of struct xlb_decap_stats after action[] and drop[], in the order `xlb decap
 * stats` shows them: key in its JSON, phrase in its text (metric, help, group unused).
 */
static const struct xlb_counter xlb_decap_counters[] XLB_NAMES_UNUSED = {
	{ "delivered", NULL, NULL, NULL, "delivered", XLB_DECAP_OFF(delivered) },
	{ "delivered_syn", NULL, NULL, NULL, "of them SYNs naming a second hop",
	  XLB_DECAP_OFF(delivered_syn) },
	{ "delivered_socket", NULL, NULL, NULL, "with a local socket",
	  XLB_DECAP_OFF(delivered_socket) },
	{ "delivered_cookie", NULL, NULL, NULL, "SYN-cookie ACKs",
	  XLB_DECAP_OFF(delivered_cookie) },
	{ "delivered_relayed", NULL, NULL, NULL, "relayed here by a first hop",
	  XLB_DECAP_OFF(delivered_relayed) },
	{ "relayed", NULL, NULL, NULL, "relayed to a second hop", XLB_DECAP_OFF(relayed) },
	{ "relay_failed", NULL, NULL, NULL, "relay failures", XLB_DECAP_OFF(relay_failed) },
};
_Static_assert(XLB_NROWS(xlb_decap_counters) == sizeof(struct xlb_decap_stats) / sizeof(__u64) -
							 XLB_XDP_ACTIONS - XLB_DECAP_DROP__MAX,
	       "a row for every counter of xlb_decap_stats");

/* The value of row c of the struct at base. */
static inline __u64 xlb_counter_get(const struct xlb_counter *c, const void *base)
{
	return *(const __u64 *)((const char *)base + c->off);
}

#endif /* XLB_COUNTERS_H */
