/* SPDX-License-Identifier: GPL-2.0-or-later */
/* follow-test.c - file:PATH followed in a temp dir, driven as the loop will
 * drive it (poll the source's fd, read() with a budget, tick()): appends,
 * partial lines, budgets, rename+create rotation with data left in the old
 * file, copytruncate with and without the copy, deletion and re-creation, a
 * path or directory missing at start, resume from a saved position with no
 * re-read and no skip (also across a rotation while down), fingerprint and
 * inode mismatches, overlong lines, and foreign positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "source/source.h"

/* --- a temp dir and the lines handed -------------------------------------- */

struct t {
	char dir[64];
	char path[128], old[140];
	char out[1 << 16];   /* "line|line*|": * marks overlong */
	size_t lines;
	int64_t min_when, max_when;
	bool bad_record;
	struct source *s;
};

static int64_t wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void collect(const struct source_record *r, void *data)
{
	struct t *t = data;
	size_t o = strlen(t->out);

	if (r->kind != SOURCE_LINE || r->time_trusted || r->facility != -1)
		t->bad_record = true;
	assert_true(o + r->text.len + 3 < sizeof(t->out));
	memcpy(t->out + o, r->text.p, r->text.len);
	strcpy(t->out + o + r->text.len, r->overlong ? "*|" : "|");
	t->lines++;
	if (!t->min_when || r->when_us < t->min_when)
		t->min_when = r->when_us;
	if (r->when_us > t->max_when)
		t->max_when = r->when_us;
}

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	strcpy(t->dir, "/tmp/vigil-follow-test.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/kern.log", t->dir);
	snprintf(t->old, sizeof(t->old), "%s.1", t->path);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;
	char cmd[128];

	source_free(t->s);
	/* the temp dir is ours: remove whatever the test left in it */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
	free(t);
	return 0;
}

static void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void start(struct t *t, const char *pos, size_t max_line)
{
	struct source_opts o = { .max_line = max_line ? max_line : 1000 };
	char spec[160];
	const char *why;

	snprintf(spec, sizeof(spec), "file:%s", t->path);
	assert_int_equal(source_new(spec, &o, &t->s, &why), 0);
	assert_string_equal(t->s->ops->kind, "file");
	if (pos)
		assert_int_equal(t->s->ops->restore(t->s, pos, strlen(pos)), 0);
	assert_int_equal(t->s->ops->open(t->s), 0);
	assert_true(t->s->ops->fd(t->s) >= 0);
}

/* What the loop does: wait for the fd, read with a small budget while it
 * hands a full budget, until the fd stays quiet for 100 ms. */
static void pump_cb(struct t *t, source_record_fn *cb, void *data, int quiet_ms)
{
	for (int i = 0; i < 1000; i++) {
		struct pollfd p = { .fd = t->s->ops->fd(t->s), .events = POLLIN };
		int r = poll(&p, 1, quiet_ms);
		assert_true(r >= 0);
		if (r == 0)
			return;
		int n;
		do
			n = t->s->ops->read(t->s, 3, cb, data);
		while (n == 3);
		assert_true(n >= 0);
	}
	fail_msg("the source never went quiet");
}

static void pump(struct t *t)
{
	pump_cb(t, collect, t, 100);
}

static void expect(struct t *t, const char *want)
{
	pump(t);
	assert_false(t->bad_record);
	assert_string_equal(t->out, want);
	t->out[0] = '\0';
}

static size_t save(struct t *t, char *buf)
{
	size_t n = t->s->ops->save(t->s, buf, SOURCE_POS_MAX);

	assert_true(n > 0 && n < SOURCE_POS_MAX);
	assert_int_equal(strlen(buf), n);
	return n;
}

static void restart(struct t *t, const char *pos)
{
	t->s = source_free(t->s);
	start(t, pos, 0);
}

/* --- tests ---------------------------------------------------------------- */

static void test_append_and_partial(void **state)
{
	struct t *t = *state;

	put(t->path, "old 1\nold 2\nunfin");
	start(t, NULL, 0);
	/* starts at the end, after the last complete line */
	expect(t, "");
	int64_t before = wall_us();
	put(t->path, "ished\nnew 1\n");
	expect(t, "unfinished|new 1|");
	assert_true(t->min_when >= before && t->max_when <= wall_us());
	put(t->path, "half");
	expect(t, "");
	put(t->path, " and half\n\n");
	expect(t, "half and half||");
	assert_int_equal(t->s->n.records, 4);
	assert_int_equal(t->s->n.bytes, strlen("unfinished\nnew 1\nhalf and half\n\n"));
	assert_int_equal(t->s->n.lost, 0);
	assert_string_equal(t->s->error, "");
}

