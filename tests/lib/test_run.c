// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Support for the programs that drive BPF_PROG_TEST_RUN (test_run.h).
 */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <bpf/libbpf.h>
#include "test_run.h"

static int warnings_only(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

void test_run_quiet_libbpf(void)
{
	libbpf_set_print(warnings_only);
}

int test_run_pin_cpu(void)
{
	int cpu = sched_getcpu();
	cpu_set_t set;

	if (cpu < 0)
		return -errno;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}
