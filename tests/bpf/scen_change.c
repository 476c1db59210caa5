// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Scenarios of a VIP's table changing under its flows, through BPF_PROG_TEST_RUN: a handshake
 * across a change, flows that move CPU after one, slots marked stable or not, and what a SYN's
 * note may still say. The CPU moves need two CPUs; with one, they report so and pass.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "cases.h"

/* The backend each scenario adds to V_TCP4, which its changed tables name. */
static struct env_be added[1] = {{38, "198.19.0.38", XLB_BE_F_ACTIVE, 1, V_TCP4}};

/* Sends in to V_TCP4 and expects it at backend be, from the table (hit) or not. */
static void send_be(const struct lb *lb, const char *name, const struct fx_in *in,
		    const struct env_be *be, bool hit)
{
	static struct fx x;

	fx_start(&x, name);
	fx_send(&x, in);
	fx_encap_frame(&x, env_vip(V_TCP4), be);
	fx_count_fwd(&x, V_TCP4, be->id, !hit);
	fx_check(lb, &x);
}

/*
 * A balancer with the fixtures' VIPs and backend added[0], for the scenario named what: 0, or
 * -1 when it could not be set up (reported).
 */
static int open_added(struct lb *lb, const char *what)
{
	char name[64];
	int err = lb_open(lb, FX_TABLE);

	if (err)
		goto out;
	err = env_setup(lb);
	if (!err)
		err = env_put_be(lb, &added[0]);
	if (err)
		lb_close(lb);
out:
	if (err) {
		snprintf(name, sizeof(name), "%s: set up a balancer", what);
		report(name, "couldn't");
	}
	return err ? -1 : 0;
}

/*
 * A handshake across a table change: the SYN went to the old backend, so its next packet
 * follows the SYN there (and is recorded), while a flow whose SYN was not seen goes by the
 * new table.
 */
void scen_handshake(void)
{
	struct fx_in syn = fx_tcp(env_vip(V_TCP4)->addr, env_vip(V_TCP4)->port), other;
	const struct env_be *old = env_be(1);
	struct lb lb;

	if (open_added(&lb, "handshake"))
		return;
	other = syn;
	other.sport = fx_port();
	syn.syn = true;
	send_be(&lb, "handshake: the SYN goes by Maglev", &syn, old, false);
	if (env_fill_table(&lb, V_TCP4, added[0].id, FX_TABLE))
		report("handshake: swap the VIP's table", "map update failed");
	syn.syn = false;
	send_be(&lb, "handshake: its next packet follows the SYN, not the new table", &syn, old,
		false);
	send_be(&lb, "handshake: and is recorded there", &syn, old, true);
	send_be(&lb, "handshake: a flow whose SYN was not seen takes the new table", &other,
		&added[0], false);
	lb_close(&lb);
}

