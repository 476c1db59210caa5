// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Unit tests of the backend health state machine (user/lib/health_fsm.c): rise and fall over
 * consecutive results, the streak, the counters xlb_be_health keeps, and adopted states.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "unit_main.h"
#include "health_fsm.h"

static void test_down_after_fall_failures(void **state)
{
	struct xlb_hfsm f = {};

	(void)state;
	assert_false(xlb_hfsm_step(&f, ECONNREFUSED, 2, 3));
	assert_false(xlb_hfsm_step(&f, ETIMEDOUT, 2, 3));
	assert_int_equal(f.h.streak, 2);
	assert_false(f.down);
	assert_true(xlb_hfsm_step(&f, ECONNREFUSED, 2, 3));
	assert_true(f.down);
	assert_int_equal(f.h.streak, 0);
	assert_int_equal(f.h.transitions, 1);
	assert_int_equal(f.h.checks_failed, 3);
	assert_int_equal(f.h.checks_ok, 0);
	assert_int_equal(f.h.last_error, ECONNREFUSED);
}

static void test_good_check_breaks_failure_streak(void **state)
{
	struct xlb_hfsm f = {};

	(void)state;
	xlb_hfsm_step(&f, ETIMEDOUT, 2, 3);
	xlb_hfsm_step(&f, ETIMEDOUT, 2, 3);
	assert_false(xlb_hfsm_step(&f, 0, 2, 3));
	assert_int_equal(f.h.streak, 0);
	xlb_hfsm_step(&f, ETIMEDOUT, 2, 3);
	assert_false(xlb_hfsm_step(&f, ETIMEDOUT, 2, 3));
	assert_false(f.down);
	assert_int_equal(f.h.checks_ok, 1);
	assert_int_equal(f.h.checks_failed, 4);
	/* The last failure's code stays after a good check. */
	assert_int_equal(f.h.last_error, ETIMEDOUT);
}

static void test_up_after_rise_good_checks(void **state)
{
	struct xlb_hfsm f = { .down = true, .h = { .checks_failed = 3, .transitions = 1 } };

	(void)state;
	assert_false(xlb_hfsm_step(&f, 0, 2, 3));
	assert_int_equal(f.h.streak, 1);
	assert_false(xlb_hfsm_step(&f, 1500, 2, 3)); /* a failure agrees with down */
	assert_int_equal(f.h.streak, 0);
	assert_int_equal(f.h.last_error, 1500);
	assert_false(xlb_hfsm_step(&f, 0, 2, 3));
	assert_true(xlb_hfsm_step(&f, 0, 2, 3));
	assert_false(f.down);
	assert_int_equal(f.h.transitions, 2);
	assert_int_equal(f.h.streak, 0);
}

/* A backend added to a checked VIP: down, never checked, up at its first good check. */
static void test_pending_up_at_first_good_check(void **state)
{
	struct xlb_hfsm f = { .down = true };

	(void)state;
	assert_true(xlb_health_pending(f.down, &f.h));
	assert_true(xlb_hfsm_step(&f, 0, 3, 3));
	assert_false(f.down);
	assert_false(xlb_health_pending(f.down, &f.h));
	assert_int_equal(f.h.checks_ok, 1);
	assert_int_equal(f.h.streak, 0);
	assert_int_equal(f.h.transitions, 0); /* it had never been up */
}

/* A failed first check leaves it down; then rise good checks bring it up, as for any other. */
static void test_pending_first_failure_stays_down(void **state)
{
	struct xlb_hfsm f = { .down = true };

	(void)state;
	assert_false(xlb_hfsm_step(&f, ECONNREFUSED, 2, 3));
	assert_true(f.down);
	assert_false(xlb_health_pending(f.down, &f.h));
	assert_int_equal(f.h.last_error, ECONNREFUSED);
	assert_int_equal(f.h.streak, 0);
	assert_false(xlb_hfsm_step(&f, 0, 2, 3));
	assert_true(xlb_hfsm_step(&f, 0, 2, 3));
	assert_false(f.down);
	assert_int_equal(f.h.transitions, 1);
}

/* Up with no checks yet (an unchecked VIP's backend) is not pending; nor is a checked one. */
static void test_pending_only_when_down_and_never_checked(void **state)
{
	struct xlb_backend_health h = {};

	(void)state;
	assert_false(xlb_health_pending(false, &h));
	h.checks_failed = 1;
	assert_false(xlb_health_pending(true, &h));
	h = (struct xlb_backend_health){ .transitions = 1 };
	assert_false(xlb_health_pending(true, &h));
}

static void test_rise_and_fall_of_one(void **state)
{
	struct xlb_hfsm f = {};

	(void)state;
	assert_true(xlb_hfsm_step(&f, ECONNRESET, 1, 1));
	assert_true(f.down);
	assert_true(xlb_hfsm_step(&f, 0, 1, 1));
	assert_false(f.down);
	/* Zero thresholds (never valid in a VIP) behave as one. */
	assert_true(xlb_hfsm_step(&f, ECONNRESET, 0, 0));
	assert_true(xlb_hfsm_step(&f, 0, 0, 0));
	assert_int_equal(f.h.transitions, 4);
}

/* A restarted daemon adopts the flag and streak it finds and goes on from there. */
static void test_adopted_streak_continues(void **state)
{
	struct xlb_hfsm f = { .down = true, .h = { .streak = 2, .transitions = 7 } };

	(void)state;
	assert_true(xlb_hfsm_step(&f, 0, 3, 3));
	assert_false(f.down);
	assert_int_equal(f.h.transitions, 8);
}

/* Lowering fall below the streak takes effect at the next failure. */
static void test_streak_over_new_threshold(void **state)
{
	struct xlb_hfsm f = {};

	(void)state;
	xlb_hfsm_step(&f, ETIMEDOUT, 5, 5);
	xlb_hfsm_step(&f, ETIMEDOUT, 5, 5);
	xlb_hfsm_step(&f, ETIMEDOUT, 5, 5);
	assert_true(xlb_hfsm_step(&f, ETIMEDOUT, 2, 2));
	assert_true(f.down);
}

XLB_UNIT_MAIN(test_down_after_fall_failures, test_good_check_breaks_failure_streak,
	      test_up_after_rise_good_checks, test_rise_and_fall_of_one,
	      test_adopted_streak_continues, test_streak_over_new_threshold,
	      test_pending_up_at_first_good_check, test_pending_first_failure_stays_down,
	      test_pending_only_when_down_and_never_checked)
