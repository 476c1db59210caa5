/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Pin directories (XLB_PIN_ROOT/DEV@NETNS for the balancer, the decap program's beside it):
 * their names, the record of the network namespace that made them, whether what they
 * describe still exists, and making, linking, listing and removing them, the same for both
 * programs. Included through instance.h and decap.h.
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
/* dev's pin directory under root: root/DEV@NETNS. */
int xlb_pins_dir(const char *root, const char *dev, char *dir, size_t len);
/* dir/name into buf; -ENAMETOOLONG if it does not fit. */
int xlb_pin_path(char *buf, size_t len, const char *dir, const char *name);
/* The target of the symbolic link dir/name (a record), NUL-terminated in buf; 0 or -errno. */
int xlb_pin_record_read(const char *dir, const char *name, char *buf, size_t len);
/* Opens the object pinned at dir/name: its file descriptor, or a negative errno. */
int xlb_pin_open(const char *dir, const char *name);
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
/*
 * The first step of attaching to dev: names its pin directory under root into dir and makes it
 * (xlb_pins_make_dir). dev's ifindex, -ENODEV if there is no such interface, or -EEXIST.
 */
int xlb_pins_start(const char *root, const char *dev, char *dir, size_t len);
/* The last step: attaches prog_fd to ifindex through a bpf_link pinned in dir. */
int xlb_pins_link(const char *dir, int prog_fd, int ifindex, bool generic);
/*
 * dev's pin directory under root into dir, if its pins drive dev: 0, -ENOENT if there is none,
 * or -ESTALE, -ENOLINK or -EOWNERDEAD as xlb_pins_check (dir is set then too).
 */
int xlb_pins_find(const char *root, const char *dev, char *dir, size_t len);
/*
 * Detaches by removing dev's pins under root; -ENOENT if dev has none, -ESTALE if they drive
 * another interface (kept). Pins of a deleted interface or namespace (-ENOLINK, -EOWNERDEAD)
 * are removed, and that error returned.
 */
int xlb_pins_detach(const char *root, const char *dev);
/* Names of this namespace's interfaces whose pins under root drive them, up to max; the count. */
int xlb_pins_list(const char *root, char names[][IF_NAMESIZE], int max);

#endif /* XLB_PINS_H */
