/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The one ABI between xlb's XDP programs and its userspace: map keys and values, counter
 * layouts, limits, pin names and the load-time configuration. Included by bpf/ (after
 * vmlinux.h) and by userspace (after <linux/types.h>); nothing here depends on either side.
 * Every struct is fixed-width, explicitly padded and size-checked.
 */
#ifndef XLB_ABI_H
#define XLB_ABI_H

/*
 * The version of what the maps mean. Their sizes and parameters are fingerprinted from the
 * table of maps (maps/xlb_map_table.c) without anyone's help; bump this when a key or value
 * changes its meaning while keeping its size (a field reused, a unit changed), so that pins
 * made by one build are never read by another that understands them differently.
 */
#define XLB_ABI_VERSION 1

/* Address families as stored in keys and values (never AF_* whose values differ per OS). */
#define XLB_FAM_V4 4
#define XLB_FAM_V6 6

/*
 * The enumerations below end in a __MAX sentinel, one past the last member, so that range
 * checks stay right when a member is added.
 */

/* Forwarding modes of a VIP (0 is none). */
enum xlb_forward {
	XLB_FWD_IPIP = 1, /* IPv4/IPv6 in IPv4/IPv6, outer family = backend's */
	XLB_FWD_GUE,	  /* outer IP + UDP + inner IP (GUE variant 1) */
	XLB_FWD_DR,	  /* direct routing: the frame goes to the backend's MAC, IP untouched */
	XLB_FWD_NAT,	  /* LVS-NAT: destination rewritten to the backend's address and port */
	XLB_FWD__MAX,
};

/* Scheduling: which fields pick the Maglev slot of a new flow (0 is none). */
enum xlb_sched {
	XLB_SCHED_MAGLEV = 1,  /* the 5-tuple */
	XLB_SCHED_SH,	       /* the source address only (client stickiness) */
	XLB_SCHED_MAGLEV_FAST, /* the 5-tuple, through the connection hash */
	XLB_SCHED__MAX,
};

/* Limits; the map sizes below are these, and userspace validates against them. */
#define XLB_MAX_VIPS	     1024  /* VIP ids 0..1023 */
#define XLB_MAX_BACKENDS     16384 /* backend ids 1..16383; id 0 means "none" */
#define XLB_FLOWS_DEFAULT    65536 /* connection-table flows unless set at load */
#define XLB_TABLE_DEFAULT    65537 /* Maglev table size M (prime) */
#define XLB_GUE_PORT_DEFAULT 6080
#define XLB_MTU_DEFAULT	     1500
#define XLB_MTU_MIN	     1352 /* IPv6's minimum 1280 plus the largest encapsulation (72:
				   * IPv6, UDP and second chance's GUE header) */
#define XLB_MTU_MAX	     9216
#define XLB_TTL_DEFAULT	     64

/*
 * VIP key: (family, address, port, protocol). IPv4 uses addr[0] and leaves addr[1..3] zero.
 * port 0 matches every port of that address and protocol. An entry with proto 0 and port 0
 * is the address entry that userspace keeps for every address that has a VIP: it answers
 * ICMP echo and claims fragments sent to that address.
 */
struct xlb_vip_key {
	__be32 addr[4];
	__be16 port;
	__u8 proto; /* IPPROTO_TCP, IPPROTO_UDP, or 0 for the address entry */
	__u8 family;
};
_Static_assert(sizeof(struct xlb_vip_key) == 20, "xlb_vip_key is ABI");

#define XLB_VIP_F_ADDR 0x1 /* the address entry: no forwarding, only ICMP echo/fragments */
#define XLB_VIP_F_TWOHOP 0x2 /* second chance: two hops a table slot, no connection table */

struct xlb_vip {
	__u32 id;	    /* index into xlb_tables and xlb_vip_stats */
	__u8 forward;	    /* XLB_FWD_* */
	__u8 sched;	    /* XLB_SCHED_* */
	__be16 gue_port;    /* outer UDP destination port for XLB_FWD_GUE */
	__u32 flags;	    /* XLB_VIP_F_* */
	__u32 table_sig;    /* userspace only: what the table was built from, 0 = unknown */
	__u32 new_flow_limit; /* SYNs admitted per second on each CPU (new-flow-limit), 0: all */
};
_Static_assert(sizeof(struct xlb_vip) == 20, "xlb_vip is ABI");