static void test_budget_and_overlong(void **state)
{
	struct t *t = *state;
	char big[4000], want[4000], line[32];

	put(t->path, "");
	start(t, NULL, 0);
	big[0] = want[0] = '\0';
	for (int i = 0; i < 100; i++) {
		snprintf(line, sizeof(line), "line %d\n", i);
		strcat(big, line);
		line[strlen(line) - 1] = '|';
		strcat(want, line);
	}
	put(t->path, big);
	/* a budget of 7 hands 7; the fd stays readable for the rest */
	struct pollfd p = { .fd = t->s->ops->fd(t->s), .events = POLLIN };
	assert_int_equal(poll(&p, 1, 1000), 1);
	assert_int_equal(t->s->ops->read(t->s, 7, collect, t), 7);
	assert_int_equal(poll(&p, 1, 0), 1);
	expect(t, want);

	t->s = source_free(t->s);
	start(t, NULL, 10);
	memset(big, 'x', 3000);
	strcpy(big + 3000, "\nshort\n");
	put(t->path, big);
	expect(t, "xxxxxxxxxx*|short|");
	assert_int_equal(t->s->n.overlong, 1);
}

static void test_rename_create_rotation(void **state)
{
	struct t *t = *state;
	int w;

	put(t->path, "");
	start(t, NULL, 0);
	w = open(t->path, O_WRONLY | O_APPEND | O_CLOEXEC); /* the writer */
	assert_true(w >= 0);
	assert_int_equal(write(w, "a\n", 2), 2);
	expect(t, "a|");
	assert_int_equal(write(w, "b\n", 2), 2);
	/* logrotate: rename, create; the writer goes on with the old file */
	assert_int_equal(rename(t->path, t->old), 0);
	put(t->path, "");
	assert_int_equal(write(w, "c\nunfinished", 12), 12);
	expect(t, "b|c|");
	assert_int_equal(t->s->n.rotations, 0);
	/* the writer reopens: the new file gets data; the old one's rest first */
	close(w);
	put(t->path, "d\n");
	expect(t, "unfinished|d|");
	assert_int_equal(t->s->n.rotations, 1);
	put(t->path, "e\n");
	expect(t, "e|");
	put(t->old, "never\n"); /* the old file is no longer followed */
	expect(t, "");
	/* a rotation where the new file is written at once */
	assert_int_equal(rename(t->path, t->old), 0);
	put(t->path, "f\n");
	expect(t, "f|");
	assert_int_equal(t->s->n.rotations, 2);
	assert_int_equal(t->s->n.truncations, 0);
}

static void copy_file(const char *from, const char *to)
{
	char buf[4096];
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ssize_t n;

	assert_true(in >= 0 && out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
}

static void test_copytruncate(void **state)
{
	struct t *t = *state;

	put(t->path, "");
	start(t, NULL, 0);
	put(t->path, "first line of the file\nsecond\n");
	expect(t, "first line of the file|second|");
	/* written, not read yet, when logrotate copies and truncates */
	put(t->path, "unread\n");
	copy_file(t->path, t->old);
	assert_int_equal(truncate(t->path, 0), 0);
	put(t->path, "after\n");
	expect(t, "unread|after|");
	assert_int_equal(t->s->n.rotations, 1);
	assert_int_equal(t->s->n.truncations, 0);
	put(t->path, "more\n");
	expect(t, "more|");

	/* no copy: truncated and rewritten, read from the start */
	unlink(t->old);
	put(t->path, "x\n");
	expect(t, "x|");
	assert_int_equal(truncate(t->path, 0), 0);
	put(t->path, "y\n");
	expect(t, "y|");
	assert_int_equal(t->s->n.truncations, 1);
	assert_non_null(strstr(t->s->error, "truncated"));

	/* rewritten in place to a length past our offset: the head changed */
	int fd = open(t->path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "z long line past the old end\n", 29), 29);
	close(fd);
	expect(t, "z long line past the old end|");
	assert_int_equal(t->s->n.truncations, 2);
	assert_int_equal(t->s->n.rotations, 1);
}

