// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xlb_fixtures: the packet-fixture suite of the balancer and decap XDP programs, run through
 * BPF_PROG_TEST_RUN (needs CAP_BPF). Prints one line per case, then "N passed, N failed";
 * exits non-zero on any failure.
 */
#include <stdio.h>
#include <string.h>
#include "cases.h"
#include "test_run.h"

int main(void)
{
	struct lb lb;
	int err;

	setvbuf(stdout, NULL, _IOLBF, 0);
	test_run_quiet_libbpf();
	err = test_run_pin_cpu();
	if (!err)
		err = lb_open(&lb, FX_TABLE);
	if (err)
		goto out;
	err = env_setup(&lb);
	if (err)
		goto out_lb;
	cases_fwd(&lb);
	cases_pass(&lb);
	cases_trunc(&lb);
	cases_icmp(&lb);
	cases_quoted(&lb);
	cases_frames(&lb);
	cases_frag(&lb);
	cases_golden(&lb);
	cases_nat(&lb);
	cases_nat_age(&lb);
	cases_fnat(&lb);
	cases_nat_frag(&lb);
	scen_any_port_off(&lb);
	scen_slots(&lb);
	scen_vip_cache(&lb);
	scen_sticky(&lb);
	scen_conn(&lb);
	scen_decap(&lb);
	scen_twohop(&lb);
	lb_close(&lb);
	scen_spread();
	scen_conn_cap();
	scen_new_flow_limit();
	scen_flood();
	scen_handshake();
	scen_moved();
	scen_moved_unmarked();
	scen_syn_stable();
	scen_syn_repinned();
	scen_relay();
	scen_migrate();
	return report_summary();
out_lb:
	lb_close(&lb);
out:
	fprintf(stderr, "Couldn't set up the fixture balancer: %s\n", strerror(-err));
	report("setup", "couldn't load or fill the balancer");
	return report_summary();
}
