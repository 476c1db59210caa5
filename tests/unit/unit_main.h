/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The main() of a cmocka test program here, written once: XLB_UNIT_MAIN(cmocka_unit_test(a),
 * cmocka_unit_test(b)) runs the tests in that order, with no group setup. After <cmocka.h>.
 * (A program with a setup of its own, as test_config.c and test_pins.c, writes its main().)
 */
#ifndef XLB_TEST_UNIT_MAIN_H
#define XLB_TEST_UNIT_MAIN_H

#define XLB_UNIT_MAIN(...)                                                                        \
	int main(void)                                                                            \
	{                                                                                         \
		const struct CMUnitTest tests[] = {__VA_ARGS__};                                  \
                                                                                                  \
		return cmocka_run_group_tests(tests, NULL, NULL);                                 \
	}

#endif /* XLB_TEST_UNIT_MAIN_H */
