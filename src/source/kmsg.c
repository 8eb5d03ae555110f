/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kmsg.c - /dev/kmsg as a live source (see kmsg.h and source.h).
 *
 * Read without blocking, one record per read(). Where it starts:
 *  - no saved position: after the newest record present at open() (the
 *    backlog is read and discarded there, once, to learn its last sequence
 *    number, so even a quiet start can save an exact position);
 *  - saved "boot=<id> seq=<n>" of this boot: from the oldest record, those
 *    with seq <= n skipped; a first sequence past n + 1 means records were
 *    overwritten while vigil was down: counted as lost;
 *  - a position of another boot: from the oldest record; records of this
 *    boot already overwritten (first seq > 0) are counted as lost.
 * EPIPE (the record we were at was overwritten) and every later gap in the
 * sequence numbers are counted as lost, by the gap's size.
 */
#include "source/kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "source/source.h"

/* A record is at most CONSOLE_EXT_LOG_MAX (8192) bytes; a smaller buffer
 * makes read() fail with EINVAL on a long record, forever. */
#define KMSG_BUF (16u << 10)

struct kmsg {
	struct source s;
	char path[PATH_MAX];
	int fd;
	char boot_id[KMSG_BOOT_ID_LEN + 1]; /* this boot's; "" if unknown */
	bool have_last;
	uint64_t last_seq;  /* the last record read (handed or skipped) */
	bool restored;      /* a position of this boot was given */
	bool restored_other_boot;
	uint64_t skip_upto; /* restored: records with seq <= this are skipped */
	bool skipped_any;   /* ... and the newest of those skipped so far */
	uint64_t skipped_seq;
	bool after_epipe;   /* EPIPE seen: the next gap says how much */
	int64_t boot_us;    /* wall time of the printk clock's zero */
	char buf[KMSG_BUF];
};

static const struct source_ops kmsg_ops;

int kmsg_record_parse(const char *p, size_t len, struct kmsg_record *ret)
{
	struct span rec = span_make(p, len), f;
	const char *semi = span_chr(rec, ';');
	uint64_t v[3];

	if (!semi)
		return -EINVAL;
	struct span head = span_make(p, (size_t)(semi - p));
	for (int i = 0; i < 3; i++) {
		const char *comma = span_chr(head, ',');
		if (!comma)
			return -EINVAL;
		f = span_make(head.p, (size_t)(comma - head.p));
		if (span_to_u64(f, UINT64_MAX, &v[i]) < 0)
			return -EINVAL;
		span_skip(&head, f.len + 1);
	}
	if (v[0] > UINT32_MAX)
		return -EINVAL;
	struct span msg = span_make(semi + 1, len - (size_t)(semi + 1 - p));
	const char *nl = span_chr(msg, '\n');
	if (nl)
		msg.len = (size_t)(nl - msg.p);
	*ret = (struct kmsg_record){ .pri = (uint32_t)v[0], .seq = v[1], .usec = v[2], .msg = msg };
	return 0;
}

static void read_boot_id(char *buf)
{
	int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	ssize_t n = -1;

	buf[0] = '\0';
	if (fd < 0)
		return;
	n = read(fd, buf, KMSG_BOOT_ID_LEN);
	close(fd);
	buf[n == KMSG_BOOT_ID_LEN ? KMSG_BOOT_ID_LEN : 0] = '\0';
}

int source_kmsg_new(const char *arg, const struct source_opts *o, struct source **ret)
{
	struct kmsg *k;

	if (arg && strlen(arg) >= sizeof(k->path))
		return -EINVAL;
	k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->s.ops = &kmsg_ops;
	k->s.opts = *o;
	k->fd = -1;
	/* a device path other than /dev/kmsg is for tests (a FIFO) */
	snprintf(k->path, sizeof(k->path), "%s", arg && *arg ? arg : "/dev/kmsg");
	snprintf(k->s.spec, sizeof(k->s.spec), "kmsg");
	read_boot_id(k->boot_id);
	*ret = &k->s;
	return 0;
}

static struct kmsg *to_kmsg(struct source *s)
{
	return (struct kmsg *)s;
}

/* Read and drop what the ring buffer holds now, remembering the last
 * sequence number: the start "at the newest record". Bounded by the ring
 * buffer's size (records arriving meanwhile are the newest too). */
