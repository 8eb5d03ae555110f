/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-status.c - `vigil status [--ip ADDR] [--min-dl N] [--summary] [--json]
 * [--top N] [--config FILE] [--socket PATH]`: ask the running daemon over
 * CONTROL_SOCKET (control.h has the protocol) and print its answer. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cmd.h"
#include "control/control.h"
#include "util/buf.h"
#include "util/escape.h"
#include "util/log.h"
#include "util/span.h"

#define STATUS_WAIT_MS 10000 /* a daemon that does not answer within this is stuck */

static const char status_usage[] =
	"usage: vigil status [--ip ADDR[/LEN]] [--min-dl N] [--summary] [--json]\n"
	"What the running daemon knows now: inputs and what they lost, scans in\n"
	"progress, top sources, ports and signatures, the sources themselves.\n"
	"  --ip ADDR[/LEN]   only sources in ADDR/LEN or with a destination in it\n"
	"  --min-dl N        only sources with danger level >= N (0-5)\n"
	"  --summary         counts and top lists only, no source details\n"
	"  --json            one JSON object (cli.md, \"vigil status --json\")\n"
	"  --top N           list at most N sources in full (default 50)\n"
	"  --config FILE     to find the daemon's CONTROL_SOCKET (default " CONFIG_PATH_DEFAULT
	")\n"
	"  --socket PATH     talk to this socket instead of CONTROL_SOCKET\n"
	"Exit status: 0 answered; 1 no daemon, refused, or an error; 2 usage error.\n";

struct status_opts {
	struct control_request req;
	const char *config_path;
	const char *socket_path;
};

static int usage_error(const char *what, const char *arg)
{
	char e[96];

	log_error("%s, got '%s' (try 'vigil status --help')", what,
		  escape_str(arg, e, sizeof(e)));
	return EXIT_USAGE;
}

