// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xlb: the command line of the xlb load balancer. Parses (cli_parse.c), then runs the
 * command (cli_run.c and cmd_*.c); exits with a sysexits.h code.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <bpf/libbpf.h>
#include "cli.h"

/* libbpf's own messages, one level down: warnings only with XLB_VERBOSE set. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG || !getenv("XLB_VERBOSE"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int main(int argc, char **argv)
{
	struct cli_args a;
	char err[256];
	int ret;

	ret = cli_parse(argc, argv, &a, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "xlb: %s\n", err);
		if (ret == EX_USAGE)
			fprintf(stderr, "Try 'xlb --help'.\n");
		return ret;
	}
	libbpf_set_print(libbpf_print);
	return cli_run(&a);
}