/*
 * The VIP cache (xlb_vip_cache): a direct-mapped copy of xlb_vips that the data plane reads
 * before the hash map: one inlined array lookup and a 20-byte compare instead of a hash
 * lookup's call, hash and bucket walk. Slot xlb_vip_cache_slot() of a key holds that key's VIP,
 * another key's, or nothing (family 0); a key that finds another's there is looked up in
 * xlb_vips, which stays the whole truth. The library writes both (maps/xlb_maps.c): a slot
 * matches no key (family 0) while its VIP changes, and is written whole before its key matches.
 * One 64-byte line a slot.
 */
#define XLB_VIP_CACHE_SLOTS 4096 /* a power of 2, twice xlb_vips' entries */

struct xlb_vip_slot {
	struct xlb_vip_key key;
	struct xlb_vip vip;
	__u8 pad[24];
};
_Static_assert(sizeof(struct xlb_vip_slot) == 64, "xlb_vip_slot is ABI");

/*
 * Backend, indexed by backend id. A backend belongs to one VIP. gen changes whenever the id
 * is released, so a connection-table entry that recorded an older gen is not followed.
 * weight and XLB_BE_F_DRAIN are kept here for userspace (the maps are the running state);
 * the data plane sees their effect only through the VIP's Maglev table.
 */
#define XLB_BE_F_ACTIVE 0x1 /* the id is in use */
#define XLB_BE_F_DOWN	0x2 /* failed health checks: its flows are re-hashed */
#define XLB_BE_F_DRAIN	0x4 /* out of the table, existing flows kept */
#define XLB_BE_F_FAIL_OPEN 0x8 /* down, but its VIP has none up and fails open: flows followed */
#define XLB_BE_F_TWOHOP	0x10 /* its VIP is second chance: GUE variant 0 naming the second hop */

struct xlb_backend {
	__be32 addr[4];
	__u8 mac[6];	 /* destination MAC for XLB_FWD_DR and XLB_FWD_NAT */
	__u8 family;	 /* XLB_FAM_*: the outer family for ipip/gue */
	__u8 flags;	 /* XLB_BE_F_* */
	__u32 gen;
	__u16 vip_id;
	__u16 weight;
	/* The VIP's forwarding, copied here so a known flow needs no VIP lookup at all. */
	__u8 forward;	 /* XLB_FWD_* */
	__u8 ramp;	 /* userspace: slow start's percent of weight in the table; 0 = all */
	union {
		__be16 gue_port; /* XLB_FWD_GUE: the outer UDP destination port */
		__be16 nat_port; /* XLB_FWD_NAT: the backend's port; 0 keeps the client's */
	};
};
_Static_assert(sizeof(struct xlb_backend) == 36, "xlb_backend is ABI");

/*
 * A table slot (the __u32 values of a VIP's inner table in xlb_tables): the backend id of the
 * first hop in the low 16 bits, and for a second-chance VIP (XLB_VIP_F_TWOHOP) the id of the
 * second hop in the next 15, 0 when the slot has none other than the first. Maglev tables
 * hold 0 there. XLB_SLOT_STABLE marks a slot whose first hop has not changed while the
 * connection table was kept, so every entry of its flows, in any CPU's part, names that
 * backend; a slot without it (tables of an xlb from before the mark too) counts as moved.
 * This node's history, not derived from the backends: fingerprints leave it out.
 */
#define XLB_SLOT_SECOND_SHIFT 16
#define XLB_SLOT_FIRST_MASK   0xffff
#define XLB_SLOT_SECOND_MASK  0x7fff
#define XLB_SLOT_STABLE	      0x80000000u
_Static_assert(XLB_MAX_BACKENDS <= XLB_SLOT_SECOND_MASK + 1, "backend ids fit either hop");

/*
 * A flow's 5-tuple as it arrived and its family, as members: 38 bytes, said once for the flow key
 * and the connection table's entry, which puts its backend id where the key has padding.
 */
#define XLB_FLOW_TUPLE                                                                            \
	__be32 src[4];                                                                             \
	__be32 dst[4];                                                                             \
	__be16 sport;                                                                              \
	__be16 dport;                                                                              \
	__u8 proto;                                                                                \
	__u8 family

/* Connection table key: the client's 5-tuple as it arrived. */
struct xlb_flow_key {
	XLB_FLOW_TUPLE;
	__u16 pad;
};
_Static_assert(sizeof(struct xlb_flow_key) == 40, "xlb_flow_key is ABI");