static void test_delete_and_recreate(void **state)
{
	struct t *t = *state;

	put(t->path, "");
	start(t, NULL, 0);
	put(t->path, "a\n");
	expect(t, "a|");
	assert_int_equal(unlink(t->path), 0);
	expect(t, "");
	assert_non_null(strstr(t->s->error, "vanished"));
	assert_int_equal(t->s->n.errors, 1);
	put(t->path, "b\nc\n");
	expect(t, "b|c|");
	assert_string_equal(t->s->error, "");
	assert_int_equal(t->s->n.reopened, 1);
	put(t->path, "d\n");
	expect(t, "d|");
}

static void test_missing_at_start(void **state)
{
	struct t *t = *state;

	start(t, NULL, 0);
	assert_non_null(strstr(t->s->error, "does not exist"));
	assert_int_equal(t->s->n.errors, 1);
	expect(t, "");
	/* created after vigil started: read from its start */
	put(t->path, "born\n");
	expect(t, "born|");
	assert_int_equal(t->s->n.reopened, 1);

	/* a directory that does not exist yet: tick() looks, with back-off */
	t->s = source_free(t->s);
	char sub[128], spec[200];
	struct source_opts o = { .max_line = 100 };
	const char *why;
	snprintf(sub, sizeof(sub), "%s/later", t->dir);
	snprintf(spec, sizeof(spec), "file:%s/later/x.log", t->dir);
	assert_int_equal(source_new(spec, &o, &t->s, &why), 0);
	assert_int_equal(t->s->ops->open(t->s), 0);
	assert_int_equal(t->s->ops->tick(t->s, 1000000, collect, t), 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	char file[160];
	snprintf(file, sizeof(file), "%s/x.log", sub);
	put(file, "late\n");
	expect(t, ""); /* no watch could tell */
	/* the back-off: 1 s after the first look, not before */
	assert_int_equal(t->s->ops->tick(t->s, 1500000, collect, t), 0);
	expect(t, "");
	assert_int_equal(t->s->ops->tick(t->s, 2100000, collect, t), 0);
	expect(t, "late|");
	/* the directory is watched now: events, not ticks */
	put(file, "later\n");
	expect(t, "later|");
}

static void test_resume(void **state)
{
	struct t *t = *state;
	char pos[SOURCE_POS_MAX];

	put(t->path, "");
	start(t, NULL, 0);
	put(t->path, "first line long enough for a fingerprint of sixty-four bytes\n1\n2\npar");
	expect(t, "first line long enough for a fingerprint of sixty-four bytes|1|2|");
	save(t, pos);
	assert_int_equal(strncmp(pos, "dev=", 4), 0);
	assert_non_null(strstr(pos, " fp="));
	/* down while more is written: the restart hands exactly the rest */
	put(t->path, "tial\n3\n");
	restart(t, pos);
	expect(t, "partial|3|");
	assert_int_equal(t->s->n.truncations + t->s->n.rotations, 0);

	/* rotated while down: the old file's rest (PATH.1), then the new file */
	save(t, pos);
	put(t->path, "4\n");
	t->s = source_free(t->s);
	assert_int_equal(rename(t->path, t->old), 0);
	put(t->path, "5\n");
	start(t, pos, 0);
	expect(t, "4|5|");
	assert_int_equal(t->s->n.rotations, 1);

	/* a save after a close (the loop closes a failed source) keeps it */
	put(t->path, "6\n");
	expect(t, "6|");
	save(t, pos);
	t->s->ops->close(t->s);
	char again[SOURCE_POS_MAX];
	save(t, again);
	assert_string_equal(pos, again);
	put(t->path, "7\n");
	assert_int_equal(t->s->ops->open(t->s), 0);
	expect(t, "7|");
}

static void test_fingerprint_mismatch(void **state)
{
	struct t *t = *state;
	char pos[SOURCE_POS_MAX], tmp[160];

	put(t->path, "");
	start(t, NULL, 0);
	put(t->path, "alpha\nbeta\n");
	expect(t, "alpha|beta|");
	save(t, pos);
	t->s = source_free(t->s);

	/* same inode, rewritten with other bytes past the old offset */
	int fd = open(t->path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "gamma\ndelta\nepsilon\n", 20), 20);
	close(fd);
	start(t, pos, 0);
	expect(t, "gamma|delta|epsilon|");
	assert_int_equal(t->s->n.truncations, 1);
	assert_non_null(strstr(t->s->error, "while vigil was down"));
	save(t, pos);
	t->s = source_free(t->s);

	/* replaced by another file (another inode), no PATH.1: from its start */
	snprintf(tmp, sizeof(tmp), "%s/new", t->dir);
	put(tmp, "zeta\neta\ntheta\niota\n");
	assert_int_equal(rename(tmp, t->path), 0);
	start(t, pos, 0);
	expect(t, "zeta|eta|theta|iota|");
	assert_int_equal(t->s->n.rotations, 1);

	/* a PATH.1 that is not the old file is not read */
	save(t, pos);
	t->s = source_free(t->s);
	put(t->old, "not the old file\n");
	snprintf(tmp, sizeof(tmp), "%s/new", t->dir);
	put(tmp, "kappa\n");
	assert_int_equal(rename(tmp, t->path), 0);
	start(t, pos, 0);
	expect(t, "kappa|");
}

