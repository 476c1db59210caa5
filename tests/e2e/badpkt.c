// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Sends a burst of broken frames out of an interface with AF_PACKET, for the end-to-end test
 * of the balancer's drop counters: truncated and inconsistent headers (dropped as malformed
 * whatever their destination), short L4 headers and impossible fragments sent to a VIP
 * (dropped), and the same sent elsewhere (passed, never counted). Prints what it sent by class.
 * Usage: badpkt DEV DST_MAC VIP4 VIP6 OTHER4 OTHER6 ROUNDS
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum klass { K_MALFORMED, K_FRAGMENT, K_PASS, K__MAX };

static const char *const klass_name[K__MAX] = { "malformed", "fragment", "pass" };

struct frame {
	unsigned char b[128];
	size_t len;
	enum klass k;
};

static unsigned char dst_mac[6], src_mac[6] = { 0x02, 0, 0, 0, 0xee, 0xee };
static struct in_addr vip4, other4;
static struct in6_addr vip6, other6;

static unsigned char *eth(struct frame *f, unsigned short type)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->b, dst_mac, 6);
	memcpy(f->b + 6, src_mac, 6);
	f->b[12] = type >> 8;
	f->b[13] = type & 0xff;
	return f->b + 14;
}

/* An IPv4 header of tot_len bytes (ihl 5) to dst; the frame holds 14 + len bytes. */
static unsigned char *ip4(struct frame *f, struct in_addr dst, unsigned char proto,
			  unsigned short tot_len, unsigned short frag, size_t len)
{
	unsigned char *p = eth(f, ETHERTYPE_IP);

	p[0] = 0x45;
	p[2] = tot_len >> 8;
	p[3] = tot_len & 0xff;
	p[6] = frag >> 8;
	p[7] = frag & 0xff;
	p[8] = 64;
	p[9] = proto;
	inet_pton(AF_INET, "198.19.0.66", p + 12);
	memcpy(p + 16, &dst, 4);
	f->len = 14 + len;
	return p;
}

static unsigned char *ip6(struct frame *f, const struct in6_addr *dst, unsigned char next,
			  unsigned short plen, size_t len)
{
	unsigned char *p = eth(f, ETHERTYPE_IPV6);

	p[0] = 0x60;
	p[4] = plen >> 8;
	p[5] = plen & 0xff;
	p[6] = next;
	p[7] = 64;
	inet_pton(AF_INET6, "2001:db8:1::66", p + 8);
	memcpy(p + 24, dst, 16);
	f->len = 14 + len;
	return p;
}

/* Fills fs with one round of the burst; returns the number of frames. */
static int build(struct frame *fs)
{
	unsigned char *p;
	int n = 0;

	/* A VLAN tag cut short. */
	p = eth(&fs[n], 0x8100);
	fs[n].len = 16;
	fs[n++].k = K_MALFORMED;
	/* IPv4: header cut short, ihl 4, version 6, tot_len past the frame, tot_len < ihl. */
	ip4(&fs[n], vip4, IPPROTO_UDP, 28, 0, 10);
	fs[n++].k = K_MALFORMED;
	p = ip4(&fs[n], other4, IPPROTO_UDP, 28, 0, 28);
	p[0] = 0x44;
	fs[n++].k = K_MALFORMED;
	p = ip4(&fs[n], other4, IPPROTO_UDP, 28, 0, 28);
	p[0] = 0x65;
	fs[n++].k = K_MALFORMED;
	ip4(&fs[n], vip4, IPPROTO_TCP, 1000, 0, 40);
	fs[n++].k = K_MALFORMED;
	ip4(&fs[n], other4, IPPROTO_TCP, 12, 0, 40);
	fs[n++].k = K_MALFORMED;
	/* IPv6: header cut short, payload past the frame, version 4, extension header cut. */
	ip6(&fs[n], &vip6, IPPROTO_UDP, 8, 20);
	fs[n++].k = K_MALFORMED;
	ip6(&fs[n], &other6, IPPROTO_UDP, 500, 48);
	fs[n++].k = K_MALFORMED;
	p = ip6(&fs[n], &other6, IPPROTO_UDP, 8, 48);
	p[0] = 0x40;
	fs[n++].k = K_MALFORMED;
	ip6(&fs[n], &vip6, 0 /* hop-by-hop */, 0, 40);
	fs[n++].k = K_MALFORMED;
	/* To a VIP: TCP and UDP headers cut short, an ICMP header cut short. */
	ip4(&fs[n], vip4, IPPROTO_TCP, 30, 0, 30);
	fs[n++].k = K_MALFORMED;
	ip6(&fs[n], &vip6, IPPROTO_UDP, 4, 44);
	fs[n++].k = K_MALFORMED;
	ip4(&fs[n], vip4, IPPROTO_ICMP, 22, 0, 22);
	fs[n++].k = K_MALFORMED;
	/* A TCP header that only Ethernet padding behind the IP packet would complete. */
	ip4(&fs[n], vip4, IPPROTO_TCP, 30, 0, 46);
	fs[n++].k = K_MALFORMED;
	/*
	 * Impossible fragments to a VIP: a first of 12 bytes (not the last, so a multiple of 8
	 * is due), one reaching past 65535 bytes, an IPv6 one of 12 bytes with more to come.
	 */
	p = ip4(&fs[n], vip4, IPPROTO_UDP, 32, 0x2000, 32);
	p[22] = 0;
	p[23] = 80;
	fs[n++].k = K_FRAGMENT;
	ip4(&fs[n], vip4, IPPROTO_UDP, 36, 0x1fff, 36);
	fs[n++].k = K_FRAGMENT;
	p = ip6(&fs[n], &vip6, 44 /* fragment */, 20, 60);
	p[40] = IPPROTO_UDP;
	p[43] = 1; /* M flag */
	fs[n++].k = K_FRAGMENT;
	/* The same to an address without a VIP: passed, not counted. */
	ip4(&fs[n], other4, IPPROTO_UDP, 36, 0x2000, 36);
	fs[n++].k = K_PASS;
	ip4(&fs[n], other4, IPPROTO_TCP, 30, 0, 30);
	fs[n++].k = K_PASS;
	p = ip6(&fs[n], &other6, 44, 16, 56);
	p[40] = IPPROTO_UDP;
	fs[n++].k = K_PASS;
	eth(&fs[n], 0x88b5);
	fs[n].len = 60;
	fs[n++].k = K_PASS;
	return n;
}

