/* SPDX-License-Identifier: GPL-2.0-or-later */
/* status.c - the status document (see status.h): counters, top lists and
 * the sources, as JSON through the report's own per-source writer, or as
 * text through the report's table and details. */
#include "control/status.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control/control.h"
#include "engine/engine.h"
#include "match/signature.h"
#include "report/jsonw.h"
#include "report/outbuf.h"
#include "report/report-internal.h"
#include "report/report.h"
#include "report/summary.h"
#include "source/source.h"
#include "util/escape.h"

#ifndef VIGIL_VERSION
#define VIGIL_VERSION "0.1.0"
#endif

/* What the status document says besides the source objects. */
struct status_doc {
	uint64_t events, ignored, malformed, lost, lines, bytes;
	size_t tracked;        /* sources in the engine */
	size_t matching;       /* passing --ip and --min-dl */
	size_t listed;         /* written in full (--top) */
	size_t by_dl[6];       /* tracked sources by danger level */
	size_t scanning;       /* tracked sources with scan evidence (scan_dl >= 1) */
	struct summary sum;    /* the top lists (summary.c, as analyze's report) */
	const struct source_state **v; /* every tracked source, report order */
	size_t n;
	const struct report_opts *ro;  /* the filters */
};

/* ---- counting */

/* An input's losses: the source's own count, or the ingest's when the
 * source has none (kmsg overruns seen by a reader without counters). */
static uint64_t input_lost(const struct status_input *x)
{
	return x->n ? x->n->lost : x->in ? x->in->lost : 0;
}

/* Is x->in shared with another input (one ingest behind several sources)? */
static bool ingest_shared(const struct status_args *a, size_t i)
{
	for (size_t j = 0; j < a->n_inputs && a->inputs[i].in; j++)
		if (j != i && a->inputs[j].in == a->inputs[i].in)
			return true;
	return false;
}

/* Totals: each ingest's counters once. lost is the larger of the sources'
 * sum and the ingests' sum: the daemon may forward a source's losses to its
 * ingest (ingest_lost), and they must not count twice. */
static void sum_inputs(struct status_doc *s, const struct status_args *a)
{
	uint64_t lost_sources = 0, lost_ingests = 0;

	for (size_t i = 0; i < a->n_inputs; i++) {
		const struct input_stats *in = a->inputs[i].in;
		bool seen = false;

		lost_sources += a->inputs[i].n ? a->inputs[i].n->lost : 0;
		for (size_t j = 0; j < i && in; j++)
			seen |= a->inputs[j].in == in;
		if (!in || seen)
			continue;
		lost_ingests += in->lost;
		s->events += in->events;
		s->ignored += in->ignored;
		s->malformed += in->malformed;
		s->lines += in->lines;
		s->bytes += in->bytes;
	}
	s->lost = lost_sources > lost_ingests ? lost_sources : lost_ingests;
}

/* The sources in report order. TODO(engine_top): engine_sources_sorted()
 * sorts every source; the filters need every one anyway. */
static int summarize(struct status_doc *s, const struct control_request *req,
		     const struct status_args *a, const struct report_opts *ro)
{
	memset(s, 0, sizeof(*s));
	s->ro = ro;
	sum_inputs(s, a);
	s->tracked = engine_source_count(a->e);
	s->v = engine_sources_sorted(a->e, &s->n);
	if (!s->v && s->tracked)
		return -ENOMEM;
	for (size_t i = 0; i < s->n; i++) {
		const struct source_state *src = s->v[i];
		s->by_dl[src->dl <= 5 ? src->dl : 5]++;
		s->scanning += src->scan_dl > 0;
		if (report_source_listed(src, ro))
			s->matching++;
	}
	s->listed = req->summary ? 0 : (s->matching < req->top ? s->matching : req->top);
	/* -ENOMEM: the lists that could not be made are empty, partial set */
	(void)summary_build(s->v, s->n, ro, STATUS_TOP_N, &s->sum);
	return 0;
}

