/* SPDX-License-Identifier: GPL-2.0-or-later */
/* control-test.c - the control socket: request parsing, the socket file
 * (mode, stale file, foreign file, live daemon), the peer check, and the
 * limits that keep a client from stalling the loop (overlong request, a
 * client that never finishes its line or never reads, the client cap, the
 * answer ceiling). Served by the real loop, pumped in short slices. */
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "control/control.h"
#include "loop/loop.h"
#include "report/outbuf.h"

struct fx {
	char dir[64];
	char path[128];
	struct loop *l;
	struct control *c;
	size_t calls;
	struct control_request last;
	size_t answer_bytes; /* the handler writes this many 'x' after its line */
};

static void handler(const struct control_request *req, struct outbuf *resp, void *data)
{
	struct fx *f = data;
	char chunk[4096];

	f->calls++;
	f->last = *req;
	outbuf_printf(resp, "status json=%d summary=%d min_dl=%u top=%u\n", req->json,
		      req->summary, req->min_dl, req->top);
	memset(chunk, 'x', sizeof(chunk));
	for (size_t left = f->answer_bytes; left;) {
		size_t n = left < sizeof(chunk) ? left : sizeof(chunk);
		outbuf_put(resp, chunk, n);
		left -= n;
	}
}

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/vigil-control-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/control.sock", f->dir);
	if (loop_new(&f->l) < 0)
		return -1;
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	f->c = control_free(f->c);
	f->l = loop_free(f->l);
	(void)unlink(f->path);
	(void)rmdir(f->dir);
	free(f);
	return 0;
}

static void fx_start(struct fx *f)
{
	assert_int_equal(control_new(f->l, f->path, handler, f, &f->c), 0);
}

static void stop_cb(struct loop *l, void *data)
{
	loop_stop(l);
}

/* Serve whatever is pending for ms milliseconds. */
static void pump(struct fx *f, unsigned ms)
{
	int id = loop_add_timer(f->l, (uint64_t)ms * 1000, 0, stop_cb, NULL);

	assert_true(id > 0);
	assert_int_equal(loop_run(f->l), 0);
	loop_del_timer(f->l, id);
}

/* A client socket connected to f->path (blocking, 2 s receive timeout). */
static int client(const struct fx *f)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 2 };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memcpy(sa.sun_path, f->path, strlen(f->path) + 1);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* What the server sent until it closed (at most len - 1 bytes, NUL-terminated). */
static size_t read_all(int fd, char *buf, size_t len)
{
	size_t have = 0;
	ssize_t n;

	while (have < len - 1 && (n = recv(fd, buf + have, len - 1 - have, 0)) > 0)
		have += (size_t)n;
	buf[have] = '\0';
	return have;
}

static void ask(struct fx *f, const char *req, char *ans, size_t len)
{
	int fd = client(f);

	assert_int_equal(send(fd, req, strlen(req), MSG_NOSIGNAL), (ssize_t)strlen(req));
	pump(f, 30);
	read_all(fd, ans, len);
	close(fd);
}

/* ---- requests */

static void test_parse(void **state)
{
	struct control_request r;
	const char *why = NULL;
	const char *line = "status --json  --summary --ip 198.18.0.0/15 --min-dl 2 --top 7";

	assert_int_equal(control_request_parse(line, strlen(line), &r, &why), 0);
	assert_int_equal(r.cmd, CONTROL_STATUS);
	assert_true(r.json);
	assert_true(r.summary);
	assert_true(r.has_ip);
	assert_int_equal(r.ip.len, 15);
	assert_int_equal(r.min_dl, 2);
	assert_int_equal(r.top, 7);

	assert_int_equal(control_request_parse("status", 6, &r, &why), 0);
	assert_false(r.json || r.summary || r.has_ip);
	assert_int_equal(r.min_dl, 0);
	assert_int_equal(r.top, CONTROL_TOP_DEFAULT);
}

static void test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"", "   ", "stat", "status --jsonx", "status --min-dl 6", "status --min-dl",
		"status --ip", "status --ip 999.1.1.1", "status --top -1", "status --top 100001",
		"block 198.18.0.1", "status\t--json", "status --json\x7f",
	};
	struct control_request r;
	const char *why;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		assert_int_equal(control_request_parse(bad[i], strlen(bad[i]), &r, &why), -EINVAL);
		assert_non_null(why);
	}
	char big[CONTROL_REQUEST_MAX + 8];
	memset(big, ' ', sizeof(big));
	memcpy(big, "status", 6);
	assert_int_equal(control_request_parse(big, CONTROL_REQUEST_MAX, &r, &why), -E2BIG);
	assert_int_equal(control_request_parse(big, CONTROL_REQUEST_MAX - 1, &r, &why), 0);
}

