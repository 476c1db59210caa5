// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * /init of a qemu guest booted on another kernel (Debian 12's): loads the balancer and the
 * decap program from their skeletons as `xlb attach` and `xlb decap attach` do, attaches each
 * to lo in generic mode, runs one frame through it, and prints one line per program:
 * "XLB-VERIFIER <kernel> <program> PASS|FAIL", with the verifier's log on a failure, after
 * "XLB-COST <program> <N> insns" (the instructions its verifier processed). Then runs
 * the packet fixtures (/xlb_fixtures, the bpf-test suite) and prints their output and
 * "XLB-FIXTURES <kernel> PASS|FAIL". Statically linked, as is the suite; run.sh packs both
 * into an initrd.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xlb_abi.h"
#include "xlb.skel.h"
#include "xlb_decap.skel.h"

static char verifier_log[1 << 20];

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_DEBUG ? 0 : vfprintf(stdout, fmt, ap);
}

/* Attaches prog to lo (generic XDP, as a pinned link would be), runs a frame, detaches. */
static int attach_and_run(struct bpf_program *prog)
{
	LIBBPF_OPTS(bpf_link_create_opts, lo, .flags = XDP_FLAGS_SKB_MODE);
	unsigned char frame[64] = { [12] = 0x08 }; /* an IPv4 ethertype, a zero header */
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = frame, .data_size_in = sizeof(frame));
	int fd, err;

	fd = bpf_link_create(bpf_program__fd(prog), 1, BPF_XDP, &lo);
	if (fd < 0) {
		printf("Couldn't attach '%s' to lo: %s\n", bpf_program__name(prog), strerror(errno));
		return -errno;
	}
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &run) ? -errno : 0;
	if (err)
		printf("Couldn't run '%s': %s\n", bpf_program__name(prog), strerror(-err));
	close(fd);
	return err;
}

/* The verifier's "processed N insns ..." line of the last load, as "N insns", or "?". */
static void print_cost(const char *prog)
{
	const char *at = strstr(verifier_log, "processed ");
	unsigned long n;

	if (at && sscanf(at, "processed %lu insns", &n) == 1)
		printf("XLB-COST %s %lu insns\n", prog, n);
}

static void prepare(struct bpf_program *prog)
{
	verifier_log[0] = '\0';
	bpf_program__set_log_buf(prog, verifier_log, sizeof(verifier_log));
	bpf_program__set_log_level(prog, 1);
}

static int balancer(void)
{
	struct xlb *skel = xlb__open();
	int err;

	if (!skel)
		return -errno;
	skel->rodata->xlb_cfg.mtu = XLB_MTU_DEFAULT;
	skel->rodata->xlb_cfg.table_size = XLB_TABLE_DEFAULT;
	skel->rodata->xlb_cfg.ttl = XLB_TTL_DEFAULT;
	prepare(skel->progs.xlb_xdp);
	err = xlb__load(skel);
	print_cost("xlb_xdp");
	if (err)
		printf("%s\n", verifier_log);
	else
		err = attach_and_run(skel->progs.xlb_xdp);
	xlb__destroy(skel);
	return err;
}

static int decap(void)
{
	struct xlb_decap *skel = xlb_decap__open();
	int err;

	if (!skel)
		return -errno;
	prepare(skel->progs.xlb_decap_xdp);
	err = xlb_decap__load(skel);
	print_cost("xlb_decap_xdp");
	if (err)
		printf("%s\n", verifier_log);
	else
		err = attach_and_run(skel->progs.xlb_decap_xdp);
	xlb_decap__destroy(skel);
	return err;
}

/* Runs the packet fixture suite; 0 when every case passed. */
static int fixtures(void)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execl("/xlb_fixtures", "xlb_fixtures", (char *)NULL);
		printf("Couldn't run '/xlb_fixtures': %s\n", strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(void)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	struct utsname u;
	int b, d, f;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	/* Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK; later ones to the cgroup. */
	setrlimit(RLIMIT_MEMLOCK, &unlimited);
	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(libbpf_print);
	uname(&u);
	b = balancer();
	d = decap();
	printf("XLB-VERIFIER %s xlb_xdp %s\n", u.release, b ? "FAIL" : "PASS");
	printf("XLB-VERIFIER %s xlb_decap_xdp %s\n", u.release, d ? "FAIL" : "PASS");
	f = fixtures();
	printf("XLB-FIXTURES %s %s\n", u.release, f ? "FAIL" : "PASS");
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
