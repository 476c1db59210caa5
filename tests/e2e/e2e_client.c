// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The end-to-end tests' client: counts which backend answered and what failed, over real TCP
 * and UDP to a VIP. Every mode is bounded in count and time.
 *   load ADDR PORT -t SECS [-c WORKERS] [-n MAX] [-i PAUSE_MS] [-T TIMEOUT_MS]
 *	HTTP GETs, one connection each; prints "fail START_MS END_MS WHY" per failure (wall
 *	clock, ms), "name NAME COUNT FIRST_MS LAST_MS" per backend, "total N ok N failed N".
 *   streams ADDR PORT -n STREAMS -t SECS [-i PERIOD_MS] [-T TIMEOUT_MS]
 *	long-lived connections to the line echo, a line each per period, every answer checked
 *	(same backend, same sequence number); prints "ready N" once all are open, then
 *	"broken I NAME WHY" per broken stream, "name NAME COUNT", "streams N broken N lines N".
 *   udp ADDR PORT -n COUNT [-T TIMEOUT_MS] [-s BYTES]
 *	COUNT datagrams (padded to BYTES, at most UDP_MAX: the path fragments them), each from
 *	its own socket (its own source port), up to 3 tries each (one when a port unreachable
 *	comes back); prints "name NAME COUNT", "fail I WHY" and "udp N ok N failed N".
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_NAMES   64
#define UDP_MAX	    9000
#define MAX_WORKERS 256
#define NAME_LEN    32

struct opts {
	struct sockaddr_storage addr;
	socklen_t alen;
	int secs, workers, max, pause_ms, timeout_ms, period_ms, count, size;
};

struct tally {
	pthread_mutex_t lock;
	char names[MAX_NAMES][NAME_LEN];
	long counts[MAX_NAMES];
	long long first[MAX_NAMES], last[MAX_NAMES];
	int nnames;
	long total, ok, failed;
};

static struct opts o = { .secs = 5, .workers = 4, .max = 1000000, .timeout_ms = 2000,
			 .period_ms = 100, .count = 20 };
static struct tally tl = { .lock = PTHREAD_MUTEX_INITIALIZER };
static long long deadline;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Counts one answer from backend name; call with tl.lock held. */
static void tally_name(const char *name, long long t)
{
	int i;

	for (i = 0; i < tl.nnames; i++)
		if (!strcmp(tl.names[i], name))
			break;
	if (i == tl.nnames) {
		if (tl.nnames == MAX_NAMES)
			return;
		snprintf(tl.names[i], NAME_LEN, "%s", name);
		tl.first[i] = t;
		tl.nnames++;
	}
	tl.counts[i]++;
	tl.last[i] = t;
}

static void print_names(int times)
{
	int i;

	for (i = 0; i < tl.nnames; i++) {
		if (times)
			printf("name %s %ld %lld %lld\n", tl.names[i], tl.counts[i], tl.first[i],
			       tl.last[i]);
		else
			printf("name %s %ld\n", tl.names[i], tl.counts[i]);
	}
}

static int sock_to(int type)
{
	struct timeval tv = { o.timeout_ms / 1000, (o.timeout_ms % 1000) * 1000 };
	int fd = socket(o.addr.ss_family, type, 0);

	if (fd < 0)
		return -1;
	/* connect() honours the send timeout too. */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&o.addr, o.alen)) {
		close(fd);
		return -1;
	}
	return fd;
}

static const char *why(int err)
{
	return err == EAGAIN ? "timeout" : strerror(err);
}

/* One GET; 0 and the name in out, or -1 and the reason in out. */
static int http_get(char *out, size_t len)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: xlb-e2e\r\nConnection: close\r\n\r\n";
	char buf[1024], *body;
	size_t have = 0;
	ssize_t n;
	int fd;

	fd = sock_to(SOCK_STREAM);
	if (fd < 0) {
		snprintf(out, len, "connect:%s", why(errno));
		return -1;
	}
	if (send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL) != sizeof(req) - 1) {
		snprintf(out, len, "send:%s", why(errno));
		goto close_fd;
	}
	while (have < sizeof(buf) - 1) {
		n = recv(fd, buf + have, sizeof(buf) - 1 - have, 0);
		if (n < 0) {
			snprintf(out, len, "recv:%s", why(errno));
			goto close_fd;
		}
		if (n == 0)
			break;
		have += n;
	}
	buf[have] = '\0';
	body = strstr(buf, "\r\n\r\n");
	if (strncmp(buf, "HTTP/1.1 200 ", 13) || !body || !strchr(body + 4, '\n')) {
		snprintf(out, len, "bad-answer:%zu-bytes", have);
		goto close_fd;
	}
	body += 4;
	*strchr(body, '\n') = '\0';
	snprintf(out, len, "%s", body);
	close(fd);
	return 0;
