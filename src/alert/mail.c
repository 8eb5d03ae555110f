/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mail.c - the mail worker thread (see mail.h).
 *
 * Locking: m->lock guards the queue, the results, the options and `busy`;
 * the caches belong to the worker thread alone. The worker blocks every
 * signal (the loop's signalfd stays the only reader) and gives its children
 * an empty mask and default dispositions. A write to a pipe whose reader
 * died raises SIGPIPE for this thread, where it is blocked: it is consumed
 * with sigtimedwait() and the write fails with EPIPE.
 */
#include "alert/mail.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alert/mailbody.h"
#include "alert/sanitize.h"

#define RESULTS_MAX 128

struct dns_entry {
	struct addr a;
	int64_t at_us;  /* 0: unused */
	bool found, valid;
	char name[SANITIZE_NAME_MAX];
};

struct whois_entry {
	struct addr a;
	int64_t at_us;
	char *text;     /* sanitised, malloc'd */
};

struct mailer {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	bool started, stop, busy;
	int efd;
	struct mailer_opts opts;
	mailer_dns_fn *dns_fn;
	struct mail_job *head, *tail;
	size_t queued;
	struct mail_result results[RESULTS_MAX];
	size_t n_results;
	/* worker-only */
	struct dns_entry dns[MAILER_DNS_CACHE];
	struct whois_entry whois[MAILER_WHOIS_CACHE];
};

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct mail_job *mail_job_free(struct mail_job *j)
{
	if (j) {
		free(j->pre);
		free(j->post);
		free(j);
	}
	return NULL;
}

/* --- children --- */

static char *const child_env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL };

/* Spawn argv with stdin from in_fd (or /dev/null) and stdout into out_fd (or
 * /dev/null); stderr to /dev/null. */
static int spawn(char *const argv[], int in_fd, int out_fd, pid_t *ret_pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, defs;
	int r;

	sigemptyset(&none);
	sigemptyset(&defs);
	sigaddset(&defs, SIGPIPE);
	sigaddset(&defs, SIGCHLD);
	sigaddset(&defs, SIGTERM);
	sigaddset(&defs, SIGINT);
	sigaddset(&defs, SIGHUP);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &defs);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	if (in_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (out_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	else
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	r = posix_spawn(ret_pid, argv[0], &fa, &at, argv, child_env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return -r;
}

/* Reap pid by the deadline (monotonic ms), else kill it. 0 when it exited 0. */
/* mailer_free() asks the worker to stop: every wait below gives up at once
 * (children are killed), so a stop takes at most one poll slice, or one
 * getnameinfo(), which cannot be interrupted. */
static bool stopping(struct mailer *m)
{
	return __atomic_load_n(&m->stop, __ATOMIC_RELAXED);
}

static int reap(struct mailer *m, pid_t pid, int64_t deadline_ms)
{
	int st = 0;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -EIO;
		if (r < 0 && errno == ECHILD)
			return 0; /* SIGCHLD ignored: the kernel reaped it, status unknown */
		if (r < 0 && errno != EINTR)
			return -errno;
		if (mono_ms() >= deadline_ms || stopping(m)) {
			(void)kill(pid, SIGKILL);
			(void)waitpid(pid, &st, 0); /* SIGKILL: returns at once */
			return -ETIMEDOUT;
		}
		(void)poll(NULL, 0, 10);
	}
}

static void eat_sigpipe(void)
{
	sigset_t s;
	struct timespec zero = { 0, 0 };

	sigemptyset(&s);
	sigaddset(&s, SIGPIPE);
	(void)sigtimedwait(&s, NULL, &zero);
}

/* Write all of p to the non-blocking fd by the deadline. */
static int write_all(struct mailer *m, int fd, const char *p, size_t n, int64_t deadline_ms)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EPIPE) {
			eat_sigpipe();
			return -EPIPE;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		int64_t left = deadline_ms - mono_ms();
		if (left <= 0 || stopping(m))
			return -ETIMEDOUT;
		struct pollfd pfd = { .fd = fd, .events = POLLOUT };
		(void)poll(&pfd, 1, (int)(left > 1000 ? 1000 : left));
	}
	return 0;
}