/* "tcp", "udp", "udplite" */
static const char *port_proto(const struct summary_port *p)
{
	const char *name = event_proto_name(p->proto);

	return name ? name : "?";
}

static uint64_t source_ports(const struct source_state *s)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < s->n_pairs; i++)
		if (s->pairs[i])
			n += (uint64_t)s->pairs[i]->tcp.ports.count + s->pairs[i]->udp.ports.count +
			     s->pairs[i]->udplite.ports.count;
	return n;
}

/* ---- JSON */

static void json_inputs(struct jsonw *w, const struct status_args *a)
{
	jsonw_key(w, "inputs");
	jsonw_arr_begin(w);
	for (size_t i = 0; i < a->n_inputs; i++) {
		const struct status_input *x = &a->inputs[i];
		jsonw_obj_begin(w);
		jsonw_key_str(w, "name", x->name ? x->name : "");
		jsonw_key_str(w, "kind", x->kind ? x->kind : "");
		jsonw_key(w, "open");
		jsonw_bool(w, x->open);
		if (x->n) {
			jsonw_key_u64(w, "records", x->n->records);
			jsonw_key_u64(w, "bytes", x->n->bytes);
			jsonw_key_u64(w, "lost_events", x->n->lost_events);
			jsonw_key_u64(w, "overlong", x->n->overlong);
			jsonw_key_u64(w, "errors", x->n->errors);
			jsonw_key_u64(w, "reopened", x->n->reopened);
			jsonw_key_u64(w, "rotations", x->n->rotations);
			jsonw_key_u64(w, "truncations", x->n->truncations);
		}
		jsonw_key_u64(w, "lost", input_lost(x));
		if (x->in && !ingest_shared(a, i)) {
			jsonw_key_u64(w, "events", x->in->events);
			jsonw_key_u64(w, "ignored", x->in->ignored);
			jsonw_key_u64(w, "malformed", x->in->malformed);
		}
		jsonw_key(w, "error");
		if (x->error && *x->error)
			jsonw_str(w, x->error);
		else
			jsonw_null(w);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
}

static void json_summary(struct jsonw *w, const struct status_doc *s)
{
	char buf[ADDR_STR_MAX], key[2] = "0";

	jsonw_key_u64(w, "sources_tracked", s->tracked);
	jsonw_key_u64(w, "sources_matching", s->matching);
	jsonw_key_u64(w, "sources_listed", s->listed);
	jsonw_key_u64(w, "scanning", s->scanning);
	jsonw_key(w, "danger_levels");
	jsonw_obj_begin(w);
	for (int d = 0; d <= 5; d++) {
		key[0] = (char)('0' + d);
		jsonw_key_u64(w, key, s->by_dl[d]);
	}
	jsonw_obj_end(w);

	jsonw_key(w, "top_sources");
	jsonw_arr_begin(w);
	for (size_t i = 0, k = 0; i < s->n && k < STATUS_TOP_N; i++) {
		const struct source_state *src = s->v[i];
		if (!report_source_listed(src, s->ro))
			continue;
		k++;
		(void)addr_format(&src->src, buf);
		jsonw_obj_begin(w);
		jsonw_key_str(w, "src", buf);
		jsonw_key_u64(w, "danger_level", src->dl);
		jsonw_key_u64(w, "packets", src->packets);
		jsonw_key_u64(w, "destinations", (uint64_t)src->n_pairs + src->untracked_dsts);
		jsonw_key_u64(w, "ports", source_ports(src));
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);

	jsonw_key(w, "top_ports");
	jsonw_arr_begin(w);
	for (size_t i = 0, k = 0; i < s->sum.n_ports; i++) {
		const struct summary_port *p = &s->sum.ports[i];
		for (uint32_t port = p->port; port <= p->port_hi && k < STATUS_TOP_N; port++, k++) {
			jsonw_obj_begin(w);
			jsonw_key_str(w, "proto", port_proto(p));
			jsonw_key_u64(w, "port", port);
			jsonw_key_u64(w, "sources", p->sources);
			jsonw_obj_end(w);
		}
	}
	jsonw_arr_end(w);

	jsonw_key(w, "top_signatures");
	jsonw_arr_begin(w);
	for (size_t i = 0; i < s->sum.n_sigs; i++) {
		const struct summary_sig *g = &s->sum.sigs[i];
		jsonw_obj_begin(w);
		jsonw_key_u64(w, "sid", g->sid);
		jsonw_key_str(w, "msg", g->msg ? g->msg : "");
		jsonw_key_u64(w, "sources", g->sources);
		jsonw_key_u64(w, "count", g->count);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
	jsonw_key(w, "top_partial");
	jsonw_bool(w, s->sum.partial);
}

static void json_engine(struct jsonw *w, const struct engine_stats *es)
{
	jsonw_key(w, "engine");
	jsonw_obj_begin(w);
	jsonw_key_u64(w, "memory_used", es->memory_used);
	jsonw_key_u64(w, "memory_peak", es->memory_peak);
	jsonw_key_u64(w, "memory_limit", es->memory_limit);
	jsonw_key_u64(w, "max_sources", es->max_sources);
	jsonw_key_u64(w, "sources_evicted", es->sources_evicted);
	jsonw_key_u64(w, "packets_evicted", es->packets_evicted);
	jsonw_key_u64(w, "dsts_untracked", es->dsts_untracked);
	jsonw_key_u64(w, "oom", es->oom);
	jsonw_obj_end(w);
}

static void json_control(struct jsonw *w, const struct control_stats *c)
{
	if (!c)
		return;
	jsonw_key(w, "control");
	jsonw_obj_begin(w);
	jsonw_key_u64(w, "accepted", c->accepted);
	jsonw_key_u64(w, "served", c->served);
	jsonw_key_u64(w, "refused_busy", c->refused_busy);
	jsonw_key_u64(w, "refused_peer", c->refused_peer);
	jsonw_key_u64(w, "bad_requests", c->bad_requests);
	jsonw_key_u64(w, "timed_out", c->timed_out);
	jsonw_key_u64(w, "too_large", c->too_large);
	jsonw_key_u64(w, "errors", c->errors);
	jsonw_obj_end(w);
}

static void status_json(struct outbuf *o, const struct status_doc *s, const struct status_args *a)
{
	struct engine_stats es;
	struct jsonw w;
	size_t k = 0;

	(void)outbuf_flush(o); /* jsonw writes to the same FILE after what o held */
	jsonw_init(&w, o->f);
	jsonw_obj_begin(&w);
	jsonw_key_str(&w, "vigil", VIGIL_VERSION);
	jsonw_key_u64(&w, "uptime_s", a->uptime_s > 0 ? (uint64_t)a->uptime_s : 0);
	jsonw_key_u64(&w, "pid", (uint64_t)getpid()); /* the daemon's: to signal it */
	jsonw_key(&w, "input");
	jsonw_obj_begin(&w);
	jsonw_key_u64(&w, "events", s->events);
	jsonw_key_u64(&w, "ignored", s->ignored);
	jsonw_key_u64(&w, "malformed", s->malformed);
	jsonw_key_u64(&w, "lost", s->lost);
	jsonw_key_u64(&w, "lines", s->lines);
	jsonw_key_u64(&w, "bytes", s->bytes);
	jsonw_obj_end(&w);
	json_inputs(&w, a);
	engine_get_stats(a->e, &es);
	json_engine(&w, &es);
	json_control(&w, a->control);
	json_summary(&w, s);
	jsonw_key(&w, "sources");
	jsonw_arr_begin(&w);
	for (size_t i = 0; i < s->n && k < s->listed; i++) {
		if (!report_source_listed(s->v[i], s->ro))
			continue;
		json_write_source(&w, s->v[i], s->ro);
		k++;
	}
	jsonw_arr_end(&w);
	jsonw_key(&w, "blocks");
	jsonw_arr_begin(&w);
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	if (jsonw_finish(&w) < 0)
		o->io_failed = true; /* the server answers ERR rather than a cut document */
	outbuf_putc(o, '\n');
}

/* ---- text */

static void text_uptime(struct outbuf *o, int64_t up)
{
	if (up < 0)
		up = 0;
	outbuf_printf(o, "vigil %s (pid %ld) up %lldd %02lld:%02lld:%02lld\n", VIGIL_VERSION,
		      (long)getpid(),
		      (long long)(up / 86400), (long long)(up / 3600 % 24),
		      (long long)(up / 60 % 60), (long long)(up % 60));
}

static void text_inputs(struct outbuf *o, const struct status_doc *s, const struct status_args *a)
{
	char name[160], err[200];

	outbuf_printf(o, "input: %llu events, %llu ignored, %llu malformed, %llu lost\n",
		      (unsigned long long)s->events, (unsigned long long)s->ignored,
		      (unsigned long long)s->malformed, (unsigned long long)s->lost);
	for (size_t i = 0; i < a->n_inputs; i++) {
		const struct status_input *x = &a->inputs[i];
		escape_str(x->name ? x->name : "", name, sizeof(name));
		outbuf_printf(o, "  %-24s %s, %llu records, %llu lost, %llu errors", name,
			      x->open ? "open" : "CLOSED",
			      (unsigned long long)(x->n ? x->n->records : 0),
			      (unsigned long long)input_lost(x),
			      (unsigned long long)(x->n ? x->n->errors : 0));
		if (x->error && *x->error)
			outbuf_printf(o, ", last error: %s", escape_str(x->error, err, sizeof(err)));
		outbuf_putc(o, '\n');
	}
}

static void text_tops(struct outbuf *o, const struct status_doc *s)
{
	char msg[160];

	outbuf_printf(o, "sources: %zu tracked, %zu scanning, %zu matching; by danger level:",
		      s->tracked, s->scanning, s->matching);
	for (int d = 1; d <= 5; d++)
		outbuf_printf(o, " %d:%zu", d, s->by_dl[d]);
	outbuf_putc(o, '\n');
	if (s->sum.n_ports) {
		outbuf_puts(o, "top ports (sources):");
		/* runs one port at a time, as before summary.c made them runs */
		for (size_t i = 0, k = 0; i < s->sum.n_ports; i++) {
			const struct summary_port *p = &s->sum.ports[i];
			for (uint32_t port = p->port; port <= p->port_hi && k < STATUS_TOP_N;
			     port++, k++)
				outbuf_printf(o, " %s/%u (%u)", port_proto(p), (unsigned)port,
					      (unsigned)p->sources);
		}
		outbuf_putc(o, '\n');
	}
	if (s->sum.n_sigs) {
		outbuf_puts(o, "top signatures (sources):\n");
		for (size_t i = 0; i < s->sum.n_sigs; i++) {
			const struct summary_sig *g = &s->sum.sigs[i];
			outbuf_printf(o, "  sid %-8u %-6u \"%s\"\n", (unsigned)g->sid,
				      (unsigned)g->sources,
				      escape_str(g->msg ? g->msg : "", msg, sizeof(msg)));
		}
	}
	if (s->sum.partial)
		outbuf_printf(o, "(top lists from the %d most dangerous sources)\n",
			      SUMMARY_AGG_SOURCES);
}

static void text_top_sources(struct outbuf *o, const struct status_doc *s)
{
	char buf[ADDR_STR_MAX];
	size_t k = 0;

	for (size_t i = 0; i < s->n && k < STATUS_TOP_N; i++) {
		const struct source_state *src = s->v[i];
		if (!report_source_listed(src, s->ro))
			continue;
		if (!k++)
			outbuf_puts(o, "top sources:\n  DL  SOURCE                                   "
				       "PACKETS  DSTS  PORTS\n");
		(void)addr_format(&src->src, buf);
		outbuf_printf(o, "  %-3u %-40s %7llu %5llu %6llu\n", (unsigned)src->dl, buf,
			      (unsigned long long)src->packets,
			      (unsigned long long)src->n_pairs + src->untracked_dsts,
			      (unsigned long long)source_ports(src));
	}
}

/* The full listing: the first `listed` matching sources (report order). */
static void text_listing(struct outbuf *o, const struct status_doc *s)
{
	const struct source_state **v;
	size_t k = 0;

	if (!s->listed)
		return;
	v = malloc(s->listed * sizeof(*v));
	if (!v) {
		o->io_failed = true;
		return;
	}
	for (size_t i = 0; i < s->n && k < s->listed; i++)
		if (report_source_listed(s->v[i], s->ro))
			v[k++] = s->v[i];
	outbuf_putc(o, '\n');
	if (report_text_listing(o, v, k, s->ro) < 0)
		o->io_failed = true;
	free(v);
}

static void text_engine(struct outbuf *o, const struct status_args *a)
{
	struct engine_stats es;

	engine_get_stats(a->e, &es);
	outbuf_printf(o, "memory: %llu KiB of %llu KiB (peak %llu KiB); evicted %llu sources, "
			 "%llu packets\n",
		      (unsigned long long)(es.memory_used / 1024),
		      (unsigned long long)(es.memory_limit / 1024),
		      (unsigned long long)(es.memory_peak / 1024),
		      (unsigned long long)es.sources_evicted, (unsigned long long)es.packets_evicted);
	if (a->control)
		outbuf_printf(o, "control: %llu served, %llu refused (busy %llu, peer %llu), "
				 "%llu bad, %llu timed out\n",
			      (unsigned long long)a->control->served,
			      (unsigned long long)(a->control->refused_busy +
						   a->control->refused_peer),
			      (unsigned long long)a->control->refused_busy,
			      (unsigned long long)a->control->refused_peer,
			      (unsigned long long)a->control->bad_requests,
			      (unsigned long long)a->control->timed_out);
}

static void status_text(struct outbuf *o, const struct status_doc *s, const struct status_args *a)
{
	text_uptime(o, a->uptime_s);
	text_inputs(o, s, a);
	text_engine(o, a);
	text_tops(o, s);
	text_top_sources(o, s);
	if (!s->matching)
		outbuf_puts(o, "no sources\n");
	if (s->matching > s->listed && s->listed)
		outbuf_printf(o, "(%zu of %zu matching sources listed; --top N for more)\n",
			      s->listed, s->matching);
	text_listing(o, s);
}

void status_write_args(struct outbuf *o, const struct control_request *req,
		       const struct status_args *a)
{
	struct report_opts ro = { .min_dl = req->min_dl, .ips = &req->ip, .n_ips = req->has_ip,
				  .home_net = a->home_net, .n_home_net = a->n_home_net,
				  .m = a->m };
	struct status_doc s;

	if (summarize(&s, req, a, &ro) < 0) {
		o->io_failed = true; /* -ENOMEM: the server answers ERR */
		return;
	}
	if (req->json)
		status_json(o, &s, a);
	else
		status_text(o, &s, a);
	summary_free(&s.sum);
	free(s.v);
}

void status_write(struct outbuf *o, const struct control_request *req, const struct engine *e,
		  const struct status_input *inputs, size_t n_inputs, int64_t uptime_s,
		  const struct matchers *m)
{
	struct status_args a = { .e = e, .inputs = inputs, .n_inputs = n_inputs,
				 .uptime_s = uptime_s, .m = m };

	status_write_args(o, req, &a);
}
