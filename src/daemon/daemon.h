/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon.h - `vigil run`: sources -> ingest -> engine -> alerts, on one loop.
 *
 * The daemon owns one loop and wires the pipeline onto it: each configured
 * source's fd is served with a budget, its records go through its own
 * ingest into the one engine, the engine's changes are queued in the
 * alerter and flushed once per wake-up, the control socket answers status.
 * Timers expire idle sources, save the state, retry failed sources with
 * back-off and pet systemd's watchdog. Signals: HUP reloads, USR1 dumps
 * every source as JSON, TERM and INT stop after saving.
 */
#ifndef VIGIL_DAEMON_H
#define VIGIL_DAEMON_H

#include <stdbool.h>

struct daemon_opts {
	const char *config_path; /* NULL: /etc/vigil/vigil.conf if present */
	const char *signatures;  /* --signatures */
	const char *auto_dl;     /* --auto-dl */
	bool foreground;         /* --foreground: log to stderr, never detach */
	bool verbose;
};

/* Run until stopped. Returns the process exit status (cmd.h). */
int daemon_run(const struct daemon_opts *o);

#endif
