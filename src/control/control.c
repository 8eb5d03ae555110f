/* SPDX-License-Identifier: GPL-2.0-or-later */
/* control.c - the control socket server (see control.h for the protocol and
 * the limits that keep a client from stalling the loop).
 *
 * Clients live in a fixed array of CONTROL_CLIENTS_MAX slots; one one-shot
 * timer is armed for the earliest deadline. A client moves READ -> WRITE ->
 * closed: it is read until its '\n', answered into its own bounded buffer,
 * and written as its socket drains. */
#include "control/control.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "loop/loop.h"
#include "report/outbuf.h"
#include "util/buf.h"
#include "util/span.h"

#define ACCEPT_BUDGET 32     /* connections taken per wake-up */
#define PEER_GROUPS_MAX 256  /* supplementary groups looked at */

enum client_state { CLIENT_FREE, CLIENT_READ, CLIENT_WRITE };

struct client {
	enum client_state state;
	int fd;
	int64_t deadline;     /* CLOCK_MONOTONIC us */
	uid_t uid;
	pid_t pid;
	size_t req_len;
	char req[CONTROL_REQUEST_MAX];
	struct buf out;       /* the answer */
	size_t out_off;       /* bytes of out already sent */
};

struct control {
	struct loop *loop;
	int fd;
	int timer;            /* one-shot, the earliest deadline; 0: none */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	control_handler_fn *fn;
	void *data;
	bool has_group;
	gid_t group;
	size_t max_clients;
	int64_t timeout_us;
	size_t held;          /* bytes of answers not yet sent, all clients */
	struct control_stats st;
	struct client clients[CONTROL_CLIENTS_MAX];
	struct outbuf ob;     /* the handler's buffer, in front of a client's out */
};

/* ---- requests */

void control_request_init(struct control_request *req)
{
	*req = (struct control_request){ .cmd = CONTROL_STATUS, .top = CONTROL_TOP_DEFAULT };
}

static bool word_is(struct span w, const char *s)
{
	return w.len == strlen(s) && !memcmp(w.p, s, w.len);
}

/* The next space-separated word of *rest, or an empty span at the end. */
static struct span next_word(struct span *rest)
{
	size_t i = 0, j;

	while (i < rest->len && rest->p[i] == ' ')
		i++;
	j = i;
	while (j < rest->len && rest->p[j] != ' ')
		j++;
	struct span w = span_make(rest->p + i, j - i);
	*rest = span_make(rest->p + j, rest->len - j);
	return w;
}

int control_request_parse(const char *line, size_t len, struct control_request *ret,
			  const char **reterr_why)
{
	struct control_request req;
	struct span rest = span_make(line, len), w;
	uint32_t v;

	if (len > CONTROL_REQUEST_MAX - 1)
		return *reterr_why = "request too long", -E2BIG;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)line[i] < 0x20 || (unsigned char)line[i] > 0x7e)
			return *reterr_why = "request holds a byte that is not printable ASCII",
			       -EINVAL;
	control_request_init(&req);
	w = next_word(&rest);
	if (word_is(w, "status"))
		req.cmd = CONTROL_STATUS;
	else
		return *reterr_why = w.len ? "unknown command" : "empty request", -EINVAL;
	while ((w = next_word(&rest)).len) {
		if (word_is(w, "--json")) {
			req.json = true;
		} else if (word_is(w, "--summary")) {
			req.summary = true;
		} else if (word_is(w, "--ip")) {
			if (net_parse(next_word(&rest), &req.ip) < 0)
				return *reterr_why = "--ip: expected ADDR or ADDR/LEN", -EINVAL;
			req.has_ip = true;
		} else if (word_is(w, "--min-dl")) {
			if (span_to_u32(next_word(&rest), &v) < 0 || v > 5)
				return *reterr_why = "--min-dl: expected a danger level 0-5", -EINVAL;
			req.min_dl = v;
		} else if (word_is(w, "--top")) {
			if (span_to_u32(next_word(&rest), &v) < 0 || v > CONTROL_TOP_MAX)
				return *reterr_why = "--top: expected a count 0-100000", -EINVAL;
			req.top = v;
		} else {
			return *reterr_why = "unknown option", -EINVAL;
		}
	}
	*ret = req;
	return 0;
}

