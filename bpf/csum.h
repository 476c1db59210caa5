/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Internet checksums (RFC 1071) for headers the balancer writes or edits: the RFC 1624
 * incremental update, and folding sums (outer.h sums the IPv4 headers it writes).
 */
#ifndef XLB_CSUM_H
#define XLB_CSUM_H

#include "xlb_defs.h"

static __always_inline __u16 xlb_csum_fold(__u64 sum)
{
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* RFC 1624 eq. 3: HC' = ~(~HC + ~m + m'), for one 16-bit field changing from old to new. */
static __always_inline void xlb_csum_replace2(__sum16 *check, __u16 old, __u16 new)
{
	__u64 sum = (__u16)~*check;

	sum += (__u16)~old;
	sum += new;
	*check = xlb_csum_fold(sum);
}

#endif /* XLB_CSUM_H */