close_fd:
	close(fd);
	return -1;
}

static void *load_worker(void *arg)
{
	long long start, end;
	char res[128];
	int ret;

	(void)arg;
	for (;;) {
		start = now_ms();
		pthread_mutex_lock(&tl.lock);
		if (start >= deadline || tl.total >= o.max) {
			pthread_mutex_unlock(&tl.lock);
			return NULL;
		}
		tl.total++;
		pthread_mutex_unlock(&tl.lock);
		ret = http_get(res, sizeof(res));
		end = now_ms();
		pthread_mutex_lock(&tl.lock);
		if (ret) {
			tl.failed++;
			printf("fail %lld %lld %s\n", start, end, res);
		} else {
			tl.ok++;
			tally_name(res, end);
		}
		pthread_mutex_unlock(&tl.lock);
		if (o.pause_ms)
			sleep_ms(o.pause_ms);
	}
}

static int run_load(void)
{
	pthread_t t[MAX_WORKERS];
	int i;

	for (i = 0; i < o.workers; i++)
		if (pthread_create(&t[i], NULL, load_worker, NULL))
			return 71;
	for (i = 0; i < o.workers; i++)
		pthread_join(t[i], NULL);
	print_names(1);
	printf("total %ld ok %ld failed %ld\n", tl.total, tl.ok, tl.failed);
	return tl.failed ? 1 : 0;
}

static pthread_barrier_t opened;

/* Reads one line into buf; 0, or -1 with the reason in why_out. */
static int read_line(int fd, char *buf, size_t len, char *rest, size_t *nrest, char *why_out)
{
	char *nl;
	ssize_t n;

	for (;;) {
		nl = memchr(rest, '\n', *nrest);
		if (nl) {
			*nl = '\0';
			snprintf(buf, len, "%s", rest);
			*nrest -= nl + 1 - rest;
			memmove(rest, nl + 1, *nrest);
			return 0;
		}
		if (*nrest >= 255) {
			strcpy(why_out, "long-line");
			return -1;
		}
		n = recv(fd, rest + *nrest, 255 - *nrest, 0);
		if (n <= 0) {
			snprintf(why_out, 64, "recv:%s", n ? why(errno) : "closed");
			return -1;
		}
		*nrest += n;
	}
}

static void *stream_worker(void *arg)
{
	long id = (long)arg, seq, rid, rseq;
	char line[256], rest[256], name[NAME_LEN] = "-", got[NAME_LEN], whyb[64] = "";
	long long next;
	size_t nrest = 0;
	int fd, len;

	fd = sock_to(SOCK_STREAM);
	if (fd < 0)
		snprintf(whyb, sizeof(whyb), "connect:%s", why(errno));
	pthread_barrier_wait(&opened);
	next = now_ms();
	for (seq = 0; fd >= 0 && !whyb[0] && now_ms() < deadline; seq++) {
		len = snprintf(line, sizeof(line), "%ld %ld\n", id, seq);
		if (send(fd, line, len, MSG_NOSIGNAL) != len) {
			snprintf(whyb, sizeof(whyb), "send:%s", why(errno));
			break;
		}
		if (read_line(fd, line, sizeof(line), rest, &nrest, whyb))
			break;
		if (sscanf(line, "%31s %ld %ld", got, &rid, &rseq) != 3 || rid != id ||
		    rseq != seq) {
			snprintf(whyb, sizeof(whyb), "bad-answer:'%.40s'", line);
			break;
		}
		if (seq == 0)
			snprintf(name, sizeof(name), "%s", got);
		else if (strcmp(name, got)) {
			snprintf(whyb, sizeof(whyb), "moved-to:%s", got);
			break;
		}
		next += o.period_ms;
		if (next > now_ms())
			sleep_ms(next - now_ms());
	}
	pthread_mutex_lock(&tl.lock);
	tl.total += seq;
	if (whyb[0]) {
		tl.failed++;
		printf("broken %ld %s %s\n", id, name, whyb);
	}
	tally_name(name, 0);
	pthread_mutex_unlock(&tl.lock);
	if (fd >= 0)
		close(fd);
	return NULL;
}

static void *stream_ready(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&opened);
	printf("ready %d\n", o.count);
	fflush(stdout);
	return NULL;
}

