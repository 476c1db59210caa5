/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The groups of fixture cases and scenario tests main.c runs, one function per file of
 * tests/bpf. Each prints one line per case through report().
 */
#ifndef XLB_TEST_CASES_H
#define XLB_TEST_CASES_H

#include "fx.h"

void cases_fwd(const struct lb *lb);
void cases_pass(const struct lb *lb);
void cases_trunc(const struct lb *lb);
void cases_icmp(const struct lb *lb);
void cases_quoted(const struct lb *lb);
void cases_frames(const struct lb *lb);
void cases_frag(const struct lb *lb);
void cases_golden(const struct lb *lb);
void cases_nat(const struct lb *lb);
/* The NAT rows both modes share, as full NAT (the nat VIPs have pools) or LVS-NAT. */
void cases_nat_rows(const struct lb *lb, bool full);
void cases_fnat(const struct lb *lb);
void cases_nat_age(const struct lb *lb);
void cases_nat_frag(const struct lb *lb);
void scen_sticky(const struct lb *lb);
void scen_any_port_off(const struct lb *lb);
void scen_slots(const struct lb *lb);
void scen_vip_cache(const struct lb *lb);
void scen_decap(const struct lb *lb);
void scen_relay(void);
void scen_twohop(const struct lb *lb);
void scen_migrate(void);
void scen_conn(const struct lb *lb);
void scen_conn_cap(void);
void scen_new_flow_limit(void);
void scen_flood(void);
void scen_handshake(void);
void scen_moved(void);
void scen_moved_unmarked(void);
void scen_syn_stable(void);
void scen_syn_repinned(void);
void scen_spread(void);

#endif /* XLB_TEST_CASES_H */
