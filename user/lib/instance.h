/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * One balancer instance: the XDP program attached to an interface, its maps pinned under
 * XLB_PIN_ROOT/<dev>/ and its bpf_link pinned beside them, so forwarding outlives any
 * process. Attach, adopt (open the pins), lock, detach.
 */
#ifndef XLB_INSTANCE_H
#define XLB_INSTANCE_H

#include <net/if.h>
#include <limits.h>
#include "pins.h"
#include "state.h"

struct xlb_attach_opts {
	bool generic;		/* XDP generic (skb) mode instead of native */
	struct xlb_cfg cfg;	/* load-time settings; zero fields take defaults */
	__u32 flows;		/* connection-table flows, 0 = XLB_FLOWS_DEFAULT */
	__u32 insert_limit;	/* new flows recorded per second per CPU, 0 = the default */
};

struct xlb_instance {
	char dev[IF_NAMESIZE];
	char dir[PATH_MAX];
	int lock_fd;	  /* the pin directory, flock()ed while changing state */
	struct xlb_lb lb; /* maps and table size */
	struct xlb_cfg cfg;
};

/* Which settings the caller of xlb_attach_fill() gave (kept as they are in o->cfg). */
#define XLB_GIVEN_SRC_V4   0x1
#define XLB_GIVEN_SRC_V6   0x2
#define XLB_GIVEN_NEXT_HOP 0x4

/* The step of xlb_attach_fill() that failed. */
enum xlb_fill_step {
	XLB_FILL_TABLE_SIZE, /* cfg.table_size is neither 0 nor prime: -EINVAL */
	XLB_FILL_MTU,	     /* dev's MTU unreadable, under XLB_MTU_MIN, or below cfg.mtu: -ERANGE */
	XLB_FILL_ADDRS,	     /* dev's addresses or Ethernet MAC could not be read */
	XLB_FILL_NEXT_HOP,   /* dev has no default gateway with a neighbour entry */
};

/*
 * Completes o for dev as `xlb attach` does: checks cfg.table_size, takes dev's own MAC, and
 * takes dev's first IPv4 and global IPv6 addresses as outer sources and its default gateway's
 * MAC as the next hop, except where given says the caller set them. 0, or -errno with *failed
 * naming the step.
 */
int xlb_attach_fill(const char *dev, struct xlb_attach_opts *o, unsigned int given,
		    enum xlb_fill_step *failed);
/*
 * Loads, pins and attaches; -EEXIST if dev already runs xlb, -ENOMEM if the machine cannot
 * hold the connection table (xlb_conns_plan()).
 */
int xlb_instance_attach(const char *dev, const struct xlb_attach_opts *o);
/*
 * Detaches and removes the pins; -ENOENT if dev does not run xlb, -ESTALE if its pins drive
 * another interface (dev was renamed, and the name reused). Pins of a deleted interface or
 * namespace (-ENOLINK, -EOWNERDEAD: see xlb_pins_check) are removed, and that error returned.
 */
int xlb_instance_detach(const char *dev);
/*
 * Adopts a running instance through its pins; -ENOENT if dev does not run xlb, -ESTALE,
 * -ENOLINK or -EOWNERDEAD if its pins do not drive dev (xlb_pins_check), -EPROTO if an xlb
 * built with another layout of the maps runs there (its ABI version, a map's type, key, value
 * or size differ, or it predates xlb's own connection table): xlb_instance_upgrade() carries
 * its state over, or says why it cannot.
 */
int xlb_instance_open(const char *dev, struct xlb_instance *in);
void xlb_instance_close(struct xlb_instance *in);
/* Exclusive lock against other writers (CLIs, the daemon); released by unlock or close. */
int xlb_instance_lock(struct xlb_instance *in);
int xlb_instance_unlock(struct xlb_instance *in);
/*
 * Names of this namespace's interfaces that run xlb (pin directories whose pins drive them),
 * up to max; returns the count.
 */
int xlb_instance_list(char names[][IF_NAMESIZE], int max);
/* The attached program's id and whether it runs in generic mode. */
int xlb_instance_prog(const struct xlb_instance *in, __u32 *prog_id, bool *generic);

#endif /* XLB_INSTANCE_H */
