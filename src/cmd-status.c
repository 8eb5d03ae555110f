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

/* Read the "OK\n" / "ERR reason\n" line, then copy the rest to stdout. */
static int relay_answer(int fd, const char *epath)
{
	char buf[65536], reason[CONTROL_REQUEST_MAX];
	size_t have = 0;
	char *nl = NULL;
	ssize_t n;

	while (!nl) {
		if (have == sizeof(reason) - 1)
			return log_error("%s: the daemon's answer has no status line", epath),
			       EXIT_RUNTIME;
		n = recv(fd, buf + have, sizeof(reason) - 1 - have, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return log_errno(-errno, "%s: no answer from the daemon", epath), EXIT_RUNTIME;
		if (n == 0)
			return log_error("%s: the daemon closed the connection without an answer",
					 epath),
			       EXIT_RUNTIME;
		nl = memchr(buf + have, '\n', (size_t)n);
		have += (size_t)n;
	}
	if ((size_t)(nl - buf) >= 4 && !memcmp(buf, "ERR ", 4)) {
		escape_bytes(buf + 4, (size_t)(nl - buf) - 4, reason, sizeof(reason));
		log_error("%s: the daemon refused: %s", epath, reason);
		return EXIT_RUNTIME;
	}
	if (nl - buf != 2 || memcmp(buf, "OK", 2)) {
		log_error("%s: not a vigil control socket (unexpected answer)", epath);
		return EXIT_RUNTIME;
	}
	nl++;
	if (fwrite(nl, 1, have - (size_t)(nl - buf), stdout) != have - (size_t)(nl - buf))
		return log_errno(-EIO, "write to stdout"), EXIT_RUNTIME;
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return log_errno(-errno, "%s: answer cut short", epath), EXIT_RUNTIME;
		if (n == 0)
			break;
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			return log_errno(-EIO, "write to stdout"), EXIT_RUNTIME;
	}
	if (fflush(stdout) == EOF)
		return log_errno(-errno, "write to stdout"), EXIT_RUNTIME;
	return EXIT_OK;
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