/* Moves this process, and so its test runs, to CPU cpu. */
static int run_on(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

/* Moves this process to CPU cpu, reporting step name as failed if it could not. */
static void move_to(int cpu, const char *name)
{
	if (run_on(cpu))
		report(name, "couldn't");
}

/* Whether there is another CPU than from for scenario what to move to; reported if not. */
static bool two_cpus(const char *what, int from)
{
	char name[96];

	if (libbpf_num_possible_cpus() >= 2 && from >= 0)
		return true;
	snprintf(name, sizeof(name), "%s: a flow that moves CPU (one CPU: nothing to check)", what);
	report(name, "");
	return false;
}

/*
 * A flow that moves CPU (no RSS: veth, generic XDP) after its VIP's table changed: its
 * first packet on the new CPU finds the entry in the old CPU's part and keeps the backend;
 * a handshake's next packet on another CPU than its SYN follows the SYN.
 */
void scen_moved(void)
{
	struct fx_in in = fx_tcp(env_vip(V_TCP4)->addr, env_vip(V_TCP4)->port);
	int from = sched_getcpu(), to = from ? 0 : 1;
	const struct env_be *old = env_be(1);
	struct lb lb;

	if (!two_cpus("moved", from))
		return;
	if (open_added(&lb, "moved"))
		return;
	send_be(&lb, "moved: a flow starts on one CPU", &in, old, false);
	send_be(&lb, "moved: and is established there", &in, old, true);
	if (env_fill_table(&lb, V_TCP4, added[0].id, FX_TABLE) || run_on(to))
		report("moved: swap the table and move to another CPU", "couldn't");
	send_be(&lb, "moved: on another CPU it keeps its backend", &in, old, false);
	send_be(&lb, "moved: and is recorded there", &in, old, true);
	/* A handshake whose SYN and next packet come on two CPUs, the table changed between. */
	in.sport = fx_port();
	in.syn = true;
	move_to(from, "moved: move back");
	send_be(&lb, "moved: a SYN on one CPU goes by Maglev", &in, &added[0], false);
	if (env_fill_table(&lb, V_TCP4, old->id, FX_TABLE) || run_on(to))
		report("moved: swap the table back and move", "couldn't");
	in.syn = false;
	send_be(&lb, "moved: its next packet on another CPU follows the SYN", &in, &added[0],
		false);
	send_be(&lb, "moved: and is recorded there", &in, &added[0], true);
	/* Its port reused, the table changed back: the new SYN on the first CPU clears the entry
	 * on the other, so the new connection's packets there follow the new SYN. */
	if (env_fill_table(&lb, V_TCP4, old->id, FX_TABLE) || run_on(from))
		report("moved: swap the table and move back", "couldn't");
	in.syn = true;
	send_be(&lb, "moved: a SYN reusing the 5-tuple on the first CPU", &in, old, false);
	in.syn = false;
	move_to(to, "moved: move");
	send_be(&lb, "moved: the new connection's packet on the other CPU follows it", &in, old,
		false);
	move_to(from, "moved: move back");
	lb_close(&lb);
}

/* V_TCP4's table naming be_id in every slot, put as it is, each slot with mark. */
static int put_marked(const struct lb *lb, __u32 be_id, __u32 mark)
{
	__u32 i, *ids = malloc(FX_TABLE * sizeof(*ids));
	int fd, err;

	if (!ids)
		return -ENOMEM;
	for (i = 0; i < FX_TABLE; i++)
		ids[i] = be_id | mark;
	fd = xlb_table_new(ids, FX_TABLE);
	free(ids);
	if (fd < 0)
		return fd;
	err = xlb_table_put(&lb->maps, V_TCP4, fd);
	close(fd);
	return err;
}

/*
 * A flow that moves CPU to a table slot marked stable, put here while its entry names another
 * backend (which the library never does: a stable slot's flows all name its backend): its new
 * CPU goes by Maglev without looking at the other parts, and a SYN there leaves them, so the
 * first CPU keeps the old entry. A slot without the mark (as an xlb from before it wrote
 * every table) counts as moved: the entry is found.
 */
void scen_moved_unmarked(void)
{
	struct fx_in in = fx_tcp(env_vip(V_TCP4)->addr, env_vip(V_TCP4)->port);
	int from = sched_getcpu(), to = from ? 0 : 1, old;
	static const char *const pass[] = {"stable slot", "unmarked slot"};
	const struct env_be *first = env_be(1);
	char name[96];
	struct lb lb;

	if (!two_cpus("stable slot", from))
		return;
	for (old = 0; old < 2; old++) {
		if (open_added(&lb, pass[old]))
			return;
		in.sport = fx_port();
		in.syn = false;
		snprintf(name, sizeof(name), "%s: a flow starts on one CPU", pass[old]);
		send_be(&lb, name, &in, first, false);
		snprintf(name, sizeof(name), "%s: and is established there", pass[old]);
		send_be(&lb, name, &in, first, true);
		if (put_marked(&lb, added[0].id, old ? 0 : XLB_SLOT_STABLE) || run_on(to))
			report("stable slot: swap the table and move to another CPU", "couldn't");
		snprintf(name, sizeof(name), "%s: on another CPU it goes %s", pass[old],
			 old ? "to the backend found there" : "by Maglev");
		send_be(&lb, name, &in, old ? first : &added[0], false);
		if (!old) {
			in.syn = true;
			send_be(&lb, "stable slot: a SYN there goes by Maglev", &in, &added[0],
				false);
			in.syn = false;
			move_to(from, "stable slot: move back");
			send_be(&lb, "stable slot: and left the first CPU's entry", &in, first,
				true);
		}
		move_to(from, "stable slot: move back");
		lb_close(&lb);
	}
}

/*
 * A handshake's next packet looks for its SYN only where the table slot moved. Under a slot
 * marked stable that names another backend than the SYN took (which the library never does: a
 * stable slot names what every table before it named), it goes by Maglev; under the same slot
 * unmarked, it follows the SYN.
 */
void scen_syn_stable(void)
{
	struct fx_in in = fx_tcp(env_vip(V_TCP4)->addr, env_vip(V_TCP4)->port);
	static const char *const pass[] = {"stable slot", "unmarked slot"};
	const struct env_be *first = env_be(1);
	char name[96];
	struct lb lb;
	int old;

	for (old = 0; old < 2; old++) {
		if (open_added(&lb, pass[old]))
			return;
		in.sport = fx_port();
		in.syn = true;
		snprintf(name, sizeof(name), "%s: a SYN goes by Maglev", pass[old]);
		send_be(&lb, name, &in, first, false);
		if (put_marked(&lb, added[0].id, old ? 0 : XLB_SLOT_STABLE))
			report("stable slot: put a table naming another backend", "couldn't");
		in.syn = false;
		snprintf(name, sizeof(name), "%s: the handshake's next packet %s", pass[old],
			 old ? "follows the SYN" : "goes by Maglev");
		send_be(&lb, name, &in, old ? first : &added[0], false);
		lb_close(&lb);
	}
}

/*
 * A flow whose slot never moved leaves its SYN's note unread. When its backend goes down and
 * its CPU sends it to another, the note goes: back up with the same gen, that backend must not
 * take the flow back on another CPU (after the table moved its slot), where the other CPU's
 * entry is found instead.
 */
void scen_syn_repinned(void)
{
	struct fx_in in = fx_tcp(env_vip(V_TCP4)->addr, env_vip(V_TCP4)->port);
	int from = sched_getcpu(), to = from ? 0 : 1;
	const struct env_be *first = env_be(1);
	struct env_be down = *first;
	struct lb lb;

	if (!two_cpus("re-pinned", from))
		return;
	if (open_added(&lb, "re-pinned"))
		return;
	in.syn = true;
	send_be(&lb, "re-pinned: a SYN under a stable slot goes by Maglev", &in, first, false);
	in.syn = false;
	send_be(&lb, "re-pinned: its next packet too, and is recorded", &in, first, false);
	down.flags |= XLB_BE_F_DOWN;
	if (env_put_be(&lb, &down) || put_marked(&lb, added[0].id, 0))
		report("re-pinned: take the backend down, its slot moved", "couldn't");
	send_be(&lb, "re-pinned: the flow goes to the slot's new backend", &in, &added[0], false);
	if (env_put_be(&lb, first) || run_on(to))
		report("re-pinned: the backend back up, move to another CPU", "couldn't");
	send_be(&lb, "re-pinned: there it follows the entry, not the SYN's note", &in, &added[0],
		false);
	move_to(from, "re-pinned: move back");
	lb_close(&lb);
}