/*
 * A fragmented datagram (xlb_frags' key): its addresses, upper-layer protocol and
 * identification (IPv4's 16 bits zero-extended, IPv6's 32).
 */
struct xlb_frag_key {
	__be32 src[4];
	__be32 dst[4];
	__be32 id;
	__u8 proto;
	__u8 family;
	__u16 pad;
};
_Static_assert(sizeof(struct xlb_frag_key) == 40, "xlb_frag_key is ABI");

#define XLB_FRAG_PASS 0xffffffff /* xlb_frag.backend: the first fragment went to the stack */

/*
 * Where a datagram's first fragment went: backend id and gen, its flow's hash, and with full
 * NAT which pool address its source became (the later fragments carry no ports to find it by).
 */
struct xlb_frag {
	__u32 backend; /* or XLB_FRAG_PASS */
	__u32 gen;
	__u32 hash; /* xlb_conn_hash()'s high half, for the outer headers */
	__u32 snat; /* full NAT: 1 + the index of the pool address in xlb_snat; 0 otherwise */
};
_Static_assert(sizeof(struct xlb_frag) == 16, "xlb_frag is ABI");

/*
 * What the first fragment of a NAT backend's reply datagram became (xlb_nat_frags' value, by
 * the datagram as it arrived, struct xlb_frag_key): its source (the VIP) and destination (the
 * client; for LVS-NAT the same as before), which its later fragments get too.
 */
struct xlb_nat_frag {
	__be32 src[4];
	__be32 dst[4];
};
_Static_assert(sizeof(struct xlb_nat_frag) == 32, "xlb_nat_frag is ABI");

/*
 * A NATed flow as its replies show it (xlb_nat's value; the key is the reply's 5-tuple as it
 * arrives from the backend, struct xlb_flow_key): the VIP and port the client sent to, which
 * become the reply's source again, and the backend, for its counters. With full NAT (full 1)
 * the key's destination is a pool address and port, and the reply's destination becomes the
 * client's address and port again; the client packets of the flow find their source there.
 */
struct xlb_nat {
	__be32 vip[4];
	__be32 client[4]; /* full NAT: the client's address; zero otherwise */
	__be16 vport;
	__be16 cport;	  /* full NAT: the client's port */
	__u16 backend;	  /* backend id */
	__u8 full;	  /* 1: a full NAT entry */
	__u8 closing;	  /* 1: a FIN or RST passed, in either direction: fin_s applies */
	__u32 stamp;	  /* the second (coarse clock) the flow last passed, either direction */
	__u16 idle_s;	  /* its VIP's nat-tcp-timeout or nat-udp-timeout when made */
	__u16 fin_s;	  /* its VIP's nat-fin-timeout when made */
};
_Static_assert(sizeof(struct xlb_nat) == 48, "xlb_nat is ABI");

/*
 * A nat VIP's NAT settings (xlb_snat's value, by VIP id): how long its xlb_nat entries live
 * unused (seconds; fin_timeout once a FIN or RST passed), and full NAT's source pool: count
 * addresses of the backends' family (IPv4 in addr[i][0]); count 0 is plain LVS-NAT. A new
 * flow's source is the first free (or expired) one of XLB_SNAT_TRIES (address, port)
 * candidates that xlb_snat_candidate() (xlb_hash.h) derives from its hash, ports in
 * [XLB_SNAT_PORT_MIN, XLB_SNAT_PORT_MAX]: below Linux's default ephemeral range (32768-60999),
 * so the balancer host's own connections from a pool address never use a port xlb hands out.
 */
#define XLB_SNAT_MAX	  8
#define XLB_SNAT_TRIES	  8
#define XLB_SNAT_PORT_MIN 1024
#define XLB_SNAT_PORT_MAX 32767

/*
 * What a nat client packet builds before writing xlb_nat (xlb_nat_scratch's value, per CPU); a
 * full NAT later fragment builds its key into xlb_frags there instead.
 */
struct xlb_nat_scratch {
	union {
		struct xlb_flow_key key;
		struct xlb_frag_key frag;
	};
	struct xlb_nat entry;
};
_Static_assert(sizeof(struct xlb_nat_scratch) == 88, "xlb_nat_scratch is ABI");

