/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The balancer's load-time configuration as pinned (XLB_PIN_CONFIG), read by variable name
 * through the BTF it was loaded with, so a build reads the configuration another build
 * pinned, whatever order or size its variables had. Used by instance.c and upgrade.c.
 */
#ifndef XLB_RODATA_H
#define XLB_RODATA_H

#include <linux/types.h>
#include <stddef.h>

struct btf;

struct xlb_rodata {
	void *data; /* the map's one value */
	__u32 size;
	__u32 btf_id;	 /* the map's BTF, loaded at the first xlb_rodata_var() */
	struct btf *btf;
	__u32 sec_id;	 /* its DATASEC */
};

/* Reads the configuration pinned in dir. */
int xlb_rodata_open(const char *dir, struct xlb_rodata *r);
void xlb_rodata_close(struct xlb_rodata *r);
/*
 * Copies variable name into dst (size bytes) by xlb_value_copy()'s rule; -ENOENT if the pinned
 * configuration has no such variable, -EPERM without CAP_SYS_ADMIN (reading the kernel's copy
 * of the BTF needs it: callers take a configuration of their own build's size whole instead).
 */
int xlb_rodata_var(struct xlb_rodata *r, const char *name, void *dst, size_t size);

#endif /* XLB_RODATA_H */