/* EXIT_OK with o filled, or the exit status (help printed: -1). */
static int parse_opts(int argc, char **argv, struct status_opts *o)
{
	static const struct option opts[] = {
		{ "ip", required_argument, NULL, 'i' },   { "min-dl", required_argument, NULL, 'm' },
		{ "summary", no_argument, NULL, 's' },    { "json", no_argument, NULL, 'j' },
		{ "top", required_argument, NULL, 't' },  { "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 'S' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t v;
	int c;

	control_request_init(&o->req);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		struct span a = span_make(optarg ? optarg : "", optarg ? strlen(optarg) : 0);
		switch (c) {
		case 'i':
			if (net_parse(a, &o->req.ip) < 0)
				return usage_error("--ip: expected ADDR or ADDR/LEN", optarg);
			o->req.has_ip = true;
			break;
		case 'm':
			if (span_to_u32(a, &v) < 0 || v > 5)
				return usage_error("--min-dl: expected a danger level 0-5", optarg);
			o->req.min_dl = v;
			break;
		case 't':
			if (span_to_u32(a, &v) < 0 || v > CONTROL_TOP_MAX)
				return usage_error("--top: expected a count 0-100000", optarg);
			o->req.top = v;
			break;
		case 's':
			o->req.summary = true;
			break;
		case 'j':
			o->req.json = true;
			break;
		case 'c':
			o->config_path = optarg;
			break;
		case 'S':
			o->socket_path = optarg;
			break;
		case 'h':
			fputs(status_usage, stdout);
			return -1;
		default:
			fputs(status_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);
	return EXIT_OK;
}

/* A connected socket, or -errno. */
static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = STATUS_WAIT_MS / 1000 };
	int fd, r;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* a daemon that accepts but never answers does not hang us */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (const struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		(void)close(fd);
		return r;
	}
	return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The whole answer, into memory first: the daemon drops a client that reads
 * slower than its deadline, and stdout may be a pager nobody scrolls. */
static int read_answer(int fd, struct buf *b, const char *epath)
{
	char chunk[65536];

	for (;;) {
		ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return log_errno(-errno, "%s: no complete answer from the daemon", epath),
			       -1;
		if (n == 0)
			return 0;
		if (buf_put(b, chunk, (size_t)n) < 0)
			return log_error("%s: the daemon's answer is larger than %zu bytes", epath,
					 b->max),
			       -1;
	}
}

/* "OK <10 digits>\n" + that many bytes to stdout, or "ERR reason\n". */
static int relay_answer(int fd, const char *epath)
{
	char reason[CONTROL_REQUEST_MAX];
	struct buf b;
	const char *nl;
	uint32_t want;
	int r = EXIT_RUNTIME;

	buf_init(&b, CONTROL_RESPONSE_MAX + CONTROL_OK_HEADER_LEN);
	if (read_answer(fd, &b, epath) < 0)
		goto out;
	nl = b.len ? memchr(b.data, '\n', b.len < sizeof(reason) ? b.len : sizeof(reason)) : NULL;
	if (!b.len) {
		log_error("%s: the daemon closed the connection without an answer", epath);
	} else if (nl && nl - b.data >= 4 && !memcmp(b.data, "ERR ", 4)) {
		escape_bytes(b.data + 4, (size_t)(nl - b.data) - 4, reason, sizeof(reason));
		log_error("%s: the daemon refused: %s", epath, reason);
	} else if (nl != b.data + CONTROL_OK_HEADER_LEN - 1 || memcmp(b.data, "OK ", 3) ||
		   span_to_u32(span_make(b.data + 3, 10), &want) < 0) {
		log_error("%s: not a vigil control socket (unexpected answer)", epath);
	} else if (b.len - CONTROL_OK_HEADER_LEN != want) {
		log_error("%s: the answer was cut short (%zu of %u bytes)", epath,
			  b.len - CONTROL_OK_HEADER_LEN, (unsigned)want);
	} else if (fwrite(b.data + CONTROL_OK_HEADER_LEN, 1, want, stdout) != want ||
		   fflush(stdout) == EOF) {
		log_errno(-EIO, "write to stdout");
	} else {
		r = EXIT_OK;
	}
out:
	buf_release(&b);
	return r;
}

int cmd_status(int argc, char **argv)
{
	struct status_opts o = { 0 };
	static struct config cfg; /* large; one per process */
	char line[CONTROL_REQUEST_MAX + 1], epath[ESCAPE_PATH_MAX];
	const char *path;
	int r, fd, len;

	r = parse_opts(argc, argv, &o);
	if (r != EXIT_OK)
		return r < 0 ? EXIT_OK : r;
	path = o.socket_path;
	if (!path) {
		log_set_level(LOG_LVL_WARN); /* not the "psad keys ignored" note on every status */
		if (cmd_load_config(&cfg, o.config_path, false) < 0)
			return EXIT_RUNTIME;
		path = cfg.control_socket[0] ? cfg.control_socket : CONTROL_SOCKET_DEFAULT;
	}
	escape_str(path, epath, sizeof(epath));
	fd = connect_to(path);
	if (fd == -ENOENT || fd == -ECONNREFUSED || fd == -ENOTDIR)
		return log_errno(fd, "no daemon listening on %s", epath), EXIT_RUNTIME;
	if (fd == -EACCES || fd == -EPERM)
		return log_errno(fd, "cannot connect to %s (the control socket is root-only)",
				 epath),
		       EXIT_RUNTIME;
	if (fd < 0)
		return log_errno(fd, "cannot connect to %s", epath), EXIT_RUNTIME;
	len = control_request_format(&o.req, line, sizeof(line) - 1);
	if (len < 0) {
		(void)close(fd);
		return log_errno(len, "request too long"), EXIT_RUNTIME;
	}
	line[len++] = '\n';
	r = send_all(fd, line, (size_t)len);
	if (r < 0) {
		(void)close(fd);
		return log_errno(r, "%s: cannot send the request", epath), EXIT_RUNTIME;
	}
	r = relay_answer(fd, epath);
	(void)close(fd);
	return r;
}
