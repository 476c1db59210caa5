// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * notifysink: the receiving end of sd_notify(3) for the daemon tests (tests/daemon/run.sh).
 * Binds a unix datagram socket at PATH (give it to xlbd as $NOTIFY_SOCKET) and prints each
 * message it gets as one line, its newlines turned into spaces.
 *
 *   notifysink PATH
 *
 * Prints "bound PATH" first; runs until it is killed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char msg[4096];
	ssize_t n, i;
	int fd;

	if (argc != 2 || argv[1][0] != '/' || strlen(argv[1]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "Usage: notifysink PATH (absolute, under %zu bytes)\n",
			sizeof(sun.sun_path));
		return 2;
	}
	strcpy(sun.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		fprintf(stderr, "notifysink: Couldn't bind '%s': %s\n", argv[1], strerror(errno));
		return 1;
	}
	printf("bound %s\n", argv[1]);
	fflush(stdout);
	for (;;) {
		n = recv(fd, msg, sizeof(msg), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "notifysink: Couldn't receive: %s\n", strerror(errno));
			return 1;
		}
		for (i = 0; i < n; i++)
			if (msg[i] == '\n' || msg[i] == '\0')
				msg[i] = ' ';
		printf("%.*s\n", (int)n, msg);
		fflush(stdout);
	}
}
