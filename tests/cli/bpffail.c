// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * bpffail N|create ERRNO PROG [ARG...]: runs PROG with its Nth bpf() call that changes
 * something (map create, update, delete, program load, pin, link) failing with ERRNO, or with
 * every map creation failing ("create": out of memory for good), every other call going
 * through, by a seccomp user-notification filter; N 0 fails none. Prints the number of such
 * calls on stderr and exits as PROG did. For tests/cli/guards.sh: a change cut short anywhere.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static bool changes(__u64 cmd)
{
	switch (cmd) {
	case BPF_MAP_CREATE:
	case BPF_MAP_UPDATE_ELEM:
	case BPF_MAP_DELETE_ELEM:
	case BPF_MAP_UPDATE_BATCH:
	case BPF_MAP_DELETE_BATCH:
	case BPF_PROG_LOAD:
	case BPF_OBJ_PIN:
	case BPF_LINK_CREATE:
	case BPF_LINK_UPDATE:
	case BPF_LINK_DETACH:
		return true;
	}
	return false;
}

/* Every bpf() call of this process and its children goes to the returned listener. The
 * architecture is not checked: PROG runs on this machine's, as this program does. */
static int install_filter(void)
{
	struct sock_filter f[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_bpf, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof(f) / sizeof(f[0]), .filter = f};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
		       &prog);
}

/* Answers the child's bpf() calls until it exits; returns how many changing ones it made.
 * fail_at -1 fails every map creation. */
static int serve(int lfd, int pidfd, int fail_at, int err)
{
	struct seccomp_notif_sizes sz;
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	struct pollfd p[2] = {{.fd = lfd, .events = POLLIN}, {.fd = pidfd, .events = POLLIN}};
	int n = 0;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz))
		return -1;
	req = calloc(1, sz.seccomp_notif);
	resp = calloc(1, sz.seccomp_notif_resp);
	while (req && resp && !(p[1].revents & POLLIN)) {
		if (poll(p, 2, -1) < 0 || !(p[0].revents & POLLIN))
			continue;
		memset(req, 0, sz.seccomp_notif);
		if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, req))
			continue; /* the caller died meanwhile */
		memset(resp, 0, sz.seccomp_notif_resp);
		resp->id = req->id;
		n += changes(req->data.args[0]);
		if ((changes(req->data.args[0]) && n == fail_at) ||
		    (fail_at < 0 && req->data.args[0] == BPF_MAP_CREATE))
			resp->error = -err;
		else
			resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, resp);
	}
	free(req);
	free(resp);
	return n;
}

int main(int argc, char **argv)
{
	int lfd, pidfd, st, n;
	pid_t pid;

	if (argc < 4) {
		fprintf(stderr, "usage: bpffail N|create ERRNO PROG [ARG...]\n");
		return 2;
	}
	lfd = install_filter();
	if (lfd < 0) {
		perror("bpffail: seccomp");
		return 2;
	}
	pid = fork();
	if (pid == 0) {
		close(lfd);
		execvp(argv[3], argv + 3);
		perror("bpffail: exec");
		_exit(127);
	}
	pidfd = pid > 0 ? syscall(SYS_pidfd_open, pid, 0) : -1;
	if (pidfd < 0) {
		perror("bpffail: fork");
		return 2;
	}
	n = serve(lfd, pidfd, strcmp(argv[1], "create") ? atoi(argv[1]) : -1, atoi(argv[2]));
	if (waitpid(pid, &st, 0) < 0)
		return 2;
	fprintf(stderr, "bpffail: %d changing bpf() calls\n", n);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
