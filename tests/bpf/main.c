// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xlb_fixtures: the packet-fixture suite of the balancer and decap XDP programs, run through
 * BPF_PROG_TEST_RUN (needs CAP_BPF). Prints one line per case, then "N passed, N failed";
 * exits non-zero on any failure.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "cases.h"

/* libbpf's own messages only when something went wrong. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

/*
 * Test runs execute on the caller's CPU, and the connection table keeps one part per CPU:
 * staying on one CPU keeps a flow's packets in one part, as RSS does.
 */
static int cpu_pin(void)
{
	int cpu = sched_getcpu();
	cpu_set_t set;

	if (cpu < 0)
		return -errno;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

int main(void)
{
	struct lb lb;
	int err;

	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(libbpf_print);
	err = cpu_pin();
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
	scen_any_port_off(&lb);
	scen_slots(&lb);
	scen_sticky(&lb);
	scen_conn(&lb);
	scen_decap(&lb);
	lb_close(&lb);
	scen_spread();
	scen_conn_cap();
	scen_new_flow_limit();
	scen_flood();
	scen_handshake();
	scen_moved();
	scen_migrate();
	return report_summary();
out_lb:
	lb_close(&lb);
out:
	fprintf(stderr, "Couldn't set up the fixture balancer: %s\n", strerror(-err));
	report("setup", "couldn't load or fill the balancer");
	return report_summary();
}
