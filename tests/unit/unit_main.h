/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The main() of a cmocka test program here, written once: XLB_UNIT_MAIN(test_a, test_b) runs
 * those test functions in that order, each named as spelled, with no setup. After <cmocka.h>.
 * (A program with a setup or teardown of its own, as test_config.c, writes its main().)
 */
#ifndef XLB_TEST_UNIT_MAIN_H
#define XLB_TEST_UNIT_MAIN_H

#include <string.h>

/* Fills n tests from fns and names, the list's spelling ("test_a, test_b"), cut in place. */
static void xlb_unit_fill(struct CMUnitTest *tests, const CMUnitTestFunction *fns, char *names,
			  size_t n)
{
	char *save = NULL, *name = strtok_r(names, ", ", &save);
	size_t i;

	for (i = 0; i < n; i++, name = strtok_r(NULL, ", ", &save))
		tests[i] = (struct CMUnitTest){.name = name, .test_func = fns[i]};
}

#define XLB_UNIT_MAIN(...)                                                                        \
	int main(void)                                                                            \
	{                                                                                         \
		static const CMUnitTestFunction fns[] = {__VA_ARGS__};                            \
		static char names[] = #__VA_ARGS__;                                               \
		struct CMUnitTest tests[sizeof(fns) / sizeof(fns[0])];                            \
                                                                                                  \
		xlb_unit_fill(tests, fns, names, sizeof(fns) / sizeof(fns[0]));                   \
		return cmocka_run_group_tests(tests, NULL, NULL);                                 \
	}

#endif /* XLB_TEST_UNIT_MAIN_H */