static int kmsg_skip_backlog(struct kmsg *k)
{
	for (;;) {
		ssize_t n = read(k->fd, k->buf, sizeof(k->buf));
		struct kmsg_record rec;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EPIPE)
			continue; /* overwritten while we skip it: nothing lost to us */
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		if (kmsg_record_parse(k->buf, (size_t)n, &rec) == 0) {
			k->have_last = true;
			k->last_seq = rec.seq;
		}
	}
}

static int kmsg_open(struct source *s)
{
	struct kmsg *k = to_kmsg(s);
	int r;

	if (k->fd >= 0)
		return 0;
	k->fd = open(k->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (k->fd < 0) {
		r = -errno;
		snprintf(s->error, sizeof(s->error), "cannot open %.100s: %s", k->path, strerror(-r));
		return r;
	}
	k->after_epipe = false;
	/* SEEK_SET: the oldest record still in the ring buffer; a FIFO (tests)
	 * cannot seek and starts where it is */
	if (lseek(k->fd, 0, SEEK_SET) < 0 && errno != ESPIPE) {
		r = -errno;
		goto out_close;
	}
	if (k->have_last || k->restored || k->restored_other_boot) {
		/* a reopen after a failure, or a restore: skip what was read */
		if (k->have_last && !k->restored) {
			k->restored = true;
			k->skipped_any = false;
			k->skip_upto = k->last_seq;
		}
		return 0;
	}
	if ((r = kmsg_skip_backlog(k)) < 0)
		goto out_close;
	return 0;
out_close:
	snprintf(s->error, sizeof(s->error), "cannot read %.100s: %s", k->path, strerror(-r));
	close(k->fd);
	k->fd = -1;
	return r;
}

static int kmsg_fd(const struct source *s)
{
	return ((const struct kmsg *)s)->fd;
}

static void kmsg_close(struct source *s)
{
	struct kmsg *k = to_kmsg(s);

	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}

static void kmsg_free(struct source *s)
{
	kmsg_close(s);
	free(s);
}

/* Engine time of a record: the printk clock runs with CLOCK_MONOTONIC
 * (both stop in suspend; CLOCK_BOOTTIME does not), so boot wall time =
 * REALTIME - MONOTONIC. It is taken again at each read and kept unless it
 * moved by more than a millisecond (an NTP step, a suspend), so records
 * keep their exact spacing; a record's time is never later than now. */
static int64_t wall_now_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Sequence bookkeeping of one record: false when it is to be skipped. */
static bool kmsg_account(struct kmsg *k, uint64_t seq)
{
	uint64_t expect;
	bool have_expect = true;

	if (k->restored) {
		if (seq <= k->skip_upto) {
			k->skipped_any = true;
			k->skipped_seq = seq;
			return false;
		}
		expect = k->skip_upto + 1;
		k->restored = false;
	} else if (k->restored_other_boot) {
		expect = 0;
		k->restored_other_boot = false;
	} else if (k->have_last) {
		expect = k->last_seq + 1;
	} else {
		have_expect = false;
		expect = seq;
	}
	if (have_expect && seq > expect) {
		k->s.n.lost += seq - expect;
		k->s.n.lost_events++;
	}
	k->after_epipe = false;
	k->have_last = true;
	k->last_seq = seq;
	return true;
}

/* Drained while skipping up to a saved sequence number the kernel has not
 * reached: the position is not this log's (a bad state file). Go on after
 * the newest record instead of waiting for the number to come round. */
static void kmsg_check_ahead(struct kmsg *k)
{
	if (!k->restored || !k->skipped_any || k->skipped_seq >= k->skip_upto)
		return;
	k->restored = false;
	k->last_seq = k->skipped_seq;
	k->s.n.errors++;
	snprintf(k->s.error, sizeof(k->s.error),
		 "saved position seq=%llu is ahead of the kernel log; resumed after seq=%llu",
		 (unsigned long long)k->skip_upto, (unsigned long long)k->skipped_seq);
}

static void kmsg_hand(struct kmsg *k, const struct kmsg_record *rec, int64_t boot_us,
		      int64_t now_us, source_record_fn *cb, void *data)
{
	struct source_record r = {
		.kind = SOURCE_MESSAGE,
		.text = rec->msg,
		.facility = (int)(rec->pri >> 3),
		.kernel = (rec->pri >> 3) == 0,
		.time_trusted = true,
	};
	size_t max = k->s.opts.max_line ? k->s.opts.max_line : 8192;

	if (r.text.len > max) {
		r.text.len = max;
		r.overlong = true;
		k->s.n.overlong++;
	}
	r.when_us = boot_us + (int64_t)(rec->usec > INT64_MAX / 2 ? 0 : rec->usec);
	if (r.when_us > now_us || rec->usec > INT64_MAX / 2)
		r.when_us = now_us;
	k->s.n.records++;
	cb(&r, data);
}

static int kmsg_read(struct source *s, size_t budget, source_record_fn *cb, void *data)
{
	struct kmsg *k = to_kmsg(s);
	int64_t now = wall_now_us(CLOCK_REALTIME);
	int64_t boot = now - wall_now_us(CLOCK_MONOTONIC);
	size_t handed = 0;

	if (k->boot_us && boot - k->boot_us < 1000 && k->boot_us - boot < 1000)
		boot = k->boot_us;
	k->boot_us = boot;

	if (k->fd < 0)
		return 0;
	while (handed < budget) {
		ssize_t n = read(k->fd, k->buf, sizeof(k->buf));
		struct kmsg_record rec;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) {
				/* overwritten before we read it; the next record's
				 * sequence number tells how many */
				k->after_epipe = true;
				continue;
			}
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				kmsg_check_ahead(k);
				break;
			}
			int r = -errno;
			snprintf(s->error, sizeof(s->error), "read %.100s: %s", k->path, strerror(-r));
			s->n.errors++;
			return r;
		}
		if (n == 0)
			break; /* a FIFO without writer (tests) */
		s->n.bytes += (uint64_t)n;
		if (kmsg_record_parse(k->buf, (size_t)n, &rec) < 0) {
			s->n.errors++; /* not the kernel's format: nothing to hand */
			continue;
		}
		if (!kmsg_account(k, rec.seq))
			continue;
		kmsg_hand(k, &rec, boot, now, cb, data);
		handed++;
	}
	return (int)handed;
}

