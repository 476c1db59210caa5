// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The daemon's HTTP side on libmicrohttpd in external-epoll mode (no thread of its own): every
 * GET renders a fresh snapshot as /metrics or as the status page at /, and /healthz says ok.
 * The exporter keeps two earlier status-page snapshots so its rates span at least a second
 * however often the page is fetched, and the history of the page's charts, fed by
 * xlb_exporter_tick() once a second.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <microhttpd.h>
#include "addr.h"
#include "exporter.h"
#include "exporter_conns.h"
#include "metrics.h"
#include "statuspage.h"

#define CONNECTION_TIMEOUT_S 10 /* idle */
#define RATE_SPAN_MIN_S	     1.0 /* shortest span the status page takes rates over */
#define ALLOWED_METHODS	     "GET, HEAD"

struct xlb_exporter {
	struct MHD_Daemon *mhd;
	struct xlb_conns conns;
	const struct xlb_lb *lb;
	const struct xlb_announce_view *announce;
	char *dev;
	char *version;
	struct xlb_snapshot hist[2]; /* the status page's earlier snapshots, hist[1] the newer */
	unsigned int nhist;
	struct xlb_history *history;
};

/* Where to listen: "ADDR:PORT" or "[ADDR6]:PORT", 127.0.0.1:XLB_EXPORTER_PORT for NULL. */
static int listen_addr(const char *where, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct xlb_addr a = {.family = XLB_FAM_V4, .a = {htonl(INADDR_LOOPBACK)}};
	__u16 port = XLB_EXPORTER_PORT;
	int err;

	if (where) {
		err = xlb_endpoint_parse(where, &a, &port);
		if (err)
			return err;
	}
	memset(ss, 0, sizeof(*ss));
	if (a.family == XLB_FAM_V4) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		s4->sin_addr.s_addr = a.a[0];
		*len = sizeof(*s4);
	} else {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, a.a, sizeof(s6->sin6_addr));
		*len = sizeof(*s6);
	}
	return 0;
}

/* A listening socket of our own, so a failure to bind comes back as its errno. */
static int listen_socket(const char *where, int *out)
{
	struct sockaddr_storage ss;
	int fd, err, one = 1;
	socklen_t len;

	err = listen_addr(where, &ss, &len);
	if (err)
		return err;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    (ss.ss_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) ||
	    bind(fd, (struct sockaddr *)&ss, len) || listen(fd, XLB_CONNS_MAX)) {
		err = -errno;
		close(fd);
		return err;
	}
	*out = fd;
	return 0;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *type,
			     char *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, ALLOWED_METHODS);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned int status, const char *text)
{
	return reply(c, status, "text/plain; charset=utf-8", (char *)text, strlen(text),
		     MHD_RESPMEM_PERSISTENT);
}

static enum MHD_Result reply_error(struct xlb_exporter *e, struct MHD_Connection *c, int err)
{
	char *msg;
	int len;

	len = asprintf(&msg, "Couldn't read xlb's state on '%s': %s\n", e->dev, strerror(-err));
	if (len < 0)
		return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", msg, len,
		     MHD_RESPMEM_MUST_FREE);
}

/* A snapshot of the balancer, with the daemon's VIP routes shown. */
static int take(const struct xlb_exporter *e, struct xlb_snapshot *s)
{
	int err = xlb_snapshot_take(e->lb, e->dev, s);

	if (!err)
		s->announce = e->announce;
	return err;
}

/* The metrics of snapshot s, which it frees. */
static int render_metrics(struct xlb_exporter *e, struct xlb_snapshot *s, FILE *out)
{
	int err = xlb_metrics_render(s, e->version, out);

	xlb_snapshot_free(s);
	return err;
}

static double age(const struct xlb_snapshot *then, const struct xlb_snapshot *now)
{
	return (double)(now->taken.tv_sec - then->taken.tv_sec) +
	       (double)(now->taken.tv_nsec - then->taken.tv_nsec) / 1e9;
}

/* The snapshot to take rates against: the newest one at least RATE_SPAN_MIN_S old. */
static const struct xlb_snapshot *rate_base(const struct xlb_exporter *e,
					    const struct xlb_snapshot *now)
{
	if (!e->nhist)
		return NULL;
	if (e->nhist == 2 && age(&e->hist[1], now) < RATE_SPAN_MIN_S)
		return &e->hist[0];
	return &e->hist[e->nhist - 1];
}

/* Keeps now (taken over) as the newest earlier snapshot once the newest is old enough. */
static void remember(struct xlb_exporter *e, struct xlb_snapshot *now)
{
	if (e->nhist && age(&e->hist[e->nhist - 1], now) < RATE_SPAN_MIN_S) {
		xlb_snapshot_free(now);
		return;
	}
	if (e->nhist == 2) {
		xlb_snapshot_free(&e->hist[0]);
		e->hist[0] = e->hist[1];
		e->nhist = 1;
	}
	e->hist[e->nhist++] = *now;
}

/* The status page of snapshot s, which it keeps for later rates or frees. */
static int render_status(struct xlb_exporter *e, struct xlb_snapshot *s, FILE *out)
{
	int err = xlb_status_render(s, rate_base(e, s), e->history, out);

	remember(e, s);
	return err;
}