/* The timeouts' defaults (IPVS's TCP, UDP and FIN_WAIT ones) and ranges, in seconds. */
#define XLB_NAT_TCP_TIMEOUT 900
#define XLB_NAT_UDP_TIMEOUT 300
#define XLB_NAT_FIN_TIMEOUT 120
#define XLB_NAT_TIMEOUT_MAX 65535 /* about 18 hours: the fields are 16 bits */

struct xlb_snat {
	__be32 addr[XLB_SNAT_MAX][4];
	__u32 count;
	__u16 tcp_timeout;
	__u16 udp_timeout;
	__u16 fin_timeout;
	__u16 pad;
};
_Static_assert(sizeof(struct xlb_snat) == 140, "xlb_snat is ABI");

/* What the connection table holds for a flow, as userspace reads it (xlb_flow_get()). */
struct xlb_flow {
	__u32 backend_id;
	__u32 gen;  /* the backend's gen when the flow was recorded */
	__u32 hash; /* xlb_conn_hash() of the key, as outer headers carry it */
	__u32 established; /* 1 once the flow showed a second packet, 0 on probation */
};
_Static_assert(sizeof(struct xlb_flow) == 16, "xlb_flow is ABI");

/*
 * The connection table (xlb_conns): an array of buckets, one part of it per CPU (flows stay
 * on one CPU under RSS, so each part has one writer and no cache line is shared). A flow's
 * bucket in its CPU's part is picked by xlb_conn_hash() (each part has an even number of
 * buckets, in pairs: a full bucket lends its flows the empty slots of its pair); the bucket's
 * first line holds a tag per slot, so a lookup reads one slot's key (or none, for a new flow). A slot is the flow key
 * without its padding, the backend and its gen, and a stamp: 48 bytes, and 256 per bucket of
 * XLB_CONN_SLOTS (51.2 bytes a flow, nothing else per flow).
 */
#define XLB_CONN_SLOTS 5
#define XLB_CONN_SPILL 0x80 /* xlb_conn_bucket.next: flows of this bucket live in its pair too */
/*
 * Fragmented datagrams followed at once (xlb_frags; and NAT backends' replies, xlb_nat_frags):
 * an entry is needed only from a datagram's first fragment to its last, microseconds apart on
 * one path, milliseconds with reordering; 16K entries hold 1.6M fragmented datagrams a second
 * spread over 10 ms. Evicting an old one only drops the stragglers of a datagram long past
 * (counted fragment_orphan; a reply's go up). 2.0 MB (xlb_nat_frags 2.3 MB).
 */
#define XLB_FRAG_ENTRIES 16384
/*
 * NATed flows whose replies are translated back at once (xlb_nat): the connection table's
 * default size. An evicted entry, the least recently used, is made again by the flow's next
 * client packet; until then its replies go up to the stack. About 7 MB.
 */
#define XLB_NAT_ENTRIES 65536
#define XLB_SYN_SLOTS  65536 /* recent SYNs remembered (xlb_syns): a power of two */
#define XLB_FLOWS_MIN  65536
#define XLB_FLOWS_MAX  (1u << 25) /* 32M */

struct xlb_conn {
	XLB_FLOW_TUPLE;
	__u16 backend;	/* backend id */
	__u32 gen;	/* the backend's gen when the flow was recorded */
	__u32 stamp;	/* the part's clock (xlb_conn_stats.recorded) at insert or establishment */
};
_Static_assert(sizeof(struct xlb_conn) == 48, "xlb_conn is ABI");
_Static_assert(XLB_MAX_BACKENDS <= 65536, "backend ids fit xlb_conn.backend");

struct xlb_conn_bucket {
	/*
	 * The low half of xlb_conn_hash() (| 1) of the last new flow turned away because every
	 * slot held an established flow: when that flow's next packet comes, it has shown two packets and takes the
	 * oldest established slot. 0: none.
	 */
	__u32 knock;
	__u16 tag[XLB_CONN_SLOTS]; /* xlb_conn_tag() of each slot's flow; 0: the slot is empty */
	__u8 est;		   /* bit i: slot i is established (it saw a second packet) */
	__u8 next;		   /* where the search for a probation slot to reuse starts, and
				    * XLB_CONN_SPILL: a flow of this bucket took an empty slot of
				    * its pair, the bucket whose index differs in the lowest bit */
	struct xlb_conn slot[XLB_CONN_SLOTS];
};
_Static_assert(sizeof(struct xlb_conn_bucket) == 256, "xlb_conn_bucket is ABI");

