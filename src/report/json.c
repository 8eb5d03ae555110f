/* SPDX-License-Identifier: GPL-2.0-or-later */
/* json.c - `vigil analyze --json` (layout: cli.md, "vigil analyze --json").
 *
 * Streams one compact JSON object through jsonw: no field is built in memory
 * first, so a source with 65536 ports or 251 IP protocols costs nothing
 * extra. Strings that came from a log line (interface names) are already
 * \xNN-escaped by the engine and are JSON-escaped again here. A protocol
 * object (tcp, udp, udplite, icmp) is written only when it has packets
 * (cli.md's contract). Every key whose value is an array is always written,
 * maybe empty, and so are the counters; the other optional objects
 * (reflection, ip_options, reputation, data_sets' parts) are documented as
 * such in cli.md's "Every key of analyze --json", which tests/json-keys.sh
 * holds to the code.
 * Also home to the port range format text.c shares.
 */
#include "report/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "event/protoname.h"
#include "match/ipopts.h"
#include "match/matchers.h"
#include "match/osfp.h"
#include "match/reputation.h"
#include "match/signature.h"
#include "report/jsonw.h"
#include "report/report-internal.h"
#include "util/num.h"

#ifndef VIGIL_VERSION
#define VIGIL_VERSION "0.1.0"
#endif

int report_span_format(struct port_span sp, char buf[REPORT_SPAN_MAX])
{
	/* printf-free: a port list can hold 32768 spans */
	char lo[NUM_U64_MAX], hi[NUM_U64_MAX];
	size_t n = num_u64(lo, sp.lo), m = 0;

	memcpy(buf, lo, n + 1);
	if (sp.lo == sp.hi)
		return (int)n;
	m = num_u64(hi, sp.hi);
	buf[n] = '-';
	memcpy(buf + n + 1, hi, m + 1);
	return (int)(n + 1 + m);
}

/* "wall" (ISO 8601 times), "uptime" (seconds since some boot: the log's
 * boot time is unknown), or "none" (no time: first_seen/last_seen null). */
static void json_time_base(struct jsonw *w, const struct vtime *t)
{
	jsonw_key_str(w, "time_base", t->kind == VTIME_WALL     ? "wall"
				      : t->kind == VTIME_UPTIME ? "uptime"
								: "none");
}

/* A time, or null when the log gave none. */
static void json_time(struct jsonw *w, const char *key, const struct vtime *t)
{
	char buf[40];

	jsonw_key(w, key);
	if (report_format_time(t, buf) > 0)
		jsonw_str(w, buf);
	else
		jsonw_null(w);
}

/* Inputs not read to the end, and surprises, always written (empty on a
 * clean run): "read_errors", "lost", "errors" (the problems that stopped an
 * input: {"file", "reason"}), and "problems": one object per problem,
 * {"file", "error" | "note", "offset", "after_line" | "line",
 * "dropped_bytes", "member_offset", "member_line"}. */
