// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Pin directories: named for the device and the network namespace's inode, recording the
 * namespace's cookie, checked against what they describe before anyone uses them, made, given
 * their XDP link, listed and removed. Shared by the balancer (instance.c) and the decap program
 * (decap.c), so both keep the same guards.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include "pins.h"
#include "xlb_abi.h"

#define BPF_FS_MAGIC 0xcafe4a11
#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71 /* Linux 5.14 */
#endif

/* The inode of this process's network namespace. */
static int netns_ino(unsigned long *ino)
{
	struct stat self;

	if (stat("/proc/self/ns/net", &self))
		return -errno;
	*ino = self.st_ino;
	return 0;
}

/* The cookie of this process's network namespace, read through a socket made in it. */
static int netns_cookie(__u64 *cookie)
{
	socklen_t len = sizeof(*cookie);
	int fd, err;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	err = getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, cookie, &len) ? -errno : 0;
	close(fd);
	return err;
}

int xlb_instance_key(const char *dev, char *key, size_t len)
{
	unsigned long ino;
	int err;

	if (!dev[0] || strlen(dev) >= IF_NAMESIZE || strchr(dev, '/') || strchr(dev, '@'))
		return -EINVAL;
	err = netns_ino(&ino);
	if (err)
		return err;
	return snprintf(key, len, "%s@%lu", dev, ino) >= (int)len ? -ENAMETOOLONG : 0;
}

int xlb_pins_dir(const char *root, const char *dev, char *dir, size_t len)
{
	char key[XLB_INSTANCE_KEY_MAX];
	int err = xlb_instance_key(dev, key, sizeof(key));

	return err ? err : xlb_pin_path(dir, len, root, key);
}

int xlb_pin_path(char *buf, size_t len, const char *dir, const char *name)
{
	return snprintf(buf, len, "%s/%s", dir, name) >= (int)len ? -ENAMETOOLONG : 0;
}

int xlb_pin_record_read(const char *dir, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int err;

	err = xlb_pin_path(path, sizeof(path), dir, name);
	if (err)
		return err;
	n = readlink(path, buf, len - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

int xlb_pin_open(const char *dir, const char *name)
{
	char path[PATH_MAX];
	int fd, err;

	err = xlb_pin_path(path, sizeof(path), dir, name);
	if (err)
		return err;
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

/* /sys/fs/bpf must be a BPF filesystem for pins; mount one if the system has not. */
int xlb_bpffs_ensure(void)
{
	struct statfs st;

	if (!statfs("/sys/fs/bpf", &st) && st.f_type == BPF_FS_MAGIC)
		return 0;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700"))
		return -errno;
	return 0;
}

int xlb_pins_remove(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -errno;
	/* The link first: removing its pin is what detaches the program. */
	if (!xlb_pin_path(path, sizeof(path), dir, XLB_PIN_LINK))
		unlink(path);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && !xlb_pin_path(path, sizeof(path), dir, de->d_name))
			unlink(path);
	closedir(d);
	return rmdir(dir) ? -errno : 0;
}

/* Records this namespace's cookie in dir. */
static int record_netns(const char *dir)
{
	char path[PATH_MAX], target[24];
	__u64 cookie;
	int err;

	err = netns_cookie(&cookie);
	if (!err)
		err = xlb_pin_path(path, sizeof(path), dir, XLB_PIN_NETNS);
	if (err)
		return err;
	snprintf(target, sizeof(target), "%" PRIu64, (uint64_t)cookie);
	return symlink(target, path) ? -errno : 0;
}

/* -EOWNERDEAD if dir records a namespace other than this one; 0 if it records none. */
static int check_netns(const char *dir)
{
	char target[24], *end;
	unsigned long long rec;
	__u64 cookie;
	int err;

	err = xlb_pin_record_read(dir, XLB_PIN_NETNS, target, sizeof(target));
	if (err)
		return err == -ENOENT ? 0 : err;
	err = netns_cookie(&cookie);
	if (err)
		return err;
	errno = 0;
	rec = strtoull(target, &end, 10);
	/* An unreadable record is no namespace that can still be alive either. */
	return errno || *end || end == target || rec != cookie ? -EOWNERDEAD : 0;
}

/* The ifindex the XDP link pinned in dir is attached to: 0 once its device is gone. */
static int link_ifindex(const char *dir)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	int fd, err;

	fd = xlb_pin_open(dir, XLB_PIN_LINK);
	if (fd < 0)
		return fd;
	err = bpf_obj_get_info_by_fd(fd, &info, &len) ? -errno : 0;
	close(fd);
	if (!err && info.type != BPF_LINK_TYPE_XDP)
		err = -EINVAL;
	return err ? err : (int)info.xdp.ifindex;
}

int xlb_pins_check(const char *dir, const char *dev)
{
	int ifindex, err = check_netns(dir);

	if (err)
		return err;
	ifindex = link_ifindex(dir);
	if (ifindex == 0)
		return -ENOLINK;
	if (ifindex > 0 && dev && (unsigned int)ifindex != if_nametoindex(dev))
		return -ESTALE;
	return 0;
}

int xlb_pins_make_dir(const char *root, const char *dir)
{
	int err = xlb_bpffs_ensure();

	if (err)
		return err;
	if (mkdir(root, 0700) && errno != EEXIST)
		return -errno;
	err = mkdir(dir, 0700) ? -errno : 0;
	if (err == -EEXIST) {
		err = xlb_pins_check(dir, NULL);
		if (err != -EOWNERDEAD && err != -ENOLINK)
			return -EEXIST;
		xlb_pins_remove(dir); /* left by an interface or namespace that is gone */
		err = mkdir(dir, 0700) ? -errno : 0;
	}
	if (err)
		return err;
	err = record_netns(dir);
	if (err)
		xlb_pins_remove(dir);
	return err;
}

/* Whether pin directory name (DEV@NETNS) is named for namespace inode ino. */
static bool named_for(const char *name, unsigned long ino)
{
	const char *at = strchr(name, '@');
	char *end;

	return at && at != name && at - name < IF_NAMESIZE && strtoul(at + 1, &end, 10) == ino &&
	       !*end;
}

int xlb_pins_reap(const char *root, void (*removed)(const char *dir))
{
	char dir[PATH_MAX];
	unsigned long ino = 0;
	struct dirent *de;
	int n = 0, err;
	DIR *d;

	err = netns_ino(&ino);
	if (err)
		return err;
	d = opendir(root);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (!named_for(de->d_name, ino) ||
		    xlb_pin_path(dir, sizeof(dir), root, de->d_name) ||
		    check_netns(dir) != -EOWNERDEAD || xlb_pins_remove(dir))
			continue;
		removed(dir);
		n++;
	}
	closedir(d);
	return n;
}

