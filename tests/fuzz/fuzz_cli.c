// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * libFuzzer harness of the command line grammar (user/cli/cli_parse.c): the input, split at NUL
 * bytes, is argv after "xlb". cli_parse() must return 0, EX_USAGE or EX_DATAERR, with a
 * message on an error (one line, unless it quotes an argument that holds a newline), and name
 * a command when it accepts.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define ARGS_MAX 64

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
	char *argv[ARGS_MAX + 2], err[256];
	struct cli_args a;
	char *text, *p;
	int argc = 1, ret;

	/* A copy that ends in NUL, so the last word is a string too. */
	text = malloc(n + 1);
	if (!text)
		abort();
	memcpy(text, data, n);
	text[n] = '\0';
	argv[0] = "xlb";
	for (p = text; p < text + n + 1 && argc <= ARGS_MAX; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	ret = cli_parse(argc, argv, &a, err, sizeof(err));
	if (ret != 0 && ret != EX_USAGE && ret != EX_DATAERR)
		abort();
	if (ret && (!err[0] || (strchr(err, '\n') && !memchr(data, '\n', n))))
		abort();
	if (!ret && (unsigned int)a.cmd >= CMD__MAX)
		abort();
	free(text);
	return 0;
}