static int run_streams(void)
{
	pthread_t t[MAX_WORKERS + 1];
	long i;

	if (o.count > MAX_WORKERS)
		return 64;
	pthread_barrier_init(&opened, NULL, o.count + 1);
	for (i = 0; i < o.count; i++)
		if (pthread_create(&t[i], NULL, stream_worker, (void *)i))
			return 71;
	if (pthread_create(&t[o.count], NULL, stream_ready, NULL))
		return 71;
	for (i = 0; i <= o.count; i++)
		pthread_join(t[i], NULL);
	print_names(0);
	printf("streams %d broken %ld lines %ld\n", o.count, tl.failed, tl.total);
	return tl.failed ? 1 : 0;
}

/* The datagram of request i: "qI", then 'x' up to o.size bytes. Its length. */
static int udp_msg(int i, char *msg, size_t len)
{
	int n = snprintf(msg, len, "q%d", i);

	while (n < o.size && (size_t)n + 1 < len)
		msg[n++] = 'x';
	msg[n] = '\0';
	return n;
}

static int udp_one(int i, char *out, size_t len)
{
	static char msg[UDP_MAX + 1], buf[UDP_MAX + 64];
	int fd, try, mlen;
	ssize_t n;

	fd = sock_to(SOCK_DGRAM);
	if (fd < 0) {
		snprintf(out, len, "connect:%s", why(errno));
		return -1;
	}
	mlen = udp_msg(i, msg, sizeof(msg));
	for (try = 0; try < 3; try++) {
		if (send(fd, msg, mlen, 0) != mlen)
			continue;
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0 && errno == ECONNREFUSED)
			break; /* a port unreachable came back: no use trying again */
		if (n <= 0)
			continue;
		buf[n] = '\0';
		if (!strchr(buf, ' ') || strcmp(strchr(buf, ' ') + 1, msg))
			continue;
		*strchr(buf, ' ') = '\0';
		snprintf(out, len, "%.31s", buf);
		close(fd);
		return 0;
	}
	snprintf(out, len, try < 3 ? "refused" : "no-answer");
	close(fd);
	return -1;
}

static int run_udp(void)
{
	char res[64];
	int i;

	for (i = 0; i < o.count && now_ms() < deadline; i++) {
		tl.total++;
		if (udp_one(i, res, sizeof(res))) {
			tl.failed++;
			printf("fail %d %s\n", i, res);
		} else {
			tl.ok++;
			tally_name(res, now_ms());
		}
	}
	print_names(0);
	printf("udp %ld ok %ld failed %ld\n", tl.total, tl.ok, tl.failed);
	return tl.failed ? 1 : 0;
}

static int parse_addr(const char *host, const char *port)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV }, *ai;

	if (getaddrinfo(host, port, &hints, &ai))
		return -1;
	memcpy(&o.addr, ai->ai_addr, ai->ai_addrlen);
	o.alen = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "Usage: e2e_client load|streams|udp ADDR PORT [-t SECS] [-c WORKERS] "
			"[-n COUNT] [-i MS] [-T TIMEOUT_MS] [-s BYTES]\n");
	exit(64);
}

/* The number options: each sets one field of o, or two (-n the count and the most, -i both). */
static const struct {
	char opt;
	int *field, *also;
} number_opts[] = {
	{ .opt = 't', .field = &o.secs },
	{ .opt = 'c', .field = &o.workers },
	{ .opt = 'n', .field = &o.count, .also = &o.max },
	{ .opt = 'i', .field = &o.pause_ms, .also = &o.period_ms },
	{ .opt = 'T', .field = &o.timeout_ms },
	{ .opt = 's', .field = &o.size },
};

/* Option c with its value: 0, or -EINVAL for an option that is not one of number_opts. */
static int set_option(int c, const char *value)
{
	size_t i;

	for (i = 0; i < sizeof(number_opts) / sizeof(number_opts[0]); i++) {
		if (number_opts[i].opt != c)
			continue;
		*number_opts[i].field = atoi(value);
		if (number_opts[i].also)
			*number_opts[i].also = *number_opts[i].field;
		return 0;
	}
	return -EINVAL;
}

int main(int argc, char **argv)
{
	const char *mode;
	int c;

	if (argc < 4)
		usage();
	mode = argv[1];
	if (parse_addr(argv[2], argv[3]))
		usage();
	optind = 4;
	while ((c = getopt(argc, argv, "t:c:n:i:T:s:")) != -1)
		if (set_option(c, optarg))
			usage();
	if (o.secs <= 0 || o.secs > 600 || o.workers <= 0 || o.workers > MAX_WORKERS ||
	    o.count <= 0 || o.timeout_ms <= 0 || o.size < 0 || o.size > UDP_MAX)
		usage();
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	deadline = now_ms() + o.secs * 1000LL;
	if (!strcmp(mode, "load"))
		return run_load();
	if (!strcmp(mode, "streams"))
		return run_streams();
	if (!strcmp(mode, "udp"))
		return run_udp();
	usage();
	return 64;
}
