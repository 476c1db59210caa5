/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Helpers the cmocka tests share (capture.c): what a writer under test prints, captured as one
 * heap string (a stream to write to, the configuration file, apply's difference, the error
 * list), a stream on which every write fails, a fixture's backend in one call, and checks that
 * name the table row they check.
 */
#ifndef XLB_TEST_CAPTURE_H
#define XLB_TEST_CAPTURE_H

#include <stdio.h>
#include <string.h>
#include "model.h"

/* A stream into a heap buffer: capture_start() opens it, capture_end() closes it. */
struct capture {
	FILE *f;
	char *text;
	size_t len;
};

FILE *capture_start(struct capture *c);
/* What was written, NUL-terminated; the caller frees it. */
char *capture_end(struct capture *c);
/* /dev/full unbuffered, so the first write a renderer makes fails with ENOSPC. */
FILE *full_stream(void);
/* c as xlb_conf_write() writes it. */
char *conf_text(const struct xlb_conf *c);
/* xlb_conf_diff(r, d) as apply prints it, a line each. */
char *diff_text(const struct xlb_conf *r, const struct xlb_conf *d);
/* e as xlb_errors_print() prints it. */
char *errors_text(const struct xlb_errors *e);
/* A backend at addr (which must parse) with the given weight, health, drain flag and id. */
void fill_backend(struct xlb_be_conf *b, const char *addr, __u16 weight, bool down, bool drain,
		  __u32 id);

/*
 * cmocka's checks name the line of the check, which in a loop over a table is every row's:
 * these fail with the row's name (a string) and both values instead. After <cmocka.h>.
 */
#define assert_row_int(row, a, b)                                                             \
	do {                                                                                  \
		long long a_ = (a), b_ = (b);                                                 \
		if (a_ != b_)                                                                 \
			fail_msg("%s: %s is %lld, not %lld", (row), #a, a_, b_);              \
	} while (0)
#define assert_row_string(row, a, b)                                                          \
	do {                                                                                  \
		const char *a_ = (a), *b_ = (b);                                              \
		if (!a_ || !b_ || strcmp(a_, b_))                                             \
			fail_msg("%s: %s is \"%s\", not \"%s\"", (row), #a, a_ ? a_ : "(null)", \
				 b_ ? b_ : "(null)");                                         \
	} while (0)
#define assert_row_memory(row, a, b, n)                                                       \
	do {                                                                                  \
		if (memcmp((a), (b), (n)))                                                    \
			fail_msg("%s: %s differs from %s", (row), #a, #b);                    \
	} while (0)

#endif /* XLB_TEST_CAPTURE_H */
