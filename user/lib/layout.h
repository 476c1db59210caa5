/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * What a pin directory was made with: the ABI version, the maps' layout fingerprint and the
 * BPF object the attached program came from, kept as the target of the symbolic link
 * XLB_PIN_ABI ("abi=1 maps=1a2b3c4d prog=5e6f7a8b"), read and written here.
 */
#ifndef XLB_LAYOUT_H
#define XLB_LAYOUT_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

struct xlb_layout {
	__u32 abi;  /* XLB_ABI_VERSION */
	__u32 maps; /* xlb_maps_fingerprint() of the table of maps */
	__u32 prog; /* FNV-1a of the BPF object the attached program was loaded from */
};

#define XLB_LAYOUT_STRLEN 40

/* This build's layout. */
void xlb_layout_ours(struct xlb_layout *l);
/* Whether maps made with a can be used as they are by b (the ABI and the maps agree). */
bool xlb_layout_same_maps(const struct xlb_layout *a, const struct xlb_layout *b);
/* The record's text, as XLB_PIN_ABI holds it. */
const char *xlb_layout_str(const struct xlb_layout *l, char *buf, size_t len);
/* Parses the record's text; -EINVAL if it is not one. */
int xlb_layout_parse(const char *s, struct xlb_layout *l);
/* Records l in dir (replacing the record in one rename). */
int xlb_layout_write(const char *dir, const struct xlb_layout *l);
/* Whether dir's record says its program is this build's (false without a record). */
bool xlb_layout_prog_ours(const char *dir);
/*
 * The record of dir; -ENOENT if it has none (made before records: ABI 1, maps as each map's
 * own layout says, program unknown), -EINVAL if it does not parse.
 */
int xlb_layout_read(const char *dir, struct xlb_layout *l);

#endif /* XLB_LAYOUT_H */
