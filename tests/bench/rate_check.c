// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The packet-rate benchmark's checks: from the counters read before and after a run, how many
 * frames did what the run measures, and whether any took another path (a verdict, a table hit
 * or miss, a relay the case does not expect). Called by rate_bench.c after every run.
 */
#include <errno.h>
#include <stdio.h>
#include <linux/bpf.h>
#include "rate_bench.h"

/*
 * The verdicts of xlb's program over the run (from counters a0 before, a1 after) into act, and
 * whether it returned want for all n frames when it ran (p == P_XLB), none otherwise.
 */
static bool actions_bad(const __u64 *a0, const __u64 *a1, __u64 *act, enum rate_prog p, int want,
			__u64 n)
{
	bool bad = false;
	int a;

	for (a = 0; a < XLB_XDP_ACTIONS; a++) {
		act[a] = a1[a] - a0[a];
		bad |= act[a] != (p == P_XLB && a == want ? n : 0);
	}
	return bad;
}

/* How much counter f rose from snapshot s0 to s1 (both in scope where it is used). */
#define DELTA(f) ((unsigned long long)(s1->f - s0->f))

/* The balancer's runs: known flows hit the connection table, new flows miss it. */
static bool lb_bad(const struct rate_opts *o, enum rate_case c, enum rate_prog p,
		   const struct rate_snap *s0, const struct rate_snap *s1)
{
	/* Second chance never looks at the connection table. */
	bool table = p == P_XLB && !rate_forwards[o->fwd].second_chance;

	return DELTA(st.flow_hit) != (table && c == C_KNOWN ? o->packets : 0) ||
	       DELTA(st.flow_miss) != (table && c == C_NEW ? o->packets : 0);
}

/* The backend's runs: every frame relayed (C_RELAY) or delivered for its relay flag. */
static bool decap_bad(const struct rate_opts *o, enum rate_case c, enum rate_prog p,
		      const struct rate_snap *s0, const struct rate_snap *s1)
{
	return DELTA(dst.relayed) != (p == P_XLB && c == C_RELAY ? o->packets : 0) ||
	       DELTA(dst.delivered_relayed) != (p == P_XLB && c == C_DELIVER ? o->packets : 0);
}

/* Why a run failed its check: what came back, and what xlb's program counted. */
static void say_why(bool relay, enum rate_case c, enum rate_prog p, const struct rate_snap *s0,
		    const struct rate_snap *s1, const __u64 *act)
{
	fprintf(stderr,
		"Run '%s' on '%s' left its path: %u sent, back %llu encapsulated %llu plain; %s "
		"aborted %llu drop %llu pass %llu tx %llu redirect %llu, ",
		rate_case_names[c], rate_prog_names[p], s1->seq - s0->seq, DELTA(back.encap),
		DELTA(back.plain), relay ? "decap" : "xlb", (unsigned long long)act[XDP_ABORTED],
		(unsigned long long)act[XDP_DROP], (unsigned long long)act[XDP_PASS],
		(unsigned long long)act[XDP_TX], (unsigned long long)act[XDP_REDIRECT]);
	if (relay)
		fprintf(stderr,
			"relayed %llu, delivered for the relay flag %llu, relay failed %llu\n",
			DELTA(dst.relayed), DELTA(dst.delivered_relayed), DELTA(dst.relay_failed));
	else
		fprintf(stderr, "flow hits %llu misses %llu\n", DELTA(st.flow_hit),
			DELTA(st.flow_miss));
}

int rate_check(const struct rate_opts *o, enum rate_case c, enum rate_prog p,
	       const struct rate_snap *s0, const struct rate_snap *s1, __u64 *done)
{
	const struct rate_forward *f = &rate_forwards[o->fwd];
	__u64 n = o->packets, act[XLB_XDP_ACTIONS];
	/* xlb's program passes these cases' frames up; the others come back to the sink. */
	bool passes = c == C_NONVIP || c == C_DELIVER;
	/*
	 * What comes back is GUE for the relay mode, else as xlb, the floor (IPIP) or the bare
	 * program sends it.
	 */
	bool encaps = f->relay || p == P_FLOOR || (p == P_XLB && f->forward != XLB_FWD_DR);
	bool bad = s1->seq - s0->seq != n;

	bad |= actions_bad(f->relay ? s0->dst.action : s0->st.action,
			   f->relay ? s1->dst.action : s1->st.action, act, p,
			   passes ? XDP_PASS : XDP_TX, n);
	bad |= (encaps ? DELTA(back.plain) : DELTA(back.encap)) != 0;
	bad |= f->relay ? decap_bad(o, c, p, s0, s1) : lb_bad(o, c, p, s0, s1);
	if (p == P_XLB && passes)
		*done = act[XDP_PASS];
	else if (p == P_PASS)
		*done = DELTA(passed);
	else
		*done = encaps ? DELTA(back.encap) : DELTA(back.plain);
	if (!bad)
		return 0;
	say_why(f->relay, c, p, s0, s1, act);
	return -EPROTO;
}
