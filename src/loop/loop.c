/* SPDX-License-Identifier: GPL-2.0-or-later */
/* loop.c - epoll with timerfd timers and one signalfd.
 *
 * Watches are kept in a small array indexed by fd (fds are small integers
 * and a daemon has few): no allocation per event, O(1) dispatch. Each timer
 * is its own timerfd so the kernel keeps the schedule and an idle process
 * wakes only when one is due. Signals the loop handles are blocked and read
 * from one signalfd, so a handler runs in the loop like any callback and may
 * do anything a callback may.
 */
#include "loop/loop.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define LOOP_TIMERS_MAX 32
#define LOOP_SIGNALS_MAX 16
#define LOOP_HOOKS_MAX 8
#define LOOP_EVENTS 64

enum watch_kind { WATCH_NONE, WATCH_FD, WATCH_TIMER, WATCH_SIGNAL };

struct watch {
	enum watch_kind kind;
	loop_fd_fn *cb;
	void *data;
	int timer; /* WATCH_TIMER: index in timers[] */
};

struct timer {
	int fd; /* -1: free slot */
	loop_timer_fn *cb;
	void *data;
};

struct sig {
	int signo;
	loop_signal_fn *cb;
	void *data;
};

struct hook {
	loop_hook_fn *cb;
	void *data;
};

struct loop {
	int epfd;
	int sigfd;
	sigset_t sigmask;
	bool stop;
	struct watch *watches; /* by fd */
	size_t n_watches;
	struct timer timers[LOOP_TIMERS_MAX];
	struct sig sigs[LOOP_SIGNALS_MAX];
	size_t n_sigs;
	struct hook hooks[LOOP_HOOKS_MAX];
	size_t n_hooks;
};

static int64_t now_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t loop_now_mono_us(void)
{
	return now_us(CLOCK_MONOTONIC);
}

int64_t loop_now_wall_us(void)
{
	return now_us(CLOCK_REALTIME);
}

int loop_new(struct loop **ret)
{
	struct loop *l = calloc(1, sizeof(*l));

	if (!l)
		return -ENOMEM;
	l->sigfd = -1;
	sigemptyset(&l->sigmask);
	for (size_t i = 0; i < LOOP_TIMERS_MAX; i++)
		l->timers[i].fd = -1;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		int r = -errno;

		free(l);
		return r;
	}
	*ret = l;
	return 0;
}

struct loop *loop_free(struct loop *l)
{
	if (!l)
		return NULL;
	for (size_t i = 0; i < LOOP_TIMERS_MAX; i++)
		if (l->timers[i].fd >= 0)
			close(l->timers[i].fd);
	if (l->sigfd >= 0) {
		close(l->sigfd);
		sigprocmask(SIG_UNBLOCK, &l->sigmask, NULL);
	}
	close(l->epfd);
	free(l->watches);
	free(l);
	return NULL;
}

static struct watch *watch_slot(struct loop *l, int fd, bool grow)
{
	if (fd < 0)
		return NULL;
	if ((size_t)fd >= l->n_watches) {
		if (!grow)
			return NULL;
		size_t n = l->n_watches ? l->n_watches : 64;

		while (n <= (size_t)fd)
			n *= 2;
		struct watch *w = realloc(l->watches, n * sizeof(*w));

		if (!w)
			return NULL;
		memset(w + l->n_watches, 0, (n - l->n_watches) * sizeof(*w));
		l->watches = w;
		l->n_watches = n;
	}
	return &l->watches[fd];
}

static int watch_add(struct loop *l, int fd, uint32_t events, enum watch_kind kind,
		     loop_fd_fn *cb, void *data, int timer)
{
	struct watch *w = watch_slot(l, fd, true);

	if (!w)
		return fd < 0 ? -EBADF : -ENOMEM;
	if (w->kind != WATCH_NONE)
		return -EEXIST;
	struct epoll_event ev = { .events = events, .data.fd = fd };

	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	*w = (struct watch){ .kind = kind, .cb = cb, .data = data, .timer = timer };
	return 0;
}

int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_fn *cb, void *data)
{
	return watch_add(l, fd, events, WATCH_FD, cb, data, -1);
}

int loop_mod_fd(struct loop *l, int fd, uint32_t events)
{
	struct watch *w = watch_slot(l, fd, false);

	if (!w || w->kind != WATCH_FD)
		return -ENOENT;
	struct epoll_event ev = { .events = events, .data.fd = fd };

	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) < 0 ? -errno : 0;
}

void loop_del_fd(struct loop *l, int fd)
{
	struct watch *w = watch_slot(l, fd, false);

	if (!w || w->kind == WATCH_NONE)
		return;
	(void)epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	*w = (struct watch){ 0 };
}

static void timer_spec(struct itimerspec *its, uint64_t interval_us, int periodic)
{
	memset(its, 0, sizeof(*its));
	its->it_value.tv_sec = (time_t)(interval_us / 1000000);
	its->it_value.tv_nsec = (long)(interval_us % 1000000) * 1000;
	if (periodic)
		its->it_interval = its->it_value;
}