/*
 * One CPU's part of the table (xlb_conn_stats, per CPU, key 0); readers sum the CPUs and the
 * key XLB_CONN_STATS_USER, where userspace counts the flows it flushed (used and established
 * go down there, cleared up).
 */
#define XLB_CONN_STATS_USER 1
struct xlb_conn_stats {
	__u64 used;	   /* slots holding a flow */
	__u64 established; /* of which established */
	__u64 recorded;	   /* flows written into a slot; also the part's clock for stamps */
	__u64 replaced;	   /* probation entries given to a newer flow */
	__u64 evicted;	   /* established entries given to a flow that knocked twice */
	__u64 turned_away; /* new flows not recorded: their bucket held only established ones */
	__u64 cleared;	   /* entries removed by a SYN that reused their 5-tuple, or flushed */
	__u64 capped;	   /* new flows not recorded: over this CPU's insert limit */
	__u64 capped_at;   /* CLOCK_MONOTONIC_COARSE ns of the last of those (flood state) */
	__u64 tat;	   /* the insert limit's clock: when the next insert is due, ns */
};
_Static_assert(sizeof(struct xlb_conn_stats) == 80, "xlb_conn_stats is ABI");

/*
 * Inserts a CPU may make per second (--insert-limit), with a second's worth as burst: above
 * it new flows are forwarded by Maglev but not recorded, and counted (capped).
 */
#define XLB_INSERT_LIMIT_DEFAULT 250000
#define XLB_INSERT_LIMIT_MAX	 100000000
#define XLB_FLOOD_WINDOW_NS	 2000000000ull /* a capped insert this recent: flood state */
#define XLB_NEW_FLOW_LIMIT_MAX	 100000000 /* a VIP's new-flow-limit, SYNs a second per CPU */

/*
 * One bit per hash of a VIP address (xlb_addr_filter_bit() in xlb_hash.h), set by userspace
 * for every address that has a VIP: a packet whose bit is clear is not for a VIP, and leaves
 * without a hash-map lookup. Bits are set before a VIP is added and cleared after it is gone.
 * The same bit in twohop is set for every address that has a second-chance VIP: only packets
 * whose bit is set there look their VIP up before the connection table, which such VIPs never
 * use (a set bit shared with another address costs that address's flows a VIP lookup).
 */
#define XLB_FILTER_BITS 65536

struct xlb_vip_filter {
	__u64 bits[XLB_FILTER_BITS / 64];
	__u64 twohop[XLB_FILTER_BITS / 64];
};
_Static_assert(sizeof(struct xlb_vip_filter) == 2 * XLB_FILTER_BITS / 8, "xlb_vip_filter is ABI");

/*
 * Run-time switches the fast path reads (xlb_runtime[0]), and the node's fleet state kept
 * beside them so it outlives every process: the data plane never reads node_flags or
 * route_table.
 */
#define XLB_NODE_F_DRAINED 0x1 /* `xlb node drain`: no VIP route published, flows still served */

struct xlb_runtime {
	__u32 any_port_vips; /* number of port-0 VIPs: 0 skips the second VIP lookup */
	__u32 node_flags;    /* userspace only: XLB_NODE_F_* */
	__u32 route_table;   /* userspace only: where xlbd last published VIP routes, 0 = none */
	__u32 nat_vips;	     /* number of nat VIPs: 0 skips the NAT reply lookup */
};
_Static_assert(sizeof(struct xlb_runtime) == 16, "xlb_runtime is ABI");

/*
 * VIP routes (xlbd): a blackhole host route per served VIP address in a routing table no
 * `ip rule` points at, tagged with this protocol number so BIRD learns it as an alien route.
 */
#define XLB_RTPROT		250
#define XLB_ROUTE_TABLE_DEFAULT 9661

/* Counters. All per-CPU; readers sum the CPUs. */
struct xlb_vip_stats {
	__u64 packets;
	__u64 bytes;
	__u64 new_flows;
	__u64 new_flows_limited; /* SYNs dropped over the VIP's new-flow-limit */
};
_Static_assert(sizeof(struct xlb_vip_stats) == 32, "xlb_vip_stats is ABI");

