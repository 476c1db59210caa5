/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Checks that two configuration models say the same thing, and that a model writes a given
 * text (conf_same.c), for the tests of the loader and writer that compare what went in with
 * what came back.
 */
#ifndef XLB_TEST_CONF_SAME_H
#define XLB_TEST_CONF_SAME_H

#include "model.h"

/*
 * Every setting of every VIP and backend, in order: names, forwarding, scheduler, GUE port,
 * new-flow limit, health settings (equal by xlb_health_eq and byte for byte), backends' address,
 * weight, drain and MAC.
 */
void assert_conf_same(const struct xlb_conf *a, const struct xlb_conf *b);
/* c as xlb_conf_write() writes it is text, to the byte. */
void assert_conf_writes(const struct xlb_conf *c, const char *text);

#endif /* XLB_TEST_CONF_SAME_H */
