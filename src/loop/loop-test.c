/* SPDX-License-Identifier: GPL-2.0-or-later */
/* loop-test.c - fds, timers, signals and before-sleep hooks are each served
 * in the loop, and an idle loop sleeps until a timer is due. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "loop/loop.h"

struct seen {
	int fd_calls, timer_calls, signal_calls, hook_calls;
	int last_signo;
	int stop_after_timers;
};

static void on_fd(struct loop *l, int fd, uint32_t events, void *data)
{
	struct seen *s = data;
	char buf[16];

	assert_true(events & EPOLLIN);
	assert_int_equal(read(fd, buf, sizeof(buf)), 3);
	s->fd_calls++;
	loop_stop(l);
}

static void on_timer(struct loop *l, void *data)
{
	struct seen *s = data;

	if (++s->timer_calls >= s->stop_after_timers)
		loop_stop(l);
}

static void on_signal(struct loop *l, int signo, void *data)
{
	struct seen *s = data;

	s->signal_calls++;
	s->last_signo = signo;
	loop_stop(l);
}

static void on_hook(struct loop *l, void *data)
{
	((struct seen *)data)->hook_calls++;
}

static void test_fd_and_hook(void **state)
{
	struct loop *l;
	struct seen s = { 0 };
	int p[2];

	assert_int_equal(loop_new(&l), 0);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(loop_add_fd(l, p[0], EPOLLIN, on_fd, &s), 0);
	assert_int_equal(loop_add_fd(l, p[0], EPOLLIN, on_fd, &s), -EEXIST);
	assert_int_equal(loop_add_before_sleep(l, on_hook, &s), 0);
	assert_int_equal(write(p[1], "abc", 3), 3);
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(s.fd_calls, 1);
	assert_true(s.hook_calls >= 1);
	loop_del_fd(l, p[0]);
	close(p[0]);
	close(p[1]);
	loop_free(l);
}

static void test_periodic_timer_sleeps_between(void **state)
{
	struct loop *l;
	struct seen s = { .stop_after_timers = 3 };

	assert_int_equal(loop_new(&l), 0);
	assert_int_equal(loop_add_before_sleep(l, on_hook, &s), 0);
	int id = loop_add_timer(l, 20000, 1, on_timer, &s);

	assert_true(id > 0);
	int64_t t0 = loop_now_mono_us();

	assert_int_equal(loop_run(l), 0);
	int64_t took = loop_now_mono_us() - t0;

	assert_int_equal(s.timer_calls, 3);
	assert_true(took >= 55000);       /* three periods of 20 ms */
	assert_true(took < 2000000);
	/* one wake-up per expiry: no busy loop between them */
	assert_true(s.hook_calls <= 4);
	loop_del_timer(l, id);
	assert_int_equal(loop_set_timer(l, id, 1000, 0), -ENOENT);
	loop_free(l);
}

static void test_signal_in_loop(void **state)
{
	struct loop *l;
	struct seen s = { 0 };

	assert_int_equal(loop_new(&l), 0);
	assert_int_equal(loop_add_signal(l, SIGUSR1, on_signal, &s), 0);
	assert_int_equal(loop_add_signal(l, SIGUSR2, on_signal, &s), 0);
	assert_int_equal(raise(SIGUSR2), 0); /* blocked: waits in the signalfd */
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(s.signal_calls, 1);
	assert_int_equal(s.last_signo, SIGUSR2);
	loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fd_and_hook),
		cmocka_unit_test(test_periodic_timer_sleeps_between),
		cmocka_unit_test(test_signal_in_loop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
