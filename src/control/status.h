/* SPDX-License-Identifier: GPL-2.0-or-later */
/* status.h - the document `vigil status` prints: what the daemon knows now.
 *
 * JSON (cli.md, "vigil status --json"): {"uptime_s", "input": {"events",
 * "ignored", "malformed", "lost"}, "sources": [the objects of analyze
 * --json], "blocks": []} and vigil's additions: "inputs" (one object per
 * input source), "sources_tracked", "sources_matching", "sources_listed",
 * "danger_levels", "scanning", "top_sources", "top_ports",
 * "top_signatures". Or the same as text for people.
 *
 * Filters (control_request): --ip and --min-dl select the sources listed
 * and counted in the top lists (as analyze's filters do); --top caps the
 * sources written in full; --summary writes counts and top lists only
 * ("sources" is then []). The top lists look at the STATUS_AGG_SOURCES most
 * dangerous matching sources and at most STATUS_AGG_PORTS port visits; past
 * either, "top_partial" is true.
 *
 * The daemon's control handler is expected to be this small:
 *
 *   static void on_control(const struct control_request *req, struct outbuf *o, void *data)
 *   {
 *           struct daemon *d = data;
 *           struct status_args a = { .e = d->engine, .inputs = d->status_inputs,
 *                                    .n_inputs = d->n_sources, .m = d->matchers,
 *                                    .uptime_s = (loop_now_mono_us() - d->start_us) / 1000000,
 *                                    .home_net = d->cfg->home_net, .n_home_net = d->cfg->n_home_net };
 *           status_write_args(o, req, &a);
 *   }
 *
 * Cost: it sorts every tracked source (about 0.1 s for 100,000 on a busy
 * 2-core machine), once per request; requests come one at a time per client.
 */
#ifndef VIGIL_STATUS_H
#define VIGIL_STATUS_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

struct control_request;
struct engine;
struct input_stats;
struct matchers;
struct net;
struct outbuf;
struct source_counters;

#define STATUS_TOP_N 10                 /* entries of each top list */
#define STATUS_AGG_SOURCES 10000
#define STATUS_AGG_PORTS (UINT64_C(20) * 1000 * 1000)

/* One configured input: name (its INPUT_SOURCES spec), kind ("kmsg",
 * "file", ...; may be NULL), the ingest's counters (may be NULL; inputs
 * sharing one ingest may point to the same struct: it is summed once), the
 * source's counters (may be NULL) and its last error ("" or NULL: none). */
struct status_input {
	const char *name;
	const struct input_stats *in;
	const struct source_counters *n;
	const char *kind;
	const char *error;
	bool open;          /* the source is open now (else: failed, retried with back-off) */
};

void status_write(struct outbuf *o, const struct control_request *req, const struct engine *e,
		  const struct status_input *inputs, size_t n_inputs, int64_t uptime_s,
		  const struct matchers *m);

/* The same with everything in one struct, and HOME_NET (marks sources
 * "local" as analyze does; status_write() marks none). */
struct status_args {
	const struct engine *e;
	const struct status_input *inputs;
	size_t n_inputs;
	int64_t uptime_s;
	const struct matchers *m;   /* may be NULL */
	const struct net *home_net; /* HOME_NET entries (0: "any") */
	size_t n_home_net;
};
void status_write_args(struct outbuf *o, const struct control_request *req,
		       const struct status_args *a);

#endif
