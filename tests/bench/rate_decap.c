// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The packet-rate benchmark's backend (-f relay): xlb_decap attached to the other veth end
 * through the library `xlb decap attach` uses, relaying to the generator's end; a listener on
 * the VIP's port there, as a backend has; and the second-chance frames a balancer sends it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "rate_bench.h"
#include "decap.h"
#include "pins.h"
#include "pktgen_frame.h"
#include "xlb_maps.h"

/* As `xlb decap attach` would learn it: this end's address, its next hop the generator. */
static void decap_cfg(const struct rate_env *e, struct xlb_decap_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	inet_pton(AF_INET, RATE_LB_ADDR, &cfg->local_v4);
	cfg->src_v4 = cfg->local_v4;
	cfg->gue_port = htons(XLB_GUE_PORT_DEFAULT);
	cfg->mtu = XLB_MTU_DEFAULT;
	cfg->ttl = XLB_TTL_DEFAULT;
	memcpy(cfg->next_hop, e->gen_mac, ETH_ALEN);
}

/*
 * A TCP listener on the VIP's port in the current namespace: the decap program's socket lookup
 * then finds it and checks for a SYN cookie before relaying, as on a backend serving the VIP.
 */
static int listener_open(struct rate_env *e)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(RATE_VIP_PORT)};
	int one = 1;

	e->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (e->listen_fd < 0 ||
	    setsockopt(e->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(e->listen_fd, (struct sockaddr *)&sin, sizeof(sin)) || listen(e->listen_fd, 16))
		return -errno;
	return 0;
}

/* The pins the library made: the link to swap programs through, and the counters. */
static int pins_adopt(struct rate_env *e)
{
	char dir[PATH_MAX];
	int err;

	err = xlb_pins_find(XLB_DECAP_PIN_ROOT, e->lb_dev, dir, sizeof(dir));
	if (!err)
		err = rate_link_adopt(e, dir);
	if (err)
		return err;
	e->decap_stats_fd = xlb_pin_open(dir, XLB_MAP_DECAP_STATS);
	return e->decap_stats_fd < 0 ? e->decap_stats_fd : 0;
}

int rate_decap_attach(struct rate_env *e)
{
	struct xlb_decap_cfg cfg;
	int err, back;

	e->relay = true;
	decap_cfg(e, &cfg);
	err = rate_ns_enter(e->ns_lb);
	if (err)
		return err;
	err = xlb_decap_attach(e->lb_dev, &cfg, false);
	if (err) {
		fprintf(stderr, "Couldn't attach decap to '%s': %s\n", e->lb_dev, strerror(-err));
		goto gen_ns;
	}
	e->attached = true;
	err = pins_adopt(e);
	if (!err)
		err = listener_open(e);
	if (err)
		fprintf(stderr, "Couldn't set up decap on '%s': %s\n", e->lb_dev, strerror(-err));
gen_ns:
	/* Test runs resolve their ingress interface in the caller's namespace: go back. */
	back = rate_ns_enter(e->ns_gen);
	return err ? err : back;
}

__u16 rate_decap_frame(const struct rate_env *e, enum rate_case c, __u64 *frame)
{
	struct pktgen_gue g = {.sport = RATE_GUE_SPORT, .port = XLB_GUE_PORT_DEFAULT};
	__be32 src, dst;

	inet_pton(AF_INET, RATE_BALANCER, &g.outer_src);
	inet_pton(AF_INET, RATE_LB_ADDR, &g.outer_dst);
	inet_pton(AF_INET, RATE_SECOND_HOP, &g.hop);
	g.flags = c == C_DELIVER ? XLB_GUE_F_RELAYED : 0;
	inet_pton(AF_INET, RATE_CLIENT, &src);
	inet_pton(AF_INET, RATE_VIP, &dst);
	pktgen_gue_frame(frame, e->lb_mac, e->gen_mac, &g, htonl(ntohl(src) & 0xffff0000), dst,
			 RATE_VIP_PORT);
	return ntohl(src) & 0xffff;
}
