/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * xlbd's clock: CLOCK_MONOTONIC in milliseconds, the unit its loop's timeouts, the health
 * checks' schedule, slow-start ramps and the HTTP connections' limits count in.
 */
#ifndef XLBD_CLOCK_MS_H
#define XLBD_CLOCK_MS_H

#include <time.h>
#include <linux/types.h>

static inline __u64 xlbd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

#endif /* XLBD_CLOCK_MS_H */
