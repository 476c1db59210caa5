// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The layout record of a pin directory (layout.h): this build's, and reading and writing the
 * symbolic link that holds it, beside the namespace's record of pins.c.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>
#include "layout.h"
#include "pins.h"
#include "xlb_maps.h"
#include "xlb.skel.h"

void xlb_layout_ours(struct xlb_layout *l)
{
	const unsigned char *b;
	__u32 h = 2166136261u;
	size_t n;

	b = xlb__elf_bytes(&n);
	while (n--)
		h = (h ^ *b++) * 16777619u;
	l->abi = XLB_ABI_VERSION;
	l->maps = xlb_maps_fingerprint(xlb_map_table, XLB_MAP_COUNT);
	l->prog = h;
}

bool xlb_layout_prog_ours(const char *dir)
{
	struct xlb_layout pins, ours;

	xlb_layout_ours(&ours);
	return !xlb_layout_read(dir, &pins) && pins.prog == ours.prog;
}

bool xlb_layout_same_maps(const struct xlb_layout *a, const struct xlb_layout *b)
{
	return a->abi == b->abi && a->maps == b->maps;
}

const char *xlb_layout_str(const struct xlb_layout *l, char *buf, size_t len)
{
	snprintf(buf, len, "abi=%u maps=%08x prog=%08x", l->abi, l->maps, l->prog);
	return buf;
}

int xlb_layout_parse(const char *s, struct xlb_layout *l)
{
	int end = 0;

	if (sscanf(s, "abi=%u maps=%8x prog=%8x%n", &l->abi, &l->maps, &l->prog, &end) != 3 ||
	    s[end])
		return -EINVAL;
	return 0;
}

int xlb_layout_write(const char *dir, const struct xlb_layout *l)
{
	char path[PATH_MAX], tmp[PATH_MAX], text[XLB_LAYOUT_STRLEN];
	int err;

	err = xlb_pin_path(path, sizeof(path), dir, XLB_PIN_ABI);
	if (!err)
		err = xlb_pin_path(tmp, sizeof(tmp), dir, XLB_PIN_ABI "_new");
	if (err)
		return err;
	unlink(tmp);
	if (symlink(xlb_layout_str(l, text, sizeof(text)), tmp))
		return -errno;
	if (rename(tmp, path)) {
		err = -errno;
		unlink(tmp);
	}
	return err;
}

int xlb_layout_read(const char *dir, struct xlb_layout *l)
{
	char text[XLB_LAYOUT_STRLEN + 1];
	int err = xlb_pin_record_read(dir, XLB_PIN_ABI, text, sizeof(text));

	return err ? err : xlb_layout_parse(text, l);
}