int control_request_format(const struct control_request *req, char *buf, size_t len)
{
	char net[NET_STR_MAX] = "";
	int n;

	if (req->has_ip)
		(void)net_format(&req->ip, net);
	n = snprintf(buf, len, "status%s%s%s%s --min-dl %u --top %u", req->json ? " --json" : "",
		     req->summary ? " --summary" : "", req->has_ip ? " --ip " : "", net,
		     req->min_dl, req->top);
	if (n < 0 || (size_t)n >= len)
		return -ENOBUFS;
	return n;
}

/* ---- clients */

static void arm_timer(struct control *c)
{
	int64_t first = INT64_MAX, now = loop_now_mono_us();

	for (size_t i = 0; i < CONTROL_CLIENTS_MAX; i++)
		if (c->clients[i].state != CLIENT_FREE && c->clients[i].deadline < first)
			first = c->clients[i].deadline;
	if (first == INT64_MAX)
		(void)loop_set_timer(c->loop, c->timer, 0, 0);
	else
		(void)loop_set_timer(c->loop, c->timer, first > now ? (uint64_t)(first - now) : 1, 0);
}

static void client_close(struct control *c, struct client *cl)
{
	loop_del_fd(c->loop, cl->fd);
	(void)close(cl->fd);
	c->held -= cl->out.len;
	buf_release(&cl->out);
	cl->state = CLIENT_FREE;
	cl->fd = -1;
}

/* Best effort, for a client we are about to close: one non-blocking send. */
static void say_and_close_fd(int fd, const char *msg)
{
	(void)send(fd, msg, strlen(msg), MSG_NOSIGNAL | MSG_DONTWAIT);
	(void)close(fd);
}

/* Send what the socket takes now; close when all is sent. */
static void client_write(struct control *c, struct client *cl)
{
	while (cl->out_off < cl->out.len) {
		ssize_t n = send(cl->fd, cl->out.data + cl->out_off, cl->out.len - cl->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return; /* EPOLLOUT brings us back */
		if (n <= 0) {
			c->st.errors++;
			client_close(c, cl);
			return;
		}
		cl->out_off += (size_t)n;
	}
	c->st.served++;
	(void)shutdown(cl->fd, SHUT_WR);
	client_close(c, cl);
}

/* Turn the client to writing its answer (already in cl->out). */
static void client_answer(struct control *c, struct client *cl)
{
	cl->state = CLIENT_WRITE;
	c->held += cl->out.len;
	if (loop_mod_fd(c->loop, cl->fd, EPOLLOUT) < 0) {
		c->st.errors++;
		client_close(c, cl);
		return;
	}
	client_write(c, cl);
}

static void client_error(struct control *c, struct client *cl, const char *why)
{
	buf_reset(&cl->out);
	(void)buf_printf(&cl->out, "ERR %s\n", why);
	client_answer(c, cl);
}

/* Run the handler with the answer going to cl->out (through c->ob). */
static void client_handle(struct control *c, struct client *cl, const struct control_request *req)
{
	FILE *f;
	int r;

	if (c->held >= CONTROL_MEMORY_MAX) {
		c->st.refused_busy++;
		client_error(c, cl, "busy: too many answers waiting for their readers");
		return;
	}
	buf_init(&cl->out, CONTROL_RESPONSE_MAX);
	(void)buf_put(&cl->out, "OK\n", 3);
	f = buf_fopen(&cl->out);
	if (!f) {
		c->st.errors++;
		client_error(c, cl, "out of memory");
		return;
	}
	outbuf_init(&c->ob, f);
	c->fn(req, &c->ob, c->data);
	r = outbuf_flush(&c->ob);
	if (fclose(f) == EOF)
		r = -EIO;
	if (cl->out.overflow) {
		c->st.too_large++;
		buf_release(&cl->out);
		client_error(c, cl, "answer too large; narrow it with --summary, --ip, "
				    "--min-dl or --top");
		return;
	}
	if (r < 0) {
		c->st.errors++;
		buf_release(&cl->out);
		client_error(c, cl, "the daemon could not build the answer (out of memory)");
		return;
	}
	client_answer(c, cl);
}

static void client_request(struct control *c, struct client *cl, size_t len)
{
	struct control_request req;
	const char *why = "bad request";

	if (len && cl->req[len - 1] == '\r')
		len--;
	if (control_request_parse(cl->req, len, &req, &why) < 0) {
		c->st.bad_requests++;
		client_error(c, cl, why);
		return;
	}
	req.uid = cl->uid;
	req.pid = cl->pid;
	client_handle(c, cl, &req);
}

/* Read until '\n' (or EOF after some bytes); bytes after it are ignored. */
static void client_read(struct control *c, struct client *cl)
{
	for (;;) {
		size_t room = sizeof(cl->req) - cl->req_len;
		ssize_t n;
		char *nl;

		if (!room) {
			c->st.bad_requests++;
			client_error(c, cl, "request too long");
			return;
		}
		n = recv(cl->fd, cl->req + cl->req_len, room, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			c->st.errors++;
			client_close(c, cl);
			return;
		}
		if (n == 0) { /* the client shut down its side: the request is what came */
			if (!cl->req_len) {
				c->st.bad_requests++;
				client_close(c, cl);
				return;
			}
			client_request(c, cl, cl->req_len);
			return;
		}
		nl = memchr(cl->req + cl->req_len, '\n', (size_t)n);
		cl->req_len += (size_t)n;
		if (nl) {
			client_request(c, cl, (size_t)(nl - cl->req));
			return;
		}
	}
}

static void on_client(struct loop *l, int fd, uint32_t events, void *data)
{
	struct control *c = data;
	struct client *cl = NULL;

	for (size_t i = 0; i < CONTROL_CLIENTS_MAX; i++)
		if (c->clients[i].state != CLIENT_FREE && c->clients[i].fd == fd)
			cl = &c->clients[i];
	if (!cl)
		return;
	if (cl->state == CLIENT_READ && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		client_read(c, cl);
	else if (cl->state == CLIENT_WRITE && (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)))
		client_write(c, cl);
	arm_timer(c);
}

static bool peer_in_group(int fd, gid_t group)
{
	gid_t groups[PEER_GROUPS_MAX];
	socklen_t len = sizeof(groups);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0)
		return false;
	for (size_t i = 0; i < len / sizeof(gid_t); i++)
		if (groups[i] == group)
			return true;
	return false;
}

