/* SPDX-License-Identifier: GPL-2.0-or-later */
/* loop.h - the daemon's one event loop: epoll, timerfd, signalfd.
 *
 * One thread, no busy polling: the process sleeps in epoll_wait until an fd
 * is readable, a timer fires or a signal arrives. Callbacks must not block.
 * Work they produce is queued and flushed by the before-sleep hooks, which
 * run once per wake-up after every ready fd was served (redis ae's
 * beforeSleep): that is where alerts for a burst are coalesced and written.
 * Timers run on CLOCK_MONOTONIC; wall time is for records only.
 */
#ifndef VIGIL_LOOP_H
#define VIGIL_LOOP_H

#include <stdint.h>

struct loop;

/* events: EPOLLIN / EPOLLOUT bits as given to epoll. */
typedef void loop_fd_fn(struct loop *l, int fd, uint32_t events, void *data);
typedef void loop_timer_fn(struct loop *l, void *data);
typedef void loop_signal_fn(struct loop *l, int signo, void *data);
typedef void loop_hook_fn(struct loop *l, void *data);

int loop_new(struct loop **ret);
struct loop *loop_free(struct loop *l); /* NULL-safe; closes the loop's own fds only */

/* Watch fd (not owned). -EEXIST if watched already. */
int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_fn *cb, void *data);
int loop_mod_fd(struct loop *l, int fd, uint32_t events);
void loop_del_fd(struct loop *l, int fd); /* call before closing fd */

/* A periodic timer (first after interval, then every interval), or a
 * one-shot one (periodic 0). Returns an id > 0 or -errno. */
int loop_add_timer(struct loop *l, uint64_t interval_us, int periodic, loop_timer_fn *cb,
		   void *data);
int loop_set_timer(struct loop *l, int id, uint64_t interval_us, int periodic); /* 0 disarms */
void loop_del_timer(struct loop *l, int id);

/* Deliver signo through signalfd (it is blocked for the process). */
int loop_add_signal(struct loop *l, int signo, loop_signal_fn *cb, void *data);

/* Run once per wake-up, after the ready fds and timers were served. */
int loop_add_before_sleep(struct loop *l, loop_hook_fn *cb, void *data);

/* Serve until loop_stop(). 0, or -errno if epoll_wait failed. */
int loop_run(struct loop *l);
void loop_stop(struct loop *l);

/* CLOCK_MONOTONIC and CLOCK_REALTIME, microseconds. */
int64_t loop_now_mono_us(void);
int64_t loop_now_wall_us(void);

#endif
