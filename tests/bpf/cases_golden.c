// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Golden frames: a few whole input and output frames written out byte for byte in golden.txt,
 * checksums included, so they stand without the fixture encoders of pkt.c and fx.c (a fault
 * shared by an encoder and the balancer cannot hide here). Each note there says what its bytes
 * hold.
 */
#include <string.h>
#include <linux/bpf.h>
#include "cases.h"

#include "golden_frames.h" /* from golden.txt */

/* A golden case: a frame in, the frame out, and where the counters say it went. */
struct golden {
	const char *name;
	const __u8 *in, *out;
	__u32 in_len, out_len;
	__u32 vip; /* forwarded to this fixture VIP's backend, or ECHO */
};

#define ECHO	  V_FIXTURES
#define GOLDEN(n) n##_in, n##_out, sizeof(n##_in), sizeof(n##_out)

static const struct golden goldens[] = {
	{ "golden ipip 4in4: new flow to 198.18.0.1:80", GOLDEN(ipip), V_TCP4 },
	{ "golden dr v6: new flow to [2001:db8:100::2]:80", GOLDEN(dr6), V_DR6 },
	{ "golden echo v4: request to a vip address answered", GOLDEN(echo4), ECHO },
};

static void golden(struct fx *x, const void *row)
{
	const struct golden *g = row;

	memcpy(x->in.b, g->in, g->in_len);
	x->in.len = g->in_len;
	memcpy(x->out.b, g->out, g->out_len);
	x->out.len = g->out_len;
	x->ip.len = g->in_len - 14; /* untagged Ethernet */
	if (g->vip == ECHO) {
		x->verdict = XDP_TX;
		x->delta.st.action[XDP_TX]++;
		x->delta.st.icmp_echo++;
	} else {
		fx_count_fwd(x, g->vip, env_vip(g->vip)->be, true);
	}
}

void cases_golden(const struct lb *lb)
{
	FX_RUN_ROWS(lb, goldens, golden);
}