static void json_input_problems(struct jsonw *w, const struct input_stats *in)
{
	jsonw_key_u64(w, "read_errors", in->read_errors);
	jsonw_key_u64(w, "lost", in->lost);
	jsonw_key(w, "errors");
	jsonw_arr_begin(w);
	for (size_t i = 0; i < in->n_problems; i++) {
		const struct input_problem *p = &in->problems[i];
		if (!p->error)
			continue;
		jsonw_obj_begin(w);
		jsonw_key_str(w, "file", p->file);
		jsonw_key_str(w, "reason", p->reason);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
	jsonw_key(w, "problems");
	jsonw_arr_begin(w);
	for (size_t i = 0; i < in->n_problems; i++) {
		const struct input_problem *p = &in->problems[i];
		jsonw_obj_begin(w);
		jsonw_key_str(w, "file", p->file);
		jsonw_key_str(w, p->error ? "error" : "note", p->reason);
		if (p->has_pos) {
			jsonw_key_u64(w, "offset", p->offset);
			jsonw_key_u64(w, p->error ? "after_line" : "line", p->line);
		}
		if (p->error && p->has_pos)
			jsonw_key_u64(w, "dropped_bytes", p->dropped);
		if (p->has_member) {
			jsonw_key_u64(w, "member_offset", p->member_offset);
			jsonw_key_u64(w, "member_line", p->member_line);
		}
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
	jsonw_key_u64(w, "problems_unlisted", in->problems_unlisted);
}

static void json_input(struct jsonw *w, const struct input_stats *in,
		       const struct engine_stats *es)
{
	jsonw_key(w, "input");
	jsonw_obj_begin(w);
	jsonw_key_u64(w, "lines", in->lines);
	jsonw_key_u64(w, "events", in->events);
	jsonw_key_u64(w, "ignored", in->ignored);
	jsonw_key_u64(w, "malformed", in->malformed);
	jsonw_key_u64(w, "files", in->files);
	jsonw_key_u64(w, "bytes", in->bytes);
	jsonw_key_u64(w, "repeated", in->repeated);
	jsonw_key_u64(w, "repeated_unfed", in->repeated_unfed);
	json_input_problems(w, in);
	jsonw_key(w, "ignored_by");
	jsonw_obj_begin(w);
	jsonw_key_u64(w, "blank", in->ignored_blank);
	jsonw_key_u64(w, "not_firewall", in->ignored_not_firewall);
	jsonw_key_u64(w, "not_kernel", in->ignored_not_kernel);
	jsonw_key_u64(w, "not_ip", in->ignored_not_ip);
	jsonw_key_u64(w, "no_tag", in->ignored_no_tag);
	jsonw_key_u64(w, "unknown_envelope", in->ignored_unknown_envelope);
	jsonw_key_u64(w, "off_format", in->ignored_off_format);
	jsonw_key_u64(w, "record_part", in->ignored_record_part);
	jsonw_key_u64(w, "filter", in->ignored_filtered);
	for (int v = ENGINE_COUNTED + 1; v < _ENGINE_VERDICT_MAX; v++) {
		const char *name = engine_verdict_name((enum engine_verdict)v);
		jsonw_key_u64(w, name ? name : "unknown", es->ignored[v]);
	}
	jsonw_obj_end(w);
	jsonw_obj_end(w);
}

/* What the run matched against: which signature set, how many rules,
 * fingerprints and listed networks, and what was skipped loading them. */
static void json_data_sets(struct jsonw *w, const struct matchers *m)
{
	if (!m)
		return;
	jsonw_key(w, "data_sets");
	jsonw_obj_begin(w);
	if (m->sigs) {
		struct sigset_stats st;
		sigset_get_stats(m->sigs, &st);
		jsonw_key(w, "signatures");
		jsonw_obj_begin(w);
		jsonw_key_str(w, "file", m->sig_origin ? m->sig_origin : "");
		jsonw_key_u64(w, "rules", st.rules);
		jsonw_key_u64(w, "malformed", st.malformed);
		jsonw_key_u64(w, "unsupported", st.unsupported);
		jsonw_obj_end(w);
	}
	jsonw_key(w, "icmp_types");
	jsonw_bool(w, m->icmp4 != NULL);
	if (m->os) {
		struct osfp_stats st;
		osfp_get_stats(m->os, &st);
		jsonw_key(w, "os_fingerprints");
		jsonw_obj_begin(w);
		jsonw_key_u64(w, "p0f", st.p0f_entries);
		jsonw_key_u64(w, "posf", st.posf_entries);
		jsonw_key_u64(w, "errors", st.errors);
		jsonw_obj_end(w);
	}
	if (m->rep) {
		struct reputation_stats st;
		reputation_get_stats(m->rep, &st);
		jsonw_key(w, "reputation");
		jsonw_obj_begin(w);
		jsonw_key_u64(w, "lists", st.lists);
		jsonw_key_u64(w, "networks", st.entries);
		jsonw_key_u64(w, "errors", st.errors);
		jsonw_key_u64(w, "dropped", st.dropped);
		jsonw_obj_end(w);
	}
	jsonw_obj_end(w);
}

static void json_limits(struct jsonw *w, const struct engine_stats *es)
{
	jsonw_key(w, "limits");
	jsonw_obj_begin(w);
	jsonw_key_u64(w, "sources_evicted", es->sources_evicted);
	jsonw_key_u64(w, "packets_evicted", es->packets_evicted);
	jsonw_key_u64(w, "dsts_untracked", es->dsts_untracked);
	jsonw_key_u64(w, "pairs_expired", es->pairs_expired);
	jsonw_key_u64(w, "oom", es->oom);
	jsonw_key_u64(w, "memory_limit", es->memory_limit);
	jsonw_key_u64(w, "memory_peak", es->memory_peak);
	jsonw_key_u64(w, "max_sources", es->max_sources);
	jsonw_key_u64(w, "max_dsts_per_source", es->max_dsts_per_source);
	jsonw_key(w, "evicted_top");
	jsonw_arr_begin(w);
	for (size_t i = 0; i < es->n_evicted_top; i++) {
		const struct engine_evicted *x = &es->evicted_top[i];
		char buf[ADDR_STR_MAX];
		(void)addr_format(&x->src, buf);
		jsonw_obj_begin(w);
		jsonw_key_str(w, "src", buf);
		jsonw_key_u64(w, "danger_level", x->dl);
		jsonw_key_u64(w, "packets", x->packets);
		jsonw_key_u64(w, "ports", x->ports);
		jsonw_key_u64(w, "destinations", x->dsts);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
	jsonw_obj_end(w);
}

/* Traffic no source is blamed for (engine/blame.h). */
static void json_blame(struct jsonw *w, const struct engine_stats *es)
{
	jsonw_key(w, "blame");
	jsonw_obj_begin(w);
	jsonw_key_u64(w, "reflected_sources", es->reflected_sources);
	jsonw_key_u64(w, "reflected_packets", es->reflected_packets);
	jsonw_key_u64(w, "spoofed_sources", es->spoofed_sources);
	jsonw_key_u64(w, "spoofed_packets", es->spoofed_packets);
	jsonw_key(w, "spoofed_by");
	jsonw_obj_begin(w);
	for (int r = SPOOF_NONE + 1; r < _SPOOF_MAX; r++)
		jsonw_key_u64(w, spoof_reason_name((enum spoof_reason)r), es->spoofed_by[r]);
	jsonw_obj_end(w);
	jsonw_key_u64(w, "own_addresses_learnt", es->own_learnt);
	jsonw_key_u64(w, "own_learning_skipped", es->own_skipped);
	jsonw_obj_end(w);
}

/* "reflected": whether the source sent replies, and, when it did,
 * "reflection": what they were. */
static void json_reflected(struct jsonw *w, const struct source_reflect *r)
{
	char buf[REPORT_SPAN_MAX];
	struct portset_iter it;
	struct port_span sp;
	bool first = true;

	jsonw_key(w, "reflected");
	jsonw_bool(w, r != NULL);
	if (!r)
		return;
	jsonw_key(w, "reflection");
	jsonw_obj_begin(w);
	jsonw_key_u64(w, "packets", r->packets);
	jsonw_key(w, "flags");
	jsonw_obj_begin(w);
	if (r->syn_ack)
		jsonw_key_u64(w, "SYN ACK", r->syn_ack);
	if (r->rst)
		jsonw_key_u64(w, "RST", r->rst);
	if (r->rst_ack)
		jsonw_key_u64(w, "RST ACK", r->rst_ack);
	jsonw_obj_end(w);
	jsonw_key(w, "service_port");
	if (r->sports_varied)
		jsonw_null(w);
	else
		jsonw_u64(w, r->sport);
	jsonw_key_u64(w, "port_count", r->dports.count);
	jsonw_key(w, "ports");
	jsonw_str_begin(w);
	portset_iter_init(&it, &r->dports);
	while (portset_iter_next(&it, &sp)) {
		int n = report_span_format(sp, buf);
		if (!first)
			jsonw_str_add(w, ",", 1);
		jsonw_str_add(w, buf, (size_t)n);
		first = false;
	}
	jsonw_str_end(w);
	jsonw_obj_end(w);
}

/* "packets", "ports", "port_min", "port_max", "port_count" of one protocol;
 * the object is left open for the caller to add to and close. */
static void json_ports_open(struct jsonw *w, const char *key, const struct ports_stats *st)
{
	const struct portset *ps = &st->ports;
	struct portset_iter it;
	struct port_span sp;
	char buf[REPORT_SPAN_MAX];
	bool first = true;

	jsonw_key(w, key);
	jsonw_obj_begin(w);
	jsonw_key_u64(w, "packets", st->packets);
	jsonw_key(w, "ports");
	jsonw_str_begin(w);
	portset_iter_init(&it, ps);
	while (portset_iter_next(&it, &sp)) {
		if (!first)
			jsonw_str_add(w, ",", 1);
		jsonw_str_add(w, buf, (size_t)report_span_format(sp, buf));
		first = false;
	}
	jsonw_str_end(w);
	jsonw_key_u64(w, "port_min", ps->count ? ps->min : 0);
	jsonw_key_u64(w, "port_max", ps->count ? ps->max : 0);
	jsonw_key_u64(w, "port_count", ps->count);
}

static void json_tcp(struct jsonw *w, const struct pair_state *p)
{
	char buf[40];

	if (!p->tcp.packets)
		return;
	json_ports_open(w, "tcp", &p->tcp);
	jsonw_key(w, "flags");
	jsonw_obj_begin(w);
	for (unsigned i = 0; i < p->n_flags && i < PAIR_FLAGSETS_MAX; i++) {
		(void)event_flags_format(p->flags[i].flags, buf);
		jsonw_key_u64(w, buf, p->flags[i].count);
	}
	if (p->flags_other)
		jsonw_key_u64(w, "OTHER", p->flags_other);
	jsonw_obj_end(w);
	jsonw_obj_end(w);
}

static void json_udp(struct jsonw *w, const char *key, const struct ports_stats *st)
{
	if (!st->packets)
		return;
	json_ports_open(w, key, st);
	jsonw_obj_end(w);
}

static void json_icmp(struct jsonw *w, const struct pair_state *p)
{
	char buf[2 * NUM_U64_MAX]; /* "255/255" */

	if (!p->icmp_packets)
		return;
	jsonw_key(w, "icmp");
	jsonw_obj_begin(w);
	jsonw_key_u64(w, "packets", p->icmp_packets);
	jsonw_key(w, "types");
	jsonw_obj_begin(w);
	for (unsigned i = 0; i < p->n_icmp && i < PAIR_ICMP_MAX; i++) {
		size_t n = num_u64(buf, p->icmp[i].type);
		buf[n++] = '/';
		(void)num_u64(buf + n, p->icmp[i].code);
		jsonw_key_u64(w, buf, p->icmp[i].count);
	}
	if (p->icmp_other)
		jsonw_key_u64(w, "OTHER", p->icmp_other);
	jsonw_obj_end(w);
	jsonw_obj_end(w);
}

static void json_ip_protocols(struct jsonw *w, const struct pair_state *p)
{
	jsonw_key(w, "ip_protocols");
	jsonw_arr_begin(w);
	for (unsigned byte = 0; byte < sizeof(p->protos); byte++) { /* ascending */
		unsigned bits = p->protos[byte];
		while (bits) {
			jsonw_u64(w, byte * 8 + (unsigned)__builtin_ctz(bits));
			bits &= bits - 1;
		}
	}
	jsonw_arr_end(w);
}

static void json_chain_packets(struct jsonw *w, const struct pair_state *p)
{
	jsonw_key(w, "chain_packets");
	jsonw_obj_begin(w);
	for (int c = 0; c < _CHAIN_MAX; c++)
		if (p->chain_packets[c])
			jsonw_key_u64(w, c == CHAIN_NONE ? "NONE" : event_chain_name((enum chain)c),
				      p->chain_packets[c]);
	jsonw_obj_end(w);
}

void json_write_destination_fields(struct jsonw *w, const struct pair_state *p)
{
	jsonw_key_str(w, "chain", event_chain_name(p->chain));
	jsonw_key(w, "in");
	jsonw_strn(w, p->in, strnlen(p->in, sizeof(p->in)));
	jsonw_key(w, "out");
	jsonw_strn(w, p->out, strnlen(p->out, sizeof(p->out)));
	json_tcp(w, p);
	json_udp(w, "udp", &p->udp);
	json_udp(w, "udplite", &p->udplite);
	json_icmp(w, p);
	json_ip_protocols(w, p);
	jsonw_key_u64(w, "packets", p->packets);
	json_time(w, "first_seen", &p->first);
	json_time(w, "last_seen", &p->last);
}

void json_write_destination(struct jsonw *w, const struct pair_state *p)
{
	char buf[ADDR_STR_MAX];

	jsonw_obj_begin(w);
	(void)addr_format(&p->dst, buf);
	jsonw_key_str(w, "dst", buf);
	jsonw_key_u64(w, "danger_level", p->dl);
	json_time_base(w, &p->first);
	json_write_destination_fields(w, p);
	json_chain_packets(w, p);
	jsonw_obj_end(w);
}

/* Every protocol the source used, by IANA keyword (a number when it has
 * none), in first-seen order. */
static void json_protocols(struct jsonw *w, const struct source_state *s)
{
	char buf[PROTO_NAME_MAX];

	jsonw_key(w, "protocols");
	jsonw_obj_begin(w);
	for (unsigned i = 0; i < s->n_protos; i++) {
		const struct proto_count *c = source_proto(s, i);
		jsonw_key_u64(w, proto_name_or_num(c->proto, buf), c->count);
	}
	jsonw_obj_end(w);
}

/* "scan_types" and "nmap" (each option once), both in enum order. */
void json_write_scan_types(struct jsonw *w, uint32_t types)
{
	const char *opts[_SCAN_MAX];
	size_t n = scan_types_nmap(types, opts);

	jsonw_key(w, "scan_types");
	jsonw_arr_begin(w);
	for (int t = 0; t < _SCAN_MAX; t++)
		if (types & (UINT32_C(1) << t))
			jsonw_str(w, scan_type_name((enum scan_type)t));
	jsonw_arr_end(w);

	jsonw_key(w, "nmap");
	jsonw_arr_begin(w);
	for (size_t i = 0; i < n; i++)
		jsonw_str(w, opts[i]);
	jsonw_arr_end(w);
}

/* cli.md's signatures, os_guess and invalid_icmp, and the other arrays and
 * counters, always present; the objects ip_options (with source_routed)
 * and reputation only when there is something in them. */
static void json_intel(struct jsonw *w, const struct source_state *s)
{
	const struct source_intel *x = s->intel;
	char buf[2 * NUM_U64_MAX];

	jsonw_key(w, "signatures");
	jsonw_arr_begin(w);
	for (uint16_t i = 0; x && i < x->n_sigs; i++) {
		const struct sig_count *sig = &x->sigs[i]; /* the rule as it was (ids, copies) */
		jsonw_obj_begin(w);
		jsonw_key_u64(w, "sid", sig->id);
		jsonw_key_str(w, "msg", sig->msg);
		jsonw_key_u64(w, "count", x->sigs[i].count);
		jsonw_key_u64(w, "dl", sig->dl);
		if (sig->psad_id && sig->psad_id != sig->id)
			jsonw_key_u64(w, "psad_id", sig->psad_id);
		if (x->sigs[i].last_dport)
			jsonw_key_u64(w, "last_dport", x->sigs[i].last_dport);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
	jsonw_key(w, "os_guess");
	jsonw_arr_begin(w);
	for (uint8_t i = 0; x && i < x->n_os; i++)
		jsonw_str(w, x->os[i]);
	jsonw_arr_end(w);
	jsonw_key_u64(w, "invalid_icmp", x ? x->invalid_icmp : 0);
	jsonw_key_u64(w, "signatures_other", x ? x->sigs_other : 0);
	jsonw_key_u64(w, "signature_level", x ? x->sig_dl : 0);
	jsonw_key(w, "invalid_icmp_types");
	jsonw_obj_begin(w);
	for (uint8_t i = 0; x && i < x->n_bad_icmp; i++) {
		size_t n = num_u64(buf, x->bad_icmp[i].type);
		buf[n++] = '/';
		(void)num_u64(buf + n, x->bad_icmp[i].code);
		jsonw_key_u64(w, buf, x->bad_icmp[i].count);
	}
	jsonw_obj_end(w);
	jsonw_key(w, "scanners");
	jsonw_arr_begin(w);
	for (unsigned i = 0; x && i < _SCANNER_MAX; i++)
		if (x->scanners & (UINT32_C(1) << i))
			jsonw_str(w, scanner_name((enum scanner)i));
	jsonw_arr_end(w);
	if (!x)
		return;
	if (x->ipopts) {
		const struct intel_ipopts *io = x->ipopts;
		jsonw_key(w, "ip_options");
		jsonw_obj_begin(w);
		for (unsigned n = IPOPT_FIRST_REAL; n < IPOPT_NUMBERS; n++)
			if (io->count[n])
				jsonw_key_u64(w, ipopt_name(n), io->count[n]);
		if (io->malformed)
			jsonw_key_u64(w, "malformed", io->malformed);
		jsonw_obj_end(w);
		jsonw_key_u64(w, "source_routed", io->source_routed);
	}
	if (x->rep) {
		char net[NET_STR_MAX];
		(void)net_format(&x->rep->net, net);
		jsonw_key(w, "reputation");
		jsonw_obj_begin(w);
		jsonw_key_str(w, "list", x->rep->list);
		jsonw_key_str(w, "network", net);
		jsonw_key_u64(w, "dl", x->rep_dl);
		jsonw_obj_end(w);
	}
}

void json_write_source(struct jsonw *w, const struct source_state *s,
		       const struct report_opts *o)
{
	char buf[NET_STR_MAX];

	jsonw_obj_begin(w);
	(void)report_source_name(s, o, buf);
	jsonw_key_str(w, "src", buf);
	jsonw_key_u64(w, "danger_level", s->dl);
	jsonw_key(w, "spoofed");
	if (s->spoofed)
		jsonw_str(w, spoof_reason_name((enum spoof_reason)s->spoofed));
	else
		jsonw_null(w);
	json_reflected(w, s->reflected);
	jsonw_key_u64(w, "packets", s->packets);
	json_time_base(w, &s->first);
	json_time(w, "first_seen", &s->first);
	json_time(w, "last_seen", &s->last);
	json_protocols(w, s);
	json_write_scan_types(w, s->scan_types);
	jsonw_key(w, "destinations");
	jsonw_arr_begin(w);
	for (uint32_t i = 0; i < s->n_pairs; i++)
		if (s->pairs[i])
			json_write_destination(w, s->pairs[i]);
	jsonw_arr_end(w);
	json_intel(w, s);
	jsonw_key_u64(w, "sweep_level", s->sweep_dl);
	jsonw_key_u64(w, "auto_dl_level", s->autodl_dl);
	jsonw_key(w, "local");
	jsonw_bool(w, report_source_local(s, o));
	jsonw_key_u64(w, "untracked_destinations", s->untracked_dsts);
	jsonw_key_u64(w, "untracked_packets", s->untracked_packets);
	jsonw_obj_end(w);
}

int report_json_sources(FILE *out, const struct source_state **v, size_t n,
			const struct input_stats *in, const struct engine_stats *es,
			const struct report_opts *o)
{
	struct jsonw w;
	int r;

	jsonw_init(&w, out);
	jsonw_obj_begin(&w);
	jsonw_key_str(&w, "vigil", VIGIL_VERSION);
	json_input(&w, in, es);
	json_limits(&w, es);
	json_blame(&w, es);
	json_data_sets(&w, o->m);
	jsonw_key(&w, "sources");
	jsonw_arr_begin(&w);
	for (size_t i = 0; i < n; i++)
		if (report_source_listed(v[i], o))
			json_write_source(&w, v[i], o);
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	r = jsonw_finish(&w); /* hands jsonw's buffer to stdio before the '\n' */
	(void)fputc('\n', out);
	if (r < 0 && r != -EIO)
		return r;
	if (fflush(out) == EOF) /* the errno of a failed write, if stdio has one */
		return -errno;
	if (r < 0)
		return r;
	return ferror(out) ? -EIO : 0;
}

/* Both reports: the engine's sorted sources and stats, then fn. */
int report_engine(FILE *out, const struct engine *e, const struct input_stats *in,
		  const struct report_opts *o, report_sources_fn *fn)
{
	struct engine_stats es;
	const struct source_state **v;
	size_t n;
	int r;

	engine_get_stats(e, &es);
	v = engine_sources_sorted(e, &n);
	if (!v && engine_source_count(e) > 0)
		return -ENOMEM;
	r = fn(out, v, n, in, &es, o);
	free(v);
	return r;
}

int report_json(FILE *out, const struct engine *e, const struct input_stats *in,
		const struct report_opts *o)
{
	return report_engine(out, e, in, o, report_json_sources);
}