int loop_add_timer(struct loop *l, uint64_t interval_us, int periodic, loop_timer_fn *cb,
		   void *data)
{
	size_t i;

	for (i = 0; i < LOOP_TIMERS_MAX && l->timers[i].fd >= 0; i++)
		;
	if (i == LOOP_TIMERS_MAX)
		return -ENOSPC;
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);

	if (fd < 0)
		return -errno;
	l->timers[i] = (struct timer){ .fd = fd, .cb = cb, .data = data };
	int r = watch_add(l, fd, EPOLLIN, WATCH_TIMER, NULL, NULL, (int)i);

	if (r < 0) {
		close(fd);
		l->timers[i].fd = -1;
		return r;
	}
	r = loop_set_timer(l, (int)i + 1, interval_us, periodic);
	if (r < 0) {
		loop_del_timer(l, (int)i + 1);
		return r;
	}
	return (int)i + 1;
}

static struct timer *timer_get(struct loop *l, int id)
{
	if (id < 1 || id > LOOP_TIMERS_MAX || l->timers[id - 1].fd < 0)
		return NULL;
	return &l->timers[id - 1];
}

int loop_set_timer(struct loop *l, int id, uint64_t interval_us, int periodic)
{
	struct timer *t = timer_get(l, id);
	struct itimerspec its;

	if (!t)
		return -ENOENT;
	/* a zero it_value disarms; a wanted 0 µs first expiry becomes 1 µs */
	timer_spec(&its, interval_us, periodic);
	return timerfd_settime(t->fd, 0, &its, NULL) < 0 ? -errno : 0;
}

void loop_del_timer(struct loop *l, int id)
{
	struct timer *t = timer_get(l, id);

	if (!t)
		return;
	loop_del_fd(l, t->fd);
	close(t->fd);
	t->fd = -1;
}

int loop_add_signal(struct loop *l, int signo, loop_signal_fn *cb, void *data)
{
	if (l->n_sigs == LOOP_SIGNALS_MAX)
		return -ENOSPC;
	sigaddset(&l->sigmask, signo);
	if (sigprocmask(SIG_BLOCK, &l->sigmask, NULL) < 0)
		return -errno;
	int fd = signalfd(l->sigfd, &l->sigmask, SFD_NONBLOCK | SFD_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (l->sigfd < 0) {
		int r = watch_add(l, fd, EPOLLIN, WATCH_SIGNAL, NULL, NULL, -1);

		if (r < 0) {
			close(fd);
			return r;
		}
		l->sigfd = fd;
	}
	l->sigs[l->n_sigs++] = (struct sig){ .signo = signo, .cb = cb, .data = data };
	return 0;
}

int loop_add_before_sleep(struct loop *l, loop_hook_fn *cb, void *data)
{
	if (l->n_hooks == LOOP_HOOKS_MAX)
		return -ENOSPC;
	l->hooks[l->n_hooks++] = (struct hook){ .cb = cb, .data = data };
	return 0;
}

static void serve_timer(struct loop *l, int fd, int idx)
{
	uint64_t expirations;

	if (read(fd, &expirations, sizeof(expirations)) != sizeof(expirations))
		return; /* EAGAIN: re-armed or read already */
	struct timer *t = &l->timers[idx];

	t->cb(l, t->data);
}

static void serve_signals(struct loop *l)
{
	struct signalfd_siginfo si;

	/* bounded: at most one pass over what is pending now */
	for (int n = 0; n < 64 && read(l->sigfd, &si, sizeof(si)) == sizeof(si); n++)
		for (size_t i = 0; i < l->n_sigs; i++)
			if ((uint32_t)l->sigs[i].signo == si.ssi_signo)
				l->sigs[i].cb(l, (int)si.ssi_signo, l->sigs[i].data);
}

static void serve(struct loop *l, int fd, uint32_t events)
{
	struct watch *w = watch_slot(l, fd, false);

	if (!w)
		return;
	switch (w->kind) {
	case WATCH_FD:
		w->cb(l, fd, events, w->data);
		break;
	case WATCH_TIMER:
		serve_timer(l, fd, w->timer);
		break;
	case WATCH_SIGNAL:
		serve_signals(l);
		break;
	case WATCH_NONE: /* removed by an earlier callback of this wake-up */
		break;
	}
}

int loop_run(struct loop *l)
{
	struct epoll_event evs[LOOP_EVENTS];

	l->stop = false;
	while (!l->stop) {
		for (size_t i = 0; i < l->n_hooks; i++)
			l->hooks[i].cb(l, l->hooks[i].data);
		if (l->stop)
			break;
		int n = epoll_wait(l->epfd, evs, LOOP_EVENTS, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (int i = 0; i < n && !l->stop; i++)
			serve(l, evs[i].data.fd, evs[i].events);
	}
	return 0;
}

void loop_stop(struct loop *l)
{
	l->stop = true;
}
