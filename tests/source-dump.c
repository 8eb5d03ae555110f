/* SPDX-License-Identifier: GPL-2.0-or-later */
/* source-dump.c - open one live source and print what it hands over, one
 * line per record, for the integration tests (tests/nflog.sh,
 * tests/journal.sh) and the NFLOG rate benchmark.
 *
 *   source-dump [-n COUNT] [-t SECONDS] [-r POSITION] [-b RCVBUF] [-d DELAY] [-q] SPEC
 *
 * SPEC: "journal", "journal:DIR", "nflog:GROUP". Prints "ready" (stderr) once
 * the source is open, then records until COUNT were read or SECONDS passed
 * without one, then "counters ..." and "position ..." lines (stdout). -q
 * prints no records (rate measurement: "rate records=N seconds=S"). -d
 * waits DELAY seconds after "ready" before reading (a burst overflows the
 * receive buffer: the loss counting test).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "event/event.h"
#include "source/source.h"
#include "util/addr.h"

static bool quiet;
static uint64_t seen;
static struct timespec first_ts, last_ts;

static void print_span(const char *key, struct span s)
{
	printf(" %s=", key);
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c < 0x21 || c > 0x7e || c == '\\')
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

static void print_event(const struct event *ev)
{
	char a[ADDR_STR_MAX], b[ADDR_STR_MAX], fl[40];

	addr_format(&ev->src, a);
	addr_format(&ev->dst, b);
	printf("event src=%s dst=%s proto=%u len=%u ttl=%u", a, b, ev->proto, ev->ip_len, ev->ttl);
	print_span("prefix", ev->prefix);
	print_span("in", ev->in);
	print_span("out", ev->out);
	print_span("mac", ev->mac);
	printf(" chain=%s", event_chain_name(ev->chain));
	if (ev->has_ports)
		printf(" spt=%u dpt=%u", ev->sport, ev->dport);
	if (ev->proto == IPPROTO_NUM_TCP && ev->has_ports) {
		event_flags_format(ev->tcp_flags, fl);
		for (char *p = fl; *p; p++)
			if (*p == ' ')
				*p = ',';
		printf(" flags=%s seq=%u win=%u", fl, ev->seq, ev->window);
		if (ev->tcp_opts.has_mss)
			printf(" mss=%u", ev->tcp_opts.mss);
	}
	if (ev->proto == IPPROTO_NUM_UDP && ev->has_ports)
		printf(" ulen=%u", ev->udp_len);
	if (ev->has_icmp)
		printf(" type=%u code=%u", ev->icmp_type, ev->icmp_code);
	if (ev->has_icmp_echo)
		printf(" id=%u seq=%u", ev->icmp_id, ev->icmp_seq);
	if (ev->incomplete)
		printf(" incomplete=%u", ev->incomplete_bytes);
	if (ev->ip_flags)
		printf(" ipflags=%u frag=%u", ev->ip_flags, ev->frag_off);
	if (ev->v6_ext_hdrs)
		printf(" ext=%u", ev->v6_ext_hdrs);
	if (ev->has_mark)
		printf(" mark=0x%x", ev->mark);
	if (ev->has_uid)
		printf(" uid=%u gid=%u", ev->uid, ev->gid);
}

static void on_record(const struct source_record *r, void *data)
{
	clock_gettime(CLOCK_MONOTONIC, &last_ts);
	if (!seen++)
		first_ts = last_ts;
	if (quiet)
		return;
	switch (r->kind) {
	case SOURCE_MESSAGE:
		printf("message kernel=%d facility=%d trusted=%d when=%lld overlong=%d", r->kernel,
		       r->facility, r->time_trusted, (long long)r->when_us, r->overlong);
		print_span("text", r->text);
		break;
	case SOURCE_EVENT:
		print_event(r->ev);
		printf(" when=%lld trusted=%d", (long long)r->when_us, r->time_trusted);
		break;
	case SOURCE_LINE:
		print_span("line", r->text);
		break;
	}
	putchar('\n');
}

static int make_source(const char *spec, const struct source_opts *o, struct source **ret)
{
	if (strcmp(spec, "journal") == 0)
		return source_journal_new(NULL, o, ret);
	if (strncmp(spec, "journal:", 8) == 0)
		return source_journal_new(spec + 8, o, ret);
	if (strncmp(spec, "nflog:", 6) == 0)
		return source_nflog_new(spec + 6, o, ret);
	return -EINVAL;
}

int main(int argc, char **argv)
{
	struct source_opts o = { .max_line = 8192 };
	struct source *s = NULL;
	unsigned long long count = 0;
	double idle = 2, delay = 0;
	const char *pos = NULL;
	char buf[SOURCE_POS_MAX];
	int c, r;

	while ((c = getopt(argc, argv, "n:t:r:b:d:q")) != -1) {
		switch (c) {
		case 'n': count = strtoull(optarg, NULL, 10); break;
		case 't': idle = strtod(optarg, NULL); break;
		case 'r': pos = optarg; break;
		case 'b': o.rcvbuf = strtoull(optarg, NULL, 10); break;
		case 'q': quiet = true; break;
		case 'd': delay = strtod(optarg, NULL); break;
		default: return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: source-dump [-n N] [-t S] [-r POS] [-b RCVBUF] [-d DELAY] [-q] SPEC\n");
		return 2;
	}
	if ((r = make_source(argv[optind], &o, &s)) < 0) {
		fprintf(stderr, "source-dump: %s: %s\n", argv[optind], strerror(-r));
		return 1;
	}
	if (pos && (r = s->ops->restore(s, pos, strlen(pos))) < 0) {
		fprintf(stderr, "source-dump: restore: %s\n", strerror(-r));
		return 1;
	}
	if ((r = s->ops->open(s)) < 0) {
		fprintf(stderr, "source-dump: open: %s (%s)\n", strerror(-r), s->error);
		return 1;
	}
	fprintf(stderr, "ready\n");
	if (delay > 0) {
		struct timespec ts = { (time_t)delay, (long)((delay - (time_t)delay) * 1e9) };
		nanosleep(&ts, NULL);
	}
	int rc = 0;
	while (!count || seen < count) {
		struct pollfd p = { .fd = s->ops->fd(s), .events = POLLIN };
		r = poll(&p, 1, (int)(idle * 1000));
		if (r == 0)
			break;
		if (r < 0 && errno != EINTR) {
			rc = 1;
			break;
		}
		r = s->ops->read(s, 256, on_record, NULL);
		if (r < 0) {
			fprintf(stderr, "source-dump: read: %s (%s)\n", strerror(-r), s->error);
			s->ops->close(s);
			if (s->ops->open(s) < 0) {
				rc = 1;
				break;
			}
		}
		fflush(stdout);
	}
	const struct source_counters *n = &s->n;
	printf("counters records=%llu bytes=%llu lost=%llu lost_events=%llu overlong=%llu "
	       "errors=%llu reopened=%llu rejected=%llu\n",
	       (unsigned long long)n->records, (unsigned long long)n->bytes,
	       (unsigned long long)n->lost, (unsigned long long)n->lost_events,
	       (unsigned long long)n->overlong, (unsigned long long)n->errors,
	       (unsigned long long)n->reopened, (unsigned long long)n->rejected);
	if (s->error[0])
		printf("error %s\n", s->error);
	size_t l = s->ops->save(s, buf, sizeof(buf));
	printf("position %.*s\n", (int)l, buf);
	if (seen > 1) {
		double secs = (double)(last_ts.tv_sec - first_ts.tv_sec) +
			      (double)(last_ts.tv_nsec - first_ts.tv_nsec) / 1e9;
		printf("rate records=%llu seconds=%.6f\n", (unsigned long long)seen, secs);
	}
	s->ops->free(s);
	return rc;
}