static void sleep_us(long us)
{
	struct timespec ts = { 0, us * 1000 };

	nanosleep(&ts, NULL);
}

/*
 * Sends one frame. A veth whose peer's ring is full drops the frame and says ENOBUFS: it never
 * reached the balancer, so it is sent again (the counts the test compares must be exact).
 */
static int send_frame(int fd, const struct frame *f, const struct sockaddr_ll *sll)
{
	int try;

	for (try = 0; try < 1000; try++) {
		if (sendto(fd, f->b, f->len, 0, (const struct sockaddr *)sll, sizeof(*sll)) ==
		    (ssize_t)f->len)
			return 0;
		if (errno != ENOBUFS && errno != EAGAIN)
			return -1;
		sleep_us(1000);
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_halen = 6 };
	static struct frame fs[32];
	long sent[K__MAX] = { 0 };
	int fd, n, i, r, rounds;

	if (argc != 8 || sscanf(argv[2], "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &dst_mac[0],
				&dst_mac[1], &dst_mac[2], &dst_mac[3], &dst_mac[4],
				&dst_mac[5]) != 6 ||
	    inet_pton(AF_INET, argv[3], &vip4) != 1 || inet_pton(AF_INET6, argv[4], &vip6) != 1 ||
	    inet_pton(AF_INET, argv[5], &other4) != 1 ||
	    inet_pton(AF_INET6, argv[6], &other6) != 1) {
		fprintf(stderr, "Usage: badpkt DEV DST_MAC VIP4 VIP6 OTHER4 OTHER6 ROUNDS\n");
		return 64;
	}
	rounds = atoi(argv[7]);
	if (rounds < 1 || rounds > 100000) {
		fprintf(stderr, "Invalid rounds '%s': 1-100000\n", argv[7]);
		return 64;
	}
	sll.sll_ifindex = if_nametoindex(argv[1]);
	if (!sll.sll_ifindex) {
		fprintf(stderr, "Couldn't find interface '%s'\n", argv[1]);
		return 66;
	}
	memcpy(sll.sll_addr, dst_mac, 6);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("Couldn't open AF_PACKET socket");
		return 71;
	}
	n = build(fs);
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n; i++) {
			if (send_frame(fd, &fs[i], &sll)) {
				perror("Couldn't send a frame");
				close(fd);
				return 71;
			}
			sent[fs[i].k]++;
		}
		/* A breath between rounds, so the receiving ring rarely fills at all. */
		sleep_us(100);
	}
	close(fd);
	for (i = 0; i < K__MAX; i++)
		printf("%s %ld\n", klass_name[i], sent[i]);
	return 0;
}