/* A writer in another process appends numbered lines and rotates by
 * rename+create, writing a few more lines to the old file after the new one
 * exists (rsyslog until its HUP): every line arrives once, in order. */
struct seq {
	int next, bad;
};

static void collect_seq(const struct source_record *r, void *data)
{
	struct seq *q = data;
	char want[32];

	snprintf(want, sizeof(want), "line %06d", q->next);
	if (r->text.len != strlen(want) || memcmp(r->text.p, want, r->text.len))
		q->bad++;
	q->next++;
}

static void write_line(int fd, int i)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "line %06d\n", i);

	if (write(fd, buf, (size_t)n) != n)
		_exit(1);
}

static void writer(const char *path, const char *old, int lines)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

	for (int i = 0; i < lines && fd >= 0; i++) {
		write_line(fd, i);
		if (i % 3000 == 2999 && i + 4 < lines) {
			if (rename(path, old) < 0)
				_exit(1);
			int nfd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
			for (int k = 0; k < 3; k++)
				write_line(fd, ++i);
			close(fd);
			fd = nfd;
			usleep(100000); /* daily rotation, compressed: not twice in a row */
		}
		if (i % 200 == 0)
			usleep(2000);
	}
	_exit(fd >= 0 ? 0 : 1);
}

static void test_rotation_under_writer(void **state)
{
	struct t *t = *state;
	struct seq q = { 0 };
	const int lines = 15000;
	int status;

	put(t->path, "");
	start(t, NULL, 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		writer(t->path, t->old, lines);
	pid_t done = 0;
	for (int i = 0; i < 6000 && (done = waitpid(pid, &status, WNOHANG)) == 0; i++)
		pump_cb(t, collect_seq, &q, 5);
	if (done == 0) /* bounded: 6000 quiet polls of 5 ms */
		assert_int_equal(waitpid(pid, &status, 0), pid);
	pump_cb(t, collect_seq, &q, 200);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(q.bad, 0);
	assert_int_equal(q.next, lines);
	assert_int_equal(t->s->n.rotations, 4);
}

static void test_foreign_positions(void **state)
{
	struct t *t = *state;
	struct source_opts o = { .max_line = 100 };
	const char *bad[] = { "", "dev=1 ino=2 off=3", "dev=1 ino=2 off=3 fp=xyz",
			      "boot=00000000-0000-0000-0000-000000000000 seq=1",
			      "dev=1 ino=2 off=3 fp=00112233445566778", "dev=a ino=2 off=3 fp=0",
			      "dev=1 ino=2 off=3 fp=0 extra=1" };

	assert_int_equal(source_file_new(t->path, &o, &t->s), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(t->s->ops->restore(t->s, bad[i], strlen(bad[i])), -EINVAL);
	assert_int_equal(t->s->ops->restore(t->s, "dev=1 ino=2 off=3 fp=0", 22), 0);
	/* not opened yet, nothing read: the restored position is what it saves */
	char pos[SOURCE_POS_MAX];
	save(t, pos);
	assert_string_equal(pos, "dev=1 ino=2 off=3 fp=0000000000000000");
	t->s = source_free(t->s);

	/* a directory is reported, not read */
	assert_int_equal(source_file_new(t->dir, &o, &t->s), 0);
	assert_int_equal(t->s->ops->open(t->s), 0);
	assert_non_null(strstr(t->s->error, "is a directory"));
	assert_int_equal(t->s->ops->read(t->s, 10, collect, t), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_append_and_partial, setup, teardown),
		cmocka_unit_test_setup_teardown(test_budget_and_overlong, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rename_create_rotation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copytruncate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_and_recreate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_at_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fingerprint_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotation_under_writer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_positions, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