struct xlb_backend_stats {
	__u64 packets;
	__u64 bytes;
	__u64 new_flows; /* new flows its VIP gave it (SYNs of second-chance VIPs) */
};
_Static_assert(sizeof(struct xlb_backend_stats) == 24, "xlb_backend_stats is ABI");

/* Why a packet was dropped; XLB_DROP__MAX sizes the counter array. */
enum xlb_drop_reason {
	XLB_DROP_MALFORMED,  /* truncated header, ihl < 5, bad length */
	XLB_DROP_FRAGMENT,   /* fragment to a VIP address xlb cannot forward: impossible offset
			      * or length, first fragment without the ports, not TCP/UDP */
	XLB_DROP_NO_BACKEND, /* the VIP has no usable backend */
	XLB_DROP_TOO_BIG,    /* encapsulated size over the MTU and fragmenting allowed (no DF) */
	XLB_DROP_NO_ROOM,    /* bpf_xdp_adjust_head/tail refused */
	XLB_DROP_BAD_VIP,    /* the VIP entry names an unknown forwarding mode */
	XLB_DROP_NOT_HOST,   /* ICMP owed to a source that is not one host (RFC 1122 3.2.2) */
	XLB_DROP_BAD_CSUM,   /* echo request to a VIP address with a wrong ICMP checksum */
	XLB_DROP_NEW_FLOW_LIMIT, /* a SYN over its VIP's new-flow-limit */
	XLB_DROP_FRAGMENT_ORPHAN, /* later fragment whose first was not seen (or was evicted) */
	XLB_DROP_SNAT_EXHAUSTED, /* full NAT: every candidate source of a new flow was taken */
	XLB_DROP__MAX,
};

#define XLB_XDP_ACTIONS 5 /* XDP_ABORTED .. XDP_REDIRECT */

struct xlb_stats {
	__u64 action[XLB_XDP_ACTIONS]; /* verdicts returned, by XDP action */
	__u64 drop[XLB_DROP__MAX];
	__u64 flow_hit;		/* connection-table entry followed */
	__u64 flow_miss;	/* no usable entry: Maglev consulted */
	__u64 icmp_echo;	/* echo replies sent for a VIP address */
	__u64 icmp_too_big;	/* "fragmentation needed"/"packet too big" sent to clients */
	__u64 icmp_fwd;		/* ICMP errors about a VIP flow forwarded to its backend */
	__u64 fail_open;	/* sent to a backend marked down: its VIP had none up ("all") */
	__u64 nat_reply;	/* replies of NATed flows sent back to their client from the VIP */
	__u64 nat_icmp;		/* ICMP errors of NAT backends about a flow, sent translated */
	__u64 nat_icmp_in;	/* ICMP errors to a nat VIP about a flow's reply, sent translated */
};
_Static_assert(sizeof(struct xlb_stats) == 8 * (XLB_XDP_ACTIONS + XLB_DROP__MAX + 9),
	       "xlb_stats is ABI");

/*
 * Health checking of a VIP's backends, indexed by VIP id (xlb_vip_health). Userspace only:
 * the CLI writes it, the daemon reads it; the XDP program never looks at it.
 */
enum xlb_check {
	XLB_CHECK_NONE,
	XLB_CHECK_TCP,	/* a TCP connect */
	XLB_CHECK_HTTP, /* GET path with a Host header; status in [status_min, status_max] */
	XLB_CHECK__MAX,
};

enum xlb_all_down {
	XLB_ALL_DOWN_DROP, /* no backend up: drop (and count) */
	XLB_ALL_DOWN_ALL,  /* no backend up: every backend not drained takes flows */
	XLB_ALL_DOWN__MAX,
};

#define XLB_PATH_MAX 96
#define XLB_HOST_MAX 64

struct xlb_vip_health {
	__u8 check;	/* XLB_CHECK_* */
	__u8 rise;	/* consecutive good results to come up */
	__u8 fall;	/* consecutive failures to go down */
	__u8 all_down;	/* XLB_ALL_DOWN_* */
	__u16 port;	/* host order; 0 = the VIP's port */
	__u16 status_min;
	__u16 status_max;
	__u16 slow_start_s; /* seconds a backend that comes up ramps to its weight; 0 = none */
	__u32 interval_ms;
	__u32 timeout_ms;
	char path[XLB_PATH_MAX];
	char host[XLB_HOST_MAX];
};
_Static_assert(sizeof(struct xlb_vip_health) == 180, "xlb_vip_health is ABI");