static int kmsg_tick(struct source *s, int64_t now_mono_us, source_record_fn *cb, void *data)
{
	return 0;
}

static size_t kmsg_save(const struct source *s, char *buf, size_t len)
{
	const struct kmsg *k = (const struct kmsg *)s;
	int n;

	if (!k->have_last || !k->boot_id[0])
		return 0;
	/* still skipping after a restore, last_seq is the restored one */
	n = snprintf(buf, len, "boot=%s seq=%llu", k->boot_id, (unsigned long long)k->last_seq);
	return n > 0 && (size_t)n < len ? (size_t)n : 0;
}

static int kmsg_restore(struct source *s, const char *pos, size_t len)
{
	struct kmsg *k = to_kmsg(s);
	struct span rest = span_make(pos, len), tok, boot = { 0 };
	uint64_t seq = 0;
	bool have_seq = false;

	while (span_next_token(&rest, ' ', &tok)) {
		if (span_take_prefix(&tok, "boot=", 5)) {
			if (tok.len != KMSG_BOOT_ID_LEN)
				return -EINVAL;
			boot = tok;
		} else if (span_take_prefix(&tok, "seq=", 4)) {
			if (span_to_u64(tok, UINT64_MAX, &seq) < 0)
				return -EINVAL;
			have_seq = true;
		} else {
			return -EINVAL;
		}
	}
	if (!boot.len || !have_seq)
		return -EINVAL;
	k->have_last = false;
	k->restored = k->restored_other_boot = false;
	k->skipped_any = false;
	if (k->boot_id[0] && span_eq(boot, k->boot_id, KMSG_BOOT_ID_LEN)) {
		k->restored = true;
		k->skip_upto = seq;
		k->have_last = true; /* saving before the next record keeps it */
		k->last_seq = seq;
	} else {
		k->restored_other_boot = true;
	}
	return 0;
}

static const struct source_ops kmsg_ops = {
	.kind = "kmsg",
	.open = kmsg_open,
	.fd = kmsg_fd,
	.read = kmsg_read,
	.tick = kmsg_tick,
	.save = kmsg_save,
	.restore = kmsg_restore,
	.close = kmsg_close,
	.free = kmsg_free,
};
