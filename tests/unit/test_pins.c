// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Unit tests of the pin directories' namespace record (user/lib/pins.c), on ordinary directories:
 * a record of another namespace is dead pins, none is the layout before the record, and reaping
 * removes only this namespace inode's dead directories.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "pins.h"

static char root[] = "/tmp/xlb-pins.XXXXXX";
static int reaped;

static void make_dir(const char *name, const char *record, char *dir)
{
	char path[PATH_MAX + 8];

	snprintf(dir, PATH_MAX, "%s/%s", root, name);
	assert_int_equal(mkdir(dir, 0700), 0);
	if (!record)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, XLB_PIN_NETNS);
	assert_int_equal(symlink(record, path), 0);
}

static void own_cookie(char *buf, size_t len)
{
	socklen_t sl = sizeof(uint64_t);
	uint64_t cookie;
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(getsockopt(fd, SOL_SOCKET, 71 /* SO_NETNS_COOKIE */, &cookie, &sl), 0);
	close(fd);
	snprintf(buf, len, "%" PRIu64, cookie);
}

static void test_check(void **state)
{
	char dir[PATH_MAX], cookie[24];

	(void)state;
	own_cookie(cookie, sizeof(cookie));
	make_dir("other", "0", dir);
	assert_int_equal(xlb_pins_check(dir, "lo"), -EOWNERDEAD);
	make_dir("garbage", "12x", dir);
	assert_int_equal(xlb_pins_check(dir, "lo"), -EOWNERDEAD);
	/* No link pinned yet (or the layout before the record): nothing to say against it. */
	make_dir("mine", cookie, dir);
	assert_int_equal(xlb_pins_check(dir, "lo"), 0);
	make_dir("old", NULL, dir);
	assert_int_equal(xlb_pins_check(dir, "lo"), 0);
}

static void count_reaped(const char *dir)
{
	(void)dir;
	reaped++;
}

static void test_reap(void **state)
{
	char dir[PATH_MAX], key[XLB_INSTANCE_KEY_MAX], name[XLB_INSTANCE_KEY_MAX + 8];
	char cookie[24];
	struct stat st;

	(void)state;
	own_cookie(cookie, sizeof(cookie));
	assert_int_equal(xlb_instance_key("d", key, sizeof(key)), 0);
	snprintf(name, sizeof(name), "dead%s", key);
	make_dir(name, "0", dir);
	snprintf(name, sizeof(name), "live%s", key);
	make_dir(name, cookie, dir);
	snprintf(name, sizeof(name), "older%s", key);
	make_dir(name, NULL, dir);
	make_dir("elsewhere@1", "0", dir);
	reaped = 0;
	assert_int_equal(xlb_pins_reap(root, count_reaped), 1);
	assert_int_equal(reaped, 1);
	snprintf(dir, sizeof(dir), "%s/dead%s", root, key);
	assert_int_equal(stat(dir, &st), -1);
	snprintf(dir, sizeof(dir), "%s/live%s", root, key);
	assert_int_equal(stat(dir, &st), 0);
	snprintf(dir, sizeof(dir), "%s/older%s", root, key);
	assert_int_equal(stat(dir, &st), 0);
	snprintf(dir, sizeof(dir), "%s/elsewhere@1", root);
	assert_int_equal(stat(dir, &st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_check),
	    cmocka_unit_test(test_reap),
	};
	char cmd[PATH_MAX];
	int ret;

	if (!mkdtemp(root))
		return 1;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		ret = 1;
	return ret;
}
