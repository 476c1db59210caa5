/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Pin directories (XLB_PIN_ROOT/DEV@NETNS for the balancer, the decap program's beside it):
 * their names, the record of the network namespace that made them, whether what they
 * describe still exists, and making and removing them. Included through instance.h.
 */
#ifndef XLB_PINS_H
#define XLB_PINS_H

#include <stdbool.h>
#include <stddef.h>
#include <net/if.h>

/*
 * In every pin directory, a symbolic link whose target is the cookie of the network namespace
 * that made it: namespace inodes are reused at once, cookies never within a boot (and pins
 * do not outlive one). Directories made before it existed have none.
 */
#define XLB_PIN_NETNS "netns"

/* "DEV@NETNS", NETNS the inode of the network namespace. */
#define XLB_INSTANCE_KEY_MAX (IF_NAMESIZE + 24)

/*
 * The name that stands for dev in pins and lock files: dev@<inode of this network namespace>,
 * so equal device names in two namespaces never share a balancer.
 */
int xlb_instance_key(const char *dev, char *key, size_t len);
/* dir/name into buf; -ENAMETOOLONG if it does not fit. */
int xlb_pin_path(char *buf, size_t len, const char *dir, const char *name);
/* Mounts the BPF filesystem on /sys/fs/bpf if the system has not. */
int xlb_bpffs_ensure(void);
/*
 * Creates pin directory dir under root (both 0700) with this namespace's record, replacing
 * one that is dead (see xlb_pins_check); -EEXIST if a live one is there.
 */
int xlb_pins_make_dir(const char *root, const char *dir);
/* Removes every pin in dir, the link first (which detaches its program), then dir. */
int xlb_pins_remove(const char *dir);
/*
 * Whether dir's pins drive dev: 0 if they do (or hold no link yet), -EOWNERDEAD if the network
 * namespace that made them is gone, -ENOLINK if the interface they were made for was deleted
 * (the kernel detaches a link from a device it destroys, the pins stay), -ESTALE if they drive
 * another interface (dev was renamed and its name given to a new one).
 */
int xlb_pins_check(const char *dir, const char *dev);
/*
 * Removes the directories under root named for this namespace's inode but made by a namespace
 * that is gone, calling removed() with each; the count or -errno.
 */
int xlb_pins_reap(const char *root, void (*removed)(const char *dir));

#endif /* XLB_PINS_H */
