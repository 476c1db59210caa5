// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The pinned load-time configuration, found variable by variable in its DATASEC (rodata.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "migrate.h"
#include "pins.h"
#include "rodata.h"
#include "xlb_abi.h"

/* The map's value, and where the BTF that describes it is. */
static int rodata_load(int fd, struct xlb_rodata *r)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info), zero = 0;

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	r->btf_id = info.btf_id;
	r->sec_id = info.btf_value_type_id;
	r->size = info.value_size;
	r->data = calloc(1, r->size);
	if (!r->data)
		return -ENOMEM;
	return bpf_map_lookup_elem(fd, &zero, r->data) ? -errno : 0;
}

int xlb_rodata_open(const char *dir, struct xlb_rodata *r)
{
	char path[PATH_MAX];
	int fd, err;

	memset(r, 0, sizeof(*r));
	err = xlb_pin_path(path, sizeof(path), dir, XLB_PIN_CONFIG);
	if (err)
		return err;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	err = rodata_load(fd, r);
	close(fd);
	if (err)
		xlb_rodata_close(r);
	return err;
}

void xlb_rodata_close(struct xlb_rodata *r)
{
	btf__free(r->btf);
	free(r->data);
	memset(r, 0, sizeof(*r));
}

int xlb_rodata_var(struct xlb_rodata *r, const char *name, void *dst, size_t size)
{
	const struct btf_var_secinfo *v;
	const struct btf_type *var, *sec;
	__u16 i;

	if (!r->btf && (!r->btf_id || !r->sec_id))
		return -ENOENT;
	if (!r->btf)
		r->btf = btf__load_from_kernel_by_id(r->btf_id); /* needs CAP_SYS_ADMIN */
	if (!r->btf)
		return -errno;
	sec = btf__type_by_id(r->btf, r->sec_id);

	if (!sec || !btf_is_datasec(sec))
		return -ENOENT;
	v = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, v++) {
		var = btf__type_by_id(r->btf, v->type);
		if (!var || strcmp(btf__name_by_offset(r->btf, var->name_off), name))
			continue;
		if ((__u64)v->offset + v->size > r->size)
			return -EINVAL;
		return xlb_value_copy(dst, size, (char *)r->data + v->offset, v->size);
	}
	return -ENOENT;
}