/* 0 and the peer's credentials, or -EPERM. */
static int peer_check(const struct control *c, int fd, struct ucred *ret)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 || len != sizeof(cr))
		return -EPERM;
	if (cr.uid != 0 && cr.uid != geteuid() &&
	    !(c->has_group && (cr.gid == c->group || peer_in_group(fd, c->group))))
		return -EPERM;
	*ret = cr;
	return 0;
}

static struct client *client_slot(struct control *c)
{
	size_t used = 0;
	struct client *free_slot = NULL;

	for (size_t i = 0; i < CONTROL_CLIENTS_MAX; i++) {
		if (c->clients[i].state != CLIENT_FREE)
			used++;
		else if (!free_slot)
			free_slot = &c->clients[i];
	}
	return used < c->max_clients ? free_slot : NULL;
}

static void client_accept(struct control *c, int fd)
{
	struct client *cl = client_slot(c);
	struct ucred cr;

	c->st.accepted++;
	if (!cl) {
		c->st.refused_busy++;
		say_and_close_fd(fd, "ERR busy: too many clients\n");
		return;
	}
	if (peer_check(c, fd, &cr) < 0) {
		c->st.refused_peer++;
		say_and_close_fd(fd, "ERR permission denied\n");
		return;
	}
	if (loop_add_fd(c->loop, fd, EPOLLIN, on_client, c) < 0) {
		c->st.errors++;
		(void)close(fd);
		return;
	}
	cl->state = CLIENT_READ;
	cl->fd = fd;
	cl->uid = cr.uid;
	cl->pid = cr.pid;
	cl->req_len = 0;
	cl->out_off = 0;
	buf_init(&cl->out, CONTROL_RESPONSE_MAX);
	cl->deadline = loop_now_mono_us() + c->timeout_us;
	client_read(c, cl); /* the request may be there already */
}

static void on_listen(struct loop *l, int fd, uint32_t events, void *data)
{
	struct control *c = data;

	for (int i = 0; i < ACCEPT_BUDGET; i++) {
		int cfd = accept4(c->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
			    errno != ECONNABORTED)
				c->st.errors++;
			break;
		}
		client_accept(c, cfd);
	}
	arm_timer(c);
}

static void on_timer(struct loop *l, void *data)
{
	struct control *c = data;
	int64_t now = loop_now_mono_us();

	for (size_t i = 0; i < CONTROL_CLIENTS_MAX; i++) {
		struct client *cl = &c->clients[i];
		if (cl->state != CLIENT_FREE && cl->deadline <= now) {
			c->st.timed_out++;
			client_close(c, cl);
		}
	}
	arm_timer(c);
}