int xlb_pins_start(const char *root, const char *dev, char *dir, size_t len)
{
	int ifindex, err = xlb_pins_dir(root, dev, dir, len);

	if (err)
		return err;
	ifindex = if_nametoindex(dev);
	if (!ifindex)
		return -ENODEV;
	err = xlb_pins_make_dir(root, dir);
	return err ? err : ifindex;
}

int xlb_pins_link(const char *dir, int prog_fd, int ifindex, bool generic)
{
	LIBBPF_OPTS(bpf_link_create_opts, lo, .flags = generic ? XDP_FLAGS_SKB_MODE : 0);
	char path[PATH_MAX];
	int fd, err;

	err = xlb_pin_path(path, sizeof(path), dir, XLB_PIN_LINK);
	if (err)
		return err;
	fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &lo);
	if (fd < 0)
		return -errno;
	err = bpf_obj_pin(fd, path) ? -errno : 0;
	close(fd);
	return err;
}

int xlb_pins_find(const char *root, const char *dev, char *dir, size_t len)
{
	int err = xlb_pins_dir(root, dev, dir, len);

	if (err)
		return err;
	if (access(dir, F_OK))
		return -errno;
	err = xlb_pins_check(dir, dev);
	return err == -ESTALE || err == -ENOLINK || err == -EOWNERDEAD ? err : 0;
}

int xlb_pins_detach(const char *root, const char *dev)
{
	char dir[PATH_MAX];
	int err = xlb_pins_find(root, dev, dir, sizeof(dir)), rm;

	if (err && err != -ENOLINK && err != -EOWNERDEAD)
		return err;
	/* Pins of a deleted interface or namespace go too, and the caller learns which. */
	rm = xlb_pins_remove(dir);
	return err ? err : rm;
}

/*
 * Whether pin directory name (DEV@NETNS) under root is this namespace's, and its pins drive
 * DEV; DEV goes to dev.
 */
static bool live_here(const char *root, const char *name, char *dev)
{
	char key[XLB_INSTANCE_KEY_MAX], dir[PATH_MAX];
	const char *at = strchr(name, '@');

	if (!at || at == name || at - name >= IF_NAMESIZE)
		return false;
	snprintf(dev, IF_NAMESIZE, "%.*s", (int)(at - name), name);
	return !xlb_instance_key(dev, key, sizeof(key)) && !strcmp(key, name) &&
	       !xlb_pin_path(dir, sizeof(dir), root, name) && !xlb_pins_check(dir, dev);
}

int xlb_pins_list(const char *root, char names[][IF_NAMESIZE], int max)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(root);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d)) && n < max)
		n += live_here(root, de->d_name, names[n]);
	closedir(d);
	return n;
}
