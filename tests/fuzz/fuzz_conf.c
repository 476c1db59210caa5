// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * libFuzzer harness of the configuration file (user/lib/config*.c): loads the input as a file.
 * When it loads, the round trip must hold: what xlb_conf_write() prints loads again, without
 * a problem, into an equal model (order aside: the writer sorts, the loader keeps file order).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "addr.h"
#include "config.h"

/* Loads n bytes through a memory file, as `xlb apply -f` would read them from disk. */
static int load(const void *data, size_t n, struct xlb_conf *c, struct xlb_errors *errs)
{
	char path[32];
	int fd, ret;

	fd = memfd_create("xlb-fuzz.yaml", 0);
	if (fd < 0 || write(fd, data, n) != (ssize_t)n)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ret = xlb_conf_load(path, c, errs);
	close(fd);
	return ret;
}

static int health_cmp(const struct xlb_vip_health *a, const struct xlb_vip_health *b)
{
	return a->check != b->check || a->rise != b->rise || a->fall != b->fall ||
	       a->all_down != b->all_down || a->port != b->port || a->status_min != b->status_min ||
	       a->status_max != b->status_max || a->interval_ms != b->interval_ms ||
	       a->timeout_ms != b->timeout_ms || strncmp(a->path, b->path, sizeof(a->path)) ||
	       strncmp(a->host, b->host, sizeof(a->host));
}

static int backend_cmp(const struct xlb_be_conf *a, const struct xlb_be_conf *b)
{
	return xlb_addr_cmp(&a->addr, &b->addr) || a->has_mac != b->has_mac ||
	       (a->has_mac && memcmp(a->mac, b->mac, sizeof(a->mac))) || a->drain != b->drain ||
	       a->weight != b->weight;
}

/* 0 when a and b (both sorted) hold the same settings; lines and running state aside. */
static int conf_cmp(const struct xlb_conf *a, const struct xlb_conf *b)
{
	const struct xlb_vip_conf *va, *vb;
	size_t i, j;

	if (a->nvips != b->nvips)
		return 1;
	for (i = 0; i < a->nvips; i++) {
		va = &a->vips[i];
		vb = &b->vips[i];
		if (xlb_vip_name_cmp(&va->name, &vb->name) || va->forward != vb->forward ||
		    va->sched != vb->sched || va->gue_port != vb->gue_port ||
		    health_cmp(&va->health, &vb->health) || va->nbackends != vb->nbackends)
			return 1;
		for (j = 0; j < va->nbackends; j++)
			if (backend_cmp(&va->backends[j], &vb->backends[j]))
				return 1;
	}
	return 0;
}

/* Prints what broke the round trip, then aborts so libFuzzer keeps the input. */
static void round_trip_failed(const char *why, const char *text, size_t len,
			      const struct xlb_errors *errs)
{
	fprintf(stderr, "round trip: %s\n--- written:\n%.*s---\n", why, (int)len, text);
	if (errs)
		xlb_errors_print(errs, stderr);
	abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
	struct xlb_errors errs = {0}, errs2 = {0};
	struct xlb_conf c, c2;
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	if (load(data, n, &c, &errs)) {
		xlb_errors_free(&errs);
		return 0;
	}
	out = open_memstream(&text, &len);
	if (!out || xlb_conf_write(&c, out) || fclose(out))
		abort();
	if (load(text, len, &c2, &errs2))
		round_trip_failed("the written file does not load", text, len, &errs2);
	xlb_conf_sort(&c);
	xlb_conf_sort(&c2);
	if (conf_cmp(&c, &c2))
		round_trip_failed("the written file loads to another model", text, len, NULL);
	xlb_conf_free(&c);
	xlb_conf_free(&c2);
	xlb_errors_free(&errs);
	xlb_errors_free(&errs2);
	free(text);
	return 0;
}