/* ---- the socket */

/* Make room for a new socket at path: a socket file nobody answers on is
 * removed; a live one is -EADDRINUSE; anything else is never touched. */
static int clear_stale(const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, r;

	if (lstat(sa->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	r = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	if (r == 0 || errno == EAGAIN || errno == EINPROGRESS) {
		(void)close(fd);
		return -EADDRINUSE;
	}
	(void)close(fd);
	if (unlink(sa->sun_path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

/* The socket's directory (one level), root-owned 0755 when we create it. */
static int make_parent(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	(void)snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int bind_socket(struct control *c, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int r;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	if (!*path)
		return -EINVAL;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	r = make_parent(path);
	if (r < 0)
		return r;
	r = clear_stale(&sa);
	if (r < 0)
		return r;
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->fd < 0)
		return -errno;
	old = umask(0177); /* 0600 from birth: no window where others may connect */
	r = bind(c->fd, (const struct sockaddr *)&sa, sizeof(sa)) < 0 ? -errno : 0;
	umask(old);
	if (r < 0)
		return r;
	memcpy(c->path, path, strlen(path) + 1);
	if (listen(c->fd, CONTROL_CLIENTS_MAX) < 0)
		return -errno;
	return 0;
}

int control_new(struct loop *l, const char *path, control_handler_fn *fn, void *data,
		struct control **ret)
{
	struct control *c = calloc(1, sizeof(*c));
	int r;

	if (!c)
		return -ENOMEM;
	c->loop = l;
	c->fd = -1;
	c->fn = fn;
	c->data = data;
	c->max_clients = CONTROL_CLIENTS_MAX;
	c->timeout_us = CONTROL_TIMEOUT_US;
	for (size_t i = 0; i < CONTROL_CLIENTS_MAX; i++)
		c->clients[i].fd = -1;
	r = bind_socket(c, path);
	if (r < 0)
		goto out_free;
	r = loop_add_timer(l, CONTROL_TIMEOUT_US, 0, on_timer, c);
	if (r < 0)
		goto out_free;
	c->timer = r;
	(void)loop_set_timer(l, c->timer, 0, 0); /* armed when a client comes */
	r = loop_add_fd(l, c->fd, EPOLLIN, on_listen, c);
	if (r < 0)
		goto out_free;
	*ret = c;
	return 0;
out_free:
	control_free(c);
	return r;
}

struct control *control_free(struct control *c)
{
	if (!c)
		return NULL;
	for (size_t i = 0; i < CONTROL_CLIENTS_MAX; i++)
		if (c->clients[i].state != CLIENT_FREE)
			client_close(c, &c->clients[i]);
	if (c->timer > 0)
		loop_del_timer(c->loop, c->timer);
	if (c->fd >= 0) {
		loop_del_fd(c->loop, c->fd);
		(void)close(c->fd);
	}
	if (c->path[0])
		(void)unlink(c->path);
	free(c);
	return NULL;
}

int control_allow_group(struct control *c, gid_t gid)
{
	if (chown(c->path, (uid_t)-1, gid) < 0 || chmod(c->path, 0660) < 0)
		return -errno;
	c->has_group = true;
	c->group = gid;
	return 0;
}

int control_allow_group_name(struct control *c, const char *name)
{
	struct group gr, *res = NULL;
	char buf[4096];
	int r;

	if (!name || !*name || !strcmp(name, "NONE"))
		return 0;
	r = getgrnam_r(name, &gr, buf, sizeof(buf), &res);
	if (r)
		return -r;
	if (!res)
		return -ENOENT;
	return control_allow_group(c, gr.gr_gid);
}

void control_set_limits(struct control *c, size_t max_clients, int64_t timeout_us)
{
	c->max_clients = max_clients > CONTROL_CLIENTS_MAX ? CONTROL_CLIENTS_MAX : max_clients;
	c->timeout_us = timeout_us;
}

void control_get_stats(const struct control *c, struct control_stats *ret)
{
	*ret = c->st;
}

size_t control_clients(const struct control *c)
{
	size_t n = 0;

	for (size_t i = 0; i < CONTROL_CLIENTS_MAX; i++)
		n += c->clients[i].state != CLIENT_FREE;
	return n;
}