/*
 * Renders a page of a new snapshot (render takes the snapshot over) into a heap buffer and
 * sends it, or the error that stopped it.
 */
static enum MHD_Result serve(struct xlb_exporter *e, struct MHD_Connection *c, const char *type,
			     int (*render)(struct xlb_exporter *e, struct xlb_snapshot *s,
					   FILE *out))
{
	struct xlb_snapshot s;
	size_t len = 0;
	char *buf = NULL;
	FILE *out;
	int err;

	out = open_memstream(&buf, &len);
	if (!out)
		return reply_error(e, c, -errno);
	err = take(e, &s);
	if (!err)
		err = render(e, &s, out);
	if (fclose(out) && !err)
		err = -ENOMEM;
	if (err) {
		free(buf);
		return reply_error(e, c, err);
	}
	return reply(c, MHD_HTTP_OK, type, buf, len, MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **req)
{
	struct xlb_exporter *e = cls;

	(void)version;
	(void)upload;
	if (!*req)
		xlb_conns_head_done(c);
	/* Refused at once: the connection then closes without reading a body. */
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
	/* The first call announces the request; answering then would close the connection. */
	if (!*req) {
		*req = e;
		return MHD_YES;
	}
	if (*upload_size) { /* a body sent with GET is read and ignored */
		*upload_size = 0;
		return MHD_YES;
	}
	if (!strcmp(url, "/metrics"))
		return serve(e, c, XLB_METRICS_CONTENT_TYPE, render_metrics);
	if (!strcmp(url, "/"))
		return serve(e, c, XLB_STATUS_CONTENT_TYPE, render_status);
	if (!strcmp(url, "/healthz"))
		return reply_text(c, MHD_HTTP_OK, "ok\n");
	return reply_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
}

static int start_mhd(struct xlb_exporter *e)
{
	errno = 0;
	e->mhd = MHD_start_daemon(MHD_USE_EPOLL | MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL, handle, e,
				  MHD_OPTION_CONNECTION_LIMIT,
				  (unsigned int)(XLB_CONNS_MAX + XLB_CONNS_ACCEPT_BATCH),
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)CONNECTION_TIMEOUT_S,
				  MHD_OPTION_NOTIFY_CONNECTION, xlb_conns_notify, &e->conns,
				  MHD_OPTION_NOTIFY_COMPLETED, xlb_conns_completed, &e->conns,
				  MHD_OPTION_END);
	if (!e->mhd)
		return errno ? -errno : -EIO;
	return xlb_conns_attach(&e->conns, e->mhd);
}

int xlb_exporter_start(const struct xlb_exporter_opts *o, struct xlb_exporter **out)
{
	struct xlb_exporter *e;
	int fd = -1, err = -ENOMEM;

	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->lb = o->lb;
	e->announce = o->announce;
	e->dev = strdup(o->dev ? o->dev : "");
	e->version = strdup(o->version ? o->version : "");
	if (e->dev && e->version && !xlb_history_new(&e->history))
		err = listen_socket(o->listen, &fd);
	if (err)
		goto out_free;
	err = xlb_conns_init(&e->conns, fd);
	if (err)
		goto out_conns;
	err = start_mhd(e);
	if (err)
		goto out_mhd;
	*out = e;
	return 0;

out_mhd:
	if (e->mhd)
		MHD_stop_daemon(e->mhd);
out_conns:
	xlb_conns_fini(&e->conns); /* closes fd */
out_free:
	xlb_history_free(e->history);
	free(e->version);
	free(e->dev);
	free(e);
	return err;
}

int xlb_exporter_fd(const struct xlb_exporter *e)
{
	return e->conns.epfd;
}

int xlb_exporter_timeout_ms(const struct xlb_exporter *e)
{
	int own = xlb_conns_timeout_ms(&e->conns);
	MHD_UNSIGNED_LONG_LONG ms;

	if (MHD_get_timeout(e->mhd, &ms) != MHD_YES)
		return own;
	if (ms > INT_MAX)
		ms = INT_MAX;
	return own >= 0 && own < (int)ms ? own : (int)ms;
}

void xlb_exporter_run(struct xlb_exporter *e)
{
	xlb_conns_accept(&e->conns);
	MHD_run(e->mhd);
	xlb_conns_tidy(&e->conns);
}

int xlb_exporter_tick(struct xlb_exporter *e)
{
	struct xlb_snapshot s;
	int err;

	err = xlb_snapshot_take(e->lb, e->dev, &s);
	if (err)
		return err;
	err = xlb_history_feed(e->history, &s, time(NULL));
	xlb_snapshot_free(&s);
	return err;
}

void xlb_exporter_stop(struct xlb_exporter *e)
{
	unsigned int i;

	if (!e)
		return;
	MHD_stop_daemon(e->mhd);
	xlb_conns_fini(&e->conns); /* the listening socket too */
	for (i = 0; i < e->nhist; i++)
		xlb_snapshot_free(&e->hist[i]);
	xlb_history_free(e->history);
	free(e->version);
	free(e->dev);
	free(e);
}