/* Health-check results of a backend, indexed by backend id (xlb_be_health). */
struct xlb_backend_health {
	__u64 checks_ok;
	__u64 checks_failed;
	__u64 transitions; /* up -> down and down -> up */
	__u32 streak;	   /* consecutive results against the current state */
	__u32 last_error;  /* errno of the last failure, or 1000 + HTTP status */
};
_Static_assert(sizeof(struct xlb_backend_health) == 32, "xlb_backend_health is ABI");

/*
 * Load-time configuration of the balancer (const volatile rodata, set through the
 * skeleton). Byte arrays are read element by element in BPF: see FIELD-NOTES on clang
 * folding const volatile copies.
 */
struct xlb_cfg {
	__be32 src_v4;	    /* outer source for IPv4 outer headers */
	__be32 src_v6[4];   /* outer source for IPv6 outer headers */
	__u8 next_hop[6];   /* destination MAC of encapsulated frames */
	__u16 mtu;	    /* largest L3 packet that may leave */
	__u32 table_size;   /* Maglev M; must match the inner tables' size */
	__u8 ttl;	    /* outer TTL / hop limit */
	__u8 pad[3];
	__u8 if_mac[6];	    /* the interface's own MAC: frames to it are balanced, sent from it */
	__u16 pad2;
};
_Static_assert(sizeof(struct xlb_cfg) == 44, "xlb_cfg is ABI");
_Static_assert(__builtin_offsetof(struct xlb_cfg, if_mac) % 4 == 0,
	       "if_mac is read as one 32-bit and one 16-bit word");

/*
 * Second chance on the wire: GUE variant 0 whose header length covers only private data (no
 * flag fields), so any GUE receiver skips it and decapsulates the inner packet, and xlb's decap
 * program reads the second hop from it.
 *   outer IPv4/IPv6 | UDP (to the VIP's GUE port) | xlb_gue_hdr | xlb_gue_hop | inner IP
 * 24 bytes after UDP for either family of second hop, so the overhead is fixed per outer family.
 */
#define XLB_GUE_HLEN	 5    /* 4-byte words of private data after xlb_gue_hdr: the hop */
#define XLB_GUE_MAGIC	 0x78 /* 'x': private data written by xlb */
#define XLB_GUE_F_RELAYED 0x1 /* sent on by the first hop: deliver locally, never relay again */

struct xlb_gue_hdr {
	__u8 ver_hlen; /* version 0 and C 0 in the top 3 bits, then XLB_GUE_HLEN */
	__u8 proto;    /* the inner packet: IPPROTO_IPIP or IPPROTO_IPV6 */
	__be16 flags;  /* 0: no GUE flag fields */
};
_Static_assert(sizeof(struct xlb_gue_hdr) == 4, "xlb_gue_hdr is ABI");

struct xlb_gue_hop {
	__u8 magic;	/* XLB_GUE_MAGIC */
	__u8 flags;	/* XLB_GUE_F_* */
	__u8 family;	/* XLB_FAM_* of addr; 0 when the slot has no second hop */
	__u8 pad;
	__be32 addr[4]; /* the second hop (IPv4 uses addr[0], the rest zero) */
};
_Static_assert(sizeof(struct xlb_gue_hop) == 4 * XLB_GUE_HLEN, "xlb_gue_hop is ABI");

/*
 * Load-time configuration of the decap program. A zero local address accepts any destination.
 * The rest is for relaying to a second hop: a zero source of a family or a zero next_hop makes
 * every relay through it fail (counted relay_failed).
 */
struct xlb_decap_cfg {
	__be32 local_v4;
	__be32 local_v6[4];
	__be16 gue_port;
	__u16 mtu;	  /* largest L3 packet that may leave (a relayed one) */
	__be32 src_v4;	  /* outer source of relayed packets with an IPv4 second hop */
	__be32 src_v6[4]; /* ... with an IPv6 second hop */
	__u8 next_hop[6]; /* destination MAC of relayed frames */
	__u8 ttl;	  /* outer TTL / hop limit of relayed packets */
	__u8 pad;
};
_Static_assert(sizeof(struct xlb_decap_cfg) == 52, "xlb_decap_cfg is ABI");

