/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kmsg-test.c - the kmsg source: the record format; sequence gaps, user
 * records, continuation lines, overlong messages and resume through a FIFO
 * that plays /dev/kmsg; and the real /dev/kmsg (root): a marked record
 * written with facility user arrives with kernel=false, resume after a saved
 * position neither re-reads nor skips, and a position of another boot
 * starts from the oldest record. */
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
#include <time.h>
#include <unistd.h>

#include "source/kmsg.h"
#include "source/source.h"

/* --- what the callback saw ------------------------------------------------ */

#define MAX_SEEN 4096

struct seen {
	size_t n;
	char text[MAX_SEEN][128];
	int facility[MAX_SEEN];
	bool kernel[MAX_SEEN], overlong[MAX_SEEN], trusted[MAX_SEEN];
	int64_t when[MAX_SEEN];
};

static void collect(const struct source_record *r, void *data)
{
	struct seen *s = data;

	assert_int_equal(r->kind, SOURCE_MESSAGE);
	if (s->n >= MAX_SEEN)
		return;
	size_t len = r->text.len < 127 ? r->text.len : 127;
	memcpy(s->text[s->n], r->text.p, len);
	s->text[s->n][len] = '\0';
	s->facility[s->n] = r->facility;
	s->kernel[s->n] = r->kernel;
	s->overlong[s->n] = r->overlong;
	s->trusted[s->n] = r->time_trusted;
	s->when[s->n] = r->when_us;
	s->n++;
}

static long find(const struct seen *s, const char *text)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->text[i], text) == 0)
			return (long)i;
	return -1;
}

static int64_t clock_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* --- the record format ---------------------------------------------------- */

