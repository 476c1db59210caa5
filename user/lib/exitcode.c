// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Negative errno to sysexits code: what does not exist is EX_NOINPUT, what may not be done is
 * EX_NOPERM, a bad value is EX_DATAERR, anything else the system's fault (EX_OSERR).
 */
#include <errno.h>
#include "exitcode.h"

int xlb_exit_code(int err)
{
	switch (err) {
	case 0:
		return EX_OK;
	case -ENOENT:
	case -ENODEV:
	case -ESTALE:	   /* pins of a renamed interface */
	case -ENOLINK:	   /* pins of a deleted interface */
	case -EOWNERDEAD: /* pins of a deleted network namespace */
		return EX_NOINPUT;
	case -EPERM:
	case -EACCES:
		return EX_NOPERM;
	case -EINVAL:
	case -ERANGE:
		return EX_DATAERR;
	}
	return EX_OSERR;
}