/* Why the decap program dropped a packet; XLB_DECAP_DROP__MAX sizes the counter array. */
enum xlb_decap_drop {
	XLB_DECAP_DROP_TRUNCATED,   /* GUE header, private data or inner version cut short */
	XLB_DECAP_DROP_GUE_VERSION, /* GUE variant 2 or 3, or variant 1 not carrying IPv4/IPv6 */
	XLB_DECAP_DROP_GUE_CONTROL, /* the C bit: a control message, which xlb never sends */
	XLB_DECAP_DROP_GUE_HLEN,    /* variant 0 with a length other than XLB_GUE_HLEN */
	XLB_DECAP_DROP_GUE_FLAGS,   /* GUE flags, or xlb_gue_hop flags xlb does not know */
	XLB_DECAP_DROP_GUE_MAGIC,   /* private data not written by xlb */
	XLB_DECAP_DROP_GUE_PROTO,   /* proto not IPIP/IPV6, or not the inner packet's version */
	XLB_DECAP_DROP_GUE_HOP,	    /* a second hop of unknown family */
	XLB_DECAP_DROP_NO_ROOM,	    /* bpf_xdp_adjust_head refused to strip the outer headers */
	XLB_DECAP_DROP__MAX,
};

/* The decap program's counters (per CPU; readers sum the CPUs). */
struct xlb_decap_stats {
	__u64 action[XLB_XDP_ACTIONS]; /* verdicts returned, by XDP action */
	__u64 drop[XLB_DECAP_DROP__MAX];
	__u64 delivered;	 /* stripped and passed up to this host */
	__u64 delivered_syn;	 /* of which: a SYN of a packet naming a second hop */
	__u64 delivered_socket;	 /* ... a TCP packet of a flow this host has a socket for */
	__u64 delivered_cookie;	 /* ... a valid SYN-cookie ACK for a local listener */
	__u64 delivered_relayed; /* ... sent on by a first hop (XLB_GUE_F_RELAYED) */
	__u64 relayed;		 /* re-encapsulated to the second hop and sent (XDP_TX) */
	__u64 relay_failed;	 /* to relay but dropped: no source or next hop, too big, no room */
};
_Static_assert(sizeof(struct xlb_decap_stats) ==
		       8 * (XLB_XDP_ACTIONS + XLB_DECAP_DROP__MAX + 7),
	       "xlb_decap_stats is ABI");

/* Pins: /sys/fs/bpf/xlb/<dev>/<name>. */
#define XLB_PIN_ROOT	   "/sys/fs/bpf/xlb"
#define XLB_PIN_LINK	   "link"
#define XLB_PIN_CONFIG	   "config" /* the balancer's rodata: struct xlb_cfg */
#define XLB_PIN_ABI	   "abi"    /* symbolic link: the layout the pins were made with */
#define XLB_MAP_VIPS	   "xlb_vips"
#define XLB_MAP_VIP_CACHE  "xlb_vip_cache"
#define XLB_MAP_BACKENDS   "xlb_backends"
#define XLB_MAP_TABLES	   "xlb_tables"
#define XLB_MAP_FLOWS	   "xlb_conns"
#define XLB_MAP_CONN_STATS "xlb_conn_stats"
#define XLB_MAP_SYNS	   "xlb_syns"
#define XLB_MAP_VIP_RATE   "xlb_vip_rate"
#define XLB_MAP_FRAGS	   "xlb_frags"
#define XLB_MAP_NAT	   "xlb_nat"
#define XLB_MAP_SNAT	   "xlb_snat"
#define XLB_MAP_NAT_SCRATCH "xlb_nat_scratch"
#define XLB_MAP_NAT_FRAGS   "xlb_nat_frags"
#define XLB_MAP_OLD_FLOWS  "xlb_flows" /* the LRU hash of xlb before its own table */
#define XLB_MAP_RUNTIME	   "xlb_runtime"
#define XLB_MAP_VIP_STATS  "xlb_vip_stats"
#define XLB_MAP_BE_STATS   "xlb_backend_stats"
#define XLB_MAP_STATS	   "xlb_stats"
#define XLB_MAP_DECAP_STATS "xlb_decap_stats"
#define XLB_MAP_VIP_FILTER "xlb_vip_filter"
#define XLB_MAP_VIP_HEALTH "xlb_vip_health"
#define XLB_MAP_BE_HEALTH  "xlb_be_health"

#endif /* XLB_ABI_H */
