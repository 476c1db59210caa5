// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The packet-rate benchmark's test bed: moving between the generator's and the balancer's
 * namespaces (which rate_bench.sh creates), learning the veth ends, attaching xlb to the
 * balancer's end through the library the CLI uses, swapping its program (or the decap
 * program rate_decap.c attaches) for a bare one, and the frames the generator sends across.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "rate_bench.h"
#include "pktgen.h"
#include "pktgen_frame.h"
#include "decap.h"

int rate_ns_enter(int fd)
{
	return setns(fd, CLONE_NEWNET) ? -errno : 0;
}

static int ns_open(const char *path, int *fd)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd >= 0)
		return 0;
	fprintf(stderr, "Couldn't open network namespace '%s': %s\n", path, strerror(errno));
	return -errno;
}

int rate_env_open(struct rate_env *e, const char *gen_ns, const char *gen_dev, const char *lb_ns,
		  const char *lb_dev)
{
	int err;

	memset(e, 0, sizeof(*e));
	e->ns_self = e->ns_gen = e->ns_lb = e->link_fd = e->xlb_fd = -1;
	e->decap_stats_fd = e->listen_fd = -1;
	snprintf(e->gen_dev, sizeof(e->gen_dev), "%s", gen_dev);
	snprintf(e->lb_dev, sizeof(e->lb_dev), "%s", lb_dev);
	err = ns_open("/proc/self/ns/net", &e->ns_self);
	if (!err)
		err = ns_open(gen_ns, &e->ns_gen);
	if (!err)
		err = ns_open(lb_ns, &e->ns_lb);
	if (err)
		return err;
	err = rate_ns_enter(e->ns_lb);
	if (!err)
		err = pktgen_dev_learn(e->lb_dev, &e->lb_ifindex, e->lb_mac);
	if (err) {
		fprintf(stderr, "Couldn't find interface '%s': %s\n", e->lb_dev, strerror(-err));
		return err;
	}
	err = rate_ns_enter(e->ns_gen);
	if (!err)
		err = pktgen_dev_learn(e->gen_dev, &e->gen_ifindex, e->gen_mac);
	if (err)
		fprintf(stderr, "Couldn't find interface '%s': %s\n", e->gen_dev, strerror(-err));
	return err;
}

static void addr_v4(const char *s, __be32 *a)
{
	memset(a, 0, 16);
	inet_pton(AF_INET, s, a);
}

/* One TCP VIP with RATE_BACKENDS equal backends, applied as the CLI applies a config file. */
static int vip_apply(const struct rate_env *e, const struct rate_forward *f)
{
	struct xlb_be_conf bes[RATE_BACKENDS] = {};
	struct xlb_vip_conf vip = {};
	struct xlb_conf conf = {.vips = &vip, .nvips = 1};
	char s[INET_ADDRSTRLEN];
	int i;

	vip.name.addr.family = XLB_FAM_V4;
	addr_v4(RATE_VIP, vip.name.addr.a);
	vip.name.port = RATE_VIP_PORT;
	vip.name.proto = IPPROTO_TCP;
	vip.forward = f->forward;
	vip.second_chance = f->second_chance;
	vip.sched = f->sched;
	vip.gue_port = XLB_GUE_PORT_DEFAULT;
	vip.backends = bes;
	vip.nbackends = RATE_BACKENDS;
	for (i = 0; i < RATE_BACKENDS; i++) {
		snprintf(s, sizeof(s), "198.18.2.%d", i + 1);
		bes[i].addr.family = XLB_FAM_V4;
		addr_v4(s, bes[i].addr.a);
		/* Direct routing sends the frame to the backend's MAC: make that the generator. */
		memcpy(bes[i].mac, e->gen_mac, ETH_ALEN);
		bes[i].has_mac = true;
		bes[i].weight = 1;
	}
	return xlb_state_apply(&e->in.lb, &conf, 0);
}

int rate_link_adopt(struct rate_env *e, const char *dir)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", dir, XLB_PIN_LINK) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	e->link_fd = bpf_obj_get(path);
	if (e->link_fd < 0)
		return -errno;
	if (bpf_obj_get_info_by_fd(e->link_fd, &info, &len))
		return -errno;
	e->xlb_fd = bpf_prog_get_fd_by_id(info.prog_id);
	return e->xlb_fd < 0 ? -errno : 0;
}

int rate_lb_attach(struct rate_env *e, const struct rate_forward *f)
{
	struct xlb_attach_opts o = {};
	__be32 src[4];
	int err, back;

	addr_v4(RATE_LB_ADDR, src);
	o.cfg.src_v4 = src[0];
	memcpy(o.cfg.next_hop, e->gen_mac, ETH_ALEN);
	memcpy(o.cfg.if_mac, e->lb_mac, ETH_ALEN);
	err = rate_ns_enter(e->ns_lb);
	if (err)
		return err;
	err = xlb_instance_attach(e->lb_dev, &o);
	if (err) {
		fprintf(stderr, "Couldn't attach xlb to '%s': %s\n", e->lb_dev, strerror(-err));
		goto gen_ns;
	}
	e->attached = true;
	err = xlb_instance_open(e->lb_dev, &e->in);
	e->opened = !err;
	if (!err)
		err = xlb_instance_lock(&e->in);
	if (!err)
		err = vip_apply(e, f);
	if (!err)
		err = rate_link_adopt(e, e->in.dir);
	if (err)
		fprintf(stderr, "Couldn't set up xlb on '%s': %s\n", e->lb_dev, strerror(-err));
gen_ns:
	/* Test runs resolve their ingress interface in the caller's namespace: go back. */
	back = rate_ns_enter(e->ns_gen);
	return err ? err : back;
}

int rate_lb_use(const struct rate_env *e, int prog_fd)
{
	return bpf_link_update(e->link_fd, prog_fd, NULL) ? -errno : 0;
}

/* Closes the n descriptors of fds that are open (not negative). */
static void fds_close(const int *fds, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

void rate_env_close(struct rate_env *e)
{
	int err;

	fds_close((int[]){e->listen_fd, e->decap_stats_fd, e->xlb_fd, e->link_fd}, 4);
	if (e->opened)
		xlb_instance_close(&e->in);
	/* The library names an instance by its device and that device's namespace. */
	if (e->attached && !rate_ns_enter(e->ns_lb)) {
		err = e->relay ? xlb_decap_detach(e->lb_dev) : xlb_instance_detach(e->lb_dev);
		if (err)
			fprintf(stderr, "Couldn't detach xlb from '%s': %s\n", e->lb_dev,
				strerror(-err));
	}
	if (e->ns_self >= 0)
		rate_ns_enter(e->ns_self);
	fds_close((int[]){e->ns_lb, e->ns_gen, e->ns_self}, 3);
}

__u16 rate_frame(const struct rate_env *e, enum rate_case c, __u64 *frame)
{
	__be32 src, dst;

	if (c == C_RELAY || c == C_DELIVER)
		return rate_decap_frame(e, c, frame);
	inet_pton(AF_INET, c == C_NEW ? RATE_NEW_CLIENTS : RATE_CLIENT, &src);
	inet_pton(AF_INET, c == C_NONVIP ? RATE_NONVIP : RATE_VIP, &dst);
	pktgen_tcp_frame(frame, e->lb_mac, e->gen_mac, htonl(ntohl(src) & 0xffff0000), dst,
			 RATE_VIP_PORT, c == C_NEW);
	return ntohl(src) & 0xffff;
}