static void test_format_roundtrip(void **state)
{
	struct control_request a, b;
	const char *why;
	char line[CONTROL_REQUEST_MAX];
	int n;

	control_request_init(&a);
	a.json = true;
	a.summary = true;
	a.min_dl = 3;
	a.top = 99;
	a.has_ip = true;
	assert_int_equal(net_parse(SPAN_LIT("2001:db8::/32"), &a.ip), 0);
	n = control_request_format(&a, line, sizeof(line));
	assert_true(n > 0);
	assert_int_equal(control_request_parse(line, (size_t)n, &b, &why), 0);
	assert_true(b.json && b.summary && b.has_ip);
	assert_int_equal(b.min_dl, 3);
	assert_int_equal(b.top, 99);
	assert_int_equal(a.ip.len, b.ip.len);
	assert_true(addr_eq(&a.ip.a, &b.ip.a));
	assert_int_equal(control_request_format(&a, line, 10), -ENOBUFS);
}

/* ---- the socket file */

static void test_socket_mode(void **state)
{
	struct fx *f = *state;
	struct stat st;

	fx_start(f);
	assert_int_equal(lstat(f->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_uid, geteuid());
	f->c = control_free(f->c);
	assert_int_equal(lstat(f->path, &st), -1); /* removed at free */
}

static void test_stale_socket(void **state)
{
	struct fx *f = *state;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	char ans[256];

	/* a socket file left by a crashed daemon: bound, nobody listening */
	memcpy(sa.sun_path, f->path, strlen(f->path) + 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	fx_start(f);
	ask(f, "status\n", ans, sizeof(ans));
	assert_string_equal(ans, "OK\nstatus json=0 summary=0 min_dl=0 top=50\n");
}

static void test_live_socket_kept(void **state)
{
	struct fx *f = *state;
	struct control *second = NULL;
	char ans[256];

	fx_start(f);
	assert_int_equal(control_new(f->l, f->path, handler, f, &second), -EADDRINUSE);
	assert_null(second);
	ask(f, "status\n", ans, sizeof(ans)); /* the first one still serves */
	assert_memory_equal(ans, "OK\n", 3);
}

static void test_foreign_file_kept(void **state)
{
	struct fx *f = *state;
	struct control *c = NULL;
	FILE *fp = fopen(f->path, "w");
	struct stat st;

	assert_non_null(fp);
	fputs("precious\n", fp);
	fclose(fp);
	assert_int_equal(control_new(f->l, f->path, handler, f, &c), -EEXIST);
	assert_null(c);
	assert_int_equal(lstat(f->path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 9);
}

static void test_path_too_long(void **state)
{
	struct fx *f = *state;
	struct control *c = NULL;
	char path[200];

	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	assert_int_equal(control_new(f->l, path, handler, f, &c), -ENAMETOOLONG);
}

/* ---- requests over the socket */

static void test_request_answer(void **state)
{
	struct fx *f = *state;
	struct control_stats st;
	char ans[256];

	fx_start(f);
	ask(f, "status --json --min-dl 2 --top 5\n", ans, sizeof(ans));
	assert_string_equal(ans, "OK\nstatus json=1 summary=0 min_dl=2 top=5\n");
	assert_int_equal(f->calls, 1);
	assert_int_equal(f->last.uid, geteuid());
	assert_int_equal(f->last.pid, getpid());
	/* CRLF and a request ended by the client's shutdown instead of '\n' */
	ask(f, "status --summary\r\n", ans, sizeof(ans));
	assert_string_equal(ans, "OK\nstatus json=0 summary=1 min_dl=0 top=50\n");
	int fd = client(f);
	assert_int_equal(send(fd, "status", 6, MSG_NOSIGNAL), 6);
	shutdown(fd, SHUT_WR);
	pump(f, 30);
	read_all(fd, ans, sizeof(ans));
	close(fd);
	assert_memory_equal(ans, "OK\n", 3);
	control_get_stats(f->c, &st);
	assert_int_equal(st.accepted, 3);
	assert_int_equal(st.served, 3);
	assert_int_equal(control_clients(f->c), 0);
}

/* A request split over several sends, the line ending in the last. */
static void test_request_in_pieces(void **state)
{
	struct fx *f = *state;
	char ans[256];
	int fd;

	fx_start(f);
	fd = client(f);
	assert_int_equal(send(fd, "sta", 3, MSG_NOSIGNAL), 3);
	pump(f, 10);
	assert_int_equal(f->calls, 0);
	assert_int_equal(send(fd, "tus --js", 8, MSG_NOSIGNAL), 8);
	pump(f, 10);
	assert_int_equal(send(fd, "on\nrest is ignored", 18, MSG_NOSIGNAL), 18);
	pump(f, 10);
	read_all(fd, ans, sizeof(ans));
	close(fd);
	assert_string_equal(ans, "OK\nstatus json=1 summary=0 min_dl=0 top=50\n");
}

static void test_bad_request(void **state)
{
	struct fx *f = *state;
	struct control_stats st;
	char ans[256];

	fx_start(f);
	ask(f, "status --min-dl 9\n", ans, sizeof(ans));
	assert_string_equal(ans, "ERR --min-dl: expected a danger level 0-5\n");
	ask(f, "rm -rf /\n", ans, sizeof(ans));
	assert_string_equal(ans, "ERR unknown command\n");
	assert_int_equal(f->calls, 0);
	control_get_stats(f->c, &st);
	assert_int_equal(st.bad_requests, 2);
}

static void test_overlong_request(void **state)
{
	struct fx *f = *state;
	struct control_stats st;
	char big[4 * CONTROL_REQUEST_MAX], ans[256];
	int fd;

	fx_start(f);
	memset(big, 'a', sizeof(big));
	fd = client(f);
	/* the server answers after its 1 KiB and closes; the rest may be refused */
	(void)send(fd, big, sizeof(big), MSG_NOSIGNAL | MSG_DONTWAIT);
	pump(f, 30);
	read_all(fd, ans, sizeof(ans));
	close(fd);
	assert_string_equal(ans, "ERR request too long\n");
	control_get_stats(f->c, &st);
	assert_int_equal(st.bad_requests, 1);
	assert_int_equal(f->calls, 0);
}

/* ---- clients that would stall the loop */

static void test_slow_sender_dropped(void **state)
{
	struct fx *f = *state;
	struct control_stats st;
	char ans[64];
	int64_t t0;
	int fd;

	fx_start(f);
	control_set_limits(f->c, CONTROL_CLIENTS_MAX, 100 * 1000);
	fd = client(f);
	assert_int_equal(send(fd, "status --js", 11, MSG_NOSIGNAL), 11); /* never a '\n' */
	t0 = loop_now_mono_us();
	pump(f, 60);
	assert_int_equal(control_clients(f->c), 1);
	pump(f, 150);
	assert_true(loop_now_mono_us() - t0 < 1000 * 1000); /* the loop was never held */
	assert_int_equal(control_clients(f->c), 0);
	assert_int_equal(read_all(fd, ans, sizeof(ans)), 0); /* closed without an answer */
	close(fd);
	control_get_stats(f->c, &st);
	assert_int_equal(st.timed_out, 1);
	assert_int_equal(f->calls, 0);
}

static void test_reader_that_never_reads(void **state)
{
	struct fx *f = *state;
	struct control_stats st;
	char ans[256];
	int stuck, other;

	fx_start(f);
	control_set_limits(f->c, CONTROL_CLIENTS_MAX, 150 * 1000);
	f->answer_bytes = 4u << 20; /* far more than a socket buffer holds */
	stuck = client(f);
	assert_int_equal(send(stuck, "status\n", 7, MSG_NOSIGNAL), 7);
	pump(f, 30);
	assert_int_equal(control_clients(f->c), 1); /* waiting for the reader */
	/* another client is served meanwhile */
	f->answer_bytes = 0;
	other = client(f);
	assert_int_equal(send(other, "status --json\n", 14, MSG_NOSIGNAL), 14);
	pump(f, 30);
	read_all(other, ans, sizeof(ans));
	close(other);
	assert_string_equal(ans, "OK\nstatus json=1 summary=0 min_dl=0 top=50\n");
	pump(f, 200);
	assert_int_equal(control_clients(f->c), 0);
	close(stuck);
	control_get_stats(f->c, &st);
	assert_int_equal(st.timed_out, 1);
	assert_int_equal(st.served, 1);
}

static void test_client_cap(void **state)
{
	struct fx *f = *state;
	struct control_stats st;
	int fds[3];
	char ans[256];

	fx_start(f);
	control_set_limits(f->c, 2, CONTROL_TIMEOUT_US);
	for (int i = 0; i < 3; i++) {
		fds[i] = client(f);
		pump(f, 10);
	}
	assert_int_equal(control_clients(f->c), 2);
	read_all(fds[2], ans, sizeof(ans));
	assert_string_equal(ans, "ERR busy: too many clients\n");
	control_get_stats(f->c, &st);
	assert_int_equal(st.refused_busy, 1);
	/* the two admitted ones are still served */
	for (int i = 0; i < 2; i++) {
		assert_int_equal(send(fds[i], "status\n", 7, MSG_NOSIGNAL), 7);
		pump(f, 20);
		read_all(fds[i], ans, sizeof(ans));
		assert_memory_equal(ans, "OK\n", 3);
	}
	for (int i = 0; i < 3; i++)
		close(fds[i]);
}

static void test_answer_too_large(void **state)
{
	struct fx *f = *state;
	struct control_stats st;
	char ans[256];

	fx_start(f);
	f->answer_bytes = CONTROL_RESPONSE_MAX;
	ask(f, "status\n", ans, sizeof(ans));
	assert_string_equal(ans, "ERR answer too large; narrow it with --summary, --ip, --min-dl "
				 "or --top\n");
	control_get_stats(f->c, &st);
	assert_int_equal(st.too_large, 1);
	/* just under the ceiling is sent whole */
	f->answer_bytes = 1u << 20;
	int fd = client(f);
	assert_int_equal(send(fd, "status\n", 7, MSG_NOSIGNAL), 7);
	size_t got = 0;
	char buf[65536];
	for (int i = 0; i < 200; i++) {
		ssize_t n;
		pump(f, 5);
		while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
			got += (size_t)n;
		if (n == 0)
			break;
	}
	close(fd);
	assert_int_equal(got, 3 + strlen("status json=0 summary=0 min_dl=0 top=50\n") + (1u << 20));
}

/* ---- who may ask */

/* In a child with uid/gid 65534: connect, ask, exit 0 on OK, 1 on ERR
 * permission denied, 2 on anything else. */
static pid_t nobody_asks(const struct fx *f)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		char ans[256];
		int fd;
		if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
			_exit(3);
		fd = client(f);
		(void)send(fd, "status\n", 7, MSG_NOSIGNAL);
		read_all(fd, ans, sizeof(ans));
		if (!strncmp(ans, "OK\n", 3))
			_exit(0);
		_exit(!strcmp(ans, "ERR permission denied\n") ? 1 : 2);
	}
	return pid;
}

static int wait_child(struct fx *f, pid_t pid)
{
	int status = 0;

	for (int i = 0; i < 200; i++) {
		pump(f, 10);
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

static void test_peer_check(void **state)
{
	struct fx *f = *state;
	struct control_stats st;

	if (geteuid() != 0)
		skip();
	fx_start(f);
	/* open the file to everyone: SO_PEERCRED alone must refuse the peer */
	assert_int_equal(chmod(f->path, 0666), 0);
	assert_int_equal(chmod(f->dir, 0755), 0);
	assert_int_equal(wait_child(f, nobody_asks(f)), 1);
	control_get_stats(f->c, &st);
	assert_int_equal(st.refused_peer, 1);
	assert_int_equal(f->calls, 0);
	/* the group let in: the socket becomes root:65534 0660 and the peer passes */
	assert_int_equal(control_allow_group(f->c, 65534), 0);
	struct stat sb;
	assert_int_equal(lstat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0660);
	assert_int_equal(sb.st_gid, 65534);
	assert_int_equal(wait_child(f, nobody_asks(f)), 0);
	assert_int_equal(f->calls, 1);
	assert_int_equal(f->last.uid, 65534);
}

static void test_group_by_name(void **state)
{
	struct fx *f = *state;
	struct stat sb;

	fx_start(f);
	assert_int_equal(control_allow_group_name(f->c, "NONE"), 0);
	assert_int_equal(control_allow_group_name(f->c, ""), 0);
	assert_int_equal(lstat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600); /* untouched */
	assert_int_equal(control_allow_group_name(f->c, "no-such-group-vigil"), -ENOENT);
	if (geteuid() != 0)
		skip();
	assert_int_equal(control_allow_group_name(f->c, "root"), 0);
	assert_int_equal(lstat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0660);
	assert_int_equal(sb.st_gid, 0);
}

/* The file mode alone keeps others out: 0600 root, they cannot connect. */
static void test_mode_keeps_others_out(void **state)
{
	struct fx *f = *state;
	pid_t pid;
	int status;

	if (geteuid() != 0)
		skip();
	fx_start(f);
	assert_int_equal(chmod(f->dir, 0755), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
			_exit(3);
		memcpy(sa.sun_path, f->path, strlen(f->path) + 1);
		_exit(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno == EACCES ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_format_roundtrip),
		T(test_socket_mode),
		T(test_stale_socket),
		T(test_live_socket_kept),
		T(test_foreign_file_kept),
		T(test_path_too_long),
		T(test_request_answer),
		T(test_request_in_pieces),
		T(test_bad_request),
		T(test_overlong_request),
		T(test_slow_sender_dropped),
		T(test_reader_that_never_reads),
		T(test_client_cap),
		T(test_answer_too_large),
		T(test_peer_check),
		T(test_group_by_name),
		T(test_mode_keeps_others_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
