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

/* The balancer's runs: known flows hit the connection table, new flows miss it. */
static int check_lb(const struct rate_opts *o, enum rate_case c, enum rate_prog p,
		    const struct rate_snap *s0, const struct rate_snap *s1, __u64 *done)
{
	__u64 n = o->packets, act[XLB_XDP_ACTIONS];
	__u64 hit = s1->st.flow_hit - s0->st.flow_hit, miss = s1->st.flow_miss - s0->st.flow_miss;
	__u64 encap = s1->back.encap - s0->back.encap, plain = s1->back.plain - s0->back.plain;
	bool encaps = p == P_XLB && rate_forwards[o->fwd].forward != XLB_FWD_DR;
	/* Second chance never looks at the connection table. */
	bool twohop = rate_forwards[o->fwd].second_chance;
	bool bad = s1->seq - s0->seq != n;

	bad |=
	    actions_bad(s0->st.action, s1->st.action, act, p, c == C_NONVIP ? XDP_PASS : XDP_TX, n);
	bad |= hit != (p == P_XLB && c == C_KNOWN && !twohop ? n : 0);
	bad |= miss != (p == P_XLB && c == C_NEW && !twohop ? n : 0);
	bad |= (encaps ? plain : encap) != 0;
	if (p == P_XLB && c == C_NONVIP)
		*done = act[XDP_PASS];
	else if (p == P_PASS)
		*done = s1->passed - s0->passed;
	else
		*done = encaps ? encap : plain;
	if (!bad)
		return 0;
	fprintf(stderr,
		"Run '%s' on '%s' left its path: %u sent, back %llu encapsulated %llu plain; xlb "
		"aborted %llu drop %llu pass %llu tx %llu redirect %llu, flow hits %llu misses "
		"%llu\n",
		rate_case_names[c], rate_prog_names[p], s1->seq - s0->seq,
		(unsigned long long)encap, (unsigned long long)plain,
		(unsigned long long)act[XDP_ABORTED], (unsigned long long)act[XDP_DROP],
		(unsigned long long)act[XDP_PASS], (unsigned long long)act[XDP_TX],
		(unsigned long long)act[XDP_REDIRECT], (unsigned long long)hit,
		(unsigned long long)miss);
	return -EPROTO;
}

/*
 * The backend's runs: every frame relayed (C_RELAY) or delivered for its relay flag
 * (C_DELIVER) by the decap program, as its own counters say; what comes back is all GUE.
 */
static int check_decap(const struct rate_opts *o, enum rate_case c, enum rate_prog p,
		       const struct rate_snap *s0, const struct rate_snap *s1, __u64 *done)
{
	__u64 n = o->packets, act[XLB_XDP_ACTIONS];
	__u64 relayed = s1->dst.relayed - s0->dst.relayed;
	__u64 flagged = s1->dst.delivered_relayed - s0->dst.delivered_relayed;
	__u64 encap = s1->back.encap - s0->back.encap, plain = s1->back.plain - s0->back.plain;
	bool bad = s1->seq - s0->seq != n;

	bad |= actions_bad(s0->dst.action, s1->dst.action, act, p, c == C_RELAY ? XDP_TX : XDP_PASS,
			   n);
	bad |= relayed != (p == P_XLB && c == C_RELAY ? n : 0);
	bad |= flagged != (p == P_XLB && c == C_DELIVER ? n : 0);
	bad |= plain != 0;
	if (p == P_XLB && c == C_DELIVER)
		*done = act[XDP_PASS];
	else if (p == P_PASS)
		*done = s1->passed - s0->passed;
	else
		*done = encap;
	if (!bad)
		return 0;
	fprintf(stderr,
		"Run '%s' on '%s' left its path: %u sent, back %llu encapsulated %llu plain; "
		"decap aborted %llu drop %llu pass %llu tx %llu, relayed %llu, delivered for the "
		"relay flag %llu, relay failed %llu\n",
		rate_case_names[c], rate_prog_names[p], s1->seq - s0->seq,
		(unsigned long long)encap, (unsigned long long)plain,
		(unsigned long long)act[XDP_ABORTED], (unsigned long long)act[XDP_DROP],
		(unsigned long long)act[XDP_PASS], (unsigned long long)act[XDP_TX],
		(unsigned long long)relayed, (unsigned long long)flagged,
		(unsigned long long)(s1->dst.relay_failed - s0->dst.relay_failed));
	return -EPROTO;
}

int rate_check(const struct rate_opts *o, enum rate_case c, enum rate_prog p,
	       const struct rate_snap *s0, const struct rate_snap *s1, __u64 *done)
{
	if (rate_forwards[o->fwd].relay)
		return check_decap(o, c, p, s0, s1, done);
	return check_lb(o, c, p, s0, s1, done);
}