/* --- lookups (worker thread) --- */

static int dns_default(const struct addr *a, char *name, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len;

	memset(&ss, 0, sizeof(ss));
	if (a->family == ADDR_V4) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, a->b, 4);
		len = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, a->b, 16);
		len = sizeof(*s6);
	}
	return getnameinfo((struct sockaddr *)&ss, len, name, (socklen_t)size, NULL, 0,
			   NI_NAMEREQD) == 0
		       ? 0
		       : -ENOENT;
}

/* The cached or looked-up name of a, sanitised (found says whether there is one). */
static const struct dns_entry *dns_get(struct mailer *m, mailer_dns_fn *fn, const struct addr *a,
				       bool *ret_looked)
{
	struct dns_entry *victim = &m->dns[0];
	int64_t t = now_us();
	char raw[1025];

	for (size_t i = 0; i < MAILER_DNS_CACHE; i++) {
		struct dns_entry *d = &m->dns[i];
		if (d->at_us && addr_eq(&d->a, a) && t - d->at_us < MAILER_DNS_TTL_US)
			return d;
		if (d->at_us < victim->at_us)
			victim = d;
	}
	*ret_looked = true;
	memset(victim, 0, sizeof(*victim));
	victim->a = *a;
	victim->at_us = t;
	raw[0] = '\0';
	if (fn(a, raw, sizeof(raw)) == 0) {
		raw[sizeof(raw) - 1] = '\0';
		victim->found = true;
		victim->valid = sanitize_name(raw, strlen(raw), victim->name, sizeof(victim->name));
	}
	return victim;
}