static void test_parse(void **state)
{
	struct kmsg_record r;
	const char *a = "6,1234,5678901,-;IN=eth0 OUT= SRC=198.18.0.1\n SUBSYSTEM=net\n DEVICE=+net:eth0\n";

	assert_int_equal(kmsg_record_parse(a, strlen(a), &r), 0);
	assert_int_equal(r.pri, 6);
	assert_int_equal(r.seq, 1234);
	assert_int_equal(r.usec, 5678901);
	assert_int_equal(r.msg.len, strlen("IN=eth0 OUT= SRC=198.18.0.1"));
	assert_memory_equal(r.msg.p, "IN=eth0 OUT= SRC=198.18.0.1", r.msg.len);

	const char *b = "12,7,8,c,caller=T12;esc \\x1b[31m;semi";
	assert_int_equal(kmsg_record_parse(b, strlen(b), &r), 0);
	assert_int_equal(r.pri, 12);
	assert_int_equal(r.msg.len, strlen("esc \\x1b[31m;semi"));

	const char *bad[] = { "", "6,1,2,-", "6,1;x", "a,1,2,-;x", "6,,2,-;x", "6,1,2x,-;x",
			      "99999999999,1,2,-;x", ";x", "6,1,99999999999999999999999,-;x" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(kmsg_record_parse(bad[i], strlen(bad[i]), &r), -EINVAL);
}

/* --- a FIFO playing /dev/kmsg -------------------------------------------- */

struct fifo {
	char dir[64], path[96];
	int wfd;
};

static void fifo_open(struct fifo *f)
{
	strcpy(f->dir, "/tmp/vigil-kmsg-test.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/kmsg", f->dir);
	assert_int_equal(mkfifo(f->path, 0600), 0);
	f->wfd = -1;
}

static void fifo_writer(struct fifo *f)
{
	f->wfd = open(f->path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	assert_true(f->wfd >= 0);
}

static void fifo_close(struct fifo *f)
{
	if (f->wfd >= 0)
		close(f->wfd);
	unlink(f->path);
	rmdir(f->dir);
}

/* One record, then one read(): the FIFO hands it out alone, as kmsg does. */
static int put(struct fifo *f, struct source *s, struct seen *seen, const char *rec)
{
	assert_int_equal(write(f->wfd, rec, strlen(rec)), (ssize_t)strlen(rec));
	return s->ops->read(s, 64, collect, seen);
}

static void test_fifo_gaps_and_fields(void **state)
{
	struct source_opts o = { .max_line = 16 };
	struct source *s;
	struct fifo f;
	struct seen *seen = calloc(1, sizeof(*seen));

	assert_non_null(seen);
	fifo_open(&f);
	assert_int_equal(source_kmsg_new(f.path, &o, &s), 0);
	assert_int_equal(s->ops->open(s), 0);
	assert_true(s->ops->fd(s) >= 0);
	fifo_writer(&f);
	assert_int_equal(s->ops->read(s, 64, collect, seen), 0);

	int64_t boot = clock_us(CLOCK_REALTIME) - clock_us(CLOCK_MONOTONIC);
	assert_int_equal(put(&f, s, seen, "6,10,1000,-;first\n"), 1);
	assert_int_equal(put(&f, s, seen, "4,11,2000,-;second\n SUBSYSTEM=x\n"), 1);
	assert_int_equal(s->n.lost, 0);
	assert_int_equal(put(&f, s, seen, "6,15,3000,-;after gap\n"), 1);
	assert_int_equal(s->n.lost, 3);
	assert_int_equal(s->n.lost_events, 1);
	assert_int_equal(put(&f, s, seen, "14,16,4000,-;from user\n"), 1);
	assert_int_equal(put(&f, s, seen, "not a record\n"), 0);
	assert_int_equal(s->n.errors, 1);
	assert_int_equal(put(&f, s, seen, "6,17,5000,-;0123456789abcdefXYZ\n"), 1);

	assert_int_equal(seen->n, 5);
	assert_string_equal(seen->text[0], "first");
	assert_string_equal(seen->text[1], "second");
	assert_string_equal(seen->text[3], "from user");
	assert_string_equal(seen->text[4], "0123456789abcdef");
	assert_true(seen->overlong[4]);
	assert_false(seen->overlong[0]);
	assert_int_equal(s->n.overlong, 1);
	assert_true(seen->kernel[0] && seen->kernel[2]);
	assert_int_equal(seen->facility[0], 0);
	assert_false(seen->kernel[3]);
	assert_int_equal(seen->facility[3], 1);
	assert_true(seen->trusted[0]);
	/* boot wall time + the record's microseconds */
	int64_t d = seen->when[0] - (boot + 1000);
	assert_true(d > -1000000 && d < 1000000);
	assert_int_equal(seen->when[1] - seen->when[0], 1000);
	assert_int_equal(s->n.records, 5);

	char pos[SOURCE_POS_MAX];
	size_t plen = s->ops->save(s, pos, sizeof(pos));
	assert_true(plen > 0);
	assert_non_null(strstr(pos, " seq=17"));
	assert_int_equal(strncmp(pos, "boot=", 5), 0);
	source_free(s);

	/* resume after seq 17: 17 again is skipped, 20 shows 2 lost (the real
	 * kmsg hands every old record at once from the oldest; a FIFO one by
	 * one, and a drain before 17 would mean a position ahead of the log) */
	memset(seen, 0, sizeof(*seen));
	assert_int_equal(source_kmsg_new(f.path, &o, &s), 0);
	assert_int_equal(s->ops->restore(s, pos, plen), 0);
	assert_int_equal(s->ops->open(s), 0);
	assert_int_equal(put(&f, s, seen, "6,17,5000,-;old\n"), 0);
	char again[SOURCE_POS_MAX];
	assert_int_equal(s->ops->save(s, again, sizeof(again)), plen);
	assert_string_equal(again, pos);
	assert_int_equal(put(&f, s, seen, "6,20,6000,-;new\n"), 1);
	assert_int_equal(s->n.lost, 2);
	assert_int_equal(seen->n, 1);
	assert_string_equal(seen->text[0], "new");
	source_free(s);

	/* a position ahead of the log (a bad state file) does not mute it */
	char ahead[SOURCE_POS_MAX];
	snprintf(ahead, sizeof(ahead), "%.*s seq=1000", (int)(strchr(pos, ' ') - pos), pos);
	memset(seen, 0, sizeof(*seen));
	assert_int_equal(source_kmsg_new(f.path, &o, &s), 0);
	assert_int_equal(s->ops->restore(s, ahead, strlen(ahead)), 0);
	assert_int_equal(s->ops->open(s), 0);
	assert_int_equal(put(&f, s, seen, "6,21,6000,-;old\n"), 0);
	assert_int_equal(s->n.errors, 1);
	assert_non_null(strstr(s->error, "ahead"));
	assert_int_equal(put(&f, s, seen, "6,22,6000,-;next\n"), 1);
	assert_int_equal(s->n.lost, 0);
	source_free(s);

	/* a foreign position is refused; another boot's reads everything */
	assert_int_equal(source_kmsg_new(f.path, &o, &s), 0);
	assert_int_equal(s->ops->restore(s, "seq=1", 5), -EINVAL);
	assert_int_equal(s->ops->restore(s, "boot=abc seq=1", 14), -EINVAL);
	assert_int_equal(s->ops->restore(s, "dev=1 ino=2 off=3 fp=00", 23), -EINVAL);
	const char *other = "boot=00000000-0000-0000-0000-000000000000 seq=99";
	assert_int_equal(s->ops->restore(s, other, strlen(other)), 0);
	assert_int_equal(s->ops->open(s), 0);
	memset(seen, 0, sizeof(*seen));
	assert_int_equal(put(&f, s, seen, "6,3,1,-;boot three\n"), 1);
	assert_int_equal(s->n.lost, 3); /* 0..2 of this boot were overwritten */
	source_free(s);
	fifo_close(&f);
	free(seen);
}

/* --- the real /dev/kmsg ---------------------------------------------------- */

static bool kmsg_usable(void)
{
	int fd = open("/dev/kmsg", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static void kmsg_write(const char *text)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* Read until `want` shows up (other writers share the kernel log). */
static void drain_until(struct source *s, struct seen *seen, const char *want)
{
	for (int i = 0; i < 50 && find(seen, want) < 0; i++) {
		struct pollfd p = { .fd = s->ops->fd(s), .events = POLLIN };
		if (poll(&p, 1, 100) > 0)
			while (s->ops->read(s, 256, collect, seen) > 0)
				;
	}
}

static void test_real_kmsg(void **state)
{
	struct source_opts o = { .max_line = 8192 };
	struct source *s;
	const char *why;
	char mark[4][96], rec[128];
	struct seen *seen = calloc(1, sizeof(*seen));

	if (!kmsg_usable()) {
		free(seen);
		skip();
	}
	assert_non_null(seen);
	for (int i = 0; i < 4; i++)
		snprintf(mark[i], sizeof(mark[i]), "vigil-h4 kmsg-test record %d pid %d", i,
			 (int)getpid());

	snprintf(rec, sizeof(rec), "<14>%s\n", mark[3]);
	kmsg_write(rec);
	assert_int_equal(source_new("kmsg", &o, &s, &why), 0);
	assert_string_equal(s->spec, "kmsg");
	assert_int_equal(s->ops->open(s), 0);
	/* it starts after the newest record: the old ones are not handed (the
	 * kernel may log something meanwhile: other tests run) */
	while (s->ops->read(s, 256, collect, seen) > 0)
		;
	assert_true(find(seen, mark[3]) < 0);
	char pos0[SOURCE_POS_MAX];
	assert_true(s->ops->save(s, pos0, sizeof(pos0)) > 0);

	snprintf(rec, sizeof(rec), "<14>%s\n", mark[0]); /* user.info */
	int64_t before = clock_us(CLOCK_REALTIME);
	kmsg_write(rec);
	drain_until(s, seen, mark[0]);
	long i = find(seen, mark[0]);
	assert_true(i >= 0);
	assert_false(seen->kernel[i]);
	assert_int_equal(seen->facility[i], 1);
	assert_true(seen->trusted[i]);
	assert_true(seen->when[i] > before - 2000000 && seen->when[i] < before + 2000000);

	/* even <0> (kern.emerg) from user space is forced to facility user */
	snprintf(rec, sizeof(rec), "<4>%s\n", mark[1]);
	kmsg_write(rec);
	drain_until(s, seen, mark[1]);
	i = find(seen, mark[1]);
	assert_true(i >= 0);
	assert_false(seen->kernel[i]);

	char pos[SOURCE_POS_MAX];
	size_t plen = s->ops->save(s, pos, sizeof(pos));
	assert_true(plen > 0);
	source_free(s);

	/* down: one record is written; the restart hands it, not the old ones */
	snprintf(rec, sizeof(rec), "<14>%s\n", mark[2]);
	kmsg_write(rec);
	memset(seen, 0, sizeof(*seen));
	assert_int_equal(source_kmsg_new(NULL, &o, &s), 0);
	assert_int_equal(s->ops->restore(s, pos, plen), 0);
	assert_int_equal(s->ops->open(s), 0);
	drain_until(s, seen, mark[2]);
	assert_true(find(seen, mark[2]) >= 0 || s->n.lost > 0);
	assert_true(find(seen, mark[0]) < 0);
	assert_true(find(seen, mark[1]) < 0);
	source_free(s);

	/* another boot's position: from the oldest record, the marks included */
	const char *other = "boot=00000000-0000-0000-0000-000000000000 seq=1";
	memset(seen, 0, sizeof(*seen));
	assert_int_equal(source_kmsg_new(NULL, &o, &s), 0);
	assert_int_equal(s->ops->restore(s, other, strlen(other)), 0);
	assert_int_equal(s->ops->open(s), 0);
	drain_until(s, seen, mark[2]);
	assert_true(seen->n > 0);
	/* parallel tests may flood the kernel log and overwrite the marks */
	if (find(seen, mark[0]) >= 0)
		assert_true(find(seen, mark[2]) > find(seen, mark[0]));
	source_free(s);

	/* the first position, taken before the marks: a resume from it hands all three */
	memset(seen, 0, sizeof(*seen));
	assert_int_equal(source_kmsg_new(NULL, &o, &s), 0);
	assert_int_equal(s->ops->restore(s, pos0, strlen(pos0)), 0);
	assert_int_equal(s->ops->open(s), 0);
	drain_until(s, seen, mark[2]);
	if (s->n.lost == 0)
		assert_true(find(seen, mark[0]) >= 0 && find(seen, mark[1]) > find(seen, mark[0]));
	else /* overwritten meanwhile: counted, not silently skipped */
		assert_true(s->n.lost_events > 0);
	source_free(s);
	free(seen);
}

static void test_registry(void **state)
{
	struct source_opts o = { .max_line = 100 };
	struct source *s = NULL;
	const char *why = NULL;

	assert_int_equal(source_new("bogus", &o, &s, &why), -EINVAL);
	assert_non_null(why);
	assert_int_equal(source_new("kmsg:x", &o, &s, &why), -EINVAL);
	assert_int_equal(source_new("file:", &o, &s, &why), -EINVAL);
	assert_int_equal(source_new("file", &o, &s, &why), -EINVAL);
	assert_int_equal(source_new("nflog", &o, &s, &why), -EINVAL);
	assert_int_equal(source_new("kmsgx", &o, &s, &why), -EINVAL);
	assert_null(s);
	assert_int_equal(source_new("kmsg", &o, &s, &why), 0);
	assert_string_equal(s->ops->kind, "kmsg");
	assert_int_equal(s->ops->fd(s), -1); /* not open yet */
	assert_null(source_free(s));
	assert_null(source_free(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_fifo_gaps_and_fields),
		cmocka_unit_test(test_real_kmsg),
		cmocka_unit_test(test_registry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
