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

/* "DEV@NETNS", NETNS the inode of the network namespace. */
#define XLB_INSTANCE_KEY_MAX (IF_NAMESIZE + 24)

/*
 * The name that stands for dev in pins and lock files: dev@<inode of this network namespace>,
 * so equal device names in two namespaces never share a balancer.
 */
int xlb_instance_key(const char *dev, char *key, size_t len);
/*
 * Whether the XDP link pinned in dir is left from an interface that is gone: the kernel
 * detaches a link from a device it destroys, but the pins stay (and namespace inodes, which
 * name pin directories, get reused).
 */
bool xlb_link_gone(const char *dir);
/* Mounts the BPF filesystem on /sys/fs/bpf if the system has not. */
int xlb_bpffs_ensure(void);
/*
 * Creates pin directory dir under root (both 0700), replacing one whose link is gone;
 * -EEXIST if a live one is there.
 */
int xlb_pins_make_dir(const char *root, const char *dir);
/* Removes every pin in dir, the link first (which detaches its program), then dir. */
int xlb_pins_remove(const char *dir);
/* Which settings the caller of xlb_attach_fill() gave (kept as they are in o->cfg). */
#define XLB_GIVEN_SRC_V4   0x1
#define XLB_GIVEN_SRC_V6   0x2
#define XLB_GIVEN_NEXT_HOP 0x4

/* The step of xlb_attach_fill() that failed. */
enum xlb_fill_step {
	XLB_FILL_TABLE_SIZE, /* cfg.table_size is neither 0 nor prime: -EINVAL */
	XLB_FILL_MTU,	     /* dev's MTU unreadable, under XLB_MTU_MIN, or below cfg.mtu: -ERANGE */
	XLB_FILL_ADDRS,	     /* dev's addresses could not be read */
	XLB_FILL_NEXT_HOP,   /* dev has no default gateway with a neighbour entry */
};

/*
 * Completes o for dev as `xlb attach` does: checks cfg.table_size, and takes dev's first IPv4
 * and global IPv6 addresses as outer sources and its default gateway's MAC as the next hop,
 * except where given says the caller set them. 0, or -errno with *failed naming the step.
 */
/* dev's MTU. */
int xlb_if_mtu(const char *dev, __u32 *mtu);
int xlb_attach_fill(const char *dev, struct xlb_attach_opts *o, unsigned int given,
		    enum xlb_fill_step *failed);
/*
 * Loads, pins and attaches; -EEXIST if dev already runs xlb, -ENOMEM if the machine cannot
 * hold the connection table (xlb_conns_plan()).
 */
int xlb_instance_attach(const char *dev, const struct xlb_attach_opts *o);
/*
 * Detaches and removes the pins; -ENOENT if dev does not run xlb, -ESTALE if its pins drive
 * another interface (dev was renamed, and the name reused).
 */
int xlb_instance_detach(const char *dev);
/* Adopts a running instance through its pins; -ENOENT if dev does not run xlb, -ESTALE as
 * for detach, -EPROTO if an xlb from before its own connection table runs there (its flows
 * cannot be carried over: detach and attach). */
int xlb_instance_open(const char *dev, struct xlb_instance *in);
void xlb_instance_close(struct xlb_instance *in);
/* Exclusive lock against other writers (CLIs, the daemon); released by unlock or close. */
int xlb_instance_lock(struct xlb_instance *in);
int xlb_instance_unlock(struct xlb_instance *in);
/* Names of the interfaces that run xlb (pin directories), up to max; returns the count. */
int xlb_instance_list(char names[][IF_NAMESIZE], int max);
/* The attached program's id and whether it runs in generic mode. */
int xlb_instance_prog(const struct xlb_instance *in, __u32 *prog_id, bool *generic);

#endif /* XLB_INSTANCE_H */