static char *whois_run(struct mailer *m, const struct mailer_opts *o, const struct addr *a)
{
	char addr[ADDR_STR_MAX], *raw, *out;
	char *argv[3];
	int fds[2];
	size_t n = 0;
	pid_t pid;
	int64_t deadline = mono_ms() + (int64_t)o->whois_timeout_s * 1000;

	(void)addr_format(a, addr);
	argv[0] = (char *)o->whois_cmd;
	argv[1] = addr;
	argv[2] = NULL;
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
		return NULL;
	if (spawn(argv, -1, fds[1], &pid) < 0) {
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	close(fds[1]);
	raw = malloc(MAILER_WHOIS_MAX);
	while (raw && n < MAILER_WHOIS_MAX) {
		ssize_t r = read(fds[0], raw + n, MAILER_WHOIS_MAX - n);
		if (r > 0) {
			n += (size_t)r;
			continue;
		}
		if (r == 0 || (errno != EAGAIN && errno != EINTR))
			break;
		int64_t left = deadline - mono_ms();
		if (left <= 0 || stopping(m))
			break;
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		(void)poll(&pfd, 1, (int)(left > 1000 ? 1000 : left));
	}
	close(fds[0]);
	(void)reap(m, pid, mono_ms() < deadline ? deadline : mono_ms()); /* kills a laggard */
	if (!raw)
		return NULL;
	out = malloc(SANITIZE_TEXT_MAX);
	if (out)
		(void)sanitize_text(raw, n, "   ", out, SANITIZE_TEXT_MAX);
	free(raw);
	return out;
}

static const char *whois_get(struct mailer *m, const struct mailer_opts *o, const struct addr *a,
			     bool *ret_looked)
{
	struct whois_entry *victim = &m->whois[0];
	int64_t t = now_us();

	for (size_t i = 0; i < MAILER_WHOIS_CACHE; i++) {
		struct whois_entry *w = &m->whois[i];
		if (w->at_us && addr_eq(&w->a, a) && t - w->at_us < MAILER_WHOIS_TTL_US)
			return w->text;
		if (w->at_us < victim->at_us)
			victim = w;
	}
	*ret_looked = true;
	free(victim->text);
	victim->a = *a;
	victim->at_us = t;
	victim->text = whois_run(m, o, a);
	return victim->text;
}

/* --- one mail --- */

static void text_puts(struct mailtext *t, const char *s)
{
	mt_put(t, s, strlen(s));
}

static void dns_line(struct mailtext *t, const char *label, const struct dns_entry *d, bool on)
{
	text_puts(t, label);
	if (!on)
		text_puts(t, "(not looked up)\n");
	else if (!d || !d->found)
		text_puts(t, "(no name)\n");
	else {
		text_puts(t, d->name);
		text_puts(t, d->valid ? "\n" : " (not a valid host name: shown escaped)\n");
	}
}

static int send_mail(struct mailer *m, const struct mailer_opts *o, const struct mailtext *msg)
{
	char *argv[] = { (char *)o->sendmail, "-t", "-oi", NULL };
	int64_t deadline = mono_ms() + MAILER_SEND_TIMEOUT_MS;
	int fds[2], r;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	r = spawn(argv, fds[0], -1, &pid);
	close(fds[0]);
	if (r < 0) {
		close(fds[1]);
		return r;
	}
	(void)fcntl(fds[1], F_SETFL, O_NONBLOCK);
	r = write_all(m, fds[1], msg->p, msg->len, deadline);
	close(fds[1]);
	int rr = reap(m, pid, deadline);
	return r < 0 ? r : rr;
}

static void run_job(struct mailer *m, const struct mail_job *j, const struct mailer_opts *o,
		    mailer_dns_fn *fn, struct mail_result *res)
{
	struct dns_entry sdc, ddc; /* copies: the next lookup may reuse the cache slot */
	const struct dns_entry *sd = NULL, *dd = NULL;
	const char *who = NULL;
	struct mailtext t = { 0 };
	char from[128];

	/* a backlog (a resolver or whois server that hangs) drains without
	 * lookups rather than delaying every later mail */
	bool stale = mono_ms() - j->queued_ms > MAILER_STALE_MS;

	if (!j->digest && o->dns && !stale) {
		sdc = *dns_get(m, fn, &j->src, &res->dns_done);
		sd = &sdc;
		if (j->has_dst) {
			ddc = *dns_get(m, fn, &j->dst, &res->dns_done);
			dd = &ddc;
		}
	}
	if (!j->digest && o->whois && !stale)
		who = whois_get(m, o, &j->src, &res->whois_done);

	text_puts(&t, "To: ");
	text_puts(&t, o->recipients);
	text_puts(&t, "\nSubject: ");
	text_puts(&t, j->subject);
	(void)snprintf(from, sizeof(from), "\nFrom: vigil@%s\n", o->host[0] ? o->host : "localhost");
	text_puts(&t, from);
	text_puts(&t, "Auto-Submitted: auto-generated\nMIME-Version: 1.0\n"
		      "Content-Type: text/plain; charset=us-ascii\n\n");
	text_puts(&t, j->pre ? j->pre : "");
	if (!j->digest) {
		dns_line(&t, "                DNS: ", sd, o->dns && !stale);
		if (j->has_dst)
			dns_line(&t, "    Destination DNS: ", dd, o->dns && !stale);
	}
	text_puts(&t, j->post ? j->post : "");
	if (!j->digest && o->whois) {
		text_puts(&t, "\n[+] Whois Information:\n");
		text_puts(&t, who ? who : "   (no answer)\n");
	}
	if (stopping(m))
		res->status = -ECANCELED; /* stopping: queued mails are dropped too */
	else
		res->status = t.oom ? -ENOMEM : send_mail(m, o, &t);
	free(t.p);
}

static void *worker(void *arg)
{
	struct mailer *m = arg;
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_mutex_lock(&m->lock);
	for (;;) {
		while (!m->head && !m->stop)
			pthread_cond_wait(&m->cond, &m->lock);
		if (m->stop)
			break;
		struct mail_job *j = m->head;
		m->head = j->next;
		if (!m->head)
			m->tail = NULL;
		m->queued--;
		m->busy = true;
		struct mailer_opts o = m->opts;
		mailer_dns_fn *fn = m->dns_fn;
		pthread_mutex_unlock(&m->lock);

		struct mail_result res = { .origin = j->origin, .src = j->src, .digest = j->digest };
		run_job(m, j, &o, fn, &res);
		mail_job_free(j);

		pthread_mutex_lock(&m->lock);
		if (m->n_results < RESULTS_MAX)
			m->results[m->n_results++] = res;
		m->busy = false;
		pthread_cond_broadcast(&m->cond);
		uint64_t one = 1;
		(void)!write(m->efd, &one, sizeof(one));
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

/* --- the loop's side --- */

int mailer_new(const struct mailer_opts *o, struct mailer **ret)
{
	struct mailer *m = calloc(1, sizeof(*m));

	if (!m)
		return -ENOMEM;
	m->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (m->efd < 0) {
		int r = -errno;
		free(m);
		return r;
	}
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->cond, NULL);
	m->opts = *o;
	m->dns_fn = dns_default;
	*ret = m;
	return 0;
}

struct mailer *mailer_free(struct mailer *m)
{
	if (!m)
		return NULL;
	pthread_mutex_lock(&m->lock);
	__atomic_store_n(&m->stop, true, __ATOMIC_RELAXED);
	pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&m->lock);
	if (m->started)
		pthread_join(m->thread, NULL);
	while (m->head) {
		struct mail_job *j = m->head;
		m->head = j->next;
		mail_job_free(j);
	}
	for (size_t i = 0; i < MAILER_WHOIS_CACHE; i++)
		free(m->whois[i].text);
	close(m->efd);
	pthread_cond_destroy(&m->cond);
	pthread_mutex_destroy(&m->lock);
	free(m);
	return NULL;
}

void mailer_set_opts(struct mailer *m, const struct mailer_opts *o)
{
	pthread_mutex_lock(&m->lock);
	m->opts = *o;
	pthread_mutex_unlock(&m->lock);
}

void mailer_set_dns_fn(struct mailer *m, mailer_dns_fn *fn)
{
	pthread_mutex_lock(&m->lock);
	m->dns_fn = fn ? fn : dns_default;
	pthread_mutex_unlock(&m->lock);
}

int mailer_submit(struct mailer *m, struct mail_job *job)
{
	int r = 0;

	job->next = NULL;
	job->queued_ms = mono_ms();
	pthread_mutex_lock(&m->lock);
	if (!m->started) {
		/* the thread starts with the first mail: no mail, no thread */
		if (pthread_create(&m->thread, NULL, worker, m) != 0)
			r = -EAGAIN;
		else
			m->started = true;
	}
	if (r == 0 && m->queued >= MAILER_QUEUE_MAX)
		r = -ENOSPC;
	if (r == 0) {
		if (m->tail)
			m->tail->next = job;
		else
			m->head = job;
		m->tail = job;
		m->queued++;
		pthread_cond_broadcast(&m->cond);
	}
	pthread_mutex_unlock(&m->lock);
	if (r < 0)
		mail_job_free(job);
	return r;
}

int mailer_fd(const struct mailer *m)
{
	return m->efd;
}

size_t mailer_results(struct mailer *m, struct mail_result *ret, size_t max)
{
	uint64_t v;
	size_t n;

	(void)!read(m->efd, &v, sizeof(v));
	pthread_mutex_lock(&m->lock);
	n = m->n_results < max ? m->n_results : max;
	memcpy(ret, m->results, n * sizeof(*ret));
	memmove(m->results, m->results + n, (m->n_results - n) * sizeof(*ret));
	m->n_results -= n;
	pthread_mutex_unlock(&m->lock);
	return n;
}

void mailer_drain(struct mailer *m)
{
	pthread_mutex_lock(&m->lock);
	while (m->started && (m->head || m->busy))
		pthread_cond_wait(&m->cond, &m->lock);
	pthread_mutex_unlock(&m->lock);
}
