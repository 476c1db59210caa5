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
	__u32 flows;		/* connection-table entries, 0 = XLB_FLOWS_DEFAULT */
};

struct xlb_instance {
	char dev[IF_NAMESIZE];
	char dir[PATH_MAX];
	int lock_fd;	  /* the pin directory, flock()ed while changing state */
	struct xlb_lb lb; /* maps and table size */
	struct xlb_cfg cfg;
};

/* Mounts the BPF filesystem on /sys/fs/bpf if the system has not. */
int xlb_bpffs_ensure(void);
/* Loads, pins and attaches; -EEXIST if dev already runs xlb. */
int xlb_instance_attach(const char *dev, const struct xlb_attach_opts *o);
/* Detaches and removes the pins; -ENOENT if dev does not run xlb. */
int xlb_instance_detach(const char *dev);
/* Adopts a running instance through its pins; -ENOENT if dev does not run xlb. */
int xlb_instance_open(const char *dev, struct xlb_instance *in);
void xlb_instance_close(struct xlb_instance *in);
/* Exclusive lock against other writers (CLIs, the daemon); released by close. */
int xlb_instance_lock(struct xlb_instance *in);
/* Names of the interfaces that run xlb (pin directories), up to max; returns the count. */
int xlb_instance_list(char names[][IF_NAMESIZE], int max);
/* The attached program's id and whether it runs in generic mode. */
int xlb_instance_prog(const struct xlb_instance *in, __u32 *prog_id, bool *generic);

#endif /* XLB_INSTANCE_H */
