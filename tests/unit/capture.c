// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * What the writers under test print, captured as text for the cmocka tests to compare, a
 * stream whose writes fail, and a backend for fixtures (see capture.h). Linked into every unit
 * test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "addr.h"
#include "capture.h"
#include "config.h"

FILE *capture_start(struct capture *c)
{
	c->text = NULL;
	c->f = open_memstream(&c->text, &c->len);
	assert_non_null(c->f);
	return c->f;
}

char *capture_end(struct capture *c)
{
	assert_int_equal(fclose(c->f), 0);
	return c->text;
}

FILE *full_stream(void)
{
	FILE *f = fopen("/dev/full", "w");

	assert_non_null(f);
	setvbuf(f, NULL, _IONBF, 0);
	return f;
}

char *conf_text(const struct xlb_conf *c)
{
	struct capture cap;

	assert_int_equal(xlb_conf_write(c, capture_start(&cap)), 0);
	return capture_end(&cap);
}

char *diff_text(const struct xlb_conf *r, const struct xlb_conf *d)
{
	struct xlb_strv lines = {};
	struct capture cap;
	size_t i;

	assert_int_equal(xlb_conf_diff(r, d, &lines), 0);
	capture_start(&cap);
	for (i = 0; i < lines.n; i++)
		fprintf(cap.f, "%s\n", lines.v[i]);
	xlb_strv_free(&lines);
	return capture_end(&cap);
}

char *errors_text(const struct xlb_errors *e)
{
	struct capture cap;

	xlb_errors_print(e, capture_start(&cap));
	return capture_end(&cap);
}

void fill_backend(struct xlb_be_conf *b, const char *addr, __u16 weight, bool down, bool drain,
		  __u32 id)
{
	assert_int_equal(xlb_addr_parse(addr, &b->addr), 0);
	b->weight = weight;
	b->down = down;
	b->drain = drain;
	b->id = id;
}
